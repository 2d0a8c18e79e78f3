//! `Rescaling(scale, offset)`: `y = x · scale + offset`, element-wise, any shape; backward
//! `∂L/∂x = scale · ∂L/∂y`. `Rescaling::new(1.0 / 255.0)` turns pixel values 0..=255 into 0..=1
//! inside the model, so the model can be fed the images as they come.

use super::Layer;
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
    name: String,
    input_shape: Option<Vec<usize>>,
    built: Option<Vec<usize>>,
}

impl Rescaling {
    /// `x · scale` (offset 0).
    pub fn new(scale: f64) -> Rescaling {
        Rescaling { scale: scale as f32, offset: 0.0, name: String::new(), input_shape: None, built: None }
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
    pub fn name(mut self, name: &str) -> Rescaling {
        self.name = name.to_string();
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
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone()
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.built = Some(input_shape.to_vec());
        Ok(input_shape.to_vec())
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let y = x.scale(self.scale);
        Ok(if self.offset == 0.0 { y } else { y.add_scalar(self.offset) })
    }
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.built.clone()
    }
    fn config(&self) -> Value {
        json!({"name": self.name, "scale": self.scale, "offset": self.offset, "input_shape": self.input_shape})
    }
}
