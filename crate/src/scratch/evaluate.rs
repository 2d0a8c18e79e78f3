//! Using the network: its output for an input (`net_output`) and how many test examples it classifies
//! correctly (`evaluation`, the lecture's score).

use ndarray::{s, Array2, Axis, ShapeBuilder, Zip};

use super::activation::{sigmoid, sigmoid_scalar};
use super::check::{check_network, check_rows};
use super::gemm::{dot, gemm_into};
use super::halves::halves;
use crate::linalg::join;
use crate::{Error, Result};

/// The network's output `aᴸ` for `net_input`: `a ← σ(w a + b)` layer after layer, like the lecture's
/// `net_output(net_input, biases, weights)`. `net_input` is `(in, 1)`, or `(in, m)` for `m` examples
/// side by side (the bias is added to every column); the result is `(out, 1)` or `(out, m)`.
///
/// Errors: mismatched `weights`/`biases` lists, an input without `in` rows.
///
/// ```
/// use nnlab::prelude::*;
/// let mut rnd = RandomState::new(121);
/// let biases = scratch::set_biases(&[28, 10], &mut rnd.clone());
/// let weights = scratch::set_weights(&[(784, 28), (28, 10)], &mut rnd.clone());
/// let out = scratch::net_output(&Array2::zeros((784, 1)), &biases, &weights)?;
/// assert_eq!(out.shape(), &[10, 1]);
/// assert!(scratch::net_output(&Array2::zeros((783, 1)), &biases, &weights).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn net_output(
    net_input: &Array2<f64>,
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
) -> Result<Array2<f64>> {
    let op = "scratch::net_output";
    check_network(op, biases, weights)?;
    check_rows(op, "an input with one row per input neuron", net_input, weights[0].ncols(), None)?;
    let mut a = net_input.clone();
    for (b, w) in biases.iter().zip(weights) {
        a = sigmoid(&(dot(w, &a) + b));
    }
    Ok(a)
}

/// Examples per matrix product in [`evaluation`].
const BLOCK: usize = 500;

/// How many `(input, class)` test examples the network classifies correctly: the class is the row of
/// the largest output (`np.argmax`, the first one on ties), like the lecture's
/// `evaluation(test_data, biases, weights)`. Computed `BLOCK` examples at a time as `(in, 500)`
/// matrices (each column's output is the same number as [`net_output`] of that column alone, up to
/// the rounding of the product), each half of the test set on its own thread.
///
/// Errors: mismatched `weights`/`biases` lists, an input of the wrong shape, a class outside the
/// output range.
///
/// ```
/// use nnlab::prelude::*;
/// let weights = vec![array![[1.0, 0.0], [0.0, 1.0]]];
/// let test_data = vec![(array![[5.0], [0.0]], 0), (array![[0.0], [5.0]], 1), (array![[0.0], [5.0]], 0)];
/// let biases = vec![Array2::zeros((2, 1))];
/// assert_eq!(scratch::evaluation(&test_data, &biases, &weights)?, 2);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn evaluation(
    test_data: &[(Array2<f64>, usize)],
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
) -> Result<usize> {
    let op = "scratch::evaluation";
    check_network(op, biases, weights)?;
    let (n_in, n_out) = (weights[0].ncols(), weights[weights.len() - 1].nrows());
    for (k, (x, y)) in test_data.iter().enumerate() {
        check_rows(op, &format!("test_data[{k}] an input column"), x, n_in, Some(1))?;
        if *y >= n_out {
            return Err(Error::value(
                op,
                format!("test labels from 0 to {} (the network has {n_out} outputs)", n_out - 1),
                format!("label {y} at test_data[{k}]"),
            ));
        }
    }
    // Each half of the test set on its own thread (see halves.rs), then the two counts added.
    let (first, second) = halves(test_data);
    let (c0, c1) = join(|| count_correct(first, biases, weights), || count_correct(second, biases, weights));
    Ok(c0 + c1)
}

/// The correct classifications among `test_data` (checked by the caller), [`BLOCK`] examples at a time.
fn count_correct(
    test_data: &[(Array2<f64>, usize)],
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
) -> usize {
    let block = BLOCK.min(test_data.len()).max(1);
    let mut acts: Vec<Array2<f64>> = std::iter::once(weights[0].ncols())
        .chain(weights.iter().map(|w| w.nrows()))
        .map(|rows| Array2::zeros((rows, block).f()))
        .collect();
    let mut correct = 0;
    for chunk in test_data.chunks(block) {
        let m = chunk.len();
        for (j, (x, _)) in chunk.iter().enumerate() {
            acts[0].column_mut(j).assign(&x.column(0));
        }
        for (l, (b, w)) in biases.iter().zip(weights).enumerate() {
            let (before, rest) = acts.split_at_mut(l + 1);
            let mut out = rest[0].slice_mut(s![.., ..m]);
            gemm_into(w, &before[l].slice(s![.., ..m]), out.view_mut());
            for mut col in out.axis_iter_mut(Axis(1)) {
                Zip::from(&mut col).and(&b.column(0)).for_each(|a, &b| *a = sigmoid_scalar(*a + b));
            }
        }
        let output = acts[weights.len()].slice(s![.., ..m]);
        for (col, (_, y)) in output.axis_iter(Axis(1)).zip(chunk) {
            if argmax(col.iter().copied()) == *y {
                correct += 1;
            }
        }
    }
    correct
}

/// The index of the first largest value (NaN never wins, as no comparison with it is true).
fn argmax(values: impl Iterator<Item = f64>) -> usize {
    let mut best = (0, f64::NEG_INFINITY);
    for (i, v) in values.enumerate() {
        if v > best.1 {
            best = (i, v);
        }
    }
    best.0
}
