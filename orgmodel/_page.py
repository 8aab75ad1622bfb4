"""Self-contained HTML pages (one file, no external resources) that open offline anywhere and
print cleanly on A4.

Every text goes through `escape` (`orgmodel._escape.html`); the page has no script and no link.
The organization chart is there twice: as a collapsible outline in plain HTML (nested
``<details>``, open down to the top levels, so that a national model opens collapsed) and as the
SVG drawing, cut between rows into page-sized strips so that no row is split by a page break.
The last section says what the figures mean, the date judged, the rulebooks applied, and which
version of orgmodel made the page on which day: the printed page needs nothing else.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ._chart import MAX_ROWS, Chart, depth_fitting, org_chart, outcome_chart
from ._diff import UnitDiff
from ._display import (
    _CSS,
    _legend,
    outcome_sections,
    report_html,
    rows_shown,
    tree_html,
)
from ._escape import html as escape
from ._i18n import _, day_text, instrument_name, language
from ._model import Org
from ._render import change_text
from ._rules import Report
from ._simulate import Outcome

# the printable area of A4 with the margins below, in CSS pixels: 182 mm x 266 mm
PRINT_WIDTH, PRINT_HEIGHT = 688, 1005
# the outline holds the units down to the level where at most this many show (a national model:
# its provinces and their departments, opened to the provinces only)
OUTLINE_UNITS = 2000
# a model too large to draw whole is drawn down to the level where at most this many units show
DRAWING_UNITS = 150

_PAGE_CSS = (
    "body{font-family:'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;margin:24px auto;"
    "max-width:1100px;padding:0 16px;color:#222}h1{font-size:20px}h2{font-size:16px;"
    "margin-top:28px}.om td,.om th{overflow-wrap:break-word}.om .n{white-space:nowrap}"
    ".chart svg{display:block;max-width:100%;height:auto}.drawing>summary,.outline>summary"
    "{font-weight:bold;margin:8px 0}footer{margin-top:32px;color:#444;font-size:13px;"
    "border-top:1px solid #ccc}"
    "@page{size:A4;margin:14mm 14mm 17mm}"
    "@media print{body{margin:0;padding:0;max-width:none;font-size:10pt}"
    ".brk{break-before:page}h1,h2,summary{break-after:avoid}"
    "tr,li,.strip{break-inside:avoid}.strip{break-before:page}thead{display:table-header-group}"
    ".om table{width:100%}.om table.ledger{width:auto}footer{font-size:9pt}}"
)


def _page(title: str, sections: list[str], about: str) -> str:
    body = "".join(
        f"<div class='{'brk' if i else 'first'}'>{s}</div>" for i, s in enumerate(sections)
    )
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title>{_CSS}<style>{_PAGE_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1><div class='om'>{body}</div>{about}</body></html>\n"
    )


def _rulebook_names(ids: tuple[str, ...]) -> list[str]:
    """Each rulebook applied as its instrument and title, in the current language."""
    from ._rules import builtin_rulebooks

    lang = language()
    books = {b.id: b for b in builtin_rulebooks()}
    out = []
    for i in ids:
        b = books.get(i)
        if b is None:
            out.append(i)
            continue
        title = b.title_vi if lang == "vi" and b.title_vi else b.title
        out.append(f"{instrument_name(b.decree, lang)} ({i}): {title}")
    return out


def _about(day: dt.date | None, rulebooks: tuple[str, ...]) -> str:
    """The closing note: what the figures mean, the date judged, the rulebooks, who made it."""
    from . import __version__

    lang = language()
    judged = day_text(day, lang) if day else "-"
    books = "".join(f"<li>{escape(b)}</li>" for b in _rulebook_names(rulebooks))
    made = _(
        "Made with orgmodel {version} on {day}.",
        version=__version__,
        day=day_text(dt.date.today(), lang),
    )
    return (
        f"<footer><h2>{escape(_('About this report'))}</h2>"
        f"<p>{escape(_(MEANING))}</p>"
        f"<p>{escape(_('Judged as of {day}, by the rules of:', day=judged))}</p>"
        f"<ul>{books or '<li>-</li>'}</ul><p>{escape(made)}</p></footer>"
    )


MEANING = (
    "A focal point is an organizational unit. Civil servants are the civil-servant posts "
    "(biên chế); released ones are posts the plan drops, created ones posts it adds. Leaders are "
    "a unit's head and deputies; a unit's legal posts are 1 head and the most deputies the rules "
    "allow. Surplus leadership posts are the leaders carried into a unit beyond its legal posts, "
    "with the leaders of dissolved units. Each finding cites the article it comes from; one "
    "marked unverified carries a figure not yet confirmed from the text of the instrument."
)


def _chart_section(title: str, chart: Chart, outline: str, legend: str) -> str:
    strips = chart.strips(PRINT_HEIGHT * chart.width // PRINT_WIDTH - 80)
    drawing = "".join(f"<div class='strip'>{s}</div>" for s in strips)
    return (
        f"<h2>{escape(title)}</h2>"
        f"<details open class='outline'><summary>{escape(_('Outline (click to open)'))}"
        f"</summary>{outline}{legend}</details>"
        f"<details open class='drawing'><summary>{escape(_('Drawing'))}</summary>"
        f"<div class='chart'>{drawing}</div></details>"
    )


def _outline_legend() -> str:
    return _legend(
        [
            (_("cs"), _("civil servants")),
            (_("ld"), _("leaders (head + deputies)")),
            ("[…]", _("the kind of unit")),
            ("!", _("breaks a rule")),
        ]
    )


def chart_page(chart: Chart, title: str) -> str:
    """A page holding only a chart (`orgmodel chart --out x.html`): it prints on A4, one strip
    of the drawing per page."""
    strips = chart.strips(PRINT_HEIGHT * chart.width // PRINT_WIDTH - 80)
    drawing = "".join(f"<div class='strip'>{s}</div>" for s in strips)
    return _page(title, [f"<div class='chart'>{drawing}</div>"], "")


def outcome_page(
    outcome: Outcome, *, max_depth: int | None = None, limit: int | None = None
) -> str:
    """The shareable report of a simulation: figures, leadership, violations, the changes, the
    chart, and what it all means. Its tables show every row, or their first `limit`."""
    with rows_shown(limit):
        return _outcome_page(outcome, max_depth)


def _outcome_page(outcome: Outcome, max_depth: int | None) -> str:
    if max_depth is None and len(outcome.before) > MAX_ROWS:
        max_depth = depth_fitting(outcome.before, DRAWING_UNITS)
    chart = outcome_chart(outcome, max_depth=max_depth)
    marked: dict[str, UnitDiff] = {}
    for u in outcome.diff.notable:  # a unit not listed is unchanged: no mark
        if u.id in outcome.after and (
            u.merged_from or u.split_from or u.status == "new" or u.status == "changed"
        ):
            marked[u.id] = u
    marks = _Marks(marked)
    flags: dict[str, int] = {}
    for v in outcome.report_after.violations:
        flags[v.unit] = flags.get(v.unit, 0) + 1
    outline = tree_html(outcome.after, marks=marks, flags=flags, max_units=OUTLINE_UNITS)
    sections = [
        *outcome_sections(outcome, heading=False),
        _chart_section(
            _("Organization chart, before and after"), chart, outline, _outline_legend()
        ),
    ]
    about = _about(outcome.report_after.as_of, outcome.rulebooks)
    return _page(outcome.plan.name or _("Restructuring plan"), sections, about)


def _mark(u: UnitDiff) -> tuple[str, str, str]:
    """A unit's mark in the outline: (css class, short mark, tooltip)."""
    if u.merged_from:
        n = len(u.merged_from) + (u.status != "new")
        return ("m-merged", _("merged from {n}", n=n), change_text(u))
    if u.split_from:
        return ("m-merged", _("a part of {n}", n=len(u.split_from)), change_text(u))
    if u.status == "new":
        return ("m-new", _("new"), change_text(u))
    return ("m-changed", _("changed"), change_text(u))


