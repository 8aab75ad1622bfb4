"""Everything printed for people escapes what it prints: a hostile model, plan and rulebook go
through every output (terminal, rich, Markdown, HTML, SVG, JSON, notebook) and nothing in them
is run: no terminal escape sequence, no rich markup, no raw HTML, no link, no broken table."""

from __future__ import annotations

import io
import json
import re
import xml.etree.ElementTree as ET
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from rich.console import Console
from rich.text import Text

import orgmodel as om
from orgmodel._cli import main
from orgmodel._escape import html, json_text, markdown, markdown_code, markup, terminal, xml

# -- the hostile inputs -------------------------------------------------------------------
ORG = r"""format: orgmodel/1
name: "Org \e[31mred\x07 [/x] <script>alert(1)</script> \u202egnp.exe"
as_of: 2022-01-01
units:
  - id: pc
    kind: peoples_committee
    level: province
    class: III
    name: "[/x]"
    head: 0
    children:
      - id: "dep|x"
        kind: department
        name: "[link=http://evil.example]click[/link]"
        civil_servants: 12
        deputies: 9
        children:
          - id: A
            kind: division
            name: "<script>alert(1)</script>"
            civil_servants: 6
            deputies: 4
          - {id: B, kind: division, name: "a|b", civil_servants: 4, deputies: 1}
          - id: "`x`"
            kind: division
            name: "**bold** <img src=x onerror=alert(1)>"
            civil_servants: 4
            deputies: 1
          - {id: "[/c]", kind: division, name: "[t](javascript:alert(1))", civil_servants: 4}
"""

PLAN = r"""format: orgmodel-plan/1
name: "Plan \e[31m\x07 [/x] <script>alert(1)</script>"
effective: 2022-12-31
note: "note \e[2J\x07"
steps:
  - merge: [A, B]
    into: {id: "AB|z", name: "[bold]merged[/x] <b>x</b> `y` | *z*"}
    note: "step \e]8;;http://evil\e\\link\x07"
  - rename: "[/c]"
    name: "[/x] C <script>alert(2)</script>"
"""

BOOK = r"""id: evil-book
title: "Evil \e[31m title\x07 [/x] <script>alert(1)</script>"
title_vi: "[link=http://evil.example]x[/link] | a"
decree: "12/2026/QD-UBND \e[2J [/x] <img src=x onerror=alert(1)>"
in_force: {from: 2026-02-01}
amends: decree-150-2025
transitions:
  - id: "t `x` | y"
    rules: [division-max-deputies]
    years: 5
    cite: {article: 4}
    verified: true
    text: "Transition \e[31m text\x07 [/x] <script>alert(1)</script>"
rules:
  - id: division-max-deputies
    kind: max_deputies
    applies_to: {kind: division, parent: department}
    bands:
      all: [{below: 12, max: 1}, {max: 2}]
    cite: {of: "X \e]8;;javascript:alert(1)\e\\ [/x]", article: 3}
    verified: true
    text: "Rule text \e[31m red\x07 [/x] [t](javascript:alert(1)) a|b"
    note: "- note *x* \x07 <script>alert(1)</script>"
"""

HOSTILE_NAMES = (
    "[/x]",
    "[link=http://evil.example]click[/link]",
    "<script>alert(1)</script>",
    "a|b",
    "`x`",
    "**bold** <img src=x onerror=alert(1)>",
    "[t](javascript:alert(1))",
)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, str]:
    out = {}
    for name, text in (("org", ORG), ("plan", PLAN), ("book", BOOK)):
        p = tmp_path / f"{name}.yaml"
        p.write_text(text, encoding="utf-8")
        out[name] = str(p)
    return out


# -- what every output must satisfy -------------------------------------------------------
_RAW = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")


def assert_inert(text: str) -> None:
    """No control character (but tab and newline) and no bidi override."""
    m = _RAW.search(text)
    assert m is None, (
        f"raw U+{ord(m.group()):04X} in output: {text[max(0, m.start() - 40) :][:80]!r}"
    )


_MD = MarkdownIt("commonmark").enable(["table", "strikethrough"])


