//! Training: [`Fit`] (the options of `fit`, with Keras' defaults), [`History`], and the loop:
//! for each epoch, shuffle, then for each batch: forward, loss (+ regularization), backward,
//! optimizer step; metrics are averaged over the epoch's examples.

use super::callbacks::{Callback, Callbacks, Logs};
use super::progress::ProgressBar;
use super::sample_weight;
use super::sequential::{dims, Sequential};
use crate::backend::take_rows;
use crate::data::ArrayLike;
use crate::losses::Loss;
use crate::metrics::{Metric, Tally};
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{Array1, ArrayD, ArrayViewD, Axis};
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::rc::Rc;
use std::time::Instant;

/// The options of [`Sequential::fit`]: `Fit::default().epochs(5).batch_size(128)`.
#[derive(Clone, Debug)]
pub struct Fit {
    /// Passes over the data (1).
    pub epochs: usize,
    /// Examples per gradient step (32).
    pub batch_size: usize,
    /// Fraction of the data, taken from the end before shuffling, kept for validation (0): the first
    /// ⌊n·(1 − fraction)⌋ examples train, as in Keras.
    pub validation_split: f64,
    /// Separate validation inputs and targets (overrides `validation_split`).
    pub validation_data: Option<(ArrayD<f32>, ArrayD<f32>)>,
    /// Shuffle the training examples each epoch (true).
    pub shuffle: bool,
    /// 0: silent; 1 or 2: one line per epoch (1).
    pub verbose: u8,
    /// Seed of the shuffling (0).
    pub seed: u64,
    /// A weight per example, `[n]`, multiplying its loss (none).
    pub sample_weight: Option<ArrayD<f32>>,
    /// A weight per class index, multiplying the loss of that class' examples (none).
    pub class_weight: Option<Vec<f32>>,
    /// What runs after each epoch ([`callback`](Fit::callback)).
    pub(crate) callbacks: Callbacks,
}

impl Default for Fit {
    fn default() -> Fit {
        Fit {
            epochs: 1,
            batch_size: super::KERAS_BATCH,
            validation_split: 0.0,
            validation_data: None,
            shuffle: true,
            verbose: 1,
            seed: 0,
            sample_weight: None,
            class_weight: None,
            callbacks: Callbacks::default(),
        }
    }
}

impl Fit {
    /// Adds a callback, run after every epoch in the order added (Keras' `callbacks=[...]`): an
    /// [`EarlyStopping`](super::EarlyStopping) or your own [`Callback`].
    pub fn callback(mut self, callback: impl Callback + 'static) -> Fit {
        self.callbacks.0.push(Rc::new(RefCell::new(callback)));
        self
    }

    /// Sets the number of epochs.
    pub fn epochs(mut self, n: usize) -> Fit {
        self.epochs = n;
        self
    }
    /// Sets the batch size.
    pub fn batch_size(mut self, n: usize) -> Fit {
        self.batch_size = n;
        self
    }
    /// Keeps the last `fraction` of the examples for validation.
    pub fn validation_split(mut self, fraction: f64) -> Fit {
        self.validation_split = fraction;
        self
    }
    /// Validates on `(x, y)` after each epoch.
    pub fn validation_data(mut self, x: &impl ArrayLike, y: &impl ArrayLike) -> Fit {
        self.validation_data = Some((x.as_f32().into_owned(), y.as_f32().into_owned()));
        self
    }
    /// Whether to shuffle each epoch.
    pub fn shuffle(mut self, on: bool) -> Fit {
        self.shuffle = on;
        self
    }
    /// 0: silent; 1 or 2: one line per epoch.
    pub fn verbose(mut self, level: u8) -> Fit {
        self.verbose = level;
        self
    }
    /// Sets the shuffling seed.
    pub fn seed(mut self, seed: u64) -> Fit {
        self.seed = seed;
        self
    }

    /// Weighs each example's loss: `weights[i]` multiplies the loss of example `i` (Keras'
    /// `sample_weight`); the batch's loss is `Σ wᵢ·lossᵢ / batch`. With `validation_split`, the
    /// validation loss is weighted the same way; the metrics are not weighted.
    pub fn sample_weight(mut self, weights: &impl ArrayLike) -> Fit {
        self.sample_weight = Some(weights.as_f32().into_owned());
        self
    }

