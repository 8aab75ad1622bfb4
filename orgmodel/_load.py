"""Loading and saving org files (format ``orgmodel/1``)."""

from __future__ import annotations

import datetime as dt
import difflib
import json
import os
import re
from collections.abc import Callable, Sequence
from typing import Any

from pydantic import TypeAdapter, ValidationError

from . import _yaml
from ._errors import LoadError, Msg, OrgmodelError, expected_one_of, field_ref, msg
from ._io import read_text, write_text_atomic
from ._model import (
    BULK,
    FILE_FIELDS,
    MAX_DEPTH,
    AnyUnit,
    Kind,
    Level,
    Org,
    ProvinceClass,
    Unit,
    bulk_lawful,
    fast_rows,
    norm_id,
    parse_day,
    rec,
    require_org,
    row_maker,
    rows_of,
    stated_mask,
    stated_of_keys,
    subtree_ends,
)

FORMAT = "orgmodel/1"
TOP_KEYS = ("format", "name", "as_of", "units", "note")
UNIT_KEYS = (*FILE_FIELDS, "children")
_UNIT_KEYSET = frozenset(UNIT_KEYS)
_UNITS = TypeAdapter(list[Unit])
_CHUNK = 128  # units validated at once (small: the sets pydantic makes die young)
_NONE: list[None] = [None] * _CHUNK
_FIELD_KEY = {"province_class": "class"}

Path_ = tuple[str | int, ...]


