//! `nnlab::np` against numpy (fixture `np.json` from `scripts/gen_random_fixtures.py`).

use nnlab::ndarray::{array, s, Array1, Array2, Array3, ArrayD, IxDyn};
use nnlab::np;
use serde_json::Value;

fn fixture() -> Value {
    let path = format!("{}/tests/fixtures/random/np.json", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

fn floats(v: &Value) -> Vec<f64> {
    v.as_array()
        .unwrap()
        .iter()
        .map(|s| f64::from_bits(u64::from_str_radix(s.as_str().unwrap(), 16).unwrap()))
        .collect()
}

fn float(v: &Value) -> f64 {
    f64::from_bits(u64::from_str_radix(v.as_str().unwrap(), 16).unwrap())
}

fn shape(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()
}

fn close(got: f64, want: f64) -> bool {
    (got - want).abs() <= 1e-13 * want.abs().max(1.0)
}

#[test]
fn u8_statistics_match_numpy() {
    let f = fixture();
    let data: Vec<u8> = f["u8"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u8).collect();
    let a = ArrayD::from_shape_vec(IxDyn(&shape(&f["u8_shape"])), data).unwrap();
    assert_eq!(np::max(&a).unwrap() as u64, f["u8_max"].as_u64().unwrap());
    assert_eq!(np::min(&a).unwrap() as u64, f["u8_min"].as_u64().unwrap());
    let (m, s) = (np::mean(&a).unwrap(), np::std(&a).unwrap());
    assert!(close(m, float(&f["u8_mean"])), "mean {m} vs {}", float(&f["u8_mean"]));
    assert!(close(s, float(&f["u8_std"])), "std {s} vs {}", float(&f["u8_std"]));
    // A view gives the same answer as the owned array, and the f32 conversion too.
    let v = a.view();
    assert_eq!(np::std(&v).unwrap(), s);
    assert!(close(np::std(&np::to_f32(&a)).unwrap(), s));
}

#[test]
fn f64_statistics_and_argmax_match_numpy() {
    let f = fixture();
    let sh = shape(&f["f64_shape"]);
    let a = Array2::from_shape_vec((sh[0], sh[1]), floats(&f["f64"])).unwrap();
    assert!(close(np::mean(&a).unwrap(), float(&f["f64_mean"])));
    assert!(close(np::std(&a).unwrap(), float(&f["f64_std"])));
    // Transposed (non-contiguous order) gives the same statistics.
    assert!(close(np::std(&a.t()).unwrap(), float(&f["f64_std"])));
    let col = Array2::from_shape_vec((10, 1), floats(&f["col"])).unwrap();
    assert_eq!(np::argmax(&col).unwrap() as u64, f["col_argmax"].as_u64().unwrap());
}

#[test]
fn std_is_accurate_on_large_offsets() {
    // A naive one-pass formula (E[x²] - E[x]²) loses everything here; two passes do not.
    let a = Array1::from_shape_fn(1000, |i| 1e9 + (i % 2) as f64);
    assert!((np::std(&a).unwrap() - 0.5).abs() < 1e-9);
    // 60000 images of 784 bytes would overflow a u8 or u32 sum: the mean is still right.
    let big = Array2::<u8>::from_elem((60000, 784), 255);
    assert_eq!(np::mean(&big).unwrap(), 255.0);
    assert_eq!(np::std(&big).unwrap(), 0.0);
}

#[test]
fn nan_propagates_like_numpy() {
    let a = array![1.0, f64::NAN, 3.0];
    assert!(np::max(&a).unwrap().is_nan());
    assert!(np::min(&a).unwrap().is_nan());
    assert_eq!(np::argmax(&a).unwrap(), 1);
    assert!(np::mean(&a).unwrap().is_nan());
}

#[test]
fn empty_arrays_are_errors() {
    let e = Array2::<f32>::zeros((0, 3));
    for msg in [
        np::max(&e).unwrap_err().to_string(),
        np::min(&e).unwrap_err().to_string(),
        np::mean(&e).unwrap_err().to_string(),
        np::std(&e).unwrap_err().to_string(),
        np::argmax(&e).unwrap_err().to_string(),
        np::vectorize(|x| x).call(&e).unwrap_err().to_string(),
    ] {
        assert!(msg.contains("non-empty array") && msg.contains("[0, 3]"), "{msg}");
    }
}

#[test]
fn vectorize_visits_in_c_order_with_numpy_extra_first_call() {
    let seen = std::rc::Rc::new(std::cell::RefCell::new(Vec::new()));
    let log = seen.clone();
    let mut v = np::vectorize(move |x| {
        log.borrow_mut().push(x);
        x + 1.0
    });
    let a = Array3::from_shape_fn((2, 2, 2), |(k, i, j)| (4 * k + 2 * i + j) as u8);
    // A reversed view: logical C order, not memory order.
    let r = a.slice(s![.., ..;-1, ..;-1]);
    let out = v.call(&r).unwrap();
    assert_eq!(out, np::to_f64(&r) + 1.0);
    assert!(out.is_standard_layout());
    let calls = seen.borrow().clone();
    assert_eq!(calls, [3.0, 3.0, 2.0, 1.0, 0.0, 7.0, 6.0, 5.0, 4.0]);
}

#[test]
fn conversions_keep_shape() {
    let a = Array3::<u8>::from_elem((2, 3, 4), 51);
    let x = np::to_f32(&a) / 255.0;
    assert_eq!(x.shape(), &[2, 3, 4]);
    assert_eq!(x[[1, 2, 3]], 0.2f32);
    let y = np::to_f64(&a.slice(s![.., -1.., 2..]));
    assert_eq!(y.shape(), &[2, 1, 2]);
    assert_eq!(np::to_f32(&array![16_777_217i64])[0], 16_777_216.0f32);
}

fn ints(v: &Value) -> Vec<usize> {
    v.as_array().unwrap().iter().map(|x| x.as_u64().unwrap() as usize).collect()
}

#[test]
fn reshape_of_a_transposed_view_reads_in_c_order_like_numpy() {
    let f = fixture();
    let data: Vec<u8> = f["u8"].as_array().unwrap().iter().map(|v| v.as_u64().unwrap() as u8).collect();
    let a = Array3::from_shape_vec((3, 4, 5), data).unwrap();
    let got = np::reshape(&a.view().permuted_axes([2, 0, 1]), (6, 10)).unwrap();
    assert_eq!(got.shape(), &[6, 10]);
    let want: Vec<u8> = ints(&f["u8_t201_reshape_6_10"]).into_iter().map(|v| v as u8).collect();
    assert_eq!(got.iter().copied().collect::<Vec<_>>(), want);
    assert_eq!(np::flatten(&got).to_vec(), want);
    let err = np::reshape(&a, (7, 9)).unwrap_err();
    assert_eq!(err.kind(), "ShapeError");
    assert!(err.to_string().contains("[3, 4, 5]") && err.to_string().contains("[7, 9]"), "{err}");
}

#[test]
fn argmax_along_an_axis_matches_numpy() {
    let f = fixture();
    let sh = shape(&f["f64_shape"]);
    let a = Array2::from_shape_vec((sh[0], sh[1]), floats(&f["f64"])).unwrap();
    assert_eq!(np::argmax_axis(&a, 0).unwrap().to_vec(), ints(&f["f64_argmax_axis0"]));
    assert_eq!(np::argmax_axis(&a, 1).unwrap().to_vec(), ints(&f["f64_argmax_axis1"]));
    // A NaN wins, as in numpy; a missing axis and an empty axis are errors.
    assert_eq!(np::argmax_axis(&array![[1.0, f64::NAN, 3.0]], 1).unwrap(), array![1]);
    assert!(np::argmax_axis(&a, 2).is_err());
    assert!(np::argmax_axis(&Array2::<f64>::zeros((3, 0)), 1).is_err());
}

#[test]
fn bincount_and_unique_match_numpy() {
    let f = fixture();
    let labels: Array1<u8> = ints(&f["labels"]).into_iter().map(|v| v as u8).collect();
    assert_eq!(np::bincount(&labels).unwrap().to_vec(), ints(&f["labels_bincount"]));
    let (values, counts) = np::unique_counts(&labels);
    assert_eq!(values.iter().map(|&v| v as usize).collect::<Vec<_>>(), ints(&f["labels_unique"]));
    assert_eq!(counts.to_vec(), ints(&f["labels_counts"]));
    assert_eq!(np::unique(&labels), values);
    // Negative, fractional and NaN labels are errors that name the value.
    for bad in [array![1.0, -1.0], array![0.5, 1.0], array![f64::NAN, 1.0]] {
        let err = np::bincount(&bad).unwrap_err().to_string();
        assert!(err.contains("np::bincount"), "{err}");
    }
    assert_eq!(np::bincount(&Array1::<u8>::zeros(0)).unwrap().len(), 0);
    let (v, c) = np::unique_counts(&array![2.0, f64::NAN, 1.0, f64::NAN, 2.0]);
    assert_eq!((v.len(), v[0], v[1], c.to_vec()), (3, 1.0, 2.0, vec![1, 2, 2]));
    assert!(v[2].is_nan());
}
