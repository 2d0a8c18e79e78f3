//! Benchmark: the lecture's from-scratch network on Fashion-MNIST ([784, 28, 28, 10], batch 64, eta 0.6,
//! RandomState(121) as the lecture uses it), batched and per example, plus evaluating the 10,000 test images.
//! Usage: bench_scratch [EPOCHS] [EVAL_RUNS]   (defaults 3 and 5)
//! Prints one JSON line: {"batched_epoch_s": [...], "per_example_epoch_s": [...], "eval_s": [...],
//! "batched_correct": [...], "per_example_correct": [...]}.

use std::time::Instant;

use nnlab::prelude::*;
use nnlab::scratch::TrainOptions;

fn main() -> nnlab::Result<()> {
    let args: Vec<String> = std::env::args().collect();
    let epochs: usize = args.get(1).map_or(3, |a| a.parse().expect("EPOCHS"));
    let eval_runs: usize = args.get(2).map_or(5, |a| a.parse().expect("EVAL_RUNS"));
    let ((x_train, y_train), (x_test, y_test)) = fashion_mnist::load_data()?;
    let (x_train, x_test) = (np::to_f64(&x_train) / 255.0, np::to_f64(&x_test) / 255.0);
    let (training_data, test_data) = scratch::prepare_data(&x_train, &y_train, &x_test, &y_test)?;
    let sizes = [784, 28, 28, 10];
    let rnd = RandomState::new(121);
    let biases = scratch::set_biases(&sizes[1..], &mut rnd.clone());
    let weights = scratch::set_weights(&scratch::prepare_weight_matrix_dim(&sizes)?, &mut rnd.clone());

    let run = |per_example: bool| {
        let (mut w, mut b) = (weights.clone(), biases.clone());
        let opts = TrainOptions::default().epochs(epochs).per_example(per_example).verbose(false);
        let log = scratch::train(&training_data, &test_data, &mut w, &mut b, &mut rnd.clone(), opts)?;
        eprintln!("nnlab per_example={per_example}: {:?}, epochs {:?} s", log.evaluation, log.epoch_seconds);
        Ok::<_, nnlab::Error>((log, w, b))
    };
    let (batched, w, b) = run(false)?;
    let (per_example, _, _) = run(true)?;
    let mut eval_s = vec![];
    for _ in 0..eval_runs {
        let t = Instant::now();
        let v = scratch::evaluation(&test_data, &b, &w)?;
        eval_s.push(t.elapsed().as_secs_f64());
        assert_eq!(v, batched.evaluation[epochs - 1]);
    }
    println!(
        "{{\"batched_epoch_s\": {:?}, \"per_example_epoch_s\": {:?}, \"eval_s\": {:?}, \"batched_correct\": {:?}, \
         \"per_example_correct\": {:?}}}",
        batched.epoch_seconds, per_example.epoch_seconds, eval_s, batched.evaluation, per_example.evaluation
    );
    Ok(())
}
