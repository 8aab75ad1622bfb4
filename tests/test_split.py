"""Splitting a unit (chia, tách): shares by the largest remainder, leaders with the successor,
children to the parts named, lineage to every part, and every refusal located in both languages."""

from __future__ import annotations

import json
from fractions import Fraction

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import orgmodel as om
from orgmodel._diff import _replay, lineage_from_events
from orgmodel._i18n import message_text, using
from orgmodel._plan import dumps_plan
from orgmodel._render import change_text, fates
from orgmodel._simulate import _divide

from .strategies import orgs

FIXED = settings(derandomize=True, database=None, deadline=None, print_blob=False)

# A province with three communes; S has two divisions (its children).
ORG = """format: orgmodel/1
name: t
as_of: 2025-06-30
units:
  - id: prov
    kind: peoples_committee
    level: province
    name: Tỉnh P
    head: 0
    children:
      - id: s
        kind: peoples_committee
        level: commune
        name: Xã S
        civil_servants: 20
        deputies: 2
        public_employees: 5
        children:
          - {id: s1, kind: division, name: S1, civil_servants: 3}
          - {id: s2, kind: division, name: S2, civil_servants: 3}
      - {id: c, kind: peoples_committee, level: commune, name: Xã C,
         civil_servants: 10, deputies: 1}
      - {id: d, kind: peoples_committee, level: commune, name: Xã D,
         civil_servants: 12, deputies: 1}
"""


def org() -> om.Org:
    return om.loads(ORG)


def plan(steps: str) -> om.Plan:
    return om.loads_plan(
        f"format: orgmodel-plan/1\nname: p\neffective: 2025-07-01\nsteps:\n{steps}",
        source="p.yaml",
    )


def simulate(steps: str) -> om.Outcome:
    return om.simulate(org(), plan(steps))


SHARES = """  - split: s
    into:
      - {id: new-a, name: Xã A, share: 0.7}
      - {id: c, share: 0.3, children: [s2]}
"""


# -- worked numbers ------------------------------------------------------------------------
def test_largest_remainder_by_hand():
    assert _divide(20, [Fraction(7, 10), Fraction(3, 10)]) == [14, 6]
    assert _divide(10, [Fraction(1)] * 3) == [4, 3, 3]  # ties to the earlier part
    assert _divide(11, [Fraction(1)] * 3) == [4, 4, 3]
    assert _divide(5, [Fraction(7, 10), Fraction(3, 10)]) == [4, 1]  # 3.5 / 1.5: .5 each, earlier
    assert _divide(0, [Fraction(1, 2)] * 2) == [0, 0]
    assert _divide(1, [Fraction(1, 10), Fraction(9, 10)]) == [0, 1]


def test_a_commune_of_20_split_0_7_0_3_into_a_new_unit_and_an_existing_one():
    out = simulate(SHARES)
    a, c = out.after["new-a"], out.after["c"]
    # 20 civil servants: 14 / 6; 5 public employees: 3.5 / 1.5 -> 4 / 1 (tie to the earlier)
    assert (a.civil_servants, c.civil_servants) == (14, 10 + 6)
    assert (a.public_employees, c.public_employees) == (4, 1)
    # the successor (the first part) takes the chairman and both vice chairmen
    assert (a.head, a.deputies) == (1, 2)
    assert (c.head, c.deputies) == (1, 1)  # an existing part keeps its own leaders only
    # the new unit is a commune People's Committee under the split unit's parent
    assert (a.kind, a.level, a.parent, a.name) == (
        om.Kind.PEOPLES_COMMITTEE,
        om.Level.COMMUNE,
        "prov",
        "Xã A",
    )
    assert a.reorganized.isoformat() == "2025-07-01" == c.reorganized.isoformat()
    # s2 goes to the part that names it, s1 to the successor
    assert out.after["s1"].parent == "new-a" and out.after["s2"].parent == "c"
    assert [u.id for u in out.after] == ["prov", "new-a", "s1", "c", "s2", "d"]
    led = out.ledger
    assert led.removed_focal_points == 0  # s removed, new-a created
    assert led.removed_by_kind == {}
    assert (led.civil_servants_before, led.civil_servants_after) == (48, 48)
    assert (led.civil_servants_released, led.civil_servants_created) == (0, 0)
    (line,) = led.leadership
    assert (line.unit, line.carried, line.held) == ("new-a", 3, 3)
    assert out.lineage["s"] == "new-a" and out.lineage["s2"] == "s2"
    assert out.split_into == {"s": ("new-a", "c")}
    assert out.origins["new-a"] == ("s",) and out.origins["c"] == ("s", "c")
    (e,) = out.events
    assert (e.event, e.original, e.resulting) == ("split", ("s",), ("new-a", "c"))
    cs, pe = out.notes
    assert str(cs) == (
        "Step 1: the 20 civil servants of s are divided 14 / 6 among new-a / c "
        "(shares 0.7 / 0.3; the largest remainder rounds)."
    )
    assert cs.text("vi") == (
        "Bước 1: 20 biên chế công chức của s được chia 14 / 6 cho new-a / c "
        "(tỷ lệ 0,7 / 0,3; làm tròn theo phần dư lớn nhất)."
    )
    assert "5 public employees of s are divided 4 / 1" in str(pe)
    assert "5 viên chức của s được chia 4 / 1" in pe.text("vi")


