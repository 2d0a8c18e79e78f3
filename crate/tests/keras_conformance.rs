//! Conformance with Keras 3 / PyTorch: reference values from scripts/gen_keras_fixtures.py, to 1e-5 relative.

use nnlab::layers::{Dense, Layer};
use nnlab::losses::{self, Loss};
use nnlab::ndarray::ArrayD;
use nnlab::optimizers::schedules::{
    CosineDecay, ExponentialDecay, LearningRateSchedule, PiecewiseConstantDecay,
};
use nnlab::optimizers::{self, Adam, AdamW, Nadam, Optimizer, RMSprop, SGD};
use nnlab::tensor::Tensor;
use nnlab::{activations, metrics};
use serde_json::Value;

fn fixtures() -> Value {
    let text = include_str!("fixtures/keras/reference.json");
    serde_json::from_str(text).unwrap()
}

/// A JSON (nested) list as an f32 array.
fn arr(v: &Value) -> ArrayD<f32> {
    fn shape(v: &Value) -> Vec<usize> {
        match v {
            Value::Array(a) => {
                std::iter::once(a.len()).chain(a.first().map(shape).unwrap_or_default()).collect()
            }
            _ => vec![],
        }
    }
    fn flat(v: &Value, out: &mut Vec<f32>) {
        match v {
            Value::Array(a) => a.iter().for_each(|x| flat(x, out)),
            x => out.push(x.as_f64().unwrap() as f32),
        }
    }
    let mut data = vec![];
    flat(v, &mut data);
    ArrayD::from_shape_vec(shape(v), data).unwrap()
}

fn close(what: &str, ours: &ArrayD<f32>, theirs: &ArrayD<f32>) {
    assert_eq!(ours.shape(), theirs.shape(), "{what}");
    for (a, b) in ours.iter().zip(theirs.iter()) {
        let tol = 1e-5 * b.abs().max(1e-2);
        assert!((a - b).abs() <= tol, "{what}: ours {a}, reference {b}\nours {ours}\nreference {theirs}");
    }
}

/// Equal within 3e-6 of `scale`, for values that are sums of numbers of about that size: a weight after three
/// steps of 0.1 may cancel to a small one, and Keras' torch kernels round in another order (`m·β₁ + g·(1−β₁)`
/// against our `m + (g−m)(1−β₁)`): a few float32 ulps of 1.5, against 1e-3 and more for a wrong rule.
fn close_to_scale(what: &str, ours: &ArrayD<f32>, theirs: &ArrayD<f32>, scale: f32) {
    assert_eq!(ours.shape(), theirs.shape(), "{what}");
    let worst = ours.iter().zip(theirs.iter()).map(|(a, b)| (a - b).abs()).fold(0.0f32, f32::max);
    assert!(worst <= 3e-6 * scale, "{what}: off by {worst}\nours {ours}\nreference {theirs}");
}

#[test]
fn activations_match_keras() {
    let f = fixtures();
    let (x, coef) = (arr(&f["x"]), arr(&f["coef"]));
    for (name, r) in f["activations"].as_object().unwrap() {
        let act = activations::get(name).unwrap();
        let t = Tensor::param(x.clone());
        let y = act.call(&t);
        close(&format!("{name} value"), &y.to_array(), &arr(&r["value"]));
        if name == "linear" {
            continue; // the identity returns its input: no op to differentiate
        }
        y.mul(&Tensor::new(coef.clone())).unwrap().sum().backward().unwrap();
        close(&format!("{name} grad"), &t.grad().unwrap(), &arr(&r["grad"]));
    }
}

#[test]
fn losses_match_keras() {
    let f = fixtures();
    for (name, r) in f["losses"].as_object().unwrap() {
        let loss = match name.as_str() {
            "categorical_crossentropy_from_logits" => Loss::CategoricalCrossentropy { from_logits: true },
            "binary_crossentropy_from_logits" => Loss::BinaryCrossentropy { from_logits: true },
            "huber_delta_0.5" => Loss::Huber { delta: 0.5 },
            "kl_divergence_one_hot" => Loss::KLDivergence,
            n => losses::get(n).unwrap(),
        };
        let p = Tensor::param(arr(&r["y_pred"]));
        let l = loss.call(&Tensor::new(arr(&r["y_true"])), &p).unwrap();
        let want = r["value"].as_f64().unwrap() as f32;
        assert!((l.item() - want).abs() <= 1e-5 * want.abs(), "{name}: ours {}, Keras {want}", l.item());
        l.backward().unwrap();
        close(&format!("{name} grad"), &p.grad().unwrap(), &arr(&r["grad"]));
    }
}

#[test]
fn optimizer_steps_match_keras() {
    let f = fixtures();
    let grads: Vec<ArrayD<f32>> = f["grads"].as_array().unwrap().iter().map(arr).collect();
    for (name, steps) in f["optimizers"].as_object().unwrap() {
        let mut opt: Optimizer = match name.as_str() {
            "sgd_momentum" => SGD::new().learning_rate(0.1).momentum(0.9).into(),
            "sgd_nesterov" => SGD::new().learning_rate(0.1).momentum(0.9).nesterov(true).into(),
            "rmsprop_centered_momentum" => RMSprop::new().momentum(0.5).centered(true).into(),
            "adam_amsgrad" => Adam::new().amsgrad(true).into(),
            "sgd_clipnorm" => SGD::new().learning_rate(0.1).clipnorm(1.0).into(),
            "sgd_clipvalue" => SGD::new().learning_rate(0.1).clipvalue(0.5).into(),
            "adam_global_clipnorm" => Adam::new().learning_rate(0.1).global_clipnorm(1.0).into(),
            "sgd_momentum_weight_decay" => {
                SGD::new().learning_rate(0.1).momentum(0.9).weight_decay(0.5).into()
            }
            "adamw" => AdamW::new().learning_rate(0.1).weight_decay(0.5).into(),
            "nadam_clipnorm" => Nadam::new().learning_rate(0.01).clipnorm(1.0).into(),
            "sgd_exponential_decay" => SGD::new().learning_rate(ExponentialDecay::new(0.1, 1, 0.5)).into(),
            "adamw_cosine_warmup" => AdamW::new()
                .learning_rate(CosineDecay::new(0.01, 2).warmup_target(0.1).warmup_steps(1))
                .weight_decay(0.5)
                .into(),
            "rmsprop_piecewise" => {
                RMSprop::new().learning_rate(PiecewiseConstantDecay::new(&[1], &[0.01, 0.001])).into()
            }
            n => optimizers::get(n).unwrap(),
        };
        let w = Tensor::param(arr(&f["w0"]));
        for (i, (g, want)) in grads.iter().zip(steps.as_array().unwrap()).enumerate() {
            opt.apply_gradients(std::slice::from_ref(g), std::slice::from_ref(&w)).unwrap();
            // Absolute to the weights' scale (about 1): the steps of 0.1 may cancel to a small weight.
            close_to_scale(&format!("{name} step {}", i + 1), &w.to_array(), &arr(want), 1.0);
        }
    }
}

#[test]
fn learning_rate_schedules_match_keras() {
    let f = fixtures();
    let cases: Vec<(&str, Box<dyn LearningRateSchedule>)> = vec![
        ("exponential", Box::new(ExponentialDecay::new(0.1, 3, 0.5))),
        ("exponential_staircase", Box::new(ExponentialDecay::new(0.1, 3, 0.5).staircase(true))),
        ("cosine", Box::new(CosineDecay::new(0.1, 10).alpha(0.1))),
        ("cosine_warmup", Box::new(CosineDecay::new(0.0, 10).warmup_target(0.1).warmup_steps(4))),
        ("piecewise", Box::new(PiecewiseConstantDecay::new(&[3, 6], &[1.0, 0.5, 0.1]))),
    ];
    let names: Vec<&str> = cases.iter().map(|c| c.0).collect();
    assert_eq!(f["schedules"].as_object().unwrap().len(), cases.len(), "a fixture without a case: {names:?}");
    for (name, schedule) in cases {
        let want = arr(&f["schedules"][name]);
        let ours = ArrayD::from_shape_fn(want.raw_dim(), |i| schedule.call(i[0] as u64));
        close(name, &ours, &want);
    }
}

