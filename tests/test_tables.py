"""Excel and CSV: import with row-numbered errors, export to a workbook."""

import datetime as dt

import openpyxl
import pytest

import orgmodel as om
from orgmodel._cli import main
from orgmodel._tables import import_table

from .conftest import EXAMPLES, HAIPHONG

PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"

CSV = """id,parent,kind,name,level,class,civil_servants,deputies
pc,,peoples_committee,UBND tỉnh,province,II,,
sno,pc,department,Sở Nội vụ,,,6,3
p1,sno,division,Phòng Tổ chức,,,5,1
"""


def test_csv_import_builds_the_model(tmp_path):
    t = tmp_path / "units.csv"
    t.write_text(CSV, encoding="utf-8")
    out = tmp_path / "org.yaml"
    assert main(["import", str(t), "--out", str(out)]) == 0
    org = om.load(out)
    assert [u.id for u in org] == ["pc", "sno", "p1"]
    assert org["p1"].civil_servants == 5 and org.province_class("p1").value == "II"
    assert om.check(org, as_of="2022-01-01").ok  # 5 complies in a class-II province


@pytest.mark.parametrize(
    ("body", "row", "fragment"),
    [
        ("p2,nobody,division,X,,,5,1\n", 5, "unknown parent 'nobody'"),
        ("p1,sno,division,X,,,5,1\n", 5, "duplicate id 'p1' (also on row 4)"),
        ("p2,sno,divisionn,X,,,5,1\n", 5, "kind"),
        ("p2,sno,division,X,,,five,1\n", 5, "'civil_servants' must be a whole number"),
        ("p2,sno,division,X,,,2,3\n", 5, "states 2 civil servants but holds 1 head and 3 deputies"),
    ],
)
def test_bad_rows_are_numbered(tmp_path, body, row, fragment):
    t = tmp_path / "units.csv"
    t.write_text(CSV + body, encoding="utf-8")
    with pytest.raises(om.LoadError) as info:
        import_table(t)
    assert info.value.line == row and fragment in str(info.value)
    assert f"{t}:{row}" in str(info.value)


def test_cycle_is_reported_with_its_rows(tmp_path):
    t = tmp_path / "cycle.csv"
    t.write_text("id,parent,kind,name\na,b,other,A\nb,a,other,B\n", encoding="utf-8")
    with pytest.raises(om.LoadError, match=r"cycle: a -> b -> a \(rows 2, 3\)"):
        import_table(t)
    assert main(["import", str(t), "--out", str(tmp_path / "x.yaml")]) == 2


