//! Datasets the way Keras loads them: `((x_train, y_train), (x_test, y_test))`, images as
//! `Array3<u8>` `[n, 28, 28]` with pixels 0-255, labels as `Array1<u8>` with classes 0-9.
//!
//! ```no_run
//! let ((x_train, y_train), (x_test, y_test)) = nnlab::datasets::mnist::load_data()?;
//! assert_eq!(x_train.shape()[1..], [28, 28]);
//! # Ok::<(), nnlab::Error>(())
//! ```
//!
//! Where the data comes from, first found wins (see [`LoadOptions`] to change any of it):
//! 1. an explicit [`LoadOptions::source`], else the folder `$NNLAB_DATA`;
//! 2. nnlab's cache folder ([`cache::default_cache_dir`]: `$XDG_CACHE_HOME/nnlab` or `~/.cache/nnlab`);
//! 3. Keras' cache (`~/.keras/datasets/mnist.npz`, `~/.keras/datasets/fashion-mnist/*.gz`), read as it is;
//! 4. Debian's package `dataset-fashion-mnist` (`/usr/share/datasets/fashion-mnist/*.gz`);
//! 5. a download from the canonical location (or the `$NNLAB_DATA_URL` mirror) into nnlab's cache, checked
//!    against pinned sha256 digests; only complete, verified files are ever renamed into the cache;
//! 6. MNIST only: the 10,000 real digits embedded in nnlab ([`embedded`]), with a one-line notice.
//!
//! The modules: [`mnist`], [`fashion_mnist`], [`kmnist`] (the loaders); [`idx`] and [`npz`] (the file
//! formats); [`cache`] (folders, atomic writes); [`download`]; [`embedded`].

pub mod cache;
pub mod download;
pub mod embedded;
pub mod fashion_mnist;
pub mod idx;
pub mod kmnist;
pub mod mnist;
pub mod npz;
mod options;
mod sources;

pub use options::LoadOptions;

use ndarray::{Array1, Array3};

use crate::{Error, Result};

/// What every `load_data` returns: `((x_train, y_train), (x_test, y_test))`, images `[n, 28, 28]` u8,
/// labels `[n]` u8, exactly like Keras.
pub type Dataset = ((Array3<u8>, Array1<u8>), (Array3<u8>, Array1<u8>));

/// Check that images and labels go together: as many labels as images.
pub(crate) fn check_pair(x: &Array3<u8>, y: &Array1<u8>, op: &str) -> Result<()> {
    if x.shape()[0] != y.len() {
        return Err(Error::shape(
            op,
            format!("{} labels, one per image", x.shape()[0]),
            format!("{} labels", y.len()),
        ));
    }
    Ok(())
}
