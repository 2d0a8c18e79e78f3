//! A small reverse-mode automatic differentiation engine on n-dimensional `f32` arrays.
//!
//! A [`Tensor`] is a value (an [`ArrayD<f32>`]) plus, when it was computed by an operation, the
//! tensors it came from and a *backward function*: given `∂L/∂out`, the gradient of a final scalar
//! `L` with respect to this tensor, it returns `∂L/∂input` for each input (the chain rule, one step).
//! [`Tensor::backward`] visits the graph from `L` back to the leaves in reverse topological order and
//! adds up those gradients; [`Tensor::grad`] reads them.
//!
//! The primitives, each with its backward right below its forward (micrograd's layout):
//! - [`matmul`](Tensor::matmul) (`matmul.rs`), and a dense layer's `x · W + b` as one op,
//!   [`linear`](Tensor::linear) (`linear.rs`),
//! - [`add`](Tensor::add), [`sub`](Tensor::sub), [`mul`](Tensor::mul), [`div`](Tensor::div) with numpy
//!   broadcasting (`broadcast.rs`),
//! - element-wise functions: [`map`](Tensor::map) and the few built on it (`unary.rs`),
//! - [`sum_axes`](Tensor::sum_axes) / [`mean_axes`](Tensor::mean_axes) and whole-tensor reductions (`reduce.rs`),
//! - [`reshape`](Tensor::reshape) and [`select_rows`](Tensor::select_rows) (`shape.rs`),
//! - [`concat`](Tensor::concat) and [`narrow`](Tensor::narrow) along an axis (`concat.rs`),
//! - for images, [`patches`](Tensor::patches) (`conv.rs`: a convolution, [`conv2d`](Tensor::conv2d), is
//!   `linear` on the patches) and [`max_pool2d`](Tensor::max_pool2d) / [`avg_pool2d`](Tensor::avg_pool2d)
//!   (`pool.rs`), with the window geometry of both in `window.rs`.
//!
//! Everything else (activations, losses, layers) is built from these, or is a small op of its own
//! made with [`Tensor::from_op`].
//!
//! ```
//! use nnlab::tensor::Tensor;
//! use nnlab::ndarray::array;
//! // L = sum(x * w) with x = [1, 2], w = [3, 4]: dL/dw = x, dL/dx = w.
//! let x = Tensor::new(array![1.0f32, 2.0].into_dyn());
//! let w = Tensor::param(array![3.0f32, 4.0].into_dyn());
//! let loss = x.mul(&w).unwrap().sum();
//! loss.backward().unwrap();
//! assert_eq!(loss.item(), 11.0);
//! assert_eq!(w.grad().unwrap(), array![1.0f32, 2.0].into_dyn());
//! assert!(x.grad().is_none()); // x is data: no gradient is computed for it
//! ```

mod broadcast;
pub use broadcast::sum_to_shape;
mod concat;
mod conv;
pub(crate) use conv::image_batch;
mod grad;
mod linear;
mod matmul;
mod pool;
mod reduce;
mod shape;
mod unary;
mod window;
pub(crate) use window::Window;
pub use window::{Padding, PADDINGS};

use crate::{Error, Result};
use ndarray::{Array, ArrayD, Dimension};
use std::cell::{Ref, RefCell};
use std::collections::HashSet;
use std::fmt;
use std::rc::Rc;

/// The backward function of an operation: given the gradient of the output and the operation's
/// inputs, the gradient for each input (`None` for an input that does not need one).
pub type BackwardFn = Box<dyn Fn(&ArrayD<f32>, &[Tensor]) -> Vec<Option<ArrayD<f32>>>>;

/// One node of the computation graph.
struct Node {
    /// The value. In a `RefCell` so that an optimizer can update a weight in place.
    value: RefCell<ArrayD<f32>>,
    /// `∂L/∂self` after the last `backward()` (for nodes that need a gradient).
    grad: RefCell<Option<ArrayD<f32>>>,
    /// The inputs of the operation that made this node (empty for a leaf).
    parents: Vec<Tensor>,
    /// How to send the gradient to the parents (`None` for a leaf).
    backward: Option<BackwardFn>,
    /// Whether a gradient flows to this node: a parameter, or computed from one.
    requires_grad: bool,
    /// The operation's name, for messages (`"matmul"`, `"leaf"`, ...).
    op: &'static str,
}

