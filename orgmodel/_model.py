"""The organization model: immutable units and the immutable `Org` that holds them.

The model knows nothing of files, rules, plans or screens (the lowest layer).
"""

from __future__ import annotations

import datetime as dt
import os
import re
import unicodedata
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from enum import StrEnum
from functools import cached_property
from itertools import accumulate
from operator import itemgetter, sub
from typing import TYPE_CHECKING, Any, NamedTuple

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic_core import PydanticCustomError

from ._errors import Msg, expected_one_of, msg

if TYPE_CHECKING:
    import networkx as nx


# A unit's fields as org files, plans and tables name them ("class" is `Unit.province_class`).
FILE_FIELDS = (
    "id",
    "kind",
    "name",
    "level",
    "class",
    "civil_servants",
    "deputies",
    "head",
    "public_employees",
    "functions",
    "name_en",
    "note",
    "provinces_merged",
    "reorganized",
)


class Kind(StrEnum):
    """The closed set of unit kinds (format 1)."""

    PEOPLES_COMMITTEE = "peoples_committee"
    DEPARTMENT = "department"
    OFFICE = "office"
    INSPECTORATE = "inspectorate"
    DIVISION = "division"
    BRANCH = "branch"
    BOARD = "board"
    PUBLIC_SERVICE_UNIT = "public_service_unit"
    PARTY_COMMITTEE = "party_committee"
    PARTY_BOARD = "party_board"
    OTHER = "other"


class Level(StrEnum):
    """Level of a People's Committee."""

    PROVINCE = "province"
    DISTRICT = "district"
    COMMUNE = "commune"


class ProvinceClass(StrEnum):
    """Province class: special = Hanoi and Ho Chi Minh City; I, II, III by Resolution 1211/2016."""

    SPECIAL = "special"
    I = "I"  # noqa: E741 - the legal name of the class
    II = "II"
    III = "III"


# The validation context under which `Unit` leaves its invariants to `bulk_lawful`.
BULK: dict[str, bool] = {"bulk": True}

# No unit holds more posts than this (Viet Nam has some 250,000 civil servants in all).
MAX_COUNT = 100_000_000
MAX_MERGED = 63  # provinces one provincial committee can stand for: all there were before 2025


class Unit(BaseModel):
    """One organizational unit (a focal point). Counts are the unit's *own* posts."""

    model_config = ConfigDict(frozen=True, populate_by_name=True, extra="forbid")

    id: str
    kind: Kind
    name: str
    parent: str | None = None
    level: Level | None = None
    province_class: ProvinceClass | None = Field(default=None, alias="class")
    # strict: a count is a whole number, never a bool, a float or a numeric string
    civil_servants: int = Field(default=0, ge=0, le=MAX_COUNT, strict=True)
    deputies: int = Field(default=0, ge=0, le=MAX_COUNT, strict=True)
    head: int = Field(default=1, ge=0, le=1, strict=True)
    public_employees: int = Field(default=0, ge=0, le=MAX_COUNT, strict=True)
    functions: tuple[str, ...] = ()
    name_en: str | None = None
    note: str | None = None
    # a provincial People's Committee formed by merging this many provinces (1: not merged)
    provinces_merged: int = Field(default=1, ge=1, le=MAX_MERGED, strict=True)
    # when the reorganization that gave the unit its present shape took effect
    reorganized: dt.date | None = None

    @field_validator("reorganized", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return parse_day(v)

    @model_validator(mode="after")
    def _invariants(self, info: ValidationInfo) -> Unit:
        if info.context is BULK:  # the loader checks a whole list at once (`bulk_lawful`)
            return self
        problem = unit_problem(self, "civil_servants" in self.__pydantic_fields_set__)
        if problem is not None:
            raise PydanticCustomError(
                problem[0], problem[1], {"field": problem[2], "msg": problem[1]}
            )
        if not self.id.isascii():
            object.__setattr__(self, "id", norm_id(self.id))
        if self.parent is not None and not self.parent.isascii():
            object.__setattr__(self, "parent", norm_id(self.parent))
        return self

    def evolve(self, **changes: Any) -> Unit:
        """A copy with `changes` applied and validated again, as the loader would (attrs'
        `evolve`): ``unit.evolve(deputies=3)``. Raises pydantic's `ValidationError`."""
        data = self.model_dump(exclude_unset=True)
        data.update(changes)
        return Unit.model_validate(data)

    @property
    def leaders(self) -> int:
        """Leadership posts held: the head (if held) plus the deputies."""
        return self.head + self.deputies


# C0 and C1 control characters and DEL: YAML cannot carry them raw, terminals run them.
_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f\ud800-\udfff]")  # and lone surrogates
_CONTROL_NOTE = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")  # \t, \n allowed


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def norm_id(uid: str) -> str:
    """An id as orgmodel compares it: Unicode NFC (the same text typed on another keyboard)."""
    return uid if uid.isascii() else unicodedata.normalize("NFC", uid)


def control_char(text: str, *, note: bool = False) -> int | None:
    """The index of the first control character in `text`, or None."""
    if text.isprintable():
        return None
    m = (_CONTROL_NOTE if note else _CONTROL).search(text)
    return m.start() if m else None


def _text_problem(u: Any) -> tuple[str, Msg, str] | None:
    """The first control character in a unit's text (the slow path, taken when some text is
    not printable, which may be only a no-break space)."""
    for field in ("id", "name", "name_en", "note", "parent"):
        value = getattr(u, field)
        i = None if value is None else control_char(value, note=field == "note")
        if i is not None:
            return (
                "control_character",
                msg(
                    "control_character",
                    "{field!r} holds the control character {char} at position {position}; "
                    "remove it (names and ids are plain text)",
                    field=field,
                    char=f"U+{ord(value[i]):04X}",
                    position=i + 1,
                ),
                field,
            )
    for f in u.functions:
        if control_char(f) is not None:
            return (
                "control_character",
                msg("control_character_functions", "'functions' holds a control character"),
                "functions",
            )
    return None


