//! Adam (Keras 3). At step `t` (from 1): `m ← m + (g − m)(1 − β₁)`, `v ← v + (g² − v)(1 − β₂)`,
//! `α = lr·√(1 − β₂ᵗ) / (1 − β₁ᵗ)`, `w ← w − α·m / (√v + ε)`; with `amsgrad` `v` is replaced by the
//! running maximum `v̂ ← max(v̂, v)`. (ε is added to `√v` after the bias correction is folded into α,
//! Keras' placement; PyTorch adds it to `√v̂ₜ` of the corrected `v̂ₜ = v/(1−β₂ᵗ)`.)
//! Defaults: `learning_rate = 0.001`, `beta_1 = 0.9`, `beta_2 = 0.999`, `epsilon = 1e-7`, `amsgrad = false`.
//! [`AdamW`] is Adam with decoupled weight decay ([`Base`](super::Base)).

use super::{flat_mut, slots};
use crate::backend::parallel::par_slices;
use crate::tensor::Tensor;
use multiversion::multiversion;
use ndarray::ArrayD;

/// Adam: momentum plus per-weight scaling by the running second moment.
///
/// ```
/// let a = nnlab::optimizers::Adam::new().learning_rate(3e-4).amsgrad(true);
/// assert_eq!(a.beta_2, 0.999);
/// ```
#[derive(Clone, Debug)]
pub struct Adam {
    /// Step size (0.001).
    pub learning_rate: f32,
    /// Decay of the first moment β₁ (0.9).
    pub beta_1: f32,
    /// Decay of the second moment β₂ (0.999).
    pub beta_2: f32,
    /// ε (1e-7).
    pub epsilon: f32,
    /// Use the running maximum of the second moment (false).
    pub amsgrad: bool,
    /// Steps taken.
    pub iterations: u64,
    /// "Adam", or "AdamW" when made by [`AdamW::new`] (for names and messages).
    pub(super) class: &'static str,
    momentums: Vec<ArrayD<f32>>,
    velocities: Vec<ArrayD<f32>>,
    velocity_hats: Vec<ArrayD<f32>>,
    /// Schedule, clipping, weight decay (all off).
    pub base: super::Base,
    pub(super) variables: super::Variables,
}

impl Default for Adam {
    fn default() -> Adam {
        Adam {
            learning_rate: 0.001,
            beta_1: 0.9,
            beta_2: 0.999,
            epsilon: 1e-7,
            amsgrad: false,
            iterations: 0,
            class: "Adam",
            momentums: vec![],
            velocities: vec![],
            velocity_hats: vec![],
            base: Default::default(),
            variables: Default::default(),
        }
    }
}

/// AdamW (Keras 3): Adam with decoupled weight decay, `w ← w · (1 − λ·lr)` before each Adam step.
/// Defaults: Adam's, and `weight_decay = 0.004`. `AdamW::new()` gives an [`Adam`] with those settings, so
/// every Adam setter applies.
///
/// ```
/// use nnlab::optimizers::{AdamW, Optimizer};
/// let opt: Optimizer = AdamW::new().learning_rate(3e-4).into();
/// assert_eq!((opt.name(), opt.learning_rate()), ("adamw", 3e-4));
/// ```
pub struct AdamW;

impl AdamW {
    /// Adam with Keras' AdamW defaults (`weight_decay = 0.004`).
    #[allow(clippy::new_ret_no_self)] // AdamW is Adam with a setting
    pub fn new() -> Adam {
        let mut adam = Adam::new().weight_decay(0.004);
        adam.class = "AdamW";
        adam
    }
}

impl Adam {
    /// Adam with Keras' defaults.
    pub fn new() -> Adam {
        Adam::default()
    }
    /// Sets β₁.
    pub fn beta_1(mut self, b: f32) -> Adam {
        self.beta_1 = b;
        self
    }
    /// Sets β₂.
    pub fn beta_2(mut self, b: f32) -> Adam {
        self.beta_2 = b;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, eps: f32) -> Adam {
        self.epsilon = eps;
        self
    }
    /// Switches AMSGrad on or off.
    pub fn amsgrad(mut self, on: bool) -> Adam {
        self.amsgrad = on;
        self
    }

