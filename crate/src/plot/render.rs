//! Drawing a figure with plotters, on any backend (bitmap for PNG/GIF, SVG): matplotlib's look —
//! white background, a black frame (spines) around each plot, outward ticks, light grey grid, tab10
//! line colours, DejaVu Sans text.

use std::sync::Once;

use plotters::coord::Shift;
use plotters::prelude::*;
use plotters::style::text_anchor::{HPos, Pos, VPos};
use plotters::style::FontTransform;

use super::axes::{Axes, Image, Line, LineStyle, Marker};
use super::colormap::Colormap;
use super::figure::Figure;
use super::layout::{colorbar_width, plan, plot_rect, text_size, Plan, Scale, FONT};
use super::ticks::{format_ticks, nice_ticks};
use crate::{Error, Result};

/// Register the embedded DejaVu Sans (no system fonts needed). Safe to call often.
pub(crate) fn ensure_font() {
    static ONCE: Once = Once::new();
    ONCE.call_once(|| {
        let bytes: &'static [u8] = include_bytes!("../../assets/DejaVuSans.ttf");
        // The embedded font is valid; a failure would only leave text undrawn.
        let _ = plotters::style::register_font(FONT, FontStyle::Normal, bytes);
    });
}

fn derr(e: impl std::fmt::Display) -> Error {
    Error::format("plot", format!("drawing failed: {e}"))
}

type Area<DB> = DrawingArea<DB, Shift>;

const BLACK_: RGBColor = RGBColor(0, 0, 0);
const GRID: RGBColor = RGBColor(0xb0, 0xb0, 0xb0);

fn rgb(c: [u8; 3]) -> RGBColor {
    RGBColor(c[0], c[1], c[2])
}

fn p(x: f64, y: f64) -> (i32, i32) {
    (x.round() as i32, y.round() as i32)
}

fn text<DB: DrawingBackend>(
    area: &Area<DB>,
    s: &str,
    at: (f64, f64),
    px: f64,
    anchor: (HPos, VPos),
    rotated: bool,
) -> Result<()> {
    let mut font = (FONT, px).into_font();
    if rotated {
        font = font.transform(FontTransform::Rotate270);
    }
    let style = font.color(&BLACK_).pos(Pos::new(anchor.0, anchor.1));
    area.draw(&Text::new(s.to_string(), p(at.0, at.1), style)).map_err(derr)
}

fn line<DB: DrawingBackend>(area: &Area<DB>, pts: Vec<(i32, i32)>, color: RGBColor, w: f64) -> Result<()> {
    let width = w.round().max(1.0) as u32;
    area.draw(&PathElement::new(pts, color.stroke_width(width))).map_err(derr)
}

/// A path in a line style (matplotlib's dash patterns, in multiples of the line width: `--` 3.7 on 1.6
/// off, `:` 1 on 1.65; `-.` is drawn as a longer dash, 6.4 on 1.6, plotters having one dash length).
fn styled_line<DB: DrawingBackend>(
    area: &Area<DB>,
    pts: Vec<(i32, i32)>,
    color: RGBColor,
    w: f64,
    style: LineStyle,
) -> Result<()> {
    let dashes = match style {
        LineStyle::Solid => return line(area, pts, color, w),
        LineStyle::None => return Ok(()),
        LineStyle::Dashed => (3.7, 1.6),
        LineStyle::Dotted => (1.0, 1.65),
        LineStyle::DashDot => (6.4, 1.6),
    };
    let width = w.round().max(1.0);
    let (on, off) = ((dashes.0 * width).round().max(1.0) as u32, (dashes.1 * width).round().max(1.0) as u32);
    let style = color.stroke_width(width as u32);
    area.draw(&plotters::element::DashedPathElement::new(pts, on, off, style)).map_err(derr)
}

/// A marker of `size` pixels (its diameter) centred at `(x, y)`.
fn marker<DB: DrawingBackend>(
    area: &Area<DB>,
    m: Marker,
    (x, y): (f64, f64),
    size: f64,
    color: RGBColor,
) -> Result<()> {
    let r = size / 2.0;
    match m {
        Marker::Circle | Marker::Point => {
            area.draw(&Circle::new(p(x, y), r.round().max(1.0) as i32, color.filled())).map_err(derr)
        }
        Marker::Square => fill(area, p(x - r, y - r), p(x + r, y + r), color),
        Marker::Cross => {
            let w = (size / 6.0).max(1.0);
            line(area, vec![p(x - r, y - r), p(x + r, y + r)], color, w)?;
            line(area, vec![p(x - r, y + r), p(x + r, y - r)], color, w)
        }
    }
}

