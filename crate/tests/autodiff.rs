//! Gradient checks of every primitive, activation, loss and layer (finite differences, `nnlab::gradcheck`).

#![allow(clippy::type_complexity, clippy::cloned_ref_to_slice_refs)]
use nnlab::activations::{self, Activation};
use nnlab::gradcheck::{self, GradCheck};
use nnlab::ndarray::{array, ArrayD};
use nnlab::tensor::Tensor;
use nnlab::Result;

/// A fixed, non-symmetric test array of `shape` with values in about [-1.5, 1.5], away from 0.
fn sample(shape: &[usize], k: f32) -> ArrayD<f32> {
    let n: usize = shape.iter().product();
    let v: Vec<f32> = (0..n)
        .map(|i| {
            let t = ((i as f32 + 1.0) * 0.737 + k).sin() * 1.5;
            if t.abs() < 0.1 {
                t + 0.3
            } else {
                t
            }
        })
        .collect();
    ArrayD::from_shape_vec(shape.to_vec(), v).unwrap()
}

/// `Σ c ⊙ f` with fixed coefficients `c`, so that every output element's gradient matters.
fn weighted_sum(t: &Tensor) -> Result<Tensor> {
    t.mul(&Tensor::new(sample(&t.shape(), 7.0)))?.sum_axes(&(0..t.ndim() as isize).collect::<Vec<_>>(), false)
}

fn assert_ok(name: &str, r: GradCheck) {
    assert!(r.max_rel_error < 1e-2, "{name}: {r}");
}

#[test]
fn matmul_gradients() {
    let r = gradcheck::check(
        |t| weighted_sum(&t[0].matmul(&t[1])?),
        &[sample(&[3, 4], 0.0), sample(&[4, 2], 1.0)],
    );
    assert_ok("matmul", r.unwrap());
    assert!(Tensor::new(sample(&[3, 4], 0.0)).matmul(&Tensor::new(sample(&[3, 4], 0.0))).is_err());
}

#[test]
fn linear_gradients_and_values_match_matmul_then_add() {
    let (x, w, b) = (sample(&[3, 4], 0.0), sample(&[4, 2], 1.0), sample(&[2], 2.0));
    let r = gradcheck::check(
        |t| weighted_sum(&t[0].linear(&t[1], Some(&t[2]))?),
        &[x.clone(), w.clone(), b.clone()],
    );
    assert_ok("linear", r.unwrap());
    let r = gradcheck::check(|t| weighted_sum(&t[0].linear(&t[1], None)?), &[x.clone(), w.clone()]);
    assert_ok("linear without bias", r.unwrap());
    // The same bits as the two-op version, values and gradients.
    let bits = |a: &ArrayD<f32>| a.iter().map(|v| v.to_bits()).collect::<Vec<_>>();
    let (xs, ws, bs) = (Tensor::param(x.clone()), Tensor::param(w.clone()), Tensor::param(b.clone()));
    let fused = xs.linear(&ws, Some(&bs)).unwrap();
    weighted_sum(&fused).unwrap().backward().unwrap();
    let (xt, wt, bt) = (Tensor::param(x), Tensor::param(w), Tensor::param(b));
    let two_ops = xt.matmul(&wt).unwrap().add(&bt).unwrap();
    weighted_sum(&two_ops).unwrap().backward().unwrap();
    assert_eq!(bits(&fused.to_array()), bits(&two_ops.to_array()));
    for (f, t) in [(&xs, &xt), (&ws, &wt), (&bs, &bt)] {
        assert_eq!(bits(&f.grad().unwrap()), bits(&t.grad().unwrap()));
    }
    let x = Tensor::new(sample(&[3, 4], 0.0));
    assert!(x.linear(&Tensor::new(sample(&[4, 2], 1.0)), Some(&Tensor::new(sample(&[3], 2.0)))).is_err());
    assert!(x.linear(&Tensor::new(sample(&[3, 2], 1.0)), None).is_err());
}

