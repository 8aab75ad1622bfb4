"""Reading input files strictly and writing output files safely.

Inputs: only regular files are read (a FIFO does not hang, ``/dev/zero`` does not fill memory),
at most `MAX_INPUT_BYTES`, as UTF-8.

Outputs: every output of a command is first written to a temporary file created exclusively
(a unique name, ``O_EXCL``: never following a link planted at the name) in the target's own
folder, then all are renamed into place together. A command that fails replaces nothing; an
output that resolves to one of the command's inputs is refused before anything is written.
Every message names the path the user gave, never the temporary name.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import stat
import tempfile
from collections.abc import Callable, Iterable
from typing import IO, Any

from pydantic_core import to_json

from ._errors import LoadError, Msg, OrgmodelError, OutputError, msg

# The largest input read (a national model of 100,000 units is about 13 MB).
MAX_INPUT_BYTES = 512 * 1024 * 1024

PathLike = str | os.PathLike[str]


def size_text(n: int) -> Msg:
    """A size for people: bytes below one MiB, MiB above."""
    if n >= 2**20:
        return msg("size_mib", "{n:,} MiB", n=round(n / 2**20))
    return msg("size_bytes", "{n:,} bytes", n=n)


_NOUNS = {
    "file": msg("noun_file", "file"),
    "table": msg("noun_table", "table"),
}


def read_bytes(
    path: PathLike,
    error: type[OrgmodelError] = LoadError,
    *,
    limit: int = MAX_INPUT_BYTES,
    what: str = "file",
) -> bytes:
    """The bytes of a regular file of at most `limit` bytes, or a located error: no file given,
    no such file, a directory, not a regular file (a pipe, a device), too large, unreadable.
    `what` names the kind of file in messages ("table")."""
    name = os.fspath(path)
    noun = _NOUNS.get(what) or msg("noun", "{what}", what=what)
    if not name:
        raise error(msg("no_file_given", "no file given; expected the path of a {what}", what=noun))

    def too_big(size: Msg) -> OrgmodelError:
        return error(
            msg(
                "file_too_big",
                "the file {size}; {what}s of at most {limit} are read "
                "(split it, or check that this is the right file)",
                size=size,
                what=noun,
                limit=size_text(limit),
            ),
            file=name,
        )

    def is_dir() -> OrgmodelError:
        return error(msg("is_directory", "is a directory, expected a {what}", what=noun), file=name)

    def unreadable(reason: str) -> OrgmodelError:
        return error(msg("cannot_read", "cannot read the file: {reason}", reason=reason), file=name)

    try:
        # O_NONBLOCK: opening a FIFO returns at once (then refused below) instead of waiting
        fd = os.open(name, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0))
    except (FileNotFoundError, NotADirectoryError):
        raise error(msg("no_such_file", "no such file"), file=name) from None
    except IsADirectoryError:
        raise is_dir() from None
    except (OSError, ValueError) as e:  # permissions, a NUL in the path, a name too long
        reason = e.strerror if isinstance(e, OSError) and e.strerror else str(e)
        raise unreadable(reason) from None
    try:
        st = os.fstat(fd)  # the file opened, not one swapped in since
        if stat.S_ISDIR(st.st_mode):
            raise is_dir()
        if not stat.S_ISREG(st.st_mode):
            raise error(
                msg(
                    "not_regular_file",
                    "is not a regular file (a pipe, socket or device); save the data to a file "
                    "first",
                ),
                file=name,
            )
        if st.st_size > limit:
            raise too_big(msg("size_is", "is {size}", size=size_text(st.st_size)))
        chunks = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            size += len(chunk)
            chunks.append(chunk)
        if size > limit:  # the file grew while read
            raise too_big(msg("size_larger", "is larger than that"))
        return b"".join(chunks)
    except OSError as e:
        raise unreadable(str(e.strerror)) from None
    finally:
        os.close(fd)


def read_text(path: PathLike, error: type[OrgmodelError] = LoadError) -> str:
    """The UTF-8 text of a file; a located error for missing files, non-regular files and
    bytes that are not UTF-8."""
    return decode(read_bytes(path, error), os.fspath(path), error)


def decode(data: bytes, name: str | None, error: type[OrgmodelError] = LoadError) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        column = e.start - (data.rfind(b"\n", 0, e.start) + 1) + 1
        raise error(
            msg(
                "not_utf8",
                "byte {byte} is not valid UTF-8; save the file as UTF-8 "
                "(Vietnamese text must be UTF-8 encoded)",
                byte=f"0x{data[e.start]:02x}",
            ),
            file=name,
            line=line,
            column=column,
        ) from None


# -- outputs ------------------------------------------------------------------------------
def _same_file(a: str, b: str) -> bool:
    try:
        return os.path.samefile(a, b)
    except OSError:
        return os.path.realpath(a) == os.path.realpath(b)


def check_outputs(
    outputs: Iterable[tuple[str, PathLike | None]], inputs: Iterable[PathLike]
) -> None:
    """Refuse, before anything is written, an output that is one of the inputs, two outputs
    that are the same file, and an output path that is a folder or an empty name.
    `outputs` pairs each path with the option that named it (``--out``)."""
    ins = [os.fspath(p) for p in inputs if p is not None and os.fspath(p)]
    seen: list[tuple[str, str]] = []
    for option, p in outputs:
        if p is None:
            continue
        out = os.fspath(p)
        if not out:
            raise OutputError(
                msg(
                    "output_not_given",
                    "{option}: no file given; expected the path of a file to write",
                    option=option,
                )
            )
        if os.path.isdir(out):
            raise OutputError(
                msg(
                    "option_output_is_folder",
                    "{option} {out}: is a folder; give the name of a file to write",
                    option=option,
                    out=out,
                )
            )
        if os.path.exists(out) or os.path.islink(out):
            for i in ins:
                if os.path.exists(i) and _same_file(out, i):
                    raise OutputError(
                        msg(
                            "output_is_input",
                            "{option} {out}: is one of this command's inputs ({input}); "
                            "orgmodel never writes over its input: choose another file",
                            option=option,
                            out=out,
                            input=i,
                        )
                    )
        for other_option, other in seen:
            if _same_file(out, other) or os.path.abspath(out) == os.path.abspath(other):
                raise OutputError(
                    msg(
                        "output_twice",
                        "{option} {out}: is also given to {other}; give each output its own file",
                        option=option,
                        out=out,
                        other=other_option,
                    )
                )
        seen.append((option, out))


def _is_folder(out: str) -> Msg:
    return msg("output_is_folder", "{out}: is a folder; give the name of a file to write", out=out)


def _describe(e: OSError, out: str) -> Msg:
    folder = os.path.dirname(out) or "."
    if isinstance(e, FileNotFoundError):
        return msg(
            "write_no_folder",
            "{out}: cannot write: the folder {folder} does not exist",
            out=out,
            folder=folder,
        )
    if isinstance(e, PermissionError):
        return msg(
            "write_permission",
            "{out}: cannot write: permission denied in the folder {folder}",
            out=out,
            folder=folder,
        )
    if isinstance(e, (IsADirectoryError, NotADirectoryError)):
        reason = e.strerror.lower() if e.strerror else "not a file"
        return msg("cannot_write", "{out}: cannot write: {reason}", out=out, reason=reason)
    return msg(
        "cannot_write", "{out}: cannot write: {reason}", out=out, reason=str(e.strerror or e)
    )


class Outputs:
    """The outputs of one command, written all or none.

        with Outputs() as outs:
            outs.text("report.json", text)
            outs.write("after.xlsx", lambda f: workbook.save(f))
        # both are in place here; if anything raised, neither was replaced

    Each output goes to an exclusive temporary file beside its target; leaving the block
    normally renames them all into place; an exception removes them all.
    """

    def __init__(self) -> None:
        self._staged: list[tuple[str, str]] = []  # (temporary path, target as the user gave it)

    def __enter__(self) -> Outputs:
        return self

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None:
        if exc_type is None:
            self.commit()
        else:
            self.discard()

    def write(self, target: PathLike, writer: Callable[[IO[bytes]], Any]) -> None:
        """Stage an output: `writer` is given the open (binary) temporary file."""
        out = os.fspath(target)
        if not out:
            raise OutputError(msg("no_output_given", "no output file given"))
        if os.path.isdir(out):
            raise OutputError(_is_folder(out))
        folder = os.path.dirname(out) or "."
        try:
            fd, tmp = tempfile.mkstemp(prefix=".orgmodel-", suffix=".tmp", dir=folder)
        except OSError as e:
            raise OutputError(_describe(e, out)) from None
        self._staged.append((tmp, out))
        try:
            # mkstemp makes the file private (0600); give it the mode a plain open() would
            try:
                mode = os.stat(out).st_mode & 0o777
            except OSError:
                umask = os.umask(0)
                os.umask(umask)
                mode = 0o666 & ~umask
            os.fchmod(fd, mode)
            with os.fdopen(fd, "wb") as f:
                writer(f)
                f.flush()
                os.fsync(f.fileno())
        except OSError as e:
            raise OutputError(_describe(e, out)) from None

    def text(self, target: PathLike, text: str) -> None:
        data = text.encode("utf-8")
        self.write(target, lambda f: f.write(data))

    def commit(self) -> None:
        try:
            for tmp, out in self._staged:
                try:
                    os.replace(tmp, out)
                except OSError as e:
                    raise OutputError(_describe(e, out)) from None
        finally:
            self.discard()

    def discard(self) -> None:
        for tmp, _ in self._staged:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        self._staged = []


def write_text_atomic(path: PathLike, text: str) -> None:
    """Write `text` to `path` so that readers see the old file or the new one, never a part."""
    with Outputs() as outs:
        outs.text(path, text)


def write_atomic(path: PathLike, writer: Callable[[IO[bytes]], Any]) -> None:
    """Write a binary file through `writer(file)`, atomically (see `Outputs`)."""
    with Outputs() as outs:
        outs.write(path, writer)


# -- JSON reports ---------------------------------------------------------------------------
#
# `json.dumps(..., indent=2)` runs Python's pure-Python encoder (the C one does not indent): a
# national simulation's report (40 MB) takes seconds. pydantic-core's encoder writes the very
# same text (the same separators, escapes, key order, integers, NaN/Infinity) about ten times
# faster, except for what is checked below, where the standard encoder writes it instead.

# What pydantic-core writes otherwise than `json` (a text holding one by chance is written by
# `json` too, the same): a float under 1e-4 ("0.00001" for "1e-05", "1e-7" for "1e-07"), and a
# None key ("None" for "null")
_EXPONENT = re.compile(rb"[0-9]e-[0-9](?![0-9])")
_EXPONENT_TAIL = re.compile(rb"e-[0-9](?![0-9])")
# the characters `json_text` escapes, as UTF-8: DEL, C1 controls, line and paragraph
# separators, bidi controls
_RAW_LEADS = (b"\x7f", b"\xc2", b"\xe2")
_RAW = re.compile(rb"\x7f|\xc2[\x80-\x9f]|\xe2\x80[\xa8-\xae]|\xe2\x81[\xa6-\xa9]")


def json_report(data: Any) -> str:
    """``json_text(json.dumps(data, ensure_ascii=False, indent=2))``, the JSON the commands
    print and write, exactly; made by pydantic-core's encoder where it writes the same text."""
    from ._escape import json_text

    try:
        encoded = to_json(data, indent=2)
    except Exception:  # what it refuses (a lone surrogate), json writes
        encoded = None
    if encoded is None or _differs(encoded):
        return json_text(json.dumps(data, ensure_ascii=False, indent=2))
    return _escape_raw(encoded).decode()


