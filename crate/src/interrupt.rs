//! The kernel's interrupt button, as an error from long loops.
//!
//! In the nnlab kernel, the interrupt button sets a flag in the process that runs the cells. `fit`,
//! `evaluate`, `predict`, the from-scratch `train`, downloads and animations call [`check`] between
//! steps: once the flag is set it returns [`Error::Interrupted`], the cell
//! ends with that error, and the model and every variable are kept (the model with the weights of its
//! last finished step). Anywhere else (a plain evcxr, a program, a test) there is no flag and [`check`]
//! always returns `Ok`.
//!
//! Each cell is a library of its own with its own copy of nnlab, so the flag is not a static of nnlab:
//! the kernel's runtime owns it and passes its address in the environment variable
//! `NNLAB_INTERRUPT_FLAG` (as `pid:address`).
//!
//! ```
//! // No kernel here: never interrupted.
//! assert!(nnlab::interrupt::check("fit", || "epoch 1".to_string()).is_ok());
//! ```

use crate::backend::kernel_flag;
use crate::{Error, Result};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::OnceLock;

/// The kernel's flag, if this process is a kernel's runtime (looked up once per copy of nnlab).
fn flag() -> Option<&'static AtomicBool> {
    static FLAG: OnceLock<Option<&'static AtomicBool>> = OnceLock::new();
    *FLAG.get_or_init(|| kernel_flag("NNLAB_INTERRUPT_FLAG"))
}

/// Whether the interrupt button was pressed since this cell started.
pub fn requested() -> bool {
    flag().is_some_and(|f| f.load(Ordering::Relaxed))
}

/// `Err(Interrupted)` once the interrupt button was pressed: `op` is the loop, `place` says where it
/// stopped (called only then).
pub fn check(op: &str, place: impl FnOnce() -> String) -> Result<()> {
    if requested() {
        Err(Error::interrupted(op, format!("interrupted {}", place())))
    } else {
        Ok(())
    }
}
