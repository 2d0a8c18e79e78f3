//! `Sequential`: layers applied one after the other, `y = f_n(… f_2(f_1(x)))`.

use crate::data::ArrayLike;
use crate::layers::naming::{snake, unique};
use crate::layers::Layer;
use crate::losses::{IntoLoss, Loss};
use crate::metrics::{IntoMetrics, Metric};
use crate::optimizers::{IntoOptimizer, Optimizer};
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{ArrayD, ArrayViewD, Axis};

/// What `compile` fixed: how to train.
pub(crate) struct Compiled {
    pub(crate) optimizer: Optimizer,
    pub(crate) loss: Loss,
    pub(crate) metrics: Vec<Metric>,
}

/// A linear stack of layers (Keras' `Sequential`).
///
/// Weights are created when the input shape is known (from the first layer's `input_shape`, or
/// from the data at the first `fit`), with initial values drawn from the model's [`seed`](Sequential::seed).
pub struct Sequential {
    pub(crate) name: String,
    pub(crate) layers: Vec<Box<dyn Layer>>,
    pub(crate) seed: u64,
    pub(crate) input_shape: Option<Vec<usize>>,
    pub(crate) compiled: Option<Compiled>,
    /// What messages call the model: `"Sequential"`, or `"Model"` inside a functional [`Model`](crate::models::Model).
    pub(crate) class: &'static str,
    /// Set by a callback's [`stop_training`](Sequential::stop_training) (Keras' `model.stop_training = True`).
    pub(crate) stop_requested: bool,
    /// While the callbacks of a functional Model with several outputs run: its optimizer's learning
    /// rate (that Model trains with an optimizer of its own, which reads this back after them).
    pub(crate) outer_learning_rate: Option<f32>,
}

impl Sequential {
    /// A model of `layers` (each made a `Box<dyn Layer>` with `.into()`); seed 0.
    pub fn new(layers: Vec<Box<dyn Layer>>) -> Sequential {
        let mut model = Sequential {
            name: "sequential".into(),
            layers: vec![],
            seed: 0,
            input_shape: None,
            compiled: None,
            class: "Sequential",
            stop_requested: false,
            outer_learning_rate: None,
        };
        for layer in layers {
            model.push(layer);
        }
        model
    }

    /// The seed of every random draw of the model: initial weights and dropout masks (default 0).
    /// Set it before the model is built.
    pub fn seed(mut self, seed: u64) -> Sequential {
        self.seed = seed;
        self
    }

    /// The name of one of its methods in messages: `Sequential.fit`, or `Model.fit`.
    pub(crate) fn op(&self, method: &str) -> String {
        format!("{}.{method}", self.class)
    }

    fn push(&mut self, mut layer: Box<dyn Layer>) {
        if layer.name().is_empty() {
            let mut taken: Vec<String> = self.layers.iter().map(|l| l.name().to_string()).collect();
            layer.set_name(&unique(&snake(layer.class_name()), &mut taken));
        }
        self.layers.push(layer);
    }

    /// Appends a layer: `model.add(Dense::new(10).activation("softmax"))`.
    pub fn add(&mut self, layer: impl Into<Box<dyn Layer>>) {
        self.push(layer.into());
        self.input_shape = None; // to be built again (the earlier layers keep their weights)
    }

    /// The layers.
    pub fn layers(&self) -> &[Box<dyn Layer>] {
        &self.layers
    }

    /// The number of weights (scalars), trainable or not (Keras' `count_params`; the summary's total).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut m = Sequential::new(layers![Dense::new(10).input_shape(&[784]), BatchNormalization::new()]);
    /// m.compile("sgd", "mse", &[])?;
    /// assert_eq!(m.count_params(), 784 * 10 + 10 + 4 * 10); // BatchNormalization: 2 trainable, 2 moving
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn count_params(&self) -> usize {
        self.layers.iter().map(|l| super::summary::all_params(l.as_ref())).sum()
    }

    /// Builds every layer for inputs of shape `input_shape` (one example, without batch) and returns
    /// the output shape.
    pub fn build(&mut self, input_shape: &[usize]) -> Result<Vec<usize>> {
        if let Some(built) = &self.input_shape {
            if built.as_slice() != input_shape {
                return Err(Error::shape(
                    self.class,
                    format!("inputs of shape [batch, {}] (the model's input shape)", dims(built)),
                    format!("[batch, {}]", dims(input_shape)),
                ));
            }
        }
        let mut shape = input_shape.to_vec();
        for (i, layer) in self.layers.iter_mut().enumerate() {
            let seed = self.seed.wrapping_mul(1_000_003).wrapping_add(2 * i as u64);
            shape = crate::layers::build_layer(layer.as_mut(), &[shape], seed)?;
        }
        self.input_shape = Some(input_shape.to_vec());
        Ok(shape)
    }

