"""Excel and CSV both ways: what orgmodel exports imports back to the same model (`dumps`
equal, name and date included), and a table an analyst made by hand imports too."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import openpyxl
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._cli import main
from orgmodel._tables import export_csv, export_workbook, import_table

from .conftest import EXAMPLES, HAIPHONG
from .strategies import orgs

PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main(list(argv))
    err = capsys.readouterr().err
    assert "Traceback" not in err
    return code, err


# -- what orgmodel writes comes back -------------------------------------------------------------
@pytest.mark.parametrize("lang", ["en", "vi"])
def test_model_workbook_round_trip(capsys, tmp_path, lang):
    book, back = tmp_path / "model.xlsx", tmp_path / "again.yaml"
    assert run(capsys, "export", str(HAIPHONG), "--out", str(book), "--lang", lang)[0] == 0
    code, err = run(capsys, "import", str(book), "--out", str(back), "--lang", lang)
    assert code == 0 and "214" in err
    org, again = om.load(HAIPHONG), om.load(back)
    assert om.dumps(again) == om.dumps(org)
    assert again.as_of == dt.date(2022, 3, 11) and again.name.startswith("Hai Phong City")
    # the date came back, so the re-imported model is judged by the same decree
    assert om.check(again).rulebooks == om.check(org).rulebooks


@pytest.mark.parametrize("lang", ["en", "vi"])
def test_plan_workbook_imports_its_after_sheet(capsys, tmp_path, lang):
    book, back = tmp_path / "plan.xlsx", tmp_path / "after.yaml"
    argv = ("export", str(HAIPHONG), "--plan", str(PLAN), "--out", str(book), "--lang", lang)
    assert run(capsys, *argv)[0] == 0
    code, err = run(capsys, "import", str(book), "--out", str(back))
    assert code == 0 and "2 sheets hold units" in err
    outcome = om.simulate(om.load(HAIPHONG), om.load_plan(PLAN))
    after = om.load(back)
    assert len(after) == 184 and after.as_of == dt.date(2022, 12, 31)
    assert om.dumps(after) == om.dumps(outcome.after)
    # --sheet reads the units before the plan, with the model's own date
    sheet = "Units before" if lang == "en" else "Đơn vị trước sắp xếp"
    before = tmp_path / "before.yaml"
    assert run(capsys, "import", str(book), "--out", str(before), "--sheet", sheet)[0] == 0
    assert om.dumps(om.load(before)) == om.dumps(om.load(HAIPHONG))


def test_csv_round_trip_says_what_it_does_not_carry(capsys, tmp_path):
    table, back = tmp_path / "units.csv", tmp_path / "again.yaml"
    code, err = run(capsys, "export", str(HAIPHONG), "--out", str(table))
    assert code == 0 and "name and date (2022-03-11) are not in it" in err
    assert table.read_bytes().startswith(b"\xef\xbb\xbfid,parent,kind,name,")
    code, err = run(capsys, "import", str(table), "--out", str(back))
    assert code == 0 and "no date for the model" in err and "named 'units'" in err
    org = om.load(HAIPHONG)
    assert om.dumps(om.load(back)) == om.dumps(org.replace(name="units", as_of=None))
    argv = ("import", str(table), "--out", str(back), "--name", org.name, "--as-of", "2022-03-11")
    code, err = run(capsys, *argv)
    assert code == 0 and "no date" not in err
    assert om.dumps(om.load(back)) == om.dumps(org)


def test_vietnamese_csv_round_trip(capsys, tmp_path):
    table = tmp_path / "don-vi.csv"
    assert run(capsys, "export", str(HAIPHONG), "--out", str(table), "--lang", "vi")[0] == 0
    head = table.read_text(encoding="utf-8-sig").splitlines()[0]
    assert head.startswith("Mã,Mã cấp trên,Loại đơn vị,Tên đơn vị,Cấp,Loại tỉnh,")
    org = import_table(table, name="x", as_of="2022-03-11")
    assert om.dumps(org) == om.dumps(om.load(HAIPHONG).replace(name="x"))


def text_of(org: om.Org) -> list[str]:
    out = [org.name]
    for u in org:
        out += [u.id, u.name, u.name_en or "x", u.note or "x", *u.functions]
    return out


def storable(org: om.Org) -> bool:
    """Text a table can carry: not only spaces (a cell of spaces is an empty cell), and without
    U+FFFE/U+FFFF, which XML (so .xlsx) cannot hold."""
    return all(t.strip() and "\ufffe" not in t and "\uffff" not in t for t in text_of(org))


SLOW = settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@SLOW
@given(org=orgs(max_units=8), lang=st.sampled_from(["en", "vi"]))
def test_any_model_survives_xlsx(tmp_path, org, lang):
    assume(storable(org))
    path = tmp_path / "any.xlsx"
    with om.language(lang):
        export_workbook(path, org)
    assert om.dumps(import_table(path)) == om.dumps(org)


@SLOW
@given(org=orgs(max_units=8), lang=st.sampled_from(["en", "vi"]))
def test_any_model_survives_csv(tmp_path, org, lang):
    assume(storable(org))
    path = tmp_path / "any.csv"
    with om.language(lang):
        export_csv(path, org)
    back = import_table(path, name=org.name, as_of=org.as_of)
    assert om.dumps(back) == om.dumps(org)


def test_any_outcome_after_sheet_survives(tmp_path):
    outcome = om.simulate(om.load(HAIPHONG), om.load_plan(PLAN))
    path = tmp_path / "o.csv"
    export_workbook(path, outcome.before, outcome=outcome)
    back = import_table(path, name=outcome.after.name, as_of=outcome.after.as_of)
    assert om.dumps(back) == om.dumps(outcome.after)


# -- a table an analyst made -------------------------------------------------------------------
def analyst_book(path: Path) -> Path:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "Danh sách"
    ws.append(["BẢNG TỔNG HỢP BIÊN CHẾ NĂM 2022"])  # a title above the header
    ws.append([])
    head = ["STT", "Mã", "Tên đơn vị", "Loại", "Mã cấp trên", "Cấp", "Loại tỉnh", "Biên chế"]
    ws.append([*head, "Số cấp phó", "Ghi chú của phòng TCCB"])
    ws.append([1, "hp", "UBND thành phố Hải Phòng", "Ủy ban nhân dân", None, "cấp tỉnh", "I"])
    ws.append([2, "snv", "Sở Nội vụ", "Sở", "hp", None, None, 8, 3, "đã rà soát"])
    ws.append([])  # blank rows in the middle
    ws.append([None, None, None, None, None, None, None, None, None, None])
    ws.append([3, "snv-tccb", "Phòng Tổ chức", "Phòng", "snv", None, None, 6, 1])
    ws.append([4, "snv-cc", "Chi cục Văn thư", "chi cục", "snv", None, None, "12", None])
    wb.create_sheet("Ghi chú").append(["Bảng do phòng TCCB lập"])
    wb.save(path)
    return path


def test_a_hand_made_workbook_imports(capsys, tmp_path):
    book, out = analyst_book(tmp_path / "bien-che.xlsx"), tmp_path / "org.yaml"
    code, err = run(capsys, "import", str(book), "--out", str(out), "--lang", "vi")
    assert code == 0, err
    assert "các cột không được đọc (không thuộc orgmodel): STT, Ghi chú của phòng TCCB" in err
    org = om.load(out)
    assert [u.id for u in org] == ["hp", "snv", "snv-tccb", "snv-cc"]
    assert [u.kind.value for u in org] == ["peoples_committee", "department", "division", "branch"]
    assert org["hp"].level.value == "province" and org.province_class("snv-cc").value == "I"
    assert (org["snv"].civil_servants, org["snv"].deputies) == (8, 3)
    assert org["snv-cc"].civil_servants == 12 and org["snv-cc"].deputies == 0
    # an empty cell is "not stated", never 0
    assert "civil_servants" not in org["hp"].model_fields_set


def test_errors_in_a_hand_made_workbook_name_the_sheet_row_and_column(capsys, tmp_path):
    book = analyst_book(tmp_path / "bien-che.xlsx")
    wb = openpyxl.load_workbook(book)
    wb["Danh sách"]["H9"] = "1.734"
    wb.save(book)
    code, err = run(capsys, "import", str(book), "--out", str(tmp_path / "o.yaml"))
    assert code == 2
    assert err.startswith(f"orgmodel: {book}:9:8: 'civil_servants' must be a whole number, got")
    assert "sheet 'Danh sách', column H ('Biên chế')" in err
    assert "write it without separators (1734)" in err
    code, err = run(capsys, "import", str(book), "--out", str(tmp_path / "o.yaml"), "--lang", "vi")
    assert "phải là số nguyên" in err and "trang 'Danh sách', cột H" in err


def test_a_typo_in_a_header_is_not_skipped(capsys, tmp_path):
    t = tmp_path / "units.csv"
    t.write_text("id,kind,name,civil_servant\na,other,A,5\n", encoding="utf-8")
    code, err = run(capsys, "import", str(t), "--out", str(tmp_path / "o.yaml"))
    assert code == 2 and "unknown column 'civil_servant'" in err
    assert "did you mean 'civil servants'?" in err


# -- CSV from Excel under a Vietnamese locale -------------------------------------------------
VI_CSV = "Mã;Mã cấp trên;Loại đơn vị;Tên đơn vị;Cấp;Loại tỉnh;Biên chế;Số cấp phó\n"
VI_CSV += "hp;;Ủy ban nhân dân;UBND thành phố;cấp tỉnh;I;;\n"
VI_CSV += "snv;hp;Sở;Sở Nội vụ, Hải Phòng;;;8;3\n"


@pytest.mark.parametrize(
    "encode",
    [
        lambda t: t.encode("utf-8"),
        lambda t: b"\xef\xbb\xbf" + t.encode("utf-8"),
        lambda t: t.replace(";", "\t").encode("utf-16"),  # Excel's "Unicode Text"
    ],
)
def test_semicolon_csv_from_a_vietnamese_excel(tmp_path, encode):
    t = tmp_path / "units.csv"
    t.write_bytes(encode(VI_CSV))
    org = import_table(t)
    assert [u.id for u in org] == ["hp", "snv"] and org["snv"].name == "Sở Nội vụ, Hải Phòng"
    assert org["snv"].civil_servants == 8 and org.province_class("snv").value == "I"


def test_an_unreadable_header_names_the_separator(capsys, tmp_path):
    t = tmp_path / "units.csv"
    t.write_text("ma|ten|loai\nhp|UBND|x\n", encoding="utf-8")
    code, err = run(capsys, "import", str(t), "--out", str(tmp_path / "o.yaml"))
    assert code == 2 and err.startswith(f"orgmodel: {t}:1: cannot read the header row")
    assert "separated by vertical bars (|), 2 in the row" in err
    assert "expected column names separated by commas (,) or semicolons (;)" in err
    code, err = run(capsys, "import", str(t), "--out", str(tmp_path / "o.yaml"), "--lang", "vi")
    assert "dấu gạch đứng (|), 2 lần trong hàng" in err and "dấu chấm phẩy (;)" in err


def test_a_cp1258_csv_is_a_located_error(capsys, tmp_path):
    t = tmp_path / "units.csv"
    t.write_bytes("id,kind,name\na,other,S\u01a1n\n".encode("cp1258"))
    code, err = run(capsys, "import", str(t), "--out", str(tmp_path / "o.yaml"))
    assert code == 2 and f"{t}:2:" in err and "not valid UTF-8" in err


# -- one format under its own name only ------------------------------------------------------
@pytest.mark.parametrize("name", ["x.xls", "x.txt", "x.ods", "x", "x.xlsx.bak"])
def test_export_refuses_other_suffixes(capsys, tmp_path, name):
    out = tmp_path / name
    code, err = run(capsys, "export", str(HAIPHONG), "--out", str(out))
    assert code == 2 and err.count("\n") == 1
    assert "writes an Excel workbook (.xlsx) or a CSV table (.csv)" in err
    assert not out.exists() and list(tmp_path.iterdir()) == []
    code, err = run(capsys, "template", "--out", str(out), "--lang", "vi")
    assert code == 2 and "hãy đặt tên tệp .xlsx hoặc .csv" in err


def test_the_library_refuses_them_too(tmp_path):
    with pytest.raises(om.OutputError, match=r"name the file \.xlsx or \.csv"):
        export_workbook(tmp_path / "x.ods", om.load(HAIPHONG))
    assert list(tmp_path.iterdir()) == []
