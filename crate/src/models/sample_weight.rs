//! Weighting the examples in `fit` (Keras' `sample_weight` and `class_weight`): each example's
//! loss is multiplied by its weight before the batch's mean, `loss = Σ wᵢ·lossᵢ / batch`. The
//! metrics are not weighted (as Keras' `metrics=`), nor is the validation loss under `class_weight`.

use super::fit::Fit;
use crate::losses::Loss;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{Array1, ArrayViewD, Axis};

/// The weight of each of the `n` examples of `y`, from `opts.sample_weight` or, for `class_weight`,
/// from each example's class (the index of the largest target of a one-hot row, or the rounded
/// label); `None` when neither is set.
pub(super) fn example_weights(op: &str, opts: &Fit, y: &ArrayViewD<f32>) -> Result<Option<Array1<f32>>> {
    let n = y.shape()[0];
    match (&opts.sample_weight, &opts.class_weight) {
        (None, None) => Ok(None),
        (Some(_), Some(_)) => Err(Error::value(
            op,
            "class_weight or sample_weight, not both (as in Keras)",
            "both (multiply the class weights into sample_weight instead)",
        )),
        (Some(w), None) => {
            let w = match w.shape() {
                [m] | [m, 1] if *m == n => w.iter().copied().collect::<Array1<f32>>(),
                s => {
                    return Err(Error::shape(
                        format!("{op} (sample_weight)"),
                        format!("one weight per example, shape [{n}]"),
                        format!("{s:?}"),
                    ))
                }
            };
            check_weights(&format!("{op} (sample_weight)"), w.as_slice().expect("contiguous"), "example")?;
            Ok(Some(w))
        }
        (None, Some(per_class)) => {
            let op = format!("{op} (class_weight)");
            check_weights(&op, per_class, "class")?;
            let classes = class_of_each(&op, y)?;
            let weight = |(row, &c): (usize, &f32)| {
                let k = c.round();
                per_class.get(k as usize).copied().filter(|_| k >= 0.0).ok_or_else(|| {
                    let have = match per_class.len() {
                        0 => "no weights".to_string(),
                        1 => "1 weight, for class 0".to_string(),
                        n => format!("{n} weights, for classes 0 to {}", n - 1),
                    };
                    Error::value(
                        &op,
                        "a weight for each class in y",
                        format!("class {k} in row {row}, and {have}"),
                    )
                })
            };
            Ok(Some(classes.iter().enumerate().map(weight).collect::<Result<Array1<f32>>>()?))
        }
    }
}

/// Each example's class: the position of the largest value of a one-hot row `[n, k]` (k > 1), or
/// the label itself (`[n]` or `[n, 1]`: class indices, or 0/1 for a binary output).
fn class_of_each(op: &str, y: &ArrayViewD<f32>) -> Result<Array1<f32>> {
    match y.shape() {
        [_] | [_, 1] => Ok(y.iter().copied().collect()),
        [_, _] => Ok(y
            .axis_iter(Axis(0))
            .map(|row| {
                row.iter().enumerate().fold((0, f32::MIN), |m, (i, &v)| if v > m.1 { (i, v) } else { m }).0
                    as f32
            })
            .collect()),
        s => {
            Err(Error::shape(op, "targets with one class per example, [n] or [n, classes]", format!("{s:?}")))
        }
    }
}

/// Weights must be finite and not negative (a negative weight would make the model worse at those
/// examples on purpose).
fn check_weights(op: &str, w: &[f32], what: &str) -> Result<()> {
    match w.iter().position(|v| !(v.is_finite() && *v >= 0.0)) {
        Some(i) => Err(Error::value(op, "finite weights of 0 or more", format!("{} for {what} {i}", w[i]))),
        None => Ok(()),
    }
}

/// The batch's loss: weighted by `weights` (of the batch's examples) when there are some.
pub(super) fn batch_loss(
    loss: &Loss,
    y: &Tensor,
    pred: &Tensor,
    weights: Option<Array1<f32>>,
) -> Result<Tensor> {
    match weights {
        None => loss.call(y, pred),
        Some(w) => loss.call_weighted(y, pred, &Tensor::new(w.into_dyn())),
    }
}
