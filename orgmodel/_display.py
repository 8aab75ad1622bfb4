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
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from ._chart import depth_fitting
from ._diff import Diff
from ._escape import html as escape
from ._i18n import (
    _,
    basis_sentence,
    day_text,
    kind_label,
    language,
    number,
    pair_label,
    violation_message,
)
from ._model import Org
from ._render import (
    _GROUPS,
    _LEAD_COLS,
    _names,
    _plan_head,
    _status_word,
    change_text,
    citation_of,
    fates,
    leadership_figures,
    status_text,
    verdict_text,
)
from ._rules import Report, Violation
from ._simulate import Outcome

MAX_ROWS = 100  # rows shown in any HTML table before "... and N more" (in a notebook)
# rows a table shows here: MAX_ROWS in a notebook; a page says (`rows_shown`), None = every row
_ROWS: ContextVar[int | None] = ContextVar("orgmodel_html_rows", default=MAX_ROWS)


@contextmanager
def rows_shown(limit: int | None) -> Iterator[None]:
    """Inside the block, HTML tables show their first `limit` rows (None: every row)."""
    token = _ROWS.set(limit)
    try:
        yield
    finally:
        _ROWS.reset(token)


MAX_TREE = 300  # units shown in an HTML tree before collapsing deeper levels

_CSS = (
    "<style>.om table{border-collapse:collapse;margin:4px 0}.om td,.om th{border:1px solid #ccc;"
    "padding:2px 6px;text-align:left;vertical-align:top}.om .n{text-align:right}"
    ".om .bad{color:#b00}.om .ok{color:#070}.om .dim{color:#777}.om ul{margin:0;"
    "padding-left:18px}.om .id{color:#777;font-size:85%;overflow-wrap:anywhere}"
    ".om td.of{padding-left:22px}.om td.of2{padding-left:40px}.om .legend{color:#555;"
    "font-size:85%;margin:2px 0 10px;max-width:60em}.om .tree,.om .tree ul{list-style:none;"
    "padding-left:16px}.om .tree summary{cursor:pointer}.om .leaf{padding-left:14px}"
    ".om .mark{font-size:85%;padding:0 4px;border-radius:3px}.om .m-merged{background:#e6f0ff}"
    ".om .m-new{background:#e7f7ea}.om .m-changed{background:#fff7db}"
    ".om .m-flag{color:#d00000;font-weight:bold}</style>"
)


class Html(str):
    """A text already written as HTML (its data escaped): `_table` puts it in as it is."""

    __slots__ = ()


def _cell(c: Any) -> str:
    return c if isinstance(c, Html) else escape(str(c))


def _table(
    header: list[str],
    rows: list[list[Any]],
    numeric: set[int] | None = None,
    legend: list[tuple[str, str]] | None = None,
) -> str:
    """An HTML table; every cell is escaped but an `Html` one. `legend`: (term, meaning) pairs
    explained under the table, both already in the current language."""
    numeric = numeric or set()
    out = [
        "<table><thead><tr>" + "".join(f"<th>{escape(h)}</th>" for h in header) + "</tr></thead>"
    ]
    limit = _ROWS.get()
    shown = rows if limit is None else rows[:limit]
    for r in shown:
        cells = (
            f"<td class='n'>{_cell(c)}</td>" if i in numeric else f"<td>{_cell(c)}</td>"
            for i, c in enumerate(r)
        )
        out.append("<tr>" + "".join(cells) + "</tr>")
    out.append("</table>")
    if len(shown) < len(rows):
        more = _("and {n} more", n=number(len(rows) - len(shown), language()))
        out.append(f"<p class='dim'>… {escape(more)}</p>")
    if legend:
        out.append(_legend(legend))
    return "".join(out)


def _legend(pairs: list[tuple[str, str]]) -> str:
    """'term: meaning; term: meaning.' under a table."""
    text = "; ".join(f"<b>{escape(t)}</b>: {escape(m)}" for t, m in pairs)
    return f"<p class='legend'>{text}.</p>"


def unit_cell(name: str, uid: str) -> Html:
    """A unit in a table: its name, and its id under it (and on hover)."""
    return Html(
        f"<span title='{escape(uid)}'>{escape(name)}</span><br><span class='id'>"
        f"{escape(uid)}</span>"
    )


