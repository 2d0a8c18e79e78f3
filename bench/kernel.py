"""scripts/bench kernel: how long a student waits for the nnlab kernel.

Figures (median of 3 unless said):
- cold_prebuild_s: building the kernel's build folder from nothing (what scripts/setup does once), 1 run;
- ready_s: starting a kernel until it has answered `kernel_info` (a front end shows it as ready);
- warm_start_s: starting a kernel (copy of the pre-built folder) until a first cell `1 + 1` has run;
- trivial_cell_s: a cell `a + 1` in a running session (median of 10);
- first_let_s: the first `let` of a session;
- nnlab_cell_s: a cell that calls into nnlab and shows a rich value;
- kernel_rss_mb: the memory (RSS) of the kernel and its runtime process once the first cell has run
  (the lecture's peak, with the compiler, is `scripts/bench notebook`'s peak_rss_mb);
- the same start, first `let` and trivial cell in a *bare* evcxr kernel (the same binary with an empty evcxr
  config: no crate, no prelude; same cargo profile; its build folder warmed by one discarded start):
  `bare_*` figures and the `*_vs_bare_ratio`s. That is the floor evcxr itself sets on this machine, whatever a
  crate does.
"""

import pathlib
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
from common import emit  # noqa: E402
from conftest import ROOT, kernel_binary, start_session, write_kernelspec  # noqa: E402
from jupyter_client.kernelspec import KernelSpecManager  # noqa: E402

G = "kernel"


def cold_prebuild():
    state = pathlib.Path(tempfile.mkdtemp(prefix="nnlab-bench-kernel-"))
    (state / ".cargo").mkdir()  # the kernel's cargo profile, as scripts/setup installs it
    shutil.copy(ROOT / "kernel" / "cargo-config.toml", state / ".cargo" / "config.toml")
    try:
        t0 = time.perf_counter()
        subprocess.run([sys.executable, str(ROOT / "scripts" / "prebuild_kernel.py"), str(state)], check=True,
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return time.perf_counter() - t0
    finally:
        shutil.rmtree(state, ignore_errors=True)


def bare_kernel(tmp):
    """A kernelspec for the kernel's binary with an empty config dir and its own build folder below a `.cargo/`
    holding the nnlab kernel's cargo profile (so cells are built with the same settings)."""
    tmp = pathlib.Path(tmp)
    (tmp / "config").mkdir()
    (tmp / ".cargo").mkdir()
    shutil.copy(ROOT / "kernel" / "cargo-config.toml", tmp / ".cargo" / "config.toml")
    spec = write_kernelspec(tmp / "spec", "bare-evcxr", [kernel_binary(), "{connection_file}"],
                            env={"EVCXR_CONFIG_DIR": str(tmp / "config"), "EVCXR_TMPDIR": str(tmp / "build")})
    return KernelSpecManager(kernel_dirs=[str(spec / "kernels")])


def rss_mb(pid):
    """RSS of a process and all its descendants, in MB."""
    total, todo = 0, [pid]
    while todo:
        p = todo.pop()
        try:
            with open(f"/proc/{p}/status") as f:
                total += next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
            for t in pathlib.Path(f"/proc/{p}/task").iterdir():
                todo.extend(int(c) for c in (t / "children").read_text().split())
        except (OSError, StopIteration):
            pass
    return total / 1024


def one_session(ksm=None):
    t0 = time.perf_counter()
    out = {"stdout": sys.stderr}  # (a kernel prints a line at start: stdout is for the figures)
    s = start_session("bare-evcxr", ksm, **out) if ksm else start_session(**out)
    ready = time.perf_counter() - t0
    try:
        first = s.run("1 + 1")
        start = time.perf_counter() - t0
        assert first.data.get("text/plain") == "2", first
        memory = rss_mb(s.km.provisioner.process.pid)
        first_let = s.run("let a = 41;").seconds
        trivial = statistics.median(s.run(f"a + {i}").seconds for i in range(10))
        rich = None if ksm else s.run('Html::new(format!("<b>{}</b>", nnlab::VERSION))').seconds
    finally:
        s.close()
    return start, first_let, trivial, rich, ready, memory


def main():
    if "--no-cold" not in sys.argv:
        emit(G, "cold_prebuild_s", cold_prebuild(), "s", "build folder from nothing (1 run)")
    runs = [one_session() for _ in range(3)]
    for i, (name, note) in enumerate([
        ("warm_start_s", "kernel start until `1 + 1` ran (goal <= 4 s)"),
        ("first_let_s", "first `let` of a session (goal <= 0.5 s)"),
        ("trivial_cell_s", "`a + 1` (goal <= 0.3 s)"),
        ("nnlab_cell_s", "cell calling nnlab, rich output"),
        ("ready_s", "kernel start until kernel_info is answered (goal <= 1 s)"),
        ("kernel_rss_mb", "kernel + runtime after the first cell"),
    ]):
        emit(G, name, statistics.median(r[i] for r in runs), "MB" if name.endswith("_mb") else "s", note)
    with tempfile.TemporaryDirectory(prefix="nnlab-bench-bare-", dir=ROOT / "target" / "kernel") as tmp:
        ksm = bare_kernel(tmp)
        one_session(ksm)  # builds evcxr's own runtime crate once: the later starts are warm
        bare = [one_session(ksm) for _ in range(3)]
    for i, name in [(0, "warm_start_s"), (1, "first_let_s"), (2, "trivial_cell_s"), (4, "ready_s"), (5, "kernel_rss_mb")]:
        floor = statistics.median(r[i] for r in bare)
        unit = "MB" if name.endswith("_mb") else "s"
        emit(G, f"bare_{name}", floor, unit, "bare evcxr kernel: no crate, no prelude, same cargo profile")
        emit(G, f"{name.rsplit('_', 1)[0]}_vs_bare_ratio",
             statistics.median(r[i] for r in runs) / floor, "x", "nnlab kernel / bare evcxr")


if __name__ == "__main__":
    main()
