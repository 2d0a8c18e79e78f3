//! Learning-rate schedules (Keras' `keras.optimizers.schedules`): the rate as a function of the step, given
//! to an optimizer in place of a number. The optimizer asks for the rate at its step count `t` (0 for the
//! first update, Keras' `optimizer.iterations`) before every update.
//!
//! - [`ExponentialDecay`]: `lr(t) = lr₀ · rate^(t / decay_steps)` (the exponent floored with `staircase`).
//! - [`CosineDecay`]: `lr(t) = lr₀ · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α)` over `T = decay_steps`,
//!   after an optional linear warm-up.
//! - [`PiecewiseConstantDecay`]: `values[0]` up to and including `boundaries[0]`, then `values[1]`, ...
//! - [`from_fn`]: any closure of the step, as a Keras `LearningRateSchedule` subclass's `__call__`.
//!
//! ```
//! use nnlab::optimizers::{schedules::ExponentialDecay, Optimizer, SGD};
//! let sgd: Optimizer = SGD::new().learning_rate(ExponentialDecay::new(0.1, 100, 0.5)).into();
//! assert_eq!(sgd.learning_rate(), 0.1); // at step 0; 0.05 after 100 updates
//! ```

use crate::{Error, Result};
use std::sync::Arc;

/// A learning rate that depends on the update step (implement it for a schedule of your own, or use
/// [`from_fn`]).
pub trait LearningRateSchedule: Send + Sync {
    /// The rate for update `step` (0 for the first), Keras' `__call__(step)`.
    fn call(&self, step: u64) -> f32;
    /// A short description for messages (`"ExponentialDecay(0.1, 100, 0.5)"`).
    fn describe(&self) -> String {
        "a schedule".to_string()
    }
    /// An error unless the settings can give rates (checked by `compile` and every update).
    fn check(&self) -> Result<()> {
        Ok(())
    }
}

/// A schedule as an optimizer holds it (shared, cheap to clone).
///
/// ```
/// use nnlab::optimizers::schedules::{from_fn, Schedule, CosineDecay};
/// let s: Schedule = CosineDecay::new(1.0, 10).into();
/// assert_eq!(s.call(10), 0.0);
/// assert_eq!(from_fn(|step| 1.0 / (1 + step) as f32).call(3), 0.25);
/// ```
#[derive(Clone)]
pub struct Schedule(Arc<dyn LearningRateSchedule>);

impl Schedule {
    /// Wraps a schedule of your own.
    pub fn new(schedule: impl LearningRateSchedule + 'static) -> Schedule {
        Schedule(Arc::new(schedule))
    }
    /// The rate for update `step`.
    pub fn call(&self, step: u64) -> f32 {
        self.0.call(step)
    }
    /// What the schedule is, for messages.
    pub fn describe(&self) -> String {
        self.0.describe()
    }
    /// The schedule's own check, then the rate at `step`: an error unless it is finite and at least 0.
    pub(crate) fn rate_at(&self, op: &str, step: u64) -> Result<f32> {
        self.0.check()?;
        let lr = self.0.call(step);
        if !(lr.is_finite() && lr >= 0.0) {
            return Err(Error::value(
                op,
                format!(
                    "a learning rate that is finite and at least 0 from {} at step {step}",
                    self.describe()
                ),
                lr.to_string(),
            ));
        }
        Ok(lr)
    }
}

impl std::fmt::Debug for Schedule {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe())
    }
}

/// A schedule from a closure of the step (Keras: a `LearningRateSchedule` subclass).
///
/// ```
/// use nnlab::optimizers::{schedules::from_fn, Adam, Optimizer};
/// let warm_up = from_fn(|step| 0.001 * ((step + 1) as f32 / 100.0).min(1.0));
/// let adam: Optimizer = Adam::new().learning_rate(warm_up).into();
/// assert!((adam.learning_rate() - 1e-5).abs() < 1e-12);
/// ```
pub fn from_fn(f: impl Fn(u64) -> f32 + Send + Sync + 'static) -> Schedule {
    struct Closure<F>(F);
    impl<F: Fn(u64) -> f32 + Send + Sync> LearningRateSchedule for Closure<F> {
        fn call(&self, step: u64) -> f32 {
            (self.0)(step)
        }
        fn describe(&self) -> String {
            "the schedule closure".to_string()
        }
    }
    Schedule::new(Closure(f))
}

/// `lr(t) = initial_learning_rate · decay_rate^(t / decay_steps)`; with `staircase` the exponent is
/// `⌊t / decay_steps⌋`, so the rate drops once every `decay_steps` updates.
///
/// ```
/// use nnlab::optimizers::schedules::{ExponentialDecay, LearningRateSchedule};
/// let s = ExponentialDecay::new(0.1, 10, 0.5);
/// assert!((s.call(5) - 0.1 * 0.5f32.sqrt()).abs() < 1e-7);
/// assert_eq!(s.clone().staircase(true).call(19), 0.05);
/// ```
#[derive(Clone, Debug)]
pub struct ExponentialDecay {
    /// `lr(0)`.
    pub initial_learning_rate: f32,
    /// Updates over which the rate is multiplied by `decay_rate` once (> 0).
    pub decay_steps: u64,
    /// The factor per `decay_steps` updates (> 0; below 1 to decay).
    pub decay_rate: f32,
    /// Whole periods only (false).
    pub staircase: bool,
}