    /// Weighs each class: `weights[c]` multiplies the loss of the examples of class `c` (Keras'
    /// `class_weight={0: 1.0, 1: 5.0}` is `.class_weight(&[1.0, 5.0])`), e.g. to make a rare class
    /// count as much as a common one. The class of an example is its label, or the position of the 1
    /// in a one-hot target. Only the training loss is weighted.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let x = Array2::from_shape_fn((40, 2), |(i, j)| ((i * 3 + j) % 7) as f32 / 7.0);
    /// let y = Array1::from_shape_fn(40, |i| if i % 10 == 0 { 1.0f32 } else { 0.0 }); // 4 of 40 are 1
    /// let mut model = Sequential::new(layers![Dense::new(1).input_shape(&[2]).activation("sigmoid")]);
    /// model.compile("adam", "binary_crossentropy", &[])?;
    /// let y = y.insert_axis(Axis(1));
    /// model.fit(&x, &y, Fit::default().class_weight(&[1.0, 9.0]).verbose(0))?;
    /// let e = model.fit(&x, &y, Fit::default().class_weight(&[1.0]).verbose(0)).unwrap_err();
    /// assert!(e.to_string().contains("class 1 in row 0, and 1 weight, for class 0"), "{e}");
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn class_weight(mut self, weights: &[f32]) -> Fit {
        self.class_weight = Some(weights.to_vec());
        self
    }
}

/// What `fit` recorded: one value per epoch for `"loss"`, each metric, and `"val_…"`.
///
/// `history.get("loss")?` is the list of epoch losses (Keras' `history.history["loss"]`), or an
/// error listing the keys there are; `history["loss"]` is the same but panics on an unknown key.
///
/// ```
/// use nnlab::models::History;
/// let mut h = History::default();
/// h.history.insert("accuracy".into(), vec![0.5, 0.75]);
/// assert_eq!(h.get("accuracy").unwrap(), &[0.5, 0.75]);
/// let e = h.get("acc").unwrap_err().to_string();
/// assert_eq!(e, r#"History: unknown key "acc"; the keys are ["accuracy"]"#);
/// assert!(h.get("acuracy").unwrap_err().to_string().contains(r#"did you mean "accuracy"?"#));
/// ```
#[derive(Clone, Debug, Default, PartialEq)]
pub struct History {
    /// The values by name.
    pub history: BTreeMap<String, Vec<f64>>,
}

impl History {
    /// The values recorded under `key`, or an error naming the keys there are.
    pub fn get(&self, key: &str) -> Result<&[f64]> {
        self.history.get(key).map(Vec::as_slice).ok_or_else(|| self.unknown(key))
    }

    /// The names recorded (`"loss"`, `"accuracy"`, `"val_loss"`, ...).
    pub fn keys(&self) -> Vec<String> {
        self.history.keys().cloned().collect()
    }

    fn unknown(&self, key: &str) -> Error {
        let keys: Vec<&str> = self.history.keys().map(String::as_str).collect();
        let mut e = Error::unknown_name("History", "key", key, &keys);
        if let Error::UnknownName { known, .. } = &mut e {
            known.clear(); // (listed below)
        }
        Error::state(
            "History",
            format!("{}; the keys are {keys:?}", e.to_string().trim_start_matches("History: ")),
        )
    }

    /// The last epoch's values, by name: what a callback sees.
    pub(crate) fn last_epoch(&self) -> Logs {
        self.history.iter().filter_map(|(k, v)| v.last().map(|&x| (k.clone(), x))).collect()
    }

    pub(crate) fn push(&mut self, key: &str, v: f64) {
        self.history.entry(key.to_string()).or_default().push(v);
    }
}

impl std::ops::Index<&str> for History {
    type Output = Vec<f64>;
    /// Panics on an unknown key, with the keys there are (`history.get(key)?` gives an error instead).
    fn index(&self, key: &str) -> &Vec<f64> {
        match self.history.get(key) {
            Some(v) => v,
            None => panic!(
                "{} (history.get({key:?})? returns this as an error instead of a panic)",
                self.unknown(key)
            ),
        }
    }
}

