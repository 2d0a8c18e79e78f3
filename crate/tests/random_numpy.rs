//! `nnlab::random` against numpy, bit for bit: fixtures written by `scripts/gen_random_fixtures.py`
//! (numpy's legacy `RandomState`).

use std::sync::Mutex;

use nnlab::ndarray::{Array1, Array2, Array3};
use nnlab::random::{self, RandomState};
use serde_json::Value;

const SEEDS: [u32; 4] = [0, 1, 121, u32::MAX];

/// The module-level generator is shared by the tests of this binary, which run in parallel.
static GLOBAL_LOCK: Mutex<()> = Mutex::new(());

fn fixture(name: &str) -> Value {
    let path = format!("{}/tests/fixtures/random/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap()
}

fn seed_fixture(seed: u32) -> Value {
    fixture(&format!("seed_{seed}.json"))
}

/// The hex bit patterns of a fixture list.
fn bits(v: &Value) -> Vec<u64> {
    v.as_array().unwrap().iter().map(|s| u64::from_str_radix(s.as_str().unwrap(), 16).unwrap()).collect()
}

fn ints(v: &Value) -> Vec<i64> {
    v.as_array().unwrap().iter().map(|x| x.as_i64().unwrap()).collect()
}

fn to_bits<'a>(xs: impl IntoIterator<Item = &'a f64>) -> Vec<u64> {
    xs.into_iter().map(|x| x.to_bits()).collect()
}

#[test]
fn rand_randn_uniform_normal_match_numpy() {
    for seed in SEEDS {
        let f = seed_fixture(seed);
        let a: Array1<f64> = RandomState::new(seed).rand(7);
        assert_eq!(to_bits(&a), bits(&f["rand_7"]), "rand seed {seed}");

        let mut rnd = RandomState::new(seed);
        let first = rnd.randn(5);
        let second = rnd.randn(3);
        assert_eq!(to_bits(&first), bits(&f["randn_5_then_3"][0]), "randn(5) seed {seed}");
        assert_eq!(to_bits(&second), bits(&f["randn_5_then_3"][1]), "randn(3) after randn(5) seed {seed}");

        let m: Array2<f64> = RandomState::new(seed).randn((3, 2));
        assert_eq!(to_bits(&m), bits(&f["randn_3x2"]), "randn(3, 2) seed {seed}");
        // Column-major memory still receives the numbers in C order.
        let mf: Array2<f64> = RandomState::new(seed).randn(nnlab::ndarray::ShapeBuilder::f((3, 2)));
        assert_eq!(mf, m);

        let u = RandomState::new(seed).uniform(-2.0, 3.0, 5).unwrap();
        assert_eq!(to_bits(&u), bits(&f["uniform_m2_3_5"]), "uniform seed {seed}");
        let n = RandomState::new(seed).normal(1.5, 2.0, 5).unwrap();
        assert_eq!(to_bits(&n), bits(&f["normal_1.5_2_5"]), "normal seed {seed}");
    }
}

#[test]
fn randint_matches_numpy_on_every_range() {
    for seed in SEEDS {
        let f = seed_fixture(seed);
        for case in f["randint"].as_array().unwrap() {
            let (low, high) = (case["low"].as_i64().unwrap(), case["high"].as_i64().unwrap());
            let got = RandomState::new(seed).randint(low, high, 8).unwrap();
            assert_eq!(got.to_vec(), ints(&case["values"]), "randint({low}, {high}) seed {seed}");
        }
    }
}

