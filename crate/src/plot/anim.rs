//! `Animation`: a sequence of 2-D arrays (e.g. a weight matrix after each epoch) shown as a
//! heatmap that changes over time — inline as an HTML player (like matplotlib's `to_jshtml`) or as
//! a looping GIF.
//!
//! All frames share one colour scale by default (the finite range over every frame), so that a
//! colour means the same value in each frame; `.per_frame_scale()` rescales each frame instead.
//!
//! ```
//! use nnlab::plot::Animation;
//! use ndarray::Array2;
//! let frames: Vec<Array2<f64>> = (0..3).map(|k| Array2::from_elem((4, 5), k as f64)).collect();
//! let anim = Animation::new(&frames)?.labels(|i| format!("epoch {}", i + 1)).fps(2.0);
//! assert_eq!(anim.len(), 3);
//! assert_eq!(anim.value_range(0), (0.0, 2.0));
//! let html = anim.to_html()?;
//! assert!(html.as_str().contains("epoch 3"));
//! # Ok::<(), nnlab::Error>(())
//! ```

use ndarray::{Array2, ArrayBase, Data, Ix2};

use super::colormap::Colormap;
use super::data::{finite_range, image_f64, Element};
use super::figure::{encode_png, error_html, extension, Figure};
use super::gif_encode::encode_gif;
use super::player::player_html;
use crate::display::{emit, Gif, Html, Rich};
use crate::{Error, Result};

/// Frames of 2-D data shown one after the other through a colormap.
#[derive(Clone, Debug, PartialEq)]
pub struct Animation {
    frames: Vec<Array2<f64>>,
    labels: Vec<String>,
    fps: f64,
    cmap: Colormap,
    per_frame: bool,
    vmin: Option<f64>,
    vmax: Option<f64>,
    colorbar: bool,
    size: (f64, f64),
    dpi: f64,
}

impl Animation {
    /// An animation of `frames` (a slice or `Vec` of 2-D arrays of one shape, any number type):
    /// viridis, shared colour scale, 5 frames per second, no labels, 6.4 × 4.8 in at 72 dpi.
    /// No frames, an empty frame or frames of different shapes are errors.
    pub fn new<S, T>(frames: &[ArrayBase<S, Ix2>]) -> Result<Animation>
    where
        S: Data<Elem = T>,
        T: Element,
    {
        let first =
            frames.first().ok_or_else(|| Error::value("Animation::new", "at least one frame", "none"))?;
        if first.is_empty() {
            return Err(Error::shape(
                "Animation::new",
                "non-empty frames",
                format!("shape {:?}", first.shape()),
            ));
        }
        for (i, f) in frames.iter().enumerate() {
            if f.shape() != first.shape() {
                return Err(Error::shape(
                    "Animation::new",
                    format!("every frame of shape {:?} (like frame 0)", first.shape()),
                    format!("frame {i} of shape {:?}", f.shape()),
                ));
            }
        }
        Ok(Animation {
            frames: frames.iter().map(image_f64).collect(),
            labels: Vec::new(),
            fps: 5.0,
            cmap: Colormap::default(),
            per_frame: false,
            vmin: None,
            vmax: None,
            colorbar: false,
            size: (6.4, 4.8),
            dpi: 72.0,
        })
    }

