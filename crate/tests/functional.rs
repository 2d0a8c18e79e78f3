//! The Functional API: graphs, shared layers, merge layers, BatchNormalization, Embedding, LSTM,
//! the lecture's multi-input model, and the errors.

use nnlab::gradcheck;
use nnlab::prelude::*;
use nnlab::random::RandomState;

fn uniform(rs: &mut RandomState, shape: &[usize], lo: f64, hi: f64) -> ArrayD<f32> {
    rs.uniform(lo, hi, IxDyn(shape)).unwrap().mapv(|v| v as f32)
}

#[test]
fn functional_model_trains_like_sequential() {
    // y = 1 when x0 + x1 > 1: learnable by a small network.
    let mut rs = RandomState::new(0);
    let x = uniform(&mut rs, &[256, 2], 0.0, 1.0);
    let y = x.map_axis(Axis(1), |r| if r[0] + r[1] > 1.0 { 1.0f32 } else { 0.0 }).insert_axis(Axis(1));
    let inputs = Input::new(&[2]);
    let h = Dense::new(16).activation("relu").apply(&inputs).unwrap();
    let out = Dense::new(1).activation("sigmoid").apply(&h).unwrap();
    let mut model = Model::new(&[inputs], &[out]).unwrap();
    model.compile("adam", "binary_crossentropy", &["accuracy"]).unwrap();
    let h = model.fit(&x, &y, Fit::default().epochs(60).batch_size(32).verbose(0)).unwrap();
    assert!(h["accuracy"].last().unwrap() > &0.9, "{:?}", h["accuracy"]);
    let eval = model.evaluate(&x, &y).unwrap();
    assert!(eval[1] > 0.9);
    // Same seed, same history.
    let again = {
        let inputs = Input::new(&[2]);
        let h = Dense::new(16).activation("relu").apply(&inputs).unwrap();
        let out = Dense::new(1).activation("sigmoid").apply(&h).unwrap();
        let mut m = Model::new(&[inputs], &[out]).unwrap();
        m.compile("adam", "binary_crossentropy", &["accuracy"]).unwrap();
        m.fit(&x, &y, Fit::default().epochs(60).batch_size(32).verbose(0)).unwrap()
    };
    assert_eq!(h, again);
}

#[test]
fn a_shared_layer_keeps_one_set_of_weights() {
    let inputs = Input::new(&[4]);
    let shared = Shared::new(Dense::new(4).activation("relu"));
    let x = shared.apply(&inputs).unwrap();
    let x = shared.apply(&x).unwrap();
    let model = Model::new(&[inputs], &[x]).unwrap();
    assert_eq!(model.trainable_weights().len(), 2);
    assert_eq!(model.layers().len(), 1);
    // The output is the layer applied twice with the same weights.
    let xb = Tensor::new(ArrayD::from_elem(vec![3, 4], 0.5f32));
    let layer = model.layers()[0].clone();
    let twice = layer.call(&layer.call(&xb, false).unwrap(), false).unwrap();
    assert_eq!(model.call(&xb, false).unwrap().to_array(), twice.to_array());
    let s = model.summary_string();
    assert!(s.contains("dense[0][0]") && s.contains("input_layer[0][0]"), "{s}");
    assert!(s.contains("Total params: 20 "), "{s}");
}

#[test]
fn residual_add_and_concatenate() {
    let inputs = Input::new(&[3]);
    let x1 = Dense::new(3).apply(&inputs).unwrap();
    let x2 = Dense::new(3).apply(&inputs).unwrap();
    let sum = Add::new().apply(&[x1.clone(), x2.clone()]).unwrap();
    let cat = concatenate(&[sum.clone(), inputs.clone()]).unwrap();
    let mut model = Model::new(&[inputs], &[cat, sum]).unwrap();
    assert_eq!(model.output_shapes(), vec![vec![6], vec![3]]);
    let x = array![[1.0f32, 2.0, 3.0], [0.0, -1.0, 0.5]];
    let outs = model.predict_outputs(&x).unwrap();
    assert_eq!(outs[0].shape(), &[2, 6]);
    assert_eq!(outs[0].slice(s![.., 3..]).to_owned().into_dyn(), x.clone().into_dyn());
    assert_eq!(outs[0].slice(s![.., ..3]).to_owned().into_dyn(), outs[1]);
    // Two outputs: fit takes one target per output, predict is for one output (predict_outputs).
    model.compile("sgd", "mse", &[]).unwrap();
    let e = model.fit(&x, &x, Fit::default().verbose(0)).err().map(|e| e.to_string()).unwrap_or_default();
    assert!(e.contains("one target array per output"), "{e}");
    assert!(model.predict(&x).is_err());
}

