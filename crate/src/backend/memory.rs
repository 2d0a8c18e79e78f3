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
