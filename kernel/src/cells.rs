//! The cells thread: starts evcxr, then runs the queued `execute_request`s one at a time.
//!
//! For each cell: `busy`, `execute_input`, what the cell prints (as it prints it, through
//! [`crate::output`]), its value (`execute_result`) or its failure (`error`), the `execute_reply`, `idle`.
//! After a failure the cells already queued are answered `aborted` (Run All stops there, as with
//! ipykernel). Execution counts start at 1.

use crate::errors::Failure;
use crate::interrupt;
use crate::output::{self, Captured};
use crate::server::{InputAsk, Kernel, Running};
use evcxr::{CommandContext, EvalCallbacks, EvalOutputs};
use jupyter_protocol::{
    ErrorOutput, ExecuteInput, ExecuteReply, ExecuteRequest, ExecuteResult, ExecutionCount, JupyterMessage,
    JupyterMessageContent, Media, ReplyError, ReplyStatus, Status, UnknownMessage,
};
use std::sync::mpsc::{Receiver, Sender};
use std::sync::Arc;

/// Starts the thread; returns the queue of execute requests, which may be filled at once.
pub fn start(kernel: Arc<Kernel>) -> Sender<JupyterMessage> {
    let (queue, requests) = std::sync::mpsc::channel();
    std::thread::Builder::new()
        .name("cells".to_string())
        .spawn(move || Cells { kernel, flush: None, count: 0, serial: 0, startup: Ok(()) }.run(requests))
        .expect("the kernel cannot start a thread");
    queue
}

struct Cells {
    kernel: Arc<Kernel>,
    /// Asks the output thread to send what it holds; `None` until evcxr has started.
    flush: Option<crossbeam_channel::Sender<crossbeam_channel::Sender<Captured>>>,
    count: usize,
    serial: u64,
    /// Why evcxr could not start: every cell reports it.
    startup: Result<(), String>,
}

enum Outcome {
    Value(EvalOutputs),
    Failed(Failure),
}

impl Cells {
    fn run(mut self, requests: Receiver<JupyterMessage>) {
        self.startup = self.start_evcxr();
        while let Ok(request) = requests.recv() {
            let JupyterMessageContent::ExecuteRequest(execute) = &request.content else { continue };
            let execute = execute.clone();
            for queued in self.cell(&request, &execute, &requests) {
                self.abort(&queued);
            }
        }
    }

    /// evcxr's context, nnlab loaded (`:load_config` runs `init.evcxr` and `prelude.rs`, which build and
    /// analyse nnlab), and the output thread.
    fn start_evcxr(&mut self) -> Result<(), String> {
        copy_prebuilt()?;
        let (context, outputs) = CommandContext::new().map_err(|e| format!("evcxr did not start: {e}"))?;
        pin_versions()?;
        *self.kernel.runtime.lock().unwrap() = Some(context.process_handle());
        let (flush, flushes) = crossbeam_channel::unbounded();
        output::spawn(Arc::clone(&self.kernel), outputs.stdout, outputs.stderr, flushes);
        self.flush = Some(flush);
        let mut guard = self.kernel.context.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let context = guard.insert(context);
        let loaded = context.execute(":load_config");
        // What the start-up printed is not any cell's: it goes to the kernel's log.
        let captured = self.flush_output();
        match loaded {
            Ok(_) if captured.user_error.is_none() && captured.panic.is_none() => Ok(()),
            Ok(_) => Err(format!("the kernel's start-up cell failed: {captured:?}")),
            Err(e) => Err(format!("the kernel's start-up (init.evcxr, prelude.rs) failed: {e}")),
        }
    }

