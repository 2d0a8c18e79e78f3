//! Callbacks in `fit`: EarlyStopping as Keras stops and restores, a student's own callback, and the
//! errors a typo gets.

use nnlab::models::{CSVLogger, LearningRateScheduler, ReduceLROnPlateau};
use nnlab::optimizers::SGD;
use nnlab::prelude::*;
use std::cell::RefCell;
use std::rc::Rc;

/// y = 2x on 64 points, and a one-layer model (seeded).
fn line_model(lr: f32) -> (Sequential, Array2<f32>, Array2<f32>) {
    let x = Array2::from_shape_fn((64, 1), |(i, _)| i as f32 / 64.0);
    let y = x.mapv(|v| 2.0 * v);
    let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]).seed(5);
    model.compile(SGD::new().learning_rate(lr), "mse", &[]).unwrap();
    (model, x, y)
}

fn quiet(epochs: usize) -> Fit {
    Fit::default().epochs(epochs).verbose(0).batch_size(16)
}

#[test]
fn early_stopping_waits_patience_epochs_after_the_best() {
    // A learning rate so small that no weight changes: the first epoch is the best, every later one only
    // equal (not an improvement).
    for patience in [0, 1, 2, 3] {
        let (mut model, x, y) = line_model(1e-30);
        let stop = Rc::new(RefCell::new(EarlyStopping::default().monitor("loss").patience(patience)));
        let h = model.fit(&x, &y, quiet(20).callback(Rc::clone(&stop))).unwrap();
        // As in Keras, the epoch that fails to improve counts as waited (so patience 0 and 1 agree).
        let last = patience.max(1);
        assert_eq!(h["loss"].len(), last + 1, "patience {patience}");
        assert_eq!(stop.borrow().stopped_epoch(), Some(last));
        assert_eq!(stop.borrow().best().map(|b| b.1), Some(0));
    }
    // A model that keeps improving runs every epoch.
    let (mut model, x, y) = line_model(0.1);
    let h = model.fit(&x, &y, quiet(6).callback(EarlyStopping::default().monitor("loss"))).unwrap();
    assert_eq!(h["loss"].len(), 6);
}

#[test]
fn restore_best_weights_ends_with_the_best_epoch() {
    // In "max" mode the falling loss never improves on the first epoch: the model must end with the
    // weights it had after epoch 1, which a second model trained for one epoch has too.
    let (mut once, x, y) = line_model(0.1);
    once.fit(&x, &y, quiet(1)).unwrap();
    let (mut model, _, _) = line_model(0.1);
    let stop = EarlyStopping::default().monitor("loss").mode("max").patience(2).restore_best_weights(true);
    let h = model.fit(&x, &y, quiet(10).callback(stop)).unwrap();
    assert_eq!(h["loss"].len(), 3);
    assert_eq!(model.get_weights(), once.get_weights());
    // Without restoring, it ends with the weights of its last epoch.
    let (mut last, _, _) = line_model(0.1);
    let stop = EarlyStopping::default().monitor("loss").mode("max").patience(2);
    last.fit(&x, &y, quiet(10).callback(stop)).unwrap();
    assert_ne!(last.get_weights(), once.get_weights());
}