def _n(x: int) -> str:
    return number(x, language())


def tree_html(
    org: Org,
    *,
    open_rows: int = 40,
    max_units: int = MAX_TREE,
    marks: dict[str, tuple[str, str, str]] | None = None,
    flags: dict[str, int] | None = None,
) -> str:
    """The structure as a collapsible outline in plain HTML (nested ``<details>``, no script):
    open down to the level where at most `open_rows` units show, written down to the level where
    at most `max_units` do (below that, how many units and civil servants the branch holds).
    `marks`: unit id -> (css class, short mark, tooltip); `flags`: unit id -> findings."""
    marks = marks or {}
    flags = flags or {}
    max_depth = depth_fitting(org, max_units) if len(org) > max_units else None
    open_depth = depth_fitting(org, open_rows) if len(org) > open_rows else None
    sub_cs: dict[str, int] = {u.id: u.civil_servants for u in org.units}
    sub_n: dict[str, int] = {u.id: 1 for u in org.units}
    for u in reversed(org.units):
        if u.parent is not None:
            sub_cs[u.parent] += sub_cs[u.id]
            sub_n[u.parent] += sub_n[u.id]
    cs, ld = escape(_("cs")), escape(_("ld"))

    def label(uid: str) -> str:
        u = org[uid]
        out = (
            f"<span title='{escape(u.id)}'>{escape(u.name)}</span> <span class='dim'>"
            f"[{escape(kind_label(u.kind.value))}] {cs} {_n(u.civil_servants)} · "
            f"{_n(u.leaders)} {ld}</span>"
        )
        if uid in marks:
            css, mark, tip = marks[uid]
            out += f" <span class='mark {css}' title='{escape(tip)}'>{escape(mark)}</span>"
        if flags.get(uid):
            tip = _("breaks a rule")
            out += f" <span class='mark m-flag' title='{escape(tip)}'>!</span>"
        return out

    def node(uid: str, depth: int) -> str:
        kids = org.child_ids(uid)
        if not kids:
            return f"<li class='leaf'>{label(uid)}</li>"
        if max_depth is not None and depth + 1 >= max_depth:
            below = _(
                "{n} units below, {cs} {m}",
                n=_n(sub_n[uid] - 1),
                cs=_("cs"),
                m=_n(sub_cs[uid] - org[uid].civil_servants),
            )
            return f"<li class='leaf'>{label(uid)} <span class='dim'>… {escape(below)}</span></li>"
        is_open = " open" if open_depth is None or depth + 1 < open_depth else ""
        inner = "".join(node(c, depth + 1) for c in kids)
        return (
            f"<li><details{is_open}><summary>{label(uid)}</summary><ul>{inner}</ul></details></li>"
        )

    roots = "".join(node(r, 0) for r in org.child_ids(None))
    return f"<ul class='tree'>{roots}</ul>"


def _tree_legend(org: Org) -> str:
    pairs = [
        (_("cs"), _("civil servants")),
        (_("ld"), _("leaders (head + deputies)")),
        ("[…]", _("the kind of unit")),
    ]
    return _legend(pairs)


def org_html(org: Org) -> str:
    tot = org.totals()
    kinds = Counter(u.kind.value for u in org)
    head = f"<b>{escape(org.name or _('(unnamed model)'))}</b>"
    if org.as_of:
        day = day_text(org.as_of, language())
        head += f" <span class='dim'>{escape(_('as of'))} {escape(day)}</span>"
    cols = ["units (focal points)", "civil servants", "leadership posts", "public employees"]
    figures = [tot.units, tot.civil_servants, tot.leadership_posts, tot.public_employees]
    summary = _table([_(c) for c in cols], [[_n(n) for n in figures]], {0, 1, 2, 3})
    by_kind = ", ".join(f"{kind_label(k)} {_n(n)}" for k, n in sorted(kinds.items()))
    tree = tree_html(org)
    return (
        f"<div class='om'>{_CSS}{head}{summary}<p class='dim'>{escape(by_kind)}</p>{tree}"
        f"{_tree_legend(org)}</div>"
    )


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
                unit_cell(v.path[-1] if v.path else v.unit, v.unit),
                "-" if v.actual is None else _n(v.actual),
                "-" if v.limit is None else _n(v.limit),
                violation_message(v),
                Html(law),
            ]
        )
    return rows


