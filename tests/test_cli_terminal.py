"""What a person sees at the terminal: the date judged, counts before long lists, the files
written, progress, and a plan given where a model is expected (or the other way round)."""

import json
import os
import re

import pytest

from orgmodel._cli import _columns, _Progress, main

from .conftest import EXAMPLES, HAIPHONG

HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
# the five findings of the Hai Phong check, in the order they are reported
HP_FOUND = [
    "hp-tttt-qlnn",
    "hp-nnptnt-cc-ptnt",
    "hp-ngoai-vu-ke-hoach",
    "hp-ldtbxh-cc-pctnxh",
    "hp-du-lich-phap-che",
]


def run(capsys, *args):
    code = main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


def squeeze(text: str) -> str:
    """The text of a rich table's cells, with the borders and padding taken out."""
    return re.sub(r"[\s│┃]+", " ", text)


# -- the date judged, and the law in force on it ---------------------------------------------
def test_check_says_the_date_it_judged_and_the_law_in_force(capsys):
    code, out, _err = run(capsys, "check", HAIPHONG)
    assert code == 1
    assert "Judged as of 2022-03-11 (the model's date); 214 units checked" in out
    assert (
        "In force on that day: Decree 107/2020/ND-CP (decree-107-2020), "
        "Decree 108/2020/ND-CP (decree-108-2020)"
    ) in out
    code, out, _err = run(capsys, "check", HAIPHONG, "--as-of", "2025-07-01")
    assert "Judged as of 2025-07-01 (given with --as-of)" in out
    assert "In force on that day: Decree 150/2025/ND-CP (decree-150-2025)" in out
    code, out, _err = run(capsys, "check", HAIPHONG, "--rulebook", "decree-24-2014")
    assert "Rulebooks given: Decree 24/2014/ND-CP (decree-24-2014)" in out


def test_the_date_judged_in_vietnamese(capsys):
    code, out, _err = run(capsys, "check", HAIPHONG, "--lang", "vi")
    assert code == 1
    assert "Đánh giá tại ngày 11/03/2022 (ngày của mô hình); 214 đơn vị được kiểm tra" in out
    assert "Văn bản có hiệu lực vào ngày đó: Nghị định 107/2020/NĐ-CP (decree-107-2020)" in out


def test_simulate_says_the_date_it_judged(capsys):
    code, out, err = run(capsys, "simulate", HAIPHONG, HP_PLAN)
    assert code == 0 and err == ""
    lines = out.splitlines()
    assert lines[0].startswith("Hai Phong Plan 57/KH-UBND (2022)")
    assert "Judged as of 2022-12-31 (the plan's effective date)" in out
    assert "In force on that day: Decree 107/2020/ND-CP (decree-107-2020)" in out
    code, out, err = run(capsys, "simulate", HAIPHONG, HP_PLAN, "--as-of", "2022-06-01")
    assert "Judged as of 2022-06-01 (given with --as-of)" in out


def test_a_plan_dated_before_its_model_is_warned_of(tmp_path, capsys):
    early = tmp_path / "plan.yaml"
    text = HP_PLAN.read_text(encoding="utf-8")
    early.write_text(text.replace("effective: 2022-12-31", "effective: 2021-01-01"), "utf-8")
    code, out, err = run(capsys, "simulate", HAIPHONG, early)
    assert code == 0
    assert err == (
        "orgmodel: warning: the plan takes effect on 2021-01-01, before the model's date "
        "2022-03-11; check that the plan is meant for this model\n"
    )
    assert "Judged as of 2021-01-01 (the plan's effective date)" in out  # the plan's law
    assert "214 → 184 (removed 30)" in out  # the plan still runs
    code, out, err = run(capsys, "simulate", HAIPHONG, early, "--lang", "vi", "--format", "json")
    assert "cảnh báo: phương án có hiệu lực ngày 01/01/2021, trước ngày của mô hình" in err
    assert json.loads(out)["removed_focal_points"] == 30  # the JSON stays JSON
    code, out, err = run(capsys, "simulate", HAIPHONG, early, "--as-of", "2022-12-31")
    assert "before the model's date" in err  # whatever date it is judged on
    assert "Judged as of 2022-12-31 (given with --as-of)" in out
    # the plan of the examples is dated after its model: no warning
    assert run(capsys, "simulate", HAIPHONG, HP_PLAN, "--format", "json")[2] == ""


