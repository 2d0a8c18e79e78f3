//! Weighted examples in `fit` (Keras' `sample_weight` and `class_weight`): what the weights do to
//! the loss and the steps, and the mistakes that are errors. The values against Keras are in
//! keras_conformance.rs (`fit_with_class_weight_and_sample_weight_matches_keras`).

use nnlab::losses::Loss;
use nnlab::prelude::*;

/// 3 classes, 12 examples, one-hot targets; class 2 is rare.
fn data() -> (Array2<f32>, Array2<f32>, Array1<f32>) {
    let x = Array2::from_shape_fn((12, 4), |(i, j)| ((i * 5 + j * 3) % 7) as f32 / 7.0 - 0.4);
    let labels = Array1::from_iter((0..12).map(|i| [0.0f32, 1.0, 0.0, 1.0, 0.0, 2.0][i % 6]));
    let y = Array2::from_shape_fn((12, 3), |(i, j)| (labels[i] as usize == j) as u8 as f32);
    (x, y, labels)
}

fn model() -> Sequential {
    let mut m = Sequential::new(layers![
        Dense::new(5).input_shape(&[4]).activation("tanh"),
        Dense::new(3).activation("softmax"),
    ])
    .seed(4);
    m.compile("sgd", "categorical_crossentropy", &["accuracy"]).unwrap();
    m
}

fn fit() -> Fit {
    Fit::default().epochs(3).batch_size(4).verbose(0)
}

#[test]
fn class_weights_are_the_sample_weights_of_each_example_class() -> Result<()> {
    let (x, y, labels) = data();
    let plain = model().fit(&x, &y, fit())?;
    let ones = model().fit(&x, &y, fit().class_weight(&[1.0, 1.0, 1.0]))?;
    assert_eq!(ones, plain, "weights of 1 change nothing, to the bit");

    let per_class = [0.5f32, 1.0, 4.0];
    let by_class = model().fit(&x, &y, fit().class_weight(&per_class))?;
    let by_example = model().fit(&x, &y, fit().sample_weight(&labels.mapv(|c| per_class[c as usize])))?;
    assert_eq!(by_class, by_example);
    assert_ne!(by_class["loss"], plain["loss"]);
    // sparse labels give the same classes as one-hot rows
    let mut sparse = model();
    sparse.compile("sgd", "sparse_categorical_crossentropy", &["accuracy"])?;
    assert_eq!(sparse.fit(&x, &labels, fit().class_weight(&per_class))?, by_class);
    Ok(())
}

#[test]
fn the_batch_loss_is_the_weighted_sum_over_the_batch_size() -> Result<()> {
    let (x, y, _) = data();
    let one_batch = Fit::default().batch_size(12).verbose(0).shuffle(false);
    let plain = model().fit(&x, &y, one_batch.clone())?["loss"][0];
    let doubled =
        model().fit(&x, &y, one_batch.clone().sample_weight(&Array1::from_elem(12, 2.0f32)))?["loss"][0];
    assert!((doubled - 2.0 * plain).abs() < 1e-6, "{doubled} vs 2 × {plain}");
    // a zero weight leaves an example out of the sum but not out of the divisor
    let half = Array1::from_iter((0..12).map(|i| (i < 6) as u8 as f32));
    let first_six = model().fit(&x, &y, one_batch.clone().sample_weight(&half))?["loss"][0];
    let mut m = model();
    let six = m.evaluate(&x.slice(s![..6, ..]), &y.slice(s![..6, ..]))?[0];
    assert!((first_six - six / 2.0).abs() < 1e-6, "{first_six} vs {six} / 2");
    Ok(())
}

#[test]
fn the_validation_loss_is_weighted_only_with_a_split_of_sample_weights() -> Result<()> {
    let (x, y, labels) = data();
    let (vx, vy) = (x.slice(s![8.., ..]).to_owned(), y.slice(s![8.., ..]).to_owned());
    let w = labels.mapv(|c| 1.0 + c);
    let mut m = model();
    let h = m.fit(&x, &y, Fit::default().verbose(0).sample_weight(&w).validation_data(&vx, &vy))?;
    let mut again = model();
    again.fit(&x, &y, Fit::default().verbose(0).sample_weight(&w).epochs(1))?;
    assert_eq!(h["val_loss"][0], again.evaluate(&vx, &vy)?[0], "validation_data: not weighted");

    // validation_split 0.25: rows 9..12 validate, each loss times its weight, over 3
    let mut m = model();
    let split = m.fit(&x, &y, Fit::default().verbose(0).sample_weight(&w).validation_split(0.25))?;
    let mut weighted = 0.0;
    for i in 9..12 {
        weighted += w[i] as f64 * m.evaluate(&x.slice(s![i..i + 1, ..]), &y.slice(s![i..i + 1, ..]))?[0];
    }
    assert!((split["val_loss"][0] - weighted / 3.0).abs() < 1e-6, "{split:?} vs {}", weighted / 3.0);
    Ok(())
}

#[test]
fn mistakes_with_weights_are_errors() {
    let (x, y, _) = data();
    let e = |opts: Fit| model().fit(&x, &y, opts).unwrap_err().to_string();
    let msg = e(fit().class_weight(&[1.0, 2.0]));
    assert!(msg.contains("class 2 in row 5, and 2 weights, for classes 0 to 1"), "{msg}");
    let msg = e(fit().sample_weight(&Array1::from_elem(11, 1.0f32)));
    assert!(msg.contains("shape [12]") && msg.contains("[11]"), "{msg}");
    let msg = e(fit().class_weight(&[1.0, -1.0, 1.0]));
    assert!(msg.contains("0 or more") && msg.contains("-1 for class 1"), "{msg}");
    let msg = e(fit().sample_weight(&Array1::from_elem(12, f32::NAN)));
    assert!(msg.contains("NaN for example 0"), "{msg}");
    let msg = e(fit().class_weight(&[1.0; 3]).sample_weight(&Array1::from_elem(12, 1.0f32)));
    assert!(msg.contains("not both"), "{msg}");

    // a custom loss that returns the batch's loss as a scalar cannot weigh examples
    let mut m = model();
    let scalar = Loss::custom("total_squared", |t, p| Ok(p.sub(t)?.square().sum()));
    m.compile("sgd", scalar, &[]).unwrap();
    let msg = m.fit(&x, &y, fit().class_weight(&[1.0; 3])).unwrap_err().to_string();
    assert!(msg.contains("loss total_squared (sample_weight)") && msg.contains("scalar"), "{msg}");

    // several outputs: not supported, said rather than ignored
    let inputs = Input::new(&[4]);
    let a = Dense::new(3).activation("softmax").apply(&inputs).unwrap();
    let b = Dense::new(1).apply(&inputs).unwrap();
    let mut two = Model::new(&[inputs], &[a, b]).unwrap();
    two.compile("sgd", ["categorical_crossentropy", "mse"], &[]).unwrap();
    let yb = Array2::<f32>::zeros((12, 1));
    let msg = two.fit(&x, [&y, &yb], fit().class_weight(&[1.0; 3])).unwrap_err().to_string();
    assert!(msg.contains("several outputs"), "{msg}");
}
