//! Small numpy-named helpers that ndarray lacks, for the lecture's "numpy basics".
//!
//! Everything takes any element type ([`Element`]: `u8`, `i64`, `f32`, `f64`, ...), any dimension,
//! owned arrays or views, with the types inferred at the call:
//!
//! | numpy | here |
//! |---|---|
//! | `x_train.shape` | `x_train.shape()` (ndarray) |
//! | `x_train.max()`, `.min()` | [`max`]`(&x_train)?`, [`min`] |
//! | `x_train.mean()`, `x_train.std()` | [`mean`], [`std`](fn@std) (f64, population std) |
//! | `x_train / 255` | [`to_f64`]`(&x_train) / 255.0` or [`to_f32`] |
//! | `MinMaxScaler` (imported by the lecture) | [`minmax_scale`] (whole array) |
//! | `np.argmax(output)`, `np.argmax(p, axis=1)` | [`argmax`], [`argmax_axis`]`(&p, 1)?` |
//! | `x.reshape((60000, 784))`, `x.flatten()` | [`reshape`]`(&x, (60000, 784))?`, [`flatten`] |
//! | `np.expand_dims(x, -1)` (add a channel axis) | [`expand_dims`]`(&x, -1)?` |
//! | `np.bincount(y)`, `np.unique(y)`, `np.unique_counts(y)` | [`bincount`], [`unique`], [`unique_counts`] |
//! | `x.dtype` | [`dtype`]`(&x)` (`"uint8"`, `"float64"`, ...) |
//! | `np.vectorize(func)` | [`vectorize`]`(func)`, then `.call(&x)` |
//! | `x[:, -14:, 14:]`, `x[:, ::-1, ::-1]` | `x.slice(s![.., -14.., 14..])`, `x.slice(s![.., ..;-1, ..;-1])` |
//!
//! # The lecture's numpy basics
//!
//! ```
//! use nnlab::prelude::*;
//! // (x_train, y_train), ... = load_data(): here a stand-in of the same type, (n, 28, 28) u8
//! let x_train = Array3::from_shape_fn((3, 28, 28), |(k, i, j)| ((k * 7 + i * 3 + j) % 256) as u8);
//! assert_eq!(x_train.shape(), &[3, 28, 28]);   // x_train.shape
//! let top = np::max(&x_train)?;                // x_train.max()
//! let spread = np::std(&x_train)?;             // x_train.std()
//! assert!(top == 122 && spread > 0.0);
//! let x_train = np::to_f64(&x_train) / 255.0;  // x_train = x_train / 255
//! assert!(np::max(&x_train)? <= 1.0);
//! # Ok::<(), nnlab::Error>(())
//! ```
//!
//! # Slicing: what `s!` does like numpy, and where it differs
//!
//! The lecture's two slices need nothing of ours: ndarray's `s!` takes negative starts (counted from
//! the end) and negative steps. `x[:, -14:, 14:]` (the bottom-right quarter of each image):
//!
//! ```
//! use nnlab::prelude::*;
//! let x = Array3::from_shape_fn((2, 28, 28), |(k, i, j)| 1000 * k + 28 * i + j);
//! let q = x.slice(s![.., -14.., 14..]);
//! assert_eq!(q.shape(), &[2, 14, 14]);
//! assert_eq!(q[[1, 0, 0]], x[[1, 14, 14]]);
//! assert_eq!(q[[0, 13, 13]], x[[0, 27, 27]]);
//! ```
//!
//! `x[:, ::-1, ::-1]` (each image turned by 180 degrees): a full range with step -1 is the same in
//! both:
//!
//! ```
//! use nnlab::prelude::*;
//! let x = Array3::from_shape_fn((2, 28, 28), |(k, i, j)| 1000 * k + 28 * i + j);
//! let r = x.slice(s![.., ..;-1, ..;-1]);
//! assert_eq!(r.shape(), &[2, 28, 28]);
//! assert_eq!(r[[0, 0, 0]], x[[0, 27, 27]]);
//! assert_eq!(r[[1, 3, 5]], x[[1, 24, 22]]);
//! ```
//!
//! The subtle difference: numpy's `x[a:b:-s]` *starts at `a`* and walks down towards `b`, while
//! ndarray's `s![a..b;-s]` first takes the range `a..b` (always `a <= b`) and then walks it *from its
//! end*. So the numpy slice `x[4:1:-1]` is `s![2..5;-1]` in ndarray, numpy's `x[1:4:-1]` is empty
//! while `s![1..4;-1]` is not, and with steps other than -1 the two can pick different elements:
//!
//! ```
//! use nnlab::prelude::*;
//! let x = array![0, 1, 2, 3, 4, 5];
//! assert_eq!(x.slice(s![..;-1]), array![5, 4, 3, 2, 1, 0]); // numpy x[::-1]: the same
//! assert_eq!(x.slice(s![..;-2]), array![5, 3, 1]);          // numpy x[::-2]: the same
//! assert_eq!(x.slice(s![2..5;-1]), array![4, 3, 2]);        // numpy x[4:1:-1]
//! assert_eq!(x.slice(s![1..4;-1]), array![3, 2, 1]);        // numpy x[1:4:-1] is EMPTY
//! assert_eq!(x.slice(s![1..;-2]), array![5, 3, 1]);         // numpy x[1::-2] is [1]
//! assert_eq!(x.slice(s![..5;-2]), array![4, 2, 0]);         // numpy x[:5:-2] is EMPTY, x[4::-2] is this
//! ```

