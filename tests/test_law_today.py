"""The law as it stands: amendments, Decree 370/2025, Resolution 332, the 2014 decrees,
transitions, and findings that explain themselves. Figures worked by hand from
../shared/law/staffing-rules.md."""

import datetime as dt
import json
import textwrap

import pytest

import orgmodel as om
from orgmodel._cli import main


def org(body, as_of=None, name="t"):
    head = f"format: orgmodel/1\nname: {name}\n" + (f"as_of: {as_of}\n" if as_of else "")
    return om.loads(head + textwrap.dedent(body))


def findings(model, as_of, rule=None, **kw):
    rep = om.check(model, as_of=as_of, **kw)
    return [v for v in rep.violations if rule is None or v.rule == rule]


def merged_province(deputies_each, *, merged=2, cls="I", reorganized=None):
    """A provincial People's Committee formed by merging `merged` provinces, with 10
    departments, its Office and its Inspectorate (12 units counted in the average)."""
    reorg = f"    reorganized: {reorganized}\n" if reorganized else ""
    kinds = ["department"] * 10 + ["office", "inspectorate"]
    kids = "".join(
        f"      - {{id: d{i}, kind: {k}, name: D{i}, civil_servants: 20, deputies: {d}}}\n"
        for i, (k, d) in enumerate(zip(kinds, deputies_each, strict=True))
    )
    return om.loads(
        "format: orgmodel/1\nname: t\nunits:\n  - id: pc\n    kind: peoples_committee\n"
        f"    level: province\n    class: {cls}\n    name: PC\n    head: 0\n"
        f"    provinces_merged: {merged}\n{reorg}    children:\n{kids}"
    )


# -- 370/2025: deputy directors with the merge extra ----------------------------------------
def test_deputy_directors_of_a_merged_province_in_2026():
    # 12 units counted; class I, 2 provinces merged: 3 x 12 + 1 x 12 = 48 deputy directors
    ok = merged_province([4] * 12)  # 48
    assert findings(ok, "2026-03-01", "deputy-directors-average") == []
    over = merged_province([4] * 11 + [5])  # 49
    [v] = findings(over, "2026-03-01", "deputy-directors-average")
    assert (v.unit, v.actual, v.limit, v.status) == ("pc", 49, 48, "violation")
    assert v.rulebook == "decree-370-2025"
    assert v.basis["amends"] == {"rulebook": "decree-150-2025", "rule": "deputy-directors-average"}
    assert (v.basis["counted"], v.basis["merge_extra"], v.basis["provinces_merged"]) == (12, 12, 2)
    assert v.citation == ("Decree 150/2025/ND-CP, Art. 6(1), as amended by Decree 370/2025/ND-CP")
    # three provinces merged: 3 x 12 + 2 x 12 = 60
    assert findings(merged_province([5] * 12, merged=3), "2026-03-01") == []
    [v] = findings(merged_province([5] * 11 + [6], merged=3), "2026-03-01")
    assert (v.actual, v.limit) == (61, 60)
    # Ho Chi Minh City (special, 3 provinces merged): its 10 more in total and the merge extra,
    # read as cumulative: 36 + 10 + 24 = 70
    assert findings(merged_province([6] * 10 + [5, 5], merged=3, cls="special"), "2026-03-01") == []
    [v] = findings(merged_province([6] * 11 + [5], merged=3, cls="special"), "2026-03-01")
    assert (v.actual, v.limit) == (71, 70)
    # the same 48 deputies in August 2025, under 150/2025 as first issued: 3 x 12 = 36
    [v] = findings(ok, "2025-08-01", "deputy-directors-average")
    assert (v.actual, v.limit, v.rulebook) == (48, 36, "decree-150-2025")
    assert "amends" not in v.basis


