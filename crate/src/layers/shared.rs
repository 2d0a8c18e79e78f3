//! [`Shared`]: a handle on a layer, so that one layer object can be applied several times in a
//! Functional model and keep one set of weights (Keras' `shared = Dense(784)`). Applying it to symbolic
//! tensors ([`Shared::apply`]) is in `input.rs`, with the tensors it makes.

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

impl std::fmt::Debug for Shared {
    /// The layer's line (see the `Debug` of `dyn Layer`).
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        (**self.0.borrow()).fmt(f)
    }
}

impl Shared {
    /// Puts `layer` behind a shared handle.
    pub fn new(layer: impl Layer + 'static) -> Shared {
        Shared(Rc::new(RefCell::new(Box::new(layer))))
    }

    /// A handle on a boxed layer.
    pub fn from_box(layer: Box<dyn Layer>) -> Shared {
        Shared(Rc::new(RefCell::new(layer)))
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

    /// Whether the layer is trained (see [`Layer::trainable`]).
    pub fn trainable(&self) -> bool {
        self.0.borrow().trainable()
    }

    /// Freezes (`false`) or unfreezes the layer, everywhere it is applied ([`Layer::set_trainable`]).
    pub fn set_trainable(&self, trainable: bool) -> Result<()> {
        self.0.borrow_mut().set_trainable(trainable)
    }

    /// Whether two handles are the same layer.
    pub fn same(&self, other: &Shared) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }
}
