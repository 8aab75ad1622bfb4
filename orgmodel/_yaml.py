"""Safe YAML parsing: one parser for every file, and a locator for its problems.

Every org, plan and rulebook file is read by yaml-rs (compiled, fast): YAML 1.2 core scalars
(``yes`` is a string), no timestamps (dates stay strings, the loader parses them), no duplicate
keys. The same bytes always give the same data, whatever else the file holds.

Before yaml-rs reads a text, a few cheap checks refuse what it would read silently or unsafely,
each with its line and column:

- control characters (YAML forbids them; a NUL would end the text early);
- tags (``!foo``, ``!!python/object``): orgmodel files hold plain values, and yaml-rs would
  drop an unknown tag and keep its value;
- aliases that refer to the node they are in, that come before their anchor, or that expand to
  more than `ALIAS_EXPANSION_LIMIT` (nodes plus characters; an "alias bomb" is refused in
  bounded memory before anything is built).

Tags and aliases are looked for only when the text holds a ``!`` or an ``&`` and a ``*``; then
libyaml's event stream (PyYAML, a state machine: no recursion at any depth) is walked once.
The same walk finds the line and column of a problem found later in the parsed data; it costs
time only when there is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from typing import Any

import yaml
import yaml_rs

from ._errors import Msg, msg

# Expansion through aliases, counted as nodes plus characters of text, beyond which a file is
# refused. An org file has no need of aliases at all; this leaves room for a few shared lists.
ALIAS_EXPANSION_LIMIT = 1_000_000
# Block nesting beyond this many levels is refused before yaml-rs reads the text (it crashes
# on nesting some ten thousand levels deep). A line's run of leading spaces and `-`/`?`
# indicators bounds the nesting it can open; org files nest 4 characters per level of units.
MAX_NESTING = 4100
_TOO_DEEP = re.compile(r"[ ?\-]{" + str(MAX_NESTING + 1) + "}")  # at the start of the text
_TOO_DEEP_LINE = re.compile(r"\n[ ?\-]{" + str(MAX_NESTING + 1) + "}")  # four times faster than ^
# yaml-rs's own guard, in replayed events (each node is one or two events).
_RS_LIMITS = yaml_rs.AliasLimits(max_total_replayed_events=100_000, max_replay_stack_depth=64)

PathElem = str | int
Mark = tuple[int, int]


class YamlProblem(Exception):
    """A YAML-level problem with its 1-based line and column when known."""

    def __init__(self, message: Msg, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# Characters YAML does not allow in a stream (YAML 1.2, 5.1): C0 controls but tab, LF and CR;
# DEL; C1 controls but NEL; surrogates; U+FFFE and U+FFFF.
_FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x84\x86-\x9f\ud800-\udfff\ufffe\uffff]")
_NAMES = {0: "NUL", 0x1B: "ESC", 0x7F: "DEL", 0x07: "BEL", 0x08: "BS", 0x0C: "FF", 0x0B: "VT"}

_SafeLoader: Any = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader


_NODE_START = frozenset(" \t\r\n[{,")
_NOT_NAME = frozenset(" \t\r\n[]{},")


def _token(text: str, sign: str) -> bool:
    """Whether `sign` (``&`` or ``*``) stands anywhere as an anchor or alias token would: at
    the start of a node, followed by a name. (A quick look: a sign inside a quoted text or a
    comment also counts, which only costs a closer look.)"""
    i = text.find(sign)
    n = len(text)
    while i != -1:
        if (i == 0 or text[i - 1] in _NODE_START) and i + 1 < n and text[i + 1] not in _NOT_NAME:
            return True
        i = text.find(sign, i + 1)
    return False


def _position(text: str, index: int) -> Mark:
    """Line and column of `index`; a line ends at CR LF, LF or a lone CR, as YAML reads it."""
    head = text[:index]
    if "\r" in head:
        head = head.replace("\r\n", "\n").replace("\r", "\n")
    line = head.count("\n") + 1
    return line, len(head) - (head.rfind("\n") + 1) + 1


def forbidden_character(text: str) -> YamlProblem | None:
    """The first character YAML forbids, as a located problem, or None."""
    m = _FORBIDDEN.search(text)
    if m is None:
        return None
    code = ord(m.group())
    name = _NAMES.get(code)
    what = f"U+{code:04X}" + (f" ({name})" if name else "")
    line, col = _position(text, m.start())
    return YamlProblem(
        msg(
            "yaml_control_character",
            "the control character {char} is not allowed in a YAML file; remove it "
            "(was the file saved as text?)",
            char=what,
        ),
        line,
        col,
    )


def parse(text: str) -> Any:
    """Parse one YAML document to plain data, or raise a located `YamlProblem`."""
    if text.startswith("\ufeff"):
        text = text[1:]
    problem = forbidden_character(text)
    if problem is not None:
        raise problem
    deep = _TOO_DEEP.match(text)
    start = 0
    if deep is None:
        deep = _TOO_DEEP_LINE.search(text)
        start = 1  # after the line break
    if deep is not None:
        line, _ = _position(text, deep.start() + start)
        raise YamlProblem(
            msg(
                "yaml_nesting",
                "the file nests lists and mappings more than {most:,} levels deep "
                "(indentation and '-' at the start of line {line}); an org is a few levels deep",
                most=MAX_NESTING,
                line=line,
            ),
            line,
            1,
        )
    has_tag = "!" in text
    has_alias = _token(text, "&") and _token(text, "*")
    if has_tag or has_alias:
        try:
            _screen(text)
        except _Unreadable:
            # libyaml cannot read what yaml-rs may (an anchor named with a quote, say): the
            # meaning stays yaml-rs's, and a tag is looked for in the text itself
            _tag_in_text(text)
    try:
        data = yaml_rs.loads(text, parse_datetime=False, alias_limits=_RS_LIMITS)
    except yaml_rs.YAMLDecodeError as e:
        raise _rs_problem(text, str(e)) from None
    except RecursionError:  # pragma: no cover - yaml-rs bounds nesting itself
        raise YamlProblem(msg("yaml_too_deep", "the file nests too deeply")) from None
    if isinstance(data, list) and re.search(r"^(---|\.\.\.)", text, re.M):
        second = _second_document(text)
        if second is not None:
            raise second
    return data


# -- the event walk -------------------------------------------------------------------------
# libyaml reads NEL, U+2028 and U+2029 as line breaks (YAML 1.1); yaml-rs reads them as text
# (YAML 1.2). For the walk they become a character of the same length that is text to both.
_BREAKS_AS_TEXT = str.maketrans({"\x85": "_", "\u2028": "_", "\u2029": "_"})


def _events(text: str) -> Iterator[Any]:
    """libyaml's events for `text` (a state machine: no recursion however deep the nesting);
    a syntax error becomes a located `YamlProblem`."""
    if "\x85" in text or "\u2028" in text or "\u2029" in text:
        text = text.translate(_BREAKS_AS_TEXT)
    try:
        yield from yaml.parse(text, Loader=_SafeLoader)
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        m = _syntax(str(e.problem or e))
        if e.context and "expected a single document" in e.context:
            m = _SEVERAL
        if mark is None:
            raise YamlProblem(m) from None
        raise YamlProblem(m, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as e:  # pragma: no cover - reader errors (refused earlier)
        raise YamlProblem(msg("yaml_error", "YAML error: {detail}", detail=str(e))) from None


_SEVERAL = msg(
    "yaml_several_documents", "the file holds several YAML documents; expected exactly one"
)


def _syntax(detail: str) -> Msg:
    """A syntax error; the detail is the YAML parser's own (English) words."""
    return msg("yaml_syntax", "YAML syntax error: {detail}", detail=detail)


