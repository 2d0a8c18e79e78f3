//! Integers in a range and everything built on them: `randint`, `shuffle`, `permutation`, `choice`.
//!
//! numpy's legacy generator draws a bounded integer by *masked rejection sampling*: with `mask` the
//! smallest `2^k - 1 >= max`, draw `v = raw & mask` until `v <= max`. Ranges that fit 32 bits use one
//! 32-bit output per try, larger ones a 64-bit output (two 32-bit outputs, the first one high).

use ndarray::{Array, Array1, ArrayBase, Axis, DataMut, Dimension, RemoveAxis, ShapeBuilder, Zip};

use super::state::filled;
use super::RandomState;
use crate::{Error, Result};

/// The smallest `2^k - 1` that is `>= max` (numpy's `gen_mask`).
fn gen_mask(max: u64) -> u64 {
    let mut mask = max;
    for shift in [1, 2, 4, 8, 16, 32] {
        mask |= mask >> shift;
    }
    mask
}

impl RandomState {
    /// A uniform integer in `0..=max` (numpy's `random_interval`, used by `shuffle`).
    pub(super) fn random_interval(&mut self, max: u64) -> u64 {
        if max == 0 {
            return 0;
        }
        let mask = gen_mask(max);
        if max <= u64::from(u32::MAX) {
            loop {
                let v = u64::from(self.next_u32()) & mask;
                if v <= max {
                    return v;
                }
            }
        }
        loop {
            let v = self.next_u64() & mask;
            if v <= max {
                return v;
            }
        }
    }

    /// `off + v` with `v` uniform in `0..=rng` (numpy's `random_bounded_uint64_fill`, masked).
    fn bounded_u64(&mut self, off: u64, rng: u64) -> u64 {
        let v = if rng == 0 {
            0 // a one-value range draws nothing
        } else if rng == u64::from(u32::MAX) {
            u64::from(self.next_u32())
        } else if rng == u64::MAX {
            self.next_u64()
        } else {
            self.random_interval(rng)
        };
        off.wrapping_add(v)
    }