def test_the_merged_provinces_deputies_are_lawful_until_2030():
    # reorganized on 1 Jul 2025; 150/2025 (Art. 6) and 370/2025 give five years
    m = merged_province([5] * 12, reorganized="2025-07-01")  # 60 > 48
    [v] = findings(m, "2026-03-01", "deputy-directors-average")
    assert (v.status, v.until, v.actual, v.limit) == ("transition", dt.date(2030, 7, 1), 60, 48)
    assert v.basis["transition"]["rulebook"] == "decree-370-2025"
    rep = om.check(m, as_of="2026-03-01")
    assert rep.ok and rep.to_dict()["compliant"] is True
    assert rep.to_dict()["violations"][0]["until"] == "2030-07-01"
    assert findings(m, "2030-07-01")[0].status == "transition"  # the last day
    [v] = findings(m, "2030-07-02", "deputy-directors-average")
    assert (v.status, v.until) == ("violation", None)
    assert not om.check(m, as_of="2030-07-02").ok


# -- 370/2025: a unit may not hold more deputies than its parent ------------------------------
DEPT = """\
units:
  - id: pc
    kind: peoples_committee
    level: province
    class: II
    name: PC
    head: 0
    children:
      - id: dep
        kind: department
        name: Sở
        civil_servants: 5
        deputies: {dep}
        children:
          - {{id: div, kind: division, name: Phòng A, civil_servants: 15, deputies: 2}}
          - {{id: br, kind: branch, name: Chi cục, civil_servants: 2, deputies: 1, children: [
              {{id: br-d1, kind: division, name: P1, civil_servants: 6, deputies: 1}},
              {{id: br-d2, kind: division, name: P2, civil_servants: 6, deputies: 1}}]}}
"""


def test_a_division_with_more_deputies_than_its_department():
    m = org(DEPT.format(dep=1))
    # 15 civil servants allow 3 deputies (Art. 6(2)); the division holds 2, its department 1
    [v] = findings(m, "2026-03-01", "deputies-not-above-parent")
    assert (v.unit, v.actual, v.limit, v.rulebook) == ("div", 2, 1, "decree-370-2025")
    assert v.basis["parent"] == "dep" and v.basis["parent_deputies"] == 1
    assert "Art. 2(2a), as added by Decree 370/2025/ND-CP" in v.citation
    # a division without internal units holds 2, more than the branch (1) which has divisions
    [s] = findings(m, "2026-03-01", "leaf-deputies-not-above-branching-siblings")
    assert (s.unit, s.actual, s.limit, s.basis["sibling"]) == ("div", 2, 1, "br")
    # before 370/2025 neither rule exists
    assert findings(m, "2025-08-01", "deputies-not-above-parent") == []
    assert findings(m, "2025-08-01", "leaf-deputies-not-above-branching-siblings") == []
    # with 2 deputy directors the division may hold 2 (equal is allowed)
    assert findings(org(DEPT.format(dep=2)), "2026-03-01", "deputies-not-above-parent") == []


# -- commune deputies: 150/2025, then Resolution 332, then 370/2025 ---------------------------
COMMUNE = """\
units:
  - id: xa
    kind: peoples_committee
    level: commune
    class: III
    name: UBND xã
    civil_servants: 3
    deputies: 2
    children:
      - {{id: vp, kind: office, name: Văn phòng, civil_servants: 6, deputies: {a}}}
      - {{id: kt, kind: division, name: Phòng Kinh tế, civil_servants: 6, deputies: {b}}}
"""


def test_a_commune_with_three_deputies_across_two_bodies():
    m = org(COMMUNE.format(a=1, b=2))
    # 1 Oct 2025: 150/2025, one deputy per division: the division's 2 is a violation
    rep = om.check(m, as_of="2025-10-01")
    assert rep.rulebooks == ("decree-150-2025",)
    [v] = rep.violations
    assert (v.rule, v.unit, v.actual, v.limit) == ("commune-division-max-deputies", "kt", 2, 1)
    # 1 Nov 2025: Resolution 332 replaces it: 2 on average, 3 <= 2 x 2
    rep = om.check(m, as_of="2025-11-01")
    assert rep.rulebooks == ("decree-150-2025", "resolution-332-2025")
    assert rep.violations == () and rep.ok
    # 5 deputies across the same 2 bodies: over the average of 2 x 2 = 4
    [v] = findings(org(COMMUNE.format(a=2, b=3)), "2025-11-01")
    assert (v.rule, v.unit, v.actual, v.limit) == ("commune-deputies-average", "xa", 5, 4)
    assert v.rulebook == "resolution-332-2025"
    assert v.basis["amends"]["rule"] == "commune-division-max-deputies"
    # from 1 Jan 2026 370/2025 sets the same average and is the one cited
    [v] = findings(org(COMMUNE.format(a=2, b=3)), "2026-01-01")
    assert (v.rule, v.rulebook, v.limit) == ("commune-deputies-average", "decree-370-2025", 4)
    assert v.citation == "Decree 150/2025/ND-CP, Art. 15, as amended by Decree 370/2025/ND-CP"