/// The interrupt button's check before a training step (`crate::interrupt`): the error says where.
pub(super) fn before_step(op: &str, epoch: usize, epochs: usize, step: usize, steps: usize) -> Result<()> {
    crate::interrupt::check(op, || {
        format!("at epoch {epoch}/{epochs}, before step {step}/{steps}: the model keeps the weights of the last finished step")
    })
}

/// ` - loss: 0.6329 - accuracy: 0.7816`, each name after `prefix` (`val_`).
fn values_text(names: &[String], values: &[f64], prefix: &str) -> String {
    names.iter().zip(values).map(|(name, v)| format!(" - {prefix}{name}: {v:.4}")).collect()
}

/// Running totals over an epoch: the loss weighted by examples, and each metric's [`Tally`].
struct Totals {
    loss: f64,
    count: usize,
    metrics: Vec<Tally>,
}

impl Totals {
    fn new(metrics: &[Metric]) -> Totals {
        Totals { loss: 0.0, count: 0, metrics: metrics.iter().map(Metric::tally).collect() }
    }
    /// Counts a batch's loss.
    fn add_loss(&mut self, loss: f32, batch: usize) {
        self.loss += loss as f64 * batch as f64;
        self.count += batch;
    }
    /// Counts a batch in each metric: in `fit`, before the step, so that a metric of one's own that
    /// fails leaves the weights as they were.
    fn add_metrics(&mut self, metrics: &[Metric], y: &ArrayD<f32>, p: &ArrayD<f32>) -> Result<()> {
        for (t, m) in self.metrics.iter_mut().zip(metrics) {
            m.update_tally(t, y, p)?;
        }
        Ok(())
    }
    fn values(&self) -> Vec<f64> {
        let mut v = vec![self.loss / self.count.max(1) as f64];
        v.extend(self.metrics.iter().map(Tally::result));
        v
    }
}

impl Sequential {
    /// Trains the model on inputs `x` (`[n, ...]`) and targets `y` (`[n, units]`, or `[n]` class
    /// indices for the sparse loss) and returns the [`History`]. Arrays and views of any number type
    /// are accepted ([`ArrayLike`]: `f32` is read in place, `f64` or `u8` converted).
    ///
    /// Data with a NaN or an infinity is refused before training (naming the row), and training stops
    /// with an error naming the epoch, the step and the weight when the loss or a weight stops being
    /// finite: a model does not go on training on NaN.
    /// `verbose(1)` (the default) shows Keras' progress bar, redrawn as the steps go, that ends as the
    /// epoch's line: `469/469 [==============================] - 3s 6ms/step - loss: 0.0123 - accuracy: 0.9012`;
    /// `verbose(2)` prints only one line per epoch: `469/469 - 3s - 6ms/step - loss: 0.0123 - ...`.
    ///
    /// In the nnlab kernel, the interrupt button stops training before the next step with an
    /// [`Interrupted`](Error::Interrupted) error; the model keeps the weights of the last finished step.
    pub fn fit(&mut self, x: &impl ArrayLike, y: &impl ArrayLike, opts: Fit) -> Result<History> {
        let (x, y) = (x.as_f32(), y.as_f32());
        let lasting = x.is_view(); // (a converted copy is gone after this call)
        self.fit_views(x.view(), y.view(), opts, lasting)
    }

