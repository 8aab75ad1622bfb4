"""Vietnamese, completely: every message, table header and page of the three examples, rendered in
both languages; an English word of the English rendering that turns up in the Vietnamese one
(outside names, ids, file paths and instrument numbers) is a gap.

The English vocabulary is taken from the English rendering of the same command, so the test
needs no dictionary: whatever English orgmodel writes, the Vietnamese must not."""

from __future__ import annotations

import datetime as dt
import html as html_lib
import io
import re
from dataclasses import dataclass
from functools import cache
from pathlib import Path

import pytest
from rich.console import Console

import orgmodel as om
from orgmodel._cli import main
from orgmodel._i18n import (
    _CLASS_UNKNOWN,
    _FINDINGS,
    _PASSES,
    basis_sentence,
    finding_message,
    note_text,
    using,
)
from orgmodel._rules import builtin_rulebooks

from .conftest import EXAMPLES


@dataclass(frozen=True)
class Example:
    org: Path
    plan: Path
    explain: tuple[str, ...]  # units whose every rule `check --explain` shows


CASES = {
    "haiphong": Example(
        EXAMPLES / "haiphong" / "haiphong-2022.yaml",
        EXAMPLES / "haiphong" / "plan-57-2022.yaml",
        ("hp-tttt-qlnn", "hp-ngoai-vu-ke-hoach", "hp"),
    ),
    "quangninh": Example(
        EXAMPLES / "quangninh" / "quangninh-2017.yaml",
        EXAMPLES / "quangninh" / "plan-2018.yaml",
        (),
    ),
    "hue": Example(
        EXAMPLES / "hue" / "hue-2025.yaml",
        EXAMPLES / "hue" / "plan-2025.yaml",
        ("hue-q-thuan-hoa-van-phong",),
    ),
}

# Words that may stand in Vietnamese text although they are also English (or are ASCII only):
# names of formats and tools, the Vietnamese abbreviations, and the rulebook-file word.
ALLOWED = {
    "orgmodel",
    "yaml",
    "json",
    "html",
    "csv",
    "xlsx",
    "docs",
    "simulation",  # docs/simulation.md, a file's name
    "md",
    "utf",
    "iii",  # province class III
    "minh",  # Hồ Chí Minh, written Ho Chi Minh in English
}


@cache
def _data_words() -> tuple[str, ...]:
    """Every name, id, number and file path the examples and rulebooks carry: data, not words
    of orgmodel's, in either language. Longest first, so that a name is removed before a part."""
    words: set[str] = set()
    for ex in CASES.values():
        org = om.load(ex.org)
        plan = om.load_plan(ex.plan)
        out = om.simulate(org, plan)
        for model in (org, out.after):
            words.add(model.name or "")
            for u in model:
                words |= {u.id, u.name, getattr(u, "name_en", None) or ""}
        words.add(plan.name or "")
        words |= {s.note or "" for s in plan.steps}
        words |= {str(ex.org), str(ex.plan), ex.org.name, ex.plan.name}
    for b in builtin_rulebooks():
        words |= {b.id, b.decree, b.amends_text or ""}
        for r in b.rules:
            words.add(r.id)
            words |= {ref.of for ref in r.cite if getattr(ref, "of", None)}
        for t in b.transitions:
            words.add(t.id)
    words |= {"docs/simulation.md"}
    return tuple(sorted((w for w in words if w), key=len, reverse=True))


_WORD = re.compile(r"[^\W\d_]+")


def _strip(text: str) -> str:
    text = re.sub(r"(?s)<style\b.*?</style>", " ", text)
    text = re.sub(r"`[^`\n]*`", " ", text)  # Markdown code: ids, commands, file names
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", text))
    for w in _data_words():
        text = text.replace(w, " ")
    # instrument numbers and their suffixes (107/2020/ND-CP, NĐ-CP, QĐ-UBND, NQ-CP)
    text = re.sub(r"\b\d+(/\d+)?/[A-ZĐ]+(-[A-ZĐ]+)*\b", " ", text)
    return text