    /// The shape the first layer declares (`Flatten::new().input_shape(&[28, 28])`), if any.
    pub(crate) fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.layers.first().and_then(|l| l.declared_input_shape())
    }

    /// Builds for the shape of `x` (without its batch dimension) unless built for it already, and
    /// returns the output shape.
    pub(crate) fn ensure_built(&mut self, x_shape: &[usize]) -> Result<Vec<usize>> {
        let expected = self.input_shape.clone().or_else(|| self.declared_input_shape());
        match expected {
            Some(e) if e.as_slice() != &x_shape[1..] => {
                // Images without their channel axis ([n, 28, 28] for a model of [28, 28, 1]).
                let hint = if e.last() == Some(&1) && e[..e.len() - 1] == x_shape[1..] {
                    " (add the channel axis: np::expand_dims(&x, -1))"
                } else {
                    ""
                };
                Err(Error::shape(
                    self.class,
                    format!("inputs of shape [batch, {}] (the model's input shape)", dims(&e)),
                    format!("{x_shape:?}{hint}"),
                ))
            }
            _ => self.build(&x_shape[1..]),
        }
    }

    /// Sets the optimizer, the loss and the metrics: `model.compile("adam", "mse", &["accuracy"])`.
    /// Builds the model if its input shape is declared.
    pub fn compile(
        &mut self,
        optimizer: impl IntoOptimizer,
        loss: impl IntoLoss,
        metrics: impl IntoMetrics,
    ) -> Result<()> {
        for layer in &self.layers {
            layer.check_config()?;
        }
        let optimizer = optimizer.into_optimizer()?;
        optimizer.check()?;
        let loss = loss.into_loss()?;
        let metrics = metrics.into_metrics()?;
        if let Some(shape) = self.declared_input_shape() {
            self.build(&shape)?;
        }
        self.compiled = Some(Compiled { optimizer, loss, metrics });
        Ok(())
    }

    /// The output for a batch `x` as a tensor (for gradient computations of your own).
    pub fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        if self.input_shape.is_none() {
            return Err(Error::state(
                self.class,
                "the model is not built: call build(input_shape), compile or fit first",
            ));
        }
        let mut h = x.clone();
        for layer in &self.layers {
            h = crate::layers::call_layer(layer.as_ref(), &[h], training)?;
        }
        Ok(h)
    }

    /// The sum of the layers' regularization penalties, if any.
    pub(crate) fn regularization_loss(&self) -> Option<Tensor> {
        self.layers.iter().filter_map(|l| l.regularization_loss()).reduce(|a, b| a.add(&b).expect("scalars"))
    }

    /// The weights the optimizer updates, layer by layer (Keras' `model.trainable_weights`): not those
    /// of a frozen layer ([`Layer::set_trainable`]), nor the moving statistics.
    pub fn trainable_weights(&self) -> Vec<Tensor> {
        self.layers.iter().flat_map(|l| l.trained_weights()).map(|(_, w)| w).collect()
    }

    /// The names of [`trainable_weights`](Sequential::trainable_weights), `"dense/kernel"`-style.
    pub(crate) fn weight_names(&self) -> Vec<String> {
        self.layers
            .iter()
            .flat_map(|l| l.trained_weights().into_iter().map(|(n, _)| format!("{}/{n}", l.name())))
            .collect()
    }

    /// The layer called `name` (Keras' `model.get_layer(name)`), to freeze it or read it:
    /// `model.get_layer("dense")?.set_trainable(false)?`. An unknown name is an error listing the layers.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut m = Sequential::new(layers![Dense::new(4).input_shape(&[3]), Dense::new(1)]);
    /// m.compile("adam", "mse", &[])?;
    /// m.get_layer("dense")?.set_trainable(false)?;
    /// assert_eq!(m.trainable_weights().len(), 2); // dense_1's kernel and bias
    /// assert_eq!(m.get_weights().len(), 4); // get_weights has them all
    /// assert!(m.get_layer("dens").unwrap_err().to_string().contains("did you mean \"dense\""));
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn get_layer(&mut self, name: &str) -> Result<&mut dyn Layer> {
        match self.layers.iter().position(|l| l.name() == name) {
            Some(i) => Ok(self.layers[i].as_mut()),
            None => {
                let names: Vec<&str> = self.layers.iter().map(|l| l.name()).collect();
                Err(Error::unknown_name(self.op("get_layer"), "layer", name, &names))
            }
        }
    }

    /// Freezes (`false`) or unfreezes every layer, as Keras' `model.trainable = False`.
    pub fn set_trainable(&mut self, trainable: bool) -> Result<()> {
        self.layers.iter_mut().try_for_each(|l| l.set_trainable(trainable))
    }

    /// The check before training: there are weights to train, and they are those the optimizer was
    /// first used for (a layer frozen or unfrozen since `compile` needs a new optimizer, as in Keras).
    pub(crate) fn check_trainable(&self, op: &str, weights: &[Tensor], optimizer: &Optimizer) -> Result<()> {
        if weights.is_empty() {
            let why = if self.layers.iter().any(|l| !l.trainable()) {
                "every layer with weights is frozen (set_trainable(false)), so there is nothing to train: \
                 unfreeze one with model.get_layer(name)?.set_trainable(true)?"
            } else {
                "the model has no trainable weights, so there is nothing to train: a layer of your own must \
                 create its weights in build with base.add_weight(shape, initializer, true)"
            };
            return Err(Error::state(op, why));
        }
        if !optimizer.admits(weights) {
            return Err(Error::state(
                op,
                "the trainable weights changed since the optimizer's first step (a layer was frozen or unfrozen): \
                 call compile again, as in Keras, so that a new optimizer trains the weights that are trainable now",
            ));
        }
        Ok(())
    }

    /// Ends `fit` after the current epoch: what a [`Callback`](crate::models::Callback) calls (Keras'
    /// `self.model.stop_training = True`). Outside a callback it has no effect.
    pub fn stop_training(&mut self) {
        self.stop_requested = true;
    }

    /// Copies of every weight, layer by layer, each layer's trainable ones then its others (a batch
    /// normalization's moving statistics), frozen or not: Keras' `get_weights()`.
    pub fn get_weights(&self) -> Vec<ArrayD<f32>> {
        self.layers.iter().flat_map(|l| all_weights(l.as_ref())).map(|w| w.to_array()).collect()
    }

    /// Replaces the weights (same number, same shapes as [`get_weights`](Sequential::get_weights)).
    pub fn set_weights(&mut self, weights: Vec<ArrayD<f32>>) -> Result<()> {
        let ours: Vec<Tensor> = self.layers.iter().flat_map(|l| all_weights(l.as_ref())).collect();
        assign_weights(&self.op("set_weights"), &ours, weights)
    }

    /// The model's outputs for inputs `x` (`[n, ...]`), computed in batches of 32 (Keras' default)
    /// without dropout. [`predict_with`](Sequential::predict_with) takes the batch size.
    pub fn predict(&mut self, x: &impl ArrayLike) -> Result<ArrayD<f32>> {
        self.predict_with(x, super::KERAS_BATCH)
    }

    /// [`predict`](Sequential::predict) in batches of `batch_size` (Keras' `predict(x, batch_size=...)`).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut model = Sequential::new(vec![Dense::new(2).input_shape(&[3]).into()]);
    /// let x = Array2::<f32>::ones((10, 3));
    /// assert_eq!(model.predict_with(&x, 4).unwrap().shape(), &[10, 2]);
    /// assert!(model.predict_with(&x, 0).is_err());
    /// ```
    pub fn predict_with(&mut self, x: &impl ArrayLike, batch_size: usize) -> Result<ArrayD<f32>> {
        self.predict_views(x.as_f32().view(), batch_size)
    }

    /// [`predict_with`](Sequential::predict_with) on a view (for `Model::predict`).
    pub(crate) fn predict_views(&mut self, x: ArrayViewD<f32>, batch_size: usize) -> Result<ArrayD<f32>> {
        if batch_size == 0 {
            return Err(Error::value(self.op("predict"), "a batch_size of at least 1", "0"));
        }
        if x.ndim() == 0 {
            return Err(Error::shape(self.op("predict"), "inputs of shape [n, ...]", "a scalar"));
        }
        self.ensure_built(x.shape())?;
        self.predict_view(&x, batch_size)
    }

    pub(crate) fn predict_view(&self, x: &ArrayViewD<f32>, batch: usize) -> Result<ArrayD<f32>> {
        let n = x.shape()[0];
        let mut parts = vec![];
        for start in (0..n).step_by(batch.max(1)) {
            crate::interrupt::check(&self.op("predict"), || format!("at example {start} of {n}"))?;
            let xb = x.slice_axis(Axis(0), (start..(start + batch).min(n)).into()).to_owned();
            parts.push(self.call(&Tensor::new(xb), false)?.to_array());
        }
        if parts.is_empty() {
            return Err(Error::shape(self.op("predict"), "at least one example", "0"));
        }
        let views: Vec<_> = parts.iter().map(|p| p.view()).collect();
        ndarray::concatenate(Axis(0), &views)
            .map_err(|e| Error::shape(self.op("predict"), "outputs of one shape", e.to_string()))
    }
}

/// The dimensions of a shape as text: `"28, 28"` for `[28, 28]` (for messages and summaries).
pub(crate) fn dims(shape: &[usize]) -> String {
    shape.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
}

/// A layer's weights in Keras' order: those made trainable, then the others.
pub(crate) fn all_weights(l: &dyn Layer) -> Vec<Tensor> {
    l.named_weights().into_iter().chain(l.non_trainable_weights()).map(|(_, w)| w).collect()
}

/// Assigns `arrays` to `ours`, all or none: the same number, each of its weight's shape.
pub(crate) fn assign_weights(op: &str, ours: &[Tensor], arrays: Vec<ArrayD<f32>>) -> Result<()> {
    if ours.len() != arrays.len() {
        return Err(Error::shape(op, format!("{} arrays", ours.len()), format!("{}", arrays.len())));
    }
    for (i, (w, a)) in ours.iter().zip(&arrays).enumerate() {
        if w.value().shape() != a.shape() {
            return Err(Error::shape(op, format!("{:?} (array {i})", w.shape()), format!("{:?}", a.shape())));
        }
    }
    for (w, a) in ours.iter().zip(arrays) {
        w.assign(a)?;
    }
    Ok(())
}
