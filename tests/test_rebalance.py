"""Rebalancing (điều động cán bộ): hand-worked assignments, minimums kept, the Hue example, the
command, and the invariants (no finding introduced, people conserved)."""

import datetime as dt

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._cli import main
from orgmodel._plan import dumps_plan
from orgmodel._rebalance import transfers
from orgmodel._rules import run, select
from orgmodel._simulate import leadership_posts

from .conftest import EXAMPLES

HUE = EXAMPLES / "hue" / "hue-2025.yaml"
HUE_PLAN = EXAMPLES / "hue" / "plan-2025.yaml"
HUE_REBALANCE = EXAMPLES / "hue" / "rebalance-2025.yaml"
DAY = dt.date(2025, 7, 1)  # Decree 150/2025: a division under a department needs 7 civil
# servants and holds 1 deputy below 10 civil servants, 2 from 10 to 14, 3 from 15


def model(body: str) -> om.Org:
    head = (
        "format: orgmodel/1\nname: t\nas_of: 2025-07-01\nunits:\n"
        "  - id: pc\n    kind: peoples_committee\n    level: province\n    class: III\n"
        "    name: PC\n    head: 0\n    children:\n"
    )
    return om.loads(head + body)


def moves(plan: om.Plan) -> list[tuple[str, str, int, int]]:
    return [
        (s.units[0], s.target or "", s.fields.deputies or 0, s.fields.civil_servants or 0)
        for s in plan.steps
    ]


TWO_DEPARTMENTS = """\
      - id: dep1
        kind: department
        name: D1
        civil_servants: 5
        deputies: 1
        children:
          - {id: A, kind: division, name: A, civil_servants: 12, deputies: 3}
          - {id: B, kind: division, name: B, civil_servants: 8, head: 0}
      - id: dep2
        kind: department
        name: D2
        civil_servants: 5
        deputies: 1
        children:
          - {id: C, kind: division, name: C, civil_servants: 8, head: 0}
"""


def test_the_nearer_receiver_is_preferred():
    # A: 12 civil servants allow 2 deputies; it holds 1 head + 3 deputies: 1 post above.
    # B (same parent, distance 2) and C (same People's Committee, distance 4) each have 2
    # vacant posts: the one post goes to B, with its civil-servant post
    o = model(TWO_DEPARTMENTS)
    p = om.rebalance(o)
    assert moves(p) == [("A", "B", 1, 1)]
    assert p.effective == DAY
    assert "same parent" in (p.steps[0].note or "")
    assert "decree-150-2025 division-max-deputies" in (p.steps[0].note or "")
    assert "Decree 150/2025/ND-CP, Art. 6(2)" in (p.steps[0].note or "")
    # the rest: nothing above the maximum, 3 vacant posts (B's second, C's two)
    assert "Left: 0 posts above the legal maximum" in (p.note or "")
    assert "3 vacant legal posts no one can fill" in (p.note or "")


def test_the_cost_the_flow_minimizes_is_checked_by_hand():
    # two senders with 1 post each, two receivers with 1 vacancy each; A1 and A2 under dep1,
    # R1 under dep1 and R2 under dep2. The cheapest total: A1 -> R1 and A2 -> R1 cost the
    # same (tier 0, distance 2), but R1 takes one: the other goes to R2 (tier 1, distance 4).
    # Functions break the tie: A2 does R1's work, so A2 -> R1 and A1 -> R2.
    o = model(
        """\
      - id: dep1
        kind: department
        name: D1
        children:
          - {id: A1, kind: division, name: A1, civil_servants: 12, deputies: 3, functions: [roads]}
          - {id: A2, kind: division, name: A2, civil_servants: 12, deputies: 3, functions: [tax]}
          - {id: R1, kind: division, name: R1, civil_servants: 8, head: 0, deputies: 1,
              functions: [tax]}
      - id: dep2
        kind: department
        name: D2
        children:
          - {id: R2, kind: division, name: R2, civil_servants: 8, head: 0, deputies: 1}
"""
    )
    # R1 and R2: 8 civil servants allow 1 deputy; each has 1 deputy and no head: 1 vacant post
    assert moves(om.rebalance(o)) == [("A1", "R2", 1, 1), ("A2", "R1", 1, 1)]


