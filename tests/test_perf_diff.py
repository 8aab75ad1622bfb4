"""The diff computed over columns (issue 14) equals the straightforward unit-by-unit diff: the
same entries in the same order, counts, merges, splits and JSON, on random models and plans,
with and without a simulation's lineage, and on models whose index is not in file order."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._diff import Diff, UnitDiff, _diff, _replay

from .strategies import orgs

FIXED = settings(derandomize=True, database=None, deadline=None, print_blob=False)


# -- the reference: the straightforward way, one unit at a time ---------------------------
def _changes(a: om.Unit, b: om.Unit) -> dict[str, tuple[Any, Any]]:
    da, db = a.__dict__, b.__dict__
    return {
        ("class" if f == "province_class" else f): (v, db[f]) for f, v in da.items() if v != db[f]
    }


def reference(before: om.Org, after: om.Org, lineage: Any = None, split_into: Any = None) -> Diff:
    b_ids, a_ids, split_into = before.ids, after.ids, split_into or {}
    merged_into: dict[str, str] = {}
    reborn: set[str] = set()
    if lineage is not None:
        for uid in b_ids:
            r = lineage.get(uid, uid)
            if r != uid:
                if r is not None and uid not in split_into:
                    merged_into[uid] = r
                if uid in a_ids:
                    reborn.add(uid)
    else:
        for uid in b_ids:
            if uid not in a_ids:
                parents = {a_ids[c].parent for c in before.child_ids(uid) if c in a_ids}
                if len(parents) == 1:
                    p = parents.pop()
                    if p is not None and p != uid:
                        merged_into[uid] = p
    merged_from: dict[str, list[str]] = {}
    for o, r in merged_into.items():
        merged_from.setdefault(r, []).append(o)
    split_from: dict[str, list[str]] = {}
    for o, parts in split_into.items():
        for r in parts:
            if r != o or o in reborn:
                split_from.setdefault(r, []).append(o)
    out, same = [], []
    for u in before.units:
        other = None if u.id in reborn else a_ids.get(u.id)
        equal = other is not None and other.__dict__ == u.__dict__
        mf, sf = tuple(merged_from.get(u.id, ())), tuple(split_from.get(u.id, ()))
        si = split_into.get(u.id, ())
        plain = equal and u.id not in merged_from
        if plain and u.id not in split_from and u.id not in split_into:
            same.append(u)
        elif other is None:
            out.append(
                UnitDiff(u.id, "closed", u.name, merged_into=merged_into.get(u.id), split_into=si)
            )
        elif equal:
            out.append(
                UnitDiff(u.id, "unchanged", u.name, merged_from=mf, split_into=si, split_from=sf)
            )
        else:
            ch = _changes(u, other)
            out.append(UnitDiff(u.id, "changed", other.name, ch, None, mf, si, sf))
    for u in after.units:
        if u.id not in b_ids or u.id in reborn:
            mf, sf = tuple(merged_from.get(u.id, ())), tuple(split_from.get(u.id, ()))
            out.append(UnitDiff(u.id, "new", u.name, merged_from=mf, split_from=sf))
    return Diff(out, same)


def same_diff(got: Diff, want: Diff) -> None:
    # the maps the renderers read, made from the columns before any entry is made
    assert got._status_by_id() == {e.id: e.status for e in want.units}
    assert got._name_by_id() == {e.id: e.name for e in want.units}
    # the JSON and the counts first, read from the columns before any entry is made
    assert got.to_dict() == want.to_dict()
    assert got.to_json(indent=2) == want.to_json(indent=2)
    assert got.counts() == want.counts()
    assert got.merged == want.merged and got.split == want.split
    assert got.is_empty == want.is_empty
    assert got.notable == want.notable
    assert got.units == want.units
    for name in ("added", "removed", "changed", "unchanged", "renamed", "moved"):
        assert getattr(got, name) == getattr(want, name), name
    assert got.to_dict() == want.to_dict()  # and again from the entries


def shuffled(org: om.Org, order: list[int]) -> om.Org:
    """The same model built from its units in another order: its index (`ids`) follows that
    order, its units stay in file order."""
    units = [org.units[i] for i in order]
    return om.Org(units, name=org.name, as_of=org.as_of)


# -- random plans over a random model -------------------------------------------------------
POOL = ["n1", "n2", "n3"]


@st.composite
def plans(draw: st.DrawFn) -> tuple[om.Org, list[str]]:
    o = draw(orgs(max_units=12).filter(lambda o: len(o) >= 3))
    have = [u.id for u in o]
    root = q(have[0])
    some = st.sampled_from(have)
    lines = []
    for i in range(draw(st.integers(1, 8))):
        op = draw(
            st.sampled_from(
                ["merge", "absorb", "dissolve", "move", "create", "rename", "set", "split", "reuse"]
            )
        )
        a, b = q(draw(some)), q(draw(some))
        if op == "merge":
            units = draw(st.lists(some, min_size=2, max_size=3, unique=True))
            into = q(draw(st.sampled_from([*units, *POOL])))
            listed = ", ".join(map(q, units))
            lines.append(f"  - merge: [{listed}]\n    into: {{id: {into}, parent: {root}}}")
        elif op == "absorb":
            lines.append(f"  - absorb: {a}\n    into: {b}")
        elif op == "dissolve":
            lines.append(f"  - dissolve: {a}")
        elif op == "move":
            lines.append(f"  - move: {a}\n    to: {b}")
        elif op == "rename":
            lines.append(f"  - rename: {a}\n    name: R{i}")
        elif op == "set":
            lines.append(f"  - set: {a}\n    civil_servants: {draw(st.integers(5, 60))}")
        elif op == "split":
            into = draw(
                st.lists(st.sampled_from([*have, *POOL]), min_size=1, max_size=3, unique=True)
            )
            parts = ", ".join(f"{{id: {q(x)}}}" for x in into)
            lines.append(f"  - split: {a}\n    into: [{parts}]")
        elif op == "reuse":  # an id dissolved, then given to a new unit: closed and new
            create = f"{{id: {a}, parent: {root}, kind: division, name: N{i}}}"
            lines.append(f"  - dissolve: {a}\n  - create: {create}")
        else:
            new = q(draw(st.sampled_from(POOL)))
            lines.append(f"  - create: {{id: {new}, parent: {b}, kind: division, name: N{i}}}")
    return o, lines


def q(uid: str) -> str:
    """An id as YAML reads it back whatever its characters (a JSON string)."""
    return json.dumps(uid)


def simulate(o: om.Org, lines: list[str]) -> om.Outcome:
    """The plan of the steps that apply, each after those kept before it."""

    def plan(steps: list[str]) -> om.Plan:
        text = "format: orgmodel-plan/1\nname: p\nsteps:\n" + "\n".join(steps) + "\n"
        return om.loads_plan(text if steps else text.replace("steps:\n", "steps: []\n"))

    good: list[str] = []
    out = om.simulate(o, plan([]))
    for line in lines:
        try:
            out = om.simulate(o, plan([*good, line]))
        except om.PlanError:
            continue
        good.append(line)
    return out


@settings(FIXED, max_examples=120, suppress_health_check=[HealthCheck.too_slow])
@given(plans(), st.randoms(use_true_random=False))
def test_the_diff_over_columns_is_the_straightforward_diff(case, rnd):
    o, lines = case
    out = simulate(o, lines)
    b, a = out.before, out.after
    same_diff(out.diff, reference(b, a, out.lineage, out.split_into))
    same_diff(om.diff(b, a), reference(b, a))
    same_diff(om.diff(b, a, lineage=out.lineage), reference(b, a, out.lineage))
    lin, spl = _replay(b, out.events)
    same_diff(om.diff(b, a, lineage=out.events), reference(b, a, lin, spl))
    same_diff(om.diff(a, b), reference(a, b))  # the other way round: units created
    # models whose index is not in file order (built from units in another order)
    ob = list(range(len(b))) if len(b) < 2 else rnd.sample(range(len(b)), len(b))
    oa = list(range(len(a))) if len(a) < 2 else rnd.sample(range(len(a)), len(a))
    b2, a2 = shuffled(b, ob), shuffled(a, oa)
    same_diff(om.diff(b2, a2), reference(b2, a2))
    same_diff(
        _diff(b2, a2, out.lineage, out.split_into), reference(b2, a2, out.lineage, out.split_into)
    )


@settings(FIXED, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(orgs(max_units=12), orgs(max_units=12))
def test_two_unrelated_models_diff_as_the_straightforward_way(x, y):
    # ids drawn from the same pools, so some are shared and some units are the same
    same_diff(om.diff(x, y), reference(x, y))
    same_diff(om.diff(x, x), reference(x, x))
    assert om.diff(x, x).is_empty


def test_a_merge_into_a_unit_left_as_it_was_is_listed_whether_or_not_it_is_the_same_object():
    """A closed unit whose children all moved under a unit left as it was: that unit is listed,
    unchanged, as what the closed one merged into, whether the model after holds the very same
    unit object or an equal copy (a diff depends on values, never on objects' identity)."""
    p = om.Unit(id="p", kind="peoples_committee", level="province", name="P", head=0)
    a = om.Unit(id="a", kind="department", name="A", parent="p", civil_servants=5)
    b = om.Unit(id="b", kind="department", name="B", parent="p", civil_servants=5)
    a1 = om.Unit(id="a1", kind="division", name="A1", parent="a", civil_servants=3)
    o = om.Org([p, a, b, a1])
    for same_b in (o["b"], o["b"].evolve()):
        after = om.Org([o["p"], same_b, o["a1"].evolve(parent="b")])
        d = om.diff(o, after)
        same_diff(d, reference(o, after))
        assert [(u.id, u.status, u.merged_from) for u in d.notable] == [
            ("a", "closed", ()),
            ("a1", "changed", ()),
            ("b", "unchanged", ("a",)),
        ]
        assert [u.merged_into for u in d.removed] == ["b"]
        assert d.counts() == {"new": 0, "changed": 1, "closed": 1, "unchanged": 2}
        assert d.merged == {"b": ("a",)} and not d.is_empty
