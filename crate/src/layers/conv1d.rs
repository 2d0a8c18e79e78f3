//! `Conv1D(filters, kernel_size)`: a convolution along one axis, for sequences `x: [batch, steps,
//! channels]`: `y[b, t, :] = activation(Σ_{u, ch} x[b, t·s + u, ch] · kernel[u, ch, :] + bias)`, with
//! `kernel: [k, channels, filters]`, `y: [batch, out_steps, filters]` (Keras' layout and defaults:
//! strides 1, padding `"valid"`, glorot_uniform, zeros).
//!
//! It is `Conv2D` on images one pixel high: the input is seen as `[batch, 1, steps, channels]` and the
//! kernel as `[1, k, channels, filters]` (reshapes, whose backward reshapes back), so the patches, the
//! product and their gradients are the 2-d convolution's.

use super::conv2d::padding_of;
use super::{Conv2D, Layer, LayerBase};
use crate::tensor::{Tensor, Window};
use crate::{Error, Result};
use serde_json::{json, Value};

/// A 1-d convolution layer (Keras' `Conv1D`), e.g. over the time steps of a signal.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::Conv1D;
/// let mut conv = Conv1D::new(16, 5).activation("relu");
/// assert_eq!(conv.build(&[100, 3], 0)?, vec![96, 16]);
/// assert_eq!(conv.weights()[0].shape(), vec![5, 3, 16]); // Keras' kernel shape
/// let y = conv.call(&Tensor::new(ArrayD::ones(vec![2, 100, 3])), false)?;
/// assert_eq!(y.shape(), vec![2, 96, 16]);
/// assert_eq!(Conv1D::new(4, 3).strides(2).padding("same").build(&[9, 1], 0)?, vec![5, 4]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub struct Conv1D(Conv2D);

impl Conv1D {
    /// A 1-d convolution with `filters` output channels and a window of `kernel_size` steps.
    pub fn new(filters: usize, kernel_size: usize) -> Conv1D {
        let mut c = Conv2D::new(filters, (1, kernel_size));
        c.as_conv1d = true;
        Conv1D(c)
    }

    /// How far the window moves each step (default 1).
    pub fn strides(self, strides: usize) -> Conv1D {
        Conv1D(self.0.strides((1, strides)))
    }

    /// `"valid"` (default) or `"same"`.
    pub fn padding(self, padding: &str) -> Conv1D {
        Conv1D(self.0.padding(padding))
    }

    /// The activation by name (default none).
    pub fn activation(self, name: &str) -> Conv1D {
        Conv1D(self.0.activation(name))
    }

    /// Whether to add a bias (default true).
    pub fn use_bias(self, use_bias: bool) -> Conv1D {
        Conv1D(self.0.use_bias(use_bias))
    }

    /// The kernel's initializer by name (default `"glorot_uniform"`).
    pub fn kernel_initializer(self, name: &str) -> Conv1D {
        Conv1D(self.0.kernel_initializer(name))
    }

    /// The bias' initializer by name (default `"zeros"`).
    pub fn bias_initializer(self, name: &str) -> Conv1D {
        Conv1D(self.0.bias_initializer(name))
    }

    /// The layer's name (default: given by the model, `"conv1d"`, ...).
    pub fn name(self, name: &str) -> Conv1D {
        Conv1D(self.0.name(name))
    }

    /// The input shape `[steps, channels]`, for a first layer.
    pub fn input_shape(self, shape: &[usize]) -> Conv1D {
        Conv1D(self.0.input_shape(shape))
    }

    pub(super) fn from_config(c: &Value) -> Option<Conv1D> {
        let mut l = Conv1D::new(c["filters"].as_u64()? as usize, c["kernel_size"].as_u64()? as usize)
            .strides(c["strides"].as_u64()? as usize)
            .padding(c["padding"].as_str()?)
            .activation(c["activation"].as_str()?)
            .use_bias(c["use_bias"].as_bool()?)
            .kernel_initializer(c["kernel_initializer"].as_str()?)
            .bias_initializer(c["bias_initializer"].as_str()?);
        l.0.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(l)
    }
}

impl Layer for Conv1D {
    fn class_name(&self) -> &'static str {
        "Conv1D"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.0.base)
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.0.input_shape.clone()
    }

    fn check_config(&self) -> Result<()> {
        self.0.check_config()
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        let c = &self.0;
        let op = c.op();
        let &[steps, channels] = input_shape else {
            return Err(Error::shape(&op, "inputs of shape [steps, channels]", format!("{input_shape:?}")));
        };
        c.base.begin_build(seed);
        let win = Window::new(
            &op,
            (1, steps),
            c.kernel_size.pair(),
            c.strides.pair(),
            padding_of(&op, &c.padding)?,
        )?;
        c.base.add_weight_named(
            "kernel",
            &[c.kernel_size.1, channels, c.filters],
            &c.kernel_initializer,
            true,
        )?;
        if c.use_bias {
            c.base.add_weight_named("bias", &[c.filters], &c.bias_initializer, true)?;
        }
        Ok(vec![win.ow, c.filters])
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let c = &self.0;
        let weights = c.base.weights_where(true);
        let (kernel, bias) = match &weights[..] {
            [(_, k)] => (k, None),
            [(_, k), (_, b)] => (k, Some(b)),
            _ => return Err(super::not_built(&c.op())),
        };
        let (ks, xs) = (kernel.shape(), x.shape());
        if xs.len() != 3 || xs[2] != ks[1] {
            return Err(Error::shape(
                c.op(),
                format!("sequences [batch, steps, {}]", ks[1]),
                format!("{xs:?}"),
            ));
        }
        let (n, steps, f) = (xs[0] as isize, xs[1] as isize, c.filters as isize);
        let images = x.reshape(&[n, 1, steps, xs[2] as isize])?;
        let kernel = kernel.reshape(&[1, ks[0] as isize, ks[1] as isize, f])?;
        let z = images.conv2d(&kernel, bias, c.strides.pair(), padding_of(&c.op(), &c.padding)?)?;
        Ok(c.act()?.call(&z.reshape(&[n, -1, f])?))
    }

    fn config(&self) -> Value {
        let c = &self.0;
        let mut v = c.config();
        v["kernel_size"] = json!(c.kernel_size.1);
        v["strides"] = json!(c.strides.1);
        v
    }
}
