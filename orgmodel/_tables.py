"""Flat tables in and out: CSV and Excel (.xlsx; openpyxl is the `excel` extra).

Import reads one row per unit (`id`, `parent`, `kind`, `name`, `civil_servants`, `deputies`, ...)
and reports bad rows by their row number. Export writes a model, its check report, or a
simulation outcome to a workbook: a sheet each for the summary, the units before and after, the
changes and the violations; or, to a `.csv`, the units as an import table.

Tables come from outside, so reading them is bounded and defensive: the file must be a regular
file of at most `MAX_FILE_BYTES`; an .xlsx (a zip archive) is inspected before openpyxl sees it
(members, unpacked size, compression ratio, no DTD or entity declaration in its XML); a CSV is
strict UTF-8 without NUL bytes and with bounded rows. Every problem is a `LoadError` naming the
file, the row and the column. Text that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import io
import os
import re
import warnings
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ._errors import LoadError, RulebookError
from ._io import read_bytes, size_text
from ._load import suggest
from ._model import FILE_FIELDS, Org, Unit, norm_id
from ._rules import Violation

COLUMNS = ("id", "parent", *FILE_FIELDS[1:])
# the export's Units sheet shows the inherited class beside the stated one; import ignores it
INHERITED_CLASS = "province class (inherited)"
_INTS = ("civil_servants", "deputies", "head", "public_employees", "provinces_merged")

# -- bounds on what is read --------------------------------------------------------------
MAX_FILE_BYTES = 100 * 2**20
"""A table file larger than this (100 MiB) is refused before it is read."""
MAX_UNCOMPRESSED_BYTES = 100 * 2**20
"""An .xlsx whose members unpack to more than this (100 MiB together) is refused."""
MAX_COMPRESSION_RATIO = 100
"""An .xlsx member that unpacks to more than this many times its packed size (and to more than
`_RATIO_FLOOR` bytes) is a zip bomb. Real sheets pack 5 to 30 times."""
_RATIO_FLOOR = 2**20
MAX_MEMBERS = 1_000
"""An .xlsx with more files inside than this is refused (a workbook has a few dozen)."""
MAX_ROWS = 1_048_576
"""Rows read from a table (Excel's own limit)."""
MAX_COLUMNS = 1_024
"""Columns read from an .xlsx sheet; cells further right are not read."""
MAX_RECORD_CHARS = 4 * 2**20
"""Characters in one CSV row (one cell is further limited by `csv.field_size_limit`)."""

# -- formula injection ---------------------------------------------------------------------
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
"""A cell whose text starts with one of these may be run as a formula by a spreadsheet."""
_NEEDS_QUOTE = re.compile(r"'*[=+\-@\t\r\n]")


def csv_escape(text: str) -> str:
    """Text as a CSV cell a spreadsheet shows as text: a leading formula character gets a `'`
    before it (OWASP). Text already starting with quotes before such a character gets one more,
    so that `csv_unescape` gives back exactly `text`."""
    return "'" + text if _NEEDS_QUOTE.match(text) else text


def csv_unescape(text: str) -> str:
    """The inverse of `csv_escape`: one leading `'` is dropped when quotes and then a formula
    character follow it (`'=SUM(1)` reads as `=SUM(1)`); any other text is kept as it is."""
    return text[1:] if text.startswith("'") and _NEEDS_QUOTE.match(text, 1) else text


# text an .xlsx (XML 1.0) cannot hold: C0 controls but tab/newline/CR, lone surrogates, U+FFFE/F
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(
            "Excel files need openpyxl, an optional extra: pip install 'orgmodel[excel]'"
        ) from None
    return openpyxl


def _short(e: BaseException | str, limit: int = 160) -> str:
    """A reason for a message: one line, cut short, control characters shown as escapes (an
    exception's text can quote the hostile input, and it goes to a terminal)."""
    text = e if isinstance(e, str) else (str(e) or type(e).__name__)
    text = " ".join(text.split())
    if not text.isprintable():
        text = "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _suggest(word: str, choices: Sequence[str]) -> str:
    """`suggest` on short words only (difflib is quadratic in the lengths)."""
    if len(word) > 64:
        return ""
    return suggest(word, [c for c in choices if len(c) <= 64])


def _show(v: Any, limit: int = 60) -> str:
    """A cell value for a message: its repr, cut short."""
    text = repr(v)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-3:]


