//! `Activation("relu")`: applies an activation function as a layer of its own.

use super::Layer;
use crate::activations::{self, Activation as Act};
use crate::tensor::Tensor;
use crate::{Error, Result};
use serde_json::{json, Value};

/// An activation as a layer (no weights).
///
/// ```
/// use nnlab::layers::{Activation, Layer};
/// let mut a = Activation::new("tanh");
/// assert_eq!(a.build(&[5], 0).unwrap(), vec![5]);
/// assert!(Activation::new("tahn").build(&[5], 0).is_err());
/// ```
pub struct Activation {
    activation: std::result::Result<Act, String>,
    name: String,
    built: Option<Vec<usize>>,
}

impl Activation {
    /// The activation called `name` (see [`activations`]); an unknown name is reported at build.
    pub fn new(name: &str) -> Activation {
        Activation {
            activation: activations::get(name).map_err(|_| name.to_string()),
            name: String::new(),
            built: None,
        }
    }

    fn get(&self) -> Result<Act> {
        self.activation
            .clone()
            .map_err(|n| Error::unknown_name("Activation", "activation", &n, activations::NAMES))
    }
}

impl Layer for Activation {
    fn class_name(&self) -> &'static str {
        "Activation"
    }
    fn name(&self) -> &str {
        &self.name
    }
    fn set_name(&mut self, name: &str) {
        self.name = name.to_string();
    }
    fn check_config(&self) -> Result<()> {
        self.get().map(|_| ())
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.get()?;
        self.built = Some(input_shape.to_vec());
        Ok(input_shape.to_vec())
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        Ok(self.get()?.call(x))
    }
    fn output_shape(&self) -> Option<Vec<usize>> {
        self.built.clone()
    }
    fn config(&self) -> Value {
        let name = match &self.activation {
            Ok(a) => a.name().to_string(),
            Err(n) => n.clone(),
        };
        json!({"name": self.name, "activation": name})
    }
}
