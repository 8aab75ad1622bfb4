"""Rulebooks as data, and the small engine that checks a model against them.

A rulebook is a YAML file per legal instrument (``orgmodel/rulebooks/*.yaml``): its dates in
force, the instrument it `amends` (if any), the rules it sets, replaces or `repeals`, and the
`transitions` it grants. Rules keep stable ids across the instruments that carry them, so an
amendment lists only what it changes. Each rule kind is a typed model stating the fields it
needs, and one small function that measures a unit and returns what it found (actual, limit,
basis); the engine stamps the rest (rulebook, citation, path, status, transition), as
jsonschema's validators yield errors and the validator adds their paths.

Nothing in this module knows a particular decree: ids, dates and citations live in the files.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from functools import cache, cached_property
from importlib import resources
from math import floor
from typing import Annotated, Any, Literal, NamedTuple, TypeVar

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationError,
    field_validator,
    model_validator,
)

from ._errors import LoadError, Msg, OrgmodelError, RulebookError, expected_one_of, msg
from ._i18n import citation_text, finding_message
from ._model import (
    _KIND_OF,
    DEP,
    ID,
    KIND,
    LEVEL,
    PARENT,
    REORG,
    Kind,
    Level,
    Org,
    ProvinceClass,
    Rec,
    Unit,
    as_day,
    parse_day,
    rec,
    require_org,
)

CLASSES = ("special", "I", "II", "III")
STATUSES = ("violation", "transition", "class_unknown", "no_rule")
# statuses that do not make a model non-compliant
LAWFUL = frozenset({"transition", "no_rule", "pass"})

_FROZEN = ConfigDict(frozen=True, extra="forbid", populate_by_name=True)


# -- the pieces of a rule ----------------------------------------------------------------
class Selector(BaseModel):
    """Which units a rule applies to: their kind, their parent's kind, and levels."""

    model_config = _FROZEN

    kind: tuple[Kind, ...] = Field(min_length=1)
    parent: tuple[Kind, ...] | None = Field(default=None, min_length=1)
    level: Level | None = None
    parent_level: Level | None = None

    @field_validator("kind", "parent", mode="before")
    @classmethod
    def _listify(cls, v: Any) -> Any:
        return (v,) if isinstance(v, str) else v

    def matches(self, unit: Unit | Rec, parent: Unit | Rec | None) -> bool:
        if parent is None:
            return self.fits(unit.kind, unit.level, None, None)
        return self.fits(unit.kind, unit.level, parent.kind, parent.level)

    def fits(self, kind: str, level: str | None, pkind: str | None, plevel: str | None) -> bool:
        """`matches` on a unit and its parent given by their kinds and levels (enum members or
        their text, as rows hold them: a member is equal to its text)."""
        if kind not in self.kind:
            return False
        if self.level is not None and level != self.level:
            return False
        if self.parent is not None and (pkind is None or pkind not in self.parent):
            return False
        return self.parent_level is None or (pkind is not None and plevel == self.parent_level)

    def describe(self) -> str:
        words = {
            Kind.PEOPLES_COMMITTEE: "People's Committee",
            Kind.PARTY_COMMITTEE: "Party committee",
            Kind.PARTY_BOARD: "Party board",
        }
        kinds = " or ".join(words.get(k, k.value.replace("_", " ")) for k in self.kind)
        if self.level is not None:
            kinds = f"{self.level.value} {kinds}"
        if self.parent is not None:
            parents = " or ".join(words.get(k, k.value.replace("_", " ")) for k in self.parent)
            if self.parent_level is not None:
                parents = f"{self.parent_level.value} {parents}"
            kinds += f" under a {parents}"
        return kinds


def _by_class_table(v: Any) -> Any:
    """A figure by province class: `{all: n}` or one entry for each of the four classes."""
    if not isinstance(v, dict):
        return v
    keys = {str(k) for k in v}
    if keys == {"all"} or keys == set(CLASSES):
        return {str(k): x for k, x in v.items()}
    unknown = sorted(keys - {"all", *CLASSES})
    if unknown:
        raise ValueError(
            msg(
                "class_unknown",
                "unknown class {cls!r}; expected 'all' or each of: {classes}",
                cls=unknown[0],
                classes=", ".join(CLASSES),
            )
        )
    if "all" in keys:
        raise ValueError(
            msg("class_both", "give either 'all' or a figure for each class, not both")
        )
    missing = [c for c in CLASSES if c not in keys]
    raise ValueError(
        msg(
            "class_missing",
            "no figure for class {missing}; give 'all' or every class: {classes}",
            missing=", ".join(missing),
            classes=", ".join(CLASSES),
        )
    )


def by_class(table: dict[str, Any] | None, cls: ProvinceClass | None) -> Any:
    """The figure for `cls`; for an unknown class, the figure only when all classes agree."""
    if table is None:
        return None
    if "all" in table:
        return table["all"]
    if cls is None:
        values = list(table.values())
        return values[0] if all(v == values[0] for v in values) else None
    return table.get(cls.value)


def varies_by_class(table: dict[str, Any] | None) -> bool:
    return table is not None and "all" not in table and len(set(map(repr, table.values()))) > 1


Count = Annotated[int, Field(ge=0, le=1_000_000, strict=True)]
T = TypeVar("T")
# a figure by province class: {all: n} or one entry for each class
ByClass = Annotated[dict[str, T], BeforeValidator(_by_class_table)]
Average = Annotated[float, Field(ge=0, le=10_000, allow_inf_nan=False)]


class Band(BaseModel):
    """Below `below` of the measure, at most `max` deputies; no `below`: the rest."""

    model_config = _FROZEN

    below: int | None = Field(default=None, ge=1, le=1_000_000, strict=True)
    max: int = Field(ge=0, le=1_000, strict=True)


class Ref(BaseModel):
    """A place in a legal text: article, clause, point of an instrument (default: the
    rulebook's own; in an amendment, the instrument it amends). `article: null` means the
    article was not recorded. `amending` is the place in another instrument this one amends."""

    model_config = _FROZEN

    article: str | None = None
    clause: str | None = None
    point: str | None = None
    of: str | None = None
    amending: Ref | None = None

    @field_validator("article", "clause", "point", mode="before")
    @classmethod
    def _text(cls, v: Any) -> Any:
        return str(v) if isinstance(v, int) and not isinstance(v, bool) else v


