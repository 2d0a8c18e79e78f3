//! Benchmark for `bench/group-datasets`: load the full Fashion-MNIST from Debian's four `.gz` files with
//! `nnlab::datasets::idx`, `RUNS` times (argument 1, default 5), and print the median seconds.
//!
//! `cargo run --release --example bench_datasets -- 5 /usr/share/datasets/fashion-mnist`

use std::time::Instant;

use nnlab::datasets::idx;

fn main() -> nnlab::Result<()> {
    let mut args = std::env::args().skip(1);
    let runs: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let dir = args.next().unwrap_or_else(|| "/usr/share/datasets/fashion-mnist".into());
    let mut times = Vec::new();
    let mut check = 0u64;
    for _ in 0..runs.max(1) {
        let t0 = Instant::now();
        let x = idx::read_images(format!("{dir}/train-images-idx3-ubyte.gz"))?;
        let y = idx::read_labels(format!("{dir}/train-labels-idx1-ubyte.gz"))?;
        let xt = idx::read_images(format!("{dir}/t10k-images-idx3-ubyte.gz"))?;
        let yt = idx::read_labels(format!("{dir}/t10k-labels-idx1-ubyte.gz"))?;
        times.push(t0.elapsed().as_secs_f64());
        check += (x.len() + y.len() + xt.len() + yt.len()) as u64;
    }
    times.sort_by(f64::total_cmp);
    println!(
        "{{\"median_s\": {:.6}, \"runs\": {}, \"bytes\": {}}}",
        times[times.len() / 2],
        times.len(),
        check
    );
    Ok(())
}
