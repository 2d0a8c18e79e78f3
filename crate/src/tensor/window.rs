//! Where a sliding window falls on an image, for convolutions and pooling (channels last,
//! `[batch, height, width, channels]`).
//!
//! A window of `kh × kw` pixels moves over an `h × w` image by `sh` rows and `sw` columns at a time.
//! With [`Padding::Valid`] it stays inside the image: `oh = ⌊(h − kh) / sh⌋ + 1` positions down (and
//! the same across). With [`Padding::Same`] the output has `oh = ⌈h / sh⌉` rows, as if the image were
//! bordered by `p = max((oh − 1)·sh + kh − h, 0)` rows of zeros, `⌊p/2⌋` above and the rest below
//! (Keras' and TensorFlow's rule: the extra row goes at the bottom, and so on for columns).

use crate::{Error, Result};

/// How a window treats the image's border, by Keras' names: `"valid"` (no padding: the window stays
/// inside) or `"same"` (zeros around the image, so that with strides 1 the output is as large as the
/// input).
///
/// ```
/// use nnlab::tensor::Padding;
/// assert_eq!(Padding::from_name("same").unwrap(), Padding::Same);
/// let err = Padding::from_name("smae").unwrap_err().to_string();
/// assert!(err.contains("same"), "{err}"); // names the closest one
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub enum Padding {
    /// No padding (Keras' default).
    #[default]
    Valid,
    /// Zeros around the image: output size `⌈input / stride⌉`.
    Same,
}

/// The names [`Padding::from_name`] knows.
pub const PADDINGS: &[&str] = &["valid", "same"];

impl Padding {
    /// The padding called `name` (`"valid"` or `"same"`).
    pub fn from_name(name: &str) -> Result<Padding> {
        match name {
            "valid" => Ok(Padding::Valid),
            "same" => Ok(Padding::Same),
            _ => Err(Error::unknown_name("padding", "padding", name, PADDINGS)),
        }
    }

    /// Keras' name.
    pub fn name(self) -> &'static str {
        match self {
            Padding::Valid => "valid",
            Padding::Same => "same",
        }
    }
}

/// The geometry of one window over one image size: sizes, strides, padding and output size.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Window {
    pub h: usize,
    pub w: usize,
    pub kh: usize,
    pub kw: usize,
    pub sh: usize,
    pub sw: usize,
    /// Rows of padding above the image, and columns left of it.
    pub top: usize,
    pub left: usize,
    pub oh: usize,
    pub ow: usize,
}

/// One axis: the output size and the padding before the image.
fn axis(size: usize, k: usize, stride: usize, padding: Padding) -> Option<(usize, usize)> {
    match padding {
        Padding::Valid => (k <= size).then(|| ((size - k) / stride + 1, 0)),
        Padding::Same => {
            let out = size.div_ceil(stride);
            let total = ((out.max(1) - 1) * stride + k).saturating_sub(size);
            Some((out, total / 2))
        }
    }
}

impl Window {
    /// A `kernel` window moved by `strides` over an image of `image` = `(h, w)` pixels. `op` names the
    /// operation in errors (a zero size, or a window larger than a `"valid"` image).
    pub fn new(
        op: &str,
        image: (usize, usize),
        kernel: (usize, usize),
        strides: (usize, usize),
        padding: Padding,
    ) -> Result<Window> {
        let ((h, w), (kh, kw), (sh, sw)) = (image, kernel, strides);
        if kh == 0 || kw == 0 || sh == 0 || sw == 0 {
            return Err(Error::value(
                op,
                "window sizes and strides of at least 1",
                format!("window {kh}×{kw}, strides {sh}×{sw}"),
            ));
        }
        match (axis(h, kh, sh, padding), axis(w, kw, sw, padding)) {
            (Some((oh, top)), Some((ow, left))) if oh > 0 && ow > 0 => {
                Ok(Window { h, w, kh, kw, sh, sw, top, left, oh, ow })
            }
            _ => Err(Error::shape(
                op,
                format!("an image of at least {kh}×{kw} pixels for a {kh}×{kw} window (padding \"valid\")"),
                format!("{h}×{w} (the image has shrunk too much; try padding(\"same\") or fewer layers)"),
            )),
        }
    }

    /// The image row under window row `ky` at output row `oy`, or `None` in the padding.
    pub fn row(&self, oy: usize, ky: usize) -> Option<usize> {
        (oy * self.sh + ky).checked_sub(self.top).filter(|&r| r < self.h)
    }

    /// The image column under window column `kx` at output column `ox`, or `None` in the padding.
    pub fn col(&self, ox: usize, kx: usize) -> Option<usize> {
        (ox * self.sw + kx).checked_sub(self.left).filter(|&c| c < self.w)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn output_sizes_follow_keras() {
        let w = |h, k, s, p| Window::new("t", (h, h), (k, k), (s, s), p).map(|w| (w.oh, w.top));
        assert_eq!(w(28, 3, 1, Padding::Valid).unwrap(), (26, 0));
        assert_eq!(w(26, 2, 2, Padding::Valid).unwrap(), (13, 0));
        assert_eq!(w(11, 2, 2, Padding::Valid).unwrap(), (5, 0)); // the last row is dropped
        assert_eq!(w(28, 3, 1, Padding::Same).unwrap(), (28, 1));
        assert_eq!(w(28, 3, 2, Padding::Same).unwrap(), (14, 0)); // pad 1, all at the bottom
        assert_eq!(w(5, 4, 1, Padding::Same).unwrap(), (5, 1)); // pad 3: 1 above, 2 below
        assert!(w(2, 3, 1, Padding::Valid).is_err());
        assert!(w(2, 0, 1, Padding::Valid).is_err());
    }
}
