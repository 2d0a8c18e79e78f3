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
        let (rate, n) = (self.rate, x.len());
        let (scale, threshold) = (1.0 / (1.0 - rate), keep_threshold(rate));
        let x_value = x.value();
        let x_std = x_value.as_standard_layout();
        let xs = x_std.as_slice().expect("a row-major array");
        let [first_rng, second_rng] = &mut *self.rngs.borrow_mut();
        // One pass: each element's decision (1 kept, 0 dropped) and `y = x · m` with `m = decision · scale`.
        let mut kept = vec![0u8; n];
        // SAFETY: `drop_half` writes every element of its part of `y`, and the two parts make up `y`.
        let y = unsafe {
            written_by(n, |y| {
                // A multiple of 16 elements (whole pairs, whole vectors of lanes), the same on any thread count.
                let mid = n / 2 / 16 * 16;
                let (y1, y2) = y.split_at_mut(mid);
                let (k1, k2) = kept.split_at_mut(mid);
                let (x1, x2) = xs.split_at(mid);
                let mut first = move || drop_half(first_rng, x1, y1, k1, threshold, scale);
                let mut second = move || drop_half(second_rng, x2, y2, k2, threshold, scale);
                if n >= PAR_MIN {
                    join(first, second);
                } else {
                    first();
                    second();
                }
            })
        };
        let y = ArrayD::from_shape_vec(x_value.raw_dim(), y).expect("one value per element");
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

/// Random bits drawn at a time: 256 draws of 64 bits, two elements' 32 bits each.
const CHUNK: usize = 512;

/// One half of the forward: decisions from `rng` (element `i` of the half takes the low 32 bits of draw
/// `i/2` when `i` is even, the high 32 bits when odd), `y = x · decision · scale`.
fn drop_half(
    rng: &mut SeededRng,
    x: &[f32],
    y: &mut [MaybeUninit<f32>],
    kept: &mut [u8],
    threshold: u64,
    scale: f32,
) {
    let mut bits = [0u32; CHUNK];
    for ((x, y), kept) in x.chunks(CHUNK).zip(y.chunks_mut(CHUNK)).zip(kept.chunks_mut(CHUNK)) {
        let bits = &mut bits[..x.len()];
        draw(rng, bits);
        decide(bits, x, y, kept, threshold, scale);
    }
}

/// 32 random bits per element of `bits`, two per draw of `rng` (low half first). Compiled for AVX2 too
/// (the generator's state update, inlined here, then works on four numbers at a time); the same bits.
#[multiversion(targets("x86_64+avx2+fma"))]
fn draw(rng: &mut SeededRng, bits: &mut [u32]) {
    for pair in bits.chunks_mut(2) {
        let r = rng.next_u64();
        pair[0] = r as u32;
        if let Some(high) = pair.get_mut(1) {
            *high = (r >> 32) as u32;
        }
    }
}

/// `kept = bits < threshold`, `y = x · (kept · scale)` on slices of one length, without a jump on the
/// random bits (compiled for AVX2 too, chosen at run time).
#[multiversion(targets("x86_64+avx2+fma"))]
fn decide(bits: &[u32], x: &[f32], y: &mut [MaybeUninit<f32>], kept: &mut [u8], threshold: u64, scale: f32) {
    let (x, y, kept) = (&x[..bits.len()], &mut y[..bits.len()], &mut kept[..bits.len()]);
    for i in 0..bits.len() {
        let k = u8::from(u64::from(bits[i]) < threshold);
        kept[i] = k;
        y[i].write(x[i] * (f32::from(k) * scale));
    }
}

/// `g ⊙ m` with `m = kept · scale`, the two halves side by side (`parallel::par_slices`).
fn times_mask(g: &ArrayD<f32>, kept: &[u8], scale: f32) -> ArrayD<f32> {
    let g_std = g.as_standard_layout();
    let gs = g_std.as_slice().expect("a row-major array");
    // SAFETY: `multiply` writes every element of its output (a loop over all of `g`, as long).
    let out = unsafe {
        written_by(gs.len(), |o| par_slices(gs.len(), (gs, kept, o), |(g, k, o)| multiply(g, k, o, scale)))
    };
    ArrayD::from_shape_vec(g.raw_dim(), out).expect("one value per element")
}

/// `out = g · (kept · scale)` on slices of one length (compiled for AVX2 too, chosen at run time).
#[multiversion(targets("x86_64+avx2+fma"))]
fn multiply(g: &[f32], kept: &[u8], out: &mut [MaybeUninit<f32>], scale: f32) {
    let (kept, out) = (&kept[..g.len()], &mut out[..g.len()]);
    for i in 0..g.len() {
        out[i].write(g[i] * (f32::from(kept[i]) * scale));
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
