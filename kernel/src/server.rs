//! The five sockets of a Jupyter kernel, and the state the kernel's threads share.
//!
//! - **shell**: requests from the front end. `execute_request`s join the queue of the cells thread
//!   ([`crate::cells`]) and are answered from there; everything else is answered here at once, also
//!   while a cell runs and while evcxr is still starting (so `kernel_info` is answered at start-up).
//! - **control**: `kernel_info`, `interrupt` (SIGINT to the runtime, see [`crate::interrupt`]) and
//!   `shutdown`, answered even while a cell runs.
//! - **iopub**: everything a cell shows, from one task, in the order it was queued.
//! - **stdin**: a cell's request for input (`evcxr_input`), answered by the front end.
//! - **heartbeat**: echoes.

use crate::cells;
use crate::interrupt;
use crate::syntax::{completeness, Completeness};
use evcxr::CommandContext;
use jupyter_protocol::{
    CodeMirrorMode, CommClose, CommInfoReply, CompleteReply, ConnectionInfo, HelpLink, HistoryEntry,
    HistoryReply, HistoryRequest, InputRequest, InspectReply, InterruptReply, IsCompleteReply,
    IsCompleteReplyStatus, JupyterMessage, JupyterMessageContent, KernelInfoReply, LanguageInfo, Media,
    ReplyStatus, ShutdownReply, Status,
};
use jupyter_zmq_client::{
    create_kernel_control_connection, create_kernel_heartbeat_connection, create_kernel_iopub_connection,
    create_kernel_shell_connection, create_kernel_stdin_connection,
};
use std::sync::{Arc, Mutex};
use std::time::Instant;
use tokio::sync::{mpsc, oneshot};

/// A cell's request for a line of input, answered on the stdin socket.
pub struct InputAsk {
    pub parent: JupyterMessage,
    pub prompt: String,
    pub password: bool,
    pub answer: oneshot::Sender<String>,
}

/// What the kernel's threads share.
pub struct Kernel {
    iopub: mpsc::UnboundedSender<JupyterMessage>,
    shell: mpsc::UnboundedSender<JupyterMessage>,
    pub input: mpsc::UnboundedSender<InputAsk>,
    /// The evcxr context, once started; the cells thread holds the lock while a cell runs.
    pub context: Mutex<Option<CommandContext>>,
    /// The runtime process (valid across evcxr's restarts of it).
    pub runtime: Mutex<Option<Arc<Mutex<std::process::Child>>>>,
    pub state: Mutex<State>,
}

/// The cell now running, the last cell's request (the parent of late output), the history.
#[derive(Default)]
pub struct State {
    pub running: Option<Running>,
    pub parent: Option<JupyterMessage>,
    pub history: Vec<(usize, String)>,
}

pub struct Running {
    pub serial: u64,
    pub interrupted: bool,
}

impl Kernel {
    pub fn iopub(&self, message: JupyterMessage) {
        let _ = self.iopub.send(message);
    }

    pub fn reply(&self, message: JupyterMessage) {
        let _ = self.shell.send(message);
    }

    /// The request whose cell prints now.
    pub fn parent(&self) -> Option<JupyterMessage> {
        self.state().parent.clone()
    }

    /// The shared state (a thread that panicked holding it leaves it as it was: still usable).
    pub fn state(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(std::sync::PoisonError::into_inner)
    }