# -- long lists: counts by rule and unit kind, then the first rows -----------------------------
def test_check_counts_findings_by_rule_and_kind_before_a_cut_list(capsys):
    code, out, _err = run(capsys, "check", HAIPHONG, "--limit", "2")
    assert code == 1
    text = squeeze(out)
    assert "Findings, by rule" in text
    assert "decree-107-2020 branch-min-civil-servants 2 2" in text
    assert "decree-107-2020 division-min-civil-servants 2 2" in text
    assert "decree-107-2020 division-max-deputies 1 1" in text
    assert "Findings, by kind of unit" in text
    assert " division 3 3 " in text and " branch 2 2 " in text
    assert all(f"({u})" in out for u in HP_FOUND[:2])
    assert not any(f"({u})" in out for u in HP_FOUND[2:])
    assert "… 3 more; --all to show all (or --limit N)" in out
    assert out.rstrip().endswith("5 violations. (violation: 5)")  # the verdict counts all


def test_a_short_list_is_shown_whole_without_counts(capsys):
    for args in ([], ["--all"], ["--limit", "5"]):
        code, out, _err = run(capsys, "check", HAIPHONG, *args)
        assert code == 1
        assert all(f"({u})" in out for u in HP_FOUND)
        assert "Findings, by rule" not in out and "more;" not in out


def test_limit_0_shows_only_the_counts_and_json_keeps_every_row(capsys):
    code, out, _err = run(capsys, "check", HAIPHONG, "--limit", "0")
    assert code == 1
    assert "Findings, by rule" in out and "… 5 more" in out
    assert not any(f"({u})" in out for u in HP_FOUND)
    code, out, _err = run(capsys, "check", HAIPHONG, "--limit", "1", "--format", "json")
    assert [v["unit"] for v in json.loads(out)["violations"]] == HP_FOUND


def test_limit_and_all_are_checked_and_exclusive(capsys):
    for args in (["--limit", "-1"], ["--limit", "x"], ["--limit", "2", "--all"]):
        with pytest.raises(SystemExit) as e:
            main(["check", str(HAIPHONG), *args])
        assert e.value.code == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and "--limit" in err


def test_a_large_model_shows_50_rows_after_its_counts(tmp_path, capsys):
    country = tmp_path / "country.yaml"
    assert run(capsys, "synth", "--units", 3000, "--out", country)[0] == 0
    code, out, _err = run(capsys, "check", country, "--format", "json")
    found = json.loads(out)["violations"]
    assert len(found) == 59
    code, out, _err = run(capsys, "check", country)
    assert code == 1
    text = squeeze(out)
    assert "Judged as of 2025-06-30 (the model's date); 2,996 units checked" in text
    assert "decree-150-2025 division-min-civil-servants 31 31" in text
    assert "decree-45-2025 district-office-deputies 22 22" in text  # no verified rule
    assert "division 35 35" in text and "People's Committee 2 22 24" in text
    assert "… 9 more; --all to show all (or --limit N)" in out
    shown = [v["unit"] for v in found if f"({v['unit']})" in out]
    assert len(set(shown)) == len({v["unit"] for v in found[:50]})
    # in a file, the list is whole unless --limit is given
    report = tmp_path / "report.txt"
    run(capsys, "check", country, "--out", report)
    assert "more;" not in report.read_text(encoding="utf-8")


def test_simulate_cuts_its_lists_the_same_way(capsys):
    code, out, _err = run(capsys, "simulate", HAIPHONG, HP_PLAN, "--limit", "2")
    assert code == 0
    text = squeeze(out)
    assert "Violations the plan cures, by rule" in text
    assert "decree-107-2020 branch-min-civil-servants 2 2" in text
    assert "Violations the plan cures, by kind of unit" in text
    assert " division 3 3 " in text  # the kinds of the units cured, in the model before
    assert "… 3 more; --all" in out  # of the five cured
    assert "… 26 more; --all" in out  # of the 28 leadership lines
    assert "violations introduced / cured / remaining 0 / 5 / 0" in text  # the ledger: all
    code, out, _err = run(capsys, "simulate", HAIPHONG, HP_PLAN)
    assert "more;" not in out and all(f"({u})" in out for u in HP_FOUND)