def test_matching_functions_are_preferred_at_equal_distance():
    o = model(
        """\
      - id: dep1
        kind: department
        name: D1
        children:
          - {id: A, kind: division, name: A, civil_servants: 12, deputies: 3,
              functions: [tax, budget]}
          - {id: B1, kind: division, name: B1, civil_servants: 8, head: 0, functions: [planning]}
          - {id: B2, kind: division, name: B2, civil_servants: 8, head: 0, functions: [budget]}
"""
    )
    p = om.rebalance(o)
    assert moves(p) == [("A", "B2", 1, 1)]
    assert "same parent, same functions" in (p.steps[0].note or "")


def test_a_transfer_that_would_push_the_sender_under_its_minimum_is_not_proposed():
    # A holds 1 head + 2 deputies on 7 civil servants (1 deputy allowed: 1 post above); its
    # 7 are the minimum (Art. 5(2)(b)): a mover takes a post with them, so A cannot send
    body = TWO_DEPARTMENTS.replace(
        "civil_servants: 12, deputies: 3", "civil_servants: 7, deputies: 2"
    )
    p = om.rebalance(model(body))
    assert p.steps == ()
    assert "Left: 1 posts above the legal maximum" in (p.note or "")
    # with 8 civil servants it can: 7 are left, and 1 deputy is what 7 allow
    body8 = TWO_DEPARTMENTS.replace(
        "civil_servants: 12, deputies: 3", "civil_servants: 8, deputies: 2"
    )
    assert moves(om.rebalance(model(body8))) == [("A", "B", 1, 1)]


def test_an_ancestor_at_its_minimum_keeps_its_people():
    # a branch needs 12 civil servants with its divisions (Art. 5(4)(c)): 1 + 6 + 5 = 12.
    # Its division br1 holds 1 post above the maximum and could spare one of its 6 (5 is a
    # branch division's minimum), but the branch would fall to 11: the post stays
    body = """\
      - id: dep1
        kind: department
        name: D1
        children:
          - id: br
            kind: branch
            name: Br
            civil_servants: 1
            head: 0
            children:
              - {id: br1, kind: division, name: X, civil_servants: 6, deputies: 2}
              - {id: br2, kind: division, name: Y, civil_servants: 5, deputies: 1}
          - {id: D, kind: division, name: Z, civil_servants: 8, head: 0}
"""
    assert om.rebalance(model(body)).steps == ()
    # one more civil servant on the branch: the post moves to D
    assert moves(
        om.rebalance(model(body.replace("civil_servants: 1\n", "civil_servants: 2\n")))
    ) == [("br1", "D", 1, 1)]


def test_never_across_provinces_nor_to_another_kind_or_level():
    o = om.loads(
        """format: orgmodel/1
name: two provinces
as_of: 2025-07-01
units:
  - id: p1
    kind: peoples_committee
    level: province
    class: III
    name: P1
    head: 0
    children:
      - id: d1
        kind: department
        name: D1
        children:
          - {id: A, kind: division, name: A, civil_servants: 12, deputies: 3}
          - {id: O, kind: office, name: O, civil_servants: 8, head: 0}
      - id: c1
        kind: peoples_committee
        level: commune
        name: C1
        children:
          - {id: K, kind: division, name: K, civil_servants: 8, head: 0}
  - id: p2
    kind: peoples_committee
    level: province
    class: III
    name: P2
    head: 0
    children:
      - id: d2
        kind: department
        name: D2
        children:
          - {id: B, kind: division, name: B, civil_servants: 8, head: 0}
"""
    )
    # O is an office (another kind), K a commune's division (another level), B in P2
    assert om.rebalance(o).steps == ()


def test_senders_can_be_restricted():
    o = model(TWO_DEPARTMENTS)
    books = select(None, DAY)
    assert [s.units[0] for s in transfers(o, books, DAY)] == ["A"]
    assert transfers(o, books, DAY, senders={"B"}) == []


