//! Matrix products of the layers, the tape and the optimizers (`C = A · B`, `A: [m, k]`, `B: [k, n]`,
//! `C: [m, n]`). Pass a transposed operand as a view, `a.t()`: no copy is made. (The from-scratch
//! network's products, in `f64` and into preallocated memory, are in `scratch/gemm.rs`, on the same
//! matrixmultiply.)
//!
//! ## The backend, and why
//! ndarray's `general_mat_mul`, i.e. the `matrixmultiply` crate (already a dependency of ndarray), split
//! over two threads by nnlab (below). It was chosen by measuring on the shapes nnlab trains with
//! (`scripts/bench gemm`, side by side with numpy's OpenBLAS; the figures are in `bench/RESULTS.md`):
//! against the `gemm` crate (as fast, ~195 s more to build cold for every student's first kernel) and
//! against Debian's OpenBLAS and BLIS (as fast on one thread, slower with their own threads, and
//! OpenBLAS's serial build is not reproducible when two threads call it at once). So: the lighter one.
//!
//! ## Threads and reproducibility
//! `matrixmultiply` itself runs single-threaded here (ndarray without its `matrixmultiply-threading`
//! feature); nnlab splits the work over two threads itself, with [`join`]: this thread and one worker
//! that spins for a moment after each job, so that handing it the next one costs a µs or two (see
//! `crate/src/parallel.rs` for why, and what the thread pools we measured cost instead). A large
//! product is split into two halves of its *output* (columns when there are more columns, else rows:
//! a square `[784, 784]` gradient is split as the optimizers split its weights, so each thread updates
//! the half it has just computed, still in its cache), each computed by one `matrixmultiply` call;
//! every output element is still the same sum over `k` in the same order, so a product has the same
//! bits **on any thread count**. The from-scratch
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

use ndarray::{s, Array2, ArrayView2, LinalgScalar};

pub use crate::backend::parallel::{join, threads};

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

/// Where to split `len` output rows or columns: about the middle, on a multiple of 8 so that both
/// halves fill matrixmultiply's AVX2 tiles (8 × 8 in f32, 8 × 4 in f64); 784 splits as 392 + 392. (Its
/// AVX-512 tiles are 16 × 16 in f32: there each half of 784 ends in a half-filled tile, and a 384 + 400
/// split would leave the larger half as many tiles as both have now.)
/// (The first half is this thread's: it also packs and hands over the second, so it should not be the
/// larger one.)
fn split_point(len: usize) -> usize {
    len / 2 / 8 * 8
}

/// `C = A · B`, split in two halves of `C` computed side by side (see the module docs).
///
/// `C` is written straight into fresh memory by matrixmultiply (β = 0: "C does not need to be initialized",
/// its docs say), not zero-filled first: for the Keras lecture model that was a `memset` of ~3 MB per
/// training step (the `[784, 784]` gradient alone is 2.4 MB).
fn matmul<T: Gemm>(a: &ArrayView2<T>, b: &ArrayView2<T>) -> Array2<T> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    assert_eq!(k, b.nrows(), "matmul: inner dimensions differ");
    // (Checked: with k = 0 both inputs are empty whatever m and n are, and m·n must not wrap around.)
    let len = m.checked_mul(n).expect("matmul: the output has more elements than memory can hold");
    let mut c: Vec<T> = Vec::with_capacity(len);
    let out = OutPtr(c.as_mut_ptr());
    // `a · b` into the rows and columns of C starting at element `offset` (row-major, row stride n).
    let product = |a: &ArrayView2<T>, b: &ArrayView2<T>, offset: usize| {
        let (sa, sb) = (a.strides(), b.strides());
        // SAFETY: the pointers and strides are the views' own; the part of C written (a.nrows() rows of
        // b.ncols() columns from `offset`, row stride n) lies inside the capacity m·n, and the two parts
        // of a split are disjoint (different columns, or different rows), so no element is written twice.
        unsafe {
            T::gemm(
                a.nrows(),
                k,
                b.ncols(),
                a.as_ptr(),
                sa[0],
                sa[1],
                b.as_ptr(),
                sb[0],
                sb[1],
                out.at(offset),
                n,
            )
        }
    };
    if m * k + k * n < SPLIT_MIN || m.max(n) < 32 || threads() < 2 {
        product(a, b, 0);
    } else if n > m {
        let mid = split_point(n);
        join(|| product(a, &b.slice(s![.., ..mid]), 0), || product(a, &b.slice(s![.., mid..]), mid));
    } else {
        let mid = split_point(m);
        join(|| product(&a.slice(s![..mid, ..]), b, 0), || product(&a.slice(s![mid.., ..]), b, mid * n));
    }
    // SAFETY: with β = 0 matrixmultiply writes every element of its C (also when k = 0), and the calls
    // above cover all `len` = m·n elements; `join` has returned, so both halves are done.
    unsafe { c.set_len(len) };
    Array2::from_shape_vec((m, n), c).expect("m·n elements")
}

