//! `Dense(units)`: `y = activation(x · kernel + bias)`, `x: [batch, in]`, `kernel: [in, units]`,
//! `bias: [units]`, `y: [batch, units]`.
//!
//! Defaults as in Keras: no activation (linear), `use_bias = true`, kernel `"glorot_uniform"`, bias
//! `"zeros"`, no regularizers.

use super::{check_rebuild, not_built, Layer};
use crate::activations::{self, Activation as Act};
use crate::initializers::{self, Initializer};
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
    units: usize,
    name: String,
    activation: std::result::Result<Act, String>,
    use_bias: bool,
    kernel_initializer: std::result::Result<Initializer, String>,
    bias_initializer: std::result::Result<Initializer, String>,
    kernel_regularizer: Option<Regularizer>,
    bias_regularizer: Option<Regularizer>,
    input_shape: Option<Vec<usize>>,
    kernel: Option<Tensor>,
    bias: Option<Tensor>,
    frozen: bool,
}

impl Dense {
    /// A dense layer with `units` outputs.
    pub fn new(units: usize) -> Dense {
        Dense {
            units,
            name: String::new(),
            activation: Ok(Act::Linear),
            use_bias: true,
            kernel_initializer: Ok(Initializer::GlorotUniform),
            bias_initializer: Ok(Initializer::Zeros),
            kernel_regularizer: None,
            bias_regularizer: None,
            input_shape: None,
            kernel: None,
            bias: None,
            frozen: false,
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
        self.kernel_initializer = initializers::get(name).map_err(|_| name.to_string());
        self
    }

    /// The bias' initializer by name (default `"zeros"`).
    pub fn bias_initializer(mut self, name: &str) -> Dense {
        self.bias_initializer = initializers::get(name).map_err(|_| name.to_string());
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
    pub fn name(mut self, name: &str) -> Dense {
        self.name = name.to_string();
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

    fn name(&self) -> &str {
        &self.name
    }

    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }

    fn declared_input_shape(&self) -> Option<Vec<usize>> {
        self.input_shape.clone()
    }

    fn check_config(&self) -> Result<()> {
        let op = self.op();
        let unknown = |kind: &str, name: &str, known: &[&str]| Error::unknown_name(&op, kind, name, known);
        self.activation.clone().map_err(|n| unknown("activation", &n, activations::NAMES))?;
        self.kernel_initializer.clone().map_err(|n| unknown("initializer", &n, initializers::NAMES))?;
        self.bias_initializer.clone().map_err(|n| unknown("initializer", &n, initializers::NAMES))?;
        if self.units == 0 {
            return Err(Error::value(&op, "units of at least 1", "0 (Dense::new(0))"));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        self.check_config()?;
        let op = self.op();
        let (Ok(k_init), Ok(b_init)) = (self.kernel_initializer.clone(), self.bias_initializer.clone())
        else {
            unreachable!("checked by check_config")
        };
        if input_shape.len() != 1 {
            return Err(Error::shape(
                &op,
                "input of shape [features] (add a Flatten layer before it)",
                format!("{input_shape:?}"),
            ));
        }
        let built = self.kernel.as_ref().map(|k| vec![k.shape()[0]]);
        check_rebuild(&op, &built, input_shape)?;
        if self.kernel.is_none() {
            crate::data::check_alloc(&op, &[input_shape[0], self.units], 4)?;
            self.kernel = Some(Tensor::param(k_init.init(&[input_shape[0], self.units], seed)));
            if self.use_bias {
                self.bias = Some(Tensor::param(b_init.init(&[self.units], seed.wrapping_add(1))));
            }
        }
        Ok(vec![self.units])
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let kernel = self.kernel.as_ref().ok_or_else(|| not_built(&self.op()))?;
        let n_in = kernel.shape()[0];
        let xs = x.shape();
        if xs.len() != 2 || xs[1] != n_in {
            return Err(Error::shape(
                self.op(),
                format!("input with last dim {n_in}, shape [batch, {n_in}]"),
                format!("{xs:?}"),
            ));
        }
        // x · kernel + bias as one op (same numbers as `x.matmul(kernel)?.add(bias)?`, one node less).
        let z = x.linear(kernel, self.bias.as_ref())?;
        let act = self
            .activation
            .clone()
            .map_err(|n| Error::unknown_name(self.op(), "activation", &n, activations::NAMES))?;
        Ok(act.call(&z))
    }

    fn output_shape(&self) -> Option<Vec<usize>> {
        self.kernel.as_ref().map(|_| vec![self.units])
    }

    fn named_weights(&self) -> Vec<(String, Tensor)> {
        let mut w = vec![];
        if let Some(k) = &self.kernel {
            w.push(("kernel".to_string(), k.clone()));
        }
        if let Some(b) = &self.bias {
            w.push(("bias".to_string(), b.clone()));
        }
        w
    }

    fn trainable(&self) -> bool {
        !self.frozen
    }

    fn set_trainable(&mut self, trainable: bool) -> Result<()> {
        self.frozen = !trainable;
        Ok(())
    }

    fn regularization_loss(&self) -> Option<Tensor> {
        let k = self.kernel_regularizer.zip(self.kernel.as_ref()).map(|(r, w)| r.penalty(w));
        let b = self.bias_regularizer.zip(self.bias.as_ref()).map(|(r, w)| r.penalty(w));
        match (k, b) {
            (Some(k), Some(b)) => Some(k.add(&b).expect("scalars")),
            (k, b) => k.or(b),
        }
    }

    fn config(&self) -> Value {
        let name_of = |r: &std::result::Result<Initializer, String>| match r {
            Ok(i) => i.name().to_string(),
            Err(n) => n.clone(),
        };
        let reg = |r: &Option<Regularizer>| r.map(|r| json!({"l1": r.l1, "l2": r.l2}));
        json!({
            "name": self.name,
            "units": self.units,
            "activation": match &self.activation { Ok(a) => a.name().to_string(), Err(n) => n.clone() },
            "use_bias": self.use_bias,
            "kernel_initializer": name_of(&self.kernel_initializer),
            "bias_initializer": name_of(&self.bias_initializer),
            "kernel_regularizer": reg(&self.kernel_regularizer),
            "bias_regularizer": reg(&self.bias_regularizer),
            "input_shape": self.input_shape,
        })
    }
}
