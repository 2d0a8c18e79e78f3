//! The Functional API's symbolic tensors: [`Input`] makes one, applying a layer to one makes another
//! ([`Layer::apply`](super::Layer::apply)). A [`KerasTensor`] holds no numbers: it records which layer
//! produced it from which tensors, and `Model::new(inputs, outputs)` turns that graph into a model.

use super::shared::Shared;
use super::Layer;
use crate::Result;
use std::cell::RefCell;
use std::fmt;
use std::rc::Rc;

/// A symbolic tensor: an input of a model, or the output of a layer applied to symbolic tensors.
/// Cloning is cheap (the same node).
#[derive(Clone)]
pub struct KerasTensor(pub(crate) Rc<SymNode>);

/// A node of the layer graph.
pub(crate) struct SymNode {
    pub(crate) kind: SymKind,
    pub(crate) inputs: Vec<KerasTensor>,
    /// The shape without batch, where known when the node was made (see [`KerasTensor::shape`]).
    pub(crate) shape: Option<Vec<usize>>,
}

/// What made a symbolic tensor.
pub(crate) enum SymKind {
    /// A model input: its shape (without batch), name and dtype.
    Input { shape: Vec<usize>, name: RefCell<String>, dtype: RefCell<String> },
    /// A layer applied to the node's inputs.
    Layer(Shared),
}

/// Keras' `Input(shape=...)`: the placeholder for a model's input.
///
/// ```
/// use nnlab::prelude::*;
/// let inputs = Input::new(&[784]);
/// let codes = Input::new(&[10]).dtype("int32").name("categorical_input");
/// assert_eq!(codes.input_name(), Some("categorical_input".to_string()));
/// assert_eq!(inputs.input_shape(), Some(vec![784]));
/// ```
pub struct Input;

impl Input {
    /// A model input for examples of `shape` (without the batch dimension), dtype `"float32"`.
    #[allow(clippy::new_ret_no_self)]
    pub fn new(shape: &[usize]) -> KerasTensor {
        KerasTensor(Rc::new(SymNode {
            kind: SymKind::Input {
                shape: shape.to_vec(),
                name: RefCell::new(String::new()),
                dtype: RefCell::new("float32".into()),
            },
            inputs: vec![],
            shape: Some(shape.to_vec()),
        }))
    }
}

impl KerasTensor {
    /// Names an input (Keras' `name=`); inputs can then be given to `fit` by name. No effect on a
    /// layer's output.
    pub fn name(self, name: &str) -> KerasTensor {
        if let SymKind::Input { name: n, .. } = &self.0.kind {
            *n.borrow_mut() = name.to_string();
        }
        self
    }

    /// The input's dtype, `"float32"` (default) or `"int32"`/`"int64"` for indices (given as `f32`
    /// arrays of whole numbers). Checked by `Model::new`.
    pub fn dtype(self, dtype: &str) -> KerasTensor {
        if let SymKind::Input { dtype: d, .. } = &self.0.kind {
            *d.borrow_mut() = dtype.to_string();
        }
        self
    }

    /// The name of an input (`None` for a layer's output).
    pub fn input_name(&self) -> Option<String> {
        match &self.0.kind {
            SymKind::Input { name, .. } => Some(name.borrow().clone()),
            SymKind::Layer(_) => None,
        }
    }

    /// The shape of an input (`None` for a layer's output: known once the model is built).
    pub fn input_shape(&self) -> Option<Vec<usize>> {
        match &self.0.kind {
            SymKind::Input { shape, .. } => Some(shape.clone()),
            SymKind::Layer(_) => None,
        }
    }

    /// The shape without the batch dimension (Keras' `x.shape` without its `None`): an input's, or a
    /// built-in layer's output for inputs of known shape, worked out when the layer is applied (so a
    /// shape the layer cannot take is an error at that `apply`). `None` after a layer of your own,
    /// whose shapes are known once `Model::new` builds it.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let inputs = Input::new(&[784]);
    /// let x = Dense::new(64).apply(&inputs).unwrap();
    /// assert_eq!(x.shape(), Some(vec![64]));
    /// assert!(Dense::new(3).apply(&Input::new(&[28, 28])).is_err()); // needs a Flatten first
    /// ```
    pub fn shape(&self) -> Option<Vec<usize>> {
        self.0.shape.clone()
    }

    /// Whether two handles are the same node.
    pub fn same(&self, other: &KerasTensor) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    pub(crate) fn key(&self) -> *const SymNode {
        Rc::as_ptr(&self.0)
    }
}

impl fmt::Debug for KerasTensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0.kind {
            SymKind::Input { shape, name, dtype } => {
                write!(
                    f,
                    "<KerasTensor input {:?} shape=(None, {shape:?}) dtype={}>",
                    name.borrow(),
                    dtype.borrow()
                )
            }
            SymKind::Layer(l) => {
                let l = l.0.borrow();
                write!(
                    f,
                    "<KerasTensor from {} ({}) of {} input(s)>",
                    l.name(),
                    l.class_name(),
                    self.0.inputs.len()
                )
            }
        }
    }
}

/// Applying a layer to symbolic tensors makes a symbolic tensor.
impl Shared {
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