    /// [`fit`](Sequential::fit) on views (what `Model::fit` hands over without copying its inputs);
    /// `lasting`: whether `x` outlives this call (a packed copy does not: moving it into 2 MB pages,
    /// see `data::huge_pages`, would be paid again by every call).
    pub(crate) fn fit_views(
        &mut self,
        x: ArrayViewD<f32>,
        y: ArrayViewD<f32>,
        opts: Fit,
        lasting: bool,
    ) -> Result<History> {
        let op = self.op("fit");
        self.check_data(&op, &x, &y)?;
        if opts.batch_size == 0 {
            return Err(Error::value(&op, "a batch_size of at least 1", "0"));
        }
        if !(0.0..1.0).contains(&opts.validation_split) {
            return Err(Error::value(&op, "a validation_split in [0, 1)", opts.validation_split.to_string()));
        }
        let n_all = x.shape()[0];
        let (n, val) = match &opts.validation_data {
            Some((vx, vy)) => {
                self.check_data(&format!("{op} (validation_data)"), &vx.view(), &vy.view())?;
                (n_all, Some((vx.view(), vy.view())))
            }
            None if opts.validation_split > 0.0 => {
                let n_train = train_count(n_all, opts.validation_split);
                if n_train == 0 {
                    return Err(Error::value(
                        &op,
                        format!("a validation_split that leaves training examples out of {n_all}"),
                        format!("{} (0 left to train on)", opts.validation_split),
                    ));
                }
                let (vx, vy) =
                    (x.slice_axis(Axis(0), (n_train..).into()), y.slice_axis(Axis(0), (n_train..).into()));
                (n_train, Some((vx, vy)))
            }
            None => (n_all, None),
        };
        let (xt, yt) = (x.slice_axis(Axis(0), (..n).into()), y.slice_axis(Axis(0), (..n).into()));
        // Per-example weights of the training rows, and of the validation rows that came from x.
        let example_weights = sample_weight::example_weights(&op, &opts, &y)?;
        let val_weights = example_weights
            .as_ref()
            .filter(|_| opts.sample_weight.is_some() && opts.validation_data.is_none())
            .map(|w| w.slice(ndarray::s![n..]).to_owned());
        if lasting {
            crate::backend::prefer_huge_pages(&xt); // (batches are copied from random rows)
        }
        let mut rng = SeededRng::new(opts.seed);
        let weights = self.trainable_weights();
        self.check_trainable(&op, &weights, &self.compiled.as_ref().expect("checked").optimizer)?;
        let weight_names = self.weight_names();
        let steps = n.div_ceil(opts.batch_size);
        let names = self.metric_names();
        let mut history = History::default();
        for epoch in 1..=opts.epochs {
            opts.callbacks.epoch_begin(epoch - 1, self)?;
            let start = Instant::now();
            let order: Vec<usize> = if opts.shuffle { rng.permutation(n) } else { (0..n).collect() };
            let compiled = self.compiled.as_ref().expect("checked");
            let mut totals = Totals::new(&compiled.metrics);
            if opts.verbose > 0 {
                println!("Epoch {epoch}/{}", opts.epochs);
            }
            let mut bar = ProgressBar::new(steps);
            for (b, idx) in order.chunks(opts.batch_size).enumerate() {
                before_step(&op, epoch, opts.epochs, b + 1, steps)?;
                let (xb, yb) = (take_rows(&xt, idx), take_rows(&yt, idx));
                let out = self.call(&Tensor::new(xb), true)?;
                let compiled = self.compiled.as_ref().expect("checked");
                let wb = example_weights.as_ref().map(|w| idx.iter().map(|&i| w[i]).collect());
                let mut loss = sample_weight::batch_loss(&compiled.loss, &Tensor::new(yb.clone()), &out, wb)?;
                if let Some(r) = self.regularization_loss() {
                    loss = loss.add(&r)?;
                }
                totals.add_metrics(&compiled.metrics, &yb, &out.value())?;
                let compiled = self.compiled.as_mut().expect("checked");
                let at = || format!("{op} (epoch {epoch}, batch {}/{steps})", b + 1);
                let value = train_step(&loss, &weights, &weight_names, &mut compiled.optimizer, at)?;
                totals.add_loss(value, idx.len());
                if opts.verbose == 1 {
                    bar.update(b + 1, || values_text(&names, &totals.values(), ""));
                }
            }
            for (name, v) in names.iter().zip(totals.values()) {
                history.push(name, v);
            }
            let mut rest = values_text(&names, &totals.values(), "");
            if let Some((vx, vy)) = &val {
                let values = self.evaluate_view(vx, vy, opts.batch_size, val_weights.as_ref())?;
                for (name, v) in names.iter().zip(&values) {
                    history.push(&format!("val_{name}"), *v);
                }
                rest += &values_text(&names, &values, "val_");
            }
            match opts.verbose {
                0 => {}
                1 => bar.finish(&rest),
                _ => println!(
                    "{steps}/{steps} - {:.0}s - {:.0}ms/step{rest}",
                    start.elapsed().as_secs_f64(),
                    start.elapsed().as_secs_f64() * 1e3 / steps.max(1) as f64
                ),
            }
            if opts.callbacks.epoch_end(epoch - 1, &history.last_epoch(), self)? {
                break;
            }
        }
        opts.callbacks.train_end(self)?;
        Ok(history)
    }

