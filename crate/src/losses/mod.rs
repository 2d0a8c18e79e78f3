//! Losses with Keras' names and formulas. Each is the mean over the batch of a per-example loss
//! (itself a mean or sum over the last axis), so the value does not grow with the batch size.
//!
//! | name | per example |
//! |---|---|
//! | `"mse"`, `"mean_squared_error"` | `mean((ŷ − y)²)` |
//! | `"mae"`, `"mean_absolute_error"` | `mean(|ŷ − y|)` |
//! | `"categorical_crossentropy"` | `−Σ y log p`, `p = clip(ŷ / Σŷ, ε, 1 − ε)`, `ε = 1e-7`; from logits: `p = softmax(ŷ)` |
//! | `"sparse_categorical_crossentropy"` | the same with `y` an integer class index |
//! | `"binary_crossentropy"` | `mean(−y log p − (1 − y) log(1 − p))`, `p = clip(ŷ, ε, 1 − ε)`; from logits: `p = σ(ŷ)` |
//! | `"huber"` | `mean(h(ŷ − y))`, `h(e) = e²/2` where `|e| ≤ δ`, else `δ|e| − δ²/2`; `δ = 1` |
//! | `"log_cosh"` | `mean(log cosh(ŷ − y))` (like `e²/2` near 0, like `|e| − log 2` far from it) |
//! | `"kl_divergence"`, `"kld"` | `Σ y log(y / ŷ)`, both clipped to `[ε, 1]` |
//!
//! A loss of one's own is a function of `(y_true, y_pred)` returning a tensor (one value per
//! example, or a scalar): [`Loss::custom`], or the function itself given to `compile`.
//!
//! ```
//! use nnlab::losses;
//! use nnlab::tensor::Tensor;
//! use nnlab::ndarray::array;
//! let y = Tensor::new(array![[0.0f32, 1.0]].into_dyn());
//! let p = Tensor::new(array![[0.5f32, 0.5]].into_dyn());
//! let l = losses::get("categorical_crossentropy").unwrap().call(&y, &p).unwrap();
//! assert!((l.item() - 0.5f32.ln().abs()).abs() < 1e-6);
//! ```

mod custom;
pub use custom::CustomLoss;

use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{ArrayD, Axis, Zip};

/// Keras' fuzz factor for clipping probabilities.
pub const EPSILON: f32 = 1e-7;

/// A loss function.
#[derive(Clone, Debug, PartialEq)]
pub enum Loss {
    /// Mean squared error.
    MeanSquaredError,
    /// Mean absolute error.
    MeanAbsoluteError,
    /// Cross-entropy against one-hot targets.
    CategoricalCrossentropy {
        /// Whether predictions are logits rather than probabilities.
        from_logits: bool,
    },
    /// Cross-entropy against integer class labels.
    SparseCategoricalCrossentropy {
        /// Whether predictions are logits rather than probabilities.
        from_logits: bool,
    },
    /// Cross-entropy of independent yes/no outputs.
    BinaryCrossentropy {
        /// Whether predictions are logits rather than probabilities.
        from_logits: bool,
    },
    /// Squared error for small errors, absolute error beyond `delta` (robust to outliers).
    Huber {
        /// Where the loss turns from quadratic to linear (Keras' default 1.0; above 0).
        delta: f32,
    },
    /// `log cosh` of the error.
    LogCosh,
    /// Kullback-Leibler divergence of the predicted distribution from the target one.
    KLDivergence,
    /// A function of one's own ([`Loss::custom`]).
    Custom(CustomLoss),
}

/// The names [`get`] knows.
pub const NAMES: &[&str] = &[
    "mse",
    "mean_squared_error",
    "mae",
    "mean_absolute_error",
    "categorical_crossentropy",
    "sparse_categorical_crossentropy",
    "binary_crossentropy",
    "huber",
    "log_cosh",
    "kl_divergence",
    "kld",
];

/// The loss called `name` (probabilities, not logits; use the enum for `from_logits: true`).
pub fn get(name: &str) -> Result<Loss> {
    Ok(match name {
        "mse" | "mean_squared_error" => Loss::MeanSquaredError,
        "mae" | "mean_absolute_error" => Loss::MeanAbsoluteError,
        "categorical_crossentropy" => Loss::CategoricalCrossentropy { from_logits: false },
        "sparse_categorical_crossentropy" => Loss::SparseCategoricalCrossentropy { from_logits: false },
        "binary_crossentropy" => Loss::BinaryCrossentropy { from_logits: false },
        "huber" => Loss::Huber { delta: 1.0 },
        "log_cosh" => Loss::LogCosh,
        "kl_divergence" | "kld" => Loss::KLDivergence,
        _ => return Err(Error::unknown_name("losses::get", "loss", name, NAMES)),
    })
}

