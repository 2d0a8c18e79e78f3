//! `GradientTape`: the gradients of a loss with respect to chosen weights, for training loops written
//! by hand (Keras' `tf.GradientTape`).
//!
//! Our tensors already record how they were computed (see [`tensor`](crate::tensor)), so the "tape"
//! is the graph behind the loss: [`GradientTape::gradient`] back-propagates from the loss and reads
//! each weight's gradient. A weight the loss does not depend on gets `None` in its slot, as Keras
//! returns `None`; [`Optimizer::apply_gradients`](crate::optimizers::Optimizer::apply_gradients)
//! leaves such a weight unchanged.
//!
//! ```
//! use nnlab::prelude::*;
//! let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[2]).into()]);
//! model.build(&[2]).unwrap();
//! let mut optimizer = nnlab::optimizers::get("sgd").unwrap();
//! let loss_fn = nnlab::losses::get("mse").unwrap();
//! let (x, y) = (Tensor::new(array![[1.0f32, 2.0]].into_dyn()), Tensor::new(array![[1.0f32]].into_dyn()));
//! let tape = GradientTape::new();
//! let logits = model.call(&x, true).unwrap();
//! let loss = loss_fn.call(&y, &logits).unwrap();
//! let grads = tape.gradient(&loss, &model.trainable_weights()).unwrap();
//! optimizer.apply_gradients(&grads, &model.trainable_weights()).unwrap();
//! assert!(loss_fn.call(&y, &model.call(&x, false).unwrap()).unwrap().item() < loss.item());
//! ```

use crate::tensor::Tensor;
use crate::Result;
use ndarray::ArrayD;

/// Records nothing itself: the tensors computed after it was made carry their own graph.
#[derive(Clone, Copy, Debug, Default)]
pub struct GradientTape;

impl GradientTape {
    /// A tape (Keras' `with tf.GradientTape() as tape:`).
    pub fn new() -> GradientTape {
        GradientTape
    }

    /// `∂loss/∂w` for each `w` in `weights`, in order; `None` for a weight the loss does not use.
    /// `loss` must be a scalar that depends on some weight.
    pub fn gradient(&self, loss: &Tensor, weights: &[Tensor]) -> Result<Vec<Option<ArrayD<f32>>>> {
        loss.gradients(weights)
    }
}
