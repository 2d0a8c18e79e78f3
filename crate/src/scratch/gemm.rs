//! The from-scratch network's fast products (batched training, evaluation), all in this one file, so
//! that the backend (today ndarray's `general_mat_mul`, i.e. the `matrixmultiply` crate) can be switched
//! in one place.
//!
//! `dot` allocates its result (the lecture's `np.dot`); `gemm_into` writes into a preallocated matrix
//! (the batched training loop, which allocates nothing per mini-batch).

use ndarray::linalg::general_mat_mul;
use ndarray::{Array2, ArrayBase, ArrayViewMut2, Data, Ix2};

/// `a · b` as a new matrix, like `np.dot(a, b)`: `(r, k) · (k, c) → (r, c)`. Shapes are checked by the
/// callers (an inner-dimension mismatch here is a bug in this module).
pub(crate) fn dot<S1, S2>(a: &ArrayBase<S1, Ix2>, b: &ArrayBase<S2, Ix2>) -> Array2<f64>
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
{
    let mut c = Array2::zeros((a.nrows(), b.ncols()));
    general_mat_mul(1.0, a, b, 0.0, &mut c);
    c
}

/// `c ← a · b`, overwriting `c` (`(r, k) · (k, c) → (r, c)`); any memory layout, views included.
///
/// Computed as the transposed product `cᵀ = bᵀ aᵀ` (a view change, no copy): `matrixmultiply` fills
/// the result in tiles of 8 rows by 4 columns, and our products have few rows (28, 10: the neurons)
/// and many columns (64 examples, 784 inputs), so `cᵀ` fills whole tiles (64 = 8 · 8, 784 = 98 · 8,
/// 28 = 7 · 4) where `c` would waste part of its last row of tiles. Each element is the same sum in
/// the same order (the same bits: checked after an epoch of the lecture's run, on 1 and 2 threads),
/// and a batched epoch takes about 7% less time.
pub(crate) fn gemm_into<S1, S2>(a: &ArrayBase<S1, Ix2>, b: &ArrayBase<S2, Ix2>, c: ArrayViewMut2<f64>)
where
    S1: Data<Elem = f64>,
    S2: Data<Elem = f64>,
{
    general_mat_mul(1.0, &b.t(), &a.t(), 0.0, &mut c.reversed_axes());
}