    /// One gradient step on the batch `(x, y)` (Keras' `train_on_batch`), returning the batch's loss
    /// before the step. The same checks as [`fit`](Sequential::fit): finite data, a finite loss, finite
    /// weights after the step.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[2]).into()]);
    /// model.compile("sgd", "mse", &[]).unwrap();
    /// let (x, y) = (array![[1.0f32, 2.0]], array![[1.0f32]]);
    /// let first = model.train_on_batch(&x, &y).unwrap();
    /// assert!(model.train_on_batch(&x, &y).unwrap() < first);
    /// assert!(model.train_on_batch(&array![[f32::NAN, 2.0]], &y).unwrap_err().to_string().contains("row 0"));
    /// ```
    pub fn train_on_batch(&mut self, x: &impl ArrayLike, y: &impl ArrayLike) -> Result<f64> {
        let op = self.op("train_on_batch");
        let (x, y) = (x.as_f32(), y.as_f32());
        self.check_data(&op, &x.view(), &y.view())?;
        let weights = self.trainable_weights();
        self.check_trainable(&op, &weights, &self.compiled.as_ref().expect("checked").optimizer)?;
        let names = self.weight_names();
        let out = self.call(&Tensor::new(x.into_owned()), true)?;
        let compiled = self.compiled.as_ref().expect("checked");
        let mut loss = compiled.loss.call(&Tensor::new(y.into_owned()), &out)?;
        if let Some(r) = self.regularization_loss() {
            loss = loss.add(&r)?;
        }
        let compiled = self.compiled.as_mut().expect("checked");
        Ok(train_step(&loss, &weights, &names, &mut compiled.optimizer, || op.to_string())? as f64)
    }

    /// The loss and the metrics on `(x, y)`, like Keras' `evaluate`: `[loss, metric_1, ...]`
    /// (batches of 32, Keras' default; no dropout; the loss includes the regularization penalty, as in
    /// training). [`evaluate_with`](Sequential::evaluate_with) takes the batch size.
    pub fn evaluate(&mut self, x: &impl ArrayLike, y: &impl ArrayLike) -> Result<Vec<f64>> {
        self.evaluate_with(x, y, super::KERAS_BATCH)
    }

    /// [`evaluate`](Sequential::evaluate) in batches of `batch_size` (Keras' `evaluate(x, y, batch_size=...)`).
    /// The batch size changes only the speed and the memory used, not the result (up to rounding).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut model = Sequential::new(vec![Dense::new(2).input_shape(&[3]).into()]);
    /// model.compile("sgd", "mse", &[]).unwrap();
    /// let (x, y) = (Array2::<f32>::ones((10, 3)), Array2::<f32>::zeros((10, 2)));
    /// let a = model.evaluate_with(&x, &y, 4).unwrap();
    /// let b = model.evaluate(&x, &y).unwrap();
    /// assert!((a[0] - b[0]).abs() < 1e-6);
    /// assert!(model.evaluate_with(&x, &y, 0).is_err());
    /// ```
    pub fn evaluate_with(
        &mut self,
        x: &impl ArrayLike,
        y: &impl ArrayLike,
        batch_size: usize,
    ) -> Result<Vec<f64>> {
        self.evaluate_views(x.as_f32().view(), y.as_f32().view(), batch_size)
    }

    /// [`evaluate_with`](Sequential::evaluate_with) on views (for `Model::evaluate`).
    pub(crate) fn evaluate_views(
        &mut self,
        x: ArrayViewD<f32>,
        y: ArrayViewD<f32>,
        batch: usize,
    ) -> Result<Vec<f64>> {
        if batch == 0 {
            return Err(Error::value(self.op("evaluate"), "a batch_size of at least 1", "0"));
        }
        self.check_data(&self.op("evaluate"), &x, &y)?;
        self.evaluate_view(&x, &y, batch, None)
    }

