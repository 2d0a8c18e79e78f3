//! `nnlab::plot`: a small matplotlib-like plotting layer on plotters, for notebooks.
//!
//! - [`imshow`]: a 2-D array as an image (viridis, nearest interpolation, optional colour bar).
//! - [`plot`] (`plt.plot(y)`), [`plot_xy`] (`plt.plot(x, y)`), [`Figure`], [`Axes`]: line plots with
//!   labels, colours, title, axis labels, grid, limits and legend; [`subplots`] for a grid of axes.
//! - [`Animation`]: a sequence of 2-D arrays as an HTML player or a looping GIF.
//!
//! Everything shows inline when a cell ends with it (a figure as PNG, an animation as a player), and
//! can be bundled with other outputs by [`crate::display::column`]/[`crate::display::row`].
//! `save("x.png" | "x.svg")` writes a figure, `save("w.gif" | "w.html")` an animation. Text uses an
//! embedded DejaVu Sans font, so nothing needs to be installed on the machine.
//!
//! ```
//! use nnlab::plot::{imshow, subplots};
//! use ndarray::{array, Array1};
//! let fig = imshow(&array![[0u8, 255]])?;          // like plt.imshow(...)
//! let (w, h) = fig.pixel_size();
//! assert_eq!((w, h), (640, 480));
//!
//! let x: Array1<f64> = Array1::linspace(-3.0, 3.0, 200);
//! let mut fig = subplots(1, 2)?.size(8.0, 3.0);
//! fig.ax(0)?.plot(&x, &x.mapv(|v| v.max(0.0)))?;
//! fig.ax(0)?.title("ReLU").grid().ylim(-1.5, 3.0);
//! fig.ax(1)?.plot(&x, &x.mapv(f64::tanh))?.color("C1")?;
//! assert!(fig.to_svg()?.as_str().contains("ReLU"));
//! # Ok::<(), nnlab::Error>(())
//! ```

mod anim;
mod axes;
mod bars;
mod color;
mod colormap;
mod confusion;
mod data;
mod figure;
mod gif_encode;
mod layout;
mod player;
mod render;
pub mod ticks;

pub use anim::Animation;
pub use axes::{Axes, Image, Line, LineStyle, Marker};
pub use bars::Bars;
pub use color::{parse_color, TAB10};
pub use colormap::{Colormap, BAD_COLOR, COLORMAP_NAMES};
pub use confusion::confusion_matrix;
pub use data::{Element, Series};
pub use figure::{imshow, plot, plot_xy, subplots, Figure};