class Stream:
    """A list of a JSON report given as the iterable of its items: `json_report_parts` makes,
    encodes and lets go of one item at a time, so that a national report's hundreds of
    thousands of small dicts never live at once (nor grow the heap the collector walks)."""

    __slots__ = ("make",)

    def __init__(self, make: Callable[[], Iterable[Any]]) -> None:
        self.make = make  # each call: the items anew (a fallback reads them again)


def materialized(data: Any) -> Any:
    """The document with its `Stream`s made lists (in the dicts that hold them)."""
    if type(data) is Stream:
        return [materialized(x) for x in data.make()]
    if type(data) is dict and any(map(_holds_stream, data.values())):
        return {k: materialized(v) for k, v in data.items()}
    return data


def _holds_stream(v: Any) -> bool:
    return type(v) is Stream or (type(v) is dict and any(map(_holds_stream, v.values())))


_STREAM_CHUNK = 64  # items encoded at once (they die young: the collector never walks them)


def _encode_parts(value: Any, pad: bytes, out: list[bytes]) -> None:
    """`to_json(value, indent=2)` at the nesting of `pad`, in parts: a dict that holds a
    `Stream` key by key, a `Stream` a few hundred items at a time (its items hold none),
    anything else in one piece."""
    if type(value) is Stream:
        first = True
        chunk: list[Any] = []
        for item in value.make():
            chunk.append(item)
            if len(chunk) == _STREAM_CHUNK:
                first = _encode_chunk(chunk, pad, out, first)
                chunk = []
        if chunk:
            first = _encode_chunk(chunk, pad, out, first)
        out.append(b"[]" if first else b"\n" + pad + b"]")
    elif (
        type(value) is dict
        and any(map(_holds_stream, value.values()))
        and all(type(k) is str for k in value)  # `json` writes other keys its own way
    ):
        inner = pad + b"  "
        sep = b"{\n"
        for k, v in value.items():
            out += (sep, inner, to_json(k), b": ")
            sep = b",\n"
            _encode_parts(v, inner, out)
        out.append(b"\n" + pad + b"}")
    else:
        encoded = to_json(materialized(value), indent=2)
        out.append(encoded.replace(b"\n", b"\n" + pad) if pad and b"\n" in encoded else encoded)


