"""`orgmodel compare`: plans side by side on one model, one day, one set of rulebooks. The figures
are worked out by hand from the examples; every one equals what `simulate` reports."""

from __future__ import annotations

import datetime as dt
import io
import json
from functools import cache
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from rich.console import Console

import orgmodel as om
from orgmodel._cli import main
from orgmodel._compare import FIGURES
from orgmodel._i18n import using
from orgmodel._render_compare import compare_markdown, compare_page, compare_view

from .conftest import EXAMPLES
from .test_simulate import org_and_plan
from .test_vietnamese import _assert_vietnamese

HUE = EXAMPLES / "hue" / "hue-2025.yaml"
HUE_PLAN = EXAMPLES / "hue" / "plan-2025.yaml"
HP = EXAMPLES / "haiphong" / "haiphong-2022.yaml"
HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
QN = EXAMPLES / "quangninh" / "quangninh-2017.yaml"
QN_PLAN = EXAMPLES / "quangninh" / "plan-2018.yaml"
EMPTY = "format: orgmodel-plan/1\nname: Giữ nguyên\nsteps: []\n"

# the JSON contract of the issue, and the keys orgmodel adds to it
CONTRACT = {
    "plan",
    "removed_focal_points",
    "surplus_leadership_posts",
    "vacant_legal_posts",
    "civil_servants_released",
    "violations",
}
ADDED = {"file", "effective", "steps", "removed_focal_points_by_kind", "posts_in_transition"}
# what a ledger of plans with `transfer` steps adds (issue 13's rebalance), when it does
MOVED = {"posts_moved", "civil_servants_moved"}
TOP = {"as_of", "as_of_source", "model", "rulebooks", "plans", "best", "notes"}


@cache
def _load(path: Path) -> om.Org:
    return om.load(path)


@cache
def _plan(path: Path) -> om.Plan:
    return om.load_plan(path)


def _empty() -> om.Plan:
    return om.loads_plan(EMPTY)


@cache
def hue() -> om.Comparison:
    return om.compare(_load(HUE), [_plan(HUE_PLAN), _empty()])


@cache
def haiphong() -> om.Comparison:
    return om.compare(_load(HP), [_plan(HP_PLAN), _plan(HP_PLAN), _empty()])


def _row(c: om.Comparison, i: int) -> dict:
    return c.to_dict()["plans"][i]


# -- the figures, by hand ----------------------------------------------------------------
def test_hue_judged_on_the_plans_date_with_the_figures_worked_by_hand():
    c = hue()
    d = c.to_dict()
    # the plan takes effect on 2025-07-01; the empty plan gives no date and does not disagree
    assert d["as_of"] == "2025-07-01" and d["as_of_source"] == "plans"
    assert d["rulebooks"] == ["decree-150-2025"]
    hue_plan, empty = d["plans"]
    # 41 focal points -> 9: six wards and three communes become two wards (7 + 2 PCs gone, with
    # their 8 offices and 16 divisions), the district level ends
    assert hue_plan["removed_focal_points"] == 41 - 9 == 32
    assert hue_plan["removed_focal_points_by_kind"] == {
        "division": 16,
        "office": 8,
        "peoples_committee": 8,
    }
    assert hue_plan["surplus_leadership_posts"] == 22
    assert hue_plan["vacant_legal_posts"] == 4
    assert hue_plan["civil_servants_released"] == 0
    assert hue_plan["violations"] == {"introduced": 3, "cured": 0, "remaining": 0}
    assert empty["plan"] == "Giữ nguyên" and empty["effective"] is None
    assert {k: empty[k] for k in CONTRACT - {"plan", "violations"}} == dict.fromkeys(
        CONTRACT - {"plan", "violations"}, 0
    )
    assert empty["violations"] == {"introduced": 0, "cured": 0, "remaining": 0}
    # the best of each row: removing focal points is the plan's; everything it costs, the
    # empty plan's; ties marked on both
    plan, keep = hue_plan["plan"], "Giữ nguyên"
    assert d["best"] == {
        "removed_focal_points": [plan],
        "surplus_leadership_posts": [keep],
        "posts_in_transition": [plan, keep],
        "vacant_legal_posts": [keep],
        "civil_servants_released": [plan, keep],
        "violations": {"introduced": [keep], "cured": [plan, keep], "remaining": [plan, keep]},
    }
    # the dates differ (one plan gives none): said, with the day every plan is judged on
    assert any("different dates (2025-07-01, no date)" in n for n in d["notes"])


