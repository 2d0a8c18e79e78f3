//! [`ArrayLike`]: what `fit`, `evaluate`, `predict`, `Dataset` and `to_categorical` take as data. The
//! arrays a lecture makes come in several element types (pixels as `u8`, images scaled to `f64`,
//! labels as `u8` or as the `usize` that `argmax` gives) and as views (`x.slice(s![..1000, ..])`);
//! each is accepted as it is, read in place when it is already `f32` and converted otherwise.

use crate::np::Element;
use ndarray::{ArrayBase, CowArray, Data, Dimension, IxDyn};

/// An ndarray array or view of any [`Element`] type (`f32`, `f64`, `u8`, `usize`, ...), of any shape.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::data::ArrayLike;
/// let pixels = array![[0u8, 255], [128, 64]];
/// assert_eq!(pixels.as_f32()[[0, 1]], 255.0);
/// let scaled = pixels.mapv(|p| p as f64 / 255.0);
/// assert_eq!(scaled.slice(s![..1, ..]).as_f32().shape(), &[1, 2]);
/// assert_eq!(scaled.dtype(), "float64");
/// ```
pub trait ArrayLike {
    /// The values as `f32`, in place when they are `f32` already.
    fn as_f32(&self) -> CowArray<'_, f32, IxDyn>;
    /// The values as `f64`, in the array's logical order.
    fn to_f64_vec(&self) -> Vec<f64>;
    /// The shape.
    fn shape_of(&self) -> &[usize];
    /// The numpy name of the element type.
    fn dtype(&self) -> &'static str;
}

impl<A: Element, S: Data<Elem = A>, D: Dimension> ArrayLike for ArrayBase<S, D> {
    fn as_f32(&self) -> CowArray<'_, f32, IxDyn> {
        A::as_f32(self.view().into_dyn())
    }
    fn to_f64_vec(&self) -> Vec<f64> {
        self.iter().map(|&v| v.to_f64()).collect()
    }
    fn shape_of(&self) -> &[usize] {
        self.shape()
    }
    fn dtype(&self) -> &'static str {
        A::DTYPE
    }
}
