//! Optimizers with Keras 3's update rules and defaults: [`SGD`], [`Adagrad`], [`RMSprop`], [`Adam`],
//! [`AdamW`], [`Nadam`]. Each also takes Keras' common settings ([`Base`]): a learning-rate
//! [schedule](schedules), `clipnorm`, `global_clipnorm`, `clipvalue` and `weight_decay`.
//!
//! An optimizer keeps per-weight state (momenta, running averages) in slots in the order of the
//! weights it is given, and updates each weight `w` in place from its gradient `g` with
//! [`Optimizer::apply_gradients`].
//!
//! ```
//! use nnlab::optimizers::{self, Optimizer, SGD};
//! use nnlab::tensor::Tensor;
//! use nnlab::ndarray::array;
//! let w = Tensor::param(array![1.0f32].into_dyn());
//! let mut opt: Optimizer = SGD::new().learning_rate(0.1).into();
//! opt.apply_gradients(&[array![2.0f32].into_dyn()], &[w.clone()]).unwrap();
//! assert!((w.value()[[0]] - 0.8).abs() < 1e-7); // w − lr·g
//! assert!(optimizers::get("adma").unwrap_err().to_string().contains("adam"));
//! ```

mod adagrad;
mod adam;
mod base;
mod nadam;
mod rmsprop;
pub mod schedules;
mod sgd;
mod variables;

pub use adagrad::Adagrad;
pub use adam::{Adam, AdamW};
pub use base::Base;
pub use nadam::Nadam;
pub use rmsprop::RMSprop;
pub use sgd::SGD;
pub use variables::Variables;

use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;

/// One of the optimizers, with its state.
#[derive(Clone, Debug)]
pub enum Optimizer {
    /// Stochastic gradient descent (optionally with momentum, Nesterov).
    #[allow(clippy::upper_case_acronyms)] // Keras' name
    SGD(SGD),
    /// Adagrad.
    Adagrad(Adagrad),
    /// RMSprop.
    RMSprop(RMSprop),
    /// Adam (and AdamW: Adam with weight decay).
    Adam(Adam),
    /// Nadam.
    Nadam(Nadam),
}

/// The names [`get`] knows.
pub const NAMES: &[&str] = &["sgd", "adagrad", "rmsprop", "adam", "adamw", "nadam"];

/// Runs `$body` with `$o` bound to the optimizer inside each variant.
macro_rules! each {
    ($self:expr, $o:ident => $body:expr) => {
        match $self {
            Optimizer::SGD($o) => $body,
            Optimizer::Adagrad($o) => $body,
            Optimizer::RMSprop($o) => $body,
            Optimizer::Adam($o) => $body,
            Optimizer::Nadam($o) => $body,
        }
    };
}

/// The optimizer called `name`, with Keras' default settings.
pub fn get(name: &str) -> Result<Optimizer> {
    Ok(match name.to_lowercase().as_str() {
        "sgd" => SGD::new().into(),
        "adagrad" => Adagrad::new().into(),
        "rmsprop" => RMSprop::new().into(),
        "adam" => Adam::new().into(),
        "adamw" => AdamW::new().into(),
        "nadam" => Nadam::new().into(),
        _ => return Err(Error::unknown_name("optimizers::get", "optimizer", name, NAMES)),
    })
}

