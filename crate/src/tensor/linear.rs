//! The affine map of a dense layer as one op: `Y = X · W + b`, with `X: [n, k]`, `W: [k, m]`,
//! `b: [m]` (added to every row), `Y: [n, m]` (PyTorch's `addmm`/`linear`).
//!
//! It gives the same numbers as `x.matmul(w)?.add(b)?` but makes one node instead of two: the bias is
//! added in place to the product (no second `[n, m]` array), and the backward reads `g` directly.
//!
//! Backward, the matrix product's and the broadcast addition's together:
//! `∂L/∂X = G · Wᵀ` (`[n, m]·[m, k]`), `∂L/∂W = Xᵀ · G` (`[k, n]·[n, m]`),
//! `∂L/∂b = Σ_rows G` (`[m]`: each bias element was added to all `n` rows).

use super::{fmt_shape, Tensor};
use crate::backend::parallel::{join, PAR_MIN};
use crate::linalg::matmul_f32;
use crate::{Error, Result};
use ndarray::{Array1, Array2, ArrayD, ArrayView1, ArrayView2, ArrayViewMut2, Axis, Ix2};

/// A 2-d view of an array known to be 2-d.
fn view2(a: &ArrayD<f32>) -> ArrayView2<'_, f32> {
    a.view().into_dimensionality::<Ix2>().expect("a 2-d array")
}

/// `Σ_rows G`: row after row added up, as 1-d arrays (the same order and bits as `sum_axis(Axis(0))`,
/// without its per-row overhead on an n-dimensional array). For a large `G` the left and right halves of
/// the columns are added up side by side (each column in the same order either way: the same bits).
pub(super) fn column_sums(g: &ArrayView2<f32>) -> Array1<f32> {
    let sums_of = |g: ArrayView2<f32>| {
        let mut sums = Array1::zeros(g.ncols());
        for row in g.rows() {
            sums += &row;
        }
        sums
    };
    if g.len() < PAR_MIN || g.ncols() < 2 {
        return sums_of(g.view());
    }
    let (left, right) = g.view().split_at(Axis(1), g.ncols() / 2);
    let (left, right) = join(|| sums_of(left), || sums_of(right));
    ndarray::concatenate(Axis(0), &[left.view(), right.view()]).expect("two 1-d halves")
}

/// `z[i, :] += b` for every row `i`; for a large `z` its top and bottom halves side by side.
pub(super) fn add_to_rows(z: &mut Array2<f32>, b: &ArrayView1<f32>) {
    let add = |mut z: ArrayViewMut2<f32>| {
        for mut row in z.rows_mut() {
            row += b;
        }
    };
    if z.len() < PAR_MIN || z.nrows() < 2 {
        return add(z.view_mut());
    }
    let n = z.nrows();
    let (top, bottom) = z.view_mut().split_at(Axis(0), n / 2);
    join(|| add(top), || add(bottom));
}

impl Tensor {
    /// `self · kernel + bias` for `self: [n, k]`, `kernel: [k, m]`, `bias: [m]` (or no bias):
    /// shape `[n, m]`. The same values and gradients as `self.matmul(kernel)?.add(bias)?`.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::new(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// let w = Tensor::param(array![[1.0f32], [1.0]].into_dyn());
    /// let b = Tensor::param(array![10.0f32].into_dyn());
    /// let y = x.linear(&w, Some(&b)).unwrap();
    /// assert_eq!(y.to_array(), array![[13.0f32], [17.0]].into_dyn());
    /// y.sum().backward().unwrap();
    /// assert_eq!(w.grad().unwrap(), array![[4.0f32], [6.0]].into_dyn()); // column sums of x
    /// assert_eq!(b.grad().unwrap(), array![2.0f32].into_dyn()); // one per row
    /// assert!(x.linear(&b, None).is_err()); // [2, 2] · [1]
    /// ```
    pub fn linear(&self, kernel: &Tensor, bias: Option<&Tensor>) -> Result<Tensor> {
        let (sx, sw) = (self.shape(), kernel.shape());
        let sb = bias.map(Tensor::shape);
        let bias_ok = sb.as_ref().is_none_or(|sb| sb.len() == 1 && sw.len() == 2 && sb[0] == sw[1]);
        if sx.len() != 2 || sw.len() != 2 || sx[1] != sw[0] || !bias_ok {
            return Err(Error::shape(
                "linear",
                "x [n, k], kernel [k, m] and bias [m]",
                format!(
                    "{}, {} and {}",
                    fmt_shape(&sx),
                    fmt_shape(&sw),
                    sb.map_or("no bias".into(), |s| fmt_shape(&s))
                ),
            ));
        }
        let mut value = matmul_f32(&view2(&self.value()), &view2(&kernel.value()));
        if let Some(b) = bias {
            let b = b.value();
            let b = b.view().into_dimensionality::<ndarray::Ix1>().expect("a 1-d bias");
            add_to_rows(&mut value, &b);
        }
        let mut parents = vec![self.clone(), kernel.clone()];
        parents.extend(bias.cloned());
        Ok(Tensor::from_op(
            "linear",
            value.into_dyn(),
            parents,
            Box::new(|g, inputs| {
                let (x, w) = (inputs[0].value(), inputs[1].value());
                let g2 = view2(g);
                let mut grads = vec![
                    inputs[0].requires_grad().then(|| matmul_f32(&g2, &view2(&w).t()).into_dyn()),
                    inputs[1].requires_grad().then(|| matmul_f32(&view2(&x).t(), &g2).into_dyn()),
                ];
                if let Some(b) = inputs.get(2) {
                    grads.push(b.requires_grad().then(|| column_sums(&g2).into_dyn()));
                }
                grads
            }),
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array;

    /// Large enough to be split in halves side by side: the same bits as the plain formulas.
    #[test]
    fn split_bias_sums_and_additions_are_the_plain_ones() {
        let (n, m) = (300, 200);
        assert!(n * m >= PAR_MIN);
        let g = Array::from_shape_fn((n, m), |(i, j)| ((i * 7 + j * 13) % 17) as f32 * 0.37 - 2.5);
        assert_eq!(column_sums(&g.view()), g.sum_axis(Axis(0)));
        let b = Array::from_shape_fn(m, |j| j as f32 * 0.01 - 1.0);
        let mut z = g.clone();
        add_to_rows(&mut z, &b.view());
        let mut expected = g.clone();
        for mut row in expected.rows_mut() {
            row += &b;
        }
        assert_eq!(z, expected);
    }
}
