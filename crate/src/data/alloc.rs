//! Refusing arrays too large to allocate. A typo such as `Dense::new(100_000_000)` asks for a weight
//! of hundreds of gigabytes; Rust's allocator aborts the whole process when that fails (in a notebook:
//! the kernel dies with every variable). Sizes are checked first and refused with an error instead.

use crate::backend::physical_memory;
use crate::{Error, Result};

/// An error unless an array of `shape` with elements of `elem_bytes` bytes fits in this machine's
/// memory. The message says how many bytes it needs.
pub(crate) fn check_alloc(op: &str, shape: &[usize], elem_bytes: usize) -> Result<()> {
    let bytes = shape.iter().try_fold(elem_bytes, |acc, &d| acc.checked_mul(d));
    let memory = physical_memory();
    match bytes {
        Some(b) if memory.is_none_or(|m| b <= m) => Ok(()),
        _ => Err(Error::value(
            op,
            format!(
                "an array that fits in memory ({})",
                memory.map(|m| format!("this machine has {}", human(m as f64))).unwrap_or_default()
            ),
            format!(
                "shape {shape:?}, which needs {} (is a size mistyped?)",
                bytes.map(|b| human(b as f64)).unwrap_or_else(|| "more than 2^64 bytes".into())
            ),
        )),
    }
}

/// `"313.6 GB"`.
fn human(bytes: f64) -> String {
    let units = ["bytes", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut v = bytes;
    let mut u = 0;
    while v >= 1000.0 && u + 1 < units.len() {
        v /= 1000.0;
        u += 1;
    }
    if u == 0 {
        format!("{v} bytes")
    } else {
        format!("{v:.1} {}", units[u])
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn huge_shapes_are_refused_with_their_size() {
        let e = check_alloc("Dense(100000000)", &[784, 100_000_000], 4).unwrap_err().to_string();
        assert!(e.contains("313.6 GB"), "{e}");
        assert!(e.starts_with("Dense(100000000): expected an array that fits in memory"), "{e}");
        let e = check_alloc("op", &[usize::MAX, 2], 4).unwrap_err().to_string();
        assert!(e.contains("more than 2^64 bytes"), "{e}");
        assert!(check_alloc("op", &[784, 512], 4).is_ok());
        assert!(check_alloc("op", &[], 4).is_ok());
    }
}
