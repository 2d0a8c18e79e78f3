//! A confusion matrix as a picture, the follow-up to `evaluate` (sklearn's `ConfusionMatrixDisplay`):
//! one cell per (true class, predicted class) shaded by its count, the count written in it, the class
//! names on both axes.

use ndarray::Array2;

use super::figure::Figure;
use crate::{Error, Result};

/// The confusion matrix `cm` (from [`metrics::confusion_matrix`](crate::metrics::confusion_matrix):
/// rows are true classes, columns predicted ones) as a figure: the `"Blues"` colormap with a colorbar,
/// each count in its cell (white on the dark cells, as sklearn does), `class_names` under the columns
/// (written upwards when a name is longer than 5 letters) and beside the rows (`&[]`: the class
/// numbers), "Predicted label" and "True label" on the axes.
///
/// ```
/// use nnlab::prelude::*;
/// let cm = nnlab::metrics::confusion_matrix(&array![0u8, 1, 1, 2], &array![0u8, 1, 2, 2])?;
/// let fig = nnlab::plot::confusion_matrix(&cm, &["cat", "dog", "bird"])?;
/// assert_eq!(fig.to_png()?.bytes()[1..4], *b"PNG");
/// assert!(nnlab::plot::confusion_matrix(&cm, &["cat", "dog"]).is_err()); // 3 classes, 2 names
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn confusion_matrix(cm: &Array2<usize>, class_names: &[&str]) -> Result<Figure> {
    let op = "plot::confusion_matrix";
    let n = cm.nrows();
    if n == 0 || cm.ncols() != n {
        return Err(Error::shape(
            op,
            "a square, non-empty matrix [classes, classes]",
            format!("{:?}", cm.shape()),
        ));
    }
    let numbers: Vec<String> = (0..n).map(|i| i.to_string()).collect();
    let names: Vec<&str> = match class_names {
        [] => numbers.iter().map(String::as_str).collect(),
        names if names.len() == n => names.to_vec(),
        names => {
            return Err(Error::shape(
                op,
                format!("one class name per row of the matrix ({n})"),
                format!("{} names", names.len()),
            ))
        }
    };
    let mut fig = Figure::new().size(6.4, 5.6);
    let ax = fig.ax(0)?;
    ax.imshow(cm)?.cmap("Blues")?.colorbar();
    let (lo, hi) = (cm.iter().min().copied().unwrap_or(0), cm.iter().max().copied().unwrap_or(0));
    let threshold = (lo + hi) as f64 / 2.0;
    for ((i, j), &count) in cm.indexed_iter() {
        let color = if count as f64 > threshold { "white" } else { "black" };
        ax.text_color(j as f64, i as f64, &count.to_string(), color)?;
    }
    let positions: Vec<f64> = (0..n).map(|i| i as f64).collect();
    ax.xticks(&positions, &names)?.yticks(&positions, &names)?;
    if names.iter().any(|name| name.chars().count() > 5) {
        ax.xticks_rotation(90.0)?;
    }
    ax.xlabel("Predicted label").ylabel("True label");
    Ok(fig)
}
