//! Changing an array's shape without changing its elements: numpy's `reshape`, `flatten` and
//! `expand_dims`.

use ndarray::{Array, Array1, ArrayBase, ArrayD, Axis, Data, Dimension, IntoDimension, Order};

use crate::{Error, Result};

/// The elements of `a` in a new shape, read in row-major (C) order, like numpy's
/// `a.reshape(shape)`: the lecture's `np.reshape(x_test, [10000, 784])` is
/// `np::reshape(&x_test, (10000, 784))?`. The shape is a tuple or an array of `usize`; its product
/// must be `a.len()`. Any element type and dimension, owned array or view; the result is a new array
/// of `shape.len()` dimensions (`(10000, 784)` gives an `Array2`).
///
/// ```
/// use nnlab::prelude::*;
/// let images = Array3::from_shape_fn((2, 28, 28), |(k, i, j)| (k + i + j) as u8);
/// let rows = np::reshape(&images, (2, 28 * 28))?;          // (2, 784): one image per row
/// assert_eq!(rows[[1, 28 + 3]], images[[1, 1, 3]]);
/// let column = np::reshape(&images.slice(s![0, .., ..]), (784, 1))?; // one image as a column
/// assert_eq!(column.shape(), &[784, 1]);
/// let err = np::reshape(&images, (2, 700)).unwrap_err().to_string();
/// assert!(err.contains("np::reshape") && err.contains("1568"), "{err}");
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn reshape<A, S, D, Sh>(a: &ArrayBase<S, D>, shape: Sh) -> Result<Array<A, Sh::Dim>>
where
    A: Clone,
    S: Data<Elem = A>,
    D: Dimension,
    Sh: IntoDimension,
{
    let dim = shape.into_dimension();
    if dim.size() != a.len() {
        return Err(Error::shape(
            "np::reshape",
            format!("a shape of {} elements, as many as the array of shape {:?} holds", a.len(), a.shape()),
            format!("{:?} ({} elements)", dim.slice(), dim.size()),
        ));
    }
    let reshaped = a.to_shape((dim, Order::RowMajor)).expect("the sizes are equal, checked above");
    Ok(reshaped.into_owned())
}

/// All elements of `a` in one row, in row-major (C) order, like numpy's `a.flatten()`.
///
/// ```
/// use nnlab::prelude::*;
/// let a = array![[1u8, 2, 3], [4, 5, 6]];
/// assert_eq!(np::flatten(&a), array![1u8, 2, 3, 4, 5, 6]);
/// assert_eq!(np::flatten(&a.t()), array![1u8, 4, 2, 5, 3, 6]); // a view, read in its own order
/// ```
pub fn flatten<A: Clone, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Array1<A> {
    a.iter().cloned().collect()
}

/// `a` with a new axis of size 1 at `axis` (negative counts from the end, `-1` is after the last),
/// like numpy's `np.expand_dims(a, axis)`: MNIST's images `[60000, 28, 28]` become
/// `[60000, 28, 28, 1]`, the one-channel images a `Conv2D` takes.
///
/// ```
/// use nnlab::prelude::*;
/// let images = Array3::<u8>::zeros((5, 28, 28));
/// assert_eq!(np::expand_dims(&images, -1)?.shape(), &[5, 28, 28, 1]);
/// assert_eq!(np::expand_dims(&images, 0)?.shape(), &[1, 5, 28, 28]);
/// assert!(np::expand_dims(&images, 5).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn expand_dims<A: Clone, S: Data<Elem = A>, D: Dimension>(
    a: &ArrayBase<S, D>,
    axis: isize,
) -> Result<ArrayD<A>> {
    let n = a.ndim() as isize + 1; // the result's number of axes
    let at = if axis < 0 { axis + n } else { axis };
    if !(0..n).contains(&at) {
        return Err(Error::value(
            "np::expand_dims",
            format!("an axis from {} to {} for an array of {} axes", -n, n - 1, n - 1),
            format!("{axis}"),
        ));
    }
    Ok(a.to_owned().into_dyn().insert_axis(Axis(at as usize)))
}