def assert_markdown_safe(md: str, *, links_ok: bool = False) -> None:
    """No raw HTML, no link but the document's own anchors, every table row as wide as its
    header (by a real Markdown parser), no control character."""
    assert_inert(md)
    assert "<script" not in md.lower() and "<img" not in md.lower() and "<b>" not in md
    rendered = _MD.render(md)
    assert "<script" not in rendered and "<img" not in rendered
    for href in re.findall(r'href="([^"]*)"', rendered):
        assert links_ok and href.startswith("#"), href
    # tables: each row has the header's number of cells, also as the parser reads them
    for table in re.findall(r"<table>.*?</table>", rendered, re.S):
        head = len(re.findall(r"<th[ >]", table))
        for row in re.findall(r"<tbody>.*?</tbody>", table, re.S)[0].split("</tr>")[:-1]:
            assert row.count("<td") == head, row
    lines = md.splitlines()
    for i, line in enumerate(lines):
        if line.startswith("|") and i + 1 < len(lines) and lines[i + 1].startswith("|---"):
            width = line.count("|")
            j = i + 2
            while j < len(lines) and lines[j].startswith("|"):
                assert _count_cells(lines[j]) == width, lines[j]
                j += 1


def _count_cells(row: str) -> int:
    n, i = 0, 0
    while i < len(row):
        if row[i] == "\\":
            i += 2
            continue
        n += row[i] == "|"
        i += 1
    return n


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


_HTML_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "h1",
    "h2",
    "div",
    "b",
    "i",
    "span",
    "p",
    "table",
    "tr",
    "th",
    "td",
    "ul",
    "li",
    "br",
    "footer",
    # the report page (issue 11): table heads that repeat on each printed page, the
    # collapsible outline
    "thead",
    "details",
    "summary",
    "svg",
    "g",
    "text",
    "rect",
    "path",
}
_ATTRS = {
    "lang",
    "charset",
    "class",
    "xmlns",
    "width",
    "height",
    "viewbox",
    "x",
    "y",
    "rx",
    "d",
    "fill",
    "stroke",
    "stroke-width",
    # the report page (issue 11): ids and tooltips on hover, open outline levels, chart strips
    "title",
    "open",
    "transform",
}


def assert_html_safe(page: str) -> str:
    """Only the tags and attributes orgmodel writes (no script, no handler, no link); returns
    the page's text."""
    assert_inert(page)
    p = _Tags()
    p.feed(page)
    p.close()
    for tag, attrs in p.tags:
        assert tag in _HTML_TAGS, tag
        for name, _value in attrs:
            assert name in _ATTRS, (tag, name)
    return "".join(p.text)


def assert_svg_safe(svg: str) -> str:
    """Well-formed XML with only the elements and attributes a chart has; returns its text."""
    assert_inert(svg)
    root = ET.fromstring(svg)
    for el in root.iter():
        tag = el.tag.split("}")[-1]
        assert tag in {"svg", "style", "g", "title", "rect", "path", "text"}, tag
        for name in el.attrib:
            assert name.lower() in _ATTRS, (tag, name)
    return "".join(root.itertext())


_C0 = re.compile("[\x00-\x08\x0b-\x1f]")


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    code = main([*argv, "--lang", "en"])
    out, err = capsys.readouterr()
    if "json" in argv:
        # JSON escapes the C0 controls (ESC, BEL) itself; the C1 controls and bidi overrides
        # it leaves raw with ensure_ascii=False until the CLI passes it through `json_text`
        # (see test_cli_json_is_inert)
        assert _C0.search(out) is None
        assert_inert(json_text(out))
        assert json.loads(json_text(out)) == json.loads(out)
    else:
        assert_inert(out)
    assert_inert(err)
    assert "Traceback" not in err and "MarkupError" not in err
    return code, out


# -- the command line, every output -------------------------------------------------------
def test_show_prints_names_as_written(files, capsys):
    code, out = run(capsys, "show", files["org"])
    assert code == 0
    for name in HOSTILE_NAMES:
        assert name in out
    assert "Org \\x1b[31mred\\x07 [/x]" in out and "\\u202egnp.exe" in out
    code, out = run(capsys, "show", files["org"], "--format", "json")
    assert json.loads(out)["name"].startswith("Org \x1b[31m")