def unit_problem(u: Any, civil_servants_stated: bool = True) -> tuple[str, Msg, str] | None:
    """The first invariant a unit breaks, as (code, message, field), or None. Every way of
    building a unit (the loader, the importer, the simulation, a notebook) goes through this."""
    uid = u.id
    if not uid:
        return ("id_empty", msg("id_empty", "'id' must be a non-empty text"), "id")
    name_en, note, parent = u.name_en, u.note, u.parent
    if not (
        uid.isprintable()
        and u.name.isprintable()
        and (name_en is None or name_en.isprintable())
        and (note is None or note.isprintable())
        and (parent is None or parent.isprintable())
        and (not u.functions or all(f.isprintable() for f in u.functions))
    ):
        problem = _text_problem(u)
        if problem is not None:
            return problem
    if u.kind is Kind.PEOPLES_COMMITTEE and u.level is None:
        return (
            "level_missing",
            msg(
                "level_missing",
                "People's Committee {id!r} is missing its 'level'; {expected}",
                id=uid,
                expected=expected_one_of(v.value for v in Level),
            ),
            "level",
        )
    if civil_servants_stated and u.head + u.deputies > u.civil_servants:
        return (
            "leaders_exceed_civil_servants",
            msg(
                "leaders_exceed_civil_servants",
                "unit {id!r} states {civil_servants:,} civil servants but holds {head} head and "
                "{deputies:,} deputies; civil_servants counts the leaders too, so it must be at "
                "least {least:,}",
                id=uid,
                civil_servants=u.civil_servants,
                head=u.head,
                deputies=u.deputies,
                least=u.head + u.deputies,
            ),
            "civil_servants",
        )
    if u.provinces_merged != 1 and not (
        u.kind is Kind.PEOPLES_COMMITTEE and u.level is Level.PROVINCE
    ):
        return (
            "provinces_merged",
            msg(
                "provinces_merged_not_province",
                "provinces_merged is stated on a provincial People's Committee only",
            ),
            "provinces_merged",
        )
    return None


def bulk_lawful(units: list[Unit]) -> bool:
    """Whether every unit keeps its invariants (`unit_problem`), checked for a whole list at once
    as the loader builds it: only units a cheap test cannot clear are examined one by one.

    Each unit's set of fields stated is also shared with the units stating the same fields (one
    set per shape instead of one per unit: less memory, less for the collector to walk)."""
    pc = Kind.PEOPLES_COMMITTEE
    shapes: list[set[str]] = []  # the sets of fields stated seen so far (a handful)
    setattr_ = object.__setattr__
    for u in units:
        if (
            u.head + u.deputies > u.civil_servants
            or (u.kind is pc and u.level is None)
            or u.provinces_merged != 1
            or not (u.id.isprintable() and u.name.isprintable())
            or (u.name_en is not None and not u.name_en.isprintable())
            or (u.note is not None and not u.note.isprintable())
            or (u.functions and not all(f.isprintable() for f in u.functions))
        ):  # the parent is the id of a unit before it, checked there
            stated = "civil_servants" in u.__pydantic_fields_set__
            if unit_problem(u, stated) is not None:
                return False
        fields = u.__pydantic_fields_set__
        for shape in shapes:
            if shape == fields:
                setattr_(u, "__pydantic_fields_set__", shape)
                break
        else:
            if len(shapes) < 32:
                shapes.append(fields)
    return True


_DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")


def parse_day(v: Any) -> dt.date | None:
    """A date written YYYY-MM-DD (or a date); nothing else: no times, week dates or numbers."""
    if v is None or (isinstance(v, dt.date) and not isinstance(v, dt.datetime)):
        return v
    if isinstance(v, str) and _DAY.match(v):
        try:
            return dt.date.fromisoformat(v)
        except ValueError:
            pass
    raise ValueError(msg("bad_date", "must be a date written YYYY-MM-DD, got {value!r}", value=v))


def as_day(value: Any, name: str = "as_of") -> dt.date | None:
    """A date argument of a public function: a `datetime.date`, a ``YYYY-MM-DD`` string, or
    None. Anything else is a `TypeError`; a malformed string a `ValueError`; both say why."""
    if value is None or (isinstance(value, dt.date) and not isinstance(value, dt.datetime)):
        return value
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, str):
        try:
            return parse_day(value)
        except ValueError:
            raise ValueError(
                msg(
                    "bad_date_of",
                    "{name} must be a date written YYYY-MM-DD, got {value!r}",
                    name=name,
                    value=value,
                )
            ) from None
    raise TypeError(
        f"{name} must be a datetime.date or a 'YYYY-MM-DD' string, got {type(value).__name__}"
    )


def require_org(value: Any, function: str, what: str = "first argument") -> Org:
    """`value` if it is an `Org`, else a `TypeError` saying how to get one."""
    if isinstance(value, Org):
        return value
    if isinstance(value, (str, os.PathLike)):
        hint = (
            "load the file first with orgmodel.load(path): "
            f"{function}(orgmodel.load({os.fspath(value)!r}), ...)"
        )
    else:
        hint = "build one with orgmodel.load(path) or orgmodel.loads(text)"
    raise TypeError(
        f"{function}() expects an Org as its {what}, got {type(value).__name__}; {hint}"
    )


