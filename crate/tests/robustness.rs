//! The classes of student mistakes that used to crash, panic or train on silently: each test here
//! failed (or aborted the process) before the fix it names.

use nnlab::ndarray::{array, s, Array1, Array2, ArrayD};
use nnlab::optimizers::{Adam, Optimizer, RMSprop, SGD};
use nnlab::prelude::*;

fn dense_model(units: usize, seed: u64) -> Sequential {
    let mut m = Sequential::new(vec![Dense::new(units).input_shape(&[3]).into()]).seed(seed);
    m.build(&[3]).unwrap();
    m
}

fn data() -> (Array2<f32>, Array2<f32>) {
    let x = Array2::from_shape_fn((8, 3), |(i, j)| (i * 3 + j) as f32 / 24.0);
    let y = Array2::from_shape_fn((8, 2), |(i, j)| ((i + j) % 2) as f32);
    (x, y)
}

// --- crashes -------------------------------------------------------------------------------------

#[test]
fn a_graph_of_200_000_additions_is_summed_differentiated_and_dropped() {
    // Dropping the chain node by node recursively overflowed the stack (SIGSEGV) at ~60,000.
    let w = Tensor::param(array![1.0f32].into_dyn());
    let mut total = w.mul(&Tensor::scalar(0.0)).unwrap().sum();
    for _ in 0..200_000 {
        total = total.add(&w.sum()).unwrap();
    }
    let g = total.gradients(std::slice::from_ref(&w)).unwrap();
    assert_eq!(g[0].as_ref().unwrap()[[0]], 200_000.0);
    drop(total);
}

#[test]
fn a_weight_too_large_for_memory_is_an_error_with_its_size() {
    let mut m = Sequential::new(vec![Dense::new(100_000_000).input_shape(&[784]).into()]);
    let e = m.compile("adam", "mse", &[]).unwrap_err().to_string();
    assert!(e.contains("313.6 GB"), "{e}");
    let e = to_categorical(&array![1u8, 2], 1 << 62).unwrap_err().to_string();
    assert!(e.contains("fits in memory"), "{e}");
}

// --- silent wrong results --------------------------------------------------------------------------

#[test]
fn nan_in_the_data_of_fit_evaluate_and_train_on_batch_names_the_row() {
    let (mut x, y) = data();
    x[[5, 1]] = f32::NAN;
    let mut m = dense_model(2, 0);
    m.compile("sgd", "mse", &[]).unwrap();
    let before = m.get_weights();
    let e = m.fit(&x, &y, Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("row 5") && e.contains("NaN"), "{e}");
    assert!(m.evaluate(&x, &y).unwrap_err().to_string().contains("row 5"));
    assert!(m.train_on_batch(&x, &y).unwrap_err().to_string().contains("row 5"));
    assert_eq!(m.get_weights(), before, "nothing trained on the NaN");
    let (x, mut y) = data();
    y[[2, 0]] = f32::INFINITY;
    let e = m.fit(&x, &y, Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("y row 2 holds inf"), "{e}");
}

#[test]
fn relu_and_the_crossentropy_clip_keep_nan() {
    let x = Tensor::new(array![f32::NAN, -1.0, 2.0].into_dyn());
    let y = nnlab::activations::relu(&x).to_array();
    assert!(y[0].is_nan() && y[1] == 0.0 && y[2] == 2.0);
    let loss = nnlab::losses::get("categorical_crossentropy").unwrap();
    let l = loss.call(
        &Tensor::new(array![[1.0f32, 0.0]].into_dyn()),
        &Tensor::new(array![[f32::NAN, 0.5]].into_dyn()),
    );
    assert!(l.unwrap().item().is_nan());
}

#[test]
fn a_learning_rate_that_is_not_finite_and_positive_is_refused_at_compile() {
    for lr in [f32::NAN, f32::INFINITY, 0.0, -0.01] {
        let mut m = dense_model(2, 0);
        let e = m.compile(SGD::new().learning_rate(lr), "mse", &[]).unwrap_err().to_string();
        assert!(e.contains("learning_rate"), "{lr}: {e}");
        let mut opt: Optimizer = Adam::new().learning_rate(lr).into();
        let w = Tensor::param(array![1.0f32].into_dyn());
        assert!(opt.apply_gradients(&[array![1.0f32].into_dyn()], &[w]).is_err());
    }
}

