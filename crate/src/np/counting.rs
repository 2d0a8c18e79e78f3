//! Counting values: numpy's `bincount`, `unique` and `unique_counts` (how many pictures of each digit?).

use ndarray::{Array1, ArrayBase, Data, Dimension};

use super::Element;
use crate::{Error, Result};

/// How often each value `0, 1, ..., max` occurs among the elements of `a`, like `np.bincount(a)`:
/// `counts[k]` is the number of elements equal to `k`, for labels such as MNIST's digits. Every element
/// must be a whole number ≥ 0 (an error names the first one that is not); any dimension, read in
/// row-major order. An empty array gives no counts.
///
/// ```
/// use nnlab::prelude::*;
/// let labels = array![5u8, 0, 4, 1, 9, 2, 1];
/// assert_eq!(np::bincount(&labels)?, array![1, 2, 1, 0, 1, 1, 0, 0, 0, 1]);
/// assert!(np::bincount(&array![1.5, 2.0]).unwrap_err().to_string().contains("1.5"));
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn bincount<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Result<Array1<usize>> {
    let mut counts = vec![];
    for (i, &v) in a.iter().enumerate() {
        let x = v.to_f64();
        // A "label" of 2^32 or more would allocate gigabytes of counts: a mistake, not a class.
        if !(x >= 0.0 && x.fract() == 0.0 && x < 4_294_967_296.0) {
            return Err(Error::value(
                "np::bincount",
                "whole numbers ≥ 0 (class labels)",
                format!("{x} at flat index {i}"),
            ));
        }
        let k = x as usize;
        if k >= counts.len() {
            counts.resize(k + 1, 0);
        }
        counts[k] += 1;
    }
    Ok(Array1::from(counts))
}

/// The sorted distinct values of `a` and how often each occurs, like numpy 2's
/// `np.unique_counts(a)` (`np.unique(a, return_counts=True)`). NaNs sort last and count as one value,
/// as numpy does.
///
/// ```
/// use nnlab::prelude::*;
/// let (values, counts) = np::unique_counts(&array![[3u8, 1], [3, 7]]);
/// assert_eq!(values, array![1u8, 3, 7]);
/// assert_eq!(counts, array![1, 2, 1]);
/// ```
pub fn unique_counts<A: Element, S: Data<Elem = A>, D: Dimension>(
    a: &ArrayBase<S, D>,
) -> (Array1<A>, Array1<usize>) {
    let is_nan = |x: &A| x.partial_cmp(x).is_none();
    let mut sorted: Vec<A> = a.iter().copied().collect();
    sorted.sort_by(|x, y| match (is_nan(x), is_nan(y)) {
        (false, false) => x.partial_cmp(y).expect("neither is NaN"),
        (nan_x, nan_y) => nan_x.cmp(&nan_y),
    });
    let (mut values, mut counts) = (Vec::<A>::new(), Vec::<usize>::new());
    for x in sorted {
        match values.last() {
            Some(last) if last == &x || (is_nan(last) && is_nan(&x)) => {
                *counts.last_mut().expect("same length") += 1
            }
            _ => {
                values.push(x);
                counts.push(1);
            }
        }
    }
    (Array1::from(values), Array1::from(counts))
}

/// The sorted distinct values of `a`, like `np.unique(a)`; see [`unique_counts`].
///
/// ```
/// use nnlab::prelude::*;
/// assert_eq!(np::unique(&array![2.0, -1.0, 2.0, f64::NAN, f64::NAN]).len(), 3);
/// assert_eq!(np::unique(&array![9u8, 0, 9]), array![0u8, 9]);
/// ```
pub fn unique<A: Element, S: Data<Elem = A>, D: Dimension>(a: &ArrayBase<S, D>) -> Array1<A> {
    unique_counts(a).0
}