    /// The optimizer's learning rate (Keras' `model.optimizer.learning_rate`); an error before
    /// `compile`.
    pub fn learning_rate(&self) -> Result<f32> {
        if let Some(lr) = self.outer_learning_rate {
            return Ok(lr);
        }
        let op = self.op("learning_rate");
        let c = self.compiled.as_ref().ok_or_else(|| Error::state(&op, "the model is not compiled yet"))?;
        Ok(c.optimizer.learning_rate())
    }

    /// Sets the optimizer's learning rate, from then on (what
    /// [`LearningRateScheduler`](super::LearningRateScheduler) and
    /// [`ReduceLROnPlateau`](super::ReduceLROnPlateau) do); an error before `compile` or for a rate
    /// that is not finite and above 0.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[2]).into()]);
    /// assert!(model.set_learning_rate(0.1).is_err()); // not compiled
    /// model.compile("adam", "mse", &[])?;
    /// assert_eq!(model.learning_rate()?, 0.001);
    /// model.set_learning_rate(0.01)?;
    /// assert_eq!(model.learning_rate()?, 0.01);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        let op = self.op("set_learning_rate");
        if self.outer_learning_rate.is_some() {
            if !(lr.is_finite() && lr > 0.0) {
                return Err(Error::value(
                    &op,
                    "a learning_rate that is finite and above 0 (e.g. 0.01)",
                    lr.to_string(),
                ));
            }
            self.outer_learning_rate = Some(lr);
            return Ok(());
        }
        let c = self.compiled.as_mut().ok_or_else(|| Error::state(&op, "the model is not compiled yet"))?;
        c.optimizer.set_learning_rate(lr)
    }

    /// `"loss"` and the metrics' names, in the order of `evaluate`'s values.
    pub fn metric_names(&self) -> Vec<String> {
        let mut names = vec!["loss".to_string()];
        if let Some(c) = &self.compiled {
            names.extend(c.metrics.iter().map(|m| m.name().to_string()));
        }
        names
    }

    /// `[loss, metrics...]` on `(x, y)` in batches, the loss weighted by `weights` (one per row) if any.
    fn evaluate_view(
        &self,
        x: &ArrayViewD<f32>,
        y: &ArrayViewD<f32>,
        batch: usize,
        weights: Option<&Array1<f32>>,
    ) -> Result<Vec<f64>> {
        let compiled = self.compiled.as_ref().expect("checked");
        let mut totals = Totals::new(&compiled.metrics);
        let reg = self.regularization_loss().map(|r| r.item()).unwrap_or(0.0);
        let n = x.shape()[0];
        for start in (0..n).step_by(batch) {
            crate::interrupt::check(&self.op("evaluate"), || format!("at example {start} of {n}"))?;
            let range = start..(start + batch).min(n);
            let xb = x.slice_axis(Axis(0), range.clone().into()).to_owned();
            let yb = y.slice_axis(Axis(0), range.clone().into()).to_owned();
            let out = self.call(&Tensor::new(xb), false)?;
            let wb = weights.map(|w| w.slice(ndarray::s![range.clone()]).to_owned());
            let loss =
                sample_weight::batch_loss(&compiled.loss, &Tensor::new(yb.clone()), &out, wb)?.item() + reg;
            totals.add_metrics(&compiled.metrics, &yb, &out.value())?;
            totals.add_loss(loss, range.len());
        }
        Ok(totals.values())
    }

    /// The checks before training or evaluating: compiled, matching lengths, shapes the model takes.
    fn check_data(&mut self, op: &str, x: &ArrayViewD<f32>, y: &ArrayViewD<f32>) -> Result<()> {
        let Some(compiled) = &self.compiled else {
            return Err(Error::state(
                op,
                "the model is not compiled: call model.compile(\"adam\", \"mse\", &[\"accuracy\"]) first",
            ));
        };
        let loss = compiled.loss.clone();
        if x.ndim() < 2 || y.ndim() < 1 {
            return Err(Error::shape(
                op,
                "x of shape [n, ...] and y of shape [n, ...]",
                format!("x {:?}, y {:?}", x.shape(), y.shape()),
            ));
        }
        if x.shape()[0] != y.shape()[0] {
            return Err(Error::shape(
                op,
                format!("as many targets as inputs ({} in x)", x.shape()[0]),
                format!("{} in y", y.shape()[0]),
            ));
        }
        if x.shape()[0] == 0 {
            return Err(Error::shape(op, "at least one example", "0"));
        }
        for (name, a) in [("x", x), ("y", y)] {
            if let Some(bad) = crate::data::first_bad_row(a) {
                return Err(Error::not_finite(
                    op,
                    format!("the data must be finite, but {name} {bad}: remove or replace such rows first"),
                ));
            }
        }
        let out = self.ensure_built(x.shape())?;
        let sparse = matches!(loss, Loss::SparseCategoricalCrossentropy { .. });
        let ok = match loss {
            Loss::Custom(_) => true, // the function takes the targets it takes
            _ if sparse => y.ndim() == 1 || (y.ndim() == 2 && y.shape()[1] == 1),
            _ => y.shape()[1..] == out[..],
        };
        if !ok {
            let expected = if sparse {
                format!("integer labels of shape [n] for {}", loss.name())
            } else {
                format!("targets of shape [n, {}] (the output layer has {} units)", dims(&out), dims(&out))
            };
            return Err(Error::shape(op, expected, format!("{:?}", y.shape())));
        }
        Ok(())
    }
}

