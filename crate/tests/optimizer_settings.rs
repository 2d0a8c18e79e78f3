//! Keras' common optimizer settings beyond the per-optimizer fixtures of keras_conformance.rs: the global
//! norm over several weights, the settings a student gets wrong, schedules in `fit` and with the callbacks
//! that set the rate, and weights without a gradient.

use nnlab::models::{LearningRateScheduler, ReduceLROnPlateau};
use nnlab::ndarray::{array, ArrayD};
use nnlab::optimizers::schedules::{from_fn, CosineDecay, ExponentialDecay, PiecewiseConstantDecay};
use nnlab::optimizers::{self, Adam, AdamW, Nadam, Optimizer, SGD};
use nnlab::prelude::*;
use nnlab::tensor::Tensor;

fn param(v: &[f32]) -> Tensor {
    Tensor::param(ArrayD::from_shape_vec(vec![v.len()], v.to_vec()).unwrap())
}

fn values(t: &Tensor) -> Vec<f32> {
    t.value().iter().copied().collect()
}

#[test]
fn global_clipnorm_scales_all_gradients_by_one_factor_and_clipnorm_each_alone() {
    // ‖(3, 4)‖ = 5 and ‖(0, 12)‖ = 12: the global norm is 13.
    let grads = [array![3.0f32, 4.0].into_dyn(), array![0.0f32, 12.0].into_dyn()];
    let (a, b) = (param(&[0.0, 0.0]), param(&[0.0, 0.0]));
    let mut global: Optimizer = SGD::new().learning_rate(1.0).global_clipnorm(2.6).into();
    global.apply_gradients(&grads, &[a.clone(), b.clone()]).unwrap();
    let s = 2.6 / 13.0;
    for (got, want) in values(&a).iter().chain(&values(&b)).zip([-3.0 * s, -4.0 * s, 0.0, -12.0 * s]) {
        assert!((got - want).abs() < 1e-6, "{got} vs {want}");
    }
    let (a, b) = (param(&[0.0, 0.0]), param(&[0.0, 0.0]));
    let mut each: Optimizer = SGD::new().learning_rate(1.0).clipnorm(6.0).into();
    each.apply_gradients(&grads, &[a.clone(), b.clone()]).unwrap();
    assert_eq!(values(&a), [-3.0, -4.0], "a norm below clipnorm is left as it is");
    assert_eq!(values(&b), [0.0, -6.0]);
    // A global norm below the bound changes nothing.
    let c = param(&[0.0, 0.0]);
    let mut loose: Optimizer = SGD::new().learning_rate(1.0).global_clipnorm(100.0).into();
    loose.apply_gradients(&grads[..1], std::slice::from_ref(&c)).unwrap();
    assert_eq!(values(&c), [-3.0, -4.0]);
}

#[test]
fn a_setting_out_of_range_is_an_error_that_names_it_before_any_weight_changes() {
    let cases: Vec<(Optimizer, &str)> = vec![
        (
            SGD::new().clipnorm(1.0).clipvalue(0.5).into(),
            "only one of clipnorm, global_clipnorm and clipvalue",
        ),
        (Adam::new().clipnorm(-1.0).into(), "a clipnorm that is finite and above 0"),
        (Adam::new().global_clipnorm(f32::NAN).into(), "a global_clipnorm that is finite and above 0"),
        (SGD::new().clipvalue(0.0).into(), "a clipvalue that is finite and above 0"),
        (
            AdamW::new().weight_decay(-0.1).into(),
            "AdamW: expected a weight_decay that is finite and at least 0",
        ),
        (
            SGD::new().learning_rate(ExponentialDecay::new(0.1, 0, 0.5)).into(),
            "ExponentialDecay: expected decay_steps above 0",
        ),
        (
            SGD::new().learning_rate(ExponentialDecay::new(0.1, 10, -0.5)).into(),
            "a decay_rate that is finite and above 0",
        ),
        (SGD::new().learning_rate(CosineDecay::new(0.1, 10).alpha(2.0)).into(), "an alpha in [0, 1]"),
        (
            SGD::new().learning_rate(PiecewiseConstantDecay::new(&[10, 20], &[0.1, 0.01])).into(),
            "one value more than boundaries (2 boundaries, so 3 values), got 2 values",
        ),
        (
            SGD::new().learning_rate(PiecewiseConstantDecay::new(&[20, 10], &[0.1, 0.01, 0.001])).into(),
            "increasing boundaries",
        ),
        (Nadam::new().beta_1(1.0).into(), "Nadam: expected a beta_1 in [0, 1)"),
    ];
    for (mut opt, want) in cases {
        let e = opt.check().unwrap_err().to_string();
        assert!(e.contains(want), "{e}\nshould say: {want}");
        let w = param(&[1.0]);
        let e2 = opt.apply_gradients(&[array![1.0f32].into_dyn()], std::slice::from_ref(&w)).unwrap_err();
        assert_eq!(e2.to_string(), e);
        assert_eq!(values(&w), [1.0]);
        // compile refuses it too, before training.
        let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
        assert_eq!(model.compile(opt, "mse", &[]).unwrap_err().to_string(), e);
    }
}