#[test]
fn a_huge_learning_rate_stops_training_naming_the_step_and_the_learning_rate() {
    let (x, _) = data();
    let labels = Array1::from_shape_fn(8, |i| (i % 2) as f32);
    let y = to_categorical(&labels, 2).unwrap();
    let mut m = Sequential::new(vec![
        Dense::new(4).activation("relu").input_shape(&[3]).into(),
        Dense::new(2).activation("softmax").into(),
    ]);
    m.compile(SGD::new().learning_rate(1e30), "categorical_crossentropy", &[]).unwrap();
    let e = m.fit(&x, &y, Fit::default().epochs(50).batch_size(2).verbose(0)).unwrap_err().to_string();
    assert!(e.contains("epoch") && e.contains("batch"), "{e}");
    assert!(e.contains("learning rate (") && e.contains("too large"), "{e}");
}

#[test]
fn gradients_that_are_all_none_are_an_error_naming_the_weights() {
    let (a, b) = (dense_model(2, 0), dense_model(2, 1));
    let (x, _) = data();
    let loss = a.call(&Tensor::new(x.into_dyn()), true).unwrap().sum();
    let grads = GradientTape::new().gradient(&loss, &b.trainable_weights()).unwrap();
    assert!(grads.iter().all(Option::is_none));
    let mut opt: Optimizer = Adam::new().into();
    let e = opt.apply_gradients(&grads, &b.trainable_weights()).unwrap_err().to_string();
    assert!(e.contains("None for all 2 weights (shapes [3, 2], [2])"), "{e}");
}

#[test]
fn the_gradient_with_respect_to_an_intermediate_tensor_is_returned() {
    let m = dense_model(2, 0);
    let (x, _) = data();
    let h = m.call(&Tensor::new(x.into_dyn()), true).unwrap();
    let loss = h.square().sum();
    let g = GradientTape::new().gradient(&loss, std::slice::from_ref(&h)).unwrap();
    let expected = h.to_array() * 2.0;
    assert_eq!(g[0].as_ref().unwrap(), &expected);
}

#[test]
fn zero_sizes_are_refused() {
    let mut m = Sequential::new(vec![Dense::new(0).input_shape(&[3]).into()]);
    let e = m.compile("sgd", "mse", &[]).unwrap_err().to_string();
    assert!(e.contains("units of at least 1"), "{e}");
    let inputs = Input::new(&[3]);
    assert!(Dense::new(0).apply(&inputs).is_err());
    let codes = Input::new(&[4]);
    assert!(Embedding::new(0, 8).apply(&codes).is_err());
    let seq = Input::new(&[5, 3]);
    assert!(LSTM::new(0).apply(&seq).is_err());
    assert!(to_categorical(&array![0u8], 0).is_err());
}

// --- panics ----------------------------------------------------------------------------------------

#[test]
fn one_optimizer_for_two_models_is_an_error_not_a_panic_or_mixed_state() {
    let (x, _) = data();
    let xt = Tensor::new(x.into_dyn());
    let adagrad = nnlab::optimizers::get("adagrad").unwrap();
    let opts: Vec<Optimizer> =
        vec![SGD::new().momentum(0.9).into(), RMSprop::new().into(), Adam::new().into(), adagrad];
    for mut opt in opts {
        let (a, b, c) = (dense_model(2, 0), dense_model(2, 1), dense_model(5, 2));
        let step = |opt: &mut Optimizer, m: &Sequential| {
            let loss = m.call(&xt, true).unwrap().square().sum();
            let grads = GradientTape::new().gradient(&loss, &m.trainable_weights()).unwrap();
            opt.apply_gradients(&grads, &m.trainable_weights())
        };
        step(&mut opt, &a).unwrap();
        step(&mut opt, &a).unwrap();
        let e = step(&mut opt, &b).unwrap_err().to_string(); // same shapes: was mixed state
        assert!(e.contains("same shapes") && e.contains("make a new optimizer"), "{}: {e}", opt.name());
        let e = step(&mut opt, &c).unwrap_err().to_string(); // larger: was a panic
        assert!(e.contains("[3, 5]"), "{}: {e}", opt.name());
    }
}

