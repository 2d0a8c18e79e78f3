//! Models: [`Sequential`], a stack of layers trained with [`fit`](Sequential::fit), and [`Model`],
//! a graph of layers (Keras' Functional API) trained by the same loop.
//!
//! ```
//! use nnlab::prelude::*;
//! let mut model = Sequential::new(vec![
//!     Dense::new(8).activation("relu").input_shape(&[2]).into(),
//!     Dense::new(1).activation("sigmoid").into(),
//! ]);
//! model.compile("adam", "binary_crossentropy", &["accuracy"]).unwrap();
//! let x = array![[0.0f32, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]];
//! let y = array![[0.0f32], [1.0], [1.0], [1.0]];
//! let history = model.fit(&x, &y, Fit::default().epochs(3).verbose(0)).unwrap();
//! assert_eq!(history["loss"].len(), 3);
//! assert_eq!(model.predict(&x).unwrap().shape(), &[4, 1]);
//! ```

mod callbacks;
mod checkpoint;
mod fit;
mod functional;
mod functional_saving;
mod functional_summary;
mod graph;
mod multi_output;
mod progress;
mod sample_weight;
mod saving;
mod sequential;
pub(crate) mod summary;

pub use callbacks::{CSVLogger, Callback, EarlyStopping, LearningRateScheduler, Logs, ReduceLROnPlateau};
pub use checkpoint::ModelCheckpoint;
pub use fit::{Fit, History};

/// Keras' default batch size: `fit`'s, and the one `evaluate` and `predict` compute in.
pub(crate) const KERAS_BATCH: usize = 32;
pub use functional::{Inputs, Model};
pub use multi_output::{IntoLosses, Losses};
pub use saving::load_model;
pub(crate) use sequential::dims;
pub use sequential::Sequential;