def test_haiphong_plan_57_next_to_itself_and_to_doing_nothing():
    c = haiphong()
    d = c.to_dict()
    assert d["as_of"] == "2022-12-31" and d["as_of_source"] == "plans"
    p57, again, keep = d["plans"]
    name = _plan(HP_PLAN).name
    # the same plan twice: the second's name made unique, its file kept
    assert p57["plan"] == name and again["plan"] == f"{name} (2)"
    assert p57["file"] == again["file"] == str(HP_PLAN)
    # Plan 57: divisions under departments -28, branches -2; 52 leaders beyond the legal posts;
    # it cures the 5 violations of 2022 (divisions under their minimum), introduces none
    assert p57["removed_focal_points"] == 30
    assert p57["removed_focal_points_by_kind"] == {"branch": 2, "division": 28}
    assert p57["surplus_leadership_posts"] == 52
    assert p57["vacant_legal_posts"] == 0
    assert p57["violations"] == {"introduced": 0, "cured": 5, "remaining": 0}
    assert {k: v for k, v in again.items() if k != "plan"} == {
        k: v for k, v in p57.items() if k != "plan"
    }
    # doing nothing leaves the 5 violations where they are
    assert keep["violations"] == {"introduced": 0, "cured": 0, "remaining": 5}
    both, every = [name, f"{name} (2)"], [name, f"{name} (2)", "Giữ nguyên"]
    assert d["best"] == {
        "removed_focal_points": both,
        "surplus_leadership_posts": ["Giữ nguyên"],
        "posts_in_transition": every,
        "vacant_legal_posts": every,
        "civil_servants_released": every,
        "violations": {"introduced": every, "cured": both, "remaining": both},
    }


@pytest.mark.parametrize(
    "make", [hue, haiphong, lambda: om.compare(_load(QN), [_plan(QN_PLAN), _empty()])]
)
def test_every_figure_is_what_simulate_reports(make):
    c = make()
    for i, (plan, row) in enumerate(zip(c.plans, c.to_dict()["plans"], strict=True)):
        sim = om.simulate(c.org, plan, as_of=c.day).to_dict()
        assert row["removed_focal_points"] == sim["removed_focal_points"]
        assert row["removed_focal_points_by_kind"] == sim["removed_focal_points_by_kind"]
        assert row["surplus_leadership_posts"] == sim["surplus_leadership_posts"]
        assert row["posts_in_transition"] == sim["posts_in_transition"]
        assert row["vacant_legal_posts"] == sim["vacant_legal_posts"]
        assert row["civil_servants_released"] == sim["civil_servants"]["released"]
        assert row["violations"] == {k: len(v) for k, v in sim["violations"].items()}
        assert row["effective"] == (plan.effective.isoformat() if plan.effective else None)
        assert c.rulebooks == tuple(sim["rulebooks"])
        for f in FIGURES:
            assert c.value(i, f.key) == (
                sim["violations"][f.key[11:]].__len__()
                if f.key.startswith("violations.")
                else sim["civil_servants"]["released"]
                if f.key == "civil_servants_released"
                else sim[f.key]
            )


def test_the_cli_json_equals_simulate_json_for_each_plan(capsys):
    assert main(["compare", str(HUE), str(HUE_PLAN), "--format", "json"]) == 0
    d = json.loads(capsys.readouterr().out)
    assert main(["simulate", str(HUE), str(HUE_PLAN), "--format", "json"]) == 1  # introduces 3
    sim = json.loads(capsys.readouterr().out)
    (row,) = d["plans"]
    for key in CONTRACT - {"plan", "violations", "civil_servants_released"}:
        assert row[key] == sim[key], key
    assert row["civil_servants_released"] == sim["civil_servants"]["released"]
    assert row["violations"] == {k: len(v) for k, v in sim["violations"].items()}
    assert row["plan"] == sim["plan"]


