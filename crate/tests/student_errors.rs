//! Wrong arguments a student can pass return an `Err` (or a numpy-like value), never a panic.

use nnlab::layers::Layer;
use nnlab::ndarray::{array, ArrayD};
use nnlab::prelude::*;

fn t() -> Tensor {
    Tensor::new(array![[-2.0f32, 0.5], [2.0, 3.0]].into_dyn())
}

#[test]
fn clip_with_lo_above_hi_is_hi_everywhere_like_numpy() {
    // np.clip([[-2, .5], [2, 3]], 1, 0) == [[0, 0], [0, 0]]
    assert_eq!(t().clip(1.0, 0.0).to_array(), ArrayD::<f32>::zeros(vec![2, 2]));
    assert_eq!(t().clip(0.0, 1.0).to_array(), array![[0.0f32, 0.5], [1.0, 1.0]].into_dyn());
}

#[test]
fn select_rows_of_a_scalar_is_a_shape_error() {
    let e = Tensor::scalar(1.0).select_rows(&[]).unwrap_err();
    assert!(matches!(e, Error::Shape { .. }), "{e}");
    assert!(e.to_string().contains("select_rows"), "{e}");
}

#[test]
fn sparse_crossentropy_on_scalar_predictions_is_a_shape_error() {
    let loss = nnlab::losses::get("sparse_categorical_crossentropy").unwrap();
    let e = loss.call(&Tensor::scalar(1.0), &Tensor::scalar(1.0)).unwrap_err();
    assert!(matches!(e, Error::Shape { .. }), "{e}");
    assert!(e.to_string().contains("[batch, classes]"), "{e}");
}

#[test]
fn accuracy_of_scalars_counts_one_example() {
    use nnlab::metrics::Tally;
    let scalar = |v: f32| ArrayD::from_elem(vec![], v);
    for (name, p) in [("binary_accuracy", 0.9), ("categorical_accuracy", 1.0), ("precision", 0.9)] {
        let m = nnlab::metrics::get(name).unwrap();
        let mut t = m.tally();
        m.update_tally(&mut t, &scalar(1.0), &scalar(p)).unwrap();
        assert_eq!(t, Tally::Ratio(1.0, 1.0), "{name}");
    }
}

#[test]
fn dropout_rate_is_checked_in_call_too() {
    let e = Dropout::new(1.0).call(&t(), true).unwrap_err();
    assert!(matches!(e, Error::Value { .. }), "{e}");
    assert!(Dropout::new(0.5).call(&t(), true).is_ok());
}

#[test]
fn a_validation_split_that_leaves_nothing_to_train_on_is_an_error() {
    let mut m = Sequential::new(vec![Dense::new(1).into()]);
    m.compile("sgd", "mse", &[]).unwrap();
    let (x, y) = (nnlab::ndarray::Array2::<f32>::zeros((2, 3)), nnlab::ndarray::Array2::<f32>::zeros((2, 1)));
    let e = m.fit(&x, &y, Fit::default().validation_split(0.9).verbose(0)).unwrap_err();
    assert!(matches!(e, Error::Value { .. }), "{e}");
    assert!(m.fit(&x, &y, Fit::default().validation_split(0.5).verbose(0)).is_ok());
}

#[test]
fn an_axis_out_of_range_names_the_op_and_the_shape() {
    for (e, op) in [
        (t().sum_axes(&[2], false).unwrap_err(), "sum_axes"),
        (t().sum_axes(&[-3], false).unwrap_err(), "sum_axes"),
        (Tensor::concat(&[t(), t()], 2).unwrap_err(), "concat"),
        (t().narrow(-3, 0, 1).unwrap_err(), "narrow"),
    ] {
        assert!(matches!(e, Error::Shape { .. }), "{e}");
        let msg = e.to_string();
        assert!(msg.contains(op) && msg.contains("[-2, 2)") && msg.contains("for shape [2, 2]"), "{msg}");
    }
    assert_eq!(t().sum_axes(&[-1], false).unwrap().shape(), vec![2]);
}