# -- reading the file ----------------------------------------------------------------------
_EXPECTED = "expected a .csv or .xlsx table"


def _kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix == ".xls":
        raise LoadError(
            "Excel 97-2003 workbooks (.xls) are not read; save it as an .xlsx workbook "
            "(Excel Workbook) or as CSV UTF-8",
            file=name,
        )
    ends = f"the name ends in {suffix!r}" if suffix else "the name has no extension"
    raise LoadError(f"{_EXPECTED} ({ends})", file=name)


class _Table:
    """The rows of a table: the header row, then (row number, cells) for each non-blank row."""

    def __init__(self, name: str, sheet: str | None) -> None:
        self.name = name
        self.sheet = sheet  # the sheet read, for an .xlsx
        self.header: list[str] = []
        self.rows: list[tuple[int, list[Any]]] = []

    def column_pos(self, index: int) -> str:
        """Where a column is (0-based index): its number, or for an .xlsx the sheet and letter."""
        if self.sheet is None:
            return f"column {index + 1}"
        from openpyxl.utils import get_column_letter

        return f"sheet {_show(self.sheet)}, column {get_column_letter(index + 1)}"

    def column_ref(self, index: int) -> str:
        """How a message names a column: where it is and its header."""
        head = self.header[index] if index < len(self.header) else ""
        return f"{self.column_pos(index)} ({_show(head)})" if head else self.column_pos(index)

    def column_of(self, field: str) -> int | None:
        return self.header.index(field) if field in self.header else None

    def field_ref(self, field: str) -> str:
        i = self.column_of(field)
        return self.column_ref(i) if i is not None else f"column {field!r}"

    def error(self, message: str, line: int | None = None, column: int | None = None) -> LoadError:
        return LoadError(
            message, file=self.name, line=line, column=None if column is None else column + 1
        )


def _read_table(name: str) -> _Table:
    data = read_bytes(name, limit=MAX_FILE_BYTES, what="table")
    kind = _kind_of(name)
    if kind == "xlsx":
        return _xlsx_table(name, data)
    return _csv_table(name, data)


# -- .xlsx -----------------------------------------------------------------------------------
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_DTD = re.compile(
    b"|".join(
        re.escape(word.encode(enc))
        for word in ("<!DOCTYPE", "<!ENTITY", "<!doctype", "<!entity")
        for enc in ("utf-8", "utf-16-le", "utf-16-be")
    )
)
_XML_ENCODING = re.compile(r"""^\s*<\?xml[^>]*?encoding\s*=\s*["']([^"']*)["']""")
_XML_CODECS = {"utf-8", "utf8", "utf-16", "utf16", "us-ascii", "ascii", "iso-8859-1", "latin-1"}


