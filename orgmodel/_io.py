"""Reading input files strictly and writing output files atomically."""

from __future__ import annotations

import contextlib
import os
import tempfile
from pathlib import Path

from ._errors import LoadError, OrgmodelError


def read_text(path: str | os.PathLike[str], error: type[OrgmodelError] = LoadError) -> str:
    """The UTF-8 text of a file; a located `LoadError` for missing files and non-UTF-8 bytes."""
    name = os.fspath(path)
    try:
        data = Path(path).read_bytes()
    except FileNotFoundError:
        raise error("no such file", file=name) from None
    except IsADirectoryError:
        raise error("is a directory, expected a YAML file", file=name) from None
    except OSError as e:
        raise error(f"cannot read the file: {e.strerror}", file=name) from None
    return decode(data, name, error)


def decode(data: bytes, name: str | None, error: type[OrgmodelError] = LoadError) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise error(
            f"byte 0x{data[e.start]:02x} is not valid UTF-8; save the file as UTF-8 "
            "(Vietnamese text must be UTF-8 encoded)",
            file=name,
            line=line,
            column=column,
        ) from None


def write_text_atomic(path: str | os.PathLike[str], text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part."""
    target = Path(path)
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent or ".")
    try:
        # mkstemp makes the file private (0600); give it the mode a plain open() would
        try:
            mode = target.stat().st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        with os.fdopen(fd, "w", encoding="utf-8", newline="\n") as f:
            f.write(text)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, target)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise
