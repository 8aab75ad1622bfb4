"""What analysts see: notebook HTML, terminal renderables, tables, charts, the shareable page,
and the JSON Schemas editors use."""

import json
import re
import shutil
import subprocess

import jsonschema
import pytest
import yaml_rs
from hypothesis import given, settings
from hypothesis import strategies as st
from rich.console import Console

import orgmodel as om
from orgmodel._cli import main
from orgmodel._i18n import using

from .conftest import EXAMPLES, HAIPHONG, QUANGNINH

HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"


@pytest.fixture(scope="module")
def hp():
    org = om.load(HAIPHONG)
    return org, om.check(org), om.simulate(org, om.load_plan(HP_PLAN))


def test_notebook_html(hp):
    org, report, outcome = hp
    html = org._repr_html_()
    assert "Ủy ban nhân dân thành phố Hải Phòng" in html and "1,734" in html
    assert "hp-tttt-qlnn" in report._repr_html_()
    page = outcome._repr_html_()
    assert "214 → 184 (removed 30)" in page and "Violations the plan cures" in page
    # two models alone do not say whether a unit was merged or absorbed (the plan does)
    named = "Phòng Pháp chế - Quản lý chuyên ngành (hp-tttt-phap-che)"
    assert f"merged or absorbed into {named}" in outcome.diff._repr_html_()
    assert f"merged into {named}" in page  # the plan's step says it was a merge


def test_national_model_html_is_capped():
    big, _ = om.synth(20_000, seed=3)
    html = big._repr_html_()
    assert len(html) < 60_000  # a summary and the top levels, not 20,000 rows
    assert "units below" in html


def test_terminal_renderables(hp):
    org, report, outcome = hp
    c = Console(record=True, width=120)
    for obj in (org, report, outcome, outcome.diff):
        c.print(obj)
    text = c.export_text()
    assert "5 violations." in text and "removed 30" in text and "Sở Nội vụ" in text


def test_to_frame(hp):
    org, report, outcome = hp
    df = org.to_frame()
    assert len(df) == 214 and set(df["kind"]) >= {"department", "branch", "division"}
    assert df.loc[df["id"] == "hp-noi-vu-tccb", "province_class"].item() == "I"
    assert report.to_frame()["unit"].tolist().count("hp-tttt-qlnn") == 1
    lead = outcome.to_frame()
    assert lead["surplus"].sum() + outcome.ledger.dissolved_leaders == 52
    d = outcome.diff.to_frame()
    assert (d["status"] == "closed").sum() == 30


def test_to_frame_without_pandas_names_the_extra(monkeypatch, hp):
    import builtins

    real = builtins.__import__

    def no_pandas(name, *a, **k):
        if name == "pandas":
            raise ImportError("no pandas")
        return real(name, *a, **k)

    monkeypatch.setattr(builtins, "__import__", no_pandas)
    with pytest.raises(ImportError, match=r"orgmodel\[pandas\]"):
        hp[0].to_frame()