@pytest.mark.parametrize("fmt", ["table", "md", "json", "html"])
def test_check_every_format(files, capsys, fmt):
    code, out = run(capsys, "check", files["org"], "--format", fmt)
    assert code == 1
    if fmt == "table":
        assert "[/x]" in out and "<script>alert(1)</script>" in out and "[/c]" in out
    elif fmt == "md":
        assert_markdown_safe(out)
        assert "a\\|b" in out
    elif fmt == "json":
        data = json.loads(out)
        assert {v["unit"] for v in data["violations"]} >= {"A", "B", "`x`", "[/c]"}
    else:
        text = assert_html_safe(out)
        assert "<script>alert(1)</script>" in text and "<img src=x onerror=alert(1)>" in text
        assert "Org \\x1b[31mred\\x07" in text


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_check_explain(files, capsys, fmt):
    for unit in ("A", "`x`", "pc", "[/c]"):
        code, out = run(capsys, "check", files["org"], "--explain", unit, "--format", fmt)
        assert code == 1 if unit != "`x`" else code in (0, 1)
        if fmt == "md":
            assert_markdown_safe(out)
        elif fmt == "table":
            assert f"({unit})" in out  # the head: "name (id)", as written


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_rules_with_a_hostile_rulebook(files, capsys, fmt):
    argv = ["rules", "--rulebook", files["book"], "--as-of", "2026-03-01", "--format", fmt]
    code, out = run(capsys, *argv)
    assert code == 0
    if fmt == "md":
        assert_markdown_safe(out)
    elif fmt == "table":
        assert "javascript:" in out and "\\x1b]8;;" in out  # shown, not run
    else:
        json.loads(out)


def test_rules_reference_of_a_hostile_rulebook(files):
    from orgmodel._render import rules_markdown, rules_table

    book = om.load_rulebook(files["book"])
    base = [b for b in om.builtin_rulebooks() if b.id == "decree-150-2025"]
    md = rules_markdown([*base, book])
    assert_markdown_safe(md, links_ok=True)
    assert "Evil \\\\x1b\\[31m title" in md  # the escape shown, the bracket escaped
    assert "\\- note \\*x\\*" not in md  # mid-line: no block escape needed
    assert "*Note: - note \\*x\\*" in md
    console = Console(file=io.StringIO(), width=200)
    console.print(rules_table([*base, book]))
    assert_inert(console.file.getvalue())  # type: ignore[attr-defined]


@pytest.mark.parametrize("fmt", ["table", "md", "json", "html"])
def test_simulate_every_format(files, capsys, fmt):
    code, out = run(capsys, "simulate", files["org"], files["plan"], "--format", fmt)
    assert code in (0, 1)
    if fmt == "table":
        assert "Plan \\x1b[31m\\x07 [/x]" in out and "AB|z" in out
        assert "[/x] / [link=http://evil.example]click[/link]" in out
    elif fmt == "md":
        assert_markdown_safe(out)
        assert "# Plan \\\\x1b\\[31m\\\\x07 \\[/x\\] &lt;script>" in out
    elif fmt == "json":
        assert json.loads(out)["violations"]["remaining"]
    else:
        text = assert_html_safe(out)
        assert "[bold]merged[/x] <b>x</b>" in text


def test_simulate_and_check_to_files(files, capsys, tmp_path):
    for fmt in ("table", "md", "html"):
        out = tmp_path / f"sim.{fmt}"
        run(capsys, "simulate", files["org"], files["plan"], "--format", fmt, "--out", str(out))
        text = out.read_text(encoding="utf-8")
        assert_inert(text)
        if fmt == "html":
            assert_html_safe(text)
        if fmt == "md":
            assert_markdown_safe(text)


@pytest.mark.parametrize("fmt", ["table", "md", "json"])
def test_diff(files, capsys, tmp_path, fmt):
    after = tmp_path / "after.yaml"
    run(capsys, "simulate", files["org"], files["plan"], "--after", str(after))
    code, out = run(capsys, "diff", files["org"], str(after), "--format", fmt)
    assert code == 0
    if fmt == "md":
        assert_markdown_safe(out)
        assert "\\[bold\\]merged\\[/x\\] &lt;b>x&lt;/b> \\`y\\` \\| \\*z\\*" in out
    elif fmt == "table":
        assert "[bold]merged[/x]" in out


def test_charts(files, capsys, tmp_path):
    for extra in ((), ("--plan", files["plan"])):
        svg = tmp_path / "chart.svg"
        code, _out = run(capsys, "chart", files["org"], *extra, "--out", str(svg))
        assert code == 0
        text = assert_svg_safe(svg.read_text(encoding="utf-8"))
        assert "<script>alert(1)</script>" in text or "[/x] C <script>" in text


def test_cli_json_is_inert(files, capsys):
    main(["show", files["org"], "--format", "json"])
    assert_inert(capsys.readouterr().out)


