//! Our side of `scripts/bench plots`: prints JSON lines `{"name", "value", "unit"}` (median of N runs):
//! - `imshow_png`: a 28×28 `imshow` to PNG (640 × 480, matplotlib's default figure);
//! - `anim_gif`, `anim_html`: a 30-frame 28×28 animation (461 × 346 per frame) to GIF and to the
//!   HTML player.
//!
//! `cargo run --release -p nnlab --example bench_plots [runs]`

use std::time::Instant;

use ndarray::Array2;
use nnlab::plot::{imshow, Animation};

fn median_ms(runs: usize, mut f: impl FnMut() -> nnlab::Result<usize>) -> nnlab::Result<(f64, usize)> {
    let mut times = Vec::new();
    let mut size = 0;
    for _ in 0..runs {
        let t0 = Instant::now();
        size = f()?;
        times.push(t0.elapsed().as_secs_f64() * 1000.0);
    }
    times.sort_by(|a, b| a.total_cmp(b));
    Ok((times[times.len() / 2], size))
}

fn main() -> nnlab::Result<()> {
    let runs: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(5).max(3);
    let digit = Array2::from_shape_fn((28, 28), |(r, c)| ((r * 28 + c) * 37 % 256) as u8);
    let frames: Vec<Array2<f64>> = (0..30)
        .map(|k| Array2::from_shape_fn((28, 28), |(r, c)| ((r * c + 7 * k) as f64 / 50.0).sin()))
        .collect();
    let emit = |name: &str, (ms, bytes): (f64, usize)| {
        println!("{{\"name\": \"{name}\", \"value\": {ms:.3}, \"unit\": \"ms\", \"bytes\": {bytes}}}");
    };
    emit("imshow_png", median_ms(runs, || Ok(imshow(&digit)?.to_png()?.bytes().len()))?);
    let anim = Animation::new(&frames)?.labels(|i| format!("epoch {}", i + 1));
    emit("anim_gif", median_ms(runs, || Ok(anim.to_gif()?.bytes().len()))?);
    emit("anim_html", median_ms(runs, || Ok(anim.to_html()?.as_str().len()))?);
    Ok(())
}
