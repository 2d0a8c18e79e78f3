//! Same seed → the same `History` bit for bit, whatever the thread count of the matrix products.
//!
//! `matrixmultiply` reads `MATMUL_NUM_THREADS` once per process, so each setting runs this test binary
//! again as a child process (with `NNLAB_THREADS_CHILD` set), which trains and prints the History's bits.

use nnlab::prelude::*;
use std::process::Command;

const NAME: &str = "history_has_the_same_bits_on_1_and_2_threads";

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
    let hash = bits.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ b).wrapping_mul(0x100_0000_01b3));
    format!("BITS {} {hash:016x}", bits.len())
}

fn child(threads: &str) -> String {
    let out = Command::new(std::env::current_exe().expect("test binary"))
        .args(["--exact", NAME, "--nocapture", "--test-threads=1"])
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

#[test]
fn history_has_the_same_bits_on_1_and_2_threads() {
    if std::env::var_os("NNLAB_THREADS_CHILD").is_some() {
        println!("{}", train(5));
        return;
    }
    let (one, two) = (child("1"), child("2"));
    assert_eq!(one, two, "History and weights differ between 1 and 2 threads");
    assert_eq!(one, train(5), "and from this process (default thread count)");
    // The comparison can fail: another shuffling seed gives other bits.
    assert_ne!(one, train(6));
}
