"""scripts/bench notebook: Run-All of notebooks/lecture4.ipynb in the nnlab kernel, warm.

Each of 3 runs starts a fresh kernel the way JupyterLab does (kernel/launch copies the pre-built build
folder, which scripts/setup keeps current), waits until it answers, then starts the clock and executes every
code cell in order, as "Run All Cells" does. Figures:

- run_all_s: first cell sent until the last cell's reply, cells sent back to back as Run All does
  (median of RUNS, default 3; goal <= 60 s);
- compile_total_s / run_total_s: that time split into compiling and running (medians of 3, see below);
- the five slowest cells (by median total time): cellNN_s, with cellNN_compile_s and cellNN_run_s
  (NN = the cell's index among the code cells, 0-based; the note shows its first line);
- peak_rss_mb: the highest sum of RSS over evcxr_jupyter and all its descendants (the process that runs
  the cells, cargo, rustc, the linker), sampled from /proc every 100 ms (highest of the 3 runs; goal
  <= 1.5 GB); peak_rss_evcxr_mb: the same over the evcxr processes only (what stays resident).

Compile vs run: evcxr 0.22 measures phases internally but does not send them to Jupyter (`:timing` only
prints the total; `:time_passes` needs a nightly rustc). For each cell evcxr runs rust-analyzer (variable
types), then `cargo build`, then renames the new shared object to `code_N.so` in the build folder and
loads and runs it (evcxr-0.22.0 src/module.rs `compile`, src/eval_context.rs `try_run_statements`). The
rename sets the file's ctime, so "compile" is from sending the cell until the newest `code_*.so`'s ctime
(rust-analyzer, cargo, rustc, linking, and any retries evcxr makes to fix variable types) and "run" is the
rest (loading the library, running the code, sending outputs and the reply). A cell that builds no new
library counts as all "compile" when it failed to compile (evcxr retries, then replies with an error)
and as all "run" otherwise (nothing to compile).
"""

import os
import pathlib
import statistics
import sys
import threading
import time

import nbformat

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent.parent / "tests"))
sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
from common import emit  # noqa: E402
from conftest import ROOT, build_folder, start_session  # noqa: E402

G = "notebook"
NOTEBOOK = ROOT / "notebooks" / "lecture4.ipynb"
RUNS = int(os.environ.get("RUNS", "3"))
PAGE = os.sysconf("SC_PAGE_SIZE")
# The kernel and the process that runs the cells: both the nnlab-kernel binary (evcxr for a stock kernel).
KERNEL_PROCESSES = ("nnlab-kernel", "evcxr")