#[test]
fn broadcast_gradients() {
    let cases: [(&str, fn(&Tensor, &Tensor) -> Result<Tensor>); 4] =
        [("add", Tensor::add), ("sub", Tensor::sub), ("mul", Tensor::mul), ("div", Tensor::div)];
    for (name, op) in cases {
        for (sa, sb) in [
            (vec![3, 4], vec![3, 4]),
            (vec![3, 4], vec![4]),
            (vec![3, 1], vec![1, 4]),
            (vec![2, 3, 4], vec![3, 1]),
        ] {
            let r =
                gradcheck::check(|t| weighted_sum(&op(&t[0], &t[1])?), &[sample(&sa, 0.0), sample(&sb, 2.0)]);
            assert_ok(&format!("{name} {sa:?} {sb:?}"), r.unwrap());
        }
    }
    let e = Tensor::new(sample(&[3, 4], 0.0)).add(&Tensor::new(sample(&[3], 0.0))).unwrap_err();
    assert_eq!(
        e.to_string(),
        "add: expected shapes that broadcast (equal dims or 1, aligned from the right), got [3, 4] and [3]"
    );
}

#[test]
fn unary_gradients() {
    let x = sample(&[2, 5], 0.5);
    let ops: [(&str, fn(&Tensor) -> Tensor); 6] = [
        ("neg", Tensor::neg),
        ("exp", Tensor::exp),
        ("square", Tensor::square),
        ("abs", Tensor::abs),
        ("scale", |t| t.scale(-2.5)),
        ("clip", |t| t.clip(-1.0, 1.0)),
    ];
    for (name, op) in ops {
        assert_ok(name, gradcheck::check(|t| weighted_sum(&op(&t[0])), &[x.clone()]).unwrap());
    }
    let pos = x.mapv(|v| v.abs() + 0.5);
    assert_ok("log", gradcheck::check(|t| weighted_sum(&t[0].log()), &[pos.clone()]).unwrap());
    assert_ok("sqrt", gradcheck::check(|t| weighted_sum(&t[0].sqrt()), &[pos]).unwrap());
}

#[test]
fn reduce_and_shape_gradients() {
    let x = sample(&[2, 3, 4], 0.0);
    for axes in [vec![0], vec![-1], vec![0, 2], vec![1]] {
        for keep in [false, true] {
            let r = gradcheck::check(|t| weighted_sum(&t[0].sum_axes(&axes, keep)?), &[x.clone()]).unwrap();
            assert_ok(&format!("sum {axes:?} {keep}"), r);
            let r = gradcheck::check(|t| weighted_sum(&t[0].mean_axes(&axes, keep)?), &[x.clone()]).unwrap();
            assert_ok(&format!("mean {axes:?} {keep}"), r);
        }
    }
    assert_ok("mean", gradcheck::check(|t| Ok(t[0].square().mean()), &[x.clone()]).unwrap());
    assert_ok("reshape", gradcheck::check(|t| weighted_sum(&t[0].reshape(&[4, -1])?), &[x.clone()]).unwrap());
    let r = gradcheck::check(|t| weighted_sum(&t[0].select_rows(&[1, 0, 1])?), &[x.clone()]).unwrap();
    assert_ok("select_rows", r);
    assert!(Tensor::new(x).sum_axes(&[3], false).is_err());
}

#[test]
fn shared_tensor_gets_the_sum_of_both_paths() {
    let w = Tensor::param(array![2.0f32].into_dyn());
    let y = w.mul(&w).unwrap().add(&w).unwrap().sum(); // w² + w: dy/dw = 2w + 1 = 5
    y.backward().unwrap();
    assert_eq!(w.grad().unwrap(), array![5.0f32].into_dyn());
    y.backward().unwrap(); // fresh, not accumulated
    assert_eq!(w.grad().unwrap(), array![5.0f32].into_dyn());
}

#[test]
fn backward_needs_a_scalar_with_parameters() {
    let w = Tensor::param(sample(&[2], 0.0));
    assert!(w.backward().is_err());
    assert!(Tensor::scalar(1.0).backward().is_err());
}

