//! Activation functions, by name as in Keras, on tensors (with gradients) and on plain arrays (to plot).
//!
//! | name | formula |
//! |---|---|
//! | `"linear"` | `x` |
//! | `"sigmoid"` | `1 / (1 + e⁻ˣ)` |
//! | `"tanh"` | `tanh x` |
//! | `"relu"` | `max(0, x)` |
//! | `"leaky_relu"` | `x` if `x > 0` else `0.2 x` (Keras' default slope) |
//! | `"swish"` / `"silu"` | `x σ(x)` |
//! | `"elu"` | `x` if `x > 0` else `eˣ − 1` |
//! | `"gelu"` | `x Φ(x)` (exact, with erf) |
//! | `"softplus"` | `ln(1 + eˣ)` |
//! | `"softmax"` | `e^(xᵢ − max x) / Σⱼ e^(xⱼ − max x)` over the last axis |
//!
//! ```
//! use nnlab::activations::{self, Activation};
//! use nnlab::ndarray::Array1;
//! let relu = activations::get("relu").unwrap();
//! assert_eq!(relu, Activation::Relu);
//! // On an array, e.g. to plot it:
//! let x = Array1::linspace(-3.0, 3.0, 7);
//! assert_eq!(relu.apply(&x).to_vec(), vec![0.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0]);
//! // A typo gets a suggestion:
//! let e = activations::get("reul").unwrap_err();
//! assert!(e.to_string().contains(r#"did you mean "relu"?"#));
//! ```

pub mod formulas;

use crate::backend::{swish_backward, swish_forward};
use crate::tensor::Tensor;
use crate::{Error, Result};
use formulas as f;
use ndarray::{Array, ArrayD, Axis, Dimension, Zip};

/// An activation function. Get one by name with [`get`]; the default is the identity, as Keras'
/// `activation=None`.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub enum Activation {
    /// `x`.
    #[default]
    Linear,
    /// `1 / (1 + e⁻ˣ)`.
    Sigmoid,
    /// `tanh x`.
    Tanh,
    /// `max(0, x)`.
    Relu,
    /// `x` if `x > 0` else `alpha · x`.
    LeakyRelu {
        /// The slope for negative inputs (Keras' default 0.2).
        alpha: f32,
    },
    /// `x σ(x)`, a.k.a. SiLU.
    Swish,
    /// `x` if `x > 0` else `alpha (eˣ − 1)`.
    Elu {
        /// The scale of the negative part (Keras' default 1.0).
        alpha: f32,
    },
    /// `x Φ(x)`.
    Gelu,
    /// `ln(1 + eˣ)`.
    Softplus,
    /// Normalised exponentials over the last axis.
    Softmax,
}

/// The names [`get`] knows.
pub const NAMES: &[&str] = &[
    "linear",
    "sigmoid",
    "tanh",
    "relu",
    "leaky_relu",
    "swish",
    "silu",
    "elu",
    "gelu",
    "softplus",
    "softmax",
];

/// The activation called `name` (Keras' names; `None`/`"linear"` is the identity).
pub fn get(name: &str) -> Result<Activation> {
    Ok(match name {
        "linear" | "" => Activation::Linear,
        "sigmoid" => Activation::Sigmoid,
        "tanh" => Activation::Tanh,
        "relu" => Activation::Relu,
        "leaky_relu" => Activation::LeakyRelu { alpha: 0.2 },
        "swish" | "silu" => Activation::Swish,
        "elu" => Activation::Elu { alpha: 1.0 },
        "gelu" => Activation::Gelu,
        "softplus" => Activation::Softplus,
        "softmax" => Activation::Softmax,
        _ => return Err(Error::unknown_name("activations::get", "activation", name, NAMES)),
    })
}

