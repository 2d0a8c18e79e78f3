//! A 2-d convolution as a dense layer applied to every patch of the image ("im2col").
//!
//! For `x: [n, h, w, c]` (channels last) and a kernel `K: [kh, kw, c, f]`,
//! `y[b, i, j, :] = Σ_{u, v, ch} x[b, i·sh + u − top, j·sw + v − left, ch] · K[u, v, ch, :] + bias`,
//! shape `[n, oh, ow, f]` (see `window.rs` for `oh`, `ow` and the padding).
//!
//! Computed in two steps, each with its backward:
//! 1. im2col: every window position's pixels side by side in one row, `P: [n·oh·ow, kh·kw·c]`
//!    (zeros where the window hangs over a `"same"` border; [`patches`](Tensor::patches) on its own).
//!    Its backward, col2im, adds each row's gradient back onto the pixels the row was copied from (a
//!    pixel under several windows gets the sum).
//! 2. `Y = P · K + bias` with `K` seen as `[kh·kw·c, f]`: a dense layer on every patch (the formulas of
//!    [`linear`](Tensor::linear)): `∂L/∂K = Pᵀ · G`, `∂L/∂bias = Σ_rows G`, `∂L/∂P = G · Kᵀ`, then col2im.
//!    So a convolution's speed is the matrix product's.
//!
//! `conv2d` is one op (not `patches` then `linear` then `reshape`): the `[n·oh·ow, f]` product is the
//! `[n, oh, ow, f]` output as it is, and `P` lives only as long as the backward needs it.
//!
//! Each image's rows are independent, so for a large batch the first and second halves of the images
//! are copied side by side ([`join`]): every value is computed by the same loop either way, the same
//! bits on any thread count.

use super::linear::{add_to_rows, column_sums};
use super::window::{Padding, Window};
use super::{fmt_shape, Tensor};
use crate::backend::parallel::{join, PAR_MIN};
use crate::linalg::matmul_f32;
use crate::{Error, Result};
use ndarray::{Array2, ArrayD, ArrayView2, Ix1};

/// `f(images, rows)` on the first and the second half of the images side by side when there is
/// enough work: `x` holds `x_per` values per image and `out` holds `out_per`.
pub(super) fn by_halves(
    n: usize,
    (x, x_per): (&[f32], usize),
    (out, out_per): (&mut [f32], usize),
    f: impl Fn(&[f32], &mut [f32]) + Sync,
) {
    if n < 2 || out.len() < PAR_MIN {
        return f(x, out);
    }
    let (x1, x2) = x.split_at(n / 2 * x_per);
    let (o1, o2) = out.split_at_mut(n / 2 * out_per);
    join(|| f(x1, o1), || f(x2, o2));
}

/// im2col for the images in `x` (`[images, h, w, c]`, row-major) into `rows` (one row of
/// `kh·kw·c` values per window position, zeros in the padding).
fn im2col(x: &[f32], c: usize, win: &Window, rows: &mut [f32]) {
    let row_len = win.kh * win.kw * c;
    let positions = win.oh * win.ow;
    for (i, row) in rows.chunks_mut(row_len).enumerate() {
        let (image, oy, ox) = (i / positions, i / win.ow % win.oh, i % win.ow);
        for ky in 0..win.kh {
            let Some(iy) = win.row(oy, ky) else { continue };
            for kx in 0..win.kw {
                let Some(ix) = win.col(ox, kx) else { continue };
                let from = ((image * win.h + iy) * win.w + ix) * c;
                let to = (ky * win.kw + kx) * c;
                if c == 1 {
                    row[to] = x[from]; // (a grey image: one value, not a call to memcpy for it)
                } else {
                    row[to..to + c].copy_from_slice(&x[from..from + c]);
                }
            }
        }
    }
}

/// col2im, im2col's backward: each row's gradient added onto the pixels it was copied from.
fn col2im(rows: &[f32], c: usize, win: &Window, dx: &mut [f32]) {
    let row_len = win.kh * win.kw * c;
    let positions = win.oh * win.ow;
    for (i, row) in rows.chunks(row_len).enumerate() {
        let (image, oy, ox) = (i / positions, i / win.ow % win.oh, i % win.ow);
        for ky in 0..win.kh {
            let Some(iy) = win.row(oy, ky) else { continue };
            for kx in 0..win.kw {
                let Some(ix) = win.col(ox, kx) else { continue };
                let to = ((image * win.h + iy) * win.w + ix) * c;
                let from = (ky * win.kw + kx) * c;
                for (d, g) in dx[to..to + c].iter_mut().zip(&row[from..from + c]) {
                    *d += g;
                }
            }
        }
    }
}