    pub fn runtime_pid(&self) -> Option<u32> {
        let handle = self.runtime.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()?;
        let pid = handle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).id();
        Some(pid)
    }

    fn busy(&self) -> bool {
        self.state().running.is_some()
    }

    /// `busy`, `message` (on iopub), `idle`: a shell message that has no reply.
    fn answer_iopub(&self, request: &JupyterMessage, message: Option<JupyterMessage>) {
        self.iopub(Status::busy().as_child_of(request));
        if let Some(message) = message {
            self.iopub(message);
        }
        self.iopub(Status::idle().as_child_of(request));
        self.still_busy();
    }

    /// After the `idle` of a request answered while a cell runs: the running cell's `busy` again, so that the
    /// front end keeps showing the kernel busy.
    fn still_busy(&self) {
        // Under the lock: the cells thread clears `running` under it before it sends the cell's idle, so
        // this busy cannot come after that idle.
        let state = self.state();
        if let (Some(_), Some(parent)) = (&state.running, &state.parent) {
            self.iopub(Status::busy().as_child_of(parent));
        }
    }

    /// `busy`, then `reply`, then `idle`, as every shell request must be answered.
    fn answer(&self, request: &JupyterMessage, reply: JupyterMessage) {
        if self.busy() {
            return self.answer_while_running(request, reply);
        }
        self.iopub(Status::busy().as_child_of(request));
        self.reply(reply);
        self.iopub(Status::idle().as_child_of(request));
    }

    /// SIGINT to the runtime. If the same cell still runs after the grace time while the runtime keeps a
    /// core busy (a loop that does not read the flag), the runtime is killed. A cell that is compiling, waiting
    /// for input or sleeping is not: the runtime is idle then, and nnlab's loops stop once the cell runs.
    fn interrupt(self: &Arc<Self>) {
        let (serial, pid) = {
            let mut guard = self.state();
            let state = &mut *guard;
            let Some(running) = state.running.as_mut() else { return };
            running.interrupted = true;
            let Some(pid) = self.runtime_pid() else { return };
            // Under the lock: the next cell cannot clear the flag before it is set for this one.
            if let Err(e) = interrupt::request(pid) {
                eprintln!("nnlab kernel: could not interrupt the runtime ({pid}): {e}");
            }
            (running.serial, pid)
        };
        let kernel = Arc::clone(self);
        std::thread::spawn(move || {
            let start = Instant::now();
            let mut samples = std::collections::VecDeque::new();
            loop {
                std::thread::sleep(std::time::Duration::from_millis(250));
                if kernel.state().running.as_ref().map(|r| r.serial) != Some(serial) {
                    return;
                }
                let Some(ticks) = interrupt::cpu_ticks(pid) else { return };
                samples.push_back((Instant::now(), ticks));
                while samples.len() > 5 {
                    samples.pop_front();
                }
                let (t0, c0) = samples[0];
                let busy = t0.elapsed().as_secs_f64() >= 0.9
                    && (ticks - c0) as f64 / interrupt::ticks_per_second()
                        >= 0.5 * t0.elapsed().as_secs_f64();
                if busy && start.elapsed() >= interrupt::GRACE {
                    if let Some(handle) =
                        kernel.runtime.lock().unwrap_or_else(std::sync::PoisonError::into_inner).clone()
                    {
                        let _ = handle.lock().unwrap_or_else(std::sync::PoisonError::into_inner).kill();
                    }
                    return;
                }
            }
        });
    }

    /// `busy`, then `reply`, then `idle`, for a request answered while a cell runs: the front end waits for the
    /// request's `idle`; a `busy` of the running cell after it keeps the kernel shown busy.
    fn answer_while_running(&self, request: &JupyterMessage, reply: JupyterMessage) {
        self.iopub(Status::busy().as_child_of(request));
        self.reply(reply);
        self.iopub(Status::idle().as_child_of(request));
        self.still_busy();
    }
}

/// Runs the kernel for the connection file at `path` until it is shut down.
pub fn run(path: &str) -> anyhow::Result<()> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| anyhow::anyhow!("cannot read the connection file {path}: {e}"))?;
    let info: ConnectionInfo = serde_json::from_str(&text)?;
    interrupt::ignore_in_kernel();
    let runtime = tokio::runtime::Builder::new_multi_thread().worker_threads(2).enable_all().build()?;
    runtime.block_on(serve(info))
}

