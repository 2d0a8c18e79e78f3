//! MNIST: 70,000 handwritten digits 0-9 (LeCun, Cortes, Burges), as `keras.datasets.mnist.load_data()`.
//!
//! Looked for as `mnist.npz` (Keras' file: `x_train` `[60000, 28, 28]`, `y_train`, `x_test`
//! `[10000, 28, 28]`, `y_test`, uint8) in the explicit source, `$NNLAB_DATA`, nnlab's cache and Keras'
//! cache, else downloaded from Keras' location (sha256 pinned). When none of that works, `load_data`
//! returns the 10,000 digits embedded in nnlab ([`embedded`]), 8,000 for training and
//! 2,000 for testing, and prints one line saying so.

use std::path::PathBuf;

use super::sources::{cache_dir, candidates, not_downloading, url, with_hint};
use super::{download, embedded, npz, Dataset, LoadOptions};
use crate::{Error, Result};

/// Keras' download location of `mnist.npz`.
pub const URL: &str = "https://storage.googleapis.com/tensorflow/tf-keras-datasets/";
/// The file name.
pub const FILE: &str = "mnist.npz";
/// sha256 of Keras' `mnist.npz` (pinned by Keras).
pub const SHA256: &str = "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1";

const HINT: &str = "For all 70,000: connect to the internet and run load_data() again, or copy Keras' \
                    mnist.npz into ~/.keras/datasets/ (or into a folder named by $NNLAB_DATA).";

/// Load MNIST: `((x_train, y_train), (x_test, y_test))`, images `[n, 28, 28]` u8 (0-255), labels `[n]`
/// u8 (0-9); the full set has n = 60,000 and 10,000. Same as `load_data_with(&LoadOptions::default())`.
///
/// ```
/// use nnlab::datasets::{mnist, LoadOptions};
/// // Offline, with an empty cache: the embedded 10,000 digits.
/// let opts = LoadOptions::default().cache_dir("/nonexistent").search_system_paths(false)
///     .allow_download(false).quiet(true);
/// let ((x_train, y_train), (x_test, y_test)) = mnist::load_data_with(&opts)?;
/// assert_eq!(x_train.shape(), &[8000, 28, 28]);
/// assert_eq!(y_test.len(), 2000);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn load_data() -> Result<Dataset> {
    load_data_with(&LoadOptions::default())
}

/// [`load_data`] with options (cache folder, source, mirror, downloads, quiet, fallback, ...).
pub fn load_data_with(opts: &LoadOptions) -> Result<Dataset> {
    match load_full(opts) {
        Ok(d) => Ok(d),
        Err(e) if opts.fallback => {
            if !opts.quiet {
                println!(
                    "MNIST: {e}; using the 10,000 digits embedded in nnlab instead (8,000 train, 2,000 test). {HINT}"
                );
            }
            embedded::mnist_sample()
        }
        Err(e) => Err(with_hint(e, HINT)),
    }
}

/// The full MNIST, never the embedded sample.
fn load_full(opts: &LoadOptions) -> Result<Dataset> {
    let mut files: Vec<PathBuf> = Vec::new();
    for dir in candidates("", opts, true, &[])? {
        // An explicit source may name the file itself.
        files.push(if dir.extension().is_some_and(|e| e == "npz") { dir } else { dir.join(FILE) });
    }
    if let Some(f) = files.iter().find(|f| f.is_file()) {
        return npz::read_dataset(f);
    }
    if !opts.allow_download || opts.source.is_some() {
        let looked: Vec<String> = files.iter().map(|d| d.display().to_string()).collect();
        return Err(Error::value(
            "mnist::load_data",
            format!("mnist.npz in one of [{}]", looked.join(", ")),
            format!("no such file, and {}", not_downloading(opts)),
        ));
    }
    let dest = cache_dir(opts)?.join(FILE);
    let url = url(opts, URL, "", FILE);
    download::fetch(&url, &dest, &opts.digest_for(FILE, SHA256), opts)?;
    npz::read_dataset(&dest)
}