def _vhead() -> list[str]:
    return [_(c) for c in ("unit", "actual", "limit", "what is wrong", "the law")]


def _vlegend() -> list[tuple[str, str]]:
    return [
        (_("actual"), _("the unit's figure the rule measures")),
        (_("limit"), _("the figure the rule allows or requires")),
        (_("the law"), _("the rulebook, the rule and the article it comes from")),
    ]


def report_html(report: Report, *, heading: bool = True) -> str:
    """A check report as HTML; `heading=False` leaves out its title (the page has it)."""
    day = day_text(report.as_of, language()) if report.as_of else "-"
    about = (
        f"{_('Rulebooks')}: {', '.join(report.rulebooks) or '-'}; {_('as of')} {day}; "
        f"{_n(report.units_checked)} {_('units checked')}"
    )
    head = f"<span class='dim'>{escape(about)}</span>"
    if heading:
        head = f"<b>{escape(_('Staffing check'))}</b> " + head
    if not report.violations:
        verdict = escape(_("Complies: no violations."))
        return f"<div class='om'>{_CSS}{head}<p class='ok'>{verdict}</p></div>"
    verdict = escape(str(verdict_text(report)))
    table = _table(_vhead(), _violation_rows(report.violations), {1, 2}, _vlegend())
    css = "ok" if report.ok else "bad"
    return f"<div class='om'>{_CSS}{head}<p class='{css}'>{verdict}</p>{table}</div>"


def ledger_lines(o: Outcome) -> list[tuple[int, str, str]]:
    """The ledger as (depth, label, value): each "of which" line right under the figure it
    splits, one level deeper."""
    led = o.ledger
    lang = language()
    of = _("of which")
    lines: list[tuple[int, str, str]] = [
        (
            0,
            _("focal points"),
            f"{_n(led.focal_points_before)} → {_n(led.focal_points_after)} "
            f"({_('removed')} {_n(led.removed_focal_points)})",
        ),
    ]
    for k, v in led.removed_by_kind_under_parent.items():
        lines.append((1, pair_label(k), "−" + _n(v) if v > 0 else "+" + _n(-v)))
    lines += [
        (
            0,
            _("civil servants"),
            f"{_n(led.civil_servants_before)} → {_n(led.civil_servants_after)} "
            f"({_('released')} {_n(led.civil_servants_released)}, "
            f"{_('created')} {_n(led.civil_servants_created)})",
        ),
        (0, _("surplus leadership posts"), _n(led.surplus_leadership_posts)),
        (1, f"{of} {_('posts held above the legal maximum')}", _n(led.posts_above_legal_maximum)),
    ]
    if led.posts_in_transition:
        until = "; ".join(
            f"{_n(n)} {_('until')} {day_text(d, lang)}" for d, n in led.transitions.items()
        )
        lines.append(
            (2, f"{of} {_('lawful in a transition')}", f"{_n(led.posts_in_transition)} ({until})")
        )
    lines += [
        (1, f"{of} {_('leaders who keep no post')}", _n(led.leaders_without_post)),
        (2, f"{of} {_('leaders of dissolved units')}", _n(led.dissolved_leaders)),
        (0, _("legal leadership posts left vacant"), _n(led.vacant_legal_posts)),
        (
            0,
            _("deputy posts above a limit, lawful in a transition"),
            _n(o.posts_in_transition)
            + "".join(
                f"; {_n(n)} {_('until')} {day_text(d, lang)}"
                for d, n in o.deputies_in_transition.items()
            ),
        ),
        (
            0,
            _("violations introduced / cured / remaining"),
            f"{_n(len(o.introduced))} / {_n(len(o.cured))} / {_n(len(o.remaining))}",
        ),
    ]
    return lines


def _ledger_html(o: Outcome) -> str:
    rows = []
    for depth, label, value in ledger_lines(o):
        css = {0: "", 1: " class='of'", 2: " class='of2'"}[min(depth, 2)]
        rows.append(f"<tr><td{css}>{escape(label)}</td><td class='n'>{escape(value)}</td></tr>")
    head = f"<thead><tr><th>{escape(_('figure'))}</th><th>{escape(_('value'))}</th></tr></thead>"
    legend = _legend(
        [
            (_("focal points"), _("organizational units (đầu mối)")),
            (_("released"), _("civil-servant posts the plan drops")),
            (_("created"), _("posts it adds")),
            (
                _("surplus leadership posts"),
                _(
                    "leaders carried into a unit beyond its legal posts (1 head + the maximum "
                    "deputies), plus the leaders of dissolved units"
                ),
            ),
        ]
    )
    return f"<table class='ledger'>{head}{''.join(rows)}</table>{legend}"


