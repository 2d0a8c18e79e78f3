//! Tick positions and labels, like matplotlib's `MaxNLocator` and `ScalarFormatter`.
//!
//! The step is the smallest "nice" number (1, 2, 2.5, 5 × a power of ten) that puts at most `max_bins`
//! intervals across the range; labels all have the same number of decimals and use the minus sign
//! `−` (U+2212), as matplotlib does.

/// Tick positions inside `[lo, hi]` with at most `max_bins` intervals between them.
///
/// ```
/// use nnlab::plot::ticks::{nice_ticks, format_ticks};
/// assert_eq!(nice_ticks(-0.5, 27.5, 8), vec![0.0, 5.0, 10.0, 15.0, 20.0, 25.0]);
/// assert_eq!(format_ticks(&nice_ticks(-1.5, 3.0, 5)), ["−1", "0", "1", "2", "3"]);
/// ```
pub fn nice_ticks(lo: f64, hi: f64, max_bins: usize) -> Vec<f64> {
    let (lo, hi) = if lo <= hi { (lo, hi) } else { (hi, lo) };
    let span = hi - lo;
    if !lo.is_finite() || !hi.is_finite() {
        return vec![];
    }
    if span <= 0.0 {
        return vec![lo];
    }
    let raw = span / max_bins.max(1) as f64;
    let scale = 10f64.powf(raw.log10().floor());
    let mantissa =
        [1.0, 2.0, 2.5, 5.0, 10.0].into_iter().find(|m| m * scale >= raw * (1.0 - 1e-9)).unwrap_or(10.0);
    let step = mantissa * scale;
    if !(step > 0.0 && step.is_finite() && span / step < 1e6) {
        return vec![lo]; // (a span too small for f64 steps)
    }
    // k · step computed as k · mantissa / 10^d for small steps, so that 3 · 0.2 is exactly 0.6.
    let at = |k: i64| if scale < 1.0 { k as f64 * mantissa / (1.0 / scale).round() } else { k as f64 * step };
    let eps = step * 1e-9;
    let first = (lo / step - 1e-9).ceil() as i64;
    let last = (hi / step + 1e-9).floor() as i64;
    (first..=last)
        .map(|k| {
            let v = at(k);
            if v.abs() < eps {
                0.0
            } else {
                v
            }
        })
        .collect()
}

/// Labels for `ticks`, all with the fewest decimals (at most 6) that show every tick exactly.
pub fn format_ticks(ticks: &[f64]) -> Vec<String> {
    let decimals = (0..=6)
        .find(|d| {
            let f = 10f64.powi(*d);
            ticks.iter().all(|t| ((t * f).round() / f - t).abs() <= 1e-9 * t.abs().max(1.0))
        })
        .unwrap_or(6) as usize;
    ticks.iter().map(|t| format_number(*t, decimals)).collect()
}

/// `v` with `decimals` decimals and a typographic minus sign.
pub fn format_number(v: f64, decimals: usize) -> String {
    let s = format!("{:.*}", decimals, v);
    let s =
        if s.trim_start_matches('-').chars().all(|c| c == '0' || c == '.') { s.replace('-', "") } else { s };
    s.replace('-', "\u{2212}")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn steps_are_nice() {
        assert_eq!(nice_ticks(-3.0, 3.0, 8), vec![-3.0, -2.0, -1.0, 0.0, 1.0, 2.0, 3.0]);
        assert_eq!(nice_ticks(0.0, 1.0, 5), vec![0.0, 0.2, 0.4, 0.6, 0.8, 1.0]);
        assert_eq!(nice_ticks(0.0, 10.0, 4), vec![0.0, 2.5, 5.0, 7.5, 10.0]);
        assert_eq!(nice_ticks(1.0, 1.0, 4), vec![1.0]);
        assert!(nice_ticks(f64::NAN, 1.0, 4).is_empty());
    }

    #[test]
    fn labels_share_decimals() {
        assert_eq!(format_ticks(&[0.0, 0.5, 1.0]), ["0.0", "0.5", "1.0"]);
        assert_eq!(format_ticks(&[0.0, 2.5, 5.0]), ["0.0", "2.5", "5.0"]);
        assert_eq!(format_ticks(&[-0.2, 0.0]), ["\u{2212}0.2", "0.0"]);
        assert_eq!(format_number(-0.0001, 1), "0.0");
    }
}