# -- the Hue example ------------------------------------------------------------------------
def test_hue_thuan_hoa_surplus_fills_duong_no_vacancies():
    org, plan = om.load(HUE), om.load_plan(HUE_PLAN)
    after = om.simulate(org, plan).after
    p = om.rebalance(org, plan)
    # Thuan Hoa's office, economy and culture units each hold 1 head + 5 deputies where 1
    # deputy is allowed (4 above each, 12 in all). Duong No's economy and culture divisions
    # have no head and no deputy (2 vacant each, 4 in all); its office is full. An office
    # sends only to an office: the economy and culture divisions send 2 each, to the division
    # of the same name (the units list no functions)
    assert moves(p) == [
        ("hue-thuan-hoa-kinh-te", "hue-duong-no-kinh-te", 2, 2),
        ("hue-thuan-hoa-van-hoa-xa-hoi", "hue-duong-no-van-hoa-xa-hoi", 2, 2),
    ]
    assert p.effective == dt.date(2025, 7, 1)
    assert p.name.startswith("Rebalance of Hue")
    assert "same province, same functions" in (p.steps[0].note or "")
    assert "commune-division-max-deputies, Decree 150/2025/ND-CP, Art. 13(2) and Art. 15" in (
        p.steps[0].note or ""
    )
    o = om.simulate(after, p)
    assert o.posts == {
        "above_legal_maximum": {"before": 12, "after": 8},
        "vacant_legal_posts": {"before": 4, "after": 0},
    }
    assert (o.ledger.posts_moved, o.ledger.civil_servants_moved) == (4, 4)
    duong = o.after["hue-duong-no-kinh-te"]
    assert (duong.civil_servants, duong.head, duong.deputies) == (5, 1, 1)
    thuan = o.after["hue-thuan-hoa-kinh-te"]
    assert (thuan.civil_servants, thuan.head, thuan.deputies) == (22, 1, 3)
    assert not o.introduced_violations and not o.introduced
    # the three divisions' violations remain (fewer posts above), none is cured
    assert len(o.remaining) == 3 and not o.cured
    assert o.after.totals().civil_servants == after.totals().civil_servants == 134
    assert "Left: 8 posts above the legal maximum" in (p.note or "")
    assert "0 vacant legal posts" in (p.note or "")


def test_the_committed_hue_rebalance_is_what_the_command_writes(capsys):
    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "-q", "--lang", "en"]) == 0
    assert capsys.readouterr().out == HUE_REBALANCE.read_text(encoding="utf-8")


# -- the command ------------------------------------------------------------------------------
def test_rebalance_command(tmp_path, capsys):
    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN)]) == 0
    cap = capsys.readouterr()
    assert yaml.safe_load(cap.out)["format"] == "orgmodel-plan/1"
    assert om.loads_plan(cap.out).steps == om.rebalance(om.load(HUE), om.load_plan(HUE_PLAN)).steps
    assert "2 transfers proposed: 4 deputies move with 4 civil-servant posts" in cap.err
    assert "posts above the legal maximum: 12 → 8; vacant legal posts: 4 → 0" in cap.err
    assert "Left: 8 posts" in cap.err

    out = tmp_path / "rb.yaml"
    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "--out", str(out)]) == 0
    assert "wrote" in capsys.readouterr().err
    assert om.load_plan(out).steps == om.loads_plan(cap.out).steps

    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "--lang", "vi", "-q"]) == 0
    cap = capsys.readouterr()
    assert cap.err == ""
    assert "Điều động cán bộ" in cap.out and "cùng tỉnh, cùng chức năng" in cap.out

    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "--lang", "vi"]) == 0
    assert "đề xuất 2 lượt điều động" in capsys.readouterr().err


def test_combined_plan_applies_to_the_model(tmp_path, capsys):
    combined = tmp_path / "combined.yaml"
    assert (
        main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "--combined", "--out", str(combined)])
        == 0
    )
    capsys.readouterr()
    p = om.load_plan(combined)
    plan = om.load_plan(HUE_PLAN)
    assert p.steps[: len(plan.steps)] == plan.steps
    assert [s.op for s in p.steps[len(plan.steps) :]] == ["transfer", "transfer"]
    assert p.effective == plan.effective
    org = om.load(HUE)
    whole = om.simulate(org, p)
    apart = om.simulate(om.simulate(org, plan).after, om.rebalance(org, plan))
    assert whole.after.units == apart.after.units
    assert whole.ledger.posts_above_legal_maximum == 8 and whole.ledger.vacant_legal_posts == 0


def test_rebalance_bad_input_exits_2_and_writes_nothing(tmp_path, capsys):
    out = tmp_path / "rb.yaml"
    # a plan given as the model
    assert main(["rebalance", str(HUE_PLAN), "--out", str(out)]) == 2
    assert "looks like a plan" in capsys.readouterr().err
    # a model given as the plan
    assert main(["rebalance", str(HUE), "--plan", str(HUE), "--out", str(out)]) == 2
    assert "looks like a model" in capsys.readouterr().err
    bad = tmp_path / "bad.yaml"
    bad.write_text(
        "format: orgmodel-plan/1\nsteps:\n  - transfer: nobody\n    to: hue\n    deputies: 1\n"
    )
    assert main(["rebalance", str(HUE), "--plan", str(bad), "--out", str(out)]) == 2
    assert f"{bad}:3" in capsys.readouterr().err
    assert not out.exists()
    # the output may not be an input
    assert main(["rebalance", str(HUE), "--plan", str(HUE_PLAN), "--out", str(HUE_PLAN)]) == 2
    capsys.readouterr()


