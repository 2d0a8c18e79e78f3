//! What a notebook sees after `use nnlab::prelude::*;`, and nothing more.
//!
//! ```
//! use nnlab::prelude::*;
//! let a: Array2<f32> = Array2::zeros((2, 3));
//! assert_eq!(a.shape(), &[2, 3]);
//! let h = Html::new("<b>hi</b>");
//! assert_eq!(h.as_str(), "<b>hi</b>");
//! ```

pub use crate::activations::{self, Activation};
pub use crate::data::Dataset;
pub use crate::datasets::{fashion_mnist, kmnist, mnist};
pub use crate::display::{clear_output, column, row, show, DisplayHandle, Gif, Html, Png, Rich, Svg};
pub use crate::layers;
pub use crate::layers::{
    add, concatenate, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv2D, Dense, Dropout,
    Embedding, Flatten, GlobalAveragePooling2D, Input, KerasTensor, Layer, LayerBase, LayerNormalization,
    MaxPooling2D, Rescaling, Reshape, Shared, SimpleRNN, GRU, LSTM,
};
pub use crate::models::{
    load_model, Callback, EarlyStopping, Fit, History, Logs, Model, ModelCheckpoint, Sequential,
};
pub use crate::plot::{imshow, plot, plot_xy, subplots, Animation, Figure};
pub use crate::random::RandomState;
pub use crate::tape::GradientTape;
pub use crate::tensor::Tensor;
pub use crate::utils::to_categorical;
pub use crate::{losses, metrics, np, random, scratch};
pub use crate::{Error, Result};
pub use ndarray::{array, s, Array, Array1, Array2, Array3, Array4, ArrayD, Axis, IxDyn};
