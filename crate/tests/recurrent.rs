//! SimpleRNN and GRU in a model: they learn a task that needs memory, save and load, and their
//! gradients through time check. Their values against Keras are in keras_conformance.rs.

use nnlab::gradcheck;
use nnlab::layers::{Layer, SimpleRNN, GRU};
use nnlab::prelude::*;

/// Sequences of 6 steps of ±1 with a little noise; the target is whether the first step was +1,
/// which the last step alone does not tell.
fn data(n: usize) -> (Array3<f32>, Array2<f32>) {
    let mut rs = RandomState::new(8);
    let signs = rs.rand((n, 6)).mapv(|v| if v < 0.5 { -1.0f32 } else { 1.0 });
    let noise = rs.randn((n, 6, 1)).mapv(|v| v as f32 * 0.1);
    let x = Array3::from_shape_fn((n, 6, 1), |(i, t, _)| signs[[i, t]] + noise[[i, t, 0]]);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| (signs[[i, 0]] > 0.0) as u8 as f32);
    (x, y)
}

#[test]
fn simple_rnn_and_gru_remember_the_first_step_and_save() -> Result<()> {
    let (x, y) = data(256);
    let layers: [(Box<dyn Layer>, &str); 2] =
        [(SimpleRNN::new(8).into(), "simple_rnn (SimpleRNN)"), (GRU::new(8).into(), "gru (GRU)")];
    for (layer, row) in layers {
        let mut m = Sequential::new(vec![layer, Dense::new(1).activation("sigmoid").into()]);
        m.compile(nnlab::optimizers::Adam::new().learning_rate(0.01), "binary_crossentropy", &["accuracy"])?;
        let h = m.fit(&x, &y, Fit::default().epochs(30).batch_size(32).verbose(0))?;
        assert!(h["accuracy"][29] > 0.9, "{row}: {:?}", h["accuracy"]);
        let path = std::env::temp_dir().join(format!("nnlab-recurrent-{}.nnlab", std::process::id()));
        m.save(&path)?;
        let mut back = load_model(&path)?;
        std::fs::remove_file(&path).unwrap();
        assert_eq!(back.predict(&x)?, m.predict(&x)?);
        assert!(back.summary_string().contains(row), "{}", back.summary_string());
    }
    Ok(())
}

#[test]
fn its_gradient_through_time_checks_and_mistakes_are_errors() -> Result<()> {
    let mut rnn = SimpleRNN::new(3).return_sequences(true);
    rnn.build(&[4, 2], 1)?;
    let mut rs = RandomState::new(2);
    let x = Tensor::param(rs.randn(IxDyn(&[2, 4, 2])).mapv(|v| v as f32));
    let coef = Tensor::new(rs.randn(IxDyn(&[2, 4, 3])).mapv(|v| v as f32));
    let mut params = rnn.weights();
    params.push(x.clone());
    let r = gradcheck::check_params(|| Ok(rnn.call(&x, true)?.mul(&coef)?.sum()), &params)?;
    assert!(r.max_rel_error < 2e-2, "{r}");
    let mut gru = GRU::new(3).return_sequences(true);
    gru.build(&[4, 2], 1)?;
    gru.weights()[2].assign(rs.randn(IxDyn(&[2, 9])).mapv(|v| v as f32 * 0.3))?; // biases away from 0
    let mut params = gru.weights();
    params.push(x.clone());
    let r = gradcheck::check_params(|| Ok(gru.call(&x, true)?.mul(&coef)?.sum()), &params)?;
    assert!(r.max_rel_error < 2e-2, "GRU: {r}");
    let e = rnn.call(&Tensor::new(ArrayD::zeros(vec![2, 4, 5])), true).unwrap_err().to_string();
    assert!(e.contains("SimpleRNN(3)") && e.contains("inputs [batch, time, 2]"), "{e}");
    let e = SimpleRNN::new(3).build(&[4], 0).unwrap_err().to_string();
    assert!(e.contains("inputs [batch, time, features]"), "{e}");
    Ok(())
}