def evolve(unit: AnyUnit, changes: dict[str, Any]) -> Unit:
    """A copy of `unit` with `changes` applied. Values must be of the field's type (internal use,
    where the simulation has checked them), but the unit's invariants are checked again
    (`ValueError` naming the broken one) unless only the parent changes. Several times cheaper
    than `model_copy`, which matters when a national plan re-parents 100,000 units."""
    if type(unit) is Rec:  # a row read by name: its unit first
        unit = unit_of(unit)
    new = object.__new__(Unit)
    object.__setattr__(new, "__dict__", {**unit.__dict__, **changes})
    fields_set = unit.__pydantic_fields_set__
    if changes.get("civil_servants", 1) == 0:  # a total of none stated is not stated
        fields_set = (fields_set | changes.keys()) - {"civil_servants"}
    elif not changes.keys() <= fields_set:
        fields_set = fields_set | changes.keys()
    # else: the set is shared (frozen units never change it): one object fewer per unit
    object.__setattr__(new, "__pydantic_fields_set__", fields_set)
    object.__setattr__(new, "__pydantic_extra__", None)
    object.__setattr__(new, "__pydantic_private__", None)
    if len(changes) > 1 or "parent" not in changes:
        if "id" in changes:
            new.__dict__["id"] = norm_id(new.id)
        problem = unit_problem(new, "civil_servants" in fields_set)
        if problem is not None:
            raise ValueError(problem[1])
    return new


class Totals(NamedTuple):
    """Sums over a set of units."""

    units: int
    civil_servants: int
    leadership_posts: int
    deputies: int
    public_employees: int


def _sum_rows(rows: Sequence[tuple[Any, ...]]) -> Totals:
    # a column at a time, at C speed (the columns' places are defined below, read when called)
    cs, dep, head, pe = (sum(map(itemgetter(k), rows)) for k in (CS, DEP, HEAD, PE))
    return Totals(len(rows), cs, head + dep, dep, pe)


# The deepest nesting of units orgmodel builds, reads and writes (an apparatus is a handful of
# levels deep; a file nesting further than this could not be read back safely).
MAX_DEPTH = 1000


def depth_problem(units: Iterable[Any]) -> Msg | None:
    """Why units in pre-order (parents first) nest too deeply to be saved and read back, or
    None."""
    depth: dict[str | None, int] = {None: 0}
    for u in units:
        d = depth[u.parent] + 1
        if d > MAX_DEPTH:
            return msg(
                "unit_too_deep",
                "unit {id!r} stands {depth} levels deep; orgmodel reads and writes at most "
                "{most} levels of units",
                id=u.id,
                depth=d,
                most=MAX_DEPTH,
            )
        depth[u.id] = d
    return None


def _frozen_children(
    children: Mapping[str | None, Sequence[str]],
) -> dict[str | None, tuple[str, ...]]:
    """Children lists as tuples: a leaf shares the empty tuple, and tuples of ids are not
    walked by the garbage collector (lists are)."""
    return {k: tuple(v) if v else () for k, v in children.items()}


# -- units at rest: rows ---------------------------------------------------------------------
#
# An `Org` holds each unit as a row: a plain tuple of its fields' values in `Unit`'s order, with
# kind, level and class as their text, and last the fields stated (a bit per field). A tuple of
# text, numbers, dates and tuples of text is not walked by the garbage collector (it untracks
# them), and it is a third of a pydantic `Unit`'s size; so a national model is a few lists for the
# collector, not 200,000 objects walked by every full pass in every later phase. The public
# `Unit` is made from its row when asked for (and kept); the rules, the graph, dump, diff and the
# simulation read rows, through `Rec` where they want names.
UNIT_FIELDS: tuple[str, ...] = tuple(Unit.model_fields)
(
    ID,
    KIND,
    NAME,
    PARENT,
    LEVEL,
    CLASS,
    CS,
    DEP,
    HEAD,
    PE,
    FUNCS,
    NAME_EN,
    NOTE,
    MERGED,
    REORG,
    STATED,
) = range(len(UNIT_FIELDS) + 1)
_BIT = {f: 1 << i for i, f in enumerate(UNIT_FIELDS)}
_CS_BIT = _BIT["civil_servants"]
_KIND_OF: dict[str | None, Any] = {k.value: k for k in Kind}
_LEVEL_OF: dict[str | None, Level | None] = {None: None, **{v.value: v for v in Level}}
_CLASS_OF: dict[str | None, ProvinceClass | None] = {
    None: None,
    **{v.value: v for v in ProvinceClass},
}
_MASKS: dict[frozenset[str], int] = {}  # a set of fields stated -> its bits
_SETS: dict[int, set[str]] = {}  # bits -> the set of fields stated (one shared set each)


def stated_mask(fields: Any) -> int:
    """The bits of a set of fields stated."""
    key = frozenset(fields)
    m = _MASKS.get(key)
    if m is None:
        m = 0
        for f in key:
            m |= _BIT.get(f, 0)
        if len(_MASKS) < 4096:
            _MASKS[key] = m
    return m


def stated_set(mask: int) -> set[str]:
    """The set of fields stated of some bits (shared: frozen units never change it)."""
    s = _SETS.get(mask)
    if s is None:
        s = {f for f, b in _BIT.items() if mask & b}
        if len(_SETS) < 4096:
            _SETS[mask] = s
    return s


def row_from(d: Mapping[str, Any], stated: int) -> tuple[Any, ...]:
    """The row of a unit given as its fields' values (a `Unit`'s ``__dict__``), `stated` the
    bits of the fields stated."""
    level, cls = d["level"], d["province_class"]
    return (
        d["id"],
        d["kind"]._value_,
        d["name"],
        d["parent"],
        None if level is None else level._value_,
        None if cls is None else cls._value_,
        d["civil_servants"],
        d["deputies"],
        d["head"],
        d["public_employees"],
        d["functions"],
        d["name_en"],
        d["note"],
        d["provinces_merged"],
        d["reorganized"],
        stated,
    )


def row_of(u: Unit) -> tuple[Any, ...]:
    """A unit's row."""
    return row_from(u.__dict__, stated_mask(u.__pydantic_fields_set__))