class Transition(BaseModel):
    """A period during which a unit reorganized may stay above a limit (e.g. deputies in
    excess after a merger, five years)."""

    model_config = _FROZEN

    id: str
    rules: tuple[str, ...] = Field(min_length=1)
    years: int = Field(ge=1, le=50, strict=True)
    cite: tuple[Ref, ...] = Field(min_length=1)
    verified: bool = Field(strict=True)
    text: str = Field(min_length=1)
    text_vi: str | None = Field(default=None, min_length=1)  # the text in Vietnamese

    @field_validator("cite", mode="before")
    @classmethod
    def _cites(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    def text_in(self, lang: str) -> str:
        """The text in a language: Vietnamese when the rulebook gives it, else the English text
        marked as English."""
        return _in(self.text, self.text_vi, lang)


def _in(en: str, vi: str | None, lang: str) -> str:
    """A rulebook's text in `lang`; for 'vi' without a Vietnamese text, the English marked so."""
    if lang != "vi":
        return en
    if vi:
        return vi
    from ._i18n import VI

    return f"{VI['(English text: no Vietnamese text in the rulebook)']} {en}"


_CLASS_FIGURES: dict[type[Any], tuple[str, ...]] = {}  # a rule kind -> its figures by class


class Rule(BaseModel):
    """What every rule states; each kind adds the figures it needs."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[a-z0-9][a-z0-9-]*$")
    kind: str
    applies_to: Selector
    cite: tuple[Ref, ...] = Field(min_length=1)
    verified: bool = Field(strict=True)
    text: str = Field(min_length=1)
    text_vi: str | None = Field(default=None, min_length=1)  # the text in Vietnamese
    note: str | None = None
    note_vi: str | None = None  # the note in Vietnamese
    in_force: InForce | None = None  # narrower dates than the rulebook's, for this rule
    # in an amendment: the rule of another id this one replaces (same id: replaced implicitly)
    replaces: str | None = None

    @field_validator("cite", mode="before")
    @classmethod
    def _cites(cls, v: Any) -> Any:
        return [v] if isinstance(v, dict) else v

    def text_in(self, lang: str) -> str:
        """The rule's text in a language: Vietnamese when the rulebook gives `text_vi`, else the
        English text marked as English."""
        return _in(self.text, self.text_vi, lang)

    def note_in(self, lang: str) -> str | None:
        """The rule's note in a language (as `text_in`); None when it has none."""
        return None if self.note is None else _in(self.note, self.note_vi, lang)

    def needs_class(self) -> bool:
        """Does a figure of the rule differ by province class?"""
        names = _CLASS_FIGURES.get(type(self))
        if names is None:  # a missing attribute would cost pydantic an exception each time
            fields = type(self).model_fields
            names = _CLASS_FIGURES[type(self)] = tuple(
                n for n in ("limit", "bands", "extra", "merge_extra") if n in fields
            )
        return any(varies_by_class(getattr(self, name)) for name in names)


class MinCivilServants(Rule):
    """The unit (its subtree) needs at least `limit` civil servants."""

    kind: Literal["min_civil_servants"]
    limit: ByClass[Count]


class MaxDeputies(Rule):
    """At most the band's `max` deputies, by the unit's civil servants (its subtree) or its
    divisions."""

    kind: Literal["max_deputies"]
    bands: ByClass[tuple[Band, ...]]
    measure: Literal["civil_servants", "divisions"] = "civil_servants"

    @field_validator("bands")
    @classmethod
    def _ordered(cls, v: dict[str, tuple[Band, ...]]) -> dict[str, tuple[Band, ...]]:
        for k, bands in v.items():
            if not bands:
                raise ValueError(msg("band_none", "{key!r} has no band", key=k))
            lows = [b.below for b in bands[:-1]]
            if any(x is None for x in lows) or bands[-1].below is not None:
                raise ValueError(
                    msg(
                        "band_below",
                        "{key!r}: every band but the last needs 'below'; the last has none",
                        key=k,
                    )
                )
            if lows != sorted(set(lows)):  # type: ignore[type-var]
                raise ValueError(
                    msg("band_increase", "{key!r}: 'below' must increase from band to band", key=k)
                )
        return v

    def band(self, measure: int, cls: ProvinceClass | None) -> tuple[int, int | None, int] | None:
        """(from, below, max) of the band the measure falls in, None when the class is needed."""
        bands = by_class(self.bands, cls)
        if bands is None:
            return None
        lo = 0
        for b in bands:
            if b.below is None or measure < b.below:
                return (lo, b.below, int(b.max))
            lo = b.below
        last = bands[-1]  # pragma: no cover - the last band has no `below`
        return (lo, None, int(last.max))

    def max_deputies(self, measure: int, cls: ProvinceClass | None) -> int | None:
        band = self.band(measure, cls)
        return None if band is None else band[2]


class AverageDeputies(Rule):
    """The units counted under the unit hold at most `per_unit` deputies each on average, plus
    `extra` in total, plus `merge_extra` per counted unit for each province merged beyond the
    first (the unit's `provinces_merged`)."""

    kind: Literal["average_deputies"]
    counts: Selector
    per_unit: Count
    extra: ByClass[Count] | None = None
    merge_extra: ByClass[Count] | None = None


class MaxUnits(Rule):
    """At most `limit` units counted under the unit."""

    kind: Literal["max_units"]
    counts: Selector
    limit: ByClass[Count]


class AverageUnits(Rule):
    """Across the units `per` below the unit (e.g. its communes), the units counted under each
    average at most `limit` (e.g. 4.5 specialized bodies per commune)."""

    kind: Literal["average_units"]
    per: Selector
    counts: Selector
    limit: ByClass[Average]


class ParentCap(Rule):
    """The unit holds no more deputies than its direct parent."""

    kind: Literal["max_deputies_of_parent"]


class SiblingCap(Rule):
    """A unit without internal units holds no more deputies than any sibling (under the same
    parent, among the units the rule applies to) that has internal units."""

    kind: Literal["max_deputies_of_siblings"]


class NotAllowed(Rule):
    """Such a unit may not exist."""

    kind: Literal["not_allowed"]


class NoVerifiedRule(Rule):
    """The instrument sets a limit for such units, but its figure is not known: say so."""

    kind: Literal["no_verified_rule"]


AnyRule = Annotated[
    MinCivilServants
    | MaxDeputies
    | AverageDeputies
    | MaxUnits
    | AverageUnits
    | ParentCap
    | SiblingCap
    | NotAllowed
    | NoVerifiedRule,
    Field(discriminator="kind"),
]
RULE_TYPES: dict[str, type[Rule]] = {
    t.model_fields["kind"].annotation.__args__[0]: t  # type: ignore[union-attr]
    for t in (
        MinCivilServants,
        MaxDeputies,
        AverageDeputies,
        MaxUnits,
        AverageUnits,
        ParentCap,
        SiblingCap,
        NotAllowed,
        NoVerifiedRule,
    )
}


class InForce(BaseModel):
    model_config = _FROZEN

    from_: dt.date = Field(alias="from")
    to: dt.date | None = None

    @field_validator("from_", "to", mode="before")
    @classmethod
    def _day(cls, v: Any) -> Any:
        return parse_day(v)

    @model_validator(mode="after")
    def _order(self) -> InForce:
        if self.to is not None and self.to < self.from_:
            raise ValueError(
                msg(
                    "to_before_from",
                    "'to' ({end}) is before 'from' ({start})",
                    end=self.to,
                    start=self.from_,
                )
            )
        return self

    def covers(self, day: dt.date) -> bool:
        return self.from_ <= day and (self.to is None or day <= self.to)

    def describe(self) -> str:
        return str(self.period())

    def period(self) -> Msg:
        """ "2020-08-01 to 2025-06-30" / "from 2025-07-01", as a message."""
        if self.to:
            return msg("period_to", "{start} to {end}", start=self.from_, end=self.to)
        return msg("period_from", "from {start}", start=self.from_)


Rule.model_rebuild()
for _t in RULE_TYPES.values():
    _t.model_rebuild()


class Rulebook(BaseModel):
    """One legal instrument's rules. With `amends`, only what it replaces, adds or repeals."""

    model_config = _FROZEN

    id: str = Field(pattern=r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
    title: str
    title_vi: str | None = None
    decree: str  # the instrument's number, e.g. 150/2025/ND-CP
    in_force: InForce
    amends: str | None = None  # the rulebook whose rules this one replaces, adds or repeals
    # the instrument whose text this one amends, when its rules are given whole (107/2020 on
    # 24/2014): citations read "as amended by" it
    amends_text: str | None = None
    repeals: tuple[str, ...] = ()
    transitions: tuple[Transition, ...] = ()
    rules: tuple[AnyRule, ...]
    source: str | None = Field(default=None, exclude=True)
    text: str | None = Field(default=None, exclude=True, repr=False)  # the file, to locate

    @model_validator(mode="after")
    def _consistent(self) -> Rulebook:
        raw = {
            "id": self.id,
            "amends": self.amends,
            "repeals": list(self.repeals),
            "rules": [{"id": r.id, "replaces": r.replaces} for r in self.rules],
            "transitions": [{"id": t.id, "rules": list(t.rules)} for t in self.transitions],
        }
        for message, _path in _problems(raw):
            raise ValueError(message)
        return self


def _problems(data: dict[str, Any]) -> Iterator[tuple[Msg, list[str | int]]]:
    """What does not hold together in a rulebook (its raw data): each problem with its path."""
    rules: list[Any] = data["rules"] if isinstance(data.get("rules"), list) else []
    ids: dict[str, int] = {}
    for i, r in enumerate(rules):
        rid = r.get("id") if isinstance(r, dict) else None
        if isinstance(rid, str):
            if rid in ids:
                yield (
                    msg(
                        "rule_id_twice",
                        "rule id {id!r} is given twice (also rule {other}); "
                        "rule ids are unique in a rulebook",
                        id=rid,
                        other=ids[rid] + 1,
                    ),
                    ["rules", i, "id"],
                )
            ids.setdefault(rid, i)
    repeals: list[Any] = data["repeals"] if isinstance(data.get("repeals"), list) else []
    amends = data.get("amends")
    if amends is None:
        for i, r in enumerate(rules):
            if isinstance(r, dict) and r.get("replaces") is not None:
                yield (
                    msg(
                        "replaces_needs_amends",
                        "'replaces' needs 'amends' on the rulebook (the rulebook whose rule it "
                        "replaces)",
                    ),
                    ["rules", i, "replaces"],
                )
        if repeals:
            yield (
                msg(
                    "repeals_needs_amends",
                    "'repeals' needs 'amends' (the rulebook whose rules it repeals)",
                ),
                ["repeals"],
            )
        transitions = data.get("transitions")
        for t, tr in enumerate(transitions if isinstance(transitions, list) else []):
            names = tr.get("rules") if isinstance(tr, dict) else None
            for k, name in enumerate(names if isinstance(names, list) else []):
                if isinstance(name, str) and name not in ids:
                    yield (
                        msg(
                            "transition_unknown_rule",
                            "transition names rule {name!r}, which this rulebook does not "
                            "have; its rules: {rules}",
                            name=name,
                            rules=", ".join(sorted(ids)) or msg("none", "none"),
                        ),
                        ["transitions", t, "rules", k],
                    )
    elif amends == data.get("id"):
        yield (msg("amends_itself", "a rulebook cannot amend itself"), ["amends"])
    for k, gone in enumerate(repeals):
        if isinstance(gone, str) and gone in ids:
            yield (
                msg(
                    "repealed_and_given",
                    "rule {id!r} is both repealed and given; a rule with the same id replaces "
                    "the amended one, so drop it from 'repeals'",
                    id=gone,
                ),
                ["repeals", k],
            )


# -- findings and reports ----------------------------------------------------------------
class Violation(BaseModel):
    """A finding: a unit over a limit (`status="violation"`), over it but within a transition
    (`"transition"`, lawful `until` a date), a rule that could not be applied because the
    province class is unknown (`"class_unknown"`), or a limit the law sets whose figure is not
    known (`"no_rule"`). `basis` holds the facts it was decided on."""

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
    # "pass" only in `explain`, for a rule the unit meets
    status: Literal["violation", "transition", "class_unknown", "no_rule", "pass"] = "violation"
    until: dt.date | None = None
    basis: dict[str, Any] = Field(default_factory=dict)

    @property
    def key(self) -> tuple[str, str]:
        """Identity across two models and dates: the same rule on the same unit (rule ids
        are stable across the instruments that carry them)."""
        return (self.rule, self.unit)

    @property
    def lawful(self) -> bool:
        return self.status in LAWFUL

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json")


Finding = Violation


class Check(NamedTuple):
    """One rule applied to one unit, passed or not (what `--explain` prints)."""

    finding: Violation
    passed: bool


class Report(BaseModel):
    """The result of `check`: the rulebooks applied, the date, and every finding."""

    model_config = ConfigDict(frozen=True)

    rulebooks: tuple[str, ...]
    as_of: dt.date | None
    violations: tuple[Violation, ...]
    units_checked: int = 0

    @property
    def ok(self) -> bool:
        """Compliant: no finding other than transitions and unknown figures."""
        return all(v.lawful for v in self.violations)

    @property
    def compliant(self) -> bool:
        return self.ok

    @property
    def findings(self) -> tuple[Violation, ...]:
        return self.violations

    def of_status(self, status: str) -> tuple[Violation, ...]:
        return tuple(v for v in self.violations if v.status == status)

    def __bool__(self) -> bool:
        return True

    def to_frame(self) -> Any:
        """One row per finding (pandas DataFrame; needs the `pandas` extra)."""
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
            "until",
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
            "violations": [v.to_dict() for v in self.violations],
        }


# -- loading rulebooks ------------------------------------------------------------------
def _rule_error(err: dict[str, Any], data: Any) -> tuple[Msg, list[str | int]]:
    """A pydantic error on a rulebook as a sentence, and its path in the document."""
    loc = list(err["loc"])
    path: list[str | int] = []
    rule_id = None
    kind = None
    for i, p in enumerate(loc):
        # a tagged union puts the tag ('max_deputies') after the rule's index: not in the file
        tag = p in RULE_TYPES or (isinstance(p, str) and p.startswith("function-"))
        if i == 2 and loc[0] == "rules" and isinstance(loc[1], int) and tag:
            kind = p
            continue
        if isinstance(p, str) and p.startswith(("function-", "tagged-union[")):
            continue
        if isinstance(p, (str, int)):
            path.append(p)
    if len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int):
        try:
            rule = data["rules"][path[1]]
            rule_id = rule.get("id") if isinstance(rule, dict) else None
            kind = kind or (rule.get("kind") if isinstance(rule, dict) else None)
        except (KeyError, IndexError, TypeError):
            pass
    typ = err["type"]
    in_rule = len(path) >= 2 and path[0] == "rules" and isinstance(path[1], int)
    field_path = [str(p) for p in path[2:]] if in_rule else [str(p) for p in path]
    where = ".".join(field_path)
    what = (
        msg("rb_rule", "rule {id!r}", id=rule_id)
        if rule_id
        else (msg("rb_a_rule", "rule") if in_rule else msg("rb_rulebook", "rulebook"))
    )
    if path[:1] == ["transitions"] and len(path) >= 2 and isinstance(path[1], int):
        what = msg("rb_transition", "transition")
        field_path = [str(p) for p in path[2:]]
        where = ".".join(field_path)
    owner = _owner(path, kind)
    inp = err.get("input")
    if typ == "union_tag_invalid" and isinstance(inp, dict) and inp.get("kind") is None:
        typ = "union_tag_not_found"
    if typ == "union_tag_not_found":
        m = msg(
            "rb_no_kind",
            "{what} has no 'kind'; {expected}",
            what=what,
            expected=expected_one_of(RULE_TYPES),
        )
    elif typ == "union_tag_invalid":
        m = (
            msg(
                "rb_unknown_kind",
                "{what}: unknown kind {kind!r}; {expected}",
                what=what,
                kind=err.get("input", {}).get("kind"),
                expected=expected_one_of(RULE_TYPES),
            )
            if isinstance(err.get("input"), dict)
            else msg(
                "rb_unknown_kind_bare",
                "{what}: unknown kind; {expected}",
                what=what,
                expected=expected_one_of(RULE_TYPES),
            )
        )
        path = [*path, "kind"]
    elif typ == "missing":
        needs: Msg | str = ""
        if owner is not None:
            name, model = owner
            fields = [
                f.alias or n
                for n, f in model.model_fields.items()
                if f.is_required() and n != "kind"
            ]
            needs = msg(
                "rb_needs", "; {owner} needs: {fields}", owner=name, fields=", ".join(fields)
            )
        inner = ".".join(field_path[:-1])
        m = msg(
            "rb_missing",
            "{what} is missing {key!r}{needs}",
            what=_at(what, inner),
            key=field_path[-1] if field_path else "?",
            needs=needs,
        )
        path = path[:-1]
    elif typ == "extra_forbidden":
        from ._load import suggest

        allowed: Msg | str = ""
        bad = field_path[-1] if field_path else "?"
        if owner is not None:
            name, model = owner
            keys = [
                f.alias or n for n, f in model.model_fields.items() if n not in ("source", "text")
            ]
            allowed = msg(
                "rb_may_have",
                "; {hint}{owner} may have: {keys}",
                hint=suggest(bad, keys),
                owner=name,
                keys=", ".join(keys),
            )
        inner = ".".join(field_path[:-1])
        m = msg(
            "rb_unknown_key",
            "{what}: unknown key {key!r}{allowed}",
            what=_at(what, inner),
            key=bad,
            allowed=allowed,
        )
    elif typ in ("enum", "literal_error"):
        from ._load import suggest

        expected = err.get("ctx", {}).get("expected", "")
        choices = [c.strip(" '") for c in expected.replace(" or ", ", ").split(",") if c.strip()]
        value = err.get("input")
        m = msg(
            "rb_unknown_value",
            "{what}: unknown value {value!r}; {hint}{expected}",
            what=_at(what, where),
            value=value,
            hint=suggest(str(value), choices),
            expected=expected_one_of(choices),
        )
    else:
        ctx = err.get("ctx") or {}
        found = ctx["error"].args[0] if ctx.get("error") and ctx["error"].args else None
        detail = found if isinstance(found, Msg) else err["msg"].removeprefix("Value error, ")
        m = msg("rb_invalid", "{what}: {detail}", what=_at(what, where), detail=detail)
    return m, path


