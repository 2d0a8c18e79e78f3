//! Where things go: data ranges, ticks and the margins around each plot (a "tight layout": the
//! margins are measured from the tick labels, axis labels and title actually drawn).

use plotters::style::IntoFont;

use super::axes::Axes;
use super::data::finite_range;
use super::ticks::{format_ticks, nice_ticks};
use crate::{Error, Result};

/// The font family the embedded DejaVu Sans is registered under.
pub(crate) const FONT: &str = "sans-serif";

/// plotters (through ab_glyph) sizes a font by ascent − descent, matplotlib by the em: for DejaVu Sans
/// (ascent 1901, descent 483, 2048 units per em) the same text is 2384 / 2048 times larger.
const EM_TO_PLOTTERS: f64 = 2384.0 / 2048.0;

/// Sizes in points, converted to pixels with the figure's dpi.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Scale {
    pub dpi: f64,
}

impl Scale {
    /// `p` points in pixels.
    pub fn pt(&self, p: f64) -> f64 {
        p * self.dpi / 72.0
    }
    /// Tick label and axis label font size (10 pt), as the size plotters takes.
    pub fn font(&self) -> f64 {
        self.pt(10.0) * EM_TO_PLOTTERS
    }
    /// Title font size (12 pt), as the size plotters takes.
    pub fn title_font(&self) -> f64 {
        self.pt(12.0) * EM_TO_PLOTTERS
    }
}

/// Width and height in pixels of `text` at `px` pixels.
pub(crate) fn text_size(text: &str, px: f64) -> (f64, f64) {
    super::render::ensure_font();
    let w = (FONT, px).into_font().box_size(text).map(|(w, _)| w as f64).unwrap_or(0.0);
    (w, px)
}

/// The ranges, ticks and margins of one axes.
#[derive(Clone, Debug)]
pub(crate) struct Plan {
    /// x range, left to right.
    pub xr: (f64, f64),
    /// y range, bottom to top (an image has it inverted: rows − 0.5 at the bottom).
    pub yr: (f64, f64),
    pub xticks: Vec<f64>,
    pub yticks: Vec<f64>,
    pub xlabels: Vec<String>,
    pub ylabels: Vec<String>,
    /// Margins in pixels: left, right, top, bottom.
    pub margins: [f64; 4],
}

fn checked_lim(op: &str, lim: (f64, f64)) -> Result<(f64, f64)> {
    if !lim.0.is_finite() || !lim.1.is_finite() || lim.0 == lim.1 {
        return Err(Error::value(op, "two different finite limits", format!("({}, {})", lim.0, lim.1)));
    }
    Ok(lim)
}

/// Data range with matplotlib's 5 % margins; a single value gets ±5 % of itself (or ±0.05).
fn padded(lo: f64, hi: f64) -> (f64, f64) {
    if hi > lo {
        let m = 0.05 * (hi - lo);
        (lo - m, hi + m)
    } else {
        let d = if lo == 0.0 { 0.05 } else { 0.05 * lo.abs() };
        (lo - d, hi + d)
    }
}

/// Ticks of the range `r` (either order) that lie inside it.
fn ticks_in(r: (f64, f64), bins: usize) -> Vec<f64> {
    let (lo, hi) = (r.0.min(r.1), r.0.max(r.1));
    let tol = (hi - lo) * 1e-9;
    nice_ticks(lo, hi, bins).into_iter().filter(|t| *t >= lo - tol && *t <= hi + tol).collect()
}

