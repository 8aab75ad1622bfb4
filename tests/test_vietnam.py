"""The real country: Vietnam's People's Committees before and after 1 July 2025 (`vietnam()`),
checked against the official figures (63 provinces, 696 districts, 10,035 communes before;
34 provinces and 3,321 communes after, 2,621 communes, 687 wards and 13 special zones)."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest

import orgmodel
from orgmodel import Kind, Level, LoadError, ProvinceClass, vietnam

BEFORE = "2025-06-30"
AFTER = "2025-07-01"


def _type(u: orgmodel.Unit) -> str:
    """The unit type in a People's Committee's name: 'phường' in 'Ủy ban nhân dân phường X'."""
    rest = u.name.removeprefix("Ủy ban nhân dân ")
    types = ("thành phố", "thị trấn", "thị xã", "đặc khu", "phường", "huyện", "quận", "tỉnh", "xã")
    for t in types:
        if rest.startswith(t + " "):
            return t
    raise AssertionError(u.name)


@pytest.fixture(scope="module")
def before() -> orgmodel.Org:
    return vietnam(BEFORE)


@pytest.fixture(scope="module")
def after() -> orgmodel.Org:
    return vietnam(AFTER)


def levels(org: orgmodel.Org) -> Counter[str]:
    return Counter(u.level.value for u in org.units if u.level is not None)


def test_counts_before(before: orgmodel.Org) -> None:
    assert levels(before) == {"province": 63, "district": 696, "commune": 10_035}
    assert len(before) == 10_794
    assert before.as_of == dt.date(2025, 6, 30)
    assert all(u.kind is Kind.PEOPLES_COMMITTEE for u in before.units)
    districts = Counter(_type(u) for u in before.units if u.level is Level.DISTRICT)
    assert districts == {"huyện": 508, "quận": 49, "thành phố": 87, "thị xã": 52}
    communes = Counter(_type(u) for u in before.units if u.level is Level.COMMUNE)
    # by the official names (the source's type column says "Xã" for Phường 5 and Phường 15 of
    # Phú Nhuận and for Thị trấn Ngọc Lặc: the build script notes it and keeps the names)
    assert communes == {"xã": 7_692, "phường": 1_726, "thị trấn": 617}


def test_counts_after(after: orgmodel.Org) -> None:
    assert levels(after) == {"province": 34, "commune": 3_321}
    communes = Counter(_type(u) for u in after.units if u.level is Level.COMMUNE)
    assert communes == {"xã": 2_621, "phường": 687, "đặc khu": 13}
    # every commune sits directly under its province: the district level is gone
    provinces = {u.id for u in after.units if u.level is Level.PROVINCE}
    assert all(u.parent in provinces for u in after.units if u.level is Level.COMMUNE)
    per = Counter(u.parent for u in after.units if u.level is Level.COMMUNE)
    # Resolutions of the NA Standing Committee: Hà Nội 126, HCMC 168, Hải Phòng 114, Huế 40,
    # Quảng Ninh 54 commune-level units
    assert (per["province-01"], per["province-79"], per["province-31"]) == (126, 168, 114)
    assert (per["province-46"], per["province-22"]) == (40, 54)


def test_the_date_chooses_the_structure() -> None:
    assert len(vietnam("2025-01-01")) == 10_794
    assert len(vietnam(dt.date(2025, 6, 30))) == 10_794
    assert len(vietnam("2026-11-24")) == 3_355
    assert vietnam().as_of == dt.date.today()  # today's structure by default
    with pytest.raises(LoadError) as e:
        vietnam("2024-12-31")
    assert e.value.code == "vietnam_date_outside"
    assert "2025-01-01" in str(e.value) and "2024-12-31" in str(e.value)


def test_names_codes_and_ids(before: orgmodel.Org, after: orgmodel.Org) -> None:
    # ids come from the official codes; a new commune keeps one of its constituents' codes
    assert before["commune-00004"].name == "Ủy ban nhân dân phường Trúc Bạch"
    assert before["commune-00004"].parent == "district-001"
    assert before["district-001"].name == "Ủy ban nhân dân quận Ba Đình"
    assert after["commune-00004"].name == "Ủy ban nhân dân phường Ba Đình"
    assert after["commune-00004"].name_en == "Ba Dinh Ward People's Committee"
    hp = after["province-31"]
    assert hp.name == "Ủy ban nhân dân thành phố Hải Phòng"
    assert hp.name_en == "Hai Phong City People's Committee"
    assert hp.provinces_merged == 2 and hp.reorganized == dt.date(2025, 7, 1)
    # Bắc Ninh (new) took Bắc Giang's code 24; Bắc Ninh's old code 27 is gone
    assert after["province-24"].name == "Ủy ban nhân dân tỉnh Bắc Ninh"
    assert "province-27" not in after and before["province-27"].name.endswith("Bắc Ninh")
    # an island district with no communes became a special zone
    assert before["district-755"].name == "Ủy ban nhân dân huyện Côn Đảo"
    zone = after["commune-26732"]
    assert zone.name == "Ủy ban nhân dân đặc khu Côn Đảo" and zone.parent == "province-79"
    # an unchanged province keeps everything
    assert after["province-22"].name == before["province-22"].name
    assert after["province-22"].provinces_merged == 1 and after["province-22"].reorganized is None
    # diacritics exact (NFC)
    assert after["province-48"].name == "Ủy ban nhân dân thành phố Đà Nẵng"
    assert before["district-222"].name == "Ủy ban nhân dân thị xã Việt Yên"  # "Thị Xã" in source


def test_classes_fixed_by_law(before: orgmodel.Org, after: orgmodel.Org) -> None:
    special = ProvinceClass.SPECIAL
    # Hà Nội and HCMC: special by Law 77/2015 Art. 3(3)(a), then Decree 307/2025 Art. 2(1); the
    # other centrally-run cities class I only from Decree 307/2025 (27 Nov 2025)
    classes = {u.id: u.province_class for u in after.units if u.province_class is not None}
    assert classes == {"province-01": special, "province-79": special}
    today = vietnam("2025-11-27")
    classes = {u.id: u.province_class for u in today.units if u.province_class is not None}
    assert classes == {
        "province-01": special,
        "province-79": special,
        "province-31": ProvinceClass.I,
        "province-46": ProvinceClass.I,
        "province-48": ProvinceClass.I,
        "province-92": ProvinceClass.I,
    }
    old = {u.id: u.province_class for u in before.units if u.province_class is not None}
    assert old == {"province-01": special, "province-79": special}


def test_one_province_with_its_departments() -> None:
    hp = vietnam(AFTER, "Hải Phòng", departments=True)
    assert hp.name == "Thành phố Hải Phòng — Ủy ban nhân dân các cấp, 2025-07-01"
    assert len(hp) == 1 + 12 + 114
    deps = [u for u in hp.units if u.kind is not Kind.PEOPLES_COMMITTEE]
    assert [u.name for u in deps] == [
        "Sở Nội vụ",
        "Sở Tư pháp",
        "Sở Tài chính",
        "Sở Công Thương",
        "Sở Nông nghiệp và Môi trường",
        "Sở Xây dựng",
        "Sở Khoa học và Công nghệ",
        "Sở Văn hóa, Thể thao và Du lịch",
        "Sở Giáo dục và Đào tạo",
        "Sở Y tế",
        "Thanh tra thành phố",
        "Văn phòng Ủy ban nhân dân thành phố",
    ]
    assert Counter(u.kind for u in deps) == {
        Kind.DEPARTMENT: 10,
        Kind.INSPECTORATE: 1,
        Kind.OFFICE: 1,
    }
    assert all(u.parent == "province-31" and u.id.startswith("province-31-") for u in deps)
    # staff left for the user: nothing stated
    assert all("civil_servants" not in u.model_fields_set for u in deps)
    # a province (not a city) names its inspectorate and office so
    qn = vietnam(AFTER, "22", departments=True)
    assert qn["province-22-thanh-tra"].name == "Thanh tra tỉnh"
    assert qn["province-22-van-phong"].name == "Văn phòng Ủy ban nhân dân tỉnh"
    # Decree 150/2025 is in force from 16 June 2025: the 63 provinces had them too
    assert len(vietnam(BEFORE, "Hải Dương", departments=True)) == len(vietnam(BEFORE, "30")) + 12
    with pytest.raises(LoadError) as e:
        vietnam("2025-06-15", "Hải Phòng", departments=True)
    assert e.value.code == "vietnam_departments_date"


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("31", "31"),
        (31, "31"),
        ("1", "01"),
        ("Hải Phòng", "31"),
        ("Thành phố Hải Phòng", "31"),
        ("TP. Hồ Chí Minh", "79"),
        ("hai phong", "31"),
        ("  HẢI   PHÒNG ", "31"),
        ("Bà Rịa-Vũng Tàu", "77"),
    ],
)
def test_province_by_code_or_name(given: str | int, code: str) -> None:
    day = BEFORE if code == "77" else AFTER
    org = vietnam(day, given)
    assert org.units[0].id == f"province-{code}"
    assert all(u.id == f"province-{code}" or u.parent is not None for u in org.units)


def test_unknown_province_suggests() -> None:
    with pytest.raises(LoadError) as e:
        vietnam(AFTER, "Hai Phongg")
    assert e.value.code == "vietnam_province_unknown"
    assert "Hải Phòng" in str(e.value)
    with pytest.raises(LoadError):
        vietnam(AFTER, "Hải Dương")  # merged into Hải Phòng on 1 July 2025
    assert len(vietnam(BEFORE, "Hải Dương")) > 1


def test_classes_file_comments_and_vietnamese_errors(tmp_path: Path) -> None:
    f = tmp_path / "classes.csv"
    f.write_text("# classes; decided 2025\n22,I\n", "utf-8")  # a comment names no separator
    assert vietnam(AFTER, classes=f)["province-22"].province_class is ProvinceClass.I
    f.write_text("Hà Nội,I\n", "utf-8")
    with pytest.raises(LoadError) as e:
        vietnam(AFTER, classes=f)
    assert "Law 77/2015/QH13, Art. 3(3)(a), unverified" in str(e.value)
    from orgmodel._i18n import message_text

    vi = message_text(e.value.message, "vi")
    assert "là loại đặc biệt theo luật (Luật 77/2015/QH13, Điều 3 khoản 3 điểm a" in vi
    assert "không thể ghi loại I" in vi
    with pytest.raises(LoadError) as e:
        vietnam("2025-06-15", departments=True)
    assert "--as-of 2025-06-16" in message_text(e.value.message, "vi")  # a date the CLI takes


def test_classes_file(tmp_path: Path) -> None:
    f = tmp_path / "classes.csv"
    f.write_text("province;class\nQuảng Ninh;I\n37;loại II\nlao cai;III\n", "utf-8")
    org = vietnam(AFTER, classes=f)
    assert org["province-22"].province_class is ProvinceClass.I
    assert org["province-37"].province_class is ProvinceClass.II
    assert org["province-15"].province_class is ProvinceClass.III
    assert org["province-01"].province_class is ProvinceClass.SPECIAL  # the law's, kept
    assert org["province-24"].province_class is None  # never guessed
    assert vietnam(AFTER, classes={"Quảng Ninh": "I"})["province-22"].province_class is (
        ProvinceClass.I
    )


@pytest.mark.parametrize(
    ("text", "code", "line"),
    [
        ("Quảng Ninh,I\nHà Nội,I\n", "classes_fixed_by_law", 2),
        ("Quảng Ninh,I\nquang ninh,II\n", "classes_twice", 2),
        ("Quảng Ninh,IV\n", "classes_bad_class", 1),
        ("tỉnh,hạng\nQuảng Ninh,IV\n", "classes_bad_class", 2),
        ("province,class\nQuảng Ninh\n", "classes_two_columns", 2),
        ("Quảng Ninh,I\nAtlantis,II\n", "vietnam_province_unknown", 2),
        ("Quảng Ninh,I,extra\n", "classes_two_columns", 1),
        ("Quang Nin,loai 1\n", "vietnam_province_unknown", 1),  # a typo, not a header
    ],
)
def test_classes_file_errors(tmp_path: Path, text: str, code: str, line: int) -> None:
    f = tmp_path / "classes.csv"
    f.write_text(text, "utf-8")
    with pytest.raises(LoadError) as e:
        vietnam(AFTER, classes=f)
    assert (e.value.code, e.value.line, e.value.file) == (code, line, str(f))


def _cli(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "orgmodel", *args],
        capture_output=True,
        text=True,
        cwd=cwd,
        env={"LANG": "C.UTF-8", "PATH": "/usr/bin:/bin", "PYTHONIOENCODING": "utf-8"},
    )


def test_cli_skeleton_of_a_province(tmp_path: Path) -> None:
    out = tmp_path / "hp.yaml"
    r = _cli(
        "vietnam",
        "--as-of",
        AFTER,
        "--province",
        "Hải Phòng",
        "--departments",
        "--out",
        str(out),
        "--lang",
        "en",
    )
    assert r.returncode == 0, r.stderr
    assert "115 People's Committees on 2025-07-01: 1 province, 114 communes" in r.stderr
    assert "province classes: 0 fixed by law, 0 given, 1 not stated" in r.stderr
    assert "12 departments named (Decree 150/2025/NĐ-CP, Art. 8, unverified)" in r.stderr
    org = orgmodel.load(out)
    assert len(org) == 127 and org.as_of == dt.date(2025, 7, 1)
    assert org == vietnam(AFTER, "Hải Phòng", departments=True)
    r = _cli("vietnam", "--as-of", "2026-11-24", "--province", "31", "--lang", "en")
    assert "province classes: 1 fixed by law, 0 given, 0 not stated" in r.stderr
    assert "not in the bundled data: from 2026-04-30, Đồng Nai became" in r.stderr
    r = _cli("check", str(out), "--lang", "en")
    assert r.returncode in (0, 1), r.stderr  # a skeleton checks without a traceback
    r = _cli("vietnam", "--as-of", BEFORE, "--province", "Hải Phòng", "--lang", "vi")
    assert r.returncode == 0
    assert "Ủy ban nhân dân ngày 30/06/2025: 1 đơn vị cấp tỉnh" in r.stderr
    assert orgmodel.loads(r.stdout) == vietnam(BEFORE, "Hải Phòng")


def test_cli_refuses(tmp_path: Path) -> None:
    r = _cli("vietnam", "--province", "Atlantis", "--lang", "vi")
    assert r.returncode == 2 and "không có tỉnh 'Atlantis'" in r.stderr
    assert "Traceback" not in r.stderr
    r = _cli("vietnam", "--out", str(tmp_path / "x.json"))
    assert r.returncode == 2 and not (tmp_path / "x.json").exists()
    r = _cli("vietnam", "--reform-2025", "--province", "31", "--out", str(tmp_path / "p.yaml"))
    assert r.returncode == 2 and not (tmp_path / "p.yaml").exists()
    bad = tmp_path / "classes.csv"
    bad.write_text("Hà Nội,II\n", "utf-8")
    r = _cli("vietnam", "--classes", str(bad), "--out", str(tmp_path / "v.yaml"), "--lang", "en")
    assert r.returncode == 2 and f"{bad}:1" in r.stderr and "class special by law" in r.stderr
    assert not (tmp_path / "v.yaml").exists()
    r = _cli("vietnam", "--classes", str(bad), "--out", str(bad))  # never over an input
    assert r.returncode == 2 and bad.read_text("utf-8") == "Hà Nội,II\n"


# ---- the reform as a plan ----------------------------------------------------------------


@pytest.fixture(scope="module")
def reform() -> orgmodel.Plan:
    return orgmodel.vietnam_reform_2025()


@pytest.fixture(scope="module")
def outcome(before: orgmodel.Org, reform: orgmodel.Plan) -> orgmodel.Outcome:
    return orgmodel.simulate(before, reform)


def test_the_reform_plan(reform: orgmodel.Plan) -> None:
    assert reform.effective == dt.date(2025, 7, 1)
    ops = Counter(s.op for s in reform.steps)
    # 23 province merges + 3,181 commune merges; 471 divided communes and the 5 island
    # districts split; 132 communes kept whole moved under their province (11 renamed);
    # the 691 other districts dissolved
    assert ops == {"merge": 3_204, "split": 476, "move": 132, "rename": 11, "dissolve": 691}
    provinces = [s for s in reform.steps if s.op == "merge" and s.units[0].startswith("province")]
    assert len(provinces) == 23 and sum(len(s.units) for s in provinces) == 52
    hp = next(s for s in provinces if s.fields.id == "province-31")
    assert set(hp.units) == {"province-31", "province-30"}  # Hải Dương into Hải Phòng
    assert hp.fields.name == "Ủy ban nhân dân thành phố Hải Phòng"
    hcm = next(s for s in provinces if s.fields.id == "province-79")
    assert hcm.fields.province_class is ProvinceClass.SPECIAL
    # a plan like any other: written and read back unchanged
    assert orgmodel.loads_plan(orgmodel.dumps_plan(reform)).steps == reform.steps


def test_the_reform_ends_in_the_structure_after(
    outcome: orgmodel.Outcome, after: orgmodel.Org
) -> None:
    d = orgmodel.diff(outcome.after, after)
    assert d.counts() == {"new": 0, "changed": 0, "closed": 0, "unchanged": 3_355}

    # every unit equal, field by field (only their order differs: a merge's result takes the
    # place of its first unit)
    def by_id(org: orgmodel.Org) -> list[orgmodel.Unit]:
        return sorted(org.units, key=lambda u: u.id)

    assert by_id(outcome.after) == by_id(after)


def test_the_reform_ledger(outcome: orgmodel.Outcome) -> None:
    ledger = outcome.ledger
    assert (ledger.focal_points_before, ledger.focal_points_after) == (10_794, 3_355)
    # 29 provinces + 696 districts + 6,714 communes
    assert ledger.removed_focal_points == 7_439
    assert ledger.removed_by_kind_under_parent == {
        "peoples_committee under top": 29,
        "peoples_committee under peoples_committee": 7_410,
    }
    # one chairman per People's Committee and no vice-chairmen in the data: 10,794 chairmen,
    # 3,354 of them head a People's Committee after, 691 district chairmen lose theirs with the
    # districts, 6,749 with the merges; Yên Sở ward (Hà Nội), formed only of parts of divided
    # wards whose chairmen went to their successors, has its chairman's post vacant
    assert ledger.dissolved_leaders == 691
    assert ledger.leaders_without_post == 7_440
    assert ledger.vacant_legal_posts == 1
    (vacant,) = [line for line in ledger.leadership if line.vacant_legal_posts]
    assert vacant.unit == "commune-00340" and vacant.name.endswith("phường Yên Sở")
    assert ledger.civil_servants_before == ledger.civil_servants_after == 0  # not stated


def test_the_reform_lineage(outcome: orgmodel.Outcome) -> None:
    lineage = outcome.lineage
    assert lineage["province-30"] == "province-31"  # Hải Dương lives on in Hải Phòng
    assert lineage["province-27"] == "province-24"  # Bắc Ninh in Bắc Ninh (Bắc Giang's code)
    assert lineage["district-001"] is None  # the district of Ba Đình ended
    assert lineage["commune-00001"] == "commune-00097"  # Phúc Xá ward into Hồng Hà ward
    assert lineage["district-755"] == "commune-26732"  # Côn Đảo district -> special zone
    # Ngọc Hà's old ward divided between the new Ngọc Hà (its successor) and Giảng Võ wards
    assert outcome.split_into["commune-00007"] == ("commune-00008", "commune-00025")
    assert len(outcome.split_into) == 476
    assert set(outcome.origins["commune-00008"]) >= {"commune-00007"}