#[test]
fn dense_forward_backward_matches_pytorch() {
    let f = &fixtures()["dense"];
    let mut d = Dense::new(3).activation("swish");
    d.build(&[4], 0).unwrap();
    let w = d.weights();
    w[0].assign(arr(&f["kernel"])).unwrap();
    w[1].assign(arr(&f["bias"])).unwrap();
    let x = Tensor::param(arr(&f["x"]));
    let y = d.call(&x, true).unwrap();
    close("dense y", &y.to_array(), &arr(&f["y"]));
    y.mul(&Tensor::new(arr(&f["coef"]))).unwrap().sum().backward().unwrap();
    close("dense grad x", &x.grad().unwrap(), &arr(&f["grad_x"]));
    close("dense grad kernel", &w[0].grad().unwrap(), &arr(&f["grad_kernel"]));
    close("dense grad bias", &w[1].grad().unwrap(), &arr(&f["grad_bias"]));
}

#[test]
fn convolution_pooling_normalization_and_recurrent_layers_match_keras() {
    use nnlab::layers::{
        AveragePooling2D, Conv1D, Conv2D, GlobalAveragePooling2D, LayerNormalization, MaxPooling2D,
        SimpleRNN, GRU, LSTM,
    };
    let f = fixtures();
    let cases: Vec<(&str, Box<dyn Layer>)> = vec![
        ("conv2d_valid_relu", Conv2D::new(4, (3, 2)).activation("relu").into()),
        ("conv2d_same_strides2", Conv2D::new(2, 3).strides(2).padding("same").into()),
        ("max_pooling2d_valid", MaxPooling2D::new(2).into()),
        ("max_pooling2d_same", MaxPooling2D::new(2).padding("same").into()),
        ("average_pooling2d_same", AveragePooling2D::new(3).strides(1).padding("same").into()),
        ("average_pooling2d_valid_strides2", AveragePooling2D::new(2).strides((2, 1)).into()),
        ("global_average_pooling2d", GlobalAveragePooling2D::new().into()),
        ("conv1d_same_strides2_tanh", Conv1D::new(3, 4).strides(2).padding("same").activation("tanh").into()),
        ("layer_normalization", LayerNormalization::new().into()),
        ("layer_normalization_3d_eps0.1", LayerNormalization::new().epsilon(0.1).into()),
        ("layer_normalization_no_center", LayerNormalization::new().center(false).into()),
        ("simple_rnn", SimpleRNN::new(4).into()),
        ("simple_rnn_sequences_relu", SimpleRNN::new(4).activation("relu").return_sequences(true).into()),
        ("lstm_sequences", LSTM::new(2).return_sequences(true).into()),
        ("gru", GRU::new(2).into()),
        ("gru_sequences", GRU::new(2).return_sequences(true).into()),
    ];
    for (name, mut layer) in cases {
        let c = &f["layers"][name];
        let x = arr(&c["x"]);
        layer.build(&x.shape()[1..], 0).unwrap();
        let weights = layer.weights();
        for (w, value) in weights.iter().zip(c["weights"].as_array().unwrap()) {
            w.assign(arr(value)).unwrap();
        }
        let xt = Tensor::param(x);
        let y = layer.call(&xt, true).unwrap();
        close(&format!("{name} y"), &y.to_array(), &arr(&c["y"]));
        y.mul(&Tensor::new(arr(&c["coef"]))).unwrap().sum().backward().unwrap();
        let (grad_x, want) = (xt.grad().unwrap(), arr(&c["grad_x"]));
        if name.starts_with("layer_normalization") {
            // A normalization's gradient sums to 0 over the features: differences of terms of the
            // size of the largest, compared at that scale.
            let scale = want.iter().fold(0.0f32, |m, v| m.max(v.abs()));
            close_to_scale(&format!("{name} grad x"), &grad_x, &want, scale);
        } else {
            close(&format!("{name} grad x"), &grad_x, &want);
        }
        let grads = c["grad_weights"].as_array().unwrap();
        assert_eq!(grads.len(), weights.len(), "{name}: weights");
        for (w, g) in weights.iter().zip(grads) {
            close(&format!("{name} grad weight"), &w.grad().unwrap(), &arr(g));
        }
    }
}

