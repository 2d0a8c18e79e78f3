//! Sequential end to end: training learns, determinism, summary, save/load, and every bad input.

use nnlab::layers::{Activation, Layer};
use nnlab::prelude::*;
use nnlab::{gradcheck, losses, regularizers, Error};

/// A small separable 3-class problem: the class is the argmax of three fixed projections.
fn data(n: usize) -> (Array3<f32>, Array2<f32>, Array1<f32>) {
    let x =
        Array3::from_shape_fn((n, 4, 4), |(i, r, c)| (((i * 31 + r * 7 + c * 13) % 17) as f32 / 17.0) - 0.5);
    let labels = Array1::from_shape_fn(n, |i| {
        let s: Vec<f32> = (0..3)
            .map(|k| x.slice(s![i, k, ..]).sum() - x.slice(s![i, 3, ..]).sum() * 0.1 * k as f32)
            .collect();
        s.iter().enumerate().fold((0, f32::MIN), |b, (j, &v)| if v > b.1 { (j, v) } else { b }).0 as f32
    });
    let y = to_categorical(&labels, 3).unwrap();
    (x, y, labels)
}

fn lecture_like() -> Sequential {
    Sequential::new(vec![
        Flatten::new().input_shape(&[4, 4]).into(),
        Dense::new(32).activation("swish").into(),
        Dropout::new(0.3).into(),
        Dense::new(16).activation("swish").into(),
        Dense::new(3).activation("softmax").into(),
    ])
    .seed(7)
}

#[test]
fn fit_learns_and_is_deterministic() {
    let (x, y, _) = data(512);
    let run = || {
        let mut m = lecture_like();
        m.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
        let h = m
            .fit(&x, &y, Fit::default().epochs(15).batch_size(32).validation_split(0.25).verbose(0).seed(3))
            .unwrap();
        (h, m)
    };
    let (h1, mut m1) = run();
    let (h2, _) = run();
    assert_eq!(h1, h2, "same seed, same history bit for bit");
    let loss = &h1["loss"];
    assert_eq!(loss.len(), 15);
    assert!(loss[14] < loss[0] * 0.7, "{loss:?}");
    assert!(h1["accuracy"][14] > 0.7, "{:?}", h1["accuracy"]);
    assert_eq!(h1["val_loss"].len(), 15);
    assert!(h1.get("val_accuracy").is_ok());
    assert!(h1.get("acuracy").unwrap_err().to_string().contains("accuracy"));
    let r = m1.evaluate(&x, &y).unwrap();
    assert_eq!(r.len(), 2);
    assert!(r[1] > 0.7, "{r:?}");
    let p = m1.predict(&x).unwrap();
    assert_eq!(p.shape(), &[512, 3]);
    assert!((p.row_sum_check() - 512.0).abs() < 1e-2);
}

trait RowSum {
    fn row_sum_check(&self) -> f32;
}
impl RowSum for ArrayD<f32> {
    fn row_sum_check(&self) -> f32 {
        self.sum()
    }
}

#[test]
fn sparse_labels_and_mse_train_too() {
    let (x, y, labels) = data(256);
    let mut m = lecture_like();
    m.compile("rmsprop", "sparse_categorical_crossentropy", &["accuracy"]).unwrap();
    let h = m.fit(&x, &labels, Fit::default().epochs(3).verbose(0)).unwrap();
    assert!(h["loss"][2] < h["loss"][0]);
    let mut m = lecture_like();
    m.compile("sgd", "mse", &["accuracy", "mae"]).unwrap();
    let h = m.fit(&x, &y, Fit::default().epochs(2).verbose(0)).unwrap();
    assert_eq!(h.history.keys().collect::<Vec<_>>(), vec!["accuracy", "loss", "mae"]);
}

#[test]
fn summary_table() {
    let mut m = Sequential::new(vec![
        Flatten::new().input_shape(&[28, 28]).into(),
        Dense::new(784).activation("swish").into(),
        Dropout::new(0.3).into(),
        Dense::new(100).activation("swish").into(),
        Dense::new(10).activation("softmax").into(),
    ]);
    m.compile("adam", "mse", &["accuracy"]).unwrap();
    let s = m.summary_string();
    for want in [
        "flatten (Flatten)",
        "(None, 784)",
        "615,440",
        "dense_1 (Dense)",
        "78,500",
        "dropout (Dropout)",
        "1,010",
        "Total params: 694,950",
    ] {
        assert!(s.contains(want), "{want} not in\n{s}");
    }
}

