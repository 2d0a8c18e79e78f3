//! Element type conversions and rescaling: `x_train / 255` into f32 or f64.

use ndarray::{Array, ArrayBase, Data, Dimension};

use super::{max, min, Element};
use crate::{Error, Result};

/// The array with every element converted to `f32` (numpy's `a.astype(np.float32)`), any dimension.
///
/// Normalising images as the lecture does (`x_train / 255`) is then ordinary ndarray arithmetic:
///
/// ```
/// use nnlab::prelude::*;
/// let x_train: Array3<u8> = Array3::from_elem((2, 28, 28), 255);
/// let x = np::to_f32(&x_train) / 255.0;
/// assert_eq!(x[[0, 0, 0]], 1.0f32);
/// ```
pub fn to_f32<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Array<f32, D> {
    a.mapv(A::to_f32)
}

/// The array with every element converted to `f64` (`a.astype(np.float64)`), any dimension. numpy's
/// `x_train / 255` on `uint8` data gives float64: `np::to_f64(&x_train) / 255.0` is the same array.
///
/// ```
/// use nnlab::prelude::*;
/// let x = np::to_f64(&array![[0u8, 51], [102, 255]]) / 255.0;
/// assert_eq!(x, array![[0.0, 0.2], [0.4, 1.0]]);
/// ```
pub fn to_f64<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Array<f64, D> {
    a.mapv(A::to_f64)
}

/// Rescales the whole array linearly onto `[0, 1]`: `(x - min) / (max - min)`, in f64.
///
/// The lecture imports scikit-learn's `MinMaxScaler` ("data needs to be normalized") but then divides
/// by 255, which for images whose pixels span 0..=255 is the same thing. Note that scikit-learn's
/// scaler works per column (per feature) of a 2-D matrix; this function uses one minimum and one
/// maximum for the whole array, which is what images need. An error for an empty array, a constant
/// array (`max == min`) or one holding a NaN.
///
/// ```
/// use nnlab::prelude::*;
/// let x = np::minmax_scale(&array![[0u8, 255], [51, 102]])?;
/// assert_eq!(x, np::to_f64(&array![[0u8, 255], [51, 102]]) / 255.0);
/// assert!(np::minmax_scale(&array![3.0, 3.0]).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn minmax_scale<A: Element, S: Data<Elem = A>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> Result<Array<f64, D>> {
    let (lo, hi) = (min(a)?.to_f64(), max(a)?.to_f64());
    let span = hi - lo;
    if !span.is_finite() || span <= 0.0 {
        return Err(Error::value(
            "np::minmax_scale",
            "finite values with max > min",
            format!("min {lo}, max {hi}"),
        ));
    }
    Ok(a.mapv(|x| (x.to_f64() - lo) / span))
}

/// The numpy name of the element type, like `x.dtype`: `"uint8"` for MNIST's pixels, `"float64"`
/// after `np::to_f64`, `"float32"` for what the models take.
///
/// ```
/// use nnlab::prelude::*;
/// let pixels = Array3::<u8>::zeros((2, 28, 28));
/// assert_eq!(np::dtype(&pixels), "uint8");
/// assert_eq!(np::dtype(&(np::to_f64(&pixels) / 255.0)), "float64");
/// ```
pub fn dtype<A: Element, S: Data<Elem = A>, D: Dimension>(_a: &ArrayBase<S, D>) -> &'static str {
    A::DTYPE
}