def _encode_chunk(chunk: list[Any], pad: bytes, out: list[bytes], first: bool) -> bool:
    """Items of a list at the nesting of `pad`: encoded as a list, whose brackets are cut."""
    body = to_json(chunk, indent=2)[2:-2]  # b"[\n" + the items, each line indented + b"\n]"
    if pad:
        body = pad + body.replace(b"\n", b"\n" + pad)
    out.append((b"[\n" if first else b",\n") + body)
    return False


def json_dumps_parts(data: Any) -> str:
    """`json.dumps(materialized(data), ensure_ascii=False)`, exactly, written in parts."""
    out: list[str] = []
    _dumps_parts(data, out)
    return "".join(out)


def _dumps_parts(value: Any, out: list[str]) -> None:
    dumps = json.dumps
    if type(value) is Stream:
        sep = "["
        chunk: list[Any] = []
        for item in value.make():
            chunk.append(item)
            if len(chunk) == _STREAM_CHUNK:
                out += (sep, dumps(chunk, ensure_ascii=False)[1:-1])
                sep, chunk = ", ", []
        if chunk:
            out += (sep, dumps(chunk, ensure_ascii=False)[1:-1])
            sep = ", "
        out.append("[]" if sep == "[" else "]")
    elif (
        type(value) is dict
        and any(map(_holds_stream, value.values()))
        and all(type(k) is str for k in value)  # `json` writes other keys its own way
    ):
        sep = "{"
        for k, v in value.items():
            out += (sep, dumps(k, ensure_ascii=False), ": ")
            sep = ", "
            _dumps_parts(v, out)
        out.append("}")
    else:
        out.append(dumps(materialized(value), ensure_ascii=False))


