//! nnlab::scratch: the lecture's from-scratch network. Numpy fixtures for the initial values, the
//! shuffling order, gradient checks against finite differences (quadratic / cross-entropy, with and
//! without L2), a one-step hand computation, per-example vs batched agreement, errors, and the
//! lecture's Fashion-MNIST numbers (when the Debian files are installed).

use std::path::Path;
use std::time::Instant;

use ndarray::{array, s, Array1, Array2, Array3};
use nnlab::random::RandomState;
use nnlab::scratch::{self, Cost, Gradients, TestData, TrainOptions, TrainingData};
use nnlab::Error;
use serde_json::Value;

fn fixture(name: &str) -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/random").join(name);
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn bits_sum(a: &Array2<f64>) -> u64 {
    a.iter().fold(0u64, |acc, x| acc.wrapping_add(x.to_bits()))
}

fn ints(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()
}

#[test]
fn initial_biases_and_weights_are_numpys_bit_for_bit() {
    let f = fixture("lecture.json");
    let sizes = [784, 28, 28, 10];
    let rnd = RandomState::new(121);
    let biases = scratch::set_biases(&sizes[1..], &mut rnd.clone());
    let weights =
        scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes).unwrap(), &mut rnd.clone());
    for (what, arrays) in [("biases", &biases), ("weights", &weights)] {
        for (l, a) in arrays.iter().enumerate() {
            let d = &f[what][l];
            assert_eq!(a.shape(), &ints(&d["shape"])[..], "{what}[{l}] shape");
            assert_eq!(bits_sum(a).to_string(), d["bits_sum"].as_str().unwrap(), "{what}[{l}] bits");
            let flat: Vec<f64> = a.iter().copied().collect();
            for (&i, hex) in ints(&d["picks"]).iter().zip(d["picks_bits"].as_array().unwrap()) {
                assert_eq!(format!("{:016x}", flat[i].to_bits()), hex.as_str().unwrap(), "{what}[{l}][{i}]");
            }
        }
    }
}

/// A tiny network [1, 1] trained with mini-batches of 1 on 60,000 distinct examples: the result depends
/// on the visiting order. `train` must equal stepping by hand in the order numpy's shuffle gives
/// (checked against the fixture), epoch after epoch.
#[test]
fn each_epoch_visits_the_examples_in_numpys_order() {
    let f = fixture("lecture.json");
    let n = 60_000;
    let data: Vec<(Array2<f64>, Array2<f64>)> =
        (0..n).map(|j| (array![[j as f64 / n as f64]], array![[(j % 3 == 0) as u8 as f64]])).collect();
    let w0 = vec![array![[0.3]]];
    let b0 = vec![array![[-0.1]]];
    let rnd = RandomState::new(121);
    let (mut w, mut b) = (w0.clone(), b0.clone());
    let opts = TrainOptions::default().epochs(3).batch_size(1).eta(0.5).per_example(true).verbose(false);
    scratch::train(&data, &[], &mut w, &mut b, &mut rnd.clone(), opts).unwrap();

    let (mut wh, mut bh) = (w0, b0);
    let mut shuffler = rnd.clone();
    let mut order: Vec<usize> = (0..n).collect();
    for (epoch, e) in f["shuffle_60000"].as_array().unwrap().iter().enumerate() {
        shuffler.shuffle(&mut order);
        assert_eq!(order[..20], ints(&e["first_20"])[..], "epoch {epoch}");
        for &j in &order {
            scratch::update_mini_batch(&[&data[j]], &mut bh, &mut wh, 0.5, 0.0, n, Cost::Quadratic).unwrap();
        }
    }
    assert_eq!(w[0][[0, 0]].to_bits(), wh[0][[0, 0]].to_bits());
    assert_eq!(b[0][[0, 0]].to_bits(), bh[0][[0, 0]].to_bits());
}

