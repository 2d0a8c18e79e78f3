//! Loaders end to end, with every fault of issue 4: each is a clear `Error` (never a panic) and leaves the
//! cache holding nothing or a complete, verified file. Downloads come from a tiny HTTP server bound to
//! 127.0.0.1 inside the test, serving fixture files made here; nothing touches the internet.

use std::collections::HashMap;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use nnlab::datasets::{fashion_mnist, kmnist, mnist, LoadOptions};
use nnlab::ndarray::{Array1, Array3};
use nnlab::Error;
use sha2::{Digest, Sha256};

const FILES: [&str; 4] = [
    "train-images-idx3-ubyte.gz",
    "train-labels-idx1-ubyte.gz",
    "t10k-images-idx3-ubyte.gz",
    "t10k-labels-idx1-ubyte.gz",
];

/// What the server answers for one request.
#[derive(Clone)]
enum Reply {
    Ok(Vec<u8>),
    Status(u16),
    /// Claims the whole length, sends only the first `n` bytes, then closes.
    DropAfter(Vec<u8>, usize),
    /// Sends the headers and `n` bytes, then stalls for `d`.
    StallAfter(Vec<u8>, usize, Duration),
    /// Reads the request and says nothing for `d`.
    Silent(Duration),
}

/// Per path a list of replies (the last one repeats), and how often each path was asked for.
struct Server {
    base: String,
    hits: Arc<Mutex<HashMap<String, usize>>>,
}

impl Server {
    fn start(routes: Vec<(String, Vec<Reply>)>) -> Server {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let base = format!("http://{}", listener.local_addr().unwrap());
        let routes: Arc<HashMap<String, Vec<Reply>>> = Arc::new(routes.into_iter().collect());
        let hits = Arc::new(Mutex::new(HashMap::new()));
        let h = hits.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let (routes, hits) = (routes.clone(), h.clone());
                std::thread::spawn(move || handle(stream, &routes, &hits));
            }
        });
        Server { base, hits }
    }

    fn hits(&self, path: &str) -> usize {
        self.hits.lock().unwrap().get(path).copied().unwrap_or(0)
    }
}

fn handle(mut s: TcpStream, routes: &HashMap<String, Vec<Reply>>, hits: &Mutex<HashMap<String, usize>>) {
    let mut req = Vec::new();
    let mut b = [0u8; 1024];
    while !req.windows(4).any(|w| w == b"\r\n\r\n") {
        match s.read(&mut b) {
            Ok(0) | Err(_) => return,
            Ok(n) => req.extend_from_slice(&b[..n]),
        }
    }
    let path = String::from_utf8_lossy(&req).split_whitespace().nth(1).unwrap_or("").to_string();
    let k = {
        let mut h = hits.lock().unwrap();
        let c = h.entry(path.clone()).or_insert(0);
        *c += 1;
        *c - 1
    };
    let reply = routes.get(&path).map(|r| r[k.min(r.len() - 1)].clone()).unwrap_or(Reply::Status(404));
    let head = |len: usize| format!("HTTP/1.1 200 OK\r\nContent-Length: {len}\r\nConnection: close\r\n\r\n");
    let _ = match reply {
        Reply::Ok(body) => s.write_all(head(body.len()).as_bytes()).and_then(|_| s.write_all(&body)),
        Reply::Status(code) => s.write_all(
            format!("HTTP/1.1 {code} Oops\r\nContent-Length: 0\r\nConnection: close\r\n\r\n").as_bytes(),
        ),
        Reply::DropAfter(body, n) => {
            s.write_all(head(body.len()).as_bytes()).and_then(|_| s.write_all(&body[..n]))
        }
        Reply::Silent(d) => {
            std::thread::sleep(d);
            Ok(())
        }
        Reply::StallAfter(body, n, d) => {
            let r = s.write_all(head(body.len()).as_bytes()).and_then(|_| s.write_all(&body[..n]));
            std::thread::sleep(d);
            r
        }
    };
}

fn gz(bytes: &[u8]) -> Vec<u8> {
    let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::fast());
    e.write_all(bytes).unwrap();
    e.finish().unwrap()
}

fn images(n: u32, seed: u8) -> Vec<u8> {
    let mut b = vec![0, 0, 8, 3];
    for d in [n, 28, 28] {
        b.extend(d.to_be_bytes());
    }
    b.extend((0..n * 784).map(|i| (i as u8).wrapping_mul(7).wrapping_add(seed)));
    gz(&b)
}

