//! RMSprop (Keras 3): `v ← ρv + (1 − ρ)g²`; the denominator is `v + ε`, or with `centered`
//! `v − ḡ² + ε` where `ḡ ← ρḡ + (1 − ρ)g`; the increment is `lr·g / √denominator` (ε inside the root,
//! unlike PyTorch); with momentum `μ`: `m ← μm + increment`, `w ← w − m`, else `w ← w − increment`.
//! Defaults: `learning_rate = 0.001`, `rho = 0.9`, `momentum = 0`, `epsilon = 1e-7`, `centered = false`.

use super::{flat_mut, slots};
use crate::backend::parallel::par_for_each;
use crate::tensor::Tensor;
use ndarray::{aview1, aview_mut1, ArrayD, Zip};

/// RMSprop: steps scaled by a running root mean square of the gradients.
///
/// ```
/// let r = nnlab::optimizers::RMSprop::new().rho(0.95).centered(true);
/// assert_eq!(r.learning_rate, 0.001);
/// ```
#[derive(Clone, Debug)]
pub struct RMSprop {
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
    /// Schedule, clipping, weight decay (all off).
    pub base: super::Base,
    pub(super) variables: super::Variables,
}

impl Default for RMSprop {
    fn default() -> RMSprop {
        RMSprop {
            learning_rate: 0.001,
            rho: 0.9,
            momentum: 0.0,
            epsilon: 1e-7,
            centered: false,
            iterations: 0,
            velocities: vec![],
            momentums: vec![],
            average_grads: vec![],
            base: Default::default(),
            variables: Default::default(),
        }
    }
}

impl RMSprop {
    /// RMSprop with Keras' defaults.
    pub fn new() -> RMSprop {
        RMSprop::default()
    }
    /// Sets ρ.
    pub fn rho(mut self, rho: f32) -> RMSprop {
        self.rho = rho;
        self
    }
    /// Sets the momentum.
    pub fn momentum(mut self, m: f32) -> RMSprop {
        self.momentum = m;
        self
    }
    /// Sets ε.
    pub fn epsilon(mut self, eps: f32) -> RMSprop {
        self.epsilon = eps;
        self
    }
    /// Switches the centered variant on or off.
    pub fn centered(mut self, on: bool) -> RMSprop {
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
            // Row-major slices of equal length (the gradient copied only if it is not row-major): a
            // plain loop the compiler vectorises.
            let g = g.as_standard_layout();
            let g = g.as_slice().expect("a row-major array");
            let n = g.len();
            let (v, m, avg) = (&mut flat_mut(v)[..n], &mut flat_mut(m)[..n], &mut flat_mut(avg)[..n]);
            let keep = 1.0 - rho;
            w.update(|w| {
                let w = &mut flat_mut(w)[..n];
                if !centered && mu == 0.0 {
                    // Keras' default, in a loop without branches (vectorised: several times faster), the
                    // two halves of the weights side by side (parallel::par_for_each).
                    let zip = Zip::from(aview_mut1(v)).and(aview_mut1(w)).and(aview1(g));
                    par_for_each!(zip, |v: &mut f32, w: &mut f32, &g: &f32| {
                        *v = rho * *v + keep * g * g;
                        *w -= lr * g / (*v + eps).sqrt();
                    });
                    return;
                }
                for j in 0..n {
                    v[j] = rho * v[j] + keep * g[j] * g[j];
                    let denominator = if centered {
                        avg[j] = rho * avg[j] + keep * g[j];
                        v[j] - avg[j] * avg[j] + eps
                    } else {
                        v[j] + eps
                    };
                    let increment = lr * g[j] / denominator.sqrt();
                    if mu > 0.0 {
                        m[j] = mu * m[j] + increment;
                        w[j] -= m[j];
                    } else {
                        w[j] -= increment;
                    }
                }
            });
        }
        self.iterations += 1;
    }
}

super::base::base_setters!(RMSprop);
