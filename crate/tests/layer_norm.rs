//! LayerNormalization in a model: it trains, saves and loads, counts Keras' parameters, and takes
//! sequences. Its values and gradients against Keras are in keras_conformance.rs.

use nnlab::gradcheck;
use nnlab::layers::{Layer, LayerNormalization};
use nnlab::prelude::*;

fn data(n: usize) -> (Array2<f32>, Array2<f32>) {
    // features of very different sizes: what normalization is for
    let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * 7 + j * 5) % 13) as f32 * [1.0, 100.0, 0.01][j]);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| (x[[i, 0]] / 13.0 - x[[i, 1]] / 1300.0).tanh());
    (x, y)
}

#[test]
fn a_model_with_layer_normalization_trains_saves_and_loads() -> Result<()> {
    let (x, y) = data(64);
    let mut m = Sequential::new(layers![
        Dense::new(8).input_shape(&[3]).activation("relu"),
        LayerNormalization::new(),
        Dense::new(1),
    ]);
    m.compile("adam", "mse", &[])?;
    let h = m.fit(&x, &y, Fit::default().epochs(20).batch_size(16).verbose(0))?;
    assert!(h["loss"][19] < h["loss"][0], "{:?}", h["loss"]);
    // "layer_normalization (LayerNormalization)" is longer than the column: two lines, as in Keras
    let summary = m.summary_string();
    assert!(
        summary.contains("│ layer_normalization ") && summary.contains("│ (LayerNormalization) "),
        "{summary}"
    );
    let table: Vec<&str> =
        summary.lines().filter(|l| l.starts_with(['┏', '┃', '┡', '│', '├', '└'])).collect();
    assert!(table.iter().all(|l| l.chars().count() == table[0].chars().count()), "{summary}");
    assert!(summary.contains("│            16 │"), "{summary}");
    let path = std::env::temp_dir().join(format!("nnlab-layer-norm-{}.nnlab", std::process::id()));
    m.save(&path)?;
    let mut back = load_model(&path)?;
    std::fs::remove_file(&path).unwrap();
    assert_eq!(back.predict(&x)?, m.predict(&x)?);
    Ok(())
}

#[test]
fn layer_normalization_normalises_each_step_of_a_sequence_and_its_gradient_checks() -> Result<()> {
    let mut ln = LayerNormalization::new().epsilon(1e-2);
    ln.build(&[5, 4], 0)?;
    let mut rs = RandomState::new(3);
    let x = rs.randn(IxDyn(&[2, 5, 4])).mapv(|v| v as f32 * 3.0 + 1.0);
    let y = ln.call(&Tensor::new(x.clone()), true)?.to_array();
    let var = |r: ndarray::ArrayView1<f32>| {
        let mean = r.mean().unwrap();
        (mean, r.mapv(|v| (v - mean).powi(2)).mean().unwrap())
    };
    for (out, inp) in y.lanes(Axis(2)).into_iter().zip(x.lanes(Axis(2))) {
        let ((mean, v_out), (_, v_in)) = (var(out), var(inp));
        assert!(mean.abs() < 1e-5, "each step has mean 0: {mean}");
        assert!((v_out - v_in / (v_in + 1e-2)).abs() < 1e-4, "and variance σ²/(σ² + ε): {v_out}, {v_in}");
    }
    let coef = Tensor::new(rs.randn(IxDyn(&[2, 5, 4])).mapv(|v| v as f32));
    ln.weights()[0].assign(ndarray::arr1(&[0.5f32, 1.0, 1.5, 2.0]).into_dyn())?;
    let xt = Tensor::param(x);
    let mut params = ln.weights();
    params.push(xt.clone());
    let r = gradcheck::check_params(|| Ok(ln.call(&xt, true)?.mul(&coef)?.sum()), &params)?;
    assert!(r.max_rel_error < 2e-2, "{r}");
    // a mistake: inputs with another number of features
    let e = ln.call(&Tensor::new(ArrayD::zeros(vec![2, 5, 3])), true).unwrap_err().to_string();
    assert!(e.contains("inputs [batch, ..., 4]") && e.contains("[2, 5, 3]"), "{e}");
    let e = LayerNormalization::new().call(&Tensor::new(ArrayD::zeros(vec![2, 3])), true).unwrap_err();
    assert!(e.to_string().contains("not built"), "{e}");
    Ok(())
}
