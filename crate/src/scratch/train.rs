//! The training loop, the lecture's `train`: for each epoch, shuffle the training data with `rnd`,
//! split it into mini-batches, take one gradient step per mini-batch, then count the correct test
//! classifications and log the chosen layer.
//!
//! Shuffling: the lecture shuffles its list of examples in place, epoch after epoch, with
//! `rnd.shuffle(training_data)`. Here a list of references to the examples is shuffled the same way
//! with the same `rnd`: the draws depend only on the length, so each epoch visits the examples in
//! numpy's order (and `training_data` itself is left untouched, like the lecture's deep copy).

use std::time::Instant;

use ndarray::Array2;

use super::check::{check_network, check_rows};
use super::data::split_data;
use super::evaluate::evaluation;
use super::halves::HalfWorkspaces;
use super::options::{TrainLog, TrainOptions};
use super::sgd::{apply_update, check_step, update_mini_batch};
use crate::random::RandomState;
use crate::{Error, Result};

/// Train the network `(weights, biases)` in place by mini-batch gradient descent and return the
/// [`TrainLog`]. `training_data` holds `(input (in, 1), one-hot target (out, 1))` pairs, `test_data`
/// `(input (in, 1), class)` pairs (as [`prepare_data`](super::prepare_data) makes them), `rnd` shuffles
/// (pass `&mut rnd.clone()` to keep yours, as the lecture's `copy.deepcopy(rnd)`).
///
/// Prints the lecture's lines, `mini batches number :  938` at the start of each epoch and
/// `0 --> correct classifications: (6018 / 10000) ` after it (unless `.verbose(false)`).
///
/// Errors: mismatched `weights`/`biases`, inputs that do not fit the first layer, targets or test
/// labels outside the output range, empty training data, a batch size of 0, `eta` not positive and
/// finite, `lambda` negative or not finite, a logged layer that does not exist; and, while training,
/// a NaN or an infinity in the weights or biases after a step (naming the epoch and the mini-batch).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::scratch::{self, TrainOptions};
/// let x = random::RandomState::new(0).rand((20, 28, 28));
/// let y = Array1::from_iter((0..20).map(|i| (i % 10) as u8));
/// let (training_data, test_data) = scratch::prepare_data(&x, &y, &x, &y)?;
/// let rnd = RandomState::new(121);
/// let mut biases = scratch::set_biases(&[28, 10], &mut rnd.clone());
/// let mut weights = scratch::set_weights(&[(784, 28), (28, 10)], &mut rnd.clone());
/// let opts = TrainOptions::default().epochs(2).batch_size(4).eta(3.0).verbose(false);
/// let log = scratch::train(&training_data, &test_data, &mut weights, &mut biases, &mut rnd.clone(), opts)?;
/// assert_eq!(log.evaluation.len(), 2);
/// assert_eq!(log.weights[1].shape(), &[10, 28]); // the lecture's layer 1
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn train(
    training_data: &[(Array2<f64>, Array2<f64>)],
    test_data: &[(Array2<f64>, usize)],
    weights: &mut [Array2<f64>],
    biases: &mut [Array2<f64>],
    rnd: &mut RandomState,
    options: TrainOptions,
) -> Result<TrainLog> {
    let op = "scratch::train";
    let layer = check_train(op, training_data, weights, biases, &options)?;
    let TrainOptions { epochs, batch_size, eta, lambda, cost, per_example, verbose, .. } = options;
    let n = training_data.len();
    let mut log = TrainLog { n_test: test_data.len(), layer, ..TrainLog::default() };
    let mut workspace =
        if per_example { None } else { Some(HalfWorkspaces::new(weights, batch_size.min(n))) };

    let start = Instant::now();
    let mut shuffled: Vec<&(Array2<f64>, Array2<f64>)> = training_data.iter().collect();
    for i in 0..epochs {
        let epoch_start = Instant::now();
        // Shuffle the training data, so to achieve random batches, and split it in batches
        rnd.shuffle(&mut shuffled);
        let mini_batches = split_data(&shuffled, batch_size)?;
        if verbose {
            println!("{}", batches_line(mini_batches.len()));
        }
        for (k, mini_batch) in mini_batches.iter().enumerate() {
            crate::interrupt::check(op, || {
                format!(
                    "at epoch {}/{epochs}, before mini-batch {}/{}: the weights and biases are those of the \
                     last finished mini-batch",
                    i + 1,
                    k + 1,
                    mini_batches.len()
                )
            })?;
            match workspace.as_mut() {
                None => update_mini_batch(mini_batch, biases, weights, eta, lambda, n, cost)?,
                Some(ws) => {
                    let (grad_b, grad_w) = ws.backprop(mini_batch, biases, weights, cost);
                    apply_update(biases, weights, grad_b, grad_w, eta, mini_batch.len(), lambda, n);
                }
            }
            check_finite(i, k, mini_batches.len(), biases, weights)?;
        }
        log.timestamps.push(start.elapsed().as_secs_f64());
        log.epoch_seconds.push(epoch_start.elapsed().as_secs_f64());

        // Get the current net performance
        let eval_start = Instant::now();
        let v = evaluation(test_data, biases, weights)?;
        log.eval_seconds.push(eval_start.elapsed().as_secs_f64());
        if verbose {
            println!("{}", epoch_line(i, v, test_data.len()));
        }
        log.evaluation.push(v);
        log.biases.push(biases[layer].clone());
        log.weights.push(weights[layer].clone());
    }
    Ok(log)
}