def test_commune_bodies_average_across_the_province():
    # 2 communes with 5 and 4 bodies: 9 / 2 = 4.5, at most 4.5 (class II): floor(4.5 x 2) = 9
    def province(n1, n2, cls="II"):
        def commune(cid, n):
            kids = ", ".join(
                f"{{id: {cid}-{i}, kind: division, name: B{i}, civil_servants: 5}}"
                for i in range(n)
            )
            return (
                f"      - {{id: {cid}, kind: peoples_committee, level: commune, name: {cid}, "
                f"children: [{kids}]}}"
            )

        return org(
            "units:\n  - id: p\n    kind: peoples_committee\n    level: province\n"
            f"    class: {cls}\n    name: P\n    children:\n"
            + commune("c1", n1)
            + "\n"
            + commune("c2", n2)
            + "\n"
        )

    assert findings(province(5, 4), "2026-03-01", "commune-bodies-average") == []
    [v] = findings(province(5, 5), "2026-03-01", "commune-bodies-average")
    assert (v.unit, v.actual, v.limit, v.basis["average"]) == ("p", 10, 9, 5.0)
    # Hanoi and Ho Chi Minh City: 4.7 x 2 = 9.4 -> 9 bodies in all
    [v] = findings(province(5, 5, "special"), "2026-03-01", "commune-bodies-average")
    assert v.limit == 9
    # under 150/2025 each commune has at most 3 bodies (the rule 370/2025 replaces)
    cap = findings(province(5, 4), "2025-08-01", "commune-division-cap")
    assert [(v.unit, v.actual) for v in cap] == [("c1", 5), ("c2", 4)]


# -- transitions on a merged department -------------------------------------------------------
MERGED_DEPT = """\
units:
  - id: pc
    kind: peoples_committee
    level: province
    class: I
    name: PC
    head: 0
    children:
      - id: dep
        kind: department
        name: Sở hợp nhất
        civil_servants: 10
        deputies: 3
        children:
          - id: div
            kind: division
            name: Phòng hợp nhất
            civil_servants: 12
            deputies: 3{reorg}
"""


