"""Band edges for every province class and rulebook, worked out by hand from
../shared/law/staffing-rules.md (the decree figures)."""

import datetime as dt
import json
from pathlib import Path

import pytest

import orgmodel as om
from orgmodel import Kind, Level, Org, Unit
from orgmodel._cli import main
from orgmodel._render import rules_markdown

from .conftest import HAIPHONG, QUANGNINH

DATES = {
    "decree-107-2020": dt.date(2022, 1, 1),
    "decree-45-2025": dt.date(2025, 4, 1),
    "decree-150-2025": dt.date(2025, 8, 1),
}


def province(cls, *children, level="province", dep_deputies=3, dep_cs=None):
    """A province PC of class `cls` with one department holding `children`."""
    units = [
        Unit(
            id="pc",
            kind=Kind.PEOPLES_COMMITTEE,
            level=Level(level),
            name="PC",
            province_class=cls,
            head=0,
        ),
        Unit(
            id="dep",
            parent="pc",
            kind=Kind.DEPARTMENT,
            name="Dept",
            deputies=dep_deputies,
            civil_servants=dep_cs or dep_deputies + 2,
        ),
    ]
    units += children
    return Org(units, name="t")


def unit(uid, kind, cs, deputies=1, parent="dep"):
    return Unit(
        id=uid,
        parent=parent,
        kind=Kind(kind),
        name=uid,
        civil_servants=max(cs, deputies + 1),
        deputies=deputies,
    )


def violations(org, book, rule=None):
    rep = om.check(org, rulebook=book)
    return [v for v in rep.violations if rule is None or v.rule == rule]


# division (and office) minimum: 107/2020 and 45/2025 7/6/5/5; 150/2025 7 everywhere
MIN = {
    "decree-107-2020": {"special": 7, "I": 6, "II": 5, "III": 5},
    "decree-45-2025": {"special": 7, "I": 6, "II": 5, "III": 5},
    "decree-150-2025": {"special": 7, "I": 7, "II": 7, "III": 7},
}


@pytest.mark.parametrize("book", list(MIN))
@pytest.mark.parametrize("cls", ["special", "I", "II", "III"])
@pytest.mark.parametrize("kind", ["division", "office"])
def test_minimum_civil_servants_edge(book, cls, kind):
    limit = MIN[book][cls]
    at = province(cls, unit("d", kind, limit))
    below = province(cls, unit("d", kind, limit - 1))
    rule = f"{kind}-min-civil-servants"
    assert violations(at, book, rule) == []
    [v] = violations(below, book, rule)
    assert (v.unit, v.actual, v.limit) == ("d", limit - 1, limit)
    assert v.citation.startswith(f"Decree {book.split('-')[1]}/{book.split('-')[2]}")


def test_worked_examples_from_the_issue():
    # a division of 5 complies in a class-II province under 107/2020 and fails in a class-I one
    assert violations(province("II", unit("d", "division", 5)), "decree-107-2020") == []
    [v] = violations(province("I", unit("d", "division", 5)), "decree-107-2020")
    assert v.rule == "division-min-civil-servants" and v.limit == 6
    # the same division fails everywhere under 150/2025
    for cls in ("special", "I", "II", "III"):
        [v] = violations(province(cls, unit("d", "division", 5)), "decree-150-2025")
        assert (v.rule, v.limit) == ("division-min-civil-servants", 7)
    # a class-I division of 8 civil servants may hold 1 deputy, of 9 may hold 2
    assert violations(province("I", unit("d", "division", 8, 1)), "decree-107-2020") == []
    [v] = violations(province("I", unit("d", "division", 8, 2)), "decree-107-2020")
    assert (v.rule, v.actual, v.limit) == ("division-max-deputies", 2, 1)
    assert violations(province("I", unit("d", "division", 9, 2)), "decree-107-2020") == []


# (class, civil servants, max deputies) at every band edge of 107/2020 Art. 6 as amended
BANDS_107 = [
    ("special", 9, 1),
    ("special", 10, 2),
    ("special", 14, 2),
    ("special", 15, 3),
    ("I", 8, 1),
    ("I", 9, 2),
    ("I", 14, 2),
    ("I", 15, 3),
    ("II", 7, 1),
    ("II", 8, 2),
    ("II", 14, 2),
    ("II", 15, 3),
    ("III", 7, 1),
    ("III", 8, 2),
    ("III", 14, 2),
    ("III", 15, 3),
]


