"""Flat tables in and out: CSV and Excel (.xlsx; openpyxl is the `excel` extra).

Import reads one row per unit (`id`, `parent`, `kind`, `name`, `civil_servants`, `deputies`, ...)
under English or Vietnamese headers, from the sheet that holds such a header row (or the one
named), and reports bad rows by their row number. The model's name and date come from the
workbook's Summary sheet when it has one. Export writes a model, its check report, or a
simulation outcome to a workbook an analyst can work in (numbers as numbers, frozen headers,
filters, fitted widths, violations linked to the unit rows), or to a `.csv`, the units as an
import table; `export_template` writes a blank table to fill in. Exported tables import back to
the same model.

Tables come from outside, so reading them is bounded and defensive: the file must be a regular
file of at most `MAX_FILE_BYTES`; an .xlsx (a zip archive) is inspected before openpyxl sees it
(members, unpacked size, compression ratio, no DTD or entity declaration in its XML); a CSV is
UTF-8 (or UTF-16 with its byte-order mark) without NUL bytes and with bounded rows, separated by
commas, semicolons or tabs. Every problem is a `LoadError` naming the file, the row and the
column. Text that a spreadsheet would run as a formula is written as text.
"""

from __future__ import annotations

import codecs
import contextlib
import csv
import datetime as dt
import difflib
import functools
import io
import os
import re
import unicodedata
import warnings
import zipfile
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ._errors import LoadError, Msg, OutputError, RulebookError, field_ref, msg
from ._io import read_bytes, size_text
from ._load import suggest
from ._model import FILE_FIELDS, Kind, Level, Org, ProvinceClass, Unit, as_day, norm_id, parse_day

COLUMNS = ("id", "parent", *FILE_FIELDS[1:])
"""The columns of a units table, as the export's English header names them."""
# columns the export adds for people to read; import skips them
INHERITED_CLASS = "province class (inherited)"
PATH = "path"
DERIVED = (INHERITED_CLASS, PATH)
_INTS = ("civil_servants", "deputies", "head", "public_employees", "provinces_merged")
# text read exactly as written (spaces kept); other cells are trimmed
_VERBATIM = ("id", "parent", "name", "name_en", "note", "functions")
# headers an analyst's table often has that hold nothing for orgmodel (row numbers)
_ROW_NUMBERS = ("stt", "tt", "no", "no.", "#", "số tt", "số thứ tự")
HEADER_ROWS = 20
"""A units sheet's header row is looked for among its first rows (a title may stand above)."""

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
            msg(
                "needs_openpyxl",
                "Excel files need openpyxl, an optional extra: pip install '{extra}'",
                extra="orgmodel[excel]",
            )
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


def _suggest(word: str, choices: Sequence[str]) -> Msg | str:
    """`suggest` on short words only (difflib is quadratic in the lengths)."""
    if len(word) > 64:
        return ""
    return suggest(word, [c for c in choices if len(c) <= 64])


def _show(v: Any, limit: int = 60) -> str:
    """A cell value for a message: its repr, cut short."""
    text = repr(v)
    return text if len(text) <= limit else text[: limit - 4] + "…" + text[-3:]


# -- reading the file ----------------------------------------------------------------------
_EXPECTED = msg("expected_table", "expected a .csv or .xlsx table")


def _kind_of(name: str) -> str:
    suffix = Path(name).suffix.lower()
    if suffix in (".xlsx", ".xlsm"):
        return "xlsx"
    if suffix == ".csv":
        return "csv"
    if suffix == ".xls":
        raise LoadError(
            msg(
                "xls_not_read",
                "Excel 97-2003 workbooks (.xls) are not read; save it as an .xlsx workbook "
                "(Excel Workbook) or as CSV UTF-8",
            ),
            file=name,
        )
    raise LoadError(
        msg("not_a_table", "{expected} ({ends})", expected=_EXPECTED, ends=_ends(suffix)),
        file=name,
    )


def _ends(suffix: str) -> Msg:
    if suffix:
        return msg("name_ends_in", "the name ends in {suffix!r}", suffix=suffix)
    return msg("name_no_extension", "the name has no extension")


def _key(header: str) -> str:
    """A header as it is compared: NFC, case and spacing folded, `_` as a space, a trailing
    `*` or `:` (a required mark) dropped."""
    text = unicodedata.normalize("NFC", header).replace("_", " ")
    return " ".join(text.split()).casefold().rstrip("*: ").strip()


def _header_names() -> dict[str, str]:
    """Every header the importer reads (folded) and the column it names."""
    from ._i18n import TABLE_COLUMN_ALIASES, TABLE_COLUMNS_VI

    names: dict[str, str] = {}
    for field in (*COLUMNS, *DERIVED):
        for h in (field, TABLE_COLUMNS_VI.get(field, field), *TABLE_COLUMN_ALIASES.get(field, ())):
            names.setdefault(_key(h), field)
    return names


def column_label(field: str) -> str:
    """A column's header in the current language (the English header is the field's name)."""
    from ._i18n import TABLE_COLUMNS_VI, language

    return TABLE_COLUMNS_VI.get(field, field) if language() == "vi" else field


class _Table:
    """The rows of a table: the header row, then (row number, cells) for each non-blank row."""

    def __init__(self, name: str, sheet: str | None) -> None:
        self.name = name
        self.sheet = sheet  # the sheet read, for an .xlsx
        self.header: list[str] = []  # the header cells as written
        self.header_row = 1
        self.rows: list[tuple[int, list[Any]]] = []
        self.sheets_with_units: list[str] = []
        self.meta: dict[str, Any] = {}  # name and as_of from a workbook's Summary

    def column_pos(self, index: int) -> Msg:
        """Where a column is (0-based index): its number, or for an .xlsx the sheet and letter."""
        if self.sheet is None:
            return msg("column_n", "column {n}", n=index + 1)
        from openpyxl.utils import get_column_letter

        return msg(
            "sheet_column",
            "sheet {sheet}, column {letter}",
            sheet=_show(self.sheet),
            letter=get_column_letter(index + 1),
        )

    def column_ref(self, index: int) -> Msg:
        """How a message names a column: where it is and its header."""
        head = self.header[index] if index < len(self.header) else ""
        if not head:
            return self.column_pos(index)
        return msg(
            "column_ref", "{column} ({header})", column=self.column_pos(index), header=_show(head)
        )

    def error(self, message: Msg, line: int | None = None, column: int | None = None) -> LoadError:
        return LoadError(
            message, file=self.name, line=line, column=None if column is None else column + 1
        )


def _read_table(name: str, sheet: str | None = None) -> _Table:
    data = read_bytes(name, limit=MAX_FILE_BYTES, what="table")
    kind = _kind_of(name)
    if kind == "xlsx":
        return _xlsx_table(name, data, sheet)
    if sheet is not None:
        raise LoadError(
            msg("csv_no_sheets", "--sheet {sheet!r}: a CSV table has no sheets", sheet=sheet),
            file=name,
        )
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


