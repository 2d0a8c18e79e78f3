//! Benchmark of the matrix-product backends on the shapes nnlab trains with (run by bench/group-gemm).
//!
//! Candidates (in this process): `ndarray_dot` (ndarray's `dot`, i.e. the `matrixmultiply` crate, which
//! nnlab builds without its own threads), `gemm_1t` and `gemm_2t` (the `gemm` crate with
//! `Parallelism::None` / `Parallelism::Rayon(2)`), and `nnlab` (`nnlab::linalg`, the chosen one:
//! matrixmultiply with nnlab's split of the output over two threads). nnlab's thread count is fixed per
//! process by `MATMUL_NUM_THREADS`, so the script runs this program once with 1 and once with 2 and names
//! the figures `mm_1t` / `mm_2t`.
//! With the feature `bench-blas` and `BENCH_BLAS=NAME` in the environment, it times only a system CBLAS
//! (`cblas_sgemm` / `cblas_dgemm`, linked as `libblas.so.3`: which implementation answers, Debian's
//! OpenBLAS serial or pthread build or BLIS, is chosen by the script through `LD_LIBRARY_PATH`, its
//! threads through `OPENBLAS_NUM_THREADS` / `BLIS_NUM_THREADS`) and names the figures `NAME`.
//! Shapes: the Keras lecture model in f32 (batch 128, forward and the backward products) and the
//! from-scratch network in f64 (column layout, batch 64, and evaluating 10,000 examples at once).
//!
//! Usage: `bench_gemm [HASH_FILE]`. Prints one JSON line per candidate and shape
//! (`{"group":"gemm","name":"f32/fwd1 128x784x784/gemm_2t","value":µs,"unit":"us"}`, the median of 5
//! timed blocks), a table on stderr, and writes a hash of each product's bits to HASH_FILE.

use ndarray::{Array2, ArrayView2, LinalgScalar, ShapeBuilder};
use std::collections::hash_map::DefaultHasher;
use std::hash::{Hash, Hasher};
use std::io::Write;
use std::time::Instant;

// The system BLAS: libblas.so, whose libblas.so.3 Debian lets OpenBLAS or BLIS provide.
#[cfg(feature = "bench-blas")]
#[link(name = "blas")]
unsafe extern "C" {}

/// (name, m, k, n, a stored transposed, b stored transposed): C[m, n] = A[m, k] · B[k, n].
type Shape = (&'static str, usize, usize, usize, bool, bool);

const F32_SHAPES: &[Shape] = &[
    ("fwd1", 128, 784, 784, false, false),
    ("fwd2", 128, 784, 100, false, false),
    ("fwd3", 128, 100, 10, false, false),
    ("dW1", 784, 128, 784, true, false),
    ("dX2", 128, 100, 784, false, true),
    ("dW2", 784, 128, 100, true, false),
    ("dX3", 128, 10, 100, false, true),
    ("dW3", 100, 128, 10, true, false),
];

const F64_SHAPES: &[Shape] = &[
    ("fwd1", 28, 784, 64, false, false),
    ("fwd2", 28, 28, 64, false, false),
    ("fwd3", 10, 28, 64, false, false),
    ("dW3", 10, 64, 28, false, true),
    ("dA2", 28, 10, 64, true, false),
    ("dW2", 28, 64, 28, false, true),
    ("dA1", 28, 28, 64, true, false),
    ("dW1", 28, 64, 784, false, true),
    ("eval1", 28, 784, 10000, false, false),
];

trait Elem: LinalgScalar + Send + Sync + std::fmt::Debug {
    fn from_f64(x: f64) -> Self;
    fn bits(self) -> u64;
    fn nnlab(a: &ArrayView2<Self>, b: &ArrayView2<Self>) -> Array2<Self>;
    /// `cblas_?gemm` in row-major layout with α = 1, β = 0 (`mnk` = [m, n, k], `ldc` = n).
    ///
    /// # Safety
    /// The pointers must describe live arrays of those shapes, leading dimensions and transposes.
    #[cfg(feature = "bench-blas")]
    #[allow(clippy::too_many_arguments)]
    unsafe fn cblas_gemm(
        ta: cblas_sys::CBLAS_TRANSPOSE,
        tb: cblas_sys::CBLAS_TRANSPOSE,
        mnk: [i32; 3],
        a: *const Self,
        lda: i32,
        b: *const Self,
        ldb: i32,
        c: *mut Self,
    );
}
impl Elem for f32 {
    fn from_f64(x: f64) -> f32 {
        x as f32
    }
    fn bits(self) -> u64 {
        self.to_bits() as u64
    }
    fn nnlab(a: &ArrayView2<f32>, b: &ArrayView2<f32>) -> Array2<f32> {
        nnlab::linalg::matmul_f32(a, b)
    }
    #[cfg(feature = "bench-blas")]
    unsafe fn cblas_gemm(
        ta: cblas_sys::CBLAS_TRANSPOSE,
        tb: cblas_sys::CBLAS_TRANSPOSE,
        [m, n, k]: [i32; 3],
        a: *const f32,
        lda: i32,
        b: *const f32,
        ldb: i32,
        c: *mut f32,
    ) {
        use cblas_sys::CBLAS_LAYOUT::CblasRowMajor;
        // SAFETY: as the caller promised.
        unsafe { cblas_sys::cblas_sgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, n) }
    }
}
impl Elem for f64 {
    fn from_f64(x: f64) -> f64 {
        x
    }
    fn bits(self) -> u64 {
        self.to_bits()
    }
    fn nnlab(a: &ArrayView2<f64>, b: &ArrayView2<f64>) -> Array2<f64> {
        nnlab::linalg::matmul_f64(a, b)
    }
    #[cfg(feature = "bench-blas")]
    unsafe fn cblas_gemm(
        ta: cblas_sys::CBLAS_TRANSPOSE,
        tb: cblas_sys::CBLAS_TRANSPOSE,
        [m, n, k]: [i32; 3],
        a: *const f64,
        lda: i32,
        b: *const f64,
        ldb: i32,
        c: *mut f64,
    ) {
        use cblas_sys::CBLAS_LAYOUT::CblasRowMajor;
        // SAFETY: as the caller promised.
        unsafe { cblas_sys::cblas_dgemm(CblasRowMajor, ta, tb, m, n, k, 1.0, a, lda, b, ldb, 0.0, c, n) }
    }
}

