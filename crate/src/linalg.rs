//! Matrix products: the one place where nnlab multiplies matrices (`C = A · B`, `A: [m, k]`,
//! `B: [k, n]`, `C: [m, n]`). Pass a transposed operand as a view, `a.t()`: no copy is made.
//!
//! ## The backend, and why
//! ndarray's `dot`, i.e. the `matrixmultiply` crate (already a dependency of ndarray), with its
//! `threading` feature (ndarray's `matrixmultiply-threading`). It was chosen by measuring
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
//! `matrixmultiply` is built anyway (ndarray needs it) and its threading adds about 6 s
//! (`thread-tree`, `num_cpus`, `crossbeam-channel`). So: the lighter one, as fast within the noise
//! where it matters most.
//!
//! ## Threads and reproducibility
//! `matrixmultiply` uses `MATMUL_NUM_THREADS` threads (read once per process; default: the number
//! of physical cores, at most 4). It splits only the *output* into blocks across threads; the sum
//! over `k` of each output element is done in the same order whatever the thread count. So a
//! product has the same bits twice in a row **and on any thread count** (same bits twice: the tests
//! here; across thread counts: `bits_same_1t_vs_2t` in `scripts/bench gemm`, for every benchmarked
//! shape, and `crate/tests/threads.rs`, which runs `fit` in child processes with
//! `MATMUL_NUM_THREADS=1` and `2` and compares the `History` and the weights bit for bit). The thread
//! count changes only the speed: set `MATMUL_NUM_THREADS=1` before starting a program (or the
//! notebook server) when the machine is busy, since there the second thread costs more than it gives.
//!
//! ```
//! use nnlab::ndarray::array;
//! let a = array![[1.0f32, 2.0], [3.0, 4.0]];
//! let b = array![[1.0f32], [1.0]];
//! assert_eq!(nnlab::linalg::matmul_f32(&a.view(), &b.view()), array![[3.0f32], [7.0]]);
//! assert_eq!(nnlab::linalg::matmul_f32(&a.t(), &b.view()), array![[4.0f32], [6.0]]); // Aᵀ·B
//! ```

use ndarray::{Array2, ArrayView2};

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
    a.dot(b)
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
    a.dot(b)
}

/// The number of threads a large product uses: `MATMUL_NUM_THREADS` if set (1 to 4), else the number
/// of physical cores (at most 4), as `matrixmultiply` decides.
///
/// ```
/// assert!((1..=4).contains(&nnlab::linalg::threads()));
/// ```
pub fn threads() -> usize {
    let from_env = std::env::var("MATMUL_NUM_THREADS").ok().and_then(|s| s.trim().parse::<usize>().ok());
    from_env.unwrap_or_else(|| std::thread::available_parallelism().map_or(1, |n| n.get())).clamp(1, 4)
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
