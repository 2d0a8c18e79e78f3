//! `Reshape(target_shape)`: each example's values, in row-major order, in a new shape:
//! `[batch, d₁, d₂, …] → [batch, t₁, t₂, …]` with `Π dᵢ = Π tᵢ`; one `tᵢ` may be `-1` (worked out).
//! Its backward reshapes the gradient back. `Reshape::new(&[28, 28, 1])` gives MNIST's images the
//! channel axis a `Conv2D` wants.

use super::Layer;
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// Reshapes each example (Keras' `Reshape`; the batch dimension is kept).
///
/// ```
/// use nnlab::prelude::*;
/// let mut r = Reshape::new(&[28, 28, 1]);
/// assert_eq!(r.build(&[784], 0)?, vec![28, 28, 1]);
/// assert_eq!(Reshape::new(&[-1, 4]).build(&[2, 6], 0)?, vec![3, 4]);
/// let err = Reshape::new(&[27, 28, 1]).build(&[784], 0).unwrap_err().to_string();
/// assert!(err.contains("784"), "{err}");
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct Reshape {
    target_shape: Vec<isize>,
    name: String,
    input_shape: Option<Vec<usize>>,
    built: Option<Vec<usize>>,
}

impl Reshape {
    /// A reshape of each example to `target_shape` (one entry may be `-1`).
    pub fn new(target_shape: &[isize]) -> Reshape {
        Reshape { target_shape: target_shape.to_vec(), name: String::new(), input_shape: None, built: None }
    }

    /// The input shape (without batch), for a first layer: `Reshape::new(&[28, 28, 1]).input_shape(&[28, 28])`.
    pub fn input_shape(mut self, shape: &[usize]) -> Reshape {
        self.input_shape = Some(shape.to_vec());
        self
    }

    /// The layer's name (default: given by the model).
    pub fn name(mut self, name: &str) -> Reshape {
        self.name = name.to_string();
        self
    }

    pub(super) fn from_config(c: &Value) -> Option<Reshape> {
        let mut r = Reshape::new(&serde_json::from_value::<Vec<isize>>(c["target_shape"].clone()).ok()?);
        r.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(r)
    }

    fn op(&self) -> String {
        format!("Reshape({:?})", self.target_shape)
    }
}

impl Layer for Reshape {
    fn class_name(&self) -> &'static str {
        "Reshape"
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
    fn check_config(&self) -> Result<()> {
        let unknown = self.target_shape.iter().filter(|&&d| d < 0).count();
        if unknown > 1 || self.target_shape.iter().any(|&d| d == 0 || d < -1) {
            return Err(Error::value(
                self.op(),
                "sizes of at least 1, and at most one -1",
                format!("{:?}", self.target_shape),
            ));
        }
        Ok(())
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        let n: usize = input_shape.iter().product();
        let known: usize = self.target_shape.iter().filter(|&&d| d > 0).map(|&d| d as usize).product();
        let fits = if self.target_shape.contains(&-1) { n % known == 0 } else { n == known };
        if !fits {
            return Err(Error::shape(
                self.op(),
                format!("examples whose size fits {:?}", self.target_shape),
                format!("{input_shape:?} ({n} values each)"),
            ));
        }
        let out: Vec<usize> =
            self.target_shape.iter().map(|&d| if d < 0 { n / known } else { d as usize }).collect();
        self.built = Some(out.clone());
        Ok(out)
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let out = self.built.as_ref().ok_or_else(|| super::not_built(&self.op()))?;
        let batch = x.shape().first().copied().unwrap_or(0) as isize;
        let shape: Vec<isize> = std::iter::once(batch).chain(out.iter().map(|&d| d as isize)).collect();
        x.reshape(&shape).map_err(|_| {
            Error::shape(
                self.op(),
                format!("examples of {} values", out.iter().product::<usize>()),
                format!("{:?}", x.shape()),
            )
        })
    }
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.built.clone()
    }
    fn config(&self) -> Value {
        json!({"name": self.name, "target_shape": self.target_shape, "input_shape": self.input_shape})
    }
}