    pub(super) fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) {
        let (b1, b2, eps, amsgrad) = (self.beta_1, self.beta_2, self.epsilon, self.amsgrad);
        let t = (self.iterations + 1) as i32;
        let alpha = self.learning_rate * (1.0 - b2.powi(t)).sqrt() / (1.0 - b1.powi(t));
        slots(&mut self.momentums, weights, 0.0);
        slots(&mut self.velocities, weights, 0.0);
        if amsgrad {
            slots(&mut self.velocity_hats, weights, 0.0);
        }
        let c = Coefficients { keep_1: 1.0 - b1, keep_2: 1.0 - b2, alpha, eps };
        for (i, (w, g)) in weights.iter().zip(grads).enumerate() {
            // Row-major slices (the gradient copied only if it is not row-major) of equal length.
            let g = g.as_standard_layout();
            let g = g.as_slice().expect("a row-major array");
            let n = g.len();
            let m = &mut flat_mut(&mut self.momentums[i])[..n];
            let v = &mut flat_mut(&mut self.velocities[i])[..n];
            w.update(|w| {
                let w = &mut flat_mut(w)[..n];
                // The two halves of the weights side by side (parallel::par_slices).
                if amsgrad {
                    let v_hat = &mut flat_mut(&mut self.velocity_hats[i])[..n];
                    par_slices(n, (m, v, w, g, v_hat), |(m, v, w, g, v_hat)| {
                        update_amsgrad(m, v, w, g, v_hat, c)
                    });
                } else {
                    par_slices(n, (m, v, w, g), |(m, v, w, g)| update(m, v, w, g, c));
                }
            });
        }
        self.iterations += 1;
    }
}

/// The numbers of one step: `1 − β₁`, `1 − β₂`, the step size `α` with the bias correction, `ε`.
#[derive(Clone, Copy)]
struct Coefficients {
    keep_1: f32,
    keep_2: f32,
    alpha: f32,
    eps: f32,
}

/// One Adam step on row-major slices of one length, weight by weight. Compiled for plain x86-64 and for
/// AVX2 (8 weights at a time), chosen at run time (`multiversion`); the same bits either way.
#[multiversion(targets("x86_64+avx2+fma"))]
fn update(m: &mut [f32], v: &mut [f32], w: &mut [f32], g: &[f32], c: Coefficients) {
    let (m, v, w) = (&mut m[..g.len()], &mut v[..g.len()], &mut w[..g.len()]);
    for i in 0..g.len() {
        m[i] += (g[i] - m[i]) * c.keep_1;
        v[i] += (g[i] * g[i] - v[i]) * c.keep_2;
        w[i] -= m[i] * c.alpha / (v[i].sqrt() + c.eps);
    }
}

/// [`update`] with AMSGrad: the running maximum `v̂` of `v` in the denominator.
#[multiversion(targets("x86_64+avx2+fma"))]
fn update_amsgrad(
    m: &mut [f32],
    v: &mut [f32],
    w: &mut [f32],
    g: &[f32],
    v_hat: &mut [f32],
    c: Coefficients,
) {
    let (m, v, w, v_hat) = (&mut m[..g.len()], &mut v[..g.len()], &mut w[..g.len()], &mut v_hat[..g.len()]);
    for i in 0..g.len() {
        m[i] += (g[i] - m[i]) * c.keep_1;
        v[i] += (g[i] * g[i] - v[i]) * c.keep_2;
        v_hat[i] = v_hat[i].max(v[i]);
        w[i] -= m[i] * c.alpha / (v_hat[i].sqrt() + c.eps);
    }
}

super::base::base_setters!(Adam);
