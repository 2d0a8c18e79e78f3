//! Rich output in Jupyter: values that show as HTML, PNG, SVG or GIF when a cell ends with them.
//!
//! evcxr shows a value richly when its type has a method `evcxr_display(&self)` that prints
//! `EVCXR_BEGIN_CONTENT <mime>` ... `EVCXR_END_CONTENT` on stdout. Every payload type here has one,
//! and so has every figure and animation of [`crate::plot`] (through [`Rich`]).
//!
//! In the nnlab kernel, [`show`] sends a value at once, as one more output of the cell (Jupyter's
//! `display()`): any number of them per cell, in order with the text printed around them, and a
//! [`DisplayHandle`] replaces its output in place (a plot that redraws while a model trains). A plain
//! evcxr shows **one** rich output per cell; there, bundle several values into one HTML value with
//! [`column()`] or [`row()`]:
//!
//! ```
//! use nnlab::display::{column, Html, Png, Rich};
//! let title = Html::new("<b>hi</b>");
//! let dot = Png::new(vec![0x89, b'P', b'N', b'G']); // any PNG bytes
//! let both = column(&[&title, &dot]);
//! assert!(both.as_str().contains("<b>hi</b>"));
//! assert!(both.as_str().contains("data:image/png;base64,"));
//! ```

use base64::Engine;

use crate::{Error, Result};

/// Something that can be shown in a notebook.
///
/// `mime()` and `payload()` are what evcxr receives when a cell ends with the value; `to_html()` is
/// how the value appears inside a bundle of several values ([`column()`], [`row()`]).
pub trait Rich {
    /// The MIME type of the payload, e.g. `"image/png"`.
    fn mime(&self) -> &'static str;
    /// The payload as evcxr wants it: text for text types, base64 for binary types.
    fn payload(&self) -> String;
    /// The value as a piece of HTML (images as `data:` URIs).
    fn to_html(&self) -> String;
}

/// Print `value` with evcxr's content protocol. Types call this from their `evcxr_display`.
pub fn emit(value: &dyn Rich) {
    println!("EVCXR_BEGIN_CONTENT {}\n{}\nEVCXR_END_CONTENT", value.mime(), value.payload());
}

/// Shows `value` now, below what the cell has printed so far (Jupyter's `display(value)`), and returns
/// a handle that can replace it. In a plain evcxr (no nnlab kernel) a cell shows only its last rich
/// output, so there `show` prints it the way a cell's value is printed.
///
/// ```
/// use nnlab::display::{show, Html};
/// let handle = show(&Html::new("<i>training...</i>"));
/// handle.update(&Html::new("<b>done</b>"));
/// ```
pub fn show(value: &dyn Rich) -> DisplayHandle {
    let handle = DisplayHandle::new();
    handle.send(value, false);
    handle
}

/// Clears the cell's output (Jupyter's `clear_output`); with `wait`, only when the next output arrives,
/// so that a redrawn plot does not flicker. Does nothing outside the nnlab kernel.
///
/// ```
/// nnlab::display::clear_output(true);
/// ```
pub fn clear_output(wait: bool) {
    if std::env::var_os("NNLAB_KERNEL").is_some() {
        kernel_line(&serde_json::json!({"clear": true, "wait": wait}));
    }
}

/// One line that the nnlab kernel turns into a message (JSON escapes newlines).
fn kernel_line(message: &serde_json::Value) {
    use std::io::Write;
    let mut out = std::io::stdout().lock();
    let _ = writeln!(out, "NNLAB_DISPLAY {message}");
    let _ = out.flush();
}

/// An output shown by [`show`], which [`update`](DisplayHandle::update) replaces in place (Jupyter's
/// `display_id`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DisplayHandle {
    id: String,
}

impl DisplayHandle {
    fn new() -> DisplayHandle {
        use std::sync::atomic::{AtomicU64, Ordering};
        static NEXT: AtomicU64 = AtomicU64::new(0);
        let nanos =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_nanos());
        DisplayHandle {
            id: format!("nnlab-{}-{nanos:x}-{}", std::process::id(), NEXT.fetch_add(1, Ordering::Relaxed)),
        }
    }

    /// The output's `display_id`.
    pub fn id(&self) -> &str {
        &self.id
    }

    /// Replaces the shown output with `value`.
    pub fn update(&self, value: &dyn Rich) {
        self.send(value, true);
    }

    fn send(&self, value: &dyn Rich, update: bool) {
        if std::env::var_os("NNLAB_KERNEL").is_none() {
            emit(value);
            return;
        }
        let mut data = serde_json::Map::new();
        data.insert(value.mime().to_string(), value.payload().into());
        kernel_line(
            &serde_json::json!({"data": data, "metadata": {}, "display_id": self.id, "update": update}),
        );
    }
}

fn b64(bytes: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(bytes)
}

/// Write `bytes` to `path`, with an error that names the path.
pub(crate) fn write_file(op: &str, path: &str, bytes: &[u8]) -> Result<()> {
    std::fs::write(path, bytes).map_err(|e| Error::io(format!("{op}: cannot write {path:?}"), e))
}

