//! `Dropout(rate)`: during training each input is zeroed with probability `rate` and the others are
//! scaled by `1/(1 − rate)` (so the expected value is unchanged); at inference it passes inputs through.
//! The mask `m` is a constant, so the backward is `∂L/∂x = m ⊙ ∂L/∂y`.
//!
//! The mask's two halves come from two random streams of the layer's seed, drawn side by side
//! (`parallel::join`; always two halves, split at the same place, so the same bits on any thread count).

use super::Layer;
use crate::parallel::{join, par_slices, written_by, PAR_MIN};
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use multiversion::multiversion;
use ndarray::ArrayD;
use serde_json::{json, Value};
use std::cell::RefCell;
use std::mem::MaybeUninit;

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
        let (rate, n) = (self.rate, x.len());
        let [first_rng, second_rng] = &mut *self.rngs.borrow_mut();
        // SAFETY: `fill_mask` writes every element of its part, and the two parts make up the mask.
        let mask = unsafe {
            written_by(n, |mask| {
                // A multiple of 16 elements (whole pairs, whole vectors of lanes), the same on any thread count.
                let (first, second) = mask.split_at_mut(n / 2 / 16 * 16);
                if n >= PAR_MIN {
                    join(|| fill_mask(first_rng, first, rate), || fill_mask(second_rng, second, rate));
                } else {
                    fill_mask(first_rng, first, rate);
                    fill_mask(second_rng, second, rate);
                }
            })
        };
        // y = x ⊙ m as one op that keeps m: ∂L/∂x = ∂L/∂y ⊙ m.
        let y = times_mask(&x.value(), &mask);
        Ok(Tensor::from_op(
            "dropout",
            y,
            vec![x.clone()],
            Box::new(move |g, _| vec![Some(times_mask(g, &mask))]),
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

/// Fills `mask` with `1/(1 − rate)` (kept, probability `1 − rate`) or `0` (dropped), from `rng`.
fn fill_mask(rng: &mut SeededRng, mask: &mut [MaybeUninit<f32>], rate: f32) {
    let scale = 1.0 / (1.0 - rate);
    // Kept with probability 1 − rate: a 32-bit random number below (1 − rate)·2³². Each 64-bit
    // draw decides two elements (its two halves).
    let threshold = ((1.0 - rate as f64) * 4_294_967_296.0) as u64;
    // `scale` if `bits < threshold`, else 0, by arithmetic rather than a jump (a jump on random bits
    // is mispredicted often): both are below 2³², so `bits − threshold` wraps around (top bit 1)
    // exactly when `bits < threshold`.
    let keep = |bits: u64| (bits.wrapping_sub(threshold) >> 63) as f32 * scale;
    let mut pairs = mask.chunks_exact_mut(2);
    for pair in &mut pairs {
        let r = rng.next_u64();
        pair[0].write(keep(r & 0xffff_ffff));
        pair[1].write(keep(r >> 32));
    }
    if let [last] = pairs.into_remainder() {
        last.write(keep(rng.next_u64() & 0xffff_ffff));
    }
}

/// `a ⊙ mask` for a mask of `a`'s elements in row-major order, the two halves side by side
/// (`parallel::par_slices`).
fn times_mask(a: &ArrayD<f32>, mask: &[f32]) -> ArrayD<f32> {
    let a_std = a.as_standard_layout();
    let a_s = a_std.as_slice().expect("a row-major array");
    // SAFETY: `multiply` writes every element of its output (a loop over all of `a`, as long).
    let out = unsafe {
        written_by(a_s.len(), |o| par_slices(a_s.len(), (a_s, mask, o), |(a, m, o)| multiply(a, m, o)))
    };
    ArrayD::from_shape_vec(a.raw_dim(), out).expect("one value per element")
}

/// `out = a ⊙ b` on slices of one length (compiled for AVX2 too, chosen at run time).
#[multiversion(targets("x86_64+avx2+fma"))]
fn multiply(a: &[f32], b: &[f32], out: &mut [MaybeUninit<f32>]) {
    let (b, out) = (&b[..a.len()], &mut out[..a.len()]);
    for i in 0..a.len() {
        out[i].write(a[i] * b[i]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
