"""Restructuring plans (format ``orgmodel-plan/1``): the steps and their loading.

Steps use the Vietnamese legal words' meanings: merge = hợp nhất (several units become one),
absorb = sáp nhập (a unit folds into one that remains), dissolve = giải thể, move = điều chuyển,
rename = đổi tên, split = chia, tách (a unit divided among several, new or existing);
`set` changes a unit's staffing, `create` sets up a new unit; transfer = điều động (deputy
heads who move to another unit with their civil-servant posts).
"""

from __future__ import annotations

import datetime as dt
import math
import os
from contextvars import ContextVar
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    field_validator,
    model_validator,
)

from ._errors import Msg, PlanError, expected_one_of, field_ref, msg
from ._io import read_text
from ._load import _Bad, _what, check_keys, located, not_text, parse_document, suggest
from ._model import FILE_FIELDS, MAX_COUNT, Kind, Level, ProvinceClass, norm_id, parse_day

PLAN_FORMAT = "orgmodel-plan/1"
TOP_KEYS = ("format", "name", "effective", "steps", "note")
OPS = ("merge", "absorb", "dissolve", "move", "rename", "set", "create", "split", "transfer")
# the keys each step may hold besides its operation key
STEP_KEYS: dict[str, tuple[str, ...]] = {
    "merge": ("into", "note"),
    "absorb": ("into", "note"),
    "dissolve": ("staff_to", "note"),
    "move": ("to", "note"),
    "rename": ("name", "name_en", "note"),
    "set": (
        "civil_servants",
        "deputies",
        "head",
        "public_employees",
        "class",
        "functions",
        "name_en",
        "note",
        "kind",
        "level",
        "provinces_merged",
        "reorganized",
    ),
    "create": ("note",),
    "split": ("into", "successor", "note"),
    "transfer": ("to", "deputies", "civil_servants", "note"),
}
REQUIRED: dict[str, tuple[str, ...]] = {
    "absorb": ("into",),
    "split": ("into",),
    "move": ("to",),
    "rename": ("name",),
    "transfer": ("to",),
}
UNIT_FIELDS = (*FILE_FIELDS[:3], "parent", *FILE_FIELDS[3:])
# a part of a split: its share decides its staff, the successor takes the leaders
PART_COUNTS = ("civil_servants", "public_employees", "head", "deputies")
PART_FIELDS = tuple(k for k in UNIT_FIELDS if k != "id" and k not in PART_COUNTS)
PART_KEYS = ("id", "share", "children", *PART_FIELDS)
SHARE_TOLERANCE = 1e-9


class UnitFields(BaseModel):
    """Fields a plan gives a new or changed unit (every one optional; checked like the org file)."""

    model_config = ConfigDict(frozen=True, extra="forbid", populate_by_name=True, strict=False)

    id: str | None = None
    kind: Kind | None = None
    name: str | None = None
    parent: str | None = None
    level: Level | None = None
    province_class: ProvinceClass | None = None
    civil_servants: int | None = None
    deputies: int | None = None
    head: int | None = None
    public_employees: int | None = None
    functions: tuple[str, ...] | None = None
    name_en: str | None = None
    note: str | None = None
    provinces_merged: int | None = Field(default=None, ge=1, le=63, strict=True)
    reorganized: dt.date | None = None

    @field_validator("reorganized", mode="before")
    @classmethod
    def _date(cls, v: Any) -> Any:
        return parse_day(v)

    def given(self) -> dict[str, Any]:
        """The fields the plan states (as Unit field names)."""
        return {k: v for k, v in self.__dict__.items() if v is not None}