@cache
def _vietnamese_syllables() -> frozenset[str]:
    """The ASCII-only syllables of orgmodel's own Vietnamese (e.g. 'ban', 'tra', 'theo'), which
    the English rendering may show inside a Vietnamese title."""
    from orgmodel import _i18n

    texts = [*_i18n.VI.values(), *_i18n.KIND_VI.values(), *_i18n.LEVEL_VI.values()]
    texts += [b.title_vi or "" for b in builtin_rulebooks()]
    # the syllables of the units' (Vietnamese) names, which a narrow column may fold apart
    for ex in CASES.values():
        texts += [u.name for u in om.load(ex.org)]
    return frozenset(
        w.lower() for t in texts for w in _WORD.findall(t) if w.isascii() and len(w) >= 3
    )


def _english_words(text: str) -> set[str]:
    """The ASCII words of three letters or more in `text`, lower-cased."""
    return {
        w.lower()
        for w in _WORD.findall(_strip(text))
        if len(w) >= 3
        and w.isascii()
        and w.lower() not in ALLOWED
        and w.lower() not in _vietnamese_syllables()
    }


def _leaks(en: str, vi: str) -> set[str]:
    """English words of the English rendering that the Vietnamese rendering still shows."""
    return _english_words(en) & _english_words(vi)


def _context(vi: str, words: set[str]) -> list[str]:
    """Lines of the Vietnamese text that show each leaked word (for the failure message)."""
    out = []
    for w in sorted(words):
        for line in vi.splitlines():
            if re.search(rf"(?i)\b{re.escape(w)}\b", _strip(line)):
                out.append(f"{w!r}: {line.strip()[:200]}")
                break
    return out


def _cli(args: list[str], lang: str, capsys: pytest.CaptureFixture[str]) -> str:
    main([*args, "--lang", lang])
    cap = capsys.readouterr()
    return cap.out + cap.err


def _rich(renderable: object) -> str:
    """What the terminal shows, on a console wide enough that no cell folds a word."""
    console = Console(record=True, width=2000, soft_wrap=False, file=io.StringIO())
    console.print(renderable)
    return console.export_text()


def _both(make, capsys=None) -> tuple[str, str]:  # type: ignore[no-untyped-def]
    out = []
    for lang in ("en", "vi"):
        with using(lang):
            out.append(make(lang))
    return out[0], out[1]


def _assert_vietnamese(en: str, vi: str, what: str) -> None:
    assert en != vi, f"{what}: the Vietnamese rendering is the English one"
    leaks = _leaks(en, vi)
    assert not leaks, f"{what}: English in the Vietnamese output:\n" + "\n".join(
        _context(vi, leaks)
    )


# -- the commands, in terminal text and Markdown -------------------------------------------------
@pytest.fixture(scope="module")
def outcomes() -> dict[str, tuple[om.Org, object]]:
    out = {}
    for name, ex in CASES.items():
        org = om.load(ex.org)
        out[name] = (org, om.simulate(org, om.load_plan(ex.plan)))
    return out


@pytest.mark.parametrize("name", CASES)
@pytest.mark.parametrize("fmt", ["table", "md"])
def test_check_and_simulate_in_vietnamese(name, fmt, outcomes):
    from orgmodel._render import (
        outcome_markdown,
        outcome_view,
        report_markdown,
        report_table,
    )

    org, outcome = outcomes[name]
    report = om.check(org)
    if fmt == "table":
        en, vi = _both(lambda lang: _rich(report_table(report)))
        _assert_vietnamese(en, vi, f"check {name}")
        en, vi = _both(lambda lang: _rich(outcome_view(outcome)))
        _assert_vietnamese(en, vi, f"simulate {name}")
    else:
        en, vi = _both(lambda lang: report_markdown(report))
        _assert_vietnamese(en, vi, f"check --format md {name}")
        en, vi = _both(lambda lang: outcome_markdown(outcome))
        _assert_vietnamese(en, vi, f"simulate --format md {name}")


@pytest.mark.parametrize("name", CASES)
def test_show_and_diff_in_vietnamese(name, outcomes):
    from orgmodel._render import diff_markdown_lines, diff_view, org_tree

    org, outcome = outcomes[name]
    en, vi = _both(lambda lang: _rich(org_tree(org)))
    _assert_vietnamese(en, vi, f"show {name}")
    d = om.diff(org, outcome.after)
    en, vi = _both(lambda lang: _rich(diff_view(d)))
    _assert_vietnamese(en, vi, f"diff {name}")
    en, vi = _both(lambda lang: "\n".join(diff_markdown_lines(d)))
    _assert_vietnamese(en, vi, f"diff --format md {name}")


