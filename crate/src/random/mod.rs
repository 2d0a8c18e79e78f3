//! numpy's legacy random numbers (`np.random.RandomState` and `np.random.*`), number for number.
//!
//! The same seed gives the same numbers as numpy, bit for bit: the lecture's initial weights, biases
//! and shuffling order are reproduced exactly. Underneath is the 32-bit Mersenne Twister of the
//! `rand_mt` crate; on top, numpy's legacy algorithms:
//!
//! | numpy | here | how |
//! |---|---|---|
//! | `RandomState(seed)`, `rnd.seed(s)` | [`RandomState::new`], [`RandomState::seed`] | MT19937 `init_genrand(seed)` |
//! | `rnd.rand(...)`, `rnd.random_sample()` | [`rand`](RandomState::rand), [`random_sample`](RandomState::random_sample) | 53 bits from two 32-bit outputs |
//! | `rnd.randn(...)`, `rnd.normal(...)` | [`randn`](RandomState::randn), [`normal`](RandomState::normal) | polar Box-Muller, second value cached |
//! | `rnd.randint(low, high, size)` | [`randint`](RandomState::randint) | masked rejection, 32 or 64 bits |
//! | `rnd.uniform(low, high, size)` | [`uniform`](RandomState::uniform) | `low + (high-low)·u` |
//! | `rnd.shuffle(x)`, `rnd.permutation(n)` | [`shuffle`](RandomState::shuffle), [`shuffle_rows`](RandomState::shuffle_rows), [`permutation`](RandomState::permutation) | Fisher-Yates from the end |
//! | `rnd.choice(n, size, replace)` | [`choice`](RandomState::choice) | `randint` or a permutation's head |
//! | `copy.deepcopy(rnd)` | `rnd.clone()` | an independent copy |
//! | `np.random.seed(s)`, `np.random.rand()` | [`seed`], [`random()`], [`rand`], [`randn`], ... | one global generator |
//!
//! Shapes are given as ndarray takes them (`5`, `(28, 1)`, `[10, 784]`) and filled in numpy's C order.
//!
//! # The lecture's uses
//!
//! `rnd = np.random.RandomState(121)`, then deep copies for the biases, the weights and the training
//! loop's shuffling, so each starts from the same state:
//!
//! ```
//! use nnlab::prelude::*;
//! let rnd = RandomState::new(121);
//!
//! // set_biases([28, 28, 10], copy.deepcopy(rnd)): rnd.randn(y, 1) for each layer
//! let mut r = rnd.clone();
//! let biases: Vec<Array2<f64>> = [28, 28, 10].iter().map(|&y| r.randn((y, 1))).collect();
//!
//! // set_weights([[784, 28], [28, 28], [28, 10]], copy.deepcopy(rnd)): rnd.randn(y, x)
//! let mut r = rnd.clone();
//! let weights: Vec<Array2<f64>> = [(784, 28), (28, 28), (28, 10)].iter().map(|&(x, y)| r.randn((y, x))).collect();
//! assert_eq!(weights[0].shape(), &[28, 784]);
//! assert_eq!(biases[0][[0, 0]], weights[0][[0, 0]]); // both copies start at the same state
//!
//! // train(..., copy.deepcopy(rnd)): rnd.shuffle(training_data) at each epoch
//! let mut r = rnd.clone();
//! let mut order: Vec<usize> = (0..60000).collect();
//! r.shuffle(&mut order);
//! ```
//!
//! The lecture's `func` draws from the module-level generator, `np.random.rand()`:
//!
//! ```
//! use nnlab::prelude::*;
//! random::seed(0);
//! let x = if 0.0 == 0.0 { random::random() } else { 1.0 };
//! assert_eq!(x, 0.5488135039273248);
//! let b = random::randn((28, 1)); // set_biases([28, 28, 10], np.random)[0]
//! assert_eq!(b.shape(), &[28, 1]);
//! ```

mod bounded;
mod gauss;
mod global;
mod state;

pub use global::{
    choice, get_state, normal, permutation, rand, randint, randn, random, random_sample, seed, set_state,
    shuffle, standard_normal, uniform, DEFAULT_SEED,
};
pub use state::RandomState;