async fn serve(info: ConnectionInfo) -> anyhow::Result<()> {
    let session = format!("nnlab-kernel-{}", std::process::id());
    let mut heartbeat = create_kernel_heartbeat_connection(&info).await?;
    let (mut shell_send, mut shell_recv) = create_kernel_shell_connection(&info, &session).await?.split();
    let mut control = create_kernel_control_connection(&info, &session).await?;
    let mut stdin = create_kernel_stdin_connection(&info, &session).await?;
    let mut iopub = create_kernel_iopub_connection(&info, &session).await?;

    let (iopub_tx, mut iopub_rx) = mpsc::unbounded_channel::<JupyterMessage>();
    let (shell_tx, mut shell_rx) = mpsc::unbounded_channel::<JupyterMessage>();
    let (input_tx, mut input_rx) = mpsc::unbounded_channel::<InputAsk>();
    let kernel = Arc::new(Kernel {
        iopub: iopub_tx,
        shell: shell_tx,
        input: input_tx,
        context: Mutex::new(None),
        runtime: Mutex::new(None),
        state: Mutex::new(State::default()),
    });

    tokio::spawn(async move { while heartbeat.single_heartbeat().await.is_ok() {} });
    tokio::spawn(async move {
        while let Some(message) = iopub_rx.recv().await {
            if let Err(e) = iopub.send(message).await {
                eprintln!("nnlab kernel: iopub: {e}");
            }
        }
    });
    tokio::spawn(async move {
        while let Some(message) = shell_rx.recv().await {
            if let Err(e) = shell_send.send(message).await {
                eprintln!("nnlab kernel: shell: {e}");
            }
        }
    });
    tokio::spawn(async move {
        while let Some(ask) = input_rx.recv().await {
            let request =
                InputRequest { prompt: ask.prompt, password: ask.password }.as_child_of(&ask.parent);
            let mut value = String::new();
            if stdin.send(request).await.is_ok() {
                if let Ok(reply) = stdin.read().await {
                    if let JupyterMessageContent::InputReply(reply) = reply.content {
                        value = reply.value;
                    }
                }
            }
            let _ = ask.answer.send(value);
        }
    });

    // The cells thread starts evcxr (slow: it builds and analyses nnlab) while the sockets already answer.
    let cells_queue = cells::start(Arc::clone(&kernel));

    {
        let kernel = Arc::clone(&kernel);
        tokio::spawn(async move {
            loop {
                match shell_recv.read().await {
                    Ok(request) => {
                        if let JupyterMessageContent::ExecuteRequest(_) = request.content {
                            let _ = cells_queue.send(request);
                        } else {
                            let kernel = Arc::clone(&kernel);
                            // Completion and inspection may wait for rust-analyzer: off the socket's task.
                            tokio::task::spawn_blocking(move || shell_request(&kernel, request));
                        }
                    }
                    Err(e) => eprintln!("nnlab kernel: shell request not understood: {e}"),
                }
            }
        });
    }

    loop {
        let request = match control.read().await {
            Ok(request) => request,
            Err(e) => {
                eprintln!("nnlab kernel: control request not understood: {e}");
                continue;
            }
        };
        match &request.content {
            JupyterMessageContent::KernelInfoRequest(_) => {
                control.send(kernel_info().as_child_of(&request)).await?
            }
            JupyterMessageContent::InterruptRequest(_) => {
                kernel.interrupt();
                control.send(InterruptReply::new().as_child_of(&request)).await?;
            }
            JupyterMessageContent::ShutdownRequest(r) => {
                let reply = ShutdownReply { restart: r.restart, status: ReplyStatus::Ok, error: None };
                control.send(reply.as_child_of(&request)).await?;
                shutdown(&kernel);
                return Ok(());
            }
            other => eprintln!("nnlab kernel: control request {} is not handled", other.message_type()),
        }
    }
}

/// Stops the runtime process: it would exit by itself once its stdin closes, but not while a cell runs.
fn shutdown(kernel: &Kernel) {
    if let Some(handle) = kernel.runtime.lock().unwrap().clone() {
        let _ = handle.lock().unwrap().kill();
    }
}