    /// Runs one cell; returns the requests to answer `aborted`: if it failed (and `stop_on_error`), those
    /// already queued when it failed. Run All sent them before this cell ran; they are taken from the
    /// queue *before* the reply goes out, so that a cell the student runs after seeing the error (sent
    /// the moment the reply arrives) runs.
    fn cell(
        &mut self,
        request: &JupyterMessage,
        execute: &ExecuteRequest,
        requests: &Receiver<JupyterMessage>,
    ) -> Vec<JupyterMessage> {
        self.kernel.iopub(Status::busy().as_child_of(request));
        if execute.store_history && !execute.silent {
            self.count += 1;
        }
        let count = self.count.max(1);
        if !execute.silent {
            self.kernel.iopub(
                ExecuteInput { code: execute.code.clone(), execution_count: ExecutionCount::new(count) }
                    .as_child_of(request),
            );
        }
        self.serial += 1;
        {
            let mut state = self.kernel.state();
            state.parent = Some(request.clone());
            state.running = Some(Running { serial: self.serial, interrupted: false });
            if execute.store_history {
                state.history.push((count, execute.code.clone()));
            }
            // The runtime's flag, cleared under the lock that `interrupt` takes to set it: an interrupt
            // for this cell cannot come before the clearing.
            if let Some(pid) = self.kernel.runtime_pid() {
                let _ = interrupt::clear(pid);
            }
        }

        let outcome = match &self.startup {
            Err(message) => Outcome::Failed(Failure::kernel(message)),
            Ok(()) => std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| self.evaluate(request, execute, count)))
                .unwrap_or_else(|_| Outcome::Failed(Failure::kernel("the kernel failed on this cell (a bug of the kernel: see its log); the variables are kept"))),
        };
        // A cell that was interrupted but finished anyway (the interrupt came while it compiled, say)
        // succeeded: what it computed is kept.
        self.kernel.state().running = None;

        let reply = match outcome {
            Outcome::Value(outputs) => {
                if !outputs.is_empty() && !execute.silent {
                    let data = media(&outputs);
                    self.kernel.iopub(
                        ExecuteResult {
                            execution_count: ExecutionCount::new(count),
                            data,
                            metadata: Default::default(),
                            transient: Some(Default::default()),
                        }
                        .as_child_of(request),
                    );
                }
                if let Some(timing) = outputs.timing {
                    self.kernel.iopub(
                        jupyter_protocol::StreamContent::stdout(&format!("took {} ms\n", timing.as_millis()))
                            .as_child_of(request),
                    );
                }
                ExecuteReply {
                    status: ReplyStatus::Ok,
                    execution_count: ExecutionCount::new(count),
                    user_expressions: Some(Default::default()),
                    ..Default::default()
                }
            }
            Outcome::Failed(f) => {
                self.kernel.iopub(
                    ErrorOutput {
                        ename: f.ename.clone(),
                        evalue: f.evalue.clone(),
                        traceback: f.traceback.clone(),
                    }
                    .as_child_of(request),
                );
                ExecuteReply {
                    status: ReplyStatus::Error,
                    execution_count: ExecutionCount::new(count),
                    user_expressions: Some(Default::default()),
                    error: Some(Box::new(ReplyError {
                        ename: f.ename,
                        evalue: f.evalue,
                        traceback: f.traceback,
                    })),
                    ..Default::default()
                }
            }
        };
        let queued = if reply.status == ReplyStatus::Error && execute.stop_on_error {
            requests.try_iter().collect()
        } else {
            Vec::new()
        };
        self.kernel.reply(reply.as_child_of(request));
        self.kernel.iopub(Status::idle().as_child_of(request));
        queued
    }

    fn evaluate(&mut self, request: &JupyterMessage, execute: &ExecuteRequest, count: usize) -> Outcome {
        let kernel = Arc::clone(&self.kernel);
        let allow_stdin = execute.allow_stdin;
        let parent = request.clone();
        let result = {
            let mut guard = self.kernel.context.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
            let context = guard.as_mut().expect("evcxr started");
            let mut callbacks = EvalCallbacks {
                input_reader: &|ask| read_input(&kernel, &parent, allow_stdin, ask.prompt, ask.is_password),
            };
            context.execute_with_callbacks(&execute.code, &mut callbacks)
        };
        let captured = self.flush_output();
        let interrupted = self.kernel.state().running.as_ref().is_some_and(|r| r.interrupted);
        if let (Ok(outputs), Some((message, location))) = (&result, &captured.panic) {
            if !outputs.panicked {
                // A thread of the cell's own panicked; the cell went on: its message, as printed.
                let text = format!("a thread panicked at {location}:\n{message}\n");
                self.kernel.iopub(jupyter_protocol::StreamContent::stderr(&text).as_child_of(request));
            }
        }
        match result {
            Ok(outputs) if outputs.panicked => {
                let (message, location) =
                    captured.panic.unwrap_or_else(|| ("(no message)".to_string(), String::new()));
                Outcome::Failed(Failure::panic(&message, &location))
            }
            Ok(outputs) if outputs.user_error => {
                Outcome::Failed(Failure::returned(captured.user_error.as_deref().unwrap_or("(no message)")))
            }
            Ok(outputs) => Outcome::Value(outputs),
            Err(e) => Outcome::Failed(Failure::from_evcxr(&e, &execute.code, count, interrupted)),
        }
    }

    /// Waits until the output thread has sent all the cell printed; returns what its stderr said.
    fn flush_output(&self) -> Captured {
        let Some(flush) = &self.flush else { return Captured::default() };
        let (done, answer) = crossbeam_channel::bounded(1);
        if flush.send(done).is_err() {
            return Captured::default();
        }
        answer.recv_timeout(std::time::Duration::from_secs(5)).unwrap_or_default()
    }

    fn abort(&self, request: &JupyterMessage) {
        if !matches!(request.content, JupyterMessageContent::ExecuteRequest(_)) {
            return;
        }
        self.kernel.iopub(Status::busy().as_child_of(request));
        // As ipykernel answers: no execution count, so that the front end leaves the cell's prompt empty
        // (jupyter-protocol's ExecuteReply always carries one).
        let reply = UnknownMessage {
            msg_type: "execute_reply".to_string(),
            content: serde_json::json!({"status": "aborted"}),
        };
        self.kernel.reply(reply.as_child_of(request));
        self.kernel.iopub(Status::idle().as_child_of(request));
    }
}