def process_tree(root_pid):
    """{pid: (command name, rss bytes)} of root_pid and all its descendants.

    A child that shares its parent's memory (the kernel starts cargo with posix_spawn, a clone with
    CLONE_VM: until the child execs, /proc shows it with the parent's whole RSS, under the forking thread's
    name, e.g. tokio-rt-worker) is counted with 0 bytes: its memory is the parent's. It is told by its
    address space: the same start of code and of stack as its parent (an exec'd child, even of the same
    binary, gets new, randomised ones). Counting it once added ~890 MB to a peak (seen 2026-12-01)."""
    parent, info, space = {}, {}, {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                stat = f.read()
            with open(f"/proc/{entry.name}/statm") as f:
                rss = int(f.read().split()[1]) * PAGE
        except (OSError, IndexError, ValueError):
            continue
        pid = int(entry.name)
        comm = stat[stat.index("(") + 1:stat.rindex(")")]
        fields = stat[stat.rindex(")") + 2:].split()  # from field 3 (state) on: field k is fields[k - 3]
        parent[pid] = int(fields[1])
        space[pid] = (int(fields[23]), int(fields[25]))  # startcode, startstack
        info[pid] = (comm, rss)
    tree, todo = {}, [root_pid]
    children = {}
    for pid, ppid in parent.items():
        children.setdefault(ppid, []).append(pid)
    while todo:
        pid = todo.pop()
        if pid in info:
            comm, rss = info[pid]
            if pid != root_pid and space[pid] == space.get(parent[pid]) and space[pid] != (0, 0):
                rss = 0  # the parent's memory, not yet replaced by an exec
            tree[pid] = (comm, rss)
            todo.extend(children.get(pid, []))
    return tree


class MemorySampler(threading.Thread):
    """Peak RSS of a process tree, sampled every 100 ms."""

    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.peak_evcxr, self.stop = pid, 0, 0, threading.Event()
        self.at_peak = {}  # command name -> MB, at the moment of the peak (what the peak is made of)
        self.cell, self.peak_cell = None, None  # the code cell running now / at the peak
        self.cells_rss = {}  # code cell -> the cells process's largest RSS while it ran (MB)

    def run(self):
        while not self.stop.is_set():
            tree = process_tree(self.pid)
            total = sum(rss for _, rss in tree.values())
            cells_mb = sum(rss for pid, (c, rss) in tree.items() if c.startswith(KERNEL_PROCESSES) and pid != self.pid) / 1e6
            self.cells_rss[self.cell] = max(self.cells_rss.get(self.cell, 0), round(cells_mb))
            if total > self.peak:
                self.peak, self.at_peak, self.peak_cell = total, {}, self.cell
                for pid, (comm, rss) in tree.items():
                    # evcxr runs the cells in a child process of its own binary: name the two apart
                    name = comm + (" (kernel)" if pid == self.pid else " (cells)" if comm.startswith(KERNEL_PROCESSES) else "")
                    self.at_peak[name] = self.at_peak.get(name, 0) + round(rss / 1e6)
            self.peak_evcxr = max(self.peak_evcxr, sum(rss for c, rss in tree.values() if c.startswith(KERNEL_PROCESSES)))
            self.stop.wait(0.1)


def newest_library_ctime(folder):
    """ctime of the newest code_N shared object evcxr made (set when evcxr renames it into place)."""
    best = 0.0
    for d in folder:
        try:
            for e in os.scandir(d):
                if e.name.startswith("libcode_") or e.name.startswith("code_"):
                    if e.name.endswith((".so", ".dylib", ".dll")):
                        best = max(best, e.stat().st_ctime)
        except OSError:
            pass
    return best


def one_run(code_cells):
    s = start_session(stdout=sys.stderr)  # (the kernel prints a line at start: keep stdout for the figures)
    pid = s.km.provisioner.process.pid
    sampler = MemorySampler(pid)
    sampler.start()
    try:
        s.run("1")  # the kernel is up and its start-up cell (init.evcxr) has run
        libs = {p.parent for p in build_folder(pid).rglob("*code_*.so")}
        if not libs:
            raise SystemExit("bench notebook: evcxr made no code_*.so in its build folder: cannot split compile/run")
        cells = []
        t_all = time.perf_counter()
        for i, src in enumerate(code_cells):
            before = newest_library_ctime(libs)
            sampler.cell = i
            t0 = time.time()
            cell = s.run(src, timeout=900)
            t1 = t0 + cell.seconds
            lib = newest_library_ctime(libs)
            if lib > before:
                compile_s = min(lib - t0, t1 - t0)
            else:  # no new library: a cell that did not compile spent its time compiling (and retrying)
                compile_s = t1 - t0 if cell.status != "ok" else 0.0
            problem = cell.status != "ok" or "panicked at" in cell.stderr
            cells.append({"index": i, "total": t1 - t0, "compile": max(compile_s, 0.0), "problem": problem,
                          "stderr": cell.stderr})
        run_all = time.perf_counter() - t_all
    finally:
        sampler.stop.set()
        sampler.join()
        s.close()
    grown = sorted(((mb - sampler.cells_rss.get(i - 1, mb), i) for i, mb in sampler.cells_rss.items()
                    if isinstance(i, int) and i > 0), reverse=True)[:6]
    print("  cells process, largest growth: " + ", ".join(f"cell {i} +{d} MB" for d, i in grown), file=sys.stderr)
    print("  cells process MB by cell: " + " ".join(f"{i}:{mb}" for i, mb in sampler.cells_rss.items()
                                                   if isinstance(i, int)), file=sys.stderr)
    print(f"  peak at code cell {sampler.peak_cell}: " + ", ".join(
        f"{c} {mb} MB" for c, mb in sorted(sampler.at_peak.items(), key=lambda kv: -kv[1])), file=sys.stderr)
    return run_all, cells, sampler.peak, sampler.peak_evcxr


def main():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    sources = [c.source for c in code]
    runs = []
    for r in range(RUNS):
        run_all, cells, peak, peak_evcxr = one_run(sources)
        print(f"  run {r + 1}/{RUNS}: {run_all:.1f} s, peak {peak / 1e6:.0f} MB", file=sys.stderr, flush=True)
        for c in cells:
            tags = code[c["index"]].get("metadata", {}).get("tags", [])
            if (c["problem"] or c["stderr"].strip()) and "shows-error" not in tags:
                print(f"  warning: code cell {c['index']} failed, panicked or wrote to stderr: {c['stderr'][-400:]!r}",
                      file=sys.stderr)
        runs.append((run_all, cells, peak, peak_evcxr))
    emit(G, "run_all_s", statistics.median(r[0] for r in runs), "s",
         f"{len(code)} code cells, warm kernel (goal <= 60 s)")
    per_cell = []
    for i in range(len(code)):
        total = statistics.median(r[1][i]["total"] for r in runs)
        comp = statistics.median(r[1][i]["compile"] for r in runs)
        per_cell.append((total, comp, i))
    emit(G, "compile_total_s", statistics.median(sum(c["compile"] for c in r[1]) for r in runs), "s",
         "all cells: until the cell's library is built")
    emit(G, "run_total_s", statistics.median(sum(c["total"] - c["compile"] for c in r[1]) for r in runs), "s",
         "all cells: load, run, display")
    print("  every code cell, slowest first (median total / compile / run, s):", file=sys.stderr)
    for total, comp, i in sorted(per_cell, reverse=True):
        first = code[i].source.strip().splitlines()[0][:70] if code[i].source.strip() else ""
        print(f"    cell {i:2d}  {total:6.2f}  {comp:6.2f}  {max(total - comp, 0):6.2f}  {first}", file=sys.stderr)
    for total, comp, i in sorted(per_cell, reverse=True)[:5]:
        first = code[i].source.strip().splitlines()[0][:60] if code[i].source.strip() else ""
        emit(G, f"cell{i:02d}_s", total, "s", f"slow cell: {first}")
        emit(G, f"cell{i:02d}_compile_s", comp, "s")
        emit(G, f"cell{i:02d}_run_s", max(total - comp, 0.0), "s")
    emit(G, "peak_rss_mb", max(r[2] for r in runs) / 1e6, "MB", "kernel + children incl. rustc (goal <= 1500 MB)")
    emit(G, "peak_rss_evcxr_mb", max(r[3] for r in runs) / 1e6, "MB", "the kernel and its cells process only (what stays resident)")


if __name__ == "__main__":
    main()
