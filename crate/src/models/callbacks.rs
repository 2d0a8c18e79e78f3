//! Callbacks: code that `fit` runs after every epoch (Keras' `keras.callbacks`), given with
//! [`Fit::callback`](super::Fit::callback): [`EarlyStopping`], and the [`Callback`] trait for your own.
//!
//! ```
//! use nnlab::prelude::*;
//! use nnlab::models::{Callback, Logs};
//!
//! /// Prints the loss every other epoch, and stops when it is small enough.
//! struct Watch;
//! impl Callback for Watch {
//!     fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
//!         if epoch % 2 == 0 {
//!             println!("epoch {epoch}: loss {:.4}", logs["loss"]);
//!         }
//!         if logs["loss"] < 1e-3 {
//!             model.stop_training();
//!         }
//!         Ok(())
//!     }
//! }
//!
//! let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
//! model.compile("sgd", "mse", &[])?;
//! let (x, y) = (array![[0.0f32], [1.0]], array![[0.0f32], [2.0]]);
//! let history = model.fit(&x, &y, Fit::default().epochs(4).verbose(0).callback(Watch))?;
//! assert_eq!(history["loss"].len(), 4);
//! # Ok::<(), nnlab::Error>(())
//! ```

use super::sequential::Sequential;
use crate::{Error, Result};
use ndarray::ArrayD;
use std::cell::RefCell;
use std::collections::BTreeMap;
use std::fmt;
use std::rc::Rc;

/// An epoch's figures by name, as `fit` prints them: `"loss"`, each metric (`"accuracy"`), and with
/// validation data `"val_loss"`, `"val_accuracy"`, ...
pub type Logs = BTreeMap<String, f64>;

/// Code that `fit` runs after every epoch, like a Keras callback's `on_epoch_end`.
///
/// `epoch` counts from 0, as in Keras (the progress line says `Epoch 1/…` for epoch 0). The model is
/// the one being trained (inside a functional [`Model`](super::Model), its layers as one
/// `Sequential`): read or set its weights, or call [`stop_training`](Sequential::stop_training) to
/// end `fit` after this epoch. An error ends `fit` with that error (the model keeps its weights).
pub trait Callback {
    /// Before each epoch (Keras' `on_epoch_begin`), e.g. to set the learning rate.
    fn on_epoch_begin(&mut self, _epoch: usize, _model: &mut Sequential) -> Result<()> {
        Ok(())
    }
    /// After each epoch, with the epoch's [`Logs`].
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()>;
    /// Once, after the last epoch (also when a callback stopped training early).
    fn on_train_end(&mut self, _model: &mut Sequential) -> Result<()> {
        Ok(())
    }
}

/// A callback you keep a handle on, to read it after `fit` (say, where `EarlyStopping` stopped):
/// pass `Rc::clone(&handle)`.
impl<C: Callback> Callback for Rc<RefCell<C>> {
    fn on_epoch_begin(&mut self, epoch: usize, model: &mut Sequential) -> Result<()> {
        self.borrow_mut().on_epoch_begin(epoch, model)
    }
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        self.borrow_mut().on_epoch_end(epoch, logs, model)
    }
    fn on_train_end(&mut self, model: &mut Sequential) -> Result<()> {
        self.borrow_mut().on_train_end(model)
    }
}

/// The callbacks of one `fit` (shared when the [`Fit`](super::Fit) options are cloned).
#[derive(Clone, Default)]
pub(crate) struct Callbacks(pub(crate) Vec<Rc<RefCell<dyn Callback>>>);

impl fmt::Debug for Callbacks {
    fn fmt(&self, f: &mut fmt::Formatter) -> fmt::Result {
        write!(f, "[{} callbacks]", self.0.len())
    }
}

