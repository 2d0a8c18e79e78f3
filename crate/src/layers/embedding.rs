//! `Embedding(input_dim, output_dim)`: each integer index `k < input_dim` becomes row `k` of a learned
//! table `embeddings: [input_dim, output_dim]`. Inputs `[batch, length]` of indices (stored as `f32`
//! whole numbers) give outputs `[batch, length, output_dim]`. The lookup is
//! [`Tensor::select_rows`], whose backward adds each output row's gradient to the row it came from.
//! The table starts uniform in `[−0.05, 0.05]`, as in Keras.

use super::{Layer, LayerBase};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// A table of learned vectors, one per integer code (Keras' `Embedding`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::Embedding;
/// let mut e = Embedding::new(100, 8);
/// assert_eq!(e.build(&[10], 0).unwrap(), vec![10, 8]);
/// let codes = Tensor::new(ArrayD::from_elem(vec![2, 10], 7.0f32));
/// assert_eq!(e.call(&codes, false).unwrap().shape(), vec![2, 10, 8]);
/// let bad = Tensor::new(ArrayD::from_elem(vec![1, 10], 100.0f32));
/// assert!(e.call(&bad, false).is_err()); // index out of range
/// ```
pub struct Embedding {
    input_dim: usize,
    output_dim: usize,
    base: LayerBase,
}

impl Embedding {
    /// A table for codes `0..input_dim`, vectors of `output_dim` numbers.
    pub fn new(input_dim: usize, output_dim: usize) -> Embedding {
        Embedding { input_dim, output_dim, base: LayerBase::default() }
    }

    fn op(&self) -> String {
        format!("Embedding({}, {})", self.input_dim, self.output_dim)
    }
}

impl Layer for Embedding {
    fn class_name(&self) -> &'static str {
        "Embedding"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn check_config(&self) -> Result<()> {
        if self.input_dim == 0 || self.output_dim == 0 {
            return Err(Error::value(
                self.op(),
                "input_dim and output_dim of at least 1",
                format!("Embedding::new({}, {})", self.input_dim, self.output_dim),
            ));
        }
        Ok(())
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        self.base.add_weight_named(
            "embeddings",
            &[self.input_dim, self.output_dim],
            "random_uniform",
            true,
        )?;
        let mut out = input_shape.to_vec();
        out.push(self.output_dim);
        Ok(out)
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let table = self.base.weights_where(true).pop().ok_or_else(|| super::not_built(&self.op()))?.1;
        let indices = x
            .value()
            .iter()
            .enumerate()
            .map(|(i, &v)| {
                if v >= 0.0 && v.fract() == 0.0 && (v as usize) < self.input_dim {
                    Ok(v as usize)
                } else {
                    Err(Error::value(
                        self.op(),
                        format!("integer indices in 0..{}", self.input_dim),
                        format!("{v} at flat position {i}"),
                    ))
                }
            })
            .collect::<Result<Vec<usize>>>()?;
        let mut shape: Vec<isize> = x.shape().iter().map(|&d| d as isize).collect();
        shape.push(self.output_dim as isize);
        table.select_rows(&indices)?.reshape(&shape)
    }
    fn config(&self) -> Value {
        json!({"name": self.name(), "input_dim": self.input_dim, "output_dim": self.output_dim})
    }
}