fn labels(n: u32) -> Vec<u8> {
    let mut b = vec![0, 0, 8, 1];
    b.extend(n.to_be_bytes());
    b.extend((0..n).map(|i| (i % 10) as u8));
    gz(&b)
}

/// A tiny IDX set: 3 training and 2 test images, with their digests.
fn idx_set() -> Vec<(&'static str, Vec<u8>)> {
    vec![(FILES[0], images(3, 1)), (FILES[1], labels(3)), (FILES[2], images(2, 2)), (FILES[3], labels(2))]
}

fn sha(bytes: &[u8]) -> String {
    Sha256::digest(bytes).iter().map(|b| format!("{b:02x}")).collect()
}

/// A fresh empty folder for one test.
fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("nnlab-ds-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Options that see only `cache` and `server`, with the fixture digests, a short timeout and no output.
fn opts(cache: &Path, server: &Server, files: &[(&str, Vec<u8>)]) -> LoadOptions {
    let mut o = LoadOptions::default()
        .cache_dir(cache)
        .base_url(&server.base)
        .search_system_paths(false)
        .quiet(true)
        .timeout(Duration::from_millis(400))
        .retries(1);
    for (f, b) in files {
        o = o.digest(*f, sha(b));
    }
    o
}

/// Every file under `dir` (recursively), as paths relative to it, sorted.
fn listing(dir: &Path) -> Vec<String> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).into_iter().flatten().flatten() {
            if e.path().is_dir() {
                stack.push(e.path());
            } else {
                out.push(e.path().strip_prefix(dir).unwrap().display().to_string());
            }
        }
    }
    out.sort();
    out
}

fn routes(subdir: &str, files: &[(&str, Vec<u8>)]) -> Vec<(String, Vec<Reply>)> {
    files.iter().map(|(f, b)| (format!("/{subdir}/{f}"), vec![Reply::Ok(b.clone())])).collect()
}

/// The files of a complete, verified set in `cache/subdir`.
fn complete(subdir: &str) -> Vec<String> {
    let mut v: Vec<String> = FILES.iter().map(|f| format!("{subdir}/{f}")).collect();
    v.sort();
    v
}

#[test]
fn downloads_once_then_reads_the_cache() {
    let files = idx_set();
    let server = Server::start(routes("fashion-mnist", &files));
    let cache = tmp("once");
    let o = opts(&cache, &server, &files);
    let ((x, y), (xt, yt)) = fashion_mnist::load_data_with(&o).unwrap();
    assert_eq!((x.shape(), xt.shape()), (&[3usize, 28, 28][..], &[2usize, 28, 28][..]));
    assert_eq!((y.to_vec(), yt.to_vec()), (vec![0, 1, 2], vec![0, 1]));
    assert_eq!(x[[0, 0, 1]], 8);
    assert_eq!(listing(&cache), complete("fashion-mnist"));
    let again = fashion_mnist::load_data_with(&o.clone().allow_download(false)).unwrap();
    assert_eq!(again.0 .0, x);
    assert_eq!(server.hits("/fashion-mnist/train-images-idx3-ubyte.gz"), 1);
    // KMNIST uses the same machinery under its own folder.
    let server = Server::start(routes("kmnist", &files));
    let k = kmnist::load_data_with(&opts(&cache, &server, &files)).unwrap();
    assert_eq!(k.1 .1.len(), 2);
}

#[test]
fn digest_mismatch_keeps_nothing() {
    let files = idx_set();
    let server = Server::start(routes("fashion-mnist", &files));
    let cache = tmp("digest");
    let o = opts(&cache, &server, &files).digest(FILES[0], "00".repeat(32));
    let e = fashion_mnist::load_data_with(&o).unwrap_err();
    eprintln!("{e}");
    assert!(matches!(e, Error::Download { .. }), "{e}");
    assert!(e.to_string().contains("sha256 mismatch"), "{e}");
    assert!(e.to_string().contains("apt-get install dataset-fashion-mnist"), "{e}");
    assert_eq!(server.hits("/fashion-mnist/train-images-idx3-ubyte.gz"), 1, "no retry on a mismatch");
    assert_eq!(listing(&cache), Vec::<String>::new());
}

