//! [`LoadOptions`]: where a loader looks for data, and whether and how it may download it.

use std::path::PathBuf;
use std::time::Duration;

/// Options for `load_data_with` of [`mnist`](super::mnist), [`fashion_mnist`](super::fashion_mnist) and
/// [`kmnist`](super::kmnist). `Default` is what `load_data()` uses; every setter returns the options so
/// they chain.
///
/// Defaults: no explicit source, nnlab's cache folder ([`cache::default_cache_dir`](super::cache::default_cache_dir)),
/// the canonical download location (or the `NNLAB_DATA_URL` mirror), downloads allowed, progress lines
/// printed, the usual system folders searched (`NNLAB_DATA`, Keras' cache, Debian's package), a 30 s
/// timeout, 2 retries, and (MNIST only) the embedded 10,000 digits when the full set cannot be had.
///
/// ```
/// use nnlab::datasets::LoadOptions;
/// let opts = LoadOptions::default().cache_dir("/tmp/nnlab-data").allow_download(false).quiet(true);
/// assert!(!opts.downloads_allowed());
/// ```
#[derive(Clone, Debug)]
pub struct LoadOptions {
    pub(crate) cache_dir: Option<PathBuf>,
    pub(crate) source: Option<PathBuf>,
    pub(crate) base_url: Option<String>,
    pub(crate) allow_download: bool,
    pub(crate) quiet: bool,
    pub(crate) system_paths: bool,
    pub(crate) fallback: bool,
    pub(crate) timeout: Duration,
    pub(crate) retries: u32,
    pub(crate) digests: Vec<(String, String)>,
}

impl Default for LoadOptions {
    fn default() -> Self {
        LoadOptions {
            cache_dir: None,
            source: None,
            base_url: None,
            allow_download: true,
            quiet: false,
            system_paths: true,
            fallback: true,
            timeout: Duration::from_secs(30),
            retries: 2,
            digests: Vec::new(),
        }
    }
}

impl LoadOptions {
    /// The folder downloads go to and are looked for first (instead of `$XDG_CACHE_HOME/nnlab`).
    pub fn cache_dir(mut self, dir: impl Into<PathBuf>) -> Self {
        self.cache_dir = Some(dir.into());
        self
    }

    /// An explicit source, tried before anything else and then the only local place looked at: a folder
    /// with the dataset's files (`mnist.npz`; the four `*-ubyte.gz` files), or for MNIST the `.npz` file.
    pub fn source(mut self, path: impl Into<PathBuf>) -> Self {
        self.source = Some(path.into());
        self
    }

    /// A mirror to download from instead of the canonical location (default: `$NNLAB_DATA_URL`). The
    /// mirror has the layout of the cache folder: `{url}/mnist.npz`, `{url}/fashion-mnist/{file}.gz`,
    /// `{url}/kmnist/{file}.gz`.
    pub fn base_url(mut self, url: impl Into<String>) -> Self {
        self.base_url = Some(url.into());
        self
    }

    /// Whether a missing dataset may be downloaded (default `true`).
    pub fn allow_download(mut self, allow: bool) -> Self {
        self.allow_download = allow;
        self
    }

    /// Whether to print nothing (no progress lines, no fallback notice); default `false`.
    pub fn quiet(mut self, quiet: bool) -> Self {
        self.quiet = quiet;
        self
    }

    /// Whether to look in the folders of the machine: `$NNLAB_DATA`, Keras' `~/.keras/datasets` and
    /// Debian's `/usr/share/datasets` (default `true`; tests turn it off to see only their own files).
    pub fn search_system_paths(mut self, search: bool) -> Self {
        self.system_paths = search;
        self
    }

    /// MNIST only: whether to return the embedded 10,000 digits when the full set cannot be had (default
    /// `true`); with `false` the error is returned instead.
    pub fn embedded_fallback(mut self, fallback: bool) -> Self {
        self.fallback = fallback;
        self
    }

    /// How long a connection may take to open, and a download may stall, before it is given up.
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = timeout;
        self
    }

    /// How many times a failed download is retried (server errors 5xx, timeouts, dropped connections;
    /// never a 404, a missing network or a digest mismatch). Default 2.
    pub fn retries(mut self, retries: u32) -> Self {
        self.retries = retries;
        self
    }

    /// Replace the pinned sha256 digest (hex) of a downloaded file, e.g. `("mnist.npz", "731c...")`; for a
    /// private mirror with other files, and for tests.
    pub fn digest(mut self, file: impl Into<String>, sha256_hex: impl Into<String>) -> Self {
        self.digests.push((file.into(), sha256_hex.into().to_lowercase()));
        self
    }

    /// Whether downloads are allowed.
    pub fn downloads_allowed(&self) -> bool {
        self.allow_download
    }

    /// The digest to check `file` against: the one given with [`digest`](Self::digest), else `pinned`.
    pub(crate) fn digest_for(&self, file: &str, pinned: &str) -> String {
        let given = self.digests.iter().rev().find(|(f, _)| f == file);
        given.map(|(_, d)| d.clone()).unwrap_or_else(|| pinned.to_string())
    }

    /// The base URL given, or `$NNLAB_DATA_URL`, without a trailing `/`.
    pub(crate) fn mirror(&self) -> Option<String> {
        let url = self.base_url.clone().or_else(|| std::env::var("NNLAB_DATA_URL").ok())?;
        let url = url.trim().trim_end_matches('/').to_string();
        (!url.is_empty()).then_some(url)
    }
}
