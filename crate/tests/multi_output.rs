//! Functional models with several outputs: compile with one or several losses, fit with a list or by
//! name, evaluate with Keras' per-output names, predict one array per output; clear errors.

use nnlab::prelude::*;

/// x in [0, 1)^4; target a = x0 + x1 (regression), target b = one-hot of (x2 > x3) (classification).
fn data(n: usize, seed: u32) -> (Array2<f32>, Array2<f32>, Array2<f32>) {
    let mut rs = RandomState::new(seed);
    let x = rs.uniform(0.0, 1.0, (n, 4)).unwrap().mapv(|v| v as f32);
    let a = Array2::from_shape_fn((n, 1), |(i, _)| x[[i, 0]] + x[[i, 1]]);
    let b = Array2::from_shape_fn((n, 2), |(i, j)| ((x[[i, 2]] > x[[i, 3]]) as usize == j) as u8 as f32);
    (x, a, b)
}

fn two_outputs() -> Model {
    let inputs = Input::new(&[4]);
    let h = Dense::new(32).activation("relu").apply(&inputs).unwrap();
    let a = Dense::new(1).name("sum").apply(&h).unwrap();
    let b = Dense::new(2).activation("softmax").name("order").apply(&h).unwrap();
    Model::with_seed(&[inputs], &[a, b], 3).unwrap()
}

#[test]
fn a_two_output_model_learns_both_targets() {
    let (x, a, b) = data(2000, 1);
    let (xt, at, bt) = data(500, 2);
    let mut model = two_outputs();
    model.compile("adam", ["mse", "categorical_crossentropy"], &["accuracy"]).unwrap();
    assert_eq!(model.output_names(), ["sum", "order"]);
    let before = model.evaluate(&xt, [&at, &bt]).unwrap();
    let h = model.fit(&x, [&a, &b], Fit::default().epochs(30).batch_size(32).verbose(0)).unwrap();
    assert_eq!(h["sum_loss"].len(), 30);
    let scores = model.evaluate(&xt, [&at, &bt]).unwrap();
    let names = model.metric_names();
    assert_eq!(names, ["loss", "sum_loss", "order_loss", "sum_accuracy", "order_accuracy"]);
    // The regression output: variance of x0 + x1 is 1/6; it must do much better than the mean.
    assert!(scores[1] < 0.02, "sum mse {} (before {})", scores[1], before[1]);
    assert!(scores[4] > 0.9, "order accuracy {} (before {})", scores[4], before[4]);
    // The total is the sum of the per-output losses (weights 1, no regularization).
    assert!((scores[0] - scores[1] - scores[2]).abs() < 1e-4, "{scores:?}");
    // predict_outputs: one array per output, consistent with evaluate.
    let outs = model.predict_outputs(&xt).unwrap();
    assert_eq!(outs.len(), 2);
    assert_eq!(outs[0].shape(), &[500, 1]);
    assert_eq!(outs[1].shape(), &[500, 2]);
    let mse = (&outs[0] - &at.clone().into_dyn()).mapv(|d| d * d).mean().unwrap() as f64;
    assert!((mse - scores[1]).abs() < 1e-4, "{mse} vs {}", scores[1]);
}

#[test]
fn targets_and_losses_by_output_name_match_the_list_form() {
    let (x, a, b) = data(300, 5);
    let mut by_list = two_outputs();
    by_list.compile("rmsprop", ["mse", "categorical_crossentropy"], &[]).unwrap();
    let h1 = by_list.fit(&x, [&a, &b], Fit::default().epochs(2).verbose(0)).unwrap();
    let mut by_name = two_outputs();
    by_name.compile("rmsprop", [("order", "categorical_crossentropy"), ("sum", "mse")], &[]).unwrap();
    let h2 = by_name.fit(&x, [("order", &b), ("sum", &a)], Fit::default().epochs(2).verbose(0)).unwrap();
    assert_eq!(h1, h2);
    assert!(h1["loss"][1] < h1["loss"][0], "{:?}", h1["loss"]);
}

#[test]
fn loss_weights_scale_the_total_loss() {
    let (x, a, b) = data(200, 7);
    let mut model = two_outputs();
    model.compile("sgd", "mse", &["mae"]).unwrap(); // one loss for both outputs
    let plain = model.evaluate(&x, [&a, &b]).unwrap();
    model.loss_weights(&[2.0, 0.5]).unwrap();
    let weighted = model.evaluate(&x, [&a, &b]).unwrap();
    assert_eq!(plain[1..], weighted[1..]);
    let expected = 2.0 * plain[1] + 0.5 * plain[2];
    assert!((weighted[0] - expected).abs() < 1e-5, "{} vs {expected}", weighted[0]);
    assert!(model.loss_weights(&[1.0]).is_err());
    assert!(model.loss_weights(&[1.0, -1.0]).is_err());
}

#[test]
fn validation_split_gives_val_keys_per_output() {
    let (x, a, b) = data(200, 9);
    let mut model = two_outputs();
    model.compile("adam", ["mse", "categorical_crossentropy"], &["accuracy"]).unwrap();
    let h = model.fit(&x, [&a, &b], Fit::default().epochs(1).validation_split(0.25).verbose(0)).unwrap();
    for k in ["val_loss", "val_sum_loss", "val_order_loss", "val_order_accuracy"] {
        assert_eq!(h.get(k).unwrap().len(), 1, "{k}");
    }
}

#[test]
fn wrong_targets_and_losses_are_clear_errors() {
    let (x, a, b) = data(50, 11);
    let mut model = two_outputs();
    let e = model.fit(&x, [&a, &b], Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("not compiled"), "{e}");
    let e = model.compile("adam", ["mse"], &[]).unwrap_err().to_string();
    assert!(e.contains("one loss per output") && e.contains("sum, order"), "{e}");
    let e = model.compile("adam", [("price", "mse")], &[]).unwrap_err().to_string();
    assert!(e.contains("price"), "{e}");
    model.compile("adam", ["mse", "categorical_crossentropy"], &[]).unwrap();
    let e = model.fit(&x, &a, Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("one target array per output") && e.contains("1 arrays"), "{e}");
    let e = model.fit(&x, [&a, &a], Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("\"order\"") && e.contains("[50, 2]"), "{e}");
    let e = model.evaluate(&x, [("sum", &a), ("ordr", &b)]).unwrap_err().to_string();
    assert!(e.contains("ordr"), "{e}");
    let short = a.slice(s![..40, ..]).to_owned();
    assert!(model.fit(&x, [&short, &b], Fit::default().verbose(0)).is_err());
    let e = model.predict(&x).unwrap_err().to_string();
    assert!(e.contains("predict_outputs"), "{e}");
}