class Part(BaseModel):
    """One part of a `split` step: a unit that receives a share of the split unit. A new unit
    when `id` names no existing unit (or names the split unit itself), then `fields` are its own
    (defaults: the split unit's); an existing unit otherwise (then `fields` stay empty).
    `share` is its part of the civil servants and public employees (every part states one, or
    none does: even parts); `children` are direct children of the split unit it receives."""

    model_config = ConfigDict(frozen=True, extra="forbid")

    id: str
    share: float | None = Field(default=None, strict=True)  # a number, never "0.5" or True
    fields: UnitFields = UnitFields()
    children: tuple[str, ...] = ()

    @model_validator(mode="before")
    @classmethod
    def _unit_fields(cls, data: Any) -> Any:
        """A new part's fields may be given as keywords: ``Part(id="a", name="Xã A")``."""
        if not isinstance(data, dict):
            return data
        own = {
            k: v
            for k, v in data.items()
            if k in PART_FIELDS or k in PART_COUNTS or k == "province_class"
        }
        if not own:
            return data
        rest = {k: v for k, v in data.items() if k not in own}
        base = rest.get("fields")
        if isinstance(base, UnitFields):
            own = {**base.given(), **own}
        elif isinstance(base, dict):
            own = {**base, **own}
        rest["fields"] = UnitFields.model_validate(own)
        return rest

    @field_validator("id")
    @classmethod
    def _norm_id(cls, v: str) -> str:
        if not v:
            raise ValueError(SPLIT_PART_NEEDS_ID)
        return norm_id(v)

    @field_validator("children")
    @classmethod
    def _norm_children(cls, v: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(norm_id(c) for c in v)

    @model_validator(mode="after")
    def _shape(self) -> Part:
        if self.share is not None and not share_ok(self.share):
            raise ValueError(share_invalid(self.share))
        if self.fields.id is not None:
            raise ValueError(part_takes_no("id"))
        for k in PART_COUNTS:
            if getattr(self.fields, k) is not None:
                raise ValueError(part_takes_no(k))
        return self


class Step(BaseModel):
    """One plan step. `units` are the ids it acts on; `target` the absorb/move/staff_to id, or
    a split's successor; `parts` the parts of a split."""

    model_config = ConfigDict(frozen=True)

    op: Literal[
        "merge", "absorb", "dissolve", "move", "rename", "set", "create", "split", "transfer"
    ]
    units: tuple[str, ...] = ()
    target: str | None = None
    fields: UnitFields = UnitFields()
    parts: tuple[Part, ...] = ()
    note: str | None = None
    line: int | None = None  # where the step starts in its file

    @model_validator(mode="after")
    def _shape(self) -> Step:
        """What every step of its kind needs, however it is built (a file or Python)."""
        op, n, f = self.op, len(self.units), self.fields
        if op != "split" and self.parts:
            raise ValueError(msg("parts_not_split", "only a split step has parts"))
        if op == "merge":
            if n < 2:
                raise ValueError(merge_too_few(n))
            if len(set(self.units)) != n:
                raise ValueError(MERGE_TWICE)
        elif op == "create":
            if n:
                raise ValueError(
                    msg(
                        "create_names_units",
                        "a create step names no existing units; give its fields",
                    )
                )
            for k in ("id", "kind", "name"):
                if getattr(f, k) is None:
                    raise ValueError(created_needs(k))
            if f.kind is Kind.PEOPLES_COMMITTEE and f.level is None:
                raise ValueError(CREATED_PC_NEEDS_LEVEL)
        elif n != 1:
            raise ValueError(
                msg(
                    "step_one_unit",
                    "a {op} step acts on exactly one unit, got {n}",
                    op=op,
                    n=n,
                )
            )
        if op == "split":
            if f.given():
                raise ValueError(
                    msg(
                        "split_fields",
                        "a split step gives fields to its parts in 'into', not to the step",
                    )
                )
            problem = split_problem(self.parts, self.target)
            if problem is not None:
                raise ValueError(problem[0])
            return self
        if op == "transfer":
            found = transfer_problem(self.units[0], self.target, f)
            if found is not None:
                raise ValueError(found[0])
            return self
        if op in ("absorb", "move") and self.target is None:
            where = "into" if op == "absorb" else "to"
            raise ValueError(
                msg(
                    "step_needs_place",
                    "a {op} step needs {key!r}: the unit's new place",
                    op=op,
                    key=where,
                )
            )
        if op == "rename" and not f.name:
            raise ValueError(msg("rename_needs_name", "a rename step needs a non-empty 'name'"))
        return self

    def describe(self, index: int, line: int | None = None) -> Msg:
        return step_place(index, self.op, line or self.line)


class Plan(BaseModel):
    model_config = ConfigDict(frozen=True)

    name: str = ""
    effective: dt.date | None = None
    steps: tuple[Step, ...] = ()
    note: str | None = None  # the plan's own note (what it is for, what it leaves)

    @field_validator("effective", mode="before")
    @classmethod
    def _day(cls, v: Any) -> Any:
        return parse_day(v)

    source: str | None = None
    _text: str | None = PrivateAttr(default=None)
    _lines: list[int] | None = PrivateAttr(default=None)

    def step_line(self, index: int) -> int | None:
        """The line where step `index` starts in its file: found by re-reading the file, only
        when an error needs it (a national plan has 10,000+ steps)."""
        step = self.steps[index]
        if step.line is not None:
            return step.line
        if self._text is None:
            return None
        if self._lines is None:
            from . import _yaml

            self._lines = _yaml.item_lines(self._text, ("steps",))
        return self._lines[index] if index < len(self._lines) else None


def load_plan(path: str | os.PathLike[str]) -> Plan:
    """Load a plan file. Raises `PlanError` with file and line when it is broken."""
    name = os.fspath(path)
    return loads_plan(read_text(path, PlanError), source=name)


def loads_plan(text: str, *, source: str | None = None) -> Plan:
    """Read a plan from its text. Every field of every step is checked here: a wrong value is a
    `PlanError` at its line and column, naming the step (number, kind and line)."""
    if not isinstance(text, str):
        raise TypeError(
            f"loads_plan() expects the plan's text (got {type(text).__name__}); "
            "read a file with orgmodel.load_plan(path)"
        )
    data = parse_document(text, source, error=PlanError)
    token = _WRITTEN.set(_Written(text))
    try:
        plan = _build(data, source)
    except _Bad as bad:
        step = getattr(bad, "step", None)
        if step is not None:
            from . import _yaml

            where = _yaml.locate(text, ("steps", step[0]))
            op = f"{step[1]}" if step[1] else "step"
            bad.message = bad.message.within(step_place(step[0], op, where[0] if where else None))
        raise located(bad, text, source, PlanError) from None
    finally:
        _WRITTEN.reset(token)
    plan._text = text
    return plan


class _Written:
    """The plain scalars of a plan's text as written, read (once) when an id is a number."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.raw: dict[tuple[str | int, ...], str] | None = None

    def get(self, path: tuple[str | int, ...]) -> str | None:
        if self.raw is None:
            from . import _yaml

            self.raw = _yaml.plain_scalars(self.text)
        return self.raw.get(path)


_WRITTEN: ContextVar[_Written | None] = ContextVar("orgmodel_plan_text", default=None)


def _id(v: Any, path: tuple[str | int, ...], what: Msg) -> str:
    # an id written as a number is the text written: ``007`` names the unit "007"
    if type(v) in (int, float):
        written = _WRITTEN.get()
        raw = written.get(path) if written is not None else None
        return norm_id(raw) if raw else str(v)
    if not isinstance(v, str) or not v:
        raise _Bad(
            msg(
                "not_unit_id", "{what} must be a unit id (text), got {got}", what=what, got=_what(v)
            ),
            path,
        )
    return norm_id(v)


def _text(v: Any, path: tuple[str | int, ...], what: Msg, *, empty: bool = True) -> str:
    if not isinstance(v, str) or (not empty and not v):
        if empty:
            m = msg("must_be_text", "{what} must be text, got {got}", what=what, got=_what(v))
        else:
            m = msg(
                "must_be_nonempty_text",
                "{what} must be non-empty text, got {got}",
                what=what,
                got=_what(v),
            )
        raise _Bad(m, path)
    return v


def step_place(index: int, op: str, line: int | None) -> Msg:
    """ "step 3 (merge, line 12)", placing a message about a step."""
    if line:
        return msg("step_at", "step {n} ({op}, line {line})", n=index + 1, op=op, line=line)
    return msg("step_n", "step {n} ({op})", n=index + 1, op=op)


def merge_too_few(n: int) -> Msg:
    return msg("merge_too_few", "merging needs at least two units, got {n}", n=n)


def created_needs(key: str) -> Msg:
    return msg("created_needs", "a created unit needs {key}", key=field_ref(key))


MERGE_TWICE = msg("merge_twice", "a unit is listed twice in 'merge'")
SPLIT_PART_NEEDS_ID = msg("split_part_needs_id", "a part of a split needs 'id'")


def share_ok(v: float) -> bool:
    return math.isfinite(v) and 0 < v <= 1


def share_invalid(v: Any) -> Msg:
    return msg(
        "split_share_invalid",
        "'share' must be a number above 0 and at most 1, got {got}",
        got=_what(v),
    )


def part_takes_no(key: str) -> Msg:
    if key == "id":
        return msg(
            "split_part_fields_id", "a part's id is given once, as 'id', not among its fields"
        )
    return msg(
        "split_part_count",
        "a part of a split takes no {key!r}: the shares divide the civil servants and public "
        "employees, and the successor takes the leaders",
        key=key,
    )


def split_problem(
    parts: tuple[Part, ...], successor: str | None
) -> tuple[Msg, tuple[Any, ...]] | None:
    """What is wrong with a split's parts and successor, and where (a path under the step:
    ``("into", j, "id")``), or None. The same checks whether the step comes from a file or
    from Python."""
    if not parts:
        return msg("split_no_parts", "a split step needs at least one part in 'into'"), ("into",)
    seen: dict[str, int] = {}
    for j, p in enumerate(parts):
        if p.id in seen:
            return (
                msg("split_part_twice", "part {id!r} is listed twice in 'into'", id=p.id),
                ("into", j, "id"),
            )
        seen[p.id] = j
    stated = [p.share for p in parts if p.share is not None]
    if stated and len(stated) != len(parts):
        j = next(j for j, p in enumerate(parts) if p.share is None)
        return (
            msg(
                "split_shares_mixed",
                "either every part states 'share' or none does (then the parts are even); "
                "{given} of {n} do",
                given=len(stated),
                n=len(parts),
            ),
            ("into", j),
        )
    if stated:
        total = math.fsum(stated)
        if abs(total - 1) > SHARE_TOLERANCE:
            return (
                msg(
                    "split_shares_sum",
                    "the shares add up to {total}, not 1",
                    total=f"{total:.12g}",
                ),
                ("into",),
            )
    given: set[str] = set()
    for j, p in enumerate(parts):
        for c, child in enumerate(p.children):
            if child in given:
                return (
                    msg(
                        "split_child_twice",
                        "child {id!r} is given to more than one part",
                        id=child,
                    ),
                    ("into", j, "children", c),
                )
            given.add(child)
    if successor is not None and norm_id(successor) not in seen:
        return (
            msg(
                "split_successor_not_part",
                "successor {id!r} is not one of the parts ({parts})",
                id=successor,
                parts=", ".join(repr(p.id) for p in parts),
            ),
            ("successor",),
        )
    return None


TRANSFER_KEYS = ("deputies", "civil_servants")


def transfer_counts(step: Step) -> tuple[int, int]:
    """(deputies, civil servants) a transfer step moves: civil servants default to the
    deputies (the movers' own posts)."""
    n = step.fields.deputies or 0
    m = step.fields.civil_servants
    return n, n if m is None else m


def transfer_problem(
    unit: str, target: str | None, f: UnitFields
) -> tuple[Msg, tuple[str, ...]] | None:
    """What is wrong with a transfer step's own figures, and where (the key under the step), or
    None. The same checks whether the step comes from a file or from Python; what depends on
    the model (the units, what they hold) is checked when it is applied."""
    if target is None:
        return msg("step_needs", "a {op} step needs {key!r}", op="transfer", key="to"), ()
    extra = [k for k in f.given() if k not in TRANSFER_KEYS]
    if extra:
        return (
            msg(
                "transfer_fields",
                "a transfer step takes only 'deputies' and 'civil_servants', not {keys}",
                keys=", ".join(repr("class" if k == "province_class" else k) for k in extra),
            ),
            (),
        )
    if norm_id(target) == norm_id(unit):
        return (
            msg("transfer_itself", "cannot transfer people from {id!r} to itself", id=unit),
            ("to",),
        )
    n = f.deputies or 0
    m = n if f.civil_servants is None else f.civil_servants
    for key, v in (("deputies", n), ("civil_servants", m)):
        if v < 0:
            return (
                msg(
                    "transfer_negative",
                    "{field} of a transfer must be 0 or more, got {got}",
                    field=field_ref(key),
                    got=v,
                ),
                (key,),
            )
    if n == 0 and m == 0:
        return (
            msg(
                "transfer_nothing",
                "a transfer moves at least one deputy or one civil-servant post; "
                "give 'deputies' or 'civil_servants' above 0",
            ),
            (),
        )
    if m < n:
        return (
            msg(
                "transfer_posts_fewer",
                "a transfer of {deputies:,} deputies moves at least their {deputies:,} "
                "civil-servant posts (the movers' own posts go with them), got "
                "civil_servants: {civil_servants:,}",
                deputies=n,
                civil_servants=m,
            ),
            ("civil_servants",),
        )
    return None


CREATED_PC_NEEDS_LEVEL = msg("created_pc_needs_level", "a created People's Committee needs 'level'")


_CHOICES: dict[str, type[Kind] | type[Level] | type[ProvinceClass]] = {
    "kind": Kind,
    "level": Level,
    "class": ProvinceClass,
}
_COUNTS = ("civil_servants", "deputies", "head", "public_employees")


def _fields(d: Any, path: tuple[str | int, ...], allowed: tuple[str, ...]) -> UnitFields:
    if not isinstance(d, dict):
        raise _Bad(
            msg("fields_not_mapping", "expected a mapping of unit fields, got {got}", got=_what(d)),
            path,
        )
    data: dict[str, Any] = {}
    for k, v in d.items():
        if not isinstance(k, str) or k not in allowed:
            raise _Bad(
                msg(
                    "unknown_field",
                    "unknown field {key!r}; {hint}{expected}",
                    key=k,
                    hint=suggest(str(k), allowed),
                    expected=expected_one_of(allowed),
                ),
                (*path, k),
                key=True,
            )
        at = (*path, k)
        if v is None:
            continue  # an empty field states nothing
        if k in ("id", "parent"):
            v = _id(v, at, field_ref(k))
        elif k in _CHOICES:
            choices = _CHOICES[k]
            if not isinstance(v, str) or v not in {c.value for c in choices}:
                raise _Bad(
                    msg(
                        "unknown_choice",
                        "unknown {field} {value!r}; {expected}",
                        field=field_ref(k, quoted=False),
                        value=v,
                        expected=expected_one_of(c.value for c in choices),
                    ),
                    at,
                )
            v = choices(v)
        elif k in ("name", "name_en", "note"):
            v = _text(v, at, field_ref(k), empty=k != "name")
        elif k in _COUNTS:
            if type(v) is not int or not 0 <= v <= MAX_COUNT:
                raise _Bad(
                    msg(
                        "count_out_of_range",
                        "{field} must be a whole number from 0 to {most:,}, got {got}",
                        field=field_ref(k),
                        most=MAX_COUNT,
                        got=_what(v),
                    ),
                    at,
                )
            if k == "head" and v not in (0, 1):
                raise _Bad(msg("head_0_or_1", "'head' must be 0 or 1, got {value}", value=v), at)
        elif k == "provinces_merged":
            if type(v) is not int or not 1 <= v <= 63:
                raise _Bad(
                    msg(
                        "provinces_merged_range",
                        "'provinces_merged' must be a whole number 1 to 63, got {got}",
                        got=_what(v),
                    ),
                    at,
                )
        elif k == "functions":
            if not isinstance(v, list):
                raise _Bad(
                    msg(
                        "functions_not_texts",
                        "'functions' must be a list of texts, got {got}",
                        got=_what(v),
                    ),
                    at,
                )
            for j, x in enumerate(v):
                _text(x, (*at, j), msg("each_function", "each function"), empty=False)
            v = tuple(v)
        elif k == "reorganized":
            try:
                v = parse_day(v)
            except ValueError:
                raise _Bad(_not_date("reorganized", v), at) from None
        data["province_class" if k == "class" else k] = v
    try:
        return UnitFields.model_validate(data)
    except ValidationError as e:  # pragma: no cover - every field is checked above
        err = e.errors(include_url=False)[0]
        field = str(err["loc"][0]) if err["loc"] else ""
        raise _Bad(
            msg("field_invalid", "{field}: {detail}", field=field_ref(field), detail=err["msg"]),
            (*path, field) if field else path,
        ) from None


def _not_date(key: str, value: Any) -> Msg:
    return msg(
        "not_date",
        "{field} must be a date written YYYY-MM-DD, got {got}",
        field=field_ref(key),
        got=_what(value),
    )


def _build(data: Any, source: str | None) -> Plan:
    if data is None:
        raise _Bad(
            msg(
                "plan_empty",
                "the plan file is empty; expected 'format: {format}' and 'steps'",
                format=PLAN_FORMAT,
            ),
            (),
        )
    if not isinstance(data, dict):
        raise _Bad(
            msg(
                "plan_not_mapping",
                "expected a mapping with 'format: {format}' and 'steps', got {got}",
                format=PLAN_FORMAT,
                got=_what(data),
            ),
            (),
        )
    check_keys(data, TOP_KEYS)
    fmt = data.get("format")
    if fmt != PLAN_FORMAT:
        if fmt is None:
            raise _Bad(
                msg(
                    "plan_missing_format",
                    "missing 'format'; expected 'format: {format}'",
                    format=PLAN_FORMAT,
                ),
                (),
            )
        raise _Bad(
            msg(
                "plan_unknown_format",
                "unknown format {got!r}; a plan file has 'format: {format}' "
                "(an org file has '{other}')",
                got=fmt,
                format=PLAN_FORMAT,
                other="orgmodel/1",
            ),
            ("format",),
        )
    name = data.get("name") or ""
    if not isinstance(name, str):
        raise _Bad(not_text("name", name), ("name",))
    note = data.get("note")
    if note is not None and not isinstance(note, str):
        raise _Bad(not_text("note", note), ("note",))
    try:
        effective = parse_day(data.get("effective"))
    except ValueError:
        raise _Bad(_not_date("effective", data.get("effective")), ("effective",)) from None
    steps_data = data.get("steps")
    if steps_data is None:
        steps_data = []
    if not isinstance(steps_data, list):
        raise _Bad(
            msg(
                "steps_not_list",
                "'steps' must be a list of steps, got {got}",
                got=_what(steps_data),
            ),
            ("steps",),
        )
    steps = []
    for i, s in enumerate(steps_data):
        try:
            steps.append(_step(s, ("steps", i)))
        except _Bad as bad:
            ops = [k for k in s if k in OPS] if isinstance(s, dict) else []
            bad.step = (i, ops[0] if len(ops) == 1 else "")  # type: ignore[attr-defined]
            raise
    _share_fields_sets(steps)
    return Plan(name=name, effective=effective, steps=tuple(steps), note=note, source=source)


def _share_fields_sets(steps: list[Step]) -> None:
    """One set of the fields given per distinct set, shared by the steps and their fields that
    give the same ones: the models are frozen, and pydantic copies the set when it copies a
    model, so none is ever changed. A national plan's tens of thousands of steps then hold a
    handful of sets instead of two each, for the collector to walk and the memory to hold."""
    shared: dict[frozenset[str], set[str]] = {}
    for step in steps:
        for m in (step, step.fields):
            fs = m.__pydantic_fields_set__
            one = shared.setdefault(frozenset(fs), fs)
            if one is not fs:
                object.__setattr__(m, "__pydantic_fields_set__", one)


_EACH_MERGED = msg("each_merged_unit", "each merged unit")


def _step(s: Any, path: tuple[str | int, ...]) -> Step:
    if not isinstance(s, dict):
        raise _Bad(
            msg(
                "step_not_mapping",
                "a step must be a mapping such as 'merge: [a, b]', got {got}",
                got=_what(s),
            ),
            path,
        )
    ops = [k for k in s if k in OPS]
    if len(ops) != 1:
        if not ops:
            k = next(iter(s), "")
            raise _Bad(
                msg(
                    "unknown_step",
                    "unknown step {key!r}; {hint}a step starts with one of: {ops}",
                    key=k,
                    hint=suggest(str(k), OPS),
                    ops=", ".join(OPS),
                ),
                (*path, k) if k != "" else path,
                key=k != "",
            )
        raise _Bad(
            msg(
                "step_does_several",
                "a step does one thing; this one has {ops}",
                ops=" and ".join(ops),
            ),
            path,
        )
    op = ops[0]
    allowed = STEP_KEYS[op]
    for k in s:
        if k != op and k not in allowed:
            raise _Bad(
                msg(
                    "unknown_step_key",
                    "unknown key {key!r} in a {op} step; {hint}expected: {keys}",
                    key=k,
                    op=op,
                    hint=suggest(str(k), allowed),
                    keys=", ".join(allowed),
                ),
                (*path, k),
                key=True,
            )
    for k in REQUIRED.get(op, ()):
        if k not in s:
            raise _Bad(msg("step_needs", "a {op} step needs {key!r}", op=op, key=k), path)
    note = s.get("note")
    if note is not None:
        note = _text(note, (*path, "note"), field_ref("note"))
    v = s[op]
    if op == "merge":
        if not isinstance(v, list):
            raise _Bad(
                msg("merge_not_list", "'merge' takes a list of unit ids, got {got}", got=_what(v)),
                (*path, op),
            )
        each = _EACH_MERGED
        units = tuple(_id(x, (*path, op, i), each) for i, x in enumerate(v))
        if len(units) < 2:
            raise _Bad(merge_too_few(len(units)), (*path, op))
        if len(set(units)) != len(units):
            raise _Bad(MERGE_TWICE, (*path, op))
        into = s.get("into")
        fields = _fields({} if into is None else into, (*path, "into"), UNIT_FIELDS)
        return Step(op=op, units=units, fields=fields, note=note)
    if op == "create":
        fields = _fields(v, (*path, op), UNIT_FIELDS)
        for k in ("id", "kind", "name"):
            if getattr(fields, k) is None:
                raise _Bad(created_needs(k), (*path, op))
        if fields.kind is Kind.PEOPLES_COMMITTEE and fields.level is None:
            raise _Bad(CREATED_PC_NEEDS_LEVEL, (*path, op))
        return Step(op=op, fields=fields, note=note)
    unit = _id(v, (*path, op), field_ref(op))
    if op == "split":
        return _split_step(s, path, unit, note)
    if op == "absorb":
        return Step(
            op=op,
            units=(unit,),
            target=_id(s["into"], (*path, "into"), field_ref("into")),
            note=note,
        )
    if op == "dissolve":
        target = s.get("staff_to")
        return Step(
            op=op,
            units=(unit,),
            note=note,
            target=None
            if target is None
            else _id(target, (*path, "staff_to"), field_ref("staff_to")),
        )
    if op == "move":
        return Step(
            op=op, units=(unit,), target=_id(s["to"], (*path, "to"), field_ref("to")), note=note
        )
    if op == "transfer":
        target = _id(s["to"], (*path, "to"), field_ref("to"))
        fields = _fields({k: s[k] for k in TRANSFER_KEYS if k in s}, path, TRANSFER_KEYS)
        problem = transfer_problem(unit, target, fields)
        if problem is not None:
            raise _Bad(problem[0], (*path, *problem[1]))
        return Step(op=op, units=(unit,), target=target, fields=fields, note=note)
    if op == "rename":
        _text(s["name"], (*path, "name"), field_ref("name"), empty=False)
        fields = _fields(
            {k: s[k] for k in ("name", "name_en") if k in s}, path, ("name", "name_en")
        )
        return Step(op=op, units=(unit,), fields=fields, note=note)
    # set
    changes = {k: s[k] for k in s if k not in (op, "note")}
    if "note" in s:
        changes["note"] = s["note"]
    if not changes:
        raise _Bad(
            msg(
                "set_changes_nothing",
                "a set step changes at least one field, e.g. 'civil_servants: 12'",
            ),
            path,
        )
    return Step(op=op, units=(unit,), fields=_fields(changes, path, allowed), note=None)


def _split_step(
    s: dict[str, Any], path: tuple[str | int, ...], unit: str, note: str | None
) -> Step:
    into = s["into"]
    at = (*path, "into")
    if not isinstance(into, list):
        raise _Bad(
            msg(
                "split_into_not_list",
                "'into' of a split takes a list of parts such as "
                "'- {{id: new-a, share: 0.5}}', got {got}",
                got=_what(into),
            ),
            at,
        )
    parts = []
    for j, d in enumerate(into):
        here = (*at, j)
        if not isinstance(d, dict):
            raise _Bad(
                msg(
                    "split_part_not_mapping",
                    "each part of a split is a mapping such as '{{id: new-a, share: 0.5}}', "
                    "got {got}",
                    got=_what(d),
                ),
                here,
            )
        for k in d:
            if k in PART_COUNTS:
                raise _Bad(part_takes_no(k), (*here, k), key=True)
        if d.get("id") is None:
            raise _Bad(SPLIT_PART_NEEDS_ID, here)
        pid = _id(d["id"], (*here, "id"), field_ref("id"))
        share = d.get("share")
        if share is not None and (type(share) not in (int, float) or not share_ok(share)):
            raise _Bad(share_invalid(share), (*here, "share"))
        kids = d.get("children")
        children: tuple[str, ...] = ()
        if kids is not None:
            if not isinstance(kids, list):
                raise _Bad(
                    msg(
                        "split_children_not_list",
                        "'children' of a part must be a list of unit ids, got {got}",
                        got=_what(kids),
                    ),
                    (*here, "children"),
                )
            each = msg("each_child", "each child")
            children = tuple(_id(c, (*here, "children", i), each) for i, c in enumerate(kids))
        rest = {k: v for k, v in d.items() if k not in ("id", "share", "children")}
        fields = _fields(rest, here, PART_KEYS)
        parts.append(
            Part(
                id=pid,
                share=None if share is None else float(share),
                fields=fields,
                children=children,
            )
        )
    successor = s.get("successor")
    target = (
        None if successor is None else _id(successor, (*path, "successor"), field_ref("successor"))
    )
    problem = split_problem(tuple(parts), target)
    if problem is not None:
        raise _Bad(problem[0], (*path, *problem[1]))
    return Step(op="split", units=(unit,), parts=tuple(parts), target=target, note=note)


def dumps_plan(plan: Plan) -> str:
    """The plan file text (format 1) of a plan; `loads_plan(dumps_plan(p))` gives its steps."""
    from ._load import scalar

    def fields(f: UnitFields) -> str:
        items = []
        for k, v in f.given().items():
            key = "class" if k == "province_class" else k
            if isinstance(v, tuple):
                val = "[" + ", ".join(scalar(x, flow=True) for x in v) + "]"
            else:  # inside a flow mapping: a comma or a bracket is quoted
                val = scalar(getattr(v, "value", v), flow=True)
            items.append(f"{key}: {val}")
        return "{" + ", ".join(items) + "}"

    out = [f"format: {PLAN_FORMAT}", f"name: {scalar(plan.name)}"]
    if plan.effective is not None:
        out.append(f"effective: {plan.effective.isoformat()}")
    if plan.note is not None:
        out.append(f"note: {scalar(plan.note)}")
    out.append("steps:" if plan.steps else "steps: []")
    for s in plan.steps:
        if s.op == "merge":
            out.append(f"  - merge: [{', '.join(scalar(x) for x in s.units)}]")
            if s.fields.given():
                out.append(f"    into: {fields(s.fields)}")
        elif s.op == "create":
            out.append(f"  - create: {fields(s.fields)}")
        elif s.op == "split":
            out.append(f"  - split: {scalar(s.units[0])}")
            out.append("    into:")
            for p in s.parts:
                out.append(f"      - id: {scalar(p.id)}")
                if p.share is not None:
                    out.append(f"        share: {_share_text(p.share)}")
                for k, v in p.fields.given().items():
                    out.append(f"        {_field_line(k, v)}")
                if p.children:
                    kids = ", ".join(scalar(c, flow=True) for c in p.children)
                    out.append(f"        children: [{kids}]")
            if s.target is not None:
                out.append(f"    successor: {scalar(s.target)}")
        else:
            out.append(f"  - {s.op}: {scalar(s.units[0])}")
            key = {"absorb": "into", "dissolve": "staff_to", "move": "to", "transfer": "to"}.get(
                s.op
            )
            if key and s.target is not None:
                out.append(f"    {key}: {scalar(s.target)}")
            given = s.fields.given()
            if s.op == "transfer":  # as the issue writes it: deputies, then their posts
                given = {k: given[k] for k in TRANSFER_KEYS if k in given}
            for k, v in given.items():
                key2 = "class" if k == "province_class" else k
                val = (
                    "[" + ", ".join(scalar(x, flow=True) for x in v) + "]"
                    if isinstance(v, tuple)
                    else scalar(getattr(v, "value", v))
                )
                out.append(f"    {key2}: {val}")
        # a set step's `note:` is the unit's (written with its fields): written once
        if s.note is not None and not (s.op == "set" and s.fields.note is not None):
            out.append(f"    note: {scalar(s.note)}")
    out.append("")
    return "\n".join(out)


def _field_line(k: str, v: Any) -> str:
    from ._load import scalar

    key = "class" if k == "province_class" else k
    if isinstance(v, tuple):
        return f"{key}: [" + ", ".join(scalar(x, flow=True) for x in v) + "]"
    if isinstance(v, dt.date):
        return f"{key}: {v.isoformat()}"
    return f"{key}: {scalar(getattr(v, 'value', v))}"


def _share_text(v: float) -> str:
    """A share as YAML reads it back to the same float."""
    return repr(float(v))
