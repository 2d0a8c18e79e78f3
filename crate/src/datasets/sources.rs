//! The search order shared by the loaders: explicit source, `$NNLAB_DATA`, nnlab's cache, Keras' cache,
//! system folders, then a download into nnlab's cache.

use std::path::{Path, PathBuf};

use super::{cache, check_pair, download, idx, Dataset, LoadOptions};
use crate::{Error, Result};

/// A dataset stored as four IDX `.gz` files (Fashion-MNIST, KMNIST).
pub(crate) struct IdxSet {
    /// The name for messages, e.g. `"Fashion-MNIST"`.
    pub name: &'static str,
    /// Its folder in the caches and on a mirror, e.g. `"fashion-mnist"`.
    pub subdir: &'static str,
    /// `(file, sha256)` of train images, train labels, test images, test labels.
    pub files: [(&'static str, &'static str); 4],
    /// The canonical download folder (ends with `/`).
    pub canonical: &'static str,
    /// Read-only folders of the system that may hold the files (e.g. Debian's).
    pub system_dirs: &'static [&'static str],
    /// Whether Keras caches this dataset under `~/.keras/datasets/{subdir}`.
    pub keras: bool,
    /// How to get the data, for the error message.
    pub hint: &'static str,
}

/// The folders to look in, in order.
pub(crate) fn candidates(
    subdir: &str,
    opts: &LoadOptions,
    keras: bool,
    system: &[&str],
) -> Result<Vec<PathBuf>> {
    if let Some(src) = &opts.source {
        return Ok(vec![src.clone()]);
    }
    let mut dirs = Vec::new();
    if opts.system_paths {
        dirs.extend(cache::data_env_dir().map(|d| d.join(subdir)));
    }
    dirs.push(cache_dir(opts)?.join(subdir));
    if opts.system_paths {
        if keras {
            dirs.extend(cache::keras_dir().map(|d| d.join(subdir)));
        }
        dirs.extend(system.iter().map(PathBuf::from));
    }
    Ok(dirs)
}

/// The cache folder of `opts`, else the default one.
pub(crate) fn cache_dir(opts: &LoadOptions) -> Result<PathBuf> {
    match &opts.cache_dir {
        Some(d) => Ok(d.clone()),
        None => cache::default_cache_dir(),
    }
}

/// The URL of `file` of `subdir`: on the mirror `{mirror}/{subdir}/{file}`, else `{canonical}{file}`.
pub(crate) fn url(opts: &LoadOptions, canonical: &str, subdir: &str, file: &str) -> String {
    match opts.mirror() {
        Some(m) if subdir.is_empty() => format!("{m}/{file}"),
        Some(m) => format!("{m}/{subdir}/{file}"),
        None => format!("{canonical}{file}"),
    }
}

/// Find (or download) and read an [`IdxSet`].
pub(crate) fn load_idx_set(set: &IdxSet, opts: &LoadOptions) -> Result<Dataset> {
    let dirs = candidates(set.subdir, opts, set.keras, set.system_dirs)?;
    if let Some(dir) = dirs.iter().find(|d| set.files.iter().all(|(f, _)| d.join(f).is_file())) {
        return read_idx_set(set, dir);
    }
    if !opts.allow_download || opts.source.is_some() {
        let looked: Vec<String> = dirs.iter().map(|d| d.display().to_string()).collect();
        return Err(Error::value(
            format!("{}::load_data", set.subdir.replace('-', "_")),
            format!("the four {} files in one of [{}]", set.name, looked.join(", ")),
            format!("none there, and {}; {}", not_downloading(opts), set.hint),
        ));
    }
    let dir = cache_dir(opts)?.join(set.subdir);
    for (file, sha) in set.files {
        let dest = dir.join(file);
        if !dest.is_file() {
            let url = url(opts, set.canonical, set.subdir, file);
            download::fetch(&url, &dest, &opts.digest_for(file, sha), opts)
                .map_err(|e| with_hint(e, set.hint))?;
        }
    }
    read_idx_set(set, &dir)
}

fn read_idx_set(set: &IdxSet, dir: &Path) -> Result<Dataset> {
    let [xa, ya, xb, yb] = set.files.map(|(f, _)| dir.join(f));
    let train = (idx::read_images(xa)?, idx::read_labels(ya)?);
    let test = (idx::read_images(xb)?, idx::read_labels(yb)?);
    check_pair(&train.0, &train.1, &format!("{}: train set in {}", set.name, dir.display()))?;
    check_pair(&test.0, &test.1, &format!("{}: test set in {}", set.name, dir.display()))?;
    Ok((train, test))
}

/// Why nothing is downloaded: `"downloading is off"` or the explicit source.
pub(crate) fn not_downloading(opts: &LoadOptions) -> &'static str {
    if opts.source.is_some() {
        "nothing is downloaded when an explicit source is given"
    } else {
        "downloading is off"
    }
}

/// Add a hint (how else to get the data) to a download error.
pub(crate) fn with_hint(e: Error, hint: &str) -> Error {
    match e {
        Error::Download { op, message } => Error::Download { op, message: format!("{message}; {hint}") },
        e => e,
    }
}