/// A marker's diameter in points: matplotlib's `markersize` 6 (`"."`: half of that).
fn marker_points(m: Marker) -> f64 {
    if m == Marker::Point {
        3.0
    } else {
        6.0
    }
}

fn fill<DB: DrawingBackend>(area: &Area<DB>, a: (i32, i32), b: (i32, i32), color: RGBColor) -> Result<()> {
    area.draw(&Rectangle::new([a, b], color.filled())).map_err(derr)
}

/// Data-to-pixel mapping of one plot rectangle.
struct Frame {
    x0: f64,
    y0: f64,
    w: f64,
    h: f64,
    xr: (f64, f64),
    yr: (f64, f64),
}

impl Frame {
    fn px(&self, x: f64) -> f64 {
        self.x0 + (x - self.xr.0) / (self.xr.1 - self.xr.0) * self.w
    }
    fn py(&self, y: f64) -> f64 {
        self.y0 + self.h - (y - self.yr.0) / (self.yr.1 - self.yr.0) * self.h
    }
    /// The segment a–b cut to the rectangle (Liang–Barsky), in pixels, if any of it is inside.
    fn clip(&self, a: (f64, f64), b: (f64, f64)) -> Option<((f64, f64), (f64, f64))> {
        let (ax, ay, bx, by) = (self.px(a.0), self.py(a.1), self.px(b.0), self.py(b.1));
        clip_segment((ax, ay), (bx, by), (self.x0, self.y0, self.x0 + self.w, self.y0 + self.h))
    }
}

/// Liang–Barsky: the part of segment a–b inside the box (x0, y0, x1, y1).
pub(crate) fn clip_segment(
    a: (f64, f64),
    b: (f64, f64),
    bx: (f64, f64, f64, f64),
) -> Option<((f64, f64), (f64, f64))> {
    if ![a.0, a.1, b.0, b.1].iter().all(|v| v.is_finite()) {
        return None;
    }
    let (dx, dy) = (b.0 - a.0, b.1 - a.1);
    let (mut t0, mut t1) = (0.0f64, 1.0f64);
    for (pk, qk) in [(-dx, a.0 - bx.0), (dx, bx.2 - a.0), (-dy, a.1 - bx.1), (dy, bx.3 - a.1)] {
        if pk == 0.0 {
            if qk < 0.0 {
                return None;
            }
        } else {
            let r = qk / pk;
            if pk < 0.0 {
                t0 = t0.max(r);
            } else {
                t1 = t1.min(r);
            }
        }
    }
    (t0 <= t1).then_some(((a.0 + t0 * dx, a.1 + t0 * dy), (a.0 + t1 * dx, a.1 + t1 * dy)))
}

/// Draw the whole figure on `root` (already sized `fig.pixel_size()`).
pub(crate) fn draw_figure<DB: DrawingBackend>(fig: &Figure, root: &Area<DB>) -> Result<()> {
    ensure_font();
    let s = Scale { dpi: fig.dpi };
    root.fill(&WHITE).map_err(derr)?;
    let (w, h) = root.dim_in_pixel();
    let (w, h) = (w as f64, h as f64);
    let mut top = 0.0;
    if let Some(t) = &fig.suptitle {
        text(root, t, (w / 2.0, s.pt(6.0)), s.title_font(), (HPos::Center, VPos::Top), false)?;
        top = s.title_font() + s.pt(8.0);
    }
    let (cw, ch) = (w / fig.cols as f64, (h - top) / fig.rows as f64);
    let plans: Vec<Plan> = fig.axes.iter().map(|ax| plan(ax, (cw, ch), s)).collect::<Result<_>>()?;
    // Share the margins across the grid so that plots line up (like matplotlib's tight_layout).
    let mut shared = [0.0f64; 4];
    for pl in &plans {
        for (m, v) in shared.iter_mut().zip(pl.margins) {
            *m = m.max(v);
        }
    }
    for (i, (ax, mut pl)) in fig.axes.iter().zip(plans).enumerate() {
        pl.margins = shared;
        let (r, c) = (i / fig.cols, i % fig.cols);
        let cell = (c as f64 * cw, top + r as f64 * ch, cw, ch);
        draw_axes(root, ax, &pl, cell, s)?;
    }
    Ok(())
}

