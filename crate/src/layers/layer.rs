//! The [`Layer`] trait, and how a model builds and calls a layer (checking the shapes it announced).

use super::{LayerBase, Shared};
use crate::layers::input::KerasTensor;
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::Value;

/// A layer of a model. Object safe: models hold `Box<dyn Layer>` (build one with `.into()`).
///
/// Only [`build`](Layer::build) and [`call`](Layer::call) are required. A layer of your own embeds a
/// [`LayerBase`] and returns it from [`base`](Layer::base): then its name, weights and output shape
/// come for free (see [`LayerBase::add_weight`]). The built-in layers with weights do the same
/// (`Dense::build` is two `add_weight` calls); those without (Flatten, Dropout) keep just a name.
pub trait Layer {
    /// The type's name as Keras shows it, e.g. `"Dense"` (default: the Rust type's name).
    fn class_name(&self) -> &'static str {
        let full = std::any::type_name::<Self>();
        full.split('<').next().unwrap_or(full).rsplit("::").next().unwrap_or(full)
    }

    /// The bookkeeping a custom layer embeds (name, weights, built shapes); `None` by default.
    fn base(&self) -> Option<&LayerBase> {
        None
    }

    /// The layer's name, e.g. `"dense_1"` (given by the model when not set).
    fn name(&self) -> &str {
        self.base().map(LayerBase::name).unwrap_or("")
    }

    /// Sets the name.
    fn set_name(&mut self, name: &str) {
        if let Some(b) = self.base() {
            b.set_name(name);
        }
    }

    /// The input shape declared by the user (Keras' `input_shape=`), if any.
    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        None
    }

    /// Creates the weights for inputs of shape `input_shape` (without the batch dimension), drawing
    /// random initial values from `seed`; returns the output shape. Building again for the same shape
    /// keeps the weights; for another shape it is an error.
    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>>;

    /// The output for a batch `x`; `training` switches layers such as dropout on.
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor>;

    /// [`build`](Layer::build) for a layer with several inputs (`Add`, `Concatenate`); by default
    /// the layer takes exactly one.
    fn build_many(&mut self, input_shapes: &[Vec<usize>], seed: u64) -> Result<Vec<usize>> {
        match input_shapes {
            [one] => self.build(one, seed),
            _ => Err(Error::shape(self.class_name(), "one input", format!("{} inputs", input_shapes.len()))),
        }
    }

    /// [`call`](Layer::call) for a layer with several inputs; by default the layer takes exactly one.
    fn call_many(&self, xs: &[Tensor], training: bool) -> Result<Tensor> {
        match xs {
            [one] => self.call(one, training),
            _ => Err(Error::shape(self.class_name(), "one input", format!("{} inputs", xs.len()))),
        }
    }

    /// An error for a setting the layer can never work with (`Dense::new(0)`, a dropout rate of 1.5,
    /// an unknown activation name), checked where the layer is used first: `apply`, `compile`, `build`.
    /// Default: none.
    fn check_config(&self) -> Result<()> {
        Ok(())
    }

    /// The output shape (without batch) once built.
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.base().and_then(LayerBase::output_shape)
    }

    /// The trainable weights with their short names (`"kernel"`, `"bias"`), in Keras' order.
    fn named_weights(&self) -> Vec<(String, Tensor)> {
        self.base().map(|b| b.weights_where(true)).unwrap_or_default()
    }

    /// The trainable weights, in Keras' order.
    fn weights(&self) -> Vec<Tensor> {
        self.named_weights().into_iter().map(|(_, w)| w).collect()
    }

    /// Weights the optimizer does not touch (a batch normalization's moving mean and variance).
    fn non_trainable_weights(&self) -> Vec<(String, Tensor)> {
        self.base().map(|b| b.weights_where(false)).unwrap_or_default()
    }

    /// Whether the optimizer updates the layer's weights (Keras' `layer.trainable`, true unless
    /// frozen with [`set_trainable`](Layer::set_trainable)).
    fn trainable(&self) -> bool {
        self.base().is_none_or(LayerBase::trainable)
    }

    /// Freezes the layer (`false`: its weights stay as they are, a batch normalization uses its moving
    /// statistics) or unfreezes it, as Keras' `layer.trainable = False`; `compile` again afterwards.
    /// A layer of your own needs a [`LayerBase`] for it (or its own `trainable`/`set_trainable`); a
    /// layer without weights has nothing to freeze.
    fn set_trainable(&mut self, trainable: bool) -> Result<()> {
        match self.base() {
            Some(b) => b.set_trainable(trainable),
            None if self.named_weights().is_empty() && self.non_trainable_weights().is_empty() => {}
            None => {
                return Err(Error::state(
                    format!("{} ({}).set_trainable", self.name(), self.class_name()),
                    "the layer keeps no trainable flag: embed a LayerBase and return it from base(), or \
                     implement trainable and set_trainable",
                ))
            }
        }
        Ok(())
    }

    /// The weights the optimizer updates now: [`named_weights`](Layer::named_weights), or none when
    /// the layer is frozen.
    fn trained_weights(&self) -> Vec<(String, Tensor)> {
        if self.trainable() {
            self.named_weights()
        } else {
            vec![]
        }
    }

    /// The penalty that the layer's regularizers add to the loss (a scalar), if any.
    fn regularization_loss(&self) -> Option<Tensor> {
        None
    }

    /// The number of trainable weights (scalars).
    fn param_count(&self) -> usize {
        self.weights().iter().map(Tensor::len).sum()
    }

    /// The layer's configuration, enough to make it again with [`from_config`](crate::layers::from_config) (default: the name).
    fn config(&self) -> Value {
        serde_json::json!({ "name": self.name() })
    }

    /// Calls the layer on a symbolic tensor of the Functional API: `Dense::new(10).apply(&inputs)?`.
    /// The layer is moved into a [`Shared`] handle; to apply one layer twice (shared weights), make
    /// the handle yourself with [`Shared::new`].
    fn apply(self, x: &KerasTensor) -> Result<KerasTensor>
    where
        Self: Sized + 'static,
    {
        Shared::new(self).apply(x)
    }
}