def rows_of(units: Iterable[Unit]) -> list[tuple[Any, ...]]:
    """The rows of many units (their sets of fields stated are mostly shared: each is turned
    into bits once)."""
    masks: dict[int, tuple[set[str], int]] = {}  # id of a set -> (the set, kept; its bits)
    out: list[tuple[Any, ...]] = []
    append = out.append
    for u in units:
        fs = u.__pydantic_fields_set__
        hit = masks.get(id(fs))
        if hit is None:
            hit = masks[id(fs)] = (fs, stated_mask(fs))
        append(row_from(u.__dict__, hit[1]))
    return out


_STATED_OF: dict[frozenset[str], int] = {}  # the keys of a unit's mapping -> bits stated


def stated_of_keys(keys: frozenset[str]) -> int:
    """The bits stated by a file mapping's keys."""
    m = _STATED_OF.get(keys)
    if m is None:
        m = stated_mask("province_class" if k == "class" else k for k in keys)
        if len(_STATED_OF) < 4096:
            _STATED_OF[keys] = m
    return m


def subtree_ends(size: int, ended: Iterable[tuple[int, int]]) -> list[int]:
    """Each of `size` rows' subtree end (`Org._ends`) from a pre-order walk's record of where
    each unit with children was left, (its place, the place after its last descendant); a
    leaf's ends after itself, and a place below 0 (the roots' parent) is passed over."""
    ends = list(range(1, size + 1))
    for at, end in ended:
        if at >= 0:
            ends[at] = end
    return ends


def fast_rows(mappings: Sequence[dict[str, Any]]) -> list[tuple[Any, ...]] | None:
    """The rows of units given as mappings of a file's keys (with `parent`, and ids already
    checked), when every value is plainly of its field's type and every unit keeps its
    invariants; None as soon as one is not, for `Unit`'s own validation to say what is wrong
    (this path only ever accepts what that validation accepts, and makes the same values)."""
    out: list[tuple[Any, ...]] = []
    append = out.append
    for d in mappings:
        r = plain_row(d, d["id"], d["parent"], stated_of_keys(frozenset(d)))
        if r is None:
            return None
        append(r)
    return out


def plain_row(
    d: dict[str, Any], uid: str, parent: str | None, stated: int
) -> tuple[Any, ...] | None:
    """The row of the unit of the file mapping `d` (its id `uid`, already checked, and its
    parent given), `stated` the bits of the fields it states, when every value is plainly of its
    field's type and the unit keeps its invariants; None when not (for `Unit`'s validation to
    say what is wrong: this accepts only what that validation accepts, with the same values)."""
    get = d.get
    kind, name = get("kind"), get("name")
    level, cls = get("level"), get("class")
    cs, dep, head, pe = (
        get("civil_servants", 0),
        get("deputies", 0),
        get("head", 1),
        get("public_employees", 0),
    )
    merged = get("provinces_merged", 1)
    funcs, name_en, note = get("functions", ()), get("name_en"), get("note")
    day = get("reorganized")
    most = MAX_COUNT
    if not (
        type(kind) is str
        and kind in _KIND_OF
        and type(name) is str
        and name.isprintable()
        and (level is None or (type(level) is str and level in _LEVEL_OF))
        and (cls is None or (type(cls) is str and cls in _CLASS_OF))
        and type(cs) is int
        and type(dep) is int
        and type(head) is int
        and type(pe) is int
        and type(merged) is int
        and 0 <= cs <= most
        and 0 <= dep <= most
        and 0 <= pe <= most
        and 0 <= head <= 1
        and (head + dep <= cs or "civil_servants" not in d)
        and (merged == 1 or (kind == "peoples_committee" and level == "province"))
        and 1 <= merged <= MAX_MERGED
        and (kind != "peoples_committee" or level is not None)
        and (name_en is None or (type(name_en) is str and name_en.isprintable()))
        and (note is None or (type(note) is str and note.isprintable()))
        and uid.isprintable()
        and (parent is None or parent.isprintable())
    ):
        return None
    if funcs:
        if type(funcs) is not list or not all(type(f) is str and f.isprintable() for f in funcs):
            return None
        funcs = tuple(funcs)
    elif funcs != ():
        if type(funcs) is not list:
            return None
        funcs = ()
    if day is not None:
        try:
            day = parse_day(day)
        except ValueError:
            return None
    return (
        uid,
        kind,
        name,
        parent,
        level,
        cls,
        cs,
        dep,
        head,
        pe,
        funcs,
        name_en,
        note,
        merged,
        day,
        stated,
    )


# -- `plain_row` written out for one set of keys -------------------------------------------
# A national file repeats a handful of key sets. For each, `row_maker` writes `plain_row` out
# with the keys absent taken as their defaults (whose checks always hold, so they are left
# out) and the keys present read by subscript: the same rows, the same refusals (a test holds
# them equal on random mappings), in about half the time. As attrs writes an `__init__`.
_ROW_KEYS = FILE_FIELDS[1:]  # the fields `plain_row` reads from the mapping (not the id)
# each one's name in the code written out (its own, but for these)
_VAR = {
    **{k: k for k in _ROW_KEYS},
    "class": "cls",
    "civil_servants": "cs",
    "deputies": "dep",
    "public_employees": "pe",
    "provinces_merged": "merged",
    "functions": "funcs",
    "reorganized": "day",
}
_DEFAULT = {
    "level": "None",
    "class": "None",
    "civil_servants": "0",
    "deputies": "0",
    "head": "1",
    "public_employees": "0",
    "provinces_merged": "1",
    "functions": "()",
    "name_en": "None",
    "note": "None",
    "reorganized": "None",
}
_MAKERS: dict[frozenset[str], Callable[..., tuple[Any, ...] | None]] = {}


