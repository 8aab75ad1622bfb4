"""Self-contained HTML pages (one file, no external resources) that open offline anywhere.

Every text goes through `escape` (`orgmodel._escape.html`); the page has no script and no link.
"""

from __future__ import annotations

from ._chart import org_chart, outcome_chart
from ._display import outcome_html, report_html
from ._escape import html as escape
from ._i18n import FOOTER, _, language
from ._model import Org
from ._rules import Report
from ._simulate import Outcome

_PAGE_CSS = (
    "body{font-family:'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;margin:24px;color:#222}"
    "h1{font-size:20px}h2{font-size:16px;margin-top:28px}.chart{overflow:auto;border:1px solid"
    " #ddd;padding:8px}footer{margin-top:32px;color:#777;font-size:12px}"
)


def _page(title: str, body: str) -> str:
    return (
        f'<!DOCTYPE html>\n<html lang="{language()}"><head><meta charset="utf-8">'
        f"<title>{escape(title)}</title><style>{_PAGE_CSS}</style></head><body>"
        f"<h1>{escape(title)}</h1>{body}<footer>{escape(_(FOOTER))}</footer></body></html>\n"
    )


def outcome_page(outcome: Outcome, *, max_depth: int | None = None) -> str:
    """The shareable report of a simulation: figures, chart, violations, the diff."""
    chart = outcome_chart(outcome, max_depth=max_depth).svg
    body = (
        f"{outcome_html(outcome)}<h2>{escape(_('Organization chart, before and after'))}</h2>"
        f"<div class='chart'>{chart}</div>"
    )
    return _page(outcome.plan.name or _("Restructuring plan"), body)


def report_page(org: Org, report: Report, *, max_depth: int | None = None) -> str:
    chart = org_chart(org, violations=report.violations, max_depth=max_depth).svg
    body = (
        f"{report_html(report)}<h2>{escape(_('Organization chart'))}</h2>"
        f"<div class='chart'>{chart}</div>"
    )
    return _page(f"{_('Staffing check')} — {org.name}", body)
