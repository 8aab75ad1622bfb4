"""A comparison of plans for people: a rich table for the terminal, Markdown, and an HTML page.

One column per plan (its name, folded when long), one row per figure, the best value of each row
marked (★, bold; in HTML the cell has the class ``best``). Every word goes through the catalog
(`_()`); every text from data (plan names, file paths, the model's name) is escaped for its
target (`orgmodel._escape`). Nothing here prints.
"""

from __future__ import annotations

from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ._compare import SOURCES, Comparison, Figure
from ._escape import html as escape
from ._i18n import _, day_text, instrument_name, kind_label, language
from ._render import _md, _n, _t

STAR = "★"
# the widest a plan's column gets in the terminal: a longer name folds onto more lines
PLAN_WIDTH = 28


def _best_word(f: Figure) -> str:
    return _(f.best) if f.best else ""


def title(c: Comparison) -> str:
    return _("Plans compared")


def judged_line(c: Comparison) -> str:
    """'Judged as of 2025-07-01 (the plans' effective date)'."""
    lang = language()
    return _("Judged as of {day} ({why})", day=day_text(c.day, lang), why=_(SOURCES[c.source]))


def rulebooks_line(c: Comparison) -> str:
    """'In force on that day: Decree 150/2025/ND-CP (decree-150-2025)'."""
    from ._rules import builtin_rulebooks

    lang = language()
    known = {b.id: b for b in builtin_rulebooks()}
    names = [
        f"{instrument_name(known[i].decree, lang)} ({i})" if i in known else i for i in c.rulebooks
    ]
    which = _("Rulebooks given") if c.named else _("In force on that day")
    return f"{which}: {', '.join(names) if names else _('none')}"


def rows(c: Comparison) -> list[tuple[int, str, Figure | None, tuple[int, ...], tuple[int, ...]]]:
    """The table's rows: (depth, label, figure, values, best indexes). A row of depth 1 splits
    the row above it (focal points removed, by kind of unit) and is not judged."""
    out: list[tuple[int, str, Figure | None, tuple[int, ...], tuple[int, ...]]] = []
    for f in c.figures:
        out.append((0, _(f.label), f, c.values(f.key), c.best(f.key)))
        if f.key == "removed_focal_points":
            for kind, vs in c.by_kind().items():
                out.append((1, f"{_('of which')} {kind_label(kind)}", None, vs, ()))
    return out


def legend(c: Comparison) -> str:
    return _(
        "{star} the best value in its row (all tied for it are marked): the most focal points "
        "removed and civil servants released, as streamlining the apparatus and its payroll is "
        "the reform's aim; the most violations cured; the fewest of every other figure.",
        star=STAR,
    )


def meanings(c: Comparison) -> list[tuple[str, str]]:
    """What each row counts: (label, meaning), in the current language."""
    return [(_(f.label), _(f.meaning)) for f in c.figures]


def _plan_lines(c: Comparison) -> list[tuple[str, str, str, str]]:
    """Each plan: name, file, effective date, steps."""
    lang = language()
    return [
        (
            name,
            plan.source or "-",
            day_text(plan.effective, lang) if plan.effective else _("no date"),
            _n(len(plan.steps)),
        )
        for name, plan in zip(c.names, c.plans, strict=True)
    ]


# -- the terminal ------------------------------------------------------------------------
def compare_view(c: Comparison) -> Group:
    """The comparison for the terminal: the title, the day judged and the law, the table, what
    the mark means, the notes, and the plans (file, effective date, steps)."""
    lang = language()
    head = Text.assemble(
        _t(title(c), "bold magenta"),
        *([_t(f"\n{c.org.name}")] if c.org.name else []),
        "\n",
        _t(judged_line(c), "bold"),
        "\n",
        _t(rulebooks_line(c)),
    )
    t = Table(caption=_t(legend(c)), caption_justify="left")
    t.add_column(_("figure"), overflow="fold", max_width=40)
    t.add_column(_("best"), no_wrap=True, style="dim")
    for name in c.names:
        t.add_column(_t(name), justify="right", overflow="fold", max_width=PLAN_WIDTH)
    for depth, label, f, vs, best in rows(c):
        cells = [
            _t(f"{_n(v)} {STAR}", "bold green") if i in best else _t(_n(v))
            for i, v in enumerate(vs)
        ]
        t.add_row(
            _t("  " * depth + label, "" if depth else "bold"),
            _t(_best_word(f) if f else ""),
            *cells,
        )
    plans = Table(title=_("Plans"), title_justify="left")
    plans.add_column(_("plan"), overflow="fold", max_width=60)
    plans.add_column(_("file"), overflow="fold", max_width=40)
    plans.add_column(_("Effective"), no_wrap=True)
    plans.add_column(_("steps"), justify="right")
    for name, file, day, steps in _plan_lines(c):
        plans.add_row(_t(name), _t(file), _t(day), _t(steps))
    notes = [_t(n.text(lang), "dim") for n in c.notes]
    return Group(head, t, *notes, plans)