/// A small random network and mini-batch for the gradient checks.
fn small_problem(seed: u32) -> (Vec<Array2<f64>>, Vec<Array2<f64>>, TrainingData) {
    let mut rnd = RandomState::new(seed);
    let sizes = [5, 4, 3, 3];
    let biases = scratch::set_biases(&sizes[1..], &mut rnd);
    let weights = scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes).unwrap(), &mut rnd);
    let batch = (0..6)
        .map(|k| {
            let x = rnd.rand((5, 1));
            let mut y = Array2::zeros((3, 1));
            y[[k % 3, 0]] = 1.0;
            (x, y)
        })
        .collect();
    (biases, weights, batch)
}

/// The mini-batch cost `(1/m) Σₓ Cₓ + λ/(2n) Σ ‖w‖²`.
fn batch_cost(
    batch: &[(Array2<f64>, Array2<f64>)],
    b: &[Array2<f64>],
    w: &[Array2<f64>],
    cost: Cost,
    lambda: f64,
    n: usize,
) -> f64 {
    let sum: f64 =
        batch.iter().map(|(x, y)| cost.value(&scratch::net_output(x, b, w).unwrap(), y).unwrap()).sum();
    sum / batch.len() as f64 + scratch::l2_penalty(w, lambda, n)
}

/// One step with learning rate eta moves the parameters by −eta ∂C/∂θ: (θ₀ − θ₁)/eta must equal the
/// central finite difference of the mini-batch cost, for every weight and bias.
fn gradient_check(cost: Cost, lambda: f64, per_example: bool) {
    let (b0, w0, batch) = small_problem(7);
    let n = 40; // training-set size for L2 (the mini-batch is 6 of them)
    let eta = 0.25;
    let (mut b1, mut w1) = (b0.clone(), w0.clone());
    if per_example {
        let refs: Vec<_> = batch.iter().collect();
        scratch::update_mini_batch(&refs, &mut b1, &mut w1, eta, lambda, n, cost).unwrap();
    } else {
        let x = Array2::from_shape_fn((5, 6), |(i, j)| batch[j].0[[i, 0]]);
        let y = Array2::from_shape_fn((3, 6), |(i, j)| batch[j].1[[i, 0]]);
        let (gb, gw) = scratch::backprop_batch(&x, &y, &b0, &w0, cost).unwrap();
        for l in 0..w0.len() {
            w1[l] = &w0[l] * scratch::weight_decay(eta, lambda, n) - &gw[l] * (eta / 6.0);
            b1[l] = &b0[l] - &gb[l] * (eta / 6.0);
        }
    }
    let h = 1e-6;
    let mut worst: f64 = 0.0;
    for l in 0..w0.len() {
        for (idx, _) in w0[l].indexed_iter() {
            let (mut wp, mut wm) = (w0.clone(), w0.clone());
            wp[l][idx] += h;
            wm[l][idx] -= h;
            let fd = (batch_cost(&batch, &b0, &wp, cost, lambda, n)
                - batch_cost(&batch, &b0, &wm, cost, lambda, n))
                / (2.0 * h);
            let step = (w0[l][idx] - w1[l][idx]) / eta;
            worst = worst.max((fd - step).abs() / fd.abs().max(1e-3));
        }
        for (idx, _) in b0[l].indexed_iter() {
            let (mut bp, mut bm) = (b0.clone(), b0.clone());
            bp[l][idx] += h;
            bm[l][idx] -= h;
            let fd = (batch_cost(&batch, &bp, &w0, cost, lambda, n)
                - batch_cost(&batch, &bm, &w0, cost, lambda, n))
                / (2.0 * h);
            let step = (b0[l][idx] - b1[l][idx]) / eta;
            worst = worst.max((fd - step).abs() / fd.abs().max(1e-3));
        }
    }
    assert!(worst < 1e-6, "{cost:?} lambda {lambda} per_example {per_example}: relative error {worst:e}");
}

#[test]
fn gradient_checks_quadratic_and_cross_entropy_with_and_without_l2() {
    for cost in [Cost::Quadratic, Cost::CrossEntropy] {
        for lambda in [0.0, 3.0] {
            for per_example in [true, false] {
                gradient_check(cost, lambda, per_example);
            }
        }
    }
}