#[test]
fn permutation_shuffle_choice_match_numpy() {
    for seed in SEEDS {
        let f = seed_fixture(seed);
        let as_i64 = |a: &[usize]| a.iter().map(|&v| v as i64).collect::<Vec<_>>();
        let p = RandomState::new(seed).permutation(10);
        assert_eq!(as_i64(p.as_slice().unwrap()), ints(&f["permutation_10"]), "permutation seed {seed}");
        let p1 = RandomState::new(seed).permutation(1);
        assert_eq!(as_i64(p1.as_slice().unwrap()), ints(&f["permutation_1"]));

        let mut v: Vec<usize> = (0..12).collect();
        RandomState::new(seed).shuffle(&mut v);
        assert_eq!(as_i64(&v), ints(&f["shuffle_list_12"]), "shuffle seed {seed}");

        let mut rows = Array2::from_shape_fn((5, 3), |(i, j)| (3 * i + j) as i64);
        RandomState::new(seed).shuffle_rows(&mut rows);
        assert_eq!(
            rows.iter().copied().collect::<Vec<_>>(),
            ints(&f["shuffle_rows_5x3"]),
            "rows seed {seed}"
        );

        let c = RandomState::new(seed).choice(10, 4, true).unwrap();
        assert_eq!(as_i64(c.as_slice().unwrap()), ints(&f["choice_10_4_replace"]));
        let c = RandomState::new(seed).choice(10, 4, false).unwrap();
        assert_eq!(as_i64(c.as_slice().unwrap()), ints(&f["choice_10_4_noreplace"]));
        let c = RandomState::new(seed).choice(6, (2, 2), false).unwrap();
        assert_eq!(c.shape(), &[2, 2]);
        assert_eq!(as_i64(c.as_slice().unwrap()), ints(&f["choice_6_2x2_noreplace"]));
    }
}

#[test]
fn interleaved_draws_and_copies_match_numpy() {
    for seed in SEEDS {
        let f = seed_fixture(seed);
        let mut rnd = RandomState::new(seed);
        let mut copy = None;
        for (k, step) in f["interleaved"].as_array().unwrap().iter().enumerate() {
            let op = step["op"].as_str().unwrap();
            let what = format!("step {k} ({op}) seed {seed}");
            match op {
                "rand_3" => assert_eq!(to_bits(&rnd.rand(3)), bits(&step["bits"]), "{what}"),
                "randn_3" => assert_eq!(to_bits(&rnd.randn(3)), bits(&step["bits"]), "{what}"),
                "randn_1" => assert_eq!(to_bits(&rnd.randn(1)), bits(&step["bits"]), "{what}"),
                "randn_2x2" => {
                    assert_eq!(to_bits(&rnd.randn((2, 2))), bits(&step["bits"]), "{what}");
                    copy = Some(rnd.clone());
                }
                "copy_randn_1" => {
                    let c = copy.as_mut().unwrap();
                    assert_eq!(to_bits(&c.randn(1)), bits(&step["bits"]), "{what}")
                }
                "shuffle_8" => {
                    let mut v: Vec<i64> = (0..8).collect();
                    rnd.shuffle(&mut v);
                    assert_eq!(v, ints(&step["ints"]), "{what}");
                }
                "randint_0_7_4" => {
                    assert_eq!(rnd.randint(0, 7, 4).unwrap().to_vec(), ints(&step["ints"]), "{what}")
                }
                "random_sample" => {
                    assert_eq!(vec![rnd.random_sample().to_bits()], bits(&step["bits"]), "{what}")
                }
                "standard_normal" => {
                    assert_eq!(vec![rnd.standard_normal().to_bits()], bits(&step["bits"]), "{what}")
                }
                "normal_0_1_1" => {
                    assert_eq!(to_bits(&rnd.normal(0.0, 1.0, 1).unwrap()), bits(&step["bits"]), "{what}")
                }
                "permutation_5" => {
                    let p: Vec<i64> = rnd.permutation(5).iter().map(|&v| v as i64).collect();
                    assert_eq!(p, ints(&step["ints"]), "{what}");
                }
                "uniform_0_1_2" => {
                    assert_eq!(to_bits(&rnd.uniform(0.0, 1.0, 2).unwrap()), bits(&step["bits"]), "{what}")
                }
                other => panic!("fixture step {other} not handled"),
            }
        }
    }
}

#[test]
fn module_level_generator_matches_np_random() {
    let _guard = GLOBAL_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    for seed in SEEDS {
        let f = seed_fixture(seed);
        random::seed(seed);
        let g = f["global"].as_array().unwrap();
        assert_eq!(to_bits(&random::rand(3)), bits(&g[0]["bits"]));
        assert_eq!(to_bits(&random::randn(3)), bits(&g[1]["bits"]));
        assert_eq!(vec![random::random().to_bits()], bits(&g[2]["bits"]));
        assert_eq!(vec![random::random().to_bits()], bits(&g[3]["bits"]));
    }
}