    /// Label frame `i` with `f(i)`, shown as its title, e.g. `.labels(|i| format!("epoch {}", i + 1))`.
    pub fn labels(mut self, mut f: impl FnMut(usize) -> String) -> Animation {
        self.labels = (0..self.frames.len()).map(&mut f).collect();
        self
    }
    /// Label the frames with `labels`, one per frame (a different count is an error).
    pub fn label_list(mut self, labels: Vec<String>) -> Result<Animation> {
        if labels.len() != self.frames.len() {
            return Err(Error::shape(
                "Animation::label_list",
                format!("{} labels (one per frame)", self.frames.len()),
                format!("{} labels", labels.len()),
            ));
        }
        self.labels = labels;
        Ok(self)
    }
    /// Frames per second (matplotlib's default interval of 200 ms is 5 fps); kept in 0.1..=100.
    pub fn fps(mut self, fps: f64) -> Animation {
        self.fps = if fps.is_finite() { fps.clamp(0.1, 100.0) } else { 5.0 };
        self
    }
    /// The colormap by name (see [`Colormap::from_name`]).
    pub fn cmap(mut self, name: &str) -> Result<Animation> {
        self.cmap = Colormap::from_name(name)?;
        Ok(self)
    }
    /// Scale each frame's colours to its own value range instead of the shared one.
    pub fn per_frame_scale(mut self) -> Animation {
        self.per_frame = true;
        self
    }
    /// Fix the value shown with the lowest colour in every frame.
    pub fn vmin(mut self, v: f64) -> Animation {
        self.vmin = Some(v);
        self
    }
    /// Fix the value shown with the highest colour in every frame.
    pub fn vmax(mut self, v: f64) -> Animation {
        self.vmax = Some(v);
        self
    }
    /// Draw a colour bar next to every frame.
    pub fn colorbar(mut self) -> Animation {
        self.colorbar = true;
        self
    }
    /// The size of each frame in inches (default 6.4 × 4.8).
    pub fn size(mut self, width: f64, height: f64) -> Animation {
        let f = Figure::new().size(width, height);
        self.size = (f.width, f.height);
        self
    }
    /// Pixels per inch of each frame (default 72).
    pub fn dpi(mut self, dpi: f64) -> Animation {
        self.dpi = Figure::new().dpi(dpi).dpi;
        self
    }
    /// The number of frames.
    pub fn len(&self) -> usize {
        self.frames.len()
    }
    /// Never true (an animation has at least one frame); here for clippy's `len` rule.
    pub fn is_empty(&self) -> bool {
        self.frames.is_empty()
    }
    /// The value range `(vmin, vmax)` that frame `i`'s colours span.
    pub fn value_range(&self, i: usize) -> (f64, f64) {
        let range = if self.per_frame {
            self.frames.get(i).and_then(|f| finite_range(f.iter()))
        } else {
            finite_range(self.frames.iter().flat_map(|f| f.iter()))
        };
        let (lo, hi) = range.unwrap_or((0.0, 1.0));
        (self.vmin.unwrap_or(lo), self.vmax.unwrap_or(hi))
    }
    /// Frame `i` as a [`Figure`] (out of range is an error).
    pub fn frame(&self, i: usize) -> Result<Figure> {
        let data = self.frames.get(i).ok_or_else(|| {
            Error::value("Animation::frame", format!("an index below {}", self.frames.len()), i.to_string())
        })?;
        let (lo, hi) = self.value_range(i);
        let mut fig = Figure::new().size(self.size.0, self.size.1).dpi(self.dpi);
        let im = fig.imshow(data)?;
        im.cmap = self.cmap.clone();
        im.vmin(lo).vmax(hi);
        if self.colorbar {
            im.colorbar();
        }
        if let Some(l) = self.labels.get(i) {
            fig.title(l);
        }
        Ok(fig)
    }
    fn rgb_frames(&self) -> Result<(u32, u32, Vec<Vec<u8>>)> {
        let mut out = Vec::with_capacity(self.frames.len());
        let mut dims = (0, 0);
        for i in 0..self.frames.len() {
            crate::interrupt::check("Animation", || {
                format!("while drawing frame {i} of {}", self.frames.len())
            })?;
            let (w, h, rgb) = self.frame(i)?.to_rgb()?;
            dims = (w, h);
            out.push(rgb);
        }
        Ok((dims.0, dims.1, out))
    }
    /// A looping GIF of the frames.
    pub fn to_gif(&self) -> Result<Gif> {
        let (w, h, frames) = self.rgb_frames()?;
        let delay = (100.0 / self.fps).round().clamp(1.0, 65535.0) as u16;
        encode_gif(w, h, &frames, delay, &self.cmap)
    }
    /// The HTML player: the frames as PNGs with play/pause, step, slider and loop controls.
    pub fn to_html(&self) -> Result<Html> {
        let (w, h, frames) = self.rgb_frames()?;
        let b64 = |bytes: &[u8]| crate::display::Png::new(bytes.to_vec()).payload();
        let pngs: Vec<String> =
            frames.iter().map(|f| encode_png(w, h, f).map(|p| b64(&p))).collect::<Result<_>>()?;
        Ok(Html::new(player_html(&pngs, &self.labels, self.fps)))
    }
    /// Save as a GIF (`"w.gif"`) or as a page with the player (`"w.html"`), by the extension.
    pub fn save(&self, path: &str) -> Result<()> {
        match extension(path).as_str() {
            "gif" => self.to_gif()?.save(path),
            "html" | "htm" => self.to_html()?.save(path),
            _ => Err(Error::value("Animation::save", "a path ending in .gif or .html", format!("{path:?}"))),
        }
    }
    /// Show the player in evcxr (called by the kernel when a cell ends with this value).
    pub fn evcxr_display(&self) {
        match self.to_html() {
            Ok(h) => emit(&h),
            Err(e) => {
                eprintln!("{e}");
                emit(&Html::new(error_html(&e)))
            }
        }
    }
}

impl Rich for Animation {
    fn mime(&self) -> &'static str {
        "text/html"
    }
    fn payload(&self) -> String {
        Rich::to_html(self)
    }
    fn to_html(&self) -> String {
        match Animation::to_html(self) {
            Ok(h) => h.as_str().to_string(),
            Err(e) => error_html(&e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bad_frames_are_errors() {
        let none: Vec<Array2<f64>> = vec![];
        assert!(Animation::new(&none).is_err());
        let mixed = vec![Array2::<f32>::zeros((2, 2)), Array2::<f32>::zeros((2, 3))];
        let e = Animation::new(&mixed).unwrap_err().to_string();
        assert!(e.contains("frame 1 of shape [2, 3]"), "{e}");
        let a = Animation::new(&[Array2::<u8>::zeros((2, 2))]).unwrap();
        assert!(a.clone().label_list(vec![]).is_err());
        assert!(a.clone().cmap("virdis").is_err());
        assert!(a.save("/tmp/x.mp4").is_err());
        assert!(a.frame(1).is_err());
    }

    #[test]
    fn scales_shared_or_per_frame() {
        let frames = vec![Array2::from_elem((2, 2), 1.0), Array2::from_elem((2, 2), 3.0)];
        let a = Animation::new(&frames).unwrap();
        assert_eq!(a.value_range(0), (1.0, 3.0));
        let b = a.clone().per_frame_scale();
        assert_eq!(b.value_range(1), (3.0, 3.0));
        assert_eq!(a.vmin(0.0).value_range(1), (0.0, 3.0));
    }
}
