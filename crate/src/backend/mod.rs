//! The fast machinery, behind one boundary: threads, matrix products, copying a mini-batch's rows,
//! 2 MB pages, the vectorised loops of swish and dropout, and every `unsafe` block of nnlab.
//!
//! The teaching code (layers, optimizers, activations, losses, the from-scratch network) states its
//! formula and calls in here for the loops that must be fast; nothing outside this module needs
//! `unsafe`. Each `unsafe` block here says why it is sound in a `// SAFETY:` comment (the workspace lints
//! `unsafe_op_in_unsafe_fn` and `clippy::undocumented_unsafe_blocks` refuse one without).
//!
//! | file | what |
//! |---|---|
//! | `parallel.rs` | two threads: [`join`](parallel::join), element-wise loops in two halves, writing into fresh memory |
//! | `linalg.rs` | matrix products (matrixmultiply, split over the two threads): public as `nnlab::linalg` |
//! | `take_rows.rs` | `x[idx]`, the rows of a mini-batch |
//! | `huge_pages.rs` | a training set in 2 MB pages (`madvise`) |
//! | `memory.rs` | the machine's physical memory; keeping freed blocks in the process for the next step |
//! | `exp.rs`, `swish.rs` | a vectorisable `eˣ`, and swish's forward and backward loops |
//! | `dropout_mask.rs` | dropout's random decisions and mask |
//! | `process_statics.rs` | values shared by every cell's copy of nnlab (the global generator, the kernel's interrupt flag) |
//!
//! Every loop computes each element with the same code wherever a split falls, so results have the
//! same bits on any thread count (tests: `crate/tests/threads.rs`).

mod dropout_mask;
pub(crate) mod exp;
mod huge_pages;
pub mod linalg;
mod memory;
pub(crate) mod parallel;
mod process_statics;
mod swish;
mod take_rows;

pub(crate) use dropout_mask::{drop_and_scale, times_mask};
pub(crate) use huge_pages::prefer_huge_pages;
pub(crate) use memory::{keep_freed_memory, physical_memory};
pub(crate) use process_statics::{kernel_flag, shared_by_cells};
pub(crate) use swish::{swish_backward, swish_forward};
pub(crate) use take_rows::take_rows;