def test_the_counts_in_vietnamese(capsys):
    _code, out, _err = run(capsys, "check", HAIPHONG, "--limit", "1", "--lang", "vi")
    text = squeeze(out)
    assert "Kết quả kiểm tra, theo quy định" in text
    assert "Kết quả kiểm tra, theo loại đơn vị" in text and " Phòng 3 3 " in text
    assert "… còn 4 dòng nữa; dùng --all để xem tất cả (hoặc --limit N)" in out


# -- a plan where a model is expected, and the other way round -------------------------------
@pytest.mark.parametrize("command", ["check", "show"])
def test_a_plan_given_for_a_model_is_named_in_one_line(capsys, command):
    code, out, err = run(capsys, command, HP_PLAN)
    assert code == 2 and out == ""
    assert err == (
        f"orgmodel: {HP_PLAN}:7:1: this looks like a plan (it has `steps:`); "
        f"`{command}` expects a model (with `units:`)\n"
    )


def test_the_model_and_plan_exchanged_or_doubled(capsys):
    code, _out, err = run(capsys, "simulate", HP_PLAN, HAIPHONG)
    assert code == 2
    assert err == (
        f"orgmodel: {HP_PLAN}:7:1: the model and the plan are exchanged: `simulate` takes "
        "the model first, then the plan (orgmodel simulate ORG PLAN)\n"
    )
    code, _out, err = run(capsys, "simulate", HAIPHONG, HAIPHONG)
    assert code == 2
    assert err == (
        f"orgmodel: {HAIPHONG}:4:1: this looks like a model (it has `units:`); "
        "`simulate` expects a plan (with `steps:`)\n"
    )
    code, _out, err = run(capsys, "diff", HAIPHONG, HP_PLAN, "--lang", "vi")
    assert code == 2
    assert err == (
        f"orgmodel: {HP_PLAN}:7:1: tệp này có vẻ là một phương án (có `steps:`); "
        "lệnh `diff` cần một mô hình (có `units:`)\n"
    )