def test_json_keys_are_the_contract_in_either_language(capsys):
    out = {}
    for lang in ("en", "vi"):
        args = ["compare", str(HP), str(HP_PLAN), str(HP_PLAN), "--format", "json", "--lang", lang]
        assert main(args) == 0
        out[lang] = json.loads(capsys.readouterr().out)
    d = out["en"]
    assert set(d) == TOP
    for row in d["plans"]:
        assert CONTRACT | ADDED <= set(row) <= CONTRACT | ADDED | MOVED
        assert set(row["violations"]) == {"introduced", "cured", "remaining"}
    assert set(d["best"]) == {f.key for f in FIGURES if "." not in f.key} | {"violations"}
    assert set(d["best"]["violations"]) == {"introduced", "cured", "remaining"}
    # the language changes no key and no figure (notes are English in JSON)
    assert out["vi"] == d


def test_which_is_best_is_data():
    best = {f.key: f.best for f in FIGURES}
    assert best == {
        "removed_focal_points": "most",
        "surplus_leadership_posts": "fewest",
        "posts_in_transition": "fewest",
        "vacant_legal_posts": "fewest",
        "civil_servants_released": "most",
        "violations.introduced": "fewest",
        "violations.cured": "most",
        "violations.remaining": "fewest",
    }


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_and_plan())
def test_the_best_is_the_most_or_the_fewest_whatever_the_order(case):
    o, p = case
    text = om.dumps(o)
    ab = om.compare(o, [p, _empty()])
    ba = om.compare(o, [_empty(), p])
    assert om.dumps(o) == text  # the model is not changed
    for f in FIGURES:
        vs = ab.values(f.key)
        top = max(vs) if f.best == "most" else min(vs)
        assert ab.best(f.key) == tuple(i for i, v in enumerate(vs) if v == top)
        assert ba.values(f.key) == vs[::-1]
        assert {ab.names[i] for i in ab.best(f.key)} == {ba.names[i] for i in ba.best(f.key)}
    assert (
        ab.values("removed_focal_points")[0]
        == om.simulate(o, p, as_of=ab.day).ledger.removed_focal_points
    )


# -- the date judged ---------------------------------------------------------------------
def test_as_of_judges_every_plan_on_that_day():
    c = om.compare(_load(HUE), [_plan(HUE_PLAN), _empty()], as_of="2025-06-30")
    assert c.day == dt.date(2025, 6, 30) and c.source == "as_of"
    # on the day before the reform, Decree 45/2025 is in force too: the plan cures its finding
    assert c.rulebooks == ("decree-45-2025", "decree-150-2025")
    assert c.to_dict()["plans"][0]["violations"] == {"introduced": 3, "cured": 1, "remaining": 0}


def test_plans_of_different_dates_are_judged_on_the_models_date_and_it_is_said():
    later = om.loads_plan("format: orgmodel-plan/1\neffective: 2025-08-01\nsteps: []\n")
    c = om.compare(_load(HUE), [_plan(HUE_PLAN), later])
    assert c.day == dt.date(2025, 6, 30) and c.source == "model"
    (note,) = [str(n) for n in c.notes]
    assert "different dates (2025-07-01, 2025-08-01)" in note and "judged on 2025-06-30" in note
    with using("vi"):
        assert "01/07/2025, 01/08/2025" in compare_markdown(c)


def test_a_day_without_rulebooks_says_so():
    c = om.compare(_load(QN), [_plan(QN_PLAN), _empty()], as_of="2000-01-01")
    assert c.rulebooks == () and c.day == dt.date(2000, 1, 1)
    assert any("No rulebook is in force" in str(n) for n in c.notes)


