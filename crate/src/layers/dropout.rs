//! `Dropout(rate)`: during training each input is zeroed with probability `rate` and the others are
//! scaled by `1/(1 − rate)` (so the expected value is unchanged); at inference it passes inputs through.
//! The mask `m` is a constant, so the backward is `∂L/∂x = m ⊙ ∂L/∂y`.

use super::Layer;
use crate::parallel::par_slices;
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use multiversion::multiversion;
use ndarray::ArrayD;
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
    rng: RefCell<SeededRng>,
    built: Option<Vec<usize>>,
}

impl Dropout {
    /// Drops a fraction `rate` of the inputs in training; `rate` must be in `[0, 1)` (checked at build).
    pub fn new(rate: f32) -> Dropout {
        Dropout { rate, name: String::new(), rng: RefCell::new(SeededRng::new(0)), built: None }
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
            self.rng = RefCell::new(SeededRng::new(seed));
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
        // Kept with probability 1 − rate: a 32-bit random number below (1 − rate)·2³². Each 64-bit
        // draw decides two elements (its two halves).
        let threshold = ((1.0 - self.rate as f64) * 4_294_967_296.0) as u64;
        // `scale` if `bits < threshold`, else 0, by arithmetic rather than a jump (a jump on random bits
        // is mispredicted often): both are below 2³², so `bits − threshold` wraps around (top bit 1)
        // exactly when `bits < threshold`.
        let keep = |bits: u64| (bits.wrapping_sub(threshold) >> 63) as f32 * scale;
        let mut mask = vec![0.0f32; x.len()];
        let mut rng = self.rng.borrow_mut();
        let mut pairs = mask.chunks_exact_mut(2);
        for pair in &mut pairs {
            let r = rng.next_u64();
            pair[0] = keep(r & 0xffff_ffff);
            pair[1] = keep(r >> 32);
        }
        if let [last] = pairs.into_remainder() {
            *last = keep(rng.next_u64() & 0xffff_ffff);
        }
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

/// `a ⊙ mask` for a mask of `a`'s elements in row-major order, the two halves side by side
/// (`parallel::par_slices`).
fn times_mask(a: &ArrayD<f32>, mask: &[f32]) -> ArrayD<f32> {
    let a_std = a.as_standard_layout();
    let a_s = a_std.as_slice().expect("a row-major array");
    let mut out = vec![0.0f32; a_s.len()];
    par_slices(a_s.len(), (a_s, mask, &mut out[..]), |(a, m, o)| multiply(a, m, o));
    ArrayD::from_shape_vec(a.raw_dim(), out).expect("one value per element")
}

/// `out = a ⊙ b` on slices of one length (compiled for AVX2 too, chosen at run time).
#[multiversion(targets("x86_64+avx2+fma"))]
fn multiply(a: &[f32], b: &[f32], out: &mut [f32]) {
    let (b, out) = (&b[..a.len()], &mut out[..a.len()]);
    for i in 0..a.len() {
        out[i] = a[i] * b[i];
    }
}
