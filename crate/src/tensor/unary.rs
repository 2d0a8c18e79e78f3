//! Element-wise functions `y = f(x)`.
//!
//! One primitive, [`Tensor::map`], takes `f` and its derivative `f'` (written as a function of `x`
//! and `y = f(x)`, since `f'` is often cheaper from `y`: `σ' = y(1 − y)`). Backward:
//! `∂L/∂x = ∂L/∂y · f'(x, y)`. The functions below are one line each on top of it.

use super::Tensor;
use crate::backend::parallel::par_for_each;
use ndarray::{ArrayD, Zip};

impl Tensor {
    /// `f` applied to every element; `df(x, y)` is the derivative `f'(x)` given `x` and `y = f(x)`.
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::param(array![1.0f32, 2.0].into_dyn());
    /// let y = x.map("cube", |x| x * x * x, |x, _y| 3.0 * x * x);
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap(), array![3.0f32, 12.0].into_dyn());
    /// ```
    pub fn map(
        &self,
        op: &'static str,
        f: impl Fn(f32) -> f32 + Sync,
        df: impl Fn(f32, f32) -> f32 + Sync + 'static,
    ) -> Tensor {
        let value = par_map(&self.value(), f);
        // The backward needs y: keep a copy of it (the output node itself cannot be captured).
        let y = if self.requires_grad() { value.clone() } else { Default::default() };
        Tensor::from_op(
            op,
            value,
            vec![self.clone()],
            Box::new(move |g, p| {
                let x = p[0].value();
                let mut dx = ArrayD::zeros(g.raw_dim());
                par_for_each!(Zip::from(&mut dx).and(g).and(&*x).and(&y), |d: &mut f32, &g, &x, &y| *d =
                    g * df(x, y));
                vec![Some(dx)]
            }),
        )
    }

    /// `f` applied to every element, for an `f` whose derivative `df(x)` needs only `x` (ReLU: `1` where
    /// `x > 0`, else `0`). Same as [`map`](Tensor::map), but nothing is kept for the backward beyond the
    /// input itself (no copy of `y`: one array less per layer and per batch).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let x = Tensor::param(array![-1.0f32, 2.0].into_dyn());
    /// let y = x.map_x("relu", |x| x.max(0.0), |x| if x > 0.0 { 1.0 } else { 0.0 });
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap(), array![0.0f32, 1.0].into_dyn());
    /// ```
    pub fn map_x(
        &self,
        op: &'static str,
        f: impl Fn(f32) -> f32 + Sync,
        df: impl Fn(f32) -> f32 + Sync + 'static,
    ) -> Tensor {
        let value = par_map(&self.value(), f);
        Tensor::from_op(
            op,
            value,
            vec![self.clone()],
            Box::new(move |g, p| {
                let x = p[0].value();
                let mut dx = ArrayD::zeros(g.raw_dim());
                par_for_each!(Zip::from(&mut dx).and(g).and(&*x), |d: &mut f32, &g, &x| *d = g * df(x));
                vec![Some(dx)]
            }),
        )
    }

    /// `−x`.
    pub fn neg(&self) -> Tensor {
        self.map("neg", |x| -x, |_, _| -1.0)
    }

    /// `c · x` for a number `c`.
    ///
    /// ```
    /// assert_eq!(nnlab::tensor::Tensor::scalar(2.0).scale(1.5).item(), 3.0);
    /// ```
    pub fn scale(&self, c: f32) -> Tensor {
        self.map("scale", move |x| c * x, move |_, _| c)
    }

    /// `x + c` for a number `c`.
    pub fn add_scalar(&self, c: f32) -> Tensor {
        self.map("add_scalar", move |x| x + c, |_, _| 1.0)
    }

    /// `eˣ`; derivative `eˣ = y`.
    pub fn exp(&self) -> Tensor {
        self.map("exp", f32::exp, |_, y| y)
    }

    /// `ln x`; derivative `1/x`.
    pub fn log(&self) -> Tensor {
        self.map("log", f32::ln, |x, _| 1.0 / x)
    }

    /// `x²`; derivative `2x`.
    pub fn square(&self) -> Tensor {
        self.map("square", |x| x * x, |x, _| 2.0 * x)
    }

    /// `√x`; derivative `1/(2√x)`.
    pub fn sqrt(&self) -> Tensor {
        self.map("sqrt", f32::sqrt, |_, y| 0.5 / y)
    }

    /// `|x|`; derivative `sign(x)` (0 at 0).
    pub fn abs(&self) -> Tensor {
        self.map("abs", f32::abs, |x, _| {
            if x > 0.0 {
                1.0
            } else if x < 0.0 {
                -1.0
            } else {
                0.0
            }
        })
    }

    /// `x` clipped to `[lo, hi]`; derivative 1 inside, 0 where clipped (as Keras' `clip`).
    /// Like `np.clip` it computes `min(max(x, lo), hi)`, so `lo > hi` makes every element `hi`, and a
    /// NaN stays NaN (so that a loss computed from it is NaN, not a finite number that trains on).
    ///
    /// ```
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let y = Tensor::new(array![-2.0f32, 0.5, 2.0].into_dyn()).clip(0.0, 1.0);
    /// assert_eq!(y.to_array(), array![0.0f32, 0.5, 1.0].into_dyn());
    /// assert!(Tensor::scalar(f32::NAN).clip(0.0, 1.0).item().is_nan());
    /// ```
    pub fn clip(&self, lo: f32, hi: f32) -> Tensor {
        let clip = move |x: f32| if x.is_nan() { x } else { x.max(lo).min(hi) };
        self.map("clip", clip, move |x, _| if x >= lo && x <= hi { 1.0 } else { 0.0 })
    }
}

/// `f` of every element of `x`, as a new array of `x`'s shape (the two halves side by side when `x` is
/// large: [`par_for_each`]).
pub(crate) fn par_map(x: &ArrayD<f32>, f: impl Fn(f32) -> f32 + Sync) -> ArrayD<f32> {
    let mut out = ArrayD::zeros(x.raw_dim());
    par_for_each!(Zip::from(&mut out).and(x), |o: &mut f32, &x: &f32| *o = f(x));
    out
}
