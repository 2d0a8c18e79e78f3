//! Layers: a [`Layer`] creates its weights in [`build`](Layer::build) once the input shape is known
//! and computes its output in [`call`](Layer::call) with tensor operations, so gradients flow through
//! it by themselves (Keras' `build`/`call` split).
//!
//! Shapes here leave out the batch dimension: `Dense(10)` built for input `[784]` has output `[10]`,
//! and is called on `[batch, 784]` tensors.
//!
//! ```
//! use nnlab::layers::{Dense, Layer};
//! use nnlab::tensor::Tensor;
//! let mut d = Dense::new(3).activation("relu");
//! assert_eq!(d.build(&[4], 0).unwrap(), vec![3]);
//! assert_eq!(d.param_count(), 4 * 3 + 3);
//! let y = d.call(&Tensor::new(nnlab::ndarray::ArrayD::ones(vec![2, 4])), false).unwrap();
//! assert_eq!(y.shape(), vec![2, 3]);
//! ```

mod activation;
mod dense;
mod dropout;
mod flatten;

pub use activation::Activation;
pub use dense::Dense;
pub use dropout::Dropout;
pub use flatten::Flatten;

use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::Value;

/// A layer of a model. Object safe: models hold `Box<dyn Layer>` (build one with `.into()`).
pub trait Layer {
    /// The type's name as Keras shows it, e.g. `"Dense"`.
    fn class_name(&self) -> &'static str;

    /// The layer's name, e.g. `"dense_1"` (given by the model when not set).
    fn name(&self) -> &str;

    /// Sets the name.
    fn set_name(&mut self, name: &str);

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

    /// The output shape (without batch) once built.
    fn output_shape(&self) -> Option<Vec<usize>>;

    /// The weights with their short names (`"kernel"`, `"bias"`), in Keras' order; empty if none.
    fn named_weights(&self) -> Vec<(String, Tensor)> {
        vec![]
    }

    /// The weights, in Keras' order.
    fn weights(&self) -> Vec<Tensor> {
        self.named_weights().into_iter().map(|(_, w)| w).collect()
    }

    /// The penalty that the layer's regularizers add to the loss (a scalar), if any.
    fn regularization_loss(&self) -> Option<Tensor> {
        None
    }

    /// The number of weights (scalars).
    fn param_count(&self) -> usize {
        self.weights().iter().map(Tensor::len).sum()
    }

    /// The layer's configuration, enough to make it again with [`from_config`].
    fn config(&self) -> Value;
}

impl<L: Layer + 'static> From<L> for Box<dyn Layer> {
    fn from(layer: L) -> Box<dyn Layer> {
        Box::new(layer)
    }
}

/// Makes a layer again from its [`Layer::class_name`] and [`Layer::config`] (used by `load_model`).
pub fn from_config(class_name: &str, config: &Value) -> Result<Box<dyn Layer>> {
    let op = "layers::from_config";
    let bad =
        |what: &str| Error::format(op, format!("{class_name}: missing or invalid {what:?} in {config}"));
    let name = config["name"].as_str().ok_or_else(|| bad("name"))?;
    let mut layer: Box<dyn Layer> = match class_name {
        "Dense" => Dense::from_config(config).ok_or_else(|| bad("units/activation/use_bias"))?.into(),
        "Flatten" => {
            let mut f = Flatten::new();
            if let Some(shape) =
                config.get("input_shape").and_then(|v| serde_json::from_value::<Vec<usize>>(v.clone()).ok())
            {
                f = f.input_shape(&shape);
            }
            f.into()
        }
        "Dropout" => {
            let rate = config["rate"].as_f64().ok_or_else(|| bad("rate"))?;
            Dropout::new(rate as f32).into()
        }
        "Activation" => {
            Activation::new(config["activation"].as_str().ok_or_else(|| bad("activation"))?).into()
        }
        _ => {
            return Err(Error::unknown_name(
                op,
                "layer class",
                class_name,
                &["Dense", "Flatten", "Dropout", "Activation"],
            ))
        }
    };
    layer.set_name(name);
    Ok(layer)
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