/// im2col of a whole batch `x: [n, h, w, c]`: `[n·oh·ow, kh·kw·c]`.
fn im2col_batch(x: &ArrayD<f32>, win: &Window) -> Array2<f32> {
    let (n, c) = (x.shape()[0], x.shape()[3]);
    let (row_len, positions) = (win.kh * win.kw * c, win.oh * win.ow);
    let x = x.as_standard_layout();
    let mut rows = vec![0.0f32; n * positions * row_len];
    let x = x.as_slice().expect("standard layout");
    by_halves(n, (x, win.h * win.w * c), (&mut rows, positions * row_len), |x, rows| im2col(x, c, win, rows));
    Array2::from_shape_vec((n * positions, row_len), rows).expect("sizes match")
}

/// col2im of the rows' gradient `g: [n·oh·ow, kh·kw·c]` for images `[n, h, w, c]`.
fn col2im_batch(g: &ArrayView2<f32>, [n, h, w, c]: [usize; 4], win: &Window) -> ArrayD<f32> {
    let (row_len, positions) = (win.kh * win.kw * c, win.oh * win.ow);
    let g = g.as_standard_layout();
    let mut dx = vec![0.0f32; n * h * w * c];
    // (halves of the images: each image's pixels get their sums in the same order)
    let g = g.as_slice().expect("standard layout");
    by_halves(n, (g, positions * row_len), (&mut dx, h * w * c), |g, dx| col2im(g, c, win, dx));
    ArrayD::from_shape_vec(vec![n, h, w, c], dx).expect("sizes match")
}

/// The shape `[n, h, w, c]` of a batch of images, or an error naming `op`.
pub(crate) fn image_batch(op: &str, shape: &[usize]) -> Result<[usize; 4]> {
    match *shape {
        [n, h, w, c] => Ok([n, h, w, c]),
        _ => Err(Error::shape(
            op,
            "images of shape [batch, height, width, channels] (channels last)",
            format!(
                "{}{}",
                fmt_shape(shape),
                if shape.len() == 3 { " (add the channel axis: np::expand_dims(&x, -1))" } else { "" }
            ),
        )),
    }
}

