//! # nnlab: neural networks from scratch, in a Rust notebook
//!
//! A teaching kit for "Lecture 4 - Backpropagation", meant to be used from Jupyter with the evcxr
//! kernel (`use nnlab::prelude::*;` is run for you by the `Rust (nnlab)` kernel) or from any evcxr
//! session with `:dep nnlab = { path = "<checkout>/crate" }`.
//!
//! The map:
//! - [`error`]: one [`Error`] type; every fallible call returns [`Result`].
//! - [`display`]: HTML/PNG/SVG/GIF values that show inline when a cell ends with them.
//! - [`random`]: numpy's legacy `RandomState` and `np.random.*`, number for number.
//! - [`np`]: small numpy-named helpers ndarray lacks (`max`, `std`, `vectorize`, ...).
//! - [`plot`]: matplotlib-like figures (`imshow`, `plot`, `subplots`) and animations, on plotters.
//! - [`datasets`]: MNIST, Fashion-MNIST, KMNIST as Keras loads them (offline-first, never corrupt).
//! - [`scratch`]: the lecture's from-scratch network (`set_weights`, `backprop`, `train`, ...), same numbers.
//! - [`prelude`]: what a notebook sees.
//! - [`linalg`]: the matrix products everything runs on (backend chosen by measurement).
//! - `backend` (crate-private, `src/backend/`): the fast machinery behind one boundary (threads,
//!   products, copying batches, vectorised loops) and every `unsafe` block, so the rest reads as formulas.
//! - [`tensor`]: the autodiff core ([`tensor::Tensor`], reverse mode); [`gradcheck`] checks it.
//! - Keras-like API: [`activations`], [`initializers`], [`regularizers`], [`layers`](mod@layers), [`losses`],
//!   [`metrics`], [`optimizers`], [`models`] ([`models::Sequential`], [`models::Model`]), [`utils`];
//!   [`tape`] (`GradientTape`) and [`data`] (`Dataset`) for training loops written by hand.
//!
//! The crates our public types come from are re-exported ([`ndarray`], ...), so that evcxr can name
//! the type of every value a cell keeps in a variable.

#![warn(missing_docs)]

pub mod datasets;
pub mod display;
pub mod error;
pub mod interrupt;
pub mod np;
pub mod plot;
pub mod prelude;
pub mod random;
pub mod scratch;

pub mod activations;
mod backend;
pub mod data;
pub mod gradcheck;
pub mod initializers;
pub mod layers;
pub mod losses;
pub mod metrics;
pub mod models;
pub mod optimizers;
pub mod regularizers;
mod seeded;
pub mod tape;
pub mod tensor;
pub mod utils;

pub use backend::linalg;
pub use error::{Error, Result};

pub use ndarray;

/// Whether nnlab itself was compiled with debug assertions. The nnlab kernel builds nnlab and its
/// dependencies like a release build (`kernel/cargo-config.toml`), so in a notebook this is `false`.
///
/// ```
/// assert_eq!(nnlab::DEBUG_ASSERTIONS, cfg!(debug_assertions));
/// ```
pub const DEBUG_ASSERTIONS: bool = cfg!(debug_assertions);

/// The version of nnlab, e.g. `"0.1.0"`.
pub const VERSION: &str = env!("CARGO_PKG_VERSION");