def _never(d: Any, uid: Any, parent: Any, stated: Any) -> None:
    return None


def row_maker(keys: frozenset[str]) -> Callable[..., tuple[Any, ...] | None]:
    """`plain_row` for mappings with exactly these keys (a unit file's keys, known ones)."""
    made = _MAKERS.get(keys)
    if made is not None:
        return made
    if "kind" not in keys or "name" not in keys:
        return _never  # a unit needs both: `Unit`'s validation says so
    has = keys.__contains__
    v = {k: (_VAR[k] if has(k) else _DEFAULT[k]) for k in _ROW_KEYS}
    body = [f"    {_VAR[k]} = d[{k!r}]" for k in _ROW_KEYS if has(k)]
    cond = [
        "type(kind) is str",
        "kind in KINDS",
        "type(name) is str",
        "name.isprintable()",
    ]
    if has("level"):
        cond.append("(level is None or (type(level) is str and level in LEVELS))")
    if has("class"):
        cond.append("(cls is None or (type(cls) is str and cls in CLASSES))")
    for k, top in (
        ("civil_servants", "MOST"),
        ("deputies", "MOST"),
        ("public_employees", "MOST"),
        ("head", "1"),
    ):
        if has(k):
            cond += [f"type({v[k]}) is int", f"0 <= {v[k]} <= {top}"]
    if has("provinces_merged"):
        cond += [
            "type(merged) is int",
            f"(merged == 1 or (kind == 'peoples_committee' and {v['level']} == 'province'))",
            "1 <= merged <= MERGED",
        ]
    if has("civil_servants"):
        cond.append(f"{v['head']} + {v['deputies']} <= cs")
    cond.append(f"(kind != 'peoples_committee' or {v['level']} is not None)")
    for k in ("name_en", "note"):
        if has(k):
            cond.append(f"({k} is None or (type({k}) is str and {k}.isprintable()))")
    cond += ["uid.isprintable()", "(parent is None or parent.isprintable())"]
    body.append("    if not (" + " and ".join(cond) + "):\n        return None")
    if has("functions"):
        body.append(
            "    if funcs:\n"
            "        if type(funcs) is not list or not all(\n"
            "            type(f) is str and f.isprintable() for f in funcs\n"
            "        ):\n"
            "            return None\n"
            "        funcs = tuple(funcs)\n"
            "    elif funcs != ():\n"
            "        if type(funcs) is not list:\n"
            "            return None\n"
            "        funcs = ()"
        )
    if has("reorganized"):
        body.append(
            "    if day is not None:\n"
            "        try:\n"
            "            day = parse_day(day)\n"
            "        except ValueError:\n"
            "            return None"
        )
    # the row's fields in their order (`plain_row`'s return)
    row = ["uid", v["kind"], v["name"], "parent", v["level"], v["class"]]
    row += [v[k] for k in ("civil_servants", "deputies", "head", "public_employees")]
    row += [v[k] for k in ("functions", "name_en", "note", "provinces_merged", "reorganized")]
    row.append("stated")
    body.append("    return (" + ", ".join(row) + ")")
    src = "def make(d, uid, parent, stated):\n" + "\n".join(body) + "\n"
    scope: dict[str, Any] = {
        "KINDS": _KIND_OF,
        "LEVELS": _LEVEL_OF,
        "CLASSES": _CLASS_OF,
        "MOST": MAX_COUNT,
        "MERGED": MAX_MERGED,
        "parse_day": parse_day,
    }
    exec(compile(src, f"<orgmodel row maker {sorted(keys)}>", "exec"), scope)
    made = scope["make"]
    if len(_MAKERS) < 4096:
        _MAKERS[keys] = made
    return made  # type: ignore[no-any-return]


_new = object.__new__
_set = object.__setattr__


def unit_of(row: tuple[Any, ...]) -> Unit:
    """The public `Unit` of a row (its values are of their types: no validation)."""
    u = _new(Unit)
    _set(
        u,
        "__dict__",
        {
            "id": row[0],
            "kind": _KIND_OF[row[1]],
            "name": row[2],
            "parent": row[3],
            "level": _LEVEL_OF[row[4]],
            "province_class": _CLASS_OF[row[5]],
            "civil_servants": row[6],
            "deputies": row[7],
            "head": row[8],
            "public_employees": row[9],
            "functions": row[10],
            "name_en": row[11],
            "note": row[12],
            "provinces_merged": row[13],
            "reorganized": row[14],
        },
    )
    _set(u, "__pydantic_fields_set__", stated_set(row[15]))
    _set(u, "__pydantic_extra__", None)
    _set(u, "__pydantic_private__", None)
    return u


class Rec(tuple):  # type: ignore[type-arg]
    """A row read by name, as a `Unit` is (kind, level and class as their enum members): made
    for a moment where code written for units reads rows."""

    __slots__ = ()

    id = property(itemgetter(ID))
    name = property(itemgetter(NAME))
    parent = property(itemgetter(PARENT))
    civil_servants = property(itemgetter(CS))
    deputies = property(itemgetter(DEP))
    head = property(itemgetter(HEAD))
    public_employees = property(itemgetter(PE))
    functions = property(itemgetter(FUNCS))
    name_en = property(itemgetter(NAME_EN))
    note = property(itemgetter(NOTE))
    provinces_merged = property(itemgetter(MERGED))
    reorganized = property(itemgetter(REORG))

    @property
    def kind(self) -> Kind:
        return _KIND_OF[self[KIND]]  # type: ignore[no-any-return]

    @property
    def level(self) -> Level | None:
        return _LEVEL_OF[self[LEVEL]]

    @property
    def province_class(self) -> ProvinceClass | None:
        return _CLASS_OF[self[CLASS]]

    @property
    def leaders(self) -> int:
        return self[HEAD] + self[DEP]  # type: ignore[no-any-return]

    @property
    def __pydantic_fields_set__(self) -> set[str]:
        return stated_set(self[STATED])

    model_fields_set = __pydantic_fields_set__


