//! The nnlab kernel: Jupyter's protocol around the evcxr library.
//!
//! Two processes, both this binary:
//! - the **kernel** (this `main`) answers Jupyter on its five sockets ([`server`]), compiles cells with
//!   evcxr on one thread ([`cells`]) and turns what the cells print into Jupyter messages ([`output`]);
//! - the **runtime** (the same binary, started by evcxr with `EVCXR_IS_RUNTIME` set) loads each compiled
//!   cell and runs it, keeping the variables. An interrupt reaches it as SIGINT ([`interrupt`]).

mod cells;
mod errors;
mod interrupt;
mod output;
mod server;
mod syntax;

fn main() -> anyhow::Result<()> {
    if std::env::var_os("EVCXR_IS_RUNTIME").is_some() {
        interrupt::install_in_runtime();
    }
    // In the runtime process this never returns; in the kernel it does nothing.
    evcxr::runtime_hook();

    let mut args = std::env::args().skip(1);
    let connection_file = match (args.next().as_deref(), args.next()) {
        (Some("--connection-file" | "-f"), Some(path)) => path,
        (Some(path), None) if !path.starts_with('-') => path.to_string(),
        _ => {
            eprintln!("usage: nnlab-kernel [--connection-file] CONNECTION_FILE");
            std::process::exit(2);
        }
    };
    server::run(&connection_file)
}