@pytest.mark.parametrize("name", [n for n, ex in CASES.items() if ex.explain])
def test_explain_in_vietnamese(name, capsys):
    ex = CASES[name]
    for unit in ex.explain:
        for fmt in ("table", "md"):
            args = ["check", str(ex.org), "--explain", unit, "--format", fmt]
            en, vi = _cli(args, "en", capsys), _cli(args, "vi", capsys)
            _assert_vietnamese(en, vi, f"check --explain {unit} --format {fmt}")


def test_rules_in_vietnamese(capsys):
    from orgmodel._render import rules_markdown, rules_table, ruleset_markdown
    from orgmodel._rules import select

    books = builtin_rulebooks()
    en, vi = _both(lambda lang: rules_markdown(books))
    _assert_vietnamese(en, vi, "rules --all --format md")
    en, vi = _both(lambda lang: _rich(rules_table(books)))
    _assert_vietnamese(en, vi, "rules --all")
    for day in ("2016-01-01", "2022-03-11", "2025-04-01", "2025-11-01", "2026-02-01"):
        rules = select(None, dt.date.fromisoformat(day))
        en, vi = _both(lambda lang, r=rules: _rich(rules_table(r)))
        _assert_vietnamese(en, vi, f"rules --as-of {day}")
        en, vi = _both(lambda lang, r=rules: ruleset_markdown(r))
        _assert_vietnamese(en, vi, f"rules --as-of {day} --format md")


@pytest.mark.parametrize("name", CASES)
def test_html_pages_in_vietnamese(name, outcomes):
    from orgmodel._page import outcome_page, report_page

    org, outcome = outcomes[name]
    report = om.check(org)
    en, vi = _both(lambda lang: report_page(org, report))
    _assert_vietnamese(en, vi, f"check --format html {name}")
    en, vi = _both(lambda lang: outcome_page(outcome))
    _assert_vietnamese(en, vi, f"simulate --format html {name}")


# -- every message kind says as much in Vietnamese as in English --------------------------------
def _figures_of(text: str, lang: str) -> set[str]:
    """The figures of a message as Python writes them (1,734.5 and 1.734,5 read 1734.5), its
    dates as ISO dates (01/07/2030 reads 2030-07-01)."""
    if lang == "vi":
        text = re.sub(r"\b(\d\d)/(\d\d)/(\d{4})\b", r"\3-\2-\1", text)
    days = set(re.findall(r"\d{4}-\d\d-\d\d", text))
    text = re.sub(r"\d{4}-\d\d-\d\d", " ", text)
    thousands, decimal = (".", ",") if lang == "vi" else (",", ".")
    figs = set()
    for n in re.findall(r"\d(?:[\d.,]*\d)?", text):
        figs.add(n.replace(thousands, "").replace(decimal, "."))
    return figs | days


def _bases() -> list[tuple[str, dict]]:
    """A basis of every rule kind, with figures above a thousand and a class, for each status."""
    applies = {"kind": "division", "parent": "department"}
    common = {
        "class": "II",
        "class_dependent": True,
        "class_from": "hp",
        "applies_to": applies,
        "rulebook": "decree-107-2020",
        "rule": "a-rule",
        "citation": {"refs": [{"of": "107/2020/ND-CP", "article": 6}]},
    }
    counted = {"counts": {"kind": "department"}, "per": {"kind": "peoples_committee"}}
    kinds = {
        "min_civil_servants": {"value": 1234, "minimum": 2345, "measure": "civil_servants"},
        "max_deputies": {
            "value": 1734,
            "deputies": 7,
            "measure": "civil_servants",
            "band": {"from": 15, "to": None, "max": 3},
            "limit": 3,
        },
        "average_deputies": {
            **counted,
            "counted": 1200,
            "deputies": 4321,
            "per_unit": 3,
            "extra": 10,
            "merge_extra": 1,
            "merge_extra_per_unit": 1,
            "provinces_merged": 2,
            "limit": 4810,
        },
        "max_units": {**counted, "counted": 1300, "maximum": 1250},
        "average_units": {
            **counted,
            "counted": 5000,
            "averaged_over": 1001,
            "average": 4.99,
            "max_average": 4.5,
            "limit": 4504,
        },
        "max_deputies_of_parent": {"deputies": 5, "parent": "hp-x", "parent_deputies": 4},
        "max_deputies_of_siblings": {"deputies": 5, "sibling": "hp-y", "sibling_deputies": 4},
        "not_allowed": {},
        "no_verified_rule": {},
    }
    return [(k, {**common, "kind": k, **v}) for k, v in kinds.items()]


