"""Hostile plans: reused ids, deep trees, long runs of steps on one unit, wrong field types,
ids in the other Unicode normalization, and the public functions given the wrong arguments."""

from __future__ import annotations

import datetime as dt
import unicodedata

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import orgmodel as om
from orgmodel import _model as om_model
from orgmodel._diff import lineage_from_events
from orgmodel._plan import Plan, Step, UnitFields

from .strategies import orgs

FIXED = settings(derandomize=True, database=None, deadline=None, print_blob=False)

ORG = """format: orgmodel/1
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
        children:
          - {id: a, kind: office, name: A, civil_servants: 6, deputies: 1}
          - id: c
            kind: office
            name: C
            civil_servants: 4
            children:
              - {id: c1, kind: other, name: C1, civil_servants: 2, head: 0}
              - {id: c2, kind: other, name: C2, civil_servants: 2, head: 0}
          - {id: d, kind: office, name: D, civil_servants: 5, deputies: 1}
          - {id: e, kind: office, name: E, civil_servants: 5}
"""


def org() -> om.Org:
    return om.loads(ORG)


def plan(steps: str) -> om.Plan:
    return om.loads_plan(f"format: orgmodel-plan/1\nname: p\nsteps:\n{steps}", source="p.yaml")


def closed(d: om.Diff) -> dict[str, om.UnitDiff]:
    return {u.id: u for u in d.removed}


# -- lineage through reused ids ------------------------------------------------------------
REUSE = (
    "  - merge: [a, c]\n    into: {id: b, name: B}\n"
    "  - merge: [b, d]\n    into: {id: a, name: A again}\n"
)


def test_lineage_through_reused_ids_then_dissolved():
    out = om.simulate(org(), plan(REUSE + "  - dissolve: a\n"))
    lin = out.lineage
    # a, c, d went into b, then into the new a, which is dissolved with c's children
    assert {k: lin[k] for k in ("a", "c", "d", "c1", "c2")} == dict.fromkeys(
        ("a", "c", "d", "c1", "c2")
    )
    assert lin["e"] == "e" and lin["dep"] == "dep"
    d = out.diff
    assert {u.id: u.merged_into for u in d.removed} == dict.fromkeys(("a", "c", "c1", "c2", "d"))
    assert d.merged == {}
    # the events replayed give the same lineage, and diff terminates on them too
    assert lineage_from_events(out.before, out.events) == lin
    assert om.diff(out.before, out.after, lineage=out.events).counts() == d.counts()


def test_lineage_through_reused_ids_kept():
    out = om.simulate(org(), plan(REUSE))
    lin = out.lineage
    assert (lin["a"], lin["c"], lin["d"], lin["c1"]) == ("a", "a", "a", "c1")
    assert out.origins["a"] == ("a", "c", "d")
    a = out.after["a"]
    assert (a.name, a.civil_servants) == ("A again", 15)
    # c's children live under the unit everything was merged into
    assert [u.id for u in out.after.children("a")] == ["c1", "c2"]
    d = out.diff
    assert d.merged == {"a": ("c", "d")}
    assert closed(d)["c"].merged_into == "a" and "a" not in closed(d)
    assert om.loads(om.dumps(out.after)) == out.after


def test_an_id_dissolved_and_created_again_is_closed_and_new():
    out = om.simulate(
        org(),
        plan("  - dissolve: e\n  - create: {id: e, parent: dep, kind: office, name: New E}\n"),
    )
    assert out.lineage["e"] is None
    d = out.diff
    assert "e" in closed(d) and "e" in [u.id for u in d.added]


# -- long runs of steps on one unit, deep trees ------------------------------------------
def hub_org(n: int, kids: int = 0) -> om.Org:
    units = [
        om.Unit(id="pc", kind="peoples_committee", level="province", name="PC", head=0),
        om.Unit(id="dep", parent="pc", kind="department", name="D", civil_servants=9),
        om.Unit(id="hub", parent="dep", kind="division", name="Hub", civil_servants=10),
    ]
    for k in range(n):
        units.append(
            om.Unit(id=f"u{k}", parent="dep", kind="division", name=f"U{k}", civil_servants=10)
        )
        for j in range(kids):
            units.append(om.Unit(id=f"u{k}-{j}", parent=f"u{k}", kind="other", name="x", head=0))
    return om.Org(units, name="hub")