class _Marks(dict[str, tuple[str, str, str]]):
    """Unit id -> its mark in the outline, worded when first read: the outline shows at most
    `OUTLINE_UNITS` units, a national plan marks tens of thousands."""

    def __init__(self, units: dict[str, UnitDiff]) -> None:
        super().__init__(dict.fromkeys(units))  # type: ignore[arg-type]
        self._units = units

    def __getitem__(self, uid: str) -> tuple[str, str, str]:
        v = super().__getitem__(uid)
        if v is None:
            v = _mark(self._units[uid])
            self[uid] = v
        return v

    def get(self, uid: str, default: Any = None) -> Any:
        if uid not in self:
            return default
        return self[uid]

    def values(self) -> Any:
        return [self[k] for k in self]

    def items(self) -> Any:
        return [(k, self[k]) for k in self]


def report_page(
    org: Org, report: Report, *, max_depth: int | None = None, limit: int | None = None
) -> str:
    """The shareable report of a check: the findings, the chart, and what it all means. Its
    table shows every finding, or the first `limit`."""
    with rows_shown(limit):
        return _report_page(org, report, max_depth)


def _report_page(org: Org, report: Report, max_depth: int | None) -> str:
    if max_depth is None and len(org) > MAX_ROWS:
        max_depth = depth_fitting(org, DRAWING_UNITS)
    chart = org_chart(org, violations=report.violations, max_depth=max_depth)
    flags: dict[str, int] = {}
    for v in report.violations:
        flags[v.unit] = flags.get(v.unit, 0) + 1
    sections = [
        report_html(report, heading=False),
        _chart_section(
            _("Organization chart"),
            chart,
            tree_html(org, flags=flags, max_units=OUTLINE_UNITS),
            _outline_legend(),
        ),
    ]
    title = f"{_('Staffing check')} — {org.name}" if org.name else _("Staffing check")
    return _page(title, sections, _about(report.as_of, report.rulebooks))