def test_ten_civil_servants_split_evenly_in_three_give_4_3_3():
    out = simulate(
        "  - set: s\n    civil_servants: 10\n"
        "  - split: s\n    into: [{id: x1}, {id: x2}, {id: x3}]\n    successor: x2\n"
    )
    assert [out.after[x].civil_servants for x in ("x1", "x2", "x3")] == [4, 3, 3]
    # the leaders go with the named successor; the other new parts have theirs vacant
    assert [out.after[x].leaders for x in ("x1", "x2", "x3")] == [0, 3, 0]
    lines = {x.unit: x for x in out.ledger.leadership}
    assert lines["x2"].carried == 3 and lines["x1"].carried == lines["x3"].carried == 0
    assert lines["x1"].vacant_legal_posts == lines["x1"].legal_posts == 1
    assert out.ledger.vacant_legal_posts == 2
    assert out.ledger.removed_focal_points == -2  # one unit became three
    assert out.lineage["s"] == "x2"
    assert out.events[-1].resulting == ("x2", "x1", "x3")  # the successor first
    assert out.after["s1"].parent == out.after["s2"].parent == "x2"
    assert out.after["x1"].name == "Xã S"  # the split unit's fields by default


def test_an_existing_successor_takes_the_leaders_as_an_absorb_does():
    out = simulate("  - split: s\n    into: [{id: c}, {id: d}]\n")
    c, d = out.after["c"], out.after["d"]
    assert (c.civil_servants, d.civil_servants) == (20, 22)
    assert (c.head, c.deputies) == (1, 1 + 3)  # its own head, its deputy and s's three leaders
    (line,) = out.ledger.leadership
    assert (line.unit, line.carried) == ("c", 2 + 3)
    assert out.ledger.removed_focal_points == 1
    assert out.lineage["s"] == "c" and out.split_into["s"] == ("c", "d")
    assert out.after["s1"].parent == "c"


def test_the_remainder_keeps_the_id_tach():
    out = simulate(
        "  - split: s\n    into:\n      - {id: s, share: 0.75}\n"
        "      - {id: s-east, name: Xã S Đông, share: 0.25, children: [s2]}\n"
    )
    s, east = out.after["s"], out.after["s-east"]
    assert (s.civil_servants, east.civil_servants) == (15, 5)
    assert (s.name, s.leaders, east.leaders) == ("Xã S", 3, 0)
    assert out.lineage["s"] == "s" and out.split_into["s"] == ("s", "s-east")
    assert out.ledger.removed_focal_points == -1
    d = out.diff
    (u,) = (x for x in d.notable if x.id == "s")
    assert u.status == "changed" and u.split_into == ("s", "s-east")
    assert u.changes["civil_servants"] == (20, 15)
    assert "parts went to Xã S Đông (s-east)" in change_text(
        u, diff=d, names={"s-east": "Xã S Đông"}
    )
    new = {x.id: x for x in d.added}
    assert new["s-east"].split_from == ("s",)
    assert "s" not in fates(out)


def test_a_part_under_the_split_units_id_that_is_not_the_successor_is_another_unit():
    out = simulate("  - split: s\n    into: [{id: c}, {id: s}]\n")
    assert out.lineage["s"] == "c"
    assert out.after["s"].leaders == 0 and out.after["s"].civil_servants == 10
    d = out.diff
    assert [x.id for x in d.removed] == ["s"] and [x.id for x in d.added] == ["s"]
    assert d.removed[0].split_into == ("c", "s") and d.added[0].split_from == ("s",)


