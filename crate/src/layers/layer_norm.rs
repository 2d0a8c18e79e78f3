//! `LayerNormalization()`: normalises each example over its features (the last axis), then scales
//! and shifts with learned `gamma` and `beta`:
//!
//! ```text
//! μ = mean(x), σ² = mean((x − μ)²) over the last axis of each example  →  y = γ (x − μ) / √(σ² + ε) + β
//! ```
//!
//! Unlike [`BatchNormalization`](super::BatchNormalization), the statistics are those of the
//! example itself, so training and inference compute the same thing and nothing is kept between
//! batches (the normalization of Transformers and of recurrent networks). Keras' defaults: `ε = 1e-3`,
//! `γ` starts at 1 and `β` at 0; `x: [batch, ..., features]`, `γ, β: [features]`, `y` as `x`. Built
//! from tensor primitives, so its gradient (through μ and σ² too) comes from them.

use super::{Layer, LayerBase};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// Layer normalization over the last axis (Keras' `LayerNormalization()`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::LayerNormalization;
/// let mut ln = LayerNormalization::new();
/// ln.build(&[3], 0)?;
/// let x = Tensor::new(array![[1.0f32, 2.0, 3.0], [10.0, 10.0, 40.0]].into_dyn());
/// let y = ln.call(&x, false)?.to_array();
/// assert!((y[[0, 0]] + 1.2238).abs() < 1e-3 && (y[[0, 2]] - 1.2238).abs() < 1e-3); // (x − 2)/√(2/3 + ε)
/// assert!(y.index_axis(Axis(0), 1).sum().abs() < 1e-4); // each example: mean 0
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct LayerNormalization {
    epsilon: f32,
    center: bool,
    scale: bool,
    base: LayerBase,
    /// The size of the last axis, once built.
    features: Option<usize>,
    /// `[features]`, made by `build` (when `scale` and `center`).
    gamma: Option<Tensor>,
    beta: Option<Tensor>,
}

impl Default for LayerNormalization {
    fn default() -> LayerNormalization {
        LayerNormalization {
            epsilon: 1e-3,
            center: true,
            scale: true,
            base: LayerBase::default(),
            features: None,
            gamma: None,
            beta: None,
        }
    }
}

impl LayerNormalization {
    /// Keras' defaults: epsilon 1e-3, with `gamma` and `beta`.
    pub fn new() -> LayerNormalization {
        LayerNormalization::default()
    }

    /// `ε` added to the variance (1e-3).
    pub fn epsilon(mut self, e: f32) -> LayerNormalization {
        self.epsilon = e;
        self
    }

    /// Whether to add the learned offset `β` (true).
    pub fn center(mut self, on: bool) -> LayerNormalization {
        self.center = on;
        self
    }

    /// Whether to multiply by the learned scale `γ` (true).
    pub fn scale(mut self, on: bool) -> LayerNormalization {
        self.scale = on;
        self
    }

    /// The layer's name (default: given by the model, `"layer_normalization"`, ...).
    pub fn name(self, name: &str) -> LayerNormalization {
        self.base.set_name(name);
        self
    }

    pub(super) fn from_config(c: &Value) -> Option<LayerNormalization> {
        Some(
            LayerNormalization::new()
                .epsilon(c["epsilon"].as_f64()? as f32)
                .center(c["center"].as_bool()?)
                .scale(c["scale"].as_bool()?),
        )
    }
}

impl Layer for LayerNormalization {
    fn class_name(&self) -> &'static str {
        "LayerNormalization"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn check_config(&self) -> Result<()> {
        if !(self.epsilon > 0.0 && self.epsilon.is_finite()) {
            return Err(Error::value("LayerNormalization", "an epsilon above 0", self.epsilon.to_string()));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        let &f = input_shape
            .last()
            .ok_or_else(|| Error::shape("LayerNormalization", "inputs [batch, ..., features]", "[batch]"))?;
        super::check_rebuild("LayerNormalization", &self.features.map(|f| vec![f]), &[f])?;
        self.base.begin_build(seed);
        if self.scale {
            self.gamma = Some(self.base.add_weight_named("gamma", &[f], "ones", true)?);
        }
        if self.center {
            self.beta = Some(self.base.add_weight_named("beta", &[f], "zeros", true)?);
        }
        self.features = Some(f);
        Ok(input_shape.to_vec())
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let f = self.features.ok_or_else(|| super::not_built("LayerNormalization"))?;
        if x.ndim() < 2 || x.shape().last() != Some(&f) {
            return Err(Error::shape(
                "LayerNormalization",
                format!("inputs [batch, ..., {f}]"),
                format!("{:?}", x.shape()),
            ));
        }
        let last = [-1isize];
        let mean = x.mean_axes(&last, true)?;
        let centered = x.sub(&mean)?;
        let var = centered.square().mean_axes(&last, true)?;
        let mut y = centered.div(&var.add_scalar(self.epsilon).sqrt())?;
        if let Some(gamma) = &self.gamma {
            y = y.mul(gamma)?;
        }
        if let Some(beta) = &self.beta {
            y = y.add(beta)?;
        }
        Ok(y)
    }

    fn config(&self) -> Value {
        json!({"name": self.name(), "epsilon": self.epsilon, "center": self.center, "scale": self.scale})
    }
}