/// An n-dimensional `f32` array that remembers how it was computed, for automatic differentiation.
///
/// Cloning is cheap (a reference count): clones are the same node, so a weight held by a layer and
/// by an optimizer is one tensor.
#[derive(Clone)]
pub struct Tensor(Rc<Node>);

impl Tensor {
    /// A constant (data): no gradient is computed for it. Any owned `f32` array: `ArrayD`, `Array2`,
    /// or a slice of one made owned (`x.slice(s![0..1, .., .., ..]).to_owned()`).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::{array, ArrayD};
    /// let t = Tensor::new(ArrayD::zeros(vec![2, 3]));
    /// assert_eq!(t.shape(), vec![2, 3]);
    /// assert_eq!(Tensor::new(array![[1.0f32, 2.0]]).shape(), vec![1, 2]);
    /// ```
    pub fn new<D: Dimension>(value: Array<f32, D>) -> Tensor {
        Tensor::leaf(value.into_dyn(), false)
    }

    /// A parameter (a weight): [`backward`](Tensor::backward) computes its gradient. Any owned `f32`
    /// array, as for [`new`](Tensor::new).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let w = Tensor::param(nnlab::ndarray::ArrayD::zeros(vec![3]));
    /// assert!(w.requires_grad());
    /// ```
    pub fn param<D: Dimension>(value: Array<f32, D>) -> Tensor {
        Tensor::leaf(value.into_dyn(), true)
    }

    /// A scalar constant (shape `[]`).
    ///
    /// ```
    /// assert_eq!(nnlab::tensor::Tensor::scalar(2.5).item(), 2.5);
    /// ```
    pub fn scalar(x: f32) -> Tensor {
        Tensor::new(ArrayD::from_elem(vec![], x))
    }

    fn leaf(value: ArrayD<f32>, requires_grad: bool) -> Tensor {
        Tensor(Rc::new(Node {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            parents: vec![],
            backward: None,
            requires_grad,
            op: "leaf",
        }))
    }

