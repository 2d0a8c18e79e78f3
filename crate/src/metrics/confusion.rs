//! The confusion matrix, sklearn's `confusion_matrix(y_true, y_pred)`: entry `[i, j]` counts the
//! examples of true class `i` predicted as class `j`, so the diagonal holds the correct ones.

use crate::plot::Series;
use crate::{Error, Result};
use ndarray::Array2;

/// The confusion matrix of integer class labels: `[n, n]` with `n = 1 + the largest label in either`,
/// entry `[i, j]` the number of examples with true label `i` and predicted label `j`.
///
/// The labels may be any integers as numbers (`u8` labels from `load_data`, the `usize` of
/// `np::argmax_axis`, whole `f32`s); a negative or fractional label, or two lengths, is an error.
///
/// ```
/// use nnlab::metrics::confusion_matrix;
/// use nnlab::ndarray::array;
/// let cm = confusion_matrix(&array![0u8, 1, 2, 2], &vec![0usize, 2, 2, 2])?;
/// assert_eq!(cm, array![[1, 0, 0], [0, 0, 1], [0, 0, 2]]);
/// assert_eq!(cm.diag().sum(), 3); // correct predictions
/// assert!(confusion_matrix(&[0.0, 1.5], &[0.0, 1.0]).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn confusion_matrix<T: Series + ?Sized, P: Series + ?Sized>(
    y_true: &T,
    y_pred: &P,
) -> Result<Array2<usize>> {
    let op = "confusion_matrix";
    let (t, p) = (labels(op, "y_true", y_true)?, labels(op, "y_pred", y_pred)?);
    if t.len() != p.len() {
        return Err(Error::shape(
            op,
            "y_true and y_pred of the same length",
            format!("{} true labels and {} predictions", t.len(), p.len()),
        ));
    }
    let n = t.iter().chain(&p).max().map_or(0, |m| m + 1);
    let mut cm = Array2::zeros((n, n));
    for (&i, &j) in t.iter().zip(&p) {
        cm[[i, j]] += 1;
    }
    Ok(cm)
}

fn labels<S: Series + ?Sized>(op: &str, what: &str, y: &S) -> Result<Vec<usize>> {
    y.to_f64_vec()
        .into_iter()
        .enumerate()
        .map(|(k, v)| {
            if v >= 0.0 && v.fract() == 0.0 && v < 1e9 {
                Ok(v as usize)
            } else {
                Err(Error::value(
                    op,
                    format!("{what} as class labels 0, 1, 2, ..."),
                    format!("{v} at index {k}"),
                ))
            }
        })
        .collect()
}
