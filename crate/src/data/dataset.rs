//! `Dataset::from_tensor_slices((x, y)).shuffle(buffer_size, seed).batch(n)`: examples (rows of `x`
//! and `y`) in batches, iterable with `for (x, y) in &dataset`.
//!
//! Shuffling follows tf.data: a buffer is filled with the first `buffer_size` examples; each next
//! example is drawn at random from the buffer and its place is taken by the next example of the
//! data. A buffer as large as the data gives a full shuffle; a small one only mixes neighbours. By
//! default the order changes at every pass (`reshuffle_each_iteration`).

use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;
use std::cell::Cell;

/// Examples and targets, with an optional shuffle and batch size.
///
/// ```
/// use nnlab::prelude::*;
/// let x = Array2::from_shape_fn((10, 2), |(i, j)| (2 * i + j) as f32);
/// let y = Array1::from_shape_fn(10, |i| i as f32);
/// let ds = Dataset::from_tensor_slices((&x, &y)).unwrap().shuffle(4, 0).batch(3).unwrap();
/// assert_eq!(ds.len(), 4); // 3 + 3 + 3 + 1
/// let mut seen = vec![];
/// for (xb, yb) in &ds {
///     assert_eq!(xb.shape()[0], yb.shape()[0]);
///     seen.extend(yb.to_array().iter().map(|&v| v as usize));
/// }
/// seen.sort();
/// assert_eq!(seen, (0..10).collect::<Vec<_>>()); // every example once
/// ```
pub struct Dataset {
    x: ArrayD<f32>,
    y: ArrayD<f32>,
    shuffle: Option<(usize, u64)>,
    reshuffle: bool,
    batch: usize,
    pass: Cell<u64>,
}

impl Dataset {
    /// Slices `(x, y)` along their first axis: example `i` is `(x[i], y[i])`. Takes references to
    /// arrays or views of any number type ([`ArrayLike`](super::ArrayLike)); the lengths must match.
    pub fn from_tensor_slices((x, y): (&impl super::ArrayLike, &impl super::ArrayLike)) -> Result<Dataset> {
        let (x, y) = (x.as_f32().into_owned(), y.as_f32().into_owned());
        if x.ndim() == 0 || y.ndim() == 0 || x.shape()[0] != y.shape()[0] {
            return Err(Error::shape(
                "Dataset::from_tensor_slices",
                "x and y with the same first dimension",
                format!("{:?} and {:?}", x.shape(), y.shape()),
            ));
        }
        crate::backend::prefer_huge_pages(&x.view()); // (batches are copied from random rows)
        Ok(Dataset { x, y, shuffle: None, reshuffle: true, batch: 1, pass: Cell::new(0) })
    }

    /// Shuffles with a buffer of `buffer_size` examples, drawing from `seed`.
    pub fn shuffle(mut self, buffer_size: usize, seed: u64) -> Dataset {
        self.shuffle = Some((buffer_size.max(1), seed));
        self
    }

    /// Whether each pass over the data gets a new order (true, tf.data's default).
    pub fn reshuffle_each_iteration(mut self, on: bool) -> Dataset {
        self.reshuffle = on;
        self
    }

    /// Groups the examples in batches of `n` (the last one may be smaller).
    pub fn batch(mut self, n: usize) -> Result<Dataset> {
        if n == 0 {
            return Err(Error::value("Dataset.batch", "a batch size of at least 1", "0"));
        }
        self.batch = n;
        Ok(self)
    }

    /// The number of examples.
    pub fn cardinality(&self) -> usize {
        self.x.shape()[0]
    }

    /// The number of batches in one pass.
    pub fn len(&self) -> usize {
        self.cardinality().div_ceil(self.batch)
    }

    /// Whether there are no examples.
    pub fn is_empty(&self) -> bool {
        self.cardinality() == 0
    }

    /// The order of the examples in the next pass (tf.data's buffer shuffle).
    fn order(&self) -> Vec<usize> {
        let n = self.cardinality();
        let Some((size, seed)) = self.shuffle else { return (0..n).collect() };
        let pass = self.pass.get();
        self.pass.set(pass + 1);
        let pass = if self.reshuffle { pass } else { 0 };
        let mut rng = SeededRng::new(seed.wrapping_mul(0x9E37_79B9).wrapping_add(pass));
        let mut next = size.min(n);
        let mut buffer: Vec<usize> = (0..next).collect();
        let mut out = Vec::with_capacity(n);
        while !buffer.is_empty() {
            let j = ((rng.uniform() * buffer.len() as f64) as usize).min(buffer.len() - 1);
            out.push(buffer[j]);
            if next < n {
                buffer[j] = next;
                next += 1;
            } else {
                buffer.swap_remove(j);
            }
        }
        out
    }
}

/// The batches of one pass: `(x, y)` as constant tensors.
pub struct Batches<'a> {
    data: &'a Dataset,
    order: Vec<usize>,
    at: usize,
}

impl Iterator for Batches<'_> {
    type Item = (Tensor, Tensor);
    fn next(&mut self) -> Option<(Tensor, Tensor)> {
        if self.at >= self.order.len() {
            return None;
        }
        let end = (self.at + self.data.batch).min(self.order.len());
        let idx = &self.order[self.at..end];
        self.at = end;
        let (x, y) = (
            crate::backend::take_rows(&self.data.x.view(), idx),
            crate::backend::take_rows(&self.data.y.view(), idx),
        );
        Some((Tensor::new(x), Tensor::new(y)))
    }
}

impl<'a> IntoIterator for &'a Dataset {
    type Item = (Tensor, Tensor);
    type IntoIter = Batches<'a>;
    fn into_iter(self) -> Batches<'a> {
        Batches { data: self, order: self.order(), at: 0 }
    }
}