# -- Markdown ----------------------------------------------------------------------------
def compare_markdown(c: Comparison) -> str:
    lang = language()
    out = [f"# {_md(title(c))}", ""]
    if c.org.name:
        out += [_md(c.org.name), ""]
    out += [f"{_md(judged_line(c))}. {_md(rulebooks_line(c))}.", ""]
    head = " | ".join(_md(n) for n in c.names)
    out += [
        f"| {_md(_('figure'))} | {_md(_('best'))} | {head} |",
        "|---|---|" + "---:|" * len(c.names),
    ]
    for depth, label, f, vs, best in rows(c):
        cells = [f"**{_n(v)}** {STAR}" if i in best else _n(v) for i, v in enumerate(vs)]
        text = ("\u2003↳ " if depth else "") + _md(label)
        out.append(f"| {text} | {_md(_best_word(f) if f else '')} | {' | '.join(cells)} |")
    out += ["", _md(legend(c)), ""]
    out += [f"- **{_md(label)}**: {_md(meaning)}" for label, meaning in meanings(c)]
    out.append("")
    out += [f"> {_md(n.text(lang))}\n" for n in c.notes]
    out += [
        f"## {_md(_('Plans'))}",
        "",
        f"| {_md(_('plan'))} | {_md(_('file'))} | {_md(_('Effective'))} | {_md(_('steps'))} |",
        "|---|---|---|---:|",
    ]
    for name, file, day, steps in _plan_lines(c):
        out.append(f"| {_md(name)} | {_md(file)} | {_md(day)} | {steps} |")
    out.append("")
    return "\n".join(out)


# -- HTML --------------------------------------------------------------------------------
_COMPARE_CSS = (
    "<style>.om table.compare th{overflow-wrap:anywhere;max-width:16em}"
    ".om td.best{background:#e7f7ea;font-weight:bold}</style>"
)


def compare_sections(c: Comparison) -> list[str]:
    """The comparison's HTML: the day and the law, the table and its legend, the notes, then
    the plans."""
    from ._display import _legend

    lang = language()
    head = f"<p><b>{escape(judged_line(c))}</b><br>{escape(rulebooks_line(c))}</p>"
    ths = "".join(f"<th>{escape(name)}</th>" for name in c.names)
    body = []
    for depth, label, f, vs, best in rows(c):
        css = " class='of'" if depth else ""
        cells = "".join(
            f"<td class='n best'>{_n(v)} {STAR}</td>"
            if i in best
            else f"<td class='n'>{_n(v)}</td>"
            for i, v in enumerate(vs)
        )
        word = escape(_best_word(f) if f else "")
        body.append(f"<tr><td{css}>{escape(label)}</td><td class='dim'>{word}</td>{cells}</tr>")
    table = (
        f"<table class='compare'><thead><tr><th>{escape(_('figure'))}</th>"
        f"<th>{escape(_('best'))}</th>{ths}</tr></thead><tbody>{''.join(body)}</tbody></table>"
        f"<p class='legend'>{escape(legend(c))}</p>{_legend(meanings(c))}"
    )
    notes = "".join(f"<p class='dim'>{escape(n.text(lang))}</p>" for n in c.notes)
    plans = "".join(
        f"<tr><td>{escape(name)}</td><td class='id'>{escape(file)}</td>"
        f"<td class='n'>{escape(day)}</td><td class='n'>{escape(steps)}</td></tr>"
        for name, file, day, steps in _plan_lines(c)
    )
    plans_table = (
        f"<h2>{escape(_('Plans'))}</h2><table><thead><tr><th>{escape(_('plan'))}</th>"
        f"<th>{escape(_('file'))}</th><th>{escape(_('Effective'))}</th>"
        f"<th>{escape(_('steps'))}</th></tr></thead><tbody>{plans}</tbody></table>"
    )
    return [f"{_COMPARE_CSS}{head}{table}{notes}{plans_table}"]


def compare_html(c: Comparison) -> str:
    """The comparison as HTML (a notebook shows it so)."""
    from ._display import _CSS

    return f"<div class='om'>{_CSS}<b>{escape(title(c))}</b>{''.join(compare_sections(c))}</div>"


def compare_page(c: Comparison) -> str:
    """The shareable page of a comparison (`orgmodel compare --format html`): one file, no
    script, printable on A4, closing with what the figures mean and the law applied."""
    from ._page import _about, _page

    page_title = f"{title(c)} — {c.org.name}" if c.org.name else title(c)
    return _page(page_title, compare_sections(c), _about(c.day, c.rulebooks))


def install() -> None:
    """Give `Comparison` its notebook and terminal faces, and `to_markdown`."""
    cls: Any = Comparison
    cls._repr_html_ = compare_html
    cls.__rich__ = compare_view
    cls.to_markdown = compare_markdown


__all__ = ["compare_markdown", "compare_page", "compare_view", "install"]