def _at(what: Msg, inner: str) -> Msg:
    """ "rule 'x': bands.0" (a place inside a rule), or `what` alone."""
    return msg("rb_at", "{what}: {inner}", what=what, inner=inner) if inner else what


def _owner(path: list[str | int], kind: Any) -> tuple[Msg, type[BaseModel]] | None:
    """The model (and how to name it) that holds the last key of `path`."""
    keys = [p for p in path[:-1] if isinstance(p, str)]
    last = keys[-1] if keys else None
    if last in ("applies_to", "counts", "per"):
        return (msg("rb_owner_key", "{key!r}", key=last), Selector)
    if last in ("cite", "amending"):
        return (msg("rb_owner_citation", "a citation"), Ref)
    if last == "in_force":
        return (msg("rb_owner_key", "{key!r}", key="in_force"), InForce)
    if last in ("bands",) or (keys[-2:-1] == ["bands"]):
        return (msg("rb_owner_band", "a band"), Band)
    if last == "transitions":
        return (msg("rb_owner_transition", "a transition"), Transition)
    if last == "rules" and isinstance(kind, str) and kind in RULE_TYPES:
        if str(kind)[0] in "aeiou":
            return (msg("rb_owner_rule_an", "an {kind} rule", kind=kind), RULE_TYPES[kind])
        return (msg("rb_owner_rule", "a {kind} rule", kind=kind), RULE_TYPES[kind])
    if not keys:
        return (msg("rb_owner_rulebook", "a rulebook"), Rulebook)
    return None


