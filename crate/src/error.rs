//! One error type for the whole crate.
//!
//! Every operation a student can get wrong returns [`Result<T>`](Result) instead of panicking: in a
//! Jupyter notebook a panic is reported as a successful cell, while an `Err` returned with `?` at
//! the top level of a cell is printed and the student's variables are kept.
//!
//! Messages name the operation, what it expected and what it got:
//!
//! ```
//! use nnlab::Error;
//! let e = Error::shape("Dense(64)", "input with last dim 784", "[32, 100]");
//! assert_eq!(e.to_string(), "Dense(64): expected input with last dim 784, got [32, 100]");
//! ```

/// The crate's error type. Each variant carries a message that names the operation.
///
/// `{}` prints the message; `{:#}` puts the error's kind first (`ShapeError: Dense(64): ...`), which is
/// how the nnlab kernel shows an error that a cell returned with `?` ([`Error::kind`]).
#[derive(Debug)]
pub enum Error {
    /// An array or tensor had the wrong shape.
    Shape {
        /// The operation that failed, e.g. `"Dense(64)"`.
        op: String,
        /// What the operation expected.
        expected: String,
        /// What it was given.
        got: String,
    },
    /// An argument had a value the operation cannot take (a negative rate, a batch size of 0, ...).
    Value {
        /// The operation that failed.
        op: String,
        /// What the operation expected.
        expected: String,
        /// What it was given.
        got: String,
    },
    /// A name given as a string (`"relu"`, `"adam"`) is not known.
    UnknownName {
        /// The operation that failed.
        op: String,
        /// What kind of name (`"activation"`, `"optimizer"`, ...).
        kind: String,
        /// The name given.
        name: String,
        /// The closest known name, if one is close.
        suggestion: Option<String>,
        /// The names there are, listed when none is close (a short list only).
        known: Vec<String>,
    },
    /// A file or stream could not be read or written.
    Io {
        /// The operation and the path involved.
        op: String,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A file was read but its content is not what it should be (bad magic number, truncated, ...).
    Format {
        /// The operation and the path involved.
        op: String,
        /// What is wrong with the content.
        message: String,
    },
    /// A download failed (HTTP status, timeout, digest mismatch, ...).
    Download {
        /// The operation and the address involved.
        op: String,
        /// What went wrong.
        message: String,
    },
    /// Training or evaluation produced a NaN or an infinity.
    NotFinite {
        /// The operation (with epoch and batch where known).
        op: String,
        /// What became non-finite.
        message: String,
    },
    /// A step was called in the wrong order (e.g. `fit` before `compile`).
    State {
        /// The operation that was called.
        op: String,
        /// What must happen first.
        message: String,
    },
    /// The kernel's interrupt button stopped a long loop ([`crate::interrupt`]).
    Interrupted {
        /// The loop that stopped, e.g. `"fit"`.
        op: String,
        /// Where it stopped and what was kept.
        message: String,
    },
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if f.alternate() {
            write!(f, "{}: ", self.kind())?;
        }
        match self {
            Error::Shape { op, expected, got } | Error::Value { op, expected, got } => {
                write!(f, "{op}: expected {expected}, got {got}")
            }
            Error::UnknownName { op, kind, name, suggestion, known } => {
                write!(f, "{op}: unknown {kind} {name:?}")?;
                match suggestion {
                    Some(s) => write!(f, " (did you mean {s:?}?)"),
                    None if !known.is_empty() => write!(f, " (known: {})", known.join(", ")),
                    None => Ok(()),
                }
            }
            Error::Io { op, source } => write!(f, "{op}: {source}"),
            Error::Format { op, message }
            | Error::Download { op, message }
            | Error::NotFinite { op, message }
            | Error::State { op, message }
            | Error::Interrupted { op, message } => write!(f, "{op}: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Io { source, .. } => Some(source),
            _ => None,
        }
    }
}

/// `Result<T, nnlab::Error>`.
pub type Result<T> = std::result::Result<T, Error>;

impl Error {
    /// A shape error: `"{op}: expected {expected}, got {got}"`.
    pub fn shape(op: impl Into<String>, expected: impl Into<String>, got: impl Into<String>) -> Self {
        Error::Shape { op: op.into(), expected: expected.into(), got: got.into() }
    }

    /// A value error: `"{op}: expected {expected}, got {got}"`.
    pub fn value(op: impl Into<String>, expected: impl Into<String>, got: impl Into<String>) -> Self {
        Error::Value { op: op.into(), expected: expected.into(), got: got.into() }
    }

    /// An I/O error while doing `op`.
    pub fn io(op: impl Into<String>, source: std::io::Error) -> Self {
        Error::Io { op: op.into(), source }
    }

    /// A file whose content is wrong.
    pub fn format(op: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Format { op: op.into(), message: message.into() }
    }

    /// A failed download.
    pub fn download(op: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Download { op: op.into(), message: message.into() }
    }

    /// A NaN or infinity where a finite number was needed.
    pub fn not_finite(op: impl Into<String>, message: impl Into<String>) -> Self {
        Error::NotFinite { op: op.into(), message: message.into() }
    }

    /// A call made in the wrong order.
    pub fn state(op: impl Into<String>, message: impl Into<String>) -> Self {
        Error::State { op: op.into(), message: message.into() }
    }

