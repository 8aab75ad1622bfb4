import json
import subprocess
import sys

from orgmodel._cli import main

from .conftest import HAIPHONG, QUANGNINH


def test_show_renders_both_examples(capsys):
    for p in (HAIPHONG, QUANGNINH):
        assert main(["show", str(p)]) == 0
    out = capsys.readouterr().out
    assert "Sở Nội vụ" in out and "Ban Tổ chức Thành ủy Hạ Long" in out
    assert "Totals" in out


def test_show_json_summary(capsys):
    assert main(["show", str(QUANGNINH), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    # 2 roots; per district: Party committee + 3 boards, People's Committee + 5 offices
    assert data["totals"]["units"] == 2 + 14 * 4 + 14 * 6
    assert data["units_by_kind"]["party_board"] == 42
    assert [r["id"] for r in data["roots"]] == ["qn-tinh-uy", "qn"]


def test_bad_input_exits_2_with_location_and_no_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: orgmodel/1\nname: x\nunits:\n  - id: a\n    kind: sở\n    name: A\n")
    r = subprocess.run(
        [sys.executable, "-m", "orgmodel", "show", str(bad)], capture_output=True, text=True
    )
    assert r.returncode == 2
    assert f"{bad}:5:11: unknown kind 'sở'" in r.stderr
    assert "Traceback" not in r.stderr


def test_usage_errors_exit_2(capsys):
    assert main([]) == 2
    try:
        main(["show"])
    except SystemExit as e:
        assert e.code == 2
    else:
        raise AssertionError("expected a usage error")
