"""Every notebook in notebooks/ runs top to bottom in the nnlab kernel, without errors or panics.

evcxr reports a panicking cell, and a cell whose `?` returned an error, as a success (the message goes
to stderr), so besides nbclient's own check on error replies this test fails on `panicked at` anywhere
and on any stderr output, except in cells tagged `shows-error` (cells that demonstrate an error message
on purpose), which must print one.

Executed copies go to target/notebooks/ (.ipynb and .html) for inspection.
"""

import pathlib

import nbformat
import pytest
from conftest import ROOT, START_TIMEOUT
from nbclient import NotebookClient
from nbconvert import HTMLExporter

NOTEBOOKS = sorted((ROOT / "notebooks").glob("*.ipynb"))
OUT = ROOT / "target" / "notebooks"


def cell_problems(index, cell):
    tags = cell.get("metadata", {}).get("tags", [])
    texts, stderr = [], ""
    for out in cell.get("outputs", []):
        if out.output_type == "stream":
            texts.append(out.text)
            if out.name == "stderr":
                stderr += out.text
        elif out.output_type == "error":
            texts.append("\n".join(out.get("traceback", [])) or out.get("evalue", "error"))
        elif out.output_type in ("execute_result", "display_data"):
            texts.append(str(out.get("data", {}).get("text/plain", "")))
    joined = "\n".join(texts)
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


@pytest.mark.parametrize("path", NOTEBOOKS, ids=[p.name for p in NOTEBOOKS])
def test_notebook_runs_clean(path: pathlib.Path):
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(
        nb, kernel_name="nnlab", timeout=900, startup_timeout=START_TIMEOUT,
        resources={"metadata": {"path": str(path.parent)}},
    )
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        client.execute()
    finally:
        nbformat.write(nb, OUT / path.name)
        html, _ = HTMLExporter().from_notebook_node(nb)
        (OUT / path.with_suffix(".html").name).write_text(html)
    problems = [p for i, c in enumerate(nb.cells) if c.cell_type == "code" for p in cell_problems(i, c)]
    assert not problems, "\n\n".join(problems)
    code_cells = [c for c in nb.cells if c.cell_type == "code"]
    assert code_cells, f"{path.name} has no code cell"


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
