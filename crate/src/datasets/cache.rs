//! Where dataset files live, and how they are written: to a temporary file in the same folder, renamed
//! into place only when complete and verified, so that a reader (another cell, another process, another
//! thread) sees either no file or a whole one, and a failure leaves nothing behind.

use std::fs::{self, File};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use crate::{Error, Result};

/// nnlab's cache folder: `$XDG_CACHE_HOME/nnlab`, else `~/.cache/nnlab` (on Linux; the platform's cache
/// folder elsewhere).
///
/// ```
/// let dir = nnlab::datasets::cache::default_cache_dir().unwrap();
/// assert!(dir.ends_with("nnlab"));
/// ```
pub fn default_cache_dir() -> Result<PathBuf> {
    let base = std::env::var_os("XDG_CACHE_HOME")
        .map(PathBuf::from)
        .filter(|p| p.is_absolute())
        .or_else(dirs::cache_dir)
        .ok_or_else(|| Error::value("datasets cache", "$XDG_CACHE_HOME or a home folder", "neither"))?;
    Ok(base.join("nnlab"))
}

/// Keras' dataset folder: `$KERAS_HOME/datasets`, else `~/.keras/datasets` (read as it is, never written).
pub fn keras_dir() -> Option<PathBuf> {
    let home = std::env::var_os("KERAS_HOME").map(PathBuf::from);
    home.or_else(|| dirs::home_dir().map(|h| h.join(".keras"))).map(|k| k.join("datasets"))
}

/// The folder named by `$NNLAB_DATA`, if set (a shared folder of dataset files, e.g. on a lab machine).
pub fn data_env_dir() -> Option<PathBuf> {
    std::env::var_os("NNLAB_DATA").filter(|v| !v.is_empty()).map(PathBuf::from)
}

static COUNTER: AtomicU64 = AtomicU64::new(0);

/// A file being written: `.{name}.{pid}-{n}.part` next to its destination. [`commit`](PartFile::commit)
/// renames it into place (atomic on one file system); dropped without commit, it is removed.
///
/// ```
/// use nnlab::datasets::cache::PartFile;
/// let dir = std::env::temp_dir().join(format!("nnlab-doc-{}", std::process::id()));
/// let mut part = PartFile::create(&dir.join("a.bin")).unwrap();
/// part.write_all(b"hello").unwrap();
/// part.commit().unwrap();
/// assert_eq!(std::fs::read(dir.join("a.bin")).unwrap(), b"hello");
/// # std::fs::remove_dir_all(dir).unwrap();
/// ```
#[derive(Debug)]
pub struct PartFile {
    path: PathBuf,
    dest: PathBuf,
    file: Option<File>,
}

impl PartFile {
    /// Create the folder of `dest` if needed and a fresh temporary file beside it.
    pub fn create(dest: &Path) -> Result<Self> {
        let op = || format!("write {}", dest.display());
        let dir = dest.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        fs::create_dir_all(dir)
            .map_err(|e| Error::io(format!("{}: create folder {}", op(), dir.display()), e))?;
        let name = dest.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        let n = COUNTER.fetch_add(1, Ordering::Relaxed);
        let path = dir.join(format!(".{name}.{}-{n}.part", std::process::id()));
        let file =
            File::create(&path).map_err(|e| Error::io(format!("{}: create {}", op(), path.display()), e))?;
        Ok(PartFile { path, dest: dest.to_path_buf(), file: Some(file) })
    }

    /// Append bytes.
    pub fn write_all(&mut self, buf: &[u8]) -> Result<()> {
        let file = self.file.as_mut().ok_or_else(|| Error::state("PartFile::write_all", "file is closed"))?;
        file.write_all(buf).map_err(|e| Error::io(format!("write {}", self.path.display()), e))
    }

    /// The temporary file's path.
    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Flush to disk and rename onto the destination.
    pub fn commit(mut self) -> Result<()> {
        let op = format!("write {}", self.dest.display());
        if let Some(file) = self.file.take() {
            file.sync_all().map_err(|e| Error::io(op.clone(), e))?;
        }
        fs::rename(&self.path, &self.dest).map_err(|e| Error::io(op, e))
    }
}

impl Drop for PartFile {
    fn drop(&mut self) {
        self.file.take();
        // After a successful commit the path no longer exists; otherwise this removes the partial file.
        let _ = fs::remove_file(&self.path);
    }
}
