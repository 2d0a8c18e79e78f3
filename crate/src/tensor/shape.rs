//! Shape operations: [`reshape`](Tensor::reshape) (backward: reshape back) and
//! [`select_rows`](Tensor::select_rows) (backward: add each row's gradient to the row it came from).

use super::{fmt_shape, Tensor};
use crate::{Error, Result};
use ndarray::{ArrayD, Axis};

impl Tensor {
    /// The same elements (row-major order) in a new shape; one dimension may be `-1` (inferred).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let x = Tensor::new(nnlab::ndarray::ArrayD::zeros(vec![4, 28, 28]));
    /// assert_eq!(x.reshape(&[4, -1]).unwrap().shape(), vec![4, 784]);
    /// assert!(x.reshape(&[5, -1]).is_err());
    /// ```
    pub fn reshape(&self, shape: &[isize]) -> Result<Tensor> {
        let in_shape = self.shape();
        let n = self.len();
        let err = || {
            Error::shape(
                "reshape",
                format!("a shape with {n} elements"),
                format!("{shape:?} for {}", fmt_shape(&in_shape)),
            )
        };
        let known: usize = shape.iter().filter(|&&d| d >= 0).map(|&d| d as usize).product();
        let unknown = shape.iter().filter(|&&d| d < 0).count();
        let out: Vec<usize> = match unknown {
            0 if known == n => shape.iter().map(|&d| d as usize).collect(),
            1 if known > 0 && n % known == 0 => {
                shape.iter().map(|&d| if d < 0 { n / known } else { d as usize }).collect()
            }
            _ => return Err(err()),
        };
        let value =
            self.value().as_standard_layout().into_owned().into_shape_with_order(out).map_err(|_| err())?;
        Ok(Tensor::from_op(
            "reshape",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                vec![Some(
                    g.as_standard_layout()
                        .into_owned()
                        .into_shape_with_order(in_shape.clone())
                        .expect("same size"),
                )]
            }),
        ))
    }

    /// The rows (entries along axis 0) at `indices`, in that order; a row may repeat.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::new(array![[1.0f32], [2.0], [3.0]].into_dyn());
    /// assert_eq!(x.select_rows(&[2, 0]).unwrap().to_array(), array![[3.0f32], [1.0]].into_dyn());
    /// assert!(x.select_rows(&[3]).is_err());
    /// ```
    pub fn select_rows(&self, indices: &[usize]) -> Result<Tensor> {
        let shape = self.shape();
        if shape.is_empty() {
            return Err(Error::shape("select_rows", "a tensor of shape [rows, ...]", "a scalar"));
        }
        let rows = shape[0];
        if let Some(&bad) = indices.iter().find(|&&i| i >= rows) {
            return Err(Error::shape(
                "select_rows",
                format!("row indices below {rows}"),
                format!("index {bad}"),
            ));
        }
        let value = self.value().select(Axis(0), indices);
        let indices = indices.to_vec();
        Ok(Tensor::from_op(
            "select_rows",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let mut grad = ArrayD::zeros(shape.clone());
                for (k, &i) in indices.iter().enumerate() {
                    let mut row = grad.index_axis_mut(Axis(0), i);
                    row += &g.index_axis(Axis(0), k);
                }
                vec![Some(grad)]
            }),
        ))
    }
}