/// `log(softmax(x))` over the last axis, computed stably as `x − m − log Σ e^(x − m)`.
/// Backward: `∂L/∂x = g − softmax(x) · Σ g`.
pub fn log_softmax(x: &Tensor) -> Tensor {
    let mut y = x.to_array();
    let last = Axis(y.ndim().saturating_sub(1));
    for mut lane in y.lanes_mut(last) {
        let m = lane.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
        let lse = lane.iter().map(|&v| (v - m).exp()).sum::<f32>().ln() + m;
        lane.mapv_inplace(|v| v - lse);
    }
    let saved = y.clone();
    Tensor::from_op(
        "log_softmax",
        y,
        vec![x.clone()],
        Box::new(move |g, _| {
            let mut dx = g.clone();
            Zip::from(dx.lanes_mut(last)).and(saved.lanes(last)).for_each(|mut d, y| {
                let s: f32 = d.sum();
                Zip::from(&mut d).and(&y).for_each(|d, &y| *d -= y.exp() * s);
            });
            vec![Some(dx)]
        }),
    )
}

impl Loss {
    /// A loss computed by `f(y_true, y_pred)`, a tensor of one value per example (averaged over
    /// the batch, as Keras does) or a scalar; `name` appears in messages. Built from the tensor
    /// operations, it is differentiated like any other.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::losses::Loss;
    /// // the mean fourth power of the error, per example
    /// let quartic = Loss::custom("quartic", |y_true, y_pred| y_pred.sub(y_true)?.square().square().mean_axes(&[-1], false));
    /// let y = Tensor::new(array![[0.0f32, 0.0]].into_dyn());
    /// let p = Tensor::new(array![[1.0f32, 2.0]].into_dyn());
    /// assert_eq!(quartic.call(&y, &p)?.item(), 8.5); // (1 + 16) / 2
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn custom(name: &str, f: impl Fn(&Tensor, &Tensor) -> Result<Tensor> + 'static) -> Loss {
        Loss::Custom(CustomLoss::new(name, f))
    }

    /// Keras' name (a custom loss': the name it was given).
    pub fn name(&self) -> &str {
        match self {
            Loss::MeanSquaredError => "mean_squared_error",
            Loss::MeanAbsoluteError => "mean_absolute_error",
            Loss::CategoricalCrossentropy { .. } => "categorical_crossentropy",
            Loss::SparseCategoricalCrossentropy { .. } => "sparse_categorical_crossentropy",
            Loss::BinaryCrossentropy { .. } => "binary_crossentropy",
            Loss::Huber { .. } => "huber",
            Loss::LogCosh => "log_cosh",
            Loss::KLDivergence => "kl_divergence",
            Loss::Custom(c) => c.name(),
        }
    }

