//! What the plotting functions accept: 1-D series (ndarray vectors, `Vec`s, slices, arrays) and
//! 2-D images (ndarray matrices or views) of `u8`, integers, `f32` or `f64`, all read as `f64`.

use ndarray::{Array2, ArrayBase, Data, Ix1, Ix2};

/// A number type a plot can read (converted to `f64`).
pub trait Element: Copy {
    /// The value as `f64`.
    fn to_f64(self) -> f64;
}

macro_rules! element {
    ($($t:ty),*) => {$(
        impl Element for $t {
            fn to_f64(self) -> f64 {
                self as f64
            }
        }
    )*};
}
element!(u8, u16, u32, u64, usize, i8, i16, i32, i64, f32, f64);

/// A sequence of numbers for a line plot: `Array1`, an array view, `Vec`, slice or fixed array.
///
/// ```
/// use nnlab::plot::Series;
/// assert_eq!(vec![1u8, 2].to_f64_vec(), vec![1.0, 2.0]);
/// assert_eq!(ndarray::array![0.5f32].to_f64_vec(), vec![0.5]);
/// ```
pub trait Series {
    /// The values as `f64`.
    fn to_f64_vec(&self) -> Vec<f64>;
}

impl<S, T> Series for ArrayBase<S, Ix1>
where
    S: Data<Elem = T>,
    T: Element,
{
    fn to_f64_vec(&self) -> Vec<f64> {
        self.iter().map(|v| v.to_f64()).collect()
    }
}

impl<T: Element> Series for [T] {
    fn to_f64_vec(&self) -> Vec<f64> {
        self.iter().map(|v| v.to_f64()).collect()
    }
}

impl<T: Element> Series for Vec<T> {
    fn to_f64_vec(&self) -> Vec<f64> {
        self.as_slice().to_f64_vec()
    }
}

impl<T: Element, const N: usize> Series for [T; N] {
    fn to_f64_vec(&self) -> Vec<f64> {
        self.as_slice().to_f64_vec()
    }
}

/// A 2-D array (owned or a view) copied into an `Array2<f64>`.
pub(crate) fn image_f64<S, T>(a: &ArrayBase<S, Ix2>) -> Array2<f64>
where
    S: Data<Elem = T>,
    T: Element,
{
    a.mapv(|v| v.to_f64())
}

/// The smallest and largest finite values, if there is one.
pub(crate) fn finite_range<'a>(values: impl IntoIterator<Item = &'a f64>) -> Option<(f64, f64)> {
    values.into_iter().filter(|v| v.is_finite()).fold(None, |acc, &v| match acc {
        None => Some((v, v)),
        Some((lo, hi)) => Some((lo.min(v), hi.max(v))),
    })
}