    /// The result of an operation: its `value`, its inputs and its backward function.
    ///
    /// This is how every primitive is written, and how to add an op of your own. The result needs a
    /// gradient when any input does; otherwise the backward function is dropped.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// // y = 3x, so dy/dx = 3.
    /// let x = Tensor::param(array![1.0f32, 2.0].into_dyn());
    /// let value = x.value().mapv(|v| 3.0 * v);
    /// let y = Tensor::from_op("triple", value, vec![x.clone()], Box::new(|g, _inputs| vec![Some(g * 3.0)]));
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap(), array![3.0f32, 3.0].into_dyn());
    /// ```
    pub fn from_op(
        op: &'static str,
        value: ArrayD<f32>,
        parents: Vec<Tensor>,
        backward: BackwardFn,
    ) -> Tensor {
        let requires_grad = parents.iter().any(Tensor::requires_grad);
        Tensor(Rc::new(Node {
            value: RefCell::new(value),
            grad: RefCell::new(None),
            backward: requires_grad.then_some(backward),
            parents: if requires_grad { parents } else { vec![] },
            requires_grad,
            op,
        }))
    }

    /// The value (borrowed; clone it with `.to_owned()` to keep it).
    pub fn value(&self) -> Ref<'_, ArrayD<f32>> {
        self.0.value.borrow()
    }

    /// A copy of the value.
    pub fn to_array(&self) -> ArrayD<f32> {
        self.0.value.borrow().clone()
    }

    /// The value of a tensor with one element (e.g. a loss), or an error naming its shape.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// assert_eq!(Tensor::scalar(2.5).try_item().unwrap(), 2.5);
    /// let e = Tensor::new(nnlab::ndarray::ArrayD::zeros(vec![2, 3])).try_item().unwrap_err();
    /// assert!(e.to_string().contains("got shape [2, 3]"), "{e}");
    /// ```
    pub fn try_item(&self) -> Result<f32> {
        let v = self.0.value.borrow();
        match v.len() {
            1 => Ok(v.iter().copied().next().unwrap_or(f32::NAN)),
            _ => Err(Error::shape(
                "Tensor::item",
                "a tensor with one element (reduce it first, e.g. with .mean() or .sum())",
                format!("shape {:?}", v.shape()),
            )),
        }
    }

    /// The value of a tensor with one element (e.g. a loss).
    ///
    /// Panics if the tensor has more than one element, with the message of
    /// [`try_item`](Tensor::try_item), which returns it as an error instead (`t.try_item()?`).
    pub fn item(&self) -> f32 {
        match self.try_item() {
            Ok(v) => v,
            Err(e) => panic!("{e} (t.try_item()? returns this as an error instead of a panic)"),
        }
    }

    /// The shape, e.g. `[128, 784]`.
    pub fn shape(&self) -> Vec<usize> {
        self.0.value.borrow().shape().to_vec()
    }

    /// The number of dimensions.
    pub fn ndim(&self) -> usize {
        self.0.value.borrow().ndim()
    }

    /// The number of elements.
    pub fn len(&self) -> usize {
        self.0.value.borrow().len()
    }

    /// Whether the tensor has no elements.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Whether a gradient flows to this tensor.
    pub fn requires_grad(&self) -> bool {
        self.0.requires_grad
    }

    /// The name of the operation that made it (`"leaf"` for data and parameters).
    pub fn op(&self) -> &'static str {
        self.0.op
    }

    /// `∂L/∂self` from the last [`backward`](Tensor::backward) through this tensor, for a leaf
    /// (a parameter); `None` for data, and for intermediate results (their gradients are freed:
    /// ask [`gradients`](Tensor::gradients) for those).
    pub fn grad(&self) -> Option<ArrayD<f32>> {
        self.0.grad.borrow().clone()
    }

    /// Moves the gradient out (leaving `None`): what `fit` hands to the optimizer, without a copy.
    pub(crate) fn take_grad(&self) -> Option<ArrayD<f32>> {
        self.0.grad.borrow_mut().take()
    }

    /// Replaces the value (an optimizer step, `set_weights`). The shape must stay the same.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// let w = Tensor::param(nnlab::ndarray::ArrayD::zeros(vec![2]));
    /// w.assign(nnlab::ndarray::ArrayD::ones(vec![2])).unwrap();
    /// assert_eq!(w.value().sum(), 2.0);
    /// assert!(w.assign(nnlab::ndarray::ArrayD::ones(vec![3])).is_err());
    /// ```
    pub fn assign(&self, value: ArrayD<f32>) -> Result<()> {
        let mut v = self.0.value.borrow_mut();
        if v.shape() != value.shape() {
            return Err(Error::shape(
                "Tensor::assign",
                format!("{:?}", v.shape()),
                format!("{:?}", value.shape()),
            ));
        }
        *v = value;
        Ok(())
    }

    /// Changes the value in place with `f` (used by optimizers; the shape must not change).
    pub fn update(&self, f: impl FnOnce(&mut ArrayD<f32>)) {
        f(&mut self.0.value.borrow_mut());
    }

    /// The same value as a new constant, cut from the graph (no gradient flows through it).
    pub fn detach(&self) -> Tensor {
        Tensor::new(self.to_array())
    }

    /// Whether two handles are the same node.
    pub fn same(&self, other: &Tensor) -> bool {
        Rc::ptr_eq(&self.0, &other.0)
    }

    /// Back-propagation from this scalar: computes `∂self/∂t` for every tensor `t` it depends on
    /// that needs a gradient, readable with [`grad`](Tensor::grad).
    ///
    /// Gradients are set afresh on every call (not accumulated across calls); a tensor used twice in
    /// the graph gets the sum of both paths.
    pub fn backward(&self) -> Result<()> {
        self.backward_keeping(&HashSet::new())
    }

    /// [`backward`](Tensor::backward), keeping the gradients of the intermediate results in `keep`
    /// too (what [`gradients`](Tensor::gradients) needs when asked for one).
    fn backward_keeping(&self, keep: &HashSet<*const Node>) -> Result<()> {
        crate::backend::keep_freed_memory(); // training from here on: reuse each step's memory
        if self.len() != 1 {
            return Err(Error::shape(
                "Tensor::backward",
                "a tensor with one element (a loss)",
                format!("{:?}", self.shape()),
            ));
        }
        if !self.requires_grad() {
            return Err(Error::state(
                "Tensor::backward",
                "the tensor does not depend on any parameter (trainable weight), so there is no gradient to \
                 compute: weights must be made with Tensor::param (Tensor::new makes constants), and a layer \
                 of your own must create them in build with base.add_weight(shape, initializer, true)",
            ));
        }
        let order = self.topological_order();
        for t in &order {
            *t.0.grad.borrow_mut() = None;
        }
        *self.0.grad.borrow_mut() = Some(ArrayD::ones(self.value().raw_dim()));
        // From the output back to the leaves: each node's gradient is complete before it is used.
        for t in order.iter().rev() {
            let Some(backward) = &t.0.backward else { continue };
            // An intermediate result's gradient is dropped once passed on (memory); leaves keep theirs.
            let kept = keep.contains(&Rc::as_ptr(&t.0));
            let grad = if kept { t.0.grad.borrow().clone() } else { t.0.grad.borrow_mut().take() };
            let Some(grad) = grad else { continue };
            let parent_grads = backward(&grad, &t.0.parents);
            for (parent, g) in t.0.parents.iter().zip(parent_grads) {
                if let (true, Some(g)) = (parent.requires_grad(), g) {
                    let mut slot = parent.0.grad.borrow_mut();
                    match slot.as_mut() {
                        Some(acc) => *acc += &g,
                        None => *slot = Some(g),
                    }
                }
            }
        }
        Ok(())
    }

    /// The nodes that need a gradient, each after all of its inputs (iterative depth-first search).
    fn topological_order(&self) -> Vec<Tensor> {
        let mut order = vec![];
        let mut seen = HashSet::new();
        let mut stack = vec![(self.clone(), false)];
        while let Some((t, children_done)) = stack.pop() {
            let key = Rc::as_ptr(&t.0);
            if children_done {
                order.push(t);
                continue;
            }
            if !t.requires_grad() || !seen.insert(key) {
                continue;
            }
            stack.push((t.clone(), true));
            for p in t.0.parents.iter().rev() {
                stack.push((p.clone(), false));
            }
        }
        order
    }
}

