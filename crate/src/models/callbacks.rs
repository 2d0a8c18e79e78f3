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
    /// history entry); true when one of them asked to stop.
    pub(crate) fn epoch_end(&self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<bool> {
        model.stop_requested = false;
        for c in &self.0 {
            c.borrow_mut().on_epoch_end(epoch, logs, model)?;
        }
        Ok(std::mem::take(&mut model.stop_requested))
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
/// Keras, 0 and 1 both stop at the first epoch that does not improve) `fit` ends. With [`restore_best_weights`](EarlyStopping::restore_best_weights), the model ends
/// with the trainable weights of its best epoch.
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

    fn higher_is_better(&self) -> Result<bool> {
        match self.mode.as_str() {
            "min" => Ok(false),
            "max" => Ok(true),
            "auto" => Ok(self.monitor.ends_with("accuracy") || self.monitor.ends_with("acc")),
            other => Err(Error::value(
                "EarlyStopping",
                r#"a mode of "auto", "min" or "max""#,
                format!("{other:?}"),
            )),
        }
    }
}

impl Callback for EarlyStopping {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        let higher = self.higher_is_better()?;
        let Some(&current) = logs.get(&self.monitor) else {
            let known: Vec<&str> = logs.keys().map(String::as_str).collect();
            let hint =
                if self.monitor.starts_with("val_") { " (val_ figures need validation data)" } else { "" };
            let e = Error::unknown_name("EarlyStopping", "monitor", &self.monitor, &known);
            return Err(Error::value(
                "EarlyStopping",
                format!("a figure that fit records: {known:?}{hint}"),
                e.to_string().trim_start_matches("EarlyStopping: ").to_string(),
            ));
        };
        if epoch == 0 {
            (self.best, self.wait, self.stopped_epoch, self.best_weights) = (None, 0, None, None);
        }
        let improved = match self.best {
            None => current.is_finite(),
            Some(best) if higher => current - self.min_delta > best,
            Some(best) => current + self.min_delta < best,
        };
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