/// A `rows × cols` array of values in [-1, 1) from a small LCG (the values do not matter, only the shapes).
fn filled<T: Elem>(rows: usize, cols: usize, seed: u64) -> Array2<T> {
    let mut s = seed.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
    Array2::from_shape_simple_fn((rows, cols), || {
        s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        T::from_f64((s >> 11) as f64 / (1u64 << 53) as f64 * 2.0 - 1.0)
    })
}

/// `C = A · B` with the `gemm` crate, for any strides.
fn gemm_crate<T: Elem>(a: &ArrayView2<T>, b: &ArrayView2<T>, par: gemm::Parallelism) -> Array2<T> {
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    let mut c = Array2::<T>::zeros((m, n).f());
    let (sa, sb, sc) = (a.strides(), b.strides(), c.strides().to_vec());
    // SAFETY: the pointers and strides describe live arrays of the stated shapes; c is not read (read_dst false).
    unsafe {
        gemm::gemm(
            m,
            n,
            k,
            c.as_mut_ptr(),
            sc[1],
            sc[0],
            false,
            a.as_ptr(),
            sa[1],
            sa[0],
            b.as_ptr(),
            sb[1],
            sb[0],
            T::zero(),
            T::one(),
            false,
            false,
            false,
            par,
        );
    }
    c
}

/// `C = A · B` with the system's CBLAS. Each operand must have one unit stride (row-major, or a
/// transposed view of a row-major array, which CBLAS reads as `Trans`); C is row-major.
#[cfg(feature = "bench-blas")]
fn cblas<T: Elem>(a: &ArrayView2<T>, b: &ArrayView2<T>) -> Array2<T> {
    use cblas_sys::{CBLAS_TRANSPOSE, CBLAS_TRANSPOSE::*};
    let (m, k, n) = (a.nrows(), a.ncols(), b.ncols());
    // (transpose flag, leading dimension) of an operand stored row-major or as a transposed view
    fn layout<T>(x: &ArrayView2<T>) -> (CBLAS_TRANSPOSE, i32) {
        let s = x.strides();
        if s[1] == 1 {
            (CblasNoTrans, s[0].max(x.ncols() as isize) as i32)
        } else {
            assert_eq!(s[0], 1, "cblas: an operand needs one unit stride");
            (CblasTrans, s[1].max(x.nrows() as isize) as i32)
        }
    }
    let ((ta, lda), (tb, ldb)) = (layout(a), layout(b));
    let mut c = Array2::<T>::zeros((m, n));
    // SAFETY: the pointers, leading dimensions and transpose flags describe live arrays of the stated
    // shapes (checked by `layout`); C is a fresh row-major m × n array with leading dimension n.
    unsafe {
        T::cblas_gemm(ta, tb, [m, n, k].map(|d| d as i32), a.as_ptr(), lda, b.as_ptr(), ldb, c.as_mut_ptr())
    };
    c
}

