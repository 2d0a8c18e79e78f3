//! A figure: a grid of [`Axes`] drawn as one PNG or SVG, shown inline when a cell ends with it.
//!
//! ```
//! use nnlab::plot::{subplots, Figure};
//! use ndarray::Array1;
//! let x = Array1::linspace(-3.0, 3.0, 50);
//! let mut fig = Figure::new().size(6.0, 3.0);
//! fig.plot(&x, &x.mapv(f64::tanh))?.label("tanh");
//! fig.title("tanh").grid().legend();
//! let png = fig.to_png()?;
//! assert_eq!(&png.bytes()[1..4], b"PNG");
//!
//! let mut grid = subplots(2, 3)?;
//! grid.ax(5)?.plot(&x, &x)?;
//! assert!(grid.ax(6).is_err());
//! # Ok::<(), nnlab::Error>(())
//! ```

use ndarray::{ArrayBase, Data, Dimension};
use plotters::prelude::*;

use super::axes::{Axes, Image, Line};
use super::bars::Bars;
use super::data::{Element, Series};
use super::render::draw_figure;
use crate::display::{emit, Html, Png, Rich, Svg};
use crate::{Error, Result};

/// A figure of `rows × cols` axes, `width × height` inches at `dpi` pixels per inch
/// (matplotlib's defaults: 6.4 × 4.8 in at 100 dpi, i.e. 640 × 480 pixels).
#[derive(Clone, Debug, PartialEq)]
pub struct Figure {
    pub(crate) width: f64,
    pub(crate) height: f64,
    pub(crate) dpi: f64,
    pub(crate) rows: usize,
    pub(crate) cols: usize,
    pub(crate) axes: Vec<Axes>,
    pub(crate) suptitle: Option<String>,
}

impl Default for Figure {
    fn default() -> Self {
        Figure::new()
    }
}

/// A figure with a `rows × cols` grid of empty axes (`fig.ax(i)` or `fig.ax_at(r, c)`), like
/// matplotlib's `plt.subplots(rows, cols)`. Both must be at least 1 (and at most 100 axes in all).
pub fn subplots(rows: usize, cols: usize) -> Result<Figure> {
    if rows == 0 || cols == 0 || rows * cols > 100 {
        return Err(Error::value(
            "subplots",
            "1 to 100 axes (rows ≥ 1, cols ≥ 1)",
            format!("({rows}, {cols})"),
        ));
    }
    Ok(Figure { rows, cols, axes: vec![Axes::default(); rows * cols], ..Figure::new() })
}

/// A new figure showing `a` as an image (viridis, nearest interpolation, row 0 on top), like
/// `plt.imshow(a)`. For options use [`Figure::imshow`]: `fig.imshow(&a)?.cmap("gray")?.colorbar();`.
pub fn imshow<S, T, D>(a: &ArrayBase<S, D>) -> Result<Figure>
where
    S: Data<Elem = T>,
    T: Element,
    D: Dimension,
{
    let mut fig = Figure::new();
    fig.imshow(a)?;
    Ok(fig)
}

/// A new figure with the line through `(i, y[i])`, like `plt.plot(y)`: the lecture's
/// `plt.plot(loss)` is `plot(&history["loss"])?`. For x values of your own, [`plot_xy`].
///
/// ```
/// use nnlab::prelude::*;
/// let fig = plot(&[0.9, 0.5, 0.3])?;
/// fig.to_png()?; // rendered as a notebook shows it
/// assert!(plot(&Vec::<f64>::new()).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn plot<Y: Series + ?Sized>(y: &Y) -> Result<Figure> {
    let mut fig = Figure::new();
    fig.plot_y(y)?;
    Ok(fig)
}

