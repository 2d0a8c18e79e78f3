//! [`Shared`]: a handle on a layer, so that one layer object can be applied several times in a
//! Functional model and keep one set of weights (Keras' `shared = Dense(784)`).

use super::input::{KerasTensor, SymKind, SymNode};
use super::Layer;
use crate::Result;
use std::cell::RefCell;
use std::rc::Rc;

/// A layer behind a shared handle (`Rc<RefCell<Box<dyn Layer>>>`). Clones are the same layer.
///
/// ```
/// use nnlab::prelude::*;
/// let inputs = Input::new(&[4]);
/// let shared = Shared::new(Dense::new(4).activation("relu"));
/// let x = shared.apply(&inputs).unwrap();
/// let x = shared.apply(&x).unwrap(); // the same weights, twice
/// let model = Model::new(&[inputs], &[x]).unwrap();
/// assert_eq!(model.trainable_weights().len(), 2); // one kernel, one bias
/// ```
#[derive(Clone)]
pub struct Shared(pub(crate) Rc<RefCell<Box<dyn Layer>>>);

impl Shared {
    /// Puts `layer` behind a shared handle.
    pub fn new(layer: impl Layer + 'static) -> Shared {
        Shared(Rc::new(RefCell::new(Box::new(layer))))
    }

    /// A handle on a boxed layer.
    pub fn from_box(layer: Box<dyn Layer>) -> Shared {
        Shared(Rc::new(RefCell::new(layer)))
    }

    /// The layer applied to a symbolic tensor: a new symbolic tensor (the layer is built when the
    /// model is made).
    pub fn apply(&self, x: &KerasTensor) -> Result<KerasTensor> {
        self.apply_many(std::slice::from_ref(x))
    }

    /// The layer applied to several symbolic tensors (for `Add`, `Concatenate`).
    ///
    /// The layer's settings are checked here, and, for a built-in layer on inputs of known shape, the
    /// shapes too: a copy made from its configuration is built for them (the layer itself is built by
    /// `Model::new`, with the model's seed), so a mistake is an error at the line that makes it.
    pub fn apply_many(&self, xs: &[KerasTensor]) -> Result<KerasTensor> {
        let shape = {
            let layer = self.0.borrow();
            layer.check_config()?;
            output_shape(&**layer, xs)?
        };
        Ok(KerasTensor(Rc::new(SymNode { kind: SymKind::Layer(self.clone()), inputs: xs.to_vec(), shape })))
    }

    /// The layer called on a batch tensor (what a model does at this layer).
    pub fn call(&self, x: &crate::tensor::Tensor, training: bool) -> Result<crate::tensor::Tensor> {
        super::call_layer(&**self.0.borrow(), std::slice::from_ref(x), training)
    }

    /// The layer's name.
    pub fn name(&self) -> String {
        self.0.borrow().name().to_string()
    }

    /// The layer's trainable weights.
    pub fn weights(&self) -> Vec<crate::tensor::Tensor> {
        self.0.borrow().weights()
    }

    /// Whether two handles are the same layer.
    pub fn same(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}

/// The output shape of `layer` applied to `xs`, from a copy of the layer built for their shapes; `None`
/// when a shape is unknown or the layer cannot be copied from its configuration (a layer of your own).
fn output_shape(layer: &dyn Layer, xs: &[KerasTensor]) -> Result<Option<Vec<usize>>> {
    let Some(shapes) = xs.iter().map(KerasTensor::shape).collect::<Option<Vec<_>>>() else {
        return Ok(None);
    };
    let Ok(mut copy) = super::from_config(layer.class_name(), &layer.config()) else {
        return Ok(None);
    };
    super::build_layer(copy.as_mut(), &shapes, 0).map(Some)
}
