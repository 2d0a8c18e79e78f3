//! Weight penalties added to the loss: `l1(λ)`: `λ Σ|w|`, `l2(λ)`: `λ Σ w²`, `l1_l2(λ₁, λ₂)`: both.
//!
//! This answers the lecture's question "how is L2 regularization added to the network?": the
//! penalty of every regularized weight is added to the data loss, `L = loss(y, ŷ) + λ Σ w²`, so the
//! gradient of each weight gets an extra `2λw` that pulls it towards 0 (weight decay). The reported
//! training loss includes it, as in Keras.
//!
//! ```
//! use nnlab::regularizers;
//! use nnlab::tensor::Tensor;
//! use nnlab::ndarray::array;
//! let w = Tensor::param(array![1.0f32, -2.0].into_dyn());
//! let penalty = regularizers::l2(0.01).penalty(&w);
//! assert!((penalty.item() - 0.05).abs() < 1e-7); // 0.01 · (1 + 4)
//! ```

use crate::tensor::Tensor;

/// A penalty on a weight tensor.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Regularizer {
    /// The L1 factor λ₁.
    pub l1: f32,
    /// The L2 factor λ₂.
    pub l2: f32,
}

/// `λ Σ|w|` (Keras: `l1(0.01)`).
pub fn l1(l1: f32) -> Regularizer {
    Regularizer { l1, l2: 0.0 }
}

/// `λ Σ w²` (Keras: `l2(0.01)`).
pub fn l2(l2: f32) -> Regularizer {
    Regularizer { l1: 0.0, l2 }
}

/// `λ₁ Σ|w| + λ₂ Σ w²`.
pub fn l1_l2(l1: f32, l2: f32) -> Regularizer {
    Regularizer { l1, l2 }
}

impl Regularizer {
    /// The penalty for `w`, a scalar tensor (differentiable).
    pub fn penalty(&self, w: &Tensor) -> Tensor {
        let mut total = Tensor::scalar(0.0);
        if self.l1 != 0.0 {
            total = total.add(&w.abs().sum().scale(self.l1)).expect("scalars");
        }
        if self.l2 != 0.0 {
            total = total.add(&w.square().sum().scale(self.l2)).expect("scalars");
        }
        total
    }
}
