//! RGB frames to a looping GIF: one 256-colour palette shared by all frames, made of the colormap's
//! colours (224 of its 256), 31 greys (text, frame, white background) and the "bad" colour; each
//! pixel takes the nearest palette colour.

use std::borrow::Cow;
use std::collections::HashMap;

use super::colormap::{Colormap, BAD_COLOR};
use crate::display::Gif;
use crate::{Error, Result};

/// The shared palette for frames drawn with `cmap`.
fn palette(cmap: &Colormap) -> Vec<[u8; 3]> {
    let mut pal = vec![BAD_COLOR];
    pal.extend((0..31).map(|i| [((i * 255) as f64 / 30.0).round() as u8; 3]));
    let lut = cmap.table();
    pal.extend((0..224).map(|k| lut[((k * 255) as f64 / 223.0).round() as usize]));
    pal
}

fn nearest(pal: &[[u8; 3]], c: [u8; 3]) -> u8 {
    let d = |p: &[u8; 3]| (0..3).map(|i| (p[i] as i32 - c[i] as i32).pow(2)).sum::<i32>();
    (0..pal.len()).min_by_key(|&i| d(&pal[i])).unwrap_or(0) as u8
}

/// Encode frames (`w × h` RGB each) as a GIF that loops forever, `delay_cs` hundredths of a second
/// per frame.
pub(crate) fn encode_gif(w: u32, h: u32, frames: &[Vec<u8>], delay_cs: u16, cmap: &Colormap) -> Result<Gif> {
    let err = |e: gif::EncodingError| Error::format("Animation::to_gif", e.to_string());
    if w > u16::MAX as u32 || h > u16::MAX as u32 {
        return Err(Error::value("Animation::to_gif", "at most 65535 × 65535 pixels", format!("{w} × {h}")));
    }
    let pal = palette(cmap);
    let flat: Vec<u8> = pal.iter().flatten().copied().collect();
    let mut out = Vec::new();
    {
        let mut enc = gif::Encoder::new(&mut out, w as u16, h as u16, &flat).map_err(err)?;
        enc.set_repeat(gif::Repeat::Infinite).map_err(err)?;
        let mut cache: HashMap<[u8; 3], u8> = HashMap::new();
        for rgb in frames {
            let mut idx = Vec::with_capacity((w * h) as usize);
            let mut last: Option<([u8; 3], u8)> = None;
            for px in rgb.chunks_exact(3) {
                let c = [px[0], px[1], px[2]];
                let i = match last {
                    Some((lc, li)) if lc == c => li,
                    _ => *cache.entry(c).or_insert_with(|| nearest(&pal, c)),
                };
                last = Some((c, i));
                idx.push(i);
            }
            let frame = gif::Frame {
                width: w as u16,
                height: h as u16,
                delay: delay_cs,
                buffer: Cow::Owned(idx),
                ..gif::Frame::default()
            };
            enc.write_frame(&frame).map_err(err)?;
        }
    }
    Ok(Gif::new(out))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn palette_has_ends_and_greys() {
        let c = Colormap::default();
        let pal = palette(&c);
        assert_eq!(pal.len(), 256);
        assert!(pal.contains(&[255, 255, 255]) && pal.contains(&[0, 0, 0]));
        assert!(pal.contains(&c.color(0.0)) && pal.contains(&c.color(1.0)));
        assert_eq!(pal[nearest(&pal, [253, 253, 253]) as usize], [255, 255, 255]);
    }
}