#[test]
fn gradcheck_catches_a_wrong_backward() {
    let r = gradcheck::check(
        |t| {
            Ok(Tensor::from_op(
                "bad_square",
                t[0].value().mapv(|v| v * v),
                vec![t[0].clone()],
                Box::new(|g, p| vec![Some(g * &*p[0].value())]),
            )
            .sum())
        },
        &[sample(&[4], 0.0)],
    )
    .unwrap();
    assert!(r.max_rel_error > 0.3, "{r}");
}

#[test]
fn activation_gradients() {
    let x = sample(&[3, 4], 0.3) * 2.0;
    for name in activations::NAMES {
        let act = activations::get(name).unwrap();
        let r = gradcheck::check(|t| weighted_sum(&act.call(&t[0])), &[x.clone()]).unwrap();
        assert_ok(name, r);
    }
}

#[test]
fn activations_match_their_array_versions_and_do_not_overflow() {
    let x = array![-1000.0f64, -30.0, -1.0, 0.0, 0.5, 30.0, 1000.0];
    for name in activations::NAMES {
        let act = activations::get(name).unwrap();
        let y64 = act.apply(&x);
        let y32 = act.call(&Tensor::new(x.mapv(|v| v as f32).into_dyn())).to_array();
        for (a, b) in y64.iter().zip(y32.iter()) {
            assert!(a.is_finite() && b.is_finite(), "{name}: {a} {b}");
            assert!((a - *b as f64).abs() <= 1e-5 * a.abs().max(1.0), "{name}: f64 {a} vs f32 {b}");
        }
    }
    assert_eq!(activations::get("silu").unwrap(), Activation::Swish);
    let e = activations::get("reul").unwrap_err().to_string();
    assert_eq!(e, r#"activations::get: unknown activation "reul" (did you mean "relu"?)"#);
}

#[test]
fn convolution_and_pooling_gradients() {
    use nnlab::tensor::Padding::{Same, Valid};
    let x = sample(&[2, 4, 5, 2], 0.0);
    for (strides, padding) in [((1, 1), Valid), ((2, 1), Valid), ((1, 1), Same), ((2, 2), Same)] {
        let (k, b) = (sample(&[3, 2, 2, 3], 1.0), sample(&[3], 2.0));
        let r = gradcheck::check(
            |t| weighted_sum(&t[0].conv2d(&t[1], Some(&t[2]), strides, padding)?),
            &[x.clone(), k, b],
        )
        .unwrap();
        assert_ok(&format!("conv2d {strides:?} {padding:?}"), r);
        let r = gradcheck::check(|t| weighted_sum(&t[0].max_pool2d((2, 2), strides, padding)?), &[x.clone()]);
        assert_ok(&format!("max_pool2d {strides:?} {padding:?}"), r.unwrap());
        let r = gradcheck::check(|t| weighted_sum(&t[0].avg_pool2d((3, 2), strides, padding)?), &[x.clone()]);
        assert_ok(&format!("avg_pool2d {strides:?} {padding:?}"), r.unwrap());
        let one = sample(&[1, 4, 5, 2], 1.0); // (one image: fewer terms in the sum, less f32 rounding)
        let r = gradcheck::check(|t| weighted_sum(&t[0].patches((2, 3), strides, padding)?), &[one]);
        assert_ok(&format!("patches {strides:?} {padding:?}"), r.unwrap());
    }
    // Conv1D: reshapes around conv2d, its kernel [k, channels, filters] a weight of the layer.
    use nnlab::layers::{Conv1D, Layer};
    let mut conv = Conv1D::new(3, 3).strides(2).padding("same").activation("tanh");
    conv.build(&[7, 2], 4).unwrap();
    let seq = Tensor::param(sample(&[2, 7, 2], 3.0));
    let mut params = conv.weights();
    params.push(seq.clone());
    let r = gradcheck::check_params(|| weighted_sum(&conv.call(&seq, true)?), &params).unwrap();
    assert_ok("Conv1D", r);
}