impl Callbacks {
    /// Runs every callback after epoch `epoch` (from 0) with the epoch's values (the last of each
    /// history entry); true when one of them asked to stop (here or in this epoch's `on_epoch_begin`).
    pub(crate) fn epoch_end(&self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<bool> {
        for c in &self.0 {
            c.borrow_mut().on_epoch_end(epoch, logs, model)?;
        }
        Ok(std::mem::take(&mut model.stop_requested))
    }

    pub(crate) fn epoch_begin(&self, epoch: usize, model: &mut Sequential) -> Result<()> {
        if epoch == 0 {
            model.stop_requested = false; // (a stop_training() called outside fit counts for nothing)
        }
        for c in &self.0 {
            c.borrow_mut().on_epoch_begin(epoch, model)?;
        }
        Ok(())
    }

    pub(crate) fn train_end(&self, model: &mut Sequential) -> Result<()> {
        for c in &self.0 {
            c.borrow_mut().on_train_end(model)?;
        }
        Ok(())
    }
}

/// Stops training when a monitored figure has stopped improving (Keras' `EarlyStopping`).
///
/// After each epoch it reads `monitor` from the logs (default `"val_loss"`; an error naming the
/// figures there are when it is missing). An epoch improves on the best so far when it is lower by
/// more than `min_delta` (higher, for a figure whose name ends in `accuracy` or `acc`; or say
/// [`mode`](EarlyStopping::mode)). After `patience` epochs without improvement (default 0; as in
/// Keras, 0 and 1 both stop at the first epoch that does not improve) `fit` ends. With
/// [`restore_best_weights`](EarlyStopping::restore_best_weights), the model ends with the trainable
/// weights of its best epoch (a BatchNormalization's moving statistics stay those of the last epoch).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::models::EarlyStopping;
/// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
/// // A learning rate so small that the weights never change: the loss never improves again.
/// model.compile(nnlab::optimizers::SGD::new().learning_rate(1e-30), "mse", &[])?;
/// let (x, y) = (array![[0.0f32], [1.0]], array![[0.0f32], [2.0]]);
/// let stop = EarlyStopping::default().monitor("loss").patience(2);
/// let history = model.fit(&x, &y, Fit::default().epochs(10).verbose(0).callback(stop))?;
/// assert_eq!(history["loss"].len(), 3); // the best epoch, then 2 more without improvement
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct EarlyStopping {
    monitor: String,
    min_delta: f64,
    patience: usize,
    mode: String,
    restore_best_weights: bool,
    verbose: u8,
    best: Option<f64>,
    best_epoch: usize,
    best_weights: Option<Vec<ArrayD<f32>>>,
    wait: usize,
    stopped_epoch: Option<usize>,
}

impl Default for EarlyStopping {
    fn default() -> EarlyStopping {
        EarlyStopping {
            monitor: "val_loss".into(),
            min_delta: 0.0,
            patience: 0,
            mode: "auto".into(),
            restore_best_weights: false,
            verbose: 0,
            best: None,
            best_epoch: 0,
            best_weights: None,
            wait: 0,
            stopped_epoch: None,
        }
    }
}

impl EarlyStopping {
    /// The figure to watch (`"val_loss"`, `"loss"`, `"val_accuracy"`, ...).
    pub fn monitor(mut self, name: &str) -> EarlyStopping {
        self.monitor = name.to_string();
        self
    }
    /// How much better than the best an epoch must be to count as an improvement (0).
    pub fn min_delta(mut self, delta: f64) -> EarlyStopping {
        self.min_delta = delta.abs();
        self
    }
    /// Epochs without improvement before training stops (0).
    pub fn patience(mut self, epochs: usize) -> EarlyStopping {
        self.patience = epochs;
        self
    }
    /// `"min"` (lower is better), `"max"`, or `"auto"` (the default: `"max"` for a name ending in
    /// `accuracy` or `acc`, else `"min"`); another word is an error when `fit` starts using it.
    pub fn mode(mut self, mode: &str) -> EarlyStopping {
        self.mode = mode.to_string();
        self
    }
    /// End with the weights of the best epoch rather than the last (false).
    pub fn restore_best_weights(mut self, on: bool) -> EarlyStopping {
        self.restore_best_weights = on;
        self
    }
    /// 1: print a line when it stops and when it restores weights (0: silent).
    pub fn verbose(mut self, level: u8) -> EarlyStopping {
        self.verbose = level;
        self
    }
    /// The epoch (from 0) after which it stopped training, if it did.
    pub fn stopped_epoch(&self) -> Option<usize> {
        self.stopped_epoch
    }
    /// The best value of the monitored figure, and its epoch (from 0).
    pub fn best(&self) -> Option<(f64, usize)> {
        self.best.map(|b| (b, self.best_epoch))
    }
}

/// Whether a higher `monitor` is better: `mode` `"max"`, `"min"`, or `"auto"` (higher for accuracies).
pub(super) fn higher_is_better(op: &str, mode: &str, monitor: &str) -> Result<bool> {
    match mode {
        "min" => Ok(false),
        "max" => Ok(true),
        "auto" => Ok(monitor.ends_with("accuracy") || monitor.ends_with("acc")),
        other => Err(Error::value(op, r#"a mode of "auto", "min" or "max""#, format!("{other:?}"))),
    }
}

/// Whether `current` beats `best` by more than `min_delta` (any finite value beats no best yet).
pub(super) fn improves(current: f64, best: Option<f64>, higher: bool, min_delta: f64) -> bool {
    match best {
        None => current.is_finite(),
        Some(best) if higher => current - min_delta > best,
        Some(best) => current + min_delta < best,
    }
}

/// The value of `monitor` in the epoch's logs, or an error naming the figures there are.
pub(super) fn monitored(op: &str, monitor: &str, logs: &Logs) -> Result<f64> {
    if let Some(&v) = logs.get(monitor) {
        return Ok(v);
    }
    let known: Vec<&str> = logs.keys().map(String::as_str).collect();
    let hint = if monitor.starts_with("val_") { " (val_ figures need validation data)" } else { "" };
    let mut e = Error::unknown_name(op, "monitor", monitor, &known);
    if let Error::UnknownName { known, .. } = &mut e {
        known.clear(); // (listed below)
    }
    Err(Error::value(
        op,
        format!("a figure that fit records: {known:?}{hint}"),
        e.to_string().trim_start_matches(&format!("{op}: ")).to_string(),
    ))
}

impl Callback for EarlyStopping {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        let higher = higher_is_better("EarlyStopping", &self.mode, &self.monitor)?;
        let current = monitored("EarlyStopping", &self.monitor, logs)?;
        if epoch == 0 {
            (self.best, self.wait, self.stopped_epoch, self.best_weights) = (None, 0, None, None);
        }
        let improved = improves(current, self.best, higher, self.min_delta);
        if improved {
            (self.best, self.best_epoch, self.wait) = (Some(current), epoch, 0);
            if self.restore_best_weights {
                self.best_weights = Some(model.get_weights());
            }
            return Ok(());
        }
        self.wait += 1;
        if self.wait >= self.patience {
            self.stopped_epoch = Some(epoch);
            model.stop_training();
        }
        Ok(())
    }

    fn on_train_end(&mut self, model: &mut Sequential) -> Result<()> {
        if let (Some(epoch), 1..) = (self.stopped_epoch, self.verbose) {
            println!("Epoch {}: early stopping", epoch + 1);
        }
        if let Some(weights) = self.best_weights.take().filter(|_| self.restore_best_weights) {
            if self.verbose > 0 {
                println!("Restoring model weights from the end of the best epoch: {}.", self.best_epoch + 1);
            }
            model.set_weights(weights)?;
        }
        Ok(())
    }
}

/// Sets the learning rate before every epoch from a schedule (Keras' `LearningRateScheduler`): the
/// function gets the epoch (from 0) and the current rate and returns the new one.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::models::LearningRateScheduler;
/// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
/// model.compile("sgd", "mse", &[])?;
/// // Keep the first 2 epochs' rate, then shrink it 10× an epoch.
/// let schedule = LearningRateScheduler::new(|epoch, lr| if epoch < 2 { lr } else { lr * 0.1 });
/// let (x, y) = (array![[0.0f32], [1.0]], array![[0.0f32], [2.0]]);
/// model.fit(&x, &y, Fit::default().epochs(4).verbose(0).callback(schedule))?;
/// assert!((model.learning_rate()? - 0.0001).abs() < 1e-9); // sgd's 0.01, shrunk twice
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct LearningRateScheduler {
    schedule: Box<dyn FnMut(usize, f32) -> f32>,
    verbose: u8,
}

impl LearningRateScheduler {
    /// The schedule `lr = schedule(epoch, lr)`.
    pub fn new(schedule: impl FnMut(usize, f32) -> f32 + 'static) -> LearningRateScheduler {
        LearningRateScheduler { schedule: Box::new(schedule), verbose: 0 }
    }
    /// 1: print the rate set before each epoch.
    pub fn verbose(mut self, level: u8) -> LearningRateScheduler {
        self.verbose = level;
        self
    }
}

impl Callback for LearningRateScheduler {
    fn on_epoch_begin(&mut self, epoch: usize, model: &mut Sequential) -> Result<()> {
        let lr = (self.schedule)(epoch, model.learning_rate()?);
        // A rate out of range is the schedule's fault (the optimizer's check says why); any other error,
        // such as an optimizer whose rate follows a schedule of its own, passes through as it is.
        model.set_learning_rate(lr).map_err(|e| match e {
            Error::Value { .. } => Error::value(
                "LearningRateScheduler",
                format!("a schedule that keeps the rate above 0 ({e})"),
                format!("{lr} for epoch {epoch}"),
            ),
            e => e,
        })?;
        if self.verbose > 0 {
            println!("Epoch {}: LearningRateScheduler setting learning rate to {lr}.", epoch + 1);
        }
        Ok(())
    }
    fn on_epoch_end(&mut self, _epoch: usize, _logs: &Logs, _model: &mut Sequential) -> Result<()> {
        Ok(())
    }
}

/// Lowers the learning rate when a figure has stopped improving (Keras' `ReduceLROnPlateau`): after
/// `patience` epochs (10) without an improvement of more than `min_delta` (0.0001) in `monitor`
/// (`"val_loss"`), the rate is multiplied by `factor` (0.1), not below `min_lr` (0), and then left
/// alone for `cooldown` epochs (0).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::models::ReduceLROnPlateau;
/// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
/// model.compile(nnlab::optimizers::SGD::new().learning_rate(1e-30), "mse", &[])?; // never improves
/// let plateau = ReduceLROnPlateau::default().monitor("loss").patience(1).factor(0.5).min_lr(1e-31);
/// let (x, y) = (array![[0.0f32], [1.0]], array![[0.0f32], [2.0]]);
/// model.fit(&x, &y, Fit::default().epochs(3).verbose(0).callback(plateau))?;
/// assert_eq!(model.learning_rate()?, 2.5e-31); // halved after epochs 2 and 3
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct ReduceLROnPlateau {
    monitor: String,
    factor: f32,
    patience: usize,
    min_delta: f64,
    cooldown: usize,
    min_lr: f32,
    mode: String,
    verbose: u8,
    best: Option<f64>,
    wait: usize,
    cooldown_left: usize,
}

impl Default for ReduceLROnPlateau {
    fn default() -> ReduceLROnPlateau {
        ReduceLROnPlateau {
            monitor: "val_loss".into(),
            factor: 0.1,
            patience: 10,
            min_delta: 1e-4,
            cooldown: 0,
            min_lr: 0.0,
            mode: "auto".into(),
            verbose: 0,
            best: None,
            wait: 0,
            cooldown_left: 0,
        }
    }
}

impl ReduceLROnPlateau {
    /// The figure to watch (`"val_loss"`).
    pub fn monitor(mut self, name: &str) -> ReduceLROnPlateau {
        self.monitor = name.to_string();
        self
    }
    /// What the rate is multiplied by (0.1); must be in (0, 1), checked when `fit` uses it.
    pub fn factor(mut self, factor: f32) -> ReduceLROnPlateau {
        self.factor = factor;
        self
    }
    /// Epochs without improvement before the rate is lowered (10).
    pub fn patience(mut self, epochs: usize) -> ReduceLROnPlateau {
        self.patience = epochs;
        self
    }
    /// The smallest change that counts as an improvement (0.0001).
    pub fn min_delta(mut self, delta: f64) -> ReduceLROnPlateau {
        self.min_delta = delta.abs();
        self
    }
    /// Epochs to wait after lowering the rate before watching again (0).
    pub fn cooldown(mut self, epochs: usize) -> ReduceLROnPlateau {
        self.cooldown = epochs;
        self
    }
    /// The lowest rate it sets (0: no bound but the optimizer's, above 0).
    pub fn min_lr(mut self, lr: f32) -> ReduceLROnPlateau {
        self.min_lr = lr;
        self
    }
    /// `"min"`, `"max"` or `"auto"`, as [`EarlyStopping::mode`].
    pub fn mode(mut self, mode: &str) -> ReduceLROnPlateau {
        self.mode = mode.to_string();
        self
    }
    /// 1: print a line when it lowers the rate.
    pub fn verbose(mut self, level: u8) -> ReduceLROnPlateau {
        self.verbose = level;
        self
    }
}

impl Callback for ReduceLROnPlateau {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        let op = "ReduceLROnPlateau";
        if !(self.factor > 0.0 && self.factor < 1.0) {
            return Err(Error::value(op, "a factor in (0, 1)", self.factor.to_string()));
        }
        let higher = higher_is_better(op, &self.mode, &self.monitor)?;
        let current = monitored(op, &self.monitor, logs)?;
        if epoch == 0 {
            (self.best, self.wait, self.cooldown_left) = (None, 0, 0);
        }
        if self.cooldown_left > 0 {
            self.cooldown_left -= 1;
            self.wait = 0;
        }
        let improved = improves(current, self.best, higher, self.min_delta);
        if improved {
            (self.best, self.wait) = (Some(current), 0);
        } else if self.cooldown_left == 0 {
            self.wait += 1;
            if self.wait >= self.patience {
                let old = model.learning_rate()?;
                let new = (old * self.factor).max(self.min_lr);
                if new < old && new > 0.0 {
                    model.set_learning_rate(new)?;
                    if self.verbose > 0 {
                        println!("Epoch {}: ReduceLROnPlateau reducing learning rate to {new}.", epoch + 1);
                    }
                }
                (self.cooldown_left, self.wait) = (self.cooldown, 0);
            }
        }
        Ok(())
    }
}

/// Writes every epoch's logs as a line of a CSV file (Keras' `CSVLogger`): a header `epoch,loss,...`
/// then one row per epoch (from 0), written out as each epoch ends, so that it survives an interrupted
/// `fit`. `append(true)` adds to an existing file instead of replacing it.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::models::CSVLogger;
/// let path = std::env::temp_dir().join("nnlab-doctest-log.csv");
/// let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
/// model.compile("sgd", "mse", &[])?;
/// let (x, y) = (array![[0.0f32], [1.0]], array![[0.0f32], [2.0]]);
/// model.fit(&x, &y, Fit::default().epochs(2).verbose(0).callback(CSVLogger::new(&path)))?;
/// let text = std::fs::read_to_string(&path).unwrap();
/// assert_eq!(text.lines().next(), Some("epoch,loss"));
/// assert_eq!(text.lines().count(), 3);
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Clone, Debug)]
pub struct CSVLogger {
    path: std::path::PathBuf,
    separator: char,
    append: bool,
    keys: Option<Vec<String>>,
}