/// Median time in µs of one call of `f`, over 5 blocks of enough calls for ~0.1 s each.
fn time_us(mut f: impl FnMut()) -> f64 {
    f();
    let t = Instant::now();
    f();
    let once = t.elapsed().as_secs_f64().max(1e-7);
    let reps = ((0.1 / once) as usize).clamp(1, 100_000);
    let mut blocks: Vec<f64> = (0..5)
        .map(|_| {
            let t = Instant::now();
            for _ in 0..reps {
                f();
            }
            t.elapsed().as_secs_f64() * 1e6 / reps as f64
        })
        .collect();
    blocks.sort_by(|a, b| a.total_cmp(b));
    blocks[2]
}

fn hash<T: Elem>(c: &Array2<T>) -> u64 {
    let mut h = DefaultHasher::new();
    for &x in c.iter() {
        x.bits().hash(&mut h);
    }
    h.finish()
}

fn run<T: Elem>(dtype: &str, shapes: &[Shape], mm: &str, blas: Option<&str>, hashes: &mut Vec<String>) {
    for &(name, m, k, n, ta, tb) in shapes {
        let a_store: Array2<T> = if ta { filled(k, m, 1) } else { filled(m, k, 1) };
        let b_store: Array2<T> = if tb { filled(n, k, 2) } else { filled(k, n, 2) };
        let a = if ta { a_store.t() } else { a_store.view() };
        let b = if tb { b_store.t() } else { b_store.view() };
        let flops = 2.0 * (m * k * n) as f64;
        type Candidate<'a, T> = (String, Box<dyn Fn() -> Array2<T> + 'a>);
        let candidates: Vec<Candidate<T>> = match blas {
            #[cfg(feature = "bench-blas")]
            Some(name) => vec![(name.to_string(), Box::new(|| cblas(&a, &b)))],
            _ => vec![
                (mm.to_string(), Box::new(|| a.dot(&b))),
                ("gemm_1t".into(), Box::new(|| gemm_crate(&a, &b, gemm::Parallelism::None))),
                ("gemm_2t".into(), Box::new(|| gemm_crate(&a, &b, gemm::Parallelism::Rayon(2)))),
                (format!("nnlab_{mm}"), Box::new(|| T::nnlab(&a, &b))),
            ],
        };
        for (cand, f) in &candidates {
            let us = time_us(|| {
                std::hint::black_box(f());
            });
            let full = format!(
                "{dtype}/{name} {m}x{k}x{n}{}{}/{cand}",
                if ta { " Aᵀ" } else { "" },
                if tb { " Bᵀ" } else { "" }
            );
            println!(r#"{{"group": "gemm", "name": "{full}", "value": {us:.3}, "unit": "us"}}"#);
            eprintln!("  gemm {full:<40} {us:>10.1} us  {:>6.1} GFLOP/s", flops / us / 1e3);
            let (c1, c2) = (f(), f());
            hashes.push(format!("{dtype}/{name}/{cand} {} {}", hash(&c1), hash(&c2)));
        }
    }
}

fn main() {
    let threads = std::env::var("MATMUL_NUM_THREADS").unwrap_or_else(|_| "default".into());
    let mm = format!("mm_{threads}t");
    let blas = std::env::var("BENCH_BLAS").ok();
    assert!(blas.is_none() || cfg!(feature = "bench-blas"), "BENCH_BLAS needs the feature bench-blas");
    let mut hashes = vec![];
    run::<f32>("f32", F32_SHAPES, &mm, blas.as_deref(), &mut hashes);
    run::<f64>("f64", F64_SHAPES, &mm, blas.as_deref(), &mut hashes);
    if let Some(path) = std::env::args().nth(1) {
        let mut f = std::fs::File::create(path).expect("hash file");
        for h in hashes {
            writeln!(f, "{h}").expect("write");
        }
    }
}
