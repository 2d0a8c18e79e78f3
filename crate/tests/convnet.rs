//! Convolutions and pooling: values against the formula written as plain loops, the keras.io MNIST
//! convnet's summary, the same bits however the batch is split, training, saving, and mistakes.
//! (Gradients: `autodiff.rs`; Keras' own numbers: `keras_conformance.rs`.)

use nnlab::prelude::*;
use nnlab::tensor::Padding;

/// A fixed, non-symmetric array of `shape` with values in about [-1, 1].
fn sample(shape: &[usize], k: f32) -> ArrayD<f32> {
    let n: usize = shape.iter().product();
    ArrayD::from_shape_vec(shape.to_vec(), (0..n).map(|i| ((i as f32 + 1.0) * 0.617 + k).sin()).collect())
        .unwrap()
}

/// Keras' "same" padding before the image, for one axis.
fn pad_before(size: usize, k: usize, s: usize) -> usize {
    let out = size.div_ceil(s);
    (((out - 1) * s + k).saturating_sub(size)) / 2
}

/// The convolution straight from its definition: for every output pixel and filter, the sum over the
/// window and the channels (pixels outside the image count as 0).
fn conv_by_definition(x: &ArrayD<f32>, k: &ArrayD<f32>, s: usize, same: bool) -> ArrayD<f32> {
    let (n, h, w, c) = (x.shape()[0], x.shape()[1], x.shape()[2], x.shape()[3]);
    let (kh, kw, f) = (k.shape()[0], k.shape()[1], k.shape()[3]);
    let (oh, ow, top, left) = if same {
        (h.div_ceil(s), w.div_ceil(s), pad_before(h, kh, s), pad_before(w, kw, s))
    } else {
        ((h - kh) / s + 1, (w - kw) / s + 1, 0, 0)
    };
    ArrayD::from_shape_fn(vec![n, oh, ow, f], |ix| {
        let (b, i, j, fi) = (ix[0], ix[1], ix[2], ix[3]);
        let mut sum = 0.0f64;
        for u in 0..kh {
            for v in 0..kw {
                let (r, col) = ((i * s + u) as isize - top as isize, (j * s + v) as isize - left as isize);
                if r < 0 || col < 0 || r >= h as isize || col >= w as isize {
                    continue;
                }
                for ch in 0..c {
                    sum += (x[[b, r as usize, col as usize, ch]] * k[[u, v, ch, fi]]) as f64;
                }
            }
        }
        sum as f32
    })
}

fn assert_close(what: &str, a: &ArrayD<f32>, b: &ArrayD<f32>) {
    assert_eq!(a.shape(), b.shape(), "{what}");
    for (x, y) in a.iter().zip(b) {
        assert!((x - y).abs() <= 1e-5 * (1.0 + y.abs()), "{what}: {x} vs {y}");
    }
}

#[test]
fn conv2d_is_the_sum_over_each_window() {
    let x = sample(&[2, 7, 6, 3], 0.0);
    let k = sample(&[3, 2, 3, 4], 1.0);
    for (s, padding) in [(1, Padding::Valid), (2, Padding::Valid), (1, Padding::Same), (2, Padding::Same)] {
        let y = Tensor::new(x.clone()).conv2d(&Tensor::new(k.clone()), None, (s, s), padding).unwrap();
        let expected = conv_by_definition(&x, &k, s, padding == Padding::Same);
        assert_close(&format!("strides {s}, {padding:?}"), &y.to_array(), &expected);
    }
}

#[test]
fn pooling_is_the_max_or_mean_of_each_window() {
    let x = sample(&[2, 5, 5, 3], 0.5);
    let t = Tensor::new(x.clone());
    let max = t.max_pool2d((2, 2), (2, 2), Padding::Valid).unwrap().to_array();
    let avg = t.avg_pool2d((2, 2), (2, 2), Padding::Same).unwrap().to_array();
    assert_eq!(max.shape(), &[2, 2, 2, 3]); // the fifth row and column are dropped
    assert_eq!(avg.shape(), &[2, 3, 3, 3]); // ... or pooled alone with "same"
    for (b, i, j, c) in [(0, 0, 0, 0), (1, 1, 0, 2), (0, 1, 1, 1)] {
        let window = [
            x[[b, 2 * i, 2 * j, c]],
            x[[b, 2 * i, 2 * j + 1, c]],
            x[[b, 2 * i + 1, 2 * j, c]],
            x[[b, 2 * i + 1, 2 * j + 1, c]],
        ];
        assert_eq!(max[[b, i, j, c]], window.iter().cloned().fold(f32::MIN, f32::max));
        assert!((avg[[b, i, j, c]] - window.iter().sum::<f32>() / 4.0).abs() < 1e-6);
    }
    // The last row and column of "same": the mean of the pixels inside only (Keras' rule), not /4.
    assert!((avg[[1, 2, 2, 0]] - x[[1, 4, 4, 0]]).abs() < 1e-6);
    assert!((avg[[1, 2, 0, 1]] - (x[[1, 4, 0, 1]] + x[[1, 4, 1, 1]]) / 2.0).abs() < 1e-6);
    // A NaN is a window's maximum: it is not silently skipped.
    let mut with_nan = x.clone();
    with_nan[[0, 1, 1, 0]] = f32::NAN;
    let m = Tensor::new(with_nan).max_pool2d((2, 2), (2, 2), Padding::Valid).unwrap().to_array();
    assert!(m[[0, 0, 0, 0]].is_nan() && !m[[0, 0, 0, 1]].is_nan());
}

