//! Same seed → the same `History` bit for bit, whatever the thread count of the matrix products; and
//! the same from-scratch training (weights, biases, correct counts) on one thread or two.
//!
//! nnlab reads `MATMUL_NUM_THREADS` once per process, so each setting runs this test binary again as a
//! child process (with `NNLAB_THREADS_CHILD` set), which trains and prints the bits' hash.

use nnlab::prelude::*;
use std::process::Command;

/// A model big enough that matrixmultiply does use 2 threads (m·k + k·n ≥ 2¹⁵ for the first product).
fn train(fit_seed: u64) -> String {
    let x = Array2::from_shape_fn((512, 300), |(i, j)| ((i * 31 + j * 7) % 97) as f32 / 97.0);
    let y = Array2::from_shape_fn((512, 10), |(i, j)| if (i * 13 + 5) % 10 == j { 1.0 } else { 0.0 });
    let mut model = Sequential::new(vec![
        Dense::new(256).input_shape(&[300]).activation("swish").into(),
        Dropout::new(0.3).into(),
        Dense::new(10).activation("softmax").into(),
    ])
    .seed(3);
    model.compile("adam", "mse", &["accuracy"]).expect("compile");
    let h =
        model.fit(&x, &y, Fit::default().epochs(2).batch_size(128).verbose(0).seed(fit_seed)).expect("fit");
    let mut bits: Vec<u64> = h.history.values().flatten().map(|v| v.to_bits()).collect();
    bits.extend(model.get_weights().iter().flat_map(|w| w.iter().map(|v| v.to_bits() as u64)));
    hash(&bits)
}

/// `BITS <count> <FNV-1a hash>` of `bits`.
fn hash(bits: &[u64]) -> String {
    let hash = bits.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b).wrapping_mul(0x100_0000_01b3));
    format!("BITS {} {hash:016x}", bits.len())
}

/// The from-scratch network, batched and per example, on 300 synthetic images (mini-batches of 64
/// and a last one of 44, split in halves of 32 | 32 and 22 | 22): the final weights, biases and counts.
fn train_scratch(seed: u32) -> String {
    let mut rnd = RandomState::new(seed);
    let x = rnd.rand((300, 28, 28));
    let y = Array1::from_iter((0..300).map(|i| ((i * 7) % 10) as u8));
    let (training_data, test_data) = scratch::prepare_data(&x, &y, &x, &y).expect("data");
    let mut bits = vec![];
    for per_example in [false, true] {
        let rnd = RandomState::new(121);
        let mut biases = scratch::set_biases(&[28, 28, 10], &mut rnd.clone());
        let mut weights = scratch::set_weights(&[(784, 28), (28, 28), (28, 10)], &mut rnd.clone());
        let opts = scratch::TrainOptions::default().epochs(2).batch_size(64).per_example(per_example);
        let log = scratch::train(
            &training_data,
            &test_data,
            &mut weights,
            &mut biases,
            &mut rnd.clone(),
            opts.verbose(false),
        )
        .expect("train");
        bits.extend(log.evaluation.iter().map(|&v| v as u64));
        bits.extend(weights.iter().chain(&biases).flat_map(|a| a.iter().map(|v| v.to_bits())));
    }
    hash(&bits)
}

fn child(name: &str, threads: &str) -> String {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", name, "--nocapture", "--test-threads=1"])
        .env("NNLAB_THREADS_CHILD", "1")
        .env("MATMUL_NUM_THREADS", threads)
        .output()
        .expect("run the test binary");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "child with {threads} threads failed: {stdout}");
    // libtest prints "test NAME ... " on the same line before it.
    let at = stdout.find("BITS ").expect("a BITS line");
    stdout[at..].lines().next().unwrap_or_default().to_string()
}

/// The test `name`: in a child process, prints `run(seed)`; else runs itself as children with 1 and 2
/// threads, and checks both print the same bits as this process, and that another seed changes them
/// (so the comparison can fail).
fn same_bits_on_1_and_2_threads(name: &str, what: &str, run: fn(u32) -> String, seed: u32) {
    if std::env::var_os("NNLAB_THREADS_CHILD").is_some() {
        println!("{}", run(seed));
        return;
    }
    let (one, two) = (child(name, "1"), child(name, "2"));
    assert_eq!(one, two, "{what} differ between 1 and 2 threads");
    assert_eq!(one, run(seed), "and from this process (default thread count)");
    assert_ne!(one, run(seed + 1));
}

#[test]
fn history_has_the_same_bits_on_1_and_2_threads() {
    let name = "history_has_the_same_bits_on_1_and_2_threads";
    same_bits_on_1_and_2_threads(name, "History and weights", |seed| train(u64::from(seed)), 5);
}

#[test]
fn scratch_training_has_the_same_bits_on_1_and_2_threads() {
    let name = "scratch_training_has_the_same_bits_on_1_and_2_threads";
    same_bits_on_1_and_2_threads(name, "the from-scratch network's weights and counts", train_scratch, 7);
}
