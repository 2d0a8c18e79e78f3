//! Checks shared by the from-scratch functions: a network's weights and biases fit together, inputs and
//! targets are columns of the right length. Each failure is an [`Error`] naming the operation.

use ndarray::{ArrayBase, Data, Ix2};

use crate::{Error, Result};

/// The network is well formed: at least one layer, as many biases as weights, `weights[l]` is
/// `(out_l, in_l)`, `biases[l]` is `(out_l, 1)`, and `in_{l+1} = out_l`.
pub(crate) fn check_network<S, T>(
    op: &str,
    biases: &[ArrayBase<S, Ix2>],
    weights: &[ArrayBase<T, Ix2>],
) -> Result<()>
where
    S: Data<Elem = f64>,
    T: Data<Elem = f64>,
{
    if weights.is_empty() {
        return Err(Error::value(
            op,
            "at least one weight matrix (layer sizes with at least two entries)",
            "an empty list of weights",
        ));
    }
    if biases.len() != weights.len() {
        return Err(Error::shape(
            op,
            format!("as many bias vectors as weight matrices ({})", weights.len()),
            format!("{} bias vectors", biases.len()),
        ));
    }
    for (l, (b, w)) in biases.iter().zip(weights).enumerate() {
        if w.is_empty() {
            return Err(Error::shape(
                op,
                format!("weights[{l}] with at least one row and one column"),
                format!("shape {:?}", w.shape()),
            ));
        }
        if b.dim() != (w.nrows(), 1) {
            return Err(Error::shape(
                op,
                format!(
                    "biases[{l}] of shape [{}, 1] to go with weights[{l}] of shape {:?}",
                    w.nrows(),
                    w.shape()
                ),
                format!("{:?}", b.shape()),
            ));
        }
        if l > 0 && w.ncols() != weights[l - 1].nrows() {
            return Err(Error::shape(
                op,
                format!(
                    "weights[{l}] with {} columns (the {} outputs of weights[{}])",
                    weights[l - 1].nrows(),
                    weights[l - 1].nrows(),
                    l - 1
                ),
                format!("shape {:?}", w.shape()),
            ));
        }
    }
    Ok(())
}

/// `a` has `rows` rows (and, when `cols` is given, that many columns).
pub(crate) fn check_rows<S>(
    op: &str,
    what: &str,
    a: &ArrayBase<S, Ix2>,
    rows: usize,
    cols: Option<usize>,
) -> Result<()>
where
    S: Data<Elem = f64>,
{
    let ok = a.nrows() == rows && cols.is_none_or(|c| a.ncols() == c);
    if !ok {
        let expected = match cols {
            Some(c) => format!("{what} of shape [{rows}, {c}]"),
            None => format!("{what} with {rows} rows"),
        };
        return Err(Error::shape(op, expected, format!("{:?}", a.shape())));
    }
    Ok(())
}
