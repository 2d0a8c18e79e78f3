//! Bar charts and histograms: `ax.bar(x, height)` and `ax.hist(values, bins)`, as matplotlib draws
//! them (filled bars from 0, tab10 colours in turn with the lines).
//!
//! ```
//! use nnlab::plot::Axes;
//! let mut ax = Axes::default();
//! let h = ax.hist(&[1.0, 2.0, 2.5, 3.0, 4.0], 3)?; // numpy's bins: 3 of equal width over [1, 4]
//! assert_eq!(h.counts(), &[1.0, 2.0, 2.0]);
//! assert_eq!(h.edges(), &[1.0, 2.0, 3.0, 4.0]);
//! ax.bar(&[0, 1, 2], &[3.0, 1.0, 2.0])?.label("per class").color("tab:orange")?;
//! # Ok::<(), nnlab::Error>(())
//! ```

use super::color::parse_color;
use crate::Result;

/// Bars of one `bar` or `hist` call: bar `i` spans `x[i] ± width/2` horizontally and `0..height[i]`.
#[derive(Clone, Debug, PartialEq)]
pub struct Bars {
    pub(crate) x: Vec<f64>,
    pub(crate) height: Vec<f64>,
    pub(crate) width: f64,
    pub(crate) color: [u8; 3],
    pub(crate) label: Option<String>,
    /// For a histogram: the bin edges (`len() + 1` of them).
    pub(crate) edges: Vec<f64>,
}

impl Bars {
    /// The legend's label for these bars.
    pub fn label(&mut self, label: &str) -> &mut Self {
        self.label = Some(label.to_string());
        self
    }
    /// The fill colour (a matplotlib name such as `"tab:blue"`, `"red"`, or `"#1f77b4"`).
    pub fn color(&mut self, name: &str) -> Result<&mut Self> {
        self.color = parse_color(name)?;
        Ok(self)
    }
    /// The width of each bar in data units (default 0.8 for `bar`, the bin width for `hist`).
    pub fn width(&mut self, width: f64) -> &mut Self {
        if width.is_finite() && width > 0.0 {
            self.width = width;
        }
        self
    }
    /// The bars' heights: for a histogram, the count in each bin (numpy's `hist`).
    pub fn counts(&self) -> &[f64] {
        &self.height
    }
    /// A histogram's bin edges, `counts().len() + 1` of them (empty for `bar`).
    pub fn edges(&self) -> &[f64] {
        &self.edges
    }
    /// The bars' centres.
    pub fn xs(&self) -> &[f64] {
        &self.x
    }
}

/// numpy's `histogram(values, bins)`: `bins` bins of equal width from the smallest to the largest
/// finite value, each half-open `[a, b)` but the last, which holds its right edge. Non-finite values are
/// left out. Returns `(counts, edges)`.
pub(crate) fn histogram(values: &[f64], bins: usize) -> (Vec<f64>, Vec<f64>) {
    let finite: Vec<f64> = values.iter().copied().filter(|v| v.is_finite()).collect();
    let (mut lo, mut hi) =
        finite.iter().fold((f64::INFINITY, f64::NEG_INFINITY), |(a, b), &v| (a.min(v), b.max(v)));
    if finite.is_empty() {
        (lo, hi) = (0.0, 1.0);
    } else if lo == hi {
        (lo, hi) = (lo - 0.5, hi + 0.5); // numpy's range for a single value
    }
    let step = (hi - lo) / bins as f64;
    let edges: Vec<f64> = (0..=bins).map(|i| if i == bins { hi } else { lo + step * i as f64 }).collect();
    let mut counts = vec![0.0; bins];
    for v in finite {
        let k = (((v - lo) / step) as usize).min(bins - 1);
        // The computed bin may be off by one at an edge: the edges decide, as in numpy.
        let k = if v < edges[k] {
            k - 1
        } else if k + 1 < bins && v >= edges[k + 1] {
            k + 1
        } else {
            k
        };
        counts[k] += 1.0;
    }
    (counts, edges)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn histogram_follows_numpy() {
        // np.histogram([1, 2, 2, 3, 10], 3) -> ([4, 0, 1], [1, 4, 7, 10])
        assert_eq!(
            histogram(&[1.0, 2.0, 2.0, 3.0, 10.0], 3),
            (vec![4.0, 0.0, 1.0], vec![1.0, 4.0, 7.0, 10.0])
        );
        // the last bin holds its right edge; NaN is left out
        assert_eq!(histogram(&[0.0, 1.0, f64::NAN], 2), (vec![1.0, 1.0], vec![0.0, 0.5, 1.0]));
        // np.histogram([5, 5], 2) -> ([0, 2], [4.5, 5, 5.5])
        assert_eq!(histogram(&[5.0, 5.0], 2), (vec![0.0, 2.0], vec![4.5, 5.0, 5.5]));
    }
}
