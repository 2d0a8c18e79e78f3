//! The activation functions as formulas on one number, written once for `f32` (tensors) and `f64`
//! (plotting), each next to its derivative `f'(x)` given `x` and `y = f(x)`.

use num_traits::Float;

/// A float type the formulas work on: `f32` or `f64`.
pub trait Scalar: Float + 'static {
    /// The error function `erf(x) = 2/√π ∫₀ˣ e^(−t²) dt` (from `libm`).
    fn erf(self) -> Self;
    /// A constant.
    fn c(x: f64) -> Self;
}

impl Scalar for f32 {
    fn erf(self) -> f32 {
        libm::erff(self)
    }
    fn c(x: f64) -> f32 {
        x as f32
    }
}

impl Scalar for f64 {
    fn erf(self) -> f64 {
        libm::erf(self)
    }
    fn c(x: f64) -> f64 {
        x
    }
}

/// `σ(x) = 1 / (1 + e⁻ˣ)`, computed without overflow: for `x < 0` as `eˣ / (1 + eˣ)`.
///
/// Both cases are one formula, `n / (1 + e)` with `e = e^(−|x|)` and `n = 1` or `e`: only the
/// numerator is chosen by the sign, which the compiler does without a jump (a jump on the sign of
/// random inputs is mispredicted half the time).
pub fn sigmoid<T: Scalar>(x: T) -> T {
    let e = (-x.abs()).exp();
    let numerator = if x >= T::zero() { T::one() } else { e };
    numerator / (T::one() + e)
}

/// `σ'(x) = y (1 − y)`.
pub fn sigmoid_grad<T: Scalar>(_x: T, y: T) -> T {
    y * (T::one() - y)
}

/// `tanh'(x) = 1 − y²`.
pub fn tanh_grad<T: Scalar>(_x: T, y: T) -> T {
    T::one() - y * y
}

/// `relu(x) = max(0, x)`; NaN stays NaN (a NaN that became 0 would train on silently).
pub fn relu<T: Scalar>(x: T) -> T {
    if x > T::zero() || x.is_nan() {
        x
    } else {
        T::zero()
    }
}

/// `relu'(x) = 1 if x > 0 else 0` (NaN for NaN).
pub fn relu_grad<T: Scalar>(x: T, _y: T) -> T {
    if x > T::zero() {
        T::one()
    } else if x.is_nan() {
        x
    } else {
        T::zero()
    }
}

/// `leaky_relu(x) = x if x > 0 else αx`.
pub fn leaky_relu<T: Scalar>(x: T, alpha: T) -> T {
    if x > T::zero() {
        x
    } else {
        alpha * x
    }
}

/// `leaky_relu'(x) = 1 if x > 0 else α`.
pub fn leaky_relu_grad<T: Scalar>(x: T, alpha: T) -> T {
    if x > T::zero() {
        T::one()
    } else {
        alpha
    }
}

/// `swish(x) = x σ(x)` (also called SiLU).
pub fn swish<T: Scalar>(x: T) -> T {
    x * sigmoid(x)
}

/// `swish'(x) = σ(x) (1 + x (1 − σ(x)))`.
pub fn swish_grad<T: Scalar>(x: T, _y: T) -> T {
    let s = sigmoid(x);
    s * (T::one() + x * (T::one() - s))
}

/// `elu(x) = x if x > 0 else α (eˣ − 1)`.
pub fn elu<T: Scalar>(x: T, alpha: T) -> T {
    if x > T::zero() {
        x
    } else {
        alpha * x.exp_m1()
    }
}

/// `elu'(x) = 1 if x > 0 else y + α`.
pub fn elu_grad<T: Scalar>(x: T, y: T, alpha: T) -> T {
    if x > T::zero() {
        T::one()
    } else {
        y + alpha
    }
}

/// `gelu(x) = x Φ(x) = x (1 + erf(x/√2)) / 2` (the exact form, Keras' default `approximate=False`).
pub fn gelu<T: Scalar>(x: T) -> T {
    x * T::c(0.5) * (T::one() + (x * T::c(std::f64::consts::FRAC_1_SQRT_2)).erf())
}

/// `gelu'(x) = Φ(x) + x φ(x)`, with `φ(x) = e^(−x²/2) / √(2π)`.
pub fn gelu_grad<T: Scalar>(x: T, _y: T) -> T {
    let cdf = T::c(0.5) * (T::one() + (x * T::c(std::f64::consts::FRAC_1_SQRT_2)).erf());
    let pdf = (-x * x * T::c(0.5)).exp() * T::c(0.398_942_280_401_432_7);
    cdf + x * pdf
}

/// `softplus(x) = ln(1 + eˣ)`, computed without overflow as `max(x, 0) + ln(1 + e^(−|x|))`.
pub fn softplus<T: Scalar>(x: T) -> T {
    x.max(T::zero()) + (-x.abs()).exp().ln_1p()
}

/// `softplus'(x) = σ(x)`.
pub fn softplus_grad<T: Scalar>(x: T, _y: T) -> T {
    sigmoid(x)
}