@pytest.mark.parametrize("book", ["decree-107-2020", "decree-45-2025"])
@pytest.mark.parametrize(("cls", "cs", "limit"), BANDS_107)
@pytest.mark.parametrize("kind", ["division", "office"])
def test_deputy_bands_107(book, cls, cs, limit, kind):
    rule = f"{kind}-max-deputies"
    assert violations(province(cls, unit("d", kind, cs, limit)), book, rule) == []
    [v] = violations(province(cls, unit("d", kind, cs, limit + 1)), book, rule)
    assert (v.actual, v.limit) == (limit + 1, limit)


@pytest.mark.parametrize(("cs", "limit"), [(9, 1), (10, 2), (14, 2), (15, 3), (40, 3)])
@pytest.mark.parametrize("cls", ["special", "I", "II", "III"])
def test_deputy_bands_150_same_for_every_class(cls, cs, limit):
    for kind in ("division", "office"):
        rule = f"{kind}-max-deputies"
        ok = province(cls, unit("d", kind, cs, limit))
        assert violations(ok, "decree-150-2025", rule) == []
        [v] = violations(province(cls, unit("d", kind, cs, limit + 1)), "decree-150-2025", rule)
        assert v.limit == limit


@pytest.mark.parametrize(("cs", "limit"), [(7, 1), (8, 2)])
def test_department_inspectorate_deputies_107(cs, limit):
    rule = "inspectorate-max-deputies"
    org = province("III", unit("t", "inspectorate", cs, limit))
    assert violations(org, "decree-107-2020", rule) == []
    [v] = violations(
        province("III", unit("t", "inspectorate", cs, limit + 1)), "decree-107-2020", rule
    )
    assert v.limit == limit


def test_department_inspectorate_not_allowed_under_150():
    [v] = violations(province("I", unit("t", "inspectorate", 8, 1)), "decree-150-2025")
    assert v.rule == "no-department-inspectorate" and v.citation.endswith("Art. 5(1)")


def branch_with(n_divisions, deputies, div_cs=6):
    kids = [
        unit("b", "branch", 20 - n_divisions * div_cs if n_divisions * div_cs < 20 else 3, deputies)
    ]
    kids += [unit(f"b{i}", "division", div_cs, 1, parent="b") for i in range(n_divisions)]
    return province("II", *kids)


@pytest.mark.parametrize("book", list(DATES))
@pytest.mark.parametrize(("n", "limit"), [(0, 2), (1, 1), (3, 1), (4, 2)])
def test_branch_deputies_by_divisions(book, n, limit):
    rule = "branch-max-deputies"
    assert violations(branch_with(n, limit), book, rule) == []
    [v] = violations(branch_with(n, limit + 1), book, rule)
    assert (v.actual, v.limit) == (limit + 1, limit)
    assert v.verified is (book == "decree-150-2025")  # 107 and 45: a secondary source only


def test_branch_minimum_counts_its_divisions():
    # own 3 + 2 divisions of 5 = 13 >= 12; own 1 + 2 x 5 = 11 < 12
    ok = province(
        "I",
        unit("b", "branch", 3),
        unit("b1", "division", 5, parent="b"),
        unit("b2", "division", 5, parent="b"),
    )
    assert violations(ok, "decree-107-2020", "branch-min-civil-servants") == []
    bad = province(
        "I",
        unit("b", "branch", 1, 0),
        unit("b1", "division", 5, parent="b"),
        unit("b2", "division", 5, parent="b"),
    )
    [v] = violations(bad, "decree-107-2020", "branch-min-civil-servants")
    assert (v.actual, v.limit) == (11, 12)


def test_division_under_branch_minimum_only_from_45_2025():
    org = province("I", unit("b", "branch", 12), unit("b1", "division", 4, parent="b"))
    assert violations(org, "decree-107-2020", "branch-division-min-civil-servants") == []
    for book in ("decree-45-2025", "decree-150-2025"):
        [v] = violations(org, book, "branch-division-min-civil-servants")
        assert (v.actual, v.limit) == (4, 5)


@pytest.mark.parametrize(
    ("book", "cs", "limit"),
    [
        ("decree-107-2020", 6, 1),
        ("decree-107-2020", 7, 2),
        ("decree-150-2025", 9, 1),
        ("decree-150-2025", 10, 2),
        ("decree-150-2025", 15, 3),
    ],
)
def test_division_under_branch_deputies(book, cs, limit):
    rule = "branch-division-max-deputies"
    ok = province("I", unit("b", "branch", 12), unit("b1", "division", cs, limit, parent="b"))
    assert violations(ok, book, rule) == []
    bad = province("I", unit("b", "branch", 12), unit("b1", "division", cs, limit + 1, parent="b"))
    [v] = violations(bad, book, rule)
    assert v.limit == limit


