"""The tutorial notebook runs as Jupyter runs it: a real kernel, started in the notebook's own
folder, executes its cells top to bottom; what it displays shows the article's figures."""

import json
import os
import sys

import pytest

from .conftest import EXAMPLES, ROOT

nbformat = pytest.importorskip("nbformat")
nbclient = pytest.importorskip("nbclient")
pytest.importorskip("ipykernel")

NOTEBOOK = EXAMPLES / "tutorial.ipynb"


def _kernelspec(folder):
    """A `python3` kernelspec that runs this interpreter (the venv's, with orgmodel installed),
    whatever other `python3` kernels the machine has: JUPYTER_PATH comes first in the search."""
    spec = folder / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    kernel = {"argv": argv, "display_name": "Python 3", "language": "python"}
    (spec / "kernel.json").write_text(json.dumps(kernel), encoding="utf-8")


def _texts(cell) -> str:
    """Everything a cell shows: printed text, and each displayed value's richest form."""
    out = []
    for o in cell.get("outputs", []):
        if o["output_type"] == "stream":
            out.append(o["text"])
        elif o["output_type"] in ("execute_result", "display_data"):
            data = o["data"]
            for mime in ("text/html", "image/svg+xml", "text/plain"):
                if mime in data:
                    out.append(data[mime])
                    break
    return "\n".join(out)


@pytest.fixture(scope="module")
def executed(tmp_path_factory):
    home = tmp_path_factory.mktemp("jupyter")
    _kernelspec(home)
    mp = pytest.MonkeyPatch()
    mp.setenv("JUPYTER_PATH", str(home))
    mp.setenv("JUPYTER_RUNTIME_DIR", str(home / "runtime"))
    mp.setenv("IPYTHONDIR", str(home / "ipython"))
    mp.setenv("LC_ALL", "C.UTF-8")  # the notebook's English is the default, not the locale's
    # the kernel imports the orgmodel under test (this checkout), as pytest does
    mp.setenv(
        "PYTHONPATH", os.pathsep.join(filter(None, [str(ROOT), os.environ.get("PYTHONPATH")]))
    )
    nb = nbformat.read(NOTEBOOK, as_version=4)
    # one more cell, not saved: which interpreter and folder the kernel runs in
    nb.cells.append(
        nbformat.v4.new_code_cell(
            "import os, sys\nprint(sys.executable)\nprint(os.getcwd())\nprint(orgmodel.__file__)"
        )
    )
    client = nbclient.NotebookClient(
        nb,
        kernel_name="python3",
        timeout=300,
        startup_timeout=120,
        allow_errors=True,  # a failing cell is reported below, by cell, not as a timeout
        resources={"metadata": {"path": str(NOTEBOOK.parent)}},
    )
    try:
        client.execute()
    finally:
        mp.undo()
    return nb


def test_the_kernel_is_this_interpreter_in_the_notebooks_folder(executed):
    exe, cwd, package = _texts(executed.cells[-1]).split("\n")[:3]
    assert exe == sys.executable
    assert cwd == str(NOTEBOOK.parent)
    assert package == str(ROOT / "orgmodel" / "__init__.py")


def test_no_cell_fails(executed):
    errors = [
        (i, o.get("ename"), o.get("evalue"))
        for i, c in enumerate(executed.cells)
        for o in c.get("outputs", [])
        if o["output_type"] == "error"
    ]
    assert errors == []


def test_the_outputs_show_the_articles_figures(executed):
    code = [c for c in executed.cells if c.cell_type == "code"][:-1]  # the notebook's own cells
    shown = [_texts(c) for c in code]
    assert all(shown), "every cell of the tutorial shows something"
    model, totals, report, frame, outcome, ledger, leaders, chart, vi = shown
    assert "Ủy ban nhân dân thành phố Hải Phòng" in model  # the model's HTML
    assert "\nI\n" in totals and totals.rstrip().endswith("20")  # class I, 20 agencies
    assert "hp-tttt-qlnn" in report and "<table" in report  # the check, as HTML
    assert frame.count("hp-") >= 5  # the five violations as a DataFrame
    assert "214 → 184 (removed 30)" in outcome
    assert "focal points: 214 → 184" in ledger
    assert "focal points removed: 30" in ledger
    assert "surplus leadership posts: 52" in ledger
    assert "violations introduced / cured: 0 5" in ledger
    assert "hp-tttt-phap-che" in leaders
    assert "<svg" in chart
    assert "Vi phạm được phương án khắc phục" in vi  # the outcome, in Vietnamese


def test_the_notebook_is_saved_without_outputs_and_uses_no_private_method():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nbformat.validate(nb)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert all(not c.outputs and c.execution_count is None for c in code)
    source = "\n".join(c.source for c in code)
    assert "_repr_" not in source and "examples/" not in source