def _mark(event: Any) -> Mark:
    return event.start_mark.line + 1, event.start_mark.column + 1


_STARTS = (yaml.MappingStartEvent, yaml.SequenceStartEvent)
_ENDS = (yaml.MappingEndEvent, yaml.SequenceEndEvent)


class _Unreadable(Exception):
    """libyaml could not read the text (yaml-rs decides whether it is YAML)."""


_TAG_TOKEN = re.compile(r"(?:^|[\s\[{,])(![^\s\[\]{},]*)")


def _tag(tag: str) -> Msg:
    return msg(
        "yaml_tag",
        "YAML tag {tag!r} is not allowed; orgmodel files use plain values "
        "(no tags, no Python objects)",
        tag=tag,
    )


def _tag_in_text(text: str) -> None:
    """Refuse what looks like a tag outside comments (used when libyaml cannot read the text)."""
    for i, line in enumerate(text.split("\n"), 1):
        body = re.split(r"(?:^|\s)#", line, maxsplit=1)[0]
        m = _TAG_TOKEN.search(body)
        if m:
            raise YamlProblem(
                _tag(m.group(1)),
                i,
                m.start(1) + 1,
            )


def _screen(text: str) -> None:
    """Refuse tags and unsafe aliases, with their location, in one walk over the events."""
    sizes: dict[str, int] = {}  # anchor -> its expanded size (nodes + characters)
    # open collections: [anchor or None, size so far]
    stack: list[list[Any]] = []
    total = 0
    events = _events(text)
    while True:
        try:
            ev = next(events, None)
        except YamlProblem:
            raise _Unreadable from None
        if ev is None:
            break
        if isinstance(ev, yaml.DocumentStartEvent) and ev.tags:
            line, col = _mark(ev)
            raise YamlProblem(
                msg(
                    "yaml_tag_directive",
                    "a %TAG directive is not allowed; orgmodel files use plain values (no tags)",
                ),
                line,
                col,
            )
        tag = getattr(ev, "tag", None)
        if tag is not None:
            line, col = _mark(ev)
            raise YamlProblem(
                _tag(tag.replace("tag:yaml.org,2002:", "!!")),
                line,
                col,
            )
        if isinstance(ev, yaml.AliasEvent):
            name = ev.anchor
            if name not in sizes:
                line, col = _mark(ev)
                if any(s[0] == name for s in stack):
                    raise YamlProblem(
                        msg(
                            "yaml_recursive_alias",
                            "the alias *{name} refers to the node it is inside (a recursive "
                            "alias); write the data out instead",
                            name=name,
                        ),
                        line,
                        col,
                    )
                raise YamlProblem(
                    msg(
                        "yaml_alias_before_anchor",
                        "the alias *{name} is used before its anchor &{name} is defined",
                        name=name,
                    ),
                    line,
                    col,
                )
            size = sizes[name]
            total += size
            if total > ALIAS_EXPANSION_LIMIT:
                line, col = _mark(ev)
                raise YamlProblem(
                    msg(
                        "yaml_alias_bomb",
                        "anchors and aliases expand to more than {most:,} nodes and characters "
                        "(an alias bomb?); write the data out instead of using aliases",
                        most=ALIAS_EXPANSION_LIMIT,
                    ),
                    line,
                    col,
                )
            if stack:
                stack[-1][1] += size
        elif isinstance(ev, yaml.ScalarEvent):
            size = 1 + len(ev.value)
            if ev.anchor is not None:
                sizes[ev.anchor] = size
            if stack:
                stack[-1][1] += size
        elif isinstance(ev, _STARTS):
            stack.append([ev.anchor, 1])
        elif isinstance(ev, _ENDS):
            anchor, size = stack.pop()
            if anchor is not None:
                sizes[anchor] = size
            if stack:
                stack[-1][1] += size


