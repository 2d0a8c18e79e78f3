"""scripts/bench classroom: N students on the classroom's JupyterHub run the whole lecture at the same time.

For each N in STUDENTS (default "1 4 8"; the 1 is the comparison: one student alone, in the same run), a fresh
hub (classroom/jupyterhub_config.py, with its proxy) on 127.0.0.1; N students get their servers (started
together through the hub's REST API), then each opens an nnlab kernel through the proxy and runs every code
cell of notebooks/lecture4.ipynb in order (as Run All does), all N at once. Figures per N:

- n{N}_server_ready_s: from asking for the N servers until the last is ready;
- n{N}_first_result_s (median, and _worst): from the start of Run All to the first cell's reply (this
  includes starting the kernel: it answers once nnlab is loaded);
- n{N}_run_all_s (median, and _worst): from the start of Run All to the last cell's reply;
- n{N}_failures: cells that did not reply "ok" (must be 0);
- n{N}_peak_total_mb: the highest sum of RSS over the hub, the proxy and every student's processes (servers,
  kernels, the compiler), sampled every 0.5 s; n{N}_peak_per_student_mb: the highest RSS of one student's
  processes (their server and everything under it);
- n{N}_core_s_per_student: run_all_s (median) × cores / N, the processor time a student's Run All takes:
  to give S students a Run All of T seconds at once, a server needs about S × this / T cores.
"""

import asyncio
import os
import pathlib
import statistics
import sys
import tempfile
import threading
import time

import nbformat

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent / "tests"))
sys.path.insert(0, str(HERE))
from common import emit  # noqa: E402
from hub import ROOT, ask_for_server, run_cells, running_hub, wait_for_server  # noqa: E402
from notebook import process_tree  # noqa: E402

G = "classroom"
COUNTS = [int(n) for n in os.environ.get("STUDENTS", "1 4 8").split()]
PASSWORD = "classroom-bench"


def student_of(pid):
    """The JupyterHub user a process serves (JUPYTERHUB_USER in its environment), or None."""
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            for item in f.read().split(b"\0"):
                if item.startswith(b"JUPYTERHUB_USER="):
                    return item.split(b"=", 1)[1].decode()
    except OSError:
        pass
    return None


class Sampler(threading.Thread):
    """Peak RSS of the hub's process tree, in all and per student, every 0.5 s."""

    def __init__(self, hub_pid):
        super().__init__(daemon=True)
        self.hub_pid, self.peak, self.per_student, self.stop = hub_pid, 0, {}, threading.Event()
        self.owner = {}  # pid of a student's server -> student

    def run(self):
        while not self.stop.is_set():
            tree = process_tree(self.hub_pid)
            self.peak = max(self.peak, sum(rss for _, rss in tree.values()))
            for pid in tree:
                if pid not in self.owner:
                    name = student_of(pid)
                    if name:
                        self.owner[pid] = name
            for server, name in list(self.owner.items()):
                if server in tree:
                    mb = sum(rss for _, rss in process_tree(server).values())
                    self.per_student[name] = max(self.per_student.get(name, 0), mb)
            self.stop.wait(0.5)


def one_class(n, cells):
    names = [f"student{i + 1}" for i in range(n)]
    with tempfile.TemporaryDirectory(prefix="nnlab-classroom-") as tmp, running_hub(pathlib.Path(tmp), PASSWORD) as hub:
        sampler = Sampler(hub["pid"])
        sampler.start()
        t0 = time.time()
        for name in names:  # ask for every server first, then wait for them (the hub starts them together)
            ask_for_server(hub, name)
        for name in names:
            wait_for_server(hub, name)
        ready = time.time() - t0

        async def everyone():
            return await asyncio.gather(*(run_cells(hub, name, cells) for name in names))

        results = asyncio.run(everyone())
        sampler.stop.set()
        sampler.join()
    first = [r[0][2] for r in results]
    total = [r[-1][2] for r in results]
    failures = sum(1 for r in results for status, _, _ in r if status != "ok")
    per_student = max(sampler.per_student.values(), default=0)
    return ready, first, total, failures, sampler.peak, per_student


def main():
    nb = nbformat.read(ROOT / "notebooks" / "lecture4.ipynb", as_version=4)
    cells = [c.source for c in nb.cells if c.cell_type == "code"]
    cores = os.cpu_count() or 1
    alone = None
    for n in COUNTS:
        print(f"  {n} student(s): {len(cells)} cells each, all at once", file=sys.stderr)
        ready, first, total, failures, peak, per_student = one_class(n, cells)
        run_all = statistics.median(total)
        alone = run_all if n == 1 else alone
        emit(G, f"n{n}_server_ready_s", ready, "s", f"{n} servers asked for at once")
        emit(G, f"n{n}_first_result_s", statistics.median(first), "s", "median: Run All start to the first reply")
        emit(G, f"n{n}_first_result_worst_s", max(first), "s")
        note = f"{run_all / alone:.2f}x one student alone" if alone and n != 1 else ""
        emit(G, f"n{n}_run_all_s", run_all, "s", "median, " + note if note else "median")
        emit(G, f"n{n}_run_all_worst_s", max(total), "s")
        emit(G, f"n{n}_failures", failures, "cells", "must be 0")
        emit(G, f"n{n}_peak_total_mb", peak / 1e6, "MB", "hub, proxy and every student's processes")
        emit(G, f"n{n}_peak_per_student_mb", per_student / 1e6, "MB", "one student's server and all under it")
        emit(G, f"n{n}_core_s_per_student", run_all * min(cores, n) / n if n else 0, "core-s",
             f"{cores} cores: S students in T s need about S x this / T cores")


if __name__ == "__main__":
    main()
