//! The IDX format of MNIST-like datasets (LeCun's `*-ubyte` files), plain or gzip'd.
//!
//! A file is a header, then the data as unsigned bytes in row-major order:
//! `00 00 08 d` (magic: two zero bytes, type code 0x08 = u8, `d` dimensions), then `d` big-endian u32
//! sizes, then `size_0 * ... * size_{d-1}` bytes. Images are `d = 3` (`[n, rows, cols]`), labels `d = 1`.
//! Gzip is recognised by its magic bytes `1f 8b`, not by the file name.
//!
//! ```
//! use nnlab::datasets::idx;
//! // two 2x2 images
//! let mut bytes = vec![0, 0, 8, 3, 0, 0, 0, 2, 0, 0, 0, 2, 0, 0, 0, 2];
//! bytes.extend([0, 1, 2, 3, 4, 5, 6, 7]);
//! let x = idx::decode_images(&bytes).unwrap();
//! assert_eq!(x.shape(), &[2, 2, 2]);
//! assert_eq!(x[[1, 0, 1]], 5);
//! ```

use std::fs::File;
use std::io::{BufReader, Read};
use std::path::Path;

use flate2::read::MultiGzDecoder;
use ndarray::{Array1, Array3};

use crate::{Error, Result};

/// Read an IDX image file (`[n, rows, cols]`, u8), gzip'd or not.
///
/// ```no_run
/// let x = nnlab::datasets::idx::read_images("/usr/share/datasets/fashion-mnist/t10k-images-idx3-ubyte.gz")?;
/// assert_eq!(x.shape(), &[10000, 28, 28]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn read_images(path: impl AsRef<Path>) -> Result<Array3<u8>> {
    let path = path.as_ref();
    let (dims, data) = read_path(path, 3, &format!("read_images({})", path.display()))?;
    to_images(dims, data, &format!("read_images({})", path.display()))
}

/// Read an IDX label file (`[n]`, u8), gzip'd or not.
pub fn read_labels(path: impl AsRef<Path>) -> Result<Array1<u8>> {
    let path = path.as_ref();
    let (_, data) = read_path(path, 1, &format!("read_labels({})", path.display()))?;
    Ok(Array1::from(data))
}

/// [`read_images`] from bytes in memory.
pub fn decode_images(bytes: &[u8]) -> Result<Array3<u8>> {
    let (dims, data) = decode(bytes, 3, "decode_images")?;
    to_images(dims, data, "decode_images")
}

/// [`read_labels`] from bytes in memory.
///
/// ```
/// let y = nnlab::datasets::idx::decode_labels(&[0, 0, 8, 1, 0, 0, 0, 3, 7, 2, 1]).unwrap();
/// assert_eq!(y.to_vec(), vec![7, 2, 1]);
/// ```
pub fn decode_labels(bytes: &[u8]) -> Result<Array1<u8>> {
    let (_, data) = decode(bytes, 1, "decode_labels")?;
    Ok(Array1::from(data))
}

fn to_images(dims: Vec<usize>, data: Vec<u8>, op: &str) -> Result<Array3<u8>> {
    Array3::from_shape_vec((dims[0], dims[1], dims[2]), data)
        .map_err(|e| Error::format(op, format!("cannot shape the pixels as {dims:?}: {e}")))
}

fn read_path(path: &Path, ndim: u8, op: &str) -> Result<(Vec<usize>, Vec<u8>)> {
    let file = File::open(path).map_err(|e| Error::io(op, e))?;
    let mut reader = BufReader::with_capacity(1 << 16, file);
    let mut magic = [0u8; 2];
    let n = read_up_to(&mut reader, &mut magic).map_err(|e| Error::io(op, e))?;
    let head = std::io::Cursor::new(magic[..n].to_vec()).chain(reader);
    if n == 2 && magic == [0x1f, 0x8b] {
        parse(MultiGzDecoder::new(head), ndim, op, true)
    } else {
        parse(head, ndim, op, false)
    }
}

fn decode(bytes: &[u8], ndim: u8, op: &str) -> Result<(Vec<usize>, Vec<u8>)> {
    if bytes.starts_with(&[0x1f, 0x8b]) {
        parse(MultiGzDecoder::new(bytes), ndim, op, true)
    } else {
        parse(bytes, ndim, op, false)
    }
}

