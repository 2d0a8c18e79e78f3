"""A sweep of student mistakes in a real nnlab kernel, every module: each must print a clear error (or give a
correct result), never panic inside nnlab, and keep the variables made before it (checked after every one).

Each case is (code, what the output must contain). A case whose text is "ok:..." must succeed and show the
text; every other case must fail with the text in its error. The model is trained once before the sweep and
must predict the same after every mistake: a failed call changes nothing."""

import pytest

SETUP = r"""
let x = Array2::from_shape_fn((64, 4), |(i, j)| ((i * 4 + j) % 7) as f32 / 7.0);
let labels = Array1::from_shape_fn(64, |i| i % 3);
let y = to_categorical(&labels, 3)?;
let mut model = Sequential::new(vec![
    Dense::new(8).activation("relu").input_shape(&[4]).into(),
    Dense::new(3).activation("softmax").into(),
]).seed(1);
model.compile("adam", "categorical_crossentropy", &["accuracy"])?;
let history = model.fit(&x, &y, Fit::default().epochs(2).verbose(0))?;
let kept = model.predict(&x)?;
let mut opt = nnlab::optimizers::get("adam")?;
let w = Tensor::param(array![[1.0f32, 2.0], [3.0, 4.0]].into_dyn());
let sizes = vec![4usize, 5, 3];
let rnd = RandomState::new(1);
let biases = scratch::set_biases(&sizes[1..], &mut rnd.clone());
let weights = scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes)?, &mut rnd.clone());
"""

CHECK = r"""assert_eq!(model.predict(&x)?, kept);
format!("kept {} {} {} {}", x.len(), history.get("loss")?.len(), w.len(), weights.len())"""
KEPT = '"kept 256 2 4 2"'