#[test]
fn history_get_and_try_item_are_errors_that_list_what_there_is() {
    let (x, y) = data();
    let mut m = dense_model(2, 0);
    m.compile("sgd", "mse", &["mae"]).unwrap();
    let h = m.fit(&x, &y, Fit::default().verbose(0)).unwrap();
    let e = h.get("acc").unwrap_err().to_string();
    assert!(e.contains(r#"the keys are ["loss", "mae"]"#), "{e}");
    let panic = std::panic::catch_unwind(|| h["acc"].len()).unwrap_err();
    let text = panic.downcast_ref::<String>().unwrap();
    assert!(text.contains("history.get(\"acc\")?"), "{text}");
    assert!(Tensor::new(ArrayD::zeros(vec![2])).try_item().is_err());
}

// --- messages --------------------------------------------------------------------------------------

#[test]
fn messages_say_what_was_expected() {
    let mut acc = nnlab::metrics::SparseCategoricalAccuracy::new();
    let e = acc.update_state(&Array2::<f32>::zeros((8, 3)), &Array2::<f32>::zeros((8, 3))).unwrap_err();
    assert!(e.to_string().contains("y_true of shape [8]"), "{e}");
    let e = np::std(&Array1::<f32>::zeros(0)).unwrap_err().to_string();
    assert!(e.starts_with("np::std"), "{e}");
    let e = nnlab::plot::parse_color("rde").unwrap_err().to_string();
    assert!(e.contains(r#"did you mean "red""#), "{e}");
    let e = nnlab::plot::imshow(&Array1::<f32>::zeros(784)).unwrap_err().to_string();
    assert!(e.contains("2-D array") && e.contains("(28, 28)") && e.contains("1-D array"), "{e}");
    let e = Tensor::new(array![1.0f32].into_dyn()).sum().backward().unwrap_err().to_string();
    assert!(e.contains("add_weight"), "{e}");
}

// --- types ---------------------------------------------------------------------------------------

#[test]
fn fit_evaluate_predict_take_f64_u8_views_and_usize_labels() {
    let (x, y) = data();
    let x64 = x.mapv(|v| v as f64);
    let labels: Array1<usize> = Array1::from_shape_fn(8, |i| i % 2);
    let y_cat = to_categorical(&labels, 2).unwrap();
    let mut a = dense_model(2, 0);
    let mut b = dense_model(2, 0);
    a.compile("sgd", "mse", &[]).unwrap();
    b.compile("sgd", "mse", &[]).unwrap();
    let ha = a.fit(&x, &y_cat, Fit::default().verbose(0).shuffle(false)).unwrap();
    let hb = b.fit(&x64, &y_cat.view(), Fit::default().verbose(0).shuffle(false)).unwrap();
    assert_eq!(ha, hb, "f64 data trains as its f32 conversion");
    assert_eq!(a.predict(&x.slice(s![..4, ..])).unwrap(), b.predict(&x64.slice(s![..4, ..])).unwrap());
    let pixels = x.mapv(|v| (v * 255.0) as u8);
    assert!(a.evaluate(&pixels, &y).is_ok());
    let ds = Dataset::from_tensor_slices((&x64.view(), &labels)).unwrap();
    assert_eq!(ds.len(), 8);
    let inputs = Input::new(&[3]);
    let out = Dense::new(2).apply(&inputs).unwrap();
    let mut model = Model::new(&[inputs], &[out]).unwrap();
    model.compile("sgd", "mse", &[]).unwrap();
    assert!(model.fit(&x64, &y_cat, Fit::default().verbose(0)).is_ok());
    assert_eq!(model.predict(&x64.view()).unwrap().shape(), &[8, 2]);
}

#[test]
fn a_broadcasting_typo_that_asks_for_too_much_memory_is_an_error() {
    // [n, 1] with [n] broadcasts to [n, n]: 160 GB here, refused before it is allocated.
    let n = 200_000;
    let a = nnlab::tensor::Tensor::new(ArrayD::<f32>::zeros(nnlab::ndarray::IxDyn(&[n, 1])));
    let b = nnlab::tensor::Tensor::new(ArrayD::<f32>::zeros(nnlab::ndarray::IxDyn(&[n])));
    let e = a.sub(&b).unwrap_err().to_string();
    assert!(e.contains("fits in memory") && e.contains("[200000, 200000]"), "{e}");
    let row = nnlab::tensor::Tensor::new(ArrayD::<f32>::zeros(nnlab::ndarray::IxDyn(&[1, n])));
    assert!(a.matmul(&row).is_err());
}
