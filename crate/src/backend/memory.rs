//! What the system says about its memory.

/// The machine's physical memory in bytes, where the system says.
#[cfg(target_os = "linux")]
pub(crate) fn physical_memory() -> Option<usize> {
    // SAFETY: sysconf only reads system configuration values; it has no preconditions.
    let (pages, size) = unsafe { (libc::sysconf(libc::_SC_PHYS_PAGES), libc::sysconf(libc::_SC_PAGESIZE)) };
    (pages > 0 && size > 0).then(|| (pages as usize).saturating_mul(size as usize))
}

/// The machine's physical memory in bytes: unknown here.
#[cfg(not(target_os = "linux"))]
pub(crate) fn physical_memory() -> Option<usize> {
    None
}

/// Asks glibc's `malloc` to keep the large blocks a training step frees for the next step, instead of
/// handing them back to the system and asking for them again (once per process; nothing elsewhere).
///
/// Every step allocates the same large arrays (a convolution's patches are 18 MB a batch) and frees
/// them. By default glibc returns blocks above its threshold to the kernel (`munmap`, or trimming the
/// heap), and the next step's pages are faulted in and zeroed again: on the keras.io convnet that was
/// nearly half of the epoch (`bench/RESULTS.md`). Blocks up to 32 MB now come from the heap, and up to
/// 128 MB of free heap is kept; the peak memory of a step is unchanged (it is needed anyway). Nothing
/// is done when the user set `GLIBC_TUNABLES` or `MALLOC_MMAP_THRESHOLD_` / `MALLOC_TRIM_THRESHOLD_`
/// themselves, or on other C libraries.
pub(crate) fn keep_freed_memory() {
    static ONCE: std::sync::Once = std::sync::Once::new();
    ONCE.call_once(|| {
        let user_set = ["GLIBC_TUNABLES", "MALLOC_MMAP_THRESHOLD_", "MALLOC_TRIM_THRESHOLD_"]
            .iter()
            .any(|v| std::env::var_os(v).is_some());
        if !user_set {
            set_malloc_thresholds(32 << 20, 128 << 20);
        }
    });
}

#[cfg(all(target_os = "linux", target_env = "gnu"))]
fn set_malloc_thresholds(mmap: i32, trim: i32) {
    // SAFETY: mallopt only changes two of malloc's tuning parameters; it is thread-safe (it takes
    // malloc's own lock) and any value is valid (glibc refuses the ones it does not accept).
    unsafe {
        libc::mallopt(libc::M_MMAP_THRESHOLD, mmap);
        libc::mallopt(libc::M_TRIM_THRESHOLD, trim);
    }
}

#[cfg(not(all(target_os = "linux", target_env = "gnu")))]
fn set_malloc_thresholds(_mmap: i32, _trim: i32) {}
