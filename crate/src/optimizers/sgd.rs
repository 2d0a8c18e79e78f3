//! SGD (Keras 3): without momentum `w ← w − lr·g`; with momentum `μ`:
//! `v ← μv − lr·g`, then `w ← w + v`, or with Nesterov `w ← w + μv − lr·g`.
//! Defaults: `learning_rate = 0.01`, `momentum = 0`, `nesterov = false`.

use super::slots;
use crate::tensor::Tensor;
use ndarray::{ArrayD, Zip};

/// Stochastic gradient descent.
///
/// ```
/// use nnlab::optimizers::SGD;
/// let sgd = SGD::new().learning_rate(0.1).momentum(0.9).nesterov(true);
/// assert_eq!(sgd.learning_rate, 0.1);
/// ```
#[derive(Clone, Debug)]
#[allow(clippy::upper_case_acronyms)] // Keras' name
pub struct SGD {
    /// Step size (0.01).
    pub learning_rate: f32,
    /// Momentum μ (0).
    pub momentum: f32,
    /// Nesterov momentum (false).
    pub nesterov: bool,
    /// Steps taken.
    pub iterations: u64,
    velocities: Vec<ArrayD<f32>>,
    /// Schedule, clipping, weight decay (all off).
    pub base: super::Base,
    pub(super) variables: super::Variables,
}

impl Default for SGD {
    fn default() -> SGD {
        SGD {
            learning_rate: 0.01,
            momentum: 0.0,
            nesterov: false,
            iterations: 0,
            velocities: vec![],
            base: Default::default(),
            variables: Default::default(),
        }
    }
}

impl SGD {
    /// SGD with Keras' defaults.
    pub fn new() -> SGD {
        SGD::default()
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> SGD {
        self.momentum = m;
        self
    }
    /// Switches Nesterov momentum on or off.
    pub fn nesterov(mut self, on: bool) -> SGD {
        self.nesterov = on;
        self
    }

    pub(super) fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) {
        let (lr, mu, nesterov) = (self.learning_rate, self.momentum, self.nesterov);
        slots(&mut self.velocities, weights, 0.0);
        for ((w, g), v) in weights.iter().zip(grads).zip(&mut self.velocities) {
            w.update(|w| {
                if mu == 0.0 {
                    Zip::from(w).and(g).for_each(|w, &g| *w -= g * lr);
                } else {
                    Zip::from(w).and(g).and(v).for_each(|w, &g, v| {
                        *v = *v * mu - g * lr;
                        *w += if nesterov { *v * mu - g * lr } else { *v };
                    });
                }
            });
        }
        self.iterations += 1;
    }
}

super::base::base_setters!(SGD);
