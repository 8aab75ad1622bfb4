"""The exception tree.

    OrgmodelError
    ├── LoadError (ValueError)      an input file is broken: carries file, line, column
    │   └── PlanError               a plan file or plan step is broken
    └── RulebookError (ValueError)  no rulebook covers a date, or an unknown rulebook id

A model that *breaks the law* is not an error: `check` returns violations for it.
"""

from __future__ import annotations


class OrgmodelError(Exception):
    """Base of every error orgmodel raises on purpose."""


class LoadError(OrgmodelError, ValueError):
    """Broken input: says which file, where, what is wrong and what is expected."""

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

    def __str__(self) -> str:
        where = self.file or "<string>"
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return f"{where}: {self.message}"

    def __reduce__(self):  # type: ignore[no-untyped-def]
        return (_rebuild, (type(self), self.message, self.file, self.line, self.column))


def _rebuild(cls, message, file, line, column):  # type: ignore[no-untyped-def]
    return cls(message, file=file, line=line, column=column)


class PlanError(LoadError):
    """A broken plan: unknown unit, a step on a removed unit, a cycle, an id clash..."""


class RulebookError(OrgmodelError, ValueError):
    """No rulebook covers the date asked for, or a rulebook id is unknown."""
