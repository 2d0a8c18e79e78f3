"""The lecture's from-scratch functions are cells of the notebook that a student can edit: the cells are taken
from notebooks/lecture4.ipynb as they stand, run in a kernel, and one of them is changed the way a student would.
"""

import re

import nbformat
import pytest
from conftest import ROOT, start_session

NOTEBOOK = ROOT / "notebooks" / "lecture4.ipynb"


def cell_defining(name):
    """The source of the notebook's code cell that defines `fn name(`."""
    nb = nbformat.read(NOTEBOOK, as_version=4)
    found = [c.source for c in nb.cells if c.cell_type == "code" and re.search(rf"^fn {name}\(", c.source, re.M)]
    assert len(found) == 1, f"{len(found)} cells of {NOTEBOOK.name} define fn {name}"
    return found[0]


def counts(cell):
    """The correct classifications that the lecture's `train` printed, epoch by epoch."""
    return [int(v) for v in re.findall(r"--> correct classifications: \((\d+) / \d+\)", cell.stdout)]


@pytest.fixture(scope="module")
def lecture():
    """A kernel with the notebook's from-scratch functions, a network and 4,000 training images."""
    s = start_session()
    try:
        for name in ["sigmoid", "backprop", "net_output", "prepare_data", "train"]:
            cell = s.run(cell_defining(name))
            assert cell.status == "ok", (name, cell)
        setup = s.run(
            "let rnd = RandomState::new(121);\n"
            "let biases = scratch::set_biases(&[28, 28, 10], &mut rnd.clone());\n"
            "let weights = scratch::set_weights(&scratch::prepare_weight_matrix_dim(&[784, 28, 28, 10])?, &mut rnd.clone());\n"
            "let ((images, labels), (test_images, test_labels)) = mnist::load_data()?;\n"
            "let (training_data, test_data) = prepare_data(&images.slice(s![..4000, .., ..]).to_owned(), "
            "&labels.slice(s![..4000]).to_owned(), &test_images, &test_labels)?;\n"
            "training_data.len()"
        )
        assert setup.status == "ok" and setup.data.get("text/plain") == "4000", setup
        yield s
    finally:
        s.close()


TRAIN = (":opt 2\n"
         "let (scores, _, _, _) = train(&training_data, 2, 64, 0.6, &test_data, "
         "&mut weights.clone(), &mut biases.clone(), &mut rnd.clone())?;\n"
         "scores")


def test_the_notebooks_train_gets_the_librarys_counts(lecture):
    ours = lecture.run(TRAIN)
    assert ours.status == "ok", ours
    library = lecture.run(
        ":opt 0\nlet opts = scratch::TrainOptions::default().epochs(2).batch_size(64).eta(0.6).verbose(false);\n"
        "scratch::train(&training_data, &test_data, &mut weights.clone(), &mut biases.clone(), &mut rnd.clone(), "
        "opts)?.evaluation"
    )
    assert library.status == "ok", library
    assert len(counts(ours)) == 2, ours
    assert str(counts(ours)).replace(" ", "") in library.data["text/plain"].replace(" ", ""), (ours, library)


def test_a_student_who_edits_backprop_sees_the_effect(lecture):
    before = counts(lecture.run(TRAIN))
    source = cell_defining("backprop")
    quadratic = "quadcost_derivative(&a[last + 1], y, &zs[last])"
    assert quadratic in source, "the backprop cell no longer starts from quadcost_derivative"
    # The cross-entropy cost's output error: δᴸ = aᴸ − y (the σ'(zᴸ) factor cancels).
    edited = lecture.run(source.replace(quadratic, "&a[last + 1] - y"))
    assert edited.status == "ok", edited
    after = counts(lecture.run(TRAIN))
    assert len(before) == len(after) == 2 and before != after, (before, after)
    # A typo in the edit is a compile error of that cell that names what is missing; the variables stay.
    typo = lecture.run(source.replace("sigmoid_deriv(&zs[l])", "sigmoid_derivative(&zs[l])"))
    assert typo.status == "error" and typo.ename == "CompileError", typo
    assert "sigmoid_deriv" in typo.stderr + (typo.evalue or ""), typo
    assert lecture.run("training_data.len()").data.get("text/plain") == "4000"
