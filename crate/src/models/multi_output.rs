//! Functional models with several outputs, as Keras trains them: one loss for every output or one per
//! output (a list, or by output name), optional `loss_weights`, and one optimizer step on the total
//!
//! `loss = Σᵢ wᵢ · lossᵢ(yᵢ, ŷᵢ)  (+ regularization)`.
//!
//! Each output is named after the layer that computes it; the per-output losses and metrics are
//! reported as Keras does: `["loss", "dense_1_loss", "dense_2_loss", "dense_1_accuracy", ...]` (every
//! metric of `compile` is computed on every output).

use super::fit::{Fit, History};
use super::functional::{Inputs, Model};
use super::sequential::Sequential;
use crate::losses::{self, Loss};
use crate::metrics::{Metric, Tally};
use crate::optimizers::Optimizer;
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{ArrayD, ArrayViewD, Axis, CowArray, IxDyn};
use std::time::Instant;

/// What `Model::compile` takes as the loss: one for all outputs, a list in output order, or by name.
pub enum Losses {
    /// The same loss for every output.
    One(Loss),
    /// One loss per output, in the order of `Model::new`'s outputs.
    List(Vec<Loss>),
    /// Losses by output name (the name of the layer computing the output).
    Named(Vec<(String, Loss)>),
}

/// Anything [`Model::compile`] accepts as its loss: `"mse"`, a [`Loss`], `["mse", "binary_crossentropy"]`
/// (one per output), or `[("price", "mse"), ("class", "categorical_crossentropy")]` (by output name).
pub trait IntoLosses {
    /// The losses, or an unknown-name error.
    fn into_losses(self) -> Result<Losses>;
}

impl IntoLosses for &str {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::One(losses::get(self)?))
    }
}
impl IntoLosses for Loss {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::One(self))
    }
}
impl<F: Fn(&Tensor, &Tensor) -> Result<Tensor> + 'static> IntoLosses for F {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::One(losses::IntoLoss::into_loss(self)?))
    }
}
impl<const N: usize> IntoLosses for [&str; N] {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::List(self.iter().map(|n| losses::get(n)).collect::<Result<_>>()?))
    }
}
impl<const N: usize> IntoLosses for [Loss; N] {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::List(self.to_vec()))
    }
}
impl IntoLosses for Vec<&str> {
    fn into_losses(self) -> Result<Losses> {
        Ok(Losses::List(self.iter().map(|n| losses::get(n)).collect::<Result<_>>()?))
    }
}
impl<const N: usize> IntoLosses for [(&str, &str); N] {
    fn into_losses(self) -> Result<Losses> {
        let named = self.iter().map(|(o, l)| Ok((o.to_string(), losses::get(l)?))).collect::<Result<_>>()?;
        Ok(Losses::Named(named))
    }
}

/// The training set-up of a model with several outputs.
pub(crate) struct MultiCompiled {
    pub(crate) optimizer: Optimizer,
    pub(crate) losses: Vec<Loss>,
    pub(crate) weights: Vec<f32>,
    pub(crate) metrics: Vec<Metric>,
}

/// Sums over an epoch: total loss, per-output losses, per-output metrics (weighted by examples).
struct Sums {
    total: f64,
    count: usize,
    losses: Vec<f64>,
    metrics: Vec<Tally>,
}

impl Sums {
    fn new(outputs: usize, metrics: &[Metric]) -> Sums {
        let tallies = (0..outputs).flat_map(|_| metrics.iter().map(Metric::tally)).collect();
        Sums { total: 0.0, count: 0, losses: vec![0.0; outputs], metrics: tallies }
    }
    /// In `Model::metric_names`' order.
    fn values(&self) -> Vec<f64> {
        let n = self.count.max(1) as f64;
        let mut v = vec![self.total / n];
        v.extend(self.losses.iter().map(|l| l / n));
        v.extend(self.metrics.iter().map(Tally::result));
        v
    }
}

impl Model {
    /// The output names: the layer computing each output (an input's name if an output is an input).
    pub fn output_names(&self) -> Vec<String> {
        let n_in = self.graph.inputs.len();
        let mut taken: Vec<String> = vec![];
        self.graph
            .outputs
            .iter()
            .map(|&o| {
                let base = match o.checked_sub(n_in) {
                    None => self.graph.inputs[o].name.clone(),
                    Some(k) => self.graph.steps[k].layer.0.borrow().name().to_string(),
                };
                crate::layers::naming::unique(&base, &mut taken)
            })
            .collect()
    }

