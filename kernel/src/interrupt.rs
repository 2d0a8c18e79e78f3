//! Interrupts that keep the work.
//!
//! The interrupt button sends `interrupt_request`; the kernel sends SIGINT to the runtime process, whose
//! handler sets one flag. nnlab's long loops (`fit`, `evaluate`, the from-scratch `train`, ...) read that
//! flag between steps and return an `Interrupted` error, so the cell ends and every variable is kept.
//!
//! Each cell is its own shared library with its own copy of nnlab's statics, so the flag cannot live in
//! nnlab: it lives here, in the runtime binary, and its address is passed to every copy of nnlab in the
//! environment variable [`FLAG_VAR`]. Before each cell the kernel sends SIGUSR2, which clears it.
//!
//! A cell that does not stop (a loop of the student's own) is killed after [`GRACE`], as evcxr does.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

/// The environment variable that holds the flag's address, read by `nnlab::interrupt`.
pub const FLAG_VAR: &str = "NNLAB_INTERRUPT_FLAG";

/// How long a cell has to stop after an interrupt before its process is killed.
pub const GRACE: Duration = Duration::from_secs(5);

/// Set by SIGINT, cleared by SIGUSR2; lives as long as the runtime process.
static INTERRUPTED: AtomicBool = AtomicBool::new(false);

/// In the runtime process, before evcxr's loop starts: the two handlers and the flag's address.
pub fn install_in_runtime() {
    // Tells nnlab that it runs in this kernel (`nnlab::display::show` sends its outputs to it).
    std::env::set_var("NNLAB_KERNEL", env!("CARGO_PKG_VERSION"));
    // SAFETY: both handlers only store to an atomic, which is async-signal-safe.
    let installed = unsafe {
        signal_hook::low_level::register(signal_hook::consts::SIGINT, || {
            INTERRUPTED.store(true, Ordering::SeqCst)
        })
        .and_then(|_| {
            signal_hook::low_level::register(signal_hook::consts::SIGUSR2, || {
                INTERRUPTED.store(false, Ordering::SeqCst)
            })
        })
    };
    match installed {
        // Still one thread here: nothing reads the environment concurrently.
        Ok(_) => std::env::set_var(FLAG_VAR, (&INTERRUPTED as *const AtomicBool as usize).to_string()),
        Err(e) => eprintln!("nnlab kernel: interrupts will stop the process, not the cell: {e}"),
    }
}

/// In the kernel: asks the runtime process `pid` to stop its cell.
pub fn request(pid: u32) -> std::io::Result<()> {
    signal(pid, libc::SIGINT)
}

/// In the kernel: clears the runtime's flag before a cell runs.
pub fn clear(pid: u32) -> std::io::Result<()> {
    signal(pid, libc::SIGUSR2)
}

fn signal(pid: u32, sig: libc::c_int) -> std::io::Result<()> {
    // SAFETY: kill(2) has no memory effects in this process.
    if unsafe { libc::kill(pid as libc::pid_t, sig) } == 0 {
        Ok(())
    } else {
        Err(std::io::Error::last_os_error())
    }
}
