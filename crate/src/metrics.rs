//! Metrics shown during training (not differentiated): accuracy in its three forms, MAE, MSE,
//! precision, recall and ROC AUC; and metric objects with `update_state`/`result`/`reset_state` for
//! loops written by hand.
//!
//! Precision `TP / (TP + FP)` and recall `TP / (TP + FN)` count every output element, with a
//! prediction above 0.5 a predicted positive and a nonzero target a positive (Keras' defaults; the
//! objects [`Precision`] and [`Recall`] take another threshold). `"auc"` is the area under the ROC
//! curve from 200 thresholds ([`AUC`]). All three are ratios of counts over the whole epoch, not means
//! of per-batch values, as in Keras.
//!
//! `"accuracy"` is resolved as Keras does, from the shapes: one output unit → binary accuracy
//! (`ŷ > 0.5` equals `y`); integer labels (`y` of shape `[batch]` or `[batch, 1]`) → sparse
//! categorical accuracy (`argmax ŷ == y`); one-hot labels → categorical accuracy
//! (`argmax ŷ == argmax y`).
//!
//! ```
//! use nnlab::metrics::{self, Metric, Tally};
//! use nnlab::ndarray::array;
//! let m = metrics::get("accuracy").unwrap().resolve(&[2, 3], &[2, 3]);
//! assert_eq!(m, Metric::CategoricalAccuracy);
//! let mut tally = m.tally();
//! m.update_tally(&mut tally, &array![[0.0f32, 1.0, 0.0], [1.0, 0.0, 0.0]].into_dyn(), &array![[0.1f32, 0.8, 0.1], [0.2, 0.7, 0.1]].into_dyn()).unwrap();
//! assert_eq!(tally, Tally::Ratio(1.0, 2.0)); // one of two right
//! assert_eq!(tally.result(), 0.5);
//! ```

mod auc;
mod confusion;
mod counts;
mod custom;
mod objects;
pub use auc::Curve;
pub use confusion::confusion_matrix;
pub use counts::{Precision, Recall, AUC};
pub use custom::CustomMetric;
pub use objects::{AsArray, BinaryAccuracy, CategoricalAccuracy, Mean, SparseCategoricalAccuracy};

use crate::{Error, Result};
use ndarray::{ArrayD, Axis};

/// A metric.
#[derive(Clone, Debug, PartialEq)]
pub enum Metric {
    /// `"accuracy"`: one of the three below, chosen by [`resolve`](Metric::resolve).
    Accuracy,
    /// Share of examples whose largest output is at the one-hot target.
    CategoricalAccuracy,
    /// Share of examples whose largest output is the integer label.
    SparseCategoricalAccuracy,
    /// Share of outputs on the right side of 0.5.
    BinaryAccuracy,
    /// Mean absolute error.
    Mae,
    /// Mean squared error.
    Mse,
    /// `TP / (TP + FP)` at threshold 0.5.
    Precision,
    /// `TP / (TP + FN)` at threshold 0.5.
    Recall,
    /// Area under the ROC curve (200 thresholds).
    Auc,
    /// A function of `(y_true, y_pred)`: [`Metric::custom`].
    Custom(CustomMetric),
}

/// A metric's running state over an epoch.
#[derive(Clone, Debug, PartialEq)]
pub enum Tally {
    /// A sum and what it is divided by: right answers and examples (accuracy), absolute errors and
    /// elements (MAE), true positives and predicted positives (precision).
    Ratio(f64, f64),
    /// Counts at each threshold (AUC).
    Curve(Curve),
}

impl Tally {
    /// The metric's value: the ratio (0 when nothing was counted), or the area.
    pub fn result(&self) -> f64 {
        match self {
            Tally::Ratio(s, n) => {
                if *n > 0.0 {
                    s / n
                } else {
                    0.0
                }
            }
            Tally::Curve(c) => c.roc_auc(),
        }
    }
}

/// The names [`get`] knows.
pub const NAMES: &[&str] = &[
    "accuracy",
    "acc",
    "categorical_accuracy",
    "sparse_categorical_accuracy",
    "binary_accuracy",
    "mae",
    "mse",
    "precision",
    "recall",
    "auc",
];

/// The metric called `name`.
pub fn get(name: &str) -> Result<Metric> {
    Ok(match name {
        "accuracy" | "acc" => Metric::Accuracy,
        "categorical_accuracy" => Metric::CategoricalAccuracy,
        "sparse_categorical_accuracy" => Metric::SparseCategoricalAccuracy,
        "binary_accuracy" => Metric::BinaryAccuracy,
        "mae" | "mean_absolute_error" => Metric::Mae,
        "mse" | "mean_squared_error" => Metric::Mse,
        "precision" => Metric::Precision,
        "recall" => Metric::Recall,
        "auc" => Metric::Auc,
        _ => return Err(Error::unknown_name("metrics::get", "metric", name, NAMES)),
    })
}

fn argmax(row: ndarray::ArrayView1<f32>) -> usize {
    row.iter()
        .enumerate()
        .fold((0, f32::NEG_INFINITY), |(bi, bv), (i, &v)| if v > bv { (i, v) } else { (bi, bv) })
        .0
}

impl Metric {
    /// A metric computed by `f(y_true, y_pred)` from tensor operations (a custom loss' function
    /// works too), its values averaged over the epoch; give it to `compile` in a list of metrics:
    /// `vec![metrics::get("accuracy")?, Metric::custom("name", f)]`. See [`CustomMetric`].
    pub fn custom(
        name: &str,
        f: impl Fn(&crate::tensor::Tensor, &crate::tensor::Tensor) -> Result<crate::tensor::Tensor> + 'static,
    ) -> Metric {
        Metric::Custom(CustomMetric::new(name, f))
    }