impl std::fmt::Debug for dyn Layer + '_ {
    /// `dense (Dense): 40 params, frozen`: what a cell ending in `model.get_layer("dense")?` shows.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let params = crate::models::summary::all_params(self);
        let state = if self.trainable() { "trainable" } else { "frozen" };
        write!(f, "{} ({}): {params} params, {state}", self.name(), self.class_name())
    }
}

/// A list of layers for [`Sequential::new`](crate::models::Sequential::new), like the Python list in
/// Keras' `Sequential([...])`: each layer, of whatever type, is boxed into a `Box<dyn Layer>`.
///
/// ```
/// use nnlab::prelude::*;
/// let model = Sequential::new(layers![
///     Flatten::new().input_shape(&[784]),
///     Dense::new(100).activation("swish"),
///     Dense::new(10).activation("softmax"),
/// ]);
/// assert_eq!(model.layers().len(), 3);
/// ```
#[macro_export]
macro_rules! layers {
    ($($layer:expr),* $(,)?) => {
        ::std::vec![$(::std::boxed::Box::<dyn $crate::layers::Layer>::from($layer)),*]
    };
}

impl<L: Layer + 'static> From<L> for Box<dyn Layer> {
    fn from(layer: L) -> Box<dyn Layer> {
        Box::new(layer)
    }
}

/// Checks that a layer built for `built` is not built again for another shape.
pub(crate) fn check_rebuild(layer: &str, built: &Option<Vec<usize>>, input_shape: &[usize]) -> Result<()> {
    match built {
        Some(s) if s.as_slice() != input_shape => Err(Error::shape(
            layer,
            format!("input shape {s:?} (it is already built for it)"),
            format!("{input_shape:?}"),
        )),
        _ => Ok(()),
    }
}

/// The error for a layer called before `build`.
pub(crate) fn not_built(layer: &str) -> Error {
    Error::state(layer, "the layer is not built yet: call build(input_shape, seed) or use it in a model")
}

/// Builds `layer` for `input_shapes` and records the shapes in its [`LayerBase`], if it has one.
pub(crate) fn build_layer(
    layer: &mut dyn Layer,
    input_shapes: &[Vec<usize>],
    seed: u64,
) -> Result<Vec<usize>> {
    if let Some(b) = layer.base() {
        b.begin_build(seed);
    }
    let out = layer.build_many(input_shapes, seed)?;
    if let Some(b) = layer.base() {
        b.set_built(&out);
    }
    Ok(out)
}

/// Calls `layer` and checks that the output has the shape its `build` announced (`[batch, ...]`).
pub(crate) fn call_layer(layer: &dyn Layer, xs: &[Tensor], training: bool) -> Result<Tensor> {
    let y = layer.call_many(xs, training)?;
    if let (Some(expected), Some(x)) = (layer.output_shape(), xs.first()) {
        let batch = x.shape().first().copied().unwrap_or(0);
        let got = y.shape();
        if got.first() != Some(&batch) || got[1..] != expected[..] {
            return Err(Error::shape(
                format!("{} ({}).call", layer.name(), layer.class_name()),
                format!(
                    "an output of shape [{batch}, {}] (what build returned)",
                    expected.iter().map(usize::to_string).collect::<Vec<_>>().join(", ")
                ),
                format!("{got:?}"),
            ));
        }
    }
    Ok(y)
}
