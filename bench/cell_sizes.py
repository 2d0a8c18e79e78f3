"""Lines and characters of the lecture notebook's heaviest code cells, against the Python lecture's.

    python3 bench/cell_sizes.py [--before REV]

Each row names a cell of notebooks/lecture4.ipynb by a piece of text it contains (the n-th cell containing
it), and the Python lecture's counterpart (../shared/reference/lecture4-backpropagation.txt) by a piece of
text of its ```python block, or none where the lecture has no such code. With --before REV, the notebook as
committed at REV is measured too. Prints a Markdown table (lines / characters, blank lines not counted).
"""

import argparse
import json
import pathlib
import re
import subprocess

ROOT = pathlib.Path(__file__).resolve().parent.parent
REFERENCE = ROOT.parent / "shared" / "reference" / "lecture4-backpropagation.txt"

# (what, marker in the Rust cell, n-th such cell, marker in the Python block or None)
CELLS = [
    ("the data, inspected", "training pictures per digit", 0, None),
    ("the scratch data: `prepare_data`", "fn prepare_data", 0, "def prepare_data"),
    ("the scratch data, loaded", "let (training_data, test_data)", 0, None),
    ("the Keras model", 'Dense::new(784).activation("swish")', 0, "Dense(784"),
    ("the Keras data", "to_categorical(&test_labels", 0, "train_images.reshape"),
    ("the Keras curves", 'history["loss"]', 0, "plt.plot(loss)"),
    ("optimizer comparison", "for opt in [", 0, None),
    ("loss comparison", "for loss in [", 0, None),
    ("L2 comparison", "fn softmax_model", 0, None),
    ("the Functional data", "to_categorical(&test_labels", 1, "train_images.reshape"),
    ("`CustomDense`", "struct CustomDense", 0, "class CustomDense"),
    ("the GradientTape data", "to_categorical(&test_labels", 2, "train_images.reshape"),
]


def size(text):
    lines = [line for line in text.splitlines() if line.strip()]
    return len(lines), sum(len(line) for line in lines)


def code_cells(notebook_json):
    nb = json.loads(notebook_json)
    return ["".join(c["source"]) for c in nb["cells"] if c["cell_type"] == "code"]


def rust_cell(cells, marker, nth):
    found = [c for c in cells if marker in c]
    return found[nth] if len(found) > nth else None


def python_block(marker):
    if marker is None:
        return None
    blocks = re.findall(r"```python\n(.*?)```", REFERENCE.read_text(), re.S)
    found = [b for b in blocks if marker in b]
    if not found:
        return None
    block = found[0]
    if marker.startswith("class "):  # the class alone, without the imports and the model around it
        start = block.index(marker)
        end = block.find("\n#", start)
        block = block[start : end if end > 0 else None]
    return block


def fmt(text):
    return "—" if text is None else "%d / %d" % size(text)


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--before", help="a git revision whose notebook to measure too")
    args = ap.parse_args()
    now = code_cells((ROOT / "notebooks" / "lecture4.ipynb").read_text())
    before = None
    if args.before:
        old = subprocess.run(["git", "show", f"{args.before}:notebooks/lecture4.ipynb"], cwd=ROOT,
                             check=True, capture_output=True, text=True).stdout
        before = code_cells(old)
    head = "| cell | Python lecture |" + (" before |" if before else "") + " now |"
    print(head)
    print("|---" * (head.count("|") - 1) + "|")
    for what, marker, nth, py in CELLS:
        row = f"| {what} | {fmt(python_block(py))} |"
        if before is not None:
            row += f" {fmt(rust_cell(before, marker, nth))} |"
        row += f" {fmt(rust_cell(now, marker, nth))} |"
        print(row)


if __name__ == "__main__":
    main()