    /// A loop stopped by the kernel's interrupt button; `message` says where.
    pub fn interrupted(op: impl Into<String>, message: impl Into<String>) -> Self {
        Error::Interrupted { op: op.into(), message: message.into() }
    }

    /// The error's kind, as the kernel names it: `ShapeError`, `ValueError`, `NameError`, `IoError`,
    /// `FormatError`, `DownloadError`, `NotFiniteError`, `StateError` or `Interrupted`.
    ///
    /// ```
    /// use nnlab::Error;
    /// let e = Error::shape("Dense(64)", "input with last dim 784", "[32, 100]");
    /// assert_eq!(e.kind(), "ShapeError");
    /// assert_eq!(format!("{e:#}"), "ShapeError: Dense(64): expected input with last dim 784, got [32, 100]");
    /// ```
    pub fn kind(&self) -> &'static str {
        match self {
            Error::Shape { .. } => "ShapeError",
            Error::Value { .. } => "ValueError",
            Error::UnknownName { .. } => "NameError",
            Error::Io { .. } => "IoError",
            Error::Format { .. } => "FormatError",
            Error::Download { .. } => "DownloadError",
            Error::NotFinite { .. } => "NotFiniteError",
            Error::State { .. } => "StateError",
            Error::Interrupted { .. } => "Interrupted",
        }
    }

    /// An unknown name, with the closest of `known` suggested when it is close enough, or else the
    /// known names listed (when there are at most [`LISTED`](Error::LISTED)).
    ///
    /// ```
    /// use nnlab::Error;
    /// let e = Error::unknown_name("Dense", "activation", "reul", &["relu", "sigmoid", "tanh"]);
    /// assert_eq!(e.to_string(), r#"Dense: unknown activation "reul" (did you mean "relu"?)"#);
    /// let e = Error::unknown_name("Dense", "activation", "step", &["relu", "sigmoid", "tanh"]);
    /// assert_eq!(e.to_string(), r#"Dense: unknown activation "step" (known: relu, sigmoid, tanh)"#);
    /// ```
    pub fn unknown_name(op: impl Into<String>, kind: impl Into<String>, name: &str, known: &[&str]) -> Self {
        let suggestion = closest(name, known).map(str::to_string);
        let known = match suggestion {
            None if known.len() <= Error::LISTED => known.iter().map(|k| k.to_string()).collect(),
            _ => vec![],
        };
        Error::UnknownName { op: op.into(), kind: kind.into(), name: name.to_string(), suggestion, known }
    }

    /// How many known names an unknown-name error lists at most (a longer list is left out).
    pub const LISTED: usize = 40;
}

/// The entry of `known` with the smallest edit distance to `name`, if that distance is at most a
/// third of the name's length (at least 2); among equally close entries, the one nearest in length
/// (so `"rde"` suggests `"red"`, not `"r"`).
fn closest<'a>(name: &str, known: &[&'a str]) -> Option<&'a str> {
    let limit = (name.chars().count() / 3).max(2);
    let len = name.chars().count();
    known
        .iter()
        .map(|k| {
            (edit_distance(&name.to_lowercase(), &k.to_lowercase()), k.chars().count().abs_diff(len), *k)
        })
        .filter(|(d, _, _)| *d <= limit)
        .min_by_key(|(d, len_diff, _)| (*d, *len_diff))
        .map(|(_, _, k)| k)
}

/// Edit distance between two strings: insertions, deletions, substitutions and transpositions of
/// neighbours (`"rde"` → `"red"`) each count 1 (the optimal string alignment distance).
fn edit_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let mut d = vec![vec![0usize; b.len() + 1]; a.len() + 1];
    for (i, row) in d.iter_mut().enumerate() {
        row[0] = i;
    }
    for (j, cell) in d[0].iter_mut().enumerate() {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[i - 1][j - 1] + cost).min(d[i - 1][j] + 1).min(d[i][j - 1] + 1);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[i - 2][j - 2] + 1);
            }
            d[i][j] = best;
        }
    }
    d[a.len()][b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestion_only_when_close() {
        assert_eq!(closest("reul", &["relu", "elu"]), Some("relu"));
        assert_eq!(closest("adma", &["adam", "sgd"]), Some("adam"));
        assert_eq!(closest("banana", &["relu", "adam"]), None);
        assert_eq!(closest("rde", &["r", "g", "red", "green"]), Some("red"));
    }

    #[test]
    fn unknown_name_without_suggestion_lists_a_short_list() {
        let e = Error::unknown_name("compile", "optimizer", "banana", &["adam", "sgd"]);
        assert_eq!(e.to_string(), r#"compile: unknown optimizer "banana" (known: adam, sgd)"#);
        let many: Vec<String> = (0..=Error::LISTED).map(|i| format!("name{i}")).collect();
        let many: Vec<&str> = many.iter().map(String::as_str).collect();
        let e = Error::unknown_name("plot", "colormap", "banana", &many);
        assert_eq!(e.to_string(), r#"plot: unknown colormap "banana""#);
        let e = Error::unknown_name("compile", "optimizer", "x", &[]);
        assert_eq!(e.to_string(), r#"compile: unknown optimizer "x""#);
    }
}
