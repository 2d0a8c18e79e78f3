//! `Dense(units)`: `y = activation(x · kernel + bias)`, `x: [batch, in]`, `kernel: [in, units]`,
//! `bias: [units]`, `y: [batch, units]`.
//!
//! Defaults as in Keras: no activation (linear), `use_bias = true`, kernel `"glorot_uniform"`, bias
//! `"zeros"`, no regularizers.

use super::{check_rebuild, not_built, Layer, LayerBase};
use crate::activations::{self, Activation as Act};
use crate::initializers;
use crate::regularizers::Regularizer;
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// A fully connected layer. Configure it with chainable setters.
///
/// ```
/// use nnlab::layers::{Dense, Layer};
/// use nnlab::regularizers::l2;
/// let mut d = Dense::new(64).activation("relu").kernel_regularizer(l2(0.01));
/// d.build(&[784], 0).unwrap();
/// assert_eq!(d.weights()[0].shape(), vec![784, 64]);
/// assert!(Dense::new(8).activation("reul").build(&[3], 0).is_err()); // unknown name, with a suggestion
/// ```
pub struct Dense {
    base: LayerBase,
    units: usize,
    activation: std::result::Result<Act, String>,
    use_bias: bool,
    kernel_initializer: String,
    bias_initializer: String,
    kernel_regularizer: Option<Regularizer>,
    bias_regularizer: Option<Regularizer>,
    input_shape: Option<Vec<usize>>,
    /// `[in, units]`, made by `build` (a placeholder before).
    kernel: Tensor,
    /// `[units]`, when `use_bias`.
    bias: Option<Tensor>,
}

impl Dense {
    /// A dense layer with `units` outputs.
    pub fn new(units: usize) -> Dense {
        Dense {
            base: LayerBase::default(),
            units,
            activation: Ok(Act::Linear),
            use_bias: true,
            kernel_initializer: "glorot_uniform".into(),
            bias_initializer: "zeros".into(),
            kernel_regularizer: None,
            bias_regularizer: None,
            input_shape: None,
            kernel: Tensor::default(),
            bias: None,
        }
    }

    /// The activation by name (`"relu"`, `"softmax"`, ...; see [`activations`]). An unknown name is
    /// reported when the layer is built.
    pub fn activation(mut self, name: &str) -> Dense {
        self.activation = activations::get(name).map_err(|_| name.to_string());
        self
    }

    /// Whether to add a bias (default true).
    pub fn use_bias(mut self, use_bias: bool) -> Dense {
        self.use_bias = use_bias;
        self
    }

    /// The kernel's initializer by name (default `"glorot_uniform"`; see [`initializers`]).
    pub fn kernel_initializer(mut self, name: &str) -> Dense {
        self.kernel_initializer = name.to_string();
        self
    }

    /// The bias' initializer by name (default `"zeros"`).
    pub fn bias_initializer(mut self, name: &str) -> Dense {
        self.bias_initializer = name.to_string();
        self
    }

    /// A penalty on the kernel added to the loss, e.g. `regularizers::l2(0.01)`.
    pub fn kernel_regularizer(mut self, r: Regularizer) -> Dense {
        self.kernel_regularizer = Some(r);
        self
    }

    /// A penalty on the bias added to the loss.
    pub fn bias_regularizer(mut self, r: Regularizer) -> Dense {
        self.bias_regularizer = Some(r);
        self
    }

    /// The layer's name (default: given by the model, `"dense"`, `"dense_1"`, ...).
    pub fn name(self, name: &str) -> Dense {
        self.base.set_name(name);
        self
    }

    /// The input shape (without batch), for a first layer: `Dense::new(10).input_shape(&[784])`.
    pub fn input_shape(mut self, shape: &[usize]) -> Dense {
        self.input_shape = Some(shape.to_vec());
        self
    }

    fn op(&self) -> String {
        format!("Dense({})", self.units)
    }

    /// Whether `build` has made the kernel (before, it is the scalar placeholder).
    fn built(&self) -> bool {
        self.kernel.shape().len() == 2
    }