def test_one_part_re_establishes_a_unit_under_a_new_id():
    """A district with no communes became a commune-level special zone (đặc khu)."""
    out = simulate("  - split: d\n    into: [{id: dac-khu, name: Đặc khu D, level: commune}]\n")
    z = out.after["dac-khu"]
    assert (z.civil_servants, z.leaders, z.name) == (12, 2, "Đặc khu D")
    assert out.ledger.removed_focal_points == 0
    assert out.lineage["d"] == "dac-khu" and out.split_into["d"] == ("dac-khu",)
    (u,) = out.diff.removed
    assert u.split_into == ("dac-khu",) and u.merged_into is None


def test_a_unit_that_states_no_civil_servants_gives_its_parts_none():
    o = om.loads(ORG.replace("civil_servants: 20\n        deputies: 2\n", "deputies: 2\n"))
    out = om.simulate(o, plan("  - split: s\n    into: [{id: a}, {id: c}]\n"))
    a = out.after["a"]
    assert a.civil_servants == 0 and "civil_servants" not in a.model_fields_set
    assert (a.head, a.deputies) == (1, 2)  # no total to hold them: nothing to check
    assert out.after["c"].civil_servants == 10
    assert om.loads(om.dumps(out.after)) == out.after
    assert all("civil servants" not in str(n) for n in out.notes)


# -- as the 2025 communes ------------------------------------------------------------------
SPLIT_THEN_MERGE = """  - split: s
    into:
      - {id: s-a, share: 0.6}
      - {id: s-b, share: 0.4, children: [s2]}
  - merge: [s-a, c]
    into: {id: a, name: Xã A}
  - merge: [s-b, d]
    into: {id: b, name: Xã B}
"""


def test_a_commune_divided_between_two_new_communes_each_merged_with_whole_ones():
    out = simulate(SPLIT_THEN_MERGE)
    a, b = out.after["a"], out.after["b"]
    # S's 20 civil servants: 12 to A's part, 8 to B's; with C's 10 and D's 12
    assert (a.civil_servants, b.civil_servants) == (22, 20)
    # A carries S's three leaders and C's two; B, D's two (S's part brought none)
    lines = {x.unit: x for x in out.ledger.leadership}
    assert set(lines) == {"a", "b"}
    assert (lines["a"].carried, lines["b"].carried) == (5, 2)
    assert (a.head, a.deputies, b.head, b.deputies) == (1, 4, 1, 1)
    led = out.ledger
    assert (led.focal_points_before, led.focal_points_after) == (6, 5)  # 3 communes -> 2
    assert led.removed_by_kind == {"peoples_committee": 1}
    assert (led.civil_servants_before, led.civil_servants_after) == (48, 48)
    assert (led.civil_servants_released, led.civil_servants_created) == (0, 0)
    assert {k: out.lineage[k] for k in ("s", "c", "d", "s1", "s2")} == {
        "s": "a",
        "c": "a",
        "d": "b",
        "s1": "s1",
        "s2": "s2",
    }
    assert out.after["s1"].parent == "a" and out.after["s2"].parent == "b"
    assert out.split_into == {"s": ("a", "b")}
    assert out.origins["a"] == ("s", "c") and out.origins["b"] == ("s", "d")
    d = out.diff
    gone = {u.id: u for u in d.removed}
    assert gone["s"].split_into == ("a", "b") and gone["s"].merged_into is None
    assert gone["c"].merged_into == "a" and gone["d"].merged_into == "b"
    new = {u.id: u for u in d.added}
    assert (new["a"].merged_from, new["a"].split_from) == (("c",), ("s",))
    assert (new["b"].merged_from, new["b"].split_from) == (("d",), ("s",))
    j = d.to_dict()
    assert j["split"] == [{"original": "s", "resulting": ["a", "b"]}]
    assert j["merged"] == [
        {"original": ["c"], "resulting": "a"},
        {"original": ["d"], "resulting": "b"},
    ]
    # the events give the same diff
    again = om.diff(out.before, out.after, lineage=out.events)
    assert again.to_dict() == j
    assert _replay(out.before, out.events) == (out.lineage, out.split_into)


