//! Costs of one example and their output error `δᴸ = ∂C/∂zᴸ` (where backpropagation starts), plus the
//! L2 penalty. The lecture uses the quadratic cost; cross-entropy and L2 are what it leaves unwritten.
//!
//! | cost | `C` for one example (`a = σ(zᴸ)`, target `y`) | `δᴸ` |
//! |---|---|---|
//! | quadratic | `½ Σ (a − y)²` | `(a − y) ⊙ σ'(zᴸ)` ([`quadcost_derivative`]) |
//! | cross-entropy | `−Σ [y ln a + (1 − y) ln(1 − a)]` | `a − y` ([`cross_entropy_derivative`]) |
//!
//! The cross-entropy's `δ` has no `σ'(zᴸ)` factor: a saturated wrong output neuron still learns fast.
//! With L2 (weight decay) the cost of a mini-batch of `m` examples out of `n` training examples is
//! `(1/m) Σₓ Cₓ + λ/(2n) Σ ‖w‖²`, and a gradient step becomes `w ← (1 − ηλ/n) w − (η/m) Σₓ ∇w Cₓ`.

use ndarray::{Array2, ArrayView2, ArrayViewMut2, Zip};

use super::activation::sigmoid_deriv;
use crate::{Error, Result};

/// Which cost the network minimises (the docs of `scratch/cost.rs` derive both deltas). Default: the lecture's quadratic.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Cost {
    /// `½ Σ (a − y)²`, `δᴸ = (a − y) ⊙ σ'(zᴸ)`.
    #[default]
    Quadratic,
    /// `−Σ [y ln a + (1 − y) ln(1 − a)]`, `δᴸ = a − y`.
    CrossEntropy,
}

impl Cost {
    /// The cost of output activations `a` against targets `y` (same shape; columns are examples,
    /// summed). Errors when the shapes differ.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::scratch::Cost;
    /// let (a, y) = (array![[0.5], [0.5]], array![[1.0], [0.0]]);
    /// assert_eq!(Cost::Quadratic.value(&a, &y)?, 0.25);
    /// assert!((Cost::CrossEntropy.value(&a, &y)? - 2.0 * 2f64.ln()).abs() < 1e-15);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn value(self, a: &Array2<f64>, y: &Array2<f64>) -> Result<f64> {
        same_shape("Cost::value", a, y)?;
        Ok(match self {
            Cost::Quadratic => 0.5 * Zip::from(a).and(y).fold(0.0, |s, &a, &y| s + (a - y) * (a - y)),
            // a term whose coefficient is 0 is 0 (not 0 · ln 0 = NaN) when an output saturates
            Cost::CrossEntropy => Zip::from(a).and(y).fold(0.0, |s, &a, &y| {
                let pos = if y != 0.0 { y * a.ln() } else { 0.0 };
                let neg = if y != 1.0 { (1.0 - y) * (1.0 - a).ln() } else { 0.0 };
                s - pos - neg
            }),
        })
    }

    /// The output error `δᴸ = ∂C/∂zᴸ` for output activations `a = σ(z)`, targets `y` and weighted inputs
    /// `z` (all the same shape). Errors when the shapes differ.
    pub fn delta(self, a: &Array2<f64>, y: &Array2<f64>, z: &Array2<f64>) -> Result<Array2<f64>> {
        match self {
            Cost::Quadratic => quadcost_derivative(a, y, z),
            Cost::CrossEntropy => cross_entropy_derivative(a, y, z),
        }
    }

    /// `out ← δᴸ` from `a = σ(zᴸ)` and `y` (shapes checked by the caller), using `σ'(z) = a (1 − a)`:
    /// the same numbers as [`Cost::delta`], without allocating.
    pub(crate) fn delta_into(self, a: ArrayView2<f64>, y: ArrayView2<f64>, out: ArrayViewMut2<f64>) {
        let zip = Zip::from(out).and(a).and(y);
        match self {
            Cost::Quadratic => zip.for_each(|d, &a, &y| *d = (a - y) * (a * (1.0 - a))),
            Cost::CrossEntropy => zip.for_each(|d, &a, &y| *d = a - y),
        }
    }
}

/// The quadratic cost's output error `(a − y) ⊙ σ'(z)`, like the lecture's
/// `quadcost_derivative(output_activations, y, z)`. Errors when the shapes differ.
///
/// ```
/// use nnlab::prelude::*;
/// let d = scratch::quadcost_derivative(&array![[0.5]], &array![[1.0]], &array![[0.0]])?;
/// assert_eq!(d, array![[-0.125]]); // (0.5 − 1) · σ'(0) = −0.5 · 0.25
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn quadcost_derivative(
    output_activations: &Array2<f64>,
    y: &Array2<f64>,
    z: &Array2<f64>,
) -> Result<Array2<f64>> {
    same_shape("scratch::quadcost_derivative", output_activations, y)?;
    same_shape("scratch::quadcost_derivative", output_activations, z)?;
    Ok((output_activations - y) * sigmoid_deriv(z))
}

/// The cross-entropy cost's output error `a − y` (`z` is taken for the same call as
/// [`quadcost_derivative`] and only checked). Errors when the shapes differ.
///
/// ```
/// use nnlab::prelude::*;
/// let d = scratch::cross_entropy_derivative(&array![[0.5]], &array![[1.0]], &array![[0.0]])?;
/// assert_eq!(d, array![[-0.5]]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn cross_entropy_derivative(
    output_activations: &Array2<f64>,
    y: &Array2<f64>,
    z: &Array2<f64>,
) -> Result<Array2<f64>> {
    same_shape("scratch::cross_entropy_derivative", output_activations, y)?;
    same_shape("scratch::cross_entropy_derivative", output_activations, z)?;
    Ok(output_activations - y)
}

/// The L2 penalty `λ/(2n) Σ_l ‖w_l‖²` of the weights (biases are not penalised), for `n` training
/// examples.
///
/// ```
/// use nnlab::prelude::*;
/// let p = scratch::l2_penalty(&[array![[1.0, 2.0]], array![[2.0]]], 0.5, 10);
/// assert_eq!(p, 0.5 / 20.0 * 9.0);
/// ```
pub fn l2_penalty(weights: &[Array2<f64>], lambda: f64, n: usize) -> f64 {
    let squares: f64 = weights.iter().map(|w| w.iter().map(|v| v * v).sum::<f64>()).sum();
    lambda / (2.0 * n as f64) * squares
}

/// The weight-decay factor `1 − ηλ/n` that L2 puts in front of `w` in each step (exactly 1 for `λ = 0`).
///
/// ```
/// assert_eq!(nnlab::scratch::weight_decay(0.5, 5.0, 50_000), 1.0 - 0.5 * 5.0 / 50_000.0);
/// ```
pub fn weight_decay(eta: f64, lambda: f64, n: usize) -> f64 {
    1.0 - eta * lambda / n as f64
}

fn same_shape(op: &str, a: &Array2<f64>, b: &Array2<f64>) -> Result<()> {
    if a.shape() != b.shape() {
        return Err(Error::shape(
            op,
            format!("arrays of one shape {:?}", a.shape()),
            format!("{:?}", b.shape()),
        ));
    }
    Ok(())
}