/// Everything `train` can check before it starts; returns the layer to log.
fn check_train(
    op: &str,
    training_data: &[(Array2<f64>, Array2<f64>)],
    weights: &[Array2<f64>],
    biases: &[Array2<f64>],
    options: &TrainOptions,
) -> Result<usize> {
    check_network(op, biases, weights)?;
    if training_data.is_empty() {
        return Err(Error::value(op, "at least one training example", "empty training data"));
    }
    if options.batch_size == 0 {
        return Err(Error::value(op, "a mini-batch size of at least 1", "0"));
    }
    check_step(op, options.eta, options.lambda, training_data.len())?;
    let (n_in, n_out) = (weights[0].ncols(), weights[weights.len() - 1].nrows());
    for (k, (x, y)) in training_data.iter().enumerate() {
        check_rows(op, &format!("training_data[{k}].0 an input column"), x, n_in, Some(1))?;
        if y.dim() != (n_out, 1) {
            return Err(Error::value(
                op,
                format!(
                    "training_data[{k}].1 a one-hot target column [{n_out}, 1] (labels 0 to {})",
                    n_out - 1
                ),
                format!("shape {:?}", y.shape()),
            ));
        }
    }
    let layers = weights.len();
    match options.log_layer {
        None => Ok(if layers > 1 { 1 } else { 0 }),
        Some(l) if l < layers => Ok(l),
        Some(l) => Err(Error::value(op, format!("a logged layer from 0 to {}", layers - 1), l.to_string())),
    }
}

/// A NaN or infinity in the network after mini-batch `k` of epoch `i` (both counted from 0, as the
/// progress lines count epochs) stops training.
fn check_finite(
    i: usize,
    k: usize,
    batches: usize,
    biases: &[Array2<f64>],
    weights: &[Array2<f64>],
) -> Result<()> {
    // `fold` over every value (no early exit), which the compiler turns into vector instructions
    let all_finite = |a: &Array2<f64>| a.fold(true, |ok, v| ok & v.is_finite());
    let bad = |arrays: &[Array2<f64>]| arrays.iter().position(|a| !all_finite(a));
    let which = match (bad(weights), bad(biases)) {
        (Some(l), _) => format!("weights[{l}]"),
        (None, Some(l)) => format!("biases[{l}]"),
        (None, None) => return Ok(()),
    };
    Err(Error::not_finite(
        format!("scratch::train (epoch {i}, mini-batch {k} of {batches}, counted from 0)"),
        format!("{which} holds a NaN or an infinity after the update: lower eta, or check the data for NaN"),
    ))
}

/// The lecture's `print("mini batches number : ", len(mini_batches))` (print puts a space between).
fn batches_line(batches: usize) -> String {
    format!("mini batches number :  {batches}")
}

/// The lecture's `"{0} --> correct classifications: ({1} / {2}) ".format(i, v, n_test)`.
fn epoch_line(i: usize, v: usize, n_test: usize) -> String {
    format!("{i} --> correct classifications: ({v} / {n_test}) ")
}

#[cfg(test)]
mod tests {
    #[test]
    fn progress_lines_are_the_lectures() {
        assert_eq!(super::batches_line(938), "mini batches number :  938");
        assert_eq!(super::epoch_line(0, 6018, 10000), "0 --> correct classifications: (6018 / 10000) ");
    }
}
