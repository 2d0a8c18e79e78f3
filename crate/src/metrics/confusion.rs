//! The confusion matrix, sklearn's `confusion_matrix(y_true, y_pred)`: entry `[i, j]` counts the
//! examples of true class `i` predicted as class `j`, so the diagonal holds the correct ones.

use crate::data::ArrayLike;
use crate::{Error, Result};
use ndarray::Array2;

/// The confusion matrix of integer class labels: `[n, n]` with `n = 1 + the largest label in either`,
/// entry `[i, j]` the number of examples with true label `i` and predicted label `j`.
///
/// The labels are arrays of shape `[n]` (or `[n, 1]`) of whole numbers of any type: the `u8` labels of
/// `load_data`, the predicted classes `np::argmax_axis(&model.predict(&x)?, 1)?`. A one-hot array, a
/// negative or fractional label, or two lengths are an error that says so.
///
/// ```
/// use nnlab::metrics::confusion_matrix;
/// use nnlab::ndarray::array;
/// let cm = confusion_matrix(&array![0u8, 1, 2, 2], &array![0usize, 2, 2, 2])?;
/// assert_eq!(cm, array![[1, 0, 0], [0, 0, 1], [0, 0, 2]]);
/// assert_eq!(cm.diag().sum(), 3); // correct predictions
/// assert!(confusion_matrix(&array![0.0, 1.5], &array![0.0, 1.0]).is_err());
/// let one_hot = array![[1.0f32, 0.0], [0.0, 1.0]];
/// let e = confusion_matrix(&one_hot, &array![0, 1]).unwrap_err().to_string();
/// assert!(e.contains("np::argmax_axis"), "{e}");
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn confusion_matrix(y_true: &impl ArrayLike, y_pred: &impl ArrayLike) -> Result<Array2<usize>> {
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
    crate::data::check_alloc(op, &[n, n], 8)?; // (a mistyped label of 10⁹ would ask for 8 EB)
    let mut cm = Array2::zeros((n, n));
    for (&i, &j) in t.iter().zip(&p) {
        cm[[i, j]] += 1;
    }
    Ok(cm)
}

fn labels(op: &str, what: &str, y: &impl ArrayLike) -> Result<Vec<usize>> {
    let shape = y.shape_of();
    if !matches!(shape, [_] | [_, 1]) {
        return Err(Error::shape(
            op,
            format!("{what} as class labels of shape [n]"),
            format!(
                "shape {shape:?} (one-hot or probabilities? np::argmax_axis(&{what}, 1)? gives the classes)"
            ),
        ));
    }
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

/// The binary confusion counts of every element at one threshold: a nonzero target is a positive,
/// a prediction above `threshold` a predicted positive.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub(crate) struct BinaryCounts {
    pub(crate) tp: usize,
    pub(crate) fp: usize,
    pub(crate) fn_: usize,
}

pub(crate) fn binary_counts(
    y_true: &ndarray::ArrayD<f32>,
    y_pred: &ndarray::ArrayD<f32>,
    threshold: f32,
) -> BinaryCounts {
    let mut c = BinaryCounts::default();
    for (&t, &p) in y_true.iter().zip(y_pred.iter()) {
        match (t != 0.0, p > threshold) {
            (true, true) => c.tp += 1,
            (false, true) => c.fp += 1,
            (true, false) => c.fn_ += 1,
            (false, false) => {}
        }
    }
    c
}