def test_a_merged_divisions_excess_deputies_in_2027_and_2031(tmp_path, capsys):
    # 12 civil servants: at most 2 deputies (Art. 6(2)); it holds 3 after a merger on 1 Jul 2025
    m = org(MERGED_DEPT.format(reorg="\n            reorganized: 2025-07-01"))
    [v] = findings(m, "2027-01-01", "division-max-deputies")
    assert (v.status, v.until, v.actual, v.limit) == ("transition", dt.date(2030, 7, 1), 3, 2)
    assert v.rulebook == "decree-150-2025"  # 370/2025 leaves Art. 6(2) as it is
    [v] = findings(m, "2031-01-01", "division-max-deputies")
    assert v.status == "violation" and v.until is None
    # never reorganized: a violation from the start
    never = org(MERGED_DEPT.format(reorg=""))
    assert findings(never, "2027-01-01", "division-max-deputies")[0].status == "violation"
    # the command line: a transition alone exits 0, the same excess in 2031 exits 1
    f = tmp_path / "m.yaml"
    f.write_text(om.dumps(m), encoding="utf-8")
    assert main(["check", str(f), "--as-of", "2027-01-01", "--format", "json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["compliant"] is True
    [j] = data["violations"]
    assert (j["status"], j["until"]) == ("transition", "2030-07-01")
    assert j["basis"]["band"] == {"from": 10, "to": 14, "max": 2}
    assert j["basis"]["class"] == "I" and j["basis"]["class_from"] == "pc"
    assert main(["check", str(f), "--as-of", "2031-01-01"]) == 1
    capsys.readouterr()


def test_transition_is_reported_in_both_languages():
    m = org(MERGED_DEPT.format(reorg="\n            reorganized: 2025-07-01"))
    [v] = findings(m, "2027-01-01", "division-max-deputies")
    assert "lawful until 2030-07-01" in v.message
    with om._i18n.using("vi"):
        text = om._i18n.violation_message(v)
    assert "được giữ đến ngày 01/07/2030" in text and "lawful" not in text


# -- every boundary of the timeline -----------------------------------------------------------
BOUNDARIES = [
    ("2014-06-20", ("decree-24-2014", "decree-37-2014")),
    ("2020-11-24", ("decree-24-2014", "decree-37-2014")),
    ("2020-11-25", ("decree-107-2020", "decree-108-2020")),
    ("2025-02-28", ("decree-107-2020", "decree-108-2020")),
    ("2025-03-01", ("decree-45-2025",)),
    ("2025-06-15", ("decree-45-2025",)),
    ("2025-06-16", ("decree-45-2025", "decree-150-2025")),  # 45/2025 for districts to 30 Jun
    ("2025-06-30", ("decree-45-2025", "decree-150-2025")),
    ("2025-07-01", ("decree-150-2025",)),
    ("2025-10-14", ("decree-150-2025",)),
    ("2025-10-15", ("decree-150-2025", "resolution-332-2025")),
    ("2025-12-31", ("decree-150-2025", "resolution-332-2025")),
    ("2026-01-01", ("decree-150-2025", "decree-370-2025")),
    ("2026-11-24", ("decree-150-2025", "decree-370-2025")),
]


@pytest.mark.parametrize(("day", "books"), BOUNDARIES)
def test_rulebooks_on_each_side_of_every_boundary(day, books):
    m = org(DEPT.format(dep=2))
    assert om.check(m, as_of=day).rulebooks == books


def test_the_same_division_judged_across_the_timeline():
    # a class-I division of 6 civil servants and 2 deputies under a department with 1 deputy
    m = org(
        """\
        units:
          - {id: pc, kind: peoples_committee, level: province, class: I, name: PC, head: 0,
             children: [{id: dep, kind: department, name: D, civil_servants: 4, deputies: 1,
               children: [{id: div, kind: division, name: P, civil_servants: 6, deputies: 2}]}]}
        """
    )

    def rules(day):
        return sorted({(v.rule, v.rulebook) for v in om.check(m, as_of=day).violations})

    # 24/2014: no division rules; the department's 1 deputy is within 3
    assert rules("2020-11-24") == []
    # 107/2020, class I: minimum 6 (met); fewer than 9 civil servants -> 1 deputy (2 held)
    assert rules("2020-11-25") == [("division-max-deputies", "decree-107-2020")]
    assert rules("2025-06-15") == [("division-max-deputies", "decree-45-2025")]
    # 150/2025: minimum 7 everywhere; fewer than 10 -> 1 deputy
    assert rules("2025-06-16") == [
        ("division-max-deputies", "decree-150-2025"),
        ("division-min-civil-servants", "decree-150-2025"),
    ]
    # 370/2025 adds: not more deputies than the parent (2 > 1)
    assert rules("2026-01-01") == [
        ("deputies-not-above-parent", "decree-370-2025"),
        ("division-max-deputies", "decree-150-2025"),
        ("division-min-civil-servants", "decree-150-2025"),
    ]


def test_a_district_in_spring_2025_gets_a_no_verified_rule_finding():
    m = org(
        """\
        units:
          - {id: h, kind: peoples_committee, level: district, class: II, name: Huyện, head: 0,
             children: [{id: p, kind: division, name: Phòng, civil_servants: 8, deputies: 3}]}
        """
    )
    rep = om.check(m, as_of="2025-04-01")
    [v] = rep.violations
    assert (v.status, v.rule) == ("no_rule", "district-office-deputies")
    assert v.rulebook == "decree-45-2025"
    assert rep.ok  # nothing shown to be unlawful
    assert "no verified rule" in v.message
    # under 108/2020 (Feb 2025): 3 deputies in 1 office, average 2 -> a violation
    [v] = om.check(m, as_of="2025-02-01").violations
    assert (v.rule, v.actual, v.limit) == ("district-office-deputies-average", 3, 2)
    # under 37/2014 (2019): at most 3 per office (unverified) -> complies
    assert om.check(m, as_of="2019-01-01").violations == ()


# -- a user's rulebook amending a built-in one -----------------------------------------------
LOCAL = """\
# A province's own stricter quota (a local implementing decision)
id: hai-phong-decision-2026
title: Hai Phong People's Committee decision on division deputies (illustrative)
decree: 12/2026/QD-UBND
in_force: {from: 2026-02-01}
amends: decree-150-2025
rules:
  - id: division-max-deputies
    kind: max_deputies
    applies_to: {kind: division, parent: department}
    bands:
      all: [{below: 12, max: 1}, {max: 2}]
    cite: {of: 12/2026/QD-UBND, article: 3}
    verified: true
    text: Divisions under a department have 1 deputy below 12 civil servants, else at most 2.
"""


def test_a_user_rulebook_amends_a_built_in_one(tmp_path, capsys):
    book = tmp_path / "local.yaml"
    book.write_text(LOCAL, encoding="utf-8")
    m = org(DEPT.format(dep=3), as_of="2026-03-01")
    rep = om.check(m, rulebook=str(book))
    # the law as it stands (150/2025 as amended by 370/2025) and the province's decision
    assert rep.rulebooks == ("decree-150-2025", "decree-370-2025", "hai-phong-decision-2026")
    # 15 civil servants: 150/2025's bands allow 3, the decision 2; the division holds 2
    assert [v for v in rep.violations if v.rule == "division-max-deputies"] == []
    f = tmp_path / "m.yaml"
    f.write_text(om.dumps(org(DEPT.format(dep=3).replace("deputies: 2}", "deputies: 3}"))))
    assert main(["check", str(f), "--rulebook", str(book), "--as-of", "2026-03-01",
                 "--format", "json"]) == 1  # fmt: skip
    data = json.loads(capsys.readouterr().out)
    [j] = [j for j in data["violations"] if j["rule"] == "division-max-deputies"]
    assert (j["unit"], j["actual"], j["limit"], j["rulebook"]) == (
        "div",
        3,
        2,
        "hai-phong-decision-2026",
    )
    assert j["basis"]["amends"] == {"rulebook": "decree-150-2025", "rule": "division-max-deputies"}
    assert j["citation"] == "Decision 12/2026/QD-UBND, Art. 3"
    # the user's finding reads in Vietnamese too
    assert main(["check", str(f), "--rulebook", str(book), "--as-of", "2026-03-01",
                 "--format", "md", "--lang", "vi"]) == 1  # fmt: skip
    md = capsys.readouterr().out
    assert "Phòng A (div) có 3 cấp phó; với 15 biên chế công chức số cấp phó tối đa là 2" in md
    assert "Quyết định 12/2026/QĐ-UBND, Điều 3" in md


BAD_BOOKS = [
    # the rule (line 6) lacks its bands; the kind (line 7) is unknown
    ("kind: max_deputies\n    applies_to: {kind: division}\n", "is missing 'bands'", 6),
    ("kind: max_deputy\n    applies_to: {kind: division}\n", "unknown kind 'max_deputy'", 7),
    (
        "kind: min_civil_servants\n    applies_to: {kind: division}\n    limit: {I: 5}\n",
        "no figure for class special, II, III",
        9,
    ),
    (
        "kind: max_deputies\n    applies_to: {kind: division}\n"
        "    bands: {all: [{max: 2}, {below: 5, max: 1}]}\n",
        "every band but the last needs 'below'",
        9,
    ),
    ("kind: not_allowed\n    applies_to: {kind: divisionn}\n", "applies_to", 8),
]


@pytest.mark.parametrize(("rule", "fragment", "line"), BAD_BOOKS)
def test_malformed_rulebooks_are_refused_with_their_location(
    tmp_path, capsys, rule, fragment, line
):
    text = (
        "id: mine\ntitle: Mine\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\n"
        "rules:\n  - id: r1\n    cite: {article: 1}\n    verified: true\n    text: T\n"
    )
    text = text.replace("  - id: r1\n", "  - id: r1\n    " + rule)
    p = tmp_path / "mine.yaml"
    p.write_text(text, encoding="utf-8")
    with pytest.raises(om.LoadError) as e:
        om.load_rulebook(p)
    assert fragment in e.value.message and e.value.file == str(p)
    assert e.value.line == line, e.value
    m = tmp_path / "m.yaml"
    m.write_text(om.dumps(org(DEPT.format(dep=2))), encoding="utf-8")
    assert main(["check", str(m), "--rulebook", str(p)]) == 2
    err = capsys.readouterr().err
    assert f"{p}:" in err and fragment in err and "Traceback" not in err


def test_an_amendment_of_an_unknown_rulebook_is_refused(tmp_path, capsys):
    p = tmp_path / "x.yaml"
    p.write_text(LOCAL.replace("amends: decree-150-2025", "amends: decree-999-2030"))
    m = tmp_path / "m.yaml"
    m.write_text(om.dumps(org(DEPT.format(dep=2), as_of="2026-03-01")), encoding="utf-8")
    assert main(["check", str(m), "--rulebook", str(p)]) == 2
    assert "amends 'decree-999-2030'" in capsys.readouterr().err


# -- check --explain --------------------------------------------------------------------------
def test_explain_prints_every_rule_that_applied_to_one_unit(tmp_path, capsys):
    f = tmp_path / "m.yaml"
    f.write_text(om.dumps(org(DEPT.format(dep=1), as_of="2026-03-01")), encoding="utf-8")
    assert main(["check", str(f), "--explain", "div", "--format", "json"]) == 1
    data = json.loads(capsys.readouterr().out)
    by = {r["rule"]: r for r in data["rules"]}
    assert set(by) == {
        "division-min-civil-servants",
        "division-max-deputies",
        "deputies-not-above-parent",
        "leaf-deputies-not-above-branching-siblings",
    }
    assert by["division-max-deputies"]["passed"] is True  # 2 <= 3 (15 civil servants)
    assert by["division-max-deputies"]["basis"]["band"] == {"from": 15, "to": None, "max": 3}
    assert by["deputies-not-above-parent"]["passed"] is False
    assert main(["check", str(f), "--explain", "div"]) == 1
    out = capsys.readouterr().out
    assert "passes" in out and "deputies-not-above-parent" in out
    assert main(["check", str(f), "--explain", "nobody"]) == 2
    assert "no unit 'nobody'" in capsys.readouterr().err


# -- the new facts in the org file -----------------------------------------------------------
def test_provinces_merged_and_reorganized_round_trip_and_are_checked():
    m = merged_province([3] * 12, reorganized="2025-07-01")
    assert m["pc"].provinces_merged == 2 and m["pc"].reorganized == dt.date(2025, 7, 1)
    assert om.loads(om.dumps(m)) == m
    with pytest.raises(om.LoadError, match="provinces_merged is stated on a provincial"):
        org("units:\n  - {id: a, kind: division, name: A, provinces_merged: 2}\n")
    with pytest.raises(om.LoadError, match="YYYY-MM-DD") as e:
        org("units:\n  - {id: a, kind: division, name: A, reorganized: 2025-W27-2}\n")
    assert e.value.line == 4


def test_simulate_sets_provinces_merged_and_reorganized():
    two = org(
        """\
        units:
          - {id: a, kind: peoples_committee, level: province, class: II, name: A, head: 1,
             children: [{id: a1, kind: department, name: A1, civil_servants: 20, deputies: 3}]}
          - {id: b, kind: peoples_committee, level: province, class: II, name: B, head: 1,
             children: [{id: b1, kind: department, name: B1, civil_servants: 20, deputies: 3}]}
        """,
        as_of="2025-06-30",
    )
    plan = om.loads_plan(
        "format: orgmodel-plan/1\nname: p\neffective: 2025-07-01\nsteps:\n"
        "  - merge: [a, b]\n    into: {id: ab, name: AB}\n"
        "  - merge: [a1, b1]\n    into: {id: ab1, name: AB1, deputies: 6}\n"
    )
    out = om.simulate(two, plan, as_of=dt.date(2026, 3, 1))
    ab = out.after["ab"]
    assert (ab.provinces_merged, ab.reorganized) == (2, dt.date(2025, 7, 1))
    assert out.after["ab1"].reorganized == dt.date(2025, 7, 1)
    # one department in a province of 2: 3 + 1 = 4 deputy directors allowed; it holds 6
    [v] = out.report_after.violations
    assert (v.rule, v.actual, v.limit, v.status) == ("deputy-directors-average", 6, 4, "transition")
    assert v.until == dt.date(2030, 7, 1)
    assert out.introduced == (v,)
    # a transition is not a violation the plan introduces: simulate exits 0
    assert out.introduced_violations == ()
    # the ledger: 6 - 4 = 2 deputy posts above the limit, lawful until 1 Jul 2030
    assert out.posts_in_transition == 2
    data = json.loads(out.to_json())
    assert data["violations"]["introduced"][0]["status"] == "transition"
    assert data["posts_in_transition"] == 2
    assert data["posts_in_transition_until"] == {"2030-07-01": 2}


HOSTILE_BOOKS = [
    # (the file, a fragment of the message, its line)
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 0}\nrules: []\n",
        "must be a date written YYYY-MM-DD",
        4,
    ),
    ("id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\n", "'rules'", 1),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\nrules:\n"
        "  - {id: a, kind: average_units, applies_to: {kind: peoples_committee},\n"
        "     per: {kind: peoples_committee}, counts: {kind: division}, limit: {all: .inf},\n"
        "     cite: {article: 1}, verified: true, text: T}\n",
        "limit.all",
        7,
    ),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\nrules:\n"
        "  - {id: a, kind: not_allowed, applies_to: {kind: []}, cite: {article: 1},"
        " verified: true, text: T}\n",
        "applies_to.kind",
        6,
    ),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\nrules:\n"
        "  - {id: a, kind: not_allowed, applies_to: {kind: office}, cite: {article: 1},"
        " verified: true, text: T}\n"
        "  - {id: a, kind: not_allowed, applies_to: {kind: board}, cite: {article: 1},"
        " verified: true, text: T}\n",
        "rule id 'a' is given twice",
        7,
    ),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\n"
        "amends: decree-150-2025\nrepeals: [department-cap]\nrules:\n"
        "  - {id: department-cap, kind: not_allowed, applies_to: {kind: office},"
        " cite: {article: 1}, verified: true, text: T}\n",
        "both repealed and given",
        6,
    ),
    (
        "id: decree-370-2025\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\n"
        "amends: decree-150-2025\nrules: []\n",
        "is a shipped rulebook's",
        1,
    ),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\n"
        "amends: decree-150-2025\nrepeals: [no-such-rule]\nrules: []\n",
        "repeals rule 'no-such-rule'",
        6,
    ),
    (
        "id: x\ntitle: X\ndecree: 1/2026/QD-UBND\nin_force: {from: 2026-01-01}\nrules:\n"
        "  - {id: a, kind: not_allowed, applies_to: {kind: office, parnt: department},"
        " cite: {article: 1}, verified: true, text: T}\n",
        "did you mean 'parent'?",
        6,
    ),
]