/// One step on a one-weight network [1, 1], computed by hand from the formulas.
#[test]
fn one_step_by_hand() {
    let (w, b, x, y, eta, lambda, n) = (0.8f64, -0.3f64, 0.5f64, 1.0f64, 0.4f64, 2.0f64, 10usize);
    let z = w * x + b;
    let a = 1.0 / (1.0 + (-z).exp());
    for cost in [Cost::Quadratic, Cost::CrossEntropy] {
        let delta = match cost {
            Cost::Quadratic => (a - y) * a * (1.0 - a),
            Cost::CrossEntropy => a - y,
        };
        let expected_w = (1.0 - eta * lambda / n as f64) * w - eta * delta * x;
        let expected_b = b - eta * delta;
        let data = [(array![[x]], array![[y]])];
        for per_example in [true, false] {
            let (mut ws, mut bs) = (vec![array![[w]]], vec![array![[b]]]);
            // one epoch of one mini-batch of one example: n = 1 here, so pass n through update_mini_batch
            if per_example {
                scratch::update_mini_batch(&[&data[0]], &mut bs, &mut ws, eta, lambda, n, cost).unwrap();
            } else {
                // train's n is the training-set size: 10 copies of the example, one batch of 10
                let ten: Vec<_> = (0..n).map(|_| data[0].clone()).collect();
                let opts = TrainOptions::default()
                    .epochs(1)
                    .batch_size(n)
                    .eta(eta)
                    .l2(lambda)
                    .cost(cost)
                    .verbose(false);
                scratch::train(&ten, &[], &mut ws, &mut bs, &mut RandomState::new(0), opts).unwrap();
            }
            assert!(
                (ws[0][[0, 0]] - expected_w).abs() < 1e-15,
                "{cost:?} {per_example}: w {}",
                ws[0][[0, 0]]
            );
            assert!(
                (bs[0][[0, 0]] - expected_b).abs() < 1e-15,
                "{cost:?} {per_example}: b {}",
                bs[0][[0, 0]]
            );
        }
    }
}

#[test]
fn l2_shrinks_the_weights() {
    let ((x, y), _) = nnlab::datasets::embedded::mnist_sample().unwrap();
    let x = nnlab::np::to_f64(&x.slice(s![..1000, .., ..]).to_owned()) / 255.0;
    let y = y.slice(s![..1000]).to_owned();
    let (training_data, test_data) = scratch::prepare_data(&x, &y, &x, &y).unwrap();
    let norm = |lambda: f64| {
        let rnd = RandomState::new(121);
        let mut b = scratch::set_biases(&[28, 10], &mut rnd.clone());
        let mut w = scratch::set_weights(&[(784, 28), (28, 10)], &mut rnd.clone());
        let opts = TrainOptions::default().epochs(1).l2(lambda).verbose(false);
        scratch::train(&training_data, &test_data, &mut w, &mut b, &mut rnd.clone(), opts).unwrap();
        w.iter().map(|w| w.iter().map(|v| v * v).sum::<f64>()).sum::<f64>()
    };
    let (plain, decayed) = (norm(0.0), norm(50.0));
    assert!(decayed < 0.9 * plain, "L2 should shrink the weights: {decayed} vs {plain}");
}

