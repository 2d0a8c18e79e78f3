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

use super::bars::{histogram, Bars};
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
    pub(crate) style: LineStyle,
    pub(crate) marker: Option<Marker>,
}

/// How a line is drawn between its points: matplotlib's `linestyle`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum LineStyle {
    /// `"-"` (the default).
    Solid,
    /// `"--"`.
    Dashed,
    /// `":"`.
    Dotted,
    /// `"-."`.
    DashDot,
    /// `"none"` or `""`: only the markers.
    None,
}

/// What is drawn at each point: matplotlib's `marker`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Marker {
    /// `"o"`: a filled circle.
    Circle,
    /// `"."`: a small filled circle.
    Point,
    /// `"s"`: a filled square.
    Square,
    /// `"x"`: a cross.
    Cross,
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
    /// matplotlib's `linestyle`: `"-"`, `"--"`, `":"`, `"-."`, or `"none"` / `""` for markers only.
    ///
    /// ```
    /// let mut ax = nnlab::plot::Axes::default();
    /// ax.plot_y(&[1.0, 3.0, 2.0])?.linestyle("--")?.marker("o")?;
    /// assert!(ax.plot_y(&[1.0])?.linestyle("~").is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn linestyle(&mut self, style: &str) -> Result<&mut Self> {
        self.style = match style {
            "-" | "solid" => LineStyle::Solid,
            "--" | "dashed" => LineStyle::Dashed,
            ":" | "dotted" => LineStyle::Dotted,
            "-." | "dashdot" => LineStyle::DashDot,
            "" | " " | "none" | "None" => LineStyle::None,
            _ => {
                let known = ["-", "--", ":", "-.", "none", "solid", "dashed", "dotted", "dashdot"];
                return Err(Error::unknown_name("linestyle", "line style", style, &known));
            }
        };
        Ok(self)
    }
    /// matplotlib's `marker` at each point: `"o"`, `"."`, `"s"`, `"x"`, or `"none"` / `""`.
    pub fn marker(&mut self, marker: &str) -> Result<&mut Self> {
        self.marker = match marker {
            "o" => Some(Marker::Circle),
            "." => Some(Marker::Point),
            "s" => Some(Marker::Square),
            "x" => Some(Marker::Cross),
            "" | " " | "none" | "None" => None,
            _ => return Err(Error::unknown_name("marker", "marker", marker, &["o", ".", "s", "x", "none"])),
        };
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
    pub(crate) bars: Vec<Bars>,
    pub(crate) texts: Vec<Text>,
    pub(crate) xticks: Option<(Vec<f64>, Vec<String>)>,
    pub(crate) yticks: Option<(Vec<f64>, Vec<String>)>,
    pub(crate) xticks_vertical: bool,
}

/// A text annotation at a point in data coordinates (`ax.text(x, y, s)`), centred on it.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Text {
    pub(crate) x: f64,
    pub(crate) y: f64,
    pub(crate) text: String,
    pub(crate) color: [u8; 3],
}

impl Axes {
    /// Add the line through `(x[i], y[i])`, in the next colour of the default cycle. `x` and `y` can be
    /// `Array1`s, views, `Vec`s or slices of any number type; they must be non-empty and of equal length.
    pub fn plot<X, Y>(&mut self, x: &X, y: &Y) -> Result<&mut Line>
    where
        X: Series + ?Sized,
        Y: Series + ?Sized,
    {
        self.add_line("plot", x.to_f64_vec(), y.to_f64_vec())
    }

    fn add_line(&mut self, op: &str, x: Vec<f64>, y: Vec<f64>) -> Result<&mut Line> {
        if x.len() != y.len() {
            return Err(Error::shape(
                op,
                "x and y of the same length",
                format!("x of length {} and y of length {}", x.len(), y.len()),
            ));
        }
        if x.is_empty() {
            return Err(Error::shape(op, "at least one point", "empty x and y"));
        }
        let color = self.next_color();
        self.lines.push(Line { x, y, label: None, color, width: 1.5, style: LineStyle::Solid, marker: None });
        Ok(self.lines.last_mut().expect("just pushed"))
    }

    /// The next colour of the tab10 cycle, shared by lines and bars as in matplotlib.
    fn next_color(&self) -> [u8; 3] {
        TAB10[(self.lines.len() + self.bars.len()) % TAB10.len()]
    }

    /// Points without a line, like `plt.scatter(x, y)`: [`plot`](Axes::plot) with `linestyle("none")`
    /// and `marker("o")`.
    ///
    /// ```
    /// let mut ax = nnlab::plot::Axes::default();
    /// ax.scatter(&[1.0, 2.0, 3.0], &[2.0, 1.0, 3.0])?.label("data");
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn scatter<X, Y>(&mut self, x: &X, y: &Y) -> Result<&mut Line>
    where
        X: Series + ?Sized,
        Y: Series + ?Sized,
    {
        let line = self.add_line("scatter", x.to_f64_vec(), y.to_f64_vec())?;
        line.style = LineStyle::None;
        line.marker = Some(Marker::Circle);
        Ok(line)
    }

    /// A bar chart, like `plt.bar(x, height)`: bar `i` centred on `x[i]`, 0.8 wide, from 0 to
    /// `height[i]`.
    pub fn bar<X, Y>(&mut self, x: &X, height: &Y) -> Result<&mut Bars>
    where
        X: Series + ?Sized,
        Y: Series + ?Sized,
    {
        let (x, height) = (x.to_f64_vec(), height.to_f64_vec());
        if x.len() != height.len() || x.is_empty() {
            return Err(Error::shape(
                "bar",
                "x and height of the same, non-zero length",
                format!("x of length {} and height of length {}", x.len(), height.len()),
            ));
        }
        let color = self.next_color();
        self.bars.push(Bars { x, height, width: 0.8, color, label: None, edges: vec![] });
        Ok(self.bars.last_mut().expect("just pushed"))
    }

