//! What cells print, as Jupyter messages, in the order it was printed.
//!
//! evcxr hands over the runtime's stdout and stderr as pieces of text (lines, and pieces that end in
//! `\r`, which a progress bar uses to rewrite its line). On stdout, a line that starts with
//! [`DISPLAY_PREFIX`] is a rich output (`nnlab::display::show`): `display_data`, or
//! `update_display_data` for an output that replaces an earlier one. On stderr, two things are taken
//! out of the stream and given to the cell's result instead: the error a `?` returned (between
//! evcxr's two marks) and a panic's message (its backtrace is dropped: it shows evcxr's machinery).

use crate::server::Kernel;
use crossbeam_channel::{select, Receiver, Sender};
use jupyter_protocol::{
    ClearOutput, DisplayData, JupyterMessage, Media, StreamContent, Transient, UpdateDisplayData,
};
use serde_json::Value;
use std::sync::Arc;

/// Starts a stdout line that carries one rich output as JSON:
/// `{"data": {mime: content}, "metadata": {...}, "display_id": "...", "update": false}`, or a request to
/// clear the cell's output: `{"clear": true, "wait": false}`.
pub const DISPLAY_PREFIX: &str = "NNLAB_DISPLAY ";

const USER_ERROR_BEGIN: &str = "EVCXR_USER_ERROR_BEGIN";
const USER_ERROR_END: &str = "EVCXR_USER_ERROR_END";

/// What a cell's stderr said about how it ended.
#[derive(Debug, Default)]
pub struct Captured {
    /// The text of the error that a `?` returned.
    pub user_error: Option<String>,
    /// A panic's message and where it happened.
    pub panic: Option<(String, String)>,
}

enum Mode {
    Normal,
    UserError(Vec<String>),
    PanicMessage { location: String, lines: Vec<String> },
    Backtrace,
}

struct Forwarder {
    kernel: Arc<Kernel>,
    mode: Mode,
    captured: Captured,
    /// An empty stderr line, held back: a panic's message starts with one.
    blank: bool,
}

/// Forwards the runtime's output until its channels close. A message on `flush` is answered, once
/// everything already printed has been sent, with what stderr said about the cell.
pub fn spawn(
    kernel: Arc<Kernel>,
    stdout: Receiver<String>,
    stderr: Receiver<String>,
    flush: Receiver<Sender<Captured>>,
) {
    std::thread::spawn(move || {
        let mut f = Forwarder { kernel, mode: Mode::Normal, captured: Captured::default(), blank: false };
        loop {
            select! {
                recv(stdout) -> piece => match piece {
                    Ok(piece) => f.stdout(piece),
                    Err(_) => return,
                },
                recv(stderr) -> piece => match piece {
                    Ok(piece) => f.stderr(piece),
                    Err(_) => return,
                },
                recv(flush) -> done => {
                    let Ok(done) = done else { return };
                    while let Ok(piece) = stdout.try_recv() {
                        f.stdout(piece);
                    }
                    while let Ok(piece) = stderr.try_recv() {
                        f.stderr(piece);
                    }
                    f.end_of_cell();
                    let _ = done.send(std::mem::take(&mut f.captured));
                }
            }
        }
    });
}

impl Forwarder {
    fn stdout(&mut self, piece: String) {
        // (After a `print!` without a line end, the mark is glued to that text.)
        if let Some((before, json)) = piece.split_once(DISPLAY_PREFIX) {
            if !before.is_empty() {
                self.stream(StreamContent::stdout(before));
            }
            if let Some(()) = self.display(json) {
                return;
            }
        }
        self.stream(StreamContent::stdout(&with_line_end(piece)));
    }

    fn display(&self, json: &str) -> Option<()> {
        let v: Value = serde_json::from_str(json).ok()?;
        let parent = self.kernel.parent();
        if v.get("clear").and_then(Value::as_bool) == Some(true) {
            let wait = v.get("wait").and_then(Value::as_bool).unwrap_or(false);
            self.kernel.iopub(JupyterMessage::new(ClearOutput { wait }, parent.as_ref()));
            return Some(());
        }
        let data: Media = serde_json::from_value(v.get("data")?.clone()).ok()?;
        let metadata = v.get("metadata").and_then(Value::as_object).cloned().unwrap_or_default();
        let display_id = v.get("display_id").and_then(Value::as_str).map(str::to_string);
        let update = v.get("update").and_then(Value::as_bool).unwrap_or(false);
        let message = match (&display_id, update) {
            (Some(id), true) => JupyterMessage::new(
                UpdateDisplayData { data, metadata, transient: Transient { display_id: Some(id.clone()) } },
                parent.as_ref(),
            ),
            _ => JupyterMessage::new(
                DisplayData { data, metadata, transient: Some(Transient { display_id }) },
                parent.as_ref(),
            ),
        };
        self.kernel.iopub(message);
        Some(())
    }

