//! What every Keras optimizer does before its own update rule (Keras' `BaseOptimizer.apply`), in this
//! order at each step `t`:
//!
//! 1. the rate: `lr = schedule(t)` when the learning rate is a [schedule](super::schedules), else the number;
//! 2. clipping, at most one of:
//!    - `clipnorm c`, each gradient alone: `g ← g · c / max(‖g‖, c)`;
//!    - `global_clipnorm c`, all together: `g ← g · c / max(√Σ‖g‖², c)`;
//!    - `clipvalue c`, each element: `g ← min(max(g, −c), c)`;
//! 3. decoupled weight decay `λ` (AdamW's, for any optimizer): `w ← w · (1 − λ · lr)`;
//! 4. the optimizer's own rule with `lr` and the clipped gradients.
//!
//! ```
//! use nnlab::optimizers::{Optimizer, SGD};
//! use nnlab::tensor::Tensor;
//! use nnlab::ndarray::array;
//! let w = Tensor::param(array![1.0f32, 1.0].into_dyn());
//! let mut sgd: Optimizer = SGD::new().learning_rate(0.1).clipnorm(1.0).into();
//! sgd.apply_gradients(&[array![30.0f32, 40.0].into_dyn()], &[w.clone()])?; // ‖g‖ = 50, clipped to 1
//! assert!((w.value()[[0]] - (1.0 - 0.1 * 0.6)).abs() < 1e-6);
//! # Ok::<(), nnlab::Error>(())
//! ```

use super::schedules::{LearningRate, Schedule};
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;

/// The settings every optimizer has besides its own (Keras' `BaseOptimizer` arguments); all off by default.
#[derive(Clone, Debug, Default)]
pub struct Base {
    /// The learning rate's schedule, if it has one (set by `learning_rate(schedule)`).
    pub schedule: Option<Schedule>,
    /// Clip each gradient to this L2 norm.
    pub clipnorm: Option<f32>,
    /// Clip all the gradients together to this L2 norm.
    pub global_clipnorm: Option<f32>,
    /// Clip each gradient element to `[−c, c]`.
    pub clipvalue: Option<f32>,
    /// Decoupled weight decay λ: `w ← w · (1 − λ · lr)` before each update.
    pub weight_decay: Option<f32>,
}

impl Base {
    /// An error unless the settings can be used: clip bounds finite and above 0, at most one of the three,
    /// a weight decay finite and at least 0, and the schedule's own settings.
    pub(super) fn check(&self, class: &str) -> Result<()> {
        let clips = [
            ("clipnorm", self.clipnorm),
            ("global_clipnorm", self.global_clipnorm),
            ("clipvalue", self.clipvalue),
        ];
        let set: Vec<String> = clips.iter().filter_map(|(n, v)| v.map(|v| format!("{n}={v}"))).collect();
        if set.len() > 1 {
            return Err(Error::value(
                class,
                "only one of clipnorm, global_clipnorm and clipvalue",
                set.join(", "),
            ));
        }
        for (name, v) in clips {
            if let Some(v) = v.filter(|v| !(v.is_finite() && *v > 0.0)) {
                return Err(Error::value(
                    class,
                    format!("a {name} that is finite and above 0 (e.g. 1.0)"),
                    v.to_string(),
                ));
            }
        }
        if let Some(wd) = self.weight_decay.filter(|wd| !(wd.is_finite() && *wd >= 0.0)) {
            return Err(Error::value(
                class,
                "a weight_decay that is finite and at least 0 (e.g. 0.004)",
                wd.to_string(),
            ));
        }
        if let Some(s) = &self.schedule {
            s.rate_at(class, 0)?;
        }
        Ok(())
    }

    /// The gradients after clipping, or `None` when no clipping is set (nothing copied).
    pub(super) fn clip(&self, grads: &[ArrayD<f32>]) -> Option<Vec<ArrayD<f32>>> {
        if let Some(c) = self.clipnorm {
            return Some(grads.iter().map(|g| g.mapv(|x| x * c) / norm(g).max(c)).collect());
        }
        if let Some(c) = self.global_clipnorm {
            let total = grads.iter().map(|g| norm(g).powi(2)).sum::<f32>().sqrt();
            let scale = c * (1.0 / total).min(1.0 / c);
            return Some(grads.iter().map(|g| g * scale).collect());
        }
        self.clipvalue.map(|c| grads.iter().map(|g| g.mapv(|x| x.clamp(-c, c))).collect())
    }

    /// Decoupled weight decay at rate `lr`: `w ← w · (1 − λ · lr)`.
    pub(super) fn decay(&self, weights: &[Tensor], lr: f32) {
        let Some(wd) = self.weight_decay.filter(|&wd| wd > 0.0) else { return };
        let keep = (1.0 - wd as f64 * lr as f64) as f32;
        for w in weights {
            w.update(|w| w.mapv_inplace(|v| v * keep));
        }
    }
}

/// `‖g‖ = √Σg²`.
fn norm(g: &ArrayD<f32>) -> f32 {
    g.iter().map(|x| x * x).sum::<f32>().sqrt()
}

/// The setters every optimizer has: `learning_rate` (a number or a schedule), `clipnorm`,
/// `global_clipnorm`, `clipvalue`, `weight_decay`.
macro_rules! base_setters {
    ($t:ident) => {
        impl $t {
            /// Sets the learning rate: a number, or a schedule from
            /// [`schedules`](crate::optimizers::schedules) (then the rate follows the step, and cannot be set
            /// by a callback).
            pub fn learning_rate(mut self, lr: impl Into<$crate::optimizers::schedules::LearningRate>) -> $t {
                self.base.set_rate(&mut self.learning_rate, lr.into());
                self
            }
            /// Clips each gradient to this L2 norm: `g ← g · c / max(‖g‖, c)`.
            pub fn clipnorm(mut self, c: f32) -> $t {
                self.base.clipnorm = Some(c);
                self
            }
            /// Clips all the gradients together to this L2 norm: `g ← g · c / max(√Σ‖g‖², c)`.
            pub fn global_clipnorm(mut self, c: f32) -> $t {
                self.base.global_clipnorm = Some(c);
                self
            }
            /// Clips each gradient element to `[−c, c]`.
            pub fn clipvalue(mut self, c: f32) -> $t {
                self.base.clipvalue = Some(c);
                self
            }
            /// Decoupled weight decay λ: `w ← w · (1 − λ · lr)` before each update (AdamW's).
            pub fn weight_decay(mut self, wd: f32) -> $t {
                self.base.weight_decay = Some(wd);
                self
            }
        }
    };
}
pub(super) use base_setters;

impl Base {
    /// A number replaces any schedule; a schedule sets the rate to its value at step 0.
    pub(super) fn set_rate(&mut self, rate: &mut f32, lr: LearningRate) {
        match lr {
            LearningRate::Constant(v) => {
                *rate = v;
                self.schedule = None;
            }
            LearningRate::Schedule(s) => {
                *rate = s.call(0);
                self.schedule = Some(s);
            }
        }
    }
}