fn draw_axes<DB: DrawingBackend>(
    root: &Area<DB>,
    ax: &Axes,
    pl: &Plan,
    cell: (f64, f64, f64, f64),
    s: Scale,
) -> Result<()> {
    let (x0, y0, w, h) = plot_rect(ax, pl, cell);
    let fr = Frame { x0, y0, w, h, xr: pl.xr, yr: pl.yr };
    let (x1, y1) = (x0 + w, y0 + h);
    let thin = s.pt(0.8);
    if ax.grid {
        for t in &pl.xticks {
            let x = fr.px(*t);
            line(root, vec![p(x, y0), p(x, y1)], GRID, thin)?;
        }
        for t in &pl.yticks {
            let y = fr.py(*t);
            line(root, vec![p(x0, y), p(x1, y)], GRID, thin)?;
        }
    }
    if let Some(im) = &ax.image {
        draw_image(root, im, &fr)?;
    }
    for b in &ax.bars {
        for (x, h) in b.x.iter().zip(&b.height) {
            let (xa, xb) = (fr.px(x - b.width / 2.0).max(x0), fr.px(x + b.width / 2.0).min(x1));
            let (ya, yb) = (fr.py(h.max(0.0)).max(y0), fr.py(h.min(0.0)).min(y1));
            if xb > xa && yb > ya && h.is_finite() {
                fill(root, p(xa, ya), p(xb, yb), rgb(b.color))?;
            }
        }
    }
    for l in &ax.lines {
        draw_line(root, l, &fr, s)?;
    }
    for t in &ax.texts {
        let (x, y) = (fr.px(t.x), fr.py(t.y));
        if x >= x0 && x <= x1 && y >= y0 && y <= y1 {
            let font = s.font();
            let style =
                (FONT, font).into_font().color(&rgb(t.color)).pos(Pos::new(HPos::Center, VPos::Center));
            root.draw(&Text::new(t.text.clone(), p(x, y), style)).map_err(derr)?;
        }
    }
    // Spines, ticks and tick labels.
    line(root, vec![p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)], BLACK_, thin)?;
    let (tick_len, tick_pad, font) = (s.pt(3.5), s.pt(3.5), s.font());
    let mut xtick_h = font;
    for (t, lab) in pl.xticks.iter().zip(&pl.xlabels) {
        let x = fr.px(*t);
        line(root, vec![p(x, y1), p(x, y1 + tick_len)], BLACK_, thin)?;
        if ax.xticks_vertical {
            // Upwards, its end at the tick: rotated by 270°, the text's right edge is its top.
            let w = text_size(lab, font).0;
            text(
                root,
                lab,
                (x - font / 2.0, y1 + tick_len + tick_pad + w),
                font,
                (HPos::Left, VPos::Top),
                true,
            )?;
            xtick_h = xtick_h.max(w);
        } else {
            text(root, lab, (x, y1 + tick_len + tick_pad), font, (HPos::Center, VPos::Top), false)?;
        }
    }
    let mut ytick_w: f64 = 0.0;
    for (t, lab) in pl.yticks.iter().zip(&pl.ylabels) {
        let y = fr.py(*t);
        line(root, vec![p(x0 - tick_len, y), p(x0, y)], BLACK_, thin)?;
        text(root, lab, (x0 - tick_len - tick_pad, y), font, (HPos::Right, VPos::Center), false)?;
        ytick_w = ytick_w.max(text_size(lab, font).0);
    }
    if let Some(t) = &ax.xlabel {
        let y = y1 + tick_len + tick_pad + xtick_h + s.pt(4.0);
        text(root, t, (x0 + w / 2.0, y), font, (HPos::Center, VPos::Top), false)?;
    }
    if let Some(t) = &ax.ylabel {
        let x = x0 - tick_len - tick_pad - ytick_w - s.pt(4.0) - font;
        text(root, t, (x, y0 + h / 2.0), font, (HPos::Center, VPos::Top), true)?;
    }
    if let Some(t) = &ax.title {
        text(root, t, (x0 + w / 2.0, y0 - s.pt(6.0)), s.title_font(), (HPos::Center, VPos::Bottom), false)?;
    }
    if let Some(im) = ax.image.as_ref().filter(|im| im.colorbar) {
        let bw = colorbar_width(cell.2);
        draw_colorbar(root, &im.cmap, im.value_range(), (x1 + bw, y0, bw, h), s)?;
    }
    if ax.legend {
        draw_legend(root, ax, &fr, s)?;
    }
    Ok(())
}

