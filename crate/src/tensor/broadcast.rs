//! Element-wise arithmetic with numpy broadcasting: `add`, `sub`, `mul`, `div`.
//!
//! Shapes are aligned from the right; a dimension of size 1 (or a missing leading one) is stretched:
//! `[128, 10] + [10] → [128, 10]`. In the backward pass the gradient of a stretched input is summed
//! back to its own shape ([`sum_to_shape`]): the bias of a layer receives the sum over the batch.
//!
//! | op | forward | ∂/∂a | ∂/∂b |
//! |---|---|---|---|
//! | add | a + b | g | g |
//! | sub | a − b | g | −g |
//! | mul | a · b | g·b | g·a |
//! | div | a / b | g/b | −g·a/b² |

use super::{fmt_shape, Tensor};
use crate::{Error, Result};
use ndarray::{ArrayD, Axis, IxDyn, Zip};

/// The broadcast shape of `a` and `b` (numpy's rule), or an error naming `op`.
pub(crate) fn broadcast_shape(op: &str, a: &[usize], b: &[usize]) -> Result<Vec<usize>> {
    let n = a.len().max(b.len());
    let dim = |s: &[usize], i: usize| if i + s.len() < n { 1 } else { s[i + s.len() - n] };
    (0..n)
        .map(|i| match (dim(a, i), dim(b, i)) {
            (x, y) if x == y || y == 1 => Ok(x),
            (1, y) => Ok(y),
            _ => Err(Error::shape(
                op,
                "shapes that broadcast (equal dims or 1, aligned from the right)",
                format!("{} and {}", fmt_shape(a), fmt_shape(b)),
            )),
        })
        .collect()
}

/// Sums `g` down to `shape`: over the leading dimensions `shape` lacks, and over the dimensions
/// where `shape` has 1. The backward of broadcasting.
///
/// ```
/// use nnlab::tensor::sum_to_shape;
/// use nnlab::ndarray::{array, ArrayD};
/// let g = array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn();
/// assert_eq!(sum_to_shape(&g, &[2]), array![4.0f32, 6.0].into_dyn());
/// assert_eq!(sum_to_shape(&g, &[2, 1]), array![[3.0f32], [7.0]].into_dyn());
/// ```
pub fn sum_to_shape(g: &ArrayD<f32>, shape: &[usize]) -> ArrayD<f32> {
    if g.shape() == shape {
        return g.clone();
    }
    reduce_to_shape(g, shape)
}

/// [`sum_to_shape`] of an array the caller owns: returned as it is (no copy) when it has the shape.
fn sum_owned_to_shape(g: ArrayD<f32>, shape: &[usize]) -> ArrayD<f32> {
    if g.shape() == shape {
        g
    } else {
        reduce_to_shape(&g, shape)
    }
}

/// The sums of [`sum_to_shape`], for a `g` of another shape.
fn reduce_to_shape(g: &ArrayD<f32>, shape: &[usize]) -> ArrayD<f32> {
    let mut out = if g.ndim() > shape.len() { g.sum_axis(Axis(0)) } else { g.clone() };
    while out.ndim() > shape.len() {
        out = out.sum_axis(Axis(0));
    }
    for (i, &d) in shape.iter().enumerate() {
        if d == 1 && out.shape()[i] != 1 {
            out = out.sum_axis(Axis(i)).insert_axis(Axis(i));
        }
    }
    out
}

/// `f(a, b)` element by element, broadcasting both to `shape`.
fn zip_broadcast(
    a: &ArrayD<f32>,
    b: &ArrayD<f32>,
    shape: &[usize],
    f: impl Fn(f32, f32) -> f32,
) -> ArrayD<f32> {
    let sh = IxDyn(shape);
    let (a, b) = (a.broadcast(sh.clone()).expect("checked"), b.broadcast(sh.clone()).expect("checked"));
    Zip::from(&a).and(&b).map_collect(|&x, &y| f(x, y))
}

