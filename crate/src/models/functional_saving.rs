//! `Model::save` / `Model::load`: a Functional model in one `.safetensors` file, as `Sequential`'s:
//! every weight, trainable or not (`"dense/kernel"`, `"batch_normalization/moving_mean"`, ...), and in
//! the metadata the graph as JSON: the inputs (name, shape, dtype), each layer once (class and
//! configuration), the layer applications (`{"layer": k, "args": [node, ...]}`, nodes numbered inputs
//! first, then applications) and the output nodes. Written atomically (a temporary file renamed).
//! A layer written in a notebook (a custom class) is saved, but cannot be made again by `load`: that
//! is an error naming the layer.

use super::functional::Model;
use crate::layers::{self, Input, KerasTensor, Shared};
use crate::tensor::Tensor;
use crate::{Error, Result};
use safetensors::tensor::SafeTensors;
use serde_json::{json, Value};
use std::path::Path;

/// The format tag in the file's configuration.
pub(crate) const FORMAT: &str = "nnlab.Model/1";

impl Model {
    /// Every weight by its file name: trainable ones, then the non-trainable (moving statistics).
    fn all_weights(&self) -> Vec<(String, Tensor)> {
        let g = &self.inner.layers[0];
        let mut w = g.named_weights();
        w.extend(g.non_trainable_weights());
        w
    }

    /// Saves the model to `path` (e.g. `"model.safetensors"`); [`Model::load`] reads it back.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let inputs = Input::new(&[3]);
    /// let h = Dense::new(4).activation("relu").apply(&inputs).unwrap();
    /// let a = Dense::new(1).apply(&h).unwrap();
    /// let b = Dense::new(2).activation("softmax").apply(&h).unwrap();
    /// let mut m = Model::new(&[inputs], &[a, b]).unwrap();
    /// let path = std::env::temp_dir().join("nnlab-doctest-functional.safetensors");
    /// m.save(&path).unwrap();
    /// let mut back = Model::load(&path).unwrap();
    /// let x = array![[1.0f32, 2.0, 3.0]];
    /// assert_eq!(back.predict_outputs(&x).unwrap(), m.predict_outputs(&x).unwrap());
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let op = format!("Model.save({})", path.display());
        let g = &self.graph;
        let index =
            |l: &Shared| g.layers.iter().position(|m| m.same(l)).expect("every step's layer is listed");
        let config = json!({
            "format": FORMAT,
            "name": self.name,
            "inputs": g.inputs.iter().map(|s| json!({"name": s.name, "shape": s.shape, "dtype": s.dtype})).collect::<Vec<_>>(),
            "layers": g.layers.iter().map(|l| layers::saved_layer(l.0.borrow().as_ref())).collect::<Vec<_>>(),
            "steps": g.steps.iter().map(|s| json!({"layer": index(&s.layer), "args": s.args})).collect::<Vec<_>>(),
            "outputs": g.outputs,
        });
        super::saving::write_weights(&op, path, self.all_weights(), &config)
    }

    /// Loads a model written by [`Model::save`]; it predicts bit for bit as the saved one. A missing,
    /// truncated or mismatched file, or a layer class that is not built in, is an error.
    pub fn load(path: impl AsRef<Path>) -> Result<Model> {
        let path = path.as_ref();
        let op = format!("Model.load({})", path.display());
        let bad = |m: String| Error::format(&op, m);
        let bytes = std::fs::read(path).map_err(|e| Error::io(&op, e))?;
        let st = SafeTensors::deserialize(&bytes)
            .map_err(|e| bad(format!("not a complete safetensors file ({e})")))?;
        let config = read_config(&op, &bytes)?;
        if config["format"] != FORMAT {
            return Err(bad(format!(
                "a functional model ({FORMAT:?}), got {} (a Sequential file: use load_model)",
                config["format"]
            )));
        }
        let list = |key: &str| config[key].as_array().ok_or_else(|| bad(format!("no {key:?} list")));
        let mut nodes: Vec<KerasTensor> = vec![];
        for i in list("inputs")? {
            let shape: Vec<usize> =
                serde_json::from_value(i["shape"].clone()).map_err(|_| bad(format!("input shape in {i}")))?;
            let name = i["name"].as_str().ok_or_else(|| bad(format!("input name in {i}")))?;
            let dtype = i["dtype"].as_str().ok_or_else(|| bad(format!("input dtype in {i}")))?;
            nodes.push(Input::new(&shape).name(name).dtype(dtype));
        }
        let inputs = nodes.clone();
        let layers = list("layers")?
            .iter()
            .map(|l| {
                let class = l["class_name"].as_str().unwrap_or("");
                layers::from_config(class, &l["config"]).map(Shared::from_box).map_err(|e| {
                    if layers::BUILT_IN.contains(&class) {
                        return e;
                    }
                    bad(format!(
                        "layer {} is of class {class:?}, which load cannot make again (a layer written \
                         in the notebook?): build the model again in code, then copy the weights with \
                         set_weights (built-in classes: {})",
                        l["config"]["name"],
                        layers::BUILT_IN.join(", ")
                    ))
                })
            })
            .collect::<Result<Vec<_>>>()?;
        for s in list("steps")? {
            let layer = s["layer"].as_u64().and_then(|k| layers.get(k as usize));
            let args: Option<Vec<KerasTensor>> = s["args"].as_array().and_then(|a| {
                a.iter().map(|v| v.as_u64().and_then(|k| nodes.get(k as usize).cloned())).collect()
            });
            match (layer, args) {
                (Some(l), Some(args)) => nodes.push(l.apply_many(&args)?),
                _ => return Err(bad(format!("a layer application {s} that refers to nothing"))),
            }
        }
        let outputs: Option<Vec<KerasTensor>> = list("outputs")?
            .iter()
            .map(|v| v.as_u64().and_then(|k| nodes.get(k as usize).cloned()))
            .collect();
        let outputs = outputs.ok_or_else(|| bad("an output that refers to nothing".into()))?;
        let mut model = Model::new(&inputs, &outputs)?;
        model.name = config["name"].as_str().unwrap_or("functional").to_string();
        let weights = model.all_weights();
        for (key, w) in &weights {
            super::saving::load_weight(&st, key, w, &bad)?;
        }
        if st.len() != weights.len() {
            return Err(bad(format!("{} weights in the file, the model needs {}", st.len(), weights.len())));
        }
        Ok(model)
    }
}

/// The JSON configuration in a safetensors file's metadata.
pub(crate) fn read_config(op: &str, bytes: &[u8]) -> Result<Value> {
    let (_, meta) = SafeTensors::read_metadata(bytes).map_err(|e| Error::format(op, e.to_string()))?;
    meta.metadata()
        .as_ref()
        .and_then(|m| m.get("nnlab_config"))
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| Error::format(op, "no nnlab model configuration in the file's metadata"))
}
