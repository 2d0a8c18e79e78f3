//! `ModelCheckpoint`: saves the model after an epoch (Keras' `keras.callbacks.ModelCheckpoint`), every
//! epoch or, with `save_best_only`, only when the monitored figure improved (the same rule as
//! `EarlyStopping`: lower is better for a loss, higher for an accuracy). Each save is
//! [`Sequential::save`]: written to a temporary file and renamed, so a save that fails or is
//! interrupted half-way leaves the previous checkpoint as it was.

use super::callbacks::{higher_is_better, improves, monitored, Callback, Logs};
use super::sequential::Sequential;
use crate::Result;
use std::path::PathBuf;

/// Saves the model during `fit`; `{epoch}` (or `{epoch:02d}`) in the path is the epoch, from 1.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::models::ModelCheckpoint;
/// let dir = std::env::temp_dir().join(format!("nnlab-doc-ckpt-{}", std::process::id()));
/// std::fs::create_dir_all(&dir).unwrap();
/// let mut model = Sequential::new(layers![Dense::new(1).input_shape(&[1])]);
/// model.compile("sgd", "mse", &[])?;
/// let (x, y) = (array![[0.0f32], [1.0], [2.0], [3.0]], array![[0.0f32], [2.0], [4.0], [6.0]]);
/// let best = dir.join("best.safetensors");
/// let fit = Fit::default().epochs(3).verbose(0).validation_split(0.5);
/// model.fit(&x, &y, fit.callback(ModelCheckpoint::new(&best).save_best_only(true)))?;
/// assert!(load_model(&best).is_ok());
/// let every = dir.join("epoch{epoch:02d}.safetensors");
/// model.fit(&x, &y, Fit::default().epochs(2).verbose(0).callback(ModelCheckpoint::new(&every).monitor("loss")))?;
/// assert!(dir.join("epoch01.safetensors").exists() && dir.join("epoch02.safetensors").exists());
/// # std::fs::remove_dir_all(&dir).unwrap();
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct ModelCheckpoint {
    filepath: PathBuf,
    monitor: String,
    mode: String,
    save_best_only: bool,
    verbose: u8,
    best: Option<f64>,
}

impl ModelCheckpoint {
    /// Saves to `filepath` after every epoch (Keras' defaults: monitor `"val_loss"`, not only the best).
    pub fn new(filepath: impl Into<PathBuf>) -> ModelCheckpoint {
        ModelCheckpoint {
            filepath: filepath.into(),
            monitor: "val_loss".into(),
            mode: "auto".into(),
            save_best_only: false,
            verbose: 0,
            best: None,
        }
    }

    /// The figure that decides what "best" is (default `"val_loss"`).
    pub fn monitor(mut self, name: &str) -> ModelCheckpoint {
        self.monitor = name.to_string();
        self
    }

    /// `"auto"` (default: higher is better for accuracies), `"min"` or `"max"`.
    pub fn mode(mut self, mode: &str) -> ModelCheckpoint {
        self.mode = mode.to_string();
        self
    }

    /// Save only when the monitored figure improved on the best so far (default false).
    pub fn save_best_only(mut self, on: bool) -> ModelCheckpoint {
        self.save_best_only = on;
        self
    }

    /// 1: print a line for each save.
    pub fn verbose(mut self, level: u8) -> ModelCheckpoint {
        self.verbose = level;
        self
    }

    /// The path for `epoch` (from 1): `{epoch}` and `{epoch:02d}` replaced.
    fn path_for(&self, epoch: usize) -> PathBuf {
        let p = self.filepath.to_string_lossy();
        let p = p.replace("{epoch:02d}", &format!("{epoch:02}")).replace("{epoch}", &epoch.to_string());
        PathBuf::from(p)
    }
}

impl Callback for ModelCheckpoint {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        let op = "ModelCheckpoint";
        if epoch == 0 {
            self.best = None;
        }
        let path = self.path_for(epoch + 1);
        if self.save_best_only {
            let higher = higher_is_better(op, &self.mode, &self.monitor)?;
            let current = monitored(op, &self.monitor, logs)?;
            if !improves(current, self.best, higher, 0.0) {
                return Ok(());
            }
            if self.verbose > 0 {
                let before = self.best.map_or("none".to_string(), |b| format!("{b:.5}"));
                println!(
                    "Epoch {}: {} improved from {before} to {current:.5}, saving model to {}",
                    epoch + 1,
                    self.monitor,
                    path.display()
                );
            }
            self.best = Some(current);
        } else if self.verbose > 0 {
            println!("Epoch {}: saving model to {}", epoch + 1, path.display());
        }
        model.save(&path)
    }
}
