//! Matrix products: the one place where nnlab multiplies matrices (`C = A · B`, `A: [m, k]`,
//! `B: [k, n]`, `C: [m, n]`). Pass a transposed operand as a view, `a.t()`: no copy is made.
//!
//! ## The backend, and why
//! ndarray's `general_mat_mul`, i.e. the `matrixmultiply` crate (already a dependency of ndarray), split
//! over two threads by nnlab (below). It was chosen by measuring
//! (`scripts/bench gemm`, `crate/examples/bench_gemm.rs`) against the `gemm` crate (sarah-ek, 0.19) with
//! and without Rayon on the shapes nnlab trains with, on this course's 2-core AMD EPYC (AVX2 + FMA):
//!
//! Two runs, µs per product (median of 5 blocks of ~0.1 s; `mm` = matrixmultiply; the 2-thread
//! columns come from a second process a minute later, the 1-thread ones from the first):
//!
//! | product (f32) | run | mm 1t | gemm 1t | gemm 2t | mm 2t | gemm 1t | gemm 2t |
//! |---|---|---|---|---|---|---|---|
//! | `[128,784]·[784,784]` | A | 2432 | 2746 | 2470 | 4393 | 4293 | 4638 |
//! | | B | 2067 | 1875 | 2181 | 3171 | 2725 | 2733 |
//! | `[784,128]ᵀ·[128,784]` | A | 2964 | 2594 | 2358 | 6090 | 5818 | 7435 |
//! | | B | 2003 | 2130 | 2099 | 4298 | 3127 | 2669 |
//! | `[128,784]·[784,100]` | A | 353 | 259 | 676 | 649 | 550 | 658 |
//! | | B | 277 | 272 | 380 | 903 | 410 | 360 |
//! | `[128,100]·[100,784]ᵀ` | A | 392 | 287 | 285 | 660 | 521 | 316 |
//! | | B | 289 | 374 | 252 | 989 | 366 | 369 |
//!
//! | product (f64) | run | mm 1t | gemm 1t | gemm 2t | mm 2t | gemm 1t | gemm 2t |
//! |---|---|---|---|---|---|---|---|
//! | `[28,784]·[784,64]` | A | 108 | 94 | 411 | 331 | 211 | 417 |
//! | | B | 163 | 121 | 144 | 220 | 146 | 198 |
//! | `[28,64]·[64,784]ᵀ` | A | 230 | 159 | 196 | 233 | 163 | 231 |
//! | | B | 159 | 129 | 148 | 173 | 128 | 138 |
//! | `[28,784]·[784,10000]` | A | 42010 | 44534 | 42067 | 39512 | 40772 | 42070 |
//! | | B | 31915 | 27887 | 30666 | 36348 | 35827 | 33112 |
//!
//! The machine was shared with other builds (load average 7 in run A, 5.7 in run B, on 2 cores), so
//! differences of ±25% between runs are noise. On one thread the two libraries are even in `f32`
//! (the Keras model's products); `gemm` is ~20% faster on the small `f64` products of the
//! from-scratch network. On this busy machine a second thread rarely helped either library, and
//! hurt matrixmultiply's most (its threads wait for each other in every block).
//!
//! The cost differs a lot, though: the notebook kernel builds nnlab and its dependencies cold once
//! per machine, and a cold `cargo build --release -j1 --timings` of `gemm` 0.19 (std + rayon) takes
//! about 215 s of compile units (gemm-c64 34 s, rayon 29 s, pulp 28 s, gemm-c32 27 s, gemm-f32 19 s,
//! gemm-f64 19 s, ...; about 195 s of it not shared with nnlab's other dependencies), while
//! `matrixmultiply` is built anyway (ndarray needs it) and nnlab's two threads are its own (below). So: the lighter one, as fast within the noise where it
//! matters most. (The table's `mm 2t` is matrixmultiply's own threading, measured before nnlab
//! replaced it by the split below: on a quiet machine the split trains the Keras lecture model
//! ~7% faster, and the from-scratch network's batched epoch in 0.20 s instead of 0.32 s.)
//!
//! ## Threads and reproducibility
//! `matrixmultiply` itself runs single-threaded here (ndarray without its `matrixmultiply-threading`
//! feature); nnlab splits the work over two threads itself, with [`join`]: this thread and one worker
//! that spins for a moment after each job, so that handing it the next one costs a µs or two (see
//! `crate/src/parallel.rs` for why, and what the thread pools we measured cost instead). A large
//! product is split into two halves of its *output* (columns, or rows when there are more rows),
//! each computed by one `matrixmultiply` call; every output element is still the same sum over `k`
//! in the same order, so a product has the same bits **on any thread count**. The from-scratch
//! network splits each mini-batch and the test set in two halves the same way, always two, so its
//! bits do not depend on the thread count either (see `scratch`). Large element-wise loops (the
//! optimizers' updates, swish, dropout, `Tensor::map`) run in two halves too: each element
//! is computed by the same code wherever the split falls.
//!
//! Why not matrixmultiply's own threads: they split the loops *inside* each product, and the two
//! threads meet at every block of the output; one split per product (or per mini-batch) has one
//! meeting point, and the from-scratch network's small products can run side by side.
//!
//! The thread count: `MATMUL_NUM_THREADS` (read once per process, the same variable matrixmultiply
//! reads; 1 turns the second thread off), else the number of cores; at most 2 are used. Set
//! `MATMUL_NUM_THREADS=1` before starting a program (or the notebook server) on a busy machine,
//! where a second thread costs more than it gives. Tests: `same bits` below and
//! `crate/tests/threads.rs` (`fit` and the from-scratch `train` in child processes with 1 and 2
//! threads, compared bit for bit).
//!
//! ```
//! use nnlab::ndarray::array;
//! let a = array![[1.0f32, 2.0], [3.0, 4.0]];
//! let b = array![[1.0f32], [1.0]];
//! assert_eq!(nnlab::linalg::matmul_f32(&a.view(), &b.view()), array![[3.0f32], [7.0]]);
//! assert_eq!(nnlab::linalg::matmul_f32(&a.t(), &b.view()), array![[4.0f32], [6.0]]); // Aᵀ·B
//! ```

