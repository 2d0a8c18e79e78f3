//! `np.vectorize`: apply a plain function of one number to every element of an array.

use std::fmt;

use ndarray::{Array, ArrayBase, Data, Dimension};

use super::Element;
use crate::{Error, Result};

/// A function of one number made to work on whole arrays, like the result of `np.vectorize(func)`.
/// Made by [`vectorize`]; apply it with [`call`](Vectorize::call).
///
/// It owns its closure (boxed), so it is a concrete type that a notebook variable can keep.
///
/// ```
/// use nnlab::prelude::*;
/// let mut relu: np::Vectorize = np::vectorize(|x| x.max(0.0));
/// assert_eq!(relu.call(&array![-1.0, 2.0])?, array![0.0, 2.0]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct Vectorize {
    f: Box<dyn FnMut(f64) -> f64>,
}

/// Wraps `f: FnMut(f64) -> f64` so that `.call(&a)` applies it element-wise: `out[i] = f(a[i])`.
///
/// For a function without state this is exactly ndarray's `a.mapv(f)`, which you can use directly.
/// `vectorize` adds two things: any element type (`u8`, `f32`, ...) goes in as f64, and the calls
/// happen in numpy's order, so a closure with state (a counter, a random generator) sees the same
/// sequence of calls as numpy's: numpy first calls the function once on the first element to learn
/// the output type (and throws that result away), then once per element in C order (for a C-ordered
/// array, as from `x_train[0:10]`). The lecture's `func`, which replaces zeros with random numbers:
///
/// ```
/// use nnlab::prelude::*;
/// // def func(x): return np.random.rand() if x == 0 else x
/// let func = |x: f64| if x == 0.0 { random::random() } else { x };
/// let mut vfunc = np::vectorize(func);
/// let x_train = np::to_f64(&Array3::<u8>::zeros((10, 28, 28))) / 255.0;
/// let test = vfunc.call(&x_train.slice(s![0..10, .., ..]))?;
/// assert!(test.iter().all(|&v| (0.0..1.0).contains(&v)));
///
/// // The same with a generator of its own, moved into the closure:
/// let mut rnd = RandomState::new(0);
/// let mut vfunc = np::vectorize(move |x| if x == 0.0 { rnd.random_sample() } else { x });
/// let out = vfunc.call(&array![0.0, 0.5])?;
/// assert_eq!(out[1], 0.5);
/// assert_eq!(out[0], 0.7151893663724195); // the 2nd draw: numpy's extra first call took the 1st
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn vectorize(f: impl FnMut(f64) -> f64 + 'static) -> Vectorize {
    Vectorize { f: Box::new(f) }
}

impl Vectorize {
    /// Applies the function to every element of `a` (any element type, any dimension, owned array or
    /// view) and returns a new f64 array of the same shape, in standard (C) layout.
    ///
    /// Like numpy, calls the function once more on the first element before the pass (see
    /// [`vectorize`]). An error for an empty array (numpy: "cannot call `vectorize` on size 0 inputs").
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut double = np::vectorize(|x| 2.0 * x);
    /// assert_eq!(double.call(&array![[1u8, 2], [3, 4]])?, array![[2.0, 4.0], [6.0, 8.0]]);
    /// // the same as ndarray's own mapv for a function without state:
    /// assert_eq!(array![[1u8, 2], [3, 4]].mapv(|x| 2.0 * f64::from(x)), array![[2.0, 4.0], [6.0, 8.0]]);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn call<A: Element, S: Data<Elem = A>, D: Dimension>(
        &mut self,
        a: &ArrayBase<S, D>,
    ) -> Result<Array<f64, D>> {
        let first = a.iter().next().ok_or_else(|| {
            Error::shape("np::vectorize", "a non-empty array", format!("an array of shape {:?}", a.shape()))
        })?;
        (self.f)(first.to_f64());
        // `iter` visits elements in logical (C) order whatever the memory layout (`map` would not).
        let values: Vec<f64> = a.iter().map(|&x| (self.f)(x.to_f64())).collect();
        Ok(Array::from_shape_vec(a.raw_dim(), values).expect("one value per element"))
    }
}

impl fmt::Debug for Vectorize {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Vectorize(<function f64 -> f64>)")
    }
}