def _xlsx_table(name: str, data: bytes, sheet: str | None = None) -> _Table:
    def bad(what: Msg) -> LoadError:
        return LoadError(
            msg("bad_xlsx", "not a readable .xlsx workbook: {what}", what=what), file=name
        )

    if data.startswith(_OLE2):
        raise bad(
            msg(
                "xlsx_ole2",
                "this is a password-protected workbook or an Excel 97-2003 file; "
                "save it as an .xlsx workbook without a password",
            )
        )
    if not data.startswith(b"PK"):
        raise bad(msg("xlsx_not_zip", "an .xlsx is a zip archive and this file is not one"))
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except Exception as e:  # BadZipFile, truncated central directory, bad offsets...
        raise bad(
            msg(
                "zip_damaged",
                "the zip archive is damaged or truncated ({detail})",
                detail=_short(e),
            )
        ) from None
    if len(infos) > MAX_MEMBERS:
        raise bad(
            msg(
                "zip_members",
                "it holds {n:,} files; a workbook holds at most {most:,}",
                n=len(infos),
                most=MAX_MEMBERS,
            )
        )
    total = 0
    for info in infos:
        total += info.file_size
        if total > MAX_UNCOMPRESSED_BYTES:
            raise bad(
                msg(
                    "zip_too_big",
                    "it unpacks to more than {size}; workbooks up to {size} unpacked are read",
                    size=size_text(MAX_UNCOMPRESSED_BYTES),
                )
            )
        if info.file_size > _RATIO_FLOOR and info.file_size > MAX_COMPRESSION_RATIO * max(
            info.compress_size, 1
        ):
            raise bad(
                msg(
                    "zip_bomb",
                    "{member} unpacks {ratio:,} times its size (a zip bomb?); at most {most} "
                    "times is read",
                    member=_show(info.filename),
                    ratio=info.file_size // max(info.compress_size, 1),
                    most=MAX_COMPRESSION_RATIO,
                )
            )
        if info.flag_bits & 0x1:
            raise bad(
                msg(
                    "zip_encrypted",
                    "{member} is encrypted; save the workbook without a password",
                    member=_show(info.filename),
                )
            )
        if info.compress_type not in (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED):
            raise bad(
                msg(
                    "zip_method",
                    "{member} uses zip compression method {method}; expected deflate (as Excel "
                    "writes)",
                    member=_show(info.filename),
                    method=info.compress_type,
                )
            )
    for info in infos:
        _scan_member(archive, info, bad)
    return _xlsx_rows(name, data, bad, sheet)


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
                        msg(
                            "xml_dtd",
                            "{member} declares a DTD or an entity (<!DOCTYPE or <!ENTITY), "
                            "which a workbook never holds; refused as unsafe",
                            member=_show(info.filename),
                        )
                    )
                tail = window[-32:]
                chunk = f.read(2**20)
    except LoadError:
        raise
    except Exception as e:  # a bad CRC, a broken deflate stream, a truncated member
        raise bad(
            msg(
                "member_damaged",
                "{member} is damaged ({detail})",
                member=_show(info.filename),
                detail=_short(e),
            )
        ) from None


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
        raise bad(
            msg(
                "xml_encoding",
                "{member!r} declares the XML encoding {encoding!r}; a workbook's XML is UTF-8",
                member=member,
                encoding=m.group(1),
            )
        )


def _labels(*msgids: str) -> set[str]:
    """The folded texts of catalog messages, in every language (to recognize a label)."""
    from ._i18n import LANGS, _, using

    out: set[str] = set()
    for lang in LANGS:
        with using(lang):
            out.update(_key(_(m)) for m in msgids)
    return out


def _fields_of(row: Sequence[Any]) -> set[str]:
    names = _header_names()
    return {names[k] for k in (_key(v) for v in row if isinstance(v, str)) if k in names}


def _is_units_header(row: Sequence[Any]) -> bool:
    return {"id", "kind", "name"} <= _fields_of(row)


def _xlsx_rows(name: str, data: bytes, bad: Any, sheet: str | None = None) -> _Table:
    openpyxl = _openpyxl()
    wb: Any = None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            wb = openpyxl.load_workbook(
                io.BytesIO(data), read_only=True, data_only=True, keep_links=False
            )
            names = [n for n in wb.sheetnames if hasattr(wb[n], "iter_rows")]  # no chartsheets
            if not names:
                raise bad(msg("no_sheet", "it has no sheet"))
            found: dict[str, int] = {}  # sheet -> its header row
            for n in names:
                head = wb[n].iter_rows(max_row=HEADER_ROWS, max_col=MAX_COLUMNS, values_only=True)
                for r, raw in enumerate(head, start=1):
                    if _is_units_header(raw):
                        found[n] = r
                        break
            chosen = _choose_sheet(name, names, found, sheet)
            table = _Table(name, chosen)
            table.sheets_with_units = list(found)
            ws = wb[chosen]
            rows = ws.iter_rows(max_col=MAX_COLUMNS, values_only=True)
            header_row = found.get(chosen)
            width = 0
            for r, raw in enumerate(rows, start=1):
                if r > MAX_ROWS:
                    raise table.error(
                        msg(
                            "sheet_too_many_rows",
                            "sheet {sheet!r} has more than {most:,} rows",
                            sheet=chosen,
                            most=MAX_ROWS,
                        ),
                        r,
                    )
                if not table.header:
                    if (header_row is not None and r < header_row) or all(
                        c is None or (isinstance(c, str) and not c.strip()) for c in raw
                    ):
                        continue
                    table.header = _header(raw)
                    table.header_row = r
                    width = len(table.header)
                    continue
                cells = list(raw[:width])
                if not all(c is None or (isinstance(c, str) and not c.strip()) for c in cells):
                    table.rows.append((r, cells))
            table.meta = _summary_meta(wb, names, chosen, table)
        _refuse_hidden_values(data, table)
    except LoadError:
        raise
    except Exception as e:  # openpyxl and its XML parser raise many kinds for a broken part
        raise bad(
            msg(
                "part_damaged",
                "a part of it is damaged ({error}: {detail})",
                error=type(e).__name__,
                detail=_short(e),
            )
        ) from None
    finally:
        if wb is not None:
            with contextlib.suppress(Exception):
                wb.close()
    return table


_MERGE = re.compile(rb'<(?:\w+:)?mergeCell\b[^>]*?\bref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')
_CELL_REF = re.compile(rb'\br="([A-Z]+)(\d+)"')


def _sheet_part(archive: zipfile.ZipFile, sheet: str) -> bytes | None:
    """The XML of the worksheet named `sheet` (from the workbook's sheet list and its links)."""
    import html

    book = archive.read("xl/workbook.xml")
    rels = archive.read("xl/_rels/workbook.xml.rels")
    rid = None
    for m in re.finditer(rb"<(?:\w+:)?sheet\b[^>]*>", book):
        tag = m.group(0)
        nm = re.search(rb'\bname="([^"]*)"', tag)
        if nm and html.unescape(nm.group(1).decode("utf-8")) == sheet:
            found = re.search(rb'\br:id="([^"]*)"|\bid="([^"]*)"', tag)
            rid = (found.group(1) or found.group(2)) if found else None
            break
    if rid is None:
        return None
    for m in re.finditer(rb"<(?:\w+:)?Relationship\b[^>]*>", rels):
        tag = m.group(0)
        if re.search(rb'\bId="' + re.escape(rid) + rb'"', tag):
            target = re.search(rb'\bTarget="([^"]*)"', tag)
            if target is None:
                return None
            path = target.group(1).decode("utf-8")
            path = path.lstrip("/") if path.startswith("/") else "xl/" + path
            return archive.read(path) if path in archive.namelist() else None
    return None


def _col_index(letters: bytes) -> int:
    n = 0
    for ch in letters.decode("ascii"):
        n = n * 26 + ord(ch) - 64
    return n - 1


