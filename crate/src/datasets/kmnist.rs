//! KMNIST (Kuzushiji-MNIST): 70,000 28x28 cursive Japanese characters in 10 classes (CODH / ROIS-DS,
//! CC BY-SA 4.0; Clanuwat et al. 2018), the same shapes as MNIST. Classes: 0 お o, 1 き ki, 2 す su,
//! 3 つ tsu, 4 な na, 5 は ha, 6 ま ma, 7 や ya, 8 れ re, 9 を wo ([`CLASS_NAMES`]).
//!
//! Looked for as the four IDX `.gz` files (`train-images-idx3-ubyte.gz`, ...) in the explicit source,
//! `$NNLAB_DATA/kmnist` and nnlab's cache, else downloaded from CODH
//! (`http://codh.rois.ac.jp/kmnist/dataset/kmnist/`, the files torchvision uses), checked against the sha256
//! digests pinned by torchvision's Ruby port. No fallback: without the files it is an error saying how to get
//! them.

use super::sources::{load_idx_set, IdxSet};
use super::{Dataset, LoadOptions};
use crate::Result;

/// The class names (romanised), index = label.
pub const CLASS_NAMES: [&str; 10] = ["o", "ki", "su", "tsu", "na", "ha", "ma", "ya", "re", "wo"];

pub(crate) const SET: IdxSet = IdxSet {
    name: "KMNIST",
    subdir: "kmnist",
    files: [
        ("train-images-idx3-ubyte.gz", "51467d22d8cc72929e2a028a0428f2086b092bb31cfb79c69cc0a90ce135fde4"),
        ("train-labels-idx1-ubyte.gz", "e38f9ebcd0f3ebcdec7fc8eabdcdaef93bb0df8ea12bee65224341c8183d8e17"),
        ("t10k-images-idx3-ubyte.gz", "edd7a857845ad6bb1d0ba43fe7e794d164fe2dce499a1694695a792adfac43c5"),
        ("t10k-labels-idx1-ubyte.gz", "20bb9a0ef54c7db3efc55a92eef5582c109615df22683c380526788f98e42a1c"),
    ],
    canonical: "http://codh.rois.ac.jp/kmnist/dataset/kmnist/",
    system_dirs: &[],
    keras: false,
    hint: "allow the download from http://codh.rois.ac.jp/kmnist/ (about 20 MB), or put the four \
           *-ubyte.gz files of KMNIST in $NNLAB_DATA/kmnist",
};

/// Load KMNIST: `((x_train, y_train), (x_test, y_test))`, `[60000, 28, 28]`, `[60000]`,
/// `[10000, 28, 28]`, `[10000]`, u8. Same as `load_data_with(&LoadOptions::default())`.
///
/// ```no_run
/// let ((x_train, y_train), (x_test, y_test)) = nnlab::datasets::kmnist::load_data()?;
/// assert_eq!(x_test.shape(), &[10000, 28, 28]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn load_data() -> Result<Dataset> {
    load_data_with(&LoadOptions::default())
}

/// [`load_data`] with options (cache folder, source, mirror, downloads, quiet, ...).
pub fn load_data_with(opts: &LoadOptions) -> Result<Dataset> {
    load_idx_set(&SET, opts)
}
