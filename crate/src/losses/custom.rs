//! A loss of one's own: any function of `(y_true, y_pred)` built from tensor operations, so the
//! autodiff differentiates it like the built-in losses. As in Keras, it returns one value per
//! example (`[batch]`), which is averaged over the batch, or the batch's loss as a scalar.

use crate::tensor::Tensor;
use crate::{Error, Result};
use std::fmt;
use std::rc::Rc;

/// The function `f(y_true, y_pred)` of a custom loss, and the name messages call it by.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::losses::{IntoLoss, Loss};
/// fn mean_cubed_error(y_true: &Tensor, y_pred: &Tensor) -> nnlab::Result<Tensor> {
///     y_pred.sub(y_true)?.abs().map_x("cube", |e| e * e * e, |e| 3.0 * e * e).mean_axes(&[-1], false)
/// }
/// let loss = mean_cubed_error.into_loss()?; // what compile does with a function
/// assert_eq!(loss.name(), "mean_cubed_error");
/// let (y, p) = (Tensor::new(array![[0.0f32], [0.0]].into_dyn()), Tensor::new(array![[1.0f32], [2.0]].into_dyn()));
/// assert_eq!(loss.call(&y, &p)?.item(), 4.5); // (1 + 8) / 2
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone)]
pub struct CustomLoss {
    name: String,
    f: Rc<LossFn>,
}

/// A loss function `f(y_true, y_pred)`.
type LossFn = dyn Fn(&Tensor, &Tensor) -> Result<Tensor>;

impl CustomLoss {
    /// `f` under `name`.
    pub fn new(name: &str, f: impl Fn(&Tensor, &Tensor) -> Result<Tensor> + 'static) -> CustomLoss {
        CustomLoss { name: name.to_string(), f: Rc::new(f) }
    }

    /// The name given.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// `f(y_true, y_pred)`, averaged to a scalar; an error names the loss when `f` returns nothing
    /// to average or a value per example of another batch size.
    pub fn call(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<Tensor> {
        let out = self.per_example(y_true, y_pred)?;
        Ok(if out.shape().is_empty() { out } else { out.mean() })
    }

    /// `f(y_true, y_pred)` checked to be one value per example (`[batch]`) or a scalar.
    pub(super) fn per_example(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<Tensor> {
        let out = (self.f)(y_true, y_pred)?;
        let shape = out.shape();
        let batch = y_pred.shape().first().copied();
        match shape.as_slice() {
            [] => Ok(out),
            [n] if Some(*n) == batch => Ok(out),
            _ => Err(Error::shape(
                format!("loss {}", self.name),
                format!(
                    "one value per example (shape [{}]) or a scalar: reduce the last axis with mean_axes(&[-1], false)",
                    batch.map_or("batch".to_string(), |b| b.to_string())
                ),
                format!("{shape:?}"),
            )),
        }
    }
}

impl fmt::Debug for CustomLoss {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomLoss({:?})", self.name)
    }
}

impl PartialEq for CustomLoss {
    /// The same function (the same `Rc`), not merely the same name.
    fn eq(&self, other: &CustomLoss) -> bool {
        Rc::ptr_eq(&self.f, &other.f)
    }
}

/// The name of a function type: `my_loss` for `fn my_loss`, `"custom_loss"` for a closure.
pub(super) fn name_of<F>() -> &'static str {
    let full = std::any::type_name::<F>();
    match full.rsplit("::").next() {
        Some(last) if !last.contains('{') && !last.is_empty() => last,
        _ => "custom_loss",
    }
}
