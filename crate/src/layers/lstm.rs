//! `LSTM(units)`: a recurrent layer with Keras' gate layout. For inputs `x: [batch, time, features]`,
//! at each step `t`, with `h₀ = c₀ = 0`:
//!
//! ```text
//! z = x_t · kernel + h · recurrent_kernel + bias          [batch, 4·units], split into i | f | c̃ | o
//! i = σ(z_i), f = σ(z_f), c̃ = tanh(z_c), o = σ(z_o)
//! c = f ⊙ c + i ⊙ c̃,   h = o ⊙ tanh(c)
//! ```
//!
//! `kernel: [features, 4·units]` (glorot_uniform), `recurrent_kernel: [units, 4·units]` (orthogonal),
//! `bias: [4·units]` (zeros, with the forget gate's part at 1: `unit_forget_bias`). The output is the
//! last `h` (`[batch, units]`), or every `h` (`[batch, time, units]`) with `return_sequences(true)`.
//! Everything is built from tensor primitives, so back-propagation through time comes for free.

use super::{recurrent, Layer, LayerBase};
use crate::activations::{sigmoid, tanh};
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::ArrayD;
use serde_json::{json, Value};

/// A long short-term memory layer (Keras' `LSTM`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::LSTM;
/// let mut lstm = LSTM::new(4);
/// assert_eq!(lstm.build(&[6, 3], 0).unwrap(), vec![4]);
/// assert_eq!(lstm.weights()[1].shape(), vec![4, 16]); // recurrent_kernel
/// let y = lstm.call(&Tensor::new(ArrayD::ones(vec![2, 6, 3])), false).unwrap();
/// assert_eq!(y.shape(), vec![2, 4]);
/// assert_eq!(LSTM::new(4).return_sequences(true).build(&[6, 3], 0).unwrap(), vec![6, 4]);
/// ```
#[allow(clippy::upper_case_acronyms)] // Keras' name
pub struct LSTM {
    units: usize,
    return_sequences: bool,
    base: LayerBase,
}

impl LSTM {
    /// An LSTM with `units` hidden units, returning the last output.
    pub fn new(units: usize) -> LSTM {
        LSTM { units, return_sequences: false, base: LayerBase::default() }
    }

    /// Whether to return the output at every time step (`[batch, time, units]`).
    pub fn return_sequences(mut self, on: bool) -> LSTM {
        self.return_sequences = on;
        self
    }

    fn op(&self) -> String {
        format!("LSTM({})", self.units)
    }
}

impl Layer for LSTM {
    fn class_name(&self) -> &'static str {
        "LSTM"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn check_config(&self) -> Result<()> {
        if self.units == 0 {
            return Err(Error::value(self.op(), "units of at least 1", "0 (LSTM::new(0))"));
        }
        Ok(())
    }
    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        let (time, features) = recurrent::time_and_features(&self.op(), input_shape)?;
        self.check_config()?;
        let u = self.units;
        if let Some(bias) = recurrent::build_weights(&self.base, (features, u, 4), &[4 * u], seed)? {
            bias.update(|b| b.slice_mut(ndarray::s![u..2 * u]).fill(1.0)); // unit_forget_bias
        }
        Ok(if self.return_sequences { vec![time, u] } else { vec![u] })
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let w = self.base.weights_where(true);
        let [(_, kernel), (_, recurrent), (_, bias)] = &w[..] else {
            return Err(super::not_built(&self.op()));
        };
        let u = self.units;
        let mut c = Tensor::new(ArrayD::zeros(vec![x.shape().first().copied().unwrap_or(0), u]));
        recurrent::unroll(&self.op(), x, (kernel, bias), u, self.return_sequences, |z, h| {
            let z = z.add(&h.matmul(recurrent)?)?;
            let gate = |k: usize| z.narrow(1, k * u, (k + 1) * u);
            let (i, f, g, o) = (sigmoid(&gate(0)?), sigmoid(&gate(1)?), tanh(&gate(2)?), sigmoid(&gate(3)?));
            c = f.mul(&c)?.add(&i.mul(&g)?)?;
            o.mul(&tanh(&c))
        })
    }
    fn config(&self) -> Value {
        json!({"name": self.name(), "units": self.units, "return_sequences": self.return_sequences})
    }
}