@pytest.mark.parametrize(("text", "fragment", "line"), HOSTILE_BOOKS)
def test_hostile_rulebooks_exit_2_with_their_line(tmp_path, capsys, text, fragment, line):
    p = tmp_path / "book.yaml"
    p.write_text(text, encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text(om.dumps(org(DEPT.format(dep=2), as_of="2026-03-01")), encoding="utf-8")
    for args in (["check", str(m), "--rulebook", str(p)], ["rules", "--rulebook", str(p)]):
        assert main(args) == 2
        err = capsys.readouterr().err
        assert fragment in err, err
        assert f"{p}:{line}:" in err, err
        assert "Traceback" not in err


def test_two_user_rulebooks_with_one_id_are_refused(tmp_path, capsys):
    a, b = tmp_path / "a.yaml", tmp_path / "b.yaml"
    a.write_text(LOCAL, encoding="utf-8")
    b.write_text(LOCAL.replace("cite: {of", "note: other\n    cite: {of"), encoding="utf-8")
    m = tmp_path / "m.yaml"
    m.write_text(om.dumps(org(DEPT.format(dep=2), as_of="2026-03-01")), encoding="utf-8")
    assert main(["check", str(m), "--rulebook", str(a), "--rulebook", str(b)]) == 2
    assert "two rulebooks have the id 'hai-phong-decision-2026'" in capsys.readouterr().err
