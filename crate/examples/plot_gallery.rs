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
    // What students reach for after the lecture: scatter, line styles, bars, histograms.
    let mut fig = subplots(2, 2)?.size(9.6, 7.2);
    let xs = Array1::linspace(0.0, 6.0, 25);
    let ys = xs.mapv(|v: f64| v.sin() + 0.3 * (7.0 * v).cos());
    let ax = fig.ax(0)?;
    ax.scatter(&xs, &ys)?.label("measured");
    ax.plot(&xs, &xs.mapv(f64::sin))?.linestyle("--")?.label("sin x");
    ax.plot(&xs, &xs.mapv(f64::cos))?.linestyle(":")?.marker("s")?.label("cos x");
    ax.title("scatter and line styles").legend();
    let ax = fig.ax(1)?;
    ax.bar(&[0, 1, 2, 3], &[5.0, 3.0, 4.5, 1.0])?.label("epoch 1");
    ax.xticks(&[0, 1, 2, 3], &["relu", "tanh", "swish", "linear"])?;
    ax.title("bar").ylabel("accuracy").legend();
    let ax = fig.ax(2)?;
    let normal = nnlab::random::RandomState::new(0).randn(2000);
    ax.hist(&normal, 30)?;
    ax.title("hist of 2000 normal numbers");
    let ax = fig.ax(3)?;
    ax.plot_y(&[3.0, 1.0, 2.0])?.marker("o")?;
    ax.text(1.0, 1.2, "the minimum");
    ax.title("marker and text");
    fig.save(&format!("{dir}/scatter_bar_hist.png"))?;
    let truth = Array1::from_shape_fn(1000, |k| k % 10);
    let pred = Array1::from_shape_fn(1000, |k| if k % 7 == 0 { (k / 7) % 10 } else { k % 10 });
    let cm = nnlab::metrics::confusion_matrix(&truth, &pred)?;
    nnlab::plot::confusion_matrix(&cm, &nnlab::datasets::fashion_mnist::CLASS_NAMES)?
        .save(&format!("{dir}/confusion_matrix.png"))?;
    Ok(())
}

/// A named activation function.
type Activation = (&'static str, fn(f64) -> f64);