/// A batch large enough to be split in halves side by side gives the bits of each image alone,
/// forward and backward.
#[test]
fn a_split_batch_gives_the_bits_of_each_image() {
    let (x, k) = (sample(&[64, 13, 13, 8], 0.0), sample(&[3, 3, 8, 16], 2.0));
    let run = |x: ArrayD<f32>| {
        let (x, k) = (Tensor::param(x), Tensor::param(k.clone()));
        let y = x
            .conv2d(&k, None, (1, 1), Padding::Same)
            .unwrap()
            .max_pool2d((2, 2), (2, 2), Padding::Valid)
            .unwrap();
        y.square().sum().backward().unwrap();
        (y.to_array(), x.grad().unwrap())
    };
    let (y, dx) = run(x.clone());
    for b in [0, 31, 32, 63] {
        let one = x.slice(s![b..b + 1, .., .., ..]).to_owned().into_dyn();
        let (y1, dx1) = run(one);
        assert_eq!(y1, y.slice(s![b..b + 1, .., .., ..]).into_dyn(), "output of image {b}");
        assert_eq!(dx1, dx.slice(s![b..b + 1, .., .., ..]).into_dyn(), "gradient of image {b}");
    }
}

/// The keras.io "Simple MNIST convnet".
fn keras_io_convnet() -> Sequential {
    Sequential::new(layers![
        Conv2D::new(32, (3, 3)).activation("relu").input_shape(&[28, 28, 1]),
        MaxPooling2D::new((2, 2)),
        Conv2D::new(64, (3, 3)).activation("relu"),
        MaxPooling2D::new((2, 2)),
        Flatten::new(),
        Dropout::new(0.5),
        Dense::new(10).activation("softmax"),
    ])
}

#[test]
fn the_keras_io_convnet_has_keras_names_shapes_and_parameter_counts() {
    let mut m = keras_io_convnet();
    m.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
    let s = m.summary_string();
    for (name, shape, params) in [
        ("conv2d (Conv2D)", "(None, 26, 26, 32)", "320"),
        ("max_pooling2d (MaxPooling2D)", "(None, 13, 13, 32)", "0"),
        ("conv2d_1 (Conv2D)", "(None, 11, 11, 64)", "18,496"),
        ("max_pooling2d_1 (MaxPooling2D)", "(None, 5, 5, 64)", "0"),
        ("flatten (Flatten)", "(None, 1600)", "0"),
        ("dense (Dense)", "(None, 10)", "16,010"),
    ] {
        let line = s.lines().find(|l| l.contains(name)).unwrap_or_else(|| panic!("{name} in\n{s}"));
        assert!(line.contains(shape) && line.contains(params), "{line}");
    }
    assert!(s.contains("34,826"), "{s}");
}

/// Vertical against horizontal bars, with noise: a convnet learns it in a few epochs.
fn bars(n: usize) -> (Array4<f32>, Array2<f32>) {
    let mut rng = RandomState::new(5);
    let noise = rng.uniform(0.0, 0.3, (n, 8, 8, 1)).unwrap();
    let x = Array4::from_shape_fn((n, 8, 8, 1), |(i, r, c, _)| {
        let line = if i % 2 == 0 { c == (i / 2) % 8 } else { r == (i / 2) % 8 };
        if line {
            1.0
        } else {
            noise[[i, r, c, 0]] as f32
        }
    });
    let labels = Array1::from_shape_fn(n, |i| (i % 2) as f32);
    (x, to_categorical(&labels, 2).unwrap())
}