def _second_document(text: str) -> YamlProblem | None:
    seen = 0
    try:
        for ev in _events(text):
            if isinstance(ev, yaml.DocumentStartEvent):
                seen += 1
                if seen == 2:
                    line, col = _mark(ev)
                    return YamlProblem(_SEVERAL, line, col)
    except YamlProblem as p:
        return p
    return None


_RS_LOC = re.compile(r"line (\d+), column (\d+)")


def _rs_problem(text: str, reason: str) -> YamlProblem:
    m = _RS_LOC.search(reason)
    lines = reason.strip().splitlines()
    detail = lines[-1].strip() if lines else reason
    if "recursion limit" in reason or "nesting" in reason.lower() or "depth" in reason.lower():
        line, col = (int(m.group(1)), int(m.group(2))) if m else (None, None)
        return YamlProblem(
            msg(
                "yaml_rs_too_deep",
                "the file nests lists and mappings too deeply for YAML (yaml-rs: {detail}); "
                "an org is a few levels deep",
                detail=lines[0].strip() if lines else reason,
            ),
            line,
            col,
        )
    if m:
        return YamlProblem(_syntax(detail), int(m.group(1)), int(m.group(2)))
    # No location (a duplicate key, an alias limit): find it in the events.
    dup = _duplicate_key(text)
    if dup is not None:
        return dup
    return YamlProblem(msg("yaml_error", "YAML error: {detail}", detail=detail))


def _duplicate_key(text: str) -> YamlProblem | None:
    seen: dict[tuple[PathElem, ...], dict[Any, int]] = {}
    try:
        for p, _ev, key_mark in _Walk(text):
            if key_mark is None or not p:
                continue
            keys = seen.setdefault(p[:-1], {})
            k = p[-1]
            if k in keys:
                return YamlProblem(
                    msg(
                        "duplicate_key",
                        "duplicate key {key!r} (first given on line {first}); "
                        "each key may appear once in a mapping",
                        key=k,
                        first=keys[k],
                    ),
                    *key_mark,
                )
            keys[k] = key_mark[0]
    except YamlProblem as p_:
        return p_
    return None


