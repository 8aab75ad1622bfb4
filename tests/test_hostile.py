"""A hostile corpus through the command line: each file gives its exit code and its message,
located, never a traceback, never a hang; and outputs never replace inputs."""

from __future__ import annotations

import os
import shlex
import stat
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._cli import main
from orgmodel._model import MAX_DEPTH

from .conftest import EXAMPLES

HOSTILE = Path(__file__).parent / "data" / "hostile"
ORG = EXAMPLES / "haiphong" / "haiphong-2022.yaml"
PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"


def _cases():
    for line in (HOSTILE / "EXPECTED.txt").read_text(encoding="utf-8").splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        name, command, code, frags = (p.strip() for p in line.split("|", 3))
        yield pytest.param(name, command, int(code), frags.split(" || "), id=name)


def run(args, capsys):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.mark.parametrize(("name", "command", "code", "fragments"), list(_cases()))
def test_hostile_file(name, command, code, fragments, capsys, monkeypatch):
    monkeypatch.chdir(HOSTILE)
    before = (HOSTILE / name).read_bytes()
    got, out, err = run(shlex.split(command.format(f=name)), capsys)
    assert got == code, err or out
    text = err if code == 2 else out
    for fragment in fragments:
        assert fragment in text, text
    assert "Traceback" not in err
    if code == 2:
        assert err.startswith("orgmodel: ") and err.count("\n") == 1  # one clear line
    assert (HOSTILE / name).read_bytes() == before  # inputs are never changed


def test_the_same_bytes_give_the_same_model_whatever_the_comments():
    text = ORG.read_text(encoding="utf-8")
    plain = om.loads(text)
    for comment in ("# ! &a *a", "# !!python/object:os.system", "# a tag: !foo"):
        assert om.loads(text + "\n" + comment + "\n") == plain


def test_an_alias_bomb_is_refused_quickly_and_small():
    import time
    import tracemalloc

    text = (
        "format: orgmodel/1\nname: &a "
        + "x" * 1_000_000
        + "\nnote: ["
        + ",".join(["*a"] * 10_000)
        + "]\nunits: []\n"
    )
    tracemalloc.start()
    start = time.perf_counter()
    with pytest.raises(om.LoadError, match="alias bomb"):
        om.loads(text)
    elapsed = time.perf_counter() - start
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    # 10 GB if expanded; refused after reading the text once
    assert peak < 100 * 1024 * 1024 and elapsed < 10


def _chain(n: int) -> str:
    lines = ["format: orgmodel/1", "name: deep", "as_of: 2026-03-01", "units:"]
    for i in range(n):
        pad = "  " * i
        lines += [f"{pad}  - id: u{i}", f"{pad}    kind: other", f"{pad}    name: U {i}"]
        lines.append(f"{pad}    children:")
    lines.append("  " * n + "  - {id: leaf, kind: other, name: Leaf}")
    return "\n".join(lines) + "\n"


def test_deep_nesting_loads_dumps_and_runs_every_command(tmp_path, capsys):
    # as deep as orgmodel reads (as deep as Python's recursion limit): nothing may recurse
    n = MAX_DEPTH - 1
    f = tmp_path / "deep.yaml"
    f.write_text(_chain(n), encoding="utf-8")
    org = om.load(f)
    assert len(org) == n + 1 and org.depth("leaf") == n
    assert om.loads(om.dumps(org)) == org
    plan = tmp_path / "plan.yaml"
    plan.write_text(
        "format: orgmodel-plan/1\nsteps:\n  - absorb: u6\n    into: u5\n  - dissolve: leaf\n",
        encoding="utf-8",
    )
    for args in (
        ["show", f],
        ["check", f],
        ["check", f, "--format", "md"],
        ["simulate", f, plan, "--after", tmp_path / "after.yaml"],
        ["diff", f, tmp_path / "after.yaml"],
        ["chart", f, "--out", tmp_path / "c.svg"],
    ):
        code, _out, err = run(args, capsys)
        assert code in (0, 1), (args, err)
    assert len(om.load(tmp_path / "after.yaml")) == n - 1