#[test]
fn gradient_checks_of_the_new_layers_and_primitives() {
    let mut rs = RandomState::new(3);
    // concat and narrow.
    let a = Tensor::param(uniform(&mut rs, &[2, 3], -1.0, 1.0));
    let b = Tensor::param(uniform(&mut rs, &[2, 2], -1.0, 1.0));
    let w = Tensor::new(uniform(&mut rs, &[2, 4], -1.0, 1.0));
    let r = gradcheck::check_params(
        || {
            Tensor::concat(&[a.clone(), b.clone()], -1)?
                .narrow(1, 1, 5)?
                .mul(&w)?
                .square()
                .sum_axes(&[0, 1], false)
        },
        &[a.clone(), b.clone()],
    )
    .unwrap();
    assert!(r.max_rel_error < 1e-2, "concat/narrow: {r}");

    // BatchNormalization in training mode (through the batch statistics).
    let mut bn = BatchNormalization::new();
    bn.build(&[3], 0).unwrap();
    let x = Tensor::param(uniform(&mut rs, &[5, 3], -2.0, 2.0));
    let wt = Tensor::new(uniform(&mut rs, &[5, 3], -1.0, 1.0));
    let mut params = bn.weights();
    params.push(x.clone());
    let r = gradcheck::check_params(|| bn.call(&x, true)?.mul(&wt).map(|t| t.sum()), &params).unwrap();
    assert!(r.max_rel_error < 2e-2, "batch norm: {r}");
    let r = gradcheck::check_params(|| bn.call(&x, false)?.mul(&wt).map(|t| t.sum()), &params).unwrap();
    assert!(r.max_rel_error < 2e-2, "batch norm inference: {r}");

    // Embedding.
    let mut e = Embedding::new(6, 3);
    e.build(&[4], 1).unwrap();
    let codes = Tensor::new(array![[0.0f32, 5.0, 5.0, 2.0], [1.0, 1.0, 0.0, 3.0]].into_dyn());
    let we = Tensor::new(uniform(&mut rs, &[2, 4, 3], -1.0, 1.0));
    let r = gradcheck::check_params(
        || e.call(&codes, true)?.mul(&we)?.square().sum_axes(&[0, 1, 2], false),
        &e.weights(),
    )
    .unwrap();
    assert!(r.max_rel_error < 1e-2, "embedding: {r}");

    // LSTM, last output and sequences, gradients for the weights and the input.
    for seq in [false, true] {
        let mut lstm = LSTM::new(3).return_sequences(seq);
        lstm.build(&[4, 2], 5).unwrap();
        let x = Tensor::param(uniform(&mut rs, &[2, 4, 2], -1.0, 1.0));
        let shape = if seq { vec![2, 4, 3] } else { vec![2, 3] };
        let wl = Tensor::new(uniform(&mut rs, &shape, -1.0, 1.0));
        let mut params = lstm.weights();
        params.push(x.clone());
        let r = gradcheck::check_params(|| lstm.call(&x, true)?.mul(&wl).map(|t| t.sum()), &params).unwrap();
        assert!(r.max_rel_error < 2e-2, "lstm (return_sequences {seq}): {r}");
    }
}

#[test]
fn batch_normalization_moving_statistics_and_modes() {
    let mut bn = BatchNormalization::new();
    bn.build(&[2], 0).unwrap();
    let x = Tensor::new(array![[1.0f32, 4.0], [3.0, 8.0]].into_dyn());
    let y = bn.call(&x, true).unwrap().to_array();
    // Training: each column normalised with its batch mean and (biased) variance, ε = 1e-3.
    let expect = (1.0f32 - 2.0) / (1.0f32 + 1e-3).sqrt();
    assert!((y[[0, 0]] - expect).abs() < 1e-6);
    let nt = bn.non_trainable_weights();
    assert_eq!(nt[0].0, "moving_mean");
    assert!((nt[0].1.to_array()[[1]] - 0.06).abs() < 1e-6); // 0.99·0 + 0.01·6
    assert!((nt[1].1.to_array()[[1]] - (0.99 + 0.01 * 4.0)).abs() < 1e-6); // variance of [4, 8] is 4
                                                                           // Inference: the moving statistics, not the batch's.
    let yi = bn.call(&x, false).unwrap().to_array();
    let mm = nt[0].1.to_array()[[0]];
    let mv = nt[1].1.to_array()[[0]];
    assert!((yi[[0, 0]] - (1.0 - mm) / (mv + 1e-3).sqrt()).abs() < 1e-6);
    assert_eq!(bn.param_count(), 4); // gamma and beta; the moving statistics are not trainable
}

