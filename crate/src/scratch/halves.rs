//! Two threads for the from-scratch network: each mini-batch, and the test set, is cut into two
//! halves, **always two** whatever the thread count, whose work runs side by side with
//! [`linalg::join`](crate::linalg::join): the gradients summed over each half, then added (first half
//! plus second half, `Σₓ = Σ_first + Σ_second`); or the correct test classifications counted in
//! each half, then added. The same numbers are added in the same order on one thread or two, so
//! training has the same bits on any thread count; only the speed changes.
//!
//! The sum over a mini-batch is still the lecture's sum: only the order of its additions differs
//! from one running total (by rounding, ~1e-16 relative).

use ndarray::Array2;

use super::batch::Workspace;
use super::cost::Cost;
use crate::linalg::join;

/// `items` cut into a first half (one more item when the count is odd) and a second half:
/// `[1, 2, 3]` → `([1, 2], [3])`.
pub(crate) fn halves<T>(items: &[T]) -> (&[T], &[T]) {
    items.split_at(items.len().div_ceil(2))
}

/// `sums[l] += other[l]` for every layer.
pub(crate) fn add_into(sums: &mut [Array2<f64>], other: &[Array2<f64>]) {
    for (s, o) in sums.iter_mut().zip(other) {
        *s += o;
    }
}

/// The two workspaces of batched training, one per half of a mini-batch.
pub(crate) struct HalfWorkspaces([Workspace; 2]);

impl HalfWorkspaces {
    /// Workspaces for the network `weights` and mini-batches of up to `batch_size` examples.
    pub(crate) fn new(weights: &[Array2<f64>], batch_size: usize) -> HalfWorkspaces {
        let half = batch_size.div_ceil(2);
        HalfWorkspaces([Workspace::new(weights, half), Workspace::new(weights, half)])
    }

    /// Batched backpropagation of `mini_batch`, one half per workspace side by side; returns the
    /// gradients summed over the whole mini-batch, `(Σₓ ∂C/∂bˡ, Σₓ ∂C/∂wˡ)`.
    pub(crate) fn backprop(
        &mut self,
        mini_batch: &[&(Array2<f64>, Array2<f64>)],
        biases: &[Array2<f64>],
        weights: &[Array2<f64>],
        cost: Cost,
    ) -> (&[Array2<f64>], &[Array2<f64>]) {
        let (first, second) = halves(mini_batch);
        let [ws0, ws1] = &mut self.0;
        let half = |ws: &mut Workspace, examples: &[&(Array2<f64>, Array2<f64>)]| {
            ws.load(examples);
            ws.backprop(examples.len(), biases, weights, cost);
        };
        join(
            || half(ws0, first),
            || {
                if !second.is_empty() {
                    half(ws1, second)
                }
            },
        );
        if !second.is_empty() {
            add_into(&mut ws0.grad_b, &ws1.grad_b);
            add_into(&mut ws0.grad_w, &ws1.grad_w);
        }
        (&ws0.grad_b, &ws0.grad_w)
    }
}

#[cfg(test)]
mod tests {
    use super::halves;

    #[test]
    fn halves_put_the_odd_example_first() {
        assert_eq!(halves(&[1, 2, 3]), (&[1, 2][..], &[3][..]));
        assert_eq!(halves(&[1, 2]), (&[1][..], &[2][..]));
        assert_eq!(halves(&[1]), (&[1][..], &[][..]));
    }
}