def test_chart_marks_merged_removed_and_flagged(hp, tmp_path):
    org, report, outcome = hp
    svg = om.outcome_chart(outcome).svg
    assert svg.startswith("<svg") and ">Before<" in svg and ">After<" in svg
    assert "struck" in svg  # the two dissolved branches
    assert "merged from 2" in svg
    assert 'class="flag"' in svg  # the violations before the plan
    single = om.org_chart(org, violations=report.violations).svg
    assert single.count('class="flag">!') == 5 + 1  # five units, and the legend
    out = tmp_path / "c.svg"
    assert main(["chart", str(HAIPHONG), "--plan", str(HP_PLAN), "--out", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("<svg")
    assert main(["chart", str(QUANGNINH), "--out", str(out), "--depth", "2"]) == 0
    assert "below" in out.read_text(encoding="utf-8")


def test_schema_validates_the_examples(capsys):
    schemas = {}
    for which in ("org", "plan"):
        assert main(["schema", which]) == 0
        schemas[which] = json.loads(capsys.readouterr().out)
    org_schema, plan_schema = schemas["org"], schemas["plan"]
    for f in sorted(EXAMPLES.glob("*/*.yaml")):
        data = yaml_rs.loads(f.read_text(encoding="utf-8"), parse_datetime=False)
        schema = plan_schema if data["format"] == "orgmodel-plan/1" else org_schema
        jsonschema.validate(data, schema)
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(
            {"format": "orgmodel/1", "units": [{"id": "a", "kind": "sở", "name": "A"}]}, org_schema
        )


def test_html_report_is_self_contained(tmp_path):
    out = tmp_path / "report.html"
    code = main(["simulate", str(HAIPHONG), str(HP_PLAN), "--format", "html", "--out", str(out)])
    assert code == 0
    html = out.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>")
    assert "<svg" in html and "214 → 184 (removed 30)" in html
    assert "http://" not in html.replace("http://www.w3.org/2000/svg", "")
    assert "https://" not in html and "<script" not in html and "<link" not in html


CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
# headless, offline: without the networking flags Chromium keeps trying hosts it cannot reach
HEADLESS = [
    CHROMIUM or "chromium",
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


@pytest.mark.skipif(CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it)")
def test_html_report_renders_in_headless_chromium(tmp_path):
    out = tmp_path / "report.html"
    main(["simulate", str(HAIPHONG), str(HP_PLAN), "--format", "html", "--out", str(out)])
    r = subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile'}",
            "--dump-dom",
            out.as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    dom = r.stdout
    assert "214 → 184 (removed 30)" in dom
    assert "Violations the plan cures" in dom and "hp-tttt-qlnn" in dom
    assert "<svg" in dom
    shot = tmp_path / "shot.png"
    subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp_path / 'profile2'}",
            "--window-size=1200,900",
            f"--screenshot={shot}",
            out.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        cwd=tmp_path,
    )
    assert shot.exists() and shot.stat().st_size > 10_000


# -- the report to forward (issue 11): charts, tables, the ledger ----------------------------
def _boxes(svg: str):
    """Each unit's box in a chart: its tooltip, the lines of its name, its figures."""
    import xml.etree.ElementTree as ET

    ns = "{http://www.w3.org/2000/svg}"
    root = ET.fromstring(svg)
    for g in root.iter(f"{ns}g"):
        rect = g.find(f"{ns}rect")
        if rect is None:
            continue
        names = [t for t in g.findall(f"{ns}text") if "name" in t.get("class", "")]
        info = next(t for t in g.findall(f"{ns}text") if t.get("class") == "info")
        yield g.findtext(f"{ns}title"), rect, names, info


@settings(max_examples=25, deadline=None)
@given(
    st.lists(
        st.text(
            alphabet="ẮẰẲẴẶĂẤẦẨẪẬÂÁÀẢÃẠĐÉÈẺẼẸÊỀỂỄỆ ươơứừửữựộổỗốồWMmw thuộcChiụ",
            min_size=1,
            max_size=120,
        ).filter(lambda s: s.strip()),
        min_size=1,
        max_size=6,
    )
)
def test_chart_names_never_run_into_the_figures(names):
    from orgmodel._chart import INFO_PX, NAME_PX, text_width

    units = [om.Unit(id="root", kind="peoples_committee", level="province", name="Ủy ban")]
    units += [
        om.Unit(id=f"u{i}", kind="department", parent="root", name=n, civil_servants=12345)
        for i, n in enumerate(names)
    ]
    svg = om.org_chart(om.Org(units, name="x", as_of=None)).svg
    for tip, rect, lines, info in _boxes(svg):
        x, w = float(rect.get("x")), float(rect.get("width"))
        right = x + w - 6
        shown = " ".join(t.text or "" for t in lines)
        full = tip.split("\n")[0]
        assert shown == " ".join(full.split()) or shown.endswith("…")  # whole, or marked cut
        info_left = right - text_width(info.text, INFO_PX)
        for t in lines:
            end = float(t.get("x")) + text_width(t.text or "", NAME_PX)
            same_line = t.get("y") == info.get("y")
            assert end <= (info_left if same_line else right) + 0.5


def test_chart_long_names_wrap_and_the_legend_is_whole(hp):
    from orgmodel._chart import NAME_PX, text_width

    outcome = hp[2]
    svg = om.outcome_chart(outcome).svg
    long = "Phòng 1 thuộc Chi cục Quản lý chất lượng nông lâm sản và thủy sản"
    tips = [b[0] for b in _boxes(svg)]
    assert any(t.startswith(long + "\n") for t in tips)  # the whole name on hover
    width = float(re.search(r'width="(\d+)"', svg).group(1))
    legend = re.findall(r'<text x="(\d+)" y="\d+">([^<]+)</text>', svg)
    assert {"dissolved", "merged", "new", "changed", "breaks a rule"} <= {t for _x, t in legend}
    for x, t in legend:
        assert int(x) + text_width(t, NAME_PX) <= width
    with using("vi"):
        vi = om.outcome_chart(outcome).svg
    assert "giải thể" in vi and "vi phạm quy định" in vi and "Sở Nội vụ" in vi
    assert "lãnh đạo:" in vi  # the tooltips too


def test_chart_out_is_svg_or_html_or_refused(tmp_path, capsys):
    png = tmp_path / "c.png"
    for lang, words in (("en", "PNG and other formats are not supported"), ("vi", "không hỗ trợ")):
        assert main(["chart", str(HAIPHONG), "--out", str(png), "--lang", lang]) == 2
        assert words in capsys.readouterr().err
    assert not png.exists()
    page = tmp_path / "c.html"
    assert main(["chart", str(HAIPHONG), "--plan", str(HP_PLAN), "--out", str(page)]) == 0
    html = page.read_text(encoding="utf-8")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") > 1  # one strip a page


def test_html_tables_show_names_explain_columns_and_the_ledger_reads_right(hp):
    from orgmodel._page import outcome_page

    outcome = hp[2]
    page = outcome_page(outcome)
    # names, the id under them and on hover
    assert "<span title='hp-tttt-phap-che'>Phòng Pháp chế - Quản lý chuyên ngành</span>" in page
    for col in ("carried", "legal", "held", "surplus", "no post", "above max", "vacant"):
        assert f"<b>{col}</b>: " in page, col
    assert "<b>cs</b>: civil servants" in page and "<b>ld</b>: leaders" in page
    # each "of which" line right under the figure it splits, one level deeper
    rows = re.findall(r"<tr><td( class='of2?')?>([^<]+)</td><td class='n'>([^<]+)</td>", page)
    labels = [(css, label) for css, label, _v in rows]
    i = labels.index(("", "surplus leadership posts"))
    assert labels[i + 1] == (" class='of'", "of which posts held above the legal maximum")
    assert labels[i + 2] == (" class='of'", "of which leaders who keep no post")
    assert labels[i + 3] == (" class='of2'", "of which leaders of dissolved units")
    assert rows[i + 3][2] == "4" and rows[i][2] == "52"
    # the title once, the closing note self-contained
    from orgmodel._escape import html as escape

    assert page.count(escape(outcome.plan.name)) == 2  # <title> and <h1>
    assert "docs/" not in page and f"orgmodel {om.__version__}" in page
    assert "@page{size:A4" in page and "break-before:page" in page


def test_national_report_page_opens_collapsed_and_stays_small():
    from orgmodel._page import report_page

    big, _plan = om.synth(20_000, seed=3)
    page = report_page(big, om.check(big))
    assert len(page) < 600_000
    assert page.count("<details") > page.count("<details open") + 5  # provinces closed
    assert "units below" in page
