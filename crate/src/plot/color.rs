//! Line colours by name, like matplotlib: `"red"`, `"tab:blue"`, `"C0"`..`"C9"`, `"k"`, `"#1f77b4"`.
//!
//! Lines without a colour take the next one of matplotlib's default cycle, [`TAB10`].

use crate::{Error, Result};

/// matplotlib's default colour cycle (`"C0"`..`"C9"`, the tab10 palette).
pub const TAB10: [[u8; 3]; 10] = [
    [0x1f, 0x77, 0xb4],
    [0xff, 0x7f, 0x0e],
    [0x2c, 0xa0, 0x2c],
    [0xd6, 0x27, 0x28],
    [0x94, 0x67, 0xbd],
    [0x8c, 0x56, 0x4b],
    [0xe3, 0x77, 0xc2],
    [0x7f, 0x7f, 0x7f],
    [0xbc, 0xbd, 0x22],
    [0x17, 0xbe, 0xcf],
];

const TAB_NAMES: [&str; 10] =
    ["blue", "orange", "green", "red", "purple", "brown", "pink", "gray", "olive", "cyan"];

/// Named colours (matplotlib's single letters and the common CSS names).
const NAMED: &[(&str, u32)] = &[
    ("b", 0x0000ff),
    ("g", 0x008000),
    ("r", 0xff0000),
    ("c", 0x00bfbf),
    ("m", 0xbf00bf),
    ("y", 0xbfbf00),
    ("k", 0x000000),
    ("w", 0xffffff),
    ("black", 0x000000),
    ("white", 0xffffff),
    ("red", 0xff0000),
    ("green", 0x008000),
    ("blue", 0x0000ff),
    ("orange", 0xffa500),
    ("purple", 0x800080),
    ("brown", 0xa52a2a),
    ("pink", 0xffc0cb),
    ("gray", 0x808080),
    ("grey", 0x808080),
    ("olive", 0x808000),
    ("cyan", 0x00ffff),
    ("magenta", 0xff00ff),
    ("yellow", 0xffff00),
    ("navy", 0x000080),
    ("teal", 0x008080),
    ("darkgreen", 0x006400),
    ("darkred", 0x8b0000),
    ("darkblue", 0x00008b),
    ("lightgray", 0xd3d3d3),
];

/// The colour called `name`: a name above, `"tab:<name>"`, `"C0"`..`"C9"` or `"#rrggbb"`.
///
/// ```
/// use nnlab::plot::parse_color;
/// assert_eq!(parse_color("red")?, [255, 0, 0]);
/// assert_eq!(parse_color("C1")?, [0xff, 0x7f, 0x0e]);
/// assert_eq!(parse_color("#102030")?, [0x10, 0x20, 0x30]);
/// assert!(parse_color("rde").is_err());
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn parse_color(name: &str) -> Result<[u8; 3]> {
    let rgb = |c: u32| [(c >> 16) as u8, (c >> 8) as u8, c as u8];
    if let Some(hex) = name.strip_prefix('#') {
        if hex.len() == 6 {
            if let Ok(c) = u32::from_str_radix(hex, 16) {
                return Ok(rgb(c));
            }
        }
        return Err(Error::value("color", "a colour \"#rrggbb\"", format!("{name:?}")));
    }
    if let Some(k) = name.strip_prefix('C').and_then(|d| d.parse::<usize>().ok()) {
        return Ok(TAB10[k % 10]);
    }
    if let Some(t) = name.strip_prefix("tab:") {
        if let Some(i) = TAB_NAMES.iter().position(|n| *n == t) {
            return Ok(TAB10[i]);
        }
    }
    if let Some((_, c)) = NAMED.iter().find(|(n, _)| *n == name) {
        return Ok(rgb(*c));
    }
    let mut known: Vec<String> = NAMED.iter().map(|(n, _)| n.to_string()).collect();
    known.extend(TAB_NAMES.iter().map(|n| format!("tab:{n}")));
    let known: Vec<&str> = known.iter().map(String::as_str).collect();
    Err(Error::unknown_name("color", "colour", name, &known))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_cycle() {
        assert_eq!(parse_color("k").unwrap(), [0, 0, 0]);
        assert_eq!(parse_color("tab:red").unwrap(), TAB10[3]);
        assert_eq!(parse_color("C10").unwrap(), TAB10[0]);
        assert!(parse_color("#12345").is_err());
        assert!(parse_color("blu").unwrap_err().to_string().contains("did you mean \"blue\""));
    }
}