#[test]
fn a_typo_in_monitor_or_mode_is_an_error_that_names_the_choices() {
    let (mut model, x, y) = line_model(0.1);
    // The default monitor, val_loss, without validation data.
    let e = model.fit(&x, &y, quiet(3).callback(EarlyStopping::default())).unwrap_err().to_string();
    assert!(e.contains("[\"loss\"]") && e.contains("val_ figures need validation data"), "{e}");
    let e = model.fit(&x, &y, quiet(3).callback(EarlyStopping::default().monitor("los"))).unwrap_err();
    assert!(e.to_string().contains(r#"did you mean "loss"?"#), "{e}");
    let stop = EarlyStopping::default().monitor("loss").mode("minimum");
    let e = model.fit(&x, &y, quiet(3).callback(stop)).unwrap_err().to_string();
    assert!(e.contains("mode") && e.contains("\"min\""), "{e}");
}

/// Records what it saw and stops after epoch `stop_after` (from 0).
struct Recorder {
    seen: Rc<RefCell<Vec<(usize, Logs)>>>,
    stop_after: usize,
    ended: Rc<RefCell<bool>>,
}

impl Callback for Recorder {
    fn on_epoch_end(&mut self, epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        self.seen.borrow_mut().push((epoch, logs.clone()));
        if epoch == self.stop_after {
            model.stop_training();
        }
        Ok(())
    }
    fn on_train_end(&mut self, _model: &mut Sequential) -> Result<()> {
        *self.ended.borrow_mut() = true;
        Ok(())
    }
}

#[test]
fn a_callback_of_ones_own_sees_the_logs_and_can_stop() {
    let (mut model, x, y) = line_model(0.1);
    let (seen, ended) = (Rc::new(RefCell::new(vec![])), Rc::new(RefCell::new(false)));
    let cb = Recorder { seen: Rc::clone(&seen), stop_after: 2, ended: Rc::clone(&ended) };
    let h = model.fit(&x, &y, quiet(10).validation_split(0.25).callback(cb)).unwrap();
    assert_eq!(h["loss"].len(), 3);
    let seen = seen.borrow();
    assert_eq!(seen.iter().map(|s| s.0).collect::<Vec<_>>(), [0, 1, 2]);
    assert_eq!(seen[1].1["loss"], h["loss"][1]);
    assert_eq!(seen[2].1["val_loss"], h["val_loss"][2]);
    assert!(*ended.borrow());
}

#[test]
fn callbacks_run_for_a_model_with_two_outputs() {
    let inputs = Input::new(&[2]);
    let h = Dense::new(4).activation("relu").apply(&inputs).unwrap();
    let a = Dense::new(1).name("a").apply(&h).unwrap();
    let b = Dense::new(1).name("b").apply(&h).unwrap();
    let mut model = Model::with_seed(&[inputs], &[a, b], 1).unwrap();
    model.compile(SGD::new().learning_rate(1e-30), ["mse", "mse"], &[]).unwrap();
    let x = Array2::from_shape_fn((32, 2), |(i, j)| (i + j) as f32 / 32.0);
    let (ya, yb) = (x.column(0).to_owned().insert_axis(Axis(1)), x.column(1).to_owned().insert_axis(Axis(1)));
    let stop = EarlyStopping::default().monitor("a_loss").patience(1);
    let hist = model.fit(&x, [&ya, &yb], Fit::default().epochs(10).verbose(0).callback(stop)).unwrap();
    assert_eq!(hist["a_loss"].len(), 2);
}

#[test]
fn learning_rate_callbacks_set_the_rate_of_one_and_of_two_output_models() {
    let (mut model, x, y) = line_model(0.1);
    let seen = Rc::new(RefCell::new(vec![]));
    let record = Rc::clone(&seen);
    let schedule = LearningRateScheduler::new(move |epoch, lr| {
        record.borrow_mut().push(lr);
        if epoch == 0 {
            lr
        } else {
            lr / 2.0
        }
    });
    model.fit(&x, &y, quiet(3).callback(schedule)).unwrap();
    assert_eq!(*seen.borrow(), [0.1, 0.1, 0.05]);
    assert_eq!(model.learning_rate().unwrap(), 0.025);
    let bad = LearningRateScheduler::new(|_, _| -1.0);
    let e = model.fit(&x, &y, quiet(3).callback(bad)).unwrap_err().to_string();
    assert!(e.contains("LearningRateScheduler") && e.contains("-1 for epoch 0"), "{e}");
    assert_eq!(model.learning_rate().unwrap(), 0.025, "a refused rate leaves the rate as it was");

    // A model with two outputs trains with an optimizer of its own: the schedule must reach it.
    let inputs = Input::new(&[2]);
    let h = Dense::new(4).activation("relu").apply(&inputs).unwrap();
    let (a, b) = (Dense::new(1).apply(&h).unwrap(), Dense::new(1).apply(&h).unwrap());
    let mut two = Model::with_seed(&[inputs], &[a, b], 1).unwrap();
    two.compile(SGD::new().learning_rate(0.1), ["mse", "mse"], &[]).unwrap();
    let x2 = Array2::from_shape_fn((32, 2), |(i, j)| (i + j) as f32 / 32.0);
    let y2 = x2.column(0).to_owned().insert_axis(Axis(1));
    let plateau = ReduceLROnPlateau::default().monitor("loss").mode("max").patience(1).factor(0.5);
    two.fit(&x2, [&y2, &y2], Fit::default().epochs(3).verbose(0).callback(plateau)).unwrap();
    assert_eq!(two.learning_rate().unwrap(), 0.025, "halved after epochs 1 and 2");
}

#[test]
fn csv_logger_writes_a_row_per_epoch_and_appends_when_asked() {
    let dir = std::env::temp_dir().join(format!("nnlab-csv-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("log.csv");
    let (mut model, x, y) = line_model(0.1);
    let h = model.fit(&x, &y, quiet(2).validation_split(0.25).callback(CSVLogger::new(&path))).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines[0], "epoch,loss,val_loss");
    assert_eq!(lines[2], format!("1,{},{}", h["loss"][1], h["val_loss"][1]));
    assert_eq!(lines.len(), 3);
    model.fit(&x, &y, quiet(2).validation_split(0.25).callback(CSVLogger::new(&path).append(true))).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 5, "appended, no second header");
    model.fit(&x, &y, quiet(1).validation_split(0.25).callback(CSVLogger::new(&path))).unwrap();
    assert_eq!(std::fs::read_to_string(&path).unwrap().lines().count(), 2, "replaced");
    let e = model.fit(&x, &y, quiet(1).callback(CSVLogger::new(dir.join("no/such/dir.csv")))).unwrap_err();
    assert!(e.to_string().contains("no/such/dir.csv"), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

/// Asks to stop from on_epoch_begin of epoch 1.
struct StopAtBegin;

impl Callback for StopAtBegin {
    fn on_epoch_begin(&mut self, epoch: usize, model: &mut Sequential) -> Result<()> {
        if epoch == 1 {
            model.stop_training();
        }
        Ok(())
    }
    fn on_epoch_end(&mut self, _epoch: usize, _logs: &Logs, _model: &mut Sequential) -> Result<()> {
        Ok(())
    }
}

#[test]
fn stop_training_counts_within_fit_only() {
    let (mut model, x, y) = line_model(0.1);
    model.stop_training(); // outside fit: nothing to stop
    assert_eq!(model.fit(&x, &y, quiet(3)).unwrap()["loss"].len(), 3);
    model.stop_training();
    assert_eq!(model.fit(&x, &y, quiet(3).callback(StopAtBegin)).unwrap()["loss"].len(), 2);
}

/// Records the weights and the validation loss after every epoch.
#[derive(Default)]
struct WeightLog(Vec<(Vec<ArrayD<f32>>, f64)>);
impl Callback for WeightLog {
    fn on_epoch_end(&mut self, _epoch: usize, logs: &Logs, model: &mut Sequential) -> Result<()> {
        self.0.push((model.get_weights(), logs["val_loss"]));
        Ok(())
    }
}

#[test]
fn model_checkpoint_keeps_the_best_epoch_and_survives_a_failed_write() {
    use nnlab::models::ModelCheckpoint;
    let dir = std::env::temp_dir().join(format!("nnlab-ckpt-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let best = dir.join("best.safetensors");
    // A learning rate large enough to overshoot now and then: not every epoch is the best.
    let (mut model, x, y) = line_model(0.9);
    let rec = Rc::new(RefCell::new(WeightLog::default()));
    let ckpt = ModelCheckpoint::new(&best).save_best_only(true);
    let fit = quiet(12).validation_split(0.25).callback(ckpt).callback(Rc::clone(&rec));
    model.fit(&x, &y, fit).unwrap();
    let epochs = &rec.borrow().0;
    let (best_weights, best_loss) =
        epochs.iter().fold((None, f64::INFINITY), |b, (w, l)| if *l < b.1 { (Some(w), *l) } else { b });
    assert!(
        best_loss < epochs.last().unwrap().1,
        "the last epoch must not be the best, or the test shows nothing"
    );
    let saved = load_model(&best).unwrap();
    assert_eq!(&saved.get_weights(), best_weights.unwrap(), "the file holds the best epoch's weights");

    // The next save cannot write its temporary file (a folder stands in its place): fit fails, with
    // the path in the message, and the previous checkpoint is intact.
    std::fs::create_dir_all(dir.join("best.safetensors.tmp")).unwrap();
    let e =
        model.fit(&x, &y, quiet(1).validation_split(0.25).callback(ModelCheckpoint::new(&best))).unwrap_err();
    assert!(e.to_string().contains("best.safetensors"), "{e}");
    assert_eq!(&load_model(&best).unwrap().get_weights(), best_weights.unwrap());

    // A typo in monitor names the figures there are.
    std::fs::remove_dir(dir.join("best.safetensors.tmp")).unwrap();
    let typo = ModelCheckpoint::new(&best).save_best_only(true).monitor("val_los");
    let e = model.fit(&x, &y, quiet(1).validation_split(0.25).callback(typo)).unwrap_err().to_string();
    assert!(e.contains("ModelCheckpoint") && e.contains("\"val_loss\""), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}
