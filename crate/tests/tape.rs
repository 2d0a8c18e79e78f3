//! GradientTape loops, apply_gradients errors, metric objects, Dataset shuffling.

use nnlab::metrics::{CategoricalAccuracy, Mean};
use nnlab::prelude::*;

fn model(seed: u64) -> Model {
    let inputs = Input::new(&[4]);
    let x = Dense::new(8).activation("relu").apply(&inputs).unwrap();
    let out = Dense::new(2).activation("softmax").apply(&x).unwrap();
    Model::with_seed(&[inputs], &[out], seed).unwrap()
}

fn data() -> (Array2<f32>, Array2<f32>) {
    let x = Array2::from_shape_fn((96, 4), |(i, j)| ((i * 5 + j * 11) % 13) as f32 / 13.0);
    let y =
        Array2::from_shape_fn((96, 2), |(i, j)| ((x[[i, 0]] + x[[i, 1]] > 1.0) as usize == j) as u8 as f32);
    (x, y)
}

#[test]
fn a_tape_loop_matches_fit_without_shuffling() {
    let (x, y) = data();
    let mut m1 = model(3);
    m1.compile("rmsprop", "categorical_crossentropy", &[]).unwrap();
    m1.fit(&x, &y, Fit::default().epochs(2).batch_size(32).shuffle(false).verbose(0)).unwrap();

    let m2 = model(3);
    let mut optimizer = nnlab::optimizers::get("rmsprop").unwrap();
    let loss_fn = nnlab::losses::get("categorical_crossentropy").unwrap();
    let mut acc = CategoricalAccuracy::new();
    let mut losses = Mean::new();
    let ds = Dataset::from_tensor_slices((&x, &y)).unwrap().batch(32).unwrap();
    for _epoch in 0..2 {
        acc.reset_state();
        for (xb, yb) in &ds {
            let tape = GradientTape::new();
            let logits = m2.call(&xb, true).unwrap();
            let loss = loss_fn.call(&yb, &logits).unwrap();
            let grads = tape.gradient(&loss, &m2.trainable_weights()).unwrap();
            optimizer.apply_gradients(&grads, &m2.trainable_weights()).unwrap();
            acc.update_state(&yb, &logits).unwrap();
            losses.update_state(loss.item());
        }
    }
    assert_eq!(m1.get_weights(), m2.get_weights());
    assert!(acc.result() > 0.0 && losses.result() > 0.0);
}

#[test]
fn unused_weights_get_none_and_stay_put() {
    let a = Tensor::param(array![1.0f32, 2.0].into_dyn());
    let unused = Tensor::param(array![5.0f32].into_dyn());
    // A previous backward through `unused` must not leak into the next tape.
    unused.square().sum().backward().unwrap();
    let loss = a.square().sum();
    let grads = GradientTape::new().gradient(&loss, &[a.clone(), unused.clone()]).unwrap();
    assert_eq!(grads[0], Some(array![2.0f32, 4.0].into_dyn()));
    assert_eq!(grads[1], None);
    let mut opt = nnlab::optimizers::get("adam").unwrap();
    opt.apply_gradients(&grads, &[a.clone(), unused.clone()]).unwrap();
    assert_eq!(unused.to_array(), array![5.0f32].into_dyn());
    assert!(a.to_array()[0] < 1.0);
}

#[test]
fn apply_gradients_checks_lengths_and_shapes() {
    let w = Tensor::param(ArrayD::zeros(vec![2, 3]));
    let mut opt = nnlab::optimizers::get("sgd").unwrap();
    let e = opt
        .apply_gradients(&vec![ArrayD::<f32>::zeros(vec![2, 3]); 2], std::slice::from_ref(&w))
        .unwrap_err();
    assert!(e.to_string().contains("1 gradients"), "{e}");
    let e =
        opt.apply_gradients(&[Some(ArrayD::<f32>::zeros(vec![3, 2]))], std::slice::from_ref(&w)).unwrap_err();
    assert!(e.to_string().contains("[2, 3]") && e.to_string().contains("[3, 2]"), "{e}");
    let e = GradientTape::new().gradient(&Tensor::scalar(1.0), &[w]).unwrap_err();
    assert!(e.to_string().contains("does not depend"), "{e}");
}

#[test]
fn dataset_shuffles_like_tf_data() {
    let x = Array2::from_shape_fn((100, 1), |(i, _)| i as f32);
    let y = Array1::from_shape_fn(100, |i| i as f32);
    let order = |ds: &Dataset| -> Vec<usize> {
        ds.into_iter()
            .flat_map(|(_, yb)| yb.to_array().iter().map(|&v| v as usize).collect::<Vec<_>>())
            .collect()
    };
    // No shuffle: in order.
    let plain = Dataset::from_tensor_slices((&x, &y)).unwrap().batch(7).unwrap();
    assert_eq!(order(&plain), (0..100).collect::<Vec<_>>());
    // Buffer of 1: no change. Buffer of 10: element k comes out at most 9 places early.
    assert_eq!(
        order(&Dataset::from_tensor_slices((&x, &y)).unwrap().shuffle(1, 0)),
        (0..100).collect::<Vec<_>>()
    );
    let ds = Dataset::from_tensor_slices((&x, &y)).unwrap().shuffle(10, 4).batch(16).unwrap();
    let first = order(&ds);
    for (pos, &k) in first.iter().enumerate() {
        assert!(k <= pos + 9, "example {k} at position {pos}");
    }
    let mut sorted = first.clone();
    sorted.sort();
    assert_eq!(sorted, (0..100).collect::<Vec<_>>());
    assert_ne!(first, (0..100).collect::<Vec<_>>());
    // Reshuffled each pass, and deterministic from the seed.
    let second = order(&ds);
    assert_ne!(first, second);
    let again = Dataset::from_tensor_slices((&x, &y)).unwrap().shuffle(10, 4).batch(16).unwrap();
    assert_eq!(order(&again), first);
    let fixed = Dataset::from_tensor_slices((&x, &y)).unwrap().shuffle(10, 4).reshuffle_each_iteration(false);
    assert_eq!(order(&fixed), order(&fixed));
    // Errors.
    assert!(Dataset::from_tensor_slices((&x, &Array1::<f32>::zeros(3))).is_err());
    assert!(Dataset::from_tensor_slices((&x, &y)).unwrap().batch(0).is_err());
}