def parse_rulebook(text: str, source: str) -> Rulebook:
    """A rulebook from YAML text; `LoadError` (file, line, column) when it is malformed."""
    from . import _yaml
    from ._load import parse_document

    data = parse_document(text, source)
    if not isinstance(data, dict):
        raise LoadError(
            msg(
                "rb_not_mapping",
                "a rulebook is a mapping with id, title, decree, in_force and rules",
            ),
            file=source,
            line=1,
            column=1,
        )
    if isinstance(data.get("rules"), list):
        for r in data["rules"]:
            if isinstance(r, dict) and "citation" in r and "cite" not in r:
                where = _yaml.locate(text, ["rules", data["rules"].index(r), "citation"], key=True)
                raise LoadError(
                    msg(
                        "rb_citation_text",
                        "rule {id!r}: write its citation as "
                        "'cite: {{article: .., clause: .., point: ..}}'"
                        " (the text of the citation is made from it in either language)",
                        id=r.get("id"),
                    ),
                    file=source,
                    line=where[0] if where else None,
                    column=where[1] if where else None,
                )
    for message, at in _problems(data):
        where = _yaml.locate(text, at)
        raise LoadError(
            message.within(msg("rb_rulebook", "rulebook")),
            file=source,
            line=where[0] if where else None,
            column=where[1] if where else None,
        )
    try:
        book = Rulebook.model_validate(data)
    except ValidationError as e:
        err = e.errors(include_url=False)[0]
        problem, path = _rule_error(dict(err), data)
        where = None
        while where is None and path:
            where = _yaml.locate(text, path, key=err["type"] == "extra_forbidden")
            if where is None:
                path = path[:-1]
        line, col = where if where else (1, 1)
        raise LoadError(problem, file=source, line=line, column=col) from None
    return book.model_copy(update={"source": source, "text": text})


@cache
def builtin_rulebooks() -> tuple[Rulebook, ...]:
    """The rulebooks shipped with orgmodel, oldest first."""
    folder = resources.files("orgmodel") / "rulebooks"
    books = [
        parse_rulebook(f.read_text(encoding="utf-8"), f"orgmodel/rulebooks/{f.name}")
        for f in folder.iterdir()
        if f.name.endswith(".yaml")
    ]
    return tuple(sorted(books, key=lambda b: (b.in_force.from_, b.id)))


def load_rulebook(path: str | os.PathLike[str]) -> Rulebook:
    """A rulebook file (a user's own, e.g. a province's stricter quota amending a decree)."""
    from ._io import read_text
    from ._load import check_path

    name = check_path(path, "load_rulebook")
    return parse_rulebook(read_text(path), name)


def get_rulebook(ref: str | Rulebook) -> Rulebook:
    if isinstance(ref, Rulebook):
        return ref
    for b in builtin_rulebooks():
        if b.id == ref:
            return b
    if ref.endswith((".yaml", ".yml")):
        book = load_rulebook(ref)
        if any(b.id == book.id for b in builtin_rulebooks()):
            where = _yaml_locate(book.text, ["id"])
            raise LoadError(
                msg(
                    "rb_shipped_id",
                    "rulebook id {id!r} is a shipped rulebook's; give yours its own id "
                    "(and 'amends' to change a shipped rulebook)",
                    id=book.id,
                ),
                file=book.source,
                line=where[0] if where else None,
                column=where[1] if where else None,
            )
        return book
    known = ", ".join(b.id for b in builtin_rulebooks())
    raise RulebookError(
        msg(
            "unknown_rulebook",
            "unknown rulebook {ref!r}; known rulebooks: {known} (or a .yaml file)",
            ref=ref,
            known=known,
        )
    )


def _yaml_locate(text: str | None, path: list[str | int]) -> tuple[int, int] | None:
    from . import _yaml

    return _yaml.locate(text, path) if text else None


def _located(e: RulebookError) -> OrgmodelError:
    """A resolve-time problem of a user's rulebook file, placed in the file when possible."""
    book: Rulebook | None = getattr(e, "book", None)
    path: list[str | int] | None = getattr(e, "path", None)
    if book is None or book.text is None or path is None:
        return e
    where = _yaml_locate(book.text, path)
    return LoadError(
        e.message,
        file=book.source,
        line=where[0] if where else None,
        column=where[1] if where else None,
    )


def _fail(message: Msg, book: Rulebook, path: list[str | int]) -> RulebookError:
    e = RulebookError(message)
    e.book = book  # type: ignore[attr-defined]
    e.path = path  # type: ignore[attr-defined]
    return e


def in_force(day: dt.date) -> tuple[Rulebook, ...]:
    return tuple(b for b in builtin_rulebooks() if b.in_force.covers(day))


def first_day() -> dt.date | None:
    """The first day any shipped rulebook covers."""
    books = builtin_rulebooks()
    return min(b.in_force.from_ for b in books) if books else None