impl Optimizer {
    /// Keras' name (`"adam"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Optimizer::SGD(_) => "sgd",
            Optimizer::Adagrad(_) => "adagrad",
            Optimizer::RMSprop(_) => "rmsprop",
            Optimizer::Adam(o) if o.class == "AdamW" => "adamw",
            Optimizer::Adam(_) => "adam",
            Optimizer::Nadam(_) => "nadam",
        }
    }

    /// Keras' class name (`"Adam"`, `"AdamW"`, ...), as messages name the optimizer.
    fn class(&self) -> &'static str {
        match self {
            Optimizer::SGD(_) => "SGD",
            Optimizer::Adagrad(_) => "Adagrad",
            Optimizer::RMSprop(_) => "RMSprop",
            Optimizer::Adam(o) => o.class,
            Optimizer::Nadam(_) => "Nadam",
        }
    }

    /// The schedule, clipping and weight decay settings.
    pub fn base(&self) -> &Base {
        each!(self, o => &o.base)
    }

    /// How many update steps were taken (Keras' `iterations`).
    pub fn iterations(&self) -> u64 {
        each!(self, o => o.iterations)
    }

    /// One update step: `weights[i]` moves along `-grads[i]` by the optimizer's rule.
    ///
    /// The lists must have the same length and matching shapes; the same weights must be passed in
    /// the same order on every call (the state slots follow that order). The gradients may be arrays
    /// or, as [`GradientTape::gradient`](crate::tape::GradientTape::gradient) returns them, options:
    /// a weight whose gradient is `None` is left unchanged (its momenta still decay one step).
    ///
    /// Errors, before any weight changes: a setting out of range ([`check`](Optimizer::check)), a
    /// list of another length or shape, a non-finite gradient (named by its position), every gradient
    /// `None` (Keras' "No gradients provided for any variable": the loss does not depend on these
    /// weights), and weights other than those of the first call ([`Variables`]).
    pub fn apply_gradients<G: Gradient>(&mut self, grads: &[G], weights: &[Tensor]) -> Result<()> {
        let op = "Optimizer::apply_gradients";
        self.check()?;
        if grads.len() != weights.len() {
            return Err(Error::shape(
                op,
                format!("{} gradients (one per weight)", weights.len()),
                format!("{}", grads.len()),
            ));
        }
        for (i, (g, w)) in grads.iter().zip(weights).enumerate() {
            if let Some(g) = g.gradient() {
                if g.shape() != w.value().shape() {
                    return Err(Error::shape(
                        op,
                        format!("gradient {i} of shape {:?}", w.shape()),
                        format!("{:?}", g.shape()),
                    ));
                }
            }
        }
        if !weights.is_empty() && grads.iter().all(|g| g.gradient().is_none()) {
            let shapes: Vec<String> = weights.iter().take(4).map(|w| format!("{:?}", w.shape())).collect();
            return Err(Error::value(
                op,
                "a gradient for at least one weight",
                format!(
                    "None for all {} weights (shapes {}{}): the loss does not depend on these weights \
                     (were the gradients taken with respect to another model's weights?)",
                    weights.len(),
                    shapes.join(", "),
                    if weights.len() > 4 { ", ..." } else { "" }
                ),
            ));
        }
        for (i, g) in grads.iter().enumerate() {
            if let Some(bad) = g.gradient().and_then(crate::data::first_not_finite) {
                return Err(Error::not_finite(
                    op,
                    format!("gradient {i} (for the weight of shape {:?}) holds {bad}", weights[i].shape()),
                ));
            }
        }
        self.variables().bind(op, weights)?;
        if let Some(arrays) = G::all_arrays(grads) {
            self.step(arrays, weights)?;
            return Ok(());
        }
        let filled: Vec<ArrayD<f32>> = grads
            .iter()
            .zip(weights)
            .map(|(g, w)| g.gradient().cloned().unwrap_or_else(|| ArrayD::zeros(w.value().raw_dim())))
            .collect();
        let kept: Vec<(usize, ArrayD<f32>)> = grads
            .iter()
            .enumerate()
            .filter(|(_, g)| g.gradient().is_none())
            .map(|(i, _)| (i, weights[i].to_array()))
            .collect();
        self.step(&filled, weights)?;
        for (i, v) in kept {
            weights[i].assign(v)?;
        }
        Ok(())
    }

    /// The learning rate of the next update (with a schedule: its value at [`iterations`](Self::iterations)).
    ///
    /// ```
    /// use nnlab::optimizers::{schedules::PiecewiseConstantDecay, Optimizer, SGD};
    /// use nnlab::{ndarray::array, tensor::Tensor};
    /// let mut sgd: Optimizer = SGD::new().learning_rate(PiecewiseConstantDecay::new(&[0], &[0.5, 0.1])).into();
    /// let w = Tensor::param(array![1.0f32].into_dyn());
    /// assert_eq!(sgd.learning_rate(), 0.5);
    /// sgd.apply_gradients(&[array![1.0f32].into_dyn()], &[w.clone()])?;
    /// assert_eq!((sgd.learning_rate(), w.value()[[0]]), (0.1, 0.5));
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn learning_rate(&self) -> f32 {
        match &self.base().schedule {
            Some(s) => s.call(self.iterations()),
            None => each!(self, o => o.learning_rate),
        }
    }

    /// Changes the learning rate (what a schedule does between epochs); an error unless it is finite
    /// and above 0, and the optimizer keeps its rate then.
    ///
    /// ```
    /// use nnlab::optimizers::{Optimizer, Adam};
    /// let mut opt: Optimizer = Adam::new().into();
    /// opt.set_learning_rate(0.0005)?;
    /// assert_eq!(opt.learning_rate(), 0.0005);
    /// assert!(opt.set_learning_rate(f32::NAN).is_err());
    /// assert_eq!(opt.learning_rate(), 0.0005);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    ///
    /// An optimizer whose rate follows a schedule refuses (as Keras does): the schedule decides the rate.
    pub fn set_learning_rate(&mut self, lr: f32) -> Result<()> {
        if let Some(s) = &self.base().schedule {
            return Err(Error::state(
                format!("{}.set_learning_rate", self.class()),
                format!(
                    "this optimizer's learning rate follows {}, so it cannot be set (to {lr}); give the \
                     optimizer a number as learning_rate to set it from a callback",
                    s.describe()
                ),
            ));
        }
        let before = self.learning_rate();
        *each!(self, o => &mut o.learning_rate) = lr;
        if let Err(e) = self.check() {
            self.set_learning_rate(before).expect("the rate it had");
            return Err(e);
        }
        Ok(())
    }

    /// An error unless every setting is one the update rule can take: a finite learning rate above 0
    /// (or a schedule whose settings are valid), momenta and decay rates in `[0, 1]` (`[0, 1)` for Adam's
    /// β), a finite ε ≥ 0, and the [`Base`] settings (at most one clipping, each bound above 0, a weight
    /// decay ≥ 0). `compile` and `apply_gradients` call it.
    ///
    /// ```
    /// use nnlab::optimizers::{Optimizer, Adam, SGD};
    /// let bad: Optimizer = SGD::new().learning_rate(-0.1).into();
    /// assert_eq!(
    ///     bad.check().unwrap_err().to_string(),
    ///     "SGD: expected a learning_rate that is finite and above 0 (e.g. 0.01), got -0.1"
    /// );
    /// assert!(Optimizer::from(Adam::new().beta_1(1.0)).check().is_err());
    /// assert!(Optimizer::from(Adam::new()).check().is_ok());
    /// ```
    pub fn check(&self) -> Result<()> {
        type Ranges = Vec<(&'static str, f32)>;
        let (class, lr, unit, beta, eps): (&str, f32, Ranges, Ranges, f32) = match self {
            Optimizer::SGD(o) => ("SGD", o.learning_rate, vec![("momentum", o.momentum)], vec![], 0.0),
            Optimizer::Adagrad(o) => ("Adagrad", o.learning_rate, vec![], vec![], o.epsilon),
            Optimizer::RMSprop(o) => {
                let unit = vec![("rho", o.rho), ("momentum", o.momentum)];
                ("RMSprop", o.learning_rate, unit, vec![], o.epsilon)
            }
            Optimizer::Adam(o) => {
                let beta = vec![("beta_1", o.beta_1), ("beta_2", o.beta_2)];
                (o.class, o.learning_rate, vec![], beta, o.epsilon)
            }
            Optimizer::Nadam(o) => {
                let beta = vec![("beta_1", o.beta_1), ("beta_2", o.beta_2)];
                ("Nadam", o.learning_rate, vec![], beta, o.epsilon)
            }
        };
        self.base().check(class)?;
        if self.base().schedule.is_none() && !(lr.is_finite() && lr > 0.0) {
            return Err(Error::value(
                class,
                "a learning_rate that is finite and above 0 (e.g. 0.01)",
                lr.to_string(),
            ));
        }
        for (name, v) in unit {
            if !(0.0..=1.0).contains(&v) {
                return Err(Error::value(class, format!("a {name} in [0, 1]"), v.to_string()));
            }
        }
        for (name, v) in beta {
            if !(0.0..1.0).contains(&v) {
                return Err(Error::value(class, format!("a {name} in [0, 1) (e.g. 0.9)"), v.to_string()));
            }
        }
        if !(eps.is_finite() && eps >= 0.0) {
            return Err(Error::value(class, "an epsilon that is finite and at least 0", eps.to_string()));
        }
        Ok(())
    }

    /// Whether the optimizer may update `weights`: the weights of its first step, or any before it.
    pub(crate) fn admits(&self, weights: &[Tensor]) -> bool {
        each!(self, o => o.variables.admits(weights))
    }

    fn variables(&mut self) -> &mut Variables {
        each!(self, o => &mut o.variables)
    }

    /// One update, as [`Base`] describes it: the rate (a schedule's, checked), clipping, weight decay, then
    /// the optimizer's own rule.
    fn step(&mut self, grads: &[ArrayD<f32>], weights: &[Tensor]) -> Result<()> {
        let step = self.iterations();
        let class = self.class();
        let base = self.base().clone();
        let lr = match &base.schedule {
            Some(s) => s.rate_at(class, step)?,
            None => self.learning_rate(),
        };
        *each!(self, o => &mut o.learning_rate) = lr;
        let clipped = base.clip(grads);
        let grads = clipped.as_deref().unwrap_or(grads);
        base.decay(weights, lr);
        each!(self, o => o.step(grads, weights));
        Ok(())
    }
}

