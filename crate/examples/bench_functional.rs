//! Benchmark: the lecture's functional model (Input 784, Dense 784 relu, Dense 10 softmax; rmsprop,
//! categorical cross-entropy, batch 128) on raw f32 data written by bench/functional_bench.py, trained
//! twice from the same initial weights: with `Model::fit`, then with a hand-written GradientTape loop
//! (a `Dataset`, a loss object, `optimizer.apply_gradients`, as the notebook's loop).
//! Usage: bench_functional DIR EPOCHS   (DIR holds x_train.f32, y_train.f32, x_test.f32, y_test.f32)
//! Prints one JSON line: {"epoch_s": [...], "tape_epoch_s": [...], "test_accuracy": ..., "tape_test_accuracy": ...}.

use nnlab::prelude::*;
use std::time::Instant;

fn read(dir: &str, name: &str, width: usize) -> Array2<f32> {
    let bytes = std::fs::read(format!("{dir}/{name}")).expect("bench data");
    let v: Vec<f32> = bytes.chunks_exact(4).map(|c| f32::from_le_bytes([c[0], c[1], c[2], c[3]])).collect();
    Array2::from_shape_vec((v.len() / width, width), v).expect("rows")
}

/// The lecture's model, initial weights from seed 42.
fn lecture_model() -> nnlab::Result<Model> {
    let inputs = Input::new(&[784]);
    let x = Dense::new(784).activation("relu").apply(&inputs)?;
    let outputs = Dense::new(10).activation("softmax").apply(&x)?;
    let mut model = Model::with_seed(&[inputs], &[outputs], 42)?;
    model.compile("rmsprop", "categorical_crossentropy", &["accuracy"])?;
    Ok(model)
}

fn main() -> nnlab::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let (dir, epochs): (&str, usize) = (&args[1], args[2].parse().expect("epochs"));
    let (x, y) = (read(dir, "x_train.f32", 784), read(dir, "y_train.f32", 10));
    let (xt, yt) = (read(dir, "x_test.f32", 784), read(dir, "y_test.f32", 10));

    let mut model = lecture_model()?;
    let mut times = vec![];
    for e in 0..epochs {
        let t = Instant::now();
        model.fit(&x, &y, Fit::default().epochs(1).batch_size(128).verbose(0).seed(e as u64))?;
        times.push(t.elapsed().as_secs_f64());
    }
    let acc = model.evaluate(&xt, &yt)?[1];

    // The same model again from the same initial weights, trained by the notebook's hand-written loop.
    let mut model = lecture_model()?;
    let mut optimizer = nnlab::optimizers::get("rmsprop")?;
    let loss_fn = nnlab::losses::get("categorical_crossentropy")?;
    let train_dataset = Dataset::from_tensor_slices((&x, &y))?.shuffle(1024, 0).batch(128)?;
    let mut tape_times = vec![];
    let mut last_loss = 0.0;
    for _ in 0..epochs {
        let t = Instant::now();
        for (x_batch, y_batch) in train_dataset.into_iter() {
            let tape = GradientTape::new();
            let logits = model.call(&x_batch, true)?;
            let loss_value = loss_fn.call(&y_batch, &logits)?;
            let grads = tape.gradient(&loss_value, &model.trainable_weights())?;
            optimizer.apply_gradients(&grads, &model.trainable_weights())?;
            last_loss = loss_value.item();
        }
        tape_times.push(t.elapsed().as_secs_f64());
    }
    let tape_acc = model.evaluate(&xt, &yt)?[1];
    println!(
        "{{\"epoch_s\": {times:?}, \"tape_epoch_s\": {tape_times:?}, \"test_accuracy\": {acc}, \
         \"tape_test_accuracy\": {tape_acc}, \"tape_last_loss\": {last_loss}}}"
    );
    Ok(())
}