#[test]
fn http_404_fails_at_once_and_500_is_retried() {
    let files = idx_set();
    let cache = tmp("status");
    let server = Server::start(vec![]);
    let e = fashion_mnist::load_data_with(&opts(&cache, &server, &files)).unwrap_err();
    eprintln!("{e}");
    assert!(e.to_string().contains("HTTP 404") && e.to_string().contains("after 1 attempt"), "{e}");
    assert_eq!(server.hits("/fashion-mnist/train-images-idx3-ubyte.gz"), 1);

    let server =
        Server::start(vec![("/fashion-mnist/train-images-idx3-ubyte.gz".into(), vec![Reply::Status(500)])]);
    let e = fashion_mnist::load_data_with(&opts(&cache, &server, &files).retries(2)).unwrap_err();
    eprintln!("{e}");
    assert!(e.to_string().contains("HTTP 500") && e.to_string().contains("after 3 attempts"), "{e}");
    assert_eq!(server.hits("/fashion-mnist/train-images-idx3-ubyte.gz"), 3);
    assert_eq!(listing(&cache), Vec::<String>::new());

    // A 500 then the file: the retry succeeds.
    let mut r = routes("fashion-mnist", &files);
    r[0].1.insert(0, Reply::Status(503));
    let server = Server::start(r);
    fashion_mnist::load_data_with(&opts(&cache, &server, &files)).unwrap();
    assert_eq!(listing(&cache), complete("fashion-mnist"));
}

#[test]
fn dropped_connection_keeps_nothing() {
    let files = idx_set();
    let body = files[0].1.clone();
    let n = body.len() / 2;
    let server = Server::start(vec![(
        "/fashion-mnist/train-images-idx3-ubyte.gz".into(),
        vec![Reply::DropAfter(body, n)],
    )]);
    let cache = tmp("drop");
    let e = fashion_mnist::load_data_with(&opts(&cache, &server, &files)).unwrap_err();
    eprintln!("{e}");
    assert!(e.to_string().contains("connection dropped"), "{e}");
    assert_eq!(server.hits("/fashion-mnist/train-images-idx3-ubyte.gz"), 2, "one retry");
    assert_eq!(listing(&cache), Vec::<String>::new());
}

#[test]
fn stalled_server_times_out() {
    let files = idx_set();
    let body = files[0].1.clone();
    let stall = Reply::StallAfter(body, 100, Duration::from_secs(5));
    let server = Server::start(vec![("/fashion-mnist/train-images-idx3-ubyte.gz".into(), vec![stall])]);
    let cache = tmp("stall");
    let t0 = Instant::now();
    let e = fashion_mnist::load_data_with(&opts(&cache, &server, &files).retries(0)).unwrap_err();
    eprintln!("{e}");
    assert!(t0.elapsed() < Duration::from_secs(4), "took {:?}", t0.elapsed());
    assert!(e.to_string().contains("the server stalled (no data for 400ms) after 100 of"), "{e}");
    assert_eq!(listing(&cache), Vec::<String>::new());
    // A server that never answers at all.
    let silent = Reply::Silent(Duration::from_secs(5));
    let server = Server::start(vec![("/fashion-mnist/train-images-idx3-ubyte.gz".into(), vec![silent])]);
    let t0 = Instant::now();
    let e = fashion_mnist::load_data_with(&opts(&cache, &server, &files)).unwrap_err();
    eprintln!("{e}");
    assert!(t0.elapsed() < Duration::from_secs(4), "took {:?}", t0.elapsed());
    assert!(e.to_string().contains("timed out") && e.to_string().contains("after 2 attempts"), "{e}");
    assert_eq!(listing(&cache), Vec::<String>::new());
}

#[test]
fn unwritable_cache_is_an_error() {
    let files = idx_set();
    let server = Server::start(routes("fashion-mnist", &files));
    let dir = tmp("unwritable");
    let file = dir.join("a-file");
    std::fs::write(&file, b"not a folder").unwrap();
    let e = fashion_mnist::load_data_with(&opts(&file.join("cache"), &server, &files)).unwrap_err();
    eprintln!("{e}");
    assert!(matches!(e, Error::Io { .. }), "{e}");
    assert!(e.to_string().contains("create folder"), "{e}");
    assert_eq!(listing(&dir), vec!["a-file".to_string()]);
}

