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
    ///
    /// `wrt` may also hold intermediate results (as in TensorFlow): their gradients are kept for this.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let w = Tensor::param(array![3.0f32].into_dyn());
    /// let h = w.mul(&w).unwrap(); // h = w²
    /// let loss = h.mul(&Tensor::scalar(2.0)).unwrap().sum(); // loss = 2h
    /// let g = loss.gradients(&[h, w]).unwrap();
    /// assert_eq!(g[0], Some(array![2.0f32].into_dyn())); // ∂loss/∂h
    /// assert_eq!(g[1], Some(array![12.0f32].into_dyn())); // ∂loss/∂w = 4w
    /// ```
    pub fn gradients(&self, wrt: &[Tensor]) -> Result<Vec<Option<ArrayD<f32>>>> {
        let keep: HashSet<*const super::Node> = wrt.iter().map(|w| Rc::as_ptr(&w.0)).collect();
        self.backward_keeping(&keep)?;
        let reached: HashSet<*const super::Node> =
            self.topological_order().iter().map(|t| Rc::as_ptr(&t.0)).collect();
        Ok(wrt.iter().map(|w| if reached.contains(&Rc::as_ptr(&w.0)) { w.grad() } else { None }).collect())
    }
}