def test_xlsx_round_trip_through_export_and_import(tmp_path):
    book = tmp_path / "hp.xlsx"
    assert main(["export", str(HAIPHONG), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Summary", "Units", "Violations"]
    assert wb["Violations"].max_row == 1 + 5
    # the workbook as exported is an import table: the same model comes back
    assert om.dumps(import_table(book)) == om.dumps(om.load(HAIPHONG))


def test_export_of_a_simulation(tmp_path):
    book = tmp_path / "plan.xlsx"
    assert main(["export", str(HAIPHONG), "--plan", str(PLAN), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "Summary",
        "Units before",
        "Units after",
        "Changes",
        "Leadership",
        "Violations",
    ]
    rows = list(wb["Summary"].iter_rows(values_only=True))
    assert rows[0] == ("Figure", "Before", "After", "Change", "Value")
    summary = {r[0].strip(): r[1:] for r in rows[1:]}
    # figures are numbers a spreadsheet can add up, not text such as "214 → 184 (removed 30)"
    assert summary["focal points"] == (214, 184, -30, None)
    assert summary["as of"][:2] == (dt.datetime(2022, 3, 11), dt.datetime(2022, 12, 31))
    assert summary["violations cured"] == (None, None, None, 5)
    assert wb["Units after"].max_row == 1 + 184
    assert [r[0] for r in wb["Violations"].iter_rows(min_row=2, values_only=True)] == ["cured"] * 5


def test_workbook_in_vietnamese(tmp_path):
    book = tmp_path / "vi.xlsx"
    argv = ["export", str(HAIPHONG), "--plan", str(PLAN), "--out", str(book), "--lang", "vi"]
    assert main(argv) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Đơn vị trước sắp xếp",
        "Đơn vị sau sắp xếp",
        "Thay đổi",
        "Lãnh đạo",
        "Vi phạm",
    ]
    rows = list(wb["Tổng hợp"].iter_rows(values_only=True))
    assert rows[0] == ("Chỉ tiêu", "Trước", "Sau", "Chênh lệch", "Giá trị")
    assert ("đầu mối", 214, 184, -30, None) in rows
    units = list(wb["Đơn vị sau sắp xếp"].iter_rows(values_only=True))
    assert units[0][:8] == (
        "Mã",
        "Mã cấp trên",
        "Loại đơn vị",
        "Tên đơn vị",
        "Cấp",
        "Loại tỉnh",
        "Loại tỉnh (kế thừa)",
        "Biên chế",
    )
    assert units[0][-1] == "Vị trí trong bộ máy"
    assert (units[1][2], units[1][4], units[1][6]) == ("Ủy ban nhân dân", "cấp tỉnh", "I")
    kinds = {"Ủy ban nhân dân", "Sở", "Văn phòng", "Phòng", "Chi cục", "Thanh tra", "Ban"}
    assert {r[2] for r in units[1:]} <= kinds | {"Đơn vị sự nghiệp công lập"}
    vs = list(wb["Vi phạm"].iter_rows(values_only=True))
    assert vs[0][:3] == ("tác động của phương án", "đơn vị", "tên đơn vị")
    assert {r[0] for r in vs[1:]} == {"được khắc phục"}
    assert all(r[10].startswith("Nghị định ") and "Điều" in r[10] for r in vs[1:])
    assert all("Decree" not in str(c) for r in vs[1:] for c in r)
    lead = list(wb["Lãnh đạo"].iter_rows(values_only=True))
    # Phòng Pháp chế - Quản lý chuyên ngành: 4 leaders carried, 3 legal posts, 1 without a post
    assert lead[1][:8] == (
        "hp-tttt-phap-che",
        "Phòng Pháp chế - Quản lý chuyên ngành",
        4,
        3,
        3,
        1,
        0,
        1,
    )
    assert all("Nghị định 107/2020/NĐ-CP" in r[-1] and "Decree" not in r[-1] for r in lead[1:])


def test_an_analyst_can_work_in_the_workbook(tmp_path):
    book = tmp_path / "plan.xlsx"
    assert main(["export", str(HAIPHONG), "--plan", str(PLAN), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    for ws in wb.worksheets:
        assert ws.freeze_panes == "B2", ws.title  # the header row and the first column stay
        assert ws.auto_filter.ref == f"A1:{ws.cell(1, ws.max_column).column_letter}{ws.max_row}"
        assert all(c.font.b for c in ws[1])
    units = wb["Units after"]
    widths = {c: units.column_dimensions[c].width for c in "ADQ"}
    assert widths["A"] < widths["D"] <= 60 and widths["Q"] == 60  # id narrow, names wide
    head = [c.value for c in units[1]]
    assert head[-1] == "path"
    row = {r[0].value: r for r in units.iter_rows(min_row=2)}
    assert row["hp-giao-thong-tccb"][-1].value == (
        "Ủy ban nhân dân thành phố Hải Phòng / Sở Giao thông vận tải / Phòng Tổ chức cán bộ"
    )
    # every id in the violations and leadership sheets links to that unit's row
    for title, col, target in (("Violations", 1, "Units before"), ("Leadership", 0, "Units after")):
        cells = [r[col] for r in wb[title].iter_rows(min_row=2)]
        assert cells
        for c in cells:
            sheet, _, ref = c.hyperlink.location.rpartition("!")
            assert sheet == f"'{target}'" and wb[target][ref].value == c.value
    # numbers are numbers
    assert isinstance(row["hp-giao-thong-tccb"][7].value, int)


def test_blank_template(capsys, tmp_path):
    book = tmp_path / "units.xlsx"
    assert main(["template", "--out", str(book), "--lang", "vi"]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == ["Đơn vị", "Cột", "Tổng hợp"]
    ws = wb["Đơn vị"]
    assert [c.value for c in ws[1]][:4] == ["Mã", "Mã cấp trên", "Loại đơn vị", "Tên đơn vị"]
    lists = {str(dv.sqref)[0]: dv for dv in ws.data_validations.dataValidation}
    assert lists["C"].type == "list" and "Phòng" in lists["C"].formula1
    assert "cấp tỉnh" in lists["E"].formula1 and "đặc biệt" in lists["F"].formula1
    assert lists["G"].type == "whole"
    meanings = {r[0]: r[2] for r in wb["Cột"].iter_rows(min_row=2, values_only=True)}
    assert meanings["Biên chế"].startswith("Biên chế công chức giao cho chính đơn vị")
    # as it is, it imports as a model of one unit
    assert len(import_table(book)) == 1
    # filled in, it is a model
    ws.append(["snv", "ubnd-tinh", "Sở", "Sở Nội vụ", None, None, 10, 2])
    ws.append(["snv-tccb", "snv", "Phòng", "Phòng Tổ chức", None, None, 6, 1])
    wb["Tổng hợp"]["B2"] = "Tỉnh X"
    wb["Tổng hợp"]["B3"] = dt.date(2022, 1, 1)
    wb.save(book)
    org = import_table(book)
    assert (org.name, org.as_of) == ("Tỉnh X", dt.date(2022, 1, 1))
    assert [u.id for u in org] == ["ubnd-tinh", "snv", "snv-tccb"]
    assert org.province_class("snv-tccb").value == "II" and org["snv"].civil_servants == 10


def test_csv_template_in_english(tmp_path):
    table = tmp_path / "units.csv"
    assert main(["template", "--out", str(table)]) == 0
    lines = table.read_text(encoding="utf-8-sig").splitlines()
    assert lines[0] == ",".join(om._tables.COLUMNS)
    assert len(lines) == 2 and len(import_table(table)) == 1


def test_template_is_public():
    assert om.export_template is om._tables.export_template
    assert {"export_template", "export_workbook", "import_table"} <= set(om.__all__)


@pytest.mark.parametrize("end", ["\r", "\r\n"])
def test_csv_with_old_mac_or_windows_line_ends(tmp_path, end):
    """A CSV saved with CR or CRLF line ends (also inside a quoted cell) reads like one with LF."""
    path = tmp_path / "units.csv"
    rows = ["id,kind,name,level,note", 'hp,peoples_committee,A,province,"two' + end + 'lines"']
    path.write_bytes((end.join(rows) + end).encode())
    org = import_table(path)
    assert org["hp"].note == "two\nlines"
    assert org["hp"].level == "province"


def test_html_report_shows_every_finding_unless_limited(tmp_path, capsys):
    """A page is written to be forwarded: with --out it leaves no finding out; --limit cuts it."""
    out = tmp_path / "r.html"
    assert main(["check", str(HAIPHONG), "--format", "html", "--out", str(out)]) == 1
    page = out.read_text(encoding="utf-8")
    assert page.count("hp-tttt-qlnn") >= 1 and "and 0 more" not in page
    out2 = tmp_path / "r2.html"
    assert (
        main(["check", str(HAIPHONG), "--format", "html", "--limit", "2", "--out", str(out2)]) == 1
    )
    assert "and 3 more" in out2.read_text(encoding="utf-8")  # 5 findings, 2 shown


@pytest.mark.parametrize(
    ("value", "en", "vi"),
    [
        (12.5, "must be a whole number, got 12.5", "phải là số nguyên, nhận được 12.5"),
        (True, "must be a whole number, got True", "phải là số nguyên, nhận được True"),
        (-3, "must be 0 or more, got -3", "phải từ 0 trở lên, nhận được -3"),
    ],
)
def test_a_bad_count_in_a_workbook_reads_in_both_languages(tmp_path, capsys, value, en, vi):
    book = tmp_path / "units.xlsx"
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["id", "kind", "name", "level", "civil_servants"])
    ws.append(["hp", "peoples_committee", "A", "province", value])
    wb.save(book)
    for lang, words in (("en", en), ("vi", vi)):
        assert main(["import", str(book), "--out", str(tmp_path / "o.yaml"), "--lang", lang]) == 2
        err = capsys.readouterr().err
        assert words in err and ":2:5:" in err and err.count("\n") == 1