#[test]
fn racing_loads_both_get_the_whole_set() {
    let files = idx_set();
    let server = Server::start(routes("fashion-mnist", &files));
    let cache = tmp("race");
    let o = opts(&cache, &server, &files);
    let threads: Vec<_> = (0..4)
        .map(|_| {
            let o = o.clone();
            std::thread::spawn(move || fashion_mnist::load_data_with(&o))
        })
        .collect();
    let results: Vec<_> = threads.into_iter().map(|t| t.join().unwrap().unwrap()).collect();
    assert!(results.iter().all(|r| r.0 .0 == results[0].0 .0 && r.1 .1 == results[0].1 .1));
    assert_eq!(listing(&cache), complete("fashion-mnist"));
}

#[test]
fn label_count_must_match_and_corrupt_files_are_errors() {
    let dir = tmp("mismatch");
    let mut files = idx_set();
    files[1].1 = labels(2);
    for (f, b) in &files {
        std::fs::write(dir.join(f), b).unwrap();
    }
    let o = LoadOptions::default().source(&dir).quiet(true);
    let e = fashion_mnist::load_data_with(&o).unwrap_err();
    eprintln!("{e}");
    assert!(
        matches!(e, Error::Shape { .. }) && e.to_string().contains("3 labels, one per image, got 2"),
        "{e}"
    );

    let z = images(3, 1);
    std::fs::write(dir.join(FILES[0]), &z[..z.len() - 20]).unwrap();
    let e = fashion_mnist::load_data_with(&o).unwrap_err();
    eprintln!("{e}");
    assert!(matches!(e, Error::Format { .. }) && e.to_string().contains("truncated"), "{e}");

    std::fs::remove_file(dir.join(FILES[3])).unwrap();
    let e = kmnist::load_data_with(&o).unwrap_err();
    eprintln!("{e}");
    assert!(e.to_string().contains("explicit source") && e.to_string().contains("codh.rois.ac.jp"), "{e}");
}

/// Compressed like `numpy.savez_compressed` (Keras' mnist.npz).
fn deflated() -> zip::write::SimpleFileOptions {
    zip::write::SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated)
}

fn npz(n_train: usize, with_x_train: bool) -> Vec<u8> {
    let mut w = ndarray_npy::NpzWriter::new_with_options(std::io::Cursor::new(Vec::new()), deflated());
    if with_x_train {
        w.add_array("x_train", &Array3::<u8>::from_elem((n_train, 28, 28), 9)).unwrap();
    }
    w.add_array("y_train", &Array1::<u8>::from_elem(n_train, 3)).unwrap();
    w.add_array("x_test", &Array3::<u8>::from_elem((1, 28, 28), 9)).unwrap();
    w.add_array("y_test", &Array1::<u8>::from_elem(1, 4)).unwrap();
    w.finish().unwrap().into_inner()
}

#[test]
fn mnist_downloads_the_npz_or_falls_back_to_the_embedded_digits() {
    let file = npz(5, true);
    let server = Server::start(vec![("/mnist.npz".into(), vec![Reply::Ok(file.clone())])]);
    let cache = tmp("mnist");
    let o = opts(&cache, &server, &[("mnist.npz", file.clone())]);
    let ((x, _), (_, yt)) = mnist::load_data_with(&o).unwrap();
    assert_eq!((x.shape()[0], yt.to_vec()), (5, vec![4]));
    assert_eq!(listing(&cache), vec!["mnist.npz".to_string()]);
    // An explicit source that is the .npz file itself.
    let d = mnist::load_data_with(&LoadOptions::default().source(cache.join("mnist.npz"))).unwrap();
    assert_eq!(d.0 .1.len(), 5);

    let empty = tmp("mnist-fallback");
    let server = Server::start(vec![]);
    let ((x, y), (xt, _)) = mnist::load_data_with(&opts(&empty, &server, &[])).unwrap();
    assert_eq!((x.shape(), y.len(), xt.shape()[0]), (&[8000usize, 28, 28][..], 8000, 2000));
    assert_eq!(listing(&empty), Vec::<String>::new());
    let e = mnist::load_data_with(&opts(&empty, &server, &[]).embedded_fallback(false)).unwrap_err();
    eprintln!("{e}");
    assert!(e.to_string().contains("HTTP 404"), "{e}");
}

#[test]
fn npz_without_x_train_is_an_error() {
    let dir = tmp("npz");
    std::fs::write(dir.join("mnist.npz"), npz(2, false)).unwrap();
    let o = LoadOptions::default().source(&dir).embedded_fallback(false);
    let e = mnist::load_data_with(&o).unwrap_err();
    eprintln!("{e}");
    assert!(matches!(e, Error::Format { .. }) && e.to_string().contains("x_train"), "{e}");
}
