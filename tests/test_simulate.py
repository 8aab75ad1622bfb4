"""Simulation ledgers worked by hand, the seed articles' figures, bad plans, and invariants."""

import copy
import datetime as dt
import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._cli import main

from .conftest import EXAMPLES, HAIPHONG, QUANGNINH
from .strategies import orgs

HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
QN_PLAN = EXAMPLES / "quangninh" / "plan-2018.yaml"
HUE = EXAMPLES / "hue" / "hue-2025.yaml"
HUE_PLAN = EXAMPLES / "hue" / "plan-2025.yaml"

BASE = """format: orgmodel/1
name: t
as_of: 2022-01-01
units:
  - id: pc
    kind: peoples_committee
    level: province
    class: III
    name: PC
    head: 0
    children:
      - id: dep
        kind: department
        name: D
        civil_servants: 5
        deputies: 3
        children:
          - {id: A, kind: division, name: A, civil_servants: 6, deputies: 1}
          - {id: B, kind: division, name: B, civil_servants: 4, deputies: 1}
          - id: br
            kind: branch
            name: Br
            civil_servants: 4
            deputies: 1
            children:
              - {id: br1, kind: division, name: Br1, civil_servants: 5, deputies: 1}
              - {id: br2, kind: division, name: Br2, civil_servants: 5, deputies: 1}
      - id: dep2
        kind: department
        name: D2
        civil_servants: 6
        deputies: 2
"""


def org():
    return om.loads(BASE)


def plan(steps: str, effective: str = "") -> om.Plan:
    eff = f"effective: {effective}\n" if effective else ""
    return om.loads_plan(f"format: orgmodel-plan/1\nname: p\n{eff}steps:\n{steps}", source="p.yaml")


def test_the_glossary_worked_ledger():
    # class III, 107/2020: A (6, head + 1) + B (4, head + 1) -> C with 10 civil servants
    out = om.simulate(org(), plan("  - merge: [A, B]\n    into: {id: C, name: C}\n"))
    c = out.after["C"]
    assert (c.civil_servants, c.head, c.deputies, c.parent) == (10, 1, 2, "dep")
    [line] = out.ledger.leadership
    assert (line.carried, line.legal_posts, line.surplus) == (4, 3, 1)
    assert out.surplus_leadership_posts == 1
    assert out.removed_focal_points == 1
    assert out.ledger.civil_servants_released == 0
    assert [v.unit for v in out.cured] == ["B"]  # B broke the 5-civil-servant minimum
    assert out.introduced == ()
    assert out.lineage["A"] == "C" and out.lineage["B"] == "C" and out.lineage["dep"] == "dep"


def test_merge_keeps_children_and_an_existing_id():
    out = om.simulate(
        org(), plan("  - merge: [dep, dep2]\n    into: {id: dep, civil_servants: 9}\n")
    )
    d = out.after["dep"]
    assert {u.id for u in out.after.children("dep")} == {"A", "B", "br"}
    # own posts 5 + 6 = 11, plan gives 9: 2 released; leaders 4 + 3 carried; no rule covers a
    # department's own deputies, so legal posts = 1 + default deputies (carried - 1 = 6)
    assert out.ledger.civil_servants_released == 2
    assert d.deputies == 6
    assert out.surplus_leadership_posts == 0
    assert out.diff.merged == {"dep": ("dep2",)}


def test_absorb_moves_children_staff_and_leaders():
    out = om.simulate(org(), plan("  - absorb: br2\n    into: br1\n"))
    b1 = out.after["br1"]
    # 5 + 5 civil servants; br2's head and deputy become deputies of br1: 1 + 2 = 3
    assert (b1.civil_servants, b1.deputies) == (10, 3)
    [line] = out.ledger.leadership
    # class III division under a branch (107/2020, unverified): 10 >= 7 -> 2 deputies
    assert (line.carried, line.legal_posts, line.held) == (4, 3, 4)
    assert (line.above_legal_maximum, line.without_post) == (1, 0)
    assert [v.rule for v in out.introduced] == ["branch-division-max-deputies"]


def test_dissolve_releases_or_transfers_the_subtree():
    released = om.simulate(org(), plan("  - dissolve: br\n"))
    # br 4 + br1 5 + br2 5 = 14 released; leaders 2 + 2 + 2 = 6 lose their posts
    assert released.ledger.civil_servants_released == 14
    assert released.surplus_leadership_posts == 6 == released.ledger.leaders_without_post
    assert released.removed_focal_points == 3
    moved = om.simulate(org(), plan("  - dissolve: br\n    staff_to: dep\n"))
    assert moved.ledger.civil_servants_released == 0
    assert moved.after["dep"].civil_servants == 5 + 14
    assert moved.surplus_leadership_posts == 6  # staff_to receives civil servants, not posts
    assert moved.lineage["br1"] is None