#[test]
fn lecture_vectorize_draws_like_numpy() {
    let _guard = GLOBAL_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    for seed in SEEDS {
        let f = seed_fixture(seed);
        let shape: Vec<usize> =
            f["vectorize_shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
        let input: Vec<f64> = bits(&f["vectorize_input"]).into_iter().map(f64::from_bits).collect();
        let x = Array2::from_shape_vec((shape[0], shape[1]), input).unwrap();
        random::seed(seed);
        let mut vfunc = nnlab::np::vectorize(|x| if x == 0.0 { random::random() } else { x });
        let out = vfunc.call(&x).unwrap();
        assert_eq!(to_bits(&out), bits(&f["vectorize_output"]), "vectorize seed {seed}");
    }
}

#[test]
fn global_state_round_trips() {
    let _guard = GLOBAL_LOCK.lock().unwrap_or_else(|e| e.into_inner());
    random::seed(42);
    let saved = random::get_state();
    let a = random::randn(3);
    random::set_state(&saved);
    assert_eq!(random::randn(3), a);
    assert_eq!(saved.clone().randn(3), a);
}

/// The wrapping sum of the bit patterns of all elements (see the fixture script).
fn bits_sum<'a>(xs: impl IntoIterator<Item = &'a f64>) -> u64 {
    xs.into_iter().fold(0u64, |acc, x| acc.wrapping_add(x.to_bits()))
}

fn check_described(what: &str, a: &Array2<f64>, d: &Value) {
    let shape: Vec<usize> =
        d["shape"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    assert_eq!(a.shape(), &shape[..], "{what} shape");
    assert_eq!(bits_sum(a.iter()).to_string(), d["bits_sum"].as_str().unwrap(), "{what}: not bit-identical");
    let flat: Vec<f64> = a.iter().copied().collect();
    let picks: Vec<usize> =
        d["picks"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as usize).collect();
    let got: Vec<u64> = picks.iter().map(|&i| flat[i].to_bits()).collect();
    assert_eq!(got, bits(&d["picks_bits"]), "{what} picks");
    let sum: f64 = flat.iter().sum();
    assert!((sum - d["sum"].as_f64().unwrap()).abs() < 1e-9, "{what} sum");
}

#[test]
fn lecture_initial_weights_biases_and_shuffles_match_numpy() {
    let f = fixture("lecture.json");
    let rnd = RandomState::new(121);
    let mut r = rnd.clone();
    let biases: Vec<Array2<f64>> = [28, 28, 10].iter().map(|&y| r.randn((y, 1))).collect();
    let mut r = rnd.clone();
    let weights: Vec<Array2<f64>> =
        [(784, 28), (28, 28), (28, 10)].iter().map(|&(x, y)| r.randn((y, x))).collect();
    for (l, b) in biases.iter().enumerate() {
        check_described(&format!("biases[{l}]"), b, &f["biases"][l]);
    }
    for (l, w) in weights.iter().enumerate() {
        check_described(&format!("weights[{l}]"), w, &f["weights"][l]);
    }
    let mut shuffler = rnd.clone();
    let mut order: Vec<u64> = (0..60000).collect();
    for (epoch, e) in f["shuffle_60000"].as_array().unwrap().iter().enumerate() {
        shuffler.shuffle(&mut order);
        let first: Vec<i64> = order[..20].iter().map(|&v| v as i64).collect();
        assert_eq!(first, ints(&e["first_20"]), "epoch {epoch} first 20");
        let last: Vec<i64> = order[60000 - 5..].iter().map(|&v| v as i64).collect();
        assert_eq!(last, ints(&e["last_5"]), "epoch {epoch} last 5");
        let weighted = order.iter().enumerate().fold(0u64, |acc, (i, &v)| acc.wrapping_add(i as u64 * v));
        assert_eq!(weighted.to_string(), e["weighted_sum"].as_str().unwrap(), "epoch {epoch} whole order");
    }
}

#[test]
fn shuffle_rows_moves_whole_images() {
    let mut a = Array3::from_shape_fn((6, 2, 2), |(k, i, j)| 10 * k + 2 * i + j);
    let mut order: Vec<usize> = (0..6).collect();
    RandomState::new(3).shuffle_rows(&mut a);
    RandomState::new(3).shuffle(&mut order);
    for (k, &src) in order.iter().enumerate() {
        assert_eq!(a[[k, 1, 1]], 10 * src + 3);
    }
}
