"""The exception tree.

    OrgmodelError                   every error orgmodel raises on purpose; carries file, line,
    │                               column where the problem has a place
    ├── LoadError (ValueError)      an org or rulebook file is broken
    ├── PlanError (ValueError)      a plan file or step is broken, or a step cannot be applied
    ├── RulebookError (ValueError)  no rulebook covers a date, or an unknown rulebook id
    └── OutputError (OSError)       an output cannot be written where asked (nothing was written)

A model that *breaks the law* is not an error: `check` returns violations for it. A plan's
complaint is not a load error: ``except LoadError`` does not catch a `PlanError`.

Every message is a `Msg`: its English text (a plain ``str`` to whoever reads it so), a stable
`code` naming the kind of problem, and the `params` it was made from. The command line renders
it in the language asked for from the code and the params (`orgmodel._i18n.ERRORS_VI`), never by
rewriting the English sentence.
"""

from __future__ import annotations

import functools
import string
from collections.abc import Iterable
from typing import Any


class Msg(str):
    """A message made from data. Its value is the English text; `code` is a short stable
    snake_case name of the kind of message, `params` the values it was made from (texts, numbers,
    dates, or other `Msg` for nested phrases), `template` the English template (``str.format``
    syntax; a field written ``{n:,}`` is a figure shown with the language's separators).
    `context` is an optional `Msg` that places it ("step 2 (merge, line 7)"), written before
    it with ": "."""

    code: str
    params: dict[str, Any]
    template: str
    context: Msg | None

    def __new__(
        cls, code: str, template: str, params: dict[str, Any], context: Msg | None = None
    ) -> Msg:
        text = _FORMATTER.vformat(template, (), params)
        self = super().__new__(cls, f"{context}: {text}" if context is not None else text)
        self.code = code
        self.params = params
        self.template = template
        self.context = context
        return self

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (Msg, (self.code, self.template, self.params, self.context))

    def __deepcopy__(self, memo: Any) -> Msg:
        return self

    def __copy__(self) -> Msg:
        return self

    def with_params(self, **params: Any) -> Msg:
        """The same message with some params replaced."""
        return Msg(self.code, self.template, {**self.params, **params}, self.context)

    def within(self, context: Msg) -> Msg:
        """The same message placed by `context` (written before it)."""
        if self.context is not None:
            context = self.context.within(context)
        return Msg(self.code, self.template, self.params, context)


class MsgFormatter(string.Formatter):
    """Fills a message's template: a list param is its items joined by the field's format spec
    (``{rulebooks:; }``; ", " when none)."""

    def format_field(self, value: Any, format_spec: str) -> Any:
        if isinstance(value, list):
            return (format_spec or ", ").join(self.format_field(v, "") for v in value)
        return format(value, format_spec)


_FORMATTER = MsgFormatter()


def msg(code: str, template: str, /, **params: Any) -> Msg:
    """A `Msg`: ``msg("duplicate_id", "duplicate id {id!r}", id="a")``."""
    return Msg(code, template, params)


def bilingual(en: str, vi: str) -> Msg:
    """A phrase that data gives in both languages (a citation, a basis): each language shows
    its own text."""
    return msg("bilingual", "{en}{vi:.0}", en=en, vi=vi)


def expected_one_of(choices: Iterable[str]) -> Msg:
    """'expected one of: a, b, c' (the choices as files write them)."""
    return msg("expected_one_of", "expected one of: {choices}", choices=", ".join(choices))


@functools.lru_cache(maxsize=512)  # built for every field a plan names, in case of an error
def field_ref(name: str, *, quoted: bool = True) -> Msg:
    """A unit's field as a message names it: its key (``'civil_servants'``, or bare ``kind``);
    in Vietnamese the field's name comes first ("biên chế công chức 'civil_servants'")."""
    if quoted:
        return msg("field", "{name!r}", name=name)
    return msg("field_bare", "{name}", name=name)


class OrgmodelError(Exception):
    """Base of every error orgmodel raises on purpose: the message, and where (when known)."""

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        line: int | None = None,
        column: int | None = None,
    ) -> None:
        self.message = message
        self.file = file
        self.line = line
        self.column = column
        super().__init__(str(self))

    @property
    def code(self) -> str | None:
        """The kind of problem, a stable snake_case name (e.g. ``"duplicate_id"``,
        ``"unknown_kind"``), or None for a message not made from data."""
        return getattr(self.message, "code", None)

    @property
    def params(self) -> dict[str, Any]:
        """The values the message was made from (e.g. ``{"id": "d", "first": 10}``); texts,
        numbers, dates, or nested `Msg` phrases. Empty when `code` is None."""
        return dict(getattr(self.message, "params", {}))

    @property
    def where(self) -> str:
        """``file:line:column`` (the parts known), or "" when the problem has no place."""
        if self.file is None and self.line is None:
            return ""
        where = self.file or "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def __str__(self) -> str:
        where = self.where
        return f"{where}: {self.message}" if where else self.message

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (type(self), self.message, self.file, self.line, self.column))


def _rebuild(cls, message, file, line, column):  # type: ignore[no-untyped-def]
    return cls(message, file=file, line=line, column=column)


class LoadError(OrgmodelError, ValueError):
    """Broken input: says which file, where, what is wrong and what is expected."""


class PlanError(OrgmodelError, ValueError):
    """A broken plan: unknown unit, a step on a removed unit, a cycle, an id clash..."""


class RulebookError(OrgmodelError, ValueError):
    """No rulebook covers the date asked for, or a rulebook id is unknown."""


class OutputError(OrgmodelError, OSError):
    """An output cannot be written: a missing or read-only folder, a folder given as the file,
    or an output that would replace one of the command's inputs. Nothing was written."""
