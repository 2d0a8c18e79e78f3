//! How a cell failed, as Jupyter's `ename`, `evalue` and `traceback`.
//!
//! - a compile error: `CompileError`, the compiler's message, and the cell's source with the span
//!   underlined (ariadne, as evcxr draws it);
//! - an error returned by `?`: its kind (`ShapeError: ...` is how nnlab's errors print in the kernel,
//!   see `kernel/init.evcxr`) or `Error`, and its message, without a backtrace;
//! - a panic: `Panic`, its message and where it happened;
//! - the runtime process gone (a crash, or a cell that ignored an interrupt): the variables are lost,
//!   and the message says so.

use ariadne::sources;
use evcxr::Theme;

/// One failure, ready for an `error` message and an `execute_reply`.
#[derive(Debug, Clone)]
pub struct Failure {
    pub ename: String,
    pub evalue: String,
    pub traceback: Vec<String>,
}

const RED: &str = "\x1b[0;31m";
const BOLD_RED: &str = "\x1b[1;31m";
const DIM: &str = "\x1b[2m";
const RESET: &str = "\x1b[0m";

impl Failure {
    fn new(ename: &str, evalue: String, mut traceback: Vec<String>) -> Failure {
        if traceback.is_empty() {
            traceback.push(format!("{BOLD_RED}{ename}{RESET}: {evalue}"));
        }
        Failure { ename: ename.to_string(), evalue, traceback }
    }

    /// The text a `?` printed: `Kind: message` when the error names its kind.
    pub fn returned(text: &str) -> Failure {
        let text = text.trim_end();
        let (ename, evalue) = match text.split_once(": ") {
            Some((kind, rest)) if is_kind(kind) => (kind, rest),
            _ => ("Error", text),
        };
        Failure::new(ename, evalue.to_string(), Vec::new())
    }

    /// A caught panic.
    pub fn panic(message: &str, location: &str) -> Failure {
        let mut traceback = vec![format!("{BOLD_RED}Panic{RESET}: {message}")];
        // (src/lib.rs is the crate evcxr makes of the cell: its line numbers are not the cell's.)
        if !location.is_empty() && !location.starts_with("src/lib.rs:") {
            traceback.push(format!("{DIM}panicked at {location}{RESET}"));
        }
        Failure::new("Panic", message.to_string(), traceback)
    }

    /// An error of the kernel itself (it could not start evcxr, say).
    pub fn kernel(message: &str) -> Failure {
        Failure::new("KernelError", message.to_string(), Vec::new())
    }

    /// What evcxr's `execute` returned as an error.
    pub fn from_evcxr(error: &evcxr::Error, source: &str, count: usize, interrupted: bool) -> Failure {
        match error {
            evcxr::Error::CompilationErrors(errors) => compile_errors(errors, source, count),
            evcxr::Error::SubprocessTerminated(message) => {
                let lost = "Every variable was lost; functions, types, `use` lines and `:dep`s are kept.";
                if interrupted {
                    Failure::new(
                        "Interrupted",
                        format!(
                            "the cell did not stop within {} s of the interrupt, so the process that runs \
                             cells was restarted. {lost} (nnlab's loops stop at once; a loop of your own \
                             cannot be stopped without this.)",
                            crate::interrupt::GRACE.as_secs()
                        ),
                        Vec::new(),
                    )
                } else {
                    Failure::new("ProcessDied", format!("{}. {lost}", message.trim_end()), Vec::new())
                }
            }
            evcxr::Error::TypeRedefinedVariablesLost(names) => Failure::new(
                "VariablesLost",
                format!(
                    "a type was redefined, so these variables of the old type were lost: {}",
                    names.join(", ")
                ),
                Vec::new(),
            ),
            evcxr::Error::Message(message) => Failure::new("Error", message.clone(), Vec::new()),
        }
    }
}

/// `ShapeError`, `ValueError`, `Interrupted`...: one word, capitalised.
fn is_kind(word: &str) -> bool {
    word.len() > 2
        && word.chars().next().is_some_and(|c| c.is_ascii_uppercase())
        && word.chars().all(|c| c.is_ascii_alphanumeric())
        && (word.ends_with("Error") || word == "Interrupted")
}

fn compile_errors(errors: &[evcxr::CompilationError], source: &str, count: usize) -> Failure {
    let file_name = format!("cell[{count}]");
    let mut traceback = Vec::new();
    for error in errors {
        if !error.is_from_user_code() {
            traceback.push(format!("{RED}{}{RESET}", error.message()));
            continue;
        }
        let mut drawn = Vec::new();
        let report = error.build_report(file_name.clone(), source.to_string(), Theme::Light);
        if let Some(report) = report {
            if report.write(sources([(file_name.clone(), source)]), &mut drawn).is_ok() {
                traceback.extend(String::from_utf8_lossy(&drawn).lines().map(str::to_string));
                continue;
            }
        }
        // Not drawable (non-ASCII source): the compiler's own rendering.
        traceback.extend(error.rendered().lines().map(str::to_string));
    }
    let evalue = errors
        .iter()
        .find(|e| e.is_from_user_code())
        .or(errors.first())
        .map(|e| e.message())
        .unwrap_or_default();
    Failure::new("CompileError", evalue, traceback)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kinds_of_returned_errors() {
        let f = Failure::returned("ShapeError: Dense(64): expected input with last dim 784, got [32, 100]\n");
        assert_eq!(
            (f.ename.as_str(), f.evalue.as_str()),
            ("ShapeError", "Dense(64): expected input with last dim 784, got [32, 100]")
        );
        let f = Failure::returned("invalid digit found in string");
        assert_eq!((f.ename.as_str(), f.evalue.as_str()), ("Error", "invalid digit found in string"));
        let f = Failure::returned("Dense(64): expected x, got y");
        assert_eq!(f.ename, "Error");
        assert_eq!(Failure::returned("Interrupted: fit: stopped at epoch 2, step 10").ename, "Interrupted");
    }
}
