//! `Conv2D(filters, kernel_size)`: `y = activation(conv2d(x, kernel) + bias)` for images
//! `x: [batch, h, w, channels]` (channels last, Keras' default), `kernel: [kh, kw, channels, filters]`,
//! `bias: [filters]`, `y: [batch, oh, ow, filters]`. Each filter is a small dense layer slid over the
//! image: at every window position it sees the `kh·kw·channels` pixels under the window (see
//! [`Tensor::conv2d`] and `tensor/conv.rs`).
//!
//! Defaults as in Keras: strides 1, padding `"valid"` (`oh = h − kh + 1`), no activation, a bias,
//! kernel `"glorot_uniform"` (fans `kh·kw·channels` and `kh·kw·filters`), bias `"zeros"`.

use super::{Layer, LayerBase};
use crate::activations::{self, Activation as Act};
use crate::initializers;
use crate::tensor::{Padding, Tensor, Window, PADDINGS};
use crate::{Error, Result};
use serde_json::{json, Value};

/// A height and a width (of a window, or of strides): `3` means `3×3`, `(3, 5)` means 3 rows by
/// 5 columns, as Keras takes an int or a tuple.
///
/// ```
/// use nnlab::layers::Size2;
/// assert_eq!(Size2::from(3), Size2(3, 3));
/// assert_eq!(Size2::from((3, 5)), Size2(3, 5));
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Size2(pub usize, pub usize);

impl From<usize> for Size2 {
    fn from(n: usize) -> Size2 {
        Size2(n, n)
    }
}

impl From<(usize, usize)> for Size2 {
    fn from((h, w): (usize, usize)) -> Size2 {
        Size2(h, w)
    }
}

impl From<[usize; 2]> for Size2 {
    fn from([h, w]: [usize; 2]) -> Size2 {
        Size2(h, w)
    }
}

impl Size2 {
    pub(crate) fn pair(self) -> (usize, usize) {
        (self.0, self.1)
    }

    /// From a saved config: `[h, w]`.
    pub(crate) fn from_json(v: &Value) -> Option<Size2> {
        let [h, w]: [usize; 2] = serde_json::from_value(v.clone()).ok()?;
        Some(Size2(h, w))
    }
}

/// The padding by name, or the error that names the layer (an unknown name is kept until `build`).
pub(crate) fn padding_of(op: &str, name: &str) -> Result<Padding> {
    Padding::from_name(name).map_err(|_| Error::unknown_name(op, "padding", name, PADDINGS))
}

/// A 2-d convolution layer (Keras' `Conv2D`). Configure it with chainable setters.
///
/// ```
/// use nnlab::prelude::*;
/// let mut conv = Conv2D::new(32, 3).activation("relu");
/// assert_eq!(conv.build(&[28, 28, 1], 0)?, vec![26, 26, 32]);
/// assert_eq!(conv.param_count(), 3 * 3 * 1 * 32 + 32); // 320, as Keras' summary says
/// let y = conv.call(&Tensor::new(ArrayD::zeros(vec![2, 28, 28, 1])), false)?;
/// assert_eq!(y.shape(), vec![2, 26, 26, 32]);
/// let mut same = Conv2D::new(8, (5, 5)).strides(2).padding("same");
/// assert_eq!(same.build(&[28, 28, 1], 0)?, vec![14, 14, 8]);
/// // MNIST's images as they come, without the channel axis:
/// let err = Conv2D::new(32, 3).build(&[28, 28], 0).unwrap_err().to_string();
/// assert!(err.contains("expand_dims"), "{err}");
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct Conv2D {
    pub(super) base: LayerBase,
    pub(super) filters: usize,
    pub(super) kernel_size: Size2,
    pub(super) strides: Size2,
    pub(super) padding: String,
    activation: String,
    pub(super) use_bias: bool,
    pub(super) kernel_initializer: String,
    pub(super) bias_initializer: String,
    pub(super) input_shape: Option<Vec<usize>>,
    /// Set when this is the configuration of a `Conv1D` (a window of height 1): names it in messages.
    pub(super) as_conv1d: bool,
}

impl Conv2D {
    /// A convolution with `filters` output channels and a `kernel_size` window (`3` or `(3, 3)`).
    pub fn new(filters: usize, kernel_size: impl Into<Size2>) -> Conv2D {
        Conv2D {
            base: LayerBase::default(),
            filters,
            kernel_size: kernel_size.into(),
            strides: Size2(1, 1),
            padding: "valid".into(),
            activation: "linear".into(),
            use_bias: true,
            kernel_initializer: "glorot_uniform".into(),
            bias_initializer: "zeros".into(),
            input_shape: None,
            as_conv1d: false,
        }
    }

    /// How far the window moves each step (default 1): `2` halves the image's height and width.
    pub fn strides(mut self, strides: impl Into<Size2>) -> Conv2D {
        self.strides = strides.into();
        self
    }