impl CSVLogger {
    /// A logger writing to `path`.
    pub fn new(path: impl AsRef<std::path::Path>) -> CSVLogger {
        CSVLogger { path: path.as_ref().to_path_buf(), separator: ',', append: false, keys: None }
    }
    /// The field separator (`,`).
    pub fn separator(mut self, separator: char) -> CSVLogger {
        self.separator = separator;
        self
    }
    /// Add to the file rather than replace it (false).
    pub fn append(mut self, on: bool) -> CSVLogger {
        self.append = on;
        self
    }
}

impl Callback for CSVLogger {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, _model: &mut Sequential) -> Result<()> {
        use std::io::Write;
        let op = format!("CSVLogger({})", self.path.display());
        let sep = self.separator.to_string();
        let mut text = String::new();
        // A new fit starts a new file (or, with `append`, adds to it: a header only if it is empty).
        let start = epoch == 0 || self.keys.is_none();
        if start {
            let keys: Vec<String> = logs.keys().cloned().collect();
            let empty = std::fs::metadata(&self.path).map_or(true, |m| m.len() == 0);
            if !self.append || empty {
                text += &format!("epoch{sep}{}\n", keys.join(&sep));
            }
            self.keys = Some(keys);
        }
        let keys = self.keys.as_ref().expect("set above");
        let values: Vec<String> =
            keys.iter().map(|k| logs.get(k).map_or(String::new(), |v| v.to_string())).collect();
        text += &format!("{epoch}{sep}{}\n", values.join(&sep));
        let replace = start && !self.append;
        let mut file = std::fs::OpenOptions::new()
            .create(true)
            .write(true)
            .append(!replace)
            .truncate(replace)
            .open(&self.path)
            .map_err(|e| Error::io(&op, e))?;
        file.write_all(text.as_bytes()).map_err(|e| Error::io(&op, e))
    }
}