    fn stderr(&mut self, piece: String) {
        match &mut self.mode {
            Mode::UserError(lines) => {
                if piece == USER_ERROR_END {
                    self.captured.user_error = Some(std::mem::take(lines).join("\n"));
                    self.mode = Mode::Normal;
                } else {
                    lines.push(piece);
                }
            }
            Mode::PanicMessage { lines, .. } => {
                if piece == "stack backtrace:" || piece.starts_with("note: run with `RUST_BACKTRACE") {
                    let backtrace = piece == "stack backtrace:";
                    self.end_panic_message();
                    if backtrace {
                        self.mode = Mode::Backtrace;
                    }
                } else {
                    lines.push(piece);
                }
            }
            Mode::Backtrace if piece.starts_with(' ') || piece.starts_with("note:") => {}
            Mode::Normal | Mode::Backtrace => {
                self.mode = Mode::Normal;
                let blank = std::mem::take(&mut self.blank);
                // A mark glued to text that `eprint!` left without a line end: the text first.
                let glued = [USER_ERROR_BEGIN, "thread '"]
                    .iter()
                    .filter_map(|m| piece.find(m))
                    .filter(|&i| i > 0)
                    .min();
                if let Some(i) = glued
                    .filter(|&i| panic_location(&piece[i..]).is_some() || piece[i..] == *USER_ERROR_BEGIN)
                {
                    self.stream(StreamContent::stderr(&piece[..i]));
                    return self.stderr(piece[i..].to_string());
                }
                if piece == USER_ERROR_BEGIN {
                    self.mode = Mode::UserError(Vec::new());
                } else if let Some(location) = panic_location(&piece) {
                    self.mode = Mode::PanicMessage { location, lines: Vec::new() };
                } else if piece.is_empty() && !blank {
                    self.blank = true;
                } else {
                    let text =
                        if blank { format!("\n{}", with_line_end(piece)) } else { with_line_end(piece) };
                    self.stream(StreamContent::stderr(&text));
                }
            }
        }
    }

    fn end_panic_message(&mut self) {
        if let Mode::PanicMessage { location, lines } = std::mem::replace(&mut self.mode, Mode::Normal) {
            self.captured.panic = Some((lines.join("\n"), location));
        }
    }

    fn end_of_cell(&mut self) {
        if std::mem::take(&mut self.blank) {
            self.stream(StreamContent::stderr("\n"));
        }
        match std::mem::replace(&mut self.mode, Mode::Normal) {
            Mode::UserError(lines) => self.captured.user_error = Some(lines.join("\n")),
            Mode::PanicMessage { location, lines } => {
                self.captured.panic = Some((lines.join("\n"), location))
            }
            Mode::Normal | Mode::Backtrace => {}
        }
    }

    fn stream(&self, content: StreamContent) {
        let parent = self.kernel.parent();
        // (Output printed before the first cell has no parent.)
        self.kernel.iopub(JupyterMessage::new(content, parent.as_ref()));
    }
}

/// A piece that ended in `\n` lost it on the way; one that ends in `\r` kept it.
fn with_line_end(mut piece: String) -> String {
    if !piece.ends_with('\r') {
        piece.push('\n');
    }
    piece
}

/// `thread 'x' (123) panicked at src/lib.rs:3:5:` gives `src/lib.rs:3:5`.
fn panic_location(line: &str) -> Option<String> {
    let rest = line.strip_prefix("thread '")?;
    let (_, at) = rest.split_once(" panicked at ")?;
    Some(at.trim_end_matches(':').to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn panic_headers() {
        assert_eq!(
            panic_location("thread '<unnamed>' panicked at src/lib.rs:3:5:").as_deref(),
            Some("src/lib.rs:3:5")
        );
        assert_eq!(
            panic_location("thread '<unnamed>' (17103) panicked at a.rs:1:2:").as_deref(),
            Some("a.rs:1:2")
        );
        assert_eq!(panic_location("threads are fine"), None);
    }

    #[test]
    fn line_ends() {
        assert_eq!(with_line_end("a".into()), "a\n");
        assert_eq!(with_line_end(" 3/10 [==>   ]\r".into()), " 3/10 [==>   ]\r");
    }
}
