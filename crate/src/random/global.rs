//! The module-level generator, like `np.random.seed(0)` / `np.random.rand()`.
//!
//! One [`RandomState`] behind a `Mutex`, shared by the whole process. numpy seeds its global generator
//! from the operating system; ours starts seeded with [`DEFAULT_SEED`] (`0`) so that a notebook run
//! twice gives the same pictures. Call [`seed`] to choose another.
//!
//! evcxr builds every cell into a library of its own that carries its own copy of this crate's
//! `static`s, so a plain `static` would give every cell a freshly seeded generator. The first copy that
//! needs the generator therefore leaks it and writes its address, tagged with the crate version, the
//! type and the process id, into the environment variable `NNLAB_GLOBAL_RANDOM_STATE`; the copies of
//! later cells find it there (`backend::process_statics`). A child process sees a different process id
//! and makes its own.

use std::sync::{Mutex, MutexGuard, OnceLock};

use ndarray::{Array, Array1, Dimension, ShapeBuilder};

use super::RandomState;
use crate::backend::shared_by_cells;
use crate::Result;

/// The seed of the module-level generator until [`seed`] is called (numpy would seed from the OS).
///
/// ```
/// use nnlab::random::{self, RandomState, DEFAULT_SEED};
/// // In a fresh process the first draws are those of RandomState::new(DEFAULT_SEED):
/// assert_eq!(random::random(), RandomState::new(DEFAULT_SEED).random());
/// ```
pub const DEFAULT_SEED: u32 = 0;

const ENV_KEY: &str = "NNLAB_GLOBAL_RANDOM_STATE";

/// This copy's handle on the shared generator (see the module docs for why it is not the generator).
static LOCAL: OnceLock<&'static Mutex<RandomState>> = OnceLock::new();

/// The module-level generator, locked (a panic in another holder does not poison it for us).
fn global() -> MutexGuard<'static, RandomState> {
    let shared =
        LOCAL.get_or_init(|| shared_by_cells(ENV_KEY, || Mutex::new(RandomState::new(DEFAULT_SEED))));
    shared.lock().unwrap_or_else(|poisoned| poisoned.into_inner())
}

/// Reseeds the module-level generator, like `np.random.seed(seed)`.
///
/// ```
/// use nnlab::random;
/// random::seed(0);
/// assert_eq!(random::random(), 0.5488135039273248); // np.random.seed(0); np.random.rand()
/// ```
pub fn seed(seed: u32) {
    global().seed(seed);
}

/// One uniform number in `[0, 1)` from the module-level generator, what the lecture's
/// `np.random.rand()` (no arguments) returns. See [`RandomState::random_sample`].
///
/// ```
/// let x = nnlab::random::random();
/// assert!((0.0..1.0).contains(&x));
/// ```
pub fn random() -> f64 {
    global().random_sample()
}

/// Same as [`random`] (numpy's other name).
///
/// ```
/// assert!(nnlab::random::random_sample() < 1.0);
/// ```
pub fn random_sample() -> f64 {
    global().random_sample()
}

/// One standard normal number from the module-level generator, like `np.random.randn()`.
///
/// ```
/// assert!(nnlab::random::standard_normal().is_finite());
/// ```
pub fn standard_normal() -> f64 {
    global().standard_normal()
}

/// Uniform numbers in `[0, 1)` of `shape`, like `np.random.rand(d0, d1, ...)`. See [`RandomState::rand`].
///
/// ```
/// let a = nnlab::random::rand((2, 3));
/// assert_eq!(a.shape(), &[2, 3]);
/// ```
pub fn rand<Sh: ShapeBuilder<Dim = D>, D: Dimension>(shape: Sh) -> Array<f64, D> {
    global().rand(shape)
}

/// Standard normal numbers of `shape`, like `np.random.randn(d0, d1, ...)`. See [`RandomState::randn`].
///
/// ```
/// let b = nnlab::random::randn((10, 1));
/// assert_eq!(b.shape(), &[10, 1]);
/// ```
pub fn randn<Sh: ShapeBuilder<Dim = D>, D: Dimension>(shape: Sh) -> Array<f64, D> {
    global().randn(shape)
}