    /// One loss per output, from `compile`'s argument.
    pub(crate) fn losses_per_output(&self, losses: Losses) -> Result<Vec<Loss>> {
        let names = self.output_names();
        match losses {
            Losses::One(l) => Ok(vec![l; names.len()]),
            Losses::List(list) if list.len() == names.len() => Ok(list),
            Losses::List(list) => Err(Error::shape(
                "Model.compile",
                format!("one loss per output ({}: {})", names.len(), names.join(", ")),
                format!("{} losses", list.len()),
            )),
            Losses::Named(named) => {
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                if let Some((bad, _)) = named.iter().find(|(n, _)| !refs.contains(&n.as_str())) {
                    return Err(Error::unknown_name("Model.compile", "output", bad, &refs));
                }
                names
                    .iter()
                    .map(|o| {
                        named.iter().find(|(n, _)| n == o).map(|p| p.1.clone()).ok_or_else(|| {
                            Error::value("Model.compile", format!("a loss for output {o:?}"), "none")
                        })
                    })
                    .collect()
            }
        }
    }

    /// Keras' `loss_weights`: the total loss is `Σ wᵢ · lossᵢ` (all 1 by default). Call after
    /// `compile`, on a model with several outputs; one weight per output, in output order.
    pub fn loss_weights(&mut self, weights: &[f32]) -> Result<()> {
        let k = self.graph.outputs.len();
        let Some(c) = self.multi.as_mut() else {
            return Err(Error::state(
                "Model.loss_weights",
                format!("loss weights need a compiled model with several outputs (this one has {k})"),
            ));
        };
        if weights.len() != k {
            return Err(Error::shape(
                "Model.loss_weights",
                format!("{k} weights"),
                weights.len().to_string(),
            ));
        }
        if let Some(w) = weights.iter().find(|w| !w.is_finite() || **w < 0.0) {
            return Err(Error::value("Model.loss_weights", "finite weights >= 0", w.to_string()));
        }
        c.weights = weights.to_vec();
        Ok(())
    }

