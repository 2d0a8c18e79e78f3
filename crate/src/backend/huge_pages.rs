//! A training set in 2 MB pages: what `fit` asks of Linux before its first batch.
//!
//! Every step of `fit` copies the rows of a random mini-batch out of the training set
//! ([`take_rows`](super::take_rows)): for the lecture, 128 rows of 3 KB from all over a 188 MB array.
//! In 4 KB pages each row lies in a page of its own, and the processor must look its address up in the
//! page tables (a TLB miss); the tables of 188 MB are 368 KB, which the rest of a training step pushes
//! out of the caches, and in a virtual machine every look-up also walks the host's tables. Measured
//! (2026-12-01/02, the course's 2-vCPU Xeon VM, the lecture's Keras model on 60,000 images): copying
//! the batches took 0.22 s of a 1.56 s epoch in 4 KB pages and 0.045 s of a 1.30 s epoch in 2 MB pages;
//! alternating epochs in one process, epochs took 1.36 s against 1.81 s, and 1.47 s against 1.97 s.
//!
//! So [`prefer_huge_pages`] asks the kernel to move an array of at least [`MIN_BYTES`] into 2 MB pages
//! (`madvise(MADV_COLLAPSE)`, Linux 6.1 and later). The values and their addresses stay the same: only
//! the page tables change. The kernel copies the array once: for 188 MB 90 ms, or up to 0.85 s on that
//! VM when its host must first hand it the memory (the first `fit` on an array pays it: about the time
//! 5 epochs win back there; every later `fit` on the same array gains); a later call for an array
//! already in 2 MB pages returns in ~30 µs, so `fit` simply asks every time. Only the 2 MB-aligned
//! part inside the array is moved, never a neighbour's memory. Where the kernel cannot (older kernels,
//! no transparent huge pages, not anonymous memory, no free 2 MB pages) nothing changes, the array is
//! remembered and not asked for again, and training runs as before. On other systems this does nothing.

use ndarray::ArrayViewD;

/// Arrays smaller than this (32 MB) are left in their pages: a few thousand 4 KB pages fit the TLB's
/// reach well enough, and the copy would not pay for itself.
pub(crate) const MIN_BYTES: usize = 32 << 20;

/// Asks for `x`'s memory to be in 2 MB pages (see the module's notes); does nothing for a small or
/// non-contiguous array or on a system that cannot. True if the kernel did (or had done) it.
pub(crate) fn prefer_huge_pages(x: &ArrayViewD<f32>) -> bool {
    match x.as_slice_memory_order() {
        Some(s) if std::mem::size_of_val(s) >= MIN_BYTES => {
            linux::collapse(s.as_ptr() as usize, std::mem::size_of_val(s))
        }
        _ => false,
    }
}

#[cfg(target_os = "linux")]
mod linux {
    use std::sync::Mutex;

    /// `MADV_COLLAPSE` from Linux's `mman-common.h` (the `libc` crate has it for glibc targets only).
    const MADV_COLLAPSE: libc::c_int = 25;
    const HUGE: usize = 2 << 20;

    /// Byte ranges the kernel refused: not asked for again (a refusal can take as long as a copy).
    static REFUSED: Mutex<Vec<(usize, usize)>> = Mutex::new(Vec::new());

    /// `madvise(MADV_COLLAPSE)` on the 2 MB-aligned pages inside `[start, start + len)`: true if done.
    pub(super) fn collapse(start: usize, len: usize) -> bool {
        let from = start.next_multiple_of(HUGE);
        let to = (start + len) / HUGE * HUGE;
        if to <= from {
            return false;
        }
        let range = (from, to - from);
        let mut refused = REFUSED.lock().unwrap_or_else(|p| p.into_inner());
        if refused.contains(&range) {
            return false;
        }
        // SAFETY: `range` lies inside the memory of one live array (rounded inwards to whole 2 MB
        // pages), and MADV_COLLAPSE changes only how that memory is mapped, never its contents or
        // addresses: nothing that Rust can observe.
        let r = unsafe { libc::madvise(range.0 as *mut libc::c_void, range.1, MADV_COLLAPSE) };
        if r != 0 {
            if refused.len() >= 64 {
                refused.remove(0);
            }
            refused.push(range);
        }
        r == 0
    }
}

#[cfg(not(target_os = "linux"))]
mod linux {
    pub(super) fn collapse(_start: usize, _len: usize) -> bool {
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ndarray::Array;

    /// The kB of 2 MB pages that `/proc/self/smaps` shows in the mapping holding `addr` (Linux).
    fn huge_kb_at(addr: usize) -> Option<usize> {
        let smaps = std::fs::read_to_string("/proc/self/smaps").ok()?;
        let mut inside = false;
        for line in smaps.lines() {
            if let Some((range, _)) = line.split_once(' ').filter(|(r, _)| r.contains('-')) {
                let (a, b) = range.split_once('-')?;
                let (a, b) = (usize::from_str_radix(a, 16).ok()?, usize::from_str_radix(b, 16).ok()?);
                inside = (a..b).contains(&addr);
            } else if let Some(kb) = line.strip_prefix("AnonHugePages:").filter(|_| inside) {
                return kb.trim().trim_end_matches("kB").trim().parse().ok();
            }
        }
        None
    }

    /// The values and their address stay; where the kernel says it moved the array, smaps shows it in
    /// 2 MB pages (all but the partial pages at its two ends); a second call is a no-op either way.
    #[test]
    fn a_large_array_keeps_its_values_and_address_and_gets_huge_pages() {
        let x = Array::from_shape_fn((12_000, 784), |(i, j)| (i * 31 + j) as f32).into_dyn();
        let bytes = x.len() * 4;
        assert!(bytes >= MIN_BYTES);
        let (before, ptr) = (x.clone(), x.as_ptr());
        let done = prefer_huge_pages(&x.view());
        if done {
            let kb = huge_kb_at(ptr as usize).expect("smaps lists the array's mapping");
            assert!(kb * 1024 >= bytes - 2 * (2 << 20), "{kb} kB in 2 MB pages for {bytes} bytes");
        } else {
            eprintln!("this kernel kept the array in 4 KB pages (MADV_COLLAPSE refused)");
        }
        assert_eq!(prefer_huge_pages(&x.view()), done);
        assert_eq!(x.as_ptr(), ptr);
        assert_eq!(x, before);
        assert!(!prefer_huge_pages(&Array::<f32, _>::ones((10, 10)).into_dyn().view()));
    }
}
