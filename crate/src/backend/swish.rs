//! Swish's loops, `s = σ(x)`, `y = x s` forward and `dx = g · s (1 + x (1 − s))` backward, for
//! `activations`: on row-major slices, the two halves side by side ([`par_slices`]), written straight
//! into fresh memory, and compiled for plain x86-64, for AVX2 (8 lanes at a time) and for AVX-512 (16
//! lanes: the exponential's polynomial is arithmetic-bound), the one to run chosen at run time
//! (`multiversion`); the same IEEE operations, so the same bits, on each.

use super::exp;
use super::parallel::{par_slices, written_by};
use multiversion::multiversion;
use ndarray::ArrayD;
use std::mem::MaybeUninit;

/// `(y, s)` with `s = σ(x)` ([`exp::sigmoid`], within an ulp of libm's) and `y = x s`, element by element
/// (`s` in row-major order).
pub(crate) fn swish_forward(x: &ArrayD<f32>) -> (ArrayD<f32>, Vec<f32>) {
    let x_std = x.as_standard_layout();
    let xs = x_std.as_slice().expect("a row-major array");
    let n = x.len();
    let mut s = vec![];
    // SAFETY: `forward` writes every element of `y` and `s` (a loop over all of `x`, as long).
    let y = unsafe {
        written_by(n, |y| {
            s = written_by(n, |s| par_slices(n, (xs, y, s), |(x, y, s)| forward(x, y, s)));
        })
    };
    (ArrayD::from_shape_vec(x.raw_dim(), y).expect("one value per element"), s)
}

/// `dx = g · s (1 + x (1 − s))` element by element, for `g` and `x` of one shape and `s = σ(x)` (as
/// [`swish_forward`] returned it).
pub(crate) fn swish_backward(g: &ArrayD<f32>, x: &ArrayD<f32>, s: &[f32]) -> ArrayD<f32> {
    let (g_std, x_std) = (g.as_standard_layout(), x.as_standard_layout());
    let (gs, xs) = (g_std.as_slice().expect("row-major"), x_std.as_slice().expect("row-major"));
    // SAFETY: `backward` writes every element of `dx` (a loop over all of `g`, as long).
    let dx = unsafe {
        written_by(gs.len(), |dx| {
            par_slices(gs.len(), (gs, xs, s, dx), |(g, x, s, dx)| backward(g, x, s, dx))
        })
    };
    ArrayD::from_shape_vec(g.raw_dim(), dx).expect("one value per element")
}

#[multiversion(targets("x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl", "x86_64+avx2+fma"))]
fn forward(x: &[f32], y: &mut [MaybeUninit<f32>], s: &mut [MaybeUninit<f32>]) {
    let (y, s) = (&mut y[..x.len()], &mut s[..x.len()]);
    for i in 0..x.len() {
        let sigma = exp::sigmoid(x[i]);
        s[i].write(sigma);
        y[i].write(x[i] * sigma);
    }
}

#[multiversion(targets("x86_64+avx512f+avx512bw+avx512cd+avx512dq+avx512vl", "x86_64+avx2+fma"))]
fn backward(g: &[f32], x: &[f32], s: &[f32], dx: &mut [MaybeUninit<f32>]) {
    let (x, s, dx) = (&x[..g.len()], &s[..g.len()], &mut dx[..g.len()]);
    for i in 0..g.len() {
        dx[i].write(g[i] * (s[i] * (1.0 + x[i] * (1.0 - s[i]))));
    }
}
