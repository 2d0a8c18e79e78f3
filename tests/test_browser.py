"""The notebook the way students use it: JupyterLab in a real browser (Debian's Chromium, headless).

A JupyterLab server from .venv runs on 127.0.0.1 (random free port, a token) over a temporary copy of
notebooks/ (the checkout's notebooks are never modified). tests/browser/run_notebook.mjs (playwright-core
driving /usr/bin/chromium) opens a notebook, waits for the kernel, clicks Run > Run All Cells, waits until
every code cell has an execution count, and reports what the page shows. The checks: the kernel shown is
"Rust (nnlab)", no cell shows an error output or a panic, no cell shows stderr except those tagged
`shows-error`, the plots are there (<img> in outputs), and every animation player moves when "play" is
clicked. A tiny notebook `player-check.ipynb`, written by the test into the temporary folder, makes sure at
least one player is tested even before the lecture has animations.

Screenshots: target/screenshots/{lecture4,convnet,player-check}-{opened,full-partNN,player0-before,player0-after}.png
(the whole notebook, one screen at a time, every cell rendered: windowingMode "none").

Needs `scripts/setup --browser` (chromium from apt-get as root, playwright-core with npm ci); without
them the test fails with a message that says what is missing.
"""

import json
import os
import pathlib
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

import nbformat
import pytest
from conftest import ROOT

CHROMIUM = pathlib.Path("/usr/bin/chromium")
DRIVER = ROOT / "tests" / "browser" / "run_notebook.mjs"
PLAYWRIGHT = ROOT / "tests" / "browser" / "node_modules" / "playwright-core"
SHOTS = ROOT / "target" / "screenshots"
RUN_ALL_TIMEOUT = 1200

# Two cells, the way a student writes them; the second is the session's first `?` in a cell's last
# expression (evcxr 0.22 shows that value with Debug instead of its rich display unless `?` was already
# enabled: kernel/prelude.rs does that at start).
PLAYER_CHECK = ["""\
let frames: Vec<Array2<f64>> = (0..12)
    .map(|k| Array2::from_shape_fn((8, 8), |(i, j)| ((i + j + k) % 8) as f64))
    .collect();""", """\
Animation::new(&frames)?.labels(|i| format!("frame {}", i + 1)).fps(5.0).size(3.2, 2.4)"""]


# A model trained for a few seconds with its progress bar, then a failing cell: Run All must stop there.
KERNEL_CHECK = ["""\
let px = Array2::<f32>::from_shape_fn((20000, 784), |(i, j)| ((i * 7 + j) % 13) as f32 / 13.0);
let py = Array2::<f32>::from_shape_fn((20000, 10), |(i, j)| (i % 10 == j) as u8 as f32);
let mut pm = Sequential::new(vec![Dense::new(256).activation("relu").input_shape(&[784]).into(),
                                  Dense::new(10).activation("softmax").into()]);
pm.compile("adam", "categorical_crossentropy", &["accuracy"])?;""",
                "pm.fit(&px, &py, Fit::default().epochs(3).batch_size(32))?;",
                "let wrong = pm.predict(&Array2::<f32>::zeros((2, 5)))?;",
                'println!("this cell must not run");']