def test_every_message_kind_covers_the_templates():
    assert {k for k, _b in _bases()} == set(_FINDINGS) == set(_PASSES)
    assert len(_CLASS_UNKNOWN) == 2


@pytest.mark.parametrize("kind,basis", _bases())
@pytest.mark.parametrize("status", ["violation", "transition", "class_unknown", "no_rule", "pass"])
def test_vietnamese_message_says_as_much_as_the_english(kind, basis, status):
    """For each rule kind and status: every figure of the English message, and its class phrase,
    are in the Vietnamese one (the issue: the Vietnamese dropped 'in a class-II province')."""

    label = {"name": "Phòng X", "id": "hp-x"}
    basis = dict(basis)
    if status == "transition":
        basis["transition"] = {
            "reorganized": dt.date(2025, 7, 1),
            "years": 5,
            "until": dt.date(2030, 7, 1),
        }
    passed = status == "pass"
    st = "violation" if passed else status
    texts = {
        lang: finding_message(label, st, basis, lang, until=None, passed=passed)
        for lang in ("en", "vi")
    }
    en, vi = texts["en"], texts["vi"]
    assert _figures_of(en, "en") <= _figures_of(vi, "vi"), (en, vi)
    assert ("class-II" in en) == ("loại II" in vi), (en, vi)
    if (
        basis.get("class_dependent")
        and status not in ("class_unknown",)
        and kind
        in (
            "min_civil_servants",
            "max_deputies",
            "max_units",
            "average_units",
            "average_deputies",
        )
    ):
        assert "class-II" in en, en  # the class a figure depends on is said in both
        assert "loại II" in vi, vi
    # the facts the finding was decided on, too
    s_en, s_vi = basis_sentence(basis, "en"), basis_sentence(basis, "vi")
    assert _figures_of(s_en, "en") <= _figures_of(s_vi, "vi"), (s_en, s_vi)
    assert "1.734" in vi + s_vi or kind != "max_deputies"  # Vietnamese separators


def test_notes_say_as_much_in_vietnamese():

    from orgmodel._i18n import ABOVE_MAXIMUM, IN_TRANSITION, NO_RULEBOOK

    cite = {"refs": [{"of": "150/2025/ND-CP", "article": 22, "clause": 1}]}
    cases = [
        (NO_RULEBOOK, {"day": dt.date(2018, 1, 1), "start": dt.date(2014, 6, 20)}),
        (
            IN_TRANSITION,
            {
                "n": 1234,
                "reorganized": dt.date(2025, 7, 1),
                "citation": cite,
                "years": 5,
                "until": dt.date(2030, 7, 1),
            },
        ),
        (ABOVE_MAXIMUM, {"n": 1234}),
    ]
    for template, params in cases:
        en, vi = note_text(template, params, "en"), note_text(template, params, "vi")
        assert "1.234" in vi or "1234" not in str(params.get("n", "")), vi
        for day in ("01/07/2025", "01/07/2030", "01/01/2018", "20/06/2014"):
            iso = f"{day[6:]}-{day[3:5]}-{day[:2]}"
            if iso in en:
                assert day in vi, (en, vi)
        assert "Nghị định 150/2025/NĐ-CP, Điều 22 khoản 1" in vi or "citation" not in params


def test_vietnamese_output_uses_vietnamese_dates_and_separators(capsys):
    ex = CASES["hue"]
    out = _cli(["simulate", str(ex.org), str(ex.plan)], "vi", capsys)
    assert "01/07/2025" in out
    assert "2025-07-01" not in out
    out = _cli(["check", str(CASES["haiphong"].org)], "vi", capsys)
    assert "11/03/2022" in out and "2022-03-11" not in out
    out = _cli(["show", str(CASES["haiphong"].org), "--depth", "1"], "vi", capsys)
    assert re.search(r"\b\d{1,3}\.\d{3}\b", out), "a figure above 999 with a Vietnamese separator"
    assert not re.search(r"\b\d{1,3},\d{3}\b", out)


