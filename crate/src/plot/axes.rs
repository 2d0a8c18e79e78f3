//! One plot inside a figure: lines and/or an image, with title, axis labels, grid, limits, legend.
//!
//! Setters take `&mut self` and return `&mut Self`, so they chain; those that can fail on a bad
//! argument (a colour or colormap name) return `Result<&mut Self>`.
//!
//! ```
//! use nnlab::plot::Axes;
//! let mut ax = Axes::default();
//! ax.plot(&[0.0, 1.0, 2.0], &[0.0, 1.0, 4.0])?.label("x²").color("red")?;
//! ax.title("squares").xlabel("x").ylabel("y").grid().legend();
//! assert_eq!(ax.lines().len(), 1);
//! # Ok::<(), nnlab::Error>(())
//! ```

use ndarray::{Array2, ArrayBase, Data, Dimension, Ix2};

use super::color::{parse_color, TAB10};
use super::colormap::Colormap;
use super::data::{image_f64, Element, Series};
use crate::{Error, Result};

/// A line of a line plot: points `(x[i], y[i])` joined in order (NaN breaks the line).
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    pub(crate) x: Vec<f64>,
    pub(crate) y: Vec<f64>,
    pub(crate) label: Option<String>,
    pub(crate) color: [u8; 3],
    pub(crate) width: f64,
}

impl Line {
    /// The name shown in the legend.
    pub fn label(&mut self, label: &str) -> &mut Self {
        self.label = Some(label.to_string());
        self
    }
    /// The colour, by name (`"red"`, `"C2"`, `"tab:blue"`, `"#1f77b4"`); unknown names are an error.
    pub fn color(&mut self, name: &str) -> Result<&mut Self> {
        self.color = parse_color(name)?;
        Ok(self)
    }
    /// The line width in points (matplotlib's default 1.5).
    pub fn linewidth(&mut self, points: f64) -> &mut Self {
        self.width = if points.is_finite() { points.max(0.0) } else { 1.5 };
        self
    }
    /// The x values.
    pub fn xs(&self) -> &[f64] {
        &self.x
    }
    /// The y values.
    pub fn ys(&self) -> &[f64] {
        &self.y
    }
}

/// An image shown cell by cell (nearest interpolation) through a colormap.
#[derive(Clone, Debug, PartialEq)]
pub struct Image {
    pub(crate) data: Array2<f64>,
    pub(crate) cmap: Colormap,
    pub(crate) vmin: Option<f64>,
    pub(crate) vmax: Option<f64>,
    pub(crate) colorbar: bool,
}

impl Image {
    /// The colormap by name (`"viridis"` default, `"gray"`, `"magma"`, `"coolwarm"`, ..., `"<name>_r"`).
    pub fn cmap(&mut self, name: &str) -> Result<&mut Self> {
        self.cmap = Colormap::from_name(name)?;
        Ok(self)
    }
    /// The value shown with the lowest colour (default: the smallest finite value).
    pub fn vmin(&mut self, v: f64) -> &mut Self {
        self.vmin = Some(v);
        self
    }
    /// The value shown with the highest colour (default: the largest finite value).
    pub fn vmax(&mut self, v: f64) -> &mut Self {
        self.vmax = Some(v);
        self
    }
    /// Draw a colour bar right of the image.
    pub fn colorbar(&mut self) -> &mut Self {
        self.colorbar = true;
        self
    }
    /// The data, as `f64`, shape `[rows, cols]`.
    pub fn data(&self) -> &Array2<f64> {
        &self.data
    }
    /// The value range `(vmin, vmax)` the colours span: the fixed one or the finite data range.
    pub fn value_range(&self) -> (f64, f64) {
        let (lo, hi) = super::data::finite_range(self.data.iter()).unwrap_or((0.0, 1.0));
        (self.vmin.unwrap_or(lo), self.vmax.unwrap_or(hi))
    }
}

/// One plot: lines, at most one image, and the decorations around them.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct Axes {
    pub(crate) lines: Vec<Line>,
    pub(crate) image: Option<Image>,
    pub(crate) title: Option<String>,
    pub(crate) xlabel: Option<String>,
    pub(crate) ylabel: Option<String>,
    pub(crate) grid: bool,
    pub(crate) legend: bool,
    pub(crate) xlim: Option<(f64, f64)>,
    pub(crate) ylim: Option<(f64, f64)>,
}

impl Axes {
    /// Add the line through `(x[i], y[i])`, in the next colour of the default cycle. `x` and `y` can be
    /// `Array1`s, views, `Vec`s or slices of any number type; they must be non-empty and of equal length.
    pub fn plot<X, Y>(&mut self, x: &X, y: &Y) -> Result<&mut Line>
    where
        X: Series + ?Sized,
        Y: Series + ?Sized,
    {
        let (x, y) = (x.to_f64_vec(), y.to_f64_vec());
        if x.len() != y.len() {
            return Err(Error::shape(
                "plot",
                "x and y of the same length",
                format!("x of length {} and y of length {}", x.len(), y.len()),
            ));
        }
        if x.is_empty() {
            return Err(Error::shape("plot", "at least one point", "empty x and y"));
        }
        let color = TAB10[self.lines.len() % TAB10.len()];
        self.lines.push(Line { x, y, label: None, color, width: 1.5 });
        Ok(self.lines.last_mut().expect("just pushed"))
    }

