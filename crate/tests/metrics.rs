//! Precision, recall and AUC in `compile`: what `evaluate` reports over its batches equals the metric
//! objects on the whole of `predict`'s output (the counts add up over batches; they are not means of
//! per-batch values), and `fit` logs them by Keras' names. Their values against Keras are in
//! keras_conformance.rs.

use nnlab::metrics::{self, Metric, Tally};
use nnlab::prelude::*;

/// A noisy yes/no problem: the label is whether a fixed projection of x, plus noise, is above 0.
fn binary(n: usize) -> (Array2<f32>, Array2<f32>) {
    let mut rng = RandomState::new(4);
    let x = rng.randn((n, 5));
    let noise = rng.randn(n);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| {
        let s = x[[i, 0]] - 0.5 * x[[i, 1]] + 0.8 * x[[i, 3]] + 0.7 * noise[i];
        if s > 0.0 {
            1.0
        } else {
            0.0
        }
    });
    (x.mapv(|v: f64| v as f32), y)
}

#[test]
fn evaluate_counts_over_all_batches_like_the_metric_objects() {
    let (x, y) = binary(300);
    let mut m = Sequential::new(layers![
        Dense::new(8).input_shape(&[5]).activation("relu"),
        Dense::new(1).activation("sigmoid")
    ])
    .seed(2);
    m.compile(
        nnlab::optimizers::Adam::new().learning_rate(0.02),
        "binary_crossentropy",
        &["precision", "recall", "auc", "accuracy"],
    )
    .unwrap();
    let h = m.fit(&x, &y, Fit::default().epochs(5).batch_size(32).verbose(0)).unwrap();
    for key in ["precision", "recall", "auc", "accuracy"] {
        assert_eq!(h[key].len(), 5, "{key}");
    }
    assert!(h["auc"][4] > 0.75, "the problem is learnable: {:?}", h["auc"]);

    let values = m.evaluate(&x, &y).unwrap(); // batches of 32: 10 batches, the last of 12
    let p = m.predict(&x).unwrap();
    let y = y.into_dyn();
    let (mut precision, mut recall, mut auc) =
        (metrics::Precision::new(), metrics::Recall::new(), metrics::AUC::new());
    precision.update_state(&y, &p).unwrap();
    recall.update_state(&y, &p).unwrap();
    auc.update_state(&y, &p).unwrap();
    assert_eq!(m.metric_names(), ["loss", "precision", "recall", "auc", "accuracy"]);
    for (ours, object) in values[1..4].iter().zip([precision.result(), recall.result(), auc.result()]) {
        assert!((ours - object).abs() < 1e-12, "evaluate {ours}, object {object}");
    }
    // a mean of per-batch AUCs would differ: the batches' own areas
    let per_batch: Vec<f64> = (0..10)
        .map(|b| {
            let rows = b * 32..((b + 1) * 32).min(300);
            let mut a = metrics::AUC::new();
            a.update_state(&y.slice(s![rows.clone(), ..]), &p.slice(s![rows, ..])).unwrap();
            a.result()
        })
        .collect();
    let mean = per_batch.iter().sum::<f64>() / 10.0;
    assert!((mean - values[3]).abs() > 1e-6, "the test tells the two apart: {mean} vs {}", values[3]);
}

#[test]
fn a_tally_starts_at_zero_and_counts_only_what_it_is_given() {
    let auc = metrics::get("auc").unwrap();
    let mut t = auc.tally();
    assert_eq!(t.result(), 0.0);
    let (yt, yp) = (array![[1.0f32], [0.0]].into_dyn(), array![[0.7f32], [0.2]].into_dyn());
    auc.update_tally(&mut t, &yt, &yp).unwrap();
    assert!((t.result() - 1.0).abs() < 1e-12);
    // a tally of another kind is started afresh rather than mixed in
    let mut wrong = Tally::Ratio(3.0, 4.0);
    auc.update_tally(&mut wrong, &yt, &yp).unwrap();
    assert!(matches!(wrong, Tally::Curve(_)));
    let recall = metrics::get("recall").unwrap();
    assert_eq!(recall, Metric::Recall);
    let mut r = recall.tally();
    recall.update_tally(&mut r, &yt, &yp).unwrap();
    assert_eq!(r, Tally::Ratio(1.0, 1.0));
}

#[test]
fn precision_with_a_bad_threshold_or_shapes_is_an_error() {
    let mut p = metrics::Precision::new().thresholds(1.5);
    let e = p.update_state(&array![1.0f32], &array![0.9f32]).unwrap_err().to_string();
    assert!(e.contains("Precision.update_state") && e.contains("threshold in [0, 1]"), "{e}");
    let mut a = metrics::AUC::new();
    let e = a.update_state(&array![[1.0f32, 0.0]], &array![[0.9f32], [0.1]]).unwrap_err().to_string();
    assert!(e.contains("AUC.update_state") && e.contains("[2, 1]"), "{e}");
    assert!(metrics::get("presicion").unwrap_err().to_string().contains("precision"));
}

#[test]
fn a_metric_of_ones_own_is_averaged_over_the_epoch_like_the_built_in_ones() -> Result<()> {
    let x = Array2::from_shape_fn((50, 3), |(i, j)| ((i * 3 + j * 7) % 11) as f32 / 11.0);
    let y = Array2::from_shape_fn((50, 2), |(i, j)| x[[i, j]] - x[[i, 2]]);
    let model = || Sequential::new(layers![Dense::new(2).input_shape(&[3])]).seed(5);
    let fit = || Fit::default().epochs(2).batch_size(16).verbose(0);

    let mut built_in = model();
    built_in.compile("sgd", "mse", &["mae"])?;
    let want = built_in.fit(&x, &y, fit())?;
    // every |error| as the metric's values: the same numbers as "mae", to the bit
    let mut ours = model();
    let abs_error = Metric::custom("abs_error", |t, p| Ok(p.sub(t)?.abs()));
    ours.compile("sgd", "mse", vec![abs_error])?;
    let got = ours.fit(&x, &y, fit())?;
    assert_eq!(got["abs_error"], want["mae"]);
    assert_eq!(ours.metric_names(), ["loss", "abs_error"]);

    // an error inside the function ends fit with that error
    let mut broken = model();
    let wrong = Metric::custom("wrong", |t, p| p.matmul(t));
    broken.compile("sgd", "mse", [Metric::custom("fine", |t, p| Ok(p.sub(t)?.square())), wrong])?;
    let before = broken.get_weights();
    let e = broken.fit(&x, &y, fit()).unwrap_err().to_string();
    assert!(e.contains("matmul"), "{e}");
    assert_eq!(broken.get_weights(), before, "the error came before the first step");
    Ok(())
}