@pytest.mark.parametrize("op", ["merge", "absorb"])
def test_many_merges_into_one_id(op):
    n = 300
    o = hub_org(n, kids=2)
    if op == "merge":
        steps = [
            Step(op="merge", units=("hub", f"u{k}"), fields=UnitFields(id="hub")) for k in range(n)
        ]
    else:
        steps = [Step(op="absorb", units=(f"u{k}",), target="hub") for k in range(n)]
    out = om.simulate(o, Plan(name="hub", steps=tuple(steps)))
    hub = out.after["hub"]
    assert hub.civil_servants == 10 * (n + 1)
    assert [u.id for u in out.after.children("hub")] == [
        f"u{k}-{j}" for k in range(n) for j in (0, 1)
    ]
    assert all(out.lineage[f"u{k}"] == "hub" for k in range(n))
    assert out.diff.merged == {"hub": tuple(f"u{k}" for k in range(n))}
    assert om.loads(om.dumps(out.after)) == out.after


def test_merges_into_a_new_id_each_time_keep_the_children_in_order():
    # the unit with more children is kept internally; the order must not show it
    out = om.simulate(
        org(),
        plan("  - merge: [a, c, d]\n    into: {id: x, name: X}\n  - absorb: x\n    into: e\n"),
    )
    assert [u.id for u in out.after.children("e")] == ["c1", "c2"]
    assert [u.id for u in out.after.children("dep")] == ["e"]
    assert out.after["c1"].parent == "e"
    assert out.lineage["a"] == out.lineage["c"] == "e"
    assert out.origins["e"] == ("a", "c", "d", "e")


def chain(depth: int) -> om.Org:
    units = [om.Unit(id="pc", kind="peoples_committee", level="province", name="PC", head=0)]
    for k in range(depth):
        units.append(
            om.Unit(
                id=f"n{k}",
                parent="pc" if k == 0 else f"n{k - 1}",
                kind="other",
                name=f"N{k}",
                civil_servants=2,
            )
        )
    return om.Org(units, name="chain")


def test_a_chain_as_deep_as_orgmodel_reads_simulates_and_diffs():
    depth = om_model.MAX_DEPTH - 1  # the People's Committee and 999 units under it
    o = chain(depth)
    p = plan(
        "  - create: {id: x1, parent: n998, kind: other, name: X1}\n"
        "  - create: {id: x2, parent: n998, kind: other, name: X2}\n"
        "  - merge: [x1, x2]\n    into: {parent: n996}\n"
        "  - move: n500\n    to: n10\n"
        "  - absorb: n100\n    into: n99\n"
        "  - set: n996\n    civil_servants: 9\n"
        "  - dissolve: n600\n    staff_to: pc\n"
    )
    out = om.simulate(o, p)
    assert len(out.after) == 1 + depth + 2 - 1 - 1 - 400
    assert out.after["n500"].parent == "n10" and out.after["n101"].parent == "n99"
    d = out.diff
    assert closed(d)["n100"].merged_into == "n99"
    assert om.diff(o, out.after).counts()["closed"] == len(d.removed)
    with pytest.raises(om.PlanError, match="own descendant"):
        om.simulate(o, plan("  - move: n0\n    to: n998\n"))
    with pytest.raises(om.PlanError, match="own ancestor"):
        om.simulate(o, plan("  - merge: [n998, n0]\n"))
    # a plan may not nest the units deeper than a file can hold
    with pytest.raises(om.PlanError, match="levels deep"):
        om.simulate(o, plan("  - create: {id: y, parent: n998, kind: other, name: Y}\n"))


# -- merges of stated and unstated civil servants ----------------------------------------
MIXED = """format: orgmodel/1
name: mixed
units:
  - id: top
    kind: other
    name: Top
    children:
      - {id: s, kind: board, name: Stated, civil_servants: 3}
      - {id: u, kind: board, name: Unstated, deputies: 3}
"""


