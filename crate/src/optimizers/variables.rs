//! The weights an optimizer is used for. Its state slots (momenta, running averages) belong to the
//! weights of its first step, in that order; another list is an error, as Keras 3's "Unknown
//! variable", instead of an index out of bounds or another model's momenta mixed in silently.

use crate::tensor::Tensor;
use crate::{Error, Result};
use std::fmt;

/// The weights of an optimizer's first step (empty before it).
#[derive(Clone, Default)]
pub struct Variables(Vec<Tensor>);

impl fmt::Debug for Variables {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Variables({} weights)", self.0.len())
    }
}

impl Variables {
    /// Remembers `weights` on the first call; later, an error unless `weights` are the same tensors
    /// in the same order.
    ///
    /// ```
    /// use nnlab::optimizers::{Optimizer, SGD};
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let (a, b) = (Tensor::param(array![1.0f32].into_dyn()), Tensor::param(array![1.0f32].into_dyn()));
    /// let mut opt: Optimizer = SGD::new().into();
    /// opt.apply_gradients(&[array![1.0f32].into_dyn()], &[a.clone()]).unwrap();
    /// let e = opt.apply_gradients(&[array![1.0f32].into_dyn()], &[b]).unwrap_err();
    /// assert!(e.to_string().contains("make a new optimizer"), "{e}");
    /// ```
    /// Whether `weights` are the ones bound (or none is bound yet).
    pub(crate) fn admits(&self, weights: &[Tensor]) -> bool {
        self.0.is_empty()
            || (self.0.len() == weights.len() && self.0.iter().zip(weights).all(|(a, b)| a.same(b)))
    }

    pub(super) fn bind(&mut self, op: &str, weights: &[Tensor]) -> Result<()> {
        if self.0.is_empty() {
            self.0 = weights.to_vec();
            return Ok(());
        }
        let same = self.0.len() == weights.len() && self.0.iter().zip(weights).all(|(a, b)| a.same(b));
        if same {
            return Ok(());
        }
        let shapes = |ws: &[Tensor]| {
            let s: Vec<String> = ws.iter().take(4).map(|w| format!("{:?}", w.shape())).collect();
            format!("{}{}", s.join(", "), if ws.len() > 4 { ", ..." } else { "" })
        };
        let how = if self.0.len() == weights.len()
            && self.0.iter().zip(weights).all(|(a, b)| a.shape() == b.shape())
        {
            "other tensors of the same shapes (another model, or a model made again)".to_string()
        } else {
            format!("{} weights of shapes {}", weights.len(), shapes(weights))
        };
        Err(Error::state(
            op,
            format!(
                "this optimizer keeps state for the {} weights it first updated (shapes {}), and was given {how}; \
                 make a new optimizer for other weights (or compile the model again)",
                self.0.len(),
                shapes(&self.0),
            ),
        ))
    }
}
