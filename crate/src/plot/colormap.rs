//! Colormaps: a value in `[vmin, vmax]` becomes a colour, through a table of 256 colours like
//! matplotlib's (`index = floor(256 · (v − vmin) / (vmax − vmin))`, clipped to `0..=255`).
//!
//! The perceptual maps (viridis, magma, plasma, inferno, cividis, turbo) and RdBu come from the
//! `colorous` crate (d3's tables, the same 256 colours as matplotlib for viridis & co.); `gray` is a
//! linear ramp; `coolwarm` is Moreland's diverging map sampled from matplotlib at 33 points.
//! Any name with `_r` appended is the reversed map. NaN and ±∞ ("bad" values, masked by matplotlib)
//! get the colour [`BAD_COLOR`] so that they stay visible.
//!
//! ```
//! use nnlab::plot::Colormap;
//! let v = Colormap::from_name("viridis")?;
//! assert_eq!(v.color(0.0), [0x44, 0x01, 0x54]);
//! assert_eq!(v.color(1.0), [0xfd, 0xe7, 0x25]);
//! assert_eq!(Colormap::from_name("gray_r")?.color(0.0), [255, 255, 255]);
//! assert!(Colormap::from_name("viridus").is_err()); // did you mean "viridis"?
//! # Ok::<(), nnlab::Error>(())
//! ```

use crate::{Error, Result};

/// The colour of NaN and infinite values in images: magenta, in none of the colormaps.
pub const BAD_COLOR: [u8; 3] = [255, 0, 255];

/// The colormap names [`Colormap::from_name`] knows (each also with `_r`, reversed).
pub const COLORMAP_NAMES: &[&str] = &[
    "viridis", "magma", "plasma", "inferno", "cividis", "turbo", "gray", "grey", "Greys", "coolwarm", "RdBu",
    "Blues",
];

/// matplotlib's `coolwarm` at 33 evenly spaced points (linearly interpolated in between).
const COOLWARM: [u32; 33] = [
    0x3b4cc0, 0x445acc, 0x4e68d8, 0x5875e1, 0x6282ea, 0x6c8ff1, 0x779af7, 0x82a6fb, 0x8db0fe, 0x98b9ff,
    0xa3c2fe, 0xaec9fc, 0xb9d0f9, 0xc3d5f4, 0xccd9ed, 0xd5dbe5, 0xdddcdc, 0xe5d8d1, 0xecd3c5, 0xf1ccb8,
    0xf5c4ac, 0xf7ba9f, 0xf7b093, 0xf6a586, 0xf4987a, 0xf08b6e, 0xeb7d62, 0xe46e56, 0xdd5f4b, 0xd44e41,
    0xca3b37, 0xbe242e, 0xb40426,
];

/// A named colormap: 256 colours, lowest value first.
#[derive(Clone, Debug, PartialEq)]
pub struct Colormap {
    name: String,
    lut: Vec<[u8; 3]>,
}

impl Default for Colormap {
    /// viridis, matplotlib's default.
    fn default() -> Self {
        Colormap::from_name("viridis").expect("viridis is known")
    }
}

fn from_gradient(g: colorous::Gradient) -> Vec<[u8; 3]> {
    (0..256).map(|i| g.eval_rational(i, 256).as_array()).collect()
}

fn from_points(points: &[u32]) -> Vec<[u8; 3]> {
    let rgb = |c: u32| [(c >> 16) as f64, ((c >> 8) & 0xff) as f64, (c & 0xff) as f64];
    (0..256)
        .map(|i| {
            let t = i as f64 / 255.0 * (points.len() - 1) as f64;
            let k = (t.floor() as usize).min(points.len() - 2);
            let f = t - k as f64;
            let (a, b) = (rgb(points[k]), rgb(points[k + 1]));
            [0, 1, 2].map(|c| (a[c] + (b[c] - a[c]) * f).round() as u8)
        })
        .collect()
}

