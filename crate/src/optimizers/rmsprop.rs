//! RMSprop (Keras 3): `v ← ρv + (1 − ρ)g²`; the denominator is `v + ε`, or with `centered`
//! `v − ḡ² + ε` where `ḡ ← ρḡ + (1 − ρ)g`; the increment is `lr·g / √denominator` (ε inside the root,
//! unlike PyTorch); with momentum `μ`: `m ← μm + increment`, `w ← w − m`, else `w ← w − increment`.
//! Defaults: `learning_rate = 0.001`, `rho = 0.9`, `momentum = 0`, `epsilon = 1e-7`, `centered = false`.

use super::slots;
use crate::tensor::Tensor;
use ndarray::{ArrayD, Zip};

/// RMSprop: steps scaled by a running root mean square of the gradients.
///
/// ```
/// let r = nnlab::optimizers::RmsProp::new().rho(0.95).centered(true);
/// assert_eq!(r.learning_rate, 0.001);
/// ```
#[derive(Clone, Debug)]
pub struct RmsProp {
    /// Step size (0.001).
    pub learning_rate: f32,
    /// Decay ρ of the running averages (0.9).
    pub rho: f32,
    /// Momentum μ (0).
    pub momentum: f32,
    /// ε (1e-7).
    pub epsilon: f32,
    /// Normalise by the variance instead of the second moment (false).
    pub centered: bool,
    /// Steps taken.
    pub iterations: u64,
    velocities: Vec<ArrayD<f32>>,
    momentums: Vec<ArrayD<f32>>,
    average_grads: Vec<ArrayD<f32>>,
}

/// Keras' spelling of [`RmsProp`]: `RMSprop::new()` is `RmsProp::new()`.
///
/// ```
/// let r = nnlab::optimizers::RMSprop::new().rho(0.95);
/// assert_eq!(r.rho, 0.95);
/// ```
#[allow(clippy::upper_case_acronyms)]
pub type RMSprop = RmsProp;

impl Default for RmsProp {
    fn default() -> RmsProp {
        RmsProp {
            learning_rate: 0.001,
            rho: 0.9,
            momentum: 0.0,
            epsilon: 1e-7,
            centered: false,
            iterations: 0,
            velocities: vec![],
            momentums: vec![],
            average_grads: vec![],
        }
    }
}

impl RmsProp {
    /// RMSprop with Keras' defaults.
    pub fn new() -> RmsProp {
        RmsProp::default()
    }
    /// Sets the learning rate.
    pub fn learning_rate(mut self, lr: f32) -> RmsProp {
        self.learning_rate = lr;
        self
    }
    /// Sets ρ.
    pub fn rho(mut self, rho: f32) -> RmsProp {
        self.rho = rho;
        self
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> RmsProp {
        self.momentum = m;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, eps: f32) -> RmsProp {
        self.epsilon = eps;
        self
    }
    /// Switches the centered variant on or off.
    pub fn centered(mut self, on: bool) -> RmsProp {
        self.centered = on;
        self
    }

    pub(super) fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) {
        let (lr, rho, mu, eps, centered) =
            (self.learning_rate, self.rho, self.momentum, self.epsilon, self.centered);
        slots(&mut self.velocities, weights, 0.0);
        slots(&mut self.momentums, weights, 0.0);
        slots(&mut self.average_grads, weights, 0.0);
        for (i, (w, g)) in weights.iter().zip(grads).enumerate() {
            let (v, m, avg) = (&mut self.velocities[i], &mut self.momentums[i], &mut self.average_grads[i]);
            w.update(|w| {
                Zip::from(w).and(g).and(v).and(m).and(avg).for_each(|w, &g, v, m, avg| {
                    *v = rho * *v + (1.0 - rho) * g * g;
                    let denominator = if centered {
                        *avg = rho * *avg + (1.0 - rho) * g;
                        *v - *avg * *avg + eps
                    } else {
                        *v + eps
                    };
                    let increment = lr * g / denominator.sqrt();
                    if mu > 0.0 {
                        *m = mu * *m + increment;
                        *w -= *m;
                    } else {
                        *w -= increment;
                    }
                })
            });
        }
        self.iterations += 1;
    }
}