    /// A histogram, like `plt.hist(values, bins)`: `bins` bins of equal width from the smallest to the
    /// largest finite value (numpy's `histogram`; non-finite values are left out). The returned bars
    /// hold the [`counts`](Bars::counts) and the [`edges`](Bars::edges).
    ///
    /// ```
    /// let mut ax = nnlab::plot::Axes::default();
    /// let h = ax.hist(&[0.1, 0.2, 0.25, 0.9], 4)?;
    /// assert_eq!(h.counts(), &[3.0, 0.0, 0.0, 1.0]);
    /// assert!(ax.hist(&[1.0], 0).is_err());
    /// assert!(ax.hist(&[1.0], 1_000_000_000).is_err()); // a typo, not a histogram
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn hist<V: Series + ?Sized>(&mut self, values: &V, bins: usize) -> Result<&mut Bars> {
        let values = values.to_f64_vec();
        if bins == 0 || bins > MAX_BINS {
            return Err(Error::value("hist", format!("from 1 to {MAX_BINS} bins"), format!("bins = {bins}")));
        }
        if !values.iter().any(|v| v.is_finite()) {
            return Err(Error::value(
                "hist",
                "at least one finite value",
                format!("{} values, none finite", values.len()),
            ));
        }
        let (counts, edges) = histogram(&values, bins);
        let x = edges.windows(2).map(|e| (e[0] + e[1]) / 2.0).collect();
        let color = self.next_color();
        self.bars.push(Bars { x, height: counts, width: edges[1] - edges[0], color, label: None, edges });
        Ok(self.bars.last_mut().expect("just pushed"))
    }

    /// Text centred at `(x, y)` in data coordinates, like `plt.text(x, y, s, ha="center",
    /// va="center")`, in black (see [`text_color`](Axes::text_color)).
    ///
    /// ```
    /// let mut ax = nnlab::plot::Axes::default();
    /// ax.plot_y(&[1.0, 2.0])?;
    /// ax.text(0.5, 1.5, "midway");
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn text(&mut self, x: f64, y: f64, text: &str) -> &mut Self {
        self.texts.push(Text { x, y, text: text.to_string(), color: [0, 0, 0] });
        self
    }

    /// [`text`](Axes::text) in a colour (a matplotlib name, e.g. `"white"` on a dark cell).
    pub fn text_color(&mut self, x: f64, y: f64, text: &str, color: &str) -> Result<&mut Self> {
        let color = parse_color(color)?;
        self.texts.push(Text { x, y, text: text.to_string(), color });
        Ok(self)
    }

    /// The x axis' ticks at `positions` with `labels`, like `plt.xticks(positions, labels)` (e.g. class
    /// names under the columns of a confusion matrix).
    ///
    /// ```
    /// let mut ax = nnlab::plot::Axes::default();
    /// ax.bar(&[0, 1], &[3, 5])?;
    /// ax.xticks(&[0, 1], &["cat", "dog"])?;
    /// assert!(ax.xticks(&[0, 1], &["one label"]).is_err());
    /// # Ok::<(), nnlab::Error>(())
    /// ```
    pub fn xticks<P: Series + ?Sized>(&mut self, positions: &P, labels: &[&str]) -> Result<&mut Self> {
        self.xticks = Some(ticks("xticks", positions, labels)?);
        Ok(self)
    }

    /// Turns the x tick labels: `90` writes them upwards (for long class names), `0` across (the
    /// default), like `ax.tick_params(axis="x", labelrotation=90)`; other angles are an error.
    pub fn xticks_rotation(&mut self, degrees: f64) -> Result<&mut Self> {
        self.xticks_vertical = match degrees {
            0.0 => false,
            90.0 => true,
            d => return Err(Error::value("xticks_rotation", "0 or 90 degrees", format!("{d}"))),
        };
        Ok(self)
    }

    /// The y axis' ticks at `positions` with `labels`, like `plt.yticks(positions, labels)`.
    pub fn yticks<P: Series + ?Sized>(&mut self, positions: &P, labels: &[&str]) -> Result<&mut Self> {
        self.yticks = Some(ticks("yticks", positions, labels)?);
        Ok(self)
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
    /// The bars drawn so far (`bar`, `hist`).
    pub fn bars(&self) -> &[Bars] {
        &self.bars
    }
    /// The image, if there is one.
    pub fn image(&self) -> Option<&Image> {
        self.image.as_ref()
    }
}

/// The most bins `hist` draws (more than a plot has pixels; a mistyped count would otherwise ask for
/// gigabytes and hang the cell drawing them).
const MAX_BINS: usize = 100_000;

/// Checked tick positions and labels: one label per finite position.
fn ticks<P: Series + ?Sized>(op: &str, positions: &P, labels: &[&str]) -> Result<(Vec<f64>, Vec<String>)> {
    let positions = positions.to_f64_vec();
    if positions.len() != labels.len() {
        return Err(Error::shape(
            op,
            "one label per tick position",
            format!("{} positions and {} labels", positions.len(), labels.len()),
        ));
    }
    if let Some(bad) = positions.iter().find(|p| !p.is_finite()) {
        return Err(Error::value(op, "finite tick positions", format!("{bad}")));
    }
    Ok((positions, labels.iter().map(|l| l.to_string()).collect()))
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
