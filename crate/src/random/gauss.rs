//! Normal (gaussian) numbers: numpy's legacy polar Box-Muller method with its cached second value.

use ndarray::{Array, Dimension, ShapeBuilder};

use super::state::filled;
use super::RandomState;
use crate::{Error, Result};

impl RandomState {
    /// One standard normal number (mean 0, standard deviation 1), like `rnd.standard_normal()`.
    ///
    /// numpy's legacy polar method (Marsaglia's variant of Box-Muller): draw
    /// `x1 = 2u1 - 1`, `x2 = 2u2 - 1` from two [`random_sample`](RandomState::random_sample)s until
    /// `0 < r² = x1² + x2² < 1`, then with `f = sqrt(-2 ln(r²) / r²)` return `f·x2` and keep `f·x1`
    /// for the next call. The kept value is part of the state: [`clone`](Clone::clone) copies it and
    /// [`seed`](RandomState::seed) drops it, as in numpy.
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// let mut rnd = RandomState::new(0);
    /// assert_eq!(rnd.standard_normal(), 1.764052345967664);  // np.random.RandomState(0).randn()
    /// assert_eq!(rnd.standard_normal(), 0.4001572083672233);  // the cached second value
    /// ```
    pub fn standard_normal(&mut self) -> f64 {
        if let Some(g) = self.gauss.take() {
            return g;
        }
        loop {
            let x1 = 2.0 * self.random_sample() - 1.0;
            let x2 = 2.0 * self.random_sample() - 1.0;
            let r2 = x1 * x1 + x2 * x2;
            if r2 < 1.0 && r2 != 0.0 {
                let f = (-2.0 * r2.ln() / r2).sqrt();
                self.gauss = Some(f * x1);
                return f * x2;
            }
        }
    }

    /// An array of standard normal numbers, like `rnd.randn(d0, d1, ...)`.
    ///
    /// `shape` as in [`rand`](RandomState::rand) (`(28, 1)`, `[10, 784]`, `5`); filled in C order, one
    /// [`standard_normal`](RandomState::standard_normal) per element, so an odd count leaves a cached
    /// value that the next call uses first (exactly as numpy).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut rnd = RandomState::new(121);
    /// let b = rnd.randn((28, 1)); // the lecture's set_biases for one layer
    /// assert_eq!(b.shape(), &[28, 1]);
    /// ```
    pub fn randn<Sh, D>(&mut self, shape: Sh) -> Array<f64, D>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        filled(shape, || self.standard_normal())
    }

    /// Normal numbers with mean `loc` and standard deviation `scale`: `loc + scale · standard_normal()`,
    /// like `rnd.normal(loc, scale, size)`. An error if `scale < 0` or either is not finite.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let a = RandomState::new(0).normal(10.0, 0.0, 3)?;
    /// assert_eq!(a, array![10.0, 10.0, 10.0]);
    /// assert!(RandomState::new(0).normal(0.0, -1.0, 3).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn normal<Sh, D>(&mut self, loc: f64, scale: f64, shape: Sh) -> Result<Array<f64, D>>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        if !scale.is_finite() || scale < 0.0 || !loc.is_finite() {
            return Err(Error::value(
                "normal",
                "finite loc and scale >= 0",
                format!("loc {loc}, scale {scale}"),
            ));
        }
        Ok(filled(shape, || loc + scale * self.standard_normal()))
    }
}
