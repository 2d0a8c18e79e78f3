//! Layers that merge several inputs: [`Add`] (`y = x₁ + x₂ + …`, for residual connections; backward:
//! the gradient goes unchanged to every input) and [`Concatenate`] (inputs joined along an axis;
//! backward: the gradient is cut back into the inputs' pieces, see [`Tensor::concat`]).

use super::input::KerasTensor;
use super::shared::Shared;
use super::{Layer, LayerBase};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

fn need_two(op: &str, n: usize) -> Result<()> {
    if n < 2 {
        return Err(Error::shape(op, "a list of at least 2 inputs", format!("{n}")));
    }
    Ok(())
}

/// Keras' `Add()([x1, x2])`: the element-wise sum of inputs of one shape.
///
/// ```
/// use nnlab::prelude::*;
/// let inputs = Input::new(&[8]);
/// let x1 = Dense::new(8).activation("relu").apply(&inputs).unwrap();
/// let x = Add::new().apply(&[x1, inputs.clone()]).unwrap(); // a residual connection
/// let model = Model::new(&[inputs], &[x]).unwrap();
/// assert_eq!(model.output_shapes(), vec![vec![8]]);
/// ```
#[derive(Default)]
pub struct Add {
    base: LayerBase,
}

impl Add {
    /// An add layer.
    pub fn new() -> Add {
        Add::default()
    }

    /// The sum of `xs` (at least two symbolic tensors of one shape).
    pub fn apply(self, xs: &[KerasTensor]) -> Result<KerasTensor> {
        Shared::new(self).apply_many(xs)
    }
}

impl Layer for Add {
    fn class_name(&self) -> &'static str {
        "Add"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.build_many(&[input_shape.to_vec()], seed)
    }
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        self.call_many(std::slice::from_ref(x), training)
    }
    fn build_many(&mut self, shapes: &[Vec<usize>], _seed: u64) -> Result<Vec<usize>> {
        need_two("Add", shapes.len())?;
        if let Some(s) = shapes.iter().find(|s| **s != shapes[0]) {
            return Err(Error::shape(
                "Add",
                format!("inputs of one shape {:?}", shapes[0]),
                format!("{s:?}"),
            ));
        }
        Ok(shapes[0].clone())
    }
    fn call_many(&self, xs: &[Tensor], _training: bool) -> Result<Tensor> {
        need_two("Add", xs.len())?;
        let mut y = xs[0].add(&xs[1])?;
        for x in &xs[2..] {
            y = y.add(x)?;
        }
        Ok(y)
    }
}

/// `add(&[x1, x2])`: [`Add`] applied to `xs`.
pub fn add(xs: &[KerasTensor]) -> Result<KerasTensor> {
    Add::new().apply(xs)
}

/// Keras' `Concatenate(axis=-1)`: inputs joined along `axis` (Keras counts the batch as axis 0, so
/// `1` is the first feature axis; `-1`, the default, the last).
///
/// ```
/// use nnlab::prelude::*;
/// let (a, b) = (Input::new(&[3]), Input::new(&[5]));
/// let x = concatenate(&[a.clone(), b.clone()]).unwrap();
/// let model = Model::new(&[a, b], &[x]).unwrap();
/// assert_eq!(model.output_shapes(), vec![vec![8]]);
/// ```
pub struct Concatenate {
    axis: isize,
    base: LayerBase,
}

impl Default for Concatenate {
    fn default() -> Concatenate {
        Concatenate { axis: -1, base: LayerBase::default() }
    }
}

impl Concatenate {
    /// Joins along `axis` (counting the batch as 0).
    pub fn new(axis: isize) -> Concatenate {
        Concatenate { axis, ..Default::default() }
    }

    /// `xs` joined (at least two symbolic tensors, equal except along the axis).
    pub fn apply(self, xs: &[KerasTensor]) -> Result<KerasTensor> {
        Shared::new(self).apply_many(xs)
    }

    /// The axis in a shape without the batch dimension, of `ndim` dimensions.
    fn feature_axis(&self, ndim: usize) -> Result<usize> {
        let n = ndim as isize;
        let a = if self.axis < 0 { self.axis + n } else { self.axis - 1 };
        if (0..n).contains(&a) {
            Ok(a as usize)
        } else {
            Err(Error::shape(
                "Concatenate",
                format!("an axis in 1..={n} or -{n}..=-1 (axis 0 is the batch)"),
                format!("axis {}", self.axis),
            ))
        }
    }
}

impl Layer for Concatenate {
    fn class_name(&self) -> &'static str {
        "Concatenate"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.build_many(&[input_shape.to_vec()], seed)
    }
    fn call(&self, x: &Tensor, training: bool) -> Result<Tensor> {
        self.call_many(std::slice::from_ref(x), training)
    }
    fn build_many(&mut self, shapes: &[Vec<usize>], _seed: u64) -> Result<Vec<usize>> {
        need_two("Concatenate", shapes.len())?;
        let ax = self.feature_axis(shapes[0].len())?;
        let mut out = shapes[0].clone();
        out[ax] = 0;
        for s in shapes {
            let ok = s.len() == out.len() && (0..s.len()).all(|i| i == ax || s[i] == shapes[0][i]);
            if !ok {
                return Err(Error::shape(
                    "Concatenate",
                    format!("shapes equal except along axis {}, like {:?}", self.axis, shapes[0]),
                    format!("{s:?}"),
                ));
            }
            out[ax] += s[ax];
        }
        Ok(out)
    }
    fn call_many(&self, xs: &[Tensor], _training: bool) -> Result<Tensor> {
        need_two("Concatenate", xs.len())?;
        let ax = self.feature_axis(xs[0].ndim().saturating_sub(1))?;
        Tensor::concat(xs, ax as isize + 1)
    }
    fn config(&self) -> Value {
        json!({"name": self.name(), "axis": self.axis})
    }
}

/// `concatenate(&[x1, x2])`: [`Concatenate`] along the last axis applied to `xs`.
pub fn concatenate(xs: &[KerasTensor]) -> Result<KerasTensor> {
    Concatenate::new(-1).apply(xs)
}
