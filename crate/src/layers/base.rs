//! [`LayerBase`]: what a layer of your own embeds to get a name, weights and its output shape for
//! free, with Keras' `add_weight(shape, initializer, trainable)`.

use crate::initializers;
use crate::tensor::Tensor;
use crate::{Error, Result};
use std::cell::{Cell, OnceCell, RefCell};

/// A layer's bookkeeping: its name, its weights (made by [`add_weight`](LayerBase::add_weight)) and
/// the output shape its `build` returned. Interior mutability lets it work from `&self`.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::LayerBase;
/// let base = LayerBase::default();
/// base.begin_build(7);
/// let w = base.add_weight(&[3, 2], "random_normal", true).unwrap();
/// assert_eq!(w.shape(), vec![3, 2]);
/// base.begin_build(7); // building again returns the same weight
/// assert!(base.add_weight(&[3, 2], "random_normal", true).unwrap().same(&w));
/// base.begin_build(7); // but not for another shape
/// assert!(base.add_weight(&[4, 2], "random_normal", true).is_err());
/// ```
#[derive(Default)]
pub struct LayerBase {
    name: OnceCell<String>,
    weights: RefCell<Vec<(String, Tensor, bool)>>,
    /// Which weight the next `add_weight` returns when the layer is built again.
    cursor: Cell<usize>,
    seed: Cell<u64>,
    output_shape: RefCell<Option<Vec<usize>>>,
    /// Set by `set_trainable(false)`.
    frozen: Cell<bool>,
}

impl LayerBase {
    /// A base with a fixed layer name.
    pub fn named(name: &str) -> LayerBase {
        let b = LayerBase::default();
        b.set_name(name);
        b
    }

    /// The name (empty until the model names it).
    pub fn name(&self) -> &str {
        self.name.get().map(String::as_str).unwrap_or("")
    }

    /// Sets the name once (later calls keep the first name).
    pub fn set_name(&self, name: &str) {
        let _ = self.name.set(name.to_string());
    }

    /// Called by the model before `build`: weights are then handed out from the first one again,
    /// drawn from `seed`.
    pub fn begin_build(&self, seed: u64) {
        self.cursor.set(0);
        self.seed.set(seed);
    }

    /// Records the output shape `build` returned.
    pub fn set_built(&self, output_shape: &[usize]) {
        *self.output_shape.borrow_mut() = Some(output_shape.to_vec());
    }

    /// The output shape once built.
    pub fn output_shape(&self) -> Option<Vec<usize>> {
        self.output_shape.borrow().clone()
    }

    /// A new weight of `shape` initialised by `initializer` (a Keras name: `"random_normal"`,
    /// `"zeros"`, `"glorot_uniform"`, ...); `trainable` ones are updated by the optimizer. When the
    /// layer is built again, the same weight is returned (an error if the shape changed: the layer
    /// is already built for other inputs).
    pub fn add_weight(&self, shape: &[usize], initializer: &str, trainable: bool) -> Result<Tensor> {
        let name = format!("weight_{}", self.cursor.get());
        self.add_weight_named(&name, shape, initializer, trainable)
    }

    /// [`add_weight`](LayerBase::add_weight) with a name (`"kernel"`, `"gamma"`, ...), shown in saved
    /// weights.
    pub fn add_weight_named(
        &self,
        name: &str,
        shape: &[usize],
        initializer: &str,
        trainable: bool,
    ) -> Result<Tensor> {
        let k = self.cursor.get();
        self.cursor.set(k + 1);
        if let Some((_, w, _)) = self.weights.borrow().get(k) {
            if w.shape() != shape {
                return Err(Error::shape(
                    format!("{}.add_weight", self.name()),
                    format!("{:?} (the layer is already built for other inputs)", w.shape()),
                    format!("{shape:?}"),
                ));
            }
            return Ok(w.clone());
        }
        let init = initializers::get(initializer)?;
        if let Some(zero) = shape.iter().position(|&d| d == 0) {
            return Err(Error::value(
                format!("{}.add_weight", self.name()),
                "a shape with no zero size",
                format!("{shape:?} (size 0 at axis {zero})"),
            ));
        }
        crate::data::check_alloc(&format!("{}.add_weight", self.name()), shape, 4)?;
        let value = init.init(shape, self.seed.get().wrapping_mul(31).wrapping_add(k as u64));
        let w = if trainable { Tensor::param(value) } else { Tensor::new(value) };
        self.weights.borrow_mut().push((name.to_string(), w.clone(), trainable));
        Ok(w)
    }

    /// Whether the layer is trained (not frozen).
    pub fn trainable(&self) -> bool {
        !self.frozen.get()
    }

    /// Freezes (`false`) or unfreezes the layer.
    pub fn set_trainable(&self, trainable: bool) {
        self.frozen.set(!trainable);
    }

    /// The weights made trainable (or not) by `add_weight`, with their names (whether or not the
    /// layer is frozen now).
    pub fn weights_where(&self, trainable: bool) -> Vec<(String, Tensor)> {
        self.weights
            .borrow()
            .iter()
            .filter(|w| w.2 == trainable)
            .map(|(n, w, _)| (n.clone(), w.clone()))
            .collect()
    }
}

impl Default for Tensor {
    /// A placeholder (the scalar 0, a constant), for a layer's weight field before `build`.
    fn default() -> Tensor {
        Tensor::scalar(0.0)
    }
}