def test_cli_errors_are_inert(tmp_path, capsys):
    bad = tmp_path / "bad\x1b[2J\x07.yaml"
    bad.write_text("format: orgmodel/1\nname: x\nunits:\n  - {id: a, kind: nope, name: A}\n")
    assert main(["show", str(bad)]) == 2
    assert main(["show", str(tmp_path / "missing\x1b[31m.yaml")]) == 2
    assert_inert(capsys.readouterr().err)


# -- the library: notebooks and rich renderables ------------------------------------------
def hostile_org() -> om.Org:
    units = [
        om.Unit(id="pc", kind="peoples_committee", level="province", name="[/x]", head=0),
        om.Unit(
            id="d|1",
            kind="department",
            parent="pc",
            name=HOSTILE_NAMES[1],
            civil_servants=12,
            deputies=9,
        ),
        *(
            om.Unit(
                id=f"u{i}`", kind="division", parent="d|1", name=n, civil_servants=4, deputies=3
            )
            for i, n in enumerate(HOSTILE_NAMES)
        ),
    ]
    return om.Org(units, name="Org \x1b[31m\x07 [/x] <script>alert(1)</script>", as_of=None)


def test_notebook_faces(files):
    import datetime as dt

    org = hostile_org()
    report = om.check(org, as_of=dt.date(2022, 1, 1))
    outcome = om.simulate(om.load(files["org"]), om.load_plan(files["plan"]))
    for obj in (org, report, outcome, outcome.diff):
        text = assert_html_safe(obj._repr_html_())  # type: ignore[attr-defined]
        assert "<script>" in text or "[/x]" in text  # the data shown as text
        console = Console(file=io.StringIO(), width=300)
        console.print(obj)
        out = console.file.getvalue()  # type: ignore[attr-defined]
        assert_inert(out)
    for chart in (om.org_chart(org, violations=report.violations), om.outcome_chart(outcome)):
        assert_svg_safe(chart._repr_svg_())
    assert_markdown_safe(report.to_markdown())  # type: ignore[attr-defined]
    assert_markdown_safe(outcome.to_markdown())  # type: ignore[attr-defined]


def test_pages(files):
    import datetime as dt

    from orgmodel._page import outcome_page, report_page

    org = hostile_org()
    page = report_page(org, om.check(org, as_of=dt.date(2022, 1, 1)))
    assert "<title>Staffing check — Org \\x1b[31m\\x07 [/x] &lt;script&gt;" in page
    assert_html_safe(page)
    assert_html_safe(outcome_page(om.simulate(om.load(files["org"]), om.load_plan(files["plan"]))))


# -- the escapes themselves ----------------------------------------------------------------
def test_terminal_escapes():
    assert terminal("a\x1b[31mb\x07") == "a\\x1b[31mb\\x07"
    assert terminal("\u202eabc\u2066") == "\\u202eabc\\u2066"
    assert terminal("\x9b2J\x7f") == "\\x9b2J\\x7f"
    assert terminal("a\tb\nc") == "a\tb\nc"
    assert terminal("a\tb\nc", newlines=False) == "a\\x09b\\x0ac"
    assert terminal("Sở Nội vụ — [x] <y> \\") == "Sở Nội vụ — [x] <y> \\"
    assert terminal("\ud800") == "\\ud800"


def test_markup_escape_reads_back_as_written():
    for s in (*HOSTILE_NAMES, "a\\", "a\\\\", "\\[b]"):
        assert Text.from_markup(f"[i]{markup(s)}[/i]").plain == s
    assert Text.from_markup(f"[bold]{markup('[/x]')}[/bold]").plain == "[/x]"


def test_markdown_escape():
    assert markdown("a|b") == "a\\|b"
    assert markdown("<script>") == "&lt;script>"
    assert markdown("[t](javascript:1)") == "\\[t\\](javascript:1)"
    assert markdown("provinces_merged _x_") == "provinces_merged \\_x\\_"
    assert markdown("- x") == "\\- x" and markdown("- x", line_start=False) == "- x"
    assert markdown("12. x") == "12\\. x"
    assert markdown("a\nb") == "a b"
    assert markdown("&amp;") == "&amp;amp;"
    assert markdown_code("division-max-deputies") == "`division-max-deputies`"
    assert markdown_code("a `b` | c") == "a \\`b\\` \\| c"