#[test]
fn a_small_convnet_learns_and_reloads_with_the_same_predictions() {
    let (x, y) = bars(256);
    let mut m = Sequential::new(layers![
        Rescaling::new(2.0).offset(-0.5).input_shape(&[8, 8, 1]),
        Conv2D::new(4, 3).padding("same").activation("relu"),
        AveragePooling2D::new(2),
        Conv2D::new(8, 3).strides(2).activation("relu"),
        GlobalAveragePooling2D::new(),
        Dense::new(2).activation("softmax"),
    ])
    .seed(1);
    m.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
    let h = m.fit(&x, &y, Fit::default().epochs(20).batch_size(32).verbose(0)).unwrap();
    assert!(h["accuracy"][19] > 0.9, "{:?}", h["accuracy"]);
    let dir = std::env::temp_dir().join(format!("nnlab-convnet-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let path = dir.join("bars.keras");
    m.save(&path).unwrap();
    let mut again = load_model(&path).unwrap();
    assert_eq!(again.predict(&x).unwrap(), m.predict(&x).unwrap());
    assert!(again.summary_string().contains("global_average_pooling2d"));
    std::fs::remove_dir_all(dir).unwrap();
}

#[test]
fn reshape_gives_flat_images_their_channel_axis() {
    let mut m = Sequential::new(layers![
        Reshape::new(&[28, 28, 1]).input_shape(&[784]),
        Conv2D::new(2, 5).strides(3),
        Flatten::new(),
    ]);
    m.compile("sgd", "mse", &[]).unwrap();
    let p = m.predict(&Array2::<f32>::ones((3, 784))).unwrap();
    assert_eq!(p.shape(), &[3, 8 * 8 * 2]);
}

#[test]
fn mistakes_give_errors_that_say_what_to_do() {
    // MNIST's images as they load: [n, 28, 28], no channel axis.
    let mut m = keras_io_convnet();
    m.compile("adam", "categorical_crossentropy", &["accuracy"]).unwrap();
    let x = Array3::<f32>::zeros((4, 28, 28));
    let y = Array2::<f32>::zeros((4, 10));
    let e = m.fit(&x, &y, Fit::default().verbose(0)).unwrap_err().to_string();
    assert!(e.contains("[28, 28, 1]") || e.contains("expand_dims"), "{e}");
    let e = Conv2D::new(8, 3).build(&[28, 28], 0).unwrap_err().to_string();
    assert!(e.contains("Conv2D(8, 3×3)") && e.contains("expand_dims"), "{e}");
    // A typo in a padding name, with the suggestion.
    let e = Conv2D::new(8, 3).padding("smae").build(&[8, 8, 1], 0).unwrap_err().to_string();
    assert!(e.contains("\"same\""), "{e}");
    // Too many poolings: the image shrinks below the window.
    let mut tiny = Sequential::new(layers![
        Conv2D::new(4, 3).input_shape(&[6, 6, 1]),
        MaxPooling2D::new(2),
        Conv2D::new(4, 3),
    ]);
    let e = tiny.compile("adam", "mse", &[]).unwrap_err().to_string();
    assert!(e.contains("2×2") && e.contains("same"), "{e}");
    // Zero filters, a kernel with the wrong number of channels.
    assert!(Conv2D::new(0, 3).build(&[8, 8, 1], 0).is_err());
    let img = Tensor::new(ArrayD::zeros(vec![1, 8, 8, 3]));
    let e =
        img.conv2d(&Tensor::new(ArrayD::zeros(vec![3, 3, 1, 4])), None, (1, 1), Padding::Valid).unwrap_err();
    assert!(e.to_string().contains("[height, width, 3, filters]"), "{e}");
    assert!(Reshape::new(&[-1, -1]).build(&[4], 0).is_err());
}

#[test]
fn conv1d_saves_and_loads_with_keras_shapes() {
    use nnlab::layers::Conv1D;
    let mut m = Sequential::new(layers![
        Conv1D::new(4, 3).activation("relu").input_shape(&[12, 2]),
        Conv1D::new(2, 2).strides(2).padding("same"),
        Flatten::new(),
        Dense::new(1),
    ])
    .seed(3);
    m.compile("adam", "mse", &[]).unwrap();
    let s = m.summary_string();
    assert!(
        s.contains("conv1d (Conv1D)") && s.contains("(None, 10, 4)") && s.contains("(None, 5, 2)"),
        "{s}"
    );
    assert_eq!(m.layers()[0].weights()[0].shape(), vec![3, 2, 4]);
    let x = Array3::from_shape_fn((5, 12, 2), |(i, t, c)| ((i + 3 * t + 7 * c) % 5) as f32 / 5.0);
    m.fit(&x, &Array2::<f32>::ones((5, 1)), Fit::default().epochs(2).verbose(0)).unwrap();
    let path = std::env::temp_dir().join(format!("nnlab-conv1d-{}.safetensors", std::process::id()));
    m.save(&path).unwrap();
    let mut back = load_model(&path).unwrap();
    assert_eq!(back.predict(&x).unwrap(), m.predict(&x).unwrap());
    std::fs::remove_file(path).unwrap();
    let e = Conv1D::new(4, 3).build(&[12, 2, 1], 0).unwrap_err().to_string();
    assert!(e.contains("Conv1D(4, 3)") && e.contains("[steps, channels]"), "{e}");
}