impl Tensor {
    /// The shared forward of the four ops: check shapes, compute `f(a, b)`.
    fn binary(
        &self,
        other: &Tensor,
        op: &'static str,
        f: fn(f32, f32) -> f32,
        backward: super::BackwardFn,
    ) -> Result<Tensor> {
        let shape = broadcast_shape(op, &self.shape(), &other.shape())?;
        // `[n, 1]` with `[n]` broadcasts to `[n, n]`: a typo can ask for gigabytes.
        crate::data::check_alloc(op, &shape, 4)?;
        let value = zip_broadcast(&self.value(), &other.value(), &shape, f);
        Ok(Tensor::from_op(op, value, vec![self.clone(), other.clone()], backward))
    }

    /// `self + other`, broadcasting.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::new(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
    /// let b = Tensor::param(array![10.0f32, 20.0].into_dyn());
    /// let y = x.add(&b).unwrap();
    /// assert_eq!(y.to_array(), array![[11.0f32, 22.0], [13.0, 24.0]].into_dyn());
    /// y.sum().backward().unwrap();
    /// assert_eq!(b.grad().unwrap(), array![2.0f32, 2.0].into_dyn());
    /// ```
    pub fn add(&self, other: &Tensor) -> Result<Tensor> {
        self.binary(
            other,
            "add",
            |x, y| x + y,
            Box::new(|g, p| {
                vec![
                    p[0].requires_grad().then(|| sum_to_shape(g, &p[0].shape())),
                    p[1].requires_grad().then(|| sum_to_shape(g, &p[1].shape())),
                ]
            }),
        )
    }

    /// `self - other`, broadcasting.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let y = Tensor::scalar(5.0).sub(&Tensor::scalar(3.0)).unwrap();
    /// assert_eq!(y.item(), 2.0);
    /// ```
    pub fn sub(&self, other: &Tensor) -> Result<Tensor> {
        self.binary(
            other,
            "sub",
            |x, y| x - y,
            Box::new(|g, p| {
                vec![
                    p[0].requires_grad().then(|| sum_to_shape(g, &p[0].shape())),
                    p[1].requires_grad().then(|| sum_owned_to_shape(-g, &p[1].shape())),
                ]
            }),
        )
    }

    /// `self * other` element-wise, broadcasting.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let y = Tensor::scalar(5.0).mul(&Tensor::scalar(3.0)).unwrap();
    /// assert_eq!(y.item(), 15.0);
    /// ```
    pub fn mul(&self, other: &Tensor) -> Result<Tensor> {
        self.binary(
            other,
            "mul",
            |x, y| x * y,
            Box::new(|g, p| {
                let shape = g.shape().to_vec();
                let (a, b) = (p[0].value(), p[1].value());
                vec![
                    p[0].requires_grad()
                        .then(|| sum_owned_to_shape(zip_broadcast(g, &b, &shape, |g, b| g * b), a.shape())),
                    p[1].requires_grad()
                        .then(|| sum_owned_to_shape(zip_broadcast(g, &a, &shape, |g, a| g * a), b.shape())),
                ]
            }),
        )
    }

    /// `self / other` element-wise, broadcasting.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let y = Tensor::scalar(6.0).div(&Tensor::scalar(3.0)).unwrap();
    /// assert_eq!(y.item(), 2.0);
    /// ```
    pub fn div(&self, other: &Tensor) -> Result<Tensor> {
        self.binary(
            other,
            "div",
            |x, y| x / y,
            Box::new(|g, p| {
                let shape = g.shape().to_vec();
                let (a, b) = (p[0].value(), p[1].value());
                let grad_a = p[0]
                    .requires_grad()
                    .then(|| sum_owned_to_shape(zip_broadcast(g, &b, &shape, |g, b| g / b), a.shape()));
                let grad_b = p[1].requires_grad().then(|| {
                    let ga = zip_broadcast(g, &a, &shape, |g, a| g * a);
                    sum_owned_to_shape(zip_broadcast(&ga, &b, &shape, |ga, b| -ga / (b * b)), b.shape())
                });
                vec![grad_a, grad_b]
            }),
        )
    }
}
