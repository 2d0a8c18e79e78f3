//! Backpropagation for one example, line by line as in the lecture's `backprop`.
//!
//! Forward: `zˡ = wˡ aˡ⁻¹ + bˡ`, `aˡ = σ(zˡ)`, keeping every `a` (`a⁰` is the input).
//! Backward: the output error `δᴸ` from the cost (BP1), then `δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ'(zˡ)` (BP2), and
//! the gradients `∂C/∂bˡ = δˡ` (BP3), `∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ` (BP4). Shapes for `[784, 28, 28, 10]`:
//! `a⁰ (784, 1)`, `z¹, a¹, δ¹ (28, 1)`, ..., `δ³ (10, 1)`; `∂C/∂w¹ (28, 784)` like `w¹`.
//!
//! `σ'(zˡ)` is computed as `aˡ (1 − aˡ)`: the same numbers as the lecture's `sigmoid_deriv(z)`, without
//! a second exponential. The training loop does not need each example's gradients on their own, only
//! their sum over the mini-batch, so the work is done by [`add_backprop`], which adds `δˡ (aˡ⁻¹)ᵀ`
//! straight into the sums (the lecture's `partial_deriv_weights[l] + deriv_weight[l]`, without storing
//! a `(28, 784)` matrix per example); [`backprop`] adds into zeros.

use ndarray::{Array1, Array2, ArrayView1, Axis};

use super::activation::sigmoid_scalar;
use super::check::{check_network, check_rows};
use super::cost::Cost;
use crate::Result;

/// `(deriv_bias, deriv_weight)`: one gradient array per layer, shaped like `biases[l]` and `weights[l]`.
pub type Gradients = (Vec<Array2<f64>>, Vec<Array2<f64>>);

/// The gradients of one example's cost: `(deriv_bias, deriv_weight)`, one array per layer shaped like
/// `biases[l]` and `weights[l]`, for input column `net_input (in, 1)` and target column `y (out, 1)`.
/// The lecture's `backprop(net_input, y, biases, weights, cross_entropy)`, with the cost named.
///
/// Errors: mismatched `weights`/`biases` lists, an input or target of the wrong shape.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::scratch::{self, Cost};
/// let mut rnd = RandomState::new(1);
/// let (biases, weights) = (scratch::set_biases(&[3, 2], &mut rnd), scratch::set_weights(&[(4, 3), (3, 2)], &mut rnd));
/// let (x, y) = (array![[0.1], [0.2], [0.3], [0.4]], array![[1.0], [0.0]]);
/// let (db, dw) = scratch::backprop(&x, &y, &biases, &weights, Cost::Quadratic)?;
/// assert_eq!((db[0].shape(), dw[0].shape()), (&[3, 1][..], &[3, 4][..]));
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn backprop(
    net_input: &Array2<f64>,
    y: &Array2<f64>,
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
    cost: Cost,
) -> Result<Gradients> {
    let op = "scratch::backprop";
    check_network(op, biases, weights)?;
    check_example(op, net_input, y, weights)?;
    let mut deriv_bias: Vec<Array2<f64>> = biases.iter().map(|b| Array2::zeros(b.raw_dim())).collect();
    let mut deriv_weight: Vec<Array2<f64>> = weights.iter().map(|w| Array2::zeros(w.raw_dim())).collect();
    add_backprop(net_input, y, biases, weights, cost, &mut deriv_bias, &mut deriv_weight);
    Ok((deriv_bias, deriv_weight))
}

/// `net_input` is an `(in, 1)` column and `y` an `(out, 1)` column for the network `weights`.
pub(crate) fn check_example(
    op: &str,
    net_input: &Array2<f64>,
    y: &Array2<f64>,
    weights: &[Array2<f64>],
) -> Result<()> {
    check_rows(op, "an input column", net_input, weights[0].ncols(), Some(1))?;
    check_rows(op, "a target column", y, weights[weights.len() - 1].nrows(), Some(1))
}

/// Backpropagation of one example, adding its gradients to the sums: `sum_b[l] += δˡ` (BP3) and
/// `sum_w[l] += δˡ (aˡ⁻¹)ᵀ` (BP4: row `i` of `sum_w[l]` gains `δˡᵢ · aˡ⁻¹`). Shapes are checked by
/// the caller ([`check_example`]; `sum_b`, `sum_w` shaped like `biases`, `weights`).
pub(crate) fn add_backprop(
    net_input: &Array2<f64>,
    y: &Array2<f64>,
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
    cost: Cost,
    sum_b: &mut [Array2<f64>],
    sum_w: &mut [Array2<f64>],
) {
    let layers = weights.len();
    // a[l] is the input of layer l: a[0] the example, a[l + 1] = σ(w[l] a[l] + b[l])
    let mut a: Vec<Array1<f64>> = Vec::with_capacity(layers + 1);
    a.push(net_input.column(0).to_owned());
    // FORWARD RUN: zˡ = wˡ aˡ⁻¹ + bˡ (a matrix-vector product), aˡ = σ(zˡ)
    for (b, w) in biases.iter().zip(weights) {
        let z = w.dot(&a[a.len() - 1]) + b.column(0);
        a.push(z.mapv(sigmoid_scalar));
    }
    // BACKWARD RUN: the output error (BP1), then each layer from the last hidden one down to the first
    let mut delta = Array2::zeros((weights[layers - 1].nrows(), 1));
    cost.delta_into(a[layers].view().insert_axis(Axis(1)), y.view(), delta.view_mut());
    let mut delta = delta.remove_axis(Axis(1));
    for l in (0..layers).rev() {
        if l + 1 < layers {
            // BP2: δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ'(zˡ), with σ'(zˡ) = aˡ(1 − aˡ) (a[l + 1] is layer l's output)
            delta = weights[l + 1].t().dot(&delta) * a[l + 1].mapv(|a| a * (1.0 - a));
        }
        sum_b[l].column_mut(0).zip_mut_with(&delta, |s, &d| *s += d); // BP3
        add_outer(&mut sum_w[l], delta.view(), a[l].view()); // BP4 (a[l] is this layer's input)
    }
}

/// `sum (r, c) += d (r, 1) · inputᵀ (1, c)`, row by row: row `i` gains `dᵢ · input`.
fn add_outer(sum: &mut Array2<f64>, d: ArrayView1<f64>, input: ArrayView1<f64>) {
    for (mut row, &di) in sum.rows_mut().into_iter().zip(d) {
        row.scaled_add(di, &input);
    }
}
