//! The lecture's from-scratch network: a dense sigmoid network trained by hand-written
//! backpropagation, under the lecture's names, with the same numbers as its numpy code.
//!
//! | lecture (Python) | here | file |
//! |---|---|---|
//! | `set_biases`, `prepare_weightMatrix_dim`, `set_weights` | [`set_biases`], [`prepare_weight_matrix_dim`], [`set_weights`] | `init.rs` |
//! | `prepare_data`, `split_data`, `unit_vector` | [`prepare_data`], [`split_data`], [`unit_vector`] | `data.rs` |
//! | `sigmoid`, `sigmoid_deriv` | [`sigmoid`], [`sigmoid_deriv`] (overflow-free) | `activation.rs` |
//! | `quadcost_derivative`; cross-entropy and L2 (unwritten) | [`quadcost_derivative`], [`cross_entropy_derivative`], [`Cost`], [`l2_penalty`] | `cost.rs` |
//! | `backprop` | [`backprop`] (one example), [`backprop_batch`] (a mini-batch as one matrix) | `backprop.rs`, `batch.rs` |
//! | the mini-batch step inside `train` | [`update_mini_batch`] | `sgd.rs` |
//! | `net_output`, `evaluation` | [`net_output`], [`evaluation`] | `evaluate.rs` |
//! | `train(...)` | [`train`] with [`TrainOptions`], returning a [`TrainLog`] | `train.rs`, `options.rs` |
//!
//! Shapes as in the lecture: f64, inputs are `(784, 1)` columns, the weights between a layer of `in`
//! neurons and one of `out` are `(out, in)`, the biases `(out, 1)`. The matrix products are all in
//! `gemm.rs`; training and evaluation use two threads, splitting each mini-batch and the test set in
//! two halves (`halves.rs`: the same bits on one thread or two).
//!
//! The lecture's run: one `RandomState(121)` and a copy of it each for the biases, the weights and
//! the shuffling (numpy's `copy.deepcopy(rnd)` is `rnd.clone()`):
//!
//! ```no_run
//! use nnlab::prelude::*;
//! use nnlab::scratch::{self, TrainOptions};
//! let ((x_train, y_train), (x_test, y_test)) = fashion_mnist::load_data()?;
//! let (x_train, x_test) = (np::to_f64(&x_train) / 255.0, np::to_f64(&x_test) / 255.0);
//! let sizes = [784, 28, 28, 10];
//! let rnd = RandomState::new(121);
//! let mut biases = scratch::set_biases(&sizes[1..], &mut rnd.clone());
//! let mut weights = scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes)?, &mut rnd.clone());
//! let (training_data, test_data) = scratch::prepare_data(&x_train, &y_train, &x_test, &y_test)?;
//! let opts = TrainOptions::default().epochs(3).batch_size(64).eta(0.6);
//! let log = scratch::train(&training_data, &test_data, &mut weights, &mut biases, &mut rnd.clone(), opts)?;
//! // prints 0 --> correct classifications: (6018 / 10000) ... (6495 ...) ... (7209 ...)
//! # Ok::<(), nnlab::Error>(())
//! ```

mod activation;
mod backprop;
mod batch;
mod check;
mod cost;
mod data;
mod evaluate;
mod gemm;
mod halves;
mod init;
mod options;
mod sgd;
mod train;

pub use activation::{sigmoid, sigmoid_deriv, sigmoid_scalar};
pub use backprop::{backprop, Gradients};
pub use batch::backprop_batch;
pub use cost::{cross_entropy_derivative, l2_penalty, quadcost_derivative, weight_decay, Cost};
pub use data::{prepare_data, split_data, unit_vector, TestData, TrainingData};
pub use evaluate::{evaluation, net_output};
pub use init::{prepare_weight_matrix_dim, set_biases, set_weights};
pub use options::{TrainLog, TrainOptions};
pub use sgd::update_mini_batch;
pub use train::train;