/// Fills the kernel's build folder (`EVCXR_TMPDIR`) with a copy of the pre-built one that `kernel/launch`
/// names in `NNLAB_KERNEL_PREBUILT`, keeping the files' times (cargo compares them): here rather than in
/// the launch script, so that Jupyter hears from the kernel before the copy is made.
fn copy_prebuilt() -> Result<(), String> {
    let (Some(from), Some(to)) =
        (std::env::var_os("NNLAB_KERNEL_PREBUILT"), std::env::var_os("EVCXR_TMPDIR"))
    else {
        return Ok(());
    };
    let mut source = std::path::PathBuf::from(from);
    source.push(".");
    let mut cp = std::process::Command::new("cp");
    cp.arg("-a").arg(&source).arg(&to);
    // A kernel shut down during the copy takes the copy with it (else it goes on writing into a folder
    // that the next kernel's launch removes).
    // SAFETY: prctl is async-signal-safe and touches no memory of this process.
    unsafe {
        std::os::unix::process::CommandExt::pre_exec(&mut cp, || {
            libc::prctl(libc::PR_SET_PDEATHSIG, libc::SIGKILL);
            Ok(())
        });
    }
    let status = cp.status();
    match status {
        Ok(s) if s.success() => Ok(()),
        other => Err(format!(
            "the kernel could not copy its pre-built build folder {source:?} to {to:?}: {other:?}"
        )),
    }
}

/// Puts the workspace's Cargo.lock (named in `NNLAB_KERNEL_CARGO_LOCK`) into the build folder once evcxr
/// has started: evcxr's first build (of `42`, before any `:dep`) leaves a Cargo.lock with no dependencies
/// in it, and `:dep nnlab` would then resolve nnlab's dependencies afresh, to their newest releases. With
/// the pinned file cargo keeps the versions that the tests ran with and that the pre-built folder holds,
/// so a release of any dependency neither changes a student's results nor makes every start recompile.
fn pin_versions() -> Result<(), String> {
    let (Some(lock), Some(dir)) =
        (std::env::var_os("NNLAB_KERNEL_CARGO_LOCK"), std::env::var_os("EVCXR_TMPDIR"))
    else {
        return Ok(());
    };
    let to = std::path::Path::new(&dir).join("Cargo.lock");
    std::fs::copy(&lock, &to)
        .map(|_| ())
        .map_err(|e| format!("the kernel could not copy {lock:?} to {to:?}: {e}"))
}

/// A line of input from the front end, for `evcxr_input` (empty when the front end takes no input).
fn read_input(
    kernel: &Kernel,
    parent: &JupyterMessage,
    allowed: bool,
    prompt: String,
    password: bool,
) -> String {
    if !allowed {
        return String::new();
    }
    let (answer, mut answered) = tokio::sync::oneshot::channel();
    if kernel.input.send(InputAsk { parent: parent.clone(), prompt, password, answer }).is_err() {
        return String::new();
    }
    // Until the front end answers, or the interrupt button is pressed (then the cell reads "").
    loop {
        match answered.try_recv() {
            Ok(value) => return value,
            Err(tokio::sync::oneshot::error::TryRecvError::Closed) => return String::new(),
            Err(tokio::sync::oneshot::error::TryRecvError::Empty) => {}
        }
        if kernel.state().running.as_ref().is_some_and(|r| r.interrupted) {
            return String::new();
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
}

/// evcxr's outputs by MIME type; JSON types as JSON.
fn media(outputs: &EvalOutputs) -> Media {
    let mut map = serde_json::Map::new();
    for (mime, content) in &outputs.content_by_mime_type {
        let value = if mime.contains("json") {
            serde_json::from_str(content).unwrap_or_else(|_| serde_json::Value::from(content.clone()))
        } else {
            serde_json::Value::from(content.clone())
        };
        map.insert(mime.clone(), value);
    }
    serde_json::from_value(serde_json::Value::Object(map)).unwrap_or_default()
}