/// The per-example and batched computations agree to 1e-9 after one epoch (2,000 digits).
#[test]
fn per_example_and_batched_agree_after_an_epoch() {
    let ((x, y), (xt, yt)) = nnlab::datasets::embedded::mnist_sample().unwrap();
    let x = nnlab::np::to_f64(&x.slice(s![..2000, .., ..]).to_owned()) / 255.0;
    let xt = nnlab::np::to_f64(&xt.slice(s![..500, .., ..]).to_owned()) / 255.0;
    let (y, yt) = (y.slice(s![..2000]).to_owned(), yt.slice(s![..500]).to_owned());
    let (training_data, test_data) = scratch::prepare_data(&x, &y, &xt, &yt).unwrap();
    for (lambda, cross_entropy) in [(0.0, false), (5.0, true)] {
        let run = |per_example: bool| {
            let rnd = RandomState::new(121);
            let mut b = scratch::set_biases(&[28, 28, 10], &mut rnd.clone());
            let mut w = scratch::set_weights(&[(784, 28), (28, 28), (28, 10)], &mut rnd.clone());
            let opts = TrainOptions::default()
                .epochs(1)
                .l2(lambda)
                .cross_entropy(cross_entropy)
                .per_example(per_example)
                .verbose(false);
            let log =
                scratch::train(&training_data, &test_data, &mut w, &mut b, &mut rnd.clone(), opts).unwrap();
            (w, b, log)
        };
        let (w1, b1, log1) = run(true);
        let (w2, b2, log2) = run(false);
        let diff = w1
            .iter()
            .chain(&b1)
            .zip(w2.iter().chain(&b2))
            .map(|(p, q)| (p - q).mapv(f64::abs).fold(0.0, |m: f64, &v| m.max(v)));
        let worst = diff.fold(0.0f64, f64::max);
        assert!(worst < 1e-9, "lambda {lambda}: per-example and batched differ by {worst:e}");
        assert_eq!(log1.evaluation, log2.evaluation);
        println!(
            "lambda {lambda}, cross-entropy {cross_entropy}: {:?} of 500, max difference {worst:e}",
            log1.evaluation
        );
        assert!(
            log1.evaluation[0] > 75,
            "training should learn something (chance: 50): {:?}",
            log1.evaluation
        );
    }
}

fn tiny_data(n: usize) -> (TrainingData, TestData) {
    let x: Array3<f64> = RandomState::new(5).rand((n, 28, 28));
    let y = Array1::from_iter((0..n).map(|i| (i % 10) as u8));
    scratch::prepare_data(&x, &y, &x, &y).unwrap()
}

fn lecture_net() -> (Vec<Array2<f64>>, Vec<Array2<f64>>) {
    let rnd = RandomState::new(121);
    let b = scratch::set_biases(&[28, 10], &mut rnd.clone());
    let w = scratch::set_weights(&[(784, 28), (28, 10)], &mut rnd.clone());
    (w, b)
}

#[test]
fn a_nan_in_the_data_stops_training_naming_epoch_and_batch() {
    let (mut training_data, test_data) = tiny_data(50);
    training_data[37].0[[100, 0]] = f64::NAN;
    let (mut w, mut b) = lecture_net();
    // which mini-batch holds example 37 in epoch 0: the position numpy's shuffle gives it, over 8
    let mut order: Vec<usize> = (0..50).collect();
    RandomState::new(121).shuffle(&mut order);
    let batch = order.iter().position(|&j| j == 37).unwrap() / 8;
    for per_example in [true, false] {
        let opts = TrainOptions::default().batch_size(8).per_example(per_example).verbose(false);
        let e = scratch::train(&training_data, &test_data, &mut w, &mut b, &mut RandomState::new(121), opts)
            .unwrap_err();
        println!("{e}");
        assert!(matches!(e, Error::NotFinite { .. }), "{e:?}");
        assert!(e.to_string().contains(&format!("epoch 0, mini-batch {batch} of 7")), "{e}");
    }
}

#[test]
fn a_huge_eta_stops_training_with_an_error() {
    let (training_data, test_data) = tiny_data(50);
    let (mut w, mut b) = lecture_net();
    // the largest finite eta; with the cross-entropy the output error a − y does not vanish when the
    // outputs saturate, so the steps overflow
    let opts = TrainOptions::default().eta(f64::MAX).cross_entropy(true).batch_size(8).verbose(false);
    let e = scratch::train(&training_data, &test_data, &mut w, &mut b, &mut RandomState::new(121), opts)
        .unwrap_err();
    println!("{e}");
    assert!(matches!(e, Error::NotFinite { .. }), "{e:?}");
    assert!(e.to_string().contains("epoch 0, mini-batch"), "{e}");
}

