//! One step of mini-batch gradient descent, with optional L2 regularisation (weight decay):
//!
//! `w ← (1 − ηλ/n) w − (η/m) Σₓ ∂Cₓ/∂w`, `b ← b − (η/m) Σₓ ∂Cₓ/∂b`
//!
//! for a mini-batch of `m` examples out of `n` training examples, learning rate `η` and L2 strength
//! `λ`. With `λ = 0` this is exactly the lecture's update `w - (eta/len(mini_batch)) * partial`.

use ndarray::Array2;

use super::backprop::{add_backprop, check_example, Gradients};
use super::check::check_network;
use super::cost::{weight_decay, Cost};
use super::halves::{add_into, halves};
use crate::linalg::join;
use crate::{Error, Result};

/// The update above, given the gradients summed over the mini-batch (shapes checked by the caller).
#[allow(clippy::too_many_arguments)]
pub(crate) fn apply_update(
    biases: &mut [Array2<f64>],
    weights: &mut [Array2<f64>],
    sum_grad_b: &[Array2<f64>],
    sum_grad_w: &[Array2<f64>],
    eta: f64,
    m: usize,
    lambda: f64,
    n: usize,
) {
    let step = eta / m as f64;
    let decay = weight_decay(eta, lambda, n);
    for (w, g) in weights.iter_mut().zip(sum_grad_w) {
        w.zip_mut_with(g, |w, &g| *w = decay * *w - step * g);
    }
    for (b, g) in biases.iter_mut().zip(sum_grad_b) {
        b.zip_mut_with(g, |b, &g| *b -= step * g);
    }
}

/// One gradient step on `mini_batch`, example by example as the lecture's training loop does: the
/// [`backprop`](super::backprop()) gradients summed over the batch (each half of it on its own thread,
/// then the two sums added), then the update above with `n`
/// the number of training examples (used only by L2). `eta` must be positive and finite, `lambda`
/// non-negative and finite.
///
/// ```
/// use nnlab::prelude::*;
/// use nnlab::scratch::{self, Cost};
/// let mut rnd = RandomState::new(3);
/// let mut biases = scratch::set_biases(&[2], &mut rnd);
/// let mut weights = scratch::set_weights(&[(3, 2)], &mut rnd);
/// let data = vec![(array![[1.0], [0.0], [0.5]], scratch::unit_vector(1)?.slice(s![..2, ..]).to_owned())];
/// let batch: Vec<_> = data.iter().collect();
/// let before = weights[0].clone();
/// scratch::update_mini_batch(&batch, &mut biases, &mut weights, 0.5, 0.0, 1, Cost::Quadratic)?;
/// assert_ne!(weights[0], before);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn update_mini_batch(
    mini_batch: &[&(Array2<f64>, Array2<f64>)],
    biases: &mut [Array2<f64>],
    weights: &mut [Array2<f64>],
    eta: f64,
    lambda: f64,
    n: usize,
    cost: Cost,
) -> Result<()> {
    check_step("scratch::update_mini_batch", eta, lambda, n)?;
    if mini_batch.is_empty() {
        return Err(Error::value(
            "scratch::update_mini_batch",
            "at least one example",
            "an empty mini-batch",
        ));
    }
    let op = "scratch::update_mini_batch";
    check_network(op, biases, weights)?;
    // The sums of the partial derivatives of weights and biases over the examples, the lecture's loop:
    // `partial_deriv_...[l] + deriv_...[l]` for each example's backprop(x, y, ...), in one pass.
    let sum_over = |examples: &[&(Array2<f64>, Array2<f64>)]| -> Result<Gradients> {
        let mut partial_deriv_biases: Vec<Array2<f64>> =
            biases.iter().map(|b| Array2::zeros(b.raw_dim())).collect();
        let mut partial_deriv_weights: Vec<Array2<f64>> =
            weights.iter().map(|w| Array2::zeros(w.raw_dim())).collect();
        for (x, y) in examples.iter().map(|p| (&p.0, &p.1)) {
            check_example(op, x, y, weights)?;
            add_backprop(x, y, biases, weights, cost, &mut partial_deriv_biases, &mut partial_deriv_weights);
        }
        Ok((partial_deriv_biases, partial_deriv_weights))
    };
    // Each half of the mini-batch on its own thread (see halves.rs), then the two sums added.
    let (first, second) = halves(mini_batch);
    let (sums, second_sums) = join(|| sum_over(first), || sum_over(second));
    let ((mut partial_deriv_biases, mut partial_deriv_weights), (second_b, second_w)) = (sums?, second_sums?);
    add_into(&mut partial_deriv_biases, &second_b);
    add_into(&mut partial_deriv_weights, &second_w);
    apply_update(
        biases,
        weights,
        &partial_deriv_biases,
        &partial_deriv_weights,
        eta,
        mini_batch.len(),
        lambda,
        n,
    );
    Ok(())
}

/// `eta` positive and finite, `lambda` non-negative and finite, `n ≥ 1`.
pub(crate) fn check_step(op: &str, eta: f64, lambda: f64, n: usize) -> Result<()> {
    if !(eta.is_finite() && eta > 0.0) {
        return Err(Error::value(op, "a positive finite learning rate eta", eta.to_string()));
    }
    if !(lambda.is_finite() && lambda >= 0.0) {
        return Err(Error::value(op, "a non-negative finite L2 strength lambda", lambda.to_string()));
    }
    if n == 0 {
        return Err(Error::value(op, "a training-set size n of at least 1", "0"));
    }
    Ok(())
}