# -- resolving the law on a date ----------------------------------------------------------
@dataclass(frozen=True)
class Entry:
    """A rule as it stands on a date: the rule, the rulebook whose text set it, the rule of
    the amended rulebook it replaces (if any), and the transition that covers it."""

    rule: Rule
    book: Rulebook
    base: Rulebook  # the rulebook at the root of its chain of amendments
    replaces: tuple[Rulebook, Rule] | None = None
    transition: tuple[Rulebook, Transition] | None = None

    @property
    def amended(self) -> bool:
        return self.book is not self.base

    @cached_property
    def cite(self) -> dict[str, Any]:
        """`cite_parts()`, computed once."""
        return self.cite_parts()

    @cached_property
    def citation_en(self) -> str:
        return citation_text(self.cite, "en")

    @cached_property
    def selectors(self) -> dict[str, Any]:
        """The rule's selectors as data, for a finding's basis."""
        out = {"applies_to": self.rule.applies_to.model_dump(mode="json", exclude_none=True)}
        for name in ("counts", "per"):
            sel = getattr(self.rule, name, None)
            if sel is not None:
                out[name] = sel.model_dump(mode="json", exclude_none=True)
        return out

    def cite_parts(self) -> dict[str, Any]:
        """The citation as structured data (rendered by `citation_text` in either language)."""
        own = self.book.decree
        default_of = own
        refs = [
            {
                "of": r.of or default_of,
                "article": r.article,
                "clause": r.clause,
                "point": r.point,
                "amending": (
                    None
                    if r.amending is None
                    else {
                        "of": r.amending.of or default_of,
                        "article": r.amending.article,
                        "clause": r.amending.clause,
                        "point": r.amending.point,
                    }
                ),
            }
            for r in self.rule.cite
        ]
        by = None
        if self.amended and any((r.of or default_of) != own for r in self.rule.cite):
            by = {"of": own, "how": "amended" if self.replaces else "added"}
        elif self.book.amends_text and any(r.of == self.book.amends_text for r in self.rule.cite):
            by = {"of": own, "how": "amended"}
        return {"refs": refs, "by": by}

    def citation(self, lang: str = "en") -> str:
        return citation_text(self.cite_parts(), lang)


@dataclass(frozen=True)
class RuleSet:
    """The rules in force on a date, each with its provenance: what `check` applies."""

    books: tuple[Rulebook, ...]
    entries: tuple[Entry, ...]
    day: dt.date | None = None
    _index: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def ids(self) -> tuple[str, ...]:
        return tuple(b.id for b in self.books)

    def __iter__(self) -> Iterator[Entry]:
        return iter(self.entries)

    def __len__(self) -> int:
        return len(self.entries)

    def of_kind(self, kind: str) -> tuple[Entry, ...]:
        return tuple(e for e in self.entries if e.rule.kind == kind)


def resolve(books: Sequence[Rulebook], day: dt.date | None) -> RuleSet:
    """Apply amendments to the rulebooks they amend: the rules in force on `day` (every rule
    when `day` is None), each with the rulebook that set it. Books are given bases first;
    an amendment whose base is missing raises `RulebookError`."""
    by_id = {b.id: b for b in books}
    order = {b.id: i for i, b in enumerate(books)}

    def root(b: Rulebook) -> Rulebook:
        seen = {b.id}
        while b.amends is not None:
            base = by_id.get(b.amends)
            if base is None:
                raise _fail(
                    msg(
                        "rb_base_missing",
                        "rulebook {id!r}{src} amends {base!r}, which is not among the "
                        "rulebooks applied",
                        id=b.id,
                        src=_src(b),
                        base=b.amends,
                    ),
                    b,
                    ["amends"],
                )
            if base.id in seen:
                names = ", ".join(f"{x.id!r}{_src(x)}" for x in books if x.id in seen)
                raise _fail(
                    msg("rb_amend_cycle", "rulebooks {names} amend each other", names=names),
                    b,
                    ["amends"],
                )
            seen.add(base.id)
            b = base
        return b

    chains: dict[str, list[Rulebook]] = {}
    for b in books:
        chains.setdefault(root(b).id, []).append(b)
    entries: list[Entry] = []
    for rid, chain in chains.items():
        base = by_id[rid]
        chain.sort(key=lambda b: (b is not base, order[b.id]))
        current: dict[str, Entry] = {}
        trans: dict[str, tuple[Rulebook, Transition]] = {}
        for b in chain:
            for k, gone in enumerate(b.repeals):
                if gone not in current and _earlier(chain, b, gone) is None:
                    raise _fail(
                        msg(
                            "rb_repeals_unknown",
                            "rulebook {id!r}{src} repeals rule {rule!r}, which {base!r} does "
                            "not have",
                            id=b.id,
                            src=_src(b),
                            rule=gone,
                            base=b.amends,
                        ),
                        b,
                        ["repeals", k],
                    )
                current.pop(gone, None)
            # a rule's own dates count when the day falls in its rulebook's (a rulebook named
            # for a day outside its dates is applied as a whole)
            dated = day is not None and b.in_force.covers(day)
            for i, r in enumerate(b.rules):
                if dated and r.in_force is not None and not r.in_force.covers(day):  # type: ignore[arg-type]
                    continue
                if r.replaces is not None and r.replaces != r.id:
                    gone_ = current.pop(r.replaces, None)
                    if gone_ is None and _earlier(chain, b, r.replaces) is None:
                        raise _fail(
                            msg(
                                "rb_replaces_unknown",
                                "rulebook {id!r}{src}: rule {rule!r} replaces {old!r}, which "
                                "{base!r} does not have",
                                id=b.id,
                                src=_src(b),
                                rule=r.id,
                                old=r.replaces,
                                base=b.amends,
                            ),
                            b,
                            ["rules", i, "replaces"],
                        )
                    old = gone_
                else:
                    old = current.get(r.id)
                replaces = (old.book, old.rule) if old is not None else None
                if old is None and b is not base:
                    replaces = _earlier(chain, b, r.replaces or r.id)
                current[r.id] = Entry(rule=r, book=b, base=base, replaces=replaces)
            for t in b.transitions:
                trans[t.id] = (b, t)
        known = {rid_ for bk in chain for rid_ in (r.id for r in bk.rules)}
        for bk, t in trans.values():
            for k, name in enumerate(t.rules):
                if name not in known:
                    ti = next(j for j, x in enumerate(bk.transitions) if x.id == t.id)
                    raise _fail(
                        msg(
                            "rb_transition_unknown",
                            "rulebook {id!r}{src}: transition {transition!r} names rule "
                            "{rule!r}, which no rulebook of its chain has",
                            id=bk.id,
                            src=_src(bk),
                            transition=t.id,
                            rule=name,
                        ),
                        bk,
                        ["transitions", ti, "rules", k],
                    )
        covering: dict[str, tuple[Rulebook, Transition]] = {}
        for bk, t in trans.values():
            for name in t.rules:
                covering[name] = (bk, t)
        for e in current.values():
            t_ = covering.get(e.rule.id)
            entries.append(Entry(e.rule, e.book, e.base, e.replaces, t_) if t_ else e)
    ordered = sorted(books, key=lambda b: order[b.id])
    return RuleSet(books=tuple(ordered), entries=tuple(entries), day=day)


def _src(b: Rulebook) -> str:
    return f" ({b.source})" if b.source and not b.source.startswith("orgmodel/") else ""


def _earlier(chain: list[Rulebook], upto: Rulebook, rule_id: str) -> tuple[Rulebook, Rule] | None:
    found = None
    for b in chain:
        if b is upto:
            break
        for r in b.rules:
            if r.id == rule_id:
                found = (b, r)
    return found


