//! Changing an array's shape without changing its elements: numpy's `reshape` and `flatten`.

use ndarray::{Array, Array1, ArrayBase, Data, Dimension, IntoDimension, Order};

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