/// One line: its path cut to the frame, in its style, then its markers (a lone point without a marker
/// is drawn as a small square, so that it is seen).
fn draw_line<DB: DrawingBackend>(root: &Area<DB>, l: &Line, fr: &Frame, s: Scale) -> Result<()> {
    let (x0, y0, x1, y1) = (fr.x0, fr.y0, fr.x0 + fr.w, fr.y0 + fr.h);
    let (color, width) = (rgb(l.color), s.pt(l.width));
    let mut path: Vec<(i32, i32)> = Vec::new();
    for k in 1..l.x.len() {
        match fr.clip((l.x[k - 1], l.y[k - 1]), (l.x[k], l.y[k])) {
            Some((a, b)) => {
                if path.last() != Some(&p(a.0, a.1)) {
                    if path.len() > 1 {
                        styled_line(root, std::mem::take(&mut path), color, width, l.style)?;
                    }
                    path.clear();
                    path.push(p(a.0, a.1));
                }
                path.push(p(b.0, b.1));
            }
            None => {
                if path.len() > 1 {
                    styled_line(root, std::mem::take(&mut path), color, width, l.style)?;
                }
                path.clear();
            }
        }
    }
    if path.len() > 1 {
        styled_line(root, path, color, width, l.style)?;
    }
    let inside = |x: f64, y: f64| x >= x0 && x <= x1 && y >= y0 && y <= y1;
    match l.marker {
        Some(m) => {
            for (x, y) in l.x.iter().zip(&l.y) {
                let (x, y) = (fr.px(*x), fr.py(*y));
                if inside(x, y) {
                    marker(root, m, (x, y), s.pt(marker_points(m)), color)?;
                }
            }
        }
        None if l.x.len() == 1 => {
            let (x, y) = (fr.px(l.x[0]), fr.py(l.y[0]));
            if inside(x, y) {
                let r = s.pt(3.0);
                fill(root, p(x - r, y - r), p(x + r, y + r), color)?;
            }
        }
        None => {}
    }
    Ok(())
}

fn draw_image<DB: DrawingBackend>(root: &Area<DB>, im: &Image, fr: &Frame) -> Result<()> {
    let (lo, hi) = im.value_range();
    let (bx0, by0, bx1, by1) = (fr.x0, fr.y0, fr.x0 + fr.w, fr.y0 + fr.h);
    for ((r, c), v) in im.data.indexed_iter() {
        let (xa, xb) = (fr.px(c as f64 - 0.5), fr.px(c as f64 + 0.5));
        let (ya, yb) = (fr.py(r as f64 - 0.5), fr.py(r as f64 + 0.5));
        let (xa, xb) = (xa.min(xb).max(bx0).round(), xa.max(xb).min(bx1).round());
        let (ya, yb) = (ya.min(yb).max(by0).round(), ya.max(yb).min(by1).round());
        if xb <= xa || yb <= ya {
            continue;
        }
        let color = rgb(im.cmap.map(*v, lo, hi));
        fill(root, (xa as i32, ya as i32), (xb as i32, yb as i32), color)?;
    }
    Ok(())
}

fn draw_colorbar<DB: DrawingBackend>(
    root: &Area<DB>,
    cmap: &Colormap,
    (lo, hi): (f64, f64),
    (x0, y0, w, h): (f64, f64, f64, f64),
    s: Scale,
) -> Result<()> {
    let rows = h.round().max(1.0) as i32;
    let (xa, xb) = (x0.round() as i32, (x0 + w).round() as i32);
    for r in 0..rows {
        let t = 1.0 - (r as f64 + 0.5) / rows as f64;
        let y = y0.round() as i32 + r;
        fill(root, (xa, y), (xb, y + 1), rgb(cmap.color(t)))?;
    }
    let thin = s.pt(0.8);
    let (x1, y1) = (x0 + w, y0 + h);
    line(root, vec![p(x0, y0), p(x1, y0), p(x1, y1), p(x0, y1), p(x0, y0)], BLACK_, thin)?;
    let bins = (h / (s.font() * 2.0)).clamp(2.0, 9.0) as usize;
    let ticks: Vec<f64> = nice_ticks(lo, hi, bins).into_iter().filter(|t| *t >= lo && *t <= hi).collect();
    let span = if hi > lo { hi - lo } else { 1.0 };
    for (t, lab) in ticks.iter().zip(format_ticks(&ticks)) {
        let y = y1 - (t - lo) / span * h;
        line(root, vec![p(x1, y), p(x1 + s.pt(3.5), y)], BLACK_, thin)?;
        text(root, &lab, (x1 + s.pt(7.0), y), s.font(), (HPos::Left, VPos::Center), false)?;
    }
    Ok(())
}