def select(rulebook: str | Rulebook | Sequence[str | Rulebook] | None, day: dt.date) -> RuleSet:
    """The rules applied on `day`: those of the shipped rulebooks in force, or of the
    rulebooks named. A named rulebook that amends another brings the rulebook it amends (and
    that one's amendments in force on the day) with it, so a province's own decision is applied
    to the law as it stands. `RulebookError` when none covers the day. A `RuleSet` already
    selected is used as it is."""
    if isinstance(rulebook, RuleSet):
        return rulebook
    if rulebook is not None:
        refs = [rulebook] if isinstance(rulebook, (str, Rulebook)) else list(rulebook)
        named = [get_rulebook(r) for r in refs]
        for i, b in enumerate(named):
            for other in named[:i]:
                if other.id == b.id and other is not b:
                    raise RulebookError(
                        msg(
                            "rb_same_id",
                            "two rulebooks have the id {id!r}{src}{src2}; rulebook ids are unique",
                            id=b.id,
                            src=_src(other),
                            src2=_src(b),
                        )
                    )
        books: list[Rulebook] = []
        ids = {b.id for b in named}

        def add(b: Rulebook) -> None:
            if all(x.id != b.id for x in books):
                books.append(b)

        bases: list[Rulebook] = []
        for b in named:
            cur = b
            while cur.amends is not None and cur.amends not in ids:
                base = next((x for x in builtin_rulebooks() if x.id == cur.amends), None)
                if base is None:
                    raise _located(
                        _fail(
                            msg(
                                "rb_amends_unknown",
                                "rulebook {id!r} amends {base!r}, which is neither shipped with "
                                "orgmodel nor given; known rulebooks: {known}",
                                id=cur.id,
                                base=cur.amends,
                                known=", ".join(x.id for x in builtin_rulebooks()),
                            ),
                            cur,
                            ["amends"],
                        )
                    )
                bases.append(base)
                ids.add(base.id)
                cur = base
        for base in bases:
            add(base)
            for x in builtin_rulebooks():
                if x.amends == base.id and x.in_force.covers(day) and x.id not in ids:
                    add(x)
        for b in named:
            add(b)
        try:
            return resolve(_bases_first(books, last={b.id for b in named}), day)
        except RulebookError as e:
            raise _located(e) from None
    found = in_force(day)
    if not found:
        listing = [
            msg("rb_listed", "{id} ({period})", id=b.id, period=b.in_force.period())
            for b in builtin_rulebooks()
        ]
        raise RulebookError(
            msg(
                "no_rulebook",
                "no rulebook covers {day}: orgmodel's rulebooks are {rulebooks:; }. "
                "Give a later --as-of date or name a rulebook with --rulebook.",
                day=day,
                rulebooks=listing,
            )
        )
    return resolve(_bases_first(list(found)), day)


def _bases_first(books: list[Rulebook], last: set[str] | None = None) -> list[Rulebook]:
    """Bases before their amendments, amendments in the order of their dates (stable); the
    rulebooks in `last` (those a user names) after the others of the same depth, so that a
    province's decision is applied on top of the law as it stands."""
    last = last or set()
    ids = {b.id for b in books}
    depth: dict[str, int] = {}

    def d(b: Rulebook) -> int:
        if b.id not in depth:
            n, cur, guard = 0, b, 0
            while cur.amends is not None and cur.amends in ids and guard < 100:
                cur = next(x for x in books if x.id == cur.amends)
                n += 1
                guard += 1
            depth[b.id] = n
        return depth[b.id]

    index = {b.id: i for i, b in enumerate(books)}
    return sorted(books, key=lambda b: (d(b), b.id in last, b.in_force.from_, index[b.id]))


def as_ruleset(books: RuleSet | Sequence[Rulebook], day: dt.date | None) -> RuleSet:
    return books if isinstance(books, RuleSet) else resolve(_bases_first(list(books)), day)


# -- the engine -------------------------------------------------------------------------
class _Facts:
    """What rules measure, computed once per model in linear passes: each row's class and its
    subtree's civil servants by its place (`Org._by_place`), read by id or by place."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.classes, self.totals = org._by_place
        self.kids = org._children
        self.rows, self.index = org._rows, org._index
        self.ends = org._ends  # each row's subtree end: its children are found by place
        self.fits: dict[tuple[Any, ...], bool] = {}  # (selector, kinds and levels) -> matched
        # (a max_deputies rule, a class) -> the smallest maximum of its bands (None: unknown)
        self.least: dict[tuple[int, ProvinceClass | None], Any] = {}

    def class_of(self, uid: str) -> ProvinceClass | None:
        return self.classes[self.index[uid]]

    def subtree_cs(self, uid: str) -> int:
        return self.totals[self.index[uid]]

    def class_from(self, uid: str) -> str | None:
        """The unit the class of `uid` is stated on (itself or its nearest ancestor)."""
        return self.org._class_source(uid)

    def divisions(self, uid: str) -> int:
        rows, index = self.rows, self.index
        return sum(1 for c in self.kids[uid] if rows[index[c]][KIND] == "division")

    def class_basis(self, uid: str, rule: Rule) -> dict[str, Any]:
        cls = self.class_of(uid)
        return {
            "class": cls.value if cls is not None else None,
            "class_from": self.class_from(uid) if cls is not None else None,
            "class_dependent": rule.needs_class(),
        }


class Found(NamedTuple):
    """What a rule kind measured on a unit. `limit=None`: the class it needs is unknown."""

    actual: int | None
    limit: int | None
    passed: bool
    basis: Any  # dict, or a function making it (built only for a finding or `explain`)
    scope: tuple[str, ...] = ()  # other units whose reorganization dates count for it
    status: str | None = None  # a status the kind decides itself (no_rule)


Measure = Callable[[Any, Rec, "Rec | None", _Facts], "Found | None"]


def _min_civil_servants(rule: MinCivilServants, u: Rec, p: Rec | None, f: _Facts) -> Found:
    cls = f.class_of(u.id)
    limit = by_class(rule.limit, cls)
    actual = f.subtree_cs(u.id)

    def basis() -> dict[str, Any]:
        return {
            **f.class_basis(u.id, rule),
            "measure": "civil_servants",
            "value": actual,
            "minimum": limit,
        }

    if limit is None:
        return Found(None, None, False, basis)
    return Found(actual, limit, actual >= limit, basis)


def _max_deputies(rule: MaxDeputies, u: Rec, p: Rec | None, f: _Facts) -> Found:
    cls = f.class_of(u.id)
    measure = f.divisions(u.id) if rule.measure == "divisions" else f.subtree_cs(u.id)
    band = rule.band(measure, cls)

    def basis() -> dict[str, Any]:
        out: dict[str, Any] = {
            **f.class_basis(u.id, rule),
            "measure": rule.measure,
            "value": measure,
            "deputies": u.deputies,
        }
        if band is not None:
            lo, below, mx = band
            out["band"] = {"from": lo, "to": None if below is None else below - 1, "max": mx}
        return out

    if band is None:
        return Found(None, None, False, basis)
    mx = band[2]
    return Found(u.deputies, mx, u.deputies <= mx, basis)


def _counted(sel: Selector, u: Rec, f: _Facts) -> list[Rec]:
    """The children of `u` the selector takes, read by name."""
    return list(map(rec, _taken(sel, f.index[u.id], f)))


def _count(sel: Selector, i: int, f: _Facts) -> int:
    """How many children of the row at place `i` the selector takes."""
    return sum(1 for _ in _taken(sel, i, f))


def _taken(sel: Selector, i: int, f: _Facts) -> Iterator[tuple[Any, ...]]:
    """The rows of the children of the row at place `i` the selector takes (each kind and
    level matched once), found by place: in pre-order a unit's first child follows it, and
    each child's subtree ends where the next child starts."""
    rows, ends, fits = f.rows, f.ends, f.fits
    u = rows[i]
    ukind, ulevel, s = u[KIND], u[LEVEL], id(sel)  # the rules hold their selectors
    c, end = i + 1, ends[i]
    while c < end:
        r = rows[c]
        key = (s, r[KIND], r[LEVEL], ukind, ulevel)
        ok = fits.get(key)
        if ok is None:
            ok = fits[key] = sel.fits(r[KIND], r[LEVEL], ukind, ulevel)
        if ok:
            yield r
        c = ends[c]


