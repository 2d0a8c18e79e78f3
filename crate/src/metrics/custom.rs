//! A metric of one's own: a function of `(y_true, y_pred)` built from tensor operations, as a
//! custom loss is (the same function can serve as both). As Keras' function metrics, its values,
//! one per example or any shape, are averaged over every value of the epoch.

use crate::tensor::Tensor;
use crate::Result;
use ndarray::ArrayD;
use std::fmt;
use std::rc::Rc;

/// A metric computed by a function `f(y_true, y_pred)`, shown under `name`.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::metrics::Metric;
/// // the share of predictions within 0.5 of the target, per example
/// let close = Metric::custom("within_half", |y_true, y_pred| {
///     y_pred.sub(y_true)?.abs().map_x("le_half", |e| (e <= 0.5) as u8 as f32, |_| 0.0).mean_axes(&[-1], false)
/// });
/// let mut model = Sequential::new(layers![Dense::new(1).input_shape(&[2])]);
/// model.compile("sgd", "mse", vec![metrics::get("mae")?, close])?;
/// let x = array![[1.0f32, 2.0], [0.0, 1.0]];
/// let y = model.predict(&x)?; // targets equal to the predictions
/// let values = model.evaluate(&x, &y)?;
/// assert_eq!(model.metric_names(), ["loss", "mae", "within_half"]);
/// assert_eq!(values[1..], [0.0, 1.0]);
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone)]
pub struct CustomMetric {
    name: String,
    f: Rc<MetricFn>,
}

/// A metric function `f(y_true, y_pred)`.
type MetricFn = dyn Fn(&Tensor, &Tensor) -> Result<Tensor>;

impl CustomMetric {
    /// `f` under `name`.
    pub fn new(name: &str, f: impl Fn(&Tensor, &Tensor) -> Result<Tensor> + 'static) -> CustomMetric {
        CustomMetric { name: name.to_string(), f: Rc::new(f) }
    }

    /// The name given (the `History` key and the column of the log).
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The sum of `f`'s values on a batch and how many there are.
    pub(super) fn update(&self, y_true: &ArrayD<f32>, y_pred: &ArrayD<f32>) -> Result<(f64, usize)> {
        let out = (self.f)(&Tensor::new(y_true.clone()), &Tensor::new(y_pred.clone()))?;
        let values = out.value();
        Ok((values.iter().map(|&v| v as f64).sum(), values.len()))
    }
}

impl fmt::Debug for CustomMetric {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CustomMetric({:?})", self.name)
    }
}

impl PartialEq for CustomMetric {
    /// The same function (the same `Rc`), not merely the same name.
    fn eq(&self, other: &CustomMetric) -> bool {
        Rc::ptr_eq(&self.f, &other.f)
    }
}
