//! Values that every copy of nnlab in one process shares.
//!
//! evcxr builds every cell into a library of its own that carries its own copy of this crate's
//! `static`s, so a plain `static` would be a fresh one in every cell. What must outlive a cell (the
//! module-level random generator, `random::global`) and what the kernel owns (its interrupt flag,
//! `interrupt`) is found instead through an address in an environment variable, tagged with the process
//! id so that a child process, which inherits the variable, never trusts it.

use std::sync::atomic::AtomicBool;

const MAGIC: u64 = 0x6e6e_6c61_6273_6872; // "nnlabshr"

/// What the environment variable of [`shared_by_cells`] points at.
struct Tagged<T> {
    magic: u64,
    value: T,
}

/// The one `T` of this process under `key`: the first copy of nnlab that asks leaks `make()` and writes
/// its address, tagged with nnlab's version, `T`'s name and size and the process id, into the
/// environment variable `key`; the copies of later cells find it there.
pub(crate) fn shared_by_cells<T: Sync + 'static>(key: &str, make: impl FnOnce() -> T) -> &'static T {
    let tag = format!(
        "{}:{}:{}:{}",
        crate::VERSION,
        std::any::type_name::<T>(),
        std::mem::size_of::<Tagged<T>>(),
        std::process::id()
    );
    if let Ok(value) = std::env::var(key) {
        let addr = value.strip_prefix(tag.as_str()).and_then(|r| r.strip_prefix('@'));
        if let Some(addr) = addr.and_then(|a| a.parse::<usize>().ok()) {
            // SAFETY: only this function writes the variable `key`, in this process (the tag holds our
            // process id), with the address of a leaked `Tagged<T>` of this crate version, type name and
            // size, which lives until the process ends.
            let shared = unsafe { &*(addr as *const Tagged<T>) };
            if shared.magic == MAGIC {
                return &shared.value;
            }
        }
    }
    let shared: &'static Tagged<T> = Box::leak(Box::new(Tagged { magic: MAGIC, value: make() }));
    std::env::set_var(key, format!("{tag}@{}", shared as *const Tagged<T> as usize));
    &shared.value
}

/// The nnlab kernel's interrupt flag, if this process is a kernel's runtime: the kernel sets the
/// environment variable `key` to `pid:address` (valid in that process only: a program started from a
/// cell inherits the variable).
pub(crate) fn kernel_flag(key: &str) -> Option<&'static AtomicBool> {
    let value = std::env::var(key).ok()?;
    let (pid, address) = value.split_once(':')?;
    if pid.parse::<u32>().ok()? != std::process::id() {
        return None;
    }
    let address: usize = address.parse().ok()?;
    if address == 0 || address % std::mem::align_of::<AtomicBool>() != 0 {
        return None;
    }
    // SAFETY: the nnlab kernel's runtime (kernel/src/interrupt.rs) sets this variable to the address of a
    // `static AtomicBool` of its own binary, which lives as long as the process, before it loads any
    // cell; nothing else sets it.
    Some(unsafe { &*(address as *const AtomicBool) })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Mutex;

    #[test]
    fn a_second_lookup_finds_the_first_value() {
        let a = shared_by_cells("NNLAB_TEST_SHARED", || Mutex::new(41));
        *a.lock().unwrap() += 1;
        let b = shared_by_cells("NNLAB_TEST_SHARED", || Mutex::new(0));
        assert_eq!(*b.lock().unwrap(), 42);
        assert!(std::ptr::eq(a, b));
    }

    #[test]
    fn a_foreign_process_id_is_not_trusted() {
        std::env::set_var("NNLAB_TEST_FLAG", format!("{}:4096", std::process::id() + 1));
        assert!(kernel_flag("NNLAB_TEST_FLAG").is_none());
        std::env::set_var("NNLAB_TEST_FLAG", "garbage");
        assert!(kernel_flag("NNLAB_TEST_FLAG").is_none());
    }
}
