//! The rows of a mini-batch: `x[idx]` (numpy's `x.take(idx, axis=0)`) for an `x: [n, ...]` and indices
//! `idx`, shape `[idx.len(), ...]`.
//!
//! What every `fit` does once per batch to a shuffled dataset (60,000 × 784 pixels are 188 MB, so the
//! rows come from all over memory). For a row-major `x` each row is one copy of a contiguous run, and
//! a large batch is copied in two halves side by side (`parallel::join`); ndarray's `select` is used for
//! other layouts.

use crate::backend::parallel::{join, written_by, PAR_MIN};
use ndarray::{ArrayD, ArrayViewD, Axis, IxDyn};
use std::mem::MaybeUninit;

/// `x[idx]` along the first axis: for `x = [[1, 2], [3, 4], [5, 6]]` and `idx = [2, 0]`, `[[5, 6], [1, 2]]`.
/// Panics if an index is out of range (callers draw them from `0..n`), before anything is copied.
/// (Crate-private: compared with ndarray's `select` by the tests below.)
pub(crate) fn take_rows(x: &ArrayViewD<f32>, idx: &[usize]) -> ArrayD<f32> {
    let row: usize = x.shape()[1..].iter().product();
    let Some(src) = x.as_slice().filter(|_| row > 0) else {
        return x.select(Axis(0), idx);
    };
    // Writes `out` completely: one row of `row` values per index, and `out` has `idx.len()` rows.
    let copy = |out: &mut [MaybeUninit<f32>], idx: &[usize]| {
        for (o, &i) in out.chunks_exact_mut(row).zip(idx) {
            for (o, &v) in o.iter_mut().zip(&src[i * row..(i + 1) * row]) {
                o.write(v);
            }
        }
    };
    let rows = x.shape()[0];
    if let Some(&bad) = idx.iter().find(|&&i| i >= rows) {
        panic!("take_rows: index {bad} out of range for {rows} rows");
    }
    let n = idx.len().checked_mul(row).expect("take_rows: more elements than memory can hold");
    // SAFETY: `copy` writes every element (above), of both halves when split on a row boundary.
    let out = unsafe {
        written_by(n, |out| {
            if n >= PAR_MIN {
                let mid = idx.len() / 2;
                let (first, second) = out.split_at_mut(mid * row);
                join(|| copy(first, &idx[..mid]), || copy(second, &idx[mid..]));
            } else {
                copy(out, idx);
            }
        })
    };
    let mut shape = x.shape().to_vec();
    shape[0] = idx.len();
    ArrayD::from_shape_vec(IxDyn(&shape), out).expect("one value per element")
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::{s, Array};

    #[test]
    fn same_as_select_for_every_layout_and_size() {
        for (n, width) in [(5, 3), (300, 784), (4, 0)] {
            let x = Array::from_shape_fn((n, width), |(i, j)| (i * 1000 + j) as f32).into_dyn();
            let idx: Vec<usize> = (0..n).rev().chain([0, n.saturating_sub(1)]).filter(|&i| i < n).collect();
            assert_eq!(take_rows(&x.view(), &idx), x.select(Axis(0), &idx), "{n}x{width}");
            let t = x.t(); // column-major: the fallback
            let idx: Vec<usize> = (0..width.min(3)).collect();
            assert_eq!(take_rows(&t, &idx), t.select(Axis(0), &idx));
        }
        let x = Array::from_shape_fn((10, 4, 5), |(i, j, k)| (i * 100 + j * 10 + k) as f32).into_dyn();
        let sliced = x.slice(s![2.., .., ..]).into_dyn();
        assert_eq!(take_rows(&sliced, &[7, 0, 3]), sliced.select(Axis(0), &[7, 0, 3]));
    }

    #[test]
    #[should_panic(expected = "index 3 out of range for 3 rows")]
    fn an_index_out_of_range_panics_before_copying() {
        let x = Array::<f32, _>::zeros((3, 2)).into_dyn();
        take_rows(&x.view(), &[0, 3]);
    }
}
