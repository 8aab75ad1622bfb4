"""Excel and CSV: import with row-numbered errors, export to a workbook."""

import openpyxl
import pytest

import orgmodel as om
from orgmodel._cli import main
from orgmodel._tables import import_table

from .conftest import EXAMPLES, HAIPHONG

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
    # the Units sheet is an import table: the same model comes back
    units = tmp_path / "units.xlsx"
    ws_src = wb["Units"]
    out = openpyxl.Workbook()
    ws = out.active
    for row in ws_src.iter_rows(values_only=True):
        ws.append([c for i, c in enumerate(row) if i != 6])  # drop the inherited-class column
    out.save(units)
    back = import_table(units)
    orig = om.load(HAIPHONG)
    assert [u.model_dump() for u in back] == [u.model_dump() for u in orig]


def test_export_of_a_simulation(tmp_path):
    book = tmp_path / "plan.xlsx"
    plan = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
    assert main(["export", str(HAIPHONG), "--plan", str(plan), "--out", str(book)]) == 0
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "Summary",
        "Units before",
        "Units after",
        "Changes",
        "Leadership",
        "Violations",
    ]
    summary = {r[0]: r[1] for r in wb["Summary"].iter_rows(values_only=True)}
    assert summary["removed_focal_points"] == 30
    assert wb["Units after"].max_row == 1 + 184
    assert [r[0] for r in wb["Violations"].iter_rows(min_row=2, values_only=True)] == ["cured"] * 5


def test_workbook_in_vietnamese(tmp_path):
    book = tmp_path / "vi.xlsx"
    plan = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
    assert (
        main(["export", str(HAIPHONG), "--plan", str(plan), "--out", str(book), "--lang", "vi"])
        == 0
    )
    wb = openpyxl.load_workbook(book)
    assert wb.sheetnames == [
        "Tổng hợp",
        "Đơn vị trước sắp xếp",
        "Đơn vị sau sắp xếp",
        "Thay đổi",
        "Lãnh đạo",
        "Vi phạm",
    ]
    labels = [r[0] for r in wb["Tổng hợp"].iter_rows(values_only=True)]
    assert "đầu mối" in labels and "removed_focal_points" in labels