class _Walk:
    """The events of a text with the document path of every node, found without recursion.

    Yields (path, event, key_mark) for each node's first event (a scalar, an alias, or the
    start of a collection); key_mark is the mark of the mapping key the node is the value of.
    """

    def __init__(self, text: str) -> None:
        self.text = text

    def __iter__(self) -> Iterator[tuple[tuple[PathElem, ...], Any, Mark | None]]:
        # frames: [path, is_mapping, expecting_key, current key, key mark, next index]
        stack: list[list[Any]] = []
        for ev in _events(self.text):
            if isinstance(ev, _ENDS):
                stack.pop()
                continue
            if not isinstance(ev, (*_STARTS, yaml.ScalarEvent, yaml.AliasEvent)):
                continue
            if not stack:
                path: tuple[PathElem, ...] = ()
                key_mark = None
            else:
                top = stack[-1]
                if top[1]:  # a mapping
                    if top[2]:  # this node is a key
                        top[2] = False
                        top[3] = ev.value if isinstance(ev, yaml.ScalarEvent) else None
                        top[4] = _mark(ev)
                        if isinstance(ev, _STARTS):  # a complex key: walk it, path unknown
                            stack.append([(*top[0], None), False, False, None, None, 0])
                        continue
                    top[2] = True
                    path = (*top[0], top[3])
                    key_mark = top[4]
                else:
                    path = (*top[0], top[5])
                    top[5] += 1
                    key_mark = None
            yield path, ev, key_mark
            if isinstance(ev, _STARTS):
                stack.append([path, isinstance(ev, yaml.MappingStartEvent), True, None, None, 0])


def _same(elem: PathElem | None, want: PathElem) -> bool:
    return elem == want or (elem is not None and isinstance(want, int) and elem == str(want))


def locate(text: str, path: Sequence[PathElem], *, key: bool = False) -> Mark | None:
    """Line and column of the node at `path` (of its key when `key`), or of the nearest node
    on the way that exists; an alias on the way is where the path leads. None when the text
    cannot be read."""
    if text.startswith("\ufeff"):
        text = text[1:]
    want = tuple(path)
    best: Mark | None = None
    best_len = -1
    try:
        for p, ev, key_mark in _Walk(text):
            n = len(p)
            if n > len(want) or not all(_same(a, b) for a, b in zip(p, want, strict=False)):
                continue
            if n == len(want):
                return key_mark if key and key_mark is not None else _mark(ev)
            if isinstance(ev, yaml.AliasEvent):
                return _mark(ev)
            if n > best_len:
                best, best_len = _mark(ev), n
    except YamlProblem:
        return best
    return best if best is not None else (1, 1)


def item_lines(text: str, path: Sequence[PathElem]) -> list[int]:
    """The line of each item of the sequence at `path` (a plan's steps), without recursion."""
    if text.startswith("\ufeff"):
        text = text[1:]
    want = tuple(path)
    out: list[int] = []
    try:
        for p, ev, _ in _Walk(text):
            if len(p) == len(want) + 1 and p[:-1] == want and isinstance(p[-1], int):
                out.append(_mark(ev)[0])
    except YamlProblem:
        pass
    return out


def plain_scalars(text: str) -> dict[tuple[PathElem, ...], str]:
    """Every plain scalar of the text as written, by its document path (one walk)."""
    out: dict[tuple[PathElem, ...], str] = {}
    try:
        for p, ev, _ in _Walk(text.removeprefix("\ufeff")):
            if isinstance(ev, yaml.ScalarEvent) and not ev.style:
                out[p] = ev.value
    except YamlProblem:
        pass
    return out


def unit_ids_as_written(
    text: str, keys: frozenset[str] = frozenset({"units", "children"})
) -> dict[int, str]:
    """The id of each unit as written, by the unit's pre-order number, for the ids written as
    plain scalars (``007`` stays "007"). Units are the mappings in a ``units`` or ``children``
    list; numbered in the order their mappings start, which is pre-order."""
    out: dict[int, str] = {}
    numbers: dict[tuple[PathElem, ...], int] = {}
    count = 0
    try:
        for p, ev, _ in _Walk(text.removeprefix("\ufeff")):
            if (
                isinstance(ev, yaml.MappingStartEvent)
                and len(p) >= 2
                and isinstance(p[-1], int)
                and p[-2] in keys
            ):
                numbers[p] = count
                count += 1
            elif (
                isinstance(ev, yaml.ScalarEvent)
                and not ev.style
                and len(p) >= 3
                and p[-1] == "id"
                and p[:-1] in numbers
            ):
                out[numbers.pop(p[:-1])] = ev.value
            elif (
                isinstance(ev, yaml.AliasEvent)
                and len(p) >= 2
                and isinstance(p[-1], int)
                and p[-2] in keys
            ):
                return {}  # a unit repeated through an alias: the numbering is not the file's
    except YamlProblem:
        pass
    return out
