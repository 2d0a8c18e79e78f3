"""Build notebooks/NAME.ipynb from its section sources notebooks/NAME/*.txt (in file-name order).

The sources are plain text, easy to review and to edit by several people at once; the .ipynb is generated
and committed (without outputs) so that JupyterLab opens it directly. A section file is a list of cells,
each started by a marker line:

    %% markdown
    # A heading and some prose
    %% code
    let x = 1 + 1;
    %% code tags=shows-error
    nnlab::activations::get("reul")?;

`tags=a,b` sets the cell's tags (`shows-error`: the cell prints an error on purpose). Text before the
first marker is a comment and is ignored.

Usage: python scripts/build_notebook.py [--check] [NAME ...]   (default: every notebooks/*/ folder)
  --check  exit 1 if a generated notebook differs from the committed one (the test suite runs this)
"""

import json
import pathlib
import sys

ROOT = pathlib.Path(__file__).resolve().parent.parent
NOTEBOOKS = ROOT / "notebooks"
METADATA = {
    "kernelspec": {"display_name": "Rust (nnlab)", "language": "rust", "name": "nnlab"},
    "language_info": {
        "codemirror_mode": "rust", "file_extension": ".rs", "mimetype": "text/rust", "name": "Rust",
        "pygment_lexer": "rust",
    },
}


def parse(path):
    """The cells of one section file, as nbformat dicts."""
    cells, kind, tags, lines = [], None, [], []

    def flush():
        if kind is None:
            return
        while lines and not lines[-1].strip():
            lines.pop()
        while lines and not lines[0].strip():
            lines.pop(0)
        if not lines:
            raise SystemExit(f"{path}: an empty {kind} cell")
        source = "\n".join(lines)
        cell = {"cell_type": kind, "metadata": {"tags": tags} if tags else {}, "source": source}
        if kind == "code":
            cell.update(execution_count=None, outputs=[])
        cells.append(cell)

    for n, line in enumerate(path.read_text().splitlines(), 1):
        if line.startswith("%% "):
            flush()
            words = line[3:].split()
            kind = words[0]
            if kind not in ("markdown", "code"):
                raise SystemExit(f"{path}:{n}: expected '%% markdown' or '%% code ...', got {line!r}")
            tags, lines = [], []
            for w in words[1:]:
                if not w.startswith("tags="):
                    raise SystemExit(f"{path}:{n}: unknown cell option {w!r} (only tags=a,b)")
                tags = [t for t in w[5:].split(",") if t]
        elif kind is not None:
            lines.append(line)
    flush()
    return cells


def build(name):
    folder = NOTEBOOKS / name
    sections = sorted(folder.glob("*.txt"))
    if not sections:
        raise SystemExit(f"{folder}: no section files (*.txt)")
    cells = [c for s in sections for c in parse(s)]
    for i, c in enumerate(cells):
        c["id"] = f"{name}-{i:03d}"
    nb = {"cells": cells, "metadata": METADATA, "nbformat": 4, "nbformat_minor": 5}
    return json.dumps(nb, indent=1, ensure_ascii=False) + "\n"


def main(argv):
    check = "--check" in argv
    names = [a for a in argv if not a.startswith("--")] or sorted(
        p.name for p in NOTEBOOKS.iterdir() if p.is_dir() and any(p.glob("*.txt")))
    stale = []
    for name in names:
        text = build(name)
        target = NOTEBOOKS / f"{name}.ipynb"
        if check:
            if not target.exists() or target.read_text() != text:
                stale.append(str(target.relative_to(ROOT)))
        else:
            target.write_text(text)
            print(f"wrote {target.relative_to(ROOT)}")
    if stale:
        print("out of date (run python scripts/build_notebook.py): " + ", ".join(stale), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