#[test]
fn lstm_follows_the_keras_gate_layout() {
    // One unit, one feature, one step, with weights set by hand:
    // z = x·k + b (h₀ = 0), i | f | c | o, c = i·tanh(z_c), h = σ(z_o)·tanh(c).
    let mut lstm = LSTM::new(1);
    lstm.build(&[1, 1], 0).unwrap();
    let w = lstm.weights();
    assert_eq!(w[2].to_array(), array![0.0f32, 1.0, 0.0, 0.0].into_dyn()); // unit_forget_bias
    let rk = w[1].to_array(); // orthogonal [1, 4]: a unit row
    assert!((rk.iter().map(|v| v * v).sum::<f32>() - 1.0).abs() < 1e-5);
    w[0].assign(array![[0.5f32, 1.0, 2.0, -1.0]].into_dyn()).unwrap();
    let x = Tensor::new(array![[[1.0f32]]].into_dyn());
    let h = lstm.call(&x, false).unwrap().item();
    let sig = |v: f32| 1.0 / (1.0 + (-v).exp());
    let c = sig(0.5) * 2.0f32.tanh();
    assert!((h - sig(-1.0) * c.tanh()).abs() < 1e-6);
}

#[test]
fn embedding_lookup_and_errors() {
    let mut e = Embedding::new(4, 2);
    e.build(&[3], 0).unwrap();
    let table = e.weights()[0].to_array();
    assert!(table.iter().all(|v| v.abs() <= 0.05));
    let y = e.call(&Tensor::new(array![[3.0f32, 0.0, 3.0]].into_dyn()), false).unwrap().to_array();
    assert_eq!(y.slice(s![0, 0, ..]), table.slice(s![3, ..]));
    assert_eq!(y.slice(s![0, 1, ..]), table.slice(s![0, ..]));
    for bad in [4.0f32, -1.0, 1.5] {
        let err = e.call(&Tensor::new(array![[bad, 0.0, 0.0]].into_dyn()), false).unwrap_err().to_string();
        assert!(err.contains("0..4"), "{err}");
    }
}

/// The lecture's multi-input model on a small synthetic task: the label says whether token 7 occurs
/// in the sequence or the first numeric feature is above 1 (neither alone explains it).
pub fn synthetic(n: usize, seed: u32) -> (Array2<f32>, Array2<f32>, Array2<f32>) {
    let mut rs = RandomState::new(seed);
    let seq = rs.uniform(0.0, 20.0, (n, 10)).unwrap().mapv(|v| v.floor() as f32);
    let num = rs.uniform(0.0, 2.0, (n, 5)).unwrap().mapv(|v| v as f32);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| {
        let token = seq.row(i).iter().any(|&t| t == 7.0);
        let feature = num[[i, 0]] > 1.0;
        (token ^ feature) as u8 as f32
    });
    (seq, num, y)
}

#[test]
fn the_lectures_multi_input_model_learns_a_synthetic_task() {
    let categorical_input = Input::new(&[10]).dtype("int32").name("categorical_input");
    let x = Embedding::new(20, 8).apply(&categorical_input).unwrap();
    let lstm_out = LSTM::new(16).apply(&x).unwrap();
    let numerical_input = Input::new(&[5]).name("numerical_input");
    let n = Dense::new(16).activation("relu").apply(&numerical_input).unwrap();
    let x = concatenate(&[lstm_out, n]).unwrap();
    let x = Dense::new(32).activation("relu").apply(&x).unwrap();
    let x = Dense::new(32).activation("relu").apply(&x).unwrap();
    let main_output = Dense::new(1).activation("sigmoid").name("main_output").apply(&x).unwrap();
    let mut model = Model::new(&[categorical_input, numerical_input], &[main_output]).unwrap();
    let summary = model.summary_string();
    println!("{summary}");
    for part in [
        "categorical_input",
        "(InputLayer)",
        "(None, 10, 8)",
        "lstm",
        "concatenate",
        "main_output",
        "Connected to",
    ] {
        assert!(summary.contains(part), "{part} missing in\n{summary}");
    }
    assert_eq!(model.input_dtypes(), vec!["int32", "float32"]);
    let (seq, num, y) = synthetic(1200, 1);
    let (seq_t, num_t, y_t) = synthetic(400, 2);
    model.compile("adam", "binary_crossentropy", &["accuracy"]).unwrap();
    let h = model.fit([&seq, &num], &y, Fit::default().epochs(25).batch_size(32).verbose(0).seed(1)).unwrap();
    let acc = model.evaluate([("numerical_input", &num_t), ("categorical_input", &seq_t)], &y_t).unwrap()[1];
    assert!(acc > 0.8, "test accuracy {acc}, history {:?}", h["accuracy"]);
}

