//! Backpropagation for a whole mini-batch at once: the `m` input columns side by side as one matrix
//! `X (784, m)`, so that each layer's `m` matrix-vector products become one matrix product.
//!
//! The same equations as [`backprop`](super::backprop()), with columns as examples:
//! `Zˡ = wˡ Aˡ⁻¹ + bˡ` (the bias added to every column), `Aˡ = σ(Zˡ)`; `Δᴸ` from the cost;
//! `Δˡ = (wˡ⁺¹)ᵀ Δˡ⁺¹ ⊙ σ'(Zˡ)`; and the gradients summed over the batch,
//! `Σₓ ∂C/∂bˡ = Δˡ · 1` (the row sums) and `Σₓ ∂C/∂wˡ = Δˡ (Aˡ⁻¹)ᵀ` (the sum over `x` is inside the
//! product). `σ'(Zˡ)` is computed as `Aˡ (1 − Aˡ)`, the same numbers as `sigmoid_deriv(z)`.
//!
//! The training loop keeps one [`Workspace`] for all its mini-batches: nothing is allocated per batch.

use ndarray::{s, Array2, ArrayView2, Axis, ShapeBuilder, Zip};

use super::activation::sigmoid_scalar;
use super::backprop::Gradients;
use super::check::{check_network, check_rows};
use super::cost::Cost;
use super::gemm::gemm_into;
use crate::Result;

/// Preallocated matrices for mini-batches of up to `capacity` examples. Matrices with one column per
/// example are column-major, so each example's column is contiguous (and the first `m` columns too).
pub(crate) struct Workspace {
    capacity: usize,
    x: Array2<f64>,           // inputs (in, capacity)
    y: Array2<f64>,           // targets (out, capacity)
    acts: Vec<Array2<f64>>,   // Aˡ (n_l, capacity)
    deltas: Vec<Array2<f64>>, // Δˡ (n_l, capacity)
    /// `Σₓ ∂C/∂bˡ` after [`Workspace::backprop`], shaped like `biases[l]`.
    pub(crate) grad_b: Vec<Array2<f64>>,
    /// `Σₓ ∂C/∂wˡ` after [`Workspace::backprop`], shaped like `weights[l]`.
    pub(crate) grad_w: Vec<Array2<f64>>,
}

impl Workspace {
    /// Matrices for the network `weights` (checked by the caller) and batches of up to `capacity`.
    pub(crate) fn new(weights: &[Array2<f64>], capacity: usize) -> Workspace {
        let cols = |rows: usize| Array2::zeros((rows, capacity).f());
        Workspace {
            capacity,
            x: cols(weights[0].ncols()),
            y: cols(weights[weights.len() - 1].nrows()),
            acts: weights.iter().map(|w| cols(w.nrows())).collect(),
            deltas: weights.iter().map(|w| cols(w.nrows())).collect(),
            grad_b: weights.iter().map(|w| Array2::zeros((w.nrows(), 1))).collect(),
            grad_w: weights.iter().map(|w| Array2::zeros(w.raw_dim())).collect(),
        }
    }

    /// Copies the examples' input and target columns (shapes checked by the caller) into `X` and `Y`.
    pub(crate) fn load(&mut self, mini_batch: &[&(Array2<f64>, Array2<f64>)]) {
        assert!(mini_batch.len() <= self.capacity, "mini-batch larger than the workspace");
        for (j, (x, y)) in mini_batch.iter().map(|p| (&p.0, &p.1)).enumerate() {
            self.x.column_mut(j).assign(&x.column(0));
            self.y.column_mut(j).assign(&y.column(0));
        }
    }

