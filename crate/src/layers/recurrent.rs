//! What the recurrent layers share: Keras' `orthogonal` initializer for their recurrent kernels, and
//! the unrolled loop over time. For inputs `x: [batch, time, features]`, the input part of every step,
//! `x_t · kernel + bias`, is one product over all steps; then a step function makes `h_t` from it and
//! `h_{t−1}` (`h₀ = 0`); the layer returns the last `h`, or every `h` (`[batch, time, units]`).

use super::LayerBase;
use crate::seeded::SeededRng;
use crate::tensor::Tensor;
use crate::{Error, Result};
use ndarray::{Array2, ArrayD};

/// Keras' `orthogonal` initializer for `[rows, cols]`: the Q of a QR factorisation (Gram–Schmidt)
/// of a standard normal matrix, transposed when `rows < cols`.
pub(super) fn orthogonal(rows: usize, cols: usize, seed: u64) -> ArrayD<f32> {
    let (n, m) = (rows.max(cols), rows.min(cols)); // m orthonormal columns of length n
    let mut rng = SeededRng::new(seed);
    let mut q = Array2::from_shape_simple_fn((n, m), || rng.normal());
    for j in 0..m {
        for k in 0..j {
            let dot = q.column(j).dot(&q.column(k));
            let qk = q.column(k).to_owned();
            q.column_mut(j).scaled_add(-dot, &qk);
        }
        let norm = q.column(j).dot(&q.column(j)).sqrt().max(1e-12);
        q.column_mut(j).mapv_inplace(|v| v / norm);
    }
    let q = if rows < cols { q.reversed_axes() } else { q };
    q.mapv(|v| v as f32).into_dyn()
}

/// The `(time, features)` of a recurrent layer's input shape (without the batch), or the error
/// naming the layer `op`.
pub(super) fn time_and_features(op: &str, input_shape: &[usize]) -> Result<(usize, usize)> {
    match *input_shape {
        [time, features] => Ok((time, features)),
        _ => Err(Error::shape(op, "inputs [batch, time, features]", format!("[batch, {input_shape:?}]"))),
    }
}

/// Makes a recurrent layer's weights, in Keras' order: `kernel: [features, gates·units]`
/// (glorot_uniform), `recurrent_kernel: [units, gates·units]` (orthogonal, drawn from `seed + 7`) and a
/// bias of `bias_shape` (zeros). Built again, it finds the same weights and returns `None`; the first
/// time it returns the bias, for a layer that starts part of it elsewhere (LSTM's forget gate).
pub(super) fn build_weights(
    base: &LayerBase,
    (features, units, gates): (usize, usize, usize),
    bias_shape: &[usize],
    seed: u64,
) -> Result<Option<Tensor>> {
    let first = base.weights_where(true).is_empty();
    base.begin_build(seed);
    base.add_weight_named("kernel", &[features, gates * units], "glorot_uniform", true)?;
    let recurrent = base.add_weight_named("recurrent_kernel", &[units, gates * units], "zeros", true)?;
    let bias = base.add_weight_named("bias", bias_shape, "zeros", true)?;
    if !first {
        return Ok(None);
    }
    recurrent.assign(orthogonal(units, gates * units, seed.wrapping_add(7)))?;
    Ok(Some(bias))
}

/// Runs `step(x_t · kernel + bias, h_{t−1}) → h_t` over the time axis of `x: [batch, time, features]`
/// (`kernel: [features, width]`, `h: [batch, units]`) and returns the last `h`, or every `h` stacked
/// (`[batch, time, units]`) when `return_sequences`. `op` names the layer in the shape error.
pub(super) fn unroll(
    op: &str,
    x: &Tensor,
    (kernel, bias): (&Tensor, &Tensor),
    units: usize,
    return_sequences: bool,
    mut step: impl FnMut(Tensor, &Tensor) -> Result<Tensor>,
) -> Result<Tensor> {
    let (xs, features) = (x.shape(), kernel.shape()[0]);
    if xs.len() != 3 || xs[2] != features {
        return Err(Error::shape(op, format!("inputs [batch, time, {features}]"), format!("{xs:?}")));
    }
    let (b, time) = (xs[0] as isize, xs[1]);
    // The input part of every step at once: [batch·time, features] · kernel.
    let width = kernel.shape()[1] as isize;
    let xw = x.reshape(&[b * time as isize, -1])?.matmul(kernel)?.add(bias)?.reshape(&[
        b,
        time as isize,
        width,
    ])?;
    let mut h = Tensor::new(ArrayD::zeros(vec![xs[0], units]));
    let mut outputs = vec![];
    for t in 0..time {
        h = step(xw.narrow(1, t, t + 1)?.reshape(&[b, -1])?, &h)?;
        if return_sequences {
            outputs.push(h.reshape(&[b, 1, units as isize])?);
        }
    }
    if return_sequences {
        Tensor::concat(&outputs, 1)
    } else {
        Ok(h)
    }
}
