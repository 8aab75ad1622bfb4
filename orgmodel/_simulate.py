"""Applying a plan to a model: a new model, the ledger of what changed, and the lineage.

Definitions (docs/simulation.md says them for users):

- focal point = a unit; removed focal points = units before - units after.
- leaders of a unit = its head (if held) + its deputies. Touched units = results of merges,
  targets of absorbs, units whose deputies a `set` lowers. Leaders carried into a touched unit =
  its own (if it existed before) + those of every unit merged or absorbed into it. Legal posts =
  1 + the rulebook's maximum deputies for it; with no rule (or no rulebook in force): 1 + the
  deputies the plan gives it explicitly, else 1 + the deputies it holds after the step.
- surplus leadership posts = sum over touched units of max(0, carried - legal posts), plus the
  leaders of dissolved units.
- civil servants: before - after = released - created, exactly.
- a split divides a unit's civil servants and public employees among its parts by their shares
  (largest remainder, ties to the earlier part: the sum is kept exactly); its successor takes its
  leaders (as a merge's result, or as an absorb's target) and its children not given to another
  part; lineage maps it to the successor, `split_into` to every unit it lives on in.

The input model and plan are never changed.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import chain, repeat
from operator import attrgetter, itemgetter
from typing import Any, cast

from pydantic import BaseModel, ConfigDict

from ._diff import Diff, _diff, split_spread
from ._errors import Msg, PlanError, RulebookError, msg
from ._i18n import ABOVE_MAXIMUM, IN_TRANSITION, NO_RULEBOOK, note_text
from ._io import Stream, json_dumps_parts, materialized
from ._model import (
    _CLASS_OF,
    _KIND_OF,
    _LEVEL_OF,
    CLASS,
    CS,
    DEP,
    FUNCS,
    HEAD,
    ID,
    KIND,
    LEVEL,
    MAX_DEPTH,
    MERGED,
    NAME,
    NAME_EN,
    PARENT,
    PE,
    REORG,
    STATED,
    AnyUnit,
    Kind,
    Level,
    Org,
    Rec,
    Unit,
    as_day,
    depth_problem,
    evolve,
    norm_id,
    rec,
    require_org,
    row_from,
    row_of,
    stated_mask,
    subtree_ends,
    unit_problem,
)
from ._plan import MERGE_TWICE, Plan, Step, transfer_counts
from ._rules import (
    Entry,
    Report,
    Rulebook,
    RuleSet,
    Violation,
    add_years,
    deputy_limit_of,
    first_day,
    run,
    select,
)

_FROZEN = ConfigDict(frozen=True)
# the notes a split leaves (figures in the reader's language; Vietnamese in `_i18n.VI`)
SPLIT_CS = (
    "Step {step}: the {total} civil servants of {unit} are divided {parts} among {ids} "
    "(shares {shares}; the largest remainder rounds)."
)
SPLIT_PE = (
    "Step {step}: the {total} public employees of {unit} are divided {parts} among {ids} "
    "(shares {shares}; the largest remainder rounds)."
)


@dataclass(frozen=True)
class Note:
    """Something the reader of an outcome should know: a message template and its figures
    (so that it can be shown in either language)."""

    template: str
    params: dict[str, Any]

    def __str__(self) -> str:
        return note_text(self.template, self.params, "en")

    def text(self, lang: str = "en") -> str:
        return note_text(self.template, self.params, lang)

    def __contains__(self, text: str) -> bool:
        return text in str(self)


class ChangeEvent(BaseModel):
    """One change, as in the W3C Organization Ontology: original -> resulting units."""

    model_config = _FROZEN

    step: int  # 1-based
    event: str  # merge | absorb | dissolve | move | rename | set | create | split
    original: tuple[str, ...]
    # a split's: its successor first, then its other parts in the plan's order
    resulting: tuple[str, ...]
    note: str | None = None


class LeadershipLine(BaseModel):
    """The leadership arithmetic of one touched unit."""

    model_config = _FROZEN

    unit: str
    name: str
    carried: int  # leaders carried into it
    legal_posts: int  # 1 head + the maximum deputies
    held: int  # head + deputies it holds after the plan
    surplus: int  # max(0, carried - legal_posts)
    above_legal_maximum: int  # posts held above the legal maximum
    without_post: int  # leaders who keep no post
    vacant_legal_posts: int  # legal posts no carried leader fills (a shortage)
    basis: str  # the rule that sets the maximum, or how legal posts were taken (English)
    # the same, as data for other languages: "rule" (basis_rule, with its citation), "plan"
    # (1 + the deputies the plan gives it) or "held" (1 + the deputies it holds after the plan)
    basis_source: str = "rule"
    basis_rule: str | None = None  # "<rulebook> <rule>"
    basis_citation: dict[str, Any] | None = None  # the parts `citation_text` writes
    in_transition: int = 0  # of the posts above the maximum, those lawful in a transition
    transition_until: dt.date | None = None  # ... until this day


class Ledger(BaseModel):
    model_config = _FROZEN

    focal_points_before: int
    focal_points_after: int
    removed_by_kind: dict[str, int]
    removed_by_kind_under_parent: dict[str, int]
    civil_servants_before: int
    civil_servants_after: int
    civil_servants_released: int
    civil_servants_created: int
    leadership: tuple[LeadershipLine, ...]
    dissolved_leaders: int
    posts_moved: int = 0  # deputies moved by transfer steps (điều động)
    civil_servants_moved: int = 0  # civil-servant posts moved with them

    @property
    def removed_focal_points(self) -> int:
        return self.focal_points_before - self.focal_points_after

    @property
    def surplus_leadership_posts(self) -> int:
        return sum(x.surplus for x in self.leadership) + self.dissolved_leaders

    @property
    def leaders_without_post(self) -> int:
        return sum(x.without_post for x in self.leadership) + self.dissolved_leaders

    @property
    def posts_above_legal_maximum(self) -> int:
        return sum(x.above_legal_maximum for x in self.leadership)

    @property
    def vacant_legal_posts(self) -> int:
        return sum(x.vacant_legal_posts for x in self.leadership)

    @property
    def posts_in_transition(self) -> int:
        """Posts above the legal maximum that a transition makes lawful for now."""
        return sum(x.in_transition for x in self.leadership)

    @property
    def transitions(self) -> dict[str, int]:
        """Posts in a transition by the day it ends (ISO date -> posts)."""
        out: dict[str, int] = {}
        for x in self.leadership:
            if x.in_transition and x.transition_until is not None:
                key = x.transition_until.isoformat()
                out[key] = out.get(key, 0) + x.in_transition
        return dict(sorted(out.items()))


@dataclass(frozen=True)
class Outcome:
    """What `simulate` returns: the new model, the ledger, the lineage and the checks."""

    before: Org
    after: Org
    plan: Plan
    ledger: Ledger
    events: tuple[ChangeEvent, ...]
    # every unit id of the model before -> the id of the unit it lives on in after the plan, or
    # None (dissolved); computed by the simulation from its steps, exact when ids are reused
    lineage: dict[str, str | None]
    rulebooks: tuple[str, ...]
    books: RuleSet
    day: dt.date
    notes: tuple[Note, ...] = ()
    # each unit of the model before that a split divided (itself, or a unit it had gone into)
    # -> every unit after the plan it lives on in (the one `lineage` names first), where a
    # part of it lives on
    split_into: dict[str, tuple[str, ...]] = field(default_factory=dict)
    _cache: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    def _cached(self, key: str, make: Any) -> Any:
        if key not in self._cache:
            self._cache[key] = make()
        return self._cache[key]

    @property
    def origins(self) -> dict[str, tuple[str, ...]]:
        """The other side of `lineage`: each unit after the plan in which units of the model
        before live on -> those units, in the order of the model before (itself included when
        it was there before). A unit the plan created alone is absent. A unit that took a part
        of a unit a split divided lists that unit too (`split_into`)."""

        def make() -> dict[str, tuple[str, ...]]:
            out: dict[str, list[str]] = {}
            for uid, res in self.lineage.items():
                if res is not None:
                    out.setdefault(res, []).append(uid)
                for part in self.split_into.get(uid, ()):
                    if part != res:
                        out.setdefault(part, []).append(uid)
            return {k: tuple(v) for k, v in out.items()}

        r: dict[str, tuple[str, ...]] = self._cached("origins", make)
        return r

    @property
    def report_before(self) -> Report:
        """The model before, checked against the plan's rulebooks (computed on first use)."""
        r: Report = self._cached("before", lambda: run(self.before, self.books, self.day))
        return r

    @property
    def report_after(self) -> Report:
        r: Report = self._cached("after", lambda: run(self.after, self.books, self.day))
        return r

    @property
    def removed_focal_points(self) -> int:
        return self.ledger.removed_focal_points

    @property
    def surplus_leadership_posts(self) -> int:
        return self.ledger.surplus_leadership_posts

    @property
    def introduced(self) -> tuple[Violation, ...]:
        """Violations after the plan that were not there before (same rule, same unit)."""
        before = {v.key for v in self.report_before.violations}
        return tuple(v for v in self.report_after.violations if v.key not in before)

    @property
    def introduced_violations(self) -> tuple[Violation, ...]:
        """The findings the plan introduces that make the model non-compliant (transitions and
        unknown figures left out): what makes `simulate` exit 1."""
        return tuple(v for v in self.introduced if not v.lawful)

    @property
    def deputies_in_transition(self) -> dict[str, int]:
        """Deputy posts above a limit but lawful in a transition, in the model after the plan,
        by the day the transition ends (ISO date -> posts): for each unit, its largest excess
        over a rule of its own, plus each average's excess on the unit that reports it."""
        per_unit: dict[tuple[str, str], int] = {}
        for v in self.report_after.violations:
            if v.status != "transition" or v.actual is None or v.limit is None:
                continue
            key = (v.unit, v.until.isoformat() if v.until else "")
            per_unit[key] = max(per_unit.get(key, 0), v.actual - v.limit)
        out: dict[str, int] = {}
        for (_unit, until), n in per_unit.items():
            out[until] = out.get(until, 0) + n
        return dict(sorted(out.items()))

    @property
    def posts_in_transition(self) -> int:
        return sum(self.deputies_in_transition.values())

    @property
    def posts(self) -> dict[str, dict[str, int]]:
        """Leadership posts above the legal maximum and vacant legal posts in the whole model,
        before and after the plan (`leadership_posts`: every unit a `max_deputies` rule
        covers, measured on its held posts, with the outcome's rules and day)."""

        def make() -> dict[str, dict[str, int]]:
            b_above, b_vacant = post_totals(self.before, self.books)
            a_above, a_vacant = post_totals(self.after, self.books)
            return {
                "above_legal_maximum": {"before": b_above, "after": a_above},
                "vacant_legal_posts": {"before": b_vacant, "after": a_vacant},
            }

        r: dict[str, dict[str, int]] = self._cached("posts", make)
        return r

    @property
    def cured(self) -> tuple[Violation, ...]:
        after = {v.key for v in self.report_after.violations}
        return tuple(v for v in self.report_before.violations if v.key not in after)

    @property
    def remaining(self) -> tuple[Violation, ...]:
        before = {v.key for v in self.report_before.violations}
        return tuple(v for v in self.report_after.violations if v.key in before)

    @property
    def diff(self) -> Diff:
        d: Diff = self._cached(
            "diff", lambda: _diff(self.before, self.after, self.lineage, self.split_into)
        )
        return d

    def to_frame(self) -> Any:
        """The leadership ledger of the touched units (pandas; the `pandas` extra). The unit-by-
        unit changes are `outcome.diff.to_frame()`, the violations `report_after.to_frame()`."""
        from ._pandas import frame

        cols = list(LeadershipLine.model_fields)
        return frame([x.model_dump() for x in self.ledger.leadership], cols)

    def to_json(self, **kw: Any) -> str:
        """The JSON of `orgmodel simulate --format json` (`json.dumps` of `to_dict`, with its
        keywords; without any, written in parts: `json_dumps_parts`)."""
        import json

        if not kw:
            return json_dumps_parts(self._report_parts())
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `orgmodel simulate --format json` (keys never change with the language)."""
        made: dict[str, Any] = materialized(self._report_parts())
        return made

    def _report_parts(self) -> dict[str, Any]:
        """`to_dict` with its long lists given as `Stream`s (made item by item as they are
        written: `json_report_parts`)."""
        led = self.ledger

        def vj(vs: Sequence[Violation]) -> Stream:
            return Stream(lambda: (v.to_dict() for v in vs))

        return {
            "plan": self.plan.name,
            "effective": self.after.as_of.isoformat() if self.after.as_of else None,
            "rulebooks": list(self.rulebooks),
            "removed_focal_points": led.removed_focal_points,
            "focal_points": {"before": led.focal_points_before, "after": led.focal_points_after},
            "removed_focal_points_by_kind": led.removed_by_kind,
            "removed_focal_points_by_kind_under_parent": led.removed_by_kind_under_parent,
            "surplus_leadership_posts": led.surplus_leadership_posts,
            "leaders_without_post": led.leaders_without_post,
            "posts_above_legal_maximum": led.posts_above_legal_maximum,
            "vacant_legal_posts": led.vacant_legal_posts,
            "posts_in_transition": self.posts_in_transition,
            "posts_in_transition_until": self.deputies_in_transition,
            "dissolved_leaders": led.dissolved_leaders,
            "civil_servants": {
                "before": led.civil_servants_before,
                "after": led.civil_servants_after,
                "released": led.civil_servants_released,
                "created": led.civil_servants_created,
            },
            "leadership": Stream(lambda: map(_line_json, led.leadership)),
            "posts_moved": led.posts_moved,
            "civil_servants_moved": led.civil_servants_moved,
            "posts": self.posts,
            "violations": {
                "introduced": vj(self.introduced),
                "cured": vj(self.cured),
                "remaining": vj(self.remaining),
            },
            "lineage": Stream(self._events_json),
            "notes": [str(n) for n in self.notes],
            "diff": self.diff._report_parts(),
        }

    def _events_json(self) -> Iterator[dict[str, Any]]:
        """The events as JSON (from their fields' tuples while the objects are not made)."""
        pending = self.__dict__.get("events")
        if type(pending) is not _Make or pending.made:  # made (by this outcome or a copy)
            return (e.model_dump(mode="json") for e in self.events)
        return (
            {
                "step": step,
                "event": op,
                "original": list(original),
                "resulting": list(resulting),
                "note": note,
            }
            for step, op, original, resulting, note in pending.args[0]
        )


class _NotPlain(Exception):
    """A value `_plain_copy` leaves to pydantic's serializer."""


def _plain_copy(v: Any) -> Any:
    """A copy of a value made of texts, integers, None and booleans in dicts (keyed by texts),
    lists and tuples (as lists): what pydantic's JSON mode makes of it; _NotPlain otherwise."""
    t = type(v)
    if t is str or t is int or v is None or t is bool:
        return v
    if t is dict:
        out = {}
        for k, x in v.items():
            if type(k) is not str:
                raise _NotPlain
            out[k] = _plain_copy(x)
        return out
    if t is list or t is tuple:
        return [_plain_copy(x) for x in v]
    raise _NotPlain


_LINE_PLAIN = (str, int, bool, type(None))


def _line_json(x: LeadershipLine) -> dict[str, Any]:
    """`x.model_dump(mode="json")`. A line `simulate` makes holds values of its fields' types
    and a citation of texts: its JSON is its own fields, with the day in ISO form and the
    citation copied (a test holds the two equal); any other line is left to pydantic."""
    d = dict(x.__dict__)
    until = d["transition_until"]
    cite = d["basis_citation"]
    try:
        for k, v in d.items():
            if type(v) not in _LINE_PLAIN and k != "transition_until" and k != "basis_citation":
                raise _NotPlain
        if until is not None:
            if type(until) is not dt.date:
                raise _NotPlain
            d["transition_until"] = until.isoformat()
        if cite is not None:
            d["basis_citation"] = _plain_copy(cite)
    except _NotPlain:
        made: dict[str, Any] = x.model_dump(mode="json")
        return made
    return d


class _Make:
    """A field's value given as the function that makes it and its arguments (picklable when
    they are): made on the field's first read (`_OnDemand`)."""

    __slots__ = ("args", "keep", "made", "make")

    def __init__(self, make: Callable[..., Any], *args: Any, keep: bool = False) -> None:
        self.make = make
        self.args = args
        self.keep = keep  # pickled as its value (the arguments are larger than it)
        self.made: list[Any] = []  # the value, once made (shared by shallow copies)

    def __call__(self) -> Any:
        if not self.made:
            self.made.append(self.make(*self.args))
            self.args = ()  # what it was made of is no longer needed
        return self.made[0]

    def __reduce__(self) -> tuple[Any, ...]:
        if self.keep or self.made:
            return (_given, (self(),))
        return (_Make, (self.make, *self.args))


def _given(value: Any) -> Any:
    return value


class _OnDemand:
    """A dataclass field whose value may be given as a `_Make`: made when first read, then kept
    (the instance stays frozen to its users: only the field's own value is written, once)."""

    def __init__(self, name: str) -> None:
        self.name = name

    def __get__(self, obj: Any, owner: Any = None) -> Any:
        if obj is None:
            raise AttributeError(self.name)  # no class-level default
        d = obj.__dict__
        v = d[self.name]
        if type(v) is _Make:
            v = d[self.name] = v()
        return v

    def __set__(self, obj: Any, value: Any) -> None:
        obj.__dict__[self.name] = value


_EVENT_FIELDS = tuple(ChangeEvent.model_fields)


def _events(rows: Sequence[tuple[Any, ...]]) -> tuple[ChangeEvent, ...]:
    """The public events from their fields' tuples (values of the fields' types)."""
    return tuple(_construct(ChangeEvent, dict(zip(_EVENT_FIELDS, r, strict=True))) for r in rows)


# a national plan's tens of thousands of events are made when `events` is first read
Outcome.events = _OnDemand("events")  # type: ignore[assignment]
Outcome.lineage = _OnDemand("lineage")  # type: ignore[assignment]


_set_attr = object.__setattr__
_KIND = attrgetter("kind")
_PARENT = attrgetter("parent")
_CS = attrgetter("civil_servants")
_ID = attrgetter("id")
_ROW_ID, _ROW_PARENT, _ROW_KIND, _ROW_CS = (
    itemgetter(ID),
    itemgetter(PARENT),
    itemgetter(KIND),
    itemgetter(CS),
)
_PARENT_AT, _STATED = PARENT, STATED
_P_BIT = stated_mask({"parent"})


_FIELDS_SET: dict[type[Any], set[str]] = {}


def _construct(cls: type[Any], values: dict[str, Any], fields: set[str] | None = None) -> Any:
    """A pydantic model from values of its fields' types, every field given (what pydantic's
    `model_construct` makes, without its per-field loop: tens of thousands per national plan).
    The models are frozen, so the set of the fields given (all of them, unless `fields` says
    otherwise) is one per class."""
    if fields is None:
        fields = _FIELDS_SET.get(cls)
        if fields is None:
            fields = _FIELDS_SET[cls] = set(cls.model_fields)
    m = object.__new__(cls)
    _set_attr(m, "__dict__", values)
    _set_attr(m, "__pydantic_fields_set__", fields)
    _set_attr(m, "__pydantic_extra__", None)
    _set_attr(m, "__pydantic_private__", None)
    return m


_ALL_FIELDS: set[str] = set(Unit.model_fields)
_ALL_BUT_CS: set[str] = _ALL_FIELDS - {"civil_servants"}
_ALL_MASK = stated_mask(_ALL_FIELDS)
_ALL_BUT_CS_MASK = stated_mask(_ALL_BUT_CS)


_row = row_from  # a unit the plan makes, given as every field's value


def _unit(values: dict[str, Any], fields: set[str]) -> Unit:
    """A Unit from values of its fields' types, every field given in the fields' order, with
    the set of the fields stated (shared: frozen units never change it). Its invariants are the
    caller's to check (`unit_problem`)."""
    u: Unit = _construct(Unit, values, fields)
    return u


# -- the mutable working copy (private to one simulation) --------------------------------
#
# Every step costs O(what it touches): a unit is a node in a tree of doubly linked sibling
# lists, so detaching, inserting and handing over a whole list of children are O(1); a node's
# children point at the node, not at its id, so renaming it (a merge into a new id) moves none of
# them; a merge or absorb keeps the node with the most children and re-points only the others'
# (small to large); ancestor checks search up from one unit and down from the other at the same
# time and stop at whichever ends first. Units' `parent` fields are written once, at the end.
# Lineage is a union-find over the nodes: a node merged away points at the node it went into.
#
# A node is a number: the tree is held in columns (lists indexed by node; -1 is "none"), not
# in an object per unit, so that a national model costs a handful of lists, not 100,000 objects
# for the garbage collector to walk. Node 0 is the root above the top units; the units of the
# model before are nodes 1..n in its order; units a plan makes are added at the end.
_ROOT = 0


def _sub(st: _State, top: int) -> int:
    """The civil servants of `top`'s subtree: computed once (post-order, iterative) for the
    nodes not yet known, then kept up to date by `_bump`."""
    S = st.S
    known = S[top]
    if known is not None:
        return known
    U, FI, NX = st.U, st.FI, st.NX
    stack: list[tuple[int, bool]] = [(top, False)]
    while stack:
        n, done = stack.pop()
        if done:
            total = U[n][CS]
            c = FI[n]
            while c >= 0:
                total += cast(int, S[c])
                c = NX[c]
            S[n] = total
            continue
        stack.append((n, True))
        c = FI[n]
        while c >= 0:
            if S[c] is None:
                stack.append((c, False))
            c = NX[c]
    return cast(int, S[top])


def _bump(st: _State, n: int, delta: int) -> None:
    """Add `delta` to the subtree sums of `n` and its ancestors, where known (an unknown node's
    ancestors are unknown too, so the walk stops at the first; the root's is never known)."""
    S, P = st.S, st.P
    while n > 0:
        s = S[n]
        if s is None:
            return
        S[n] = s + delta
        n = P[n]


def _unlink(st: _State, n: int) -> None:
    P, PR, NX = st.P, st.PR, st.NX
    p = P[n]
    prev, nxt = PR[n], NX[n]
    if prev >= 0:
        NX[prev] = nxt
    else:
        st.FI[p] = nxt
    if nxt >= 0:
        PR[nxt] = prev
    else:
        st.LA[p] = prev
    PR[n] = NX[n] = P[n] = -1
    st.D[p] = True
    st.NK[p] -= 1
    if st.U[n][KIND] == _DIVISION:
        st.ND[p] -= 1
    if st.S[p] is not None:
        _bump(st, p, -cast(int, st.S[n]))


def _count_in(st: _State, p: int, n: int) -> None:
    """`p` has gained the child `n`: its counts and its ancestors' subtree sums follow."""
    st.D[p] = True
    st.NK[p] += 1
    if st.U[n][KIND] == _DIVISION:
        st.ND[p] += 1
    if st.S[p] is not None:
        _bump(st, p, _sub(st, n))


def _link_last(st: _State, p: int, n: int) -> None:
    st.P[n] = p
    last = st.LA[p]
    st.PR[n] = last
    st.NX[n] = -1
    if last >= 0:
        st.NX[last] = n
    else:
        st.FI[p] = n
    st.LA[p] = n
    _count_in(st, p, n)


def _link_before(st: _State, anchor: int, n: int) -> None:
    p = st.P[anchor]
    st.P[n] = p
    prev = st.PR[anchor]
    st.PR[n] = prev
    st.NX[n] = anchor
    if prev >= 0:
        st.NX[prev] = n
    else:
        st.FI[p] = n
    st.PR[anchor] = n
    _count_in(st, p, n)


def _hand_kids(st: _State, src: int, dst: int, *, front: bool = False) -> None:
    """Move all of `src`'s children to the end (or the front) of `dst`'s: O(len(src's))."""
    FI, LA, NX, PR, P, S = st.FI, st.LA, st.NX, st.PR, st.P, st.S
    first, last = FI[src], LA[src]
    if first < 0:
        return
    st.D[src] = st.D[dst] = True
    c = first
    moved = 0
    known = S[dst] is not None or S[src] is not None
    while c >= 0:
        P[c] = dst
        if known:
            moved += _sub(st, c)
        c = NX[c]
    if known:
        _bump(st, src, -moved)
        _bump(st, dst, moved)
    if front:
        head = FI[dst]
        NX[last] = head
        if head >= 0:
            PR[head] = last
        else:
            LA[dst] = last
        FI[dst] = first
    else:
        tail = LA[dst]
        PR[first] = tail
        if tail >= 0:
            NX[tail] = first
        else:
            FI[dst] = first
        LA[dst] = last
    st.NK[dst] += st.NK[src]
    st.ND[dst] += st.ND[src]
    FI[src] = LA[src] = -1
    st.NK[src] = st.ND[src] = 0


def _preorder(st: _State, top: int) -> Iterator[int]:
    """`top`'s descendants in pre-order (not `top` itself), without recursion or a stack."""
    FI, NX, P = st.FI, st.NX, st.P
    n = FI[top]
    while n >= 0:
        yield n
        c = FI[n]
        if c >= 0:
            n = c
            continue
        while n != top and NX[n] < 0:
            n = P[n]
        n = -1 if n == top else NX[n]


def _within(st: _State, a: int, b: int) -> bool:
    """Is `a` the node `b` or inside it? Searches up from `a` and down from `b` in turns and
    stops when either search ends: O(min(depth of a, size of b))."""
    if a == b:
        return True
    P, FI, NX = st.P, st.FI, st.NX
    up = P[a]
    down = FI[b]
    while True:
        if up == b:
            return True
        if up < 0:  # reached above the roots
            return False
        up = P[up]
        if down < 0:
            return False
        if down == a:
            return True
        nxt = FI[down]
        if nxt < 0:
            cur = down
            while cur != b and NX[cur] < 0:
                cur = P[cur]
            nxt = -1 if cur == b else NX[cur]
        down = nxt


class _State:
    def __init__(self, org: Org, books: RuleSet) -> None:
        rows = org._rows
        size = len(rows) + 1
        ids = list(map(_ROW_ID, rows))
        index: dict[str, int] = dict(zip(ids, range(1, size), strict=True))
        # the columns of the tree (node 0: the root)
        # each node's unit as it now is: the model's row read by name until a step changes it
        # (the rows themselves: no object per unit for the collector; `_at` reads them by name)
        self.U: list[tuple[Any, ...]] = [cast(tuple[Any, ...], None), *rows]
        # a top unit's parent (None) is no id: the root
        self.P = P = [-1, *map(index.get, map(_ROW_PARENT, rows), repeat(0))]
        # Kind, or None (the root)
        kinds: list[Any] = [None, *map(_KIND_OF.__getitem__, map(_ROW_KIND, rows))]
        # units by (kind, parent's kind) before the plan, for the ledger (the root's kind: None)
        self.pairs_before: _PairCounts = Counter(
            zip(kinds[1:], map(kinds.__getitem__, P[1:]), strict=True)
        )
        self.FI = FI = [-1] * size  # first child
        self.LA = LA = [-1] * size  # last child
        self.PR = PR = [-1] * size  # previous sibling
        self.NX = NX = [-1] * size  # next sibling
        for n in range(1, size):  # pre-order: siblings come in order
            p = P[n]
            last = LA[p]
            if last < 0:
                FI[p] = n
            else:
                NX[last] = n
                PR[n] = last
            LA[p] = n
        self.NK = NK = [0] * size  # children
        for p, k in Counter(P[1:]).items():
            NK[p] = k
        # children that are divisions (a branch's deputy rule measures them)
        self.ND = ND = [0] * size
        division = Kind.DIVISION
        for p, k in Counter([P[n] for n, kind in enumerate(kinds) if kind is division]).items():
            ND[p] = k
        # children changed (in number, order or ids): the list of the model before is not theirs
        self.D = [False] * size
        self.norig = size - 1  # nodes above this one are units the plan made
        self.oid: list[str | None] = [None, *ids]  # each original node's id
        self.F = [-1] * size  # the node this one was merged or absorbed into
        self.A = [True] * size  # alive (False: dissolved)
        # civil servants of the subtree, once a rule has measured it (None: not known yet).
        # Kept exact from then on; a known node's children are known, so a change adds its
        # difference to the known ancestors only
        self.S: list[int | None] = [None] * size
        self.index = index  # id -> its node, as the plan goes
        self.original = dict(index)  # original id -> its node (for the lineage)
        # original ids whose node went into another, was dissolved or took another id: the
        # only ones whose lineage is not themselves
        self.gone: list[str] = []
        self.books = books
        # kinds (as the rows write them: a Kind is equal to its text) some deputy rule covers,
        # and those some rule measures by civil servants
        self.deputy_rules: dict[str, bool] = {}
        self.cs_measure: dict[str, bool] = {}
        # a deputy limit asked for once per description of a unit (most units share theirs)
        self.limits: dict[tuple[Any, ...], tuple[int, Entry] | None] = {}
        for e in books.of_kind("max_deputies"):
            for kind in e.rule.applies_to.kind:
                self.deputy_rules[kind] = True
                if getattr(e.rule, "measure", "civil_servants") == "civil_servants":
                    self.cs_measure[kind] = True
        self.reorganized: dt.date | None = None  # the plan's effective date (or the day)
        self.day: dt.date | None = None
        self.removed: dict[str, int] = {}  # id -> index of the step that removed it
        self.carried: dict[str, int] = {}  # touched unit -> leaders carried into it
        self.explicit: dict[str, int] = {}  # deputies the plan gave a unit explicitly
        self.released = 0
        self.created = 0
        self.dissolved_leaders = 0
        self.posts_moved = 0
        self.civil_servants_moved = 0
        self.events: list[tuple[Any, ...]] = []  # each event's fields, in order
        # each split: the retired node of the split unit, and the nodes of its parts (the
        # successor first), for `split_into`
        self.splits: list[tuple[int, list[int]]] = []
        self.notes: list[Note] = []
        self.steps: Sequence[Step] = ()
        self.source: str | None = None
        self.plan: Plan | None = None

    def new(self, u: AnyUnit) -> int:
        """A node for a unit the plan makes (not yet in the tree)."""
        n = len(self.U)
        self.U.append(_row_of(u))
        for col in (self.P, self.FI, self.LA, self.PR, self.NX, self.F):
            col.append(-1)
        self.NK.append(0)
        self.ND.append(0)
        self.D.append(True)
        self.A.append(True)
        self.S.append(None)
        return n

    # -- lookups ------------------------------------------------------------------------
    def fail(self, i: int, step: Step, message: Msg) -> PlanError:
        line = self.plan.step_line(i) if self.plan is not None else step.line
        return PlanError(message.within(step.describe(i, line)), file=self.source, line=line)

    def get(self, uid: str, i: int, step: Step) -> int:
        n = self.index.get(uid)
        if n is None:
            uid = norm_id(uid)
            n = self.index.get(uid)
        if n is not None:
            return n
        if uid in self.removed:
            j = self.removed[uid]
            line = self.plan.step_line(j) if self.plan is not None else None
            earlier = self.steps[j].describe(j, line)
            raise self.fail(
                i,
                step,
                msg("unit_removed", "unit {id!r} was removed by {step}", id=uid, step=earlier),
            )
        near = _near(uid, self.index)
        raise self.fail(
            i, step, msg("unknown_unit", "unknown unit {id!r}{hint}", id=uid, hint=near)
        )

    def parent_id(self, n: int) -> str | None:
        p = self.P[n]
        return None if p <= _ROOT else self.U[p][ID]

    def leaders(self, uid: str) -> int:
        c = self.carried.get(uid)
        return _at(self.U, self.index[uid]).leaders if c is None else c

    def related(self, nodes: Sequence[int]) -> tuple[str, str] | None:
        """A pair (unit, its ancestor) among `nodes`, or None."""
        P, U = self.P, self.U
        if len(nodes) <= 8:
            # the first `a` (in the step's order) inside another, and the first such `b`: each
            # node's ancestors found once, by walking up (a tree is shallow)
            for a in nodes:
                above = set()
                cur = P[a]
                while cur > _ROOT:
                    above.add(cur)
                    cur = P[cur]
                for b in nodes:
                    if b in above:
                        return U[a][ID], U[b][ID]
            return None
        # many units: walk up from each, stopping where an earlier walk went (O(k + paths))
        members = set(nodes)
        seen: set[int] = set()
        for a in nodes:
            cur = P[a]
            while cur > _ROOT and cur not in seen:
                if cur in members:
                    return U[a][ID], U[cur][ID]
                seen.add(cur)
                cur = P[cur]
        return None

    def deputy_rule(self, n: int) -> tuple[int, Entry] | None:
        """The legal maximum of deputies for the unit where it now stands, with the rule
        (during the steps: the subtree is summed only when a rule measures it)."""
        U = self.U
        r = U[n]
        kind = r[KIND]
        if not self.deputy_rules.get(kind):  # no rule can cover it: skip the measures
            return None
        P = self.P
        p = P[n]
        if p > _ROOT:
            pr = U[p]
            pkind, plevel = pr[KIND], pr[LEVEL]
        else:
            pkind = plevel = None
        cs = _sub(self, n) if self.cs_measure.get(kind) else r[CS]
        cls = r[CLASS]
        while cls is None and p > _ROOT:
            cls = U[p][CLASS]
            p = P[p]
        key = (kind, r[LEVEL], pkind, plevel, cls, cs, self.ND[n])
        limits = self.limits
        if key in limits:
            return limits[key]
        hit = limits[key] = deputy_limit_of(
            self.books,
            _KIND_OF[kind],
            _LEVEL_OF[key[1]],
            None if pkind is None else _KIND_OF[pkind],
            _LEVEL_OF[plevel],
            _CLASS_OF[cls],
            cs,
            key[6],
        )
        return hit

    # -- edits --------------------------------------------------------------------------
    def set_unit(self, n: int, u: AnyUnit) -> AnyUnit:
        self.set_row(n, _row_of(u))
        return u

    def set_row(self, n: int, row: tuple[Any, ...]) -> None:
        """Node `n` now holds the unit `row`: its parent's counts and the known subtree sums
        follow."""
        old = self.U[n]
        p = self.P[n]
        if p >= 0:
            if row[ID] != old[ID]:
                self.D[p] = True
            now = row[KIND] == _DIVISION
            if (old[KIND] == _DIVISION) != now:
                self.ND[p] += 1 if now else -1
        if self.S[n] is not None and row[CS] != old[CS]:
            _bump(self, n, row[CS] - old[CS])
        self.U[n] = row

    def update(self, n: int, **changes: Any) -> Unit:
        u = evolve(_at(self.U, n), changes)
        self.set_unit(n, u)
        return u

    def drop(self, uid: str, i: int) -> None:
        del self.index[uid]
        self.carried.pop(uid, None)
        self.explicit.pop(uid, None)
        self.removed[uid] = i
        if uid in self.original:
            self.gone.append(uid)

    def event(self, i: int, step: Step, original: Sequence[str], resulting: Sequence[str]) -> None:
        # kept as a tuple of the event's fields (no object for the collector): the public
        # `ChangeEvent`s are made when the outcome's `events` are first read
        self.events.append((i + 1, step.op, tuple(original), tuple(resulting), step.note))

    def split_into(self) -> dict[str, tuple[str, ...]]:
        """Each original unit a split divided -> the units it lives on in (before `lineage`,
        whose path compression skips the split units' retired nodes)."""
        if not self.splits:
            return {}
        F, U, A = self.F, self.U, self.A

        def nxt(n: int) -> int | None:
            f = F[n]
            return None if f < 0 else f

        spread, landing = split_spread(self.splits, nxt)
        out: dict[str, tuple[str, ...]] = {}
        for uid, n in self.original.items():
            ends = spread.get(landing(n))
            if ends is not None:
                out[uid] = tuple(U[e][ID] for e in ends if A[e])
        return out

    def lineage(self) -> _Make:
        """Each original id -> the id it lives on in (None: dissolved), made when the outcome's
        `lineage` is first read (the columns it reads are the plan's last state: no step
        changes them after)."""
        return _Make(_lineage, self.original, self.gone, self.F, self.U, self.A, keep=True)


def _lineage(
    original: dict[str, int], gone: list[str], F: list[int], U: list[Any], A: list[bool]
) -> dict[str, str | None]:
    # a unit no step removed lives on in itself (in the model's order, made at C speed);
    # the others are found through the union-find
    out: dict[str, str | None] = dict(zip(original, original, strict=True))
    for uid in gone:  # union-find, with path compression
        n = top = original[uid]
        while F[top] >= 0:
            top = F[top]
        while F[n] >= 0 and F[n] != top:
            F[n], n = top, F[n]
        out[uid] = U[top][ID] if A[top] else None
    return out


_rec = tuple.__new__
_DIVISION = Kind.DIVISION.value
_PC = Kind.PEOPLES_COMMITTEE.value
_PROVINCE = Level.PROVINCE.value


def _row_of(u: AnyUnit) -> tuple[Any, ...]:
    """The row a node holds: a row read by name is the row itself; a `Unit` is written as one."""
    t = type(u)
    if t is tuple:
        return u  # type: ignore[return-value]
    if t is Rec:
        return tuple(u)
    return row_of(u)  # type: ignore[arg-type]


def _at(U: list[Any], n: int) -> Any:
    """Node `n`'s unit as it now is: a `Unit` a step made, or the model's row read by name."""
    u = U[n]
    return _rec(Rec, u) if type(u) is tuple else u


def _near(uid: str, ids: Any) -> str:
    import difflib

    near = difflib.get_close_matches(uid, list(ids), n=1, cutoff=0.75) if len(ids) < 5000 else []
    return msg("did_you_mean_unit", " (did you mean {id!r}?)", id=near[0]) if near else ""


def _problem(e: ValueError) -> Msg:
    """What a unit's invariant says (`_model.unit_problem`), from a `ValueError` or pydantic's
    `ValidationError` (a unit the plan creates)."""
    from pydantic import ValidationError

    if isinstance(e, ValidationError):
        err = e.errors(include_url=False)[0]
        ctx = err.get("ctx") or {}
        found = ctx.get("msg") or (ctx["error"].args[0] if ctx.get("error") else None)
        if isinstance(found, Msg):
            return found
        return msg("invalid_unit", "the unit is not valid: {detail}", detail=str(err["msg"]))
    found = e.args[0] if e.args else ""
    if isinstance(found, Msg):
        return found
    return msg("invalid_unit", "the unit is not valid: {detail}", detail=str(e))


def _check_room(st: _State, i: int, step: Step, u: AnyUnit) -> None:
    if u.civil_servants and u.leaders > u.civil_servants:
        raise st.fail(
            i,
            step,
            msg(
                "step_leaders_exceed",
                "unit {id!r} would hold {head} head and {deputies:,} deputies but only "
                "{civil_servants:,} civil servants; civil_servants counts the leaders too",
                id=u.id,
                head=u.head,
                deputies=u.deputies,
                civil_servants=u.civil_servants,
            ),
        )
    if u.kind is Kind.PEOPLES_COMMITTEE and u.level is None:
        # the org file requires it; a model the plan makes must be one a file can hold
        raise st.fail(
            i,
            step,
            msg("step_pc_needs_level", "People's Committee {id!r} needs a 'level'", id=u.id),
        )


def _unstated(u: AnyUnit) -> bool:
    return "civil_servants" not in u.__pydantic_fields_set__ or not u.civil_servants


def _check_mixed(
    st: _State, i: int, step: Step, units: Sequence[AnyUnit], cs: int, head: int, deputies: int
) -> None:
    """Units that state their civil servants fused with units that state none: the sum of the
    stated ones is all that is known, and it must hold the leaders; orgmodel invents no number,
    so the plan must state it."""
    if not cs or head + deputies <= cs:
        return
    silent = [u.id for u in units if _unstated(u)]
    if not silent or len(silent) == len(units):
        return
    names = ", ".join(repr(x) for x in silent)
    hint = (
        msg("hint_merge_cs", "give the merged unit's with 'into: {{civil_servants: N}}'")
        if step.op == "merge"
        else msg("hint_set_cs", "state them first with a 'set' step")
    )
    params = {"names": names, "cs": cs, "head": head, "deputies": deputies, "hint": hint}
    params["least"] = head + deputies
    if len(silent) == 1:
        m = msg(
            "mixed_unstated_one",
            "{names} states no civil servants, so the {cs:,} stated cannot hold the result's "
            "{head} head and {deputies:,} deputies (civil_servants counts the leaders too); "
            "{hint}, at least {least:,}",
            **params,
        )
    else:
        m = msg(
            "mixed_unstated",
            "{names} state no civil servants, so the {cs:,} stated cannot hold the result's "
            "{head} head and {deputies:,} deputies (civil_servants counts the leaders too); "
            "{hint}, at least {least:,}",
            **params,
        )
    raise st.fail(i, step, m)


# -- the steps --------------------------------------------------------------------------
def _merge(st: _State, i: int, step: Step) -> None:
    index = st.index
    nodes = []
    for uid in step.units:
        n = index.get(uid)
        nodes.append(st.get(uid, i, step) if n is None else n)
    U = st.U
    rows = [U[n] for n in nodes]  # the units as they now are (rows: no object made)
    ids = [r[ID] for r in rows]
    if len(set(nodes)) != len(nodes):
        raise st.fail(i, step, MERGE_TWICE)
    P = st.P
    # units under one parent cannot be each other's ancestors
    p0 = P[nodes[0]]
    same = True
    for n in nodes:
        if P[n] != p0:
            same = False
            break
    pair = None if same else st.related(nodes)
    if pair is not None:
        raise st.fail(
            i,
            step,
            msg(
                "merge_ancestor",
                "cannot merge {id!r} with its own ancestor {ancestor!r}; "
                "use absorb to fold a unit into its parent",
                id=pair[0],
                ancestor=pair[1],
            ),
        )
    f = step.fields
    rid = norm_id(f.id) if f.id else ids[0]
    if rid in index and rid not in ids:
        raise st.fail(
            i,
            step,
            msg(
                "merge_id_exists",
                "new id {id!r} already exists; choose a new id or one of the merged units' ids",
                id=rid,
            ),
        )
    pnode: int
    if f.parent is not None:
        pnode = st.get(f.parent, i, step)
        if any(_within(st, pnode, x) for x in nodes):
            raise st.fail(
                i,
                step,
                msg(
                    "merge_parent_inside",
                    "parent {parent!r} is one of the merged units or inside one",
                    parent=f.parent,
                ),
            )
    else:
        if not same:
            raise st.fail(
                i,
                step,
                msg(
                    "merge_parents_differ",
                    "the merged units have different parents ({parents}); say which with "
                    "'into: {{parent: ...}}'",
                    parents=", ".join(sorted(str(st.parent_id(n)) for n in nodes)),
                ),
            )
        pnode = P[nodes[0]]
    parent = None if pnode == _ROOT else U[pnode][ID]
    first = rows[0]
    own_cs = pe = 0
    carried = 0
    carry = st.carried
    for r in rows:
        own_cs += r[CS]
        pe += r[PE]
        c = carry.get(r[ID])
        carried += r[HEAD] + r[DEP] if c is None else c
    cs = f.civil_servants if f.civil_servants is not None else own_cs
    head = f.head if f.head is not None else (1 if carried else 0)
    # kind, level and class as the rows write them (their texts)
    if f.province_class is not None:
        cls = f.province_class._value_
    else:
        cls = first[CLASS]
        for r in rows:
            if r[CLASS] != cls:
                cls = None
                break
    if f.functions is not None:
        functions = f.functions
    else:
        stated_fns = [r[FUNCS] for r in rows if r[FUNCS]]
        functions = tuple(dict.fromkeys(chain.from_iterable(stated_fns))) if stated_fns else ()
    kind = f.kind._value_ if f.kind else first[KIND]
    level = f.level._value_ if f.level else first[LEVEL]
    name = f.name or first[NAME]
    stated = cs != 0  # a total of none stated is not stated
    # the unit the merge makes, as a row (every field given, each from a valid source, in the
    # fields' order): what `evolve(first, ...)` makes, without an object for the collector
    head_of_row = (
        rid,
        kind,
        name,
        parent,
        level,
        cls,
        cs,
    )
    tail_of_row = (
        head,
        f.public_employees if f.public_employees is not None else pe,
        functions,
        # a new name drops the old English name, unless the name is kept
        f.name_en
        if f.name_en is not None
        else (first[NAME_EN] if f.name in (None, first[NAME]) else None),
        f.note,
        f.provinces_merged
        if f.provinces_merged is not None
        else (
            sum(r[MERGED] for r in rows)
            if kind == _PC
            and level == _PROVINCE
            and all(r[KIND] == _PC and r[LEVEL] == _PROVINCE for r in rows)
            else 1
        ),
        f.reorganized or st.reorganized,
        _ALL_MASK if stated else _ALL_BUT_CS_MASK,
    )
    # its deputies are set below, once the unit stands where the rules can see it
    row = (*head_of_row, 0, *tail_of_row)
    problem = unit_problem(rec(row), stated)
    if problem is not None:
        raise ValueError(problem[1])
    # structure: the result takes the place of the first unit under the same parent; it keeps
    # the node with the most children and the others' children are handed to it, in order
    NK = st.NK
    k = 0
    most = NK[nodes[0]]
    for j in range(1, len(nodes)):
        if NK[nodes[j]] > most:
            k, most = j, NK[nodes[j]]
    keep = nodes[k]
    anchor = -1
    for n in nodes:
        if P[n] == pnode:
            anchor = n
            break
    if anchor != keep:
        _unlink(st, keep)
        if anchor >= 0:
            _link_before(st, anchor, keep)
        else:
            _link_last(st, pnode, keep)
    # earlier units' children come before the kept one's: handed to its front, last first
    F = st.F
    FI = st.FI
    for j in (*range(k - 1, -1, -1), *range(k + 1, len(nodes))):
        n = nodes[j]
        _unlink(st, n)
        if FI[n] >= 0:
            _hand_kids(st, n, keep, front=j < k)
        F[n] = keep
    # the merged ids leave (`drop`, inlined)
    explicit, removed, original, gone = st.explicit, st.removed, st.original, st.gone
    for uid in ids:
        del index[uid]
        if uid in carry:
            del carry[uid]
        if explicit and uid in explicit:
            del explicit[uid]
        removed[uid] = i
        if uid in original:
            gone.append(uid)
    if rid in removed:
        del removed[rid]
    index[rid] = keep
    st.set_row(keep, row)
    if f.deputies is not None:
        deputies = f.deputies
        explicit[rid] = deputies
    else:
        hit = st.deputy_rule(keep)
        deputies = carried - head if carried > head else 0
        if hit is not None and hit[0] < deputies:
            deputies = hit[0]
    if f.civil_servants is None and cs and head + deputies > cs:
        _check_mixed(st, i, step, [rec(r) for r in rows], cs, head, deputies)
    if deputies:
        # the result is still this step's own: its deputies are written into it and its
        # invariants checked again (only the leaders' check depends on the deputies)
        row = (*head_of_row, deputies, *tail_of_row)
        U[keep] = row  # its civil servants and kind as set above
        if stated and head + deputies > cs:
            problem = unit_problem(rec(row), stated)
            if problem is not None:
                raise ValueError(problem[1])
    if (cs and head + deputies > cs) or (kind == _PC and level is None):
        _check_room(st, i, step, rec(row))
    carry[rid] = carried
    if cs < own_cs:
        st.released += own_cs - cs
    else:
        st.created += cs - own_cs
    st.events.append((i + 1, "merge", tuple(ids), (rid,), step.note))


def _is_province(u: AnyUnit) -> bool:
    return u.kind is Kind.PEOPLES_COMMITTEE and u.level is Level.PROVINCE


def _is_province_fields(f: Any, first: AnyUnit) -> bool:
    """Is the unit a merge makes a provincial People's Committee?"""
    return (f.kind or first.kind) is Kind.PEOPLES_COMMITTEE and (
        f.level or first.level
    ) is Level.PROVINCE


def _absorb(st: _State, i: int, step: Step) -> None:
    xn = st.get(step.units[0], i, step)
    assert step.target is not None
    yn = st.get(step.target, i, step)
    x, y = _at(st.U, xn), _at(st.U, yn)
    if xn == yn:
        raise st.fail(i, step, msg("absorb_itself", "cannot absorb {id!r} into itself", id=x.id))
    if _within(st, yn, xn):
        raise st.fail(
            i,
            step,
            msg(
                "absorb_descendant",
                "cannot absorb {id!r} into its own descendant {target!r}",
                id=x.id,
                target=y.id,
            ),
        )
    carried = st.leaders(y.id) + st.leaders(x.id)
    cs = y.civil_servants + x.civil_servants
    deputies = y.deputies + x.leaders  # its leaders keep their posts, as deputies of y
    _check_mixed(st, i, step, (y, x), cs, y.head, deputies)
    _unlink(st, xn)
    keep = yn
    if st.NK[xn] > st.NK[yn]:  # small to large: x's node takes y's place and identity
        _link_before(st, yn, xn)
        _unlink(st, yn)
        _hand_kids(st, yn, xn, front=True)
        st.set_unit(xn, y)
        keep = st.F[yn] = xn
        st.index[y.id] = xn
    else:
        _hand_kids(st, xn, yn)
        st.F[xn] = yn
    st.drop(x.id, i)
    st.update(
        keep,
        civil_servants=cs,
        public_employees=y.public_employees + x.public_employees,
        deputies=deputies,
        functions=tuple(dict.fromkeys((*y.functions, *x.functions))),
        reorganized=st.reorganized,
        provinces_merged=y.provinces_merged + x.provinces_merged
        if _is_province(x) and _is_province(y)
        else y.provinces_merged,
    )
    st.carried[y.id] = carried
    st.event(i, step, [x.id, y.id], [y.id])


def _dissolve(st: _State, i: int, step: Step) -> None:
    zn = st.get(step.units[0], i, step)
    nodes = [zn, *_preorder(st, zn)]
    U = st.U
    target = -1
    if step.target is not None:
        target = st.get(step.target, i, step)
        if target in nodes:
            raise st.fail(
                i,
                step,
                msg(
                    "staff_to_inside",
                    "staff_to {id!r} is inside the dissolved unit",
                    id=U[target][ID],
                ),
            )
    ids = [U[n][ID] for n in nodes]
    cs = sum(U[n][CS] for n in nodes)
    pe = sum(U[n][PE] for n in nodes)
    st.dissolved_leaders += sum(st.leaders(x) for x in ids)
    _unlink(st, zn)
    A = st.A
    for n in nodes:
        A[n] = False
        st.drop(U[n][ID], i)
    if target >= 0:
        t = _at(U, target)
        st.update(
            target,
            civil_servants=t.civil_servants + cs,
            public_employees=t.public_employees + pe,
        )
        st.event(i, step, ids, [t.id])
    else:
        st.released += cs
        st.event(i, step, ids, [])


def _move(st: _State, i: int, step: Step) -> None:
    an = st.get(step.units[0], i, step)
    assert step.target is not None
    pn = st.get(step.target, i, step)
    a, p = _at(st.U, an), _at(st.U, pn)
    if _within(st, pn, an):
        raise st.fail(
            i,
            step,
            msg(
                "move_descendant",
                "cannot move {id!r} under its own descendant {target!r}",
                id=a.id,
                target=p.id,
            )
            if p.id != a.id
            else msg("move_itself", "cannot move {id!r} under itself", id=a.id),
        )
    _unlink(st, an)
    _link_last(st, pn, an)
    st.event(i, step, [a.id], [a.id])


def _rename(st: _State, i: int, step: Step) -> None:
    n = st.get(step.units[0], i, step)
    u = st.update(n, **step.fields.given())
    st.event(i, step, [u.id], [u.id])


def _set(st: _State, i: int, step: Step) -> None:
    n = st.get(step.units[0], i, step)
    u = _at(st.U, n)
    changes = step.fields.given()
    if "deputies" in changes:
        if changes["deputies"] < u.deputies and u.id not in st.carried:
            st.carried[u.id] = u.leaders
        st.explicit[u.id] = changes["deputies"]
    new = st.update(n, **changes)
    _check_room(st, i, step, new)
    delta = new.civil_servants - u.civil_servants
    if delta > 0:
        st.created += delta
    else:
        st.released -= delta
    st.event(i, step, [u.id], [u.id])


def _create(st: _State, i: int, step: Step) -> None:
    f = step.fields.given()
    uid = norm_id(f["id"])
    if uid in st.index:
        raise st.fail(i, step, msg("new_id_exists", "new id {id!r} already exists", id=uid))
    pid = f.get("parent")
    pn = _ROOT if pid is None else st.get(pid, i, step)
    u = Unit.model_validate({**f, "id": uid, "parent": None if pn == _ROOT else st.U[pn][ID]})
    _check_room(st, i, step, u)
    st.removed.pop(uid, None)
    n = st.new(u)
    st.index[uid] = n
    _link_last(st, pn, n)
    st.created += u.civil_servants
    st.event(i, step, [], [uid])


def _divide(total: int, weights: Sequence[Fraction]) -> list[int]:
    """`total` divided in proportion to `weights` by the largest remainder: each part gets the
    whole part of its quota, and what is left goes one by one to the largest remainders (ties
    to the earlier part). The parts add up to `total` exactly."""
    whole = sum(weights)
    quotas = [total * w / whole for w in weights]
    out = [q.numerator // q.denominator for q in quotas]
    left = total - sum(out)
    order = sorted(range(len(quotas)), key=lambda j: (-(quotas[j] - out[j]), j))
    for j in order[:left]:
        out[j] += 1
    return out


def _weights(step: Step) -> list[Fraction]:
    """The parts' shares as exact fractions: as written (0.7 is 7/10), or even."""
    if step.parts[0].share is None:
        return [Fraction(1)] * len(step.parts)
    return [Fraction(repr(p.share)) for p in step.parts]


def _split(st: _State, i: int, step: Step) -> None:
    xn = st.get(step.units[0], i, step)
    U = st.U
    x = _at(U, xn)
    parts = step.parts
    succ_id = norm_id(step.target) if step.target is not None else parts[0].id
    # each part: its existing node, or None for a new unit (the split unit's own id included)
    existing: list[int | None] = []
    for p in parts:
        n = None if p.id == x.id else st.index.get(p.id)
        if n is not None:
            if _within(st, n, xn):
                raise st.fail(
                    i,
                    step,
                    msg(
                        "split_part_inside",
                        "part {part!r} is inside the split unit {id!r}; a part is a new unit "
                        "or an existing one outside it",
                        part=p.id,
                        id=x.id,
                    ),
                )
            given = p.fields.given()
            if given:
                raise st.fail(
                    i,
                    step,
                    msg(
                        "split_existing_fields",
                        "part {part!r} is an existing unit: it takes only 'id', 'share' and "
                        "'children', not {keys}",
                        part=p.id,
                        keys=", ".join(
                            repr("class" if k == "province_class" else k) for k in given
                        ),
                    ),
                )
        existing.append(n)
    kids: list[list[int]] = []
    for p in parts:
        mine = []
        for c in p.children:
            cn = st.index.get(c)
            if cn is None or st.P[cn] != xn:
                raise st.fail(
                    i,
                    step,
                    msg(
                        "split_not_child",
                        "{child!r} is not a direct child of the split unit {id!r}",
                        child=c,
                        id=x.id,
                    ),
                )
            mine.append(cn)
        kids.append(mine)
    parents: list[int | None] = []
    home = st.P[xn]
    for p, n in zip(parts, existing, strict=True):
        if n is not None:
            parents.append(None)
            continue
        pid = p.fields.parent
        pn = home if pid is None else st.get(pid, i, step)
        if pid is not None and _within(st, pn, xn):
            raise st.fail(
                i,
                step,
                msg(
                    "split_parent_inside",
                    "the parent {parent!r} of part {part!r} is the split unit or inside it",
                    parent=U[pn][ID],
                    part=p.id,
                ),
            )
        parents.append(pn)
    weights = _weights(step)
    cs = _divide(x.civil_servants, weights)
    pe = _divide(x.public_employees, weights)
    leaders = st.leaders(x.id)

    # the new parts stand where the split unit stood (in the plan's order) or under their parent
    st.drop(x.id, i)
    nodes: list[int] = []
    for j, (p, n) in enumerate(zip(parts, existing, strict=True)):
        if n is not None:
            nodes.append(n)
            continue
        f = p.fields
        given = f.given()
        is_succ = p.id == succ_id
        place = parents[j]
        assert place is not None
        u = evolve(
            x,
            {
                "id": p.id,
                "kind": f.kind or x.kind,
                "name": f.name or x.name,
                "parent": None if place == _ROOT else U[place][ID],
                "level": f.level or x.level,
                "province_class": f.province_class
                if "province_class" in given
                else x.province_class,
                "civil_servants": cs[j],
                "head": 0,
                "deputies": 0,  # the successor's are set once it stands where rules see it
                "public_employees": pe[j],
                "functions": f.functions if f.functions is not None else x.functions,
                "name_en": f.name_en
                if f.name_en is not None
                else (x.name_en if f.name in (None, x.name) else None),
                "note": f.note,
                "provinces_merged": f.provinces_merged
                if f.provinces_merged is not None
                else (x.provinces_merged if is_succ and _is_province_fields(f, x) else 1),
                "reorganized": f.reorganized or st.reorganized,
            },
        )
        node = st.new(u)
        if place == home:
            _link_before(st, xn, node)
        else:
            _link_last(st, place, node)
        st.removed.pop(p.id, None)
        st.index[p.id] = node
        nodes.append(node)
    _unlink(st, xn)
    k = next(j for j, p in enumerate(parts) if p.id == succ_id)
    succ = nodes[k]
    st.F[xn] = succ
    for j, mine in enumerate(kids):
        for cn in mine:
            _unlink(st, cn)
            _link_last(st, nodes[j], cn)
    _hand_kids(st, xn, succ)

    # staff by the shares, leaders with the successor
    for j, (p, n) in enumerate(zip(parts, existing, strict=True)):
        node = nodes[j]
        if n is None:
            if j == k:
                hit = st.deputy_rule(node)
                head = 1 if leaders else 0
                deputies = max(0, leaders - head)
                if hit is not None:
                    deputies = min(deputies, hit[0])
                if x.civil_servants and not cs[j] and head + deputies:
                    # 0 would read as "not stated" and let the leaders stand on no staff
                    raise st.fail(
                        i,
                        step,
                        msg(
                            "split_successor_share",
                            "successor {id!r} takes {leaders} leaders but its share gives it "
                            "{cs} of the {total} civil servants (leaders count among them); "
                            "give it a larger share",
                            id=p.id,
                            leaders=head + deputies,
                            cs=cs[j],
                            total=x.civil_servants,
                        ),
                    )
                u = st.update(node, head=head, deputies=deputies)
                _check_room(st, i, step, u)
                st.carried[p.id] = leaders
            else:
                st.carried[p.id] = 0  # touched: its posts are vacant
            continue
        y = _at(U, n)
        changes: dict[str, Any] = {
            "civil_servants": y.civil_servants + cs[j],
            "public_employees": y.public_employees + pe[j],
            "reorganized": st.reorganized,
        }
        deputies = y.deputies
        if j == k:
            st.carried[y.id] = st.leaders(y.id) + leaders
            deputies += leaders  # its leaders keep their posts, as deputies of the successor
            changes["deputies"] = deputies
        _check_mixed(st, i, step, (y, x), changes["civil_servants"], y.head, deputies)
        st.update(node, **changes)
    others = [nd for j, nd in enumerate(nodes) if j != k]
    st.splits.append((xn, [succ, *others]))
    ids = [p.id for p in parts]
    st.event(i, step, [x.id], [succ_id, *(pid for j, pid in enumerate(ids) if j != k)])
    whole = sum(weights)
    for template, total, shares in (
        (SPLIT_CS, x.civil_servants, cs),
        (SPLIT_PE, x.public_employees, pe),
    ):
        if total:
            st.notes.append(
                Note(
                    template,
                    {
                        "step": i + 1,
                        "unit": x.id,
                        "total": total,
                        "parts": tuple(shares),
                        "ids": " / ".join(ids),
                        "shares": tuple(float(w / whole) for w in weights),
                    },
                )
            )


def _transfer(st: _State, i: int, step: Step) -> None:
    """điều động: deputies of x move to y with civil-servant posts; they fill y's vacant head
    post first. The structure does not change; the leaders carried follow the people."""
    xn = st.get(step.units[0], i, step)
    assert step.target is not None
    yn = st.get(step.target, i, step)
    x, y = _at(st.U, xn), _at(st.U, yn)
    if xn == yn:
        raise st.fail(
            i,
            step,
            msg("transfer_itself", "cannot transfer people from {id!r} to itself", id=x.id),
        )
    n, m = transfer_counts(step)
    if n > x.deputies:
        raise st.fail(
            i,
            step,
            msg(
                "transfer_deputies_exceed",
                "{id!r} holds {held:,} deputies; a transfer cannot move {n:,}",
                id=x.id,
                held=x.deputies,
                n=n,
            ),
        )
    if m > x.civil_servants:
        raise st.fail(
            i,
            step,
            msg(
                "transfer_civil_servants_exceed",
                "{id!r} holds {held:,} civil servants; a transfer cannot move {m:,}",
                id=x.id,
                held=x.civil_servants,
                m=m,
            ),
        )
    head = y.head
    deputies = y.deputies + n
    if n and not head:
        head, deputies = 1, deputies - 1
    carried_x, carried_y = st.leaders(x.id), st.leaders(y.id)
    u = st.update(xn, deputies=x.deputies - n, civil_servants=x.civil_servants - m)
    _check_room(st, i, step, u)
    v = st.update(yn, head=head, deputies=deputies, civil_servants=y.civil_servants + m)
    _check_room(st, i, step, v)
    if n:
        st.carried[x.id] = max(0, carried_x - n)
        st.carried[y.id] = carried_y + n
    st.posts_moved += n
    st.civil_servants_moved += m
    st.event(i, step, [x.id], [y.id])


_STEPS = {
    "merge": _merge,
    "absorb": _absorb,
    "dissolve": _dissolve,
    "move": _move,
    "rename": _rename,
    "set": _set,
    "create": _create,
    "split": _split,
    "transfer": _transfer,
}


# -- the ledger -------------------------------------------------------------------------
_PairCounts = dict[tuple[Kind, Kind | None], int]


def _named(pairs: _PairCounts) -> tuple[Counter[str], Counter[str]]:
    by_kind: Counter[str] = Counter()
    by_pair: Counter[str] = Counter()
    for (k, p), n in pairs.items():
        by_kind[k.value] += n
        by_pair[f"{k.value} under {p.value if p is not None else 'top'}"] += n
    return by_kind, by_pair


def _removed(before: Counter[str], after: Counter[str]) -> dict[str, int]:
    keys = sorted(set(before) | set(after))
    return {k: before[k] - after[k] for k in keys if before[k] != after[k]}


class _Final:
    """The rules' measures on the model after the plan, read from the working copy once the
    after model is built (its nodes hold the units after; their subtree sums are kept exact)."""

    def __init__(self, st: _State) -> None:
        self.st = st
        self.hits: dict[str, tuple[int, Entry] | None] = {}

    def unit(self, uid: str) -> AnyUnit:
        return cast(AnyUnit, _at(self.st.U, self.st.index[uid]))

    def rule(self, uid: str) -> tuple[int, Entry] | None:
        hits = self.hits
        if uid in hits:
            return hits[uid]
        hit = hits[uid] = self.st.deputy_rule(self.st.index[uid])
        return hit


def _leadership(st: _State, final: _Final) -> Iterator[LeadershipLine]:
    # measured on the model after the plan
    index = st.index
    U = st.U
    explicit = st.explicit
    day = st.day
    bases: dict[int, tuple[str, str, dict[str, Any]]] = {}  # per rule: its basis, once
    ends: dict[tuple[dt.date, int], dt.date] = {}
    for uid, carried in st.carried.items():
        n = index.get(uid)
        if n is None:  # pragma: no cover - a unit removed leaves `carried`
            continue
        r = U[n]  # the unit after, as its row
        reorganized = r[REORG]
        hit = final.rule(uid)
        until = None
        if hit is not None:
            legal = 1 + hit[0]
            entry = hit[1]
            known = bases.get(id(entry))
            if known is None:
                rule_id = f"{entry.book.id} {entry.rule.id}"
                known = bases[id(entry)] = (
                    f"{rule_id} ({entry.citation()})",
                    rule_id,
                    entry.cite,
                )
            basis, rule_id, cite = known
            source = "rule"
            if entry.transition is not None and reorganized is not None:
                key = (reorganized, entry.transition[1].years)
                end = ends.get(key)
                if end is None:
                    end = ends[key] = add_years(reorganized, entry.transition[1].years)
                if day is None or reorganized <= day <= end:
                    until = end
        elif uid in explicit:
            legal = 1 + explicit[uid]
            basis = "no rule covers it: 1 + the deputies the plan gives it"
            source, rule_id, cite = "plan", None, None
        else:
            legal = 1 + r[DEP]
            basis = "no rule covers it: 1 + the deputies it holds after the plan"
            source, rule_id, cite = "held", None, None
        held = r[HEAD] + r[DEP]
        surplus = carried - legal if carried > legal else 0
        fill = held if held < carried else carried
        above = fill - legal if fill > legal else 0
        yield _construct(  # the fields are of their types
            LeadershipLine,
            {
                "unit": uid,
                "name": r[NAME],
                "carried": carried,
                "legal_posts": legal,
                "held": held,
                "surplus": surplus,
                "above_legal_maximum": above,
                "without_post": surplus - above,
                "vacant_legal_posts": legal - carried if legal > carried else 0,
                "basis": basis,
                "basis_source": source,
                "basis_rule": rule_id,
                "basis_citation": cite,
                "in_transition": above if until is not None else 0,
                "transition_until": until if above else None,
            },
        )


def _transition_notes(st: _State, final: _Final, ledger: Ledger) -> Iterator[Note]:
    """What the law says of the posts held above the maximum: lawful until a day, or not."""
    groups: dict[tuple[Any, ...], int] = {}
    for x in ledger.leadership:
        if not x.in_transition:
            continue
        hit = final.rule(x.unit)
        if hit is None or hit[1].transition is None:  # pragma: no cover - set with the line
            continue
        tbook, t = hit[1].transition
        u = final.unit(x.unit)
        key = (tbook.id, t.id, u.reorganized, x.transition_until, t.years)
        groups[key] = groups.get(key, 0) + x.in_transition
    for (bid, tid, reorganized, until, years), n in groups.items():
        tbook = next(b for b in st.books.books if b.id == bid)
        t = next(t for t in tbook.transitions if t.id == tid)
        cite = {
            "refs": [
                {
                    "of": r.of or tbook.decree,
                    "article": r.article,
                    "clause": r.clause,
                    "point": r.point,
                }
                for r in t.cite
            ],
            "by": None,
        }
        yield Note(
            IN_TRANSITION,
            {"n": n, "reorganized": reorganized, "until": until, "years": years, "citation": cite},
        )
    outside = ledger.posts_above_legal_maximum - ledger.posts_in_transition
    if outside:
        yield Note(ABOVE_MAXIMUM, {"n": outside})


def _after(st: _State, org: Org, plan: Plan) -> tuple[Org, _PairCounts, int]:
    """The model after the plan, in one pre-order walk of the working copy: each unit whose
    parent changed is written once (the others are the units before, shared); with it, the
    units by (kind, parent's kind) and the civil servants. The state keeps ids unique and
    parents acyclic (every step checks), so it is built without re-checking or re-ordering."""
    ordered: list[tuple[Any, ...]] = []  # the rows after
    pkinds: list[Kind | None] = []  # each unit's parent's kind (counted at C speed after)
    append = ordered.append
    kinds = _KIND_OF
    pk_append = pkinds.append
    U, P, FI, NX, D = st.U, st.P, st.FI, st.NX, st.D
    # a node whose children are those of the model before (same ids, same order) shares its
    # list with it (the model is immutable): most units, and every leaf left as it was
    before = org._children
    oid = st.oid
    norig = st.norig
    children: dict[str | None, Sequence[str]] = {}
    at: dict[str, int] = {}  # each id's place

    def ids_under(n: int) -> tuple[str, ...]:
        """The ids of `n`'s children now (a tuple: the collector leaves it alone)."""
        out = []
        c = FI[n]
        while c >= 0:
            out.append(U[c][ID])
            c = NX[c]
        return tuple(out)

    children[None] = ids_under(_ROOT) if D[_ROOT] else before[None]
    deepest = depth = 0
    # the places of the units on the path down to the one visited that have children: each
    # one's subtree ends where the walk leaves it (`Org._ends`; a leaf's ends after itself)
    path: list[int] = []
    ended: list[tuple[int, int]] = []
    # the walk: `n` the node to visit; `pid`, `pkind` its parent's id and kind
    pid: str | None = None
    pkind: Kind | None = None
    n = FI[_ROOT]
    while n >= 0:
        row = U[n]  # a unit no step changed: its row as it was
        if row[_PARENT_AT] != pid:  # the unit moved (and `parent` is stated: it is given)
            row = (*row[:_PARENT_AT], pid, *row[_PARENT_AT + 1 : _STATED], row[_STATED] | _P_BIT)
        uid = row[0]
        at[uid] = len(ordered)
        append(row)
        kind = kinds[row[1]]
        pk_append(pkind)
        c = FI[n]
        if n <= norig and not D[n]:
            children[uid] = before[oid[n]]
        else:
            children[uid] = ids_under(n) if c >= 0 else ()
        if c >= 0:  # down: its children next
            path.append(len(ordered) - 1)
            pid, pkind = uid, kind
            depth += 1
            if depth > deepest:
                deepest = depth
            n = c
            continue
        c = NX[n]
        if c >= 0:  # its next sibling, under the same parent
            n = c
            continue
        while True:  # up until a unit with a next sibling
            n = P[n]
            if n <= _ROOT:
                n = -1
                break
            depth -= 1
            ended.append((path.pop(), len(ordered)))
            c = NX[n]
            if c >= 0:
                n = c
                break
        if n < 0:
            break
        p = P[n]
        if p <= _ROOT:
            pid, pkind = None, None
        else:
            pu = U[p]
            pid, pkind = pu[0], kinds[pu[1]]
    if deepest + 1 > MAX_DEPTH:
        deep = depth_problem(map(rec, ordered))
        if deep is not None:
            raise PlanError(
                msg("after_plan", "after the plan, {problem}", problem=deep), file=plan.source
            )
    pairs: _PairCounts = Counter(
        zip(map(_KIND_OF.__getitem__, map(_ROW_KIND, ordered)), pkinds, strict=True)
    )
    cs = sum(map(_ROW_CS, ordered))
    # the children lists are tuples already (the model before's, or made above)
    after = Org._from_rows(
        ordered,
        children,
        name=org.name,
        as_of=plan.effective or org.as_of,
        frozen=True,
        ends=subtree_ends(len(ordered), ended),
        index=at,
    )
    return after, pairs, cs


def simulate(
    org: Org,
    plan: Plan,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
    as_of: dt.date | str | None = None,
    *,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    """Apply `plan` to `org`. Returns an Outcome; `org` and `plan` are not changed.

    The rulebooks are those named, else those in force on `as_of` (a date or `YYYY-MM-DD`),
    the plan's effective date, the model's date or today; the before and after models are
    checked against the same ones, so the difference is the plan's doing. With no rulebook in
    force (Quang Ninh in 2018), the simulation runs without rules and says so in `notes`.
    `progress(done, total)` is called as steps are applied (about a hundred times for a long
    plan). Each step costs time in proportion to what it touches, never to the plan's length."""
    require_org(org, "simulate")
    if not isinstance(plan, Plan):
        raise TypeError(
            f"simulate() expects a Plan as its second argument (got {type(plan).__name__}); "
            "load one with orgmodel.load_plan(path) or orgmodel.loads_plan(text)"
        )
    if progress is not None and not callable(progress):
        raise TypeError(
            f"simulate() expects progress= as a function (done, total) "
            f"(got {type(progress).__name__})"
        )
    return _simulate(org, plan, rulebook, as_day(as_of), progress)


def _simulate(
    org: Org,
    plan: Plan,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None,
    as_of: dt.date | None,
    progress: Callable[[int, int], None] | None = None,
) -> Outcome:
    day = as_of or plan.effective or org.as_of or dt.date.today()
    notes: list[Note] = []
    try:
        books = select(rulebook, day)
    except RulebookError as e:
        if rulebook is not None:
            raise
        books = RuleSet(books=(), entries=(), day=day)
        del e
        notes.append(Note(NO_RULEBOOK, {"day": day, "start": first_day()}))
    st = _State(org, books)
    st.day = day
    st.reorganized = plan.effective or day
    st.steps = plan.steps
    st.source = plan.source
    st.plan = plan
    total = len(plan.steps)
    every = max(1, total // 100)
    for i, step in enumerate(plan.steps):
        try:
            _STEPS[step.op](st, i, step)
        except ValueError as e:  # a unit's invariant (`_model.unit_problem`), at the step
            if isinstance(e, PlanError):
                raise
            raise st.fail(i, step, _problem(e)) from None
        if progress is not None and (i + 1) % every == 0:
            progress(i + 1, total)
    if progress is not None:
        progress(total, total)

    after, pairs_after, cs_after = _after(st, org, plan)
    pairs_before = st.pairs_before
    kb, pb = _named(pairs_before)
    ka, pa = _named(pairs_after)
    cs_before = sum(map(_ROW_CS, org._rows))
    final = _Final(st)
    ledger = _construct(
        Ledger,
        {
            "focal_points_before": len(org),
            "focal_points_after": len(after),
            "removed_by_kind": _removed(kb, ka),
            "removed_by_kind_under_parent": _removed(pb, pa),
            "civil_servants_before": cs_before,
            "civil_servants_after": cs_after,
            "civil_servants_released": st.released,
            "civil_servants_created": st.created,
            "leadership": tuple(_leadership(st, final)),
            "dissolved_leaders": st.dissolved_leaders,
            "posts_moved": st.posts_moved,
            "civil_servants_moved": st.civil_servants_moved,
        },
    )
    assert cs_before - cs_after == st.released - st.created  # conservation
    notes.extend(st.notes)
    notes.extend(_transition_notes(st, final, ledger))
    split_into = st.split_into()
    return Outcome(
        before=org,
        after=after,
        plan=plan,
        ledger=ledger,
        events=_Make(_events, tuple(st.events)),  # type: ignore[arg-type]
        lineage=st.lineage(),  # type: ignore[arg-type]
        rulebooks=books.ids,
        books=books,
        day=day,
        notes=tuple(notes),
        split_into=split_into,
    )


# -- leadership posts of a whole model (the ledger of a rebalance, before and after) --------
@dataclass(frozen=True)
class PostLine:
    """One unit a `max_deputies` rule covers: its legal posts (1 head + the rule's maximum)
    and the posts it holds (head + deputies)."""

    unit: str
    legal: int
    held: int
    entry: Entry  # the rule that sets the maximum (the smallest, when several apply)

    @property
    def above(self) -> int:
        return max(0, self.held - self.legal)

    @property
    def vacant(self) -> int:
        return max(0, self.legal - self.held)


@dataclass(frozen=True)
class Posts:
    """`leadership_posts` of a model: its lines (in the model's order) and their totals."""

    lines: tuple[PostLine, ...]

    @property
    def above(self) -> int:
        """Leadership posts held above the legal maximum (lawful in a transition or not)."""
        return sum(x.above for x in self.lines)

    @property
    def vacant(self) -> int:
        """Legal leadership posts no one holds."""
        return sum(x.vacant for x in self.lines)

    def by_unit(self) -> dict[str, PostLine]:
        return {x.unit: x for x in self.lines}


def measures(org: Org) -> tuple[dict[str, int], Counter[str]]:
    """What the deputy rules measure, for every unit in one pass: the civil servants of its
    subtree, and its child divisions."""
    ndiv: Counter[str] = Counter(
        r[PARENT] for r in org._rows if r[KIND] == "division" and r[PARENT] is not None
    )
    return org._subtree_cs, ndiv


def leadership_posts(org: Org, books: RuleSet, day: dt.date | None = None) -> Posts:
    """For every unit of `org` a `max_deputies` rule of `books` covers: legal posts = 1 + the
    maximum, held = head + deputies; above = max(0, held - legal), vacant = max(0, legal -
    held). The rules measure what `check` measures (the subtree's civil servants, or the
    unit's divisions). `day` is accepted for symmetry with `run`; the rules are `books`."""
    del day
    return Posts(tuple(PostLine(*x) for x in _post_rows(org, books)))


def post_totals(org: Org, books: RuleSet) -> tuple[int, int]:
    """`leadership_posts(org, books)`'s `above` and `vacant`, without its lines."""
    above = vacant = 0
    for _uid, legal, held, _entry in _post_rows(org, books):
        if held > legal:
            above += held - legal
        else:
            vacant += legal - held
    return above, vacant


def _post_rows(org: Org, books: RuleSet) -> Iterator[tuple[str, int, int, Entry]]:
    """Each line of `leadership_posts` as (unit, legal, held, the rule), in the model's order."""
    kinds: set[Kind] = set()
    for e in books.of_kind("max_deputies"):
        kinds.update(e.rule.applies_to.kind)
    if not kinds:
        return
    # the subtree totals and classes the model keeps (computed once, shared with `check`); the
    # limit asked once for each distinct description of a unit (most units share theirs)
    classes, sub = org._by_place
    rows, at = org._rows, org._index
    ndiv: Counter[str] = Counter(
        r[PARENT] for r in rows if r[KIND] == "division" and r[PARENT] is not None
    )
    texts = {k.value for k in kinds}
    memo: dict[tuple[Any, ...], tuple[int, Entry] | None] = {}
    for i, r in enumerate(rows):
        if r[KIND] not in texts:
            continue
        uid, p = r[ID], r[PARENT]
        if p is not None:
            pr = rows[at[p]]
            key: tuple[Any, ...] = (r[KIND], r[LEVEL], pr[KIND], pr[LEVEL], classes[i], sub[i])
        else:
            key = (r[KIND], r[LEVEL], None, None, classes[i], sub[i])
        key += (ndiv[uid],)
        if key in memo:
            hit = memo[key]
        else:
            k, lv, pk, plv = key[:4]
            hit = memo[key] = deputy_limit_of(
                books,
                _KIND_OF[k],
                _LEVEL_OF[lv],
                None if pk is None else _KIND_OF[pk],
                _LEVEL_OF[plv],
                *key[4:],
            )
        if hit is not None:
            yield uid, 1 + hit[0], r[HEAD] + r[DEP], hit[1]


__all__ = [
    "ChangeEvent",
    "LeadershipLine",
    "Ledger",
    "Note",
    "Outcome",
    "Posts",
    "Violation",
    "leadership_posts",
    "simulate",
]
