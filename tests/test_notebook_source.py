"""The committed notebooks are what scripts/build_notebook.py makes of their section sources."""

import subprocess
import sys

from conftest import ROOT


def test_notebooks_match_their_sources():
    r = subprocess.run([sys.executable, str(ROOT / "scripts" / "build_notebook.py"), "--check"],
                       capture_output=True, text=True)
    assert r.returncode == 0, r.stderr


def test_builder_rejects_a_bad_marker(tmp_path):
    sys.path.insert(0, str(ROOT / "scripts"))
    import build_notebook

    bad = tmp_path / "00-bad.txt"
    bad.write_text("%% markdown\n# ok\n%% cod\nlet x = 1;\n")
    try:
        build_notebook.parse(bad)
    except SystemExit as e:
        assert "expected '%% markdown'" in str(e)
    else:
        raise AssertionError("a bad marker was accepted")