fn draw_legend<DB: DrawingBackend>(root: &Area<DB>, ax: &Axes, fr: &Frame, s: Scale) -> Result<()> {
    enum Handle<'a> {
        Line(&'a Line),
        Patch([u8; 3]),
    }
    let entries: Vec<(&String, Handle)> = ax
        .lines
        .iter()
        .filter_map(|l| l.label.as_ref().map(|t| (t, Handle::Line(l))))
        .chain(ax.bars.iter().filter_map(|b| b.label.as_ref().map(|t| (t, Handle::Patch(b.color)))))
        .collect();
    if entries.is_empty() {
        return Ok(());
    }
    let font = s.font();
    let (pad, handle, gap, spacing, inset) = (0.4 * font, 2.0 * font, 0.8 * font, 0.5 * font, 0.5 * font);
    let text_w = entries.iter().map(|(t, _)| text_size(t, font).0).fold(0.0, f64::max);
    let bw = 2.0 * pad + handle + gap + text_w;
    let n = entries.len() as f64;
    let bh = 2.0 * pad + n * font + (n - 1.0) * spacing;
    let (l, r) = (fr.x0 + inset, fr.x0 + fr.w - inset - bw);
    let (t, b) = (fr.y0 + inset, fr.y0 + fr.h - inset - bh);
    // matplotlib's loc="best", over the four corners: the one the lines cross least.
    let corners = [(r, t), (l, t), (l, b), (r, b)];
    let crossings = |&(cx, cy): &(f64, f64)| {
        let bx = (cx, cy, cx + bw, cy + bh);
        ax.lines
            .iter()
            .flat_map(|ln| (1..ln.x.len()).map(move |k| (ln, k)))
            .filter(|(ln, k)| {
                let a = (fr.px(ln.x[k - 1]), fr.py(ln.y[k - 1]));
                let b = (fr.px(ln.x[*k]), fr.py(ln.y[*k]));
                clip_segment(a, b, bx).is_some()
            })
            .count()
    };
    let mut best = corners[0];
    let mut best_n = usize::MAX;
    for c in &corners {
        let k = crossings(c);
        if k < best_n {
            best = *c;
            best_n = k;
        }
    }
    let (bx, by) = best;
    fill(root, p(bx, by), p(bx + bw, by + bh), WHITE)?;
    let edge = RGBColor(0xcc, 0xcc, 0xcc);
    let (ex, ey) = (bx + bw, by + bh);
    line(root, vec![p(bx, by), p(ex, by), p(ex, ey), p(bx, ey), p(bx, by)], edge, s.pt(0.8))?;
    for (i, (label, h)) in entries.iter().enumerate() {
        let cy = by + pad + i as f64 * (font + spacing) + font / 2.0;
        let (hx0, hx1) = (bx + pad, bx + pad + handle);
        match h {
            Handle::Line(ln) => {
                let pts = vec![p(hx0, cy), p(hx1, cy)];
                styled_line(root, pts, rgb(ln.color), s.pt(ln.width), ln.style)?;
                if let Some(m) = ln.marker {
                    marker(root, m, ((hx0 + hx1) / 2.0, cy), s.pt(marker_points(m)), rgb(ln.color))?;
                }
            }
            Handle::Patch(c) => fill(root, p(hx0, cy - font * 0.35), p(hx1, cy + font * 0.35), rgb(*c))?,
        }
        text(root, label, (bx + pad + handle + gap, cy), font, (HPos::Left, VPos::Center), false)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn clipping_cuts_segments() {
        let bx = (0.0, 0.0, 10.0, 10.0);
        assert_eq!(clip_segment((-5.0, 5.0), (5.0, 5.0), bx), Some(((0.0, 5.0), (5.0, 5.0))));
        assert_eq!(clip_segment((-5.0, -5.0), (-1.0, 20.0), bx), None);
        assert_eq!(clip_segment((f64::NAN, 0.0), (1.0, 1.0), bx), None);
    }
}