# -- rulebooks without Vietnamese still load; their English is marked -------------------------
def test_a_user_rulebook_without_vietnamese_loads_and_is_marked_english(tmp_path, capsys):
    book = tmp_path / "hp-decision.yaml"
    book.write_text(
        "id: hp-decision-2026\n"
        "title: Hai Phong decision on division deputies\n"
        "decree: 12/2026/QD-UBND\n"
        "in_force: {from: 2026-02-01}\n"
        "amends: decree-150-2025\n"
        "rules:\n"
        "  - id: division-max-deputies\n"
        "    kind: max_deputies\n"
        "    applies_to: {kind: division, parent: department}\n"
        "    bands: {all: [{below: 12, max: 1}, {max: 2}]}\n"
        "    cite: {article: 3}\n"
        "    verified: true\n"
        "    text: Divisions have 1 deputy below 12 civil servants, else at most 2.\n",
        encoding="utf-8",
    )
    loaded = om.load_rulebook(book)
    rule = loaded.rules[0]
    assert rule.text_vi is None
    marked = rule.text_in("vi")
    assert marked.startswith("(bản tiếng Anh") and marked.endswith(rule.text)
    assert rule.text_in("en") == rule.text
    shipped = next(b for b in builtin_rulebooks() if b.id == "decree-150-2025")
    assert all(r.text_vi for r in shipped.rules) and all(t.text_vi for t in shipped.transitions)
    args = ["rules", "--rulebook", str(book), "--as-of", "2026-03-01", "--format", "md"]
    assert main([*args, "--lang", "vi"]) == 0
    out = capsys.readouterr().out
    assert "hp-decision-2026" in out and "bản tiếng Anh" in out


def test_the_ledger_reads_right_in_both_languages(outcomes):
    """Each "of which" line sits directly under the figure it splits, indented, in the terminal
    and in Markdown; dissolved units' leaders under the leaders who keep no post."""
    from orgmodel._render import outcome_markdown, outcome_view

    _org, outcome = outcomes["hue"]
    for lang, keep, dissolved in (
        ("en", "leaders who keep no post", "of which leaders of dissolved units"),
        ("vi", "lãnh đạo không còn chức vụ", "trong đó lãnh đạo của đơn vị giải thể"),
    ):
        with using(lang):
            lines = _rich(outcome_view(outcome)).splitlines()
            md = outcome_markdown(outcome).splitlines()
        i = next(n for n, line in enumerate(lines) if keep in line)
        assert dissolved in lines[i + 1]
        assert lines[i + 1].index(dissolved) > lines[i].index(keep)  # indented under it
        assert lines[i].rstrip(" │").endswith("10") and lines[i + 1].rstrip(" │").endswith("9")
        j = next(n for n, line in enumerate(md) if keep in line)
        assert dissolved in md[j + 1] and "↳" in md[j + 1]
        assert md[j + 1].index("↳") > md[j].index("↳")


def test_absorb_merge_and_dissolve_in_words(outcomes, tmp_path):
    from orgmodel._render import outcome_markdown

    _org, outcome = outcomes["hue"]
    with using("vi"):
        md = outcome_markdown(outcome)
    assert "giải thể, biên chế chuyển về Ủy ban nhân dân phường Thuận Hóa (hue-thuan-hoa)" in md
    assert "hợp nhất vào Ủy ban nhân dân phường Thuận Hóa (hue-thuan-hoa)" in md
    with using("en"):
        md = outcome_markdown(outcome)
    assert "dissolved, its civil servants transferred to" in md
    assert "merged into Ủy ban nhân dân phường Thuận Hóa (hue-thuan-hoa)" in md
    # an absorb is "absorbed into", never "merged"
    org = om.load(CASES["hue"].org)
    plan = tmp_path / "absorb.yaml"
    plan.write_text(
        "format: orgmodel-plan/1\neffective: 2025-07-01\nsteps:\n"
        "  - absorb: hue-phu-hoi-kinh-te\n    into: hue-phu-hoi-van-phong\n",
        encoding="utf-8",
    )
    absorbed = om.simulate(org, om.load_plan(plan))
    for lang, word in (("en", "absorbed into"), ("vi", "sáp nhập vào")):
        with using(lang):
            text = outcome_markdown(absorbed)
        assert f"{word} Văn phòng (hue-phu-hoi-van-phong)" in text, text
        assert ("merged into" if lang == "en" else "hợp nhất vào") not in text
