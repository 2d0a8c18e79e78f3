//! Backpropagation for one example, line by line as in the lecture's `backprop`.
//!
//! Forward: `zˡ = wˡ aˡ⁻¹ + bˡ`, `aˡ = σ(zˡ)`, keeping every `z` and `a` (`a⁰` is the input).
//! Backward: the output error `δᴸ` from the cost (BP1), then `δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ'(zˡ)` (BP2), and
//! the gradients `∂C/∂bˡ = δˡ` (BP3), `∂C/∂wˡ = δˡ (aˡ⁻¹)ᵀ` (BP4). Shapes for `[784, 28, 28, 10]`:
//! `a⁰ (784, 1)`, `z¹, a¹, δ¹ (28, 1)`, ..., `δ³ (10, 1)`; `∂C/∂w¹ (28, 784)` like `w¹`.

use ndarray::Array2;

use super::activation::{sigmoid, sigmoid_deriv};
use super::check::{check_network, check_rows};
use super::cost::Cost;
use super::gemm::dot;
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
    let layers = weights.len();
    check_rows(op, "an input column", net_input, weights[0].ncols(), Some(1))?;
    check_rows(op, "a target column", y, weights[layers - 1].nrows(), Some(1))?;

    let mut a = vec![net_input.clone()]; // all the activations, layer by layer
    let mut zs = Vec::with_capacity(layers); // all the weighted inputs z, layer by layer
                                             // FORWARD RUN
    for (b, w) in biases.iter().zip(weights) {
        let z = dot(w, &a[a.len() - 1]) + b;
        a.push(sigmoid(&z));
        zs.push(z);
    }

    let mut deriv_bias = vec![Array2::zeros((0, 0)); layers];
    let mut deriv_weight = vec![Array2::zeros((0, 0)); layers];
    // BACKWARD RUN: the output error (BP1), then each layer from the last hidden one down to the first
    let mut delta = cost.delta(&a[layers], y, &zs[layers - 1])?;
    for l in (0..layers).rev() {
        if l + 1 < layers {
            // BP2: δˡ = (wˡ⁺¹)ᵀ δˡ⁺¹ ⊙ σ'(zˡ)  (Hadamard product *)
            delta = dot(&weights[l + 1].t(), &delta) * sigmoid_deriv(&zs[l]);
        }
        deriv_weight[l] = dot(&delta, &a[l].t()); // BP4 (a[l] is this layer's input)
        deriv_bias[l] = delta.clone(); // BP3
    }
    Ok((deriv_bias, deriv_weight))
}
