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
        // `pid:address`: a program that a cell starts inherits the variable, and must not use the address.
        Ok(_) => std::env::set_var(
            FLAG_VAR,
            format!("{}:{}", std::process::id(), &INTERRUPTED as *const AtomicBool as usize),
        ),
        Err(e) => eprintln!("nnlab kernel: interrupts will stop the process, not the cell: {e}"),
    }
}

/// In the kernel, before evcxr starts the runtime: SIGINT and SIGUSR2 ignored, which a new process
/// inherits, so that a runtime that evcxr has just (re)started and that has no handlers yet is not ended by
/// them (their default action). Only `interrupt_request` interrupts; Ctrl-C in Jupyter's terminal does not.
pub fn ignore_in_kernel() {
    // SAFETY: setting a signal's disposition to SIG_IGN has no memory effects.
    unsafe {
        libc::signal(libc::SIGINT, libc::SIG_IGN);
        libc::signal(libc::SIGUSR2, libc::SIG_IGN);
    }
}

/// The CPU time (user + system, in clock ticks) the process `pid` has used, from `/proc/<pid>/stat`.
pub fn cpu_ticks(pid: u32) -> Option<u64> {
    let stat = std::fs::read_to_string(format!("/proc/{pid}/stat")).ok()?;
    // After the command name in parentheses: state is field 3, utime 14 and stime 15.
    let rest = &stat[stat.rfind(')')? + 2..];
    let fields: Vec<&str> = rest.split_whitespace().collect();
    Some(fields.get(11)?.parse::<u64>().ok()? + fields.get(12)?.parse::<u64>().ok()?)
}

/// Clock ticks per second (`_SC_CLK_TCK`).
pub fn ticks_per_second() -> f64 {
    // SAFETY: sysconf has no memory effects.
    let ticks = unsafe { libc::sysconf(libc::_SC_CLK_TCK) };
    if ticks > 0 {
        ticks as f64
    } else {
        100.0
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
