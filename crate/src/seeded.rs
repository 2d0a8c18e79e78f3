//! A small seeded random source for initializers and dropout (Mersenne Twister, `rand_mt::Mt64`).

use rand_mt::Mt64;

/// Uniform and normal `f64` samples from a 64-bit Mersenne Twister.
pub(crate) struct SeededRng {
    mt: Mt64,
    spare_normal: Option<f64>,
}

impl SeededRng {
    /// A generator for `seed`.
    pub(crate) fn new(seed: u64) -> SeededRng {
        SeededRng { mt: Mt64::new(seed), spare_normal: None }
    }

    /// Generator number `k` of a family for `seed` (MT's key initialisation with the key `[seed, k]`):
    /// independent streams for the parts of one job, e.g. the two halves of a dropout mask.
    pub(crate) fn stream(seed: u64, k: u64) -> SeededRng {
        SeededRng { mt: Mt64::new_with_key([seed, k]), spare_normal: None }
    }

    /// 64 random bits.
    #[inline]
    pub(crate) fn next_u64(&mut self) -> u64 {
        self.mt.next_u64()
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub(crate) fn uniform(&mut self) -> f64 {
        (self.mt.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Standard normal (Box–Muller, both values used).
    pub(crate) fn normal(&mut self) -> f64 {
        if let Some(z) = self.spare_normal.take() {
            return z;
        }
        let u1 = 1.0 - self.uniform(); // in (0, 1]
        let u2 = self.uniform();
        let r = (-2.0 * u1.ln()).sqrt();
        let t = std::f64::consts::TAU * u2;
        self.spare_normal = Some(r * t.sin());
        r * t.cos()
    }

    /// A normal truncated to `[-2, 2]` (redrawn outside), as Keras' `truncated_normal`.
    pub(crate) fn truncated_normal(&mut self) -> f64 {
        loop {
            let z = self.normal();
            if z.abs() <= 2.0 {
                return z;
            }
        }
    }

    /// A random permutation of `0..n` (Fisher–Yates).
    pub(crate) fn permutation(&mut self, n: usize) -> Vec<usize> {
        let mut p: Vec<usize> = (0..n).collect();
        for i in (1..n).rev() {
            let j = (self.uniform() * (i + 1) as f64) as usize;
            p.swap(i, j.min(i));
        }
        p
    }
}
