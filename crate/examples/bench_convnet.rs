//! Benchmark: the keras.io "Simple MNIST convnet" (Conv2D 32 3×3 relu, MaxPooling 2, Conv2D 64 3×3 relu,
//! MaxPooling 2, Flatten, Dropout 0.5, Dense 10 softmax; adam, categorical cross-entropy, batch 128) on raw
//! f32 data written by bench/convnet_bench.py.
//! Usage: bench_convnet DIR EPOCHS   (DIR holds x_train.f32, y_train.f32, x_test.f32, y_test.f32: 784 pixels
//! and 10 one-hot values per row)
//! Prints one JSON line: {"epoch_s": [...], "test_accuracy": ...}.

use nnlab::prelude::*;
use std::time::Instant;

fn read(dir: &str, name: &str, shape: &[usize]) -> ArrayD<f32> {
    let bytes = std::fs::read(format!("{dir}/{name}")).expect("bench data");
    let v: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    let per: usize = shape.iter().product();
    let full: Vec<usize> = std::iter::once(v.len() / per).chain(shape.iter().copied()).collect();
    ArrayD::from_shape_vec(full, v).expect("rows")
}

fn main() -> nnlab::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, epochs): (&str, usize) = (&args[1], args[2].parse().expect("epochs"));
    let (x, y) = (read(dir, "x_train.f32", &[28, 28, 1]), read(dir, "y_train.f32", &[10]));
    let (xt, yt) = (read(dir, "x_test.f32", &[28, 28, 1]), read(dir, "y_test.f32", &[10]));
    let mut model = Sequential::new(layers![
        Conv2D::new(32, (3, 3)).activation("relu").input_shape(&[28, 28, 1]),
        MaxPooling2D::new((2, 2)),
        Conv2D::new(64, (3, 3)).activation("relu"),
        MaxPooling2D::new((2, 2)),
        Flatten::new(),
        Dropout::new(0.5),
        Dense::new(10).activation("softmax"),
    ]);
    model.compile("adam", "categorical_crossentropy", &["accuracy"])?;
    let mut times = vec![];
    for e in 0..epochs {
        let t = Instant::now();
        model.fit(&x, &y, Fit::default().epochs(1).batch_size(128).verbose(0).seed(e as u64))?;
        times.push(t.elapsed().as_secs_f64());
    }
    let acc = model.evaluate_with(&xt, &yt, 128)?[1];
    println!("{{\"epoch_s\": {times:?}, \"test_accuracy\": {acc}}}");
    Ok(())
}
