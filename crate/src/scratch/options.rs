//! What [`train`](super::train()) is told ([`TrainOptions`]) and what it gives back ([`TrainLog`]).

use ndarray::Array2;

use super::cost::Cost;

/// The settings of [`train`](super::train()), with the lecture's values as defaults: 3 epochs,
/// mini-batches of 64, `eta = 0.6`, quadratic cost, no L2, the batched computation, layer 1 logged
/// (the lecture's `level = 1`; the last layer if the network has only one), progress lines printed.
///
/// ```
/// use nnlab::scratch::{Cost, TrainOptions};
/// let opts = TrainOptions::default().epochs(5).batch_size(32).eta(0.5).l2(5.0).cross_entropy(true);
/// assert_eq!((opts.epochs, opts.batch_size, opts.eta, opts.lambda), (5, 32, 0.5, 5.0));
/// assert_eq!(opts.cost, Cost::CrossEntropy);
/// ```
#[derive(Clone, Debug, PartialEq)]
pub struct TrainOptions {
    /// Passes over the training data.
    pub epochs: usize,
    /// Examples per mini-batch (`mini_batch_size`; the last batch of an epoch may be shorter).
    pub batch_size: usize,
    /// The learning rate `η` (positive, finite).
    pub eta: f64,
    /// The L2 strength `λ` (0 = no regularisation): `w ← (1 − ηλ/n) w − (η/m) Σ ∇w`.
    pub lambda: f64,
    /// The cost whose gradient is followed.
    pub cost: Cost,
    /// `true`: backpropagate example by example (the lecture's loop); `false`: each mini-batch as one
    /// matrix (the same mathematics, much faster).
    pub per_example: bool,
    /// The layer whose weights and biases are logged after each epoch (`None`: the lecture's layer 1).
    pub log_layer: Option<usize>,
    /// Print the lecture's progress lines.
    pub verbose: bool,
}

impl Default for TrainOptions {
    fn default() -> Self {
        TrainOptions {
            epochs: 3,
            batch_size: 64,
            eta: 0.6,
            lambda: 0.0,
            cost: Cost::Quadratic,
            per_example: false,
            log_layer: None,
            verbose: true,
        }
    }
}

impl TrainOptions {
    /// Passes over the training data (default 3).
    pub fn epochs(mut self, epochs: usize) -> Self {
        self.epochs = epochs;
        self
    }
    /// Examples per mini-batch (default 64).
    pub fn batch_size(mut self, batch_size: usize) -> Self {
        self.batch_size = batch_size;
        self
    }
    /// The learning rate `η` (default 0.6).
    pub fn eta(mut self, eta: f64) -> Self {
        self.eta = eta;
        self
    }
    /// L2 regularisation of strength `λ` (default 0): weights decay by `1 − ηλ/n` each step.
    pub fn l2(mut self, lambda: f64) -> Self {
        self.lambda = lambda;
        self
    }
    /// `true`: the cross-entropy cost (output error `a − y`); `false`: the quadratic cost (default).
    pub fn cross_entropy(mut self, on: bool) -> Self {
        self.cost = if on { Cost::CrossEntropy } else { Cost::Quadratic };
        self
    }
    /// The cost to follow (default [`Cost::Quadratic`]).
    pub fn cost(mut self, cost: Cost) -> Self {
        self.cost = cost;
        self
    }
    /// `true`: example by example, as the lecture; `false`: batched (default).
    pub fn per_example(mut self, on: bool) -> Self {
        self.per_example = on;
        self
    }
    /// Log the weights and biases of layer `layer` (0 = between the input and the first hidden layer).
    pub fn log_layer(mut self, layer: usize) -> Self {
        self.log_layer = Some(layer);
        self
    }
    /// Print the progress lines (default `true`).
    pub fn verbose(mut self, on: bool) -> Self {
        self.verbose = on;
        self
    }
}

/// What [`train`](super::train()) records, one entry per epoch (the lecture's
/// `train_evaluation, timestamps, biases_log, weights_log`).
#[derive(Clone, Debug, Default, PartialEq)]
pub struct TrainLog {
    /// Correct test classifications after each epoch (`train_evaluation`).
    pub evaluation: Vec<usize>,
    /// The number of test examples.
    pub n_test: usize,
    /// Seconds from the start of training to the end of each epoch's training, before its evaluation
    /// (`timestamps`: so they include the earlier epochs' evaluations, as in the lecture).
    pub timestamps: Vec<f64>,
    /// Seconds of each epoch's training alone.
    pub epoch_seconds: Vec<f64>,
    /// Seconds of each epoch's evaluation alone.
    pub eval_seconds: Vec<f64>,
    /// The logged layer.
    pub layer: usize,
    /// `weights[layer]` after each epoch (`weights_log`), e.g. for `Animation::new(&log.weights)`.
    pub weights: Vec<Array2<f64>>,
    /// `biases[layer]` after each epoch (`biases_log`).
    pub biases: Vec<Array2<f64>>,
}

impl TrainLog {
    /// The test accuracy after each epoch, `evaluation / n_test`.
    ///
    /// ```
    /// let log = nnlab::scratch::TrainLog { evaluation: vec![6018], n_test: 10000, ..Default::default() };
    /// assert_eq!(log.accuracy(), vec![0.6018]);
    /// ```
    pub fn accuracy(&self) -> Vec<f64> {
        self.evaluation.iter().map(|&v| v as f64 / self.n_test.max(1) as f64).collect()
    }
}
