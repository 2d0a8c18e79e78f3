//! Benchmark: the lecture's model (Flatten, Dense 784 swish, Dropout 0.3, Dense 100 swish, Dense 10 softmax;
//! adam, mse, batch 128) on raw f32 data written by bench/keras_bench.py.
//! Usage: bench_keras DIR EPOCHS   (DIR holds x_train.f32, y_train.f32, x_test.f32, y_test.f32, 784/10 per row)
//! Prints one JSON line: {"epoch_s": [...], "test_accuracy": ..., "fit_peak_rss_mb": ...}; the peak is the
//! process's resident memory high-water mark (VmHWM), reset after loading the data (Linux /proc/self/clear_refs).

use nnlab::prelude::*;
use std::time::Instant;

fn read(dir: &str, name: &str, width: usize) -> Array2<f32> {
    let bytes = std::fs::read(format!("{dir}/{name}")).expect("bench data");
    let v: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Array2::from_shape_vec((v.len() / width, width), v).expect("rows")
}

/// VmHWM of this process in MiB (0 where /proc is missing).
fn peak_rss_mb() -> f64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    let kb = status
        .lines()
        .find_map(|l| l.strip_prefix("VmHWM:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<f64>().ok());
    kb.unwrap_or(0.0) / 1024.0
}

fn main() -> nnlab::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, epochs): (&str, usize) = (&args[1], args[2].parse().expect("epochs"));
    let (x, y) = (read(dir, "x_train.f32", 784), read(dir, "y_train.f32", 10));
    let (xt, yt) = (read(dir, "x_test.f32", 784), read(dir, "y_test.f32", 10));
    let mut model = Sequential::new(vec![
        Flatten::new().input_shape(&[784]).into(),
        Dense::new(784).activation("swish").into(),
        Dropout::new(0.3).into(),
        Dense::new(100).activation("swish").into(),
        Dense::new(10).activation("softmax").into(),
    ]);
    model.compile("adam", "mse", &["accuracy"])?;
    // "5" resets the high-water mark to the current RSS: the peak below is the one during fit.
    let _ = std::fs::write("/proc/self/clear_refs", "5");
    let mut times = vec![];
    for e in 0..epochs {
        let t = Instant::now();
        model.fit(&x, &y, Fit::default().epochs(1).batch_size(128).verbose(0).seed(e as u64))?;
        times.push(t.elapsed().as_secs_f64());
    }
    let peak = peak_rss_mb();
    let acc = model.evaluate_with(&xt, &yt, 128)?[1];
    println!("{{\"epoch_s\": {times:?}, \"test_accuracy\": {acc}, \"fit_peak_rss_mb\": {peak}}}");
    Ok(())
}