fn shell_request(kernel: &Arc<Kernel>, request: JupyterMessage) {
    let reply: JupyterMessage = match &request.content {
        JupyterMessageContent::KernelInfoRequest(_) => kernel_info().as_child_of(&request),
        JupyterMessageContent::IsCompleteRequest(r) => {
            let (status, indent) = match completeness(&r.code) {
                Completeness::Complete => (IsCompleteReplyStatus::Complete, String::new()),
                Completeness::Incomplete(indent) => (IsCompleteReplyStatus::Incomplete, indent),
                Completeness::Invalid => (IsCompleteReplyStatus::Invalid, String::new()),
            };
            IsCompleteReply { status, indent }.as_child_of(&request)
        }
        JupyterMessageContent::CompleteRequest(r) => {
            complete(kernel, &r.code, r.cursor_pos).as_child_of(&request)
        }
        JupyterMessageContent::InspectRequest(r) => {
            inspect(kernel, &r.code, r.cursor_pos).as_child_of(&request)
        }
        JupyterMessageContent::HistoryRequest(r) => history(kernel, r).as_child_of(&request),
        JupyterMessageContent::CommInfoRequest(_) => {
            CommInfoReply { status: ReplyStatus::Ok, comms: Default::default(), error: None }
                .as_child_of(&request)
        }
        JupyterMessageContent::CommOpen(open) => {
            // No comm targets: the comm is closed at once, as ipykernel does for an unknown target.
            let close = CommClose { comm_id: open.comm_id.clone(), data: Default::default() };
            kernel.answer_iopub(&request, Some(close.as_child_of(&request)));
            return;
        }
        JupyterMessageContent::CommMsg(_) | JupyterMessageContent::CommClose(_) => {
            kernel.answer_iopub(&request, None);
            return;
        }
        JupyterMessageContent::ShutdownRequest(r) => {
            kernel.reply(
                ShutdownReply { restart: r.restart, status: ReplyStatus::Ok, error: None }
                    .as_child_of(&request),
            );
            shutdown(kernel);
            std::thread::sleep(std::time::Duration::from_millis(200)); // (another task sends the reply)
            std::process::exit(0);
        }
        other => {
            eprintln!("nnlab kernel: shell request {} is not handled", other.message_type());
            return;
        }
    };
    kernel.answer(&request, reply);
}

/// The kernel's description: Rust, highlighted as Rust, interrupts by message.
pub fn kernel_info() -> KernelInfoReply {
    KernelInfoReply {
        status: ReplyStatus::Ok,
        protocol_version: "5.3".to_string(),
        implementation: "nnlab-kernel".to_string(),
        implementation_version: env!("CARGO_PKG_VERSION").to_string(),
        language_info: LanguageInfo {
            name: "rust".to_string(),
            version: String::new(),
            mimetype: Some("text/rust".to_string()),
            file_extension: Some(".rs".to_string()),
            pygments_lexer: Some("rust".to_string()),
            codemirror_mode: Some(CodeMirrorMode::Simple("rust".to_string())),
            nbconvert_exporter: None,
        },
        banner: format!("nnlab kernel {}: Rust cells with nnlab, on evcxr 0.22", env!("CARGO_PKG_VERSION")),
        help_links: vec![
            HelpLink { text: "nnlab".to_string(), url: "https://docs.rs/nnlab".to_string() },
            HelpLink {
                text: "Rust standard library".to_string(),
                url: "https://doc.rust-lang.org/std/".to_string(),
            },
        ],
        debugger: false,
        error: None,
    }
}

/// Jupyter counts cursor positions in code points; evcxr in bytes.
fn byte_offset(code: &str, chars: usize) -> usize {
    code.char_indices().nth(chars).map_or(code.len(), |(b, _)| b)
}

fn char_offset(code: &str, bytes: usize) -> usize {
    code.char_indices().take_while(|(b, _)| *b < bytes).count()
}