impl Activation {
    /// Keras' name of the activation (`"relu"`, ...).
    pub fn name(&self) -> &'static str {
        match self {
            Activation::Linear => "linear",
            Activation::Sigmoid => "sigmoid",
            Activation::Tanh => "tanh",
            Activation::Relu => "relu",
            Activation::LeakyRelu { .. } => "leaky_relu",
            Activation::Swish => "swish",
            Activation::Elu { .. } => "elu",
            Activation::Gelu => "gelu",
            Activation::Softplus => "softplus",
            Activation::Softmax => "softmax",
        }
    }

    /// The activation applied to a tensor, recorded for back-propagation. Softmax works on the last
    /// axis; the others element by element.
    ///
    /// ```
    /// use nnlab::activations::get;
    /// use nnlab::tensor::Tensor;
    /// use nnlab::ndarray::array;
    /// let p = get("softmax").unwrap().call(&Tensor::new(array![[1.0f32, 1.0]].into_dyn()));
    /// assert_eq!(p.to_array(), array![[0.5f32, 0.5]].into_dyn());
    /// ```
    pub fn call(&self, x: &Tensor) -> Tensor {
        match *self {
            Activation::Linear => x.clone(),
            Activation::Sigmoid => x.map("sigmoid", f::sigmoid, f::sigmoid_grad),
            Activation::Tanh => x.map("tanh", f32::tanh, f::tanh_grad),
            Activation::Relu => x.map_x("relu", f::relu, |x| f::relu_grad(x, 0.0)),
            Activation::LeakyRelu { alpha } => {
                x.map_x("leaky_relu", move |x| f::leaky_relu(x, alpha), move |x| f::leaky_relu_grad(x, alpha))
            }
            Activation::Swish => swish_keeping_sigmoid(x),
            Activation::Elu { alpha } => {
                x.map("elu", move |x| f::elu(x, alpha), move |x, y| f::elu_grad(x, y, alpha))
            }
            Activation::Gelu => x.map("gelu", f::gelu, f::gelu_grad),
            Activation::Softplus => x.map("softplus", f::softplus, f::softplus_grad),
            Activation::Softmax => softmax(x),
        }
    }

    /// The activation on a plain `f64` array of any shape (softmax over the last axis), e.g. to plot it.
    ///
    /// ```
    /// use nnlab::activations::get;
    /// use nnlab::ndarray::array;
    /// let y = get("sigmoid").unwrap().apply(&array![0.0, 1000.0, -1000.0]);
    /// assert_eq!(y.to_vec(), vec![0.5, 1.0, 0.0]); // no overflow
    /// ```
    pub fn apply<D: Dimension>(&self, x: &Array<f64, D>) -> Array<f64, D> {
        match *self {
            Activation::Linear => x.clone(),
            Activation::Sigmoid => x.mapv(f::sigmoid),
            Activation::Tanh => x.mapv(f64::tanh),
            Activation::Relu => x.mapv(f::relu),
            Activation::LeakyRelu { alpha } => x.mapv(|x| f::leaky_relu(x, alpha as f64)),
            Activation::Swish => x.mapv(f::swish),
            Activation::Elu { alpha } => x.mapv(|x| f::elu(x, alpha as f64)),
            Activation::Gelu => x.mapv(f::gelu),
            Activation::Softplus => x.mapv(f::softplus),
            Activation::Softmax => {
                let mut y = x.clone();
                if let Some(last) = y.ndim().checked_sub(1) {
                    for mut lane in y.lanes_mut(Axis(last)) {
                        let m = lane.fold(f64::NEG_INFINITY, |m, &v| m.max(v));
                        lane.mapv_inplace(|v| (v - m).exp());
                        let s = lane.sum();
                        lane.mapv_inplace(|v| v / s);
                    }
                }
                y
            }
        }
    }
}

/// Swish `y = x σ(x)` as one op that keeps `s = σ(x)` for the backward, so each element costs one
/// exponential instead of two (`map` would recompute σ in `f::swish_grad`): `∂L/∂x = g · s (1 + x (1 − s))`.
/// The same formulas as `x.map("swish", f::swish, f::swish_grad)`; the loops are the backend's.
fn swish_keeping_sigmoid(x: &Tensor) -> Tensor {
    let (y, s) = swish_forward(&x.value());
    let s = if x.requires_grad() { s } else { vec![] };
    Tensor::from_op(
        "swish",
        y,
        vec![x.clone()],
        Box::new(move |g, p| vec![Some(swish_backward(g, &p[0].value(), &s))]),
    )
}

/// Softmax over the last axis: `yᵢ = e^(xᵢ − m) / Σⱼ e^(xⱼ − m)` with `m = max x` (no overflow).
///
/// Backward (the Jacobian `∂yᵢ/∂xⱼ = yᵢ(δᵢⱼ − yⱼ)` applied to `g`): `∂L/∂x = y ⊙ (g − Σⱼ gⱼ yⱼ)`.
///
/// ```
/// use nnlab::activations::softmax;
/// use nnlab::tensor::Tensor;
/// use nnlab::ndarray::array;
/// let y = softmax(&Tensor::new(array![[0.0f32, 1000.0]].into_dyn()));
/// assert_eq!(y.to_array(), array![[0.0f32, 1.0]].into_dyn());
/// ```
pub fn softmax(x: &Tensor) -> Tensor {
    let mut y: ArrayD<f32> = x.to_array();
    let last = Axis(y.ndim().saturating_sub(1));
    if y.ndim() > 0 {
        for mut lane in y.lanes_mut(last) {
            let m = lane.fold(f32::NEG_INFINITY, |m, &v| m.max(v));
            lane.mapv_inplace(|v| (v - m).exp());
            let s = lane.sum();
            lane.mapv_inplace(|v| v / s);
        }
    }
    let y_saved = if x.requires_grad() { y.clone() } else { ArrayD::zeros(vec![0]) };
    Tensor::from_op(
        "softmax",
        y,
        vec![x.clone()],
        Box::new(move |g, _| {
            let mut dx = g.clone();
            Zip::from(dx.lanes_mut(last)).and(y_saved.lanes(last)).for_each(|mut d, y| {
                let dot: f32 = d.iter().zip(y.iter()).map(|(g, y)| g * y).sum();
                Zip::from(&mut d).and(&y).for_each(|d, &y| *d = y * (*d - dot));
            });
            vec![Some(dx)]
        }),
    )
}

macro_rules! by_name {
    ($($fn_name:ident => $name:literal),*) => {$(
        #[doc = concat!("`", $name, "` on a tensor (see the table in the [module docs](self)).")]
        pub fn $fn_name(x: &Tensor) -> Tensor {
            get($name).expect("a known name").call(x)
        }
    )*};
}

by_name!(sigmoid => "sigmoid", tanh => "tanh", relu => "relu", leaky_relu => "leaky_relu", swish => "swish",
    silu => "silu", elu => "elu", gelu => "gelu", softplus => "softplus", linear => "linear");