    /// `"valid"` (default: the window stays inside the image) or `"same"` (zeros around it, so that
    /// the output is as large as the input with strides 1).
    pub fn padding(mut self, padding: &str) -> Conv2D {
        self.padding = padding.to_string();
        self
    }

    /// The activation by name (`"relu"`, ...; see [`activations`]); default none.
    pub fn activation(mut self, name: &str) -> Conv2D {
        self.activation = name.to_string();
        self
    }

    /// Whether to add a bias (default true).
    pub fn use_bias(mut self, use_bias: bool) -> Conv2D {
        self.use_bias = use_bias;
        self
    }

    /// The kernel's initializer by name (default `"glorot_uniform"`; see [`initializers`]).
    pub fn kernel_initializer(mut self, name: &str) -> Conv2D {
        self.kernel_initializer = name.to_string();
        self
    }

    /// The bias' initializer by name (default `"zeros"`).
    pub fn bias_initializer(mut self, name: &str) -> Conv2D {
        self.bias_initializer = name.to_string();
        self
    }

    /// The layer's name (default: given by the model, `"conv2d"`, `"conv2d_1"`, ...).
    pub fn name(self, name: &str) -> Conv2D {
        self.base.set_name(name);
        self
    }

    /// The input shape `[height, width, channels]`, for a first layer.
    pub fn input_shape(mut self, shape: &[usize]) -> Conv2D {
        self.input_shape = Some(shape.to_vec());
        self
    }

    pub(super) fn op(&self) -> String {
        let Size2(kh, kw) = self.kernel_size;
        if self.as_conv1d {
            return format!("Conv1D({}, {kw})", self.filters);
        }
        format!("Conv2D({}, {kh}×{kw})", self.filters)
    }

    pub(super) fn act(&self) -> Result<Act> {
        activations::get(&self.activation)
            .map_err(|_| Error::unknown_name(self.op(), "activation", &self.activation, activations::NAMES))
    }

    pub(super) fn from_config(c: &Value) -> Option<Conv2D> {
        let mut l = Conv2D::new(c["filters"].as_u64()? as usize, Size2::from_json(&c["kernel_size"])?)
            .strides(Size2::from_json(&c["strides"])?)
            .padding(c["padding"].as_str()?)
            .activation(c["activation"].as_str()?)
            .use_bias(c["use_bias"].as_bool()?)
            .kernel_initializer(c["kernel_initializer"].as_str()?)
            .bias_initializer(c["bias_initializer"].as_str()?);
        l.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(l)
    }
}

impl Layer for Conv2D {
    fn class_name(&self) -> &'static str {
        "Conv2D"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone()
    }

    fn check_config(&self) -> Result<()> {
        let op = self.op();
        self.act()?;
        padding_of(&op, &self.padding)?;
        initializers::check_names(&op, &[&self.kernel_initializer, &self.bias_initializer])?;
        if self.filters == 0 {
            return Err(Error::value(&op, "filters of at least 1", "0"));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        self.base.begin_build(seed);
        let op = self.op();
        let &[h, w, channels] = input_shape else {
            let hint = if input_shape.len() == 2 {
                " (add the channel axis: np::expand_dims(&x, -1), or a first layer Reshape::new(&[h, w, 1]))"
            } else {
                ""
            };
            return Err(Error::shape(
                &op,
                "inputs of shape [height, width, channels] (channels last)",
                format!("{input_shape:?}{hint}"),
            ));
        };
        let padding = padding_of(&op, &self.padding)?;
        let win = Window::new(&op, (h, w), self.kernel_size.pair(), self.strides.pair(), padding)?;
        let Size2(kh, kw) = self.kernel_size;
        let kernel_shape = [kh, kw, channels, self.filters];
        self.base.add_weight_named("kernel", &kernel_shape, &self.kernel_initializer, true)?;
        if self.use_bias {
            self.base.add_weight_named("bias", &[self.filters], &self.bias_initializer, true)?;
        }
        Ok(vec![win.oh, win.ow, self.filters])
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let weights = self.base.weights_where(true);
        let (kernel, bias) = match &weights[..] {
            [(_, k)] => (k, None),
            [(_, k), (_, b)] => (k, Some(b)),
            _ => return Err(super::not_built(&self.op())),
        };
        let ks = kernel.shape();
        let xs = x.shape();
        if xs.len() != 4 || xs[3] != ks[2] {
            return Err(Error::shape(
                self.op(),
                format!("images [batch, height, width, {}]", ks[2]),
                format!("{xs:?}"),
            ));
        }
        let padding = padding_of(&self.op(), &self.padding)?;
        let z = x.conv2d(kernel, bias, self.strides.pair(), padding)?;
        Ok(self.act()?.call(&z))
    }

    fn config(&self) -> Value {
        let Size2(kh, kw) = self.kernel_size;
        let Size2(sh, sw) = self.strides;
        json!({
            "name": self.name(),
            "filters": self.filters,
            "kernel_size": [kh, kw],
            "strides": [sh, sw],
            "padding": self.padding,
            "activation": self.activation,
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "input_shape": self.input_shape,
        })
    }
}