/// Integers in `low..high`, like `np.random.randint(low, high, size)`. See [`RandomState::randint`].
///
/// ```
/// let a = nnlab::random::randint(0, 3, 4)?;
/// assert!(a.iter().all(|&v| (0..3).contains(&v)));
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn randint<Sh: ShapeBuilder<Dim = D>, D: Dimension>(
    low: i64,
    high: i64,
    shape: Sh,
) -> Result<Array<i64, D>> {
    global().randint(low, high, shape)
}

/// Uniform numbers in `[low, high)`, like `np.random.uniform`. See [`RandomState::uniform`].
///
/// ```
/// let a = nnlab::random::uniform(-1.0, 1.0, 3)?;
/// assert_eq!(a.len(), 3);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn uniform<Sh: ShapeBuilder<Dim = D>, D: Dimension>(
    low: f64,
    high: f64,
    shape: Sh,
) -> Result<Array<f64, D>> {
    global().uniform(low, high, shape)
}

/// Normal numbers `loc + scale·z`, like `np.random.normal`. See [`RandomState::normal`].
///
/// ```
/// let a = nnlab::random::normal(0.0, 0.1, (3, 3))?;
/// assert_eq!(a.shape(), &[3, 3]);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn normal<Sh: ShapeBuilder<Dim = D>, D: Dimension>(
    loc: f64,
    scale: f64,
    shape: Sh,
) -> Result<Array<f64, D>> {
    global().normal(loc, scale, shape)
}

/// Shuffles a slice in place, like `np.random.shuffle(x)`. See [`RandomState::shuffle`].
///
/// ```
/// let mut v = vec![1, 2, 3];
/// nnlab::random::shuffle(&mut v);
/// v.sort();
/// assert_eq!(v, [1, 2, 3]);
/// ```
pub fn shuffle<T>(x: &mut [T]) {
    global().shuffle(x)
}

/// `0..n` in random order, like `np.random.permutation(n)`. See [`RandomState::permutation`].
///
/// ```
/// assert_eq!(nnlab::random::permutation(5).len(), 5);
/// ```
pub fn permutation(n: usize) -> Array1<usize> {
    global().permutation(n)
}

/// A sample of indices `0..n`, like `np.random.choice(n, size, replace)`. See [`RandomState::choice`].
///
/// ```
/// let idx = nnlab::random::choice(60000, 64, false)?;
/// assert_eq!(idx.len(), 64);
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn choice<Sh: ShapeBuilder<Dim = D>, D: Dimension>(
    n: usize,
    size: Sh,
    replace: bool,
) -> Result<Array<usize, D>> {
    global().choice(n, size, replace)
}

/// A copy of the module-level generator's state (numpy's `np.random.get_state()`), e.g. to pass the
/// global stream to a function that takes a [`RandomState`], as the lecture passes `np.random`.
///
/// ```
/// use nnlab::random;
/// random::seed(5);
/// let mut copy = random::get_state();
/// assert_eq!(copy.random(), random::random());
/// ```
pub fn get_state() -> RandomState {
    global().clone()
}

/// Replaces the module-level generator's state (numpy's `np.random.set_state(state)`).
///
/// ```
/// use nnlab::random::{self, RandomState};
/// random::set_state(&RandomState::new(0));
/// assert_eq!(random::random(), 0.5488135039273248);
/// ```
pub fn set_state(state: &RandomState) {
    *global() = state.clone();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn another_copy_of_the_crate_finds_the_same_generator() {
        let ours: *const Mutex<RandomState> =
            *LOCAL.get_or_init(|| shared_by_cells(ENV_KEY, || Mutex::new(RandomState::new(DEFAULT_SEED))));
        // What the copy in a later evcxr cell does: its own OnceLock is empty, so it looks it up.
        let theirs: *const Mutex<RandomState> = shared_by_cells(ENV_KEY, || Mutex::new(RandomState::new(9)));
        assert_eq!(ours, theirs);
        let value = std::env::var(ENV_KEY).unwrap();
        assert!(value.starts_with(&format!("{}:", crate::VERSION)), "{value}");
        assert!(value.contains(&format!(":{}@", std::process::id())), "{value}");
    }
}