    /// Integers uniform in `low..high` (high excluded), like `rnd.randint(low, high, size)` with
    /// numpy's default `int64` dtype, number for number. An error if `low >= high`.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let a = RandomState::new(0).randint(0, 10, 5)?;
    /// assert_eq!(a, array![5, 0, 3, 3, 7]); // np.random.RandomState(0).randint(0, 10, 5)
    /// assert!(RandomState::new(0).randint(3, 3, 5).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn randint<Sh, D>(&mut self, low: i64, high: i64, shape: Sh) -> Result<Array<i64, D>>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        if low >= high {
            return Err(Error::value("randint", "low < high", format!("low {low}, high {high}")));
        }
        // Two's complement: the differences are right even when they overflow i64.
        let rng = ((high - 1) as u64).wrapping_sub(low as u64);
        Ok(filled(shape, || self.bounded_u64(low as u64, rng) as i64))
    }

    /// Shuffles a slice in place, like `rnd.shuffle(x)` on a list: the same order as numpy.
    ///
    /// numpy's Fisher-Yates from the end: for `i = n-1, ..., 1` swap `x[i]` with `x[j]`,
    /// `j` uniform in `0..=i`. The lecture shuffles its list of `(x, y)` pairs this way every epoch.
    ///
    /// ```
    /// use nnlab::random::RandomState;
    /// let mut v: Vec<usize> = (0..10).collect();
    /// RandomState::new(0).shuffle(&mut v);
    /// assert_eq!(v, [2, 8, 4, 9, 1, 6, 7, 3, 0, 5]); // rnd = RandomState(0); rnd.shuffle(v)
    /// ```
    pub fn shuffle<T>(&mut self, x: &mut [T]) {
        for i in (1..x.len()).rev() {
            let j = self.random_interval(i as u64) as usize;
            x.swap(i, j);
        }
    }

    /// Shuffles an array along its first axis in place (rows of a matrix, images of a stack), like
    /// `rnd.shuffle(a)` on a numpy array: the same order as [`shuffle`](RandomState::shuffle).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut a = array![[0, 0], [1, 1], [2, 2]];
    /// RandomState::new(0).shuffle_rows(&mut a);
    /// assert_eq!(a, array![[2, 2], [1, 1], [0, 0]]); // np.random.RandomState(0).shuffle(a)
    /// ```
    pub fn shuffle_rows<A, S, D>(&mut self, a: &mut ArrayBase<S, D>)
    where
        S: DataMut<Elem = A>,
        D: RemoveAxis,
    {
        let n = a.len_of(Axis(0));
        for i in (1..n).rev() {
            let j = self.random_interval(i as u64) as usize;
            if i != j {
                let (mut low, mut high) = a.view_mut().split_at(Axis(0), i);
                Zip::from(low.index_axis_mut(Axis(0), j))
                    .and(high.index_axis_mut(Axis(0), 0))
                    .for_each(std::mem::swap);
            }
        }
    }

    /// `0..n` in random order, like `rnd.permutation(n)`: an `arange(n)` shuffled with
    /// [`shuffle`](RandomState::shuffle).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let p = RandomState::new(0).permutation(10);
    /// assert_eq!(p, array![2, 8, 4, 9, 1, 6, 7, 3, 0, 5]);
    /// ```
    pub fn permutation(&mut self, n: usize) -> Array1<usize> {
        let mut v: Vec<usize> = (0..n).collect();
        self.shuffle(&mut v);
        Array1::from(v)
    }

    /// A random sample of indices `0..n`, like `rnd.choice(n, size, replace)`.
    ///
    /// With `replace` (numpy's default) each index is independent: `randint(0, n, size)`. Without,
    /// the indices are distinct: the first `size` of [`permutation(n)`](RandomState::permutation),
    /// shaped as `size`. Errors: `n == 0` with a non-empty `size`, or `size` larger than `n` without
    /// replacement.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut rnd = RandomState::new(0);
    /// assert_eq!(rnd.choice(10, 4, true)?, array![5, 0, 3, 3]);
    /// assert_eq!(RandomState::new(0).choice(10, 4, false)?, array![2, 8, 4, 9]);
    /// assert!(rnd.choice(3, 4, false).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn choice<Sh, D>(&mut self, n: usize, size: Sh, replace: bool) -> Result<Array<usize, D>>
    where
        Sh: ShapeBuilder<Dim = D>,
        D: Dimension,
    {
        let shape = size.into_shape_with_order();
        let count = shape.raw_dim().size();
        let what = format!("n {n}, {count} samples");
        if n == 0 && count > 0 {
            return Err(Error::value("choice", "n > 0 unless no samples are taken", what));
        }
        let high = i64::try_from(n).map_err(|_| Error::value("choice", "n < 2**63", what.clone()))?;
        if replace {
            if count == 0 {
                return Ok(Array::from_elem(shape, 0));
            }
            return Ok(self.randint(0, high, shape)?.mapv(|i| i as usize));
        }
        if count > n {
            return Err(Error::value("choice", "at most n samples when replace is false", what));
        }
        let perm = self.permutation(n);
        let mut out = Array::from_elem(shape, 0);
        out.iter_mut().zip(perm.iter()).for_each(|(o, &p)| *o = p);
        Ok(out)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn masks() {
        assert_eq!(gen_mask(1), 1);
        assert_eq!(gen_mask(9), 15);
        assert_eq!(gen_mask(16), 31);
        assert_eq!(gen_mask(u64::from(u32::MAX) + 1), (1 << 33) - 1);
    }

    #[test]
    fn randint_stays_in_range_at_the_extremes() {
        let mut rnd = RandomState::new(9);
        let a = rnd.randint(i64::MIN, i64::MAX, 100).unwrap();
        assert!(a.iter().all(|&v| v < i64::MAX));
        let b = rnd.randint(-3, -1, 100).unwrap();
        assert!(b.iter().all(|&v| v == -3 || v == -2));
        assert!(b.iter().any(|&v| v == -3) && b.iter().any(|&v| v == -2));
    }

    #[test]
    fn one_value_range_draws_nothing() {
        let mut a = RandomState::new(4);
        let mut b = a.clone();
        assert_eq!(a.randint(7, 8, 3).unwrap(), ndarray::array![7, 7, 7]);
        assert_eq!(a.random_sample(), b.random_sample());
    }
}