/// `"shape [2, 3]"`-style description of a shape, for messages.
pub(crate) fn fmt_shape(shape: &[usize]) -> String {
    format!("{shape:?}")
}

/// `axis` of a tensor of `shape` (negative counts from the end, as in numpy) as an index below
/// `shape.len()`, or a shape error naming `op`.
pub(crate) fn normalize_axis(op: &str, axis: isize, shape: &[usize]) -> Result<usize> {
    let n = shape.len() as isize;
    let a = if axis < 0 { axis + n } else { axis };
    if (0..n).contains(&a) {
        Ok(a as usize)
    } else {
        Err(Error::shape(
            op,
            format!("an axis in [-{n}, {n})"),
            format!("axis {axis} for shape {}", fmt_shape(shape)),
        ))
    }
}

impl Drop for Node {
    /// Frees a graph of any depth without recursion: a chain of 100,000 additions would otherwise
    /// drop node by node on the call stack and overflow it. The parents this node alone holds are
    /// moved onto a list and freed from there, one level at a time.
    fn drop(&mut self) {
        let mut pending: Vec<Tensor> = std::mem::take(&mut self.parents);
        while let Some(t) = pending.pop() {
            if let Ok(mut node) = Rc::try_unwrap(t.0) {
                pending.append(&mut node.parents);
            }
        }
    }
}

impl fmt::Debug for Tensor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "Tensor(op={}, shape={:?}, requires_grad={})\n{}",
            self.op(),
            self.shape(),
            self.requires_grad(),
            self.value()
        )
    }
}

impl From<ArrayD<f32>> for Tensor {
    /// A constant tensor (same as [`Tensor::new`]).
    fn from(a: ArrayD<f32>) -> Tensor {
        Tensor::new(a)
    }
}
