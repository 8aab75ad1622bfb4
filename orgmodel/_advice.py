"""Advice: `suggest` proposes a plan that brings a model within the rules in force, each step
with the rule it answers; `advise` gives the same plan with what no plan can cure (and why) and
the units whose functions overlap enough to be worth merging although no rule asks it.

How a plan is found: the model is checked; the first unlawful finding (structure before
leadership, higher units first, then the model's order) gets the remedies its rule kind allows,
nearest first; each remedy is simulated and checked, and kept only when it cures the finding and
introduces none (a merge that leaves a unit over its deputy limit is completed by trimming the
deputies). The steps are kept in order; the plan, simulated on the model, gives the same result.
Nothing here knows a decree: the rules' kinds, selectors and figures come from the rulebooks.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from typing import Any, cast

from ._errors import Msg, OrgmodelError, bilingual, msg
from ._i18n import citation_text, finding_message, language, message_text
from ._model import Kind, Level, Org, Unit, as_day, require_org
from ._plan import Plan, Step, UnitFields
from ._rules import Entry, Report, Rulebook, RuleSet, Violation, run, select
from ._simulate import _simulate

OVERLAP = 0.5  # the share of functions two units hold in common that makes them candidates

# the order findings are taken in: a unit that may not exist, a unit too small, too many units,
# then leadership (a merge changes the deputy limits, so deputies are trimmed last)
_PHASE = {
    "not_allowed": 0,
    "min_civil_servants": 1,
    "max_units": 2,
    "average_units": 2,
    "max_deputies": 3,
    "average_deputies": 3,
    "max_deputies_of_parent": 4,
    "max_deputies_of_siblings": 4,
}
# findings a trim of one unit's deputies cures (its limit is a number of deputies)
_DEPUTY_KINDS = frozenset({"max_deputies", "max_deputies_of_parent", "max_deputies_of_siblings"})
# the order a unit's parent's other units are tried in when it has none of its own kind
_INTERNAL = {Kind.DIVISION: 0, Kind.OFFICE: 1}
_CASCADE = 6  # rounds of trims that may complete one remedy
_SPLIT_AT = 2000  # a model this large is solved province by province
_PAIRS = 60  # pairs of units tried for one merge, the most overlapping first


@dataclass(frozen=True)
class Unresolved:
    """A finding the suggested plan leaves, and why no plan step cures it."""

    finding: Violation
    reason: Msg

    def to_dict(self) -> dict[str, Any]:
        return {
            "rule": self.finding.rule,
            "rulebook": self.finding.rulebook,
            "unit": self.finding.unit,
            "status": self.finding.status,
            "reason": self.reason.code,
            "text": message_text(self.reason, "en"),
            "text_vi": message_text(self.reason, "vi"),
        }


@dataclass(frozen=True)
class Candidate:
    """Two units of one parent whose functions overlap: worth considering for a merge."""

    parent: str
    units: tuple[str, str]
    shared: tuple[str, ...]
    overlap: float  # shared functions / the functions of both (Jaccard), 0..1

    def to_dict(self) -> dict[str, Any]:
        return {
            "parent": self.parent,
            "units": list(self.units),
            "shared": list(self.shared),
            "overlap": round(self.overlap, 4),
        }


@dataclass(frozen=True)
class Advice:
    """What `advise` returns: the suggested plan, the reason for each of its steps (the same
    text as each step's `note`, in both languages), what it leaves and why, and the merge
    candidates of the model after it."""

    plan: Plan
    reasons: tuple[Msg, ...]
    unresolved: tuple[Unresolved, ...]
    candidates: tuple[Candidate, ...]
    day: dt.date
    rulebooks: tuple[str, ...]
    before: Report
    after: Report
    model: str = ""

    @property
    def cured(self) -> tuple[Violation, ...]:
        """The violations before the plan that are lawful after it: gone, or within a
        transition the plan's reorganization opens."""
        left = {v.key for v in self.after.violations if not v.lawful}
        return tuple(v for v in self.before.violations if not v.lawful and v.key not in left)

    @property
    def in_transition(self) -> tuple[Violation, ...]:
        """Findings after the plan that a transition makes lawful for now."""
        return tuple(v for v in self.after.violations if v.status == "transition")

    @property
    def introduced(self) -> tuple[Violation, ...]:
        had = {v.key for v in self.before.violations}
        return tuple(v for v in self.after.violations if not v.lawful and v.key not in had)

    @property
    def remaining(self) -> tuple[Violation, ...]:
        return tuple(v for v in self.after.violations if not v.lawful)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `orgmodel suggest --format json` (keys never change with the language)."""
        from ._plan import dumps_plan

        return {
            "as_of": self.day.isoformat(),
            "rulebooks": list(self.rulebooks),
            "plan": {
                "name": self.plan.name,
                "effective": self.plan.effective.isoformat() if self.plan.effective else None,
                "steps": len(self.plan.steps),
                "yaml": dumps_plan(self.plan),
            },
            "steps": [
                {
                    "step": i + 1,
                    "op": s.op,
                    "units": list(s.units),
                    "target": s.target,
                    "reason": r.code,
                    "rule": r.params.get("rule"),
                    "note": s.note,
                }
                for i, (s, r) in enumerate(zip(self.plan.steps, self.reasons, strict=True))
            ],
            "violations": {
                "before": sum(1 for v in self.before.violations if not v.lawful),
                "cured": len(self.cured),
                "introduced": len(self.introduced),
                "remaining": len(self.remaining),
                "in_transition": len(self.in_transition),
            },
            "unresolved": [u.to_dict() for u in self.unresolved],
            "candidates": [c.to_dict() for c in self.candidates],
        }


def suggest(
    org: Org,
    as_of: dt.date | str | None = None,
    *,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
) -> Plan:
    """A plan (format 1) that brings `org` within the rules in force on `as_of` (default: the
    model's date, else today), disturbing it as little as possible; each step's `note` names
    the rule it answers and its citation. Deterministic. `advise` gives what it leaves and why."""
    return advise(org, as_of, rulebook=rulebook).plan


def advise(
    org: Org,
    as_of: dt.date | str | None = None,
    *,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
    overlap: float = OVERLAP,
) -> Advice:
    """`suggest`'s plan with the reasons of its steps, the findings no plan cures (each with
    why) and the merge candidates: units of one parent of one kind sharing at least `overlap`
    of their functions in the model after the plan. Raises `RulebookError` when no rulebook
    covers the day."""
    require_org(org, "advise")
    day = as_day(as_of) or org.as_of or dt.date.today()
    if not isinstance(overlap, (int, float)) or not 0 < overlap <= 1:
        raise ValueError(f"overlap must be a number above 0 and at most 1, got {overlap!r}")
    books = select(rulebook, day)
    stuck: dict[tuple[str, str], Msg] = {}
    steps: list[Step] = []
    reasons: list[Msg] = []
    before: Report | None = None
    provinces = _provinces(org) if len(org) >= _SPLIT_AT else []
    if len(provinces) > 1:
        # each province alone (its ancestors kept for the selectors and the class, their
        # findings left out): a trial costs what the province holds, not the country
        before = run(org, books, day)
        ids = org.ids
        for p in provinces:
            chain = [ids[a.id] for a in reversed(org.ancestors(p))]
            sub = Org([*chain, *org.subtree(p)], name=org.name, as_of=org.as_of)
            part = _Work(sub, books, day, outside={u.id for u in chain})
            _solve(part, stuck)
            steps += part.steps
            reasons += part.reasons
        if steps:
            out = _simulate(org, Plan(steps=tuple(steps), effective=day), cast(Any, books), day)
            org_now = out.after
        else:
            org_now = org
        w = _Work(org_now, books, day)  # then what lies above the provinces
        w.base = org
        w.steps, w.reasons = steps, reasons
    else:
        w = _Work(org, books, day)
        before = w.report
    _solve(w, stuck)
    assert before is not None
    lang = language()
    plan = Plan(
        name=message_text(
            msg("advice_plan_name", "Suggested plan for {model}", model=org.name or "—"), lang
        ),
        effective=day,
        steps=tuple(
            _noted(s, message_text(r, lang), org) for s, r in zip(w.steps, w.reasons, strict=True)
        ),
    )
    unresolved = []
    for f in w.report.violations:
        if f.status == "violation":
            unresolved.append(Unresolved(f, stuck.get(f.key, NO_REMEDY)))
        elif f.status == "class_unknown":
            unresolved.append(Unresolved(f, CLASS_UNKNOWN))
        elif f.status == "no_rule":
            unresolved.append(Unresolved(f, NO_FIGURE))
    note = msg(
        "advice_plan_note",
        "Suggested by orgmodel for the rules in force on {day} ({rulebooks}): {steps} steps; "
        "{left} findings no plan step cures.",
        day=day,
        rulebooks=", ".join(books.ids),
        steps=len(w.steps),
        left=len(unresolved),
    )
    plan = plan.model_copy(update={"note": message_text(note, lang)})
    return Advice(
        plan=plan,
        reasons=tuple(w.reasons),
        unresolved=tuple(unresolved),
        candidates=tuple(candidates(w.org, overlap)),
        day=day,
        rulebooks=books.ids,
        before=before,
        after=w.report,
        model=org.name,
    )


def _noted(step: Step, note: str, org: Org) -> Step:
    """The step with its reason as its note. A `set` step's `note` in a plan file is the unit's
    note, so there the reason is also written on the unit (after any note it has), and the
    plan reads back as it was made."""
    if step.op != "set":
        return step.model_copy(update={"note": note})
    old = org[step.units[0]].note if step.units[0] in org else None
    given = {**step.fields.given(), "note": f"{old} — {note}" if old else note}
    return step.model_copy(update={"note": note, "fields": UnitFields(**given)})


def _solve(w: _Work, stuck: dict[tuple[str, str], Msg]) -> None:
    """Cure the findings of `w`'s model one at a time, the first in order first; what cannot
    be cured goes to `stuck` with why."""
    while True:
        todo = [
            v
            for v in w.report.violations
            if v.status == "violation" and v.key not in stuck and v.unit not in w.outside
        ]
        if not todo:
            return
        v = min(todo, key=w.order)
        reason = _remedy(w, v)
        if reason is not None:
            stuck[v.key] = reason


def _provinces(org: Org) -> list[str]:
    """The provincial People's Committees not inside another, in the model's order."""
    out: list[str] = []
    inside: set[str] = set()
    for u in org.units:  # pre-order: a province before its units
        if u.parent is not None and u.parent in inside:
            inside.add(u.id)
            continue
        if u.kind is Kind.PEOPLES_COMMITTEE and u.level is Level.PROVINCE:
            out.append(u.id)
            inside.add(u.id)
    return out


# -- the working model ------------------------------------------------------------------
class _Work:
    """The model as the steps kept so far leave it, its check, and the steps with reasons."""

    def __init__(
        self, org: Org, books: RuleSet, day: dt.date, *, outside: set[str] | None = None
    ) -> None:
        # units whose findings are not this work's (a province's ancestors, kept for context)
        self.outside = outside or set()
        # every trial simulates the steps kept so far from this model, then its own: a merge
        # carries the leaders an earlier step left without post, as the whole plan will
        self.base = org
        self.books = books
        self.day = day
        self.steps: list[Step] = []
        self.reasons: list[Msg] = []
        self._entries = {(e.book.id, e.rule.id): e for e in books.entries}
        self.set_model(org, run(org, books, day))

    def set_model(self, org: Org, report: Report) -> None:
        self.org = org
        self.report = report
        self.pos = {u.id: i for i, u in enumerate(org.units)}
        self.depth = _depths(org)
        self.unlawful = {v.key for v in report.violations if not v.lawful}

    def order(self, v: Violation) -> tuple[int, int, int, str]:
        kind = str(v.basis.get("kind", ""))
        return (_PHASE.get(kind, 9), self.depth.get(v.unit, 0), self.pos.get(v.unit, 0), v.rule)

    def entry(self, v: Violation) -> Entry | None:
        return self._entries.get((v.rulebook, v.rule))

    def trial(self, steps: Sequence[tuple[Step, Msg]], *, cures: Violation | None = None) -> bool:
        """Apply `steps` to the model; keep them (with any trims a merge makes necessary) when
        they introduce no unlawful finding and cure `cures`."""
        done = list(steps)
        for _ in range(_CASCADE):
            plan = Plan(steps=(*self.steps, *(s for s, _r in done)), effective=self.day)
            try:
                out = _simulate(self.base, plan, cast(Any, self.books), self.day)
            except (OrgmodelError, ValueError):
                return False
            report = run(out.after, self.books, self.day)
            new = [
                v
                for v in report.violations
                if not v.lawful and v.key not in self.unlawful and v.unit not in self.outside
            ]
            if not new:
                if cures is not None and any(
                    v.key == cures.key and not v.lawful for v in report.violations
                ):
                    return False
                self.set_model(out.after, report)
                for s, r in done:
                    self.steps.append(s)
                    self.reasons.append(r)
                return True
            trims = _trims(new, out.after)
            if trims is None:
                return False
            done.extend(trims)
        return False


def _depths(org: Org) -> dict[str, int]:
    depth: dict[str, int] = {}
    for u in org.units:  # pre-order
        depth[u.id] = 0 if u.parent is None else depth[u.parent] + 1
    return depth


def _label(u: Unit) -> str:
    return f"{u.name} ({u.id})"


def _finding(v: Violation, org: Org | None = None) -> Msg:
    """The finding's own text in both languages (what is wrong, with its figures)."""
    label = {"name": org[v.unit].name if org is not None and v.unit in org else v.unit}
    label["id"] = v.unit
    return bilingual(
        finding_message(label, v.status, v.basis, "en", until=v.until),
        finding_message(label, v.status, v.basis, "vi", until=v.until),
    )


def _cite(v: Violation) -> Msg:
    c = v.basis.get("citation") or {}
    return bilingual(citation_text(c, "en"), citation_text(c, "vi")) if c else bilingual("", "")


def _params(v: Violation, org: Org) -> dict[str, Any]:
    return {"finding": _finding(v, org), "rule": f"{v.rulebook} {v.rule}", "citation": _cite(v)}


def _trims(found: Iterable[Violation], org: Org) -> list[tuple[Step, Msg]] | None:
    """Trim steps curing deputy findings (each unit to its smallest limit), or None when one
    of them is of another kind."""
    limits: dict[str, tuple[int, Violation]] = {}
    for v in found:
        if str(v.basis.get("kind")) not in _DEPUTY_KINDS or v.limit is None or v.unit not in org:
            return None
        if v.unit not in limits or v.limit < limits[v.unit][0]:
            limits[v.unit] = (v.limit, v)
    return [_trim(org[uid], lim, v, org) for uid, (lim, v) in limits.items()]


def _trim(u: Unit, limit: int, v: Violation, org: Org) -> tuple[Step, Msg]:
    reason = msg(
        "advice_trim",
        "{finding} ({rule}; {citation}): deputies trimmed from {held} to {limit}",
        held=u.deputies,
        limit=limit,
        **_params(v, org),
    )
    return Step(op="set", units=(u.id,), fields=UnitFields(deputies=limit)), reason


# -- remedies by rule kind ----------------------------------------------------------------
def _remedy(w: _Work, v: Violation) -> Msg | None:
    """Cure `v` with steps kept in `w`; None when cured, else why it cannot be."""
    kind = str(v.basis.get("kind", ""))
    if v.unit not in w.org:  # pragma: no cover - a finding names a unit of its model
        return NO_REMEDY
    u = w.org[v.unit]
    if kind in ("min_civil_servants", "not_allowed"):
        if w.org.child_ids(u.id):
            return _fold_branch(w, v, u)
        return _fold(w, v, u)
    if kind == "max_deputies":
        # deputies a unit of the same kind and level nearby has vacant posts for are
        # transferred with their posts (điều động) before any is trimmed
        moved = _transfers(w, v, u)
        if moved and w.trial(moved):
            cur = next((x for x in w.report.violations if x.key == v.key and not x.lawful), None)
            if cur is None:
                return None
            v, u = cur, w.org[cur.unit]
    if kind in _DEPUTY_KINDS:
        if v.limit is None:
            return NO_REMEDY
        if w.trial([_trim(u, v.limit, v, w.org)], cures=v):
            return None
        return TRIM_BREAKS
    if kind == "average_deputies":
        return _trim_average(w, v, u)
    if kind in ("max_units", "average_units"):
        return _merge_pairs(w, v, u)
    return NO_REMEDY


def _transfers(w: _Work, v: Violation, u: Unit) -> list[tuple[Step, Msg]]:
    """`rebalance`'s transfers from every unit over its deputy band (one optimal assignment,
    nearest and same functions first), each with its reason in both languages."""
    from ._rebalance import transfer_steps

    over = {
        x.unit: x
        for x in w.report.violations
        if x.status == "violation" and x.basis.get("kind") == "max_deputies"
    }
    over.setdefault(u.id, v)
    out = []
    for step, moves in transfer_steps(w.org, w.books, w.day, senders=set(over)):
        reason = msg(
            "advice_transfer",
            "{finding} ({rule}; {citation}): transferred, {moves}",
            moves=moves,
            **_params(over.get(step.units[0], v), w.org),
        )
        out.append((step.model_copy(update={"note": None}), reason))
    return out


def _fns(u: Unit) -> frozenset[str]:
    return frozenset(" ".join(f.casefold().split()) for f in u.functions if f.strip())


def _shared(a: Unit, b: Unit) -> tuple[int, float]:
    fa, fb = _fns(a), _fns(b)
    both = fa | fb
    n = len(fa & fb)
    return n, (n / len(both) if both else 0.0)


def _nearest(w: _Work, u: Unit, among: Iterable[Unit], *, kinds: bool = False) -> list[Unit]:
    """`among` nearest to `u` in function first (most functions in common), then the
    smallest (civil servants of its subtree), then in the model's order; with `kinds`, a
    parent's internal units (divisions, then offices) before its other bodies."""
    return sorted(
        among,
        key=lambda s: (
            _INTERNAL.get(s.kind, len(_INTERNAL)) if kinds else 0,
            -_shared(u, s)[0],
            -_shared(u, s)[1],
            w.org.totals(s.id).civil_servants,
            w.pos[s.id],
        ),
    )


def _fold(w: _Work, v: Violation, u: Unit) -> Msg | None:
    """A unit too small (or one that may not exist) merged with the sibling nearest in
    function: of its own kind first, then the other childless units of its parent."""
    p = w.org.parent(u.id)
    if p is None:
        return NO_PARENT
    sibs = [s for s in w.org.children(p.id) if s.id != u.id]
    own = [s for s in sibs if s.kind is u.kind and not w.org.child_ids(s.id)]
    kind = str(v.basis.get("kind"))
    if kind == "not_allowed":
        own = []
    other = [s for s in sibs if s.kind is not u.kind and not w.org.child_ids(s.id) and s not in own]
    tried = 0
    for s in [*_nearest(w, u, own), *_nearest(w, u, other, kinds=True)]:
        n, _share = _shared(u, s)
        params = {**_params(v, w.org), "target": _label(s), "shared": n}
        if n:
            reason = msg(
                "advice_fold_shared",
                "{finding} ({rule}; {citation}): merged into {target}, the unit of the same "
                "parent whose functions overlap most ({shared} in common)",
                **params,
            )
        else:
            reason = msg(
                "advice_fold_smallest",
                "{finding} ({rule}; {citation}): merged into {target}, the smallest unit of "
                "the same parent it can join (no functions in common)",
                **params,
            )
        tried += 1
        if w.trial([(Step(op="merge", units=(s.id, u.id)), reason)], cures=v):
            return None
    if not tried:
        return NO_SIBLING
    return msg(
        "advice_every_merge_breaks",
        "each of the {n} merges with a unit of the same parent would break another rule or "
        "leave it unmet",
        n=tried,
    )


def _fold_branch(w: _Work, v: Violation, u: Unit) -> Msg | None:
    """A unit with units of its own (a branch) too small: folded into its parent, its units
    merged into the parent's nearest in function, or it dissolved with all its staff sent to
    the parent's unit nearest in function."""
    p = w.org.parent(u.id)
    if p is None:
        return NO_PARENT
    org = w.org
    leaves = [s for s in org.children(p.id) if s.id != u.id and not org.child_ids(s.id)]
    if not leaves:
        return NO_TARGET
    params = _params(v, org)
    options: list[list[tuple[Step, Msg]]] = []
    kids = org.children(u.id)
    if all(not org.child_ids(c.id) for c in kids):
        steps: list[tuple[Step, Msg]] = []
        for c in kids:
            same = [s for s in leaves if s.kind is c.kind]
            if not same:
                break
            t = _nearest(w, c, same)[0]
            steps.append(
                (
                    Step(op="merge", units=(t.id, c.id), fields=UnitFields(parent=p.id)),
                    msg(
                        "advice_branch_unit",
                        "{finding} ({rule}; {citation}): folded into its parent; its unit "
                        "{child} merged into {target}, the nearest in function",
                        child=_label(c),
                        target=_label(t),
                        **params,
                    ),
                )
            )
        else:
            t = _nearest(w, u, leaves, kinds=True)[0]
            steps.append(_dissolve(u, t, params))
            options.append(steps)
    t = _nearest(w, u, leaves, kinds=True)[0]
    options.append([_dissolve(u, t, params)])
    for steps in options:
        if w.trial(steps, cures=v):
            return None
    return FOLD_BREAKS


def _dissolve(u: Unit, t: Unit, params: dict[str, Any]) -> tuple[Step, Msg]:
    return (
        Step(op="dissolve", units=(u.id,), target=t.id),
        msg(
            "advice_branch_dissolve",
            "{finding} ({rule}; {citation}): dissolved, its staff sent to {target}",
            target=_label(t),
            **params,
        ),
    )


def _trim_average(w: _Work, v: Violation, u: Unit) -> Msg | None:
    """Deputies above an average across units: one post less at a time from the unit holding
    the most (the first in the model's order among equals)."""
    e = w.entry(v)
    if e is None or v.actual is None or v.limit is None:
        return NO_REMEDY
    counts = getattr(e.rule, "counts", None)
    if counts is None:  # pragma: no cover - an average rule counts units
        return NO_REMEDY
    counted = [c for c in w.org.children(u.id) if counts.matches(c, u)]
    held = {c.id: c.deputies for c in counted}
    excess = v.actual - v.limit
    while excess > 0:
        top = max(counted, key=lambda c: (held[c.id], -w.pos[c.id]))
        if held[top.id] == 0:  # pragma: no cover - the excess is deputies held
            return TRIM_BREAKS
        held[top.id] -= 1
        excess -= 1
    steps = []
    for c in counted:
        if held[c.id] != c.deputies:
            reason = msg(
                "advice_average_trim",
                "{finding} ({rule}; {citation}): the deputies of {unit} trimmed from {held} to "
                "{to}, the units holding the most first",
                unit=_label(c),
                held=c.deputies,
                to=held[c.id],
                **_params(v, w.org),
            )
            steps.append(
                (Step(op="set", units=(c.id,), fields=UnitFields(deputies=held[c.id])), reason)
            )
    if w.trial(steps, cures=v):
        return None
    return TRIM_BREAKS


def _merge_pairs(w: _Work, v: Violation, u: Unit) -> Msg | None:
    """Too many units (under `u`, or on average per unit under it): the pair of counted units
    of one parent whose functions overlap most merged, one pair at a time, until the limit
    is met."""
    e = w.entry(v)
    if e is None:
        return NO_REMEDY
    rule = e.rule
    counts = getattr(rule, "counts", None)
    per = getattr(rule, "per", None)
    if counts is None:  # pragma: no cover - a count rule counts units
        return NO_REMEDY
    for _round in range(len(w.org)):
        cur = next((x for x in w.report.violations if x.key == v.key and not x.lawful), None)
        if cur is None:
            return None
        org = w.org
        if u.id not in org:  # pragma: no cover - the counting unit is never merged away
            return NO_REMEDY
        if per is None:
            groups = [(u, [c for c in org.children(u.id) if counts.matches(c, u)])]
        else:
            groups = []
            for x in org.subtree(u.id)[1:]:
                xp = org.parent(x.id)
                if per.matches(x, xp):
                    groups.append((x, [c for c in org.children(x.id) if counts.matches(c, x)]))
            groups.sort(key=lambda g: (-len(g[1]), w.pos[g[0].id]))
        merged = False
        for _g, units in groups:
            pairs = []
            for i, a in enumerate(units):
                for b in units[i + 1 :]:
                    # a rule may count several kinds: units of one kind are paired first
                    n, share = _shared(a, b)
                    size = org.totals(a.id).civil_servants + org.totals(b.id).civil_servants
                    mixed = a.kind is not b.kind
                    pairs.append((mixed, -n, -share, size, w.pos[a.id], w.pos[b.id], a, b))
            pairs.sort(key=lambda t: t[:6])
            for t in pairs[:_PAIRS]:
                a, b = t[6], t[7]
                pair = {"a": _label(a), "b": _label(b), "shared": -t[1], **_params(cur, org)}
                if t[1]:
                    reason = msg(
                        "advice_pair",
                        "{finding} ({rule}; {citation}): {a} and {b} merged, the pair whose "
                        "functions overlap most ({shared} in common)",
                        **pair,
                    )
                else:
                    reason = msg(
                        "advice_pair_smallest",
                        "{finding} ({rule}; {citation}): {a} and {b} merged, the smallest pair "
                        "(no two of them have functions in common)",
                        **pair,
                    )
                if w.trial([(Step(op="merge", units=(a.id, b.id)), reason)]):
                    merged = True
                    break
            if merged:
                break
        if not merged:
            return msg(
                "advice_no_pair",
                "no pair of the units it counts can merge without breaking another rule",
            )
    return NO_REMEDY  # pragma: no cover - each round removes a unit


# -- merge candidates ---------------------------------------------------------------------
def candidates(org: Org, overlap: float = OVERLAP) -> Iterator[Candidate]:
    """Pairs of units of one parent and one kind sharing at least `overlap` of their functions
    (shared ÷ all of both), most overlapping first within each parent, parents in the model's
    order."""
    parents: dict[str | None, list[Unit]] = {}
    for u in org.units:
        if u.functions:
            parents.setdefault(u.parent, []).append(u)
    for pid, kids in parents.items():
        found = []
        for i, a in enumerate(kids):
            fa = _fns(a)
            for b in kids[i + 1 :]:
                if a.kind is not b.kind:
                    continue
                fb = _fns(b)
                both = fa | fb
                common = fa & fb
                if not both or not common:
                    continue
                share = len(common) / len(both)
                if share + 1e-12 >= overlap:
                    names = tuple(
                        f for f in a.functions if " ".join(f.casefold().split()) in common
                    )
                    found.append((-share, i, Candidate(pid or "", (a.id, b.id), names, share)))
        found.sort(key=lambda t: (t[0], t[1]))
        for *_k, c in found:
            yield c


NO_REMEDY = msg(
    "advice_no_remedy",
    "no merge, fold or trim of the units cures it without breaking another rule",
)
NO_PARENT = msg("advice_no_parent", "it has no parent to be folded into")
NO_SIBLING = msg("advice_no_sibling", "its parent has no other unit it could merge with")
NO_TARGET = msg(
    "advice_no_target", "its parent has no unit without units of its own to take its staff"
)
FOLD_BREAKS = msg(
    "advice_fold_breaks",
    "folding it into its parent would break another rule or leave the rule unmet",
)
TRIM_BREAKS = msg("advice_trim_breaks", "trimming the deputies would break another rule")
CLASS_UNKNOWN = msg(
    "advice_class_unknown",
    "the rule's figures differ by province class and the class is not stated: state 'class' "
    "on the province (no plan step can)",
)
NO_FIGURE = msg(
    "advice_no_figure",
    "the law sets a limit here whose figure orgmodel does not know: nothing can be measured "
    "against it",
)
