//! The network's starting point: random biases and weights drawn from a [`RandomState`], as the
//! lecture's `set_biases`, `prepare_weightMatrix_dim` and `set_weights` do.
//!
//! A network with layer sizes `[784, 28, 28, 10]` has one bias column per layer after the input
//! (`(28, 1)`, `(28, 1)`, `(10, 1)`) and one weight matrix between consecutive layers, of shape
//! `(out, in)`: `(28, 784)`, `(28, 28)`, `(10, 28)`, so that `z = w · a + b` maps a `(in, 1)` column to a
//! `(out, 1)` column. All entries are standard normal, `rnd.randn(...)` in numpy's order.

use ndarray::Array2;

use crate::random::RandomState;
use crate::{Error, Result};

/// One `(y, 1)` column of standard normal biases for each `y` in `bias_matrix_dim` (the layer sizes
/// after the input, `sizes[1..]`), drawn with `rnd.randn((y, 1))` in order, like the lecture's
/// `set_biases(bias_matrix_dim, rnd)`.
///
/// ```
/// use nnlab::prelude::*;
/// let biases = scratch::set_biases(&[28, 28, 10], &mut RandomState::new(121));
/// assert_eq!(biases[2].shape(), &[10, 1]);
/// ```
pub fn set_biases(bias_matrix_dim: &[usize], rnd: &mut RandomState) -> Vec<Array2<f64>> {
    bias_matrix_dim.iter().map(|&y| rnd.randn((y, 1))).collect()
}

/// The `(in, out)` pairs of consecutive layer sizes, like the lecture's `prepare_weightMatrix_dim(sizes)`:
/// `[784, 28, 28, 10]` → `[(784, 28), (28, 28), (28, 10)]`.
///
/// Errors: fewer than two sizes (a network needs an input and an output layer), or a size of 0.
///
/// ```
/// use nnlab::scratch::prepare_weight_matrix_dim;
/// assert_eq!(prepare_weight_matrix_dim(&[784, 28, 28, 10])?, vec![(784, 28), (28, 28), (28, 10)]);
/// assert!(prepare_weight_matrix_dim(&[784]).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn prepare_weight_matrix_dim(sizes: &[usize]) -> Result<Vec<(usize, usize)>> {
    let op = "scratch::prepare_weight_matrix_dim";
    if sizes.len() < 2 {
        return Err(Error::value(op, "at least two layer sizes (input and output)", format!("{sizes:?}")));
    }
    if sizes.contains(&0) {
        return Err(Error::value(op, "layer sizes of at least 1", format!("{sizes:?}")));
    }
    Ok(sizes.windows(2).map(|p| (p[0], p[1])).collect())
}

/// One standard normal `(out, in)` matrix for each `(in, out)` pair, drawn with `rnd.randn((out, in))`
/// in order, like the lecture's `set_weights(weight_matrix_dim, rnd)`.
///
/// ```
/// use nnlab::prelude::*;
/// let dims = scratch::prepare_weight_matrix_dim(&[784, 28, 28, 10])?;
/// let weights = scratch::set_weights(&dims, &mut RandomState::new(121));
/// assert_eq!(weights[0].shape(), &[28, 784]);
/// assert_eq!(weights[2].shape(), &[10, 28]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn set_weights(weight_matrix_dim: &[(usize, usize)], rnd: &mut RandomState) -> Vec<Array2<f64>> {
    weight_matrix_dim.iter().map(|&(x, y)| rnd.randn((y, x))).collect()
}