    /// The targets, one checked array per output, in output order.
    fn target_views<'a>(&self, op: &str, y: Inputs<'a>, n: usize) -> Result<Vec<CowArray<'a, f32, IxDyn>>> {
        let names = self.output_names();
        let ys = super::functional::in_order(op, "output", &names, y)?;
        if ys.len() != names.len() {
            return Err(Error::shape(
                op,
                format!("one target array per output ({}: {})", names.len(), names.join(", ")),
                format!("{} arrays", ys.len()),
            ));
        }
        let c = self.multi.as_ref().expect("checked by the caller");
        for ((y, name), (shape, loss)) in
            ys.iter().zip(&names).zip(self.output_shapes().iter().zip(&c.losses))
        {
            let sparse = matches!(loss, Loss::SparseCategoricalCrossentropy { .. });
            let ok = match loss {
                Loss::Custom(_) => y.ndim() >= 1, // the function takes the targets it takes
                _ if sparse => y.ndim() == 1 || (y.ndim() == 2 && y.shape()[1] == 1),
                _ => y.ndim() >= 1 && y.shape()[1..] == shape[..],
            };
            if !ok || y.shape()[0] != n {
                let expected = if sparse {
                    format!("{n} integer labels of shape [{n}]")
                } else {
                    format!("targets of shape [{n}, {}]", super::dims(shape))
                };
                return Err(Error::shape(
                    format!("{op} (output {name:?})"),
                    expected,
                    format!("{:?}", y.shape()),
                ));
            }
        }
        Ok(ys)
    }

    /// The total and per-output losses of one batch.
    fn batch_losses(
        &self,
        xs: Vec<Tensor>,
        ys: &[ArrayD<f32>],
        training: bool,
    ) -> Result<(Tensor, Vec<f32>, Vec<ArrayD<f32>>)> {
        let c = self.multi.as_ref().expect("checked by the caller");
        let outs = self.graph.run(&xs, training)?;
        let mut total = self.inner.regularization_loss().unwrap_or_else(|| Tensor::scalar(0.0));
        let mut parts = vec![];
        for (((y, out), loss), w) in ys.iter().zip(&outs).zip(&c.losses).zip(&c.weights) {
            let l = loss.call(&Tensor::new(y.clone()), out)?;
            parts.push(l.item());
            total = total.add(&l.scale(*w))?;
        }
        Ok((total, parts, outs.iter().map(Tensor::to_array).collect()))
    }

    /// Counts a batch's total loss and each output's.
    fn add_losses(sums: &mut Sums, total: f32, parts: &[f32], batch: usize) {
        sums.total += total as f64 * batch as f64;
        sums.count += batch;
        for (i, l) in parts.iter().enumerate() {
            sums.losses[i] += *l as f64 * batch as f64;
        }
    }

    /// Counts a batch in each output's metrics (in `fit`, before the step: a metric that fails
    /// leaves the weights as they were).
    fn add_metrics(&self, sums: &mut Sums, ys: &[ArrayD<f32>], outs: &[ArrayD<f32>]) -> Result<()> {
        let c = self.multi.as_ref().expect("checked by the caller");
        for (i, (y, p)) in ys.iter().zip(outs).enumerate() {
            for (j, m) in c.metrics.iter().enumerate() {
                m.update_tally(&mut sums.metrics[i * c.metrics.len() + j], y, p)?;
            }
        }
        Ok(())
    }

    fn rows(views: &[ArrayViewD<f32>], idx: &[usize]) -> Vec<ArrayD<f32>> {
        views.iter().map(|v| crate::backend::take_rows(v, idx)).collect()
    }

    /// `fit` of a model with several outputs.
    pub(crate) fn fit_multi(&mut self, x: Inputs, y: Inputs, opts: Fit) -> Result<History> {
        let op = "Model.fit";
        let x_arrays = self.input_views(x)?;
        let n_all = x_arrays[0].shape()[0];
        let y_arrays = self.target_views(op, y, n_all)?;
        let xs: Vec<ArrayViewD<f32>> = x_arrays.iter().map(|a| a.view()).collect();
        let ys: Vec<ArrayViewD<f32>> = y_arrays.iter().map(|a| a.view()).collect();
        check_finite(op, &xs, &ys)?;
        if opts.batch_size == 0 {
            return Err(Error::value(op, "a batch_size of at least 1", "0"));
        }
        if opts.sample_weight.is_some() || opts.class_weight.is_some() {
            return Err(Error::value(
                op,
                "no sample_weight or class_weight for a model with several outputs (not supported yet)",
                if opts.class_weight.is_some() { "class_weight" } else { "sample_weight" },
            ));
        }
        if opts.validation_data.is_some() {
            return Err(Error::value(
                op,
                "validation_split for a model with several outputs (validation_data takes one array)",
                "validation_data",
            ));
        }
        if !(0.0..1.0).contains(&opts.validation_split) {
            return Err(Error::value(op, "a validation_split in [0, 1)", opts.validation_split.to_string()));
        }
        let n = super::fit::train_count(n_all, opts.validation_split);
        if n == 0 {
            return Err(Error::value(op, format!("training examples out of {n_all}"), "none left"));
        }
        // The validation part: the last rows, read in place.
        let vx: Vec<ArrayViewD<f32>> = xs.iter().map(|a| a.slice_axis(Axis(0), (n..).into())).collect();
        let vy: Vec<ArrayViewD<f32>> = ys.iter().map(|a| a.slice_axis(Axis(0), (n..).into())).collect();
        for x in &xs {
            crate::backend::prefer_huge_pages(x); // (batches are copied from random rows)
        }
        let weights = self.trainable_weights();
        self.inner.check_trainable(op, &weights, &self.multi.as_ref().expect("compiled").optimizer)?;
        let weight_names = self.inner.weight_names();
        let names = self.metric_names();
        let steps = n.div_ceil(opts.batch_size);
        let mut rng = SeededRng::new(opts.seed);
        let mut history = History::default();
        for epoch in 1..=opts.epochs {
            self.with_callbacks(|inner| opts.callbacks.epoch_begin(epoch - 1, inner))?;
            let start = Instant::now();
            let order: Vec<usize> = if opts.shuffle { rng.permutation(n) } else { (0..n).collect() };
            let mut sums = Sums::new(ys.len(), &self.multi.as_ref().expect("compiled").metrics);
            for (b, idx) in order.chunks(opts.batch_size).enumerate() {
                super::fit::before_step(op, epoch, opts.epochs, b + 1, steps)?;
                let xb = Self::rows(&xs, idx).into_iter().map(Tensor::new).collect();
                let yb = Self::rows(&ys, idx);
                let (loss, parts, outs) = self.batch_losses(xb, &yb, true)?;
                self.add_metrics(&mut sums, &yb, &outs)?;
                let c = self.multi.as_mut().expect("compiled");
                let at = || format!("{op} (epoch {epoch}, batch {}/{steps})", b + 1);
                let value = super::fit::train_step(&loss, &weights, &weight_names, &mut c.optimizer, at)?;
                Self::add_losses(&mut sums, value, &parts, idx.len());
            }
            let mut line = format!("{steps}/{steps} - {:.0}s", start.elapsed().as_secs_f64());
            for (name, v) in names.iter().zip(sums.values()) {
                history.push(name, v);
                line += &format!(" - {name}: {v:.4}");
            }
            if n < n_all {
                for (name, v) in names.iter().zip(self.evaluate_arrays(&vx, &vy, opts.batch_size)?) {
                    history.push(&format!("val_{name}"), v);
                    line += &format!(" - val_{name}: {v:.4}");
                }
            }
            if opts.verbose > 0 {
                println!("Epoch {epoch}/{}\n{line}", opts.epochs);
            }
            if self
                .with_callbacks(|inner| opts.callbacks.epoch_end(epoch - 1, &history.last_epoch(), inner))?
            {
                break;
            }
        }
        self.with_callbacks(|inner| opts.callbacks.train_end(inner))?;
        Ok(history)
    }

    /// Runs callbacks on the layers (`self.inner`), with this Model's learning rate readable and settable
    /// there (this Model's optimizer is its own, not the inner one's).
    fn with_callbacks<T>(&mut self, f: impl FnOnce(&mut Sequential) -> Result<T>) -> Result<T> {
        let c = self.multi.as_mut().expect("compiled");
        self.inner.outer_learning_rate = Some(c.optimizer.learning_rate());
        let result = f(&mut self.inner);
        let lr = self.inner.outer_learning_rate.take().expect("set above");
        if lr != c.optimizer.learning_rate() {
            c.optimizer.set_learning_rate(lr)?;
        }
        result
    }

    /// `evaluate` of a model with several outputs (batches of 32).
    pub(crate) fn evaluate_multi(&mut self, x: Inputs, y: Inputs) -> Result<Vec<f64>> {
        let x_arrays = self.input_views(x)?;
        let y_arrays = self.target_views("Model.evaluate", y, x_arrays[0].shape()[0])?;
        let xs: Vec<ArrayViewD<f32>> = x_arrays.iter().map(|a| a.view()).collect();
        let ys: Vec<ArrayViewD<f32>> = y_arrays.iter().map(|a| a.view()).collect();
        check_finite("Model.evaluate", &xs, &ys)?;
        self.evaluate_arrays(&xs, &ys, super::KERAS_BATCH)
    }

    fn evaluate_arrays(
        &self,
        xv: &[ArrayViewD<f32>],
        yv: &[ArrayViewD<f32>],
        batch: usize,
    ) -> Result<Vec<f64>> {
        let c = self.multi.as_ref().expect("compiled");
        let mut sums = Sums::new(yv.len(), &c.metrics);
        let n = xv[0].shape()[0];
        for start in (0..n).step_by(batch) {
            crate::interrupt::check("Model.evaluate", || format!("at example {start} of {n}"))?;
            let idx: Vec<usize> = (start..(start + batch).min(n)).collect();
            let xb = Self::rows(xv, &idx).into_iter().map(Tensor::new).collect();
            let yb = Self::rows(yv, &idx);
            let (loss, parts, outs) = self.batch_losses(xb, &yb, false)?;
            self.add_metrics(&mut sums, &yb, &outs)?;
            Self::add_losses(&mut sums, loss.item(), &parts, idx.len());
        }
        Ok(sums.values())
    }

    /// `["loss", "<output>_loss"..., "<output>_<metric>"...]` for a model with several outputs.
    pub(crate) fn multi_metric_names(&self, c: &MultiCompiled) -> Vec<String> {
        let outs = self.output_names();
        let mut names = vec!["loss".to_string()];
        names.extend(outs.iter().map(|o| format!("{o}_loss")));
        for o in &outs {
            names.extend(c.metrics.iter().map(|m| format!("{o}_{}", m.name())));
        }
        names
    }
}

/// An error naming the first input or target array, and its row, that holds a NaN or an infinity.
fn check_finite(op: &str, xs: &[ArrayViewD<f32>], ys: &[ArrayViewD<f32>]) -> Result<()> {
    let arrays = xs.iter().enumerate().map(|(i, a)| (format!("input {i}"), a));
    let arrays = arrays.chain(ys.iter().enumerate().map(|(i, a)| (format!("target {i}"), a)));
    for (name, a) in arrays {
        if let Some(bad) = crate::data::first_bad_row(a) {
            return Err(Error::not_finite(op, format!("the data must be finite, but {name}: {bad}")));
        }
    }
    Ok(())
}
