//! Metric objects for training loops written by hand (Keras' `keras.metrics.*`): each keeps running
//! totals, updated batch by batch with `update_state`, read with `result`, cleared with `reset_state`.

use super::Metric;
use crate::data::ArrayLike;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;

/// Something holding numbers: a [`Tensor`], or an ndarray array or view of any number type
/// ([`ArrayLike`]: `u8` or `usize` labels, `f64` scores, ...).
pub trait AsArray {
    /// A copy of the values as `f32`.
    fn to_arrayd(&self) -> ArrayD<f32>;
}

impl AsArray for Tensor {
    fn to_arrayd(&self) -> ArrayD<f32> {
        self.to_array()
    }
}

impl<T: ArrayLike> AsArray for T {
    fn to_arrayd(&self) -> ArrayD<f32> {
        self.as_f32().into_owned()
    }
}

/// The running share of right answers of one accuracy kind.
fn update(
    kind: Metric,
    name: &str,
    total: &mut (f64, usize),
    y_true: ArrayD<f32>,
    y_pred: ArrayD<f32>,
) -> Result<()> {
    let ok = y_true.ndim() >= 1
        && y_pred.ndim() >= 1
        && y_true.shape()[0] == y_pred.shape()[0]
        && match kind {
            Metric::CategoricalAccuracy | Metric::BinaryAccuracy => y_true.shape() == y_pred.shape(),
            _ => y_true.len() == y_true.shape()[0],
        };
    if !ok {
        let batch = y_pred.shape().first().copied().unwrap_or(0);
        let expected = match kind {
            Metric::CategoricalAccuracy | Metric::BinaryAccuracy => {
                format!("y_true of y_pred's shape {:?} (one-hot targets)", y_pred.shape())
            }
            _ => format!(
                "y_true of shape [{batch}] (one integer label per row of y_pred {:?}; for one-hot targets use \
                 CategoricalAccuracy)",
                y_pred.shape()
            ),
        };
        return Err(Error::shape(
            format!("{name}.update_state"),
            expected,
            format!("y_true {:?} and y_pred {:?}", y_true.shape(), y_pred.shape()),
        ));
    }
    let (s, n) = kind.update(&y_true, &y_pred)?;
    total.0 += s;
    total.1 += n;
    Ok(())
}

macro_rules! accuracy_metric {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug, Default)]
        pub struct $name {
            total: (f64, usize),
        }

        impl $name {
            /// A metric with nothing counted yet.
            pub fn new() -> $name {
                $name::default()
            }

            /// Counts the batch's right answers (`y_pred` may be a tensor, e.g. the model's output).
            pub fn update_state(&mut self, y_true: &impl AsArray, y_pred: &impl AsArray) -> Result<()> {
                update($kind, stringify!($name), &mut self.total, y_true.to_arrayd(), y_pred.to_arrayd())
            }

            /// The share right so far (0 before any update).
            pub fn result(&self) -> f64 {
                self.total.0 / self.total.1.max(1) as f64
            }

            /// Forgets everything counted (at the start of an epoch).
            pub fn reset_state(&mut self) {
                self.total = (0.0, 0);
            }
        }
    };
}

accuracy_metric!(
    /// Keras' `CategoricalAccuracy`: `argmax ŷ == argmax y` for one-hot targets.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::metrics::CategoricalAccuracy;
    /// let mut acc = CategoricalAccuracy::new();
    /// acc.update_state(&array![[0.0f32, 1.0], [1.0, 0.0]], &array![[0.2f32, 0.8], [0.3, 0.7]]).unwrap();
    /// assert_eq!(acc.result(), 0.5);
    /// acc.reset_state();
    /// assert_eq!(acc.result(), 0.0);
    /// assert!(acc.update_state(&array![[0.0f32, 1.0]], &array![[0.2f32, 0.8, 0.0]]).is_err());
    /// ```
    CategoricalAccuracy,
    Metric::CategoricalAccuracy
);

accuracy_metric!(
    /// Keras' `SparseCategoricalAccuracy`: `argmax ŷ == y` for integer labels `[batch]`.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::metrics::SparseCategoricalAccuracy;
    /// let mut acc = SparseCategoricalAccuracy::new();
    /// acc.update_state(&array![1.0f32, 1.0], &array![[0.2f32, 0.8], [0.3, 0.7]]).unwrap();
    /// assert_eq!(acc.result(), 1.0);
    /// acc.update_state(&array![0usize, 1], &array![[0.2f32, 0.8], [0.3, 0.7]]).unwrap(); // labels as argmax gives them
    /// assert_eq!(acc.result(), 0.75);
    /// ```
    SparseCategoricalAccuracy,
    Metric::SparseCategoricalAccuracy
);

accuracy_metric!(
    /// Keras' `BinaryAccuracy`: `(ŷ > 0.5) == (y > 0.5)` element by element.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::metrics::BinaryAccuracy;
    /// let mut acc = BinaryAccuracy::new();
    /// acc.update_state(&array![[1.0f32], [0.0]], &array![[0.9f32], [0.6]]).unwrap();
    /// assert_eq!(acc.result(), 0.5);
    /// ```
    BinaryAccuracy,
    Metric::BinaryAccuracy
);

/// Keras' `Mean`: the running mean of the values given (e.g. batch losses).
///
/// ```
/// use nnlab::metrics::Mean;
/// let mut m = Mean::new();
/// m.update_state(1.0);
/// m.update_state(2.0f32);
/// assert_eq!(m.result(), 1.5);
/// ```
#[derive(Clone, Debug, Default)]
pub struct Mean {
    sum: f64,
    count: usize,
}

impl Mean {
    /// An empty mean.
    pub fn new() -> Mean {
        Mean::default()
    }
    /// Adds a value.
    pub fn update_state(&mut self, value: impl Into<f64>) {
        self.sum += value.into();
        self.count += 1;
    }
    /// The mean so far (0 before any update).
    pub fn result(&self) -> f64 {
        self.sum / self.count.max(1) as f64
    }
    /// Forgets the values.
    pub fn reset_state(&mut self) {
        *self = Mean::default();
    }
}