impl ExponentialDecay {
    /// Keras' `ExponentialDecay(initial_learning_rate, decay_steps, decay_rate)`.
    pub fn new(initial_learning_rate: f32, decay_steps: u64, decay_rate: f32) -> ExponentialDecay {
        ExponentialDecay { initial_learning_rate, decay_steps, decay_rate, staircase: false }
    }
    /// Drops the rate in steps (`⌊t / decay_steps⌋`).
    pub fn staircase(mut self, on: bool) -> ExponentialDecay {
        self.staircase = on;
        self
    }
}

impl LearningRateSchedule for ExponentialDecay {
    fn call(&self, step: u64) -> f32 {
        let mut p = step as f64 / self.decay_steps as f64;
        if self.staircase {
            p = p.floor();
        }
        (self.initial_learning_rate as f64 * (self.decay_rate as f64).powf(p)) as f32
    }
    fn describe(&self) -> String {
        format!("ExponentialDecay({}, {}, {})", self.initial_learning_rate, self.decay_steps, self.decay_rate)
    }
    fn check(&self) -> Result<()> {
        let op = "ExponentialDecay";
        check_rate(op, "initial_learning_rate", self.initial_learning_rate)?;
        check_steps(op, self.decay_steps)?;
        if !(self.decay_rate.is_finite() && self.decay_rate > 0.0) {
            return Err(Error::value(
                op,
                "a decay_rate that is finite and above 0 (e.g. 0.96)",
                self.decay_rate.to_string(),
            ));
        }
        Ok(())
    }
}

/// Cosine decay from `initial_learning_rate` to `alpha · initial_learning_rate` over `decay_steps`
/// updates, then constant: `lr(t) = lr₀ · ((1 − α) · ½(1 + cos(π · min(t, T) / T)) + α)`.
///
/// With a `warmup_target`, the rate first climbs linearly from `initial_learning_rate` to
/// `warmup_target` over `warmup_steps` updates, then decays from `warmup_target` as above.
///
/// ```
/// use nnlab::optimizers::schedules::{CosineDecay, LearningRateSchedule};
/// let s = CosineDecay::new(0.1, 100);
/// assert_eq!((s.call(0), s.call(50), s.call(100), s.call(500)), (0.1, 0.05, 0.0, 0.0));
/// let warm = CosineDecay::new(0.0, 100).warmup_target(0.1).warmup_steps(10);
/// assert_eq!((warm.call(5), warm.call(10)), (0.05, 0.1));
/// ```
#[derive(Clone, Debug)]
pub struct CosineDecay {
    /// `lr(0)` (where the warm-up starts, if any).
    pub initial_learning_rate: f32,
    /// Updates the decay takes `T` (> 0).
    pub decay_steps: u64,
    /// The final rate as a fraction of the starting one, in `[0, 1]` (0).
    pub alpha: f32,
    /// The rate the warm-up climbs to (`None`: no warm-up).
    pub warmup_target: Option<f32>,
    /// Updates the warm-up takes (0).
    pub warmup_steps: u64,
}

impl CosineDecay {
    /// Keras' `CosineDecay(initial_learning_rate, decay_steps)`.
    pub fn new(initial_learning_rate: f32, decay_steps: u64) -> CosineDecay {
        CosineDecay { initial_learning_rate, decay_steps, alpha: 0.0, warmup_target: None, warmup_steps: 0 }
    }
    /// Sets α, the floor as a fraction of the starting rate.
    pub fn alpha(mut self, alpha: f32) -> CosineDecay {
        self.alpha = alpha;
        self
    }
    /// Warms up to `target` first (over [`warmup_steps`](CosineDecay::warmup_steps)).
    pub fn warmup_target(mut self, target: f32) -> CosineDecay {
        self.warmup_target = Some(target);
        self
    }
    /// Sets the length of the warm-up.
    pub fn warmup_steps(mut self, steps: u64) -> CosineDecay {
        self.warmup_steps = steps;
        self
    }
}