    /// `Accuracy` made concrete for targets of shape `y_true` and predictions of shape `y_pred`.
    pub fn resolve(&self, y_true: &[usize], y_pred: &[usize]) -> Metric {
        if *self != Metric::Accuracy {
            return self.clone();
        }
        if y_pred.last() == Some(&1) {
            Metric::BinaryAccuracy
        } else if y_true.len() < y_pred.len() || y_true.last() == Some(&1) {
            Metric::SparseCategoricalAccuracy
        } else {
            Metric::CategoricalAccuracy
        }
    }

    /// Nothing counted yet.
    pub fn tally(&self) -> Tally {
        match self {
            Metric::Auc => Tally::Curve(Curve::new(200)),
            _ => Tally::Ratio(0.0, 0.0),
        }
    }

    /// Adds a batch to `tally` (one from [`tally`](Metric::tally); another kind is started afresh).
    /// An error only from a custom metric's function.
    pub fn update_tally(&self, tally: &mut Tally, y_true: &ArrayD<f32>, y_pred: &ArrayD<f32>) -> Result<()> {
        if matches!(self, Metric::Auc) != matches!(tally, Tally::Curve(_)) {
            *tally = self.tally(); // (not made to compare kinds: AUC's is 200 thresholds' counts)
        }
        match tally {
            Tally::Curve(c) => c.add(y_true, y_pred),
            Tally::Ratio(s, n) => {
                let (ds, dn) = self.update(y_true, y_pred)?;
                *s += ds;
                *n += dn as f64;
            }
        }
        Ok(())
    }

    /// The sum of the metric over the batch and the number of terms it is divided by over an epoch
    /// (not for AUC, whose tally is a curve).
    pub(crate) fn update(&self, y_true: &ArrayD<f32>, y_pred: &ArrayD<f32>) -> Result<(f64, usize)> {
        let m = self.resolve(y_true.shape(), y_pred.shape());
        // A scalar counts as one row of one value (`shape().first()`: a 0-d array has no axis 0).
        let rows = |a: &ArrayD<f32>| {
            let n = a.shape().first().copied().unwrap_or(1);
            a.to_shape((n, a.len() / n.max(1))).expect("n rows of len/n values").to_owned()
        };
        let counts = |threshold: f32| confusion::binary_counts(y_true, y_pred, threshold);
        Ok(match m {
            Metric::CategoricalAccuracy | Metric::SparseCategoricalAccuracy => {
                let (t, p) = (rows(y_true), rows(y_pred));
                let right = p
                    .axis_iter(Axis(0))
                    .zip(t.axis_iter(Axis(0)))
                    .filter(|(p, t)| {
                        let target =
                            if m == Metric::CategoricalAccuracy { argmax(t.view()) } else { t[0] as usize };
                        argmax(p.view()) == target
                    })
                    .count();
                (right as f64, p.nrows())
            }
            Metric::BinaryAccuracy => {
                let right =
                    y_pred.iter().zip(y_true.iter()).filter(|(&p, &t)| (p > 0.5) == (t > 0.5)).count();
                (right as f64, y_pred.len())
            }
            Metric::Mae => {
                (y_pred.iter().zip(y_true.iter()).map(|(p, t)| (p - t).abs() as f64).sum(), y_pred.len())
            }
            Metric::Mse => {
                (y_pred.iter().zip(y_true.iter()).map(|(p, t)| ((p - t) as f64).powi(2)).sum(), y_pred.len())
            }
            Metric::Precision => {
                let c = counts(0.5);
                (c.tp as f64, c.tp + c.fp)
            }
            Metric::Recall => {
                let c = counts(0.5);
                (c.tp as f64, c.tp + c.fn_)
            }
            Metric::Custom(c) => c.update(y_true, y_pred)?,
            Metric::Accuracy => unreachable!("resolved above"),
            Metric::Auc => unreachable!("a curve: update_tally"),
        })
    }

    /// The name shown in logs and used as the `History` key (`"accuracy"`, `"mae"`, ...): the name
    /// the user asked for, as Keras does.
    pub fn name(&self) -> &str {
        match self {
            Metric::Accuracy => "accuracy",
            Metric::CategoricalAccuracy => "categorical_accuracy",
            Metric::SparseCategoricalAccuracy => "sparse_categorical_accuracy",
            Metric::BinaryAccuracy => "binary_accuracy",
            Metric::Mae => "mae",
            Metric::Mse => "mse",
            Metric::Precision => "precision",
            Metric::Recall => "recall",
            Metric::Auc => "auc",
            Metric::Custom(c) => c.name(),
        }
    }
}

/// What `compile` takes as its metrics: names (`&["accuracy", "mae"]`, `&[]`), or a list of
/// [`Metric`]s for one of your own (`vec![metrics::get("accuracy")?, Metric::custom("f", f)]`).
pub trait IntoMetrics {
    /// The metrics, or an unknown-name error.
    fn into_metrics(self) -> Result<Vec<Metric>>;
}

impl<const N: usize> IntoMetrics for &[&str; N] {
    fn into_metrics(self) -> Result<Vec<Metric>> {
        self[..].into_metrics()
    }
}

impl IntoMetrics for &[&str] {
    fn into_metrics(self) -> Result<Vec<Metric>> {
        self.iter().map(|m| get(m)).collect()
    }
}

impl IntoMetrics for &Vec<&str> {
    fn into_metrics(self) -> Result<Vec<Metric>> {
        self[..].into_metrics()
    }
}

impl IntoMetrics for Vec<Metric> {
    fn into_metrics(self) -> Result<Vec<Metric>> {
        Ok(self)
    }
}

impl<const N: usize> IntoMetrics for [Metric; N] {
    fn into_metrics(self) -> Result<Vec<Metric>> {
        Ok(self.into())
    }
}