def _xlsx_table(name: str, data: bytes) -> _Table:
    def bad(what: str) -> LoadError:
        return LoadError(f"not a readable .xlsx workbook: {what}", file=name)

    if data.startswith(_OLE2):
        raise bad(
            "this is a password-protected workbook or an Excel 97-2003 file; "
            "save it as an .xlsx workbook without a password"
        )
    if not data.startswith(b"PK"):
        raise bad("an .xlsx is a zip archive and this file is not one")
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as e:  # BadZipFile, truncated central directory, bad offsets...
        raise bad(f"the zip archive is damaged or truncated ({_short(e)})") from None
    if len(infos) > MAX_MEMBERS:
        raise bad(f"it holds {len(infos):,} files; a workbook holds at most {MAX_MEMBERS:,}")
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise bad(
                f"it unpacks to more than {size_text(MAX_UNCOMPRESSED_BYTES)}; "
                f"workbooks up to {size_text(MAX_UNCOMPRESSED_BYTES)} unpacked are read"
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise bad(
                f"{_show(info.filename)} unpacks {info.file_size // max(info.compress_size, 1):,} "
                f"times its size (a zip bomb?); at most {MAX_COMPRESSION_RATIO} times is read"
            )
        if info.flag_bits & 0x1:
            raise bad(f"{_show(info.filename)} is encrypted; save the workbook without a password")
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise bad(
                f"{_show(info.filename)} uses zip compression method {info.compress_type}; "
                "expected deflate (as Excel writes)"
            )
    for info in infos:
        _scan_member(archive, info, bad)
    return _xlsx_rows(name, data, bad)


def _scan_member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, bad: Any) -> None:
    """Read one member whole (checking its CRC) and refuse a DTD or entity declaration in it:
    workbooks never have one, and entities are how XML bombs and external fetches work."""
    try:
        with archive.open(info) as f:
            head = f.read(4096)
            _check_xml_encoding(info.filename, head, bad)
            tail = b""
            chunk = head
            while chunk:
                window = tail + chunk
                if _DTD.search(window):
                    raise bad(
                        f"{_show(info.filename)} declares a DTD or an entity "
                        "(<!DOCTYPE or <!ENTITY), which a workbook never holds; refused as unsafe"
                    )
                tail = window[-32:]
                chunk = f.read(2**20)
    except LoadError:
        raise
    except Exception as e:  # a bad CRC, a broken deflate stream, a truncated member
        raise bad(f"{_show(info.filename)} is damaged ({_short(e)})") from None


