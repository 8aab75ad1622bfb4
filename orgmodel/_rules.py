"""Rulebooks as data, and the small engine that checks a model against them.

A rulebook is a YAML file per decree (``orgmodel/rulebooks/*.yaml``): its dates in force and its
rules, each with the units it applies to, a rule kind, its numbers, a citation and a `verified`
flag. Each rule kind is one small function yielding violations (as jsonschema's validators do).
Adding a decree means adding a file, and at most one new rule kind here.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from functools import cache
from importlib import resources
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from ._errors import LoadError, RulebookError
from ._model import Kind, Level, Org, ProvinceClass, Unit
from ._perf import gc_paused

CLASSES = ("special", "I", "II", "III")
RuleKind = Literal[
    "min_civil_servants", "max_deputies", "average_deputies", "max_units", "not_allowed"
]

_FROZEN = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


_WORD = {k: k.value.replace("_", " ") for k in Kind} | {
    Kind.PEOPLES_COMMITTEE: "People's Committee",
    Kind.PARTY_COMMITTEE: "Party committee",
    Kind.PARTY_BOARD: "Party board",
}


class Selector(BaseModel):
    """Which units a rule applies to: their kind, their parent's kind, and levels."""

    model_config = _FROZEN

    kind: tuple[Kind, ...]
    parent: tuple[Kind, ...] | None = None
    level: Level | None = None
    parent_level: Level | None = None

    @field_validator("kind", "parent", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return (v,) if isinstance(v, str) else v

    def matches(self, unit: Unit, parent: Unit | None) -> bool:
        if unit.kind not in self.kind:
            return False
        if self.level is not None and unit.level is not self.level:
            return False
        if self.parent is not None and (parent is None or parent.kind not in self.parent):
            return False
        return self.parent_level is None or (
            parent is not None and parent.level is self.parent_level
        )

    def describe(self) -> str:
        kinds = " or ".join(_WORD[k] for k in self.kind)
        if self.level is not None:
            kinds = f"{self.level.value} {kinds}"
        if self.parent is not None:
            parents = " or ".join(_WORD[k] for k in self.parent)
            if self.parent_level is not None:
                parents = f"{self.parent_level.value} {parents}"
            kinds += f" under a {parents}"
        return kinds


class Band(BaseModel):
    """Below `below` of the measure, at most `max` deputies; no `below`: the rest."""

    model_config = _FROZEN

    below: int | None = None
    max: int


class Rule(BaseModel):
    model_config = _FROZEN

    id: str
    kind: RuleKind
    applies_to: Selector
    citation: str
    verified: bool
    text: str
    note: str | None = None
    limit: dict[str, int] | None = None  # by class, or {"all": n}
    bands: dict[str, tuple[Band, ...]] | None = None
    measure: Literal["civil_servants", "divisions"] = "civil_servants"
    counts: Selector | None = None
    per_unit: int | None = None
    extra: dict[str, int] | None = None

    def needs_class(self) -> bool:
        for table in (self.limit, self.bands, self.extra):
            if table is not None and "all" not in table and len(set(map(repr, table.values()))) > 1:
                return True
        return False

    def by_class(self, table: dict[str, Any] | None, cls: ProvinceClass | None) -> Any:
        if table is None:
            return None
        if "all" in table:
            return table["all"]
        if cls is None:
            values = list(table.values())
            # the same figure for every class needs no class
            return values[0] if all(v == values[0] for v in values) else None
        return table.get(cls.value)

    def max_deputies(self, measure: int, cls: ProvinceClass | None) -> int | None:
        bands = self.by_class(self.bands, cls)
        if bands is None:
            return None
        for b in bands:
            if b.below is None or measure < b.below:
                return int(b.max)
        return int(bands[-1].max)


class InForce(BaseModel):
    model_config = _FROZEN

    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)

    def describe(self) -> str:
        return f"{self.from_} to {self.to}" if self.to else f"from {self.from_}"


class Rulebook(BaseModel):
    model_config = _FROZEN

    id: str
    title: str
    decree: str
    in_force: InForce
    rules: tuple[Rule, ...]