def _refuse_hidden_values(data: bytes, table: _Table) -> None:
    """Two things Excel shows but a saved file does not hold, refused rather than read as empty:
    merged cells in the units (only the first cell of a merge holds the value: the parent shown
    down a merged column would silently become "no parent"), and a formula saved without its
    computed value (a file written by a script, never opened in Excel)."""
    if table.sheet is None:
        return
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        part = _sheet_part(archive, table.sheet)
    if part is None:
        return
    for m in _MERGE.finditer(part):
        row, last = int(m.group(2)), int(m.group(4) or m.group(2))
        if last < table.header_row:
            continue  # a title above the header
        first = m.group(1) + m.group(2)
        whole = first + (b":" + m.group(3) + m.group(4) if m.group(3) else b"")
        raise table.error(
            msg(
                "merged_cells",
                "cells {cells} are merged: only {first} holds a value and the others would "
                "read as empty; unmerge them and fill in every cell",
                cells=whole.decode("ascii"),
                first=first.decode("ascii"),
            ),
            row,
            _col_index(m.group(1)),
        )
    at = part.find(b"<f")
    while at >= 0:
        if part[at + 2 : at + 3] in (b">", b" ", b"/"):
            start = max(part.rfind(b"<c ", 0, at), part.rfind(b"<c>", 0, at))
            end = part.find(b"</c>", at)
            cell = part[start : end if end >= 0 else len(part)]
            value = re.search(rb"<(?:\w+:)?v>", cell)
            if value is None:
                ref = _CELL_REF.search(cell)
                if ref is not None and int(ref.group(2)) > table.header_row:
                    raise table.error(
                        msg(
                            "formula_without_value",
                            "cell {cell} holds a formula saved without its computed value; "
                            "open the file in Excel and save it again, or type the value",
                            cell=(ref.group(1) + ref.group(2)).decode("ascii"),
                        ),
                        int(ref.group(2)),
                        _col_index(ref.group(1)),
                    )
        at = part.find(b"<f", at + 2)


def _choose_sheet(name: str, names: list[str], found: dict[str, int], sheet: str | None) -> str:
    """The units sheet: the one asked for, else the one whose header names id, kind and name
    (of several, the export's "after" sheet)."""
    listed = ", ".join(_show(n) for n in names[:20]) + (", …" if len(names) > 20 else "")
    if sheet is not None:
        if sheet in names:
            return sheet
        near = next((n for n in names if _key(n) == _key(sheet)), None)
        if near is not None:
            return near
        raise LoadError(
            msg(
                "no_such_sheet",
                "--sheet {sheet!r}: the workbook has no such sheet; {hint}its sheets are {sheets}",
                sheet=sheet,
                hint=_suggest(sheet, names),
                sheets=listed,
            ),
            file=name,
        )
    if len(found) == 1:
        return next(iter(found))
    if found:
        after = _labels("Units after")
        chosen = next((n for n in found if _key(n) in after), None)
        if chosen is None:
            raise LoadError(
                msg(
                    "several_unit_sheets",
                    "several sheets hold units ({sheets}); choose one with --sheet NAME",
                    sheets=", ".join(_show(n) for n in found),
                ),
                file=name,
            )
        return chosen
    if len(names) == 1:
        return names[0]  # its header is read as it is, and what it lacks is reported
    raise LoadError(
        msg(
            "no_units_sheet",
            "no sheet has a header row naming the columns id, kind and name ({sheets}); "
            "add that row above the units, or choose the sheet with --sheet NAME",
            sheets=listed,
        ),
        file=name,
    )


def _summary_meta(wb: Any, names: list[str], chosen: str, table: _Table) -> dict[str, Any]:
    """The model's name and date from the workbook's Summary sheet (as the export writes it):
    the rows labelled "model" and "as of", in the column of the units sheet read (before or
    after a plan) or the "value" column."""
    summaries = _labels("Summary")
    sheet = next((n for n in names if _key(n) in summaries and n != chosen), None)
    if sheet is None:
        return {}
    if _key(chosen) in _labels("Units after"):
        role = _labels("After")
    elif _key(chosen) in _labels("Units before"):
        role = _labels("Before")
    else:
        role = _labels("Value")
    rows = list(wb[sheet].iter_rows(max_row=60, max_col=8, values_only=True))
    if not rows:
        return {}
    col = next((i for i, h in enumerate(rows[0]) if isinstance(h, str) and _key(h) in role), None)
    if col is None:
        return {}
    model, as_of = _labels("model"), _labels("as of")
    out: dict[str, Any] = {}
    where = _Table(table.name, sheet)
    where.header = [str(h) if h is not None else "" for h in rows[0]]
    for r, raw in enumerate(rows[1:], start=2):
        label = _key(raw[0]) if raw and isinstance(raw[0], str) else ""
        v = raw[col] if col < len(raw) else None
        if v is None or (isinstance(v, str) and not v.strip()):
            continue
        if label in model and "name" not in out:
            out["name"] = str(v)
        elif label in as_of and "as_of" not in out:
            if isinstance(v, dt.datetime):
                v = v.date()
            try:
                out["as_of"] = parse_day(v if isinstance(v, dt.date) else str(v).strip())
            except ValueError:
                raise where.error(
                    msg(
                        "summary_bad_date",
                        "the model's date (as of) must be a date written YYYY-MM-DD, got {value}",
                        value=_show(v),
                    ).within(where.column_ref(col)),
                    r,
                    col,
                ) from None
    return out


def _header(first: Sequence[Any]) -> list[str]:
    head = ["" if h is None else str(h) for h in first]
    while head and not head[-1].strip():
        head.pop()
    return head


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
                msg(
                    "row_too_long",
                    'row {row} is longer than {most:,} characters{at}; is a quote (") left open?',
                    row=self.record,
                    most=MAX_RECORD_CHARS,
                    at=self.at(),
                ),
                self.record,
            )
        return line

    def at(self) -> Msg | str:
        if self.line != self.record:
            return msg("at_file_line", " (line {line} of the file)", line=self.line)
        return ""


_SEPARATORS = {",": "commas (,)", ";": "semicolons (;)", "\t": "tabs", "|": "vertical bars (|)"}
_SEP_NAMES = {
    ",": msg("sep_comma", "comma"),
    ";": msg("sep_semicolon", "semicolon"),
    "\t": msg("sep_tab", "tab"),
    "|": msg("sep_bar", "vertical bar"),
}
_SEEN = {
    ",": ("seen_commas", "commas (,), {n} in the row"),
    ";": ("seen_semicolons", "semicolons (;), {n} in the row"),
    "\t": ("seen_tabs", "tabs, {n} in the row"),
    "|": ("seen_bars", "vertical bars (|), {n} in the row"),
}


def _decode_csv(data: bytes, name: str) -> str:
    """UTF-8 (with or without a BOM), or UTF-16 with its byte-order mark (Excel's "Unicode
    Text"); anything else is a located error."""
    from ._io import decode

    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError as e:
            raise LoadError(
                msg(
                    "bad_utf16",
                    "the file starts with a UTF-16 byte-order mark but byte {byte} is not "
                    "UTF-16; save the table as CSV UTF-8",
                    byte=e.start,
                ),
                file=name,
            ) from None
    return decode(data, name)  # a LoadError with the line and column of a non-UTF-8 byte


def _delimiter(table: _Table, text: str) -> str:
    """The separator of the header row: of a comma, a semicolon (Excel under a Vietnamese
    or European locale) and a tab, the one that splits it into the most known column names."""
    start, line_no = 0, 1
    while True:  # the first line with something on it, read without splitting the whole text
        end = text.find("\n", start, start + MAX_RECORD_CHARS)
        line = text[start : end if end >= 0 else start + MAX_RECORD_CHARS]
        if line.strip() or end < 0:
            break
        start, line_no = end + 1, line_no + 1
    names = _header_names()
    best, score = ",", 0
    for d in (",", ";", "\t"):
        cells = next(csv.reader([line], delimiter=d), [])
        s = len({names[k] for k in (_key(csv_unescape(c)) for c in cells) if k in names})
        if s > score:
            best, score = d, s
    if score == 0 and line.strip():
        counts = {d: line.count(d) for d in _SEPARATORS}
        found = max(counts, key=lambda d: counts[d])
        seen = (
            msg(_SEEN[found][0], _SEEN[found][1], n=counts[found])
            if counts[found]
            else msg("seen_nothing", "nothing (no comma, semicolon or tab in the row)")
        )
        raise table.error(
            msg(
                "header_unreadable",
                "cannot read the header row: it names none of the columns orgmodel reads "
                "(id, kind, name, …); its cells seem separated by {seen}; expected column names "
                "separated by commas (,) or semicolons (;), as Excel saves CSV",
                seen=seen,
            ),
            line_no,
        )
    return best


