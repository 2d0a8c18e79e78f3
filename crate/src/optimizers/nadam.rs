//! Nadam (Keras 3): Adam with Nesterov momentum, the momentum factor warming up as
//! `μₜ = β₁(1 − ½·0.96ᵗ)`. At step `t` (from 1), with `Πₜ = μ₁⋯μₜ`:
//! `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`,
//! `m̂ = μₜ₊₁·m / (1 − Πₜμₜ₊₁) + (1 − μₜ)·g / (1 − Πₜ)`, `v̂ = v / (1 − β₂ᵗ)`,
//! `w ← w − lr·m̂ / (√v̂ + ε)`.
//! Defaults: `learning_rate = 0.001`, `beta_1 = 0.9`, `beta_2 = 0.999`, `epsilon = 1e-7`.

use super::{flat_mut, slots};
use crate::tensor::Tensor;
use ndarray::ArrayD;

/// Nadam: Adam whose momentum looks one step ahead.
///
/// ```
/// use nnlab::optimizers::{Nadam, Optimizer};
/// let opt: Optimizer = Nadam::new().learning_rate(0.002).into();
/// assert_eq!((opt.name(), opt.learning_rate()), ("nadam", 0.002));
/// ```
#[derive(Clone, Debug)]
pub struct Nadam {
    /// Step size (0.001).
    pub learning_rate: f32,
    /// Decay of the first moment β₁ (0.9).
    pub beta_1: f32,
    /// Decay of the second moment β₂ (0.999).
    pub beta_2: f32,
    /// ε (1e-7).
    pub epsilon: f32,
    /// Steps taken.
    pub iterations: u64,
    /// Schedule, clipping, weight decay (all off).
    pub base: super::Base,
    /// `Πₜ`, the product of the momentum factors so far (1 before the first step).
    u_product: f32,
    momentums: Vec<ArrayD<f32>>,
    velocities: Vec<ArrayD<f32>>,
    pub(super) variables: super::Variables,
}

impl Default for Nadam {
    fn default() -> Nadam {
        Nadam {
            learning_rate: 0.001,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            iterations: 0,
            base: Default::default(),
            u_product: 1.0,
            momentums: vec![],
            velocities: vec![],
            variables: Default::default(),
        }
    }
}

impl Nadam {
    /// Nadam with Keras' defaults.
    pub fn new() -> Nadam {
        Nadam::default()
    }
    /// Sets β₁.
    pub fn beta_1(mut self, b: f32) -> Nadam {
        self.beta_1 = b;
        self
    }
    /// Sets β₂.
    pub fn beta_2(mut self, b: f32) -> Nadam {
        self.beta_2 = b;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, eps: f32) -> Nadam {
        self.epsilon = eps;
        self
    }

    pub(super) fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) {
        let (b1, b2, eps, lr) = (self.beta_1, self.beta_2, self.epsilon, self.learning_rate);
        let t = self.iterations as i32 + 1;
        let mu = |t: i32| b1 * (1.0 - 0.5 * 0.96f32.powi(t));
        let (mu_t, mu_next) = (mu(t), mu(t + 1));
        self.u_product *= mu_t;
        let (product, product_next) = (self.u_product, self.u_product * mu_next);
        let correction_2 = 1.0 - b2.powi(t);
        slots(&mut self.momentums, weights, 0.0);
        slots(&mut self.velocities, weights, 0.0);
        for (i, (w, g)) in weights.iter().zip(grads).enumerate() {
            let g = g.as_standard_layout();
            let g = g.as_slice().expect("a row-major array");
            let n = g.len();
            let m = &mut flat_mut(&mut self.momentums[i])[..n];
            let v = &mut flat_mut(&mut self.velocities[i])[..n];
            w.update(|w| {
                let w = &mut flat_mut(w)[..n];
                for j in 0..n {
                    m[j] += (g[j] - m[j]) * (1.0 - b1);
                    v[j] += (g[j] * g[j] - v[j]) * (1.0 - b2);
                    let m_hat = mu_next * m[j] / (1.0 - product_next) + (1.0 - mu_t) * g[j] / (1.0 - product);
                    let v_hat = v[j] / correction_2;
                    w[j] -= m_hat * lr / (v_hat.sqrt() + eps);
                }
            });
        }
        self.iterations += 1;
    }
}

super::base::base_setters!(Nadam);