    pub(super) fn from_config(c: &Value) -> Option<Dense> {
        let mut d = Dense::new(c["units"].as_u64()? as usize)
            .activation(c["activation"].as_str()?)
            .use_bias(c["use_bias"].as_bool()?)
            .kernel_initializer(c["kernel_initializer"].as_str()?)
            .bias_initializer(c["bias_initializer"].as_str()?);
        let reg =
            |v: &Value| Some(crate::regularizers::l1_l2(v["l1"].as_f64()? as f32, v["l2"].as_f64()? as f32));
        d.kernel_regularizer = reg(&c["kernel_regularizer"]);
        d.bias_regularizer = reg(&c["bias_regularizer"]);
        d.input_shape = serde_json::from_value(c["input_shape"].clone()).ok();
        Some(d)
    }
}

impl Layer for Dense {
    fn class_name(&self) -> &'static str {
        "Dense"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone()
    }

    fn check_config(&self) -> Result<()> {
        let op = self.op();
        if let Err(name) = &self.activation {
            return Err(Error::unknown_name(&op, "activation", name, activations::NAMES));
        }
        initializers::check_names(&op, &[&self.kernel_initializer, &self.bias_initializer])?;
        if self.units == 0 {
            return Err(Error::value(&op, "units of at least 1", "0 (Dense::new(0))"));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        let op = self.op();
        let &[features] = input_shape else {
            return Err(Error::shape(
                &op,
                "input of shape [features] (add a Flatten layer before it)",
                format!("{input_shape:?}"),
            ));
        };
        let built = self.built().then(|| vec![self.kernel.shape()[0]]);
        check_rebuild(&op, &built, input_shape)?;
        crate::data::check_alloc(&op, &[features, self.units], 4)?;
        self.base.begin_build(seed);
        let (units, b) = (self.units, &self.base);
        self.kernel = b.add_weight_named("kernel", &[features, units], &self.kernel_initializer, true)?;
        if self.use_bias {
            self.bias = Some(b.add_weight_named("bias", &[units], &self.bias_initializer, true)?);
        }
        Ok(vec![units])
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        if !self.built() {
            return Err(not_built(&self.op()));
        }
        let n_in = self.kernel.shape()[0];
        let xs = x.shape();
        if xs.len() != 2 || xs[1] != n_in {
            return Err(Error::shape(
                self.op(),
                format!("input with last dim {n_in}, shape [batch, {n_in}]"),
                format!("{xs:?}"),
            ));
        }
        let act = self
            .activation
            .as_ref()
            .map_err(|n| Error::unknown_name(self.op(), "activation", n, activations::NAMES))?;
        // x · kernel + bias as one op (same numbers as `x.matmul(kernel)?.add(bias)?`, one node less).
        Ok(act.call(&x.linear(&self.kernel, self.bias.as_ref())?))
    }

    fn regularization_loss(&self) -> Option<Tensor> {
        let k = self.kernel_regularizer.filter(|_| self.built()).map(|r| r.penalty(&self.kernel));
        let b = self.bias_regularizer.zip(self.bias.as_ref()).map(|(r, w)| r.penalty(w));
        match (k, b) {
            (Some(k), Some(b)) => Some(k.add(&b).expect("scalars")),
            (k, b) => k.or(b),
        }
    }

    fn config(&self) -> Value {
        let reg = |r: &Option<Regularizer>| r.map(|r| json!({"l1": r.l1, "l2": r.l2}));
        json!({
            "name": self.name(),
            "units": self.units,
            "activation": match &self.activation { Ok(a) => a.name().to_string(), Err(n) => n.clone() },
            "use_bias": self.use_bias,
            "kernel_initializer": self.kernel_initializer,
            "bias_initializer": self.bias_initializer,
            "kernel_regularizer": reg(&self.kernel_regularizer),
            "bias_regularizer": reg(&self.bias_regularizer),
            "input_shape": self.input_shape,
        })
    }
}
