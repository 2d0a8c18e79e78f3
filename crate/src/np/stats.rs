//! Reductions with numpy's names: `max`, `min`, `mean`, `std`, `argmax` (of the whole array) and
//! `argmax_axis` (along one axis).

use ndarray::{Array, ArrayBase, Axis, Data, Dimension, RemoveAxis};

use super::Element;
use crate::{Error, Result};

fn nonempty<A, S: Data<Elem = A>, D: Dimension>(op: &str, a: &ArrayBase<S, D>) -> Result<()> {
    if a.is_empty() {
        return Err(Error::shape(op, "a non-empty array", format!("an array of shape {:?}", a.shape())));
    }
    Ok(())
}

/// The first NaN (`x != x`) if there is one, else the index and value of the first element that wins
/// `better(x, best)`: numpy's reductions propagate NaN.
fn pick<A: Element, S: Data<Elem = A>, D: Dimension>(
    op: &str,
    a: &ArrayBase<S, D>,
    better: impl Fn(A, A) -> bool,
) -> Result<(usize, A)> {
    nonempty(op, a)?;
    let mut it = a.iter().copied().enumerate();
    let mut best = it.next().expect("checked non-empty");
    if best.1.partial_cmp(&best.1).is_none() {
        return Ok(best);
    }
    for (i, x) in it {
        if x.partial_cmp(&x).is_none() {
            return Ok((i, x));
        }
        if better(x, best.1) {
            best = (i, x);
        }
    }
    Ok(best)
}

/// The largest element, like `a.max()` in numpy (NaN if the array holds a NaN). Any element type
/// (`u8`, `i64`, `f32`, `f64`, ...), any dimension, owned array or view; an error for an empty array.
///
/// ```
/// use nnlab::prelude::*;
/// let x: Array3<u8> = Array3::from_elem((2, 28, 28), 7);
/// assert_eq!(np::max(&x)?, 7u8);
/// assert_eq!(np::max(&array![1.5, -2.0])?, 1.5);
/// assert!(np::max(&Array1::<f64>::zeros(0)).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn max<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<A> {
    Ok(pick("np::max", a, |x, best| x > best)?.1)
}

/// The smallest element, like `a.min()`; see [`max`].
///
/// ```
/// use nnlab::prelude::*;
/// assert_eq!(np::min(&array![[3i64, -4], [5, 0]])?, -4);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn min<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<A> {
    Ok(pick("np::min", a, |x, best| x < best)?.1)
}

/// The flat index (C order) of the first largest element, like `np.argmax(a)`.
///
/// The lecture takes it of a `(10, 1)` output column to read the predicted digit; any dimension works
/// and counts elements row by row, as numpy does. An error for an empty array.
///
/// ```
/// use nnlab::prelude::*;
/// assert_eq!(np::argmax(&array![0.1, 0.7, 0.2, 0.7])?, 1);
/// let output = array![[0.1], [0.0], [0.9]]; // a (3, 1) column
/// assert_eq!(np::argmax(&output)?, 2);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn argmax<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<usize> {
    Ok(pick("np::argmax", a, |x, best| x > best)?.0)
}

/// The sum in f64 of `f(x)` over all elements, by pairwise summation (error ~ log n ulps, like numpy).
fn pairwise_sum<A: Element>(values: &[A], f: &impl Fn(A) -> f64) -> f64 {
    if values.len() <= 128 {
        return values.iter().map(|&x| f(x)).sum();
    }
    let (left, right) = values.split_at(values.len() / 2);
    pairwise_sum(left, f) + pairwise_sum(right, f)
}

fn sum_f64<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>, f: impl Fn(A) -> f64) -> f64 {
    match a.as_slice_memory_order() {
        Some(s) => pairwise_sum(s, &f),
        None => pairwise_sum(&a.iter().copied().collect::<Vec<_>>(), &f),
    }
}

/// The mean of all elements in f64, `Σx / n`, like `a.mean()` (works on `u8` images without
/// overflow: every element is converted to f64 first). An error for an empty array.
///
/// ```
/// use nnlab::prelude::*;
/// assert_eq!(np::mean(&array![[0u8, 255], [255, 255]])?, 191.25);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn mean<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<f64> {
    nonempty("np::mean", a)?;
    Ok(sum_f64(a, A::to_f64) / a.len() as f64)
}

/// The population standard deviation of all elements, `sqrt(Σ(x - mean)² / n)` (numpy's default
/// `ddof = 0`), like `x_train.std()`. Computed in f64 in two passes (mean first, then the squared
/// deviations), with pairwise sums, so it is accurate on `u8` data too. An error for an empty array.
///
/// ```
/// use nnlab::prelude::*;
/// assert_eq!(np::std(&array![2u8, 4, 4, 4, 5, 5, 7, 9])?, 2.0);
/// assert_eq!(np::std(&array![1.0f32])?, 0.0);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn std<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<f64> {
    nonempty("np::std", a)?;
    let m = mean(a)?;
    let var = sum_f64(a, |x| {
        let d = x.to_f64() - m;
        d * d
    }) / a.len() as f64;
    Ok(var.sqrt())
}

/// The index of the first largest element along `axis`, like `np.argmax(a, axis=axis)`: for a
/// `(n, 10)` array of predictions, `np::argmax_axis(&p, 1)?` is the `(n,)` array of predicted
/// classes. The result has one dimension less than `a`; a NaN wins where there is one, as in numpy.
/// An error when `axis` is not an axis of `a` or has length 0.
///
/// ```
/// use nnlab::prelude::*;
/// let predictions = array![[0.1, 0.7, 0.2], [0.8, 0.1, 0.1]];
/// assert_eq!(np::argmax_axis(&predictions, 1)?, array![1, 0]);
/// assert_eq!(np::argmax_axis(&predictions, 0)?, array![1, 0, 0]);
/// assert!(np::argmax_axis(&predictions, 2).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn argmax_axis<A, S, D>(a: &ArrayBase<S, D>, axis: usize) -> Result<Array<usize, D::Smaller>>
where
    A: Element,
    S: Data<Elem = A>,
    D: RemoveAxis,
{
    let op = "np::argmax_axis";
    if axis >= a.ndim() {
        return Err(Error::shape(
            op,
            format!("an axis below {} (the array's dimensions)", a.ndim()),
            format!("axis {axis} of an array of shape {:?}", a.shape()),
        ));
    }
    if a.len_of(Axis(axis)) == 0 {
        return Err(Error::shape(op, format!("axis {axis} of length ≥ 1"), format!("shape {:?}", a.shape())));
    }
    Ok(a.map_axis(Axis(axis), |lane| pick(op, &lane, |x, best| x > best).expect("checked non-empty").0))
}