def _lead_legend() -> list[tuple[str, str]]:
    words = {
        "carried": "leaders (heads and deputies) carried into the unit: its own and those of the "
        "units merged into it",
        "legal": "legal posts: 1 head + the maximum deputies the rule allows",
        "held": "head and deputies it holds after the plan",
        "surplus": "leaders carried beyond the legal posts",
        "no post": "leaders who keep no leadership post",
        "above max": "posts held above the legal maximum",
        "vacant": "legal posts no carried leader fills",
    }
    return [(_(k), _(v)) for k, v in words.items()]


def outcome_html(o: Outcome, *, heading: bool = True) -> str:
    """A simulation outcome as HTML; `heading=False` leaves out its title (the page has it)."""
    return f"<div class='om'>{_CSS}{''.join(outcome_sections(o, heading=heading))}</div>"


def outcome_sections(o: Outcome, *, heading: bool = True) -> list[str]:
    """The parts of an outcome's HTML, one per section: the figures (the ledger and the leadership
    table), the violations, the changes (the page puts a page break between them)."""
    head = f"<span class='dim'>{escape(_plan_head(o))}</span>"
    if heading:
        head = f"<b>{escape(o.plan.name or _('Restructuring plan'))}</b> " + head
    notes = "".join(f"<p class='dim'>{escape(n.text(language()))}</p>" for n in o.notes)
    parts = [f"<p>{head}</p>{_ledger_html(o)}{notes}"]
    if o.ledger.leadership:
        rows = [
            [unit_cell(x.name, x.unit), *(_n(n) for n in leadership_figures(x))]
            for x in o.ledger.leadership
        ]
        cols = [_("unit"), *(_(c) for c in _LEAD_COLS)]
        parts[0] += f"<h2>{escape(_('Leadership in the units the plan touches'))}</h2>" + _table(
            cols, rows, set(range(1, 8)), _lead_legend()
        )
    groups = []
    for label, attr, _style in _GROUPS:
        vs = getattr(o, attr)
        if vs:
            groups.append(f"<h2>{escape(_(label))}</h2>")
            groups.append(_table(_vhead(), _violation_rows(vs), {1, 2}, _vlegend()))
    if groups:
        parts.append("".join(groups))
    parts.append(diff_html(o.diff, title=_("Changes"), inner=True, fates=fates(o), names=_names(o)))
    return parts


def diff_html(
    d: Diff,
    title: str | None = None,
    *,
    inner: bool = False,
    fates: dict[str, tuple[str, str | None]] | None = None,
    names: dict[str, str] | None = None,
) -> str:
    """The changes as an HTML table. `fates` (a simulation's `fates(outcome)`) words a closed
    unit by what the plan did to it (merged, absorbed into, dissolved and where its staff went);
    `names` gives the unit a change points to by its name."""
    c = d.counts()
    names = names if names is not None else {u.id: u.name for u in d.units}
    rows: list[list[Any]] = [
        [
            _status_word(u, fates),
            unit_cell(u.name, u.id),
            change_text(u, diff=d, fates=fates, names=names),
        ]
        for u in d.notable
    ]
    counts = ", ".join(f"{_(k)} {_n(c[k])}" for k in ("new", "changed", "closed", "unchanged"))
    head = [_("status"), _("unit"), _("what changed")]
    legend = [
        (_("new"), _("a unit the plan creates")),
        (_("changed"), _("a unit whose figures, name or place change")),
        (_("closed"), _("a unit that no longer exists after the plan")),
        (_("unchanged"), _("units the plan leaves as they were (not listed)")),
    ]
    body = (
        f"<h2>{escape(title or _('Before / after'))}</h2><p>{escape(counts)}</p>"
        f"{_table(head, rows, legend=legend)}"
    )
    return body if inner else f"<div class='om'>{_CSS}{body}</div>"


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
