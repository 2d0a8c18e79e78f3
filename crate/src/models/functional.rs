//! `Model::new(inputs, outputs)`: Keras' Functional API. Layers are applied to symbolic tensors
//! ([`Input`](crate::layers::Input), [`Layer::apply`]); the model is the graph between the inputs and
//! the outputs. Training reuses `Sequential`'s loop: the whole graph is one layer of an inner
//! `Sequential`, several inputs being packed side by side in one matrix for it.

use super::graph::{Graph, GraphLayer};
use super::multi_output::{IntoLosses, MultiCompiled};
use super::{Fit, History, Sequential};
use crate::data::ArrayLike;
use crate::layers::{KerasTensor, Shared};
use crate::metrics::IntoMetrics;
use crate::optimizers::IntoOptimizer;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{ArrayD, ArrayViewD, Axis, CowArray, IxDyn};
use std::rc::Rc;

/// A model made of a graph of layers, with any number of inputs and outputs (Keras' `Model`).
///
/// ```
/// use nnlab::prelude::*;
/// let inputs = Input::new(&[4]);
/// let x = Dense::new(8).activation("relu").apply(&inputs).unwrap();
/// let outputs = Dense::new(1).activation("sigmoid").apply(&x).unwrap();
/// let mut model = Model::new(&[inputs], &[outputs]).unwrap();
/// model.compile("adam", "binary_crossentropy", &["accuracy"]).unwrap();
/// let x = Array2::<f32>::ones((6, 4));
/// let y = Array2::<f32>::ones((6, 1));
/// let h = model.fit(&x, &y, Fit::default().epochs(2).verbose(0)).unwrap();
/// assert_eq!(h["loss"].len(), 2);
/// assert_eq!(model.predict(&x).unwrap().shape(), &[6, 1]);
/// ```
pub struct Model {
    pub(crate) name: String,
    pub(crate) graph: Rc<Graph>,
    pub(crate) inner: Sequential,
    /// The losses and optimizer of a model with several outputs (`None` for one output: `inner` trains it).
    pub(crate) multi: Option<MultiCompiled>,
}

