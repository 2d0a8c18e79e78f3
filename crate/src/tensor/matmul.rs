//! Matrix product: `C = A · B`, with `A: [n, k]`, `B: [k, m]`, `C: [n, m]`.
//!
//! Backward: `∂L/∂A = ∂L/∂C · Bᵀ` (`[n, m]·[m, k]`) and `∂L/∂B = Aᵀ · ∂L/∂C` (`[k, n]·[n, m]`).
//! The products go through [`crate::linalg::matmul_f32`] (transposes are views, not copies).

use super::{fmt_shape, Tensor};
use crate::linalg::matmul_f32;
use crate::{Error, Result};
use ndarray::{ArrayD, ArrayView2, Ix2};

/// A 2-d view of an array known to be 2-d.
fn view2(a: &ArrayD<f32>) -> ArrayView2<'_, f32> {
    a.view().into_dimensionality::<Ix2>().expect("a 2-d array")
}

impl Tensor {
    /// The matrix product `self · other` of a `[n, k]` and a `[k, m]` tensor, shape `[n, m]`.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let a = Tensor::new(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// let b = Tensor::param(array![[1.0f32], [1.0]].into_dyn());
    /// let c = a.matmul(&b).unwrap();
    /// assert_eq!(c.to_array(), array![[3.0f32], [7.0]].into_dyn());
    /// c.sum().backward().unwrap();
    /// assert_eq!(b.grad().unwrap(), array![[4.0f32], [6.0]].into_dyn()); // column sums of a
    /// ```
    pub fn matmul(&self, other: &Tensor) -> Result<Tensor> {
        let (sa, sb) = (self.shape(), other.shape());
        if sa.len() != 2 || sb.len() != 2 || sa[1] != sb[0] {
            return Err(Error::shape(
                "matmul",
                "a [n, k] and a [k, m] tensor",
                format!("{} and {}", fmt_shape(&sa), fmt_shape(&sb)),
            ));
        }
        crate::data::check_alloc("matmul", &[sa[0], sb[1]], 4)?;
        let value = matmul_f32(&view2(&self.value()), &view2(&other.value())).into_dyn();
        Ok(Tensor::from_op(
            "matmul",
            value,
            vec![self.clone(), other.clone()],
            Box::new(|g, inputs| {
                let (a, b) = (inputs[0].value(), inputs[1].value());
                let g = view2(g);
                let grad_a = inputs[0].requires_grad().then(|| matmul_f32(&g, &view2(&b).t()).into_dyn());
                let grad_b = inputs[1].requires_grad().then(|| matmul_f32(&view2(&a).t(), &g).into_dyn());
                vec![grad_a, grad_b]
            }),
        ))
    }
}
