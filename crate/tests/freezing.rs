//! Freezing layers (Keras' `layer.trainable = False`): a frozen layer's weights do not move in `fit`,
//! count as non-trainable in the summary, and stay in `get_weights`; a frozen batch normalization
//! runs in inference mode; changing what is trainable after the optimizer's first step asks for
//! `compile` again instead of training with another model's momenta.

use nnlab::layers::Layer;
use nnlab::prelude::*;

fn data(n: usize) -> (Array2<f32>, Array2<f32>) {
    let x = Array2::from_shape_fn((n, 4), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 11.0 - 0.5);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| x[[i, 0]] - 2.0 * x[[i, 1]] + x[[i, 3]]);
    (x, y)
}

fn model() -> Sequential {
    Sequential::new(layers![
        Dense::new(8).input_shape(&[4]).activation("tanh"),
        BatchNormalization::new(),
        Dense::new(1),
    ])
    .seed(3)
}

fn fit() -> Fit {
    Fit::default().epochs(2).batch_size(16).verbose(0)
}

#[test]
fn a_frozen_layer_keeps_its_weights_and_the_others_train() -> Result<()> {
    let (x, y) = data(64);
    let mut m = model();
    m.get_layer("dense")?.set_trainable(false)?;
    m.compile("adam", "mse", &[])?;
    assert!(!m.layers()[0].trainable() && m.layers()[2].trainable());
    let before = m.get_weights();
    m.fit(&x, &y, fit())?;
    let after = m.get_weights();
    // get_weights: dense kernel, bias; gamma, beta, moving mean, moving variance; dense_1 kernel, bias
    let shapes: Vec<Vec<usize>> = after.iter().map(|w| w.shape().to_vec()).collect();
    assert_eq!(shapes, [vec![4, 8], vec![8], vec![8], vec![8], vec![8], vec![8], vec![8, 1], vec![1]]);
    assert_eq!(before[..2], after[..2], "the frozen kernel and bias did not move");
    assert!((2..8).all(|i| before[i] != after[i]), "everything else did");
    let s = m.summary_string();
    // frozen: 4·8 + 8 = 40; moving statistics 16; trained: gamma, beta 16 and 8 + 1
    assert!(s.contains("Trainable params: 25 "), "{s}");
    assert!(s.contains("Non-trainable params: 56 "), "{s}");
    Ok(())
}

#[test]
fn freezing_after_training_asks_for_compile_again() -> Result<()> {
    let (x, y) = data(64);
    let mut m = model();
    m.compile("adam", "mse", &[])?;
    m.fit(&x, &y, fit())?;
    m.get_layer("dense_1")?.set_trainable(false)?;
    let before = m.get_weights();
    let e = m.fit(&x, &y, fit()).unwrap_err();
    assert!(matches!(e, Error::State { .. }), "{e}");
    assert!(e.to_string().contains("call compile again"), "{e}");
    let e = m.train_on_batch(&x, &y).unwrap_err().to_string();
    assert!(e.contains("call compile again"), "{e}");
    assert_eq!(m.get_weights(), before, "nothing moved");
    m.compile("adam", "mse", &[])?;
    m.fit(&x, &y, fit())?;
    assert_eq!(m.get_weights()[6..], before[6..], "dense_1 stays frozen");
    // all frozen: the error says so, and how to undo it
    m.set_trainable(false)?;
    m.compile("adam", "mse", &[])?;
    let e = m.fit(&x, &y, fit()).unwrap_err().to_string();
    assert!(e.contains("every layer with weights is frozen") && e.contains("set_trainable(true)"), "{e}");
    m.set_trainable(true)?;
    m.compile("adam", "mse", &[])?;
    m.fit(&x, &y, fit())?;
    assert!(m.get_weights()[6] != before[6], "unfrozen, it trains again");
    Ok(())
}

#[test]
fn a_frozen_batch_normalization_uses_its_moving_statistics() -> Result<()> {
    let (x, y) = data(64);
    let mut m = model();
    m.compile("adam", "mse", &[])?;
    m.fit(&x, &y, fit())?;
    m.get_layer("batch_normalization")?.set_trainable(false)?;
    let xt = Tensor::new(x.clone().into_dyn());
    let (train, infer) = (m.call(&xt, true)?.to_array(), m.call(&xt, false)?.to_array());
    assert_eq!(train, infer, "training mode is inference mode when frozen");
    let moving = |m: &Sequential| m.get_weights()[4..6].to_vec();
    let before = moving(&m);
    m.compile("adam", "mse", &[])?;
    m.fit(&x, &y, fit())?;
    assert_eq!(moving(&m), before, "the moving statistics did not move");
    Ok(())
}

