//! Gradient checking: compare the gradients of back-propagation with finite differences.
//!
//! For a scalar function `L(θ)` and each element `θᵢ` of each parameter, the central difference
//!
//! ```text
//! ∂L/∂θᵢ ≈ (L(θ + hεᵢ) − L(θ − hεᵢ)) / 2h
//! ```
//!
//! is computed (in `f64`, from `f32` evaluations of `L`) and compared with the analytic gradient from
//! [`Tensor::backward`]. The relative error `|a − n| / max(|a|, |n|, 10⁻²)` is reported; the floor
//! keeps tiny gradients (where `f32` rounding dominates) from looking wrong. Below about `10⁻²` the
//! backward pass is right; a bug typically gives errors near 1.
//!
//! ```
//! use nnlab::gradcheck;
//! use nnlab::ndarray::array;
//! // L(x) = Σ x²: the gradient is 2x.
//! let report = gradcheck::check(|t| Ok(t[0].square().sum()), &[array![0.5f32, -1.5].into_dyn()]).unwrap();
//! assert!(report.max_rel_error < 1e-3, "{report}");
//! ```

use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;
use std::fmt;

/// The step `h` of the central differences (≈ ∛ of `f32`'s machine epsilon: it balances truncation
/// and rounding error).
pub const STEP: f64 = 5e-3;

/// The result of a gradient check.
#[derive(Clone, Debug)]
pub struct GradCheck {
    /// The largest relative error over all elements checked.
    pub max_rel_error: f64,
    /// Where it occurred: (parameter index, flat element index).
    pub worst: (usize, usize),
    /// The analytic gradient there.
    pub analytic: f64,
    /// The finite-difference estimate there.
    pub numeric: f64,
    /// How many elements were checked.
    pub checked: usize,
}

impl fmt::Display for GradCheck {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "max relative error {:.2e} over {} elements (parameter {}, element {}: analytic {:.6}, numeric {:.6})",
            self.max_rel_error, self.checked, self.worst.0, self.worst.1, self.analytic, self.numeric
        )
    }
}

/// Checks the gradient of `f` with respect to each of `inputs` (made into parameters and passed to
/// `f` in the same order). `f` must return a scalar.
pub fn check(f: impl Fn(&[Tensor]) -> Result<Tensor>, inputs: &[ArrayD<f32>]) -> Result<GradCheck> {
    let params: Vec<Tensor> = inputs.iter().map(|a| Tensor::param(a.clone())).collect();
    check_params(|| f(&params), &params)
}

/// Checks the gradient of `f` with respect to `params`, tensors that `f` uses (e.g. a layer's
/// weights); their values are perturbed in place and restored.
///
/// ```
/// use nnlab::gradcheck;
/// use nnlab::tensor::Tensor;
/// use nnlab::ndarray::array;
/// let w = Tensor::param(array![[0.3f32, -0.2], [0.1, 0.4]].into_dyn());
/// let x = Tensor::new(array![[1.0f32, 2.0]].into_dyn());
/// let r = gradcheck::check_params(|| Ok(x.matmul(&w)?.exp().sum()), &[w.clone()]).unwrap();
/// assert!(r.max_rel_error < 1e-3, "{r}");
/// ```
pub fn check_params(f: impl Fn() -> Result<Tensor>, params: &[Tensor]) -> Result<GradCheck> {
    let loss = f()?;
    if loss.len() != 1 {
        return Err(Error::shape(
            "gradcheck",
            "a function returning a scalar",
            format!("shape {:?}", loss.shape()),
        ));
    }
    loss.backward()?;
    let analytic: Vec<ArrayD<f32>> = params
        .iter()
        .map(|p| {
            p.grad().unwrap_or_else(|| ArrayD::zeros(p.value().raw_dim())).as_standard_layout().into_owned()
        })
        .collect();
    let mut report = GradCheck { max_rel_error: 0.0, worst: (0, 0), analytic: 0.0, numeric: 0.0, checked: 0 };
    for (pi, p) in params.iter().enumerate() {
        let original = p.value().as_standard_layout().into_owned();
        for (i, &x) in original.iter().enumerate() {
            let (plus, minus) = ((x as f64 + STEP) as f32, (x as f64 - STEP) as f32);
            let at = |v: f32| -> Result<f64> {
                let mut a = original.clone();
                a.as_slice_mut().expect("standard layout")[i] = v;
                p.assign(a)?;
                Ok(f()?.item() as f64)
            };
            let numeric = (at(plus)? - at(minus)?) / (plus as f64 - minus as f64);
            let a = analytic[pi].as_slice().map(|s| s[i]).unwrap_or(0.0) as f64;
            let rel = (a - numeric).abs() / a.abs().max(numeric.abs()).max(1e-2);
            report.checked += 1;
            if rel > report.max_rel_error || !rel.is_finite() {
                report = GradCheck {
                    max_rel_error: rel,
                    worst: (pi, i),
                    analytic: a,
                    numeric,
                    checked: report.checked,
                };
            }
        }
        p.assign(original)?;
    }
    Ok(report)
}
