//! The losses beyond the lecture's: Huber on both sides of delta, log cosh, KL divergence, and a loss
//! of one's own (a closure or a fn) trained by `fit` like a built-in one. Their values and gradients
//! against Keras are in keras_conformance.rs.

use nnlab::gradcheck;
use nnlab::losses::{self, Loss};
use nnlab::prelude::*;

fn pair() -> (Tensor, ArrayD<f32>) {
    let t = ArrayD::from_shape_vec(vec![2, 3], vec![0.0f32, 1.0, 0.0, 1.0, 0.0, 0.0]).unwrap();
    let p = ArrayD::from_shape_vec(vec![2, 3], vec![2.2f32, 0.5, -0.3, 0.6, -1.7, 0.05]).unwrap();
    (Tensor::new(t), p)
}

#[test]
fn huber_is_quadratic_inside_delta_and_linear_outside() {
    let (t, p) = pair();
    for delta in [0.1f32, 1.0, 5.0] {
        let loss = Loss::Huber { delta };
        let r = gradcheck::check(|p| loss.call(&t, &p[0]), std::slice::from_ref(&p)).unwrap();
        assert!(r.max_rel_error < 1e-2, "huber {delta}: {r}");
    }
    // one error of 3: 0.5·3² = 4.5 for a large delta; 1·3 − 0.5 = 2.5 for delta 1
    let (y, e) = (Tensor::new(array![[0.0f32]].into_dyn()), Tensor::new(array![[3.0f32]].into_dyn()));
    assert_eq!(Loss::Huber { delta: 10.0 }.call(&y, &e).unwrap().item(), 4.5);
    assert_eq!(losses::get("huber").unwrap().call(&y, &e).unwrap().item(), 2.5);
    for bad in [0.0f32, -1.0, f32::NAN] {
        let err = Loss::Huber { delta: bad }.call(&y, &e).unwrap_err().to_string();
        assert!(err.contains("delta above 0"), "{err}");
    }
}

#[test]
fn log_cosh_does_not_overflow_for_large_errors() {
    let y = Tensor::new(array![[0.0f32, 0.0]].into_dyn());
    let p = Tensor::param(array![[200.0f32, -200.0]].into_dyn());
    let l = losses::get("log_cosh").unwrap().call(&y, &p).unwrap();
    assert!((l.item() - (200.0 - std::f32::consts::LN_2)).abs() < 1e-3, "{}", l.item());
    l.backward().unwrap();
    assert_eq!(p.grad().unwrap(), array![[0.5f32, -0.5]].into_dyn()); // tanh(±200)/2
}

fn regression(n: usize) -> (Array2<f32>, Array2<f32>) {
    let x = Array2::from_shape_fn((n, 3), |(i, j)| ((i * 7 + j * 3) % 11) as f32 / 11.0 - 0.5);
    let y = Array2::from_shape_fn((n, 1), |(i, _)| x[[i, 0]] - 2.0 * x[[i, 1]] + 0.5 * x[[i, 2]]);
    (x, y)
}

fn model() -> Sequential {
    Sequential::new(layers![Dense::new(8).input_shape(&[3]).activation("tanh"), Dense::new(1)]).seed(1)
}

fn my_mse(y_true: &Tensor, y_pred: &Tensor) -> nnlab::Result<Tensor> {
    y_pred.sub(y_true)?.square().mean_axes(&[-1], false)
}

#[test]
fn a_custom_loss_trains_exactly_as_the_same_builtin_one() {
    let (x, y) = regression(64);
    let fit = || Fit::default().epochs(3).batch_size(16).verbose(0).seed(2);
    let mut builtin = model();
    builtin.compile("adam", "mse", &[]).unwrap();
    let a = builtin.fit(&x, &y, fit()).unwrap();
    for loss in [Loss::custom("my_mse", my_mse), losses::IntoLoss::into_loss(my_mse).unwrap()] {
        let mut custom = model();
        custom.compile("adam", loss, &[]).unwrap();
        let b = custom.fit(&x, &y, fit()).unwrap();
        assert_eq!(a["loss"], b["loss"]);
        assert_eq!(builtin.get_weights(), custom.get_weights());
    }
    // a closure straight into compile, returning the batch's loss as a scalar
    let mut m = model();
    m.compile("adam", |t: &Tensor, p: &Tensor| Ok(p.sub(t)?.abs().mean()), &[]).unwrap();
    let h = m.fit(&x, &y, fit()).unwrap();
    assert!(h["loss"][2] < h["loss"][0], "{:?}", h["loss"]);
}

#[test]
fn a_custom_loss_with_a_wrong_shape_or_an_error_says_so() {
    let (x, y) = regression(8);
    let mut m = model();
    // forgot to reduce the last axis: [batch, 1] instead of [batch]
    m.compile("sgd", |t: &Tensor, p: &Tensor| Ok(p.sub(t)?.square()), &[]).unwrap();
    let e = m.fit(&x, &y, Fit::default().epochs(1).verbose(0)).unwrap_err().to_string();
    assert!(e.contains("loss custom_loss") && e.contains("one value per example (shape [8])"), "{e}");
    assert!(e.contains("[8, 1]"), "{e}");
    // the function's own error comes through
    m.compile("sgd", |t: &Tensor, p: &Tensor| t.matmul(p), &[]).unwrap();
    let e = m.fit(&x, &y, Fit::default().epochs(1).verbose(0)).unwrap_err().to_string();
    assert!(e.contains("matmul"), "{e}");
    let weights = m.get_weights();
    assert_eq!(m.get_weights(), weights, "nothing moved");
}
