//! The activation function of the lecture's network, the sigmoid `σ(z) = 1 / (1 + e^(−z))`, and its
//! derivative `σ'(z) = σ(z)(1 − σ(z))`.
//!
//! The lecture writes `1.0/(1.0+np.exp(-z))`, which overflows (with a numpy warning) for `z < −709`.
//! Here the negative side is computed as `e^z / (1 + e^z)`, the same number written so that the
//! exponential never exceeds 1: no overflow for any `z`, and `σ` of a NaN is NaN.

use ndarray::{Array, ArrayBase, Data, Dimension};

/// `σ(z)` of one number: `1 / (1 + e^(−z))` for `z ≥ 0`, `e^z / (1 + e^z)` for `z < 0` (overflow-free).
///
/// ```
/// use nnlab::scratch::sigmoid_scalar;
/// assert_eq!(sigmoid_scalar(0.0), 0.5);
/// assert_eq!(sigmoid_scalar(1000.0), 1.0);
/// assert_eq!(sigmoid_scalar(-1000.0), 0.0);
/// assert!((sigmoid_scalar(-745.0) - (-745.0f64).exp()).abs() < 1e-320);
/// ```
pub fn sigmoid_scalar(z: f64) -> f64 {
    if z >= 0.0 {
        1.0 / (1.0 + (-z).exp())
    } else {
        let e = z.exp();
        e / (1.0 + e)
    }
}

/// `σ(z)` element by element, like the lecture's `sigmoid(z)`: any shape in, the same shape out.
///
/// ```
/// use nnlab::prelude::*;
/// let a = scratch::sigmoid(&array![[0.0], [800.0], [-800.0]]);
/// assert_eq!(a, array![[0.5], [1.0], [0.0]]);
/// ```
pub fn sigmoid<S, D>(z: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    z.mapv(sigmoid_scalar)
}

/// `σ'(z) = σ(z)(1 − σ(z))` element by element, like the lecture's `sigmoid_deriv(z)`; same shape out.
/// It is largest at 0 (`0.25`) and tends to 0 for large `|z|` (a saturated neuron learns slowly).
///
/// ```
/// use nnlab::prelude::*;
/// let d = scratch::sigmoid_deriv(&array![[0.0], [1000.0]]);
/// assert_eq!(d, array![[0.25], [0.0]]);
/// ```
pub fn sigmoid_deriv<S, D>(z: &ArrayBase<S, D>) -> Array<f64, D>
where
    S: Data<Elem = f64>,
    D: Dimension,
{
    z.mapv(|z| {
        let s = sigmoid_scalar(z);
        s * (1.0 - s)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_the_lecture_formula_where_it_does_not_overflow() {
        for &z in &[-700.0, -30.0, -1.5, -1e-9, 0.0, 1e-9, 2.0, 40.0, 700.0] {
            let lecture = 1.0 / (1.0 + f64::exp(-z));
            let ours = sigmoid_scalar(z);
            assert!((ours - lecture).abs() <= 1e-15 * lecture.max(1e-300), "z = {z}: {ours} vs {lecture}");
        }
    }

    #[test]
    fn no_overflow_and_nan_propagates() {
        for &z in &[-1e308, -1e6, -710.0, 710.0, 1e308, f64::INFINITY, f64::NEG_INFINITY] {
            let s = sigmoid_scalar(z);
            assert!((0.0..=1.0).contains(&s), "z = {z}: {s}");
            let d = sigmoid_deriv(&ndarray::arr1(&[z]))[0];
            assert!((0.0..=0.25).contains(&d));
        }
        assert!(sigmoid_scalar(f64::NAN).is_nan());
    }

    #[test]
    fn derivative_matches_finite_differences() {
        for &z in &[-5.0, -0.3, 0.0, 0.7, 4.0] {
            let h = 1e-6;
            let fd = (sigmoid_scalar(z + h) - sigmoid_scalar(z - h)) / (2.0 * h);
            let d = sigmoid_deriv(&ndarray::arr1(&[z]))[0];
            assert!((fd - d).abs() < 1e-9, "z = {z}");
        }
    }
}
