//! [`RandomState`]: the generator's state (a Mersenne Twister plus numpy's cached gaussian), seeding,
//! and the uniform draws everything else is built from.

use std::fmt;

use ndarray::{Array, Dimension, ShapeBuilder};
use rand_mt::Mt;

use crate::{Error, Result};

/// numpy's legacy `np.random.RandomState`: the same seed gives the same numbers, stream for stream.
///
/// The state is a 32-bit Mersenne Twister (MT19937, from the `rand_mt` crate) seeded exactly as numpy
/// seeds it for an integer (`init_genrand`), plus the second value of the last gaussian pair
/// (numpy's `has_gauss` / `gauss`, see [`standard_normal`](RandomState::standard_normal)).
///
/// `clone()` is an independent copy with the same future, like the lecture's `copy.deepcopy(rnd)`:
///
/// ```
/// use nnlab::prelude::*;
/// let mut rnd = RandomState::new(121);
/// let mut copy = rnd.clone();
/// let a: Array2<f64> = rnd.randn((28, 1));
/// let b: Array2<f64> = copy.randn((28, 1));
/// assert_eq!(a, b);             // same numbers...
/// assert_ne!(rnd.rand(3), RandomState::new(121).rand(3)); // ...and rnd moved on alone
/// ```
#[derive(Clone, PartialEq)]
pub struct RandomState {
    mt: Mt,
    /// numpy's `gauss` when `has_gauss` is set: the unused second value of a polar Box-Muller pair.
    pub(super) gauss: Option<f64>,
}

impl RandomState {
    /// A generator seeded like `np.random.RandomState(seed)` (any seed in `0..=2**32-1`).
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// let mut rnd = RandomState::new(0);
    /// // np.random.RandomState(0).random_sample() == 0.5488135039273248
    /// assert_eq!(rnd.random_sample(), 0.5488135039273248);
    /// ```
    pub fn new(seed: u32) -> Self {
        RandomState { mt: Mt::new(seed), gauss: None }
    }

    /// Reseeds in place, like `rnd.seed(seed)`: afterwards the generator equals `RandomState::new(seed)`
    /// (the cached gaussian is dropped too).
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// let mut rnd = RandomState::new(3);
    /// let first = rnd.standard_normal();
    /// rnd.seed(3);
    /// assert_eq!(rnd.standard_normal(), first);
    /// ```
    pub fn seed(&mut self, seed: u32) {
        self.mt.reseed(seed);
        self.gauss = None;
    }

    /// The next raw 32-bit output of the Mersenne Twister (numpy's `next_uint32`).
    pub(super) fn next_u32(&mut self) -> u32 {
        self.mt.next_u32()
    }

    /// Two raw outputs as one 64-bit number, the first one high (numpy's `next_uint64` for MT19937).
    pub(super) fn next_u64(&mut self) -> u64 {
        (u64::from(self.next_u32()) << 32) | u64::from(self.next_u32())
    }

    /// One uniform number in `[0, 1)` with 53 random bits, like `rnd.random_sample()`.
    ///
    /// From two 32-bit outputs `a` and `b`: `((a >> 5) * 2**26 + (b >> 6)) / 2**53` (numpy's
    /// `random_standard_uniform`, the MT authors' `genrand_res53`).
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// let x = RandomState::new(7).random_sample();
    /// assert!((0.0..1.0).contains(&x));
    /// ```
    pub fn random_sample(&mut self) -> f64 {
        let a = f64::from(self.next_u32() >> 5);
        let b = f64::from(self.next_u32() >> 6);
        (a * 67_108_864.0 + b) / 9_007_199_254_740_992.0
    }

    /// Same as [`random_sample`](RandomState::random_sample) (numpy has both names).
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// assert_eq!(RandomState::new(1).random(), RandomState::new(1).random_sample());
    /// ```
    pub fn random(&mut self) -> f64 {
        self.random_sample()
    }

    /// An array of uniform numbers in `[0, 1)`, like `rnd.rand(d0, d1, ...)`.
    ///
    /// `shape` is anything ndarray's `Array::zeros` takes: `5`, `(28, 1)`, `[10, 784]`. The array is
    /// filled in numpy's C order (last index fastest), one [`random_sample`](RandomState::random_sample)
    /// per element.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut rnd = RandomState::new(0);
    /// let a = rnd.rand((2, 3));
    /// assert_eq!(a.shape(), &[2, 3]);
    /// assert_eq!(a[[0, 0]], 0.5488135039273248); // np.random.RandomState(0).rand(2, 3)[0, 0]
    /// ```
    pub fn rand<Sh, D>(&mut self, shape: Sh) -> Array<f64, D>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        filled(shape, || self.random_sample())
    }

    /// Uniform numbers in `[low, high)`: `low + (high - low) * random_sample()`, like
    /// `rnd.uniform(low, high, size)`.
    ///
    /// `low > high` is allowed (numpy allows it: the numbers then lie in `(high, low]`). An error if
    /// `high - low` is not finite.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let a = RandomState::new(0).uniform(-1.0, 1.0, 4)?;
    /// assert!(a.iter().all(|&x| (-1.0..1.0).contains(&x)));
    /// assert!(RandomState::new(0).uniform(0.0, f64::INFINITY, 4).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn uniform<Sh, D>(&mut self, low: f64, high: f64, shape: Sh) -> Result<Array<f64, D>>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        let range = high - low;
        if !range.is_finite() {
            return Err(Error::value("uniform", "a finite high - low", format!("low {low}, high {high}")));
        }
        Ok(filled(shape, || low + range * self.random_sample()))
    }
}

/// An array of `shape` whose elements, in C order, are successive values of `next()`.
///
/// `iter_mut` visits elements in logical row-major order whatever the memory layout, so a shape given
/// with `.f()` (column-major memory) still receives the numbers in numpy's order.
pub(super) fn filled<A, Sh, D>(shape: Sh, mut next: impl FnMut() -> A) -> Array<A, D>
where
    A: Clone + Default,
    Sh: ShapeBuilder<Dim = D>,
    D: Dimension,
{
    let mut a = Array::from_elem(shape, A::default());
    a.iter_mut().for_each(|x| *x = next());
    a
}

impl Default for RandomState {
    /// `RandomState::new(0)`.
    fn default() -> Self {
        RandomState::new(0)
    }
}

impl fmt::Debug for RandomState {
    /// Prints the position-free part of the state only (the 624 words of the twister are not useful).
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RandomState").field("mt19937", &"..").field("cached_gauss", &self.gauss).finish()
    }
}