    /// Forward and backward over the first `m` loaded columns: fills `grad_b` and `grad_w` with the
    /// gradients summed over those examples.
    pub(crate) fn backprop(&mut self, m: usize, biases: &[Array2<f64>], weights: &[Array2<f64>], cost: Cost) {
        let layers = weights.len();
        // FORWARD RUN: Aˡ = σ(wˡ Aˡ⁻¹ + bˡ)
        for l in 0..layers {
            let (before, rest) = self.acts.split_at_mut(l);
            let input = if l == 0 { self.x.slice(s![.., ..m]) } else { before[l - 1].slice(s![.., ..m]) };
            let mut out = rest[0].slice_mut(s![.., ..m]);
            gemm_into(&weights[l], &input, out.view_mut());
            let b = biases[l].column(0);
            for mut col in out.axis_iter_mut(Axis(1)) {
                Zip::from(&mut col).and(&b).for_each(|a, &b| *a = sigmoid_scalar(*a + b));
            }
        }
        // BACKWARD RUN: the output error, then Δˡ = (wˡ⁺¹)ᵀ Δˡ⁺¹ ⊙ Aˡ(1 − Aˡ)
        let last = layers - 1;
        cost.delta_into(
            self.acts[last].slice(s![.., ..m]),
            self.y.slice(s![.., ..m]),
            self.deltas[last].slice_mut(s![.., ..m]),
        );
        for l in (0..layers).rev() {
            if l < last {
                let (lower, upper) = self.deltas.split_at_mut(l + 1);
                let mut delta = lower[l].slice_mut(s![.., ..m]);
                gemm_into(&weights[l + 1].t(), &upper[0].slice(s![.., ..m]), delta.view_mut());
                Zip::from(&mut delta)
                    .and(self.acts[l].slice(s![.., ..m]))
                    .for_each(|d, &a| *d *= a * (1.0 - a));
            }
            let delta = self.deltas[l].slice(s![.., ..m]);
            let input = if l == 0 { self.x.slice(s![.., ..m]) } else { self.acts[l - 1].slice(s![.., ..m]) };
            gemm_into(&delta, &input.t(), self.grad_w[l].view_mut());
            sum_columns(delta, &mut self.grad_b[l]);
        }
    }
}

/// `out (n, 1) ← Σⱼ d[:, j]`, adding the columns in example order (as the lecture's loop does).
fn sum_columns(d: ArrayView2<f64>, out: &mut Array2<f64>) {
    out.fill(0.0);
    let mut acc = out.column_mut(0);
    for col in d.axis_iter(Axis(1)) {
        acc += &col;
    }
}

/// The gradients summed over a mini-batch given as matrices, `X (in, m)` and `Y (out, m)` (one column
/// per example): `(Σₓ ∂C/∂bˡ, Σₓ ∂C/∂wˡ)`, equal (up to rounding) to the sums of
/// [`backprop`](super::backprop()) over the columns.
///
/// Errors: mismatched `weights`/`biases` lists, `X` or `Y` of the wrong shape.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::scratch::{self, Cost};
/// let mut rnd = RandomState::new(1);
/// let (biases, weights) = (scratch::set_biases(&[3, 2], &mut rnd), scratch::set_weights(&[(4, 3), (3, 2)], &mut rnd));
/// let x = rnd.rand((4, 5));
/// let y = array![[1.0, 0.0, 1.0, 0.0, 1.0], [0.0, 1.0, 0.0, 1.0, 0.0]];
/// let (db, dw) = scratch::backprop_batch(&x, &y, &biases, &weights, Cost::Quadratic)?;
/// let mut sum = Array2::zeros((3, 1)); // Σ over the 5 columns of the per-example gradients
/// for j in 0..5 {
///     let (xj, yj) = (x.slice(s![.., j..j + 1]).to_owned(), y.slice(s![.., j..j + 1]).to_owned());
///     sum += &scratch::backprop(&xj, &yj, &biases, &weights, Cost::Quadratic)?.0[0];
/// }
/// assert_eq!(dw[1].shape(), &[2, 3]);
/// assert!((&sum - &db[0]).iter().all(|d| d.abs() < 1e-12));
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn backprop_batch(
    x: &Array2<f64>,
    y: &Array2<f64>,
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
    cost: Cost,
) -> Result<Gradients> {
    let op = "scratch::backprop_batch";
    check_network(op, biases, weights)?;
    let m = x.ncols();
    check_rows(op, "inputs X (one column per example)", x, weights[0].ncols(), None)?;
    check_rows(op, "targets Y (one column per example)", y, weights[weights.len() - 1].nrows(), Some(m))?;
    let mut ws = Workspace::new(weights, m);
    ws.x.assign(x);
    ws.y.assign(y);
    ws.backprop(m, biases, weights, cost);
    Ok((ws.grad_b, ws.grad_w))
}