/// A gradient as `apply_gradients` takes it: an array, or an option of one (`None`: no gradient).
pub trait Gradient {
    /// The array, if any.
    fn gradient(&self) -> Option<&ArrayD<f32>>;
    /// The list as plain arrays when it is one (no copy needed).
    fn all_arrays(list: &[Self]) -> Option<&[ArrayD<f32>]>
    where
        Self: Sized;
}

impl Gradient for ArrayD<f32> {
    fn gradient(&self) -> Option<&ArrayD<f32>> {
        Some(self)
    }
    fn all_arrays(list: &[Self]) -> Option<&[ArrayD<f32>]> {
        Some(list)
    }
}

impl Gradient for Option<ArrayD<f32>> {
    fn gradient(&self) -> Option<&ArrayD<f32>> {
        self.as_ref()
    }
    fn all_arrays(_: &[Self]) -> Option<&[ArrayD<f32>]> {
        None
    }
}

/// State slots: one zero (or `init`) array per weight, made on the first step.
pub(crate) fn slots(slots: &mut Vec<ArrayD<f32>>, weights: &[Tensor], init: f32) {
    if slots.len() != weights.len() {
        *slots = weights.iter().map(|w| ArrayD::from_elem(w.value().raw_dim(), init)).collect();
    }
}