impl Tensor {
    /// Every position of a `kernel = (kh, kw)` window moved by `strides` over images
    /// `self: [n, h, w, c]`, one row each: shape `[n·oh·ow, kh·kw·c]`, rows in the order
    /// (image, output row, output column), each row's values in the order (window row, window column,
    /// channel), zeros in a `"same"` border. Backward: each row's gradient added back onto its pixels.
    ///
    /// ```
    /// use nnlab::tensor::{Padding, Tensor};
    /// use nnlab::ndarray::ArrayD;
    /// // One 3×3 image of one channel, values 0..9; 2×2 windows: 4 positions of 4 pixels.
    /// let x = Tensor::new(ArrayD::from_shape_vec(vec![1, 3, 3, 1], (0..9).map(|v| v as f32).collect()).unwrap());
    /// let p = x.patches((2, 2), (1, 1), Padding::Valid).unwrap();
    /// assert_eq!(p.shape(), vec![4, 4]);
    /// let rows = p.to_array().into_raw_vec_and_offset().0;
    /// assert_eq!(rows[..4], [0.0, 1.0, 3.0, 4.0]); // the top-left window
    /// assert_eq!(rows[12..], [4.0, 5.0, 7.0, 8.0]); // the bottom-right one
    /// ```
    pub fn patches(
        &self,
        kernel: (usize, usize),
        strides: (usize, usize),
        padding: Padding,
    ) -> Result<Tensor> {
        let shape @ [n, h, w, c] = image_batch("patches", &self.shape())?;
        let win = Window::new("patches", (h, w), kernel, strides, padding)?;
        crate::data::check_alloc("patches", &[n * win.oh * win.ow, win.kh * win.kw * c], 4)?;
        let value = im2col_batch(&self.value(), &win).into_dyn();
        Ok(Tensor::from_op(
            "patches",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let g = g.view().into_dimensionality().expect("a 2-d gradient");
                vec![Some(col2im_batch(&g, shape, &win))]
            }),
        ))
    }

    /// The 2-d convolution of images `self: [n, h, w, c]` with `kernel: [kh, kw, c, f]`, plus `bias: [f]`
    /// if given, the window moved by `strides`: shape `[n, oh, ow, f]` (Keras' `Conv2D` without its
    /// activation; see the module docs for the formula): the patches' rows times the kernel seen as
    /// `[kh·kw·c, f]`, plus the bias.
    ///
    /// ```
    /// use nnlab::tensor::{Padding, Tensor};
    /// use nnlab::ndarray::ArrayD;
    /// let x = Tensor::new(ArrayD::ones(vec![2, 5, 5, 3]));
    /// let k = Tensor::param(ArrayD::ones(vec![3, 3, 3, 4]));
    /// let y = x.conv2d(&k, None, (1, 1), Padding::Valid).unwrap();
    /// assert_eq!(y.shape(), vec![2, 3, 3, 4]);
    /// assert_eq!(y.to_array()[[0, 0, 0, 0]], 27.0); // 3·3·3 ones
    /// let same = x.conv2d(&k, None, (2, 2), Padding::Same).unwrap();
    /// assert_eq!(same.shape(), vec![2, 3, 3, 4]);
    /// assert_eq!(same.to_array()[[0, 0, 0, 0]], 12.0); // the corner: 2·2 pixels inside, 3 channels
    /// assert!(x.conv2d(&Tensor::param(ArrayD::ones(vec![3, 3, 1, 4])), None, (1, 1), Padding::Valid).is_err());
    /// ```
    pub fn conv2d(
        &self,
        kernel: &Tensor,
        bias: Option<&Tensor>,
        strides: (usize, usize),
        padding: Padding,
    ) -> Result<Tensor> {
        let [n, h, w, c] = image_batch("conv2d", &self.shape())?;
        let ks = kernel.shape();
        let [kh, kw, kc, f] = match *ks {
            [kh, kw, kc, f] if kc == c => [kh, kw, kc, f],
            _ => {
                return Err(Error::shape(
                    "conv2d",
                    format!("a kernel of shape [height, width, {c}, filters] for images of {c} channels"),
                    fmt_shape(&ks),
                ))
            }
        };
        if let Some(b) = bias.map(Tensor::shape).filter(|b| b[..] != [f]) {
            return Err(Error::shape(
                "conv2d",
                format!("a bias of shape [{f}] (one per filter)"),
                fmt_shape(&b),
            ));
        }
        let win = Window::new("conv2d", (h, w), (kh, kw), strides, padding)?;
        let rows = n * win.oh * win.ow;
        crate::data::check_alloc("conv2d", &[rows, kh * kw * kc], 4)?;
        let p = im2col_batch(&self.value(), &win); // [n·oh·ow, kh·kw·c]
        let k = kernel.value();
        let k2 = k.view().into_shape_with_order((kh * kw * kc, f)).expect("a 4-d kernel");
        let mut y = matmul_f32(&p.view(), &k2); // [n·oh·ow, f]
        if let Some(b) = bias {
            add_to_rows(&mut y, &b.value().view().into_dimensionality::<Ix1>().expect("checked: [f]"));
        }
        let value = y.into_shape_with_order(vec![n, win.oh, win.ow, f]).expect("the same elements");
        let mut parents = vec![self.clone(), kernel.clone()];
        parents.extend(bias.cloned());
        Ok(Tensor::from_op(
            "conv2d",
            value.into_dyn(),
            parents,
            Box::new(move |g, inputs| {
                let g = g.as_standard_layout();
                let g2 = g.view().into_shape_with_order((rows, f)).expect("the output's shape");
                let k = inputs[1].value();
                let k2 = k.view().into_shape_with_order((kh * kw * kc, f)).expect("a 4-d kernel");
                let dx = inputs[0]
                    .requires_grad()
                    .then(|| col2im_batch(&matmul_f32(&g2, &k2.t()).view(), [n, h, w, c], &win));
                let dk = inputs[1].requires_grad().then(|| {
                    matmul_f32(&p.t(), &g2)
                        .into_shape_with_order(vec![kh, kw, kc, f])
                        .expect("the kernel's shape")
                });
                let mut grads = vec![dx, dk];
                if let Some(b) = inputs.get(2) {
                    grads.push(b.requires_grad().then(|| column_sums(&g2).into_dyn()));
                }
                grads
            }),
        ))
    }
}