def test_a_merge_of_stated_and_unstated_civil_servants_asks_for_the_figure():
    o = om.loads(MIXED)
    with pytest.raises(om.PlanError) as info:
        om.simulate(o, plan("  - merge: [s, u]\n"))
    e = info.value
    assert e.line == 4 and "step 1 (merge, line 4)" in str(e)
    assert "'u' states no civil servants" in str(e) and "into: {civil_servants: N}" in str(e)
    assert "at least 5" in str(e)
    with pytest.raises(om.PlanError, match="state them first with a 'set' step"):
        om.simulate(o, plan("  - absorb: u\n    into: s\n"))
    # the plan states the figure: no number is invented, and the result round-trips
    out = om.simulate(o, plan("  - merge: [s, u]\n    into: {civil_servants: 6}\n"))
    m = out.after["s"]
    assert (m.civil_servants, m.head, m.deputies) == (6, 1, 4)
    assert om.loads(om.dumps(out.after)) == out.after
    # both unstated: nothing is stated, nothing to hold
    both = om.loads(MIXED.replace("civil_servants: 3", "head: 1"))
    out = om.simulate(both, plan("  - merge: [s, u]\n"))
    assert om.loads(om.dumps(out.after)) == out.after


# -- ids in the other normalization --------------------------------------------------------
def test_a_plan_naming_an_id_in_nfd_finds_the_nfc_unit():
    nfc = unicodedata.normalize("NFC", "phòng-tư-pháp")
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfc != nfd
    o = om.loads(ORG.replace("id: e,", f"id: {nfc},"))
    out = om.simulate(
        o,
        plan(
            f"  - rename: {nfd}\n    name: Tư pháp\n  - merge: [{nfd}, d]\n"
            f"  - move: a\n    to: {nfd}\n"
        ),
    )
    assert out.after[nfc].name == "Tư pháp" and out.after["a"].parent == nfc
    assert out.lineage["d"] == nfc


# -- arguments ------------------------------------------------------------------------------
def test_public_functions_say_what_they_expect():
    o, p = org(), plan("")
    with pytest.raises(TypeError, match=r"expects a Plan .*got NoneType.*load_plan"):
        om.simulate(o, None)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"expects an Org .*got str.*orgmodel.load\(path\)"):
        om.simulate("file.yaml", p)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match=r"diff\(\) expects an Org as its first argument"):
        om.diff("a.yaml", o)  # type: ignore[arg-type]
    with pytest.raises(TypeError, match="second argument"):
        om.diff(o, None)  # type: ignore[arg-type]
    assert om.simulate(o, p, as_of="2026-01-01").day == dt.date(2026, 1, 1)
    assert om.simulate(o, p, as_of=dt.date(2026, 1, 1)).day == dt.date(2026, 1, 1)
    with pytest.raises(ValueError, match="YYYY-MM-DD"):
        om.simulate(o, p, as_of="1/1/2026")
    with pytest.raises(TypeError, match=r"datetime\.date"):
        om.simulate(o, p, as_of=20260101)  # type: ignore[arg-type]


