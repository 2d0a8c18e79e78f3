//! Layers: a [`Layer`] creates its weights in [`build`](Layer::build) once the input shape is known
//! and computes its output in [`call`](Layer::call) with tensor operations, so gradients flow through
//! it by themselves (Keras' `build`/`call` split).
//!
//! Shapes here leave out the batch dimension: `Dense(10)` built for input `[784]` has output `[10]`,
//! and is called on `[batch, 784]` tensors.
//!
//! ```
//! use nnlab::layers::{Dense, Layer};
//! use nnlab::tensor::Tensor;
//! let mut d = Dense::new(3).activation("relu");
//! assert_eq!(d.build(&[4], 0).unwrap(), vec![3]);
//! assert_eq!(d.param_count(), 4 * 3 + 3);
//! let y = d.call(&Tensor::new(nnlab::ndarray::ArrayD::ones(vec![2, 4])), false).unwrap();
//! assert_eq!(y.shape(), vec![2, 3]);
//! ```

mod activation;
mod base;
mod batch_norm;
mod conv1d;
mod conv2d;
mod dense;
mod dropout;
mod embedding;
mod flatten;
mod gru;
pub(crate) mod input;
mod layer;
mod layer_norm;
mod lstm;
mod merge;
pub(crate) mod naming;
mod pooling;
mod recurrent;
mod registry;
mod rescaling;
mod reshape;
mod shared;
mod simple_rnn;

pub use activation::Activation;
pub use base::LayerBase;
pub use batch_norm::BatchNormalization;
pub use conv1d::Conv1D;
pub use conv2d::{Conv2D, Size2};
pub use dense::Dense;
pub use dropout::Dropout;
pub use embedding::Embedding;
pub use flatten::Flatten;
pub use gru::GRU;
pub use input::{Input, KerasTensor};
pub use layer::Layer;
pub(crate) use layer::{build_layer, call_layer, check_rebuild, not_built};
pub use layer_norm::LayerNormalization;
pub use lstm::LSTM;
pub use merge::{add, concatenate, Add, Concatenate};
pub use pooling::{AveragePooling2D, GlobalAveragePooling2D, MaxPooling2D};
pub(crate) use registry::saved_layer;
pub use registry::{from_config, BUILT_IN};
pub use rescaling::Rescaling;
pub use reshape::Reshape;
pub use shared::Shared;
pub use simple_rnn::SimpleRNN;
