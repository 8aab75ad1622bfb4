"""What the fast paths of `simulate` rely on (issue 14): the model after, built in one walk of
the working copy's columns and sharing unchanged children lists with the model before, is the
model a straightforward build gives; the ledger's counts are those a recount of both models
gives; the deputy limits found through the index by kinds are those a scan of every rule finds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

import orgmodel as om
from orgmodel._rules import MaxDeputies, deputy_limit, select

from .test_plans_hostile import FIXED, plan, reusing_plans

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"
CASES = [
    ("haiphong/haiphong-2022.yaml", "haiphong/plan-57-2022.yaml"),
    ("hue/hue-2025.yaml", "hue/plan-2025.yaml"),
    ("quangninh/quangninh-2017.yaml", "quangninh/plan-2018.yaml"),
]


def scan_limit(rules, unit, parent, cls, cs, ndiv):
    """The smallest maximum of deputies, by a scan of every rule (the straightforward way)."""
    best = None
    for e in rules.entries:
        r = e.rule
        if isinstance(r, MaxDeputies) and r.applies_to.matches(unit, parent):
            lim = r.max_deputies(ndiv if r.measure == "divisions" else cs, cls)
            if lim is not None and (best is None or lim < best[0]):
                best = (lim, e)
    return best


def recount(org: om.Org) -> tuple[Counter[str], Counter[str]]:
    by_kind: Counter[str] = Counter()
    by_pair: Counter[str] = Counter()
    for u in org.units:
        p = org.parent(u.id)
        by_kind[u.kind.value] += 1
        by_pair[f"{u.kind.value} under {p.kind.value if p is not None else 'top'}"] += 1
    return by_kind, by_pair


def removed(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    keys = sorted(set(before) | set(after))
    return {k: before[k] - after[k] for k in keys if before[k] != after[k]}


def expect_consistent(before: om.Org, out: om.Outcome) -> None:
    after = out.after
    rebuilt = om.Org(after.units, name=after.name, as_of=after.as_of)
    assert rebuilt == after  # pre-order, unique ids, parents known
    assert rebuilt._children == after._children  # shared lists of the model before included
    assert {u.id: u for u in after.units} == after._by_id
    for uid, kids in after._children.items():
        assert all(after[k].parent == uid for k in kids)
    led = out.ledger
    kb, pb = recount(before)
    ka, pa = recount(after)
    assert led.removed_by_kind == removed(kb, ka)
    assert led.removed_by_kind_under_parent == removed(pb, pa)
    assert led.focal_points_after == len(after)
    assert led.civil_servants_before == sum(u.civil_servants for u in before.units)
    assert led.civil_servants_after == sum(u.civil_servants for u in after.units)
    # each touched unit's legal posts: the rule a scan of every rule finds on the model after
    sub = {u.id: u.civil_servants for u in after.units}
    ndiv: Counter[str] = Counter()
    for u in reversed(after.units):
        if u.parent is not None:
            sub[u.parent] += sub[u.id]
            ndiv[u.parent] += u.kind is om.Kind.DIVISION
    for line in led.leadership:
        u = after[line.unit]
        parent = after.parent(u.id)
        hit = scan_limit(out.books, u, parent, after.province_class(u.id), sub[u.id], ndiv[u.id])
        assert (
            deputy_limit(out.books, u, parent, after.province_class(u.id), sub[u.id], ndiv[u.id])
            == hit
        )
        if hit is not None:
            assert line.legal_posts == 1 + hit[0]
            assert line.basis_rule == f"{hit[1].book.id} {hit[1].rule.id}"
        else:
            assert line.basis_source in ("plan", "held")
    # the units made without `evolve` (merge results, units re-parented) read and dump as
    # pydantic's own, the fields they state included
    for u in after.units:
        read = om.Unit.model_validate(u.model_dump(exclude_unset=True, by_alias=True))
        assert read == u
        assert read.model_fields_set == u.model_fields_set
    # the records made without pydantic's loop read and dump as pydantic's own
    for e in out.events:
        assert om.ChangeEvent.model_validate(e.model_dump()) == e
    for line in led.leadership:
        assert om.LeadershipLine.model_validate(line.model_dump()) == line
    assert type(led).model_validate(led.model_dump()) == led


@pytest.mark.parametrize(("model", "plan_file"), CASES)
def test_the_examples_simulate_into_consistent_models_and_ledgers(model, plan_file):
    before = om.load(EXAMPLES / model)
    out = om.simulate(before, om.load_plan(EXAMPLES / plan_file))
    expect_consistent(before, out)
    assert om.loads(om.dumps(out.after)) == out.after


def test_deputy_limits_by_kind_agree_with_a_scan_of_every_rule():
    before = om.load(EXAMPLES / "haiphong/haiphong-2022.yaml")
    rules = select(None, before.as_of)
    sub = {u.id: u.civil_servants for u in before.units}
    for u in reversed(before.units):
        if u.parent is not None:
            sub[u.parent] += sub[u.id]
    found = 0
    for u in before.units:
        parent = before.parent(u.id)
        cls = before.province_class(u.id)
        for ndiv in (0, 3, 12):
            hit = deputy_limit(rules, u, parent, cls, sub[u.id], ndiv)
            assert hit == scan_limit(rules, u, parent, cls, sub[u.id], ndiv)
            found += hit is not None
    assert found  # the rules cover units of the example


@settings(FIXED, max_examples=60, suppress_health_check=[HealthCheck.too_slow])
@given(reusing_plans())
def test_random_plans_simulate_into_consistent_models_and_ledgers(case):
    o, lines = case
    good: list[str] = []
    out = om.simulate(o, plan(""))
    for line in lines:
        try:
            out = om.simulate(o, plan("\n".join([*good, line]) + "\n"))
        except om.PlanError:
            continue
        good.append(line)
    expect_consistent(o, out)


def shaped(shape: str, n: int) -> tuple[om.Org, om.Plan]:
    """A department with a hub division and `n` divisions of two units each, and a plan of one
    shape repeated (the shapes benchmarks/run.py times)."""
    units = [
        om.Unit(id="pc", kind="peoples_committee", level="province", name="PC", head=0),
        om.Unit(id="dep", parent="pc", kind="department", name="D", civil_servants=9),
        om.Unit(id="hub", parent="dep", kind="division", name="Hub", civil_servants=10),
        om.Unit(id="h-0", parent="hub", kind="other", name="x", head=0),
    ]
    for k in range(n):
        units.append(
            om.Unit(id=f"u{k}", parent="dep", kind="division", name=f"U{k}", civil_servants=10)
        )
        for j in range(2):
            units.append(om.Unit(id=f"u{k}-{j}", parent=f"u{k}", kind="other", name="x", head=0))
    steps = {
        "merge into one id": [f"  - merge: [hub, u{k}]\n    into: {{id: hub}}" for k in range(n)],
        "merge into a new id": [
            f"  - merge: [{'hub' if k == 0 else f'h{k - 1}'}, u{k}]\n    into: {{id: h{k}}}"
            for k in range(n)
        ],
        "absorb into one id": [f"  - absorb: u{k}\n    into: hub" for k in range(n)],
        "chain of moves": [
            f"  - move: u{k}\n    to: {'hub' if k % 5 == 0 else f'u{k - 1}'}" for k in range(n)
        ],
        "dissolve": [f"  - dissolve: u{k}\n    staff_to: hub" for k in range(n)],
        "split": [
            f"  - split: u{k}\n    into:\n      - {{id: s{k}, children: [u{k}-1]}}\n"
            f"      - {{id: t{k}}}"
            for k in range(n)
        ],
    }[shape]
    return om.Org(units, name="shapes"), plan("\n".join(steps) + "\n")


@pytest.mark.parametrize(
    "shape",
    [
        "merge into one id",
        "merge into a new id",
        "absorb into one id",
        "chain of moves",
        "dissolve",
        "split",
    ],
)
def test_plans_of_one_shape_simulate_into_consistent_models_and_ledgers(shape):
    before, p = shaped(shape, 12)
    out = om.simulate(before, p)
    expect_consistent(before, out)
    assert om.loads(om.dumps(out.after)) == out.after
