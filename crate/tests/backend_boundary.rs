//! The backend boundary (`crate/src/backend/`): every `unsafe` block of nnlab lives there, so that the
//! teaching code (layers, optimizers, activations, the from-scratch network) reads as its formulas.

use std::path::Path;

fn rust_files(dir: &Path, out: &mut Vec<std::path::PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("crate/src") {
        let path = entry.expect("a directory entry").path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

#[test]
fn unsafe_code_lives_only_in_the_backend() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = vec![];
    rust_files(&src, &mut files);
    assert!(files.len() > 50, "found only {} files under {}", files.len(), src.display());
    let mut outside = vec![];
    for file in &files {
        if file.starts_with(src.join("backend")) {
            continue;
        }
        let text = std::fs::read_to_string(file).expect("a source file");
        for (i, line) in text.lines().enumerate() {
            if line.trim_start().starts_with("//") {
                continue; // (docs may say where the unsafe code is)
            }
            if line.split(|c: char| !c.is_alphanumeric() && c != '_').any(|word| word == "unsafe") {
                outside.push(format!("{}:{}: {}", file.display(), i + 1, line.trim()));
            }
        }
    }
    assert!(outside.is_empty(), "`unsafe` outside crate/src/backend/:\n{}", outside.join("\n"));
}
