"""Safe YAML parsing: yaml-rs (compiled, fast) first, PyYAML as a tested fallback.

Both paths give the same Python data for the same text: YAML 1.2 core scalars (``yes`` is a
string, ``007`` is 7), no timestamps (dates stay strings, the loader parses them), no custom
tags, no duplicate keys, and a bound on alias expansion ("billion laughs").

Locating a problem (line and column) re-reads the text with PyYAML's composer; that costs
time only when there is a problem.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import Any

import yaml

yaml_rs: Any
try:  # pragma: no cover - exercised by the CI install
    import yaml_rs
except ImportError:  # pragma: no cover
    yaml_rs = None

# Alias nodes replayed beyond this count are refused (an org file has no need for more).
ALIAS_REPLAY_LIMIT = 10_000

PathElem = str | int


class YamlProblem(Exception):
    """A YAML-level problem with its 1-based line and column when known."""

    def __init__(self, message: str, line: int | None = None, column: int | None = None):
        super().__init__(message)
        self.message = message
        self.line = line
        self.column = column


# -- PyYAML with YAML 1.2 core-schema resolution ------------------------------------------
_INT = re.compile(r"^(?:[-+]?[0-9][0-9_]*|0o[0-7]+|0x[0-9a-fA-F]+)$")
_FLOAT = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9][0-9_]*(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)
_BOOL = re.compile(r"^(?:true|True|TRUE|false|False|FALSE)$")
_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")

_T = "tag:yaml.org,2002:"


class _Resolver(yaml.resolver.BaseResolver):
    pass


_Resolver.add_implicit_resolver(_T + "bool", _BOOL, list("tTfF"))
_Resolver.add_implicit_resolver(_T + "int", _INT, list("-+0123456789"))
_Resolver.add_implicit_resolver(_T + "float", _FLOAT, list("-+0123456789."))
_Resolver.add_implicit_resolver(_T + "null", _NULL, ["~", "n", "N", ""])

_CParser = getattr(getattr(yaml, "cyaml", None), "CParser", None)  # libyaml, when built
if _CParser is not None:

    class _Composer(_CParser, _Resolver):  # type: ignore[misc, valid-type]
        def __init__(self, stream: str) -> None:
            _CParser.__init__(self, stream)  # type: ignore[misc]
            _Resolver.__init__(self)

else:  # pragma: no cover - libyaml missing

    class _Composer(  # type: ignore[no-redef]
        yaml.reader.Reader,
        yaml.scanner.Scanner,
        yaml.parser.Parser,
        yaml.composer.Composer,
        _Resolver,
    ):
        def __init__(self, stream: str) -> None:
            yaml.reader.Reader.__init__(self, stream)
            yaml.scanner.Scanner.__init__(self)
            yaml.parser.Parser.__init__(self)
            yaml.composer.Composer.__init__(self)
            _Resolver.__init__(self)


def _mark(node: yaml.Node) -> tuple[int, int]:
    return node.start_mark.line + 1, node.start_mark.column + 1


def compose(text: str) -> yaml.Node | None:
    """The node tree of a single-document text (PyYAML), or raise YamlProblem with a location."""
    loader = _Composer(text)
    try:
        node: yaml.Node | None = loader.get_single_node()
        return node
    except yaml.MarkedYAMLError as e:
        mark = e.problem_mark or e.context_mark
        msg = f"YAML syntax error: {e.problem or e}"
        if e.context and "expected a single document" in e.context:
            msg = "the file holds several YAML documents; expected exactly one"
        if mark is None:
            raise YamlProblem(msg) from None
        raise YamlProblem(msg, mark.line + 1, mark.column + 1) from None
    except yaml.YAMLError as e:  # pragma: no cover - reader errors
        raise YamlProblem(str(e)) from None
    finally:
        loader.dispose()


def _scalar(node: yaml.ScalarNode) -> Any:
    tag, v = node.tag, node.value
    if tag == _T + "str":
        return v
    if tag == _T + "int":
        s = v.replace("_", "")
        if s.startswith("0o"):
            return int(s[2:], 8)
        if s.startswith("0x"):
            return int(s[2:], 16)
        return int(s)
    if tag == _T + "float":
        s = v.replace("_", "").lower()
        if s.lstrip("+-") in (".inf", ".nan"):
            s = s.replace(".", "")
        return float(s)
    if tag == _T + "bool":
        return v.lower() == "true"
    if tag == _T + "null":
        return None
    line, col = _mark(node)
    raise YamlProblem(
        f"YAML tag {tag.replace(_T, '!!')!r} is not allowed; orgmodel files use plain values "
        "(no tags, no Python objects)",
        line,
        col,
    )


def to_python(root: yaml.Node) -> Any:
    """Convert a PyYAML node tree to plain Python data with orgmodel's safety rules."""
    seen: set[int] = set()
    replayed = 0

    def conv(node: yaml.Node, in_alias: bool) -> Any:
        nonlocal replayed
        if id(node) in seen:
            in_alias = True
        seen.add(id(node))
        if in_alias:
            replayed += 1
            if replayed > ALIAS_REPLAY_LIMIT:
                line, col = _mark(node)
                raise YamlProblem(
                    f"anchors and aliases expand to more than {ALIAS_REPLAY_LIMIT:,} nodes "
                    "(an alias bomb?); write the data out instead of using aliases",
                    line,
                    col,
                )
        if isinstance(node, yaml.ScalarNode):
            return _scalar(node)
        if isinstance(node, yaml.SequenceNode):
            if node.tag != _T + "seq":
                _scalar(yaml.ScalarNode(node.tag, "", node.start_mark, node.end_mark))
            return [conv(n, in_alias) for n in node.value]
        if isinstance(node, yaml.MappingNode):
            if node.tag != _T + "map":
                _scalar(yaml.ScalarNode(node.tag, "", node.start_mark, node.end_mark))
            out: dict[Any, Any] = {}
            lines: dict[Any, int] = {}
            for k, v in node.value:
                key = conv(k, in_alias)
                if isinstance(key, (list, dict)):
                    line, col = _mark(k)
                    raise YamlProblem("a mapping key must be a plain value", line, col)
                if key in out:
                    line, col = _mark(k)
                    raise YamlProblem(
                        f"duplicate key {key!r} (first given on line {lines[key]}); "
                        "each key may appear once in a mapping",
                        line,
                        col,
                    )
                lines[key] = _mark(k)[0]
                out[key] = conv(v, in_alias)
            return out
        raise YamlProblem("unsupported YAML node")  # pragma: no cover

    return conv(root, False)


