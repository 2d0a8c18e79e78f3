//! `Rescaling(scale, offset)`: `y = x · scale + offset`, element-wise, any shape; backward
//! `∂L/∂x = scale · ∂L/∂y`. `Rescaling::new(1.0 / 255.0)` turns pixel values 0..=255 into 0..=1
//! inside the model, so the model can be fed the images as they come.

use super::{Layer, LayerBase};
use crate::tensor::Tensor;
use crate::Result;
use serde_json::{json, Value};

/// Multiplies by `scale` and adds `offset` (Keras' `Rescaling`; no weights).
///
/// ```
/// use nnlab::prelude::*;
/// let mut r = Rescaling::new(1.0 / 255.0);
/// assert_eq!(r.build(&[28, 28, 1], 0)?, vec![28, 28, 1]);
/// let y = r.call(&Tensor::new(ArrayD::from_elem(vec![1, 28, 28, 1], 255.0)), false)?;
/// assert!((y.to_array()[[0, 3, 3, 0]] - 1.0).abs() < 1e-6);
/// let centred = Rescaling::new(1.0 / 127.5).offset(-1.0); // to [-1, 1]
/// assert_eq!(centred.call(&Tensor::scalar(0.0), false)?.item(), -1.0);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct Rescaling {
    scale: f32,
    offset: f32,
    input_shape: Option<Vec<usize>>,
    base: LayerBase,
}

impl Rescaling {
    /// `x · scale` (offset 0).
    pub fn new(scale: f64) -> Rescaling {
        Rescaling { scale: scale as f32, offset: 0.0, input_shape: None, base: LayerBase::default() }
    }

    /// What is added after scaling (default 0).
    pub fn offset(mut self, offset: f64) -> Rescaling {
        self.offset = offset as f32;
        self
    }

    /// The input shape (without batch), for a first layer.
    pub fn input_shape(mut self, shape: &[usize]) -> Rescaling {
        self.input_shape = Some(shape.to_vec());
        self
    }

    /// The layer's name (default: given by the model).
    pub fn name(self, name: &str) -> Rescaling {
        self.base.set_name(name);
        self
    }

    pub(super) fn from_config(c: &Value) -> Option<Rescaling> {
        let mut r = Rescaling::new(c["scale"].as_f64()?).offset(c["offset"].as_f64()?);
        r.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(r)
    }
}

impl Layer for Rescaling {
    fn class_name(&self) -> &'static str {
        "Rescaling"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone()
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        Ok(input_shape.to_vec())
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let y = x.scale(self.scale);
        Ok(if self.offset == 0.0 { y } else { y.add_scalar(self.offset) })
    }
    fn config(&self) -> Value {
        json!({"name": self.name(), "scale": self.scale, "offset": self.offset, "input_shape": self.input_shape})
    }
}
