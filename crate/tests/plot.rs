//! Rendered pictures checked by their pixels, and against small golden images
//! (`crate/tests/fixtures/plot/*.png`; regenerate with `NNLAB_BLESS=1 cargo test -p nnlab --test plot`).

use ndarray::{array, Array1, Array2};
use nnlab::display::{column, Rich};
use nnlab::plot::{imshow, subplots, Animation, Colormap, Figure, BAD_COLOR};

fn decode(png: &[u8]) -> image::RgbImage {
    image::load_from_memory(png).expect("a valid PNG").to_rgb8()
}

/// Pixels of exactly colour `c`: (count, mean x, mean y).
fn region(img: &image::RgbImage, c: [u8; 3]) -> (usize, f64, f64) {
    let (mut n, mut sx, mut sy) = (0usize, 0.0, 0.0);
    for (x, y, p) in img.enumerate_pixels() {
        if p.0 == c {
            n += 1;
            sx += x as f64;
            sy += y as f64;
        }
    }
    (n, sx / n.max(1) as f64, sy / n.max(1) as f64)
}

#[test]
fn imshow_two_cells_has_viridis_end_points_at_their_centres() {
    let png = imshow(&array![[0u8, 255]]).unwrap().to_png().unwrap();
    let img = decode(png.bytes());
    assert_eq!(img.dimensions(), (640, 480));
    let lo = region(&img, [0x44, 0x01, 0x54]);
    let hi = region(&img, [0xfd, 0xe7, 0x25]);
    // Two square blocks of the same size, side by side, the low one on the left.
    assert!(lo.0 > 10_000 && hi.0 > 10_000, "{lo:?} {hi:?}");
    assert!((lo.0 as f64 / hi.0 as f64 - 1.0).abs() < 0.05, "{lo:?} {hi:?}");
    assert!(lo.1 < hi.1 && (lo.2 - hi.2).abs() < 1.0);
    // The pixel at each block's centre has the block's colour.
    assert_eq!(img.get_pixel(lo.1 as u32, lo.2 as u32).0, [0x44, 0x01, 0x54]);
    assert_eq!(img.get_pixel(hi.1 as u32, hi.2 as u32).0, [0xfd, 0xe7, 0x25]);
    // The block width is half the distance between the centres... i.e. they touch: cells are crisp.
    let side = (lo.0 as f64).sqrt();
    assert!(((hi.1 - lo.1) - side).abs() < 2.0, "side {side}, centres {} apart", hi.1 - lo.1);
}

#[test]
fn imshow_gray_colorbar_and_fixed_range() {
    let mut fig = Figure::new();
    fig.imshow(&array![[0.25f32, 0.5], [0.75, 1.0]])
        .unwrap()
        .cmap("gray")
        .unwrap()
        .vmin(0.0)
        .vmax(1.0)
        .colorbar();
    let img = decode(fig.to_png().unwrap().bytes());
    let gray = Colormap::from_name("gray").unwrap();
    for v in [0.25, 0.5, 0.75] {
        let c = gray.color(v);
        assert!(region(&img, c).0 > 5_000, "cell of value {v} (colour {c:?}) missing");
    }
    // The colour bar spans black to white.
    assert!(region(&img, [0, 0, 0]).0 > 0);
    let near_black = img.pixels().filter(|p| p.0[0] == p.0[1] && p.0[0] < 8).count();
    assert!(near_black > 30, "colour bar bottom missing");
}

#[test]
fn nan_and_inf_render_as_the_bad_colour() {
    let a = array![[0.0, f64::NAN], [f64::INFINITY, 1.0]];
    let img = decode(imshow(&a).unwrap().to_png().unwrap().bytes());
    let bad = region(&img, BAD_COLOR);
    assert!(bad.0 > 20_000, "two cells of the bad colour expected, got {bad:?}");
    let all_nan = Array2::from_elem((3, 3), f64::NAN);
    assert!(region(&decode(imshow(&all_nan).unwrap().to_png().unwrap().bytes()), BAD_COLOR).0 > 0);
}

