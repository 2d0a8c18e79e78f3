//! The data as the lecture's network eats it: each image a `(784, 1)` column, each training label a
//! one-hot `(10, 1)` column, each test label a plain class number; and mini-batches as slices.

use ndarray::{Array1, Array2, Array3};

use crate::{Error, Result};

/// The training examples: `(input column (784, 1), one-hot target column (10, 1))` pairs.
pub type TrainingData = Vec<(Array2<f64>, Array2<f64>)>;

/// The test examples: `(input column (784, 1), class number)` pairs.
pub type TestData = Vec<(Array2<f64>, usize)>;

/// The one-hot column `(10, 1)` with a 1 in row `j`, like the lecture's `unit_vector(j)`.
/// Errors when `j ≥ 10` (the lecture's datasets have ten classes).
///
/// ```
/// use nnlab::prelude::*;
/// let e = scratch::unit_vector(2)?;
/// assert_eq!(e.shape(), &[10, 1]);
/// assert_eq!((e[[2, 0]], e.sum()), (1.0, 1.0));
/// assert!(scratch::unit_vector(10).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn unit_vector(j: usize) -> Result<Array2<f64>> {
    if j >= 10 {
        return Err(Error::value("scratch::unit_vector", "a class number from 0 to 9", j.to_string()));
    }
    let mut e = Array2::zeros((10, 1));
    e[[j, 0]] = 1.0;
    Ok(e)
}

/// The lecture's `prepare_data()`: each `(28, 28)` image becomes a `(784, 1)` column (row-major, as
/// `np.reshape`), each training label its [`unit_vector`], each test label a `usize`. Pass the images
/// already scaled (`x / 255.0`, as the lecture does first); any number of examples.
///
/// Errors: images and labels of different lengths, a label outside 0..=9.
///
/// ```
/// use nnlab::prelude::*;
/// let x = Array3::<f64>::zeros((3, 28, 28));
/// let y = Array1::from(vec![0u8, 5, 9]);
/// let (training_data, test_data) = scratch::prepare_data(&x, &y, &x, &y)?;
/// assert_eq!(training_data[0].0.shape(), &[784, 1]);
/// assert_eq!(training_data[1].1[[5, 0]], 1.0);
/// assert_eq!(test_data[2].1, 9);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn prepare_data(
    x_train: &Array3<f64>,
    y_train: &Array1<u8>,
    x_test: &Array3<f64>,
    y_test: &Array1<u8>,
) -> Result<(TrainingData, TestData)> {
    let training_inputs = columns("scratch::prepare_data (training set)", x_train, y_train)?;
    let test_inputs = columns("scratch::prepare_data (test set)", x_test, y_test)?;
    let training_results = y_train.iter().map(|&y| unit_vector(y as usize)).collect::<Result<Vec<_>>>()?;
    let training_data = training_inputs.into_iter().zip(training_results).collect();
    let test_data = test_inputs.into_iter().zip(y_test.iter().map(|&y| y as usize)).collect();
    Ok((training_data, test_data))
}

/// Each image of `x` as one `(pixels, 1)` column, after checking there is one label per image.
fn columns(op: &str, x: &Array3<f64>, y: &Array1<u8>) -> Result<Vec<Array2<f64>>> {
    let (n, h, w) = x.dim();
    if n != y.len() {
        return Err(Error::shape(op, format!("{n} labels, one per image"), format!("{} labels", y.len())));
    }
    Ok(x.outer_iter().map(|img| Array2::from_shape_fn((h * w, 1), |(k, _)| img[[k / w, k % w]])).collect())
}

/// The consecutive mini-batches of `training_data`, each `mini_batch_size` long except perhaps the
/// last, like the lecture's `split_data(training_data, mini_batch_size)` (`training_data[i:i+m]` for
/// `i` in `range(0, n, m)`). Errors when `mini_batch_size` is 0.
///
/// ```
/// use nnlab::scratch::split_data;
/// let batches = split_data(&[1, 2, 3, 4, 5], 2)?;
/// assert_eq!(batches, vec![&[1, 2][..], &[3, 4], &[5]]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn split_data<T>(training_data: &[T], mini_batch_size: usize) -> Result<Vec<&[T]>> {
    if mini_batch_size == 0 {
        return Err(Error::value("scratch::split_data", "a mini-batch size of at least 1", "0"));
    }
    Ok(training_data.chunks(mini_batch_size).collect())
}