def _csv_table(name: str, data: bytes) -> _Table:
    if data.startswith(b"PK\x03\x04"):  # a zip: an Excel workbook given a .csv name
        raise LoadError(
            msg(
                "workbook_named_csv",
                "this is an Excel workbook (.xlsx), not a CSV text file; name it .xlsx, or save "
                "it from Excel as CSV UTF-8",
            ),
            file=name,
        )
    text = _decode_csv(data, name)
    if "\r" in text:  # Windows line ends (also inside a quoted cell) and old Mac ones: one "\n"
        text = text.replace("\r\n", "\n").replace("\r", "\n")
    table = _Table(name, None)
    nul = text.find("\x00")
    if nul >= 0:
        line_start = text.rfind("\n", 0, nul) + 1
        raise table.error(
            msg(
                "csv_nul",
                "the file holds a NUL byte; a CSV table is plain text (is it a workbook or a "
                "UTF-16 file renamed .csv? save it as CSV UTF-8)",
            ),
            text.count("\n", 0, nul) + 1,
            nul - line_start,
        )
    delimiter = _delimiter(table, text)
    lines = _Lines(table, text)
    reader = csv.reader(lines, delimiter=delimiter, strict=True)
    width: int | None = None
    while True:
        try:
            raw = next(reader, None)
        except csv.Error as e:
            text = str(e)
            if "field larger than field limit" in text:
                reason = msg(
                    "cell_too_long",
                    'a cell is longer than {most:,} characters; is a quote (") left open?',
                    most=csv.field_size_limit(),
                )
            elif "unexpected end of data" in text:
                reason = msg(
                    "quote_open", 'the file ends inside a quoted cell; a quote (") is left open'
                )
            elif "expected after" in text:
                reason = msg(
                    "quote_not_at_separator",
                    '{detail}: a quoted cell must end at the {sep} (write "" for a quote)',
                    detail=text,
                    sep=_SEP_NAMES[delimiter],
                )
            else:
                reason = msg("csv_error", "{detail}", detail=text)
            raise table.error(
                msg("csv_problem", "{reason}{at}", reason=reason, at=lines.at()), lines.record
            ) from None
        if raw is None:
            break
        r = lines.record
        lines.record += 1
        lines.chars = 0
        cells = [csv_unescape(c) or None for c in raw]
        blank = all(c is None or not c.strip() for c in cells)
        if width is None:
            if blank:
                continue
            table.header = _header(cells)
            table.header_row = r
            width = len(table.header)
            continue
        if r > MAX_ROWS:
            raise table.error(
                msg("table_too_many_rows", "the table has more than {most:,} rows", most=MAX_ROWS),
                r,
            )
        cells = cells[:width]
        if not all(c is None or not c.strip() for c in cells):
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
_COUNT = re.compile(r"\+?\d+")
_GROUPED = re.compile(r"\d{1,3}(?:([.,\u00a0 '])\d{3})+")


def _value_names() -> dict[str, dict[str, str]]:
    """For kind, level and class: every way a cell may write a value (the code, its English and
    Vietnamese labels; folded) and the code it means."""
    from ._i18n import CLASS_VI, KIND_EN, KIND_VI, LEVEL_VI

    kinds = {}
    for k in Kind:
        for text in (k.value, KIND_VI.get(k.value, k.value), KIND_EN.get(k.value, "")):
            if text:
                kinds[_key(text)] = k.value
        kinds.setdefault(_key(k.value.replace("_", " ")), k.value)
    levels = {}
    for lv in Level:
        vi = LEVEL_VI.get(lv.value, lv.value)
        for text in (lv.value, vi, vi.removeprefix("cấp ")):
            levels[_key(text)] = lv.value
    classes = {}
    for c in ProvinceClass:
        for text in (
            c.value,
            CLASS_VI.get(c.value, c.value),
            f"loại {c.value}",
            f"class {c.value}",
        ):
            classes[_key(text)] = c.value
        classes[_key(f"loại {CLASS_VI.get(c.value, c.value)}")] = c.value
    return {"kind": kinds, "level": levels, "class": classes}


def _columns(table: _Table) -> tuple[list[str | None], list[str]]:
    """The field each column holds (None: a column not read) and the headers not read."""
    header = table.header
    if not header:
        raise table.error(
            msg(
                "no_header_row",
                "the table has no header row; expected a first row naming the columns: {columns}",
                columns=", ".join(COLUMNS),
            ),
            1,
        )
    names = _header_names()
    fields: list[str | None] = []
    ignored: list[str] = []
    seen: dict[str, int] = {}
    for i, h in enumerate(header):
        k = _key(h)
        field = names.get(k)
        if field is None or field in DERIVED:
            if k and field is None:
                near = (
                    difflib.get_close_matches(k, list(names), n=1, cutoff=0.8)
                    if len(k) <= 64
                    else []
                )
                if near and k not in _ROW_NUMBERS:
                    raise table.error(
                        msg(
                            "unknown_column",
                            "unknown column {header} ({column}); did you mean {near!r}? rename "
                            "it (only a column whose header is not close to one of orgmodel's is "
                            "skipped, as notes)",
                            header=_show(h),
                            column=table.column_pos(i),
                            near=near[0],
                        ),
                        table.header_row,
                        i,
                    )
                ignored.append(h.strip())
            fields.append(None)
            continue
        if field in seen:
            raise table.error(
                msg(
                    "column_twice",
                    "the column {field!r} appears twice, as {first} and {second}; keep one",
                    field=field,
                    first=table.column_ref(seen[field]),
                    second=table.column_ref(i),
                ),
                table.header_row,
                i,
            )
        seen[field] = i
        fields.append(field)
    for required in ("id", "kind", "name"):
        if required not in seen:
            from ._i18n import TABLE_COLUMNS_VI

            vi_names = ", ".join(TABLE_COLUMNS_VI[f] for f in ("id", "kind", "name"))
            if table.sheet:
                m = msg(
                    "missing_column_in_sheet",
                    "missing column {column!r} in sheet {sheet!r}; the header row must name the "
                    "columns, at least id, kind and name (in Vietnamese: {vi_names})",
                    column=required,
                    sheet=table.sheet,
                    vi_names=vi_names,
                )
            else:
                m = msg(
                    "missing_column",
                    "missing column {column!r}; the header row must name the columns, at least "
                    "id, kind and name (in Vietnamese: {vi_names})",
                    column=required,
                    vi_names=vi_names,
                )
            raise table.error(m, table.header_row)
    return fields, ignored


def _count(table: _Table, field: str, text: str, r: int, col: int) -> int:
    """A count written as text: digits only. A number with group separators ('1.734') is
    refused, never guessed: in Vietnamese it is 1734, in English 1.734."""
    t = text.strip()
    if _COUNT.fullmatch(t):
        return int(t)
    hint: Msg | str = ""
    if _GROUPED.fullmatch(t):
        hint = msg(
            "grouped_number",
            "; write it without separators ({plain}): {text!r} could be {plain} or a fraction, "
            "and a count is whole",
            plain=t.replace(t[-4], ""),
            text=t,
        )
    raise table.error(
        msg(
            "cell_not_whole",
            "{field!r} must be a whole number, got {value} ({column}){hint}",
            field=field,
            value=_show(text),
            column=table.column_ref(col),
            hint=hint,
        ),
        r,
        col,
    )


def _functions(text: str) -> tuple[str, ...]:
    """One function per line of the cell; a cell of one line is split at commas and semicolons
    (as older tables wrote them)."""
    if "\n" in text:
        return tuple(line.removesuffix("\r") for line in text.split("\n") if line.strip())
    return tuple(f.strip() for f in re.split("[,;]", text) if f.strip())