def test_move_rename_set_create():
    out = om.simulate(
        org(),
        plan(
            "  - move: br\n    to: dep2\n"
            "  - rename: dep2\n    name: Department Two\n"
            "  - set: A\n    civil_servants: 8\n    deputies: 0\n"
            "  - create: {id: N, parent: dep2, kind: division, name: New, civil_servants: 6}\n"
        ),
    )
    a = out.after
    assert a["br"].parent == "dep2" and a["dep2"].name == "Department Two"
    assert (a["A"].civil_servants, a["A"].deputies) == (8, 0)
    assert a["N"].parent == "dep2"
    # created: +2 (set) + 6 (create); released 0
    led = out.ledger
    assert (led.civil_servants_created, led.civil_servants_released) == (8, 0)
    assert led.civil_servants_after - led.civil_servants_before == 8
    # lowering A's deputies touches it: carried 2; legal 1 + 2 (8 in class III: 8-14 band)
    [line] = led.leadership
    assert (line.unit, line.carried, line.legal_posts, line.surplus) == ("A", 2, 3, 0)
    assert line.vacant_legal_posts == 1
    d = out.diff
    assert [u.id for u in d.moved] == ["br"] and [u.id for u in d.renamed] == ["dep2"]
    assert [u.id for u in d.added] == ["N"]


@pytest.mark.parametrize(
    ("steps", "fragments"),
    [
        ("  - dissolve: nope\n", ["step 1 (dissolve, line 4)", "unknown unit 'nope'"]),
        (
            "  - dissolve: A\n  - rename: A\n    name: X\n",
            ["step 2 (rename, line 5)", "'A' was removed by step 1 (dissolve, line 4)"],
        ),
        ("  - merge: [A]\n", ["p.yaml:4:", "merging needs at least two units"]),
        (
            "  - move: dep\n    to: br1\n",
            ["step 1 (move, line 4)", "under its own descendant 'br1'"],
        ),
        ("  - merge: [A, B]\n    into: {id: dep2}\n", ["new id 'dep2' already exists"]),
        (
            "  - create: {id: A, parent: dep, kind: division, name: X}\n",
            ["new id 'A' already exists"],
        ),
        ("  - merge: [A, br1]\n", ["different parents", "'into: {parent: ...}'"]),
        ("  - absorb: dep\n    into: A\n", ["cannot absorb 'dep' into its own descendant 'A'"]),
        ("  - set: A\n    deputies: 9\n", ["holds 1 head and 9 deputies", "at least 10"]),
        (
            "  - merge: [A, B]\n    intoo: {id: C}\n",
            ["p.yaml:5:", "unknown key 'intoo'", "did you mean 'into'"],
        ),
        ("  - divide: A\n", ["p.yaml:4:", "unknown step 'divide'"]),
        ("  - split: A\n", ["p.yaml:4:5", "a split step needs 'into'"]),
        (
            "  - set: A\n    civil_servants: -1\n",
            ["p.yaml:5:", "'civil_servants' must be a whole number"],
        ),
    ],
)
def test_bad_plans_are_located(steps, fragments):
    with pytest.raises(om.PlanError) as info:
        om.simulate(org(), plan(steps))
    msg = str(info.value)
    assert msg.startswith("p.yaml:")
    for f in fragments:
        assert f in msg, (f, msg)


def test_bad_plan_exits_2(tmp_path, capsys):
    p = tmp_path / "plan.yaml"
    p.write_text("format: orgmodel-plan/1\nsteps:\n  - dissolve: nobody\n")
    assert main(["simulate", str(HAIPHONG), str(p)]) == 2
    assert f"{p}:3" in capsys.readouterr().err