/// The start of `C`'s memory, shared by the two halves of a product (each writes its own elements).
struct OutPtr<T>(*mut T);

// SAFETY: the halves write disjoint elements (see `matmul`), and `join` waits for both.
unsafe impl<T: Send> Send for OutPtr<T> {}
// SAFETY: as for Send: the two halves that share the pointer write disjoint elements.
unsafe impl<T: Send> Sync for OutPtr<T> {}

impl<T> OutPtr<T> {
    /// The pointer to element `offset`. (A method, so that closures capture the whole `OutPtr`, which is
    /// `Sync`, not its raw-pointer field.)
    fn at(&self, offset: usize) -> *mut T {
        self.0.wrapping_add(offset)
    }
}

/// matrixmultiply's `sgemm` / `dgemm` with α = 1, β = 0 and a row-major `C` (row stride `rsc`).
trait Gemm: LinalgScalar + Send + Sync {
    /// `C = A · B` for `A: [m, k]` at `a` with strides `rsa, csa`, `B: [k, n]` likewise, `C` at `c`.
    ///
    /// # Safety
    /// As `matrixmultiply::sgemm`: the pointers and strides describe valid matrices, and `C`'s elements
    /// are writable and not otherwise in use.
    #[allow(clippy::too_many_arguments)]
    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        a: *const Self,
        rsa: isize,
        csa: isize,
        b: *const Self,
        rsb: isize,
        csb: isize,
        c: *mut Self,
        rsc: usize,
    );
}

impl Gemm for f32 {
    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        a: *const f32,
        rsa: isize,
        csa: isize,
        b: *const f32,
        rsb: isize,
        csb: isize,
        c: *mut f32,
        rsc: usize,
    ) {
        // SAFETY: passed on from the caller.
        unsafe { matrixmultiply::sgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, 0.0, c, rsc as isize, 1) }
    }
}

impl Gemm for f64 {
    unsafe fn gemm(
        m: usize,
        k: usize,
        n: usize,
        a: *const f64,
        rsa: isize,
        csa: isize,
        b: *const f64,
        rsb: isize,
        csb: isize,
        c: *mut f64,
        rsc: usize,
    ) {
        // SAFETY: passed on from the caller.
        unsafe { matrixmultiply::dgemm(m, k, n, 1.0, a, rsa, csa, b, rsb, csb, 0.0, c, rsc as isize, 1) }
    }
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
    fn every_element_written_same_bits_as_ndarray_dot() {
        // Split by columns, by rows, not split, an empty inner dimension (all zeros), no rows, transposes.
        for (m, k, n) in [(128, 784, 300), (784, 128, 100), (300, 50, 20), (5, 7, 3), (3, 0, 4), (0, 5, 3)] {
            let (a, b) = (filled(m, k, 5), filled(k, n, 6));
            let ours = matmul_f32(&a.view(), &b.view());
            let theirs = a.dot(&b);
            assert_eq!(ours.shape(), &[m, n]);
            assert!(ours.iter().zip(&theirs).all(|(x, y)| x.to_bits() == y.to_bits()), "{m}x{k}x{n}");
            let (at, bt) = (a.t().to_owned(), b.t().to_owned()); // [k, m] and [n, k] stored; pass their transposes
            let ours_t = matmul_f32(&at.t(), &bt.t());
            assert!(ours_t.iter().zip(&theirs).all(|(x, y)| (x - y).abs() <= 1e-4), "{m}x{k}x{n} transposed");
            let (a64, b64) = (a.mapv(f64::from), b.mapv(f64::from));
            let ours64 = matmul_f64(&a64.view(), &b64.view());
            assert!(
                ours64.iter().zip(&a64.dot(&b64)).all(|(x, y)| x.to_bits() == y.to_bits()),
                "f64 {m}x{k}x{n}"
            );
        }
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
