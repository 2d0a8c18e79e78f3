//! `Dropout(rate)`: during training each input is zeroed with probability `rate` and the others are
//! scaled by `1/(1 − rate)` (so the expected value is unchanged); at inference it passes inputs through.
//! The mask `m` is a constant, so the backward is `∂L/∂x = m ⊙ ∂L/∂y`.
//!
//! The mask's two halves come from two random streams of the layer's seed, drawn side by side by the
//! backend (`backend::dropout_mask`: always two halves, split at the same place, so the same bits on any
//! thread count).

use super::Layer;
use crate::backend::{drop_and_scale, times_mask};
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};
use std::cell::RefCell;

/// Random dropout, seeded by the model (inactive at inference).
///
/// ```
/// use nnlab::layers::{Dropout, Layer};
/// use nnlab::tensor::Tensor;
/// let mut d = Dropout::new(0.5);
/// d.build(&[1000], 7).unwrap();
/// let x = Tensor::new(nnlab::ndarray::ArrayD::ones(vec![1, 1000]));
/// let y = d.call(&x, true).unwrap().to_array();
/// let kept = y.iter().filter(|&&v| v == 2.0).count();
/// assert!(kept > 400 && kept < 600);
/// assert_eq!(d.call(&x, false).unwrap().to_array(), x.to_array());
/// assert!(Dropout::new(1.0).build(&[3], 0).is_err());
/// ```
pub struct Dropout {
    rate: f32,
    name: String,
    /// The random streams of the mask's first and second half.
    rngs: RefCell<[SeededRng; 2]>,
    built: Option<Vec<usize>>,
}

impl Dropout {
    /// Drops a fraction `rate` of the inputs in training; `rate` must be in `[0, 1)` (checked at build).
    pub fn new(rate: f32) -> Dropout {
        Dropout { rate, name: String::new(), rngs: RefCell::new(streams(0)), built: None }
    }

    /// The layer's name (default: given by the model).
    pub fn name(mut self, name: &str) -> Dropout {
        self.name = name.to_string();
        self
    }

    fn check_rate(&self) -> Result<()> {
        if !(0.0..1.0).contains(&self.rate) {
            return Err(Error::value("Dropout", "a rate in [0, 1)", format!("{}", self.rate)));
        }
        Ok(())
    }
}

impl Layer for Dropout {
    fn class_name(&self) -> &'static str {
        "Dropout"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    fn check_config(&self) -> Result<()> {
        self.check_rate()
    }
    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_rate()?;
        if self.built.is_none() {
            self.rngs = RefCell::new(streams(seed));
        }
        self.built = Some(input_shape.to_vec());
        Ok(input_shape.to_vec())
    }
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        self.check_rate()?; // also here: `call` may come without `build`
        if !training || self.rate == 0.0 {
            return Ok(x.clone());
        }
        let scale = 1.0 / (1.0 - self.rate);
        // One pass: each element's decision (1 kept, 0 dropped) and `y = x · m` with `m = decision · scale`.
        let threshold = keep_threshold(self.rate);
        let (y, kept) = drop_and_scale(&mut self.rngs.borrow_mut(), &x.value(), threshold, scale);
        // The decisions are kept (a byte per element) for the backward: ∂L/∂x = ∂L/∂y ⊙ m.
        Ok(Tensor::from_op(
            "dropout",
            y,
            vec![x.clone()],
            Box::new(move |g, _| vec![Some(times_mask(g, &kept, scale))]),
        ))
    }
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.built.clone()
    }
    fn config(&self) -> Value {
        json!({"name": self.name, "rate": self.rate})
    }
}

/// The two random streams of a dropout layer with this seed.
fn streams(seed: u64) -> [SeededRng; 2] {
    [SeededRng::stream(seed, 0), SeededRng::stream(seed, 1)]
}

/// Kept with probability `1 − rate`: an element is kept when its 32 random bits are below
/// `(1 − rate)·2³²`.
fn keep_threshold(rate: f32) -> u64 {
    ((1.0 - rate as f64) * 4_294_967_296.0) as u64
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::backend::parallel::PAR_MIN;
    use ndarray::ArrayD;

    fn mask_of(seed: u64, n: usize, rate: f32) -> Vec<f32> {
        let mut d = Dropout::new(rate);
        d.build(&[n], seed).unwrap();
        let x = Tensor::new(ArrayD::ones(vec![1, n]));
        d.call(&x, true).unwrap().to_array().iter().copied().collect()
    }

    #[test]
    fn both_halves_keep_about_one_minus_rate_and_differ() {
        for n in [PAR_MIN * 3 + 5, 1001] {
            // large: halves side by side; small: in turn
            let m = mask_of(3, n, 0.3);
            let mid = n / 2 / 16 * 16;
            for half in [&m[..mid], &m[mid..]] {
                let kept = half.iter().filter(|&&v| v != 0.0).count() as f64 / half.len() as f64;
                assert!((kept - 0.7).abs() < 0.05, "kept {kept} of {}", half.len());
                assert!(half.iter().all(|&v| v == 0.0 || v == 1.0 / 0.7));
            }
            assert_ne!(m[..100], m[mid..mid + 100], "the two streams must differ");
            assert_eq!(m, mask_of(3, n, 0.3), "same seed, same mask");
            assert_ne!(m, mask_of(4, n, 0.3), "another seed, another mask");
        }
    }

    /// The rule in the docs, one element at a time: element `i` of half `h` is kept when the low (even `i`)
    /// or high (odd `i`) 32 bits of draw `i/2` of stream `h` are below `(1 − rate)·2³²`.
    fn reference_mask(seed: u64, n: usize, rate: f32) -> Vec<f32> {
        let mid = n / 2 / 16 * 16;
        let threshold = ((1.0 - rate as f64) * 4_294_967_296.0) as u64;
        let mut mask = vec![];
        for (h, len) in [(0, mid), (1, n - mid)] {
            let mut rng = SeededRng::stream(seed, h);
            let mut r = 0;
            for i in 0..len {
                if i % 2 == 0 {
                    r = rng.next_u64();
                }
                let bits = if i % 2 == 0 { r & 0xffff_ffff } else { r >> 32 };
                mask.push(if bits < threshold { 1.0 / (1.0 - rate) } else { 0.0 });
            }
        }
        mask
    }

    #[test]
    fn the_mask_follows_the_documented_draws() {
        // Large and small, even and odd halves, across the 512-element chunks of the bits.
        for (seed, n, rate) in [(5, PAR_MIN * 2 + 7, 0.3), (6, 1001, 0.5), (7, 33, 0.9), (8, 3, 0.1)] {
            assert_eq!(mask_of(seed, n, rate), reference_mask(seed, n, rate), "n = {n}");
        }
    }

    #[test]
    fn backward_is_the_mask() {
        let mut d = Dropout::new(0.5);
        d.build(&[40_000], 1).unwrap();
        let x = Tensor::param(ArrayD::from_elem(vec![1, 40_000], 3.0));
        let y = d.call(&x, true).unwrap();
        y.sum().backward().unwrap();
        let (y, g) = (y.to_array(), x.grad().unwrap());
        assert!(y.iter().zip(&g).all(|(&y, &g)| y == 3.0 * g));
    }
}
