"""The `transfer` plan step (điều động): its file form, its refusals, and its ledger by hand."""

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import orgmodel as om
from orgmodel._plan import UnitFields, dumps_plan

# Decree 150/2025 on 2025-07-01: a division under a department needs 7 civil servants and
# holds 1 deputy below 10 civil servants, 2 from 10 to 14, 3 from 15
MODEL = """format: orgmodel/1
name: t
as_of: 2025-07-01
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
        deputies: 1
        children:
          - {id: A, kind: division, name: A, civil_servants: 12, deputies: 3}
          - {id: B, kind: division, name: B, civil_servants: 8, head: 0}
          - {id: C, kind: division, name: C, civil_servants: 9, deputies: 1}
"""


def org() -> om.Org:
    return om.loads(MODEL)


def plan(steps: str) -> om.Plan:
    return om.loads_plan(
        f"format: orgmodel-plan/1\nname: p\neffective: 2025-07-01\nsteps:\n{steps}",
        source="p.yaml",
    )


def test_a_transfer_reads_and_dumps_back():
    p = plan(
        "  - transfer: A   # điều động\n    to: B\n    deputies: 2\n    civil_servants: 3\n"
        "    note: two deputies and a specialist\n"
        "  - transfer: C\n    to: B\n    deputies: 1\n"
        "  - transfer: A\n    to: C\n    civil_servants: 2\n"
    )
    first, second, third = p.steps
    assert first == om.Step(
        op="transfer",
        units=("A",),
        target="B",
        fields=UnitFields(deputies=2, civil_servants=3),
        note="two deputies and a specialist",
    )
    assert second.fields.civil_servants is None  # the movers' own posts: 1
    assert third.fields.deputies is None  # civil-servant posts alone
    text = dumps_plan(p)
    assert "  - transfer: A\n    to: B\n    deputies: 2\n    civil_servants: 3\n" in text
    assert om.loads_plan(text).steps == p.steps


@pytest.mark.parametrize(
    ("steps", "code", "where"),
    [
        (
            "  - transfer: A\n    to: B\n    deputies: 2\n    civil_servants: 1\n",
            "transfer_posts_fewer",
            "p.yaml:8:",
        ),
        ("  - transfer: A\n    to: A\n    deputies: 1\n", "transfer_itself", "p.yaml:6:"),
        ("  - transfer: A\n    to: B\n", "transfer_nothing", "p.yaml:5:"),
        ("  - transfer: A\n    deputies: 1\n", "step_needs", "p.yaml:5:"),
        ("  - transfer: A\n    to: B\n    head: 1\n", "unknown_step_key", "p.yaml:7:"),
        ("  - transfer: A\n    to: B\n    deputies: -1\n", "count_range", "p.yaml:7:"),
    ],
)
def test_a_bad_transfer_is_refused_where_it_is_written(steps, code, where):
    with pytest.raises(om.PlanError) as info:
        plan(steps)
    e = info.value
    assert str(e).startswith(where), str(e)
    assert "step 1 (transfer, line 5)" in str(e)
    if code != "count_range":
        assert e.code == code, (e.code, str(e))


def test_a_bad_transfer_is_refused_from_python_too():
    with pytest.raises(ValidationError, match="at least their 2 civil-servant posts"):
        om.Step(
            op="transfer",
            units=("A",),
            target="B",
            fields=UnitFields(deputies=2, civil_servants=1),
        )
    with pytest.raises(ValidationError, match="to itself"):
        om.Step(op="transfer", units=("A",), target="A", fields=UnitFields(deputies=1))
    with pytest.raises(ValidationError, match="needs 'to'"):
        om.Step(op="transfer", units=("A",), fields=UnitFields(deputies=1))
    with pytest.raises(ValidationError, match="only 'deputies' and 'civil_servants'"):
        om.Step(op="transfer", units=("A",), target="B", fields=UnitFields(head=1))


@pytest.mark.parametrize(
    ("steps", "code", "fragment"),
    [
        (
            "  - transfer: A\n    to: B\n    deputies: 4\n",
            "transfer_deputies_exceed",
            "'A' holds 3 deputies",
        ),
        (
            "  - transfer: A\n    to: B\n    deputies: 1\n    civil_servants: 13\n",
            "transfer_civil_servants_exceed",
            "'A' holds 12 civil servants",
        ),
        (
            "  - transfer: A\n    to: B\n    civil_servants: 9\n",
            "leaders_exceed_civil_servants",
            "states 3 civil servants but holds 1 head and 3 deputies",
        ),
        ("  - transfer: nobody\n    to: B\n    deputies: 1\n", "unknown_unit", "'nobody'"),
        (
            "  - dissolve: B\n  - transfer: A\n    to: B\n    deputies: 1\n",
            "unit_removed",
            "'B' was removed by step 1 (dissolve, line 5)",
        ),
    ],
)
def test_a_transfer_the_model_cannot_make_is_refused_at_its_step(steps, code, fragment):
    with pytest.raises(om.PlanError) as info:
        om.simulate(org(), plan(steps))
    e = info.value
    assert e.code == code and fragment in str(e), str(e)
    assert e.file == "p.yaml" and e.line == (6 if code == "unit_removed" else 5)