_rec = tuple.__new__

# a unit as code that reads units takes it: a `Unit`, or a row read by name
AnyUnit = Unit | Rec


def rec(row: tuple[Any, ...]) -> Rec:
    """A row read by name."""
    return _rec(Rec, row)


class Org:
    """An immutable organization model: units in file order (pre-order), linked by parent id.

    Build one with `orgmodel.load`/`loads`, or `Org(units, name=..., as_of=...)` from units whose
    parents precede them or appear anywhere in the same sequence.
    """

    __slots__ = ("__dict__", "_children", "_index", "_rows", "as_of", "name")

    name: str
    as_of: dt.date | None
    _rows: tuple[tuple[Any, ...], ...]  # each unit's row (`row_of`), in pre-order
    _index: dict[str, int]  # id -> its row's place
    _children: dict[str | None, tuple[str, ...]]

    def __init__(self, units: Iterable[Unit], *, name: str = "", as_of: dt.date | None = None):
        if not isinstance(name, str):
            raise TypeError(f"an Org's name is text, got {type(name).__name__}")
        if not name.isprintable() and _SURROGATE.search(name):
            raise ValueError(
                msg("name_surrogate", "an Org's name holds a lone surrogate (not text)")
            )
        as_of = as_day(as_of)
        by_id: dict[str, Unit] = {}
        children: dict[str | None, list[str]] = {None: []}
        for u in units:
            if not isinstance(u, Unit):
                raise TypeError(
                    f"an Org is built from Unit objects, got {type(u).__name__}; "
                    "e.g. Unit(id='a', kind='department', name='...')"
                )
            if u.id in by_id:
                raise ValueError(msg("duplicate_unit_id", "duplicate unit id {id!r}", id=u.id))
            by_id[u.id] = u
            children[u.id] = []
        for u in by_id.values():
            if u.parent is not None and u.parent not in by_id:
                raise ValueError(
                    msg(
                        "unknown_parent_of",
                        "unit {id!r} names unknown parent {parent!r}",
                        id=u.id,
                        parent=u.parent,
                    )
                )
            children[u.parent].append(u.id)
        # Units are kept in pre-order (parents first, siblings in the given order), so a model
        # equals its own round trip through a file whatever order it was built in.
        ordered: list[Unit] = []
        stack = list(reversed(children[None]))
        while stack:
            cur = stack.pop()
            ordered.append(by_id[cur])
            stack.extend(reversed(children[cur]))
        if len(ordered) != len(by_id):
            raise ValueError(msg("parent_cycle", "the parent links form a cycle"))
        problem = depth_problem(ordered)
        if problem is not None:
            raise ValueError(problem)
        _init(self, name, as_of, tuple(rows_of(ordered)), children)
        # the units given are the model's units (kept: they exist already)
        self.__dict__.update(_units=tuple(ordered), _by_id=by_id)

    @classmethod
    def _trusted(
        cls,
        units: list[Unit],
        children: Mapping[str | None, Sequence[str]],
        *,
        name: str = "",
        as_of: dt.date | None = None,
    ) -> Org:
        """Build from units already in pre-order with unique ids and their children lists (as the
        loader produces them), skipping the checks and the ordering pass."""
        self = object.__new__(cls)
        _init(self, name, as_of, tuple(rows_of(units)), children)
        self.__dict__["_units"] = tuple(units)  # made already: kept
        return self

    @classmethod
    def _from_rows(
        cls,
        rows: Sequence[tuple[Any, ...]],
        children: Mapping[str | None, Sequence[str]],
        *,
        name: str = "",
        as_of: dt.date | None = None,
        frozen: bool = False,
        ends: list[int] | None = None,
        index: dict[str, int] | None = None,
    ) -> Org:
        """Build from rows (`row_of`) already in pre-order with unique ids and their children
        lists, skipping the checks and the ordering pass (the loader, the simulation).
        `frozen`: the children lists are tuples already (a leaf's may be any empty tuple);
        `ends`: each row's subtree end, when known (`_ends`); `index`: each id's place."""
        self = object.__new__(cls)
        _init(self, name, as_of, tuple(rows), children, frozen, index)
        if ends is not None:
            self.__dict__["_ends"] = ends
        return self

    # -- the public units, made from the rows when asked for ------------------------------
    @property
    def _units(self) -> tuple[Unit, ...]:
        """All units as `Unit`s (made from the rows once, then kept)."""
        units = self.__dict__.get("_units")
        if units is None:
            made = self.__dict__.get("_made")
            if made:
                units = tuple(made.get(i) or unit_of(r) for i, r in enumerate(self._rows))
            else:
                units = tuple(map(unit_of, self._rows))
            self.__dict__["_units"] = units
            self.__dict__.pop("_made", None)
        return units

    @property
    def _by_id(self) -> dict[str, Unit]:
        """Id -> unit (made once)."""
        by = self.__dict__.get("_by_id")
        if by is None:
            by = self.__dict__["_by_id"] = dict(
                zip(map(_ROW_ID, self._rows), self._units, strict=True)
            )
        return by

    def _unit_at(self, i: int) -> Unit:
        """The unit of row `i` (made once: the same object every time it is asked for)."""
        units = self.__dict__.get("_units")
        if units is not None:
            return units[i]  # type: ignore[no-any-return]
        made = self.__dict__.get("_made")
        if made is None:
            made = self.__dict__["_made"] = {}
        u = made.get(i)
        if u is None:
            u = made[i] = unit_of(self._rows[i])
        return u

    def _row(self, uid: str) -> tuple[Any, ...]:
        """The row of a unit by id (KeyError naming it if there is none)."""
        return self._rows[self._index_of(uid)]

    def _index_of(self, uid: Any) -> int:
        i = self._index.get(uid)
        if i is None:
            if isinstance(uid, str):
                i = self._index.get(norm_id(uid))
            if i is None:
                raise KeyError(f"no unit with id {uid!r}") from None
        return i

    def __setattr__(self, key: str, value: Any) -> None:
        raise AttributeError("Org is immutable; simulate a plan to get a changed model")

    def __delattr__(self, key: str) -> None:
        raise AttributeError("Org is immutable")

    # An Org pickles as its units, name and date (caches and the graph are made again when
    # asked for); copies share its immutable state.
    def __reduce__(self) -> tuple[Any, ...]:
        return (_rebuild, (self._rows, self.name, self.as_of))

    def __copy__(self) -> Org:
        return self

    def __deepcopy__(self, memo: dict[int, Any]) -> Org:
        return self

    # -- identity -------------------------------------------------------------------------
    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Org):
            return NotImplemented
        if (self.name, self.as_of) != (other.name, other.as_of):
            return False
        if self._rows == other._rows:
            return True
        # units are equal whatever fields they state (as pydantic's models are)
        return len(self._rows) == len(other._rows) and all(
            a == b or a[:STATED] == b[:STATED] for a, b in zip(self._rows, other._rows, strict=True)
        )

    def __hash__(self) -> int:
        return hash((self.name, self.as_of, len(self._rows)))

    def __repr__(self) -> str:
        return f"<Org {self.name!r} as_of={self.as_of} units={len(self._rows)}>"

    def replace(self, **changes: Any) -> Org:
        """A copy with `name`, `as_of` or `units` replaced."""
        return Org(
            changes.get("units", self._units),
            name=changes.get("name", self.name),
            as_of=changes.get("as_of", self.as_of),
        )

    # -- lookup ---------------------------------------------------------------------------
    @property
    def units(self) -> tuple[Unit, ...]:
        """All units, parents before children (pre-order of the file)."""
        return self._units

    def __len__(self) -> int:
        return len(self._rows)

    def __iter__(self) -> Iterator[Unit]:
        return iter(self._units)

    # ids are compared after NFC normalization: a lookup typed on another keyboard finds them
    def __contains__(self, uid: object) -> bool:
        return uid in self._index or (isinstance(uid, str) and norm_id(uid) in self._index)

    def __getitem__(self, uid: str) -> Unit:
        return self._unit_at(self._index_of(uid))

    def get(self, uid: str) -> Unit | None:
        i = self._index.get(uid)
        if i is None and isinstance(uid, str):
            i = self._index.get(norm_id(uid))
        return None if i is None else self._unit_at(i)

    @property
    def ids(self) -> Mapping[str, Unit]:
        """Read-only mapping id -> unit."""
        from types import MappingProxyType

        return MappingProxyType(self._by_id)

    @property
    def roots(self) -> tuple[Unit, ...]:
        return tuple(map(self.__getitem__, self._children[None]))

    def parent(self, uid: str) -> Unit | None:
        p = self._row(uid)[PARENT]
        return None if p is None else self[p]

    def children(self, uid: str) -> tuple[Unit, ...]:
        i = self._index_of(uid)
        return tuple(map(self.__getitem__, self._children[self._rows[i][ID]]))

    def child_ids(self, uid: str | None) -> tuple[str, ...]:
        return tuple(self._children[uid])

    def ancestors(self, uid: str) -> tuple[Unit, ...]:
        """Ancestors, nearest first."""
        out = []
        p = self._row(uid)[PARENT]
        index, rows = self._index, self._rows
        while p is not None:
            i = index[p]
            out.append(self._unit_at(i))
            p = rows[i][PARENT]
        return tuple(out)

    def path(self, uid: str) -> tuple[str, ...]:
        """Names from the root down to the unit."""
        rows, index = self._rows, self._index
        r = self._row(uid)
        names = [r[NAME]]
        while r[PARENT] is not None:
            r = rows[index[r[PARENT]]]
            names.append(r[NAME])
        return tuple(reversed(names))

    def depth(self, uid: str) -> int:
        return len(self.ancestors(uid))

    def subtree(self, uid: str) -> tuple[Unit, ...]:
        """The unit and all its descendants, in pre-order."""
        return tuple(map(self._unit_at, self._subtree_rows(uid)))

    def _subtree_rows(self, uid: str) -> range:
        """The places of the rows of a unit and its descendants, in pre-order: a unit's
        descendants follow it in the model's order, up to its end (`_ends`)."""
        i = self._index_of(uid)
        return range(i, self._ends[i])

    @property
    def _ends(self) -> list[int]:
        """For each row, the place after its last descendant (its subtree is the rows from it
        to there, the model being in pre-order): given by the loader's walk, else made here
        once, children before parents."""
        ends = self.__dict__.get("_ends")
        if ends is None:
            rows, index = self._rows, self._index
            up = list(map(index.get, map(_ROW_PARENT, rows)))
            ends = list(range(1, len(rows) + 1))
            for i in range(len(up) - 1, -1, -1):
                p = up[i]
                if p is not None and ends[p] < ends[i]:
                    ends[p] = ends[i]
            self.__dict__["_ends"] = ends
        return ends

    def of_kind(self, kind: Kind | str) -> tuple[Unit, ...]:
        k = Kind(kind).value
        return tuple(self._unit_at(i) for i, r in enumerate(self._rows) if r[KIND] == k)

    units_by_kind = by_kind = of_kind

    def province_class(self, uid: str) -> ProvinceClass | None:
        """The class stated on the unit or inherited from its nearest ancestor that states one
        (None: none is, or there is no such unit)."""
        i = self._index.get(uid)
        if i is None:
            try:
                i = self._index_of(uid)
            except KeyError:
                return None
        return self._by_place[0][i]

    @property
    def _by_place(self) -> tuple[list[ProvinceClass | None], list[int]]:
        """Each row's class (stated or inherited) and its subtree's civil servants (the unit's
        own included), by the row's place: made once, in one pass by position (lists in the
        loop) and prefix sums (at C speed). Read only."""
        made = self.__dict__.get("_by_place")
        if made is not None:
            return made  # type: ignore[no-any-return]
        rows, index = self._rows, self._index
        up = list(map(index.get, map(_ROW_PARENT, rows)))  # each parent's place (None: a top)
        cls = list(map(_ROW_CLASS, rows))  # the class stated, then the class in force
        # pre-order: a parent's class is known before its children's
        for i, p in enumerate(up):
            if cls[i] is None and p is not None:
                cls[i] = cls[p]
        # a subtree's total: the prefix sums of the civil servants at its end and its start
        upto = [0, *accumulate(map(_ROW_CS, rows))]
        totals = list(map(sub, map(upto.__getitem__, self._ends), upto))
        made = self.__dict__["_by_place"] = (list(map(_CLASS_OF.__getitem__, cls)), totals)
        return made

    def _class_source(self, uid: str) -> str | None:
        """The unit the class of `uid` is stated on (itself or its nearest ancestor), or None."""
        rows, index = self._rows, self._index
        r = rows[index[uid]]
        while r[CLASS] is None:
            if r[PARENT] is None:
                return None
            r = rows[index[r[PARENT]]]
        return r[ID]  # type: ignore[no-any-return]

    @property
    def _classes(self) -> dict[str, ProvinceClass | None]:
        """The class of each unit, stated or inherited, by id. Read only."""
        if "_classes" not in self.__dict__:
            self.__dict__["_classes"] = dict(zip(self._index, self._by_place[0], strict=True))
        return self.__dict__["_classes"]  # type: ignore[no-any-return]

    @property
    def _subtree_cs(self) -> dict[str, int]:
        """The civil servants of each unit's subtree (the unit's own included), by id. Read
        only."""
        if "_subtree_cs" not in self.__dict__:
            self.__dict__["_subtree_cs"] = dict(zip(self._index, self._by_place[1], strict=True))
        return self.__dict__["_subtree_cs"]  # type: ignore[no-any-return]

    # -- totals ---------------------------------------------------------------------------
    def totals(self, uid: str | None = None) -> Totals:
        """Units, civil servants, leadership posts (heads + deputies) of the model or a subtree."""
        rows = self._rows
        if uid is None:
            return _sum_rows(rows)
        i = self._index_of(uid)
        return _sum_rows(rows[i : self._ends[i]])  # the subtree: its rows, in a slice

    # -- tables ---------------------------------------------------------------------------
    def to_frame(self) -> Any:
        """One row per unit (pandas DataFrame; needs the `pandas` extra)."""
        from ._pandas import frame

        cols = ["id", "parent", *FILE_FIELDS[1:], "province_class", "depth"]
        depth: dict[str | None, int] = {None: -1}
        rows = []
        for u in self._units:
            depth[u.id] = depth[u.parent] + 1
            cls = self.province_class(u.id)
            rows.append(
                {
                    "id": u.id,
                    "parent": u.parent,
                    "kind": u.kind.value,
                    "name": u.name,
                    "level": u.level.value if u.level else None,
                    "class": u.province_class.value if u.province_class else None,
                    "province_class": cls.value if cls else None,
                    "civil_servants": u.civil_servants,
                    "deputies": u.deputies,
                    "head": u.head,
                    "public_employees": u.public_employees,
                    "functions": ", ".join(u.functions),
                    "name_en": u.name_en,
                    "note": u.note,
                    "provinces_merged": u.provinces_merged,
                    "reorganized": u.reorganized,
                    "depth": depth[u.id],
                }
            )
        return frame(rows, cols)

    # -- graph ----------------------------------------------------------------------------
    @cached_property
    def graph(self) -> nx.DiGraph:
        """A networkx DiGraph, parent -> child edges, unit fields as node attributes (kind,
        level and class as text: ``g.nodes["hp"]["kind"] == "peoples_committee"``).

        Frozen: queries cannot change it (its nodes' and edges' attributes refuse writes too).
        It reads the model directly (`_graph`): made on first use at no cost per unit, each
        node's attributes and neighbours made when asked for; a copy of it is an ordinary graph.
        """
        from ._graph import graph

        return graph(self.name, self._rows, self._index, self._children)


def _rebuild(rows: tuple[tuple[Any, ...], ...], name: str, as_of: dt.date | None) -> Org:
    """An `Org` read back by pickle: its rows are in pre-order with unique ids already."""
    children: dict[str | None, list[str]] = {None: []}
    for r in rows:
        children[r[ID]] = []
        children[r[PARENT]].append(r[ID])
    return Org._from_rows(rows, children, name=name, as_of=as_of)


_ROW_ID = itemgetter(ID)
_ROW_PARENT = itemgetter(PARENT)
_ROW_CLASS = itemgetter(CLASS)
_ROW_CS = itemgetter(CS)


def _init(
    org: Org,
    name: str,
    as_of: dt.date | None,
    rows: tuple[tuple[Any, ...], ...],
    children: Mapping[str | None, Sequence[str]],
    frozen: bool = False,
    index: dict[str, int] | None = None,
) -> None:
    _set(org, "name", name)
    _set(org, "as_of", as_of)
    _set(org, "_rows", rows)
    if index is None:
        index = dict(zip(map(_ROW_ID, rows), range(len(rows)), strict=True))
    _set(org, "_index", index)
    _set(org, "_children", children if frozen else _frozen_children(children))
