//! `SimpleRNN(units)`: the plainest recurrent layer. For inputs `x: [batch, time, features]`, at each
//! step `t`, with `h₀ = 0`:
//!
//! ```text
//! h_t = activation(x_t · kernel + bias + h_{t−1} · recurrent_kernel)       [batch, units]
//! ```
//!
//! `kernel: [features, units]` (glorot_uniform), `recurrent_kernel: [units, units]` (orthogonal),
//! `bias: [units]` (zeros), activation `"tanh"` (Keras' defaults). The output is the last `h`
//! (`[batch, units]`), or every `h` (`[batch, time, units]`) with `return_sequences(true)`. Built
//! from tensor primitives, so back-propagation through time comes for free.

use super::{recurrent, Layer, LayerBase};
use crate::activations::{self, Activation};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// A fully connected recurrent layer (Keras' `SimpleRNN`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::SimpleRNN;
/// let mut rnn = SimpleRNN::new(4);
/// assert_eq!(rnn.build(&[6, 3], 0)?, vec![4]);
/// assert_eq!(rnn.weights()[1].shape(), vec![4, 4]); // recurrent_kernel
/// let y = rnn.call(&Tensor::new(ArrayD::ones(vec![2, 6, 3])), false)?;
/// assert_eq!(y.shape(), vec![2, 4]);
/// assert_eq!(SimpleRNN::new(4).return_sequences(true).build(&[6, 3], 0)?, vec![6, 4]);
/// assert!(SimpleRNN::new(4).activation("tahn").build(&[6, 3], 0).is_err()); // with a suggestion
/// # Ok::<(), nnlab::Error>(())
/// ```
#[allow(clippy::upper_case_acronyms)] // Keras' name
pub struct SimpleRNN {
    units: usize,
    activation: String,
    return_sequences: bool,
    base: LayerBase,
}

impl SimpleRNN {
    /// A recurrent layer with `units` hidden units, returning the last output.
    pub fn new(units: usize) -> SimpleRNN {
        SimpleRNN { units, activation: "tanh".into(), return_sequences: false, base: LayerBase::default() }
    }

    /// The activation by name (`"tanh"`, the default; `"relu"`, ...).
    pub fn activation(mut self, name: &str) -> SimpleRNN {
        self.activation = name.to_string();
        self
    }

    /// Whether to return the output at every time step (`[batch, time, units]`).
    pub fn return_sequences(mut self, on: bool) -> SimpleRNN {
        self.return_sequences = on;
        self
    }

    /// The layer's name (default: given by the model, `"simple_rnn"`, ...).
    pub fn name(self, name: &str) -> SimpleRNN {
        self.base.set_name(name);
        self
    }

    fn op(&self) -> String {
        format!("SimpleRNN({})", self.units)
    }

    fn act(&self) -> Result<Activation> {
        activations::get(&self.activation)
            .map_err(|_| Error::unknown_name(self.op(), "activation", &self.activation, activations::NAMES))
    }

    pub(super) fn from_config(c: &Value) -> Option<SimpleRNN> {
        Some(
            SimpleRNN::new(c["units"].as_u64()? as usize)
                .activation(c["activation"].as_str()?)
                .return_sequences(c["return_sequences"].as_bool()?),
        )
    }
}

impl Layer for SimpleRNN {
    fn class_name(&self) -> &'static str {
        "SimpleRNN"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn check_config(&self) -> Result<()> {
        self.act()?;
        if self.units == 0 {
            return Err(Error::value(self.op(), "units of at least 1", "0 (SimpleRNN::new(0))"));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        let (time, features) = recurrent::time_and_features(&self.op(), input_shape)?;
        self.check_config()?;
        let u = self.units;
        recurrent::build_weights(&self.base, (features, u, 1), &[u], seed)?;
        Ok(if self.return_sequences { vec![time, u] } else { vec![u] })
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let w = self.base.weights_where(true);
        let [(_, kernel), (_, recurrent_kernel), (_, bias)] = &w[..] else {
            return Err(super::not_built(&self.op()));
        };
        let act = self.act()?;
        recurrent::unroll(&self.op(), x, (kernel, bias), self.units, self.return_sequences, |z, h| {
            Ok(act.call(&z.add(&h.matmul(recurrent_kernel)?)?))
        })
    }

    fn config(&self) -> Value {
        json!({
            "name": self.name(),
            "units": self.units,
            "activation": self.activation,
            "return_sequences": self.return_sequences,
        })
    }
}