def test_the_movers_fill_the_vacant_head_post_first():
    # A (12 cs, 1 head + 3 deputies; legal 1 + 2) sends 2 deputies and 3 posts to B (8 cs,
    # no head, no deputy; legal 1 + 1): A keeps 9 cs, 1 head + 1 deputy; B gets 11 cs,
    # 1 head (the first mover) + 1 deputy (the second)
    o = om.simulate(
        org(), plan("  - transfer: A\n    to: B\n    deputies: 2\n    civil_servants: 3\n")
    )
    a, b = o.after["A"], o.after["B"]
    assert (a.civil_servants, a.head, a.deputies) == (9, 1, 1)
    assert (b.civil_servants, b.head, b.deputies) == (11, 1, 1)
    assert [u.id for u in o.after.units] == [u.id for u in o.before.units]  # no structure change
    (e,) = o.events
    assert (e.event, e.original, e.resulting) == ("transfer", ("A",), ("B",))
    led = o.ledger
    assert (led.posts_moved, led.civil_servants_moved) == (2, 3)
    assert (led.civil_servants_released, led.civil_servants_created) == (0, 0)
    assert led.civil_servants_before == led.civil_servants_after == 5 + 12 + 8 + 9
    lines = {x.unit: x for x in led.leadership}
    # A: 4 leaders - 2 movers = 2 carried; 9 cs -> 1 deputy allowed: legal 2, none without post
    assert (lines["A"].carried, lines["A"].legal_posts, lines["A"].held) == (2, 2, 2)
    # B: 0 + 2 movers carried; 11 cs -> 2 deputies allowed: legal 3, 1 post still vacant
    assert (lines["B"].carried, lines["B"].legal_posts, lines["B"].vacant_legal_posts) == (2, 3, 1)
    assert led.leaders_without_post == 0
    # the whole model: A held 1 post above its maximum (4 > 3); B and C had 2 and 0 vacant
    assert o.posts == {
        "above_legal_maximum": {"before": 1, "after": 0},
        "vacant_legal_posts": {"before": 2, "after": 1},
    }
    d = o.to_dict()
    assert (d["posts_moved"], d["civil_servants_moved"]) == (2, 3)
    assert d["posts"] == o.posts
    assert not o.introduced


def test_a_mover_into_a_unit_with_a_head_becomes_a_deputy():
    o = om.simulate(org(), plan("  - transfer: A\n    to: C\n    deputies: 1\n"))
    c = o.after["C"]
    assert (c.civil_servants, c.head, c.deputies) == (10, 1, 2)


def test_the_simulate_views_show_the_transfer_lines(tmp_path, capsys):
    from orgmodel._cli import main

    m = tmp_path / "m.yaml"
    m.write_text(MODEL)
    p = tmp_path / "p.yaml"
    p.write_text(
        "format: orgmodel-plan/1\nname: p\nsteps:\n  - transfer: A\n    to: B\n    deputies: 2\n"
    )
    assert main(["simulate", str(m), str(p), "--format", "md"]) == 0
    out = capsys.readouterr().out
    assert "| posts moved (transfers) | 2 (2 civil servants) |" in out
    assert "| posts above the legal maximum, whole model: before → after | 1 → 0 |" in out
    assert main(["simulate", str(m), str(p), "--lang", "vi"]) == 0
    assert "chức danh được điều động" in capsys.readouterr().out
    # a plan without transfers keeps its ledger as it was
    p.write_text("format: orgmodel-plan/1\nname: p\nsteps:\n  - rename: A\n    name: X\n")
    assert main(["simulate", str(m), str(p), "--format", "md"]) == 0
    assert "posts moved" not in capsys.readouterr().out


@st.composite
def transfers_on(draw: st.DrawFn):
    from .strategies import orgs

    o = draw(orgs(max_units=12))
    units = list(o.units)
    x = draw(st.sampled_from(units))
    y = draw(st.sampled_from([u for u in units if u.id != x.id] or units))
    n = draw(st.integers(0, x.deputies))
    m = draw(st.integers(n, max(n, x.civil_servants)))
    return o, x.id, y.id, n, m


@settings(max_examples=60, deadline=None)
@given(transfers_on())
def test_a_transfer_conserves_civil_servants_and_leaders(case):
    o, x, y, n, m = case
    if x == y or n + m == 0:
        return
    step = om.Step(
        op="transfer", units=(x,), target=y, fields=UnitFields(deputies=n, civil_servants=m)
    )
    try:
        out = om.simulate(o, om.Plan(steps=(step,)))
    except om.PlanError as e:  # the sender would keep more leaders than civil servants
        assert e.code in ("leaders_exceed_civil_servants", "step_leaders_exceed")
        return
    tb, ta = o.totals(), out.after.totals()
    assert tb.civil_servants == ta.civil_servants
    assert sum(u.leaders for u in o.units) == sum(u.leaders for u in out.after.units)
    assert out.ledger.civil_servants_released == out.ledger.civil_servants_created == 0
    assert (out.ledger.posts_moved, out.ledger.civil_servants_moved) == (n, m)
    assert om.loads_plan(dumps_plan(out.plan)).steps == out.plan.steps


def test_the_plan_schema_knows_the_transfer_step():
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    from orgmodel._schema import plan_schema

    good = "  - transfer: A\n    to: B\n    deputies: 2\n    civil_servants: 3\n    note: x\n"
    data = yaml.safe_load(f"format: orgmodel-plan/1\nsteps:\n{good}")
    jsonschema.validate(data, plan_schema())
    plan(good)  # the loader agrees
    for bad in (
        "  - transfer: A\n    deputies: 2\n",  # no 'to'
        "  - transfer: A\n    to: B\n    head: 1\n",  # not a transfer's key
        "  - transfer: A\n    to: B\n    deputies: -1\n",
    ):
        data = yaml.safe_load(f"format: orgmodel-plan/1\nsteps:\n{bad}")
        with pytest.raises(jsonschema.ValidationError):
            jsonschema.validate(data, plan_schema())
        with pytest.raises(om.PlanError):
            plan(bad)
