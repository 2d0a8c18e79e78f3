//! Small helpers, as in `keras.utils`.

use crate::{Error, Result};
use ndarray::{Array, Array2, Dimension};

/// One-hot rows: label `l` becomes a row of `num_classes` zeros with a 1 at `l` (Keras'
/// `to_categorical`). Works on integer or float labels of any shape (flattened in order).
///
/// ```
/// use nnlab::utils::to_categorical;
/// use nnlab::ndarray::array;
/// let y = to_categorical(&array![2u8, 0], 3).unwrap();
/// assert_eq!(y, array![[0.0f32, 0.0, 1.0], [1.0, 0.0, 0.0]]);
/// assert!(to_categorical(&array![3u8], 3).is_err());
/// ```
pub fn to_categorical<T: Copy + Into<f64>, D: Dimension>(
    labels: &Array<T, D>,
    num_classes: usize,
) -> Result<Array2<f32>> {
    let mut out = Array2::zeros((labels.len(), num_classes));
    for (i, &l) in labels.iter().enumerate() {
        let l: f64 = l.into();
        if l < 0.0 || l.fract() != 0.0 || l as usize >= num_classes {
            return Err(Error::value(
                "to_categorical",
                format!("labels in 0..{num_classes}"),
                format!("{l} at position {i}"),
            ));
        }
        out[[i, l as usize]] = 1.0;
    }
    Ok(out)
}