def test_a_part_split_again_spreads_the_lineage_further():
    out = simulate(
        "  - split: s\n    into: [{id: a}, {id: b}]\n"
        "  - split: b\n    into: [{id: b1}, {id: b2}, {id: d}]\n"
        "  - dissolve: b2\n"
    )
    assert out.split_into == {"s": ("a", "b1", "d"), "d": ("b1", "d")} or out.split_into == {
        "s": ("a", "b1", "d")
    }
    assert out.split_into["s"] == ("a", "b1", "d")  # b2 was dissolved
    assert out.origins["b1"] == ("s",) and out.origins["d"] == ("s", "d")
    assert _replay(out.before, out.events) == (out.lineage, out.split_into)


def test_a_split_reads_right_in_both_languages():
    out = simulate(SPLIT_THEN_MERGE)
    d = out.diff
    s = next(u for u in d.removed if u.id == "s")
    a = next(u for u in d.added if u.id == "a")
    names = {"a": "Xã A", "b": "Xã B", "s": "Xã S", "c": "Xã C"}
    assert change_text(s, diff=d, names=names) == "split among Xã A (a), Xã B (b)"
    assert change_text(a, diff=d, names=names) == "took in Xã C (c); took a part of Xã S (s)"
    with using("vi"):
        assert change_text(s, diff=d, names=names) == "chia, tách vào Xã A (a), Xã B (b)"
        assert "tiếp nhận một phần của Xã S (s)" in change_text(a, diff=d, names=names)
    from rich.console import Console

    from orgmodel._render import diff_view

    console = Console(width=200, record=True, color_system=None)
    console.print(diff_view(d, fates=fates(out)))
    text = console.export_text()
    assert "split among Xã A (a), Xã B (b)" in text
    html = out._repr_html_() if hasattr(out, "_repr_html_") else ""
    if html:
        assert "split among" in html


def test_the_workbook_changes_sheet_says_where_the_parts_went(tmp_path):
    openpyxl = pytest.importorskip("openpyxl")
    out = simulate(SPLIT_THEN_MERGE)
    path = tmp_path / "out.xlsx"
    om.export_workbook(path, out.after, outcome=out)
    ws = openpyxl.load_workbook(path)["Changes"]
    rows = {r[0]: r for r in ws.iter_rows(min_row=2, values_only=True)}
    assert rows["s"][1] == "split" and rows["s"][5] == "split among Xã A (a), Xã B (b)"
    assert "took a part of Xã S (s)" in rows["a"][5]


