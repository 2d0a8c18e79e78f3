//! The area under the ROC curve, as Keras approximates it: the true and false positives and negatives
//! are counted at `n` thresholds `−ε, 1/(n−1), 2/(n−1), …, (n−2)/(n−1), 1 + ε` (a prediction above a
//! threshold counts as positive); at each one the true-positive rate `TPR = TP / (TP + FN)` and the
//! false-positive rate `FPR = FP / (FP + TN)` give a point of the curve, and the area is the
//! trapezoid sum `Σᵢ (FPRᵢ − FPRᵢ₊₁) · (TPRᵢ + TPRᵢ₊₁) / 2`. 0.5 is guessing, 1 a perfect ranking.

use ndarray::ArrayD;

/// Confusion counts at each threshold, kept over batches: for the positives and the negatives, how
/// many predictions lie above exactly `k` thresholds (a histogram, so a batch costs one binary search
/// per element rather than one comparison per threshold).
#[derive(Clone, Debug, PartialEq)]
pub struct Curve {
    thresholds: Vec<f32>,
    /// `above[k]`: `[positives, negatives]` above exactly the `k` lowest thresholds, `k` in `0..=n`.
    above: Vec<[f64; 2]>,
}

impl Curve {
    /// Nothing counted yet, at Keras' `num_thresholds` evenly spaced thresholds (at least 2).
    pub fn new(num_thresholds: usize) -> Curve {
        let n = num_thresholds.max(2);
        let mut thresholds = vec![-1e-7f32];
        thresholds.extend((1..n - 1).map(|i| (i as f64 / (n - 1) as f64) as f32));
        thresholds.push(1.0 + 1e-7);
        Curve { above: vec![[0.0; 2]; n + 1], thresholds }
    }

    /// The number of thresholds.
    pub fn num_thresholds(&self) -> usize {
        self.thresholds.len()
    }

    /// Counts every element: `y_true` nonzero is a positive, `y_pred > threshold` a predicted positive.
    pub fn add(&mut self, y_true: &ArrayD<f32>, y_pred: &ArrayD<f32>) {
        for (&t, &p) in y_true.iter().zip(y_pred.iter()) {
            let k = self.thresholds.partition_point(|&th| p > th); // thresholds are increasing
            self.above[k][usize::from(t == 0.0)] += 1.0;
        }
    }

    /// `[TP, FP, TN, FN]` at each threshold.
    fn counts(&self) -> Vec<[f64; 4]> {
        let total = self.above.iter().fold([0.0; 2], |s, a| [s[0] + a[0], s[1] + a[1]]);
        let mut below = [0.0; 2]; // elements at or under threshold i: above exactly k ≤ i thresholds
        (0..self.thresholds.len())
            .map(|i| {
                below = [below[0] + self.above[i][0], below[1] + self.above[i][1]];
                [total[0] - below[0], total[1] - below[1], below[1], below[0]]
            })
            .collect()
    }

    /// The area under the ROC curve (0 before anything is counted).
    pub fn roc_auc(&self) -> f64 {
        let ratio = |a: f64, b: f64| if a + b > 0.0 { a / (a + b) } else { 0.0 };
        let points: Vec<(f64, f64)> =
            self.counts().iter().map(|&[tp, fp, tn, fn_]| (ratio(fp, tn), ratio(tp, fn_))).collect();
        points.windows(2).map(|w| (w[0].0 - w[1].0) * (w[0].1 + w[1].1) / 2.0).sum()
    }
}