# -- invariants --------------------------------------------------------------------------------
@st.composite
def provinces(draw: st.DrawFn) -> om.Org:
    """A province with departments (divisions, a branch with divisions) and a commune with
    divisions: figures around the bands and minimums of Decree 150/2025."""
    lines = []

    def division(uid: str, pad: str) -> str:
        cs = draw(st.integers(4, 16))
        head = draw(st.integers(0, 1))
        deputies = draw(st.integers(0, min(4, cs - head)))
        fn = draw(st.sampled_from(["a", "b", "c"]))
        return (
            f"{pad}- {{id: {uid}, kind: division, name: N{fn}, civil_servants: {cs}, "
            f"head: {head}, deputies: {deputies}, functions: [{fn}]}}"
        )

    for d in range(draw(st.integers(1, 3))):
        lines.append(f"      - id: dep{d}\n        kind: department\n        name: D{d}")
        lines.append("        children:")
        for k in range(draw(st.integers(1, 3))):
            lines.append(division(f"d{d}x{k}", "          "))
        if draw(st.booleans()):
            lines.append(
                f"          - id: br{d}\n            kind: branch\n            name: B\n"
                f"            civil_servants: {draw(st.integers(0, 4))}\n            head: 0\n"
                "            children:"
            )
            for k in range(draw(st.integers(1, 2))):
                lines.append(division(f"b{d}x{k}", "              "))
    lines.append("      - id: com\n        kind: peoples_committee\n        level: commune")
    lines.append("        name: X\n        children:")
    for k in range(draw(st.integers(0, 3))):
        lines.append(division(f"cx{k}", "          "))
    return model("\n".join(lines) + "\n")


@settings(max_examples=40, deadline=None)
@given(provinces())
def test_a_rebalance_introduces_no_finding_and_conserves_people(o):
    p = om.rebalance(o)
    assert om.rebalance(o) == p  # deterministic
    books = select(None, DAY)
    out = om.simulate(o, p)
    before = {v.key: v.lawful for v in run(o, books, DAY).violations}
    for v in run(out.after, books, DAY).violations:
        assert v.key in before and (v.lawful or not before[v.key]), v
    assert o.totals().civil_servants == out.after.totals().civil_servants
    assert sum(u.leaders for u in o.units) == sum(u.leaders for u in out.after.units)
    a, b = leadership_posts(o, books, DAY), leadership_posts(out.after, books, DAY)
    moved = sum(s.fields.deputies or 0 for s in p.steps)
    assert b.above <= a.above and b.vacant >= a.vacant - moved
    assert out.ledger.posts_moved == moved
    assert om.loads_plan(dumps_plan(p)).steps == p.steps


def test_combined_without_a_plan_is_refused_in_both_languages(capsys, tmp_path):
    out = tmp_path / "out.yaml"
    org = str(EXAMPLES / "hue" / "hue-2025.yaml")
    assert main(["rebalance", org, "--combined", "--out", str(out)]) == 2
    assert "--combined needs --plan" in capsys.readouterr().err
    assert main(["rebalance", org, "--combined", "--lang", "vi"]) == 2
    assert "--combined cần --plan" in capsys.readouterr().err
    assert not out.exists()  # nothing written


def test_the_summary_speaks_the_language_asked_for():
    from orgmodel._rebalance import rebalanced
    from orgmodel._summary import rebalance_summary

    org = om.load(EXAMPLES / "hue" / "hue-2025.yaml")
    plan = om.load_plan(EXAMPLES / "hue" / "plan-2025.yaml")
    moves, base = rebalanced(om.simulate(org, plan).after)
    outcome = om.simulate(base, moves)
    with om.language("en"):
        vi = rebalance_summary(outcome, "vi")
    # Hue after its merger: 2 transfers move 4 deputies; posts above the maximum 12 -> 8
    assert vi[0] == "đề xuất 2 lượt điều động: 4 cấp phó chuyển đi cùng 4 biên chế công chức"
    assert vi[1].startswith("chức danh vượt số lượng tối đa: 12 → 8")
    assert rebalance_summary(outcome, "en")[0].startswith("2 transfers proposed: 4 deputies")
