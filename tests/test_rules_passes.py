"""`check` asks first whether a unit certainly passes a rule (`_rules.PASSES`, read from rows)
and measures it in full only when it may not: the shortcut must never hide a finding."""

from __future__ import annotations

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

import orgmodel
from orgmodel import Org
from orgmodel._model import KIND, LEVEL, PARENT, rec
from orgmodel._rules import PASSES, _applying, _Facts, _index, select

from .strategies import orgs

# a day in force of each of the four decrees' rulebooks
DAYS = [dt.date(2020, 12, 1), dt.date(2025, 4, 1), dt.date(2025, 8, 1), dt.date(2026, 6, 1)]


def _shortcut_agrees(org: Org, day: dt.date) -> int:
    """Every (unit, rule) the shortcut passes, the rule's measure passes too; returns how many
    it passed (so that a test can tell it was exercised)."""
    rules = select(None, day)
    facts, index = _Facts(org), _index(rules)
    rows, at = org._rows, org._index
    passed = 0
    for i, r in enumerate(rows):
        prow = rows[at[r[PARENT]]] if r[PARENT] is not None else None
        key = (r[KIND], r[LEVEL], *((prow[KIND], prow[LEVEL]) if prow else (None, None)))
        for e, measure, passes in _applying(index, *key):
            if passes is None or not passes(e.rule, r, prow, facts, i):
                continue
            passed += 1
            hit = measure(e.rule, rec(r), rec(prow) if prow else None, facts)
            assert hit is None or hit.passed, (e.rule.id, r, hit)
    return passed


@settings(max_examples=60, deadline=None)
@given(orgs(), st.sampled_from(DAYS))
def test_a_unit_the_shortcut_passes_passes_its_rule(org: Org, day: dt.date) -> None:
    _shortcut_agrees(org, day)


@settings(max_examples=25, deadline=None)
@given(st.integers(0, 10_000), st.integers(-3, 3), st.sampled_from(DAYS))
def test_the_shortcut_agrees_on_a_country_at_the_limits(
    seed: int, shift: int, day: dt.date
) -> None:
    # a synthetic country whose deputies are moved around the legal maxima
    org, _plan = orgmodel.synth(400, seed=seed)
    units = []
    for u in org.units:
        deputies = max(0, u.deputies + shift)
        cs = u.civil_servants
        if cs:  # stated: it must still hold the leaders
            units.append(u.evolve(deputies=deputies, civil_servants=max(cs, u.head + deputies)))
        else:
            units.append(u.evolve(deputies=deputies))
    moved = Org(units, name=org.name, as_of=org.as_of)
    assert _shortcut_agrees(moved, day) > 0


def test_every_rule_kind_the_shortcut_knows_is_a_rule_kind() -> None:
    from orgmodel._rules import MEASURES

    assert set(PASSES) <= set(MEASURES)
    assert {"max_deputies", "min_civil_servants", "max_units"} <= set(PASSES)


def test_the_findings_of_a_country_are_those_of_the_full_measures() -> None:
    # the shortcut off (every unit measured in full) finds exactly what `check` finds
    org, _plan = orgmodel.synth(5000, seed=7)
    fast = orgmodel.check(org, as_of="2026-06-01")
    from orgmodel import _rules

    saved = dict(_rules.PASSES)
    try:
        _rules.PASSES.clear()
        rules = select(None, dt.date(2026, 6, 1))
        rules._index.clear()
        slow = _rules.run(org, rules, dt.date(2026, 6, 1))
    finally:
        _rules.PASSES.update(saved)
        rules._index.clear()
    assert [v.key for v in fast.violations] == [v.key for v in slow.violations]
    assert fast.violations == slow.violations
    assert len(fast.violations) > 0


@settings(max_examples=80, deadline=None)
@given(orgs(40))
def test_children_found_by_place_are_the_children(org: Org) -> None:
    # in pre-order a unit's children are found from its place and the subtrees' ends; every
    # selector of the rulebooks counts the same children either way
    from orgmodel._rules import _count

    facts = _Facts(org)
    selectors = {
        id(e.rule.counts): e.rule.counts
        for day in DAYS
        for e in select(None, day).entries
        if getattr(e.rule, "counts", None) is not None
    }
    assert selectors
    for i, r in enumerate(org._rows):
        ends, c, found = org._ends, i + 1, []
        while c < ends[i]:
            found.append(org._rows[c][0])
            c = ends[c]
        assert tuple(found) == tuple(c.id for c in org.children(r[0]))
        for sel in selectors.values():
            # the children the selector takes, found from the children list
            listed = sum(
                sel.fits(k[KIND], k[LEVEL], r[KIND], r[LEVEL])
                for k in map(org._row, org._children[r[0]])
            )
            assert _count(sel, i, facts) == listed


def test_a_units_class_is_read_by_place_and_by_id() -> None:
    org, _plan = orgmodel.synth(300, seed=3)
    assert [org.province_class(u.id) for u in org.units] == list(org._by_place[0])
    assert org.province_class("no-such-unit") is None
    top = org.units[0]
    assert org.province_class(top.id) is top.province_class is not None