# -- refusals ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    ("steps", "where", "code", "english", "vietnamese"),
    [
        (
            "  - split: s\n    into:\n      - {id: a, share: 0.7}\n      - {id: b, share: 0.2}\n",
            (7, 7),
            "split_shares_sum",
            "the shares add up to 0.9, not 1",
            "tổng các tỷ lệ là 0.9, không phải 1",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, share: 0.7}\n      - {id: b}\n",
            (8, 9),
            "split_shares_mixed",
            "either every part states 'share' or none does (then the parts are even); 1 of 2 do",
            "có 1 trên 2 phần ghi",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, share: -0.5}\n      - {id: b, share: 1.5}\n",
            (7, 24),
            "split_share_invalid",
            "'share' must be a number above 0 and at most 1, got float -0.5",
            "'share' (tỷ lệ) phải là số lớn hơn 0",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, share: 0}\n      - {id: b, share: 1}\n",
            (7, 24),
            "split_share_invalid",
            "got int 0",
            "nhận được",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, share: yes}\n",
            (7, 24),
            "split_share_invalid",
            "got",
            "tỷ lệ",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, civil_servants: 12}\n",
            (7, 17),
            "split_part_count",
            "a part of a split takes no 'civil_servants'",
            "một phần của bước split không nhận 'civil_servants'",
        ),
        (
            "  - split: s\n    into:\n      - {id: a, deputies: 1}\n",
            (7, 17),
            "split_part_count",
            "takes no 'deputies'",
            "không nhận 'deputies'",
        ),
        (
            "  - split: s\n    into:\n      - {id: a}\n      - {id: a}\n",
            (8, 14),
            "split_part_twice",
            "part 'a' is listed twice in 'into'",
            "phần 'a' được liệt kê hai lần",
        ),
        (
            "  - split: s\n    into: [{id: a}, {id: b}]\n    successor: c\n",
            (7, 16),
            "split_successor_not_part",
            "successor 'c' is not one of the parts ('a', 'b')",
            "đơn vị kế thừa 'c' không phải là một trong các phần",
        ),
        (
            "  - split: s\n    into: [{id: a, children: [s1]}, {id: b, children: [s1]}]\n",
            (6, 56),
            "split_child_twice",
            "child 's1' is given to more than one part",
            "được giao cho nhiều hơn một phần",
        ),
        (
            "  - split: s\n    into: []\n",
            (6, 11),
            "split_no_parts",
            "a split step needs at least one part in 'into'",
            "cần ít nhất một phần",
        ),
        (
            "  - split: s\n    into: a\n",
            (6, 11),
            "split_into_not_list",
            "'into' of a split takes a list of parts",
            "nhận danh sách các phần",
        ),
        (
            "  - split: s\n    into: [a, b]\n",
            (6, 12),
            "split_part_not_mapping",
            "each part of a split is a mapping",
            "là một ánh xạ",
        ),
        (
            "  - split: s\n    into: [{name: A}]\n",
            (6, 12),
            "split_part_needs_id",
            "a part of a split needs 'id'",
            "cần 'id'",
        ),
        (
            "  - split: s\n    into: [{id: a, children: s1}]\n",
            (6, 30),
            "split_children_not_list",
            "'children' of a part must be a list of unit ids",
            "phải là danh sách mã đơn vị",
        ),
        (
            "  - split: s\n    into: [{id: a, nmae: A}]\n",
            (6, 20),
            "unknown_field",
            "did you mean 'name'?",
            "trường không hợp lệ 'nmae'",
        ),
        (
            "  - split: s\n    into: [{id: a}]\n    to: c\n",
            (7, 5),
            "unknown_step_key",
            "unknown key 'to' in a split step",
            "'to'",
        ),
        # refused when applied: at the step's line
        (
            "  - rename: c\n    name: C\n  - split: nowhere\n    into: [{id: a}]\n",
            (7, None),
            "unknown_unit",
            "step 2 (split, line 7): unknown unit 'nowhere'",
            "bước 2 (split, dòng 7)",
        ),
        (
            "  - split: s\n    into: [{id: a}, {id: s1}]\n",
            (5, None),
            "split_part_inside",
            "part 's1' is inside the split unit 's'",
            "phần 's1' nằm trong đơn vị bị chia, tách 's'",
        ),
        (
            "  - split: s\n    into: [{id: a}, {id: c, name: C}]\n",
            (5, None),
            "split_existing_fields",
            "part 'c' is an existing unit: it takes only 'id', 'share' and 'children', not 'name'",
            "phần 'c' là đơn vị hiện có",
        ),
        (
            "  - split: s\n    into: [{id: a, children: [c]}]\n",
            (5, None),
            "split_not_child",
            "'c' is not a direct child of the split unit 's'",
            "không phải là đơn vị cấp dưới trực tiếp",
        ),
        (
            "  - split: s\n    into: [{id: a, parent: s2}]\n",
            (5, None),
            "split_parent_inside",
            "the parent 's2' of part 'a' is the split unit or inside it",
            "cấp trên 's2' của phần 'a'",
        ),
        (
            "  - split: s\n    into: [{id: a, share: 0.1}, {id: b, share: 0.9}]\n",
            (5, None),
            "leaders_exceed_civil_servants",
            "unit 'a' states 2 civil servants but holds 1 head and 2 deputies",
            "khai 2 biên chế",
        ),
        (
            "  - split: s\n    into: [{id: a}]\n  - split: s\n    into: [{id: b}]\n",
            (7, None),
            "unit_removed",
            "unit 's' was removed by step 1 (split, line 5)",
            "đã bị loại bỏ ở bước 1 (split, dòng 5)",
        ),
    ],
)
def test_a_bad_split_is_refused_at_its_line_in_both_languages(
    steps, where, code, english, vietnamese
):
    with pytest.raises(om.PlanError) as info:
        simulate(steps)
    e = info.value
    assert e.file == "p.yaml"
    assert e.code == code, str(e)
    assert (e.line, e.column) == where, str(e)
    assert english in str(e)
    vi = message_text(e.message, "vi")
    assert vietnamese in vi
    assert vi != str(e.message)


