//! The default search order with Keras' cache: one test in its own binary (its own process), because it
//! sets environment variables (`KERAS_HOME`, `XDG_CACHE_HOME`, `NNLAB_DATA`) that the loaders read.

use std::io::Cursor;
use std::io::Write;

use nnlab::datasets::{fashion_mnist, mnist, LoadOptions};
use nnlab::ndarray::{Array1, Array3};

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn idx(dims: &[u32], fill: u8) -> Vec<u8> {
    let mut b = vec![0, 0, 8, dims.len() as u8];
    for d in dims {
        b.extend(d.to_be_bytes());
    }
    b.extend(std::iter::repeat_n(fill, dims.iter().product::<u32>() as usize));
    gz(&b)
}

#[test]
fn keras_cache_is_read_as_it_is_and_nnlab_data_comes_first() {
    let root = std::env::temp_dir().join(format!("nnlab-keras-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    let keras = root.join("keras");
    std::fs::create_dir_all(keras.join("datasets/fashion-mnist")).unwrap();
    let mut w = ndarray_npy::NpzWriter::new(Cursor::new(Vec::new()));
    w.add_array("x_train", &Array3::<u8>::from_elem((4, 28, 28), 1)).unwrap();
    w.add_array("y_train", &Array1::<u8>::from_elem(4, 2)).unwrap();
    w.add_array("x_test", &Array3::<u8>::from_elem((3, 28, 28), 1)).unwrap();
    w.add_array("y_test", &Array1::<u8>::from_elem(3, 2)).unwrap();
    std::fs::write(keras.join("datasets/mnist.npz"), w.finish().unwrap().into_inner()).unwrap();
    let fm = keras.join("datasets/fashion-mnist");
    std::fs::write(fm.join("train-images-idx3-ubyte.gz"), idx(&[5, 28, 28], 3)).unwrap();
    std::fs::write(fm.join("train-labels-idx1-ubyte.gz"), idx(&[5], 1)).unwrap();
    std::fs::write(fm.join("t10k-images-idx3-ubyte.gz"), idx(&[2, 28, 28], 3)).unwrap();
    std::fs::write(fm.join("t10k-labels-idx1-ubyte.gz"), idx(&[2], 1)).unwrap();
    std::env::set_var("KERAS_HOME", &keras);
    std::env::set_var("XDG_CACHE_HOME", root.join("xdg"));
    std::env::remove_var("NNLAB_DATA");

    let offline = LoadOptions::default().allow_download(false).embedded_fallback(false);
    let ((x, _), (xt, _)) = mnist::load_data_with(&offline).unwrap();
    assert_eq!((x.shape()[0], xt.shape()[0]), (4, 3));
    // Keras' folder comes before Debian's /usr/share/datasets/fashion-mnist.
    let ((x, y), _) = fashion_mnist::load_data_with(&offline).unwrap();
    assert_eq!((x.shape()[0], y[0]), (5, 1));
    // nothing was written to nnlab's cache
    assert!(!root.join("xdg").exists());

    // $NNLAB_DATA comes before Keras' cache.
    let shared = root.join("shared");
    std::fs::create_dir_all(&shared).unwrap();
    std::fs::copy(keras.join("datasets/mnist.npz"), shared.join("mnist.npz")).unwrap();
    std::fs::write(keras.join("datasets/mnist.npz"), b"broken").unwrap();
    std::env::set_var("NNLAB_DATA", &shared);
    assert_eq!(mnist::load_data_with(&offline).unwrap().0 .0.shape()[0], 4);
    std::env::remove_var("NNLAB_DATA");
    let e = mnist::load_data_with(&offline).unwrap_err();
    assert!(e.to_string().contains("mnist.npz") && e.to_string().contains("not a readable .npz"), "{e}");
    std::fs::remove_dir_all(&root).unwrap();
}