/// Every kind of bad input is an error with a message, never a panic.
#[test]
fn bad_input_is_an_error() {
    let (training_data, test_data) = tiny_data(12);
    let (w, b) = lecture_net();
    let quiet = || TrainOptions::default().verbose(false);
    let run = |td: &[(Array2<f64>, Array2<f64>)],
               tst: &[(Array2<f64>, usize)],
               w: &[Array2<f64>],
               b: &[Array2<f64>],
               o: TrainOptions| {
        let (mut w, mut b) = (w.to_vec(), b.to_vec());
        scratch::train(td, tst, &mut w, &mut b, &mut RandomState::new(121), o)
    };
    let mut errors: Vec<(&str, Error)> = vec![];
    let mut expect = |what: &'static str, r: nnlab::Result<scratch::TrainLog>| match r {
        Ok(_) => panic!("{what}: expected an error"),
        Err(e) => errors.push((what, e)),
    };
    expect(
        "fewer than two layer sizes",
        scratch::prepare_weight_matrix_dim(&[784]).map(|_| Default::default()),
    );
    expect(
        "a layer of size 0",
        scratch::prepare_weight_matrix_dim(&[784, 0, 10]).map(|_| Default::default()),
    );
    expect("no weights", run(&training_data, &test_data, &[], &[], quiet()));
    let w_bad_input = vec![Array2::zeros((28, 783)), w[1].clone()];
    expect("input size != first layer", run(&training_data, &test_data, &w_bad_input, &b, quiet()));
    let w5 = vec![w[0].clone(), Array2::zeros((5, 28))];
    let b5 = vec![b[0].clone(), Array2::zeros((5, 1))];
    expect("training labels outside the output range", run(&training_data, &test_data, &w5, &b5, quiet()));
    let mut bad_test = test_data.clone();
    bad_test[3].1 = 10;
    expect("a test label outside the output range", run(&training_data, &bad_test, &w, &b, quiet()));
    for eta in [0.0, -0.5, f64::NAN, f64::INFINITY] {
        expect("eta not positive and finite", run(&training_data, &test_data, &w, &b, quiet().eta(eta)));
    }
    expect("a negative lambda", run(&training_data, &test_data, &w, &b, quiet().l2(-1.0)));
    expect("batch size 0", run(&training_data, &test_data, &w, &b, quiet().batch_size(0)));
    expect("empty training data", run(&[], &test_data, &w, &b, quiet()));
    expect(
        "a logged layer that does not exist",
        run(&training_data, &test_data, &w, &b, quiet().log_layer(2)),
    );
    expect("one bias too few for train", run(&training_data, &test_data, &w, &b[..1], quiet()));
    let (x, y) = (&training_data[0].0, &training_data[0].1);
    let map_bp = |r: nnlab::Result<Gradients>| r.map(|_| Default::default());
    expect("backprop: one bias too few", map_bp(scratch::backprop(x, y, &b[..1], &w, Cost::Quadratic)));
    expect(
        "backprop: biases of the wrong shape",
        map_bp(scratch::backprop(x, y, &[b[1].clone(), b[0].clone()], &w, Cost::Quadratic)),
    );
    expect(
        "backprop: weights that do not chain",
        map_bp(scratch::backprop(x, y, &b, &[w[0].clone(), Array2::zeros((10, 27))], Cost::Quadratic)),
    );
    expect(
        "backprop: wrong input",
        map_bp(scratch::backprop(&Array2::zeros((10, 1)), y, &b, &w, Cost::Quadratic)),
    );
    expect(
        "backprop: wrong target",
        map_bp(scratch::backprop(x, &Array2::zeros((9, 1)), &b, &w, Cost::Quadratic)),
    );
    expect(
        "backprop_batch: Y with other columns",
        map_bp(scratch::backprop_batch(
            &Array2::zeros((784, 3)),
            &Array2::zeros((10, 2)),
            &b,
            &w,
            Cost::Quadratic,
        )),
    );
    let map_out = |r: nnlab::Result<Array2<f64>>| r.map(|_| Default::default());
    expect(
        "net_output: one weight matrix too many",
        map_out(scratch::net_output(x, &b, &[w[0].clone(), w[1].clone(), w[1].clone()])),
    );
    expect("net_output: wrong input", map_out(scratch::net_output(&Array2::zeros((28, 1)), &b, &w)));
    expect(
        "evaluation: mismatched lists",
        scratch::evaluation(&test_data, &b[..1], &w).map(|_| Default::default()),
    );
    expect("unit_vector(10)", scratch::unit_vector(10).map(|_| Default::default()));
    expect("split_data with 0", scratch::split_data(&[1, 2], 0).map(|_| Default::default()));
    let x3 = Array3::<f64>::zeros((3, 28, 28));
    expect(
        "prepare_data: lengths differ",
        scratch::prepare_data(&x3, &Array1::zeros(2), &x3, &Array1::zeros(3)).map(|_| Default::default()),
    );
    expect(
        "prepare_data: label 12",
        scratch::prepare_data(&x3, &Array1::from(vec![1, 12, 3]), &x3, &Array1::zeros(3))
            .map(|_| Default::default()),
    );
    expect(
        "update_mini_batch: empty",
        scratch::update_mini_batch(&[], &mut b.clone(), &mut w.clone(), 0.5, 0.0, 1, Cost::Quadratic)
            .map(|_| Default::default()),
    );
    expect(
        "quadcost_derivative: shapes",
        scratch::quadcost_derivative(
            &Array2::zeros((10, 1)),
            &Array2::zeros((9, 1)),
            &Array2::zeros((10, 1)),
        )
        .map(|_| Default::default()),
    );
    for (what, e) in &errors {
        println!("{what}: {e}");
        assert!(e.to_string().starts_with("scratch::") || e.to_string().starts_with("Cost::"), "{what}: {e}");
    }
}