def _cell_value(field: str, v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, str):
        if not v.strip():
            return None
        return v if field in _VERBATIM else v.strip()
    if isinstance(v, float) and v.is_integer():
        v = int(v)
    if field in _VERBATIM or field in ("kind", "level", "class"):
        if isinstance(v, dt.datetime):
            return v.date().isoformat() if v.time() == dt.time() else v.isoformat()
        return v.isoformat() if isinstance(v, dt.date) else str(v)
    if isinstance(v, dt.datetime) and field == "reorganized":
        return v.date()
    return v


def _read_units(
    path: str | os.PathLike[str],
    *,
    name: str | None = None,
    as_of: Any = None,
    sheet: str | None = None,
) -> tuple[Org, list[str]]:
    """The model in a table, and notes for the person importing it (in the current language):
    the sheet read, the columns skipped, what the table did not say."""
    from ._i18n import _

    src = os.fspath(path)
    if not src:
        raise LoadError(
            msg(
                "table_path_empty",
                "no file given (the path is empty); {expected}",
                expected=_EXPECTED,
            ),
            file="''",
        )
    table = _read_table(src, sheet)
    fields, ignored = _columns(table)
    col_of = {f: i for i, f in enumerate(fields) if f is not None}
    values = _value_names()
    data: list[dict[str, Any]] = []
    row_of: list[int] = []
    first_row: dict[str, int] = {}
    for r, raw in table.rows:
        d: dict[str, Any] = {}
        for f, v in zip(fields, raw, strict=False):
            if f is not None:
                v = _cell_value(f, v)
                if v is not None:
                    d[f] = v
        if not d:
            continue  # a row with cells only in columns not read
        uid = d.get("id")
        if uid is None:
            raise table.error(
                msg(
                    "row_no_id",
                    "the row has no id ({column} is empty)",
                    column=table.column_ref(col_of["id"]),
                ),
                r,
                col_of["id"],
            )
        d["id"] = uid = norm_id(uid)
        if uid in first_row:
            raise table.error(
                msg(
                    "duplicate_row_id",
                    "duplicate id {id} (also on row {first})",
                    id=_show(uid),
                    first=first_row[uid],
                ),
                r,
                col_of["id"],
            )
        first_row[uid] = r
        if "parent" in d:
            d["parent"] = norm_id(d["parent"])
        for k in ("kind", "level", "class"):
            if k in d:
                d[k] = values[k].get(_key(d[k]), d[k])
        for k in _INTS:
            if isinstance(d.get(k), str):
                d[k] = _count(table, k, d[k], r, col_of[k])
        if "functions" in d:
            d["functions"] = _functions(d["functions"])
        data.append(d)
        row_of.append(r)
    for d, r in zip(data, row_of, strict=True):
        parent = d.get("parent")
        if parent is not None and parent not in first_row:
            col = col_of.get("parent")
            raise table.error(
                msg(
                    "unknown_parent_row",
                    "unknown parent {parent} of unit {id} ({column}); {hint}the parent must be "
                    "the id of a row",
                    parent=_show(parent),
                    id=_show(d["id"]),
                    column=table.column_ref(col) if col is not None else "parent",
                    hint=_suggest(parent, list(first_row)[:5000]),
                ),
                r,
                col,
            )
    _refuse_cycles(table, data, first_row, col_of.get("parent"))
    units: list[Unit] = []
    for d, r in zip(data, row_of, strict=True):
        try:
            units.append(Unit.model_validate(d))
        except ValidationError as e:
            raise _row_error(table, e, r, col_of) from None
    notes: list[str] = []
    if len(table.sheets_with_units) > 1:
        notes.append(
            _(
                "read the sheet {sheet!r}; {n} sheets hold units (--sheet NAME reads another)",
                sheet=table.sheet,
                n=len(table.sheets_with_units),
            )
        )
    if ignored:
        notes.append(_("columns not read (not orgmodel's): {columns}", columns=", ".join(ignored)))
    model_name = name or table.meta.get("name")
    if not model_name:
        # a file name in another encoding holds lone surrogates: they are not text
        model_name = Path(src).stem.encode("utf-8", "replace").decode("utf-8")
        if name is None:
            notes.append(
                _(
                    "the table holds no name for the model: named {name!r} after the file "
                    "(--name NAME to choose)",
                    name=model_name,
                )
            )
    day = as_day(as_of) if as_of is not None else table.meta.get("as_of")
    if day is None and as_of is None:
        notes.append(
            _(
                "the table holds no date for the model (as_of): it is judged by the rules in "
                "force on the day it is checked (--as-of DATE to give one)"
            )
        )
    try:
        return Org(units, name=model_name, as_of=day), notes
    except ValueError as e:  # checked above; kept so that no path ends in a traceback
        found = e.args[0] if e.args else ""
        raise table.error(
            found if isinstance(found, Msg) else msg("table_invalid", "{detail}", detail=_short(e))
        ) from None


def import_table(
    path: str | os.PathLike[str],
    *,
    name: str = "",
    as_of: dt.date | str | None = None,
    sheet: str | None = None,
) -> Org:
    """A model from a flat table (.csv or .xlsx) with one row per unit, under English or
    Vietnamese headers. Of a workbook, the sheet `sheet`, else the one whose header row names
    id, kind and name (of an exported simulation, the units after the plan). The model's name
    and date are `name` and `as_of` if given, else those of the workbook's Summary sheet; a
    table without them is named after its file. Raises LoadError naming the row and column."""
    return _read_units(path, name=name or None, as_of=as_of, sheet=sheet)[0]


def _refuse_cycles(
    table: _Table, data: list[dict[str, Any]], first_row: dict[str, int], parent_col: int | None
) -> None:
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
                    msg(
                        "parent_cycle_rows",
                        "the parents form a cycle: {ids} (rows {rows}); a unit cannot be its own "
                        "ancestor",
                        ids=" -> ".join([*shown, cur]),
                        rows=", ".join(rows),
                    ),
                    first_row[cur],
                    parent_col,
                )
            on_walk[cur] = len(walk)
            walk.append(cur)
            cur = parent_of[cur]
        done.update(walk)


# pydantic's kinds of "not a whole number" (a fraction, a boolean, text that is no number)
_WHOLE_NUMBER = frozenset(
    {"int_from_float", "int_parsing", "int_type", "bool_type", "int_parsing_size"}
)


def _row_error(table: _Table, e: ValidationError, r: int, col_of: dict[str, int]) -> LoadError:
    """A pydantic complaint about a row as a located message: the column, what is wrong and
    what is expected, without pydantic's dump of the row."""
    err = e.errors(include_url=False)[0]
    ctx = err.get("ctx") or {}
    message: Msg
    if err["type"] in _INVARIANTS:
        field = str(ctx.get("field", ""))
        message = ctx["msg"]
    else:
        field = str(err["loc"][0]) if err["loc"] else ""
        if err["type"] == "missing":
            message = msg("cell_empty", "{field!r} is empty; every unit needs one", field=field)
        elif err["type"] == "value_error":  # the validator's own words, which show the value
            found = ctx["error"].args[0] if ctx.get("error") and ctx["error"].args else None
            if isinstance(found, Msg):
                message = found
            else:
                detail = _short(str(err["msg"]).removeprefix("Value error, "), 300)
                message = msg("cell_invalid", "{detail}", detail=detail)
        elif err["type"] == "enum":
            choices = re.findall(r"'([^']*)'", str(ctx.get("expected", "")))
            got = str(err.get("input"))
            near = (
                difflib.get_close_matches(got, choices, n=1, cutoff=0.6) if len(got) <= 64 else []
            )
            message = msg(
                "cell_not_one_of",
                "{field} {value} is not one of: {choices}{hint}",
                field=field_ref("class" if field == "province_class" else field, quoted=False),
                value=_show(err.get("input")),
                choices=", ".join(choices),
                hint=msg("did_you_mean_cell", "; did you mean {word!r}?", word=near[0])
                if near
                else "",
            )
        elif err["type"] in _WHOLE_NUMBER:
            message = msg(
                "cell_not_whole_number",
                "{field} must be a whole number, got {value}",
                field=field_ref(field),
                value=_show(err.get("input")),
            )
        elif err["type"] in ("greater_than_equal", "greater_than") and "ge" in ctx:
            message = msg(
                "cell_below_minimum",
                "{field} must be {least} or more, got {value}",
                field=field_ref(field),
                least=ctx["ge"],
                value=_show(err.get("input")),
            )
        elif err["type"] in ("less_than_equal", "less_than") and "le" in ctx:
            message = msg(
                "cell_above_maximum",
                "{field} must be at most {most:,}, got {value}",
                field=field_ref(field),
                most=ctx["le"],
                value=_show(err.get("input")),
            )
        elif err["type"] in ("string_type", "str_type"):
            message = msg(
                "cell_not_text",
                "{field} must be text, got {value}",
                field=field_ref(field),
                value=_show(err.get("input")),
            )
        else:
            message = msg(
                "cell_value_invalid",
                "{detail}, got {value}",
                detail=str(err["msg"]),
                value=_show(err.get("input")),
            )
    field = "class" if field == "province_class" else field
    col = col_of.get(field)
    if col is not None:
        message = message.within(table.column_ref(col))
    return table.error(message, r, col)