class Violation(BaseModel):
    """A unit that breaks a rule (`status="violation"`), or a rule that could not be applied
    because the unit's province class is unknown (`status="class_unknown"`)."""

    model_config = _FROZEN

    rulebook: str
    rule: str
    unit: str
    path: tuple[str, ...]
    actual: int | None
    limit: int | None
    message: str
    citation: str
    verified: bool
    status: Literal["violation", "class_unknown"] = "violation"

    @property
    def key(self) -> tuple[str, str, str]:
        """Identity across two models: the same rule on the same unit."""
        return (self.rulebook, self.rule, self.unit)


class Report(BaseModel):
    """The result of `check`: the rulebooks applied, the date, and every violation."""

    model_config = ConfigDict(frozen=True)

    rulebooks: tuple[str, ...]
    as_of: dt.date | None
    violations: tuple[Violation, ...]
    units_checked: int = 0

    @property
    def ok(self) -> bool:
        return not self.violations

    def __bool__(self) -> bool:
        return True

    def to_frame(self) -> Any:
        """One row per violation (pandas DataFrame; needs the `pandas` extra)."""
        from ._pandas import frame

        cols = [
            "rulebook",
            "rule",
            "unit",
            "path",
            "actual",
            "limit",
            "message",
            "citation",
            "verified",
            "status",
        ]
        rows = [{**v.model_dump(), "path": " / ".join(v.path)} for v in self.violations]
        return frame(rows, cols)

    def to_json(self, **kw: Any) -> str:
        """The JSON of `orgmodel check --format json`."""
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_dict(self) -> dict[str, Any]:
        return {
            "rulebooks": list(self.rulebooks),
            "as_of": self.as_of.isoformat() if self.as_of else None,
            "units_checked": self.units_checked,
            "compliant": self.ok,
            "violations": [v.model_dump(mode="json") for v in self.violations],
        }


# -- loading rulebooks ------------------------------------------------------------------
def _parse_rulebook(text: str, source: str) -> Rulebook:
    from ._load import parse_document

    data = parse_document(text, source)
    try:
        return Rulebook.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        from . import _yaml

        where = _yaml.locate(text, [p for p in err["loc"] if isinstance(p, (str, int))])
        line, col = where if where else (None, None)
        loc = ".".join(str(p) for p in err["loc"])
        raise LoadError(
            f"rulebook {loc}: {err['msg']}", file=source, line=line, column=col
        ) from None


@cache
def builtin_rulebooks() -> tuple[Rulebook, ...]:
    """The rulebooks shipped with orgmodel, oldest first."""
    folder = resources.files("orgmodel") / "rulebooks"
    books = [
        _parse_rulebook(f.read_text(encoding="utf-8"), f"orgmodel/rulebooks/{f.name}")
        for f in folder.iterdir()
        if f.name.endswith(".yaml")
    ]
    return tuple(sorted(books, key=lambda b: (b.in_force.from_, b.id)))


def load_rulebook(path: str | os.PathLike[str]) -> Rulebook:
    from ._io import read_text

    return _parse_rulebook(read_text(path), os.fspath(path))


def get_rulebook(ref: str | Rulebook) -> Rulebook:
    if isinstance(ref, Rulebook):
        return ref
    for b in builtin_rulebooks():
        if b.id == ref:
            return b
    if ref.endswith((".yaml", ".yml")) and os.path.exists(ref):
        return load_rulebook(ref)
    known = ", ".join(b.id for b in builtin_rulebooks())
    raise RulebookError(f"unknown rulebook {ref!r}; known rulebooks: {known} (or a .yaml file)")


def in_force(day: dt.date) -> tuple[Rulebook, ...]:
    return tuple(b for b in builtin_rulebooks() if b.in_force.covers(day))


def select(
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None, day: dt.date
) -> tuple[Rulebook, ...]:
    """The rulebooks named, or else those in force on `day` (RulebookError when none is)."""
    if rulebook is not None:
        refs = [rulebook] if isinstance(rulebook, (str, Rulebook)) else list(rulebook)
        return tuple(get_rulebook(r) for r in refs)
    books = in_force(day)
    if not books:
        listing = "; ".join(f"{b.id} ({b.in_force.describe()})" for b in builtin_rulebooks())
        raise RulebookError(
            f"no rulebook covers {day}: orgmodel's rulebooks are {listing}. "
            "Give a later --as-of date or name a rulebook with --rulebook."
        )
    return books


