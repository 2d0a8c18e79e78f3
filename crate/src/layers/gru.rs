//! `GRU(units)`: a gated recurrent layer with Keras 3's layout (`reset_after`). For inputs
//! `x: [batch, time, features]`, at each step `t`, with `h₀ = 0`:
//!
//! ```text
//! x_z | x_r | x_h = x_t · kernel + input_bias                      [batch, 3·units]
//! h_z | h_r | h_h = h · recurrent_kernel + recurrent_bias
//! z = σ(x_z + h_z),  r = σ(x_r + h_r),  h̃ = tanh(x_h + r ⊙ h_h)
//! h = z ⊙ h + (1 − z) ⊙ h̃
//! ```
//!
//! `kernel: [features, 3·units]` (glorot_uniform), `recurrent_kernel: [units, 3·units]` (orthogonal),
//! `bias: [2, 3·units]` (zeros; row 0 for the inputs, row 1 for the recurrent part). The output is the
//! last `h` (`[batch, units]`), or every `h` (`[batch, time, units]`) with `return_sequences(true)`.
//! Built from tensor primitives, so back-propagation through time comes for free.

use super::{recurrent, Layer, LayerBase};
use crate::activations::{sigmoid, tanh};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// A gated recurrent unit layer (Keras' `GRU`).
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::layers::GRU;
/// let mut gru = GRU::new(4);
/// assert_eq!(gru.build(&[6, 3], 0)?, vec![4]);
/// assert_eq!(gru.weights()[2].shape(), vec![2, 12]); // bias: inputs' and recurrent
/// let y = gru.call(&Tensor::new(ArrayD::ones(vec![2, 6, 3])), false)?;
/// assert_eq!(y.shape(), vec![2, 4]);
/// # Ok::<(), nnlab::Error>(())
/// ```
#[allow(clippy::upper_case_acronyms)] // Keras' name
pub struct GRU {
    units: usize,
    return_sequences: bool,
    base: LayerBase,
}

impl GRU {
    /// A GRU with `units` hidden units, returning the last output.
    pub fn new(units: usize) -> GRU {
        GRU { units, return_sequences: false, base: LayerBase::default() }
    }

    /// Whether to return the output at every time step (`[batch, time, units]`).
    pub fn return_sequences(mut self, on: bool) -> GRU {
        self.return_sequences = on;
        self
    }

    /// The layer's name (default: given by the model, `"gru"`, ...).
    pub fn name(self, name: &str) -> GRU {
        self.base.set_name(name);
        self
    }

    fn op(&self) -> String {
        format!("GRU({})", self.units)
    }

    pub(super) fn from_config(c: &Value) -> Option<GRU> {
        Some(GRU::new(c["units"].as_u64()? as usize).return_sequences(c["return_sequences"].as_bool()?))
    }
}

impl Layer for GRU {
    fn class_name(&self) -> &'static str {
        "GRU"
    }

    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }

    fn check_config(&self) -> Result<()> {
        if self.units == 0 {
            return Err(Error::value(self.op(), "units of at least 1", "0 (GRU::new(0))"));
        }
        Ok(())
    }

    fn build(&mut self, input_shape: &[usize], seed: u64) -> Result<Vec<usize>> {
        let (time, features) = recurrent::time_and_features(&self.op(), input_shape)?;
        self.check_config()?;
        let u = self.units;
        recurrent::build_weights(&self.base, (features, u, 3), &[2, 3 * u], seed)?;
        Ok(if self.return_sequences { vec![time, u] } else { vec![u] })
    }

    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        let w = self.base.weights_where(true);
        let [(_, kernel), (_, recurrent), (_, bias)] = &w[..] else {
            return Err(super::not_built(&self.op()));
        };
        let u = self.units;
        let row = |i: usize| bias.narrow(0, i, i + 1)?.reshape(&[3 * u as isize]);
        let (input_bias, recurrent_bias) = (row(0)?, row(1)?);
        recurrent::unroll(&self.op(), x, (kernel, &input_bias), u, self.return_sequences, |xz, h| {
            let hz = h.matmul(recurrent)?.add(&recurrent_bias)?;
            let part = |t: &Tensor, k: usize| t.narrow(1, k * u, (k + 1) * u);
            let z = sigmoid(&part(&xz, 0)?.add(&part(&hz, 0)?)?);
            let r = sigmoid(&part(&xz, 1)?.add(&part(&hz, 1)?)?);
            let candidate = tanh(&part(&xz, 2)?.add(&r.mul(&part(&hz, 2)?)?)?);
            z.mul(h)?.add(&z.neg().add_scalar(1.0).mul(&candidate)?)
        })
    }

    fn config(&self) -> Value {
        json!({"name": self.name(), "units": self.units, "return_sequences": self.return_sequences})
    }
}
