//! Pooling: each channel of each window position summarised by one number, images `[n, h, w, c]` to
//! `[n, oh, ow, c]` (channels last; `window.rs` for the sizes and the padding).
//!
//! - [`max_pool2d`](Tensor::max_pool2d): `y[b, i, j, ch] = max over the window of x`. Backward: the
//!   whole gradient goes to the pixel that was the maximum (the first one on a tie), since only it
//!   moved the output.
//! - [`avg_pool2d`](Tensor::avg_pool2d): `y = mean over the window of x`, counting only the pixels
//!   inside the image on a `"same"` border (Keras' rule). Backward: each of those pixels gets
//!   `g / count`.
//!
//! A NaN in a window is its maximum (as in PyTorch and numpy), so it is not silently dropped.

use super::conv::image_batch;
use super::window::{Padding, Window};
use super::Tensor;
use crate::Result;
use ndarray::ArrayD;

/// For output position `(oy, ox)`, the input pixels (row-major indices into one image, times `c`)
/// under the window.
fn window_pixels(win: &Window, oy: usize, ox: usize) -> impl Iterator<Item = usize> + '_ {
    (0..win.kh)
        .filter_map(move |ky| win.row(oy, ky))
        .flat_map(move |iy| (0..win.kw).filter_map(move |kx| win.col(ox, kx)).map(move |ix| iy * win.w + ix))
}

/// The geometry of a pooling of `self`'s images, and its shape `[n, h, w, c]`.
fn pool_window(
    op: &str,
    x: &Tensor,
    pool: (usize, usize),
    strides: (usize, usize),
    padding: Padding,
) -> Result<(Window, [usize; 4])> {
    let shape @ [_, h, w, _] = image_batch(op, &x.shape())?;
    Ok((Window::new(op, (h, w), pool, strides, padding)?, shape))
}

impl Tensor {
    /// The maximum of each channel over each `pool = (ph, pw)` window moved by `strides`, for images
    /// `self: [n, h, w, c]`: shape `[n, oh, ow, c]`. Keras' `MaxPooling2D` uses `strides = pool`.
    ///
    /// ```
    /// use nnlab::tensor::{Padding, Tensor};
    /// use nnlab::ndarray::ArrayD;
    /// let x = Tensor::param(ArrayD::from_shape_vec(vec![1, 2, 2, 1], vec![1.0, 4.0, 3.0, 2.0]).unwrap());
    /// let y = x.max_pool2d((2, 2), (2, 2), Padding::Valid).unwrap();
    /// assert_eq!(y.to_array().into_raw_vec_and_offset().0, vec![4.0]);
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap().into_raw_vec_and_offset().0, vec![0.0, 1.0, 0.0, 0.0]); // to the maximum
    /// ```
    pub fn max_pool2d(
        &self,
        pool: (usize, usize),
        strides: (usize, usize),
        padding: Padding,
    ) -> Result<Tensor> {
        let (win, [n, h, w, c]) = pool_window("max_pool2d", self, pool, strides, padding)?;
        let x = self.value().as_standard_layout().into_owned();
        let x = x.as_slice().expect("standard layout");
        let mut out = Vec::with_capacity(n * win.oh * win.ow * c);
        // For each output value, the index in x of the pixel it came from.
        let mut argmax = Vec::with_capacity(out.capacity());
        for image in 0..n {
            let base = image * h * w;
            for oy in 0..win.oh {
                for ox in 0..win.ow {
                    let start = out.len();
                    for p in window_pixels(&win, oy, ox) {
                        let at = (base + p) * c;
                        if out.len() == start {
                            out.extend_from_slice(&x[at..at + c]);
                            argmax.extend(at..at + c);
                            continue;
                        }
                        for ch in 0..c {
                            let (best, v) = (out[start + ch], x[at + ch]);
                            if v > best || (v.is_nan() && !best.is_nan()) {
                                out[start + ch] = v;
                                argmax[start + ch] = at + ch;
                            }
                        }
                    }
                }
            }
        }
        let value = ArrayD::from_shape_vec(vec![n, win.oh, win.ow, c], out).expect("sizes match");
        let len = x.len();
        Ok(Tensor::from_op(
            "max_pool2d",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let mut dx = vec![0.0f32; len];
                for (&i, g) in argmax.iter().zip(g.iter()) {
                    dx[i] += g;
                }
                vec![Some(ArrayD::from_shape_vec(vec![n, h, w, c], dx).expect("sizes match"))]
            }),
        ))
    }

    /// The mean of each channel over each `pool = (ph, pw)` window moved by `strides`, for images
    /// `self: [n, h, w, c]`: shape `[n, oh, ow, c]` (on a `"same"` border, over the pixels inside).
    ///
    /// ```
    /// use nnlab::tensor::{Padding, Tensor};
    /// use nnlab::ndarray::ArrayD;
    /// let x = Tensor::param(ArrayD::from_shape_vec(vec![1, 2, 2, 1], vec![1.0, 4.0, 3.0, 2.0]).unwrap());
    /// let y = x.avg_pool2d((2, 2), (2, 2), Padding::Valid).unwrap();
    /// assert_eq!(y.to_array().into_raw_vec_and_offset().0, vec![2.5]);
    /// y.sum().backward().unwrap();
    /// assert_eq!(x.grad().unwrap().into_raw_vec_and_offset().0, vec![0.25; 4]);
    /// ```
    pub fn avg_pool2d(
        &self,
        pool: (usize, usize),
        strides: (usize, usize),
        padding: Padding,
    ) -> Result<Tensor> {
        let (win, [n, h, w, c]) = pool_window("avg_pool2d", self, pool, strides, padding)?;
        let x = self.value().as_standard_layout().into_owned();
        let x = x.as_slice().expect("standard layout");
        let mut out = vec![0.0f32; n * win.oh * win.ow * c];
        for (k, y) in out.chunks_mut(c).enumerate() {
            let (image, oy, ox) = (k / (win.oh * win.ow), k / win.ow % win.oh, k % win.ow);
            let mut count = 0;
            for p in window_pixels(&win, oy, ox) {
                let at = (image * h * w + p) * c;
                y.iter_mut().zip(&x[at..at + c]).for_each(|(y, v)| *y += v);
                count += 1;
            }
            y.iter_mut().for_each(|y| *y /= count as f32);
        }
        let value = ArrayD::from_shape_vec(vec![n, win.oh, win.ow, c], out).expect("sizes match");
        Ok(Tensor::from_op(
            "avg_pool2d",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let g = g.as_standard_layout();
                let mut dx = vec![0.0f32; n * h * w * c];
                for (k, g) in g.as_slice().expect("standard layout").chunks(c).enumerate() {
                    let (image, oy, ox) = (k / (win.oh * win.ow), k / win.ow % win.oh, k % win.ow);
                    let count = window_pixels(&win, oy, ox).count() as f32;
                    for p in window_pixels(&win, oy, ox) {
                        let at = (image * h * w + p) * c;
                        dx[at..at + c].iter_mut().zip(g).for_each(|(d, g)| *d += g / count);
                    }
                }
                vec![Some(ArrayD::from_shape_vec(vec![n, h, w, c], dx).expect("sizes match"))]
            }),
        ))
    }
}
