"""How models and results show themselves: HTML in Jupyter, rich renderables in a terminal.

The display methods are attached to the domain classes from here (`install`), so that the model,
the rules and the simulation know nothing of screens. Output is capped: a national model shows
its totals and top levels, not 100,000 rows.

Every text put in the HTML goes through `escape` (`orgmodel._escape.html`: entities for
``& < > " '``, control characters shown as visible escapes), the translated phrases too; a table
cell is escaped by `_table`, except the cells given as `Html` (already written as HTML here).
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from ._chart import depth_fitting
from ._diff import Diff
from ._escape import html as escape
from ._i18n import _, basis_sentence, kind_label, language, violation_message
from ._model import Org
from ._render import (
    _GROUPS,
    _LEAD_COLS,
    _figures,
    _plan_head,
    change_text,
    citation_of,
    leadership_figures,
    status_text,
    verdict_text,
)
from ._rules import Report, Violation
from ._simulate import Outcome

MAX_ROWS = 100  # rows shown in any HTML table before "... and N more"
MAX_TREE = 300  # units shown in an HTML tree before collapsing deeper levels

_CSS = (
    "<style>.om table{border-collapse:collapse;margin:4px 0}.om td,.om th{border:1px solid #ccc;"
    "padding:2px 6px;text-align:left;vertical-align:top}.om .n{text-align:right}"
    ".om .bad{color:#b00}.om .ok{color:#070}.om .dim{color:#777}.om ul{margin:0;"
    "padding-left:18px}</style>"
)


class Html(str):
    """A text already written as HTML (its data escaped): `_table` puts it in as it is."""

    __slots__ = ()


def _cell(c: Any) -> str:
    return c if isinstance(c, Html) else escape(str(c))


def _table(header: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    """An HTML table; every cell is escaped but an `Html` one."""
    numeric = numeric or set()
    out = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"]
    for r in rows[:MAX_ROWS]:
        cells = (
            f"<td class='n'>{_cell(c)}</td>" if i in numeric else f"<td>{_cell(c)}</td>"
            for i, c in enumerate(r)
        )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    if len(rows) > MAX_ROWS:
        more = _("and {n} more", n=f"{len(rows) - MAX_ROWS:,}")
        out.append(f"<p class='dim'>… {escape(more)}</p>")
    return "".join(out)


def org_html(org: Org) -> str:
    tot = org.totals()
    kinds = Counter(u.kind.value for u in org)
    head = f"<b>{escape(org.name or _('(unnamed model)'))}</b>"
    if org.as_of:
        head += f" <span class='dim'>{escape(_('as of'))} {escape(str(org.as_of))}</span>"
    cols = ["units (focal points)", "civil servants", "leadership posts", "public employees"]
    figures = [tot.units, tot.civil_servants, tot.leadership_posts, tot.public_employees]
    summary = _table([_(c) for c in cols], [[f"{n:,}" for n in figures]], {0, 1, 2, 3})
    by_kind = ", ".join(f"{kind_label(k)} {n:,}" for k, n in sorted(kinds.items()))
    max_depth = depth_fitting(org, MAX_TREE)
    sub_cs: dict[str, int] = {u.id: u.civil_servants for u in org.units}
    sub_n: dict[str, int] = {u.id: 1 for u in org.units}
    for u in reversed(org.units):
        if u.parent is not None:
            sub_cs[u.parent] += sub_cs[u.id]
            sub_n[u.parent] += sub_n[u.id]

    def node(uid: str, depth: int) -> str:
        u = org[uid]
        label = (
            f"{escape(u.name)} <span class='dim'>[{escape(kind_label(u.kind.value))}] "
            f"{escape(u.id)} · {escape(_('cs'))} {u.civil_servants}, {escape(_('leaders'))} "
            f"{u.leaders}</span>"
        )
        kids = org.child_ids(uid)
        if not kids:
            return f"<li>{label}</li>"
        if depth + 1 >= max_depth:
            below = f"{sub_n[uid] - 1:,} {_('units below')}, {_('cs')} {sub_cs[uid]:,}"
            return f"<li>{label} <span class='dim'>… {escape(below)}</span></li>"
        return f"<li>{label}<ul>{''.join(node(c, depth + 1) for c in kids)}</ul></li>"

    tree = "<ul>" + "".join(node(r, 0) for r in org.child_ids(None)) + "</ul>"
    return f"<div class='om'>{_CSS}{head}{summary}<p class='dim'>{escape(by_kind)}</p>{tree}</div>"


def _violation_rows(vs: tuple[Violation, ...]) -> list[list[Any]]:
    rows = []
    for v in vs:
        law = escape(f"{v.rulebook} {v.rule} — {citation_of(v)}")
        if not v.verified:
            law += f" <i>{escape(_('(unverified figure)'))}</i>"
        if v.status != "violation":
            law += f"<br><b>{escape(status_text(v))}</b>"
        if v.basis:
            law += f"<br><span class='dim'>{escape(basis_sentence(v.basis, language()))}</span>"
        rows.append(
            [
                v.unit,
                "-" if v.actual is None else v.actual,
                "-" if v.limit is None else v.limit,
                violation_message(v),
                Html(law),
            ]
        )
    return rows


def _vhead() -> list[str]:
    return [_(c) for c in ("unit", "actual", "limit", "what is wrong", "the law")]


def report_html(report: Report) -> str:
    head = (
        f"<b>{escape(_('Staffing check'))}</b> <span class='dim'>"
        + escape(
            f"{', '.join(report.rulebooks)}; {_('as of')} {report.as_of}; "
            f"{report.units_checked:,} {_('units checked')}"
        )
        + "</span>"
    )
    if not report.violations:
        verdict = escape(_("Complies: no violations."))
        return f"<div class='om'>{_CSS}{head}<p class='ok'>{verdict}</p></div>"
    verdict = escape(str(verdict_text(report)))
    table = _table(_vhead(), _violation_rows(report.violations), {1, 2})
    css = "ok" if report.ok else "bad"
    return f"<div class='om'>{_CSS}{head}<p class='{css}'>{verdict}</p>{table}</div>"


def outcome_html(o: Outcome) -> str:
    title = escape(o.plan.name or _("Restructuring plan"))
    figures: list[list[Any]] = [[k, v] for k, v in _figures(o)]
    parts = [
        f"<b>{title}</b> <span class='dim'>{escape(_plan_head(o))}</span>",
        _table([_("figure"), _("value")], figures, {1}),
    ]
    if o.ledger.leadership:
        rows = [[x.unit, *leadership_figures(x)] for x in o.ledger.leadership]
        cols = [_("unit"), *(_(c) for c in _LEAD_COLS)]
        parts.append(f"<p><b>{escape(_('Leadership in the units the plan touches'))}</b></p>")
        parts.append(_table(cols, rows, set(range(1, 8))))
    for label, attr, _style in _GROUPS:
        vs = getattr(o, attr)
        if vs:
            parts.append(f"<p><b>{escape(_(label))}</b></p>")
            parts.append(_table(_vhead(), _violation_rows(vs), {1, 2}))
    parts += [f"<p class='dim'>{escape(n.text(language()))}</p>" for n in o.notes]
    parts.append(diff_html(o.diff, title=_("Changes")))
    return f"<div class='om'>{_CSS}{''.join(parts)}</div>"


def diff_html(d: Diff, title: str | None = None) -> str:
    c = d.counts()
    rows: list[list[Any]] = [[_(u.status), f"{u.name} ({u.id})", change_text(u)] for u in d.notable]
    counts = ", ".join(f"{_(k)} {c[k]:,}" for k in ("new", "changed", "closed", "unchanged"))
    head = [_("status"), _("unit"), _("what changed")]
    return (
        f"<div class='om'>{_CSS}<p><b>{escape(title or _('Before / after'))}</b>: "
        f"{escape(counts)}</p>{_table(head, rows)}</div>"
    )


def _rich_org(org: Org) -> Any:
    from ._render import org_tree

    return org_tree(org, max_depth=None if len(org) <= MAX_TREE else depth_fitting(org, MAX_TREE))


def install() -> None:
    """Give the domain classes their notebook and terminal faces."""
    from ._render import (
        diff_view,
        outcome_markdown,
        outcome_view,
        report_markdown,
        report_table,
    )

    Org._repr_html_ = org_html  # type: ignore[attr-defined]
    Org.__rich__ = _rich_org  # type: ignore[attr-defined]
    Report._repr_html_ = report_html  # type: ignore[attr-defined]
    Report.__rich__ = report_table  # type: ignore[attr-defined]
    Outcome._repr_html_ = outcome_html  # type: ignore[attr-defined]
    Outcome.__rich__ = outcome_view  # type: ignore[attr-defined]
    Diff._repr_html_ = diff_html  # type: ignore[attr-defined]
    Diff.__rich__ = diff_view  # type: ignore[attr-defined]
    # Markdown is a rendering too: the report and outcome get it from here
    Report.to_markdown = report_markdown  # type: ignore[attr-defined]
    Outcome.to_markdown = outcome_markdown  # type: ignore[attr-defined]