class _Bad(Exception):
    """A problem found in the parsed data, located later by its path in the document, or by
    the pre-order index of the unit it concerns (and a path below that unit)."""

    def __init__(
        self,
        message: Msg,
        path: Path_ = (),
        *,
        key: bool = False,
        other: Path_ | None = None,
        index: int | None = None,
        suffix: Path_ = (),
        other_index: int | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.path = path
        self.key = key
        self.other = other  # a second place the message names as "{other_line}"
        self.index = index
        self.suffix = suffix
        self.other_index = other_index


def suggest(word: str, choices: Sequence[str]) -> Msg | str:
    near = difflib.get_close_matches(str(word), list(choices), n=1, cutoff=0.6)
    return msg("did_you_mean", "did you mean {word!r}? ", word=near[0]) if near else ""


def check_keys(data: dict[Any, Any], allowed: Sequence[str]) -> None:
    """Refuse a top-level key the format does not have, suggesting the nearest one."""
    for k in data:
        if k not in allowed:
            raise _Bad(
                msg(
                    "unknown_key",
                    "unknown key {key!r}; {hint}{expected}",
                    key=k,
                    hint=suggest(k, allowed),
                    expected=expected_one_of(allowed),
                ),
                (k,),
                key=True,
            )


def load(path: str | os.PathLike[str]) -> Org:
    """Load an org file. Raises `LoadError` (with file, line, column) when it is broken."""
    name = check_path(path, "load")
    return loads(read_text(path), source=name)


def loads(text: str, *, source: str | None = None) -> Org:
    """Load an org model from YAML text."""
    if not isinstance(text, str):
        raise TypeError(
            f"loads() expects the text of an org file (str), got {type(text).__name__}; "
            "to read a file, use orgmodel.load(path)"
        )
    data = parse_document(text, source)
    try:
        return _build(data, text, lambda: parse_document(text, source))
    except _Bad as bad:
        bad_ = bad
    raise located(bad_, text, source) from None


def check_path(path: Any, function: str) -> str:
    """The name of a path argument, or a `TypeError` saying what was expected."""
    if isinstance(path, Org):
        raise TypeError(f"{function}() expects a path to a file, got an Org (already loaded)")
    if not isinstance(path, (str, os.PathLike)):
        raise TypeError(f"{function}() expects a path to a file (str or Path), got {_what(path)}")
    return os.fspath(path)


def parse_document(text: str, source: str | None, *, error: type[OrgmodelError] = LoadError) -> Any:
    if "\t" in text:
        # YAML forbids tabs in indentation; say so plainly wherever a tab stands at a line start.
        m = re.search(r"^[ ]*\t", text, re.M)
        if m:
            line = text.count("\n", 0, m.start()) + 1
            raise error(
                msg("tab_indent", "a tab is used for indentation; YAML indents with spaces only"),
                file=source,
                line=line,
                column=m.end() - m.start(),
            )
    try:
        return _yaml.parse(text)
    except _yaml.YamlProblem as p:
        raise error(p.message, file=source, line=p.line, column=p.column) from None


def located(
    bad: _Bad, text: str, source: str | None, error: type[OrgmodelError] = LoadError
) -> OrgmodelError:
    path = bad.path
    if bad.index is not None:
        path = (*_index_path(text, bad.index), *bad.suffix)
    where = _yaml.locate(text, path, key=bad.key)
    line, col = where if where else (None, None)
    message = bad.message
    other_path = bad.other
    if bad.other_index is not None:
        other_path = (*_index_path(text, bad.other_index), "id")
    if other_path is not None:
        other = _yaml.locate(text, other_path)
        message = message.with_params(first=other[0] if other else "?")
    return error(message, file=source, line=line, column=col)


def _build(data: Any, text: str = "", again: Callable[[], Any] | None = None) -> Org:
    """The model of a parsed org file. With `again` (parses the file again), the units are
    first read in one plain walk that releases each unit's mapping once its row is made; at the
    first unit that is not plainly valid, the file is parsed again and read by the checked path,
    whose errors name what is wrong."""
    if data is None:
        raise _Bad(
            msg(
                "file_empty",
                "the file is empty; expected a mapping with 'format: {format}', 'name' and 'units'",
                format=FORMAT,
            ),
            (),
        )
    if not isinstance(data, dict):
        raise _Bad(
            msg(
                "org_not_mapping",
                "expected a mapping with 'format: {format}', 'name' and 'units', got {got}",
                format=FORMAT,
                got=_what(data),
            ),
            (),
        )
    check_keys(data, TOP_KEYS)
    fmt = data.get("format")
    if fmt is None:
        raise _Bad(
            msg(
                "missing_format",
                "missing 'format'; expected 'format: {format}' as the first line",
                format=FORMAT,
            ),
            (),
        )
    if fmt != FORMAT:
        raise _Bad(
            msg(
                "unknown_format",
                "unknown format {got!r}; this version of orgmodel reads '{format}' "
                "(a plan file has format '{other}')",
                got=fmt,
                format=FORMAT,
                other="orgmodel-plan/1",
            ),
            ("format",),
        )
    name = data.get("name", "")
    if name is None:
        name = ""
    if not isinstance(name, str):
        raise _Bad(not_text("name", name), ("name",))
    as_of = parse_date(data.get("as_of"), ("as_of",))
    units_data = data.get("units")
    if units_data is None:
        raise _Bad(msg("missing_units", "missing 'units'; expected a list of units"), ())
    if not isinstance(units_data, list):
        raise _Bad(
            msg(
                "units_not_list",
                "'units' must be a list of units, got {got}",
                got=_what(units_data),
            ),
            ("units",),
        )

    plain = _plain_walk(units_data) if again is not None else None
    if plain is not None:
        rows_, kids, ends, index = plain
        return Org._from_rows(
            rows_, kids, name=name, as_of=as_of, frozen=True, ends=ends, index=index
        )
    if again is not None:  # the walk released the mappings it had read: read the file again
        data = again()
        units_data = data["units"]
    flat, children = _flatten(units_data, text)
    del units_data, data  # the units' mappings are now held by `flat` alone
    rows: list[tuple[Any, ...]] = []
    # In chunks, each mapping released once its unit is built: the parsed file and the model
    # are not both held whole at the peak of memory.
    for start in range(0, len(flat), _CHUNK):
        chunk = flat[start : start + _CHUNK]
        fast = fast_rows(chunk)  # plainly valid units, without pydantic
        if fast is not None:
            rows.extend(fast)
            del chunk, fast
            flat[start : start + _CHUNK] = _NONE[: min(_CHUNK, len(flat) - start)]  # type: ignore[assignment]
            continue
        try:
            try:
                built = _UNITS.validate_python(chunk, context=BULK)
            except ValidationError:
                built = []  # a field is wrong: the first problem, invariants included, below
            if not built or not bulk_lawful(built):  # again with each unit's invariants
                built = _UNITS.validate_python(chunk)
        except ValidationError as e:
            raise _pydantic_bad(e, chunk, start) from None
        rows.extend(rows_of(built))  # the units die young: the model keeps rows
        del chunk, built
        flat[start : start + _CHUNK] = _NONE[: min(_CHUNK, len(flat) - start)]  # type: ignore[assignment]
    return Org._from_rows(rows, children, name=name, as_of=as_of)


def parse_date(value: Any, path: Path_) -> dt.date | None:
    try:
        return parse_day(value)
    except ValueError:
        raise _Bad(
            msg(
                "bad_date_of",
                "{name} must be a date written YYYY-MM-DD, got {value!r}",
                name=str(path[-1]),
                value=value,
            ),
            path,
        ) from None


def not_text(key: str, value: Any) -> Msg:
    """ "'name' must be text, got a list"."""
    return msg(
        "not_text", "{field} must be text, got {got}", field=field_ref(key), got=_what(value)
    )


def _what(v: Any) -> Msg:
    """What a value is, for "got ...": "the text 'x'", "a list", "int 5"."""
    if type(v) is int and v.bit_length() > 64:
        return msg(
            "what_big_number",
            "a number of about {digits:,} digits",
            digits=int(v.bit_length() * 0.30103),
        )
    if isinstance(v, bool):
        return msg("what_boolean", "the boolean {value}", value=v)
    if isinstance(v, list):
        return msg("what_list", "a list")
    if isinstance(v, dict):
        return msg("what_mapping", "a mapping")
    if v is None:
        return msg("what_nothing", "nothing")
    if isinstance(v, str):
        return msg("what_text", "the text {value!r}", value=v)
    return msg("what_value", "{type} {value!r}", type=type(v).__name__, value=v)


def _flatten(
    units_data: list[Any], text: str = ""
) -> tuple[list[dict[str, Any]], dict[str | None, list[str]]]:
    """Walk the nested units in pre-order: flat dicts with `parent`, and the children of each
    id. Checks what pydantic cannot: keys, ids,
    nesting. The happy path records no paths: an error names the unit by its pre-order index
    and `located` finds its place by reading the file again."""
    flat: list[dict[str, Any]] = []
    # a leaf's children are the shared empty tuple (no list per unit); ids seen are its keys
    children: dict[str | None, Any] = {None: []}
    leaf: tuple[str, ...] = ()
    keyset = _UNIT_KEYSET
    # one iterator per level of nesting, not one stack entry per unit
    stack: list[tuple[Any, str | None]] = [(iter(units_data), None)]
    written: dict[int, str] | None = None  # ids as written, read from the text when needed
    append = flat.append
    while stack:
        it, parent = stack[-1]
        siblings = children[parent]
        for d in it:
            index = len(flat)
            if type(d) is not dict:
                raise _Bad(
                    msg(
                        "unit_not_mapping",
                        "a unit must be a mapping with id, kind and name, got {got}",
                        got=_what(d),
                    ),
                    index=index,
                )
            if not d.keys() <= keyset:
                k = next(k for k in d if k not in keyset)
                raise _Bad(
                    msg(
                        "unknown_unit_key",
                        "unknown key {key!r}; {hint}a unit may have: {keys}",
                        key=k,
                        hint=suggest(k, UNIT_KEYS),
                        keys=", ".join(UNIT_KEYS),
                    ),
                    index=index,
                    suffix=(k,),
                    key=True,
                )
            uid = d.get("id")
            if type(uid) is not str or not uid:
                if type(uid) in (int, float) and written is None:
                    written = _yaml.unit_ids_as_written(text) if text else {}
                uid = _check_id(d, uid, index, written or {})
            elif not uid.isascii():
                uid = d["id"] = norm_id(uid)
            if uid in children:
                raise _Bad(
                    msg(
                        "duplicate_id",
                        "duplicate id {id!r}: also used on line {first}; "
                        "ids must be unique in the file",
                        id=uid,
                        first="?",
                    ),
                    index=index,
                    suffix=("id",),
                    other_index=next((i for i, x in enumerate(flat) if x["id"] == uid), None),
                )
            if "kind" not in d or d["kind"] is None or "name" not in d:
                missing = "kind" if d.get("kind") is None else "name"
                raise _Bad(
                    msg(
                        "unit_missing_field",
                        "unit {id!r} is missing its {field}",
                        id=uid,
                        field=field_ref(missing),
                    ),
                    index=index,
                )
            kids = d.pop("children", None)
            d["parent"] = parent
            append(d)
            siblings.append(uid)
            if kids:
                if type(kids) is not list:
                    raise _Bad(_children_not_list(uid, kids), index=index, suffix=("children",))
                if len(stack) >= MAX_DEPTH:
                    raise _Bad(
                        msg(
                            "units_too_deep",
                            "the units nest more than {most} levels deep under {id!r}; "
                            "orgmodel reads at most {most} levels",
                            most=MAX_DEPTH,
                            id=uid,
                        ),
                        index=index,
                        suffix=("children",),
                    )
                children[uid] = []
                stack.append((iter(kids), uid))
                break  # the children first (pre-order); this level goes on after them
            children[uid] = leaf
            if kids is not None and type(kids) is not list:
                raise _Bad(_children_not_list(uid, kids), index=index, suffix=("children",))
        else:
            stack.pop()
    return flat, children


_PARENT_BIT = stated_mask({"parent"})


def _plain_walk(
    units_data: list[Any],
) -> tuple[list[tuple[Any, ...]], dict[str | None, Any], list[int], dict[str, int]] | None:
    """The rows of the nested units in pre-order, and each id's children (tuples), in one walk
    that reads each mapping once and releases it (its place in its list set to None) once its
    row is made; None at the first unit that is not plainly valid (`plain_row`) or not plainly
    placed (a mapping of known keys, a new non-empty text id, children a list, not too deep),
    for `_flatten` and `Unit`'s validation to say what is wrong. Keeps `_flatten`'s results:
    the same rows, the same children; with them each row's subtree end (`Org._ends`) and each
    id's place (`Org._index`)."""
    rows: list[tuple[Any, ...]] = []
    append = rows.append
    top: list[str] = []
    children: dict[str | None, Any] = {None: top}
    parents: list[str | None] = [None]  # ids with children (their lists made tuples at the end)
    leaf: tuple[str, ...] = ()
    keyset = _UNIT_KEYSET
    # a key list as written -> the fields it states, and `plain_row` written out for it
    makers: dict[tuple[str, ...], tuple[int, Any]] = {}
    ends: list[tuple[int, int]] = []  # (a unit with children's place, its subtree's end)
    index: dict[str, int] = {}  # each id's place (the ids seen)
    # one (list, next position, parent id and place, its children's ids) per level of nesting
    stack: list[tuple[list[Any], int, str | None, int, list[str]]] = [
        (units_data, 0, None, -1, top)
    ]
    while stack:
        items, i, parent, at, siblings = stack.pop()
        n = len(items)
        while i < n:
            d = items[i]
            items[i] = None  # released once read (the rows keep its values)
            i += 1
            if type(d) is not dict:
                return None
            # its keys as written (a file repeats a handful of key lists): checked, and turned
            # into the fields stated, once per list
            keys = tuple(d)
            known = makers.get(keys)
            if known is None:
                if not d.keys() <= keyset:
                    return None
                ks = frozenset(keys)
                known = (stated_of_keys(ks) | _PARENT_BIT, row_maker(ks))
                if len(makers) < 4096:
                    makers[keys] = known
            stated, make = known
            uid = d.get("id")
            if type(uid) is not str or not uid:
                return None
            if not uid.isascii():
                uid = norm_id(uid)
            if uid in index:
                return None
            r = make(d, uid, parent, stated)  # `plain_row` (None without a kind or a name)
            if r is None:
                return None
            index[uid] = len(rows)
            append(r)
            siblings.append(uid)
            kids = d.get("children")
            if kids:
                if type(kids) is not list or len(stack) + 1 >= MAX_DEPTH:
                    return None
                # this level goes on after them
                stack.append((items, i, parent, at, siblings))
                mine: list[str] = []
                children[uid] = mine
                parents.append(uid)
                stack.append((kids, 0, uid, len(rows) - 1, mine))
                break
            if kids is not None and type(kids) is not list:
                return None
            children[uid] = leaf
        else:  # the level is done: the subtree of its parent ends here
            ends.append((at, len(rows)))
    for p in parents:
        children[p] = tuple(children[p])
    return rows, children, subtree_ends(len(rows), ends), index


def _children_not_list(uid: str, kids: Any) -> Msg:
    return msg(
        "children_not_list",
        "'children' of {id!r} must be a list of units, got {got}",
        id=uid,
        got=_what(kids),
    )


def _index_path(text: str, index: int) -> Path_:
    """The document path of the unit at pre-order `index` (re-reads the file: errors only)."""
    try:
        data = _yaml.parse(text)
    except _yaml.YamlProblem:
        return ()
    units = data.get("units") if isinstance(data, dict) else None
    if not isinstance(units, list):
        return ()
    count = 0
    stack: list[tuple[list[Any], int, Path_]] = [(units, 0, ("units",))]
    while stack:
        lst, j, prefix = stack.pop()
        if j >= len(lst):
            continue
        stack.append((lst, j + 1, prefix))
        path = (*prefix, j)
        if count == index:
            return path
        count += 1
        d = lst[j]
        kids = d.get("children") if isinstance(d, dict) else None
        if isinstance(kids, list) and kids:
            stack.append((kids, 0, (*path, "children")))
    return ()


def _check_id(d: dict[str, Any], uid: Any, index: int, written: dict[int, str]) -> str:
    if uid is None:
        raise _Bad(
            msg("id_missing", "a unit is missing its 'id' (a short text unique in the file)"),
            index=index,
        )
    if type(uid) in (int, float):
        # an id written as a number is the text written: 007 stays "007"
        text = written.get(index) or str(uid)
        d["id"] = text
        return text
    raise _Bad(
        msg("id_not_text", "'id' must be a non-empty text, got {got}", got=_what(uid)),
        index=index,
        suffix=("id",),
    )


_CHOICES = {
    "kind": tuple(k.value for k in Kind),
    "level": tuple(v.value for v in Level),
    "class": tuple(c.value for c in ProvinceClass),
}


_INVARIANTS = frozenset(
    {
        "id_empty",
        "control_character",
        "level_missing",
        "leaders_exceed_civil_servants",
        "provinces_merged",
    }
)


def _pydantic_bad(e: ValidationError, flat: list[dict[str, Any]], start: int = 0) -> _Bad:
    """The first error pydantic found in `flat` (the units from pre-order index `start`)."""
    err = e.errors(include_url=False)[0]
    loc = err["loc"]
    index = loc[0] if loc and isinstance(loc[0], int) else 0
    field = str(loc[1]) if len(loc) > 1 else ""
    field = _FIELD_KEY.get(field, field)
    d = flat[index] if index < len(flat) else {}
    index += start  # the unit's pre-order index in the file
    uid = d.get("id", "?")
    value = err.get("input")
    typ = err["type"]
    ctx = err.get("ctx") or {}
    suffix: Path_ = (field,) if field else ()
    if typ in _INVARIANTS:
        field = _FIELD_KEY.get(ctx["field"], ctx["field"])
        problem: Msg = ctx["msg"]
        if typ == "control_character":
            problem = problem.within(in_unit(uid))
        return _Bad(problem, index=index, suffix=(field,))
    ref = field_ref(field)
    if typ == "missing":
        m = msg("unit_missing_key", "unit {id!r} is missing {field}", id=uid, field=ref)
    elif field in _CHOICES and typ in ("enum", "literal_error", "string_type"):
        m = msg(
            "unknown_value",
            "unknown {field} {value!r} in unit {id!r}; {hint}{expected}",
            field=field_ref(field, quoted=False),
            value=value,
            id=uid,
            hint=suggest(str(value), _CHOICES[field]),
            expected=expected_one_of(_CHOICES[field]),
        )
    elif field == "head" and typ in ("less_than_equal", "greater_than_equal"):
        m = msg(
            "head_not_0_or_1",
            "{field} of unit {id!r} must be 0 or 1 (is the head post held?), got {value!r}",
            field=ref,
            id=uid,
            value=value,
        )
    elif typ == "less_than_equal":
        m = msg(
            "too_large",
            "{field} of unit {id!r} must be at most {most:,}, got {got}",
            field=ref,
            id=uid,
            most=ctx["le"],
            got=_what(value),
        )
    elif typ == "greater_than_equal":
        m = msg(
            "too_small",
            "{field} of unit {id!r} must be {least} or more, got {value!r}",
            field=ref,
            id=uid,
            least=ctx["ge"],
            value=value,
        )
    elif typ.startswith("int_"):
        m = msg(
            "not_whole_number",
            "{field} of unit {id!r} must be a whole number, got {got}",
            field=ref,
            id=uid,
            got=_what(value),
        )
    elif typ == "string_type":
        m = msg(
            "unit_not_text",
            "{field} of unit {id!r} must be text, got {got}",
            field=ref,
            id=uid,
            got=_what(value),
        )
    elif typ == "value_error":
        found = ctx["error"].args[0] if ctx.get("error") and ctx["error"].args else None
        if isinstance(found, Msg):
            problem = found
        else:
            detail = str(err["msg"]).removeprefix("Value error, ")
            problem = msg("unit_invalid", "{detail}", detail=detail)
        if field:
            m = msg(
                "unit_field_problem",
                "{field} of unit {id!r} {problem}",
                field=ref,
                id=uid,
                problem=problem,
            )
        else:
            m = msg("unit_problem", "{problem}", problem=problem).within(in_unit(uid))
    elif field == "functions":
        m = msg(
            "functions_not_list",
            "'functions' of unit {id!r} must be a list of short text tags",
            id=uid,
        )
        suffix = ("functions",)
    else:
        m = msg(
            "unit_field_invalid",
            "{field} of unit {id!r}: {detail}",
            field=ref,
            id=uid,
            detail=err["msg"],
        )
    return _Bad(m, index=index, suffix=suffix)


def in_unit(uid: str) -> Msg:
    """ "unit 'x'", placing a message."""
    return msg("in_unit", "unit {id!r}", id=uid)


# -- saving -------------------------------------------------------------------------------
_PLAIN = re.compile(r"^[^\s\-?:,\[\]{}#&*!|>'\"%@`~][^\n#:]*$")


_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n", "~"})


def _is_special(s: str) -> bool:
    """Whether a plain scalar could read as something other than this text (a number, a
    boolean, null) in YAML 1.1 or 1.2: quote it. Quoting more than needed costs nothing."""
    return (
        s[:1] in "0123456789+-._~"
        or s.lower() in _WORDS
        or s.lower().lstrip(".")
        in (
            "inf",
            "nan",
        )
    )


_NOT_RAW = re.compile("[\x7f-\x9f\u2028\u2029\ufffe\uffff]")


_FLOW = frozenset(",[]{}")


def scalar(v: Any, *, flow: bool = False) -> str:
    """A YAML scalar for `v` that reads back as the same value (inside a flow list `[...]`
    when `flow`: then a comma or a bracket is quoted too)."""
    if isinstance(v, str):
        if (
            _PLAIN.match(v)
            and not (flow and not _FLOW.isdisjoint(v))
            and v.isprintable()
            and not v.endswith(" ")
            and not _is_special(v)
            and "\\" not in v
        ):
            return v
        # JSON's string form is a YAML double-quoted scalar; characters YAML does not allow
        # raw (C1 controls, U+FFFE/U+FFFF) are written as escapes too, so the file reads back
        return _NOT_RAW.sub(lambda m: f"\\u{ord(m.group()):04x}", json.dumps(v, ensure_ascii=False))
    if isinstance(v, bool):
        return "true" if v else "false"
    if v is None:
        return "null"
    return str(v)


def _unit_lines(u: AnyUnit, indent: str, out: list[str], has_children: bool) -> None:
    out.append(f"{indent}- id: {scalar(u.id)}")
    pad = indent + "  "
    out.append(f"{pad}kind: {u.kind.value}")
    if u.level is not None:
        out.append(f"{pad}level: {u.level.value}")
    if u.province_class is not None:
        out.append(f"{pad}class: {scalar(u.province_class.value)}")
    out.append(f"{pad}name: {scalar(u.name)}")
    if u.name_en is not None:
        out.append(f"{pad}name_en: {scalar(u.name_en)}")
    if u.civil_servants:
        out.append(f"{pad}civil_servants: {u.civil_servants}")
    if u.deputies:
        out.append(f"{pad}deputies: {u.deputies}")
    if u.head != 1:
        out.append(f"{pad}head: {u.head}")
    if u.public_employees:
        out.append(f"{pad}public_employees: {u.public_employees}")
    if u.functions:
        out.append(f"{pad}functions: [{', '.join(scalar(f, flow=True) for f in u.functions)}]")
    if u.note is not None:
        out.append(f"{pad}note: {scalar(u.note)}")
    if u.provinces_merged != 1:
        out.append(f"{pad}provinces_merged: {u.provinces_merged}")
    if u.reorganized is not None:
        out.append(f"{pad}reorganized: {u.reorganized.isoformat()}")
    if has_children:
        out.append(f"{pad}children:")


def dumps(org: Org) -> str:
    """The org file text (format 1) of a model; `loads(dumps(org)) == org`."""
    require_org(org, "dumps")
    out = [f"format: {FORMAT}", f"name: {scalar(org.name)}"]
    if org.as_of is not None:
        out.append(f"as_of: {org.as_of.isoformat()}")
    if not len(org):
        out.append("units: []")
    else:
        out.append("units:")
        # units are in pre-order: a unit's depth is its parent's plus one (no recursion)
        indent: dict[str | None, str] = {None: "  "}
        for u in map(rec, org._rows):  # each row read by name (no Unit made)
            pad = indent[u.parent]
            kids = org._children[u.id]
            _unit_lines(u, pad, out, bool(kids))
            if kids:
                indent[u.id] = pad + "  "
    out.append("")
    return "\n".join(out)


def dump(org: Org, path: str | os.PathLike[str]) -> None:
    """Write a model to an org file atomically."""
    require_org(org, "dump")
    write_text_atomic(path, dumps(org))
