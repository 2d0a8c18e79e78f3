//! Input pipelines: [`Dataset`], tf.data's `from_tensor_slices(...).shuffle(...).batch(...)`; the
//! data types the models accept ([`ArrayLike`]); checks for NaN and infinities in data and weights.

mod alloc;
mod array_in;
mod dataset;
mod finite;

pub(crate) use alloc::check_alloc;
pub use array_in::ArrayLike;
pub use dataset::Dataset;
pub(crate) use finite::{all_finite, first_bad_row, first_not_finite};