/// Plan one axes in a cell of `cell` = (width, height) pixels.
pub(crate) fn plan(ax: &Axes, cell: (f64, f64), s: Scale) -> Result<Plan> {
    let (mut xr, mut yr) = match &ax.image {
        Some(im) => {
            let (rows, cols) = im.data.dim();
            ((-0.5, cols as f64 - 0.5), (rows as f64 - 0.5, -0.5))
        }
        None => {
            // Bars reach from x ± width/2 and from 0 to their height (0 stays in view, as in matplotlib).
            let bar_x: Vec<f64> = ax
                .bars
                .iter()
                .flat_map(|b| b.x.iter().flat_map(move |x| [x - b.width / 2.0, x + b.width / 2.0]))
                .collect();
            let bar_y: Vec<f64> =
                ax.bars.iter().flat_map(|b| b.height.iter().copied().chain([0.0])).collect();
            let xs = finite_range(ax.lines.iter().flat_map(|l| l.x.iter()).chain(&bar_x));
            let ys = finite_range(ax.lines.iter().flat_map(|l| l.y.iter()).chain(&bar_y));
            let xr = xs.map(|(a, b)| padded(a, b)).unwrap_or((0.0, 1.0));
            let mut yr = ys.map(|(a, b)| padded(a, b)).unwrap_or((0.0, 1.0));
            // Bars stand on the x axis: matplotlib's "sticky edge" at 0 when nothing goes below it.
            if !ax.bars.is_empty() && ys.is_some_and(|(lo, _)| lo >= 0.0) {
                yr.0 = 0.0;
            }
            (xr, yr)
        }
    };
    if let Some(l) = ax.xlim {
        xr = checked_lim("xlim", l)?;
    }
    if let Some(l) = ax.ylim {
        yr = checked_lim("ylim", l)?;
    }
    let font = s.font();
    let xbins = ((cell.0 * 0.8) / (font * 3.0)).clamp(2.0, 9.0) as usize;
    let ybins = ((cell.1 * 0.75) / (font * 2.0)).clamp(2.0, 9.0) as usize;
    // Ticks chosen with `xticks` / `yticks` replace the automatic ones (those outside the range are left
    // out).
    let chosen = |t: &Option<(Vec<f64>, Vec<String>)>, r: (f64, f64), bins: usize| match t {
        Some((pos, labels)) => {
            let (lo, hi) = (r.0.min(r.1), r.0.max(r.1));
            pos.iter()
                .zip(labels)
                .filter(|(p, _)| **p >= lo && **p <= hi)
                .map(|(p, l)| (*p, l.clone()))
                .unzip()
        }
        None => {
            let ticks = ticks_in(r, bins);
            let labels = format_ticks(&ticks);
            (ticks, labels)
        }
    };
    let (xticks, xlabels): (Vec<f64>, Vec<String>) = chosen(&ax.xticks, xr, xbins);
    let (yticks, ylabels): (Vec<f64>, Vec<String>) = chosen(&ax.yticks, yr, ybins);

    let (tick_len, tick_pad, label_pad, edge) = (s.pt(3.5), s.pt(3.5), s.pt(4.0), s.pt(8.0));
    let ytick_w = ylabels.iter().map(|l| text_size(l, font).0).fold(0.0, f64::max);
    let last_xtick_w =
        if ax.xticks_vertical { font } else { xlabels.last().map(|l| text_size(l, font).0).unwrap_or(0.0) };
    let mut left = edge + ytick_w + tick_pad + tick_len;
    if ax.ylabel.is_some() {
        left += font + label_pad;
    }
    let xtick_h = if ax.xticks_vertical {
        xlabels.iter().map(|l| text_size(l, font).0).fold(0.0, f64::max)
    } else {
        font
    };
    let mut bottom = edge + xtick_h + tick_pad + tick_len;
    if ax.xlabel.is_some() {
        bottom += font + label_pad;
    }
    let mut top = edge + font / 2.0;
    if ax.title.is_some() {
        top = edge + s.title_font() + s.pt(6.0);
    }
    let mut right = edge + last_xtick_w / 2.0;
    if let Some(im) = ax.image.as_ref().filter(|im| im.colorbar) {
        let (lo, hi) = im.value_range();
        let labels = format_ticks(&ticks_in((lo, hi), 6));
        let w = labels.iter().map(|l| text_size(l, font).0).fold(0.0, f64::max);
        right = edge + colorbar_width(cell.0) * 2.0 + tick_len + tick_pad + w;
    }
    Ok(Plan { xr, yr, xticks, yticks, xlabels, ylabels, margins: [left, right, top, bottom] })
}

/// The colour bar's width (and its gap to the plot) for a cell `cell_w` pixels wide.
pub(crate) fn colorbar_width(cell_w: f64) -> f64 {
    (cell_w * 0.04).max(8.0)
}

/// The plot rectangle `(x0, y0, w, h)` inside `cell` given the margins; an image keeps square cells
/// (matplotlib's `aspect="equal"`), centred in the space left.
pub(crate) fn plot_rect(ax: &Axes, plan: &Plan, cell: (f64, f64, f64, f64)) -> (f64, f64, f64, f64) {
    let [l, r, t, b] = plan.margins;
    let (x0, y0) = (cell.0 + l, cell.1 + t);
    let (w, h) = ((cell.2 - l - r).max(4.0), (cell.3 - t - b).max(4.0));
    if ax.image.is_none() {
        return (x0, y0, w, h);
    }
    let aspect = (plan.yr.1 - plan.yr.0).abs() / (plan.xr.1 - plan.xr.0).abs();
    if h / w > aspect {
        let nh = w * aspect;
        (x0, y0 + (h - nh) / 2.0, w, nh)
    } else {
        let nw = h / aspect;
        (x0 + (w - nw) / 2.0, y0, nw, h)
    }
}