/// Read as many bytes as fit in `buf` (fewer only at the end of the stream).
fn read_up_to(r: &mut impl Read, buf: &mut [u8]) -> std::io::Result<usize> {
    let mut got = 0;
    while got < buf.len() {
        match r.read(&mut buf[got..]) {
            Ok(0) => break,
            Ok(k) => got += k,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(got)
}

/// Parse header and data, checking magic, dimension count and that the data is exactly as long as the
/// header says.
fn parse(mut r: impl Read, ndim: u8, op: &str, gz: bool) -> Result<(Vec<usize>, Vec<u8>)> {
    let what = if gz { "gzip stream" } else { "file" };
    let io = |e: std::io::Error| {
        if gz {
            Error::format(op, format!("the gzip stream is corrupt or truncated ({e})"))
        } else {
            Error::io(op, e)
        }
    };
    let want = [0u8, 0, 8, ndim];
    let mut magic = [0u8; 4];
    let n = read_up_to(&mut r, &mut magic).map_err(io)?;
    if n < 4 || magic != want {
        return Err(Error::format(
            op,
            format!(
                "expected IDX magic number {} (u8 data, {ndim} dimension{}), got {}",
                hex(&want),
                if ndim == 1 { "" } else { "s" },
                hex(&magic[..n])
            ),
        ));
    }
    let mut raw = vec![0u8; 4 * ndim as usize];
    if read_up_to(&mut r, &mut raw).map_err(io)? < raw.len() {
        return Err(Error::format(op, format!("the {what} ends inside the header ({ndim} sizes expected)")));
    }
    let dims: Vec<usize> =
        raw.chunks(4).map(|c| u32::from_be_bytes([c[0], c[1], c[2], c[3]]) as usize).collect();
    let expected = dims.iter().try_fold(1usize, |a, &d| a.checked_mul(d));
    let expected = expected
        .filter(|&e| e <= 1 << 34)
        .ok_or_else(|| Error::format(op, format!("header sizes {dims:?} are too large to be a dataset")))?;
    // Read at most one byte more than the header promises: enough to see that there is too much.
    // (Growing past 64 MB as the data comes: a corrupt header must not reserve gigabytes.)
    let mut data = Vec::with_capacity((expected + 1).min(1 << 26));
    (&mut r).take(expected as u64 + 1).read_to_end(&mut data).map_err(io)?;
    if data.len() != expected {
        let shape = dims.iter().map(|d| d.to_string()).collect::<Vec<_>>().join(" x ");
        let got = if data.len() > expected { "more".to_string() } else { data.len().to_string() };
        return Err(Error::format(
            op,
            format!("the header says {shape} = {expected} bytes of data, the {what} holds {got}"),
        ));
    }
    Ok((dims, data))
}

fn hex(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "an empty file".into();
    }
    let s: Vec<String> = bytes.iter().map(|b| format!("{b:02x}")).collect();
    s.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn images(n: u32) -> Vec<u8> {
        let mut b = vec![0, 0, 8, 3];
        for d in [n, 28, 28] {
            b.extend(d.to_be_bytes());
        }
        b.extend((0..n * 784).map(|i| (i % 251) as u8));
        b
    }

    fn gz(bytes: &[u8]) -> Vec<u8> {
        use std::io::Write;
        let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
        e.write_all(bytes).unwrap();
        e.finish().unwrap()
    }

    #[test]
    fn plain_and_gzip_agree() {
        let raw = images(3);
        let a = decode_images(&raw).unwrap();
        let b = decode_images(&gz(&raw)).unwrap();
        assert_eq!(a.shape(), &[3, 28, 28]);
        assert_eq!(a, b);
        assert_eq!(a[[2, 27, 27]], ((3 * 784 - 1) % 251) as u8);
    }

    #[test]
    fn truncated_gzip_is_an_error() {
        let z = gz(&images(3));
        let e = decode_images(&z[..z.len() / 2]).unwrap_err();
        assert!(matches!(e, Error::Format { .. }), "{e}");
        assert!(e.to_string().contains("gzip stream is corrupt or truncated"), "{e}");
    }

    #[test]
    fn wrong_magic_is_an_error() {
        let mut raw = images(1);
        raw[3] = 1; // a label file's magic
        let e = decode_images(&raw).unwrap_err();
        assert!(e.to_string().contains("expected IDX magic number 00 00 08 03"), "{e}");
        let e = decode_labels(b"PK\x03\x04").unwrap_err();
        assert!(e.to_string().contains("got 50 4b 03 04"), "{e}");
        assert!(decode_labels(&[]).unwrap_err().to_string().contains("an empty file"));
    }

    #[test]
    fn header_must_match_the_bytes() {
        let raw = images(3);
        let e = decode_images(&raw[..raw.len() - 1]).unwrap_err();
        assert!(e.to_string().contains("3 x 28 x 28 = 2352 bytes of data, the file holds 2351"), "{e}");
        let mut long = raw.clone();
        long.push(0);
        let e = decode_images(&gz(&long)).unwrap_err();
        assert!(e.to_string().contains("the gzip stream holds more"), "{e}");
        let e = decode_images(&raw[..10]).unwrap_err();
        assert!(e.to_string().contains("ends inside the header"), "{e}");
    }

    #[test]
    fn reads_files_from_disk() {
        let dir = std::env::temp_dir().join(format!("nnlab-idx-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let p = dir.join("x.gz");
        std::fs::write(&p, gz(&images(2))).unwrap();
        assert_eq!(read_images(&p).unwrap().shape(), &[2, 28, 28]);
        let e = read_labels(&p).unwrap_err();
        assert!(e.to_string().contains("x.gz"), "{e}");
        let missing = read_images(dir.join("nope")).unwrap_err();
        assert!(matches!(missing, Error::Io { .. }));
        std::fs::remove_dir_all(dir).unwrap();
    }
}
