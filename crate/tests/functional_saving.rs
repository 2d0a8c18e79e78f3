//! `Model::save` / `Model::load`: a functional model (several inputs and outputs, shared layer,
//! batch normalization, Embedding + LSTM) predicts bit for bit after loading; clear errors otherwise.

use nnlab::prelude::*;

fn temp(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("nnlab-test-{}-{name}.safetensors", std::process::id()))
}

fn data(n: usize) -> (Array2<f32>, Array2<f32>, Array2<f32>, Array2<f32>) {
    let mut rs = RandomState::new(4);
    let codes = rs.uniform(0.0, 12.0, (n, 6)).unwrap().mapv(|v| v.floor() as f32);
    let nums = rs.uniform(-1.0, 1.0, (n, 3)).unwrap().mapv(|v| v as f32);
    let a = Array2::from_shape_fn((n, 1), |(i, _)| (codes.row(i).iter().any(|&c| c == 3.0)) as u8 as f32);
    let b = Array2::from_shape_fn((n, 2), |(i, j)| nums[[i, 0]] * (j as f32 + 1.0));
    (codes, nums, a, b)
}

fn model() -> Model {
    let codes = Input::new(&[6]).name("codes");
    let nums = Input::new(&[3]).name("nums");
    let x = Embedding::new(12, 4).apply(&codes).unwrap();
    let x = LSTM::new(5).apply(&x).unwrap();
    let shared = Shared::new(Dense::new(5).activation("tanh"));
    let n = shared.apply(&Dense::new(5).apply(&nums).unwrap()).unwrap();
    let n = shared.apply(&n).unwrap();
    let x = concatenate(&[x, n.clone()]).unwrap();
    let x = Add::new().apply(&[Dense::new(5).apply(&x).unwrap(), n]).unwrap();
    let x = BatchNormalization::new().momentum(0.9).apply(&x).unwrap();
    let a = Dense::new(1).activation("sigmoid").name("flag").apply(&x).unwrap();
    let b = Dense::new(2).name("scaled").apply(&x).unwrap();
    Model::with_seed(&[codes, nums], &[a, b], 7).unwrap()
}

#[test]
fn a_loaded_functional_model_predicts_bit_for_bit() {
    let (codes, nums, a, b) = data(64);
    let mut m = model();
    m.compile("adam", ["binary_crossentropy", "mse"], &["accuracy"]).unwrap();
    m.fit([&codes, &nums], [&a, &b], Fit::default().epochs(2).batch_size(16).verbose(0)).unwrap();
    let path = temp("roundtrip");
    m.save(&path).unwrap();
    let mut back = Model::load(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    let (p, q) =
        (m.predict_outputs([&codes, &nums]).unwrap(), back.predict_outputs([&codes, &nums]).unwrap());
    assert_eq!(p, q);
    assert_eq!(back.input_names(), ["codes", "nums"]);
    assert_eq!(back.output_names(), ["flag", "scaled"]);
    assert_eq!(back.get_weights(), m.get_weights());
    // The moving statistics came back too: a fresh model with only the trainable weights differs,
    // one given all of get_weights (which has the moving statistics, as in Keras) does not.
    let mut fresh = model();
    for (w, trained) in fresh.trainable_weights().iter().zip(m.trainable_weights()) {
        w.assign(trained.to_array()).unwrap();
    }
    assert_ne!(fresh.predict_outputs([&codes, &nums]).unwrap(), p);
    fresh.set_weights(m.get_weights()).unwrap();
    assert_eq!(fresh.predict_outputs([&codes, &nums]).unwrap(), p);
    // The loaded model trains (compile again: the optimizer state is not saved).
    back.compile("adam", ["binary_crossentropy", "mse"], &[]).unwrap();
    back.fit([&codes, &nums], [&a, &b], Fit::default().verbose(0)).unwrap();
}

#[derive(Default)]
struct Twice {
    base: LayerBase,
}

impl Layer for Twice {
    fn class_name(&self) -> &'static str {
        "Twice"
    }
    fn base(&self) -> Option<&LayerBase> {
        Some(&self.base)
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        Ok(input_shape.to_vec())
    }
    fn call(&self, inputs: &Tensor, _training: bool) -> Result<Tensor> {
        Ok(inputs.scale(2.0))
    }
}

#[test]
fn a_custom_layer_is_saved_but_not_loaded_with_a_clear_error() {
    let inputs = Input::new(&[2]);
    let x = Twice::default().apply(&inputs).unwrap();
    let out = Dense::new(1).apply(&x).unwrap();
    let m = Model::new(&[inputs], &[out]).unwrap();
    let path = temp("custom");
    m.save(&path).unwrap();
    let Err(e) = Model::load(&path) else { panic!("a custom class cannot be made again") };
    let e = e.to_string();
    std::fs::remove_file(&path).unwrap();
    assert!(e.contains("\"Twice\"") && e.contains("set_weights"), "{e}");
}

#[test]
fn wrong_files_are_clear_errors() {
    let m = model();
    let path = temp("wrong");
    m.save(&path).unwrap();
    let Err(e) = load_model(&path) else { panic!("not a Sequential") };
    let e = e.to_string();
    assert!(e.contains("Model::load"), "{e}");
    let bytes = std::fs::read(&path).unwrap();
    std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
    assert!(Model::load(&path).is_err());
    let mut seq = Sequential::new(vec![Dense::new(2).input_shape(&[3]).into()]);
    seq.compile("sgd", "mse", &[]).unwrap();
    seq.save(&path).unwrap();
    let Err(e) = Model::load(&path) else { panic!("not a functional model") };
    let e = e.to_string();
    assert!(e.contains("load_model"), "{e}");
    std::fs::remove_file(&path).unwrap();
    assert!(Model::load(&path).is_err());
}

#[test]
fn a_sequential_with_batch_normalization_reloads_its_moving_statistics() {
    let x = Array2::from_shape_fn((40, 3), |(i, j)| (i * 3 + j) as f32 / 10.0);
    let y = Array2::from_shape_fn((40, 1), |(i, _)| (i % 2) as f32);
    let mut m = Sequential::new(vec![
        Dense::new(4).input_shape(&[3]).into(),
        BatchNormalization::new().into(),
        Dense::new(1).activation("sigmoid").into(),
    ]);
    m.compile("adam", "binary_crossentropy", &[]).unwrap();
    m.fit(&x, &y, Fit::default().epochs(2).batch_size(8).verbose(0)).unwrap();
    let path = temp("sequential-bn");
    m.save(&path).unwrap();
    let mut back = load_model(&path).unwrap();
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
}
