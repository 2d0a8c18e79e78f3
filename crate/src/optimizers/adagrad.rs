//! Adagrad (Keras 3): `a ← a + g²`, `w ← w − lr·g / √(a + ε)`.
//! Defaults: `learning_rate = 0.001`, `initial_accumulator_value = 0.1`, `epsilon = 1e-7`.

use super::slots;
use crate::tensor::Tensor;
use ndarray::{ArrayD, Zip};

/// Adagrad: per-weight step sizes shrinking with the sum of squared gradients.
///
/// ```
/// let a = nnlab::optimizers::Adagrad::new().learning_rate(0.01);
/// assert_eq!(a.initial_accumulator_value, 0.1);
/// ```
#[derive(Clone, Debug)]
pub struct Adagrad {
    /// Step size (0.001).
    pub learning_rate: f32,
    /// Starting value of the accumulators (0.1).
    pub initial_accumulator_value: f32,
    /// ε (1e-7).
    pub epsilon: f32,
    /// Steps taken.
    pub iterations: u64,
    accumulators: Vec<ArrayD<f32>>,
    /// Schedule, clipping, weight decay (all off).
    pub base: super::Base,
    pub(super) variables: super::Variables,
}

impl Default for Adagrad {
    fn default() -> Adagrad {
        Adagrad {
            learning_rate: 0.001,
            initial_accumulator_value: 0.1,
            epsilon: 1e-7,
            iterations: 0,
            accumulators: vec![],
            base: Default::default(),
            variables: Default::default(),
        }
    }
}

impl Adagrad {
    /// Adagrad with Keras' defaults.
    pub fn new() -> Adagrad {
        Adagrad::default()
    }
    /// Sets the initial accumulator value.
    pub fn initial_accumulator_value(mut self, v: f32) -> Adagrad {
        self.initial_accumulator_value = v;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, eps: f32) -> Adagrad {
        self.epsilon = eps;
        self
    }

    pub(super) fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) {
        let (lr, eps) = (self.learning_rate, self.epsilon);
        slots(&mut self.accumulators, weights, self.initial_accumulator_value);
        for ((w, g), a) in weights.iter().zip(grads).zip(&mut self.accumulators) {
            w.update(|w| {
                Zip::from(w).and(g).and(a).for_each(|w, &g, a| {
                    *a += g * g;
                    *w -= lr * g / (*a + eps).sqrt();
                })
            });
        }
        self.iterations += 1;
    }
}

super::base::base_setters!(Adagrad);
