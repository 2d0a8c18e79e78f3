//! Reductions: sums and means over some axes or over everything.
//!
//! Backward of a sum: every input element contributed once, so `∂L/∂x` is `∂L/∂y` copied back
//! (broadcast) over the reduced axes. A mean divides that by the number of elements reduced.

use super::{normalize_axis, Tensor};
use crate::Result;
use ndarray::{ArrayD, Axis};

impl Tensor {
    /// The sum over `axes` (negative counts from the end, as in numpy), keeping them as size 1 when
    /// `keepdims`.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::new(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// assert_eq!(x.sum_axes(&[-1], false).unwrap().to_array(), array![3.0f32, 7.0].into_dyn());
    /// assert_eq!(x.sum_axes(&[0], true).unwrap().shape(), vec![1, 2]);
    /// ```
    pub fn sum_axes(&self, axes: &[isize], keepdims: bool) -> Result<Tensor> {
        let in_shape = self.shape();
        let mut axes: Vec<usize> =
            axes.iter().map(|&a| normalize_axis("sum_axes", a, &in_shape)).collect::<Result<_>>()?;
        axes.sort_unstable();
        axes.dedup();
        let mut value = self.to_array();
        for &a in axes.iter().rev() {
            value = value.sum_axis(Axis(a));
        }
        // The shape with the reduced axes kept as 1: what the gradient is broadcast from.
        let mut kept = in_shape.clone();
        for &a in &axes {
            kept[a] = 1;
        }
        if keepdims {
            value = value.into_shape_with_order(kept.clone()).expect("same number of elements");
        }
        Ok(Tensor::from_op(
            "sum",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let g = g.view().into_shape_with_order(kept.clone()).expect("reduced shape");
                vec![Some(g.broadcast(in_shape.clone()).expect("broadcast back").to_owned())]
            }),
        ))
    }

    /// The mean over `axes` (see [`sum_axes`](Tensor::sum_axes)).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::new(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// assert_eq!(x.mean_axes(&[0], false).unwrap().to_array(), array![2.0f32, 3.0].into_dyn());
    /// ```
    pub fn mean_axes(&self, axes: &[isize], keepdims: bool) -> Result<Tensor> {
        let before = self.len();
        let s = self.sum_axes(axes, keepdims)?;
        let count = before / s.len().max(1);
        Ok(s.scale(1.0 / count as f32))
    }

    /// The sum of all elements, a scalar (shape `[]`).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// assert_eq!(Tensor::new(nnlab::ndarray::ArrayD::ones(vec![2, 3])).sum().item(), 6.0);
    /// ```
    pub fn sum(&self) -> Tensor {
        let shape = self.shape();
        let value = ArrayD::from_elem(vec![], self.value().sum());
        Tensor::from_op(
            "sum",
            value,
            vec![self.clone()],
            Box::new(move |g, _| vec![Some(ArrayD::from_elem(shape.clone(), g.sum()))]),
        )
    }

    /// The mean of all elements, a scalar (shape `[]`).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// assert_eq!(Tensor::new(array![1.0f32, 2.0, 6.0].into_dyn()).mean().item(), 3.0);
    /// ```
    pub fn mean(&self) -> Tensor {
        let n = self.len().max(1);
        self.sum().scale(1.0 / n as f32)
    }
}
