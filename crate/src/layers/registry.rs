//! Layers by Keras class name, for loading saved models: [`from_config`] and the names it knows.

use super::{
    Activation, Add, AveragePooling2D, BatchNormalization, Concatenate, Conv1D, Conv2D, Dense, Dropout,
    Embedding, Flatten, GlobalAveragePooling2D, Layer, LayerNormalization, MaxPooling2D, Rescaling, Reshape,
    SimpleRNN, GRU, LSTM,
};
use crate::{Error, Result};
use serde_json::Value;

/// The layer classes [`from_config`] can make again.
pub const BUILT_IN: &[&str] = &[
    "Dense",
    "Flatten",
    "Dropout",
    "Activation",
    "BatchNormalization",
    "LayerNormalization",
    "SimpleRNN",
    "GRU",
    "Embedding",
    "LSTM",
    "Add",
    "Concatenate",
    "Conv2D",
    "Conv1D",
    "MaxPooling2D",
    "AveragePooling2D",
    "GlobalAveragePooling2D",
    "Reshape",
    "Rescaling",
];

/// What a saved model holds for a layer: `{"class_name": "Dense", "config": {...}}`, its
/// [`Layer::config`] with Keras' `"trainable"` added, so that a frozen layer loads frozen.
pub(crate) fn saved_layer(layer: &dyn Layer) -> Value {
    let mut config = layer.config();
    if let Some(c) = config.as_object_mut() {
        c.insert("trainable".into(), layer.trainable().into());
    }
    serde_json::json!({"class_name": layer.class_name(), "config": config})
}

/// Makes a layer again from its [`Layer::class_name`] and [`Layer::config`] (used by `load_model`);
/// `"trainable": false` in the config freezes it.
pub fn from_config(class_name: &str, config: &Value) -> Result<Box<dyn Layer>> {
    let op = "layers::from_config";
    let bad =
        |what: &str| Error::format(op, format!("{class_name}: missing or invalid {what:?} in {config}"));
    let name = config["name"].as_str().ok_or_else(|| bad("name"))?;
    let mut layer: Box<dyn Layer> = match class_name {
        "Dense" => Dense::from_config(config).ok_or_else(|| bad("units/activation/use_bias"))?.into(),
        "Flatten" => {
            let mut f = Flatten::new();
            if let Some(shape) =
                config.get("input_shape").and_then(|v| serde_json::from_value::<Vec<usize>>(v.clone()).ok())
            {
                f = f.input_shape(&shape);
            }
            f.into()
        }
        "Dropout" => {
            let rate = config["rate"].as_f64().ok_or_else(|| bad("rate"))?;
            Dropout::new(rate as f32).into()
        }
        "Activation" => {
            Activation::new(config["activation"].as_str().ok_or_else(|| bad("activation"))?).into()
        }
        "SimpleRNN" => {
            SimpleRNN::from_config(config).ok_or_else(|| bad("units/activation/return_sequences"))?.into()
        }
        "GRU" => GRU::from_config(config).ok_or_else(|| bad("units/return_sequences"))?.into(),
        "LayerNormalization" => {
            LayerNormalization::from_config(config).ok_or_else(|| bad("epsilon/center/scale"))?.into()
        }
        "BatchNormalization" => {
            let m = config["momentum"].as_f64().ok_or_else(|| bad("momentum"))?;
            let e = config["epsilon"].as_f64().ok_or_else(|| bad("epsilon"))?;
            BatchNormalization::new().momentum(m as f32).epsilon(e as f32).into()
        }
        "Embedding" => {
            let i = config["input_dim"].as_u64().ok_or_else(|| bad("input_dim"))?;
            let o = config["output_dim"].as_u64().ok_or_else(|| bad("output_dim"))?;
            Embedding::new(i as usize, o as usize).into()
        }
        "LSTM" => {
            let units = config["units"].as_u64().ok_or_else(|| bad("units"))?;
            let seq = config["return_sequences"].as_bool().ok_or_else(|| bad("return_sequences"))?;
            LSTM::new(units as usize).return_sequences(seq).into()
        }
        "Add" => Add::new().into(),
        "Concatenate" => {
            Concatenate::new(config["axis"].as_i64().ok_or_else(|| bad("axis"))? as isize).into()
        }
        "Conv2D" => {
            Conv2D::from_config(config).ok_or_else(|| bad("filters/kernel_size/strides/padding"))?.into()
        }
        "Conv1D" => {
            Conv1D::from_config(config).ok_or_else(|| bad("filters/kernel_size/strides/padding"))?.into()
        }
        "MaxPooling2D" => {
            MaxPooling2D::from_config(config).ok_or_else(|| bad("pool_size/strides/padding"))?.into()
        }
        "AveragePooling2D" => {
            AveragePooling2D::from_config(config).ok_or_else(|| bad("pool_size/strides/padding"))?.into()
        }
        "GlobalAveragePooling2D" => GlobalAveragePooling2D::new().into(),
        "Reshape" => Reshape::from_config(config).ok_or_else(|| bad("target_shape"))?.into(),
        "Rescaling" => Rescaling::from_config(config).ok_or_else(|| bad("scale/offset"))?.into(),
        _ => return Err(Error::unknown_name(op, "layer class", class_name, BUILT_IN)),
    };
    layer.set_name(name);
    if config["trainable"] == false {
        layer.set_trainable(false)?;
    }
    Ok(layer)
}
