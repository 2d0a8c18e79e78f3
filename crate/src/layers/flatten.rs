//! `Flatten`: `[batch, d₁, d₂, …] → [batch, d₁·d₂·…]` (a reshape; its backward reshapes back).

use super::Layer;
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// Flattens each example into a vector; usually the first layer, given the input shape.
///
/// ```
/// use nnlab::layers::{Flatten, Layer};
/// let mut f = Flatten::new().input_shape(&[28, 28]);
/// assert_eq!(f.build(&[28, 28], 0).unwrap(), vec![784]);
/// ```
#[derive(Default)]
pub struct Flatten {
    name: String,
    input_shape: Option<Vec<usize>>,
    built: Option<Vec<usize>>,
}

impl Flatten {
    /// A flatten layer.
    pub fn new() -> Flatten {
        Flatten::default()
    }

    /// The shape of one example (Keras' `input_shape=(28, 28)`).
    pub fn input_shape(mut self, shape: &[usize]) -> Flatten {
        self.input_shape = Some(shape.to_vec());
        self
    }

    /// The layer's name (default: given by the model).
    pub fn name(mut self, name: &str) -> Flatten {
        self.name = name.to_string();
        self
    }
}

impl Layer for Flatten {
    fn class_name(&self) -> &'static str {
        "Flatten"
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
        Ok(vec![input_shape.iter().product()])
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let shape = x.shape();
        if shape.is_empty() {
            return Err(Error::shape("Flatten", "a batch [batch, ...]", "a scalar"));
        }
        if shape.len() == 2 {
            return Ok(x.clone()); // already [batch, features]: nothing to do (and no copy)
        }
        x.reshape(&[shape[0] as isize, -1])
    }
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.built.as_ref().map(|s| vec![s.iter().product()])
    }
    fn config(&self) -> Value {
        json!({"name": self.name, "input_shape": self.input_shape})
    }
}