#[test]
fn line_plot_is_drawn_in_the_default_colour() {
    let x = Array1::linspace(0.0, 1.0, 20);
    let mut fig = Figure::new().size(4.0, 3.0);
    fig.plot(&x, &x).unwrap().label("identity");
    fig.plot(&x, &x.mapv(|v| 1.0 - v)).unwrap().color("red").unwrap();
    fig.title("t").xlabel("x").ylabel("y").grid().legend();
    let img = decode(fig.to_png().unwrap().bytes());
    assert_eq!(img.dimensions(), (400, 300));
    assert!(region(&img, [0x1f, 0x77, 0xb4]).0 > 200);
    assert!(region(&img, [255, 0, 0]).0 > 200);
    assert!(region(&img, [0xb0, 0xb0, 0xb0]).0 > 100, "grid lines");
}

#[test]
fn text_renders_without_system_fonts() {
    // Only the embedded font is registered: a title makes dark pixels above the plot.
    let mut fig = Figure::new().size(3.0, 2.0);
    fig.plot(&[0.0, 1.0], &[0.0, 1.0]).unwrap();
    let before = decode(fig.to_png().unwrap().bytes());
    fig.title("MMMMMMMM");
    let after = decode(fig.to_png().unwrap().bytes());
    let dark = |img: &image::RgbImage| img.pixels().filter(|p| p.0[0] == p.0[2] && p.0[0] < 100).count();
    assert!(dark(&after) > dark(&before) + 50);
}

fn activation_grid(size: (f64, f64), dpi: f64) -> Figure {
    let x = Array1::linspace(-3.0, 3.0, 200);
    let funcs: [Activation; 6] = [
        ("Sigmoid", |v| 1.0 / (1.0 + (-v).exp())),
        ("Tanh", f64::tanh),
        ("ReLU", |v| v.max(0.0)),
        ("Leaky ReLU", |v| if v > 0.0 { v } else { 0.01 * v }),
        ("Swish", |v| v / (1.0 + (-v).exp())),
        ("ELU", |v| if v > 0.0 { v } else { v.exp() - 1.0 }),
    ];
    let mut fig = subplots(2, 3).unwrap().size(size.0, size.1).dpi(dpi);
    for (i, (title, f)) in funcs.iter().enumerate() {
        let ax = fig.ax(i).unwrap();
        ax.plot(&x, &x.mapv(f)).unwrap();
        ax.title(title).grid().ylim(-1.5, 3.0);
    }
    fig
}

fn digit() -> Array2<u8> {
    Array2::from_shape_fn((28, 28), |(r, c)| {
        let d = ((r as f64 - 14.0).powi(2) / 80.0 + (c as f64 - 14.0).powi(2) / 30.0).sqrt();
        if (0.6..1.0).contains(&d) {
            (255.0 * (1.0 - (d - 0.8).abs() * 4.0)) as u8
        } else {
            0
        }
    })
}

/// Compare with the golden image `name` (or write it when NNLAB_BLESS=1): same size, mean absolute
/// difference under 3 per channel and under 2 % of the pixels off by more than 64.
fn golden(name: &str, png: &[u8]) {
    let path = format!("{}/tests/fixtures/plot/{name}", env!("CARGO_MANIFEST_DIR"));
    if std::env::var("NNLAB_BLESS").as_deref() == Ok("1") {
        std::fs::write(&path, png).unwrap();
        return;
    }
    let want =
        decode(&std::fs::read(&path).unwrap_or_else(|e| panic!("{path}: {e} (bless with NNLAB_BLESS=1)")));
    let got = decode(png);
    assert_eq!(got.dimensions(), want.dimensions(), "{name}: size");
    let (mut sum, mut far) = (0u64, 0usize);
    for (a, b) in got.pixels().zip(want.pixels()) {
        let d: Vec<u64> = (0..3).map(|i| (a.0[i] as i64 - b.0[i] as i64).unsigned_abs()).collect();
        sum += d.iter().sum::<u64>();
        far += usize::from(d.iter().any(|v| *v > 64));
    }
    let n = (got.width() * got.height()) as f64;
    let mean = sum as f64 / (3.0 * n);
    assert!(mean < 3.0, "{name}: mean difference {mean}");
    assert!((far as f64) < 0.02 * n, "{name}: {far} pixels differ a lot");
}