# -- every field of every step, wrong -----------------------------------------------------
@pytest.mark.parametrize(
    ("step", "fragments"),
    [
        ("  - dissolve: a\n    note: 5\n", ["p.yaml:5:", "step 1 (dissolve, line 4)", "'note'"]),
        ("  - move: a\n    to: d\n    note: [x]\n", ["p.yaml:6:", "'note' must be text"]),
        ("  - merge: [a, d]\n    note: {x: 1}\n", ["step 1 (merge, line 4)", "'note'"]),
        ("  - merge: [a, d]\n    into: 5\n", ["expected a mapping of unit fields"]),
        ("  - merge: [a, d]\n    into: {name: 5}\n", ["'name' must be non-empty text"]),
        ("  - merge: [a, d]\n    into: {functions: x}\n", ["'functions' must be a list"]),
        ("  - merge: [a, d]\n    into: {functions: [1]}\n", ["each function must be"]),
        ("  - merge: [a, d]\n    into: {reorganized: 2020}\n", ["YYYY-MM-DD"]),
        ("  - merge: [a, d]\n    into: {reorganized: 2020-01-01T00:00}\n", ["YYYY-MM-DD"]),
        ("  - merge: [a, d]\n    into: {kind: [x]}\n", ["unknown kind", "department"]),
        ("  - merge: [a, true]\n", ["each merged unit must be a unit id"]),
        ("  - rename: a\n    name: [x]\n", ["step 1 (rename, line 4)", "'name' must be"]),
        ("  - rename: a\n    name: A\n    name_en: 3\n", ["'name_en' must be text"]),
        ("  - set: a\n    deputies: true\n", ["p.yaml:5:", "'deputies' must be a whole"]),
        ("  - set: a\n    head: 2\n", ["'head' must be 0 or 1"]),
        ("  - set: a\n    provinces_merged: 0\n", ["'provinces_merged' must be a whole"]),
        ("  - set: a\n    reorganized: 2024-1-1\n", ["'reorganized' must be a date"]),
        ("  - set: a\n    class: IV\n", ["unknown class 'IV'"]),
        ("  - set: a\n    civil_servants: 1.0\n", ["'civil_servants' must be a whole"]),
        ("  - absorb: [a]\n    into: d\n", ["'absorb' must be a unit id"]),
        ("  - dissolve: a\n    staff_to: {x: 1}\n", ["'staff_to' must be a unit id"]),
        ("  - create: {id: x, kind: office, name: X, note: 1}\n", ["'note' must be text"]),
        ("  - create: [x]\n", ["expected a mapping of unit fields"]),
        ("  - 5: a\n", ["step 1 (step, line 4)", "unknown step 5"]),
        ("  - split: a\n    into: [{id: x, share: '0.5'}]\n", ["p.yaml:5:", "'share' must be"]),
        ("  - split: a\n    into: [{id: x, head: 1}]\n", ["step 1 (split, line 4)", "no 'head'"]),
        ("  - split: a\n    into: [{id: x, kind: [x]}]\n", ["unknown kind", "department"]),
        ("  - split: a\n    into: [{id: x, children: [true]}]\n", ["each child must be"]),
        ("  - split: a\n    into: [{id: x}]\n    successor: [x]\n", ["'successor' must be"]),
    ],
)
def test_wrong_field_types_are_plan_errors_at_their_line(step, fragments):
    with pytest.raises(om.PlanError) as info:
        plan(step)
    msg = str(info.value)
    assert info.value.line is not None and info.value.line >= 4
    for f in fragments:
        assert f in msg, (f, msg)


def test_effective_is_a_day():
    for bad in ("2024-01-01T10:00", "20240101", "2024-W01-1", "5"):
        with pytest.raises(om.PlanError, match="'effective' must be a date"):
            om.loads_plan(f"format: orgmodel-plan/1\neffective: {bad}\nsteps: []\n")


VALUES = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 70),
    st.sampled_from(
        ["a", "d", "e", "", "x y", "2024-01-01", "2024-13-01", "division", "III", "007", "1.5"]
    ),
    st.lists(st.sampled_from(["a", "d", "e", "f"]), max_size=3),
    st.dictionaries(st.sampled_from(["id", "name", "kind", "x"]), st.sampled_from(["a", "1"])),
)
STEP_KEYS = {
    "merge": ["into", "note"],
    "absorb": ["into", "note"],
    "dissolve": ["staff_to", "note"],
    "move": ["to", "note"],
    "rename": ["name", "name_en", "note"],
    "set": ["civil_servants", "deputies", "head", "class", "functions", "note", "reorganized"],
    "create": ["note"],
}
FIELD_KEYS = [
    "id",
    "kind",
    "name",
    "parent",
    "level",
    "class",
    "civil_servants",
    "deputies",
    "head",
    "functions",
    "note",
    "reorganized",
    "provinces_merged",
    "bogus",
]


def _flow(v: object) -> str:
    import json

    return json.dumps(v, ensure_ascii=False)


