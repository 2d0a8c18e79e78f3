//! Joining and cutting along an axis: [`concat`](Tensor::concat) (backward: cut the gradient into the
//! inputs' pieces) and [`narrow`](Tensor::narrow) (backward: put the gradient back in place, zeros
//! elsewhere). Used by `Concatenate`, the LSTM's gates and time steps, and multi-input models.

use super::{fmt_shape, normalize_axis, Tensor};
use crate::{Error, Result};
use ndarray::{ArrayD, Axis, Slice};

impl Tensor {
    /// The tensors joined along `axis` (negative counts from the end); all other dimensions must agree.
    /// Shapes `[b, 3]` and `[b, 5]` along `-1` give `[b, 8]`.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let a = Tensor::param(array![[1.0f32], [2.0]].into_dyn());
    /// let b = Tensor::new(array![[3.0f32, 4.0], [5.0, 6.0]].into_dyn());
    /// let c = Tensor::concat(&[a.clone(), b], -1).unwrap();
    /// assert_eq!(c.to_array(), array![[1.0f32, 3.0, 4.0], [2.0, 5.0, 6.0]].into_dyn());
    /// c.sum().backward().unwrap();
    /// assert_eq!(a.grad().unwrap(), array![[1.0f32], [1.0]].into_dyn());
    /// ```
    pub fn concat(tensors: &[Tensor], axis: isize) -> Result<Tensor> {
        let op = "concat";
        let first = tensors.first().ok_or_else(|| Error::shape(op, "at least one tensor", "none"))?;
        let ndim = first.ndim();
        let ax = normalize_axis(op, axis, &first.shape())?;
        let shapes: Vec<Vec<usize>> = tensors.iter().map(Tensor::shape).collect();
        for s in &shapes {
            let same = s.len() == ndim && (0..ndim).all(|i| i == ax || s[i] == shapes[0][i]);
            if !same {
                return Err(Error::shape(
                    op,
                    format!("shapes equal except along axis {axis}, like {}", fmt_shape(&shapes[0])),
                    fmt_shape(s),
                ));
            }
        }
        let values: Vec<_> = tensors.iter().map(|t| t.value()).collect();
        let views: Vec<_> = values.iter().map(|v| v.view()).collect();
        let value = ndarray::concatenate(Axis(ax), &views).expect("checked shapes");
        drop(views);
        drop(values);
        let sizes: Vec<usize> = shapes.iter().map(|s| s[ax]).collect();
        Ok(Tensor::from_op(
            op,
            value,
            tensors.to_vec(),
            Box::new(move |g, inputs| {
                let mut start = 0;
                sizes
                    .iter()
                    .zip(inputs)
                    .map(|(&n, t)| {
                        let piece = t
                            .requires_grad()
                            .then(|| g.slice_axis(Axis(ax), Slice::from(start..start + n)).to_owned());
                        start += n;
                        piece
                    })
                    .collect()
            }),
        ))
    }

    /// The entries `start..end` along `axis` (numpy's `x[:, start:end]` for axis 1).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::param(array![[1.0f32, 2.0, 3.0]].into_dyn());
    /// let y = x.narrow(1, 1, 3).unwrap();
    /// assert_eq!(y.to_array(), array![[2.0f32, 3.0]].into_dyn());
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap(), array![[0.0f32, 1.0, 1.0]].into_dyn());
    /// assert!(x.narrow(1, 2, 4).is_err());
    /// ```
    pub fn narrow(&self, axis: isize, start: usize, end: usize) -> Result<Tensor> {
        let shape = self.shape();
        let ax = normalize_axis("narrow", axis, &shape)?;
        if start > end || end > shape[ax] {
            return Err(Error::shape(
                "narrow",
                format!("a range within 0..{} along axis {axis}", shape[ax]),
                format!("{start}..{end} for shape {}", fmt_shape(&shape)),
            ));
        }
        let value = self.value().slice_axis(Axis(ax), Slice::from(start..end)).to_owned();
        Ok(Tensor::from_op(
            "narrow",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let mut grad = ArrayD::zeros(shape.clone());
                grad.slice_axis_mut(Axis(ax), Slice::from(start..end)).assign(g);
                vec![Some(grad)]
            }),
        ))
    }
}
