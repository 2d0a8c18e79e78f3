//! Small helpers, as in `keras.utils`.

use crate::data::ArrayLike;
use crate::{Error, Result};
use ndarray::Array2;

/// One-hot rows: label `l` becomes a row of `num_classes` zeros with a 1 at `l` (Keras'
/// `to_categorical`). Works on integer or float labels of any shape (flattened in order), arrays or
/// views ([`ArrayLike`]: `u8` labels as loaded, the `usize` that `argmax` gives, `f32`, ...).
///
/// ```
/// use nnlab::utils::to_categorical;
/// use nnlab::ndarray::array;
/// let y = to_categorical(&array![2u8, 0], 3).unwrap();
/// assert_eq!(y, array![[0.0f32, 0.0, 1.0], [1.0, 0.0, 0.0]]);
/// assert!(to_categorical(&array![3u8], 3).is_err());
/// ```
pub fn to_categorical(labels: &impl ArrayLike, num_classes: usize) -> Result<Array2<f32>> {
    if num_classes == 0 {
        return Err(Error::value("to_categorical", "num_classes of at least 1", "0"));
    }
    crate::data::check_alloc("to_categorical", &[labels.shape_of().iter().product(), num_classes], 4)?;
    let labels = labels.to_f64_vec();
    let mut out = Array2::zeros((labels.len(), num_classes));
    for (i, &l) in labels.iter().enumerate() {
        if !(l >= 0.0 && l.fract() == 0.0 && l < num_classes as f64) {
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