# (code, text the output must contain); "ok:TEXT" means the cell must succeed and show TEXT.
MISTAKES = [
    # --- models: compile ------------------------------------------------------------------------------
    ('model.compile("adma", "mse", &[])?;', 'unknown optimizer "adma" (did you mean "adam"?)'),
    ('model.compile("adam", "msee", &[])?;', 'unknown loss "msee"'),
    ('model.compile("adam", "mse", &["precison"])?;', 'unknown metric "precison" (did you mean "precision"?)'),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile("adam", |t: &Tensor, p: &Tensor| Ok(p.sub(t)?.square()), &[])?; m.fit(&x, &y, Fit::default().verbose(0))?;',
     "one value per example (shape [32])"),
    ('model.get_layer("dens")?;', 'unknown layer "dens" (did you mean "dense"?)'),
    ('let mut m = Sequential::new(vec![Dense::new(5).input_shape(&[4]).into(), Dense::new(3).into()]);'
     ' m.compile("adam", "mse", &[])?; m.fit(&x, &y, Fit::default().verbose(0))?;'
     ' m.get_layer("dense")?.set_trainable(false)?; m.fit(&x, &y, Fit::default().verbose(0))?;', "call compile again"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]); m.compile("adam", "mse", &[])?;'
     ' m.set_trainable(false)?; m.fit(&x, &y, Fit::default().verbose(0))?;', "every layer with weights is frozen"),
    ('model.compile("adam", "mse", &["accuracyy"])?;', 'did you mean "accuracy"'),
    ('let mut m = Sequential::new(vec![Dense::new(3).into()]); m.fit(&x, &y, Fit::default())?;',
     "not compiled"),
    ('let mut m = Sequential::new(vec![Dense::new(0).input_shape(&[4]).into()]); m.compile("sgd", "mse", &[])?;',
     "units of at least 1"),
    ('let mut m = Sequential::new(vec![Dense::new(100_000_000).input_shape(&[784]).into()]);'
     ' m.compile("sgd", "mse", &[])?;', "313.6 GB"),
    ('let mut m = Sequential::new(vec![Dense::new(3).activation("reul").input_shape(&[4]).into()]);'
     ' m.compile("sgd", "mse", &[])?;', 'did you mean "relu"'),
    ('let mut m = Sequential::new(vec![Dense::new(3).kernel_initializer("glorot").input_shape(&[4]).into()]);'
     ' m.compile("sgd", "mse", &[])?;', "unknown initializer"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile(nnlab::optimizers::SGD::new().learning_rate(-0.1), "mse", &[])?;', "learning_rate"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile(nnlab::optimizers::Adam::new().learning_rate(f32::NAN), "mse", &[])?;', "learning_rate"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile(nnlab::optimizers::SGD::new().learning_rate(0.0), "mse", &[])?;', "above 0"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile(nnlab::optimizers::SGD::new().momentum(1.5), "mse", &[])?;', "momentum in [0, 1]"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile(nnlab::optimizers::Adam::new().beta_1(1.0), "mse", &[])?;', "beta_1"),
    # --- models: fit / evaluate / predict ---------------------------------------------------------------
    ('model.fit(&x, &labels.mapv(|v| v as f32), Fit::default().verbose(0))?;', "targets of shape [n, 3]"),
    ('model.fit(&x.slice(s![..10, ..]), &y, Fit::default().verbose(0))?;', "as many targets as inputs"),
    ('model.fit(&x.t(), &y, Fit::default().verbose(0))?;', "expected"),
    ('model.fit(&x, &y, Fit::default().batch_size(0).verbose(0))?;', "batch_size of at least 1"),
    ('model.fit(&x, &y, Fit::default().validation_split(1.5).verbose(0))?;', "validation_split in [0, 1)"),
    ('model.fit(&x, &y, Fit::default().validation_split(0.999).verbose(0))?;', "0 left to train on"),
    ('model.fit(&x, &y, Fit::default().class_weight(&[1.0, 5.0]).verbose(0))?;', "a weight for each class in y"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]);'
     ' m.compile("adam", "mse", vec![metrics::Metric::custom("bad", |t, p| p.matmul(t))])?;'
     ' m.fit(&x, &y, Fit::default().verbose(0))?;', "matmul"),
    ('model.fit(&x, &y, Fit::default().sample_weight(&Array1::<f32>::ones(10)).verbose(0))?;',
     "one weight per example, shape [64]"),
    ('model.fit(&x, &y, Fit::default().validation_data(&x, &labels).verbose(0))?;', "validation_data"),
    ('let mut bad = x.clone(); bad[[7, 2]] = f32::NAN; model.fit(&bad, &y, Fit::default().verbose(0))?;',
     "row 7 holds NaN"),
    ('let mut bad = x.clone(); bad[[3, 0]] = f32::INFINITY; model.evaluate(&bad, &y)?;', "row 3 holds inf"),
    ('let mut bad = y.clone(); bad[[9, 1]] = f32::NAN; model.fit(&x, &bad, Fit::default().verbose(0))?;',
     "y row 9 holds NaN"),
    ('let mut bad = x.clone(); bad[[1, 1]] = f32::NAN; model.train_on_batch(&bad, &y)?;', "row 1 holds NaN"),
    ('model.evaluate(&x, &y.slice(s![.., ..2]))?;', "targets of shape [n, 3]"),
    ('model.evaluate_with(&x, &y, 0)?;', "batch_size of at least 1"),
    ('model.predict(&Array2::<f32>::zeros((5, 7)))?;', "inputs of shape [batch, 4]"),
    ('model.predict_with(&x, 0)?;', "batch_size of at least 1"),
    ('model.predict(&Array2::<f32>::zeros((0, 4)))?;', "at least one example"),
    ('model.predict(&x.mapv(|v| v as f64))?.shape().to_vec()', "ok:[64, 3]"),
    ('model.evaluate(&x.mapv(|v| (v * 255.0) as u8), &y)?.len()', "ok:2"),
    ('to_categorical(&labels, 3)?.shape().to_vec()', "ok:[64, 3]"),
    ('model.set_weights(vec![])?;', "expected 4 arrays, got 0"),
    ('model.set_weights(vec![ArrayD::zeros(vec![2, 2]); 4])?;', "Sequential.set_weights: expected [4, 8]"),
    ('history.get("acc")?;', 'the keys are ["accuracy", "loss"]'),
    ('history.get("acuracy")?;', 'did you mean "accuracy"'),
    ('history.get("val_loss")?;', 'the keys are ["accuracy", "loss"]'),
    ('model.save("/nonexistent-dir/model.safetensors")?;', "/nonexistent-dir"),
    ('load_model("/nonexistent-dir/model.safetensors")?;', "/nonexistent-dir"),
    ('std::fs::write("/tmp/nnlab-not-a-model.safetensors", b"hello")?; load_model("/tmp/nnlab-not-a-model.safetensors")?;',
     "nnlab-not-a-model"),
    ('let mut m = Sequential::new(vec![Dense::new(3).input_shape(&[4]).into()]); m.call(&Tensor::new(x.clone().into_dyn()), false)?;',
     "not built"),
    ('model.call(&Tensor::new(ArrayD::zeros(vec![2, 5])), false)?;', "expected"),
    # --- models: Functional API -----------------------------------------------------------------------
    ('let i = Input::new(&[4]); let o = Dense::new(0).apply(&i)?;', "units of at least 1"),
    ('let i = Input::new(&[4]); let other = Input::new(&[4]); let o = Dense::new(2).apply(&other)?; Model::new(&[i], &[o])?;',
     "expected"),
    ('let i = Input::new(&[4]); let o = Dense::new(3).apply(&i)?; let mut m = Model::new(&[i], &[o])?; m.fit(&x, &y, Fit::default())?;',
     "not compiled"),
    ('let i = Input::new(&[4]); let o = Dense::new(3).apply(&i)?; let mut m = Model::new(&[i], &[o])?;'
     ' m.compile("sgd", "mse", &[])?; m.fit([&x, &x], &y, Fit::default().verbose(0))?;', "1 input arrays, got 2"),
    ('let i = Input::new(&[4]); let o = Dense::new(3).apply(&i)?; let mut m = Model::new(&[i], &[o])?;'
     ' m.compile("sgd", "mse", &[])?; let mut bad = x.clone(); bad[[4, 0]] = f32::NAN; m.fit(&bad, &y, Fit::default().verbose(0))?;',
     "row 4 holds NaN"),
    ('let i = Input::new(&[4]).name("a"); let o = Dense::new(3).apply(&i)?; let mut m = Model::new(&[i], &[o])?;'
     ' m.compile("sgd", "mse", &[])?; m.predict([("b", &x)])?;', 'unknown input "b"'),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(2).apply(&i)?;'
     ' let mut m = Model::new(&[i], &[a, b])?; m.compile("sgd", ["mse", "mse", "mse"], &[])?;', "expected"),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(2).apply(&i)?;'
     ' let mut m = Model::new(&[i], &[a, b])?; m.compile("sgd", "mse", &[])?; m.loss_weights(&[1.0])?;', "expected"),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(2).apply(&i)?;'
     ' let mut m = Model::new(&[i], &[a, b])?; m.compile("sgd", "mse", &[])?; m.fit(&x, &y, Fit::default().verbose(0))?;',
     "one target array per output"),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(3).apply(&i)?; add(&[a, b])?.shape()',
     "ok:Some([3])"),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(2).apply(&i)?; add(&[a, b])?;', "expected"),
    ('let i = Input::new(&[4]); let a = Dense::new(3).apply(&i)?; let b = Dense::new(2).apply(&i)?; concatenate(&[a, b])?.shape()',
     "ok:Some([5])"),
    ('let i = Input::new(&[4]); Embedding::new(0, 8).apply(&i)?;', "input_dim and output_dim of at least 1"),
    ('let i = Input::new(&[5, 3]); LSTM::new(0).apply(&i)?;', "units of at least 1"),
    ('let i = Input::new(&[4]); LSTM::new(4).apply(&i)?;', "inputs [batch, time, features]"),
    ('let i = Input::new(&[4]); Dropout::new(1.5).apply(&i)?;', "expected"),
    ('let i = Input::new(&[4]); Dropout::new(f32::NAN).apply(&i)?;', "expected"),
    ('let i = Input::new(&[4]); Concatenate::new(5).apply(&[i.clone(), i])?;', "expected"),
    ('let i = Input::new(&[4]); nnlab::layers::Activation::new("softmx").apply(&i)?;', 'did you mean "softmax"'),
    ('let i = Input::new(&[2, 2]); Dense::new(3).apply(&i)?;', "add a Flatten layer before it"),
    # --- convolutions: keras.io's convnet (notebooks/convnet.ipynb) -------------------------------------
    ('let mut m = Sequential::new(layers![Conv2D::new(8, 3).activation("relu").input_shape(&[28, 28, 1]),'
     ' Flatten::new(), Dense::new(3).activation("softmax")]); m.compile("adam", "categorical_crossentropy", &[])?;'
     ' m.fit(&Array3::<f32>::zeros((4, 28, 28)), &Array2::<f32>::zeros((4, 3)), Fit::default().verbose(0))?;',
     "np::expand_dims(&x, -1)"),
    ('let mut m = Sequential::new(layers![Conv2D::new(8, 3).input_shape(&[28, 28])]);'
     ' m.compile("adam", "mse", &[])?;', "add the channel axis"),
    ('let mut m = Sequential::new(layers![Conv2D::new(8, 3).padding("smae").input_shape(&[8, 8, 1])]);'
     ' m.compile("adam", "mse", &[])?;', 'did you mean "same"'),
    ('let mut m = Sequential::new(layers![Conv2D::new(4, 3).input_shape(&[6, 6, 1]), MaxPooling2D::new(2),'
     ' Conv2D::new(4, 3)]); m.compile("adam", "mse", &[])?;', 'padding("same")'),
    ('let mut m = Sequential::new(layers![Conv2D::new(8, 3).input_shape(&[8, 8, 1]), Dense::new(3)]);'
     ' m.compile("adam", "mse", &[])?;', "add a Flatten layer"),
    ('Tensor::new(ArrayD::<f32>::zeros(vec![1, 8, 8, 3])).conv2d(&Tensor::new(ArrayD::<f32>::zeros(vec![3, 3, 1, 4])),'
     ' None, (1, 1), nnlab::tensor::Padding::Valid)?;', "[height, width, 3, filters]"),
    ('np::expand_dims(&x, 3)?;', "np::expand_dims"),
    ('Reshape::new(&[5, 5]).build(&[28, 28], 0)?;', "784 values"),
    # --- optimizers and the tape ----------------------------------------------------------------------
    ('opt.apply_gradients(&[array![1.0f32].into_dyn()], &[w.clone()])?;', "gradient 0 of shape [2, 2]"),
    ('opt.apply_gradients(&[ArrayD::<f32>::zeros(vec![2, 2]), ArrayD::zeros(vec![2, 2])], &[w.clone()])?;',
     "1 gradients (one per weight)"),
    ('opt.apply_gradients(&[None::<ArrayD<f32>>], &[w.clone()])?;', "None for all 1 weights"),
    ('opt.apply_gradients(&[ArrayD::from_elem(vec![2, 2], f32::NAN)], &[w.clone()])?;', "holds NaN"),
    ('let mut o = nnlab::optimizers::get("rmsprop")?; let a = Tensor::param(ArrayD::zeros(vec![3]));'
     ' let b = Tensor::param(ArrayD::zeros(vec![5])); o.apply_gradients(&[ArrayD::ones(vec![3])], &[a])?;'
     ' o.apply_gradients(&[ArrayD::ones(vec![5])], &[b])?;', "make a new optimizer"),
    ('let mut o = nnlab::optimizers::get("adam")?; let a = Tensor::param(ArrayD::zeros(vec![3]));'
     ' let b = Tensor::param(ArrayD::zeros(vec![3])); o.apply_gradients(&[ArrayD::ones(vec![3])], &[a])?;'
     ' o.apply_gradients(&[ArrayD::ones(vec![3])], &[b])?;', "same shapes"),
    ('nnlab::optimizers::get("adamx")?;', 'unknown optimizer "adamx" (did you mean'),
    ('let c = Tensor::new(ArrayD::ones(vec![2])); c.sum().backward()?;', "add_weight"),
    ('w.backward()?;', "a tensor with one element"),
    ('w.try_item()?;', "got shape [2, 2]"),
    ('let h = w.square(); let l = h.sum(); GradientTape::new().gradient(&l, &[h.clone()])?[0].clone().unwrap().sum()',
     "ok:4"),
    ('let mut t = Tensor::new(ArrayD::zeros(vec![])); for _ in 0..100_000 { t = t.add(&w.sum())?; } t.item()',
     "ok:1000000"),
    ('w.matmul(&Tensor::new(ArrayD::zeros(vec![3, 2])))?;', "matmul"),
    ('w.add(&Tensor::new(ArrayD::zeros(vec![3])))?;', "expected"),
    ('w.reshape(&[3, 2])?;', "expected"),
    ('w.sum_axes(&[5], false)?;', "axis"),
    ('w.assign(ArrayD::zeros(vec![3]))?;', "Tensor::assign: expected [2, 2], got [3]"),
    ('w.select_rows(&[7])?;', "select_rows"),
    ('Tensor::concat(&[w.clone(), Tensor::new(ArrayD::zeros(vec![3, 3]))], 0)?;', "expected"),
    # --- losses, activations, metrics -----------------------------------------------------------------
    ('nnlab::losses::get("cross_entropy")?;', 'unknown loss "cross_entropy"'),
    ('nnlab::losses::get("mse")?.call(&Tensor::new(ArrayD::zeros(vec![2, 3])), &Tensor::new(ArrayD::zeros(vec![2, 4])))?;',
     "expected"),
    ('nnlab::losses::get("sparse_categorical_crossentropy")?.call(&Tensor::new(array![5.0f32].into_dyn()), &Tensor::new(ArrayD::zeros(vec![1, 3])))?;',
     "expected"),
    ('nnlab::activations::get("sigmoidd")?;', 'did you mean "sigmoid"'),
    ('nnlab::metrics::get("acuracy")?;', 'did you mean "accuracy"'),
    ('let mut a = nnlab::metrics::SparseCategoricalAccuracy::new(); a.update_state(&Array2::<f32>::zeros((8, 3)), &Array2::<f32>::zeros((8, 3)))?;',
     "y_true of shape [8]"),
    ('let mut a = nnlab::metrics::CategoricalAccuracy::new(); a.update_state(&Array2::<f32>::zeros((8, 2)), &Array2::<f32>::zeros((8, 3)))?;',
     "y_pred's shape [8, 3]"),
    ('to_categorical(&array![1.5f32], 3)?;', "labels in 0..3"),
    ('to_categorical(&array![-1i32], 3)?;', "labels in 0..3"),
    ('to_categorical(&array![3u8], 3)?;', "3 at position 0"),
    ('to_categorical(&array![0u8], 0)?;', "num_classes of at least 1"),
    ('to_categorical(&labels, 1 << 62)?;', "fits in memory"),
    # --- np ---------------------------------------------------------------------------------------------
    ('np::mean(&Array1::<f32>::zeros(0))?;', "np::mean"),
    ('np::std(&Array1::<f32>::zeros(0))?;', "np::std"),
    ('np::max(&Array1::<u8>::zeros(0))?;', "np::max"),
    ('np::argmax(&Array1::<f32>::zeros(0))?;', "np::argmax"),
    ('np::argmax(&array![1.0f32, f32::NAN, 0.5])?', "ok:"),
    ('np::minmax_scale(&array![2.0f64, 2.0])', "ok:"),
    # --- data -------------------------------------------------------------------------------------------
    ('Dataset::from_tensor_slices((&x, &y.slice(s![..3, ..])))?;', "the same first dimension"),
    ('Dataset::from_tensor_slices((&x, &labels))?.batch(0)?;', "expected"),
    ('Dataset::from_tensor_slices((&x.mapv(|v| v as f64), &labels))?.batch(10)?.len()', "ok:7"),
    # --- datasets ---------------------------------------------------------------------------------------
    ('nnlab::datasets::idx::read_images("/nonexistent-dir/train-images-idx3-ubyte.gz")?;', "/nonexistent-dir"),
    ('std::fs::write("/tmp/nnlab-bad.gz", b"not gzip")?; nnlab::datasets::idx::read_images("/tmp/nnlab-bad.gz")?;',
     "nnlab-bad.gz"),
    # --- plots, images, animations ----------------------------------------------------------------------
    ('imshow(&Array1::<f32>::zeros(784))?;', "reshape it to rows × columns first"),
    ('imshow(&Array3::<f32>::zeros((28, 28, 1)))?;', "drop the channel axis first"),
    ('imshow(&Array2::<f32>::zeros((0, 5)))?;', "non-empty"),
    ('let mut f = Figure::new(); f.plot(&[1.0, 2.0], &[1.0])?;', "expected"),
    ('let mut f = Figure::new(); f.plot(&[1.0, 2.0], &[1.0, 2.0])?.color("rde")?;', 'did you mean "red"'),
    ('let mut f = Figure::new(); f.plot(&[1.0, 2.0], &[1.0, 2.0])?.color("#12")?;', "#rrggbb"),
    ('subplots(0, 2)?;', "expected"),
    ('let mut f = subplots(1, 2)?; f.ax(5)?;', "expected"),
    ('let mut f = Figure::new(); f.imshow(&Array2::<f32>::zeros((3, 3)))?.cmap("viridiss")?;', 'did you mean "viridis"'),
    ('Animation::new(&Vec::<Array2<f32>>::new())?;', "expected"),
    ('Animation::new(&[Array2::<f32>::zeros((2, 2)), Array2::<f32>::zeros((3, 3))])?;', "expected"),
    ('Animation::new(&[Array2::<f32>::zeros((2, 2))])?.cmap("gary")?;', 'did you mean "gray"'),
    ('Html::new("x").save("/nonexistent-dir/x.html")?;', "Html::save: cannot write"),
    # --- the from-scratch network -----------------------------------------------------------------------
    ('scratch::unit_vector(10)?;', "expected"),
    ('scratch::prepare_weight_matrix_dim(&[784])?;', "expected"),
    ('scratch::backprop(&Array2::zeros((3, 1)), &scratch::unit_vector(0)?, &biases, &weights, scratch::Cost::Quadratic)?;',
     "expected"),
    ('scratch::split_data(&[1, 2, 3], 0)?;', "expected"),
    ('scratch::prepare_data(&Array3::<f64>::zeros((2, 2, 2)), &Array1::<u8>::zeros(3), &Array3::<f64>::zeros((1, 2, 2)), &Array1::<u8>::zeros(1))?;',
     "expected"),
    # --- random -----------------------------------------------------------------------------------------
    ('RandomState::new(1).uniform(1.0, 0.0, 3)?.len()', "ok:3"),  # numpy allows low > high
    ('RandomState::new(1).uniform(0.0, f64::NAN, 3)?;', "expected"),
    ('RandomState::new(1).normal(0.0, -1.0, 3)?;', "expected"),
    ('RandomState::new(1).randint(5, 5, 3)?;', "expected"),
    ('RandomState::new(1).choice(3, 5, false)?;', "expected"),
    # --- compile errors (Rust's own; the variables must survive them too) ---------------------------------
    ('let oops: u32 = "three";', "mismatched types"),
    ('modle.fit(&x, &y, Fit::default())?;', "modle"),
    ('model.fit(x, y, Fit::default())?;', "expected"),
]


@pytest.fixture(scope="module")
def sweep_session(session):
    cell = session.run(SETUP)
    assert cell.status == "ok" and "Error" not in cell.stderr, cell
    assert session.run(CHECK).data.get("text/plain") == KEPT
    return session


def test_there_are_at_least_100_mistakes():
    assert len(MISTAKES) >= 100, len(MISTAKES)


@pytest.mark.parametrize("code,expected", MISTAKES, ids=[f"{i:03d}" for i in range(len(MISTAKES))])
def test_mistake_gives_a_clear_error_and_keeps_the_variables(sweep_session, code, expected):
    cell = sweep_session.run(code)
    shown = cell.stdout + cell.stderr + cell.data.get("text/plain", "")
    assert "panicked" not in shown, f"{code}\n{cell}"
    if expected.startswith("ok:"):
        assert "Error" not in cell.stderr and cell.status == "ok", f"{code}\n{cell}"
        assert expected[3:] in shown, f"{code}\n{cell}"
    else:
        assert expected in shown, f"{code}: expected {expected!r} in\n{cell}"
    after = sweep_session.run(CHECK)
    assert after.data.get("text/plain") == KEPT, f"after {code}: {after}"