    /// Add the line through `(i, y[i])`, like matplotlib's `plt.plot(y)`.
    pub fn plot_y<Y: Series + ?Sized>(&mut self, y: &Y) -> Result<&mut Line> {
        let y = y.to_f64_vec();
        let x: Vec<f64> = (0..y.len()).map(|i| i as f64).collect();
        self.plot(&x, &y)
    }

    /// Show a 2-D array as an image (replacing an earlier one): row 0 at the top, one square cell per
    /// element, viridis over the finite value range. The array must have at least one row and column.
    ///
    /// A flat image (`[784]`) or one with a channel axis (`[28, 28, 1]`) is an error that says how to
    /// reshape it.
    pub fn imshow<S, T, D>(&mut self, a: &ArrayBase<S, D>) -> Result<&mut Image>
    where
        S: Data<Elem = T>,
        T: Element,
        D: Dimension,
    {
        let Ok(a) = a.view().into_dimensionality::<Ix2>() else {
            let hint = match a.shape() {
                [n] => format!(
                    "; reshape it to rows × columns first, e.g. .into_shape_with_order(({r}, {r})) for {n} pixels",
                    r = (*n as f64).sqrt().round()
                ),
                [_, _, 1] => "; drop the channel axis first, e.g. .index_axis(Axis(2), 0)".to_string(),
                _ => String::new(),
            };
            return Err(Error::shape(
                "imshow",
                format!("a 2-D array (rows × columns){hint}"),
                format!("a {}-D array of shape {:?}", a.ndim(), a.shape()),
            ));
        };
        if a.is_empty() {
            return Err(Error::shape("imshow", "a non-empty 2-D array", format!("shape {:?}", a.shape())));
        }
        self.image = Some(Image {
            data: image_f64(&a),
            cmap: Colormap::default(),
            vmin: None,
            vmax: None,
            colorbar: false,
        });
        Ok(self.image.as_mut().expect("just set"))
    }

    /// The title above the plot.
    pub fn title(&mut self, text: &str) -> &mut Self {
        self.title = Some(text.to_string());
        self
    }
    /// The label under the x axis.
    pub fn xlabel(&mut self, text: &str) -> &mut Self {
        self.xlabel = Some(text.to_string());
        self
    }
    /// The label left of the y axis.
    pub fn ylabel(&mut self, text: &str) -> &mut Self {
        self.ylabel = Some(text.to_string());
        self
    }
    /// Draw grid lines at the ticks.
    pub fn grid(&mut self) -> &mut Self {
        self.grid = true;
        self
    }
    /// Draw a legend of the labelled lines (placed in the corner the lines cross least).
    pub fn legend(&mut self) -> &mut Self {
        self.legend = true;
        self
    }
    /// Fix the x range to `[lo, hi]` (checked when drawn: finite and `lo != hi`).
    pub fn xlim(&mut self, lo: f64, hi: f64) -> &mut Self {
        self.xlim = Some((lo, hi));
        self
    }
    /// Fix the y range to `[lo, hi]` (checked when drawn: finite and `lo != hi`).
    pub fn ylim(&mut self, lo: f64, hi: f64) -> &mut Self {
        self.ylim = Some((lo, hi));
        self
    }
    /// The lines, in the order they were added.
    pub fn lines(&self) -> &[Line] {
        &self.lines
    }
    /// The image, if there is one.
    pub fn image(&self) -> Option<&Image> {
        self.image.as_ref()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_inputs_are_errors() {
        let mut ax = Axes::default();
        let e = ax.plot(&[1.0, 2.0], &[1.0]).unwrap_err().to_string();
        assert!(e.contains("x of length 2 and y of length 1"), "{e}");
        assert!(ax.plot(&Vec::<f64>::new(), &Vec::<f64>::new()).is_err());
        assert!(ax.imshow(&Array2::<f64>::zeros((0, 3))).is_err());
        let im = ax.imshow(&Array2::<u8>::zeros((2, 3))).unwrap();
        assert!(im.cmap("nope").is_err());
    }

    #[test]
    fn lines_cycle_colours() {
        let mut ax = Axes::default();
        ax.plot_y(&[1, 2, 3]).unwrap();
        ax.plot_y(&[1, 2, 3]).unwrap();
        assert_eq!(ax.lines()[0].color, TAB10[0]);
        assert_eq!(ax.lines()[1].color, TAB10[1]);
        assert_eq!(ax.lines()[1].xs(), &[0.0, 1.0, 2.0]);
    }
}