# -- names, arguments --------------------------------------------------------------------
def test_names_come_from_the_plan_its_file_or_its_place(tmp_path):
    f = tmp_path / "option-b.yaml"
    f.write_text("format: orgmodel-plan/1\nsteps: []\n", encoding="utf-8")
    unnamed = om.loads_plan("format: orgmodel-plan/1\nsteps: []\n")
    c = om.compare(_load(HUE), [unnamed, str(f), f, unnamed])
    assert c.names == ("#1", "option-b", "option-b (2)", "#4")


def test_wrong_arguments_say_what_is_expected():
    with pytest.raises(ValueError, match="at least one plan"):
        om.compare(_load(HUE), [])
    with pytest.raises(TypeError, match="Plan objects or plan files"):
        om.compare(_load(HUE), [42])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="expects an Org"):
        om.compare(str(HUE), [_empty()])  # type: ignore[arg-type]


def test_a_plan_that_fails_raises_its_plan_error(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: orgmodel-plan/1\nsteps:\n  - dissolve: nowhere\n", encoding="utf-8")
    with pytest.raises(om.PlanError) as e:
        om.compare(_load(HUE), [_empty(), om.load_plan(bad)])
    assert e.value.file == str(bad) and e.value.line == 3


# -- the command line --------------------------------------------------------------------
def test_a_bad_plan_is_named_with_its_line(tmp_path, capsys):
    bad = tmp_path / "bad.yaml"
    bad.write_text("format: orgmodel-plan/1\nsteps:\n  - dissolve: nowhere\n", encoding="utf-8")
    assert main(["compare", str(HUE), str(HUE_PLAN), str(bad)]) == 2
    err = capsys.readouterr().err
    assert f"{bad}:3" in err and "unknown unit 'nowhere'" in err
    assert "Traceback" not in err


def test_a_model_given_as_a_plan_and_a_plan_as_the_model_are_named(capsys):
    assert main(["compare", str(HUE), str(HUE_PLAN), str(HP)]) == 2
    err = capsys.readouterr().err
    assert str(HP) in err and "looks like a model" in err and "`compare` expects a plan" in err
    assert main(["compare", str(HUE_PLAN), str(HUE_PLAN)]) == 2
    err = capsys.readouterr().err
    assert str(HUE_PLAN) in err and "looks like a plan" in err


def test_out_chooses_the_format_and_never_replaces_a_plan(tmp_path, capsys):
    out = tmp_path / "c.json"
    assert main(["compare", str(HUE), str(HUE_PLAN), "--out", str(out), "-q"]) == 0
    assert json.loads(out.read_text(encoding="utf-8"))["plans"][0]["removed_focal_points"] == 32
    assert capsys.readouterr().err == ""
    plan = tmp_path / "plan.yaml"
    plan.write_text(HUE_PLAN.read_text(encoding="utf-8"), encoding="utf-8")
    before = plan.read_bytes()
    assert main(["compare", str(HUE), str(plan), "--out", str(plan), "--format", "md"]) == 2
    assert plan.read_bytes() == before


def test_the_table_marks_the_best_and_keeps_long_names_in_their_column(capsys):
    assert main(["compare", str(HUE), str(HUE_PLAN), str(HUE_PLAN)]) == 0
    text = capsys.readouterr().out
    assert "Plans compared" in text
    assert "Judged as of 2025-07-01 (the plans' effective date)" in text
    lines = text.splitlines()
    assert max(len(line) for line in lines) <= 120  # the piped width: the name folds
    row = next(line for line in lines if line.startswith("│ focal points removed"))
    assert row.count("32 ★") == 2
    row = next(line for line in lines if "surplus leadership posts" in line)
    assert row.count("22 ★") == 2  # tied: both marked


def test_the_table_in_vietnamese(capsys):
    assert main(["compare", str(HUE), str(HUE_PLAN), "--lang", "vi"]) == 0
    text = capsys.readouterr().out
    for words in ("So sánh các phương án", "đầu mối giảm", "lãnh đạo dôi dư", "tốt nhất"):
        assert words in text
    assert "Đánh giá tại ngày 01/07/2025 (ngày hiệu lực của các phương án)" in text


def _rich(renderable: object) -> str:
    console = Console(record=True, width=2000, soft_wrap=False, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


@pytest.mark.parametrize("org, plan", [(HUE, HUE_PLAN), (HP, HP_PLAN)])
def test_every_word_is_vietnamese_in_every_format(org, plan):
    # plans named in Vietnamese (a long English name folds in its column: its pieces are not
    # the names the check knows as data)
    p = _plan(plan).model_copy(update={"name": "Phương án sắp xếp của thành phố", "source": None})
    c = om.compare(_load(org), [p, _empty()])
    renders = {
        "table": lambda: _rich(compare_view(c)),
        "md": lambda: compare_markdown(c),
        "html": lambda: compare_page(c),
    }
    for fmt, render in renders.items():
        with using("en"):
            en = render()
        with using("vi"):
            vi = render()
        _assert_vietnamese(en, vi, f"compare --format {fmt}")


def test_markdown_and_html_show_a_hostile_name_as_written():
    evil = om.loads_plan(
        "format: orgmodel-plan/1\nname: '<script>alert(1)</script> | **x**'\nsteps: []\n"
    )
    c = om.compare(_load(HUE), [_plan(HUE_PLAN), evil])
    page = compare_page(c)
    assert "<script" not in page and "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert page.count("class='n best'") == 12  # 1 + 1 + 2 + 1 + 2 + 1 + 2 + 2
    md = compare_markdown(c)
    header = next(line for line in md.splitlines() if line.startswith("| figure"))
    assert r"\|" in header and r"\*\*x\*\*" in header
    # the header has as many cells as the rows under it
    cells = header.replace(r"\|", "").count("|")
    assert all(line.count("|") == cells for line in md.splitlines() if line.startswith("| focal"))


def test_a_notebook_and_a_terminal_show_a_comparison():
    c = hue()
    assert "Plans compared" in c._repr_html_()  # type: ignore[attr-defined]
    assert "32 ★" in _rich(c)
    assert c.to_markdown().startswith("# Plans compared")  # type: ignore[attr-defined]


def test_posts_moved_are_shown_when_a_ledger_has_them(monkeypatch):
    from orgmodel._simulate import Ledger

    c = hue()
    if all(hasattr(c.outcomes[0].ledger, k) for k in MOVED):  # the ledger has them already
        assert set(c.to_dict()["plans"][0]) >= MOVED
        return
    assert "posts moved" not in compare_markdown(c)
    # a ledger that has them (as one will with `transfer` steps)
    monkeypatch.setattr(
        Ledger, "posts_moved", property(lambda led: led.focal_points_after), raising=False
    )
    monkeypatch.setattr(Ledger, "civil_servants_moved", property(lambda led: 0), raising=False)
    c = om.compare(_load(HUE), [_plan(HUE_PLAN), _empty()])
    row = c.to_dict()["plans"][0]
    assert row["posts_moved"] == 9 and row["civil_servants_moved"] == 0
    md = compare_markdown(c)
    assert "| posts moved |  | 9 | 41 |" in md  # shown, not judged
    assert "civil servants moved" not in md  # 0 for every plan: not shown
    assert "posts_moved" not in c.to_dict()["best"]


def test_a_suggested_plan_stands_next_to_plan_57():
    org = _load(HP)
    c = om.compare(org, [_plan(HP_PLAN), om.suggest(org)])
    # Plan 57 takes effect on 2022-12-31, the suggestion on the model's date: judged on that
    assert c.source == "model" and c.day == dt.date(2022, 3, 11)
    p57, suggested = c.to_dict()["plans"]
    assert suggested["violations"]["introduced"] == 0  # a suggestion is lawful
    assert p57["violations"]["cured"] == suggested["violations"]["cured"] == 5
    for i, plan in enumerate(c.plans):
        sim = om.simulate(org, plan, as_of=c.day).to_dict()
        assert c.value(i, "removed_focal_points") == sim["removed_focal_points"]
        assert c.value(i, "surplus_leadership_posts") == sim["surplus_leadership_posts"]
    assert c.best("removed_focal_points") == (0,)  # Plan 57 removes 30 focal points
