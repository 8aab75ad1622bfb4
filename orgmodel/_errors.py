"""The exception tree.

    OrgmodelError                   every error orgmodel raises on purpose; carries file, line,
    │                               column where the problem has a place
    ├── LoadError (ValueError)      an org or rulebook file is broken
    ├── PlanError (ValueError)      a plan file or step is broken, or a step cannot be applied
    ├── RulebookError (ValueError)  no rulebook covers a date, or an unknown rulebook id
    └── OutputError (OSError)       an output cannot be written where asked (nothing was written)

A model that *breaks the law* is not an error: `check` returns violations for it. A plan's
complaint is not a load error: ``except LoadError`` does not catch a `PlanError`.
"""

from __future__ import annotations


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
