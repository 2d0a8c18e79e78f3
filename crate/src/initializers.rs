//! Weight initializers, by Keras' names and with Keras' formulas, seeded.
//!
//! For a kernel of shape `[fan_in, fan_out]`:
//!
//! | name | distribution |
//! |---|---|
//! | `"glorot_uniform"` (Dense's default) | `U(−l, l)`, `l = √(6 / (fan_in + fan_out))` |
//! | `"glorot_normal"` | truncated normal (±2σ), `σ = √(2 / (fan_in + fan_out)) / 0.8796` |
//! | `"he_uniform"` | `U(−l, l)`, `l = √(6 / fan_in)` |
//! | `"he_normal"` | truncated normal (±2σ), `σ = √(2 / fan_in) / 0.8796` |
//! | `"random_normal"` | `N(0, 0.05²)` |
//! | `"random_uniform"` | `U(−0.05, 0.05)` |
//! | `"zeros"`, `"ones"` | constants (bias default: zeros) |
//!
//! (0.8796 is the standard deviation of a unit normal truncated at ±2: dividing by it keeps the
//! variance Keras' `VarianceScaling` asks for.)
//!
//! ```
//! use nnlab::initializers;
//! let w = initializers::get("glorot_uniform").unwrap().init(&[784, 100], 42);
//! let limit = (6.0f32 / 884.0).sqrt();
//! assert!(w.iter().all(|v| v.abs() <= limit));
//! assert_eq!(w, initializers::get("glorot_uniform").unwrap().init(&[784, 100], 42)); // same seed, same weights
//! ```

use crate::seeded::SeededRng;
use crate::{Error, Result};
use ndarray::ArrayD;

/// An initializer. Get one by name with [`get`].
#[derive(Clone, Copy, Debug, PartialEq)]
pub enum Initializer {
    /// Glorot (Xavier) uniform.
    GlorotUniform,
    /// Glorot (Xavier) truncated normal.
    GlorotNormal,
    /// He uniform.
    HeUniform,
    /// He truncated normal.
    HeNormal,
    /// Normal with mean 0 and the given standard deviation (Keras: 0.05).
    RandomNormal {
        /// Standard deviation.
        stddev: f32,
    },
    /// Uniform in `[-limit, limit]` (Keras: 0.05).
    RandomUniform {
        /// Half-width.
        limit: f32,
    },
    /// All zeros.
    Zeros,
    /// All ones.
    Ones,
}

/// The names [`get`] knows.
pub const NAMES: &[&str] = &[
    "glorot_uniform",
    "glorot_normal",
    "he_uniform",
    "he_normal",
    "random_normal",
    "random_uniform",
    "zeros",
    "ones",
];

/// An error naming the layer `op` when one of `names` is not an initializer (for `check_config`).
pub(crate) fn check_names(op: &str, names: &[&str]) -> Result<()> {
    match names.iter().find(|n| get(n).is_err()) {
        Some(name) => Err(Error::unknown_name(op, "initializer", name, NAMES)),
        None => Ok(()),
    }
}

/// The initializer called `name`.
pub fn get(name: &str) -> Result<Initializer> {
    Ok(match name {
        "glorot_uniform" => Initializer::GlorotUniform,
        "glorot_normal" => Initializer::GlorotNormal,
        "he_uniform" => Initializer::HeUniform,
        "he_normal" => Initializer::HeNormal,
        "random_normal" => Initializer::RandomNormal { stddev: 0.05 },
        "random_uniform" => Initializer::RandomUniform { limit: 0.05 },
        "zeros" => Initializer::Zeros,
        "ones" => Initializer::Ones,
        _ => return Err(Error::unknown_name("initializers::get", "initializer", name, NAMES)),
    })
}

/// Keras' fans: for a 2-d `[in, out]` shape `(in, out)`; for 1-d `(n, n)`; for more dimensions the
/// product of the leading ones is the receptive field.
fn fans(shape: &[usize]) -> (f64, f64) {
    match shape {
        [] => (1.0, 1.0),
        [n] => (*n as f64, *n as f64),
        [i, o] => (*i as f64, *o as f64),
        _ => {
            let rf: usize = shape[..shape.len() - 2].iter().product();
            ((shape[shape.len() - 2] * rf) as f64, (shape[shape.len() - 1] * rf) as f64)
        }
    }
}

/// The standard deviation of a unit normal truncated to ±2.
const TRUNCATED_STD: f64 = 0.879_625_661_034_239_8;

impl Initializer {
    /// Keras' name.
    pub fn name(&self) -> &'static str {
        match self {
            Initializer::GlorotUniform => "glorot_uniform",
            Initializer::GlorotNormal => "glorot_normal",
            Initializer::HeUniform => "he_uniform",
            Initializer::HeNormal => "he_normal",
            Initializer::RandomNormal { .. } => "random_normal",
            Initializer::RandomUniform { .. } => "random_uniform",
            Initializer::Zeros => "zeros",
            Initializer::Ones => "ones",
        }
    }

    /// A new array of `shape` drawn with `seed` (row-major order).
    pub fn init(&self, shape: &[usize], seed: u64) -> ArrayD<f32> {
        let (fan_in, fan_out) = fans(shape);
        let mut rng = SeededRng::new(seed);
        let mut uniform =
            |limit: f64| ArrayD::from_shape_simple_fn(shape, || ((rng.uniform() * 2.0 - 1.0) * limit) as f32);
        match *self {
            Initializer::GlorotUniform => uniform((6.0 / (fan_in + fan_out)).sqrt()),
            Initializer::HeUniform => uniform((6.0 / fan_in).sqrt()),
            Initializer::RandomUniform { limit } => uniform(limit as f64),
            Initializer::GlorotNormal | Initializer::HeNormal => {
                let var =
                    if *self == Initializer::HeNormal { 2.0 / fan_in } else { 2.0 / (fan_in + fan_out) };
                let std = var.sqrt() / TRUNCATED_STD;
                let mut rng = SeededRng::new(seed);
                ArrayD::from_shape_simple_fn(shape, || (rng.truncated_normal() * std) as f32)
            }
            Initializer::RandomNormal { stddev } => {
                let mut rng = SeededRng::new(seed);
                ArrayD::from_shape_simple_fn(shape, || (rng.normal() * stddev as f64) as f32)
            }
            Initializer::Zeros => ArrayD::zeros(shape),
            Initializer::Ones => ArrayD::ones(shape),
        }
    }
}

impl TryFrom<&str> for Initializer {
    type Error = Error;
    fn try_from(name: &str) -> Result<Initializer> {
        get(name)
    }
}