def test_a_refusal_reads_in_vietnamese_on_the_command_line(tmp_path, capsys):
    from orgmodel._cli import main

    (tmp_path / "org.yaml").write_text(ORG, encoding="utf-8")
    (tmp_path / "p.yaml").write_text(
        "format: orgmodel-plan/1\nsteps:\n  - split: s\n    into:\n"
        "      - {id: a, share: 0.5}\n      - {id: b, share: 0.4}\n",
        encoding="utf-8",
    )
    assert (
        main(["simulate", str(tmp_path / "org.yaml"), str(tmp_path / "p.yaml"), "--lang", "vi"])
        == 2
    )
    err = capsys.readouterr().err
    assert (
        "p.yaml:5:7: bước 1 (split, dòng 3)" in err and "tổng các tỷ lệ là 0.9, không phải 1" in err
    )


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"op": "split", "units": ("s",)}, "at least one part"),
        ({"op": "split", "units": ("s", "c"), "parts": ({"id": "a"},)}, "exactly one unit"),
        ({"op": "split", "units": ("s",), "parts": ({"id": "a"}, {"id": "a"})}, "listed twice"),
        (
            {"op": "split", "units": ("s",), "parts": ({"id": "a", "share": 0.5},)},
            "add up to 0.5",
        ),
        ({"op": "split", "units": ("s",), "parts": ({"id": "a"},), "target": "b"}, "successor"),
        ({"op": "merge", "units": ("s", "c"), "parts": ({"id": "a"},)}, "only a split"),
        (
            {"op": "split", "units": ("s",), "parts": ({"id": "a", "head": 1},)},
            "takes no 'head'",
        ),
        ({"op": "split", "units": ("s",), "parts": ({"id": ""},)}, "needs 'id'"),
        ({"op": "split", "units": ("s",), "parts": ({"id": "a", "share": 2.0},)}, "at most 1"),
        (
            {"op": "split", "units": ("s",), "parts": ({"id": "a"},), "fields": {"name": "A"}},
            "gives fields to its parts",
        ),
    ],
)
def test_a_split_built_in_python_keeps_the_shape_a_file_must_have(kwargs, fragment):
    with pytest.raises(ValidationError, match=fragment):
        om.Step(**kwargs)


def test_a_split_built_in_python_simulates_as_the_file_does():
    step = om.Step(
        op="split",
        units=("s",),
        parts=(
            om.Part(id="new-a", share=0.7, name="Xã A"),
            om.Part(id="c", share=0.3, children=("s2",)),
        ),
    )
    built = om.simulate(org(), om.Plan(name="p", effective="2025-07-01", steps=(step,)))
    read = simulate(SHARES)
    assert built.after == read.after and built.lineage == read.lineage
    assert plan(SHARES).steps == (step,)


# -- round trip ----------------------------------------------------------------------------
def test_dumps_plan_round_trips_a_split():
    p = plan(
        "  - split: s\n    into:\n"
        "      - {id: new-a, name: 'Xã A: bắc', parent: prov, share: 0.7, children: [s1, s2],"
        " functions: ['a, b'], class: II, reorganized: 2025-07-01, note: '#1'}\n"
        "      - {id: '007', share: 0.3}\n"
        "    successor: '007'\n    note: chia, tách\n"
        "  - split: c\n    into: [{id: c}, {id: c2, kind: division, level: commune}]\n"
    )
    text = dumps_plan(p)
    assert om.loads_plan(text).steps == p.steps
    assert om.loads_plan(dumps_plan(om.loads_plan(text))).steps == p.steps


def test_the_plan_schema_knows_the_split_step():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from orgmodel._schema import plan_schema

    data = yaml.safe_load("format: orgmodel-plan/1\nsteps:\n" + SPLIT_THEN_MERGE)
    data["steps"][0]["successor"] = "s-a"
    jsonschema.validate(data, plan_schema())
    data["steps"][0]["into"][0]["civil_servants"] = 3
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(data, plan_schema())


# -- properties ----------------------------------------------------------------------------
@st.composite
def split_cases(draw: st.DrawFn) -> tuple[om.Org, om.Step]:
    o = draw(orgs(max_units=12))
    assume(len(o) >= 2)
    x = draw(st.sampled_from(o.units[1:]))
    inside = {u.id for u in o.subtree(x.id)}
    outside = [u.id for u in o.units if u.id not in inside]
    existing = draw(st.lists(st.sampled_from(outside), unique=True, max_size=2))
    new = [f"part~{j}" for j in range(draw(st.integers(0, 3)))]
    assume(not set(new) & set(o.ids))
    ids = existing + new + ([x.id] if draw(st.booleans()) else [])
    assume(ids)
    ids = draw(st.permutations(ids))
    weights = draw(st.none() | st.lists(st.integers(1, 9), min_size=len(ids), max_size=len(ids)))
    kids = o.child_ids(x.id)
    owner = {c: draw(st.sampled_from([None, *ids])) for c in kids}
    parts = tuple(
        om.Part(
            id=pid,
            share=None if weights is None else weights[j] / sum(weights),
            children=tuple(c for c in kids if owner[c] == pid),
        )
        for j, pid in enumerate(ids)
    )
    target = draw(st.none() | st.sampled_from(ids))
    return o, om.Step(op="split", units=(x.id,), parts=parts, target=target)