#[test]
fn a_schedule_that_gives_a_bad_rate_stops_at_that_step() {
    let mut opt: Optimizer =
        SGD::new().learning_rate(from_fn(|step| if step < 2 { 0.1 } else { f32::NAN })).into();
    let w = param(&[1.0]);
    let g = [array![1.0f32].into_dyn()];
    opt.apply_gradients(&g, std::slice::from_ref(&w)).unwrap();
    opt.apply_gradients(&g, std::slice::from_ref(&w)).unwrap();
    let e = opt.apply_gradients(&g, std::slice::from_ref(&w)).unwrap_err().to_string();
    assert!(e.contains("from the schedule closure at step 2, got NaN"), "{e}");
    assert!((values(&w)[0] - 0.8).abs() < 1e-6, "the failed step leaves the weight");
    assert_eq!(opt.iterations(), 2);
}

#[test]
fn fit_follows_the_schedule_step_by_step() {
    let x = Array2::from_shape_fn((64, 1), |(i, _)| i as f32 / 64.0);
    let y = x.mapv(|v| 2.0 * v);
    let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]).seed(5);
    let schedule = ExponentialDecay::new(0.1, 4, 0.5).staircase(true);
    model.compile(SGD::new().learning_rate(schedule.clone()), "mse", &[]).unwrap();
    assert_eq!(model.learning_rate().unwrap(), 0.1);
    // 64 / 16 = 4 steps an epoch: the rate halves after every epoch.
    model.fit(&x, &y, Fit::default().epochs(3).batch_size(16).verbose(0)).unwrap();
    assert_eq!(model.learning_rate().unwrap(), 0.0125);

    // The same steps by hand with a constant rate per epoch give the same weights.
    let mut by_hand = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]).seed(5);
    by_hand.compile(SGD::new().learning_rate(0.1), "mse", &[]).unwrap();
    let halve = LearningRateScheduler::new(|epoch, lr| if epoch == 0 { lr } else { lr / 2.0 });
    by_hand.fit(&x, &y, Fit::default().epochs(3).batch_size(16).verbose(0).callback(halve)).unwrap();
    assert_eq!(model.get_weights(), by_hand.get_weights());

    // A callback that sets the rate cannot: the schedule decides it.
    let plateau = ReduceLROnPlateau::default().monitor("loss").mode("max").patience(1);
    let e = model.fit(&x, &y, Fit::default().epochs(3).verbose(0).callback(plateau)).unwrap_err().to_string();
    assert!(e.contains("follows ExponentialDecay(0.1, 4, 0.5), so it cannot be set"), "{e}");
    let halve_it = LearningRateScheduler::new(|_, lr| lr / 2.0);
    let e =
        model.fit(&x, &y, Fit::default().epochs(1).verbose(0).callback(halve_it)).unwrap_err().to_string();
    assert!(e.starts_with("SGD.set_learning_rate: this optimizer's learning rate follows"), "{e}");
    assert!(model.set_learning_rate(0.5).is_err());
}

#[test]
fn weight_decay_leaves_a_weight_without_gradient_alone() {
    let (used, unused) = (param(&[1.0]), param(&[1.0]));
    let mut opt: Optimizer = AdamW::new().learning_rate(0.1).weight_decay(0.5).into();
    opt.apply_gradients(&[Some(array![1.0f32].into_dyn()), None], &[used.clone(), unused.clone()]).unwrap();
    assert_eq!(values(&unused), [1.0]);
    // w·(1 − 0.5·0.1), then Adam's first step of −lr (m/√v = 1 up to ε).
    assert!((values(&used)[0] - (0.95 - 0.1)).abs() < 1e-5, "{:?}", values(&used));
}

#[test]
fn the_new_names_reach_compile_and_keep_keras_defaults() {
    let adamw = optimizers::get("adamw").unwrap();
    assert_eq!(
        (adamw.name(), adamw.learning_rate(), adamw.base().weight_decay),
        ("adamw", 0.001, Some(0.004))
    );
    let nadam = optimizers::get("Nadam").unwrap();
    assert_eq!((nadam.name(), nadam.learning_rate()), ("nadam", 0.001));
    let e = optimizers::get("adamv").unwrap_err().to_string();
    assert!(e.contains("adamw"), "{e}");
    let mut model = Sequential::new(vec![Dense::new(1).input_shape(&[1]).into()]);
    model.compile("nadam", "mse", &[]).unwrap();
}
