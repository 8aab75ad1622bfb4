"""Hostile tables: every broken or malicious .csv/.xlsx is a located error (exit 2), never a
traceback, a hang or a memory blow-up; formula-looking text is exported as text."""

from __future__ import annotations

import os
import zipfile
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel import _tables
from orgmodel._cli import main
from orgmodel._model import Org, Unit
from orgmodel._tables import csv_escape, csv_unescape, export_csv, export_workbook, import_table

HEAD = "id,parent,kind,name,level,class,civil_servants,deputies\n"
GOOD = HEAD + "pc,,peoples_committee,UBND tỉnh,province,II,,\nsno,pc,department,Sở Nội vụ,,,6,3\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


def refused(capsys: pytest.CaptureFixture[str], table: Path | str, tmp_path: Path) -> str:
    """Import `table` through the CLI; it must exit 2 with one located message, no output."""
    out = tmp_path / "out.yaml"
    code, err = run(capsys, "import", str(table), "--out", str(out))
    assert code == 2, err
    assert err.startswith(f"orgmodel: {table}"), err
    assert err.count("\n") == 1 and ": :" not in err and "{'" not in err, err
    assert not out.exists()
    return err


def workbook(path: Path, rows: list[list[object]]) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    for r in rows:
        ws.append(r)
    wb.save(path)
    return path


def good_book(tmp_path: Path) -> Path:
    return workbook(
        tmp_path / "good.xlsx",
        [
            ["id", "parent", "kind", "name", "level"],
            ["pc", None, "peoples_committee", "UBND", "province"],
        ],
    )


def rewrite_sheet(src: Path, dst: Path, change) -> Path:  # type: ignore[no-untyped-def]
    """A copy of workbook `src` with its first sheet's XML passed through `change`."""
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(dst, "w", zipfile.ZIP_DEFLATED) as zout:
        for info in zin.infolist():
            data = zin.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = change(data)
            zout.writestr(info.filename, data)
    return dst


# -- the file itself ---------------------------------------------------------------------------
def test_no_file_given(capsys, tmp_path):
    code, err = run(capsys, "import", "", "--out", str(tmp_path / "o.yaml"))
    assert code == 2 and "no file given" in err


@pytest.mark.parametrize(
    ("name", "fragment"),
    [
        ("missing.csv", "no such file"),
        ("old.xls", "Excel 97-2003 workbooks (.xls) are not read"),
        ("units.txt", "expected a .csv or .xlsx table"),
    ],
)
def test_wrong_or_missing_file(capsys, tmp_path, name, fragment):
    if name != "missing.csv":
        (tmp_path / name).write_bytes(b"id,kind,name\n")
    assert fragment in refused(capsys, tmp_path / name, tmp_path)


def test_a_directory_is_refused(capsys, tmp_path):
    d = tmp_path / "units.csv"
    d.mkdir()
    assert "is a directory" in refused(capsys, d, tmp_path)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_without_blocking(capsys, tmp_path):
    fifo = tmp_path / "units.csv"
    os.mkfifo(fifo)  # opening it for reading would block until a writer comes
    assert "not a regular file" in refused(capsys, fifo, tmp_path)


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero here")
def test_an_endless_device_is_refused(capsys, tmp_path):
    link = tmp_path / "zero.xlsx"
    link.symlink_to("/dev/zero")
    assert "not a regular file" in refused(capsys, link, tmp_path)


def test_a_file_too_large_is_refused_before_reading(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_tables, "MAX_FILE_BYTES", 100)
    t = tmp_path / "units.csv"
    t.write_text(GOOD + "x" * 200, encoding="utf-8")
    assert "tables of at most 100 bytes are read" in refused(capsys, t, tmp_path)