def json_report_parts(data: Any) -> str:
    """`json_report(materialized(data))`, exactly, written in parts (`Stream`)."""
    out: list[bytes] = []
    try:
        _encode_parts(data, b"", out)
    except Exception:  # what pydantic-core refuses (a lone surrogate): `json_report` says it
        return json_report(materialized(data))
    encoded = b"".join(out)
    del out
    if _differs(encoded):
        return json_report(materialized(data))
    return _escape_raw(encoded).decode()


def _escape_raw(encoded: bytes) -> bytes:
    """`json_text` on UTF-8: the characters it escapes, found from their first bytes (rare in a
    report: a few finds over the text instead of a pattern tried at every byte)."""
    spans: list[tuple[int, int]] = []
    for lead in _RAW_LEADS:
        i = encoded.find(lead)
        while i >= 0:
            if len(spans) > 1000:  # many: one pass of the pattern
                return _RAW.sub(_raw_escape, encoded)
            m = _RAW.match(encoded, i)
            if m:
                spans.append(m.span())
            i = encoded.find(lead, i + 1)
    if not spans:
        return encoded
    spans.sort()
    out: list[bytes] = []
    at = 0
    for a, b in spans:
        out += (encoded[at:a], b"\\u%04x" % ord(encoded[a:b].decode()))
        at = b
    out.append(encoded[at:])
    return b"".join(out)


def _raw_escape(m: re.Match[bytes]) -> bytes:
    return b"\\u%04x" % ord(m.group().decode())


def _differs(encoded: bytes) -> bool:
    """Whether pydantic-core may have written `encoded` otherwise than `json` would."""
    if b"0.0000" in encoded or b'"None": ' in encoded:
        return True
    if b"e-" not in encoded:
        return False
    # `_EXPONENT`, found from its literal part (a report holds tens of thousands of "e-" in
    # ids and names: a pattern that starts with a digit class is tried at every byte)
    for m in _EXPONENT_TAIL.finditer(encoded):
        at = m.start()
        if at and 48 <= encoded[at - 1] <= 57:  # a digit before
            return True
    return False
