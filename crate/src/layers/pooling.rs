//! Pooling layers for images `[batch, h, w, channels]`: each channel summarised over a window
//! (`MaxPooling2D`, `AveragePooling2D`: `[batch, oh, ow, channels]`, see [`Tensor::max_pool2d`]) or over the
//! whole image (`GlobalAveragePooling2D`: `[batch, channels]`). No weights.
//!
//! Keras' defaults: a 2×2 window, strides equal to the window (so the image halves and no pixel is
//! seen twice), padding `"valid"` (an odd last row or column is dropped: 11×11 pools to 5×5).

use super::conv2d::{padding_of, Size2};
use super::{Layer, LayerBase};
use crate::tensor::{Tensor, Window};
use crate::{Error, Result};
use serde_json::{json, Value};

/// Max or average: the one difference between the two window poolings.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Max,
    Average,
}

/// What the two window poolings share: window, strides, padding, name and built shape.
struct Pool2D {
    kind: Kind,
    pool_size: Size2,
    strides: Option<Size2>,
    padding: String,
    name: String,
    input_shape: Option<Vec<usize>>,
    built: Option<Vec<usize>>,
}

impl Pool2D {
    fn new(kind: Kind, pool_size: Size2) -> Pool2D {
        let (name, input_shape, built) = (String::new(), None, None);
        Pool2D { kind, pool_size, strides: None, padding: "valid".into(), name, input_shape, built }
    }

    fn class_name(&self) -> &'static str {
        match self.kind {
            Kind::Max => "MaxPooling2D",
            Kind::Average => "AveragePooling2D",
        }
    }

    fn op(&self) -> String {
        let Size2(h, w) = self.pool_size;
        format!("{}({h}×{w})", self.class_name())
    }

    fn strides(&self) -> Size2 {
        self.strides.unwrap_or(self.pool_size)
    }

    fn build(&mut self, input_shape: &[usize]) -> Result<Vec<usize>> {
        let op = self.op();
        let &[h, w, channels] = input_shape else {
            return Err(Error::shape(
                &op,
                "inputs of shape [height, width, channels]",
                format!("{input_shape:?}"),
            ));
        };
        let padding = padding_of(&op, &self.padding)?;
        let win = Window::new(&op, (h, w), self.pool_size.pair(), self.strides().pair(), padding)?;
        self.built = Some(vec![win.oh, win.ow, channels]);
        Ok(vec![win.oh, win.ow, channels])
    }

    fn call(&self, x: &Tensor) -> Result<Tensor> {
        let padding = padding_of(&self.op(), &self.padding)?;
        let (pool, strides) = (self.pool_size.pair(), self.strides().pair());
        match self.kind {
            Kind::Max => x.max_pool2d(pool, strides, padding),
            Kind::Average => x.avg_pool2d(pool, strides, padding),
        }
    }

    fn config(&self) -> Value {
        let Size2(ph, pw) = self.pool_size;
        let Size2(sh, sw) = self.strides();
        json!({
            "name": self.name,
            "pool_size": [ph, pw],
            "strides": [sh, sw],
            "padding": self.padding,
            "input_shape": self.input_shape,
        })
    }

    fn from_config(kind: Kind, c: &Value) -> Option<Pool2D> {
        let mut p = Pool2D::new(kind, Size2::from_json(&c["pool_size"])?);
        p.strides = Some(Size2::from_json(&c["strides"])?);
        p.padding = c["padding"].as_str()?.to_string();
        p.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(p)
    }
}