mod convert;
mod counting;
mod shape;
mod stats;
mod vectorize;

pub use convert::{dtype, minmax_scale, to_f32, to_f64};
pub use counting::{bincount, unique, unique_counts};
use ndarray::{ArrayViewD, CowArray, IxDyn};
pub use shape::{expand_dims, flatten, reshape};
pub use stats::{argmax, argmax_axis, max, mean, min, std};
pub use vectorize::{vectorize, Vectorize};

/// The element types the helpers of [`np`](self) accept: numbers that convert to f64 and f32 and can
/// be compared. Implemented for `u8`, `u16`, `u32`, `u64`, `usize`, `i8`, `i16`, `i32`, `i64`,
/// `isize`, `f32` and `f64`.
///
/// ```
/// use nnlab::np::Element;
/// assert_eq!(200u8.to_f64(), 200.0);
/// assert_eq!(0.1f64.to_f32(), 0.1f32);
/// ```
pub trait Element: Copy + PartialOrd + 'static {
    /// The numpy name of the type (`"float64"`, `"uint8"`, ...), for messages and `dtype()`.
    const DTYPE: &'static str;
    /// The value as f64 (`as f64`: exact for every type but 64-bit integers beyond 2^53).
    fn to_f64(self) -> f64;
    /// The value as f32 (`as f32`, rounded once to nearest).
    fn to_f32(self) -> f32;
    /// The array as `f32`: converted, or borrowed where it already is `f32` (what the models take).
    fn as_f32(v: ArrayViewD<'_, Self>) -> CowArray<'_, f32, IxDyn> {
        CowArray::from(v.mapv(Self::to_f32))
    }
}

impl Element for f32 {
    const DTYPE: &'static str = "float32";
    fn to_f64(self) -> f64 {
        self as f64
    }
    fn to_f32(self) -> f32 {
        self
    }
    fn as_f32(v: ArrayViewD<'_, f32>) -> CowArray<'_, f32, IxDyn> {
        CowArray::from(v)
    }
}

macro_rules! element {
    ($($t:ty => $name:literal),*) => {$(
        impl Element for $t {
            const DTYPE: &'static str = $name;
            fn to_f64(self) -> f64 {
                self as f64
            }
            fn to_f32(self) -> f32 {
                self as f32
            }
        }
    )*};
}

element!(f64 => "float64", u8 => "uint8", u16 => "uint16", u32 => "uint32", u64 => "uint64", usize => "uint64",
    i8 => "int8", i16 => "int16", i32 => "int32", i64 => "int64", isize => "int64");