/// How many of `n` examples are trained on under `validation_split`: `⌊n·(1 − split)⌋`, as Keras
/// computes it (in f64: 10 examples and 0.2 leave 8, where an f32 0.2 would leave 7).
pub(super) fn train_count(n: usize, validation_split: f64) -> usize {
    (n as f64 * (1.0 - validation_split)) as usize
}

/// One step of gradient descent from a batch's `loss` (shared by `Sequential` and `Model` fitting):
/// back-propagates, hands the gradients of `weights` (named `names`, e.g. `"dense/kernel"`) to
/// `optimizer` and returns the loss value. A weight the loss does not depend on gets a zero gradient.
///
/// Stops with a not-finite error naming the step (`at()`) when the loss is NaN or infinite, or when a
/// weight is after the step (the data were checked before training, so the cause is the size of the
/// steps: the message suggests a smaller learning rate, and says how large the weights had grown).
pub(super) fn train_step(
    loss: &Tensor,
    weights: &[Tensor],
    names: &[String],
    optimizer: &mut crate::optimizers::Optimizer,
    at: impl FnOnce() -> String,
) -> Result<f32> {
    let value = loss.item();
    let lr = optimizer.learning_rate();
    if !value.is_finite() {
        let largest =
            weights.iter().map(|w| w.value().iter().fold(0.0f32, |m, v| m.max(v.abs()))).fold(0.0, f32::max);
        let cause = if largest > 1e4 {
            format!(
                "the weights have grown to {largest:.3e}: the learning rate ({lr}) is too large for this model; try a \
                 smaller one (e.g. 10 times smaller)"
            )
        } else {
            format!("the largest weight is {largest:.3e}; check the loss and the targets (the inputs were finite)")
        };
        return Err(Error::not_finite(at(), format!("the loss became {value}: {cause}")));
    }
    loss.backward()?;
    // Moved out, not copied (the next backward sets them afresh anyway).
    let grads: Vec<ArrayD<f32>> =
        weights.iter().map(|w| w.take_grad().unwrap_or_else(|| ArrayD::zeros(w.value().raw_dim()))).collect();
    // apply_gradients refuses non-finite gradients before it changes anything; named here.
    if let Err(e) = optimizer.apply_gradients(&grads, weights) {
        let Some(i) = grads.iter().position(|g| !crate::data::all_finite(g)) else { return Err(e) };
        let name = names.get(i).map(String::as_str).unwrap_or("a weight");
        return Err(Error::not_finite(
            at(),
            format!(
                "the gradient of {name} became NaN or infinite with a finite loss ({value}); the weights were \
                 not changed"
            ),
        ));
    }
    if let Some(i) = weights.iter().position(|w| !crate::data::all_finite(&*w.value())) {
        let name = names.get(i).map(String::as_str).unwrap_or("a weight");
        return Err(Error::not_finite(
            at(),
            format!(
                "{name} became NaN or infinite in this step (loss {value}, finite gradients): the learning rate \
                 ({lr}) is too large; try a smaller one (e.g. 10 times smaller)"
            ),
        ));
    }
    Ok(value)
}