def departments(cls, n, deputies_each):
    units = [
        Unit(
            id="pc",
            kind=Kind.PEOPLES_COMMITTEE,
            level=Level.PROVINCE,
            name="PC",
            province_class=cls,
            head=0,
        )
    ]
    units += [
        Unit(id=f"d{i}", parent="pc", kind=Kind.DEPARTMENT, name=f"D{i}", deputies=deputies_each[i])
        for i in range(n)
    ]
    return Org(units)


@pytest.mark.parametrize("book", ["decree-107-2020", "decree-150-2025"])
def test_deputy_directors_average(book):
    rule = "deputy-directors-average"
    # 14 departments: 3 x 14 = 42 allowed; special class +10 = 52
    assert violations(departments("I", 14, [3] * 13 + [3]), book, rule) == []
    [v] = violations(departments("I", 14, [3] * 13 + [4]), book, rule)
    assert (v.unit, v.actual, v.limit) == ("pc", 43, 42)
    # an uneven spread is fine while the average holds: 4 + 2 = 2 x 3
    assert violations(departments("II", 2, [4, 2]), book, rule) == []
    assert violations(departments("special", 14, [4] * 13 + [0]), book, rule) == []  # 52
    [v] = violations(departments("special", 14, [4] * 13 + [1]), book, rule)
    assert (v.actual, v.limit) == (53, 52)


@pytest.mark.parametrize("book", ["decree-45-2025", "decree-150-2025"])
def test_department_cap(book):
    rule = "department-cap"
    assert violations(departments("I", 14, [0] * 14), book, rule) == []
    [v] = violations(departments("I", 15, [0] * 15), book, rule)
    assert (v.actual, v.limit) == (15, 14)
    assert violations(departments("special", 15, [0] * 15), book, rule) == []
    [v] = violations(departments("special", 16, [0] * 16), book, rule)
    assert (v.actual, v.limit) == (16, 15)
    # 107/2020 has no cap
    assert violations(departments("I", 20, [0] * 20), "decree-107-2020", rule) == []


def district(deputies):
    units = [Unit(id="h", kind=Kind.PEOPLES_COMMITTEE, level=Level.DISTRICT, name="H", head=0)]
    units += [
        Unit(id=f"o{i}", parent="h", kind=Kind.DIVISION, name=f"O{i}", deputies=d)
        for i, d in enumerate(deputies)
    ]
    return Org(units)


def test_district_office_deputies_average_108():
    # 3 offices: 2 x 3 = 6 deputies allowed in total, however allocated
    assert violations(district([3, 3, 0]), "decree-108-2020") == []
    [v] = violations(district([3, 3, 1]), "decree-108-2020")
    assert (v.rule, v.unit, v.actual, v.limit) == ("district-office-deputies-average", "h", 7, 6)


def test_class_unknown_is_a_finding_not_a_crash_nor_a_pass():
    org = Org(
        [
            Unit(id="pc", kind=Kind.PEOPLES_COMMITTEE, level=Level.PROVINCE, name="PC", head=0),
            Unit(
                id="dep", parent="pc", kind=Kind.DEPARTMENT, name="D", civil_servants=5, deputies=3
            ),
            Unit(id="d", parent="dep", kind=Kind.DIVISION, name="X", civil_servants=20),
            Unit(id="b", parent="dep", kind=Kind.BRANCH, name="B", civil_servants=3),
        ]
    )
    rep = om.check(org, rulebook="decree-107-2020")
    unknown = [v for v in rep.violations if v.status == "class_unknown"]
    assert {v.rule for v in unknown} >= {
        "division-min-civil-servants",
        "division-max-deputies",
        "deputy-directors-average",
    }
    assert all("class unknown" in v.message for v in unknown)
    # a rule with one figure for every class still applies: branch minimum 12
    assert any(
        v.rule == "branch-min-civil-servants" and v.status == "violation" for v in rep.violations
    )
    assert not rep.ok


