//! Metric objects from confusion counts (Keras' `Precision`, `Recall`, `AUC`): every element of the
//! outputs counts, a nonzero target is a positive and a prediction above the threshold a predicted
//! positive; the counts add up over batches, so the result is the ratio over everything seen.

use super::confusion::{binary_counts, BinaryCounts};
use super::{AsArray, Curve};
use crate::{Error, Result};
use ndarray::ArrayD;

/// Targets and predictions of one shape (`[batch]` next to `[batch, 1]` too), or an error naming the metric.
fn checked(name: &str, y_true: &impl AsArray, y_pred: &impl AsArray) -> Result<(ArrayD<f32>, ArrayD<f32>)> {
    let (t, p) = (y_true.to_arrayd(), y_pred.to_arrayd());
    if t.len() != p.len() || t.shape().first() != p.shape().first() {
        return Err(Error::shape(
            format!("{name}.update_state"),
            format!("y_true of y_pred's shape {:?} (0/1 targets, one per output)", p.shape()),
            format!("y_true {:?}", t.shape()),
        ));
    }
    Ok((t, p))
}

fn check_threshold(name: &str, threshold: f32) -> Result<()> {
    if (0.0..=1.0).contains(&threshold) {
        Ok(())
    } else {
        Err(Error::value(format!("{name}.update_state"), "a threshold in [0, 1]", format!("{threshold}")))
    }
}

macro_rules! ratio_metric {
    ($(#[$doc:meta])* $name:ident, $denominator:expr) => {
        $(#[$doc])*
        #[derive(Clone, Debug)]
        pub struct $name {
            threshold: f32,
            counts: BinaryCounts,
        }

        impl Default for $name {
            fn default() -> $name {
                $name { threshold: 0.5, counts: BinaryCounts::default() }
            }
        }

        impl $name {
            /// Nothing counted yet, threshold 0.5.
            pub fn new() -> $name {
                $name::default()
            }

            /// The prediction above which an output counts as positive (Keras' `thresholds`, 0.5).
            pub fn thresholds(mut self, threshold: f32) -> $name {
                self.threshold = threshold;
                self
            }

            /// Counts the batch (`y_true` of 0/1 targets, `y_pred` of the same shape: probabilities).
            pub fn update_state(&mut self, y_true: &impl AsArray, y_pred: &impl AsArray) -> Result<()> {
                check_threshold(stringify!($name), self.threshold)?;
                let (t, p) = checked(stringify!($name), y_true, y_pred)?;
                let c = binary_counts(&t, &p, self.threshold);
                self.counts.tp += c.tp;
                self.counts.fp += c.fp;
                self.counts.fn_ += c.fn_;
                Ok(())
            }

            /// The ratio so far (0 while its denominator is 0, as Keras' `divide_no_nan`).
            pub fn result(&self) -> f64 {
                let denominator: fn(&BinaryCounts) -> usize = $denominator;
                self.counts.tp as f64 / denominator(&self.counts).max(1) as f64
            }

            /// Forgets the counts.
            pub fn reset_state(&mut self) {
                self.counts = BinaryCounts::default();
            }
        }
    };
}

ratio_metric!(
    /// Keras' `Precision`: of the outputs predicted positive, the share that are, `TP / (TP + FP)`.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::metrics::Precision;
    /// let mut m = Precision::new();
    /// m.update_state(&array![[1.0f32], [0.0], [1.0], [0.0]], &array![[0.9f32], [0.8], [0.3], [0.1]])?;
    /// assert_eq!(m.result(), 0.5); // two predicted positive, one of them is
    /// let mut low = Precision::new().thresholds(0.2);
    /// low.update_state(&array![[1.0f32], [0.0], [1.0], [0.0]], &array![[0.9f32], [0.8], [0.3], [0.1]])?;
    /// assert!((low.result() - 2.0 / 3.0).abs() < 1e-12);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    Precision,
    |c| c.tp + c.fp
);

ratio_metric!(
    /// Keras' `Recall`: of the positive outputs, the share predicted positive, `TP / (TP + FN)`.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// use nnlab::metrics::Recall;
    /// let mut m = Recall::new();
    /// m.update_state(&array![[1.0f32], [0.0], [1.0], [0.0]], &array![[0.9f32], [0.8], [0.3], [0.1]])?;
    /// assert_eq!(m.result(), 0.5); // two positives, one found
    /// assert!(m.update_state(&array![[1.0f32]], &array![[0.9f32], [0.8]]).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    Recall,
    |c| c.tp + c.fn_
);

/// Keras' `AUC` (the ROC curve, its default): the area under the true-positive rate against the
/// false-positive rate as the threshold goes from 0 to 1, from `num_thresholds` thresholds (200), with
/// Keras' trapezoid sum (see [`Curve`]). 1 when every positive is ranked above every negative, 0.5 for
/// a guess.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::metrics::AUC;
/// let mut m = AUC::new();
/// m.update_state(&array![1.0f32, 1.0, 0.0, 0.0], &array![0.9f32, 0.6, 0.4, 0.1])?;
/// assert!((m.result() - 1.0).abs() < 1e-9); // a perfect ranking
/// m.update_state(&array![0.0f32], &array![0.95f32])?; // a negative above both positives
/// assert!((m.result() - 2.0 / 3.0).abs() < 1e-9);
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct AUC {
    curve: Curve,
}

impl Default for AUC {
    fn default() -> AUC {
        AUC { curve: Curve::new(200) }
    }
}

impl AUC {
    /// Nothing counted yet, 200 thresholds.
    pub fn new() -> AUC {
        AUC::default()
    }

    /// The number of thresholds (Keras' `num_thresholds`, 200; at least 2): more is closer to the exact area.
    pub fn num_thresholds(self, n: usize) -> AUC {
        AUC { curve: Curve::new(n) }
    }

    /// Counts the batch (`y_true` of 0/1 targets, `y_pred` of the same shape: scores in [0, 1]).
    pub fn update_state(&mut self, y_true: &impl AsArray, y_pred: &impl AsArray) -> Result<()> {
        let (t, p) = checked("AUC", y_true, y_pred)?;
        self.curve.add(&t, &p);
        Ok(())
    }

    /// The area so far (0 before any update).
    pub fn result(&self) -> f64 {
        self.curve.roc_auc()
    }

    /// Forgets the counts.
    pub fn reset_state(&mut self) {
        self.curve = Curve::new(self.curve.num_thresholds());
    }
}