#[test]
fn errors_name_the_problem() {
    // An output not connected to the inputs.
    let a = Input::new(&[3]);
    let other = Input::new(&[3]).name("other");
    let out = Dense::new(2).apply(&other).unwrap();
    let e = Model::new(&[a], &[out]).unwrap_err().to_string();
    assert!(e.contains("\"other\" that is not in the inputs"), "{e}");
    // A layer built for one input size applied to another.
    let shared = Shared::new(Dense::new(2));
    let x = shared.apply(&Input::new(&[3])).unwrap();
    let y = shared.apply(&Input::new(&[5])).unwrap();
    let _ = x;
    let e = Model::new(&[Input::new(&[5])], &[y]).unwrap_err().to_string();
    assert!(e.contains("not in the inputs"), "{e}");
    let b = Input::new(&[3]);
    let first = shared.apply(&b).unwrap();
    Model::new(&[b], &[first]).unwrap();
    let c = Input::new(&[5]);
    let second = shared.apply(&c).unwrap();
    let e = Model::new(&[c], &[second]).unwrap_err().to_string();
    assert!(e.contains("already built") && e.contains("[5]"), "{e}");
    // Shapes a layer cannot take: an error at the apply that makes them (it used to wait for Model::new).
    let d = Input::new(&[3]);
    let e = Add::new().apply(&[d.clone(), Dense::new(4).apply(&d).unwrap()]);
    assert!(e.unwrap_err().to_string().contains("one shape"));
    // An input shape the graph cannot take.
    let i = Input::new(&[3]);
    let o = Dense::new(1).apply(&i).unwrap();
    let mut m = Model::new(&[i], &[o]).unwrap();
    m.compile("sgd", "mse", &[]).unwrap();
    let e = m.predict(&Array2::<f32>::zeros((2, 4))).unwrap_err().to_string();
    assert!(e.contains("[n, 3]") && e.contains("[2, 4]"), "{e}");
    let e = m
        .fit(
            [&Array2::<f32>::zeros((2, 3)), &Array2::<f32>::zeros((2, 3))],
            &Array2::<f32>::zeros((2, 1)),
            Fit::default(),
        )
        .unwrap_err();
    assert!(e.to_string().contains("1 input arrays"), "{e}");
    let e = m.predict([("x", &Array2::<f32>::zeros((2, 3)))]).unwrap_err().to_string();
    assert!(e.contains("unknown input \"x\""), "{e}");
    assert!(m.call(&Tensor::new(ArrayD::zeros(vec![2, 4])), false).is_err());
    // Unknown dtype.
    let i = Input::new(&[3]).dtype("int8");
    let o = Dense::new(1).apply(&i).unwrap();
    assert!(Model::new(&[i], &[o]).unwrap_err().to_string().contains("int32"));
}

#[test]
fn a_functional_models_errors_name_model_not_sequential() {
    let inputs = Input::new(&[3]);
    let out = Dense::new(2).activation("softmax").apply(&inputs).unwrap();
    let mut model = Model::new(&[inputs], &[out]).unwrap();
    model.compile("adam", "categorical_crossentropy", &[]).unwrap();
    let (x, y) = (Array2::<f32>::zeros((40, 3)), Array2::<f32>::zeros((30, 2)));
    let fit = model.fit(&x, &y, Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(fit.starts_with("Model.fit:"), "{fit}");
    let zero = model.fit(&x, &x.slice(s![.., ..2]), Fit::default().batch_size(0).verbose(0)).unwrap_err();
    assert!(zero.to_string().starts_with("Model.fit:"), "{zero}");
    let eval = model.evaluate(&x, &y).unwrap_err().to_string();
    assert!(eval.starts_with("Model.evaluate:"), "{eval}");
}