def test_a_broken_model_keeps_its_own_error(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: orgmodel/1\nname: x\nunits:\n  - id: a\n    kind: sở\n    name: A\n")
    code, _out, err = run(capsys, "check", bad)
    assert code == 2 and f"{bad}:5:11: unknown kind 'sở'" in err and "looks like" not in err


# -- the files written ---------------------------------------------------------------------
def kb(path) -> str:
    return f"{round(os.path.getsize(path) / 1024)} KB"


def test_every_file_written_is_named_with_its_size(tmp_path, capsys):
    report, after = tmp_path / "report.html", tmp_path / "after.yaml"
    args = ["simulate", HAIPHONG, HP_PLAN, "--format", "html", "--out", report, "--after", after]
    code, out, err = run(capsys, *args)
    assert code == 0 and out == ""
    assert err == f"wrote {report} ({kb(report)})\nwrote {after} ({kb(after)})\n"
    code, out, err = run(capsys, *args, "--lang", "vi")
    assert err == f"đã ghi {report} ({kb(report)})\nđã ghi {after} ({kb(after)})\n"
    code, out, err = run(capsys, *args, "--quiet")
    assert (code, out, err) == (0, "", "")
    # a report written with findings (exit 1) is written, and said so
    found = tmp_path / "report.json"
    code, out, err = run(capsys, "check", HAIPHONG, "--format", "json", "--out", found)
    assert code == 1 and err == f"wrote {found} ({kb(found)})\n"


def test_synth_chart_and_export_say_what_they_wrote(tmp_path, capsys):
    country, plan = tmp_path / "country.yaml", tmp_path / "plan.yaml"
    code, _out, err = run(capsys, "synth", "--units", 1000, "--out", country, "--plan", plan)
    assert code == 0
    assert err == (
        f"995 units, 169 plan steps\nwrote {country} ({kb(country)})\nwrote {plan} ({kb(plan)})\n"
    )
    chart = tmp_path / "chart.svg"
    code, _out, err = run(capsys, "chart", HAIPHONG, "--out", chart)
    assert code == 0 and err == f"wrote {chart} ({kb(chart)})\n"
    pytest.importorskip("openpyxl")
    book = tmp_path / "model.xlsx"
    code, _out, err = run(capsys, "export", HAIPHONG, "--out", book)
    assert code == 0 and err.endswith(f"wrote {book} ({kb(book)})\n")


def test_nothing_written_nothing_said(tmp_path, capsys):
    out = tmp_path / "report.json"
    code, _out, err = run(capsys, "simulate", HP_PLAN, HAIPHONG, "--out", out)
    assert code == 2 and "wrote" not in err and not out.exists()


def test_sizes_read_in_both_languages():
    from orgmodel._i18n import using
    from orgmodel._summary import size_text, wrote_text

    assert [size_text(n) for n in (0, 1023, 1024, 12_700, 3_565_158)] == [
        "0 B",
        "1,023 B",
        "1 KB",
        "12 KB",
        "3.4 MB",
    ]
    with using("vi"):
        assert size_text(3_565_158) == "3,4 MB" and size_text(1023) == "1.023 B"
        assert wrote_text("a.html", 12_700) == "đã ghi a.html (12 KB)"


# -- progress ------------------------------------------------------------------------------
def test_progress_shows_a_fraction_only_when_the_total_is_known():
    from rich.progress import Progress

    progress = Progress(*_columns())
    known = progress.add_task("Simulating", total=3910, completed=1234)
    unknown = progress.add_task("Checking", total=None)
    _spinner, _text, bar, fraction, _time = _columns()
    tasks = {t.id: t for t in progress.tasks}
    assert str(fraction.render(tasks[known])) == "1,234/3,910"
    assert str(fraction.render(tasks[unknown])) == "" and str(bar.render(tasks[unknown])) == ""
    assert bar.render(tasks[known]) is not None


def test_progress_on_a_terminal_never_shows_none(capsys):
    from io import StringIO

    from rich.console import Console

    screen = StringIO()
    console = Console(file=screen, force_terminal=True, width=100)
    with _Progress(console=console) as bar:
        bar.phase("Loading")
        tick = bar.phase("Simulating", total=30)
        for i in range(31):
            tick(i, 30)
        bar.bar.refresh()
        bar.phase("Checking before and after")
        bar.bar.refresh()
    text = screen.getvalue()
    assert "30/30" in text and "None" not in text
    assert _Progress(quiet=True).bar is None  # --quiet: no bar even on a terminal


def test_the_library_views_cut_long_lists_themselves():
    """`outcome_view(o, limit=...)` and `report_table(r, limit=...)` cut what they show: a notebook
    gets the same short view as the terminal (Hai Phong cures 5 findings: 2+2+1 by rule)."""
    from rich.console import Console

    import orgmodel
    from orgmodel._render import outcome_view, report_table

    org = orgmodel.load(HAIPHONG)
    outcome = orgmodel.simulate(
        org, orgmodel.load_plan(EXAMPLES / "haiphong" / "plan-57-2022.yaml")
    )
    console = Console(width=200, record=True)
    console.print(outcome_view(outcome, limit=2))
    text = squeeze(console.export_text())
    assert "Violations the plan cures, by rule" in text
    assert "… 3 more" in text  # 5 cured, 2 shown
    assert "… 26 more" in text  # 28 leadership lines, 2 shown
    console = Console(width=200, record=True)
    console.print(report_table(orgmodel.check(org), limit=1))
    text = squeeze(console.export_text())
    assert "Findings, by rule" in text and "… 4 more" in text and "5 violations." in text


@pytest.mark.parametrize(
    "command",
    [
        ["check", str(HAIPHONG), "--format", "html", "--out", "{d}/report.png"],
        ["check", str(HAIPHONG), "--format", "md", "--out", "{d}/report.html"],
        ["chart", str(EXAMPLES / "haiphong" / "plan-57-2022.yaml"), "--out", "{d}/c.svg"],
        ["export", str(HAIPHONG), "--plan", str(HAIPHONG), "--out", "{d}/x.xlsx"],
    ],
)
def test_a_file_of_the_wrong_kind_or_name_is_refused_in_one_line(tmp_path, capsys, command):
    """Never one format under another's name, and a plan for a model named as such: exit 2,
    one line, the existing file untouched."""
    (tmp_path / "report.png").write_text("mine")
    argv = [c.replace("{d}", str(tmp_path)) for c in command]
    code, _out, err = run(capsys, *argv)
    assert code == 2 and err.count("\n") == 1
    assert (tmp_path / "report.png").read_text() == "mine"
    assert not (tmp_path / "report.html").exists() and not (tmp_path / "x.xlsx").exists()