fn complete(kernel: &Kernel, code: &str, cursor: usize) -> CompleteReply {
    let mut reply = CompleteReply {
        matches: Vec::new(),
        cursor_start: cursor,
        cursor_end: cursor,
        metadata: Default::default(),
        status: ReplyStatus::Ok,
        error: None,
    };
    // While a cell runs (or evcxr starts), the context is busy: no completions rather than a wait.
    let Ok(mut guard) = kernel.context.try_lock() else { return reply };
    let Some(context) = guard.as_mut() else { return reply };
    if let Ok(completions) = context.completions(code, byte_offset(code, cursor)) {
        reply.cursor_start = char_offset(code, completions.start_offset);
        reply.cursor_end = char_offset(code, completions.end_offset);
        let mut types = Vec::new();
        for c in completions.completions {
            types.push(serde_json::json!({
                "text": c.code, "type": c.kind, "start": reply.cursor_start, "end": reply.cursor_end,
            }));
            reply.matches.push(c.code);
        }
        reply.metadata.insert("_jupyter_types_experimental".to_string(), types.into());
    }
    reply
}

fn inspect(kernel: &Kernel, code: &str, cursor: usize) -> InspectReply {
    let mut reply = InspectReply {
        found: false,
        data: Media::default(),
        metadata: Default::default(),
        status: ReplyStatus::Ok,
        error: None,
    };
    let Ok(mut guard) = kernel.context.try_lock() else { return reply };
    let Some(context) = guard.as_mut() else { return reply };
    if let Ok((plain, html)) = context.hover_at(code, byte_offset(code, cursor)) {
        if plain != "No documentation found" {
            reply.found = true;
            reply.data = serde_json::from_value(serde_json::json!({"text/plain": plain, "text/html": html}))
                .unwrap_or_default();
        }
    }
    reply
}

/// This session's cells: the last `n`, a range of execution counts, or those matching a glob pattern
/// (`*` any text, `?` one character), as ipykernel answers. Outputs are not kept: an entry asked with
/// its output has an empty one.
fn history(kernel: &Kernel, request: &HistoryRequest) -> HistoryReply {
    let state = kernel.state();
    let (cells, output): (Vec<&(usize, String)>, bool) = match request {
        HistoryRequest::Tail { n, output, .. } => {
            let skip = state.history.len().saturating_sub((*n).max(0) as usize);
            (state.history.iter().skip(skip).collect(), *output)
        }
        HistoryRequest::Range { start, stop, output, .. } => {
            let wanted = |n: usize| n as i32 >= *start && (*stop <= 0 || (n as i32) < *stop);
            (state.history.iter().filter(|(n, _)| wanted(*n)).collect(), *output)
        }
        HistoryRequest::Search { pattern, unique, output, n, .. } => {
            let mut found: Vec<&(usize, String)> =
                state.history.iter().filter(|(_, code)| glob(pattern, code)).collect();
            if *unique {
                let mut seen = std::collections::HashSet::new();
                found.reverse();
                found.retain(|(_, code)| seen.insert(code.as_str()));
                found.reverse();
            }
            if *n > 0 {
                found = found.split_off(found.len().saturating_sub(*n as usize));
            }
            (found, *output)
        }
    };
    let history = cells
        .into_iter()
        .map(|(n, code)| {
            if output {
                HistoryEntry::InputOutput(0, *n, (code.clone(), String::new()))
            } else {
                HistoryEntry::Input(0, *n, code.clone())
            }
        })
        .collect();
    HistoryReply { history, status: ReplyStatus::Ok, error: None }
}

/// Whether all of `text` matches the glob `pattern`.
fn glob(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // matches[j]: whether the pattern so far matches t[..j].
    let mut matches = vec![false; t.len() + 1];
    matches[0] = true;
    for &c in &p {
        let mut next = vec![false; t.len() + 1];
        for j in 0..=t.len() {
            next[j] = match c {
                '*' => matches[j] || (j > 0 && next[j - 1]),
                '?' => j > 0 && matches[j - 1],
                c => j > 0 && matches[j - 1] && t[j - 1] == c,
            };
        }
        matches = next;
    }
    matches[t.len()]
}

#[cfg(test)]
mod tests {
    use super::glob;

    #[test]
    fn globs() {
        assert!(glob("1 + ?", "1 + 2"));
        assert!(glob("*Html*", "Html::new(\"x\")"));
        assert!(!glob("1 + ?", "1 + 23"));
        assert!(glob("*", ""));
    }
}