#[test]
fn save_and_load_predict_bit_identically_and_bad_files_fail() {
    let (x, y, _) = data(64);
    let mut m = lecture_like();
    m.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
    m.fit(&x, &y, Fit::default().epochs(1).verbose(0)).unwrap();
    let dir = std::env::temp_dir().join(format!("nnlab-keras-test-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("m.safetensors");
    m.save(&path).unwrap();
    let mut back = load_model(&path).unwrap();
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
    assert_eq!(back.get_weights(), m.get_weights());

    assert!(matches!(load_model(dir.join("missing.safetensors")), Err(Error::Io { .. })));
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(dir.join("short.safetensors"), &bytes[..bytes.len() - 10]).unwrap();
    assert!(matches!(load_model(dir.join("short.safetensors")), Err(Error::Format { .. })));
    let mut other = Sequential::new(vec![Dense::new(3).input_shape(&[5]).into()]);
    other.compile("sgd", "mse", &[]).unwrap();
    other.save(dir.join("other.safetensors")).unwrap();
    // A file whose weights do not match its configuration: swap the metadata of two models.
    let mismatched = {
        let b2 = std::fs::read(dir.join("other.safetensors")).unwrap();
        let n = u64::from_le_bytes(b2[..8].try_into().unwrap()) as usize;
        let mut header: serde_json::Value = serde_json::from_slice(&b2[8..8 + n]).unwrap();
        let n1 = u64::from_le_bytes(bytes[..8].try_into().unwrap()) as usize;
        let h1: serde_json::Value = serde_json::from_slice(&bytes[8..8 + n1]).unwrap();
        header["__metadata__"] = h1["__metadata__"].clone();
        let hs = header.to_string().into_bytes();
        let mut out = (hs.len() as u64).to_le_bytes().to_vec();
        out.extend(hs);
        out.extend(&b2[8 + n..]);
        out
    };
    std::fs::write(dir.join("mismatch.safetensors"), mismatched).unwrap();
    let e = load_model(dir.join("mismatch.safetensors")).unwrap_err();
    assert!(matches!(e, Error::Format { .. }), "{e}");
    std::fs::remove_dir_all(&dir).unwrap();
}

#[test]
fn bad_input_errors() {
    let (x, y, labels) = data(40);
    let mut m = lecture_like();
    let e = m.fit(&x, &y, Fit::default()).unwrap_err();
    assert!(matches!(e, Error::State { .. }), "fit before compile: {e}");
    m.compile("adam", "mse", &["accuracy"]).unwrap();
    let e = m.fit(&x, &y.slice(s![..30, ..]).to_owned(), Fit::default()).unwrap_err();
    assert_eq!(e.to_string(), "Sequential.fit: expected as many targets as inputs (40 in x), got 30 in y");
    let e = m.fit(&x, &Array2::<f32>::zeros((40, 4)), Fit::default()).unwrap_err();
    assert!(e.to_string().contains("the output layer has 3 units"), "{e}");
    let e = m.fit(&Array3::<f32>::zeros((40, 5, 4)), &y, Fit::default()).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential: expected inputs of shape [batch, 4, 4] (the model's input shape), got [40, 5, 4]"
    );
    let e = m.fit(&x, &y, Fit::default().batch_size(0)).unwrap_err();
    assert!(matches!(e, Error::Value { .. }), "{e}");
    let e = m.compile("adam", "mse", &["acurracy"]).unwrap_err();
    assert!(e.to_string().contains(r#"did you mean "accuracy"?"#), "{e}");
    assert!(m.compile("adma", "mse", &[]).unwrap_err().to_string().contains(r#""adam""#));
    assert!(m.compile("adam", "mse_", &[]).unwrap_err().to_string().contains(r#""mse""#));

    let mut bad = Sequential::new(vec![Dense::new(3).activation("reul").input_shape(&[16]).into()]);
    let e = bad.compile("adam", "mse", &[]).unwrap_err();
    assert_eq!(e.to_string(), r#"Dense(3): unknown activation "reul" (did you mean "relu"?)"#);
    for rate in [1.0, -0.1, 1.5] {
        let mut d =
            Sequential::new(vec![Flatten::new().input_shape(&[4, 4]).into(), Dropout::new(rate).into()]);
        assert!(matches!(d.compile("adam", "mse", &[]).unwrap_err(), Error::Value { .. }));
    }
    // Dense directly on 2-d examples: the first layer cannot take that input shape.
    let mut d = Sequential::new(vec![Dense::new(3).into()]);
    d.compile("adam", "mse", &[]).unwrap();
    let e = d.fit(&x, &y, Fit::default().verbose(0)).unwrap_err();
    assert!(e.to_string().contains("add a Flatten layer"), "{e}");

    // Sparse labels out of range.
    let mut s = lecture_like();
    s.compile("adam", "sparse_categorical_crossentropy", &[]).unwrap();
    assert!(s.fit(&x, &(&labels + 5.0), Fit::default().verbose(0)).is_err());

    // A NaN in the data is refused before training, naming the row (it used to train on until the loss of
    // batch 3 became NaN).
    let mut big = lecture_like();
    big.compile(nnlab::optimizers::SGD::new().learning_rate(0.01), "mse", &[]).unwrap();
    let mut xn = x.clone();
    xn[[20, 0, 0]] = f32::NAN;
    let e = big.fit(&xn, &y, Fit::default().batch_size(8).shuffle(false).verbose(0)).unwrap_err();
    assert_eq!(
        e.to_string(),
        "Sequential.fit: the data must be finite, but x row 20 holds NaN (at [20, 0, 0]): remove or replace such rows \
         first"
    );
}

#[test]
fn l2_penalty_is_added_to_the_loss() {
    let (x, y, _) = data(32);
    let make = |reg: bool| {
        let d = Dense::new(3).activation("softmax");
        let d = if reg { d.kernel_regularizer(regularizers::l2(0.01)) } else { d };
        let mut m = Sequential::new(vec![Flatten::new().input_shape(&[4, 4]).into(), d.into()]).seed(1);
        m.compile("sgd", "categorical_crossentropy", &[]).unwrap();
        m
    };
    let (mut plain, mut reg) = (make(false), make(true));
    let kernel = reg.trainable_weights()[0].to_array();
    let penalty = 0.01 * kernel.iter().map(|w| (w * w) as f64).sum::<f64>();
    let (l0, l1) = (plain.evaluate(&x, &y).unwrap()[0], reg.evaluate(&x, &y).unwrap()[0]);
    assert!((l1 - l0 - penalty).abs() < 1e-5, "{l1} - {l0} vs {penalty}");
}

#[test]
fn layers_gradient_checks() {
    let x = Tensor::new(ArrayD::from_shape_fn(vec![3, 5], |d| ((d[0] * 5 + d[1]) as f32 * 0.37).sin()));
    for act in ["linear", "tanh", "swish", "softmax"] {
        let mut d = Dense::new(4).activation(act).kernel_regularizer(regularizers::l1_l2(0.01, 0.02));
        d.build(&[5], 3).unwrap();
        let w = d.weights();
        let r = gradcheck::check_params(
            || {
                let y = d.call(&x, true)?;
                let c =
                    Tensor::new(ArrayD::from_shape_fn(y.shape(), |i| (i[0] + 2 * i[1]) as f32 * 0.1 - 0.3));
                y.mul(&c)?.sum().add(&d.regularization_loss().unwrap())
            },
            &w,
        )
        .unwrap();
        assert!(r.max_rel_error < 1e-2, "Dense {act}: {r}");
    }
    let mut f = Flatten::new();
    f.build(&[2, 3], 0).unwrap();
    let r = gradcheck::check(
        |t| Ok(f.call(&t[0], true)?.square().sum()),
        &[ArrayD::from_elem(vec![2, 2, 3], 0.7)],
    )
    .unwrap();
    assert!(r.max_rel_error < 1e-2, "{r}");
    let mut a = Activation::new("elu");
    a.build(&[3], 0).unwrap();
    let r =
        gradcheck::check(|t| Ok(a.call(&t[0], true)?.sum()), &[ArrayD::from_elem(vec![2, 3], -0.4)]).unwrap();
    assert!(r.max_rel_error < 1e-2, "{r}");
    // Dropout: the mask is fixed per call, so check with a rebuilt layer each time from one seed.
    let r = gradcheck::check(
        |t| {
            let mut d = Dropout::new(0.5);
            d.build(&[6], 9).unwrap();
            Ok(d.call(&t[0], true)?.square().sum())
        },
        &[ArrayD::from_elem(vec![2, 6], 0.9)],
    )
    .unwrap();
    assert!(r.max_rel_error < 1e-2, "{r}");
}

#[test]
fn losses_gradient_checks() {
    let p = ArrayD::from_shape_vec(vec![2, 3], vec![0.2f32, 0.5, 0.3, 0.6, 0.1, 0.3]).unwrap();
    let t = Tensor::new(ArrayD::from_shape_vec(vec![2, 3], vec![0.0f32, 1.0, 0.0, 1.0, 0.0, 0.0]).unwrap());
    let sparse = Tensor::new(ArrayD::from_shape_vec(vec![2], vec![1.0f32, 0.0]).unwrap());
    for (name, from_logits) in [
        ("mse", false),
        ("mae", false),
        ("categorical_crossentropy", false),
        ("categorical_crossentropy", true),
        ("sparse_categorical_crossentropy", true),
        ("binary_crossentropy", false),
        ("binary_crossentropy", true),
        ("huber", false),
        ("log_cosh", false),
        ("kl_divergence", false),
    ] {
        let loss = match (losses::get(name).unwrap(), from_logits) {
            (losses::Loss::CategoricalCrossentropy { .. }, true) => {
                losses::Loss::CategoricalCrossentropy { from_logits }
            }
            (losses::Loss::BinaryCrossentropy { .. }, true) => {
                losses::Loss::BinaryCrossentropy { from_logits }
            }
            (l, _) => l,
        };
        let target = if name.starts_with("sparse") { &sparse } else { &t };
        let r = gradcheck::check(|p| loss.call(target, &p[0]), std::slice::from_ref(&p)).unwrap();
        assert!(r.max_rel_error < 1e-2, "{name} {from_logits}: {r}");
    }
}
