//! Dropout's loops, for `layers::dropout`: the random decisions and `y = x · m` in one pass, and the
//! backward `g · m`, with `m = kept · scale`.
//!
//! The mask's two halves come from two random streams of the layer's seed, drawn side by side ([`join`];
//! always two halves, split at the same place, a multiple of 16 elements, so the same bits on any thread
//! count). Element `i` of a half is kept when its 32 random bits are below `threshold`: the low 32 bits
//! of the half's draw `i/2` when `i` is even, the high 32 when odd. The loops are compiled for AVX2 too,
//! chosen at run time (`multiversion`), and write straight into fresh memory.

use super::parallel::{join, par_slices, written_by, PAR_MIN};
use crate::seeded::SeededRng;
use multiversion::multiversion;
use ndarray::ArrayD;
use std::mem::MaybeUninit;

/// Where the mask's halves meet for `n` elements (a multiple of 16: whole pairs, whole vectors).
pub(crate) fn split_point(n: usize) -> usize {
    n / 2 / 16 * 16
}

/// `(y, kept)` for the elements of `x` in row-major order: `kept` 1 or 0 per element (see the module
/// docs for the draws), `y = x · (kept · scale)`. The first half's decisions come from `rngs[0]`, the
/// second's from `rngs[1]`.
pub(crate) fn drop_and_scale(
    rngs: &mut [SeededRng; 2],
    x: &ArrayD<f32>,
    threshold: u64,
    scale: f32,
) -> (ArrayD<f32>, Vec<u8>) {
    let x_std = x.as_standard_layout();
    let x_slice = x_std.as_slice().expect("a row-major array");
    let n = x.len();
    let [first_rng, second_rng] = rngs;
    let mut kept = vec![0u8; n];
    // SAFETY: `drop_half` writes every element of its part of `y`, and the two parts make up `y`.
    let y = unsafe {
        written_by(n, |y| {
            let mid = split_point(n);
            let (y1, y2) = y.split_at_mut(mid);
            let (k1, k2) = kept.split_at_mut(mid);
            let (x1, x2) = x_slice.split_at(mid);
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
    (ArrayD::from_shape_vec(x.raw_dim(), y).expect("one value per element"), kept)
}

/// `g · (kept · scale)` element by element (`kept` in row-major order), the two halves side by side.
pub(crate) fn times_mask(g: &ArrayD<f32>, kept: &[u8], scale: f32) -> ArrayD<f32> {
    let g_std = g.as_standard_layout();
    let gs = g_std.as_slice().expect("a row-major array");
    // SAFETY: `multiply` writes every element of its output (a loop over all of `g`, as long).
    let out = unsafe {
        written_by(gs.len(), |o| par_slices(gs.len(), (gs, kept, o), |(g, k, o)| multiply(g, k, o, scale)))
    };
    ArrayD::from_shape_vec(g.raw_dim(), out).expect("one value per element")
}

/// Random bits drawn at a time: 256 draws of 64 bits, two elements' 32 bits each.
const CHUNK: usize = 512;

/// One half of the forward: decisions from `rng`, `y = x · decision · scale`.
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
/// random bits.
#[multiversion(targets("x86_64+avx2+fma"))]
fn decide(bits: &[u32], x: &[f32], y: &mut [MaybeUninit<f32>], kept: &mut [u8], threshold: u64, scale: f32) {
    let (x, y, kept) = (&x[..bits.len()], &mut y[..bits.len()], &mut kept[..bits.len()]);
    for i in 0..bits.len() {
        let k = u8::from(u64::from(bits[i]) < threshold);
        kept[i] = k;
        y[i].write(x[i] * (f32::from(k) * scale));
    }
}

/// `out = g · (kept · scale)` on slices of one length.
#[multiversion(targets("x86_64+avx2+fma"))]
fn multiply(g: &[f32], kept: &[u8], out: &mut [MaybeUninit<f32>], scale: f32) {
    let (kept, out) = (&kept[..g.len()], &mut out[..g.len()]);
    for i in 0..g.len() {
        out[i].write(g[i] * (f32::from(kept[i]) * scale));
    }
}
