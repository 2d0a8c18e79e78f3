use nnlab::prelude::*;
// Binding a variable once at start-up pays evcxr's one-time cost of the first `let` before the
// student's first cell runs (measured: the first `let` of a session takes ~2 s otherwise).
// It goes through `?` once, too: evcxr 0.22 shows the Debug text instead of the rich output of a cell
// whose last expression holds the session's first `?` (e.g. `imshow(&a)?`); a `?` here takes that first.
let nnlab_version = Ok::<&str, nnlab::Error>(nnlab::VERSION)?;