def parse_pyyaml(text: str) -> Any:
    node = compose(text)
    return None if node is None else to_python(node)


# -- yaml-rs ----------------------------------------------------------------------------
_RS_LOC = re.compile(r"line (\d+), column (\d+)")


def parse(text: str, *, engine: str = "auto") -> Any:
    """Parse one YAML document to plain data. engine: "auto" (yaml-rs if installed), "rs", "py"."""
    if text.startswith("\ufeff"):
        text = text[1:]
    use_rs = engine == "rs" or (engine == "auto" and yaml_rs is not None)
    # yaml-rs reads custom tags as plain strings; PyYAML refuses them with a location, so a
    # text that may hold a tag goes the careful way.
    if not use_rs or yaml_rs is None or "!" in text:
        return parse_pyyaml(text)
    try:
        data = yaml_rs.loads(
            text,
            parse_datetime=False,
            alias_limits=yaml_rs.AliasLimits(max_total_replayed_events=ALIAS_REPLAY_LIMIT),
        )
    except yaml_rs.YAMLDecodeError as e:
        raise _rs_problem(text, str(e)) from None
    if isinstance(data, list) and re.search(r"^(---|\.\.\.)", text, re.M):
        # yaml-rs returns several documents as a list; let PyYAML say where.
        return parse_pyyaml(text)
    return data


def _rs_problem(text: str, msg: str) -> YamlProblem:
    m = _RS_LOC.search(msg)
    if m:
        detail = msg.strip().splitlines()[-1]
        return YamlProblem(f"YAML syntax error: {detail}", int(m.group(1)), int(m.group(2)))
    # No location (duplicate key, alias limit): the fallback parser finds it.
    try:
        parse_pyyaml(text)
    except YamlProblem as p:
        return p
    return YamlProblem(msg)


# -- locating a path --------------------------------------------------------------------
def locate(text: str, path: Sequence[PathElem], *, key: bool = False) -> tuple[int, int] | None:
    """Line and column of the node at `path` (of its key when `key`), or None."""
    if text.startswith("\ufeff"):
        text = text[1:]
    try:
        node = compose(text)
    except YamlProblem:
        return None
    if node is None:
        return (1, 1)
    for i, elem in enumerate(path):
        if isinstance(node, yaml.MappingNode):
            for k, v in node.value:
                if isinstance(k, yaml.ScalarNode) and (
                    k.value == elem or (isinstance(elem, int) and k.value == str(elem))
                ):
                    if key and i == len(path) - 1:
                        return _mark(k)
                    node = v
                    break
            else:
                return _mark(node)
        elif isinstance(node, yaml.SequenceNode) and isinstance(elem, int):
            if elem >= len(node.value):
                return _mark(node)
            node = node.value[elem]
        else:
            return _mark(node)
    return _mark(node)