@st.composite
def fuzzed_plans(draw: st.DrawFn) -> str:
    lines = []
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(list(STEP_KEYS)))
        if op in ("merge",) and draw(st.booleans()):
            head = _flow(draw(st.lists(st.sampled_from(["a", "c", "d", "e", 7]), max_size=3)))
        elif op == "create" or (op == "merge" and draw(st.booleans())):
            fields = draw(st.dictionaries(st.sampled_from(FIELD_KEYS), VALUES, max_size=5))
            head = _flow(fields)
        else:
            head = _flow(draw(VALUES))
        lines.append(f"  - {op}: {head}")
        for k in draw(st.lists(st.sampled_from(STEP_KEYS[op]), unique=True, max_size=3)):
            if k == "into" and draw(st.booleans()):
                v = draw(st.dictionaries(st.sampled_from(FIELD_KEYS), VALUES, max_size=4))
            else:
                v = draw(VALUES)
            lines.append(f"    {k}: {_flow(v)}")
    return "\n".join(lines) + "\n"


@settings(FIXED, max_examples=200, suppress_health_check=[HealthCheck.too_slow])
@given(fuzzed_plans())
def test_fuzzed_step_fields_give_plan_errors_or_outcomes(steps):
    try:
        p = plan(steps)
        om.simulate(org(), p)
    except om.PlanError as e:
        assert e.line is None or e.line >= 1
        assert str(e).startswith("p.yaml")


# -- random plans: terminate, and lineage agrees with the diff ---------------------------
POOL = ["n1", "n2", "n3"]


@st.composite
def reusing_plans(draw: st.DrawFn) -> tuple[om.Org, list[str]]:
    o = draw(orgs(max_units=10))
    ids = [u.id for u in o] + POOL
    lines = []
    for i in range(draw(st.integers(1, 8))):
        op = draw(st.sampled_from(["merge", "merge", "absorb", "dissolve", "move", "create"]))
        a, b, c = (draw(st.sampled_from(ids)) for _ in range(3))
        if op == "merge":
            into = draw(st.sampled_from([a, b, c, *POOL]))
            lines.append(
                f"  - merge: [{a}, {b}]\n    into: {{id: {into}, parent: {o.units[0].id}}}"
            )
        elif op == "absorb":
            lines.append(f"  - absorb: {a}\n    into: {b}")
        elif op == "dissolve":
            lines.append(f"  - dissolve: {a}")
        elif op == "move":
            lines.append(f"  - move: {a}\n    to: {b}")
        else:
            lines.append(f"  - create: {{id: {a}, parent: {b}, kind: division, name: N{i}}}")
    return o, lines


@settings(FIXED, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(reusing_plans())
def test_random_plans_terminate_and_lineage_matches_the_diff(case):
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
    assert set(lin) == set(o.ids)
    assert lineage_from_events(o, out.events) == lin
    d = out.diff
    gone = closed(d)
    for uid, res in lin.items():
        assert res is None or res in out.after
        if res == uid:
            assert uid not in gone
        else:
            assert uid in gone and gone[uid].merged_into == res
            if res is not None:
                assert uid in d.merged[res]
    for res, src in out.origins.items():
        assert res in out.after and all(lin[x] == res for x in src)
    assert om.loads(om.dumps(out.after)) == out.after


@pytest.mark.parametrize(
    ("kwargs", "fragment"),
    [
        ({"op": "merge", "units": ("a",)}, "at least two units"),
        ({"op": "merge", "units": ("a", "a")}, "listed twice"),
        ({"op": "rename", "units": ("a",)}, "needs a non-empty 'name'"),
        ({"op": "move", "units": ("a",)}, "needs 'to'"),
        ({"op": "absorb", "units": ("a",)}, "needs 'into'"),
        ({"op": "create"}, "needs 'id'"),
        ({"op": "dissolve", "units": ("a", "b")}, "exactly one unit"),
    ],
)
def test_steps_built_in_python_keep_the_shape_a_file_must_have(kwargs, fragment):
    with pytest.raises(ValidationError, match=fragment):
        om.Step(**kwargs)


def test_a_plan_built_in_python_takes_only_yyyy_mm_dd_dates():
    assert om.Plan(effective="2026-07-01").effective.isoformat() == "2026-07-01"
    with pytest.raises(ValidationError, match="YYYY-MM-DD"):
        om.Plan(effective="2026-07-01T00:00")