/// A new figure with the line through `(x[i], y[i])`, like `plt.plot(x, y)`; x and y of one length.
///
/// ```
/// use nnlab::prelude::*;
/// let x = Array1::linspace(-3.0, 3.0, 61);
/// let fig = plot_xy(&x, &x.mapv(f64::tanh))?;
/// fig.to_png()?; // rendered as a notebook shows it
/// assert!(plot_xy(&[1.0, 2.0], &[1.0]).is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn plot_xy<X: Series + ?Sized, Y: Series + ?Sized>(x: &X, y: &Y) -> Result<Figure> {
    let mut fig = Figure::new();
    fig.plot(x, y)?;
    Ok(fig)
}

impl Figure {
    /// One empty axes, 6.4 × 4.8 inches at 100 dpi.
    pub fn new() -> Figure {
        Figure {
            width: 6.4,
            height: 4.8,
            dpi: 100.0,
            rows: 1,
            cols: 1,
            axes: vec![Axes::default()],
            suptitle: None,
        }
    }
    /// The size in inches, like `figsize=(width, height)` (kept between 0.5 and 50).
    pub fn size(mut self, width: f64, height: f64) -> Figure {
        let ok = |v: f64, d: f64| if v.is_finite() { v.clamp(0.5, 50.0) } else { d };
        self.width = ok(width, 6.4);
        self.height = ok(height, 4.8);
        self
    }
    /// Pixels per inch (default 100; kept between 10 and 600).
    pub fn dpi(mut self, dpi: f64) -> Figure {
        self.dpi = if dpi.is_finite() { dpi.clamp(10.0, 600.0) } else { 100.0 };
        self
    }
    /// The size in pixels, `(round(width·dpi), round(height·dpi))`.
    pub fn pixel_size(&self) -> (u32, u32) {
        ((self.width * self.dpi).round() as u32, (self.height * self.dpi).round() as u32)
    }
    /// The grid shape `(rows, cols)`.
    pub fn grid_shape(&self) -> (usize, usize) {
        (self.rows, self.cols)
    }
    /// Axes number `i`, counting row by row from 0 (like `axs.flat[i]`); out of range is an error.
    pub fn ax(&mut self, i: usize) -> Result<&mut Axes> {
        let n = self.axes.len();
        let (r, c) = (self.rows, self.cols);
        self.axes.get_mut(i).ok_or_else(|| {
            Error::value("Figure::ax", format!("an index below {n} (a {r}×{c} grid)"), i.to_string())
        })
    }
    /// The axes in row `row`, column `col`, from 0 (like `axs[row, col]`); out of range is an error.
    pub fn ax_at(&mut self, row: usize, col: usize) -> Result<&mut Axes> {
        if row >= self.rows || col >= self.cols {
            return Err(Error::value(
                "Figure::ax_at",
                format!("row < {} and col < {}", self.rows, self.cols),
                format!("({row}, {col})"),
            ));
        }
        let cols = self.cols;
        Ok(&mut self.axes[row * cols + col])
    }
    /// A title above the whole grid, like `fig.suptitle`.
    pub fn suptitle(&mut self, text: &str) -> &mut Self {
        self.suptitle = Some(text.to_string());
        self
    }
    /// [`Axes::plot`] on the first axes.
    pub fn plot<X: Series + ?Sized, Y: Series + ?Sized>(&mut self, x: &X, y: &Y) -> Result<&mut Line> {
        self.axes[0].plot(x, y)
    }
    /// [`Axes::plot_y`] on the first axes.
    pub fn plot_y<Y: Series + ?Sized>(&mut self, y: &Y) -> Result<&mut Line> {
        self.axes[0].plot_y(y)
    }
    /// [`Axes::imshow`] on the first axes.
    pub fn imshow<S, T, D>(&mut self, a: &ArrayBase<S, D>) -> Result<&mut Image>
    where
        S: Data<Elem = T>,
        T: Element,
        D: Dimension,
    {
        self.axes[0].imshow(a)
    }
    /// [`Axes::scatter`] on the first axes.
    pub fn scatter<X: Series + ?Sized, Y: Series + ?Sized>(&mut self, x: &X, y: &Y) -> Result<&mut Line> {
        self.axes[0].scatter(x, y)
    }
    /// [`Axes::bar`] on the first axes.
    pub fn bar<X: Series + ?Sized, Y: Series + ?Sized>(&mut self, x: &X, height: &Y) -> Result<&mut Bars> {
        self.axes[0].bar(x, height)
    }
    /// [`Axes::hist`] on the first axes.
    pub fn hist<V: Series + ?Sized>(&mut self, values: &V, bins: usize) -> Result<&mut Bars> {
        self.axes[0].hist(values, bins)
    }
    /// [`Axes::text`] on the first axes.
    pub fn text(&mut self, x: f64, y: f64, text: &str) -> &mut Axes {
        self.axes[0].text(x, y, text)
    }
    /// [`Axes::xticks`] of the first axes.
    pub fn xticks<P: Series + ?Sized>(&mut self, positions: &P, labels: &[&str]) -> Result<&mut Axes> {
        self.axes[0].xticks(positions, labels)
    }
    /// [`Axes::yticks`] of the first axes.
    pub fn yticks<P: Series + ?Sized>(&mut self, positions: &P, labels: &[&str]) -> Result<&mut Axes> {
        self.axes[0].yticks(positions, labels)
    }
    /// [`Axes::title`] of the first axes.
    pub fn title(&mut self, text: &str) -> &mut Axes {
        self.axes[0].title(text)
    }
    /// [`Axes::xlabel`] of the first axes.
    pub fn xlabel(&mut self, text: &str) -> &mut Axes {
        self.axes[0].xlabel(text)
    }
    /// [`Axes::ylabel`] of the first axes.
    pub fn ylabel(&mut self, text: &str) -> &mut Axes {
        self.axes[0].ylabel(text)
    }
    /// [`Axes::grid`] of the first axes.
    pub fn grid(&mut self) -> &mut Axes {
        self.axes[0].grid()
    }
    /// [`Axes::legend`] of the first axes.
    pub fn legend(&mut self) -> &mut Axes {
        self.axes[0].legend()
    }
    /// [`Axes::xlim`] of the first axes.
    pub fn xlim(&mut self, lo: f64, hi: f64) -> &mut Axes {
        self.axes[0].xlim(lo, hi)
    }
    /// [`Axes::ylim`] of the first axes.
    pub fn ylim(&mut self, lo: f64, hi: f64) -> &mut Axes {
        self.axes[0].ylim(lo, hi)
    }