def test_rulebooks_chosen_by_date():
    org = province("I", unit("d", "division", 6))
    assert om.check(org, as_of="2022-01-01").rulebooks == ("decree-107-2020", "decree-108-2020")
    # 108/2020 ends on 28 Feb 2025: 45/2025 covers district agencies from 1 Mar
    assert om.check(org, as_of="2025-04-01").rulebooks == ("decree-45-2025",)
    assert om.check(org, as_of="2025-08-01").rulebooks == ("decree-150-2025",)
    assert om.check(org, as_of="2019-05-01").rulebooks == ("decree-24-2014", "decree-37-2014")
    with pytest.raises(
        om.RulebookError, match=r"no rulebook covers 2013-05-01.*decree-24-2014 \(2014-06-20"
    ):
        om.check(org, as_of=dt.date(2013, 5, 1))
    with pytest.raises(om.RulebookError, match="unknown rulebook"):
        om.check(org, rulebook="decree-1-1999")


def test_every_rule_cites_an_instrument_and_has_a_date():
    from orgmodel._rules import resolve

    for b in om.builtin_rulebooks():
        assert b.in_force.from_ >= dt.date(2014, 6, 20)
        chain = [b] if b.amends is None else [om_book(b.amends), b]
        for e in resolve(chain, None).entries:
            name = e.base.decree
            if e.rule.cite[0].of:
                name = e.rule.cite[0].of
            assert e.citation().split(", ")[0].split(" (")[0].endswith(name), (b.id, e.rule.id)
            assert e.citation("vi").split(", ")[0].startswith(("Nghị định", "Nghị quyết"))


def om_book(book_id):
    return next(b for b in om.builtin_rulebooks() if b.id == book_id)


def test_docs_rules_md_is_generated_from_the_rulebooks():
    doc = Path(__file__).resolve().parent.parent / "docs" / "rules.md"
    assert doc.read_text(encoding="utf-8") == rules_markdown(om.builtin_rulebooks()), (
        "docs/rules.md is stale: run `orgmodel rules --all --format md > docs/rules.md`"
    )


# -- the examples --------------------------------------------------------------------
def test_haiphong_check_finds_the_five_violations(capsys):
    assert main(["check", str(HAIPHONG), "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["rulebooks"] == ["decree-107-2020", "decree-108-2020"]
    found = {(v["rule"], v["unit"], v["actual"], v["limit"]) for v in data["violations"]}
    assert found == {
        ("division-min-civil-servants", "hp-tttt-qlnn", 5, 6),
        ("division-min-civil-servants", "hp-du-lich-phap-che", 5, 6),
        ("division-max-deputies", "hp-ngoai-vu-ke-hoach", 2, 1),
        ("branch-min-civil-servants", "hp-nnptnt-cc-ptnt", 8, 12),
        ("branch-min-civil-servants", "hp-ldtbxh-cc-pctnxh", 8, 12),
    }
    for v in data["violations"]:
        assert set(v) >= {"rulebook", "rule", "unit", "actual", "limit", "message", "citation"}


def test_quangninh_2017_judged_by_the_2014_decrees_then_108_by_date(capsys):
    # 2017: Decree 24/2014 and 37/2014 as first issued (district office deputies at most 3)
    assert main(["check", str(QUANGNINH), "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["rulebooks"] == ["decree-24-2014", "decree-37-2014"]
    assert main(["check", str(QUANGNINH), "--as-of", "2013-01-01"]) == 2
    assert "no rulebook covers 2013-01-01" in capsys.readouterr().err
    # under 108/2020 (as if in 2021) Ha Long's offices average fits: 2+2+3+2+1 = 10 <= 2 x 5
    assert main(["check", str(QUANGNINH), "--as-of", "2021-01-01", "--format", "md"]) in (0, 1)
    assert (
        "Rulebooks: Decree 107/2020/ND-CP (decree-107-2020), Decree 108/2020/ND-CP "
        "(decree-108-2020)" in capsys.readouterr().out
    )


def test_check_markdown_and_table(capsys, tmp_path):
    out = tmp_path / "r.md"
    assert main(["check", str(HAIPHONG), "--format", "md", "--out", str(out)]) == 1
    text = out.read_text(encoding="utf-8")
    assert "| Phòng Quản lý chuyên ngành (`hp-tttt-qlnn`) |" in text and "Art. 1(3)" in text
    assert main(["check", str(HAIPHONG)]) == 1
    assert "5 violations." in capsys.readouterr().out


def test_rules_command(capsys):
    assert main(["rules", "--as-of", "2025-08-01"]) == 0
    out = capsys.readouterr().out
    assert "decree-150-2025" in out and "decree-107-2020" not in out


def test_rules_for_a_date_no_rulebook_covers(capsys):
    assert main(["rules", "--as-of", "2014-01-01"]) == 2
    err = capsys.readouterr().err
    assert "no rulebook covers 2014-01-01" in err and "decree-107-2020 (2020-11-25" in err