#[test]
fn golden_activation_grid() {
    golden("activations.png", activation_grid((8.0, 6.0), 50.0).to_png().unwrap().bytes());
}

#[test]
fn golden_digit() {
    let mut fig = Figure::new().size(3.2, 2.4).dpi(50.0);
    fig.imshow(&digit()).unwrap().colorbar();
    golden("digit.png", fig.to_png().unwrap().bytes());
}

#[test]
fn golden_catches_a_changed_picture() {
    let path = format!("{}/tests/fixtures/plot/digit.png", env!("CARGO_MANIFEST_DIR"));
    let want = decode(&std::fs::read(path).unwrap());
    let mut fig = Figure::new().size(3.2, 2.4).dpi(50.0);
    fig.imshow(&digit()).unwrap().cmap("magma").unwrap().colorbar();
    let got = decode(fig.to_png().unwrap().bytes());
    let far =
        got.pixels().zip(want.pixels()).filter(|(a, b)| (0..3).any(|i| a.0[i].abs_diff(b.0[i]) > 64)).count();
    assert!(far as f64 > 0.02 * (got.width() * got.height()) as f64);
}

#[test]
fn svg_has_text_and_lines() {
    let svg = activation_grid((8.0, 6.0), 100.0).to_svg().unwrap();
    let s = svg.as_str();
    assert!(s.starts_with("<svg") && s.contains("Leaky ReLU") && s.contains("<polyline"));
}

#[test]
fn subplot_index_out_of_range_is_an_error() {
    let mut fig = subplots(2, 3).unwrap();
    assert!(fig.ax(5).is_ok());
    let e = fig.ax(6).unwrap_err().to_string();
    assert!(e.contains("an index below 6"), "{e}");
    assert!(fig.ax_at(2, 0).is_err());
    assert!(subplots(0, 3).is_err());
}