/// The lecture's run on Fashion-MNIST: 6018, 6495, 7209 correct after epochs 1-3 (its numpy code and a
/// vectorised numpy twin agree exactly); ours within ±5, in both modes (about 50 s in the test profile:
/// the per-example epochs take ~14 s each, the batched ones ~1.2 s).
#[test]
fn fashion_mnist_lecture_numbers() {
    let dir = Path::new("/usr/share/datasets/fashion-mnist");
    if !dir.join("train-images-idx3-ubyte.gz").exists() {
        println!(
            "SKIPPED: Fashion-MNIST's Debian files are not in {} (scripts/install-data installs them)",
            dir.display()
        );
        return;
    }
    let opts = nnlab::datasets::LoadOptions::default().allow_download(false).quiet(true);
    let ((x_train, y_train), (x_test, y_test)) =
        nnlab::datasets::fashion_mnist::load_data_with(&opts).unwrap();
    let (x_train, x_test) = (nnlab::np::to_f64(&x_train) / 255.0, nnlab::np::to_f64(&x_test) / 255.0);
    let (training_data, test_data) = scratch::prepare_data(&x_train, &y_train, &x_test, &y_test).unwrap();
    let sizes = [784, 28, 28, 10];
    let rnd = RandomState::new(121);
    let biases = scratch::set_biases(&sizes[1..], &mut rnd.clone());
    let weights =
        scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes).unwrap(), &mut rnd.clone());
    let lecture = [6018i64, 6495, 7209];
    for (per_example, epochs) in [(false, 3), (true, 3)] {
        let (mut w, mut b) = (weights.clone(), biases.clone());
        let opts = TrainOptions::default().epochs(epochs).batch_size(64).eta(0.6).per_example(per_example);
        let t = Instant::now();
        let log = scratch::train(&training_data, &test_data, &mut w, &mut b, &mut rnd.clone(), opts).unwrap();
        println!(
            "per_example {per_example}: {:?} in {:.1} s (epochs {:?})",
            log.evaluation,
            t.elapsed().as_secs_f64(),
            log.epoch_seconds
        );
        for (got, want) in log.evaluation.iter().zip(lecture) {
            assert!(
                (*got as i64 - want).abs() <= 5,
                "per_example {per_example}: {:?} vs {lecture:?}",
                log.evaluation
            );
        }
        assert_eq!(log.weights.len(), epochs);
        assert_eq!(log.weights[0].shape(), &[28, 28]);
    }
}