/// Defines a window pooling layer: its constructor, setters and `Layer` impl, all forwarded to
/// [`Pool2D`] (the two differ only in max versus mean).
macro_rules! pooling_layer {
    ($(#[$doc:meta])* $name:ident, $kind:expr) => {
        $(#[$doc])*
        pub struct $name(Pool2D);

        impl $name {
            /// A pooling over `pool_size` windows (`2` or `(2, 2)`; Keras' default is 2), moved by
            /// the window's own size.
            pub fn new(pool_size: impl Into<Size2>) -> $name {
                $name(Pool2D::new($kind, pool_size.into()))
            }

            /// How far the window moves each step (default: the window's size).
            pub fn strides(mut self, strides: impl Into<Size2>) -> $name {
                self.0.strides = Some(strides.into());
                self
            }

            /// `"valid"` (default: a last row or column too short for a window is dropped) or
            /// `"same"` (it is pooled over the pixels there are).
            pub fn padding(mut self, padding: &str) -> $name {
                self.0.padding = padding.to_string();
                self
            }

            /// The layer's name (default: given by the model).
            pub fn name(mut self, name: &str) -> $name {
                self.0.name = name.to_string();
                self
            }

            /// The input shape `[height, width, channels]`, for a first layer.
            pub fn input_shape(mut self, shape: &[usize]) -> $name {
                self.0.input_shape = Some(shape.to_vec());
                self
            }

            pub(super) fn from_config(c: &Value) -> Option<$name> {
                Pool2D::from_config($kind, c).map($name)
            }
        }

        impl Default for $name {
            /// Keras' default: a 2×2 window.
            fn default() -> $name {
                $name::new(2)
            }
        }

        impl Layer for $name {
            fn class_name(&self) -> &'static str {
                self.0.class_name()
            }
            fn name(&self) -> &str {
                &self.0.name
            }
            fn set_name(&mut self, name: &str) {
                self.0.name = name.to_string();
            }
            fn declared_input_shape(&self) -> Option<Vec<usize>> {
                self.0.input_shape.clone()
            }
            fn check_config(&self) -> Result<()> {
                padding_of(&self.0.op(), &self.0.padding).map(|_| ())
            }
            fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
                self.0.build(input_shape)
            }
            fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
                self.0.call(x)
            }
            fn output_shape(&self) -> Option<Vec<usize>> {
                self.0.built.clone()
            }
            fn config(&self) -> Value {
                self.0.config()
            }
        }
    };
}

pooling_layer!(
    /// The maximum of each channel over each window (Keras' `MaxPooling2D`): keeps the strongest
    /// response of a filter in each neighbourhood, and halves the image with the defaults.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut pool = MaxPooling2D::new(2);
    /// assert_eq!(pool.build(&[26, 26, 32], 0)?, vec![13, 13, 32]);
    /// assert_eq!(MaxPooling2D::default().build(&[11, 11, 64], 0)?, vec![5, 5, 64]);
    /// assert_eq!(MaxPooling2D::new(2).padding("same").build(&[11, 11, 64], 0)?, vec![6, 6, 64]);
    /// assert!(MaxPooling2D::new(2).padding("vaild").build(&[4, 4, 1], 0).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    MaxPooling2D,
    Kind::Max
);

pooling_layer!(
    /// The mean of each channel over each window (Keras' `AveragePooling2D`).
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut pool = AveragePooling2D::new((2, 2));
    /// assert_eq!(pool.build(&[4, 4, 3], 0)?, vec![2, 2, 3]);
    /// let y = pool.call(&Tensor::new(ArrayD::ones(vec![1, 4, 4, 3])), false)?;
    /// assert_eq!(y.to_array()[[0, 1, 1, 2]], 1.0);
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    AveragePooling2D,
    Kind::Average
);

/// The mean of each channel over the whole image (Keras' `GlobalAveragePooling2D`):
/// `[batch, h, w, channels] → [batch, channels]`, often in place of `Flatten` before the last `Dense`.
///
/// ```
/// use nnlab::prelude::*;
/// let mut gap = GlobalAveragePooling2D::new();
/// assert_eq!(gap.build(&[5, 5, 64], 0)?, vec![64]);
/// let y = gap.call(&Tensor::new(ArrayD::ones(vec![2, 5, 5, 64])), false)?;
/// assert_eq!(y.shape(), vec![2, 64]);
/// # Ok::<(), nnlab::Error>(())
/// ```
#[derive(Default)]
pub struct GlobalAveragePooling2D {
    base: LayerBase,
}

impl GlobalAveragePooling2D {
    /// A global average pooling.
    pub fn new() -> GlobalAveragePooling2D {
        GlobalAveragePooling2D::default()
    }

    /// The layer's name (default: given by the model).
    pub fn name(self, name: &str) -> GlobalAveragePooling2D {
        self.base.set_name(name);
        self
    }
}

impl Layer for GlobalAveragePooling2D {
    fn class_name(&self) -> &'static str {
        "GlobalAveragePooling2D"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        let &[_, _, channels] = input_shape else {
            return Err(Error::shape(
                "GlobalAveragePooling2D",
                "inputs of shape [height, width, channels]",
                format!("{input_shape:?}"),
            ));
        };
        Ok(vec![channels])
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        crate::tensor::image_batch("GlobalAveragePooling2D", &x.shape())?;
        x.mean_axes(&[1, 2], false)
    }
    fn config(&self) -> Value {
        json!({"name": self.name()})
    }
}
