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
//! For a large batch the two halves of the images run side by side (the same bits either way).

use super::conv::{by_halves, image_batch};
use super::window::{Padding, Window};
use super::Tensor;
use crate::backend::parallel::{join, PAR_MIN};
use crate::Result;
use ndarray::ArrayD;

/// For output position `(oy, ox)`, the pixels under the window (index `iy·w + ix` in one image).
fn window_pixels(win: &Window, oy: usize, ox: usize) -> impl Iterator<Item = usize> + '_ {
    (0..win.kh)
        .filter_map(move |ky| win.row(oy, ky))
        .flat_map(move |iy| (0..win.kw).filter_map(move |kx| win.col(ox, kx)).map(move |ix| iy * win.w + ix))
}

/// Max pooling of whole images `x` (`c` channels) into `out`, and for each output value the index
/// in its image of the pixel it came from, into `argmax`.
fn max_pool(x: &[f32], c: usize, win: &Window, out: &mut [f32], argmax: &mut [u32]) {
    let (image_len, positions) = (win.h * win.w * c, win.oh * win.ow);
    for (k, (y, arg)) in out.chunks_mut(c).zip(argmax.chunks_mut(c)).enumerate() {
        let (image, oy, ox) = (k / positions, k / win.ow % win.oh, k % win.ow);
        let x = &x[image * image_len..(image + 1) * image_len];
        let mut pixels = window_pixels(win, oy, ox);
        let first = pixels.next().expect("a window covers at least one pixel") * c;
        y.copy_from_slice(&x[first..first + c]);
        arg.iter_mut().enumerate().for_each(|(ch, a)| *a = (first + ch) as u32);
        for p in pixels {
            let at = p * c;
            // (selects without branches or index checks, so that the loop runs on vectors)
            for ((y, a), (&v, i)) in
                y.iter_mut().zip(arg.iter_mut()).zip(x[at..at + c].iter().zip(at as u32..))
            {
                let take = (v > *y) | (v.is_nan() & !y.is_nan());
                *y = if take { v } else { *y };
                *a = if take { i } else { *a };
            }
        }
    }
}

/// Average pooling of whole images `x` into `out` (over the pixels inside the image).
fn avg_pool(x: &[f32], c: usize, win: &Window, out: &mut [f32]) {
    let (image_len, positions) = (win.h * win.w * c, win.oh * win.ow);
    for (k, y) in out.chunks_mut(c).enumerate() {
        let (image, oy, ox) = (k / positions, k / win.ow % win.oh, k % win.ow);
        let x = &x[image * image_len..(image + 1) * image_len];
        let mut count = 0;
        for p in window_pixels(win, oy, ox) {
            y.iter_mut().zip(&x[p * c..(p + 1) * c]).for_each(|(y, v)| *y += v);
            count += 1;
        }
        y.iter_mut().for_each(|y| *y /= count as f32);
    }
}

/// Average pooling's backward for whole images: each output's gradient `g`, divided by its count,
/// added onto the pixels of its window.
fn avg_pool_backward(g: &[f32], c: usize, win: &Window, dx: &mut [f32]) {
    let (image_len, positions) = (win.h * win.w * c, win.oh * win.ow);
    for (k, g) in g.chunks(c).enumerate() {
        let (image, oy, ox) = (k / positions, k / win.ow % win.oh, k % win.ow);
        let dx = &mut dx[image * image_len..(image + 1) * image_len];
        let count = window_pixels(win, oy, ox).count() as f32;
        for p in window_pixels(win, oy, ox) {
            dx[p * c..(p + 1) * c].iter_mut().zip(g).for_each(|(d, g)| *d += g / count);
        }
    }
}

/// The geometry of a pooling of `x`'s images, and its shape `[n, h, w, c]`.
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
        let (image_len, out_len) = (h * w * c, win.oh * win.ow * c);
        let mut out = vec![0.0f32; n * out_len];
        let mut argmax = vec![0u32; n * out_len];
        {
            let x = self.value();
            let x = x.as_standard_layout();
            let x = x.as_slice().expect("standard layout");
            if n >= 2 && out.len() >= PAR_MIN {
                let half = n / 2;
                let (x1, x2) = x.split_at(half * image_len);
                let (o1, o2) = out.split_at_mut(half * out_len);
                let (a1, a2) = argmax.split_at_mut(half * out_len);
                join(|| max_pool(x1, c, &win, o1, a1), || max_pool(x2, c, &win, o2, a2));
            } else {
                max_pool(x, c, &win, &mut out, &mut argmax);
            }
        }
        let value = ArrayD::from_shape_vec(vec![n, win.oh, win.ow, c], out).expect("sizes match");
        Ok(Tensor::from_op(
            "max_pool2d",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let g = g.as_standard_layout();
                let g = g.as_slice().expect("standard layout");
                let mut dx = vec![0.0f32; n * image_len];
                // Image by image: `argmax` indexes into the output's own image.
                let scatter = |g: &[f32], arg: &[u32], dx: &mut [f32]| {
                    for ((g, arg), dx) in
                        g.chunks(out_len).zip(arg.chunks(out_len)).zip(dx.chunks_mut(image_len))
                    {
                        g.iter().zip(arg).for_each(|(g, &i)| dx[i as usize] += g);
                    }
                };
                if n >= 2 && dx.len() >= PAR_MIN {
                    let half = n / 2;
                    let (g1, g2) = g.split_at(half * out_len);
                    let (a1, a2) = argmax.split_at(half * out_len);
                    let (d1, d2) = dx.split_at_mut(half * image_len);
                    join(|| scatter(g1, a1, d1), || scatter(g2, a2, d2));
                } else {
                    scatter(g, &argmax, &mut dx);
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
        let (image_len, out_len) = (h * w * c, win.oh * win.ow * c);
        let mut out = vec![0.0f32; n * out_len];
        {
            let x = self.value();
            let x = x.as_standard_layout();
            let x = x.as_slice().expect("standard layout");
            by_halves(n, (x, image_len), (&mut out, out_len), |x, out| avg_pool(x, c, &win, out));
        }
        let value = ArrayD::from_shape_vec(vec![n, win.oh, win.ow, c], out).expect("sizes match");
        Ok(Tensor::from_op(
            "avg_pool2d",
            value,
            vec![self.clone()],
            Box::new(move |g, _| {
                let g = g.as_standard_layout();
                let mut dx = vec![0.0f32; n * image_len];
                let g = g.as_slice().expect("standard layout");
                by_halves(n, (g, out_len), (&mut dx, image_len), |g, dx| avg_pool_backward(g, c, &win, dx));
                vec![Some(ArrayD::from_shape_vec(vec![n, h, w, c], dx).expect("sizes match"))]
            }),
        ))
    }
}