use ndarray::linalg::general_mat_mul;
use ndarray::{s, Array2, ArrayView2, ArrayViewMut2, Axis, LinalgScalar};

pub use crate::parallel::{join, threads};

/// `A · B` in `f32` for `A: [m, k]`, `B: [k, n]` (any strides, e.g. `a.t()`); shape `[m, n]`.
///
/// Panics if `A`'s columns are not `B`'s rows (callers check shapes and return an error first).
///
/// ```
/// use nnlab::ndarray::array;
/// let c = nnlab::linalg::matmul_f32(&array![[1.0f32, 2.0]].view(), &array![[3.0f32], [4.0]].view());
/// assert_eq!(c, array![[11.0f32]]);
/// ```
pub fn matmul_f32(a: &ArrayView2<f32>, b: &ArrayView2<f32>) -> Array2<f32> {
    matmul(a, b)
}

/// `A · B` in `f64` for `A: [m, k]`, `B: [k, n]` (any strides, e.g. `a.t()`); shape `[m, n]`.
///
/// Panics if `A`'s columns are not `B`'s rows (callers check shapes and return an error first).
///
/// ```
/// use nnlab::ndarray::array;
/// let c = nnlab::linalg::matmul_f64(&array![[1.0, 2.0]].view(), &array![[3.0], [4.0]].view());
/// assert_eq!(c, array![[11.0]]);
/// ```
pub fn matmul_f64(a: &ArrayView2<f64>, b: &ArrayView2<f64>) -> Array2<f64> {
    matmul(a, b)
}

/// Products smaller than this (`m·k + k·n` elements read) stay on one thread: handing half of them to
/// the other thread would cost more than it saves (the threshold matrixmultiply used for 2 threads).
const SPLIT_MIN: usize = 1 << 15;

/// Where to split `len` output rows or columns: about the middle, on a multiple of 16 so that both
/// halves fill matrixmultiply's tiles (8 × 8 in f32, 8 × 4 in f64 with AVX2).
fn split_point(len: usize) -> usize {
    (len / 2).div_ceil(16) * 16
}

/// `C = A · B`, split in two halves of `C` computed side by side (see the module docs).
fn matmul<T: LinalgScalar + Send + Sync>(a: &ArrayView2<T>, b: &ArrayView2<T>) -> Array2<T> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    assert_eq!(k, b.nrows(), "matmul: inner dimensions differ");
    let mut c = Array2::zeros((m, n));
    let gemm = |a: &ArrayView2<T>, b: &ArrayView2<T>, mut c: ArrayViewMut2<T>| {
        general_mat_mul(T::one(), a, b, T::zero(), &mut c)
    };
    if m * k + k * n < SPLIT_MIN || m.max(n) < 32 || threads() < 2 {
        gemm(a, b, c.view_mut());
    } else if n >= m {
        let mid = split_point(n);
        let (c0, c1) = c.view_mut().split_at(Axis(1), mid);
        join(|| gemm(a, &b.slice(s![.., ..mid]), c0), || gemm(a, &b.slice(s![.., mid..]), c1));
    } else {
        let mid = split_point(m);
        let (c0, c1) = c.view_mut().split_at(Axis(0), mid);
        join(|| gemm(&a.slice(s![..mid, ..]), b, c0), || gemm(&a.slice(s![mid.., ..]), b, c1));
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array2;

    fn filled(rows: usize, cols: usize, seed: u32) -> Array2<f32> {
        let mut s = seed;
        Array2::from_shape_simple_fn((rows, cols), || {
            s = s.wrapping_mul(1_664_525).wrapping_add(1_013_904_223);
            (s >> 8) as f32 / (1u32 << 24) as f32 - 0.5
        })
    }

    #[test]
    fn same_product_twice_same_bits() {
        let (a, b) = (filled(128, 784, 1), filled(784, 300, 2));
        let (c1, c2) = (matmul_f32(&a.view(), &b.view()), matmul_f32(&a.view(), &b.view()));
        assert!(c1.iter().zip(&c2).all(|(x, y)| x.to_bits() == y.to_bits()));
        let (a, b) = (a.mapv(f64::from), b.mapv(f64::from));
        let (c1, c2) = (matmul_f64(&a.view(), &b.view()), matmul_f64(&a.view(), &b.view()));
        assert!(c1.iter().zip(&c2).all(|(x, y)| x.to_bits() == y.to_bits()));
    }

    #[test]
    fn transposed_views_match_a_naive_product() {
        let (a, b) = (filled(50, 30, 3), filled(40, 50, 4)); // Aᵀ: [30, 50], Bᵀ: [50, 40]
        let c = matmul_f32(&a.t(), &b.t());
        assert_eq!(c.shape(), &[30, 40]);
        for i in 0..30 {
            for j in 0..40 {
                let naive: f64 = (0..50).map(|k| a[[k, i]] as f64 * b[[j, k]] as f64).sum();
                assert!((c[[i, j]] as f64 - naive).abs() < 1e-4, "{i},{j}");
            }
        }
    }
}
