use nnlab::prelude::*;
// Binding a variable once at start-up pays evcxr's one-time cost of the first `let` before the
// student's first cell runs (measured: the first `let` of a session takes ~2 s otherwise).
let nnlab_version = nnlab::VERSION;
