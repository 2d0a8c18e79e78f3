//! `save` / `load_model`: one `.safetensors` file holding the weights (`"dense/kernel"`, ...; the
//! non-trainable ones too, e.g. `"batch_normalization/moving_mean"`) and, in
//! its metadata, the model's configuration as JSON. Written atomically (a temporary file renamed),
//! so an interrupted save never leaves a half-written model. The optimizer state is not saved.

use super::sequential::Sequential;
use crate::layers;
use crate::{Error, Result};
use ndarray::ArrayD;
use safetensors::tensor::{Dtype, SafeTensors, TensorView};
use serde_json::{json, Value};
use std::collections::HashMap;
use std::path::Path;

impl Sequential {
    /// Saves the model to `path` (e.g. `"mnist.safetensors"`). The model must be built.
    ///
    /// ```
    /// use nnlab::prelude::*;
    /// let mut m = Sequential::new(vec![Dense::new(2).activation("relu").input_shape(&[3]).into()]);
    /// m.compile("adam", "mse", &[]).unwrap();
    /// let path = std::env::temp_dir().join("nnlab-doctest-model.safetensors");
    /// m.save(&path).unwrap();
    /// let mut back = nnlab::models::load_model(&path).unwrap();
    /// let x = array![[1.0f32, 2.0, 3.0]];
    /// assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
    /// ```
    pub fn save(&self, path: impl AsRef<Path>) -> Result<()> {
        let path = path.as_ref();
        let op = format!("Sequential.save({})", path.display());
        let input_shape =
            self.input_shape.clone().ok_or_else(|| Error::state(&op, "the model is not built yet"))?;
        let config = json!({
            "format": "nnlab.Sequential/1",
            "name": self.name,
            "seed": self.seed,
            "input_shape": input_shape,
            "layers": self.layers.iter().map(|l| layers::saved_layer(l.as_ref())).collect::<Vec<_>>(),
        });
        let weights = self
            .layers
            .iter()
            .flat_map(|l| all_weights(&**l).into_iter().map(|(name, w)| (format!("{}/{name}", l.name()), w)))
            .collect();
        write_weights(&op, path, weights, &config)
    }
}

/// A layer's weights as saved: the trainable ones, then the others (batch normalization's moving
/// statistics), so that a loaded model predicts as the saved one.
fn all_weights(l: &dyn crate::layers::Layer) -> Vec<(String, crate::tensor::Tensor)> {
    let mut w = l.named_weights();
    w.extend(l.non_trainable_weights());
    w
}

/// Loads a model written by [`Sequential::save`]; it predicts bit for bit as the saved one.
/// A missing, truncated or mismatched file is an error.
pub fn load_model(path: impl AsRef<Path>) -> Result<Sequential> {
    let path = path.as_ref();
    let op = format!("load_model({})", path.display());
    let bytes = std::fs::read(path).map_err(|e| Error::io(&op, e))?;
    let bad = |m: String| Error::format(&op, m);
    let st = SafeTensors::deserialize(&bytes)
        .map_err(|e| bad(format!("not a complete safetensors file ({e})")))?;
    let (_, meta) = SafeTensors::read_metadata(&bytes).map_err(|e| bad(e.to_string()))?;
    let config: Value = meta
        .metadata()
        .as_ref()
        .and_then(|m| m.get("nnlab_config"))
        .and_then(|s| serde_json::from_str(s).ok())
        .ok_or_else(|| bad("no nnlab model configuration in the file's metadata".into()))?;
    if config["format"] == super::functional_saving::FORMAT {
        return Err(bad(
            "a Sequential model; this file holds a functional Model: use Model::load(path)".into()
        ));
    }
    let input_shape: Vec<usize> = serde_json::from_value(config["input_shape"].clone())
        .map_err(|_| bad("no input_shape in the configuration".into()))?;
    let layer_configs =
        config["layers"].as_array().ok_or_else(|| bad("no layer list in the configuration".into()))?;
    let layers = layer_configs
        .iter()
        .map(|l| layers::from_config(l["class_name"].as_str().unwrap_or(""), &l["config"]))
        .collect::<Result<Vec<_>>>()?;
    let mut model = Sequential::new(layers).seed(config["seed"].as_u64().unwrap_or(0));
    model.build(&input_shape)?;
    let mut expected = 0;
    for l in &model.layers {
        for (name, w) in all_weights(&**l) {
            let key = format!("{}/{name}", l.name());
            load_weight(&st, &key, &w, &bad)?;
            expected += 1;
        }
    }
    if st.len() != expected {
        return Err(bad(format!("{} weights in the file, the configuration needs {expected}", st.len())));
    }
    Ok(model)
}

/// Copies the `f32` tensor `key` of a weights file into the weight `w` (same shape), or an error made by `bad`
/// naming the weight: missing, of another dtype, or of another shape. Shared by `Sequential` and `Model` loading.
pub(super) fn load_weight(
    st: &SafeTensors,
    key: &str,
    w: &crate::tensor::Tensor,
    bad: &dyn Fn(String) -> Error,
) -> Result<()> {
    let t = st.tensor(key).map_err(|_| bad(format!("missing weight {key:?}")))?;
    if t.dtype() != Dtype::F32 || t.shape() != w.value().shape() {
        return Err(bad(format!(
            "weight {key:?}: expected f32 {:?}, got {:?} {:?}",
            w.shape(),
            t.dtype(),
            t.shape()
        )));
    }
    let v: Vec<f32> =
        t.data().chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    w.assign(ArrayD::from_shape_vec(t.shape().to_vec(), v).map_err(|e| bad(e.to_string()))?)
}

/// Writes `weights` (name, tensor) as `f32` safetensors with `config` in the file's metadata (`nnlab_config`),
/// atomically: to a temporary file first, then renamed over `path`. Shared by `Sequential` and `Model` saving.
pub(super) fn write_weights(
    op: &str,
    path: &Path,
    weights: Vec<(String, crate::tensor::Tensor)>,
    config: &Value,
) -> Result<()> {
    let arrays: Vec<(String, Vec<usize>, Vec<u8>)> = weights
        .into_iter()
        .map(|(name, w)| {
            let a = w.value().as_standard_layout().into_owned();
            let bytes = a.iter().flat_map(|v| v.to_le_bytes()).collect();
            (name, a.shape().to_vec(), bytes)
        })
        .collect();
    let views = arrays
        .iter()
        .map(|(n, s, b)| {
            let v =
                TensorView::new(Dtype::F32, s.clone(), b).map_err(|e| Error::format(op, e.to_string()))?;
            Ok((n.clone(), v))
        })
        .collect::<Result<Vec<_>>>()?;
    let meta = HashMap::from([("nnlab_config".to_string(), config.to_string())]);
    let bytes =
        safetensors::tensor::serialize(views, Some(meta)).map_err(|e| Error::format(op, e.to_string()))?;
    let tmp = path.with_extension("safetensors.tmp");
    std::fs::write(&tmp, bytes).map_err(|e| Error::io(op, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(op, e))
}