def _check_xml_encoding(member: str, head: bytes, bad: Any) -> None:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or head[:2] in (b"<\x00", b"\x00<"):
        enc = "utf-16"
        if head[:2] == b"<\x00":
            enc = "utf-16-le"
        elif head[:2] == b"\x00<":
            enc = "utf-16-be"
        text = codecs.decode(head[: len(head) // 2 * 2], enc, "replace")
    else:
        text = head.decode("utf-8", "replace").lstrip("\ufeff")
    m = _XML_ENCODING.match(text)
    if m and m.group(1).strip().lower() not in _XML_CODECS:
        raise bad(f"{member!r} declares the XML encoding {m.group(1)!r}; a workbook's XML is UTF-8")


def _xlsx_rows(name: str, data: bytes, bad: Any) -> _Table:
    openpyxl = _openpyxl()
    wb: Any = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            if not wb.sheetnames:
                raise bad("it has no sheet")
            sheet = _units_sheet(list(wb.sheetnames))
            ws = wb[sheet]
            table = _Table(name, sheet)
            rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            first = next(rows, None)
            table.header = _header(first or ())
            width = len(table.header)
            for r, raw in enumerate(rows, start=2):
                if r > MAX_ROWS:
                    raise table.error(f"sheet {sheet!r} has more than {MAX_ROWS:,} rows", r)
                cells = [_cell(v) for v in raw[:width]]
                if any(c is not None for c in cells):
                    table.rows.append((r, cells))
    except LoadError:
        raise
    except Exception as e:  # openpyxl and its XML parser raise many kinds for a broken part
        raise bad(f"a part of it is damaged ({type(e).__name__}: {_short(e)})") from None
    finally:
        if wb is not None:
            with contextlib.suppress(Exception):
                wb.close()
    return table


def _units_sheet(names: list[str]) -> str:
    """The sheet to import: the one an export names Units (in any language), else the first."""
    from ._i18n import _, using

    wanted = {"Units"}
    for lang in ("vi", "en"):
        with using(lang):
            wanted.add(_("Units"))
    return next((n for n in names if n in wanted), names[0])


def _header(first: Sequence[Any]) -> list[str]:
    head = [str(_cell(h) or "").strip().lower() for h in first]
    while head and not head[-1]:
        head.pop()
    return head


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


# -- CSV -------------------------------------------------------------------------------------
class _Lines:
    """The lines of a CSV text for csv.reader, refusing a row longer than MAX_RECORD_CHARS
    before the reader builds it (a line of a million commas would be a million cells)."""

    def __init__(self, table: _Table, text: str) -> None:
        self.table = table
        self.src = io.StringIO(text, newline="")
        self.line = 0  # physical lines read
        self.record = 1  # the row being read (1-based)
        self.chars = 0  # characters of the row so far

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        line = self.src.readline(MAX_RECORD_CHARS + 1)
        if not line:
            raise StopIteration
        self.line += 1
        self.chars += len(line)
        if self.chars > MAX_RECORD_CHARS:
            raise self.table.error(
                f"row {self.record} is longer than {MAX_RECORD_CHARS:,} characters"
                + self.at()
                + '; is a quote (") left open?',
                self.record,
            )
        return line

    def at(self) -> str:
        return f" (line {self.line} of the file)" if self.line != self.record else ""


def _csv_table(name: str, data: bytes) -> _Table:
    from ._io import decode

    text = decode(data, name)  # a LoadError with the line and column of a non-UTF-8 byte
    table = _Table(name, None)
    nul = text.find("\x00")
    if nul >= 0:
        line_start = text.rfind("\n", 0, nul) + 1
        raise table.error(
            "the file holds a NUL byte; a CSV table is plain text (is it a workbook or a "
            "UTF-16 file renamed .csv? save it as CSV UTF-8)",
            text.count("\n", 0, nul) + 1,
            nul - line_start,
        )
    lines = _Lines(table, text)
    reader = csv.reader(lines, strict=True)
    width: int | None = None
    while True:
        try:
            raw = next(reader, None)
        except csv.Error as e:
            reason = str(e)
            if "field larger than field limit" in reason:
                reason = (
                    f"a cell is longer than {csv.field_size_limit():,} characters; "
                    'is a quote (") left open?'
                )
            elif "unexpected end of data" in reason:
                reason = 'the file ends inside a quoted cell; a quote (") is left open'
            elif "expected after" in reason:
                reason = f'{reason}: a quoted cell must end at the comma (write "" for a quote)'
            raise table.error(f"{reason}{lines.at()}", lines.record) from None
        if raw is None:
            break
        r = lines.record
        lines.record += 1
        lines.chars = 0
        if width is None:
            table.header = _header([csv_unescape(c) for c in raw])
            width = len(table.header)
            continue
        if r > MAX_ROWS:
            raise table.error(f"the table has more than {MAX_ROWS:,} rows", r)
        cells = [_cell(csv_unescape(c)) for c in raw[:width]]
        if any(c is not None for c in cells):
            table.rows.append((r, cells))
    return table


# -- import ----------------------------------------------------------------------------------
_INVARIANTS = {
    "id_empty",
    "control_character",
    "level_missing",
    "leaders_exceed_civil_servants",
    "provinces_merged",
}


def import_table(path: str | os.PathLike[str], *, name: str = "") -> Org:
    """A model from a flat table with one row per unit. Raises LoadError naming the row."""
    src = os.fspath(path)
    if not src:
        raise LoadError(f"no file given (the path is empty); {_EXPECTED}", file="''")
    table = _read_table(src)
    header = table.header
    if not header:
        raise table.error(
            "the table has no header row; expected a first row naming the columns: "
            + ", ".join(COLUMNS),
            1,
        )
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        if not h:
            continue
        if h in seen:
            raise table.error(
                f"the column {_show(h)} appears twice, as {table.column_ref(seen[h])} and "
                f"{table.column_ref(i)}; keep one",
                1,
                i,
            )
        seen[h] = i
        if h not in COLUMNS and h != INHERITED_CLASS and ";" in h and table.sheet is None:
            raise table.error(
                f"the header {_show(h)} holds ';': the cells seem to be separated by "
                "semicolons; orgmodel reads comma-separated CSV (save as CSV UTF-8)",
                1,
                i,
            )
        if h not in COLUMNS and h != INHERITED_CLASS:
            raise table.error(
                f"unknown column {_show(h)} ({table.column_pos(i)}); {_suggest(h, COLUMNS)}"
                "expected columns: " + ", ".join(COLUMNS),
                1,
                i,
            )
    for required in ("id", "kind", "name"):
        if required not in seen:
            where = f" in sheet {table.sheet!r}" if table.sheet else ""
            raise table.error(
                f"missing column {required!r}{where}; the first row must name the columns, "
                "at least id, kind and name",
                1,
            )
    data: list[dict[str, Any]] = []
    row_of: list[int] = []
    first_row: dict[str, int] = {}
    for r, raw in table.rows:
        d: dict[str, Any] = {
            h: v
            for h, v in zip(header, raw, strict=False)
            if h and v is not None and h != INHERITED_CLASS
        }
        if not d:
            continue  # a row with cells only in ignored columns
        uid = d.get("id")
        if uid is None:
            raise table.error(
                f"the row has no id ({table.field_ref('id')} is empty)", r, seen["id"]
            )
        d["id"] = uid = norm_id(str(uid))
        if uid in first_row:
            raise table.error(
                f"duplicate id {_show(uid)} (also on row {first_row[uid]})", r, seen["id"]
            )
        first_row[uid] = r
        if "parent" in d:
            d["parent"] = norm_id(str(d["parent"]))
        for k in _INTS:
            if isinstance(d.get(k), str):
                try:
                    d[k] = int(d[k])
                except ValueError:
                    raise table.error(
                        f"{k!r} must be a whole number, got {_show(d[k])} ({table.field_ref(k)})",
                        r,
                        seen[k],
                    ) from None
        if "functions" in d:
            d["functions"] = tuple(
                f.strip() for f in str(d["functions"]).replace(";", ",").split(",") if f.strip()
            )
        for k in ("kind", "name", "level", "class", "name_en", "note"):
            if k in d and not isinstance(d[k], str):
                d[k] = str(d[k])
        if isinstance(d.get("reorganized"), dt.datetime):  # an Excel date cell
            d["reorganized"] = d["reorganized"].date()
        data.append(d)
        row_of.append(r)
    for d, r in zip(data, row_of, strict=True):
        parent = d.get("parent")
        if parent is not None and parent not in first_row:
            raise table.error(
                f"unknown parent {_show(parent)} of unit {_show(d['id'])} "
                f"({table.field_ref('parent')}); "
                f"{_suggest(parent, list(first_row)[:5000])}the parent must be the id of a row",
                r,
                seen.get("parent"),
            )
    _refuse_cycles(table, data, first_row)
    units: list[Unit] = []
    for d, r in zip(data, row_of, strict=True):
        try:
            units.append(Unit.model_validate(d))
        except ValidationError as e:
            raise _row_error(table, e, r) from None
    try:
        # a file name in another encoding holds lone surrogates: they are not text
        stem = Path(src).stem.encode("utf-8", "replace").decode("utf-8")
        return Org(units, name=name or stem)
    except ValueError as e:  # checked above; kept so that no path ends in a traceback
        raise table.error(_short(e)) from None


def _refuse_cycles(table: _Table, data: list[dict[str, Any]], first_row: dict[str, int]) -> None:
    """Follow the parents from each row (iteratively, in linear time); a walk that comes back to
    an id it has passed is a cycle."""
    parent_of: dict[str, str | None] = {d["id"]: d.get("parent") for d in data}
    done: set[str] = set()
    for d in data:
        walk: list[str] = []
        on_walk: dict[str, int] = {}
        cur: str | None = d["id"]
        while cur is not None and cur not in done:
            if cur in on_walk:
                cyc = walk[on_walk[cur] :]
                shown = cyc if len(cyc) <= 12 else [*cyc[:5], "…", *cyc[-5:]]
                rows = [str(first_row[c]) if c != "…" else "…" for c in shown]
                raise table.error(
                    f"the parents form a cycle: {' -> '.join([*shown, cur])} "
                    f"(rows {', '.join(rows)}); a unit cannot be its own ancestor",
                    first_row[cur],
                    table.column_of("parent"),
                )
            on_walk[cur] = len(walk)
            walk.append(cur)
            cur = parent_of[cur]
        done.update(walk)


def _row_error(table: _Table, e: ValidationError, r: int) -> LoadError:
    """A pydantic complaint about a row as a located message: the column, what is wrong and
    what is expected, without pydantic's dump of the row."""
    err = e.errors(include_url=False)[0]
    ctx = err.get("ctx") or {}
    if err["type"] in _INVARIANTS:
        field = str(ctx.get("field", ""))
        message = str(err["msg"])
    else:
        field = str(err["loc"][0]) if err["loc"] else ""
        if err["type"] == "missing":
            message = f"{field!r} is empty; every unit needs one"
        elif err["type"] == "value_error":  # the validator's own words, which show the value
            message = _short(str(err["msg"]).removeprefix("Value error, "), 300)
        elif err["type"] == "enum":
            choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            got = str(err.get("input"))
            message = f"{field} {_show(err.get('input'))} is not one of: {', '.join(choices)}" + (
                f"; {suggest(got, choices).strip()}" if suggest(got, choices) else ""
            )
        else:
            message = f"{err['msg']}, got {_show(err.get('input'))}"
    field = "class" if field == "province_class" else field
    col = table.column_of(field)
    if col is not None:
        message = f"{table.column_ref(col)}: {message}"
    return table.error(message, r, col)


# -- export ----------------------------------------------------------------------------------
def _unit_rows(org: Org) -> Iterable[list[Any]]:
    # the import columns, with the inherited class beside the stated one
    yield [*COLUMNS[:6], INHERITED_CLASS, *COLUMNS[6:]]
    for u in org.units:
        cls = org.province_class(u.id)
        yield [
            u.id,
            u.parent,
            u.kind.value,
            u.name,
            u.level.value if u.level else None,
            u.province_class.value if u.province_class else None,
            cls.value if cls else None,
            # a total not stated is left empty (0 would read back as stated, below the leaders)
            u.civil_servants if "civil_servants" in u.model_fields_set else None,
            u.deputies,
            u.head,
            u.public_employees,
            ", ".join(u.functions),
            u.name_en,
            u.note,
            u.provinces_merged,
            u.reorganized,
        ]


def _violation_rows(vs: Sequence[Any], which: str | None = None) -> Iterable[list[Any]]:
    for v in vs:
        row = [
            v.rulebook,
            v.rule,
            v.unit,
            " / ".join(v.path),
            v.actual,
            v.limit,
            v.message,
            v.citation,
            "yes" if v.verified else "no",
            v.status,
            v.until,
        ]
        yield ([which] if which else []) + row


_VIOL_HEAD = [f for f in Violation.model_fields if f != "basis"]


def export_workbook(
    path: str | os.PathLike[str] | IO[bytes],
    org: Org,
    *,
    outcome: Any = None,
    csv: bool | None = None,
) -> None:
    """Write `org` (with its check report) or a simulation outcome to an .xlsx workbook; to a
    path ending in .csv (or with `csv=True`), the units (after the plan, with an outcome) as an
    import table. `path` may be an open binary file."""
    as_csv = (
        csv
        if csv is not None
        else (not hasattr(path, "write") and Path(os.fspath(path)).suffix.lower() == ".csv")
    )
    if as_csv:
        export_csv(path, outcome.after if outcome is not None else org)
        return
    openpyxl = _openpyxl()
    from ._i18n import _
    from ._rules import check

    # sheet names and summary labels follow the language; the units sheet keeps the column
    # names an import reads, and the JSON-style keys stay as they are
    wb = openpyxl.Workbook(write_only=True)
    summary = wb.create_sheet(_("Summary"))
    if outcome is None:
        tot = org.totals()
        _append(summary, [_("model"), org.name])
        _append(summary, [_("as of"), org.as_of.isoformat() if org.as_of else None])
        _append(summary, [_("units (focal points)"), tot.units])
        _append(summary, [_("civil servants"), tot.civil_servants])
        _append(summary, [_("leadership posts"), tot.leadership_posts])
        try:
            report = check(org)
            _append(summary, [_("rulebooks"), ", ".join(report.rulebooks)])
            _append(summary, [_("violations"), len(report.violations)])
            violations: list[list[Any]] = list(_violation_rows(report.violations))
        except RulebookError as e:
            _append(summary, [_("rulebooks"), str(e)])
            violations = []
        units = wb.create_sheet(_("Units"))
        for row in _unit_rows(org):
            _append(units, row)
        vs = wb.create_sheet(_("Violations"))
        _append(vs, _VIOL_HEAD)
        for row in violations:
            _append(vs, row)
    else:
        from ._render import _figures

        _append(summary, [_("plan"), outcome.plan.name])
        _append(summary, [_("rulebooks"), ", ".join(outcome.rulebooks) or "none in force"])
        for k, v in _figures(outcome):
            _append(summary, [k.strip(), v])
        for key, value in outcome.to_dict().items():
            if isinstance(value, int):
                _append(summary, [key, value])
        before = wb.create_sheet(_("Units before"))
        for row in _unit_rows(outcome.before):
            _append(before, row)
        after = wb.create_sheet(_("Units after"))
        for row in _unit_rows(outcome.after):
            _append(after, row)
        changes = wb.create_sheet(_("Changes"))
        _append(changes, ["id", "status", "name", "merged into", "merged from", "changes"])
        for u in outcome.diff.units:
            if u.status == "unchanged" and not u.merged_from:
                continue
            _append(
                changes,
                [
                    u.id,
                    u.status,
                    u.name,
                    u.merged_into,
                    ", ".join(u.merged_from),
                    "; ".join(
                        f"{k}: {getattr(a, 'value', a)} -> {getattr(b, 'value', b)}"
                        for k, (a, b) in u.changes.items()
                    ),
                ],
            )
        lead = wb.create_sheet(_("Leadership"))
        _append(
            lead,
            [
                "unit",
                "name",
                "carried",
                "legal posts",
                "held",
                "surplus",
                "above legal maximum",
                "without post",
                "vacant legal posts",
                "basis",
            ],
        )
        for x in outcome.ledger.leadership:
            _append(
                lead,
                [
                    x.unit,
                    x.name,
                    x.carried,
                    x.legal_posts,
                    x.held,
                    x.surplus,
                    x.above_legal_maximum,
                    x.without_post,
                    x.vacant_legal_posts,
                    x.basis,
                ],
            )
        vs = wb.create_sheet(_("Violations"))
        _append(vs, ["plan effect", *_VIOL_HEAD])
        for which, group in (
            ("introduced", outcome.introduced),
            ("cured", outcome.cured),
            ("remaining", outcome.remaining),
        ):
            for row in _violation_rows(group, which):
                _append(vs, row)
    buf = io.BytesIO()
    wb.save(buf)
    _write_atomic(path, buf.getvalue())


def _append(ws: Any, row: Sequence[Any]) -> None:
    """Append a row to a write-only sheet, every text cell written as text: a leading `=` (or
    another formula character) does not make a formula, and characters XML cannot carry are
    replaced by U+FFFD. Numbers and dates stay numbers and dates."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for v in row:
        if isinstance(v, str):
            v = _NOT_XML.sub("\ufffd", v)
            if v.startswith(FORMULA_TRIGGERS):
                c = WriteOnlyCell(ws, value=v)
                c.data_type = "s"  # openpyxl would take "=..." for a formula
                c.quotePrefix = True  # and Excel keeps it text when the cell is edited
                v = c
        cells.append(v)
    ws.append(cells)


def export_csv(path: str | os.PathLike[str] | IO[bytes], org: Org) -> None:
    """Write the units of `org` as a CSV import table (UTF-8 with a BOM, so that Excel reads
    Vietnamese). Text that a spreadsheet would run as a formula gets a leading `'`."""
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in _unit_rows(org):
        w.writerow(
            [
                ""
                if v is None
                else csv_escape(_NOT_XML.sub("\ufffd", v))
                if isinstance(v, str)
                else v.isoformat()
                if isinstance(v, dt.date)
                else v
                for v in row
            ]
        )
    _write_atomic(path, ("\ufeff" + buf.getvalue()).encode("utf-8"))


def _write_atomic(path: str | os.PathLike[str] | IO[bytes], data: bytes) -> None:
    """Write `data` to an open file, or to a path so that readers see the old file or the new
    one (an `OutputError` naming the path asked for, never the temporary file)."""
    if hasattr(path, "write"):
        path.write(data)
        return
    from ._io import write_atomic

    write_atomic(path, lambda f: f.write(data))