    /// The loss of predictions `y_pred: [batch, k]` against targets `y_true` (`[batch, k]`, or
    /// `[batch]`/`[batch, 1]` class indices for the sparse loss): a scalar tensor, the mean of the
    /// examples' losses.
    pub fn call(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<Tensor> {
        let per_example = self.per_example(y_true, y_pred)?;
        Ok(if per_example.shape().is_empty() { per_example } else { per_example.mean() })
    }

    /// The loss with a weight per example, `sample_weight: [batch]`: `Σ wᵢ·lossᵢ / batch` (Keras'
    /// `loss(y_true, y_pred, sample_weight)`, reduction `"sum_over_batch_size"`: the weights scale the
    /// examples, they are not normalised). What `fit` computes with `class_weight` or `sample_weight`.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::losses::Loss;
    /// let y = Tensor::new(array![[0.0f32], [0.0]].into_dyn());
    /// let p = Tensor::new(array![[1.0f32], [2.0]].into_dyn());
    /// let w = Tensor::new(array![3.0f32, 0.5].into_dyn());
    /// assert_eq!(Loss::MeanSquaredError.call_weighted(&y, &p, &w)?.item(), 2.5); // (3·1 + 0.5·4) / 2
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn call_weighted(&self, y_true: &Tensor, y_pred: &Tensor, sample_weight: &Tensor) -> Result<Tensor> {
        let per_example = self.per_example(y_true, y_pred)?;
        let (ls, ws) = (per_example.shape(), sample_weight.shape());
        if ls.len() != 1 || ws != ls {
            let got = if ls.is_empty() {
                format!("a loss that returns a scalar (weights {ws:?})")
            } else {
                format!("weights {ws:?} for losses {ls:?}")
            };
            return Err(Error::shape(
                format!("loss {} (sample_weight)", self.name()),
                "one weight per example",
                got,
            ));
        }
        Ok(per_example.mul(sample_weight)?.mean())
    }

    /// The examples' losses, `[batch]` (a custom loss may return a scalar instead).
    fn per_example(&self, y_true: &Tensor, y_pred: &Tensor) -> Result<Tensor> {
        let (st, sp) = (y_true.shape(), y_pred.shape());
        let op = self.name();
        if let Loss::Huber { delta } = *self {
            if !(delta > 0.0 && delta.is_finite()) {
                return Err(Error::value("Huber", "a delta above 0", format!("{delta}")));
            }
        }
        let y_true = match self {
            Loss::Custom(c) => return c.per_example(y_true, y_pred),
            Loss::SparseCategoricalCrossentropy { .. } => {
                let batch_ok = st.first() == sp.first() && (st.len() == 1 || (st.len() == 2 && st[1] == 1));
                if sp.len() != 2 || !batch_ok {
                    let expected = match sp.as_slice() {
                        [batch, _] => format!("labels of shape [{batch}] for predictions {sp:?}"),
                        _ => format!("predictions of shape [batch, classes] and labels [batch], not {sp:?}"),
                    };
                    return Err(Error::shape(op, expected, format!("labels {st:?}")));
                }
                Tensor::new(
                    one_hot(&y_true.value(), sp[1])
                        .map_err(|e| Error::value(op, format!("class labels in 0..{}", sp[1]), e))?,
                )
            }
            _ if st != sp => {
                return Err(Error::shape(
                    op,
                    format!("targets of the predictions' shape {sp:?}"),
                    format!("{st:?}"),
                ));
            }
            _ => y_true.clone(),
        };
        let last = [-1isize];
        let per_example = match *self {
            Loss::MeanSquaredError => y_pred.sub(&y_true)?.square().mean_axes(&last, false)?,
            Loss::MeanAbsoluteError => y_pred.sub(&y_true)?.abs().mean_axes(&last, false)?,
            Loss::CategoricalCrossentropy { from_logits }
            | Loss::SparseCategoricalCrossentropy { from_logits } => {
                let log_p = if from_logits {
                    log_softmax(y_pred)
                } else {
                    let p = y_pred.div(&y_pred.sum_axes(&last, true)?)?;
                    p.clip(EPSILON, 1.0 - EPSILON).log()
                };
                y_true.mul(&log_p)?.sum_axes(&last, false)?.neg()
            }
            Loss::BinaryCrossentropy { from_logits } => {
                let p = if from_logits { crate::activations::sigmoid(y_pred) } else { y_pred.clone() };
                let p = p.clip(EPSILON, 1.0 - EPSILON);
                let one_minus = |t: &Tensor| t.neg().add_scalar(1.0);
                let ll = y_true.mul(&p.log())?.add(&one_minus(&y_true).mul(&one_minus(&p).log())?)?;
                ll.mean_axes(&last, false)?.neg()
            }
            Loss::Huber { delta } => {
                let huber = move |e: f32| {
                    if e.abs() <= delta {
                        0.5 * e * e
                    } else {
                        delta * e.abs() - 0.5 * delta * delta
                    }
                };
                let slope = move |e: f32| e.clamp(-delta, delta); // h'(e): e inside ±δ, ±δ outside
                y_pred.sub(&y_true)?.map_x("huber", huber, slope).mean_axes(&last, false)?
            }
            Loss::LogCosh => {
                // log cosh e = e + softplus(−2e) − log 2 (no overflow of cosh); its derivative is tanh e.
                let log_cosh =
                    |e: f32| e + crate::activations::formulas::softplus(-2.0 * e) - std::f32::consts::LN_2;
                y_pred.sub(&y_true)?.map_x("log_cosh", log_cosh, f32::tanh).mean_axes(&last, false)?
            }
            Loss::KLDivergence => {
                let t = y_true.clip(EPSILON, 1.0);
                let p = y_pred.clip(EPSILON, 1.0);
                t.mul(&t.log().sub(&p.log())?)?.sum_axes(&last, false)?
            }
            Loss::Custom(_) => unreachable!("returned above"),
        };
        Ok(per_example)
    }
}

/// One-hot rows of width `k` for integer labels stored as floats.
fn one_hot(labels: &ArrayD<f32>, k: usize) -> std::result::Result<ArrayD<f32>, String> {
    let mut out = ArrayD::zeros(vec![labels.len(), k]);
    for (i, &l) in labels.iter().enumerate() {
        if l < 0.0 || l.fract() != 0.0 || l as usize >= k {
            return Err(format!("label {l} at position {i}"));
        }
        out[[i, l as usize]] = 1.0;
    }
    Ok(out)
}

/// Anything `compile` accepts as a loss: a name (`"mse"`), a [`Loss`], or a function
/// `fn(&Tensor, &Tensor) -> Result<Tensor>` of `(y_true, y_pred)` (see [`Loss::custom`]).
pub trait IntoLoss {
    /// The loss, or an unknown-name error.
    fn into_loss(self) -> Result<Loss>;
}

impl IntoLoss for &str {
    fn into_loss(self) -> Result<Loss> {
        get(self)
    }
}

impl IntoLoss for Loss {
    fn into_loss(self) -> Result<Loss> {
        Ok(self)
    }
}

impl<F: Fn(&Tensor, &Tensor) -> Result<Tensor> + 'static> IntoLoss for F {
    fn into_loss(self) -> Result<Loss> {
        Ok(Loss::Custom(CustomLoss::new(custom::name_of::<F>(), self)))
    }
}