impl Colormap {
    /// The colormap called `name` (matplotlib's names: `"viridis"`, `"gray"`, `"magma"`, `"plasma"`,
    /// `"inferno"`, `"cividis"`, `"turbo"`, `"Greys"`, `"coolwarm"`, `"RdBu"`, `"Blues"`, each also as
    /// `"<name>_r"`).
    /// An unknown name is an [`Error::UnknownName`] with the closest known name suggested.
    pub fn from_name(name: &str) -> Result<Colormap> {
        let (base, reversed) = match name.strip_suffix("_r") {
            Some(b) => (b, true),
            None => (name, false),
        };
        let mut lut = match base {
            "viridis" => from_gradient(colorous::VIRIDIS),
            "magma" => from_gradient(colorous::MAGMA),
            "plasma" => from_gradient(colorous::PLASMA),
            "inferno" => from_gradient(colorous::INFERNO),
            "cividis" => from_gradient(colorous::CIVIDIS),
            "turbo" => from_gradient(colorous::TURBO),
            "RdBu" => from_gradient(colorous::RED_BLUE),
            "Blues" => from_gradient(colorous::BLUES),
            "gray" | "grey" => (0..256).map(|i| [i as u8; 3]).collect(),
            "Greys" => (0..256).map(|i| [255 - i as u8; 3]).collect(),
            "coolwarm" => from_points(&COOLWARM),
            _ => {
                let mut known: Vec<String> = COLORMAP_NAMES.iter().map(|s| s.to_string()).collect();
                known.extend(COLORMAP_NAMES.iter().map(|s| format!("{s}_r")));
                let known: Vec<&str> = known.iter().map(String::as_str).collect();
                return Err(Error::unknown_name("cmap", "colormap", name, &known));
            }
        };
        if reversed {
            lut.reverse();
        }
        Ok(Colormap { name: name.to_string(), lut })
    }

    /// The name it was made from, e.g. `"gray_r"`.
    pub fn name(&self) -> &str {
        &self.name
    }

    /// The colour of `t` in `[0, 1]` (clipped outside; NaN gives [`BAD_COLOR`]): entry
    /// `min(floor(256 t), 255)` of the table.
    pub fn color(&self, t: f64) -> [u8; 3] {
        if t.is_nan() {
            return BAD_COLOR;
        }
        let i = (t * 256.0).floor().clamp(0.0, 255.0) as usize;
        self.lut[i]
    }

    /// The colour of `v` on the scale `[vmin, vmax]`: NaN and ±∞ give [`BAD_COLOR`].
    pub fn map(&self, v: f64, vmin: f64, vmax: f64) -> [u8; 3] {
        if !v.is_finite() {
            return BAD_COLOR;
        }
        let span = vmax - vmin;
        let t = if span > 0.0 { (v - vmin) / span } else { 0.5 };
        self.color(t)
    }

    /// The 256 colours, lowest value first.
    pub fn table(&self) -> &[[u8; 3]] {
        &self.lut
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn end_points_match_matplotlib() {
        let ends = |n: &str| {
            let c = Colormap::from_name(n).unwrap();
            (c.color(0.0), c.color(1.0))
        };
        assert_eq!(ends("viridis"), ([0x44, 0x01, 0x54], [0xfd, 0xe7, 0x25]));
        assert_eq!(ends("magma"), ([0x00, 0x00, 0x04], [0xfc, 0xfd, 0xbf]));
        assert_eq!(ends("plasma"), ([0x0d, 0x08, 0x87], [0xf0, 0xf9, 0x21]));
        assert_eq!(ends("inferno"), ([0x00, 0x00, 0x04], [0xfc, 0xff, 0xa4]));
        // d3's RdBu (a spline through ColorBrewer's colours) ends 1 away from matplotlib's #053061.
        let (lo, hi) = ends("RdBu");
        assert_eq!(lo, [0x67, 0x00, 0x1f]);
        assert!(close(hi, [0x05, 0x30, 0x61]), "{hi:?}");
        assert_eq!(ends("gray"), ([0, 0, 0], [255, 255, 255]));
        assert_eq!(ends("coolwarm"), ([0x3b, 0x4c, 0xc0], [0xb4, 0x04, 0x26]));
        assert_eq!(ends("viridis_r"), ([0xfd, 0xe7, 0x25], [0x44, 0x01, 0x54]));
    }

    fn close(a: [u8; 3], b: [u8; 3]) -> bool {
        (0..3).all(|i| a[i].abs_diff(b[i]) <= 1)
    }

    #[test]
    fn middle_of_viridis_is_matplotlibs() {
        // matplotlib: viridis(0.5) == #21918c, viridis(0.3) == #355f8d (colorous rounds within 1).
        let v = Colormap::from_name("viridis").unwrap();
        assert!(close(v.color(0.5), [0x21, 0x91, 0x8c]), "{:?}", v.color(0.5));
        assert!(close(v.color(0.3), [0x35, 0x5f, 0x8d]), "{:?}", v.color(0.3));
    }

    #[test]
    fn bad_values_are_visible() {
        let c = Colormap::default();
        assert_eq!(c.map(f64::NAN, 0.0, 1.0), BAD_COLOR);
        assert_eq!(c.map(f64::INFINITY, 0.0, 1.0), BAD_COLOR);
        assert_eq!(c.map(2.0, 0.0, 1.0), c.color(1.0));
        assert_eq!(c.map(3.0, 3.0, 3.0), c.color(0.5));
    }

    #[test]
    fn unknown_name_suggests() {
        let e = Colormap::from_name("grey_rr").unwrap_err().to_string();
        assert!(e.contains("unknown colormap \"grey_rr\""), "{e}");
        assert!(e.contains("did you mean"), "{e}");
    }
}