# -- the engine -------------------------------------------------------------------------
class _Facts:
    """What rules measure, computed once per model in linear passes."""

    def __init__(self, org: Org) -> None:
        self.org = org
        units = org.units
        subtree_cs = {u.id: u.civil_servants for u in units}
        for u in reversed(units):  # pre-order reversed: children before parents
            if u.parent is not None:
                subtree_cs[u.parent] += subtree_cs[u.id]
        self.subtree_cs = subtree_cs
        self.class_of = org.province_class

    def divisions(self, uid: str) -> int:
        return sum(1 for c in self.org.children(uid) if c.kind is Kind.DIVISION)


Check = Callable[[Rulebook, Rule, Unit, "Unit | None", _Facts], Iterator[Violation]]


def _label(u: Unit) -> str:
    return f"{u.name} ({u.id})"


def _class_phrase(rule: Rule, cls: ProvinceClass | None) -> str:
    if not rule.needs_class() or cls is None:
        return ""
    return (
        " in a special-class city"
        if cls is ProvinceClass.SPECIAL
        else f" in a class-{cls} province"
    )


def _violation(
    book: Rulebook,
    rule: Rule,
    u: Unit,
    f: _Facts,
    actual: int | None,
    limit: int | None,
    message: str,
    status: Any = "violation",
) -> Violation:
    return Violation(
        rulebook=book.id,
        rule=rule.id,
        unit=u.id,
        path=f.org.path(u.id),
        actual=actual,
        limit=limit,
        message=message,
        citation=rule.citation,
        verified=rule.verified,
        status=status,
    )


def _class_unknown(book: Rulebook, rule: Rule, u: Unit, f: _Facts) -> Violation:
    return _violation(
        book,
        rule,
        u,
        f,
        None,
        None,
        f"{_label(u)}: province class unknown, so rule {rule.id} cannot be applied; "
        "state `class: special|I|II|III` on the province People's Committee",
        status="class_unknown",
    )


def _min_civil_servants(
    book: Rulebook, rule: Rule, u: Unit, p: Unit | None, f: _Facts
) -> Iterator[Violation]:
    cls = f.class_of(u.id)
    limit = rule.by_class(rule.limit, cls)
    if limit is None:
        yield _class_unknown(book, rule, u, f)
        return
    actual = f.subtree_cs[u.id]
    if actual < limit:
        yield _violation(
            book,
            rule,
            u,
            f,
            actual,
            limit,
            f"{_label(u)} has {actual} civil servants; a {rule.applies_to.describe()}"
            f"{_class_phrase(rule, cls)} needs at least {limit}",
        )


def _max_deputies(
    book: Rulebook, rule: Rule, u: Unit, p: Unit | None, f: _Facts
) -> Iterator[Violation]:
    cls = f.class_of(u.id)
    if rule.measure == "divisions":
        measure = f.divisions(u.id)
        basis = f"{measure} division{'s' if measure != 1 else ''}"
    else:
        measure = f.subtree_cs[u.id]
        basis = f"{measure} civil servants"
    limit = rule.max_deputies(measure, cls)
    if limit is None:
        yield _class_unknown(book, rule, u, f)
        return
    if u.deputies > limit:
        yield _violation(
            book,
            rule,
            u,
            f,
            u.deputies,
            limit,
            f"{_label(u)} holds {u.deputies} deputy heads; with {basis}"
            f"{_class_phrase(rule, cls)} the limit is {limit}",
        )


def _counted(rule: Rule, u: Unit, f: _Facts) -> list[Unit]:
    sel = rule.counts
    assert sel is not None
    return [c for c in f.org.children(u.id) if sel.matches(c, u)]