    /// The figure as RGB pixels, row by row: `(width, height, 3·width·height bytes)`. Figures with
    /// lines are drawn at twice the size and averaged down 2×2, which smooths (antialiases) the lines.
    pub fn to_rgb(&self) -> Result<(u32, u32, Vec<u8>)> {
        let (w, h) = self.pixel_size();
        if !self.axes.iter().any(|ax| !ax.lines.is_empty()) {
            return self.draw_rgb();
        }
        let big = Figure {
            dpi: self.dpi * 2.0,
            width: w as f64 / self.dpi,
            height: h as f64 / self.dpi,
            ..self.clone()
        };
        let (bw, _, px) = big.draw_rgb()?;
        let (bw, w, h) = (bw as usize, w as usize, h as usize);
        let mut out = vec![0u8; w * h * 3];
        for y in 0..h {
            for x in 0..w {
                for c in 0..3 {
                    let at = |dx: usize, dy: usize| px[((2 * y + dy) * bw + 2 * x + dx) * 3 + c] as u32;
                    out[(y * w + x) * 3 + c] = ((at(0, 0) + at(1, 0) + at(0, 1) + at(1, 1) + 2) / 4) as u8;
                }
            }
        }
        Ok((w as u32, h as u32, out))
    }
    fn draw_rgb(&self) -> Result<(u32, u32, Vec<u8>)> {
        let (w, h) = self.pixel_size();
        crate::data::check_alloc("Figure (size × dpi)", &[w as usize, h as usize, 3], 1)?;
        let mut buf = vec![255u8; w as usize * h as usize * 3];
        {
            let root = BitMapBackend::with_buffer(&mut buf, (w, h)).into_drawing_area();
            draw_figure(self, &root)?;
            root.present().map_err(|e| Error::format("Figure::to_rgb", e.to_string()))?;
        }
        Ok((w, h, buf))
    }
    /// The figure as a PNG image.
    pub fn to_png(&self) -> Result<Png> {
        let (w, h, buf) = self.to_rgb()?;
        Ok(Png::new(encode_png(w, h, &buf)?))
    }
    /// The figure as an SVG image (vector lines and text; text uses the viewer's sans-serif font).
    pub fn to_svg(&self) -> Result<Svg> {
        let (w, h) = self.pixel_size();
        let mut out = String::new();
        {
            let root = SVGBackend::with_string(&mut out, (w, h)).into_drawing_area();
            draw_figure(self, &root)?;
            root.present().map_err(|e| Error::format("Figure::to_svg", e.to_string()))?;
        }
        Ok(Svg::new(out))
    }
    /// Save as PNG (`"x.png"`) or SVG (`"x.svg"`), chosen by the extension.
    pub fn save(&self, path: &str) -> Result<()> {
        match extension(path).as_str() {
            "png" => self.to_png()?.save(path),
            "svg" => self.to_svg()?.save(path),
            _ => Err(Error::value("Figure::save", "a path ending in .png or .svg", format!("{path:?}"))),
        }
    }
    /// Show in evcxr (called by the kernel when a cell ends with this value): the PNG, or the error
    /// (on stderr and in red) if the figure cannot be drawn.
    pub fn evcxr_display(&self) {
        match self.to_png() {
            Ok(png) => emit(&png),
            Err(e) => {
                eprintln!("{e}");
                emit(&Html::new(error_html(&e)))
            }
        }
    }
}

