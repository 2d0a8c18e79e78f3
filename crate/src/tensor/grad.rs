//! Gradients of a scalar with respect to chosen tensors, with `None` for a tensor the scalar does not
//! depend on (what `GradientTape.gradient` returns in Keras).

use super::Tensor;
use crate::Result;
use ndarray::ArrayD;
use std::collections::HashSet;
use std::rc::Rc;

impl Tensor {
    /// Back-propagates from this scalar and returns `∂self/∂w` for each `w` in `wrt`, in order;
    /// `None` where `self` does not depend on `w` (a weight not used in the computation).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let (a, b) = (Tensor::param(array![2.0f32].into_dyn()), Tensor::param(array![5.0f32].into_dyn()));
    /// let loss = a.square().sum();
    /// let g = loss.gradients(&[a, b]).unwrap();
    /// assert_eq!(g[0], Some(array![4.0f32].into_dyn()));
    /// assert_eq!(g[1], None); // b is not used
    /// ```
    pub fn gradients(&self, wrt: &[Tensor]) -> Result<Vec<Option<ArrayD<f32>>>> {
        self.backward()?;
        let reached: HashSet<*const super::Node> =
            self.topological_order().iter().map(|t| Rc::as_ptr(&t.0)).collect();
        Ok(wrt.iter().map(|w| if reached.contains(&Rc::as_ptr(&w.0)) { w.grad() } else { None }).collect())
    }
}
