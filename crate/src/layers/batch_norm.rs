//! `BatchNormalization()`: normalises each feature (the last axis) over the batch, then scales and
//! shifts it with learned `gamma` and `beta`:
//!
//! ```text
//! training:  μ = mean(x), σ² = mean((x − μ)²) over the batch  →  y = γ (x − μ) / √(σ² + ε) + β
//!            moving_mean ← m · moving_mean + (1 − m) μ,  moving_variance ← m · moving_variance + (1 − m) σ²
//! inference: y = γ (x − moving_mean) / √(moving_variance + ε) + β
//! ```
//!
//! Keras' defaults: momentum `m = 0.99`, `ε = 1e-3`; `γ` starts at 1, `β` at 0, the moving mean at 0
//! and the moving variance at 1. The training formula is built from tensor primitives, so its
//! gradient (through μ and σ² too) comes from them. A frozen layer (`set_trainable(false)`) always
//! computes the inference formula, as in Keras, so fine-tuning does not disturb its statistics.

use super::{Layer, LayerBase};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// Batch normalization over the last axis (Keras' `BatchNormalization()`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::BatchNormalization;
/// let mut bn = BatchNormalization::new();
/// bn.build(&[2], 0).unwrap();
/// let x = Tensor::new(array![[1.0f32, 10.0], [3.0, 30.0]].into_dyn());
/// let y = bn.call(&x, true).unwrap().to_array();
/// assert!((y[[0, 0]] + 0.9995).abs() < 1e-3 && (y[[1, 1]] - 1.0).abs() < 1e-3); // (x − μ)/σ
/// let moving_mean = bn.non_trainable_weights()[0].1.to_array();
/// assert!((moving_mean[[1]] - 0.2).abs() < 1e-6); // 0.99·0 + 0.01·20
/// assert_eq!(bn.call(&x, false).unwrap().shape(), vec![2, 2]); // inference uses the moving statistics
/// ```
pub struct BatchNormalization {
    momentum: f32,
    epsilon: f32,
    base: LayerBase,
}

impl Default for BatchNormalization {
    fn default() -> BatchNormalization {
        BatchNormalization { momentum: 0.99, epsilon: 1e-3, base: LayerBase::default() }
    }
}

impl BatchNormalization {
    /// Keras' defaults: momentum 0.99, epsilon 1e-3.
    pub fn new() -> BatchNormalization {
        BatchNormalization::default()
    }

    /// The moving averages' momentum `m` (0.99).
    pub fn momentum(mut self, m: f32) -> BatchNormalization {
        self.momentum = m;
        self
    }

    /// `ε` added to the variance (1e-3).
    pub fn epsilon(mut self, e: f32) -> BatchNormalization {
        self.epsilon = e;
        self
    }

    fn weight(&self, trainable: bool, i: usize) -> Result<Tensor> {
        self.base
            .weights_where(trainable)
            .get(i)
            .map(|w| w.1.clone())
            .ok_or_else(|| super::not_built("BatchNormalization"))
    }
}

impl Layer for BatchNormalization {
    fn class_name(&self) -> &'static str {
        "BatchNormalization"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        let f = *input_shape
            .last()
            .ok_or_else(|| Error::shape("BatchNormalization", "inputs [batch, ..., features]", "[batch]"))?;
        self.base.add_weight_named("gamma", &[f], "ones", true)?;
        self.base.add_weight_named("beta", &[f], "zeros", true)?;
        self.base.add_weight_named("moving_mean", &[f], "zeros", false)?;
        self.base.add_weight_named("moving_variance", &[f], "ones", false)?;
        Ok(input_shape.to_vec())
    }
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        let (gamma, beta) = (self.weight(true, 0)?, self.weight(true, 1)?);
        let (moving_mean, moving_var) = (self.weight(false, 0)?, self.weight(false, 1)?);
        let f = gamma.len();
        if x.shape().last() != Some(&f) || x.ndim() < 2 {
            return Err(Error::shape(
                "BatchNormalization",
                format!("inputs [batch, ..., {f}]"),
                format!("{:?}", x.shape()),
            ));
        }
        let training = training && self.trainable(); // frozen: inference mode, as in Keras
        let (mean, var) = if training {
            let axes: Vec<isize> = (0..x.ndim() as isize - 1).collect();
            let mean = x.mean_axes(&axes, false)?;
            let var = x.sub(&mean)?.square().mean_axes(&axes, false)?;
            let m = self.momentum;
            moving_mean.update(|mm| mm.zip_mut_with(&mean.value(), |a, &b| *a = m * *a + (1.0 - m) * b));
            moving_var.update(|mv| mv.zip_mut_with(&var.value(), |a, &b| *a = m * *a + (1.0 - m) * b));
            (mean, var)
        } else {
            (moving_mean, moving_var)
        };
        let inv_std = var.add_scalar(self.epsilon).sqrt();
        x.sub(&mean)?.div(&inv_std)?.mul(&gamma)?.add(&beta)
    }
    fn config(&self) -> Value {
        json!({"name": self.name(), "momentum": self.momentum, "epsilon": self.epsilon})
    }
}