# -- export ----------------------------------------------------------------------------------
def _label_value(field: str, v: Any) -> Any:
    """A kind, level or class as the current language writes it in a table."""
    if v is None:
        return None
    from ._i18n import CLASS_VI, KIND_VI, LEVEL_VI, language

    code = getattr(v, "value", v)
    if language() != "vi":
        return code
    table = {"kind": KIND_VI, "level": LEVEL_VI, "class": CLASS_VI}[field]
    return table.get(code, code)


def _functions_cell(fs: Sequence[str]) -> str | None:
    """Functions one per line; a single one that the importer would split (a comma or a
    semicolon in it) or trim gets a line break after it."""
    if not fs:
        return None
    text = "\n".join(fs)
    if len(fs) == 1 and (re.search("[,;]", text) or text != text.strip()):
        text += "\n"
    return text


def _unit_rows(org: Org) -> tuple[list[str], list[list[Any]]]:
    """The units as an import table (header, rows): the columns import reads, with the
    inherited class beside the stated one and each unit's path at the end. A figure the
    model does not state is an empty cell (0 would read back as stated)."""
    header = [column_label(c) for c in (*COLUMNS[:6], INHERITED_CLASS, *COLUMNS[6:], PATH)]
    paths: dict[str, str] = {}
    rows: list[list[Any]] = []
    for u in org.units:
        stated = u.model_fields_set
        path = paths[u.id] = f"{paths[u.parent]} / {u.name}" if u.parent is not None else u.name
        cls = org.province_class(u.id)
        rows.append(
            [
                u.id,
                u.parent,
                _label_value("kind", u.kind),
                u.name,
                _label_value("level", u.level),
                _label_value("class", u.province_class),
                _label_value("class", cls),
                *(getattr(u, k) if k in stated else None for k in _INTS[:4]),
                _functions_cell(u.functions),
                u.name_en,
                u.note,
                u.provinces_merged if "provinces_merged" in stated else None,
                u.reorganized,
                path,
            ]
        )
    return header, rows


def _citation(v: Any) -> str:
    from ._i18n import citation_text, language

    cite = v.basis.get("citation") if v.basis else None
    return citation_text(cite, language()) if cite else str(v.citation)


_STATUS = {
    "violation": "violation",
    "transition": "within a transition",
    "class_unknown": "class unknown",
    "no_rule": "no verified rule",
}


def _violation_rows(vs: Sequence[Any], effect: str | None = None) -> list[list[Any]]:
    from ._i18n import _, violation_message

    rows = []
    for v in vs:
        row = [
            v.unit,
            v.path[-1] if v.path else None,
            " / ".join(v.path),
            v.rule,
            v.rulebook,
            _(_STATUS.get(v.status, v.status)),
            v.actual,
            v.limit,
            violation_message(v),
            _citation(v),
            _("yes") if v.verified else _("no"),
            v.until,
        ]
        rows.append(([_(effect)] if effect else []) + row)
    return rows


def _violation_head(effect: bool) -> list[str]:
    from ._i18n import _

    head = ["unit", "unit name", "path", "rule", "rulebook", "status", "actual", "limit"]
    head += ["what is wrong", "citation", "verified", "until"]
    return [
        _(h) if h != "path" else column_label(PATH)
        for h in (["plan effect"] if effect else []) + head
    ]


class _Book:
    """A write-only workbook whose sheets have a bold frozen header row, a filter, fitted column
    widths, and cells that link to the row of a unit in a units sheet."""

    def __init__(self) -> None:
        self.wb = _openpyxl().Workbook(write_only=True)
        self.rows_of: dict[str, dict[str, int]] = {}  # units sheet -> unit id -> its row

    def sheet(
        self,
        title: str,
        header: list[str],
        rows: list[list[Any]],
        *,
        link: Callable[[list[Any]], tuple[int, str]] | None = None,
        freeze: str = "B2",
    ) -> None:
        """Write a sheet; `link(row)` gives (column, units sheet): that cell's id links to the
        unit's row in that sheet."""
        from openpyxl.utils import get_column_letter

        ws = self.wb.create_sheet(title)
        for i in range(len(header)):
            width = max(
                (_width(row[i]) for row in [header, *rows[:2000]] if i < len(row)), default=8
            )
            ws.column_dimensions[get_column_letter(i + 1)].width = min(max(width + 2, 8), 60)
        ws.freeze_panes = freeze
        if header:
            ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{len(rows) + 1}"
        _append(ws, header, bold=True)
        for r, row in enumerate(rows, start=2):
            links = None
            if link is not None:
                col, units = link(row)
                at = self.rows_of.get(units, {}).get(row[col])
                if at is not None:
                    target = f"{_quote_sheet(units)}!A{at}"
                    links = {col: (f"{get_column_letter(col + 1)}{r}", target)}
            _append(ws, row, links=links)

    def units(self, title: str, org: Org) -> None:
        header, rows = _unit_rows(org)
        self.rows_of[title] = {u.id: r for r, u in enumerate(org.units, start=2)}
        self.sheet(title, header, rows)

    def data(self) -> bytes:
        buf = io.BytesIO()
        self.wb.save(buf)
        return buf.getvalue()


def _quote_sheet(title: str) -> str:
    return "'" + title.replace("'", "''") + "'"


def _width(v: Any) -> int:
    if v is None:
        return 0
    if isinstance(v, dt.date):
        return 10
    return max((len(line) for line in str(v).split("\n")), default=0)


def _model_summary(org: Org) -> tuple[list[str], list[list[Any]], list[list[Any]]]:
    """The Summary of a model (header, rows) and its findings as violation rows."""
    from ._i18n import _
    from ._rules import check

    tot = org.totals()
    rows: list[list[Any]] = [
        [_("model"), org.name],
        [_("as of"), org.as_of],
        [_("units (focal points)"), tot.units],
        [_("civil servants"), tot.civil_servants],
        [_("leadership posts"), tot.leadership_posts],
    ]
    try:
        report = check(org)
        rows.append([_("rulebooks"), ", ".join(report.rulebooks) or _("none in force")])
        rows.append([_("violations"), len(report.violations)])
        violations = _violation_rows(report.violations)
    except RulebookError as e:
        from ._i18n import error_text

        rows.append([_("rulebooks"), error_text(e.message)])
        violations = []
    return [_("Figure"), _("Value")], rows, violations