def test_messages_name_the_path_as_given(capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    Path("units.csv").write_text(GOOD + "p,nobody,division,X,,,5,1\n", encoding="utf-8")
    err = refused(capsys, "units.csv", tmp_path)
    assert err.startswith("orgmodel: units.csv:4:2: unknown parent 'nobody'")


# -- .xlsx: the zip ----------------------------------------------------------------------------
def test_zip_bomb_is_refused(capsys, tmp_path):
    bomb = tmp_path / "bomb.xlsx"
    with zipfile.ZipFile(bomb, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("[Content_Types].xml", b"<Types/>")
        z.writestr("xl/worksheets/sheet1.xml", b"\0" * (8 * 2**20))
    err = refused(capsys, bomb, tmp_path)
    assert "'xl/worksheets/sheet1.xml' unpacks" in err and "zip bomb" in err
    assert f"at most {_tables.MAX_COMPRESSION_RATIO} times" in err


def test_too_much_unpacked_data_is_refused(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_tables, "MAX_UNCOMPRESSED_BYTES", 2_000)
    err = refused(capsys, good_book(tmp_path), tmp_path)
    assert "unpacks to more than 2,000 bytes" in err


def test_too_many_members_are_refused(capsys, tmp_path):
    book = tmp_path / "many.xlsx"
    with zipfile.ZipFile(book, "w") as z:
        for i in range(_tables.MAX_MEMBERS + 1):
            z.writestr(f"m{i}", b"")
    assert "holds 1,001 files; a workbook holds at most 1,000" in refused(capsys, book, tmp_path)


@pytest.mark.parametrize(
    ("damage", "fragment"),
    [
        (lambda b: b[: len(b) // 2], "the zip archive is damaged or truncated"),
        (lambda b: b"id,kind,name\n", "an .xlsx is a zip archive and this file is not one"),
        (lambda b: b"", "an .xlsx is a zip archive and this file is not one"),
        (lambda b: b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 500, "password-protected"),
    ],
)
def test_damaged_workbooks(capsys, tmp_path, damage, fragment):
    book = tmp_path / "units.xlsx"
    book.write_bytes(damage(good_book(tmp_path).read_bytes()))
    err = refused(capsys, book, tmp_path)
    assert "not a readable .xlsx workbook" in err and fragment in err


def test_a_member_with_a_bad_checksum(capsys, tmp_path):
    src = good_book(tmp_path)
    book = tmp_path / "crc.xlsx"
    with zipfile.ZipFile(src) as zin, zipfile.ZipFile(book, "w", zipfile.ZIP_STORED) as zout:
        for info in zin.infolist():
            zout.writestr(info.filename, zin.read(info.filename))
    data = bytearray(book.read_bytes())
    data[data.index(b"<sheetData>") + 3] ^= 1
    book.write_bytes(bytes(data))
    err = refused(capsys, book, tmp_path)
    assert "'xl/worksheets/sheet1.xml' is damaged (Bad CRC-32" in err


# -- .xlsx: the XML ----------------------------------------------------------------------------
LAUGHS = (
    '<!DOCTYPE lolz [<!ENTITY lol "lol">'
    '<!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">'
    '<!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>'
)


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_entity_expansion_in_a_sheet_is_refused(capsys, tmp_path, encoding):
    def laughs(xml: bytes) -> bytes:
        body = xml.decode().replace("<t>UBND</t>", "<t>&lol3;</t>")
        head = f'<?xml version="1.0" encoding="{encoding.upper()}"?>'
        return (head + LAUGHS + body).encode(encoding)

    book = rewrite_sheet(good_book(tmp_path), tmp_path / "lol.xlsx", laughs)
    err = refused(capsys, book, tmp_path)
    assert "'xl/worksheets/sheet1.xml' declares a DTD or an entity" in err


def test_a_doctype_anywhere_is_refused(capsys, tmp_path):
    book = rewrite_sheet(
        good_book(tmp_path),
        tmp_path / "dtd.xlsx",
        lambda b: b'<!DOCTYPE x SYSTEM "file:///etc/passwd">' + b,
    )
    assert "declares a DTD or an entity" in refused(capsys, book, tmp_path)


def test_a_foreign_xml_encoding_is_refused(capsys, tmp_path):
    book = rewrite_sheet(
        good_book(tmp_path),
        tmp_path / "ebcdic.xlsx",
        lambda b: b'<?xml version="1.0" encoding="cp037"?>' + b,
    )
    assert "declares the XML encoding 'cp037'" in refused(capsys, book, tmp_path)


def test_truncated_sheet_xml(capsys, tmp_path):
    book = rewrite_sheet(good_book(tmp_path), tmp_path / "cut.xlsx", lambda b: b[:-40])
    err = refused(capsys, book, tmp_path)
    assert "a part of it is damaged (ParseError" in err


def test_a_far_away_cell_does_not_blow_up(tmp_path):
    # a dimension claiming the whole grid and a cell in the last column of row 100,000
    def far(xml: bytes) -> bytes:
        xml = xml.replace(b'<dimension ref="A1:E2"', b'<dimension ref="A1:XFD1048576"')
        cell = b'<row r="100000"><c r="XFD100000" t="inlineStr"><is><t>x</t></is></c></row>'
        return xml.replace(b"</sheetData>", cell + b"</sheetData>")

    book = rewrite_sheet(good_book(tmp_path), tmp_path / "far.xlsx", far)
    assert [u.id for u in import_table(book)] == ["pc"]


def test_too_many_rows(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_tables, "MAX_ROWS", 3)
    book = workbook(
        tmp_path / "rows.xlsx",
        [["id", "kind", "name"], *([f"u{i}", "other", "U"] for i in range(5))],
    )
    assert "rows.xlsx:4: sheet 'Sheet' has more than 3 rows" in refused(capsys, book, tmp_path)


def test_control_character_in_an_xlsx_name(capsys, tmp_path):
    book = workbook(
        tmp_path / "c1.xlsx",
        [["id", "kind", "name"], ["a", "other", "A"], ["b", "other", "B\x9b31m"]],
    )
    err = refused(capsys, book, tmp_path)
    assert err.startswith(f"orgmodel: {book}:3:3: sheet 'Sheet', column C ('name'): 'name' holds")
    assert "U+009B" in err


# -- CSV ---------------------------------------------------------------------------------------
def write(tmp_path: Path, text: str | bytes, name: str = "units.csv") -> Path:
    t = tmp_path / name
    if isinstance(text, str):
        t.write_text(text, encoding="utf-8")
    else:
        t.write_bytes(text)
    return t


def test_duplicated_column(capsys, tmp_path):
    t = write(tmp_path, "id,kind,name,note,name\na,other,A,,B\n")
    err = refused(capsys, t, tmp_path)
    assert f"{t}:1:5: the column 'name' appears twice, as column 3 ('name') and column 5" in err


def test_duplicated_column_in_a_workbook(capsys, tmp_path):
    book = workbook(
        tmp_path / "dup.xlsx", [["id", "kind", "name", "Name"], ["a", "other", "A", "B"]]
    )
    err = refused(capsys, book, tmp_path)
    assert "sheet 'Sheet', column C ('name') and sheet 'Sheet', column D ('Name')" in err


def test_over_long_field(capsys, tmp_path):
    t = write(tmp_path, GOOD + "p1,sno,division," + "x" * 200_000 + ",,,5,1\n")
    err = refused(capsys, t, tmp_path)
    assert f"{t}:4: a cell is longer than 131,072 characters" in err


def test_open_quote_swallowing_the_file(capsys, tmp_path):
    t = write(tmp_path, GOOD + 'p1,sno,division,"Phòng,,,5,1\np2,sno,division,X,,,5,1\n')
    err = refused(capsys, t, tmp_path)
    assert f"{t}:4: the file ends inside a quoted cell" in err


def test_over_long_row(capsys, tmp_path, monkeypatch):
    monkeypatch.setattr(_tables, "MAX_RECORD_CHARS", 1_000)
    t = write(tmp_path, GOOD + "," * 5_000 + "\n")
    assert f"{t}:4: row 4 is longer than 1,000 characters" in refused(capsys, t, tmp_path)


def test_nul_byte(capsys, tmp_path):
    t = write(tmp_path, GOOD + "p1,sno,division,Ph\x00ng,,,5,1\n")
    err = refused(capsys, t, tmp_path)
    assert f"{t}:4:19: the file holds a NUL byte" in err


def test_utf16_csv_with_its_byte_order_mark_is_read(tmp_path):
    t = write(tmp_path, GOOD.encode("utf-16"))
    assert [u.id for u in import_table(t)] == ["pc", "sno"]


def test_utf16_without_a_byte_order_mark_is_a_located_error(capsys, tmp_path):
    t = write(tmp_path, GOOD.encode("utf-16-le"))
    assert "is not valid UTF-8" in refused(capsys, t, tmp_path)


def test_broken_utf16_is_a_located_error(capsys, tmp_path):
    t = write(tmp_path, GOOD.encode("utf-16") + b"\x00\xd8")  # a lone surrogate at the end
    assert "starts with a UTF-16 byte-order mark but" in refused(capsys, t, tmp_path)


def test_non_utf8(capsys, tmp_path):
    t = write(tmp_path, GOOD.encode("utf-8") + "p1,sno,division,Phòng,,,5,1\n".encode("latin-1"))
    err = refused(capsys, t, tmp_path)
    assert f"{t}:4:" in err and "is not valid UTF-8" in err


def test_control_character_in_a_name(capsys, tmp_path):
    t = write(tmp_path, GOOD + "p1,sno,division,Ph\x1b[31mòng,,,5,1\n")
    err = refused(capsys, t, tmp_path)
    assert err == (
        f"orgmodel: {t}:4:4: column 4 ('name'): 'name' holds the control character U+001B at "
        "position 3; remove it (names and ids are plain text)\n"
    )


@pytest.mark.parametrize(
    ("row", "fragment"),
    [
        ("p1,sno,division,X,,,2,3", "4:7: column 7 ('civil_servants'): unit 'p1' states 2 civil"),
        ("p1,sno,peoples_committee,X,,,5,1", "4:5: column 5 ('level'): People's Committee 'p1'"),
        ("p1,sno,divison,X,,,5,1", "4:3: column 3 ('kind'): kind 'divison' is not one of: "),
        ("p1,sno,division,,,,5,1", "4:4: column 4 ('name'): 'name' is empty"),
        (",sno,division,X,,,5,1", "4:1: the row has no id (column 1 ('id') is empty)"),
        (
            "p1,sno,division,X,,IV,5,1",
            "4:6: column 6 ('class'): class 'IV' is not one of: special, I, II, III",
        ),
    ],
)
def test_row_errors_are_clean(capsys, tmp_path, row, fragment):
    t = write(tmp_path, GOOD + row + "\n")
    err = refused(capsys, t, tmp_path)
    assert f"orgmodel: {t}:{fragment}" in err


# -- depth -------------------------------------------------------------------------------------
DEPTH = 1_000  # the deepest orgmodel reads and writes (MAX_DEPTH)
CYCLE = 5_000


def chain_csv(tmp_path: Path, depth: int = DEPTH) -> Path:
    rows = ["id,parent,kind,name", "u0,,other,U0"]
    rows += [f"u{i},u{i - 1},other,U{i}" for i in range(1, depth)]
    return write(tmp_path, "\n".join(rows) + "\n", "chain.csv")


def test_a_deep_chain_imports_and_exports(tmp_path):
    org = import_table(chain_csv(tmp_path))
    assert len(org) == DEPTH and org.depth(f"u{DEPTH - 1}") == DEPTH - 1
    export_csv(tmp_path / "back.csv", org)
    assert import_table(tmp_path / "back.csv") == org.replace(name="back")
    export_workbook(tmp_path / "back.xlsx", org)  # (reading it back is openpyxl-slow: ~1.5 s)
    with zipfile.ZipFile(tmp_path / "back.xlsx") as z:  # sheet2 is Units
        assert z.read("xl/worksheets/sheet2.xml").count(b"<row ") == DEPTH + 1


def test_a_chain_deeper_than_orgmodel_reads_is_refused(capsys, tmp_path):
    t = chain_csv(tmp_path, DEPTH + 1)
    err = refused(capsys, t, tmp_path)
    assert "levels" in err and str(DEPTH) in err


def test_a_long_cycle_is_located(capsys, tmp_path):
    rows = ["id,parent,kind,name"] + [f"u{i},u{(i + 1) % CYCLE},other,U{i}" for i in range(CYCLE)]
    t = write(tmp_path, "\n".join(rows) + "\n")
    err = refused(capsys, t, tmp_path)
    assert (
        f"{t}:2:2: the parents form a cycle: u0 -> u1" in err
        and "-> u4999 -> u0 (rows 2, 3, 4, 5, 6, …, 4997, 4998, 4999, 5000, 5001)" in err
    )


def test_a_unit_its_own_parent(capsys, tmp_path):
    t = write(tmp_path, "id,parent,kind,name\na,a,other,A\n")
    assert "cycle: a -> a (rows 2)" in refused(capsys, t, tmp_path)


# -- formula injection -------------------------------------------------------------------------
FORMULAS = [
    "=SUM(1)",
    '=HYPERLINK("http://evil.example","click")',
    "+1",
    "-2",
    "@x",
    "=cmd|' /C calc'!A0",
    "'=x",  # already quoted: one more quote, so it comes back as it was
    "''+y",
    "'plain",
]


def formula_org() -> Org:
    units = [Unit(id="pc", kind="peoples_committee", name="UBND", level="province")]
    units += [
        Unit(id=f"u{i}", parent="pc", kind="division", name=n, note=n, functions=(n.split(",")[0],))
        for i, n in enumerate(FORMULAS)
    ]
    units.append(Unit(id="-x", parent="pc", kind="office", name="@SUM(2)", civil_servants=4))
    return Org(units, name="formulas")


def test_formulas_are_exported_as_text(capsys, tmp_path):
    src = tmp_path / "formulas.yaml"
    om.dump(formula_org(), src)
    book, table = tmp_path / "formulas.xlsx", tmp_path / "formulas.csv"
    assert run(capsys, "export", str(src), "--out", str(book))[0] == 0
    assert run(capsys, "export", str(src), "--out", str(table))[0] == 0

    ws = openpyxl.load_workbook(book)["Units"]
    cells = [c for row in ws.iter_rows(min_row=2) for c in row if isinstance(c.value, str)]
    assert all(c.data_type == "s" for c in cells)  # no formula anywhere
    names = {c.value: c for c in ws["D"][1:]}
    assert set(names) == {"UBND", *FORMULAS, "@SUM(2)"}
    assert names["=SUM(1)"].quotePrefix and not names["UBND"].quotePrefix
    assert [c.value for c in ws["H"][1:]] == [None] * 10 + [4]  # numbers stay numbers

    text = table.read_text(encoding="utf-8-sig")
    assert "\nu0,pc,division,'=SUM(1)," in text and "\n'-x,pc,office,'@SUM(2)," in text
    assert ",''=x," in text and ",'plain," in text

    for exported in (book, table):
        out = tmp_path / f"back-{exported.suffix[1:]}.yaml"
        assert run(capsys, "import", str(exported), "--out", str(out))[0] == 0
        back = om.load(out)
        assert [u.model_dump() for u in back] == [u.model_dump() for u in formula_org()]


def test_csv_quote_is_dropped_only_before_a_formula_character(tmp_path):
    t = write(tmp_path, "id,kind,name,note\na,other,'=SUM(1),'just a quote\nb,other,''@x,''\n")
    org = import_table(t)
    assert (org["a"].name, org["a"].note) == ("=SUM(1)", "'just a quote")
    assert (org["b"].name, org["b"].note) == ("'@x", "''")


def test_export_to_an_unwritable_place_names_the_path(capsys, tmp_path):
    src = tmp_path / "formulas.yaml"
    om.dump(formula_org(), src)
    for out in (tmp_path / "missing" / "book.xlsx", tmp_path):
        code, err = run(capsys, "export", str(src), "--out", str(out))
        assert code == 2 and str(out) in err and ".tmp" not in err and err.count("\n") == 1
    assert list(tmp_path.iterdir()) == [src]


@given(st.text(max_size=12))
def test_csv_escape_round_trips(text):
    assert csv_unescape(csv_escape(text)) == text
    assert not csv_escape(text).startswith(_tables.FORMULA_TRIGGERS)


NAME = st.text(
    st.characters(blacklist_categories=("Cc", "Cs"), blacklist_characters="\ufffe\uffff"),
    min_size=1,
    max_size=12,
).filter(lambda s: s == s.strip() and s.strip())
PREFIXED = st.tuples(st.sampled_from(["=", "+", "-", "@", "'=", "'", "''-"]), NAME).map("".join)


@settings(
    max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(names=st.lists(st.one_of(NAME, PREFIXED), min_size=1, max_size=4))
def test_any_name_survives_export_and_import(tmp_path, names):
    units = [Unit(id="r", kind="other", name="root")]
    units += [Unit(id=f"u{i}", parent="r", kind="other", name=n) for i, n in enumerate(names)]
    org = Org(units, name="t")
    for path in (tmp_path / "t.csv", tmp_path / "t.xlsx"):
        export_workbook(path, org)
        assert [u.name for u in import_table(path)] == ["root", *names]


def test_exported_workbook_imports_its_units_sheet(tmp_path):
    org = formula_org()
    export_workbook(tmp_path / "b.xlsx", org)
    wb = openpyxl.load_workbook(tmp_path / "b.xlsx")
    assert wb.sheetnames[0] == "Summary"  # the Units sheet is found by its name
    assert import_table(tmp_path / "b.xlsx").units == org.units


def test_reading_from_memory_only(tmp_path):
    # the workbook is read once; replacing the file meanwhile cannot feed openpyxl other bytes
    book = good_book(tmp_path)
    data = book.read_bytes()
    table = _tables._xlsx_table(str(book), data)
    assert table.header == ["id", "parent", "kind", "name", "level"]


def test_a_bad_date_says_what_is_expected(capsys, tmp_path):
    t = write(tmp_path, "id,kind,name,reorganized\na,other,A,2025-13-01\n")
    err = refused(capsys, t, tmp_path)
    assert err.endswith(
        ":2:4: column 4 ('reorganized'): must be a date written YYYY-MM-DD, got '2025-13-01'\n"
    )


def test_semicolon_separated_csv(tmp_path):
    t = write(tmp_path, "id;kind;name\na;other;A, B\n")
    assert [u.name for u in import_table(t)] == ["A, B"]


def test_semicolon_csv_errors_name_the_semicolon(capsys, tmp_path):
    t = write(tmp_path, 'id;kind;name\na;other;"A"B\n')
    assert "a quoted cell must end at the semicolon" in refused(capsys, t, tmp_path)


def test_exception_text_cannot_reach_the_terminal_raw(capsys, tmp_path):
    book = tmp_path / "esc.xlsx"
    with zipfile.ZipFile(book, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("\x1b]0;pwned\x07.xml", b"\0" * (2 * 2**20))
    err = refused(capsys, book, tmp_path)
    assert "\x1b" not in err and "\x07" not in err and "\\x1b" in err


def test_simulation_outcome_to_csv_is_the_units_after(capsys, tmp_path):
    from .conftest import EXAMPLES, HAIPHONG

    table = tmp_path / "after.csv"
    plan = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
    assert run(capsys, "export", str(HAIPHONG), "--plan", str(plan), "--out", str(table))[0] == 0
    assert table.read_bytes().startswith(b"\xef\xbb\xbfid,parent,kind,name,")
    assert len(import_table(table)) == 184


def test_a_vietnamese_workbook_imports_its_units_sheet(capsys, tmp_path):
    from .conftest import HAIPHONG

    book = tmp_path / "vi.xlsx"
    assert run(capsys, "export", str(HAIPHONG), "--out", str(book), "--lang", "vi")[0] == 0
    assert "Đơn vị" in openpyxl.load_workbook(book, read_only=True).sheetnames
    assert len(import_table(book)) == len(om.load(HAIPHONG))


def test_merged_cells_and_formulas_without_values_are_refused_not_read_as_empty(tmp_path, capsys):
    """Excel shows a merged parent down two rows, and a formula's result; the saved file holds
    neither in the other cells: refused with the cell, never imported as 'no parent'."""
    import openpyxl

    from orgmodel._cli import main

    def book(edit):
        wb = openpyxl.Workbook()
        ws = wb.active
        ws.append(["id", "parent", "kind", "name", "level", "civil_servants"])
        ws.append(["hp", None, "peoples_committee", "UBND", "province", None])
        ws.append(["so", "hp", "department", "Sở A", None, 10])
        ws.append(["so2", "hp", "department", "Sở B", None, 12])
        edit(ws)
        path = tmp_path / "units.xlsx"
        wb.save(path)
        return path

    merged = book(lambda ws: ws.merge_cells("B3:B4"))
    assert main(["import", str(merged), "--out", str(tmp_path / "o.yaml")]) == 2
    err = capsys.readouterr().err
    assert ":3:2: cells B3:B4 are merged" in err and not (tmp_path / "o.yaml").exists()
    formula = book(lambda ws: ws.__setitem__("F4", "=F3+2"))
    assert main(["import", str(formula), "--out", str(tmp_path / "o.yaml"), "--lang", "vi"]) == 2
    assert ":4:6: ô F4 chứa công thức" in capsys.readouterr().err
    title = book(lambda ws: None)  # a merged title row above the header is fine
    wb = openpyxl.load_workbook(title)
    wb.active.insert_rows(1)
    wb.active["A1"] = "Danh sách đơn vị"
    wb.active.merge_cells("A1:F1")
    wb.save(title)
    assert main(["import", str(title), "--out", str(tmp_path / "o.yaml")]) == 0


def test_a_workbook_named_csv_is_named_as_such(tmp_path, capsys):
    from orgmodel._cli import main

    from .conftest import EXAMPLES

    book = tmp_path / "units.xlsx"
    assert main(["export", str(EXAMPLES / "hue" / "hue-2025.yaml"), "--out", str(book), "-q"]) == 0
    renamed = tmp_path / "units.csv"
    renamed.write_bytes(book.read_bytes())
    assert main(["import", str(renamed), "--out", str(tmp_path / "o.yaml")]) == 2
    assert "this is an Excel workbook (.xlsx)" in capsys.readouterr().err