def _average_deputies(rule: AverageDeputies, u: Rec, p: Rec | None, f: _Facts) -> Found | None:
    counted = _counted(rule.counts, u, f)
    if not counted:
        return None
    cls = f.class_of(u.id)
    extra = by_class(rule.extra, cls) if rule.extra is not None else 0
    per_merge = by_class(rule.merge_extra, cls) if rule.merge_extra is not None else 0
    n = len(counted)
    merged = u.provinces_merged
    actual = sum(c.deputies for c in counted)
    known = extra is not None and per_merge is not None
    merge_total = per_merge * (merged - 1) * n if known else 0
    limit = rule.per_unit * n + extra + merge_total if known else None

    def basis() -> dict[str, Any]:
        out: dict[str, Any] = {
            **f.class_basis(u.id, rule),
            "counted": n,
            "per_unit": rule.per_unit,
            "deputies": actual,
        }
        if known:
            out.update(
                extra=extra,
                provinces_merged=merged,
                merge_extra_per_unit=per_merge * (merged - 1),
                merge_extra=merge_total,
                limit=limit,
            )
        return out

    scope = tuple(c.id for c in counted)
    if limit is None:
        return Found(None, None, False, basis, scope)
    return Found(actual, limit, actual <= limit, basis, scope)


def _max_units(rule: MaxUnits, u: Rec, p: Rec | None, f: _Facts) -> Found:
    cls = f.class_of(u.id)
    limit = by_class(rule.limit, cls)
    n = _count(rule.counts, f.index[u.id], f)

    def basis() -> dict[str, Any]:
        return {**f.class_basis(u.id, rule), "counted": n, "maximum": limit}

    if limit is None:
        return Found(None, None, False, basis)
    return Found(n, limit, n <= limit, basis)


def _average_units(rule: AverageUnits, u: Rec, p: Rec | None, f: _Facts) -> Found | None:
    org = f.org
    n = 0
    total = 0
    rows, at = org._rows, org._index
    for i in org._subtree_rows(u.id)[1:]:
        x = rec(rows[i])
        parent = rec(rows[at[x[PARENT]]])  # below `u`: always a parent
        if rule.per.matches(x, parent):
            n += 1
            total += _count(rule.counts, i, f)
    if not n:
        return None
    cls = f.class_of(u.id)
    avg_max = by_class(rule.limit, cls)
    limit = None if avg_max is None else floor(avg_max * n + 1e-9)

    def basis() -> dict[str, Any]:
        out: dict[str, Any] = {
            **f.class_basis(u.id, rule),
            "averaged_over": n,
            "counted": total,
            "average": round(total / n, 2),
            "max_average": avg_max,
        }
        if limit is not None:
            out["limit"] = limit
        return out

    if limit is None:
        return Found(None, None, False, basis)
    return Found(total, limit, total <= limit, basis)


def _parent_cap(rule: ParentCap, u: Rec, p: Rec | None, f: _Facts) -> Found | None:
    if p is None:
        return None
    if u.deputies <= p.deputies:
        return Found(u.deputies, p.deputies, True, lambda: _parent_basis(u, p))
    return Found(u.deputies, p.deputies, False, _parent_basis(u, p))


def _parent_basis(u: Rec, p: Rec) -> dict[str, Any]:
    return {"deputies": u.deputies, "parent": p.id, "parent_deputies": p.deputies}


def _sibling_cap(rule: SiblingCap, u: Rec, p: Rec | None, f: _Facts) -> Found | None:
    org = f.org
    if p is None or org.child_ids(u.id):
        return None  # the rule limits units without internal units
    best: Unit | None = None
    for s in org.children(p.id):
        if (
            s.id != u.id
            and org.child_ids(s.id)
            and rule.applies_to.matches(s, p)
            and (best is None or s.deputies < best.deputies)
        ):
            best = s
    if best is None:
        return None
    basis = {
        "deputies": u.deputies,
        "parent": p.id,
        "sibling": best.id,
        "sibling_deputies": best.deputies,
    }
    return Found(u.deputies, best.deputies, u.deputies <= best.deputies, basis)


def _not_allowed(rule: NotAllowed, u: Rec, p: Rec | None, f: _Facts) -> Found:
    return Found(1, 0, False, {"exists": True})


def _no_verified_rule(rule: NoVerifiedRule, u: Rec, p: Rec | None, f: _Facts) -> Found:
    return Found(None, None, False, {"figure": None}, status="no_rule")


MEASURES: dict[str, Measure] = {
    "min_civil_servants": _min_civil_servants,
    "max_deputies": _max_deputies,
    "average_deputies": _average_deputies,
    "max_units": _max_units,
    "average_units": _average_units,
    "max_deputies_of_parent": _parent_cap,
    "max_deputies_of_siblings": _sibling_cap,
    "not_allowed": _not_allowed,
    "no_verified_rule": _no_verified_rule,
}
assert set(MEASURES) == set(RULE_TYPES)


# -- what `run` asks first: does the unit certainly pass? ----------------------------------
# A national model has tens of thousands of units a rule covers and a few thousand findings:
# these read the rows and say True only when the kind's measure (above) would pass the unit,
# so that no view, closure or `Found` is made for the units that pass. The measures stay what
# decides a finding, and `explain` shows them all.
Row = tuple[Any, ...]
Passes = Callable[[Any, Row, "Row | None", _Facts, int], bool]  # (rule, row, parent, facts, place)
_NOT_YET = object()


def _max_deputies_passes(rule: MaxDeputies, r: Row, p: Row | None, f: _Facts, i: int) -> bool:
    cls = f.classes[i]
    # no more deputies than the smallest maximum of the class's bands: passes whatever the
    # measure (most units), without measuring
    key = (id(rule), cls)
    least = f.least.get(key, _NOT_YET)
    if least is _NOT_YET:
        bands = by_class(rule.bands, cls)
        least = f.least[key] = None if bands is None else min(int(b.max) for b in bands)
    if least is not None and r[DEP] <= least:
        return True
    measure = f.divisions(r[ID]) if rule.measure == "divisions" else f.totals[i]
    band = rule.band(measure, cls)
    return band is not None and r[DEP] <= band[2]


def _min_civil_servants_passes(
    rule: MinCivilServants, r: Row, p: Row | None, f: _Facts, i: int
) -> bool:
    limit = by_class(rule.limit, f.classes[i])
    return limit is not None and f.totals[i] >= limit


def _max_units_passes(rule: MaxUnits, r: Row, p: Row | None, f: _Facts, i: int) -> bool:
    limit = by_class(rule.limit, f.classes[i])
    return limit is not None and _count(rule.counts, i, f) <= limit


def _parent_cap_passes(rule: ParentCap, r: Row, p: Row | None, f: _Facts, i: int) -> bool:
    return p is None or r[DEP] <= p[DEP]


PASSES: dict[str, Passes] = {
    "min_civil_servants": _min_civil_servants_passes,
    "max_deputies": _max_deputies_passes,
    "max_units": _max_units_passes,
    "max_deputies_of_parent": _parent_cap_passes,
}


def add_years(day: dt.date, years: int) -> dt.date:
    """The same day `years` later (28 Feb for 29 Feb in a common year; the last day a date
    can hold when that is beyond year 9999)."""
    if day.year + years > dt.MAXYEAR:
        return dt.date.max
    try:
        return day.replace(year=day.year + years)
    except ValueError:
        return day.replace(year=day.year + years, day=28)


def _stamp(e: Entry, u: Rec, f: _Facts, found: Found, day: dt.date | None) -> Violation:
    """The finding, with what the engine adds: provenance, status, transition, message."""
    rule, book = e.rule, e.book
    basis = found.basis() if callable(found.basis) else dict(found.basis)
    basis["kind"] = rule.kind
    basis.update(e.selectors)
    basis["rulebook"] = book.id
    basis["rule"] = rule.id
    if e.replaces is not None:
        basis["amends"] = {"rulebook": e.replaces[0].id, "rule": e.replaces[1].id}
    status = found.status or ("class_unknown" if found.limit is None else "violation")
    if found.passed:
        status = "pass"
    until = None
    if status == "violation" and e.transition is not None and day is not None:
        tbook, t = e.transition
        scope = (u.id, *found.scope)
        dates = [d for d in (f.org._row(x)[REORG] for x in scope) if d is not None and d <= day]
        if dates:
            last = max(dates)
            end = add_years(last, t.years)
            basis["transition"] = {
                "id": t.id,
                "rulebook": tbook.id,
                "years": t.years,
                "reorganized": last.isoformat(),
                "until": end.isoformat(),
            }
            if day <= end:
                status, until = "transition", end
    basis["citation"] = e.cite
    label = {"name": u.name, "id": u.id}
    return Violation(
        rulebook=book.id,
        rule=rule.id,
        unit=u.id,
        path=f.org.path(u.id),
        actual=found.actual,
        limit=found.limit,
        message=finding_message(label, status, basis, "en", until=until, passed=found.passed),
        citation=e.citation_en,
        verified=rule.verified,
        status=status,
        until=until,
        basis=basis,
    )