def missing_prerequisites():
    missing = []
    if not CHROMIUM.exists():
        missing.append(f"{CHROMIUM} (Debian's chromium: run scripts/setup --browser as root, "
                       "or apt-get install chromium chromium-driver)")
    if shutil.which("node") is None:
        missing.append("node (Debian: apt-get install nodejs npm)")
    if not PLAYWRIGHT.is_dir():
        missing.append(f"{PLAYWRIGHT.relative_to(ROOT)} (run scripts/setup --browser: npm ci in tests/browser)")
    return missing


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Lab:
    def __init__(self, base, token, root_dir, process, log):
        self.base, self.token, self.root_dir, self.process, self.log = base, token, root_dir, process, log

    def api(self, path, method="GET"):
        req = urllib.request.Request(f"{self.base}{path}", method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=30) as r:
            body = r.read()
        return json.loads(body) if body else None

    def shutdown_kernels(self):
        for s in self.api("/api/sessions"):
            self.api(f"/api/sessions/{s['id']}", method="DELETE")

    def server_log(self):
        return self.log.read_text(errors="replace")[-4000:]


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    missing = missing_prerequisites()
    if missing:
        pytest.fail("the browser test cannot run; missing:\n  " + "\n  ".join(missing))
    tmp = tmp_path_factory.mktemp("browser")
    root_dir = tmp / "notebooks"
    shutil.copytree(ROOT / "notebooks", root_dir)
    nb = nbformat.v4.new_notebook(metadata=nbformat.read(ROOT / "notebooks" / "lecture4.ipynb", 4).metadata)
    nb.cells = [nbformat.v4.new_markdown_cell("One animation, to check the player in the browser."),
                *map(nbformat.v4.new_code_cell, PLAYER_CHECK)]
    nbformat.write(nb, root_dir / "player-check.ipynb")
    nb.cells = [nbformat.v4.new_code_cell(c) for c in KERNEL_CHECK]
    nbformat.write(nb, root_dir / "kernel-check.ipynb")
    for d in ("settings", "workspaces", "runtime", "config"):
        (tmp / d).mkdir()
    # No "official Jupyter news?" toast over the screenshots, and no request to the internet for it.
    notify = tmp / "settings" / "@jupyterlab" / "apputils-extension"
    notify.mkdir(parents=True)
    (notify / "notification.jupyterlab-settings").write_text(json.dumps({"fetchNews": "false", "checkForUpdates": False}))
    # Every cell rendered, not only those in view (JupyterLab's default "windowing" leaves cells out of view
    # empty, and the screenshots below scroll through the whole notebook).
    tracker = tmp / "settings" / "@jupyterlab" / "notebook-extension"
    tracker.mkdir(parents=True)
    (tracker / "tracker.jupyterlab-settings").write_text(json.dumps({"windowingMode": "none"}))
    env = dict(os.environ,
               JUPYTERLAB_SETTINGS_DIR=str(tmp / "settings"), JUPYTERLAB_WORKSPACES_DIR=str(tmp / "workspaces"),
               JUPYTER_RUNTIME_DIR=str(tmp / "runtime"), JUPYTER_CONFIG_DIR=str(tmp / "config"),
               PATH=f"{ROOT / '.venv' / 'bin'}:{os.environ.get('PATH', '')}")
    port, token = free_port(), secrets.token_hex(16)
    argv = [str(ROOT / ".venv" / "bin" / "jupyter-lab"), "--no-browser", "--ip=127.0.0.1", f"--port={port}",
            "--port-retries=0", f"--ServerApp.token={token}", f"--ServerApp.root_dir={root_dir}",
            "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    if os.geteuid() == 0:
        argv.append("--allow-root")
    log = tmp / "jupyterlab.log"
    with open(log, "wb") as out:
        process = subprocess.Popen(argv, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=root_dir)
    server = Lab(f"http://127.0.0.1:{port}", token, root_dir, process, log)
    try:
        deadline = time.time() + 120
        while True:
            if process.poll() is not None:
                pytest.fail(f"JupyterLab exited with {process.returncode}:\n{server.server_log()}")
            try:
                server.api("/api/status")
                break
            except (urllib.error.URLError, ConnectionError, OSError):
                if time.time() > deadline:
                    pytest.fail(f"JupyterLab did not answer on port {port} within 120 s:\n{server.server_log()}")
                time.sleep(0.5)
        yield server
    finally:
        process.terminate()
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            process.kill()


def run_in_browser(lab, notebook, name, *options):
    """Run run_notebook.mjs on `notebook` (a file in the server's root) and return its report."""
    SHOTS.mkdir(parents=True, exist_ok=True)
    for old in SHOTS.glob(f"{name}-*.png"):
        old.unlink()
    report_file = SHOTS / f"{name}-report.json"
    report_file.unlink(missing_ok=True)
    cmd = ["node", str(DRIVER), "--base", lab.base, "--token", lab.token, "--notebook", notebook,
           "--shots", str(SHOTS), "--name", name, "--timeout", str(RUN_ALL_TIMEOUT), "--report", str(report_file), *options]
    try:
        done = subprocess.run(cmd, cwd=DRIVER.parent, capture_output=True, text=True, timeout=RUN_ALL_TIMEOUT + 900)
    finally:
        lab.shutdown_kernels()
    sys.stderr.write(done.stderr)
    assert report_file.exists(), f"run_notebook.mjs wrote no report (exit {done.returncode}):\n{done.stderr[-4000:]}"
    report = json.loads(report_file.read_text())
    assert "failure" not in report, (
        f"in the browser: {report['failure']}\n(screenshot {SHOTS / (name + '-failure.png')})\n"
        f"JupyterLab log:\n{lab.server_log()}")
    return report


def check_cells(notebook_path, report):
    """Problems the page shows: error outputs, panics, stderr outside `shows-error` cells, cells not run."""
    nb = nbformat.read(notebook_path, as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    cells = report["cells"]
    assert len(cells) == len(code), f"the page shows {len(cells)} code cells, the notebook has {len(code)}"
    problems = []
    for i, (src, shown) in enumerate(zip(code, cells)):
        first = src.source.splitlines()[0] if src.source else ""
        where = f"code cell {i} ({first!r})"
        tags = src.get("metadata", {}).get("tags", [])
        if not shown["prompt"].strip("[]:").isdigit():
            problems.append(f"{where} has prompt {shown['prompt']!r}, not an execution count")
        if shown["errors"]:
            problems.append(f"{where} shows an error:\n" + "\n".join(shown["errors"]))
        if "panicked at" in shown["text"]:
            problems.append(f"{where} shows a panic:\n{shown['text'][-2000:]}")
        if "shows-error" in tags:
            if not shown["stderr"]:
                problems.append(f"{where} is tagged shows-error but shows no error message")
        elif shown["stderr"]:
            problems.append(f"{where} shows stderr:\n" + "\n".join(shown["stderr"]))
    return problems


def check_players(report):
    problems = []
    for p in report["players"]:
        b, m, q, s = p["before"], p["playing"], p["paused"], p["stepped"]
        if not b["imgLoaded"]:
            problems.append(f"player {p['id']}: its first frame did not load")
        if not (b["label"] or "").endswith(f"(1/{b['sliderMax'] + 1})"):
            problems.append(f"player {p['id']}: its script did not run (label {b['label']!r})")
        if m["slider"] == b["slider"] or m["src"] == b["src"]:
            problems.append(f"player {p['id']}: clicking play did not move it (before {b}, after {m})")
        if q["playButton"] != b["playButton"]:
            problems.append(f"player {p['id']}: clicking play again did not pause it ({q['playButton']!r})")
        if s["slider"] != (q["slider"] + 1) % (b["sliderMax"] + 1):
            problems.append(f"player {p['id']}: 'next' did not step one frame ({q['slider']} -> {s['slider']})")
    return problems


def test_player_moves_in_browser(lab):
    report = run_in_browser(lab, "player-check.ipynb", "player-check")
    assert report["kernelName"] == "Rust (nnlab)", report["kernelName"]
    problems = check_cells(lab.root_dir / "player-check.ipynb", report) + check_players(report)
    shown = report["cells"][-1]["text"][:300]
    assert len(report["players"]) == 1, (
        f"expected one animation player, found {len(report['players'])}; the cell shows {shown!r}"
        + (" (its Debug text: evcxr fell back from evcxr_display; see PLAYER_CHECK)" if "Animation {" in shown else ""))
    assert not problems, "\n\n".join(problems)


def test_progress_bar_moves_and_run_all_stops_at_an_error_in_browser(lab):
    report = run_in_browser(lab, "kernel-check.ipynb", "kernel-check", "--stop-at-error", "1")
    cells = report["cells"]
    bars = {x["text"] for x in report["samples"] if x["cell"] == 1 and "ETA" in x["text"]}
    assert len(bars) >= 3, f"the progress bar of fit did not move while it ran: {sorted(bars)[:5]}"
    assert any("ShapeError" in e for e in cells[2]["errors"] + cells[2]["stderr"]), cells[2]
    assert "must not run" not in cells[3]["text"] and not cells[3]["prompt"].strip("[]: ").isdigit(), (
        f"Run All went on past the failing cell: {cells[3]}")
    done = cells[1]["text"]
    assert done.count("[==============================]") == 3, f"each epoch must end as one full bar: {done!r}"


def test_lecture4_runs_all_in_browser(lab):
    report = run_in_browser(lab, "lecture4.ipynb", "lecture4")
    sys.stderr.write(f"lecture4.ipynb: Run All took {report['runAllSeconds']:.1f} s in the browser, "
                     f"{report['images']} images, {len(report['players'])} players\n")
    assert report["kernelName"] == "Rust (nnlab)", f"kernel shown: {report['kernelName']!r}"
    assert "Rust (nnlab)" in report["statusBar"], f"status bar: {report['statusBar']!r}"
    problems = check_cells(lab.root_dir / "lecture4.ipynb", report) + check_players(report)
    assert report["images"] > 0, "no <img> in any output: the plots are missing"
    assert not problems, "\n\n".join(problems)


def test_checks_can_fail():
    """The report checks above catch an error, stray stderr, a missing count and a still player."""
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell("a"), nbformat.v4.new_code_cell("b", metadata={"tags": ["shows-error"]})]
    path = SHOTS.parent / "browser-check-selftest.ipynb"
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    ok = {"prompt": "[1]:", "stderr": [], "errors": [], "text": "", "images": 0, "players": []}
    assert check_cells(path, {"cells": [ok, dict(ok, stderr=["expected"])]}) == []
    assert check_cells(path, {"cells": [dict(ok, stderr=["oops"]), dict(ok, stderr=["x"])]})
    assert check_cells(path, {"cells": [dict(ok, prompt="[*]:"), dict(ok, stderr=["x"])]})
    assert check_cells(path, {"cells": [dict(ok, errors=["E0425"]), dict(ok, stderr=["x"])]})
    assert check_cells(path, {"cells": [ok, ok]})  # shows-error cell without an error
    state = {"slider": 0, "sliderMax": 3, "label": "f (1/4)", "src": "A", "imgLoaded": True, "playButton": "▶"}
    still = {"id": "p", "before": state, "playing": state, "paused": state, "stepped": dict(state, slider=1)}
    assert check_players({"players": [still]})
    playing = dict(state, slider=2, src="B", playButton="▮▮")
    moved = dict(still, playing=playing, paused=dict(state, slider=3), stepped=dict(state, slider=0))
    assert check_players({"players": [moved]}) == []
    assert check_players({"players": [dict(moved, stepped=dict(state, slider=1))]})  # two frames, not one
    assert check_players({"players": [dict(moved, paused=dict(playing, slider=3))]})  # still playing
    path.unlink()


def test_convnet_runs_all_in_browser(lab):
    """The second notebook (keras.io's convnet), like the lecture: Run All, no errors, its plots shown."""
    report = run_in_browser(lab, "convnet.ipynb", "convnet")
    sys.stderr.write(f"convnet.ipynb: Run All took {report['runAllSeconds']:.1f} s in the browser, "
                     f"{report['images']} images\n")
    assert report["kernelName"] == "Rust (nnlab)", f"kernel shown: {report['kernelName']!r}"
    problems = check_cells(lab.root_dir / "convnet.ipynb", report)
    assert report["images"] >= 5, f"{report['images']} images: the notebook draws 5 figures"
    assert "34,826" in "\n".join(c["text"] for c in report["cells"]), "the summary's total is missing"
    assert not problems, "\n\n".join(problems)