@settings(FIXED, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(split_cases())
def test_a_split_conserves_staff_and_carries_the_leaders_to_its_successor(case):
    o, step = case
    x = o[step.units[0]]
    ids = [p.id for p in step.parts]
    succ = step.target or ids[0]
    try:
        out = om.simulate(o, om.Plan(steps=(step,)), rulebook=[])
    except om.PlanError as e:
        # the only refusals left: a successor whose share cannot hold the leaders, or a unit
        # stating no civil servants given some with leaders beyond them
        assert e.code in (
            "leaders_exceed_civil_servants",
            "mixed_unstated_one",
            "split_successor_share",
        ), str(e)
        return
    before, after = o.totals(), out.after.totals()
    assert after.civil_servants == before.civil_servants
    assert after.public_employees == before.public_employees
    led = out.ledger
    assert led.civil_servants_released == led.civil_servants_created == 0
    new = [p for p in ids if p == x.id or p not in o.ids]
    assert len(out.after) == len(o) - 1 + len(new)
    assert led.removed_focal_points == 1 - len(new)
    lines = {line.unit: line for line in led.leadership}
    own = o[succ].leaders if succ in o.ids and succ != x.id else 0
    assert lines[succ].carried == x.leaders + own
    for p in new:
        if p != succ:
            assert lines[p].carried == 0 and out.after[p].leaders == 0
    assert out.lineage[x.id] == succ
    assert set(out.split_into[x.id]) == set(ids) and out.split_into[x.id][0] == succ
    for p in ids:
        assert x.id in out.origins[p]
    assert lineage_from_events(o, out.events) == out.lineage
    assert _replay(o, out.events)[1] == out.split_into
    # each part's figures: its share, the sum kept, no part more than one off its quota
    got = [
        out.after[p].civil_servants - (o[p].civil_servants if p in o.ids and p != x.id else 0)
        for p in ids
    ]
    assert sum(got) == x.civil_servants
    quota = [
        Fraction(x.civil_servants) * Fraction(repr(p.share))
        if p.share
        else Fraction(x.civil_servants, len(ids))
        for p in step.parts
    ]
    total = sum(Fraction(repr(p.share)) for p in step.parts) if step.parts[0].share else 1
    assert all(abs(g - q / total) < 1 for g, q in zip(got, quota, strict=True))
    for p in step.parts:
        for c in p.children:
            assert out.after[c].parent == p.id
    for c in o.child_ids(x.id):
        if not any(c in p.children for p in step.parts):
            assert out.after[c].parent == succ
    d = out.diff
    (gone,) = [u for u in d.notable if u.id == x.id and u.status in ("closed", "changed")]
    assert set(gone.split_into) == set(ids)
    assert om.loads(om.dumps(out.after)) == out.after
    assert om.loads_plan(dumps_plan(om.Plan(steps=(step,)))).steps == (step,)


POOL = ["n1", "n2", "n3"]


@st.composite
def plans_with_splits(draw: st.DrawFn) -> tuple[om.Org, list[str]]:
    o = draw(orgs(max_units=10))
    ids = [json.dumps(u.id, ensure_ascii=False) for u in o] + POOL  # YAML reads JSON's
    lines = []
    for i in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["split", "split", "merge", "absorb", "dissolve", "create"]))
        a, b, c = (draw(st.sampled_from(ids) | st.sampled_from(POOL)) for _ in range(3))
        if op == "split":
            parts = draw(st.lists(st.sampled_from([a, b, c, *POOL]), min_size=1, max_size=3))
            into = ", ".join(f"{{id: {p}}}" for p in dict.fromkeys(parts))
            lines.append(f"  - split: {a}\n    into: [{into}]")
        elif op == "merge":
            into = draw(st.sampled_from([a, b, c, *POOL]))
            lines.append(f"  - merge: [{a}, {b}]\n    into: {{id: {into}, parent: {ids[0]}}}")
        elif op == "absorb":
            lines.append(f"  - absorb: {a}\n    into: {b}")
        elif op == "dissolve":
            lines.append(f"  - dissolve: {a}")
        else:
            lines.append(f"  - create: {{id: {a}, parent: {b}, kind: division, name: N{i}}}")
    return o, lines


