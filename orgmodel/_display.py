"""How models and results show themselves: HTML in Jupyter, rich renderables in a terminal.

The display methods are attached to the domain classes from here (`install`), so that the model,
the rules and the simulation know nothing of screens. Output is capped: a national model shows
its totals and top levels, not 100,000 rows.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from ._diff import Diff
from ._model import Org
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


def _table(header: list[str], rows: list[list[Any]], numeric: set[int] | None = None) -> str:
    numeric = numeric or set()
    out = ["<table><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr>"]
    for r in rows[:MAX_ROWS]:
        out.append(
            "<tr>"
            + "".join(
                f"<td class='n'>{escape(str(c))}</td>" if i in numeric else f"<td>{c}</td>"
                for i, c in enumerate(r)
            )
            + "</tr>"
        )
    out.append("</table>")
    if len(rows) > MAX_ROWS:
        out.append(f"<p class='dim'>… and {len(rows) - MAX_ROWS:,} more rows</p>")
    return "".join(out)


def _depth_fitting(org: Org, cap: int) -> int:
    """The deepest level whose units, with all above, fit in `cap`."""
    count: Counter[int] = Counter()
    depth: dict[str | None, int] = {None: -1}
    for u in org.units:
        depth[u.id] = depth[u.parent] + 1
        count[depth[u.id]] += 1
    total, level = 0, 0
    for d in sorted(count):
        total += count[d]
        if total > cap:
            break
        level = d + 1
    return max(level, 1)


def org_html(org: Org) -> str:
    tot = org.totals()
    kinds = Counter(u.kind.value for u in org)
    head = f"<b>{escape(org.name or '(unnamed model)')}</b>" + (
        f" <span class='dim'>as of {org.as_of}</span>" if org.as_of else ""
    )
    summary = _table(
        ["units (focal points)", "civil servants", "leadership posts", "public employees"],
        [
            [
                f"{tot.units:,}",
                f"{tot.civil_servants:,}",
                f"{tot.leadership_posts:,}",
                f"{tot.public_employees:,}",
            ]
        ],
        {0, 1, 2, 3},
    )
    by_kind = ", ".join(f"{k} {n:,}" for k, n in sorted(kinds.items()))
    max_depth = _depth_fitting(org, MAX_TREE)
    sub_cs: dict[str, int] = {u.id: u.civil_servants for u in org.units}
    sub_n: dict[str, int] = {u.id: 1 for u in org.units}
    for u in reversed(org.units):
        if u.parent is not None:
            sub_cs[u.parent] += sub_cs[u.id]
            sub_n[u.parent] += sub_n[u.id]

    def node(uid: str, depth: int) -> str:
        u = org[uid]
        label = (
            f"{escape(u.name)} <span class='dim'>[{u.kind.value}] {escape(u.id)} · cs "
            f"{u.civil_servants}, leaders {u.leaders}</span>"
        )
        kids = org.child_ids(uid)
        if not kids:
            return f"<li>{label}</li>"
        if depth + 1 >= max_depth:
            return (
                f"<li>{label} <span class='dim'>… {sub_n[uid] - 1:,} units below, cs "
                f"{sub_cs[uid]:,}</span></li>"
            )
        return f"<li>{label}<ul>{''.join(node(c, depth + 1) for c in kids)}</ul></li>"

    tree = "<ul>" + "".join(node(r, 0) for r in org.child_ids(None)) + "</ul>"
    return f"<div class='om'>{_CSS}{head}{summary}<p class='dim'>{by_kind}</p>{tree}</div>"


def _violation_rows(vs: tuple[Violation, ...]) -> list[list[Any]]:
    return [
        [
            escape(v.unit),
            "-" if v.actual is None else v.actual,
            "-" if v.limit is None else v.limit,
            escape(v.message),
            escape(f"{v.rulebook} {v.rule} — {v.citation}")
            + ("" if v.verified else " <i>(unverified)</i>"),
        ]
        for v in vs
    ]


_VHEAD = ["unit", "actual", "limit", "what is wrong", "the law"]


def report_html(report: Report) -> str:
    head = (
        f"<b>Staffing check</b> <span class='dim'>{escape(', '.join(report.rulebooks))}; "
        f"as of {report.as_of}; {report.units_checked:,} units</span>"
    )
    if report.ok:
        return f"<div class='om'>{_CSS}{head}<p class='ok'>Complies: no violations.</p></div>"
    n = len(report.violations)
    return (
        f"<div class='om'>{_CSS}{head}<p class='bad'>{n:,} violation{'s' * (n != 1)}</p>"
        f"{_table(_VHEAD, _violation_rows(report.violations), {1, 2})}</div>"
    )


def outcome_html(o: Outcome) -> str:
    from ._render import _figures

    parts = [
        f"<b>{escape(o.plan.name or 'Restructuring plan')}</b> <span class='dim'>"
        f"{escape(', '.join(o.rulebooks) or 'no rulebook in force')}; effective "
        f"{o.after.as_of}; {len(o.plan.steps):,} steps</span>",
        _table(["figure", "value"], [[escape(k), escape(v)] for k, v in _figures(o)], {1}),
    ]
    if o.ledger.leadership:
        rows = [
            [
                escape(x.unit),
                x.carried,
                x.legal_posts,
                x.held,
                x.surplus,
                x.without_post,
                x.above_legal_maximum,
                x.vacant_legal_posts,
            ]
            for x in o.ledger.leadership
        ]
        parts.append(
            "<p><b>Leadership in the units the plan touches</b></p>"
            + _table(
                ["unit", "carried", "legal", "held", "surplus", "no post", "above max", "vacant"],
                rows,
                set(range(1, 8)),
            )
        )
    for label, vs in (
        ("Violations the plan introduces", o.introduced),
        ("Violations the plan cures", o.cured),
        ("Violations that remain", o.remaining),
    ):
        if vs:
            parts.append(f"<p><b>{label}</b></p>" + _table(_VHEAD, _violation_rows(vs), {1, 2}))
    parts += [f"<p class='dim'>{escape(n)}</p>" for n in o.notes]
    parts.append(diff_html(o.diff, title="Changes"))
    return f"<div class='om'>{_CSS}{''.join(parts)}</div>"


def diff_html(d: Diff, title: str = "Before / after") -> str:
    c = d.counts()
    rows = []
    for u in d.units:
        if u.status == "unchanged" and not u.merged_from:
            continue
        what = "; ".join(f"{k}: {_fmt(a)} → {_fmt(b)}" for k, (a, b) in u.changes.items())
        if u.merged_into:
            what = f"merged into {u.merged_into}"
        if u.merged_from:
            what = (what + "; " if what else "") + "from " + ", ".join(u.merged_from)
        rows.append([u.status, escape(f"{u.name} ({u.id})"), escape(what)])
    return (
        f"<div class='om'>{_CSS}<p><b>{escape(title)}</b>: new {c['new']:,}, changed "
        f"{c['changed']:,}, closed {c['closed']:,}, unchanged {c['unchanged']:,}</p>"
        f"{_table(['status', 'unit', 'what changed'], rows)}</div>"
    )


def _fmt(v: Any) -> str:
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return str(getattr(v, "value", v))


def _rich_org(org: Org) -> Any:
    from ._render import org_tree

    return org_tree(org, max_depth=None if len(org) <= MAX_TREE else _depth_fitting(org, MAX_TREE))


def install() -> None:
    """Give the domain classes their notebook and terminal faces."""
    from ._render import diff_view, outcome_view, report_table

    Org._repr_html_ = org_html  # type: ignore[attr-defined]
    Org.__rich__ = _rich_org  # type: ignore[attr-defined]
    Report._repr_html_ = report_html  # type: ignore[attr-defined]
    Report.__rich__ = report_table  # type: ignore[attr-defined]
    Outcome._repr_html_ = outcome_html  # type: ignore[attr-defined]
    Outcome.__rich__ = outcome_view  # type: ignore[attr-defined]
    Diff._repr_html_ = diff_html  # type: ignore[attr-defined]
    Diff.__rich__ = diff_view  # type: ignore[attr-defined]