def test_nesting_deeper_than_orgmodel_reads_is_one_clear_line(tmp_path, capsys):
    f = tmp_path / "deeper.yaml"
    f.write_text(_chain(MAX_DEPTH), encoding="utf-8")
    code, _, err = run(["check", f], capsys)
    assert code == 2 and f"at most {MAX_DEPTH} levels" in err and err.count("\n") == 1
    # a YAML nesting that would crash the parser is refused before it reads
    g = tmp_path / "dashes.yaml"
    g.write_text("format: orgmodel/1\nname: t\nunits:\n" + "- " * 20_000 + "x\n")
    code, _, err = run(["check", g], capsys)
    assert code == 2 and f"{g}:4:1:" in err and "levels deep" in err
    units = [om.Unit(id="u0", kind="other", name="U")]
    units += [
        om.Unit(id=f"u{i}", parent=f"u{i - 1}", kind="other", name="U") for i in range(1, 1001)
    ]
    with pytest.raises(ValueError, match="levels"):
        om.Org(units)


# -- the user's files are sacred -----------------------------------------------------------
def _copy(tmp_path):
    org, plan = tmp_path / "org.yaml", tmp_path / "plan.yaml"
    org.write_bytes(ORG.read_bytes())
    plan.write_bytes(PLAN.read_bytes())
    return org, plan


@pytest.mark.parametrize("option", ["--out", "--after"])
@pytest.mark.parametrize("which", ["org", "plan", "link"])
def test_an_output_that_is_an_input_is_refused_before_anything_is_written(
    tmp_path, capsys, option, which
):
    org, plan = _copy(tmp_path)
    link = tmp_path / "link.yaml"
    link.symlink_to(org)
    target = {"org": org, "plan": plan, "link": link}[which]
    before = {p: p.read_bytes() for p in (org, plan)}
    other = tmp_path / "other.json"
    args = ["simulate", org, plan, "--format", "json", option, target]
    args += ["--after" if option == "--out" else "--out", other]
    code, _, err = run(args, capsys)
    assert code == 2 and "is one of this command's inputs" in err
    assert str(target) in err and ".tmp" not in err
    assert {p: p.read_bytes() for p in (org, plan)} == before
    assert not other.exists()  # nothing written at all
    assert sorted(p.name for p in tmp_path.iterdir()) == ["link.yaml", "org.yaml", "plan.yaml"]


def test_a_failing_command_replaces_none_of_its_outputs(tmp_path, capsys):
    org, _ = _copy(tmp_path)
    bad_plan = tmp_path / "bad-plan.yaml"
    bad_plan.write_text("format: orgmodel-plan/1\nsteps:\n  - dissolve: nope\n", encoding="utf-8")
    out, after = tmp_path / "r.json", tmp_path / "a.yaml"
    out.write_text("old report", encoding="utf-8")
    after.write_text("old model", encoding="utf-8")
    code, _, err = run(["simulate", org, bad_plan, "--out", out, "--after", after], capsys)
    assert code == 2 and "nope" in err
    assert out.read_text(encoding="utf-8") == "old report"
    assert after.read_text(encoding="utf-8") == "old model"
    assert not [p for p in tmp_path.iterdir() if p.name.endswith(".tmp")]


def test_both_outputs_are_written_when_the_command_succeeds(tmp_path, capsys):
    org, plan = _copy(tmp_path)
    out, after = tmp_path / "r.json", tmp_path / "a.yaml"
    code, _, _ = run(
        ["simulate", org, plan, "--format", "json", "--out", out, "--after", after], capsys
    )
    assert code in (0, 1)
    assert out.read_text(encoding="utf-8").startswith("{")
    assert len(om.load(after)) < len(om.load(org))


def test_a_link_planted_at_the_output_is_replaced_not_followed(tmp_path, capsys):
    org, plan = _copy(tmp_path)
    victim = tmp_path / "victim.txt"
    victim.write_text("precious", encoding="utf-8")
    out = tmp_path / "r.json"
    out.symlink_to(victim)
    code, _, _ = run(["simulate", org, plan, "--format", "json", "--out", out], capsys)
    assert code in (0, 1)
    assert victim.read_text(encoding="utf-8") == "precious"
    assert not out.is_symlink() and out.read_text(encoding="utf-8").startswith("{")


