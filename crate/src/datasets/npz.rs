//! Keras' `.npz` dataset files (a zip of `.npy` arrays, as written by `numpy.savez_compressed`), read with
//! the `ndarray-npy` crate.
//!
//! A dataset file holds `x_train` `[n, rows, cols]`, `y_train` `[n]`, `x_test` `[m, rows, cols]`,
//! `y_test` `[m]`, all `uint8`: the layout of `~/.keras/datasets/mnist.npz`.

use std::fs::File;
use std::io::{BufReader, Cursor, Read, Seek};
use std::path::Path;

use ndarray::{Array, Array1, Array3, Dimension, OwnedRepr};
use ndarray_npy::NpzReader;

use super::Dataset;
use crate::{Error, Result};

/// Read a Keras-layout dataset `.npz` file: `((x_train, y_train), (x_test, y_test))`.
///
/// ```no_run
/// let ((x_train, y_train), _) = nnlab::datasets::npz::read_dataset("/root/.keras/datasets/mnist.npz")?;
/// assert_eq!(x_train.shape(), &[60000, 28, 28]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn read_dataset(path: impl AsRef<Path>) -> Result<Dataset> {
    let path = path.as_ref();
    let op = format!("read_dataset({})", path.display());
    let file = File::open(path).map_err(|e| Error::io(op.clone(), e))?;
    parse(BufReader::new(file), &op)
}

/// [`read_dataset`] from bytes in memory.
pub fn decode_dataset(bytes: &[u8]) -> Result<Dataset> {
    parse(Cursor::new(bytes), "decode_dataset")
}

fn parse<R: Read + Seek>(reader: R, op: &str) -> Result<Dataset> {
    let mut npz = NpzReader::new(reader)
        .map_err(|e| Error::format(op, format!("not a readable .npz (zip) file: {e}")))?;
    let names = npz.names().map_err(|e| Error::format(op, format!("cannot list the arrays: {e}")))?;
    for key in ["x_train", "y_train", "x_test", "y_test"] {
        if !names.iter().any(|n| n == key) {
            return Err(Error::format(op, format!("expected an array named {key}, the file has {names:?}")));
        }
    }
    let x_train: Array3<u8> = array(&mut npz, "x_train", op)?;
    let y_train: Array1<u8> = array(&mut npz, "y_train", op)?;
    let x_test: Array3<u8> = array(&mut npz, "x_test", op)?;
    let y_test: Array1<u8> = array(&mut npz, "y_test", op)?;
    super::check_pair(&x_train, &y_train, &format!("{op}: train"))?;
    super::check_pair(&x_test, &y_test, &format!("{op}: test"))?;
    Ok(((x_train, y_train), (x_test, y_test)))
}

fn array<R: Read + Seek, D: Dimension>(npz: &mut NpzReader<R>, key: &str, op: &str) -> Result<Array<u8, D>> {
    npz.by_name::<OwnedRepr<u8>, D>(key).map_err(|e| {
        let want = D::NDIM.map(|d| format!("{d}-dimensional ")).unwrap_or_default();
        Error::format(op, format!("expected {key} to be a {want}uint8 array: {e}"))
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray_npy::NpzWriter;

    /// Compressed like `numpy.savez_compressed` (Keras' mnist.npz).
    fn deflated() -> zip::write::SimpleFileOptions {
        zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
    }

    fn npz(keys: &[(&str, bool)]) -> Vec<u8> {
        let mut w = NpzWriter::new_with_options(Cursor::new(Vec::new()), deflated());
        for &(key, images) in keys {
            if images {
                w.add_array(key, &Array3::<u8>::from_elem((2, 28, 28), 7)).unwrap();
            } else {
                w.add_array(key, &Array1::<u8>::from(vec![3, 4])).unwrap();
            }
        }
        w.finish().unwrap().into_inner()
    }

    #[test]
    fn reads_a_keras_layout_file() {
        let bytes = npz(&[("x_train", true), ("y_train", false), ("x_test", true), ("y_test", false)]);
        let ((x, y), (xt, yt)) = decode_dataset(&bytes).unwrap();
        assert_eq!((x.shape(), y.to_vec()), (&[2usize, 28, 28][..], vec![3, 4]));
        assert_eq!((xt[[1, 27, 27]], yt.len()), (7, 2));
    }

    #[test]
    fn missing_x_train_is_an_error() {
        let bytes = npz(&[("y_train", false), ("x_test", true), ("y_test", false)]);
        let e = decode_dataset(&bytes).unwrap_err();
        assert!(e.to_string().contains("expected an array named x_train"), "{e}");
    }

    #[test]
    fn wrong_dtype_or_rank_is_an_error() {
        let mut w = NpzWriter::new(Cursor::new(Vec::new()));
        w.add_array("x_train", &Array3::<f32>::zeros((2, 28, 28))).unwrap();
        for k in ["y_train", "x_test", "y_test"] {
            w.add_array(k, &Array1::<u8>::zeros(2)).unwrap();
        }
        let e = decode_dataset(&w.finish().unwrap().into_inner()).unwrap_err();
        assert!(e.to_string().contains("expected x_train to be a 3-dimensional uint8 array"), "{e}");
        let bytes = npz(&[("x_train", true), ("y_train", true), ("x_test", true), ("y_test", false)]);
        assert!(decode_dataset(&bytes).unwrap_err().to_string().contains("y_train"));
    }

    #[test]
    fn not_a_zip_is_an_error() {
        let e = decode_dataset(b"hello").unwrap_err();
        assert!(e.to_string().contains("not a readable .npz"), "{e}");
    }
}