def _average_deputies(
    book: Rulebook, rule: Rule, u: Unit, p: Unit | None, f: _Facts
) -> Iterator[Violation]:
    counted = _counted(rule, u, f)
    if not counted:
        return
    cls = f.class_of(u.id)
    extra = rule.by_class(rule.extra, cls) if rule.extra is not None else 0
    if extra is None:
        yield _class_unknown(book, rule, u, f)
        return
    n = len(counted)
    limit = (rule.per_unit or 0) * n + extra
    actual = sum(c.deputies for c in counted)
    if actual > limit:
        plus = f" + {extra}" if extra else ""
        yield _violation(
            book,
            rule,
            u,
            f,
            actual,
            limit,
            f"{_label(u)}: its {n} specialized agencies hold {actual} deputy heads in total; "
            f"the limit is {rule.per_unit} x {n}{plus} = {limit}",
        )


def _max_units(
    book: Rulebook, rule: Rule, u: Unit, p: Unit | None, f: _Facts
) -> Iterator[Violation]:
    cls = f.class_of(u.id)
    limit = rule.by_class(rule.limit, cls)
    if limit is None:
        yield _class_unknown(book, rule, u, f)
        return
    n = len(_counted(rule, u, f))
    if n > limit:
        assert rule.counts is not None
        yield _violation(
            book,
            rule,
            u,
            f,
            n,
            limit,
            f"{_label(u)} has {n} units counted as {rule.counts.describe()}; "
            f"at most {limit} are allowed{_class_phrase(rule, cls)}",
        )


def _not_allowed(
    book: Rulebook, rule: Rule, u: Unit, p: Unit | None, f: _Facts
) -> Iterator[Violation]:
    yield _violation(
        book,
        rule,
        u,
        f,
        1,
        0,
        f"{_label(u)}: a {rule.applies_to.describe()} is not allowed — {rule.text}",
    )


RULE_KINDS: dict[str, Check] = {
    "min_civil_servants": _min_civil_servants,
    "max_deputies": _max_deputies,
    "average_deputies": _average_deputies,
    "max_units": _max_units,
    "not_allowed": _not_allowed,
}


def check(
    org: Org,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
    as_of: dt.date | str | None = None,
) -> Report:
    """Check a model against the rulebooks in force on `as_of` (default: the model's date,
    else today), or against the rulebooks named.

    Raises RulebookError when no rulebook covers the date."""
    if isinstance(as_of, str):
        as_of = dt.date.fromisoformat(as_of)
    day = as_of or org.as_of or dt.date.today()
    books = select(rulebook, day)
    with gc_paused():
        return run(org, books, day)


def run(org: Org, books: Sequence[Rulebook], day: dt.date | None) -> Report:
    facts = _Facts(org)
    # rules by (unit kind, parent kind): most units meet no rule and pay one dict lookup
    index: dict[tuple[Kind, Kind | None], list[tuple[Rulebook, Rule]]] = {}
    kinds = (*Kind, None)
    for b in books:
        for r in b.rules:
            sel = r.applies_to
            for k in sel.kind:
                for pk in kinds:
                    if sel.parent is None or pk in sel.parent:
                        index.setdefault((k, pk), []).append((b, r))
    found: list[Violation] = []
    by_id = org.ids
    get = index.get
    for u in org.units:
        parent = by_id[u.parent] if u.parent is not None else None
        pairs = get((u.kind, parent.kind if parent is not None else None))
        if not pairs:
            continue
        for book, rule in pairs:
            if rule.applies_to.matches(u, parent):
                found.extend(RULE_KINDS[rule.kind](book, rule, u, parent, facts))
    return Report(
        rulebooks=tuple(b.id for b in books),
        as_of=day,
        violations=tuple(found),
        units_checked=len(org),
    )


def deputy_limit(
    books: Sequence[Rulebook],
    unit: Unit,
    parent: Unit | None,
    cls: ProvinceClass | None,
    subtree_cs: int,
    divisions: int,
) -> tuple[int, Rulebook, Rule] | None:
    """The smallest maximum of deputies any `max_deputies` rule sets for the unit, or None when
    no rule covers it (or the class it needs is unknown)."""
    best: tuple[int, Rulebook, Rule] | None = None
    for b in books:
        for r in b.rules:
            if r.kind == "max_deputies" and r.applies_to.matches(unit, parent):
                measure = divisions if r.measure == "divisions" else subtree_cs
                lim = r.max_deputies(measure, cls)
                if lim is not None and (best is None or lim < best[0]):
                    best = (lim, b, r)
    return best