@pytest.mark.parametrize(
    ("out", "fragment"),
    [
        ("missing-folder/r.json", "the folder"),
        (".", "is a folder"),
        ("", "no file given"),
    ],
)
def test_bad_output_paths_are_one_clear_line(tmp_path, capsys, monkeypatch, out, fragment):
    _org, _plan = _copy(tmp_path)
    monkeypatch.chdir(tmp_path)
    code, _, err = run(["simulate", "org.yaml", "plan.yaml", "--out", out], capsys)
    assert code == 2 and fragment in err and err.count("\n") == 1
    assert ".tmp" not in err


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes anywhere")
def test_a_read_only_folder_is_one_clear_line(tmp_path, capsys):  # pragma: no cover
    org, plan = _copy(tmp_path)
    ro = tmp_path / "ro"
    ro.mkdir()
    ro.chmod(stat.S_IRUSR | stat.S_IXUSR)
    code, _, err = run(["simulate", org, plan, "--out", ro / "r.json"], capsys)
    assert code == 2 and "permission denied" in err and str(ro / "r.json") in err


def test_inputs_that_are_not_regular_files(tmp_path, capsys):
    fifo = tmp_path / "fifo.yaml"
    os.mkfifo(fifo)
    for path, fragment in (
        (fifo, "not a regular file"),
        ("/dev/zero", "not a regular file"),
        (tmp_path, "is a directory"),
        ("", "no file given"),
        (tmp_path / "missing.yaml", "no such file"),
    ):
        code, _, err = run(["check", path], capsys)
        assert code == 2 and fragment in err, err


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.sampled_from(["org", "plan", "out", "after", "new1", "new2"]), min_size=4, max_size=4
    )
)
def test_outputs_never_replace_inputs(tmp_path_factory, names):
    """Whatever paths are given, the inputs keep their bytes; exit 2 when an output is an input."""
    d = tmp_path_factory.mktemp("p")
    files = {n: d / f"{n}.yaml" for n in ("org", "plan", "out", "after", "new1", "new2")}
    files["org"].write_bytes(ORG.read_bytes())
    files["plan"].write_bytes(PLAN.read_bytes())
    files["out"].write_text("old", encoding="utf-8")
    files["after"].write_text("old", encoding="utf-8")
    org, plan, out, after = (files[n] for n in names)
    before = {n: p.read_bytes() for n, p in files.items() if p.exists()}
    code = main(["simulate", str(org), str(plan), "--out", str(out), "--after", str(after)])
    if {names[2], names[3]} & {names[0], names[1]} or names[2] == names[3]:
        assert code == 2
        assert {n: p.read_bytes() for n, p in files.items() if p.exists()} == before
    for n in {names[0], names[1]} - {names[2], names[3]}:
        if n in before:
            assert files[n].read_bytes() == before[n]


@pytest.mark.parametrize(
    ("name", "vi"),
    [
        ("recursive-alias.yaml", "bí danh đệ quy"),
        ("nul-in-name.yaml", "không được có ký tự điều khiển U+0000 (NUL)"),
        ("escaped-control-in-name.yaml", "chứa ký tự điều khiển U+001B ở vị trí 4"),
        ("alias-before-anchor.yaml", "được dùng trước khi neo &u"),
        ("two-documents.yaml", "tệp chứa nhiều tài liệu YAML"),
    ],
)
def test_the_new_refusals_read_in_vietnamese(name, vi, capsys, monkeypatch):
    monkeypatch.chdir(HOSTILE)
    code, _, err = run(["check", name, "--lang", "vi"], capsys)
    assert code == 2 and vi in err and f"{name}:" in err


def test_an_output_refusal_reads_in_vietnamese(tmp_path, capsys):
    org, plan = _copy(tmp_path)
    code, _, err = run(["simulate", org, plan, "--out", org, "--lang", "vi"], capsys)
    assert code == 2 and "là một tệp đầu vào của lệnh này" in err