#[test]
fn get_and_set_weights_round_trip_every_weight() -> Result<()> {
    let (x, y) = data(32);
    let mut a = model();
    a.compile("adam", "mse", &[])?;
    a.fit(&x, &y, fit())?;
    let mut b = model().seed(9);
    b.compile("adam", "mse", &[])?;
    b.set_weights(a.get_weights())?;
    assert_eq!(b.predict(&x)?, a.predict(&x)?, "moving statistics included: the same predictions");
    let mut short = a.get_weights();
    short.pop();
    let e = b.set_weights(short).unwrap_err().to_string();
    assert!(e.contains("expected 8 arrays, got 7"), "{e}");
    let e = m_unknown(&mut b);
    assert!(e.contains("unknown layer \"dens\"") && e.contains("did you mean \"dense\""), "{e}");
    Ok(())
}

fn m_unknown(m: &mut Sequential) -> String {
    m.get_layer("dens").map(|_| ()).unwrap_err().to_string()
}

#[test]
fn a_frozen_layer_in_a_functional_model_and_in_a_tape_loop() -> Result<()> {
    let (x, y) = data(64);
    let inputs = Input::new(&[4]);
    let encoder = Shared::new(Dense::new(4).name("encoder").activation("tanh"));
    let h = encoder.apply(&inputs)?;
    let h = encoder.apply(&h)?; // applied twice: frozen everywhere
    let out = Dense::new(1).apply(&h)?;
    let mut m = Model::new(&[inputs], &[out])?;
    m.get_layer("encoder")?.set_trainable(false)?;
    assert!(!encoder.trainable());
    m.compile("adam", "mse", &[])?;
    let before = m.get_weights();
    m.fit(&x, &y, fit())?;
    let after = m.get_weights();
    assert_eq!(before[..2], after[..2]);
    assert!(before[2] != after[2]);
    assert!(m.summary_string().contains("Non-trainable params: 20 "), "{}", m.summary_string());
    // a GradientTape loop takes model.trainable_weights(), which leaves the frozen layer out
    assert_eq!(m.trainable_weights().len(), 2);
    assert!(m.get_layer("encodr").is_err());
    Ok(())
}

/// A layer of one's own without a LayerBase: it has weights but no place for the flag.
struct Bare {
    w: Option<Tensor>,
}

impl Layer for Bare {
    fn name(&self) -> &str {
        "bare"
    }
    fn build(&mut self, input_shape: &[usize], _seed: u64) -> Result<Vec<usize>> {
        self.w = Some(Tensor::param(ArrayD::ones(vec![input_shape[0], 1])));
        Ok(vec![1])
    }
    fn call(&self, x: &Tensor, _training: bool) -> Result<Tensor> {
        x.matmul(self.w.as_ref().unwrap())
    }
    fn named_weights(&self) -> Vec<(String, Tensor)> {
        self.w.iter().map(|w| ("w".to_string(), w.clone())).collect()
    }
}

#[test]
fn a_layer_that_cannot_be_frozen_says_so_and_one_without_weights_has_nothing_to_freeze() -> Result<()> {
    let mut m = Sequential::new(layers![Flatten::new().input_shape(&[4]), Bare { w: None }]);
    m.build(&[4])?;
    m.get_layer("flatten")?.set_trainable(false)?; // nothing to freeze: fine, as in Keras
    let e = m.get_layer("bare")?.set_trainable(false).unwrap_err().to_string();
    assert!(e.contains("bare (Bare).set_trainable") && e.contains("embed a LayerBase"), "{e}");
    assert_eq!(m.trainable_weights().len(), 1, "still trainable: the call did not half-happen");
    Ok(())
}

#[test]
fn a_frozen_layer_loads_frozen() -> Result<()> {
    let dir = std::env::temp_dir().join(format!("nnlab-freezing-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let mut a = model();
    a.compile("adam", "mse", &[])?;
    a.get_layer("dense")?.set_trainable(false)?;
    a.save(dir.join("seq.nnlab"))?;
    let b = load_model(dir.join("seq.nnlab"))?;
    let frozen: Vec<bool> = b.layers().iter().map(|l| l.trainable()).collect();
    assert_eq!(frozen, [false, true, true]);
    assert_eq!(b.summary_string(), a.summary_string());

    let inputs = Input::new(&[4]);
    let h = Dense::new(3).name("encoder").apply(&inputs)?;
    let out = Dense::new(1).apply(&h)?;
    let m = Model::new(&[inputs], &[out])?;
    m.get_layer("encoder")?.set_trainable(false)?;
    m.save(dir.join("fun.nnlab"))?;
    let n = Model::load(dir.join("fun.nnlab"))?;
    assert!(!n.get_layer("encoder")?.trainable());
    assert!(n.get_layer("dense")?.trainable());
    std::fs::remove_dir_all(&dir).unwrap();
    Ok(())
}
