//! Fashion-MNIST: 70,000 28x28 greyscale pictures of clothes in 10 classes (Zalando Research, MIT), as
//! `keras.datasets.fashion_mnist.load_data()`. Classes: 0 T-shirt/top, 1 Trouser, 2 Pullover, 3 Dress,
//! 4 Coat, 5 Sandal, 6 Shirt, 7 Sneaker, 8 Bag, 9 Ankle boot ([`CLASS_NAMES`]).
//!
//! Looked for as the four IDX `.gz` files in the explicit source, `$NNLAB_DATA/fashion-mnist`, nnlab's
//! cache, Keras' cache (`~/.keras/datasets/fashion-mnist`) and Debian's package `dataset-fashion-mnist`
//! (`/usr/share/datasets/fashion-mnist`), else downloaded from Keras' location with Keras' pinned sha256
//! digests. No fallback: without the files it is an error saying how to get them.
//!
//! Debian re-compressed the files (same content, other gzip bytes), so their `.gz` digests differ from
//! Keras'; their decompressed content has the sha256 digests in [`RAW_SHA256`] (checked by
//! `scripts/install-data`).

use super::sources::{load_idx_set, IdxSet};
use super::{Dataset, LoadOptions};
use crate::Result;

/// The class names, index = label.
pub const CLASS_NAMES: [&str; 10] = [
    "T-shirt/top",
    "Trouser",
    "Pullover",
    "Dress",
    "Coat",
    "Sandal",
    "Shirt",
    "Sneaker",
    "Bag",
    "Ankle boot",
];

/// `(file, sha256 of the decompressed IDX content)`: the same for Keras', Zalando's and Debian's files.
pub const RAW_SHA256: [(&str, &str); 4] = [
    ("train-images-idx3-ubyte", "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888"),
    ("train-labels-idx1-ubyte", "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9"),
    ("t10k-images-idx3-ubyte", "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b"),
    ("t10k-labels-idx1-ubyte", "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34"),
];

pub(crate) const SET: IdxSet = IdxSet {
    name: "Fashion-MNIST",
    subdir: "fashion-mnist",
    files: [
        ("train-images-idx3-ubyte.gz", "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84"),
        ("train-labels-idx1-ubyte.gz", "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845"),
        ("t10k-images-idx3-ubyte.gz", "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073"),
        ("t10k-labels-idx1-ubyte.gz", "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5"),
    ],
    canonical: "https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
    system_dirs: &["/usr/share/datasets/fashion-mnist"],
    keras: true,
    hint:
        "install Debian's package (sudo apt-get install dataset-fashion-mnist, or scripts/install-data), or \
           allow the download from https://storage.googleapis.com/tensorflow/tf-keras-datasets/",
};

/// Load Fashion-MNIST: `((x_train, y_train), (x_test, y_test))`, `[60000, 28, 28]`, `[60000]`,
/// `[10000, 28, 28]`, `[10000]`, u8. Same as `load_data_with(&LoadOptions::default())`.
///
/// ```no_run
/// let ((x_train, y_train), (x_test, y_test)) = nnlab::datasets::fashion_mnist::load_data()?;
/// assert_eq!(x_train.shape(), &[60000, 28, 28]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn load_data() -> Result<Dataset> {
    load_data_with(&LoadOptions::default())
}

/// [`load_data`] with options (cache folder, source, mirror, downloads, quiet, ...).
///
/// ```
/// use nnlab::datasets::{fashion_mnist, LoadOptions};
/// let opts = LoadOptions::default().cache_dir("/nonexistent").search_system_paths(false).allow_download(false);
/// let e = fashion_mnist::load_data_with(&opts).unwrap_err();
/// assert!(e.to_string().contains("apt-get install dataset-fashion-mnist"));
/// ```
pub fn load_data_with(opts: &LoadOptions) -> Result<Dataset> {
    load_idx_set(&SET, opts)
}
