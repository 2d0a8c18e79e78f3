//! Draws the lecture's pictures into a folder (default `target/plot-gallery`), to look at them:
//! `cargo run -p nnlab --example plot_gallery [folder]`.

use ndarray::{Array1, Array2};
use nnlab::plot::{imshow, subplots, Animation, Figure};

fn main() -> nnlab::Result<()> {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "target/plot-gallery".into());
    std::fs::create_dir_all(&dir).map_err(|e| nnlab::Error::io("plot_gallery", e))?;
    let digit = Array2::from_shape_fn((28, 28), |(r, c)| {
        let d = ((r as f64 - 14.0).powi(2) / 80.0 + (c as f64 - 14.0).powi(2) / 30.0).sqrt();
        if (0.6..1.0).contains(&d) {
            (255.0 * (1.0 - (d - 0.8).abs() * 4.0)) as u8
        } else {
            0
        }
    });
    imshow(&digit)?.save(&format!("{dir}/digit.png"))?;
    let mut fig = Figure::new();
    fig.imshow(&digit)?.cmap("gray")?.colorbar();
    fig.title("a digit");
    fig.save(&format!("{dir}/digit_gray_colorbar.png"))?;

    let x = Array1::linspace(-3.0, 3.0, 200);
    let funcs: [Activation; 6] = [
        ("Sigmoid", |v| 1.0 / (1.0 + (-v).exp())),
        ("Tanh", f64::tanh),
        ("ReLU", |v| v.max(0.0)),
        ("Leaky ReLU", |v| if v > 0.0 { v } else { 0.01 * v }),
        ("Swish", |v| v / (1.0 + (-v).exp())),
        ("ELU", |v| if v > 0.0 { v } else { v.exp() - 1.0 }),
    ];
    let mut grid = subplots(2, 3)?.size(8.0, 6.0);
    for (i, (title, f)) in funcs.iter().enumerate() {
        let ax = grid.ax(i)?;
        ax.plot(&x, &x.mapv(f))?;
        ax.title(title).grid().ylim(-1.5, 3.0);
    }
    grid.save(&format!("{dir}/activations.png"))?;
    grid.save(&format!("{dir}/activations.svg"))?;

    let t: Vec<f64> = (0..10).map(|i| i as f64 * 3.2).collect();
    let score: Vec<f64> = (0..10).map(|i| 9000.0 + 900.0 * (1.0 - (-(i as f64) / 2.0).exp())).collect();
    let mut fig = Figure::new();
    fig.plot(&t, &score)?.color("red")?.label("1- batchLen: 64, eta: 0.6, epochs: 10");
    fig.title("train evaluation").xlabel("time (s)").ylabel("score").grid().legend();
    fig.save(&format!("{dir}/score.png"))?;

    let frames: Vec<Array2<f64>> = (0..30)
        .map(|k| {
            Array2::from_shape_fn((28, 28), |(r, c)| {
                ((r * c + k * 7) as f64 / 50.0).sin() * (1.0 + k as f64 / 10.0)
            })
        })
        .collect();
    let anim = Animation::new(&frames)?.labels(|i| format!("epoch {}", i + 1)).colorbar();
    anim.save(&format!("{dir}/weights.gif"))?;
    anim.save(&format!("{dir}/weights.html"))?;
    anim.frame(29)?.save(&format!("{dir}/weights_last.png"))?;
    let mut bad = digit.mapv(|v| v as f64);
    bad[[3, 3]] = f64::NAN;
    bad[[3, 4]] = f64::INFINITY;
    imshow(&bad)?.save(&format!("{dir}/nan.png"))?;
    println!("wrote {dir}");
    Ok(())
}

/// A named activation function.
type Activation = (&'static str, fn(f64) -> f64);
