"""The tutorial notebook runs top to bottom, and what it displays shows the article's figures."""

import ast
import json
import os

from .conftest import EXAMPLES, ROOT


def _run(cell_source: str, ns: dict) -> object:
    """Execute a cell as Jupyter does: the value of a final expression is what it displays."""
    tree = ast.parse(cell_source)
    last = tree.body[-1] if tree.body and isinstance(tree.body[-1], ast.Expr) else None
    if last is not None:
        tree.body = tree.body[:-1]
    exec(compile(tree, "<cell>", "exec"), ns)
    if last is not None:
        return eval(compile(ast.Expression(last.value), "<cell>", "eval"), ns)
    return None


def _display(value: object) -> str:
    for method in ("_repr_html_", "_repr_svg_"):
        if hasattr(value, method):
            return getattr(value, method)()
    return repr(value)


def test_tutorial_notebook_executes(monkeypatch):
    nb = json.loads((EXAMPLES / "tutorial.ipynb").read_text(encoding="utf-8"))
    monkeypatch.chdir(ROOT)
    ns: dict = {}
    shown = []
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            shown.append(_display(_run("".join(cell["source"]), ns)))
    text = "\n".join(shown)
    assert "Ủy ban nhân dân thành phố Hải Phòng" in text  # the model's HTML
    assert "hp-tttt-qlnn" in text  # the check
    assert "214 → 184 (removed 30)" in text  # the outcome
    assert "<svg" in text  # the chart
    assert shown[-1] == "True"  # the Vietnamese page
    assert ns["outcome"].removed_focal_points == 30
    assert os.getcwd() == str(ROOT)