# -- the seed articles ------------------------------------------------------------------
def test_quang_ninh_2018_removes_28_focal_points(capsys):
    out = om.simulate(om.load(QUANGNINH), om.load_plan(QN_PLAN))
    assert out.removed_focal_points == 28  # 14 districts x 2 mergers
    # 2018: Decrees 24/2014 and 37/2014 as first issued; neither covers Party agencies
    assert out.rulebooks == ("decree-24-2014", "decree-37-2014")
    assert out.introduced == () and out.notes == ()
    # before 20 Jun 2014 no rulebook is in force: the simulation says so and runs without rules
    early = om.simulate(om.load(QUANGNINH), om.load_plan(QN_PLAN), as_of=dt.date(2013, 1, 1))
    assert early.rulebooks == ()
    assert "No rulebook is in force on 2013-01-01" in early.notes[0]
    assert "begin on 2014-06-20" in early.notes[0]
    halong = out.after["halong-to-chuc-noi-vu"]
    before = om.load(QUANGNINH)
    assert (
        before["halong-ban-to-chuc"].civil_servants + before["halong-phong-noi-vu"].civil_servants
        == 20
    )
    assert halong.civil_servants == 15  # "reduced from 20 to 15 people"
    assert out.ledger.civil_servants_released == 5
    # no rule covers a merged Party agency: legal posts = 1 head + the plan's 3 deputies = 4.
    # Organization-Internal Affairs: 14 x ((1 + 2) + (1 + 2) - 4) = 28; Inspection-Inspectorate:
    # 4 larger districts x ((1 + 2) + (1 + 2) - 4) + 10 x ((1 + 2) + (1 + 1) - 4) = 18; 46 in all
    assert out.surplus_leadership_posts == 46
    assert main(["simulate", str(QUANGNINH), str(QN_PLAN), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["removed_focal_points"] == 28
    assert data["focal_points"] == {"before": 142, "after": 114}
    assert data["civil_servants"] == {"before": 788, "after": 783, "released": 5, "created": 0}


def test_hai_phong_plan_57_figures():
    before = om.load(HAIPHONG)
    out = om.simulate(before, om.load_plan(HP_PLAN))
    by = out.ledger.removed_by_kind_under_parent
    assert by["division under department"] == 8
    assert by["division under branch"] == 20
    assert by["branch under department"] == 2
    assert "department under peoples_committee" not in by  # departments unchanged
    assert len(out.after.children("hp")) == 20
    assert out.removed_focal_points == 30
    assert out.introduced == () and len(out.cured) == 5  # every violation of the check cured
    assert out.ledger.dissolved_leaders == 4  # two branches of head + 1 deputy
    assert out.ledger.civil_servants_released == 0  # the branches' staff go to the departments


def test_hue_thuan_hoa_keeps_every_cadre_while_duong_no_lacks():
    out = om.simulate(om.load(HUE), om.load_plan(HUE_PLAN))
    lines = {x.unit: x for x in out.ledger.leadership}
    # six wards: 6 chairmen + 12 vice chairmen all kept
    assert lines["hue-thuan-hoa"].carried == lines["hue-thuan-hoa"].held == 18
    # each merged division: 6 heads kept as 1 head + 5 deputies; 150/2025 allows 1 deputy
    for d in ("van-phong", "kinh-te", "van-hoa-xa-hoi"):
        x = lines[f"hue-thuan-hoa-{d}"]
        assert (x.carried, x.legal_posts, x.above_legal_maximum) == (6, 2, 4)
    # Duong No's two divisions had no head in any of the three communes: 2 legal posts vacant each
    assert lines["hue-duong-no-kinh-te"].vacant_legal_posts == 2
    assert out.ledger.vacant_legal_posts == 4
    assert out.ledger.posts_above_legal_maximum == 12
    # the commune limit (Art. 13, 15) has no transition in 150/2025 (Art. 6's five years cover
    # the provincial agencies' limits): the 12 posts are violations, and the note says so
    assert out.ledger.posts_in_transition == 0
    assert any("outside any transition" in n for n in out.notes)
    assert len(out.introduced) == 3


def test_simulate_cli_writes_report_and_after_model(tmp_path, capsys):
    rep, after = tmp_path / "r.json", tmp_path / "after.yaml"
    code = main(
        [
            "simulate",
            str(HAIPHONG),
            str(HP_PLAN),
            "--format",
            "json",
            "--out",
            str(rep),
            "--after",
            str(after),
        ]
    )
    assert code == 0
    data = json.loads(rep.read_text(encoding="utf-8"))
    for key in (
        "removed_focal_points",
        "surplus_leadership_posts",
        "focal_points",
        "civil_servants",
    ):
        assert key in data
    assert set(data["civil_servants"]) >= {"before", "after", "released", "created"}
    a = om.load(after)
    assert len(a) == data["focal_points"]["after"]
    # the plain diff of the two files finds the same closures
    d = om.diff(om.load(HAIPHONG), a)
    assert len(d.removed) == data["removed_focal_points"]
    assert main(["diff", str(HAIPHONG), str(after), "--format", "json"]) == 0
    dj = json.loads(capsys.readouterr().out)
    assert len(dj["removed"]) == 30
    assert main(["simulate", str(HUE), str(HUE_PLAN)]) == 1  # introduces violations


def test_markdown_report(tmp_path):
    out = tmp_path / "r.md"
    assert (
        main(["simulate", str(QUANGNINH), str(QN_PLAN), "--format", "md", "--out", str(out)]) == 0
    )
    text = out.read_text(encoding="utf-8")
    assert "| focal points | 142 → 114 (removed 28) |" in text


# -- invariants ---------------------------------------------------------------------------
OPS = ["merge", "absorb", "dissolve", "move", "rename", "set", "create"]


@st.composite
def org_and_plan(draw):
    o = draw(orgs(max_units=15))
    ids = [u.id for u in o]
    lines = []
    for i in range(draw(st.integers(0, 6))):
        op = draw(st.sampled_from(OPS))
        a, b = draw(st.sampled_from(ids)), draw(st.sampled_from(ids))
        if op == "merge":
            lines.append(f"  - merge: [{a}, {b}]")
        elif op == "absorb":
            lines.append(f"  - absorb: {a}\n    into: {b}")
        elif op == "dissolve":
            extra = f"\n    staff_to: {b}" if draw(st.booleans()) else ""
            lines.append(f"  - dissolve: {a}{extra}")
        elif op == "move":
            lines.append(f"  - move: {a}\n    to: {b}")
        elif op == "rename":
            lines.append(f"  - rename: {a}\n    name: renamed {i}")
        elif op == "set":
            lines.append(
                f"  - set: {a}\n    civil_servants: {draw(st.integers(5, 30))}\n"
                f"    deputies: {draw(st.integers(0, 3))}"
            )
        else:
            lines.append(
                f"  - create: {{id: new{i}, parent: {a}, kind: division, name: N, "
                f"civil_servants: {draw(st.integers(0, 9))}, head: 0}}"
            )
    # keep the longest valid prefix of steps
    good: list[str] = []
    for line in lines:
        try:
            om.simulate(o, plan("\n".join([*good, line]) + "\n"))
        except om.PlanError:
            continue
        good.append(line)
    return o, plan("\n".join(good) + "\n" if good else "")


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(org_and_plan())
def test_invariants(case):
    o, p = case
    snapshot = copy.deepcopy(o.units)
    text = om.dumps(o)
    out = om.simulate(o, p)
    assert o.units == snapshot and om.dumps(o) == text  # the input is not changed
    led = out.ledger
    assert led.civil_servants_before - led.civil_servants_after == (
        led.civil_servants_released - led.civil_servants_created
    )
    assert out.removed_focal_points == len(o) - len(out.after)
    assert sum(led.removed_by_kind.values()) == out.removed_focal_points
    assert led.surplus_leadership_posts == led.leaders_without_post + led.posts_above_legal_maximum
    assert om.loads(om.dumps(out.after)) == out.after
    for res in out.lineage.values():
        assert res is None or res in out.after
    # the model after is given each subtree's end by the walk that builds it: the same ends
    # as found from its parents, and each unit's subtree the slice of rows from it to its end
    after = out.after
    given = after.__dict__["_ends"]
    del after.__dict__["_ends"]
    assert after._ends == given
    for i, u in enumerate(after.units):
        below, todo = set(), [u.id]
        while todo:  # the descendants, found from the children
            kids = [c.id for c in after.children(todo.pop())]
            below.update(kids)
            todo += kids
        assert below == {x.id for x in after.units[i + 1 : given[i]]}


@settings(max_examples=30, deadline=None)
@given(orgs())
def test_empty_plan_changes_nothing(o):
    out = om.simulate(o, plan(""))
    assert out.after.units == o.units
    assert out.removed_focal_points == 0 and out.surplus_leadership_posts == 0
    assert out.diff.is_empty
    assert om.diff(o, o).is_empty


def test_progress_is_reported_and_the_cli_stays_quiet_when_piped(capsys):
    calls = []
    om.simulate(om.load(QUANGNINH), om.load_plan(QN_PLAN), progress=lambda d, t: calls.append(d))
    assert calls[-1] == 28 and calls == sorted(calls)
    assert main(["simulate", str(QUANGNINH), str(QN_PLAN)]) == 0
    assert capsys.readouterr().err == ""  # no bar when stderr is not a terminal


def test_a_plan_cannot_make_a_peoples_committee_without_a_level():
    with pytest.raises(om.PlanError, match="People's Committee 'X' is missing its 'level'"):
        om.simulate(org(), plan("  - merge: [A, B]\n    into: {id: X, kind: peoples_committee}\n"))
