//! `eˣ` for `x ≤ 0` in plain `f32` arithmetic, so that a loop of them vectorises (libm's `expf` is a
//! function call per element, which keeps the compiler from using more than one lane), and the
//! sigmoid built on it. What swish, sigmoid and softmax need: `e^(−|x|)` and `e^(x − max)`.
//!
//! The method is Cephes' `expf` (S. Moshier): write `x = n ln 2 + r` with `n = round(x / ln 2)` and
//! `|r| ≤ ln 2 / 2`, then `eˣ = 2ⁿ · eʳ`, with `eʳ ≈ 1 + r + r² p(r)` (a degree-5 polynomial `p`) and `2ⁿ`
//! made from its bits. Relative error below `8e-8` (under one unit in the last place of an `f32`),
//! checked against `f64` in the tests.
//!
//! Every step is an ordinary `+`, `−`, `·` or bit operation (Rust never fuses `a·b + c` on its own), so
//! the result has the same bits whatever instructions the loop is compiled to (SSE2 or AVX2).

/// `eˣ` for `x ≤ 0`; `0` below `−87.3365` (where `eˣ` is under `f32`'s smallest normal number, `2⁻¹²⁶`);
/// NaN for NaN. (Crate-private: checked against `f64` by the tests below.)
#[inline(always)]
pub(crate) fn exp_neg(x: f32) -> f32 {
    const MIN: f32 = -87.336_54; // ln(2⁻¹²⁶)
                                 // (Not `x.max(MIN)`: that turns NaN into MIN; a comparison keeps NaN, which then propagates.)
    let xc = if x < MIN { MIN } else { x };
    // n = round(x / ln 2), by adding 1.5·2²³ (which rounds to an integer) and taking it away again.
    let shifted = xc * std::f32::consts::LOG2_E + 12_582_912.0;
    let n = shifted - 12_582_912.0;
    // r = x − n ln 2, with ln 2 in two parts: C1 = 0.693359375 = 355/512 (written 0.693_359_4, the same
    // f32) has so few bits that n·C1 is exact, and C2 = ln 2 − C1 (Cephes' constants throughout).
    let r = xc - n * 0.693_359_4 + n * 2.121_944_4e-4;
    let p = ((((1.987_569_1e-4 * r + 1.398_199_9e-3) * r + 8.333_452e-3) * r + 4.166_579_6e-2) * r
        + 1.666_666_6e-1)
        * r
        + 5e-1;
    let e_r = p * (r * r) + r + 1.0;
    // 2ⁿ: the exponent field n + 127. The low bits of `shifted` are n + 2²² (two's complement).
    let two_n = f32::from_bits(shifted.to_bits().wrapping_sub(0x4B40_0000 - 127) << 23);
    if x < MIN {
        0.0
    } else {
        e_r * two_n
    }
}

/// `σ(x) = 1 / (1 + e⁻ˣ)` with [`exp_neg`], without overflow: `n / (1 + e)` with `e = e^(−|x|)` and `n = 1`
/// for `x ≥ 0`, `n = e` otherwise (`e^x / (1 + e^x)`), the same formula as `formulas::sigmoid`.
#[inline(always)]
pub(crate) fn sigmoid(x: f32) -> f32 {
    let e = exp_neg(-x.abs());
    let numerator = if x >= 0.0 { 1.0 } else { e };
    numerator / (1.0 + e)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exp_neg_is_within_one_ulp_of_f64() {
        let mut worst = 0.0f64;
        let mut x = -87.3f32;
        while x <= 0.0 {
            let (ours, exact) = (exp_neg(x) as f64, (x as f64).exp());
            worst = worst.max(((ours - exact) / exact).abs());
            x += 0.000_37;
        }
        assert!(worst < 1e-7, "largest relative error {worst:e}");
        assert_eq!(exp_neg(0.0), 1.0);
        assert_eq!(exp_neg(-0.0), 1.0);
    }

    #[test]
    fn exp_neg_ends() {
        assert_eq!(exp_neg(-87.4), 0.0);
        assert_eq!(exp_neg(f32::NEG_INFINITY), 0.0);
        assert!(exp_neg(f32::NAN).is_nan());
        let smallest = exp_neg(-87.336_54) as f64;
        assert!((smallest / (-87.336_54f64).exp() - 1.0).abs() < 1e-6);
    }

    #[test]
    fn sigmoid_matches_the_formula() {
        for i in -2000..=2000 {
            let x = i as f32 * 0.05;
            let exact = 1.0 / (1.0 + (-(x as f64)).exp());
            // (below e^−87.3 the result is 0: off by less than f32's smallest normal number)
            let allowed = 2e-7 * exact + f32::MIN_POSITIVE as f64;
            assert!((sigmoid(x) as f64 - exact).abs() <= allowed, "{x}");
        }
        assert_eq!(sigmoid(100.0), 1.0);
        assert_eq!(sigmoid(-100.0), 0.0);
        assert!(sigmoid(f32::NAN).is_nan());
    }
}
