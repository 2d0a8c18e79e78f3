//! Input pipelines: [`Dataset`], tf.data's `from_tensor_slices(...).shuffle(...).batch(...)`.

mod dataset;

pub use dataset::Dataset;