def _outcome_summary(o: Any) -> tuple[list[str], list[list[Any]]]:
    """The Summary of a simulation: each figure as numbers, before / after / change or one
    value, so that a spreadsheet can add them up."""
    from ._i18n import _, pair_label

    led = o.ledger
    before, after = o.before, o.after

    def pair(label: str, a: int, b: int) -> list[Any]:
        return [label, a, b, b - a, None]

    def one(label: str, v: Any) -> list[Any]:
        return [label, None, None, None, v]

    rows: list[list[Any]] = [
        [_("model"), before.name, after.name, None, None],
        [_("as of"), before.as_of, after.as_of, None, None],
        one(_("plan"), o.plan.name),
        one(_("rulebooks"), ", ".join(o.rulebooks) or _("none in force")),
        pair(_("focal points"), led.focal_points_before, led.focal_points_after),
    ]
    for k, v in led.removed_by_kind_under_parent.items():
        rows.append(["  " + pair_label(k), None, None, -v, None])
    rows += [
        pair(_("civil servants"), led.civil_servants_before, led.civil_servants_after),
        one("  " + _("civil servants released"), led.civil_servants_released),
        one("  " + _("civil servants created"), led.civil_servants_created),
        pair(
            _("leadership posts"),
            before.totals().leadership_posts,
            after.totals().leadership_posts,
        ),
        # each "of which" line sits under the figure it splits, as in every other format
        one(_("surplus leadership posts"), led.surplus_leadership_posts),
        one("  " + _("leaders who keep no post"), led.leaders_without_post),
        one("    " + _("of which leaders of dissolved units"), led.dissolved_leaders),
        one("  " + _("posts held above the legal maximum"), led.posts_above_legal_maximum),
        one("    " + _("of which lawful in a transition"), led.posts_in_transition),
        one(_("legal leadership posts left vacant"), led.vacant_legal_posts),
        one(
            _("deputy posts above a limit, lawful in a transition, in the whole model"),
            o.posts_in_transition,
        ),
        one(_("violations introduced"), len(o.introduced)),
        one(_("violations cured"), len(o.cured)),
        one(_("violations remaining"), len(o.remaining)),
    ]
    return [_("Figure"), _("Before"), _("After"), _("Change"), _("Value")], rows


def _change_text(field: str, v: Any) -> str:
    if v is None:
        return "—"
    if field in ("kind", "level", "class"):
        return str(_label_value(field, v))
    if isinstance(v, (tuple, list)):
        return "; ".join(map(str, v))
    if isinstance(v, dt.date):
        from ._i18n import day_text, language

        return day_text(v, language())  # 30/06/2022 in Vietnamese, 2022-06-30 in English
    return str(v)


def _suffix_format(path: str | os.PathLike[str], what: str) -> str:
    """'csv' or 'xlsx' from a path's suffix; any other suffix is an OutputError (one format is
    never written under another's name)."""
    suffix = Path(os.fspath(path)).suffix.lower()
    if suffix in (".csv", ".xlsx"):
        return suffix[1:]
    raise OutputError(
        msg(
            "output_format",
            "{command} writes an Excel workbook (.xlsx) or a CSV table (.csv), and {ends}; "
            "name the file .xlsx or .csv",
            command=what,
            ends=_ends(suffix),
        ),
        file=os.fspath(path),
    )


def export_workbook(
    path: str | os.PathLike[str] | IO[bytes],
    org: Org,
    *,
    outcome: Any = None,
    csv: bool | None = None,
) -> None:
    """Write `org` (with its check report) or a simulation outcome to an .xlsx workbook; to a
    path ending in .csv (or with `csv=True`), the units (after the plan, with an outcome) as an
    import table. Headers, labels and messages are in the current language. `path` may be an
    open binary file (a workbook unless `csv=True`); a path that ends in neither .xlsx nor .csv
    is refused with an `OutputError`."""
    if csv is None:
        csv = not hasattr(path, "write") and _suffix_format(path, "export") == "csv"
    if csv:
        export_csv(path, outcome.after if outcome is not None else org)
        return
    from ._diff import UnitDiff
    from ._i18n import _, language, leadership_basis
    from ._render import _names, _status_word, change_text, fates  # the plan's words for a unit

    book = _Book()
    if outcome is None:
        head, summary, violations = _model_summary(org)
        book.sheet(_("Summary"), head, summary)
        book.units(_("Units"), org)
        units = _("Units")
        book.sheet(_("Violations"), _violation_head(False), violations, link=lambda row: (0, units))
    else:
        head, summary = _outcome_summary(outcome)
        book.sheet(_("Summary"), head, summary)
        book.units(_("Units before"), outcome.before)
        book.units(_("Units after"), outcome.after)
        changes = []
        # what the plan did to each unit it closed (merged, absorbed into, dissolved and where
        # its staff went), in the glossary's words, from the plan's own steps
        fate = fates(outcome)
        for u in outcome.diff.units:
            if u.status == "unchanged" and not (u.merged_from or u.split_into or u.split_from):
                continue
            what = "; ".join(
                f"{column_label(k)}: {_change_text(k, a)} → {_change_text(k, b)}"
                for k, (a, b) in u.changes.items()
            )
            if (u.id in fate or u.split_into) and u.status == "closed":
                what = change_text(u, fates=fate, names=_names(outcome))
            elif u.split_into or u.split_from:  # chia, tách: where the parts went, or came from
                split = change_text(
                    UnitDiff(
                        id=u.id,
                        status=u.status,
                        name=u.name,
                        split_into=u.split_into,
                        split_from=u.split_from,
                    ),
                    names=_names(outcome),
                )
                what = f"{what}; {split}" if what else split
            changes.append(
                [
                    u.id,
                    _status_word(u, fate),
                    u.name,
                    u.merged_into,
                    ", ".join(u.merged_from),
                    what,
                ]
            )
        before, after = _("Units before"), _("Units after")
        book.sheet(
            _("Changes"),
            [_(h) for h in ("unit", "status", "unit name", "merged or absorbed into")]
            + [_("merged or absorbed from")]
            + [_("what changed")],
            changes,
            link=lambda row: (0, after if row[0] in book.rows_of[after] else before),
        )
        lead = [
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
                x.in_transition,
                x.transition_until,
                leadership_basis(x.basis_source, x.basis_rule, x.basis_citation, language()),
            ]
            for x in outcome.ledger.leadership
        ]
        lead_head = [
            "unit",
            "unit name",
            "leaders carried",
            "legal posts",
            "posts held",
            "surplus",
            "above the legal maximum",
            "leaders without a post",
            "legal posts vacant",
            "lawful in a transition",
            "transition until",
            "basis",
        ]
        book.sheet(_("Leadership"), [_(h) for h in lead_head], lead, link=lambda row: (0, after))
        vrows = []
        for effect, group in (
            ("introduced", outcome.introduced),
            ("cured", outcome.cured),
            ("remaining", outcome.remaining),
        ):
            vrows += _violation_rows(group, effect)
        cured = _("cured")
        book.sheet(
            _("Violations"),
            _violation_head(True),
            vrows,
            link=lambda row: (1, before if row[0] == cured else after),
        )
    _write_atomic(path, book.data())