def check(
    org: Org,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
    as_of: dt.date | str | None = None,
) -> Report:
    """Check a model against the rules in force on `as_of` (default: the model's date, else
    today), or against the rulebooks named (with what they amend).

    Raises RulebookError when no rulebook covers the date."""
    require_org(org, "check")
    as_of = as_day(as_of)
    day = as_of or org.as_of or dt.date.today()
    rules = select(rulebook, day)
    return run(org, rules, day)


_Indexed = tuple["Entry", bool, Measure, "Passes | None"]


def _index(rules: RuleSet) -> dict[tuple[Kind, Kind | None], list[_Indexed]]:
    """Rules by (unit kind, parent kind): most units meet no rule and pay one dict lookup.
    Each entry says whether levels remain to be matched, and its measure."""
    if "by_kind" in rules._index:
        cached: dict[tuple[Kind, Kind | None], list[_Indexed]] = rules._index["by_kind"]
        return cached
    index: dict[tuple[Kind, Kind | None], list[_Indexed]] = {}
    kinds = (*Kind, None)
    for e in rules.entries:
        sel = e.rule.applies_to
        levels = sel.level is not None or sel.parent_level is not None
        for k in sel.kind:
            for pk in kinds:
                if sel.parent is None or pk in sel.parent:
                    kind = e.rule.kind
                    index.setdefault((k, pk), []).append(
                        (e, levels, MEASURES[kind], PASSES.get(kind))
                    )
    rules._index["by_kind"] = index
    return index


def _applying(
    index: dict[tuple[Kind, Kind | None], list[_Indexed]],
    kind: str,
    level: str | None,
    pkind: str | None,
    plevel: str | None,
) -> tuple[tuple[Entry, Measure, Passes | None], ...]:
    """The rules (their measures, and what says a unit certainly passes) that apply to a unit
    of these kinds and levels."""
    entries = index.get((_KIND_OF[kind], None if pkind is None else _KIND_OF[pkind]), ())
    return tuple(
        (e, measure, passes)
        for e, levels, measure, passes in entries
        if not levels or e.rule.applies_to.fits(kind, level, pkind, plevel)
    )


def run(org: Org, rules: RuleSet | Sequence[Rulebook], day: dt.date | None) -> Report:
    """Every finding of the rules on the model (no date selection: the rules given)."""
    rules = as_ruleset(rules, day)
    facts = _Facts(org)
    index = _index(rules)
    found: list[Violation] = []
    rows, at = org._rows, org._index
    # the rules that apply to a unit, by its kind and level and its parent's (a few dozen keys)
    applying: dict[tuple[Any, ...], tuple[tuple[Entry, Measure, Passes | None], ...]] = {}
    for i, r in enumerate(rows):
        p = r[PARENT]
        if p is None:
            prow = None
            key: tuple[Any, ...] = (r[KIND], r[LEVEL], None, None)
        else:
            prow = rows[at[p]]
            key = (r[KIND], r[LEVEL], prow[KIND], prow[LEVEL])
        entries = applying.get(key)
        if entries is None:
            entries = applying[key] = _applying(index, *key)
        u: Rec | None = None
        for e, measure, passes in entries:
            if passes is not None and passes(e.rule, r, prow, facts, i):
                continue
            if u is None:  # the unit and its parent read by name, for a moment
                u = rec(r)
                parent = rec(prow) if prow is not None else None
            hit = measure(e.rule, u, parent, facts)
            if hit is not None and not hit.passed:
                found.append(_stamp(e, u, facts, hit, day))
    return Report(
        rulebooks=rules.ids,
        as_of=day,
        violations=tuple(found),
        units_checked=len(org),
    )


def explain(
    org: Org,
    unit: str,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
    as_of: dt.date | str | None = None,
) -> tuple[RuleSet, tuple[Check, ...]]:
    """Every rule that applies to one unit, passed or failed, each with its basis (the
    question an inspector asks: why 2 and not 3?). KeyError names an unknown unit."""
    require_org(org, "explain")
    as_of = as_day(as_of)
    day = as_of or org.as_of or dt.date.today()
    rules = select(rulebook, day)
    u = rec(org._row(unit))  # the rules read units by name from their rows
    p = u[PARENT]
    parent = None if p is None else rec(org._row(p))
    facts = _Facts(org)
    out: list[Check] = []
    for e in rules.entries:
        if e.rule.applies_to.matches(u, parent):
            hit = MEASURES[e.rule.kind](e.rule, u, parent, facts)
            if hit is None:
                continue
            out.append(Check(_stamp(e, u, facts, hit, day), hit.passed))
    return rules, tuple(out)


def deputy_limit(
    rules: RuleSet,
    unit: Unit,
    parent: Unit | None,
    cls: ProvinceClass | None,
    subtree_cs: int,
    divisions: int,
) -> tuple[int, Entry] | None:
    """The smallest maximum of deputies any `max_deputies` rule sets for the unit, or None when
    no rule covers it (or the class it needs is unknown)."""
    return deputy_limit_of(
        rules,
        unit.kind,
        unit.level,
        parent.kind if parent is not None else None,
        parent.level if parent is not None else None,
        cls,
        subtree_cs,
        divisions,
    )


# -- deputy limits by kinds (the simulation asks for one unit at a time, tens of thousands of
# times in a national plan) ----------------------------------------------------------------
_DeputyRule = tuple["Entry", MaxDeputies, Level | None, Level | None, bool]


def _deputy_index(rules: RuleSet) -> dict[tuple[Kind, Kind | None], tuple[_DeputyRule, ...]]:
    """The `max_deputies` rules by (unit kind, parent kind), in the rules' order, made once per
    RuleSet: each with the levels it still asks for and whether it measures divisions."""
    cached = rules._index.get("max_deputies")
    if cached is not None:
        out: dict[tuple[Kind, Kind | None], tuple[_DeputyRule, ...]] = cached
        return out
    index: dict[tuple[Kind, Kind | None], list[_DeputyRule]] = {}
    kinds = (*Kind, None)
    for e in rules.entries:
        r = e.rule
        if not isinstance(r, MaxDeputies):
            continue
        sel = r.applies_to
        row = (e, r, sel.level, sel.parent_level, r.measure == "divisions")
        for k in sel.kind:
            for pk in kinds:
                if sel.parent is None or pk in sel.parent:
                    index.setdefault((k, pk), []).append(row)
    out = {k: tuple(v) for k, v in index.items()}
    rules._index["max_deputies"] = out
    return out


def deputy_limit_of(
    rules: RuleSet,
    kind: Kind,
    level: Level | None,
    parent_kind: Kind | None,
    parent_level: Level | None,
    cls: ProvinceClass | None,
    subtree_cs: int,
    divisions: int,
) -> tuple[int, Entry] | None:
    """`deputy_limit` for a unit described by its kind and level and its parent's (None: no
    parent), without the unit itself: the smallest maximum of deputies, with its rule."""
    rows = _deputy_index(rules).get((kind, parent_kind))
    if not rows:
        return None
    best: tuple[int, Entry] | None = None
    for e, r, lvl, plvl, divs in rows:
        if lvl is not None and level is not lvl:
            continue
        if plvl is not None and (parent_kind is None or parent_level is not plvl):
            continue
        lim = r.max_deputies(divisions if divs else subtree_cs, cls)
        if lim is not None and (best is None or lim < best[0]):
            best = (lim, e)
    return best