#[test]
fn save_checks_extension_and_path() {
    let dir = std::env::temp_dir().join(format!("nnlab-plot-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fig = imshow(&digit()).unwrap();
    for ext in ["png", "svg"] {
        let p = dir.join(format!("d.{ext}"));
        fig.save(p.to_str().unwrap()).unwrap();
        assert!(std::fs::metadata(&p).unwrap().len() > 100);
    }
    assert!(fig.save(dir.join("d.jpg").to_str().unwrap()).unwrap_err().to_string().contains(".png or .svg"));
    assert!(fig.save("/nonexistent-dir/d.png").unwrap_err().to_string().contains("cannot write"));
    let bad_lim = {
        let mut f = Figure::new();
        f.plot(&[0.0, 1.0], &[0.0, 1.0]).unwrap();
        f.ylim(1.0, 1.0);
        f
    };
    assert!(bad_lim.to_png().unwrap_err().to_string().contains("ylim"));
    std::fs::remove_dir_all(dir).unwrap();
}

fn frames(n: usize) -> Vec<Array2<f32>> {
    (0..n).map(|k| Array2::from_shape_fn((28, 28), |(r, c)| ((r * c + k) as f32 / 40.0).sin())).collect()
}

#[test]
fn gif_has_every_frame_and_loops() {
    let anim = Animation::new(&frames(4)).unwrap().labels(|i| format!("epoch {}", i + 1)).fps(4.0);
    let gif = anim.to_gif().unwrap();
    let mut opts = gif::DecodeOptions::new();
    opts.set_color_output(gif::ColorOutput::RGBA);
    let mut dec = opts.read_info(gif.bytes()).unwrap();
    assert_eq!((dec.width(), dec.height()), (461, 346));
    let mut n = 0;
    let mut first_pixels = None;
    while let Some(f) = dec.read_next_frame().unwrap() {
        assert_eq!(f.delay, 25);
        if n == 0 {
            first_pixels = Some(f.buffer.to_vec());
        }
        n += 1;
    }
    assert_eq!(n, 4);
    // The frames are pictures, not blank: many colours of the colormap appear.
    let px = first_pixels.unwrap();
    let distinct: std::collections::HashSet<&[u8]> = px.chunks(4).collect();
    assert!(distinct.len() > 50, "{} colours", distinct.len());
    assert!(gif.bytes().windows(11).any(|w| w == b"NETSCAPE2.0"), "loop extension");
}

#[test]
fn html_player_has_every_frame_and_unique_ids() {
    let anim = Animation::new(&frames(5)).unwrap().labels(|i| format!("epoch {}", i + 1));
    let a = anim.to_html().unwrap();
    let s = a.as_str();
    // Five frames in the script, plus the first as the initial picture.
    assert_eq!(s.matches("data:image/png;base64,").count(), 6);
    assert!(s.contains("epoch 5") && s.contains("-slider") && s.contains("-loop"));
    let b = anim.to_html().unwrap();
    let id = |h: &str| h.split('"').nth(1).unwrap().to_string();
    assert_ne!(id(s), id(b.as_str()));
    // A figure and an animation bundled in one output.
    let fig = imshow(&digit()).unwrap();
    let both = column(&[&fig, &anim]);
    assert_eq!(both.as_str().matches("data:image/png;base64,").count(), 7);
    assert_eq!(anim.mime(), "text/html");
    assert_eq!(fig.mime(), "image/png");
}

#[test]
fn animation_errors() {
    let none: Vec<Array2<f64>> = Vec::new();
    assert!(Animation::new(&none).unwrap_err().to_string().contains("at least one frame"));
    let mut fs = frames(2);
    fs.push(Array2::zeros((3, 3)));
    assert!(Animation::new(&fs).unwrap_err().to_string().contains("frame 2 of shape [3, 3]"));
    let anim = Animation::new(&frames(1)).unwrap();
    assert!(anim.save("/nonexistent-dir/w.gif").unwrap_err().to_string().contains("cannot write"));
}

/// The pictures of the notebook's numpy section, on a synthetic stand-in for MNIST (the section itself
/// uses `nnlab::np` for max/std/to_f64/vectorize; here plain ndarray does the same).
#[test]
fn numpy_section_pictures_render() {
    use ndarray::{s, Array3};
    let x_train: Array3<u8> = Array3::from_shape_fn((10, 28, 28), |(n, r, c)| digit()[[(r + n) % 28, c]]);
    let x_train = x_train.mapv(|v| v as f64) / 255.0;
    let full = imshow(&x_train.slice(s![5, .., ..])).unwrap();
    let slicing = x_train.slice(s![.., -14.., 14..]).to_owned();
    assert_eq!(slicing.shape(), &[10, 14, 14]);
    let quarter = imshow(&slicing.slice(s![5, .., ..])).unwrap();
    let flipped = x_train.slice(s![.., ..;-1, ..;-1]).to_owned();
    assert_eq!(flipped[[5, 0, 0]], x_train[[5, 27, 27]]);
    let upside_down = imshow(&flipped.slice(s![5, .., ..])).unwrap();
    for fig in [&full, &quarter, &upside_down] {
        let img = decode(fig.to_png().unwrap().bytes());
        assert!(region(&img, [0x44, 0x01, 0x54]).0 > 10_000, "dark background");
    }
    let both = nnlab::display::row(&[&full.size(3.2, 2.4), &upside_down.size(3.2, 2.4)]);
    assert_eq!(both.as_str().matches("<img").count(), 2);
}

/// A named activation function.
type Activation = (&'static str, fn(f64) -> f64);

const TAB_BLUE: [u8; 3] = [0x1f, 0x77, 0xb4];

/// The row of the bottom spine: the lowest row that is black across most of the picture.
fn bottom_spine(img: &image::RgbImage) -> u32 {
    let black_in_row = |y: u32| (0..img.width()).filter(|&x| img.get_pixel(x, y).0[0] < 60).count();
    (0..img.height()).rev().find(|&y| black_in_row(y) > img.width() as usize / 2).expect("a spine")
}

#[test]
fn scatter_draws_points_and_no_line_between_them() {
    let mut fig = Figure::new();
    fig.scatter(&[0.0, 10.0], &[0.0, 10.0]).unwrap();
    let img = decode(fig.to_png().unwrap().bytes());
    let (n, x, y) = region(&img, TAB_BLUE);
    assert!(n > 40, "two markers of tab:blue pixels, found {n}");
    // Their mean is the middle of the plot, but the middle itself is white: no line joins them.
    assert_eq!(img.get_pixel(x as u32, y as u32).0, [255, 255, 255]);
    let mut fig = Figure::new();
    fig.plot(&[0.0, 10.0], &[0.0, 10.0]).unwrap();
    let img = decode(fig.to_png().unwrap().bytes());
    let (_, x, y) = region(&img, TAB_BLUE);
    assert_eq!(img.get_pixel(x as u32, y as u32).0, TAB_BLUE, "a plot's line does pass there");
}

#[test]
fn dashed_lines_have_gaps() {
    let mut fig = Figure::new();
    fig.plot(&[0.0, 1.0], &[0.5, 0.5]).unwrap().linestyle("--").unwrap().linewidth(3.0);
    let img = decode(fig.to_png().unwrap().bytes());
    let (_, _, y) = region(&img, TAB_BLUE);
    let row: Vec<bool> = (0..img.width()).map(|x| img.get_pixel(x, y.round() as u32).0 == TAB_BLUE).collect();
    let runs = row.windows(2).filter(|w| w[0] && !w[1]).count();
    assert!(runs > 10, "a dashed line across the plot is many dashes, found {runs}");
}

#[test]
fn bars_stand_on_the_axis_with_their_heights() {
    let mut fig = Figure::new();
    fig.bar(&[0, 1], &[1.0, 2.0]).unwrap();
    let img = decode(fig.to_png().unwrap().bytes());
    let bottom = bottom_spine(&img);
    // Each bar is a column of tab:blue pixels reaching down to the bottom spine; the second is twice as tall.
    let height_at = |x: u32| (0..bottom).filter(|&y| img.get_pixel(x, y).0 == TAB_BLUE).count() as f64;
    let blue: Vec<u32> = (0..img.width()).filter(|&x| height_at(x) > 0.0).collect();
    let (first, second) = (height_at(blue[0] + 5), height_at(blue[blue.len() - 1] - 5));
    assert!((second / first - 2.0).abs() < 0.03, "{first} {second}");
    assert_eq!(img.get_pixel(blue[0] + 5, bottom - 1).0, TAB_BLUE, "the bar reaches the x axis");
}

#[test]
fn hist_counts_like_numpy_and_errors_name_the_mistake() {
    let mut fig = Figure::new();
    let h = fig.hist(&Array1::linspace(0.0, 1.0, 101), 4).unwrap();
    assert_eq!(h.counts(), &[25.0, 25.0, 25.0, 26.0]); // np.histogram(np.linspace(0, 1, 101), 4)
    assert_eq!(h.edges(), &[0.0, 0.25, 0.5, 0.75, 1.0]);
    let e = fig.hist(&[f64::NAN], 3).unwrap_err().to_string();
    assert!(e.contains("at least one finite value"), "{e}");
    let e = fig.bar(&[0, 1, 2], &[1.0]).unwrap_err().to_string();
    assert!(e.contains("x of length 3 and height of length 1"), "{e}");
    let e = fig.plot_y(&[1.0]).unwrap().linestyle("dashd").unwrap_err().to_string();
    assert!(e.contains("dashed"), "a suggestion: {e}");
}

#[test]
fn confusion_matrix_writes_each_count_in_its_cell() {
    let cm = nnlab::metrics::confusion_matrix(&array![0u8, 0, 0, 1], &array![0u8, 0, 0, 1]).unwrap();
    assert_eq!(cm, array![[3, 0], [0, 1]]);
    let fig = nnlab::plot::confusion_matrix(&cm, &["cat", "dog"]).unwrap();
    let img = decode(fig.to_png().unwrap().bytes());
    // The darkest cell (3, top left) has white text inside it; the empty cells are Blues' white-ish end
    // with black text.
    let darkest = region(&img, Colormap::from_name("Blues").unwrap().color(1.0));
    assert!(darkest.0 > 5_000, "{darkest:?}");
    let (cx, cy) = (darkest.1 as u32, darkest.2 as u32);
    let white_near = (cx - 15..cx + 15).flat_map(|x| (cy - 10..cy + 10).map(move |y| (x, y)));
    let bright = white_near.filter(|&(x, y)| img.get_pixel(x, y).0.iter().all(|&c| c > 200)).count();
    assert!(bright > 10, "a white 3 in the dark cell: {bright} bright pixels");
    let e = nnlab::plot::confusion_matrix(&cm, &["cat"]).unwrap_err().to_string();
    assert!(e.contains("one class name per row of the matrix (2)"), "{e}");
    let e = nnlab::metrics::confusion_matrix(&array![0, 1], &array![0]).unwrap_err().to_string();
    assert!(e.contains("2 true labels and 1 predictions"), "{e}");
}

/// The plots after the lecture, small: scatter with line styles and a legend, bars with tick labels,
/// a histogram, and a confusion matrix with long class names (written upwards).
fn after_the_lecture() -> (Figure, Figure) {
    let mut fig = subplots(1, 3).unwrap().size(9.0, 3.0).dpi(50.0);
    let xs = Array1::linspace(0.0, 6.0, 13);
    let ax = fig.ax(0).unwrap();
    ax.scatter(&xs, &xs.mapv(f64::cos)).unwrap().label("cos");
    ax.plot(&xs, &xs.mapv(f64::sin)).unwrap().linestyle("--").unwrap().marker("s").unwrap().label("sin");
    ax.legend();
    let ax = fig.ax(1).unwrap();
    ax.bar(&[0, 1, 2], &[3.0, 1.0, 2.0]).unwrap();
    ax.xticks(&[0, 1, 2], &["relu", "tanh", "swish"]).unwrap();
    fig.ax(2).unwrap().hist(&xs.mapv(|v| (v * 1.7).sin()), 5).unwrap();
    let truth = Array1::from_shape_fn(60, |k| k % 3);
    let pred = Array1::from_shape_fn(60, |k| if k % 7 == 0 { (k + 1) % 3 } else { k % 3 });
    let cm = nnlab::metrics::confusion_matrix(&truth, &pred).unwrap();
    let mut matrix = nnlab::plot::confusion_matrix(&cm, &["T-shirt/top", "Trouser", "Ankle boot"]).unwrap();
    matrix = matrix.dpi(50.0);
    (fig, matrix)
}

#[test]
fn golden_scatter_bar_hist_and_confusion_matrix() {
    let (fig, matrix) = after_the_lecture();
    golden("scatter_bar_hist.png", fig.to_png().unwrap().bytes());
    golden("confusion_matrix.png", matrix.to_png().unwrap().bytes());
}