def test_html_and_xml_escape():
    assert html("<a href='x'>\"&\x1b") == "&lt;a href=&#x27;x&#x27;&gt;&quot;&amp;\\x1b"
    assert xml("\uffff<") == "\\uffff&lt;"
    assert json_text(json.dumps({"a": "\x9b\u202e"}, ensure_ascii=False)) == (
        '{"a": "\\u009b\\u202e"}'
    )
    assert json.loads(json_text(json.dumps("x\x85\u2028", ensure_ascii=False))) == "x\x85\u2028"


# -- properties over arbitrary text ---------------------------------------------------------
SETTINGS = settings(
    derandomize=True,
    max_examples=300,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_ANY = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
_PUNCT = st.text(st.sampled_from(list("[]/|`*_~#<>&\\!()-+=.1a \n\t:\x1b\u202e")), max_size=20)
_TEXT = st.one_of(_ANY, _PUNCT)


def _expected(s: str) -> str:
    return " ".join(terminal(s.replace("\r\n", "\n")).splitlines()).strip()


@SETTINGS
@given(_TEXT, _TEXT)
def test_markdown_cells_keep_the_table_and_the_text(a, b):
    cells = " | ".join(markdown(x, line_start=False) for x in (a, b))
    md = f"| h1 | h2 |\n|---|---|\n| {cells} |\n"
    assert _count_cells(md.splitlines()[2]) == 3
    rendered = _MD.render(md)
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 2
    for cell, s in zip(cells, (a, b), strict=True):
        assert "<" not in cell, cell  # no tag: no HTML, link, emphasis or code made
        assert unescape(cell) == _expected(s).strip(" \t")


@SETTINGS
@given(_TEXT)
def test_markdown_paragraph_shows_the_text(s):
    rendered = _MD.render(markdown(s))
    expected = _expected(s)
    if not expected.strip(" \t"):
        return
    assert rendered.startswith("<p>") and rendered.endswith("</p>\n"), rendered
    inner = rendered[3:-5]
    assert "<" not in inner, inner
    assert unescape(inner) == expected.strip(" \t")


@SETTINGS
@given(_TEXT)
def test_code_span_or_text(s):
    rendered = _MD.render(f"| h |\n|---|\n| {markdown_code(s)} |\n")
    cells = re.findall(r"<td>(.*?)</td>", rendered, re.S)
    assert len(cells) == 1
    inner = cells[0].removeprefix("<code>").removesuffix("</code>")
    assert "<" not in inner
    assert unescape(inner) == _expected(s).strip(" \t")


@SETTINGS
@given(_TEXT)
def test_terminal_markup_html_xml(s):
    t = terminal(s)
    assert _RAW.search(t) is None and "\u2028" not in t and "\u2029" not in t
    assert Text.from_markup(f"[b]{markup(s)}[/b]", emoji=False).plain == t
    assert unescape(html(s)) == t and not set(html(s)) & set("<>\"'")
    ET.fromstring(f"<t a='{xml(s)}'>{xml(s)}</t>")  # well-formed, in text and attribute


_NAME = st.text(st.characters(blacklist_categories=("Cc", "Cs")), min_size=1, max_size=30)


@SETTINGS
@given(_NAME, _NAME)
def test_any_unit_name_renders_everywhere(name, uid):
    import datetime as dt

    from orgmodel._render import explain_markdown, explain_view, org_tree, report_markdown

    try:
        u = om.Unit(id=uid, kind="division", parent="d", name=name, civil_servants=4, deputies=3)
    except ValueError:
        return
    org = om.Org(
        [
            om.Unit(id="pc", kind="peoples_committee", level="province", name="PC", head=0),
            om.Unit(id="d", kind="department", parent="pc", name=name, civil_servants=9),
            u,
        ],
        name=name,
    )
    report = om.check(org, as_of=dt.date(2022, 1, 1))
    console = Console(file=io.StringIO(), width=10_000, highlight=False)
    console.print(org_tree(org))
    console.print(report)
    rules, checks = om.explain(org, u.id, as_of=dt.date(2022, 1, 1))
    console.print(explain_view(org, u.id, rules, checks))
    out = console.file.getvalue()  # type: ignore[attr-defined]
    assert_inert(out)
    assert terminal(name).strip() in out
    assert_markdown_safe(report_markdown(report))
    assert_markdown_safe(explain_markdown(org, u.id, rules, checks))
    assert_html_safe(org._repr_html_())  # type: ignore[attr-defined]
    assert_svg_safe(om.org_chart(org, violations=report.violations).svg)