/// A model's inputs (or targets) for `fit`/`evaluate`/`predict`: one array, a list in the order of the
/// model's inputs (`[&x1, &x2]`), or arrays by input name (`[("codes", &x1), ("numbers", &x2)]`);
/// targets likewise, in the order of the outputs or by output name. Arrays and views of any number
/// type ([`ArrayLike`]) are taken: `f32` in place, others converted.
pub enum Inputs<'a> {
    /// In the order of `Model::new`'s inputs.
    List(Vec<CowArray<'a, f32, IxDyn>>),
    /// By input name.
    Named(Vec<(String, CowArray<'a, f32, IxDyn>)>),
}

impl<'a, T: ArrayLike> From<&'a T> for Inputs<'a> {
    fn from(x: &'a T) -> Inputs<'a> {
        Inputs::List(vec![x.as_f32()])
    }
}

impl<'a, T: ArrayLike, const N: usize> From<[&'a T; N]> for Inputs<'a> {
    fn from(xs: [&'a T; N]) -> Inputs<'a> {
        Inputs::List(xs.iter().map(|x| x.as_f32()).collect())
    }
}

impl<'a> From<&'a [ArrayD<f32>]> for Inputs<'a> {
    fn from(xs: &'a [ArrayD<f32>]) -> Inputs<'a> {
        Inputs::List(xs.iter().map(|x| CowArray::from(x.view())).collect())
    }
}

impl<'a, T: ArrayLike, const N: usize> From<[(&str, &'a T); N]> for Inputs<'a> {
    fn from(xs: [(&str, &'a T); N]) -> Inputs<'a> {
        Inputs::Named(xs.iter().map(|(n, x)| (n.to_string(), x.as_f32())).collect())
    }
}

impl Model {
    /// The model from `inputs` to `outputs` (seed 0 for the initial weights). Builds every layer;
    /// an output that does not come from the inputs, or shapes a layer cannot take, are errors.
    pub fn new(inputs: &[KerasTensor], outputs: &[KerasTensor]) -> Result<Model> {
        Model::with_seed(inputs, outputs, 0)
    }

    /// [`Model::new`] with the initial weights drawn from `seed` (layers already built keep theirs).
    pub fn with_seed(inputs: &[KerasTensor], outputs: &[KerasTensor], seed: u64) -> Result<Model> {
        let graph = Rc::new(Graph::new(inputs, outputs, seed)?);
        let mut inner = Sequential::new(vec![GraphLayer::new(graph.clone()).into()]);
        inner.class = "Model";
        let shape = GraphLayer::new(graph.clone()).packed_shape();
        inner.build(&shape)?;
        Ok(Model { name: "functional".into(), graph, inner, multi: None })
    }

    /// Sets the optimizer, the loss and the metrics, as [`Sequential::compile`]. With several outputs
    /// the loss is one for all outputs (`"mse"`), one per output (`["mse", "binary_crossentropy"]`) or by
    /// output name (`[("price", "mse"), ("class", "categorical_crossentropy")]`), see [`IntoLosses`];
    /// every metric is computed on every output; [`loss_weights`](Model::loss_weights) weighs the losses.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let inputs = Input::new(&[3]);
    /// let h = Dense::new(8).activation("relu").apply(&inputs).unwrap();
    /// let a = Dense::new(1).name("price").apply(&h).unwrap();
    /// let b = Dense::new(2).activation("softmax").name("class").apply(&h).unwrap();
    /// let mut model = Model::new(&[inputs], &[a, b]).unwrap();
    /// model.compile("adam", ["mse", "categorical_crossentropy"], &["mae"]).unwrap();
    /// model.loss_weights(&[1.0, 0.5]).unwrap();
    /// let x = Array2::<f32>::ones((4, 3));
    /// let (ya, yb) = (Array2::<f32>::zeros((4, 1)), array![[1.0f32, 0.0], [0.0, 1.0], [1.0, 0.0], [0.0, 1.0]]);
    /// let h = model.fit(&x, [&ya, &yb], Fit::default().verbose(0)).unwrap();
    /// assert_eq!(h["price_loss"].len(), 1);
    /// assert_eq!(model.metric_names(), ["loss", "price_loss", "class_loss", "price_mae", "class_mae"]);
    /// assert!(model.fit(&x, &ya, Fit::default()).is_err()); // one target for two outputs
    /// ```
    pub fn compile(
        &mut self,
        optimizer: impl IntoOptimizer,
        loss: impl IntoLosses,
        metrics: impl IntoMetrics,
    ) -> Result<()> {
        let losses = self.losses_per_output(loss.into_losses()?)?;
        if self.graph.outputs.len() == 1 {
            self.multi = None;
            return self.inner.compile(optimizer, losses[0].clone(), metrics);
        }
        let optimizer = optimizer.into_optimizer()?;
        optimizer.check()?;
        let metrics = metrics.into_metrics()?;
        let weights = vec![1.0; losses.len()];
        self.multi = Some(MultiCompiled { optimizer, losses, weights, metrics });
        Ok(())
    }

    /// Trains on inputs `x` (see [`Inputs`]) and targets `y` (one array, or one per output as a list
    /// or by output name), as [`Sequential::fit`]. With several inputs and one output,
    /// `Fit::validation_data` takes [`pack_inputs`](Model::pack_inputs)' packed matrix; with several
    /// outputs use `Fit::validation_split`.
    pub fn fit<'a, 'b>(
        &mut self,
        x: impl Into<Inputs<'a>>,
        y: impl Into<Inputs<'b>>,
        opts: Fit,
    ) -> Result<History> {
        if self.graph.outputs.len() > 1 {
            self.compiled_multi("Model.fit")?;
            return self.fit_multi(x.into(), y.into(), opts);
        }
        let x = self.packed(x.into())?;
        let y = self.single_target("Model.fit", y.into())?;
        let lasting = x.is_view(); // (not a packed or converted copy)
        self.inner.fit_views(x.view(), y.view(), opts, lasting)
    }

    /// `[loss, metrics...]` on `(x, y)`, as [`Sequential::evaluate`]. With several outputs:
    /// `[loss, <output>_loss..., <output>_<metric>...]`, named by [`metric_names`](Model::metric_names).
    pub fn evaluate<'a, 'b>(
        &mut self,
        x: impl Into<Inputs<'a>>,
        y: impl Into<Inputs<'b>>,
    ) -> Result<Vec<f64>> {
        if self.graph.outputs.len() > 1 {
            self.compiled_multi("Model.evaluate")?;
            return self.evaluate_multi(x.into(), y.into());
        }
        let x = self.packed(x.into())?;
        let y = self.single_target("Model.evaluate", y.into())?;
        self.inner.evaluate_views(x.view(), y.view(), super::KERAS_BATCH)
    }

    fn compiled_multi(&self, op: &str) -> Result<()> {
        match self.multi {
            Some(_) => Ok(()),
            None => Err(Error::state(
                op,
                "the model is not compiled: call model.compile(\"adam\", \"mse\", &[\"accuracy\"]) first",
            )),
        }
    }

    /// The one target array of a single-output model.
    fn single_target<'b>(&self, op: &str, y: Inputs<'b>) -> Result<CowArray<'b, f32, IxDyn>> {
        let mut ys = in_order(op, "output", &self.output_names(), y)?;
        if ys.len() != 1 {
            return Err(Error::shape(
                op,
                "one target array (the model has one output)",
                format!("{}", ys.len()),
            ));
        }
        Ok(ys.remove(0))
    }

    /// The output for inputs `x` (a model with one output; see [`predict_outputs`](Model::predict_outputs)).
    pub fn predict<'a>(&mut self, x: impl Into<Inputs<'a>>) -> Result<ArrayD<f32>> {
        self.single_output("Model.predict")?;
        let x = self.packed(x.into())?;
        self.inner.predict_views(x.view(), super::KERAS_BATCH)
    }

    /// Every output for inputs `x`, in the order of `Model::new`'s outputs.
    pub fn predict_outputs<'a>(&mut self, x: impl Into<Inputs<'a>>) -> Result<Vec<ArrayD<f32>>> {
        let packed = self.packed(x.into())?;
        let flat = self.inner.predict_views(packed.view(), super::KERAS_BATCH)?;
        if self.graph.outputs.len() == 1 {
            return Ok(vec![flat]);
        }
        let n = flat.shape()[0];
        let mut start = 0;
        let mut outs = vec![];
        for &o in &self.graph.outputs {
            let shape = self.graph.shape(o);
            let k: usize = shape.iter().product();
            let mut full = vec![n];
            full.extend_from_slice(shape);
            let part = flat.slice_axis(Axis(1), (start..start + k).into()).to_owned();
            outs.push(
                part.into_shape_with_order(full)
                    .map_err(|e| Error::shape("Model.predict_outputs", "outputs", e.to_string()))?,
            );
            start += k;
        }
        Ok(outs)
    }

    /// The output for one batch tensor, for a model with one input and one output (a forward pass
    /// recorded for [`GradientTape`](crate::tape::GradientTape)).
    pub fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        self.single_output("Model.call")?;
        let mut out = self.graph.run(std::slice::from_ref(x), training)?;
        Ok(out.remove(0))
    }

    /// The outputs for one batch tensor per input.
    pub fn call_many(&self, xs: &[Tensor], training: bool) -> Result<Vec<Tensor>> {
        self.graph.run(xs, training)
    }

    /// The inputs as the one matrix training uses: several inputs flattened and side by side, in
    /// the model's order; checks every input's shape and the number of examples.
    pub fn pack_inputs<'a>(&self, x: impl Into<Inputs<'a>>) -> Result<ArrayD<f32>> {
        Ok(self.packed(x.into())?.into_owned())
    }

    /// [`pack_inputs`](Model::pack_inputs) without a copy of a single input (`fit` reads it in place).
    fn packed<'a>(&self, x: Inputs<'a>) -> Result<CowArray<'a, f32, IxDyn>> {
        let op = "Model";
        let mut list = self.input_views(x)?;
        if list.len() == 1 {
            return Ok(list.remove(0));
        }
        let n = list[0].shape()[0];
        let flat: Vec<ArrayD<f32>> = list
            .iter()
            .map(|x| x.to_shape((n, x.len() / n.max(1))).map(|v| v.into_owned().into_dyn()))
            .collect::<std::result::Result<_, _>>()
            .map_err(|e| Error::shape(op, "inputs", e.to_string()))?;
        let views: Vec<ArrayViewD<f32>> = flat.iter().map(|a| a.view()).collect();
        let packed =
            ndarray::concatenate(Axis(1), &views).map_err(|e| Error::shape(op, "inputs", e.to_string()))?;
        Ok(CowArray::from(packed))
    }

    /// The input arrays in the model's order, each checked against its input's shape, all with the
    /// same number of examples.
    pub(crate) fn input_views<'a>(&self, x: Inputs<'a>) -> Result<Vec<CowArray<'a, f32, IxDyn>>> {
        let op = "Model";
        let specs = &self.graph.inputs;
        let list = in_order(op, "input", &self.input_names(), x)?;
        if list.len() != specs.len() {
            return Err(Error::shape(op, format!("{} input arrays", specs.len()), format!("{}", list.len())));
        }
        let n = list[0].shape().first().copied().unwrap_or(0);
        for (x, s) in list.iter().zip(specs) {
            if x.ndim() == 0 || x.shape()[1..] != s.shape[..] {
                return Err(Error::shape(
                    format!("{op} input {:?}", s.name),
                    format!("an array of shape [n, {}]", super::dims(&s.shape)),
                    format!("{:?}", x.shape()),
                ));
            }
            if x.shape()[0] != n {
                return Err(Error::shape(
                    op,
                    format!("{n} examples in every input"),
                    format!("{} in {:?}", x.shape()[0], s.name),
                ));
            }
        }
        Ok(list)
    }

    fn single_output(&self, op: &str) -> Result<()> {
        if self.graph.outputs.len() != 1 {
            return Err(Error::state(
                op,
                format!(
                    "the model has {} outputs; fit/evaluate/predict/call take one (use predict_outputs or call_many)",
                    self.graph.outputs.len()
                ),
            ));
        }
        Ok(())
    }

    /// The layers, each once, in graph order.
    pub fn layers(&self) -> Vec<Shared> {
        self.graph.layers.clone()
    }

    /// The input names, in order.
    pub fn input_names(&self) -> Vec<String> {
        self.graph.inputs.iter().map(|s| s.name.clone()).collect()
    }

    /// The input dtypes (`"float32"`, `"int32"`, ...), in order.
    pub fn input_dtypes(&self) -> Vec<String> {
        self.graph.inputs.iter().map(|s| s.dtype.clone()).collect()
    }

    /// The output shapes (without batch).
    pub fn output_shapes(&self) -> Vec<Vec<usize>> {
        self.graph.outputs.iter().map(|&o| self.graph.shape(o).to_vec()).collect()
    }

    /// Every trainable weight, each once (a shared layer's too), in Keras' order.
    pub fn trainable_weights(&self) -> Vec<Tensor> {
        self.inner.trainable_weights()
    }

    /// The optimizer's learning rate, as [`Sequential::learning_rate`].
    pub fn learning_rate(&self) -> Result<f32> {
        match &self.multi {
            Some(c) => Ok(c.optimizer.learning_rate()),
            None => self.inner.learning_rate(),
        }
    }

    /// Sets the optimizer's learning rate, as [`Sequential::set_learning_rate`].
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        match &mut self.multi {
            Some(c) => c.optimizer.set_learning_rate(lr),
            None => self.inner.set_learning_rate(lr),
        }
    }

    /// Copies of every weight, layer by layer in graph order, each layer's trainable ones then its
    /// others, frozen or not (Keras' `get_weights()`).
    pub fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.all_weights_in_order().iter().map(Tensor::to_array).collect()
    }

    /// Replaces the weights (same number and shapes as `get_weights`).
    pub fn set_weights(&mut self, weights: Vec<ArrayD<f32>>) -> Result<()> {
        super::sequential::assign_weights("Model.set_weights", &self.all_weights_in_order(), weights)
    }

    fn all_weights_in_order(&self) -> Vec<Tensor> {
        self.graph.layers.iter().flat_map(|l| super::sequential::all_weights(&**l.0.borrow())).collect()
    }

    /// The layer called `name` (Keras' `model.get_layer(name)`): a handle to freeze it with, as in
    /// `model.get_layer("encoder")?.set_trainable(false)?`, then `compile` again.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let inputs = Input::new(&[3]);
    /// let h = Dense::new(4).name("encoder").apply(&inputs)?;
    /// let out = Dense::new(1).apply(&h)?;
    /// let mut m = Model::new(&[inputs], &[out])?;
    /// m.get_layer("encoder")?.set_trainable(false)?;
    /// assert_eq!(m.trainable_weights().len(), 2);
    /// assert!(m.summary_string().contains("Non-trainable params: 16 (64.00 B)"));
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn get_layer(&self, name: &str) -> Result<Shared> {
        match self.graph.layers.iter().find(|l| l.name() == name) {
            Some(l) => Ok(l.clone()),
            None => {
                let names: Vec<String> = self.graph.layers.iter().map(Shared::name).collect();
                let refs: Vec<&str> = names.iter().map(String::as_str).collect();
                Err(Error::unknown_name("Model.get_layer", "layer", name, &refs))
            }
        }
    }

    /// Freezes (`false`) or unfreezes every layer, as Keras' `model.trainable = False`.
    pub fn set_trainable(&mut self, trainable: bool) -> Result<()> {
        self.graph.layers.iter().try_for_each(|l| l.set_trainable(trainable))
    }

    /// `"loss"` and the metric names, in `evaluate`'s order (with several outputs:
    /// `"loss"`, `"<output>_loss"` for each output, then `"<output>_<metric>"`).
    pub fn metric_names(&self) -> Vec<String> {
        match &self.multi {
            Some(c) => self.multi_metric_names(c),
            None => self.inner.metric_names(),
        }
    }

    /// The number of weights that are not trained: moving statistics, and frozen layers' weights.
    pub(crate) fn non_trainable_count(&self) -> usize {
        let all: usize = self.all_weights_in_order().iter().map(Tensor::len).sum();
        all - self.trainable_weights().iter().map(Tensor::len).sum::<usize>()
    }
}

/// The arrays of a list, or of a by-name list put in the order of `names` (`kind`: "input"/"output").
pub(crate) fn in_order<'a>(
    op: &str,
    kind: &str,
    names: &[String],
    x: Inputs<'a>,
) -> Result<Vec<CowArray<'a, f32, IxDyn>>> {
    match x {
        Inputs::List(l) => Ok(l),
        Inputs::Named(mut named) => {
            let refs: Vec<&str> = names.iter().map(String::as_str).collect();
            if let Some((bad, _)) = named.iter().find(|(n, _)| !refs.contains(&n.as_str())) {
                return Err(Error::unknown_name(op, kind, bad, &refs));
            }
            names
                .iter()
                .map(|s| match named.iter().position(|(n, _)| n == s) {
                    Some(i) => Ok(named.swap_remove(i).1),
                    None => Err(Error::value(op, format!("an array for {kind} {s:?}"), "none")),
                })
                .collect()
        }
    }
}
