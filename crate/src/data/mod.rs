//! Input pipelines: [`Dataset`], tf.data's `from_tensor_slices(...).shuffle(...).batch(...)`.

mod dataset;
mod huge_pages;
mod take_rows;

pub use dataset::Dataset;
pub(crate) use huge_pages::prefer_huge_pages;
pub(crate) use take_rows::take_rows;