#[test]
fn the_keras_io_convnet_has_keras_parameter_count() {
    use nnlab::layers::{Conv2D, Dropout, Flatten, MaxPooling2D};
    use nnlab::models::Sequential;
    let mut m = Sequential::new(nnlab::layers![
        Conv2D::new(32, 3).activation("relu").input_shape(&[28, 28, 1]),
        MaxPooling2D::new(2),
        Conv2D::new(64, 3).activation("relu"),
        MaxPooling2D::new(2),
        Flatten::new(),
        Dropout::new(0.5),
        Dense::new(10).activation("softmax"),
    ]);
    m.compile("adam", "categorical_crossentropy", &[]).unwrap();
    assert_eq!(m.count_params() as u64, fixtures()["keras_io_convnet_params"].as_u64().unwrap());
}

#[test]
fn precision_recall_and_auc_match_keras() {
    let f = fixtures();
    for (name, r) in f["metrics"].as_object().unwrap() {
        let batches: Vec<(ArrayD<f32>, ArrayD<f32>)> =
            r["batches"].as_array().unwrap().iter().map(|b| (arr(&b[0]), arr(&b[1]))).collect();
        let mut precision = match name.as_str() {
            "precision_threshold_0.3" => metrics::Precision::new().thresholds(0.3),
            _ => metrics::Precision::new(),
        };
        let mut recall = match name.as_str() {
            "recall_threshold_0.7" => metrics::Recall::new().thresholds(0.7),
            _ => metrics::Recall::new(),
        };
        let mut auc = match name.as_str() {
            "auc_10_thresholds" => metrics::AUC::new().num_thresholds(10),
            _ => metrics::AUC::new(),
        };
        for (t, p) in &batches {
            precision.update_state(t, p).unwrap();
            recall.update_state(t, p).unwrap();
            auc.update_state(t, p).unwrap();
        }
        let ours = match name.split('_').next().unwrap() {
            "precision" => precision.result(),
            "recall" => recall.result(),
            _ => auc.result(),
        };
        let want = r["result"].as_f64().unwrap();
        assert!((ours - want).abs() <= 1e-6, "{name}: ours {ours}, Keras {want}");
    }
}

#[test]
fn fit_with_class_weight_and_sample_weight_matches_keras() {
    use nnlab::prelude::{Fit, Sequential};
    let f = &fixtures()["weighted_fit"];
    let (x, y) = (arr(&f["x"]), arr(&f["y"]));
    for case in ["class_weight", "sample_weight"] {
        let mut m = Sequential::new(vec![Dense::new(3).activation("softmax").input_shape(&[4]).into()]);
        m.compile(SGD::new().learning_rate(0.1), "categorical_crossentropy", &[]).unwrap();
        m.set_weights(vec![arr(&f["kernel"]), arr(&f["bias"])]).unwrap();
        let opts = Fit::default().batch_size(4).epochs(2).shuffle(false).verbose(0);
        let opts = match case {
            "class_weight" => opts.class_weight(&arr(&f["class_weight"]).into_raw_vec_and_offset().0),
            _ => opts.sample_weight(&arr(&f["sample_weight"])).validation_split(0.2),
        };
        let history = m.fit(&x, &y, opts).unwrap();
        let want = &f[format!("with_{case}")];
        let w = m.get_weights();
        close(&format!("{case}: kernel"), &w[0], &arr(&want["kernel"]));
        close(&format!("{case}: bias"), &w[1], &arr(&want["bias"]));
        for (key, values) in want["history"].as_object().unwrap() {
            let ours =
                ArrayD::from_shape_vec(vec![2], history[key].iter().map(|&v| v as f32).collect()).unwrap();
            close(&format!("{case}: {key}"), &ours, &arr(values));
        }
    }
}