/// The lower-case extension of `path` ("" if none).
pub(crate) fn extension(path: &str) -> String {
    std::path::Path::new(path).extension().and_then(|e| e.to_str()).unwrap_or("").to_lowercase()
}

/// Encode RGB pixels as PNG (fast compression, `Sub` filter: plots are mostly flat colour), with the
/// `png` crate (the encoder of the `image` crate, without the rest of it).
pub(crate) fn encode_png(w: u32, h: u32, rgb: &[u8]) -> Result<Vec<u8>> {
    let err = |e: png::EncodingError| Error::format("PNG encoding", e.to_string());
    let mut out = Vec::new();
    let mut encoder = png::Encoder::new(&mut out, w, h);
    encoder.set_color(png::ColorType::Rgb);
    encoder.set_depth(png::BitDepth::Eight);
    encoder.set_compression(png::Compression::Fast);
    encoder.set_filter(png::Filter::Sub);
    let mut writer = encoder.write_header().map_err(err)?;
    writer.write_image_data(rgb).map_err(err)?;
    writer.finish().map_err(err)?;
    Ok(out)
}

/// What a figure that failed to draw shows instead: the error, in red.
pub(crate) fn error_html(e: &Error) -> String {
    let msg = e.to_string().replace('&', "&amp;").replace('<', "&lt;");
    format!("<pre style=\"color:#b00\">{msg}</pre>")
}

impl Rich for Figure {
    fn mime(&self) -> &'static str {
        "image/png"
    }
    /// The PNG in base64 (empty if the figure cannot be drawn; `to_html` then shows the error).
    fn payload(&self) -> String {
        self.to_png().map(|p| p.payload()).unwrap_or_default()
    }
    fn to_html(&self) -> String {
        match self.to_png() {
            Ok(png) => png.to_html(),
            Err(e) => error_html(&e),
        }
    }
}