/// The elements of `a` as one row-major slice, for update loops the compiler can vectorise. An array in
/// another layout (e.g. a transposed one given to `set_weights`) is first rewritten row-major in place.
pub(crate) fn flat_mut(a: &mut ArrayD<f32>) -> &mut [f32] {
    if !a.is_standard_layout() {
        *a = a.as_standard_layout().into_owned();
    }
    a.as_slice_mut().expect("a row-major array")
}

/// Anything `compile` accepts as an optimizer: a name (`"adam"`) or an optimizer object.
pub trait IntoOptimizer {
    /// The optimizer, or an unknown-name error.
    fn into_optimizer(self) -> Result<Optimizer>;
}

impl IntoOptimizer for &str {
    fn into_optimizer(self) -> Result<Optimizer> {
        get(self)
    }
}

impl<T: Into<Optimizer>> IntoOptimizer for T {
    fn into_optimizer(self) -> Result<Optimizer> {
        Ok(self.into())
    }
}

macro_rules! into_optimizer {
    ($($t:ident),*) => {$(
        impl From<$t> for Optimizer {
            fn from(o: $t) -> Optimizer {
                Optimizer::$t(o)
            }
        }
    )*};
}
into_optimizer!(SGD, Adagrad, RMSprop, Adam, Nadam);
