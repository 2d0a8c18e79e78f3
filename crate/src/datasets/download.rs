//! Downloading one dataset file: HTTP(S) GET with a timeout and a bounded retry, progress as whole lines
//! (a notebook cannot redraw a line), sha256 checked against a pinned digest, written through a
//! [`PartFile`] so that only a complete, verified file ever appears at the destination.

use std::io::Read;
use std::path::Path;
use std::time::Duration;

use sha2::{Digest, Sha256};

use super::cache::PartFile;
use super::LoadOptions;
use crate::{Error, Result};

/// Download `url` to `dest`, checking that its sha256 is `sha256_hex`.
///
/// Uses `opts`' timeout (to connect, and for each read: a server that stalls longer fails), retries
/// (after a server error 5xx, a timeout or a dropped connection; not after a 404, a missing network or a
/// digest mismatch) and quiet flag (progress lines on stdout). On any error `dest` is left untouched.
///
/// ```no_run
/// use nnlab::datasets::{download, LoadOptions};
/// download::fetch(
///     "https://storage.googleapis.com/tensorflow/tf-keras-datasets/mnist.npz",
///     "/tmp/mnist.npz".as_ref(),
///     "731c5ac602752760c8e48fbffcf8c3b850d9dc2a2aedcf2cc48468fc17b673d1",
///     &LoadOptions::default(),
/// )?;
/// # Ok::<(), nnlab::Error>(())
/// ```
pub fn fetch(url: &str, dest: &Path, sha256_hex: &str, opts: &LoadOptions) -> Result<()> {
    let op = format!("download {url}");
    let agent: ureq::Agent = ureq::Agent::config_builder()
        .http_status_as_error(false)
        .timeout_connect(Some(opts.timeout))
        .timeout_recv_response(Some(opts.timeout))
        .timeout_per_read(Some(opts.timeout))
        .build()
        .into();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match try_once(&agent, url, dest, sha256_hex, opts) {
            Ok(()) => return Ok(()),
            Err(Failure::Retry(msg)) if attempt <= opts.retries => {
                if !opts.quiet {
                    println!("{url}: {msg}; retrying ({attempt} of {})", opts.retries);
                }
                std::thread::sleep(Duration::from_millis(200 * attempt as u64));
            }
            Err(Failure::Retry(msg) | Failure::Fatal(msg)) => {
                let tries =
                    if attempt == 1 { "1 attempt".to_string() } else { format!("{attempt} attempts") };
                return Err(Error::download(op, format!("{msg} (after {tries})")));
            }
            Err(Failure::Local(e)) => return Err(e),
        }
    }
}

/// I/O errors worth a retry.
fn transient(kind: std::io::ErrorKind) -> bool {
    use std::io::ErrorKind::*;
    matches!(kind, TimedOut | ConnectionReset | ConnectionAborted | UnexpectedEof | BrokenPipe | Interrupted)
}

/// Why one attempt failed: worth retrying, not worth it, or a local (file system) error.
enum Failure {
    Retry(String),
    Fatal(String),
    Local(Error),
}

fn try_once(
    agent: &ureq::Agent,
    url: &str,
    dest: &Path,
    sha256_hex: &str,
    opts: &LoadOptions,
) -> std::result::Result<(), Failure> {
    let resp = agent.get(url).call().map_err(|e| match e {
        ureq::Error::Timeout(t) => Failure::Retry(format!("timed out ({t}) after {:?}", opts.timeout)),
        // A connection that broke or stalled may work next time; a name that does not resolve, a refused
        // connection or an unreachable network will not.
        ureq::Error::Io(e) if transient(e.kind()) => Failure::Retry(format!("connection failed: {e}")),
        ureq::Error::Io(e) => Failure::Fatal(format!("cannot connect (no network?): {e}")),
        ureq::Error::HostNotFound => Failure::Fatal("host not found (no network?)".into()),
        ureq::Error::ConnectionFailed => Failure::Fatal("cannot connect (no network?)".into()),
        e if url.starts_with("https:") && !cfg!(feature = "https") => Failure::Fatal(format!(
            "{e} (nnlab was built without its `https` feature: use an http:// mirror)"
        )),
        e => Failure::Fatal(e.to_string()),
    })?;
    let status = resp.status();
    if !status.is_success() {
        let msg = format!("HTTP {status}");
        let transient = status.is_server_error() || status.as_u16() == 408 || status.as_u16() == 429;
        return Err(if transient { Failure::Retry(msg) } else { Failure::Fatal(msg) });
    }
    let total: Option<u64> = resp.headers().get("content-length").and_then(|v| v.to_str().ok()?.parse().ok());
    let mut body = resp.into_body().into_reader();
    let mut part = PartFile::create(dest).map_err(Failure::Local)?;
    if !opts.quiet {
        let size = total.map(|t| format!(" ({:.1} MB)", t as f64 / 1e6)).unwrap_or_default();
        println!("Downloading {url}{size}");
    }
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 16];
    let (mut got, mut shown) = (0u64, 0u64);
    loop {
        let n = match body.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let of = total.map(|t| format!(" of {t}")).unwrap_or_default();
                let stalled = e.kind() == std::io::ErrorKind::TimedOut || e.to_string().contains("timeout");
                return Err(Failure::Retry(if stalled {
                    format!("the server stalled (no data for {:?}) after {got}{of} bytes", opts.timeout)
                } else {
                    format!("connection dropped after {got}{of} bytes ({e})")
                }));
            }
        };
        if crate::interrupt::requested() {
            return Err(Failure::Fatal(format!("interrupted after {got} bytes (nothing was kept)")));
        }
        hasher.update(&buf[..n]);
        part.write_all(&buf[..n]).map_err(Failure::Local)?;
        got += n as u64;
        if let (Some(t), false) = (total, opts.quiet) {
            // One line per fifth of the file.
            let step = got * 5 / t.max(1);
            if step > shown && got < t {
                shown = step;
                println!("  {:>3}% ({:.1} of {:.1} MB)", step * 20, got as f64 / 1e6, t as f64 / 1e6);
            }
        }
    }
    if let Some(t) = total.filter(|&t| t != got) {
        return Err(Failure::Retry(format!("connection dropped after {got} of {t} bytes")));
    }
    let digest: String = hasher.finalize().iter().map(|b| format!("{b:02x}")).collect();
    if digest != sha256_hex {
        return Err(Failure::Fatal(format!(
            "sha256 mismatch: expected {sha256_hex}, got {digest} ({got} bytes); the file was not kept"
        )));
    }
    part.commit().map_err(Failure::Local)?;
    if !opts.quiet {
        println!("  100%: sha256 verified, saved to {}", dest.display());
    }
    Ok(())
}
