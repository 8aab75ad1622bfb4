"""The report an official forwards: printed to PDF by headless Chromium, read back with pypdf.

The Hai Phong simulation report must come out on A4, in the expected number of pages, with every
figure of the outcome and every long unit name whole in the printed text, and nothing drawn past
the right edge of the page."""

from __future__ import annotations

import re
import shutil
import subprocess
import unicodedata
from pathlib import Path

import pytest

import orgmodel as om
from orgmodel._cli import main
from orgmodel._i18n import using

from .conftest import EXAMPLES, HAIPHONG
from .test_views import HEADLESS

pypdf = pytest.importorskip("pypdf", reason="pypdf is a test extra: pip install -e '.[test]'")

HP_PLAN = EXAMPLES / "haiphong" / "plan-57-2022.yaml"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
A4 = (595.28, 841.89)  # points
HAIPHONG_PAGES = 15  # figures and leadership 2, violations 1, changes 4, outline 1, drawing 7

pytestmark = pytest.mark.skipif(
    CHROMIUM is None, reason="Chromium is not installed (.ci/run installs it with apt)"
)


def print_pdf(html: Path, tmp: Path) -> Path:
    """`html` printed by headless Chromium, offline, without its own header and footer."""
    pdf = html.with_suffix(".pdf")
    subprocess.run(
        [
            *HEADLESS,
            f"--user-data-dir={tmp / ('profile-' + html.stem)}",
            f"--print-to-pdf={pdf}",
            "--no-pdf-header-footer",
            html.as_uri(),
        ],
        capture_output=True,
        timeout=180,
        check=False,
    )
    assert pdf.exists(), "Chromium wrote no PDF"
    return pdf


def flat(text: str) -> str:
    """Text without its white space, composed: pypdf puts spaces and line breaks inside words
    written with Vietnamese diacritics, and a wrapped name spans lines."""
    return re.sub(r"\s+", "", unicodedata.normalize("NFC", text))


@pytest.fixture(scope="module")
def printed(tmp_path_factory: pytest.TempPathFactory) -> dict[str, object]:
    tmp = tmp_path_factory.mktemp("print")
    out = {}
    for lang in ("en", "vi"):
        html = tmp / f"report-{lang}.html"
        argv = ["simulate", str(HAIPHONG), str(HP_PLAN), "--format", "html", "--out", str(html)]
        assert main([*argv, "--lang", lang]) == 0
        out[lang] = pypdf.PdfReader(print_pdf(html, tmp))
    out["outcome"] = om.simulate(om.load(HAIPHONG), om.load_plan(HP_PLAN))
    return out


def test_the_report_prints_on_a4_in_the_expected_pages(printed):
    for lang in ("en", "vi"):
        pages = printed[lang].pages
        assert len(pages) == HAIPHONG_PAGES, lang
        for p in pages:
            w, h = float(p.mediabox.width), float(p.mediabox.height)
            assert abs(w - A4[0]) < 2 and abs(h - A4[1]) < 2


def test_every_figure_and_name_is_printed_whole(printed):
    o = printed["outcome"]
    led = o.ledger
    reader = printed["en"]
    text = flat("\n".join(p.extract_text() for p in reader.pages))
    figures = [
        f"{led.focal_points_before}→{led.focal_points_after}(removed{led.removed_focal_points})",
        f"1,734→1,734(released{led.civil_servants_released},created{led.civil_servants_created})",
        f"surplusleadershipposts{led.surplus_leadership_posts}",
        f"ofwhichleaderswhokeepnopost{led.leaders_without_post}",
        f"ofwhichleadersofdissolvedunits{led.dissolved_leaders}",
        f"violationsintroduced/cured/remaining{len(o.introduced)}/{len(o.cured)}/"
        f"{len(o.remaining)}",
    ]
    for f in figures:
        assert f in text, f
    for x in led.leadership:  # each line of the leadership table, its name whole
        assert flat(f"{x.name}{x.unit}{x.carried}{x.legal_posts}{x.held}{x.surplus}") in text
    longest = max((u.name for u in o.before), key=len)
    assert len(longest) > 50 and flat(longest) in text
    for v in o.cured:
        assert flat(v.unit) in text
    # the title once, the closing note complete, no pointer into the repository
    title = flat(o.plan.name)
    assert text.count(title) == 1
    assert f"Madewithorgmodel{om.__version__}on" in text and "docs/" not in text
    assert flat("Decree 107/2020/ND-CP") in text


def test_nothing_is_drawn_past_the_right_edge(printed):
    for lang in ("en", "vi"):
        starts: list[float] = []

        def visit(text, cm, tm, _font, _size, starts=starts):
            if text.strip():
                starts.append(tm[4] * cm[0] + cm[4])

        for p in printed[lang].pages:
            p.extract_text(visitor_text=visit)
        assert starts and max(starts) < A4[0] - 30 and min(starts) >= 0


def test_the_vietnamese_report_prints_in_vietnamese(printed):
    text = flat("\n".join(p.extract_text() for p in printed["vi"].pages))
    for words in ("Về báo cáo này", "trong đó lãnh đạo của đơn vị giải thể", "1.734 → 1.734"):
        assert flat(words) in text, words
    assert flat("Nghị định 107/2020/NĐ-CP") in text
    with using("vi"):
        assert "Made with" not in text and "Madewith" not in text