@settings(FIXED, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(plans_with_splits())
def test_random_plans_with_splits_keep_lineage_split_into_and_origins_consistent(case):
    o, lines = case
    good: list[str] = []  # the steps that apply, each after the ones kept before it
    out = om.simulate(o, plan(""))
    for line in lines:
        try:
            out = om.simulate(o, plan("\n".join([*good, line]) + "\n"))
        except om.PlanError:
            continue
        good.append(line)
    lin = out.lineage
    assert _replay(o, out.events) == (lin, out.split_into)
    for uid, parts in out.split_into.items():
        assert all(p in out.after for p in parts)
        assert lin[uid] is None or lin[uid] == parts[0]
    for res, src in out.origins.items():
        assert res in out.after
        assert all(lin[x] == res or res in out.split_into.get(x, ()) for x in src)
    d = out.diff
    for u in d.notable:
        if u.status == "closed" and lin.get(u.id) is not None and u.id not in out.split_into:
            assert u.merged_into == lin[u.id]
    assert om.loads(om.dumps(out.after)) == out.after
    assert out.ledger.civil_servants_before - out.ledger.civil_servants_after == (
        out.ledger.civil_servants_released - out.ledger.civil_servants_created
    )


def test_the_diff_frame_has_where_each_split_unit_went():
    pytest.importorskip("pandas")
    f = simulate(SPLIT_THEN_MERGE).diff.to_frame().set_index("id")
    assert f.loc["s", "split_into"] == "a, b" and f.loc["b", "split_from"] == "s"
    assert f.loc["c", "merged_into"] == "a"


PART_VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-2, 3),
    st.sampled_from([0.5, 0.25, 1.0, -0.1, float("nan"), 1e-12]),
    st.sampled_from(["s", "s1", "c", "d", "x", "", "2024-01-01", "division", "II"]),
    st.lists(st.sampled_from(["s1", "s2", "c", 7]), max_size=3),
)
PART_KEYS = ["id", "share", "children", "name", "parent", "kind", "level", "class", "note"]
PART_KEYS += ["functions", "civil_servants", "head", "bogus"]


@st.composite
def fuzzed_splits(draw: st.DrawFn) -> str:
    unit = json.dumps(draw(st.sampled_from(["s", "c", "s1", "prov", "x", 5, None])))
    parts = draw(
        st.lists(st.dictionaries(st.sampled_from(PART_KEYS), PART_VALUES, max_size=4), max_size=3)
    )
    into = json.dumps(parts if draw(st.booleans()) else draw(PART_VALUES))
    out = f"  - split: {unit}\n    into: {into}\n"
    if draw(st.booleans()):
        out += f"    successor: {json.dumps(draw(PART_VALUES))}\n"
    return out


@settings(FIXED, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed_splits())
def test_fuzzed_splits_give_located_plan_errors_or_outcomes(steps):
    try:
        out = simulate(steps)
    except om.PlanError as e:
        assert str(e).startswith("p.yaml:") and e.line is not None and e.line >= 5
        assert message_text(e.message, "vi")
        return
    assert out.after.totals().civil_servants == out.before.totals().civil_servants


def test_a_successor_left_no_civil_servants_is_refused() -> None:
    """A share rounding to 0 would read as "not stated" while the successor holds the leaders
    (20 civil servants, 3 leaders; 1% gives 0)."""
    org = om.loads(
        "format: orgmodel/1\nunits:\n  - id: p\n    kind: peoples_committee\n"
        "    level: province\n    name: P\n    children:\n"
        "      - {id: dep, kind: department, name: D, civil_servants: 20, deputies: 2}\n"
    )
    plan = om.loads_plan(
        "format: orgmodel-plan/1\nsteps:\n  - split: dep\n    into:\n"
        "      - {id: a, share: 0.01}\n      - {id: b, share: 0.99}\n"
    )
    with pytest.raises(om.PlanError) as e:
        om.simulate(org, plan)
    assert e.value.code == "split_successor_share"
    assert "successor 'a' takes 3 leaders but its share gives it 0 of the 20" in str(e.value)


@pytest.mark.parametrize("share", ["0.5", True])
def test_a_python_part_takes_only_a_number_as_share(share: object) -> None:
    with pytest.raises(ValueError):
        om.Part(id="a", share=share)  # type: ignore[arg-type]