/// A piece of HTML shown as it is. `Html::new("<b>hi</b>")` shows bold text.
#[derive(Clone, Debug, PartialEq)]
pub struct Html(String);

impl Html {
    /// Wrap a string of HTML.
    pub fn new(html: impl Into<String>) -> Self {
        Html(html.into())
    }
    /// The HTML text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Save as a standalone `.html` file.
    pub fn save(&self, path: &str) -> Result<()> {
        let page = format!(
            "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"></head><body>\n{}\n</body></html>\n",
            self.0
        );
        write_file("Html::save", path, page.as_bytes())
    }
    /// Show in evcxr (called by the kernel when a cell ends with this value).
    pub fn evcxr_display(&self) {
        emit(self)
    }
}

impl Rich for Html {
    fn mime(&self) -> &'static str {
        "text/html"
    }
    fn payload(&self) -> String {
        self.0.clone()
    }
    fn to_html(&self) -> String {
        self.0.clone()
    }
}

/// Defines a binary image payload type (PNG, GIF) with its MIME type.
macro_rules! binary_image {
    ($(#[$doc:meta])* $name:ident, $mime:literal) => {
        $(#[$doc])*
        #[derive(Clone, Debug, PartialEq)]
        pub struct $name(Vec<u8>);

        impl $name {
            /// Wrap encoded bytes (they are not checked).
            pub fn new(bytes: Vec<u8>) -> Self {
                $name(bytes)
            }
            /// The encoded bytes.
            pub fn bytes(&self) -> &[u8] {
                &self.0
            }
            /// Write the bytes to a file.
            pub fn save(&self, path: &str) -> Result<()> {
                write_file(concat!(stringify!($name), "::save"), path, &self.0)
            }
            /// Show in evcxr (called by the kernel when a cell ends with this value).
            pub fn evcxr_display(&self) {
                emit(self)
            }
        }

        impl Rich for $name {
            fn mime(&self) -> &'static str {
                $mime
            }
            fn payload(&self) -> String {
                b64(&self.0)
            }
            fn to_html(&self) -> String {
                format!("<img src=\"data:{};base64,{}\" style=\"image-rendering:auto\"/>", $mime, b64(&self.0))
            }
        }
    };
}

binary_image!(
    /// An encoded PNG image.
    Png,
    "image/png"
);
binary_image!(
    /// An encoded (possibly animated) GIF image.
    Gif,
    "image/gif"
);

/// An SVG image (text).
#[derive(Clone, Debug, PartialEq)]
pub struct Svg(String);

impl Svg {
    /// Wrap SVG text.
    pub fn new(svg: impl Into<String>) -> Self {
        Svg(svg.into())
    }
    /// The SVG text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
    /// Write the SVG to a file.
    pub fn save(&self, path: &str) -> Result<()> {
        write_file("Svg::save", path, self.0.as_bytes())
    }
    /// Show in evcxr (called by the kernel when a cell ends with this value).
    pub fn evcxr_display(&self) {
        emit(self)
    }
}

impl Rich for Svg {
    fn mime(&self) -> &'static str {
        "image/svg+xml"
    }
    fn payload(&self) -> String {
        self.0.clone()
    }
    fn to_html(&self) -> String {
        format!("<img src=\"data:image/svg+xml;base64,{}\"/>", b64(self.0.as_bytes()))
    }
}

/// Several values one under the other, as one HTML output (evcxr shows one rich output per cell).
pub fn column(items: &[&dyn Rich]) -> Html {
    let inner: String = items.iter().map(|i| format!("<div>{}</div>", i.to_html())).collect();
    Html(format!("<div style=\"display:flex;flex-direction:column;gap:8px\">{inner}</div>"))
}

/// Several values side by side (wrapping when the page is narrow), as one HTML output.
pub fn row(items: &[&dyn Rich]) -> Html {
    let inner: String = items.iter().map(|i| format!("<div>{}</div>", i.to_html())).collect();
    Html(format!(
        "<div style=\"display:flex;flex-direction:row;flex-wrap:wrap;gap:8px;align-items:flex-start\">{inner}</div>"
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn html_payload_is_the_text() {
        let h = Html::new("<b>hi</b>");
        assert_eq!(h.mime(), "text/html");
        assert_eq!(h.payload(), "<b>hi</b>");
    }

    #[test]
    fn png_payload_is_base64() {
        let p = Png::new(vec![1, 2, 3]);
        assert_eq!(p.mime(), "image/png");
        assert_eq!(p.payload(), "AQID");
        assert_eq!(p.to_html(), "<img src=\"data:image/png;base64,AQID\" style=\"image-rendering:auto\"/>");
    }

    #[test]
    fn row_keeps_order() {
        let a = Html::new("A");
        let b = Html::new("B");
        let r = row(&[&a, &b]);
        let s = r.as_str();
        assert!(s.find('A').unwrap() < s.find('B').unwrap());
    }

    #[test]
    fn save_to_unwritable_path_is_an_error() {
        let e = Html::new("x").save("/nonexistent-dir/x.html").unwrap_err();
        assert!(e.to_string().contains("Html::save: cannot write"), "{e}");
    }
}