def _append(
    ws: Any,
    row: Sequence[Any],
    *,
    bold: bool = False,
    links: dict[int, tuple[str, str]] | None = None,
) -> None:
    """Append a row to a write-only sheet, every text cell written as text: a leading `=` (or
    another formula character) does not make a formula, and characters XML cannot carry are
    replaced by U+FFFD. Numbers and dates stay numbers and dates. `links` maps a column to
    (the cell's reference, the place in the workbook it links to)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.worksheet.hyperlink import Hyperlink

    bold_font, link_font = _fonts()

    cells: list[Any] = []
    for i, v in enumerate(row):
        cell = None
        if isinstance(v, str):
            v = _NOT_XML.sub("\ufffd", v)
            if v.startswith(FORMULA_TRIGGERS):
                cell = WriteOnlyCell(ws, value=v)
                cell.data_type = "s"  # openpyxl would take "=..." for a formula
                cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
        if bold or (links and i in links):
            cell = cell or WriteOnlyCell(ws, value=v)
            if bold:
                cell.font = bold_font
            else:
                ref, location = links[i]  # type: ignore[index]
                cell.hyperlink = Hyperlink(ref=ref, location=location)
                cell.font = link_font
        cells.append(cell if cell is not None else v)
    ws.append(cells)


@functools.cache
def _fonts() -> tuple[Any, Any]:
    from openpyxl.styles import Font

    return Font(bold=True), Font(color="0563C1", underline="single")


def _csv_text(header: Sequence[str], rows: Iterable[Sequence[Any]]) -> bytes:
    """A CSV table, UTF-8 with a BOM (so that Excel reads Vietnamese), comma-separated; text a
    spreadsheet would run as a formula gets a leading `'`."""
    buf = io.StringIO()
    w = csv.writer(buf)
    for row in (header, *rows):
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
    return ("\ufeff" + buf.getvalue()).encode("utf-8")


def export_csv(path: str | os.PathLike[str] | IO[bytes], org: Org) -> None:
    """Write the units of `org` as a CSV import table (UTF-8 with a BOM, so that Excel reads
    Vietnamese; headers in the current language). A CSV holds no model name or date: give them
    to `import_table` (`name=`, `as_of=`). Text that a spreadsheet would run as a formula gets
    a leading `'`."""
    header, rows = _unit_rows(org)
    _write_atomic(path, _csv_text(header, rows))


# -- the blank template ------------------------------------------------------------------------
_COLUMN_HELP = {
    "id": "A short code for the unit, unique in the table (letters, digits, '-'); required.",
    "parent": "The id of the unit it belongs to; empty for the top unit.",
    "kind": "What the unit is; required. Choose from the list.",
    "name": "The unit's official name; required.",
    "level": "For a People's Committee: province, district or commune (required there).",
    "class": "The province class (special, I, II, III) on the provincial People's Committee; "
    "the units under it inherit it.",
    "civil_servants": "Civil-servant posts assigned to the unit itself, leaders included "
    "(not those of its sub-units). Empty: not stated.",
    "deputies": "Deputy heads the unit has. Empty: none.",
    "head": "1 if the head post is held (the default), 0 if it is vacant.",
    "public_employees": "Public employees of a public service unit. Empty: none.",
    "functions": "The unit's functions, one per line of the cell (Alt+Enter).",
    "name_en": "The name in English (optional).",
    "note": "Anything worth recording (optional).",
    "provinces_merged": "For a provincial People's Committee formed by merging provinces: "
    "how many (empty: 1).",
    "reorganized": "The date (YYYY-MM-DD) the reorganization that gave the unit its present "
    "shape took effect; it starts the transition periods the decrees allow.",
}


def _allowed(field: str) -> list[str]:
    if field == "kind":
        return [_label_value("kind", k) for k in Kind]
    if field == "level":
        return [_label_value("level", lv) for lv in Level]
    if field == "class":
        return [_label_value("class", c) for c in ProvinceClass]
    return []


def _template_example() -> Org:
    from ._i18n import _

    unit = Unit.model_validate(
        {
            "id": "ubnd-tinh",
            "kind": "peoples_committee",
            "level": "province",
            "class": "II",
            "name": _("Provincial People's Committee (an example: write over it)"),
        }
    )
    return Org([unit])


def export_template(path: str | os.PathLike[str] | IO[bytes], *, csv: bool | None = None) -> None:
    """Write a blank units table to fill in: the columns import reads, headed in the current
    language, and one example row (a provincial People's Committee), which imports as a model
    of one unit. An .xlsx template also has drop-down lists of the allowed kinds, levels and
    classes, checks on the numbers and dates, a sheet explaining each column, and a Summary
    sheet for the model's name and date. A path that ends in neither .xlsx nor .csv is refused
    with an `OutputError`; an open binary file gets a workbook unless `csv=True`."""
    if csv is None:
        csv = not hasattr(path, "write") and _suffix_format(path, "template") == "csv"
    example = _template_example()
    header, rows = _unit_rows(example)
    keep = [
        i for i, f in enumerate((*COLUMNS[:6], INHERITED_CLASS, *COLUMNS[6:], PATH)) if f in COLUMNS
    ]
    header = [header[i] for i in keep]
    rows = [[row[i] for i in keep] for row in rows]
    if csv:
        _write_atomic(path, _csv_text(header, rows))
        return
    _write_atomic(path, _template_book(header, rows))


def _template_book(header: list[str], rows: list[list[Any]]) -> bytes:
    from openpyxl.utils import get_column_letter
    from openpyxl.worksheet.datavalidation import DataValidation

    from ._i18n import TABLE_COLUMNS_VI, _, language

    openpyxl = _openpyxl()
    bold, _link = _fonts()
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = _("Units")
    ws.append(header)
    for row in rows:
        ws.append(row)
    for c in ws[1]:
        c.font = bold
    last = 1000  # rows the lists and checks cover
    for i, field in enumerate(COLUMNS):
        letter = get_column_letter(i + 1)
        help_text = _(_COLUMN_HELP[field])
        ws.column_dimensions[letter].width = min(max(len(header[i]) + 4, 12), 40)
        allowed = _allowed(field)
        if allowed:
            dv = DataValidation(
                type="list", formula1='"' + ",".join(allowed) + '"', allow_blank=True
            )
        elif field in ("civil_servants", "deputies", "public_employees"):
            dv = DataValidation(type="whole", operator="greaterThanOrEqual", formula1="0")
        elif field == "head":
            dv = DataValidation(type="whole", operator="between", formula1="0", formula2="1")
        elif field == "provinces_merged":
            dv = DataValidation(type="whole", operator="between", formula1="1", formula2="63")
        elif field == "reorganized":
            dv = DataValidation(type="date", operator="greaterThan", formula1="1")
        else:
            dv = DataValidation(allow_blank=True)
        dv.allow_blank = True
        dv.showInputMessage = True
        dv.promptTitle = header[i][:32]
        dv.prompt = help_text[:255]
        if dv.type is not None:
            dv.showErrorMessage = True
            dv.errorTitle = header[i][:32]
            dv.error = help_text[:255]
        dv.add(f"{letter}2:{letter}{last}")
        ws.add_data_validation(dv)
    ws.freeze_panes = "B2"
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{last}"

    cols = wb.create_sheet(_("Columns"))
    other = "en" if language() == "vi" else "vi"
    cols.append([_("column"), _("column ({lang})", lang=other), _("meaning"), _("allowed values")])
    for field in COLUMNS:
        alt = TABLE_COLUMNS_VI.get(field, field) if other == "vi" else field
        cols.append([column_label(field), alt, _(_COLUMN_HELP[field]), ", ".join(_allowed(field))])
    for c in cols[1]:
        c.font = bold
    for letter, width in zip("ABCD", (22, 22, 90, 60), strict=True):
        cols.column_dimensions[letter].width = width
    cols.freeze_panes = "A2"

    summary = wb.create_sheet(_("Summary"))
    summary.append([_("Figure"), _("Value")])
    summary.append([_("model"), None])
    summary.append([_("as of"), None])
    for c in summary[1]:
        c.font = bold
    summary.column_dimensions["A"].width = 20
    summary.column_dimensions["B"].width = 60
    dv = DataValidation(type="date", operator="greaterThan", formula1="1", allow_blank=True)
    dv.add("B3")
    summary.add_data_validation(dv)
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()


def _write_atomic(path: str | os.PathLike[str] | IO[bytes], data: bytes) -> None:
    """Write `data` to an open file, or to a path so that readers see the old file or the new
    one (an `OutputError` naming the path asked for, never the temporary file)."""
    if hasattr(path, "write"):
        path.write(data)
        return
    from ._io import write_atomic

    write_atomic(path, lambda f: f.write(data))