impl LearningRateSchedule for CosineDecay {
    fn call(&self, step: u64) -> f32 {
        let (t, big_t, alpha) = (step as f64, self.decay_steps as f64, self.alpha as f64);
        let decay = |t: f64, from: f64| {
            let cosine = 0.5 * (1.0 + (std::f64::consts::PI * t / big_t).cos());
            from * ((1.0 - alpha) * cosine + alpha)
        };
        let lr0 = self.initial_learning_rate as f64;
        let rate = match self.warmup_target {
            None => decay(t.min(big_t), lr0),
            Some(target) => {
                let warm = self.warmup_steps as f64;
                let t = t.min(big_t + warm);
                if t < warm {
                    (target as f64 - lr0) * (t / warm) + lr0
                } else {
                    decay(t - warm, target as f64)
                }
            }
        };
        rate as f32
    }
    fn describe(&self) -> String {
        format!("CosineDecay({}, {})", self.initial_learning_rate, self.decay_steps)
    }
    fn check(&self) -> Result<()> {
        let op = "CosineDecay";
        let start = self.initial_learning_rate;
        if !(start.is_finite() && start >= 0.0) {
            return Err(Error::value(
                op,
                "an initial_learning_rate that is finite and at least 0",
                start.to_string(),
            ));
        }
        check_steps(op, self.decay_steps)?;
        if !(0.0..=1.0).contains(&self.alpha) {
            return Err(Error::value(op, "an alpha in [0, 1]", self.alpha.to_string()));
        }
        if let Some(target) = self.warmup_target {
            check_rate(op, "warmup_target", target)?;
        }
        Ok(())
    }
}

/// A constant rate per range of steps: `values[0]` for `t ≤ boundaries[0]`, `values[i]` for
/// `boundaries[i−1] < t ≤ boundaries[i]`, the last value after the last boundary.
///
/// ```
/// use nnlab::optimizers::schedules::{PiecewiseConstantDecay, LearningRateSchedule};
/// let s = PiecewiseConstantDecay::new(&[100, 200], &[0.1, 0.01, 0.001]);
/// assert_eq!((s.call(100), s.call(101), s.call(201)), (0.1, 0.01, 0.001));
/// ```
#[derive(Clone, Debug)]
pub struct PiecewiseConstantDecay {
    /// Increasing steps where the rate changes.
    pub boundaries: Vec<u64>,
    /// One rate more than there are boundaries.
    pub values: Vec<f32>,
}

impl PiecewiseConstantDecay {
    /// Keras' `PiecewiseConstantDecay(boundaries, values)`.
    pub fn new(boundaries: &[u64], values: &[f32]) -> PiecewiseConstantDecay {
        PiecewiseConstantDecay { boundaries: boundaries.to_vec(), values: values.to_vec() }
    }
}

impl LearningRateSchedule for PiecewiseConstantDecay {
    fn call(&self, step: u64) -> f32 {
        let range = self.boundaries.iter().take_while(|&&b| step > b).count();
        self.values.get(range).or(self.values.last()).copied().unwrap_or(f32::NAN)
    }
    fn describe(&self) -> String {
        format!("PiecewiseConstantDecay({:?}, {:?})", self.boundaries, self.values)
    }
    fn check(&self) -> Result<()> {
        let op = "PiecewiseConstantDecay";
        if self.values.len() != self.boundaries.len() + 1 {
            return Err(Error::value(
                op,
                format!(
                    "one value more than boundaries ({} boundaries, so {} values)",
                    self.boundaries.len(),
                    self.boundaries.len() + 1
                ),
                format!("{} values", self.values.len()),
            ));
        }
        if self.boundaries.windows(2).any(|w| w[0] >= w[1]) {
            return Err(Error::value(op, "increasing boundaries", format!("{:?}", self.boundaries)));
        }
        for &v in &self.values {
            if !(v.is_finite() && v >= 0.0) {
                return Err(Error::value(
                    op,
                    "values that are finite and at least 0",
                    format!("{:?}", self.values),
                ));
            }
        }
        Ok(())
    }
}

fn check_rate(op: &str, name: &str, lr: f32) -> Result<()> {
    if !(lr.is_finite() && lr > 0.0) {
        return Err(Error::value(
            op,
            format!("an {name} that is finite and above 0 (e.g. 0.01)"),
            lr.to_string(),
        ));
    }
    Ok(())
}

fn check_steps(op: &str, steps: u64) -> Result<()> {
    if steps == 0 {
        return Err(Error::value(op, "decay_steps above 0", "0"));
    }
    Ok(())
}

macro_rules! into_schedule {
    ($($t:ident),*) => {$(
        impl From<$t> for Schedule {
            fn from(s: $t) -> Schedule {
                Schedule::new(s)
            }
        }
        impl From<$t> for LearningRate {
            fn from(s: $t) -> LearningRate {
                LearningRate::Schedule(Schedule::new(s))
            }
        }
    )*};
}
into_schedule!(ExponentialDecay, CosineDecay, PiecewiseConstantDecay);

/// What an optimizer's `learning_rate(..)` takes: a number, or a schedule.
#[derive(Clone, Debug)]
pub enum LearningRate {
    /// The same rate at every step (until a callback or `set_learning_rate` changes it).
    Constant(f32),
    /// A rate that follows the step.
    Schedule(Schedule),
}

impl From<f32> for LearningRate {
    fn from(lr: f32) -> LearningRate {
        LearningRate::Constant(lr)
    }
}

impl From<f64> for LearningRate {
    fn from(lr: f64) -> LearningRate {
        LearningRate::Constant(lr as f32)
    }
}

impl From<Schedule> for LearningRate {
    fn from(s: Schedule) -> LearningRate {
        LearningRate::Schedule(s)
    }
}
