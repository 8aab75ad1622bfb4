"""Pure rendering functions: models and results as rich renderables, JSON-ready dicts, Markdown.

Nothing here prints; the CLI and notebooks decide where output goes. Every text that comes from
data (a name, an id, a title, a note, a message built from them) reaches rich as a `Text` (never
parsed as markup) through `_t`, which also shows control characters as visible escapes, and
Markdown through `_md` / `_code` (see `orgmodel._escape`).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Sequence
from itertools import accumulate
from operator import itemgetter
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ._diff import Diff, UnitDiff
from ._escape import markdown, markdown_code, terminal
from ._i18n import (
    _,
    basis_sentence,
    citation_text,
    day_text,
    field_label,
    instrument_name,
    kind_label,
    language,
    level_label,
    number,
    pair_label,
    period_text,
    value_text,
    violation_message,
)
from ._model import CS, KIND, AnyUnit, Org, rec
from ._rules import Check, Entry, Report, Rule, Rulebook, RuleSet, Selector, Violation
from ._simulate import LeadershipLine, Outcome
from ._summary import cut, findings_summary


def _t(text: object, style: str = "") -> Text:
    """A text from data for rich: never read as markup, nothing in it a terminal acts on."""
    return Text(terminal(str(text)), style=style)


# The characters `markdown` changes in a table cell (controls, line breaks, bidi marks, lone
# surrogates; what Markdown reads) and, with white space, those a code span cannot hold: a text
# without any is written as it is (most names and ids: one search instead of five passes).
_UNSAFE = "\x00-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069\ud800-\udfff"
_MD_SPECIAL = re.compile(f"[{_UNSAFE}\\\\`*\\[\\]|#~_&<]")
_CODE_SPECIAL = re.compile(f"[{_UNSAFE}`|\\\\\\s]")


def _md(text: object) -> str:
    """A text from data for Markdown, in the middle of a line or in a GFM table cell: shown as
    written, on one line."""
    s = str(text)
    if s and not s[0].isspace() and not s[-1].isspace() and _MD_SPECIAL.search(s) is None:
        return s  # what `markdown` would return: nothing in it to escape, nothing to strip
    return markdown(s, line_start=False)


def _md_line(text: object) -> str:
    """A text from data for Markdown at the start of a line (or of a quote's line)."""
    return markdown(str(text))


def _code(text: object) -> str:
    """An id as a Markdown code span (escaped text when a code span cannot hold it)."""
    s = str(text)
    if s and _CODE_SPECIAL.search(s) is None:
        return f"`{s}`"  # what `markdown_code` would return
    return markdown_code(s)


def _n(x: Any) -> str:
    """A figure with the current language's separators (1,734 / 1.734)."""
    return number(x, language())


def _day(day: Any) -> str:
    """A date as the current language writes it (2022-03-11 / 11/03/2022); '-' when unset."""
    return "-" if day is None else day_text(day, language())


def _books(ids: Sequence[str]) -> str:
    """Rulebooks by their instruments in the current language, each with its id:
    'Nghị định 107/2020/NĐ-CP (decree-107-2020)'; a rulebook orgmodel does not ship by its id."""
    from ._rules import builtin_rulebooks

    known = {b.id: b for b in builtin_rulebooks()}
    out = []
    for i in ids:
        b = known.get(i)
        out.append(f"{instrument_name(b.decree, language())} ({i})" if b is not None else i)
    return ", ".join(out)


def _legend(*lines: str) -> Text:
    """What a table's columns and abbreviations mean, printed under it."""
    return Text("\n".join(lines), style="dim")


def _unit_label(u: AnyUnit, sub_units: int, sub_cs: int) -> Text:
    t = Text()
    t.append(terminal(u.name), style="bold")
    t.append(f"  [{kind_label(u.kind.value)}", style="dim")
    if u.level is not None:
        t.append(f", {level_label(u.level.value)}", style="dim")
    if u.province_class is not None:
        t.append(f", {_('class')} {u.province_class.value}", style="dim")
    t.append("]", style="dim")
    own = (
        f"  {_('cs')} {_n(u.civil_servants)}, {_('leaders')} {_n(u.leaders)} "
        f"({u.head} {_('head')} + {_n(u.deputies)} {_('dep.')})"
    )
    t.append(own, style="cyan")
    if sub_units > 1:
        t.append(
            f"  {_('subtree')}: {_n(sub_units)} {_('units')}, {_('cs')} {_n(sub_cs)}",
            style="green",
        )
    t.append(f"  {terminal(u.id)}", style="dim italic")
    return t


_TREE_LEGEND = (
    "cs: civil servants (the unit's own); leaders: head + deputies (dep.); subtree: the unit and "
    "every unit below it"
)


def org_tree(org: Org, *, max_depth: int | None = None) -> Group:
    """The structure as a rich tree with staff and posts per unit, and the totals."""
    label = _t(org.name or _("(unnamed model)"), style="bold magenta")
    if org.as_of:
        label.append(f"  {_('as of')} {_day(org.as_of)}", style="dim")
    root = Tree(label)
    # the subtree totals of the units shown only: a subtree is the rows from its unit to its
    # end, so its size is their distance and its civil servants a difference of prefix sums
    # (read from the model's rows: no public unit made, no pass per unit shown)
    rows, ends, at = org._rows, org._ends, org._index
    upto = [0, *accumulate(map(itemgetter(CS), rows))]
    stack: list[tuple[Tree, str, int]] = [(root, r, 0) for r in reversed(org.child_ids(None))]
    while stack:
        parent_node, uid, depth = stack.pop()
        i = at[uid]
        n, cs = ends[i] - i, upto[ends[i]] - upto[i]
        node = parent_node.add(_unit_label(rec(rows[i]), n, cs))
        kids = org.child_ids(uid)
        if kids and max_depth is not None and depth + 1 >= max_depth:
            node.add(Text(f"… {n - 1} {_('units below')}", style="dim"))
            continue
        for c in reversed(kids):
            stack.append((node, c, depth + 1))
    return Group(root, _legend(_(_TREE_LEGEND)), totals_table(org))


def totals_table(org: Org) -> Table:
    tot = org.totals()
    t = Table(title=_("Totals"), show_header=True)
    for col in (
        "units (focal points)",
        "civil servants",
        "leadership posts",
        "deputies",
        "public employees",
    ):
        t.add_column(_(col), justify="right")
    t.add_row(
        *(
            _n(x)
            for x in (
                tot.units,
                tot.civil_servants,
                tot.leadership_posts,
                tot.deputies,
                tot.public_employees,
            )
        )
    )
    return t


def org_summary(org: Org) -> dict[str, Any]:
    """A machine-readable summary (the JSON of `orgmodel show --format json`)."""
    tot = org.totals()
    return {
        "name": org.name,
        "as_of": org.as_of.isoformat() if org.as_of else None,
        "totals": {
            "units": tot.units,
            "civil_servants": tot.civil_servants,
            "leadership_posts": tot.leadership_posts,
            "deputies": tot.deputies,
            "public_employees": tot.public_employees,
        },
        "units_by_kind": dict(sorted(Counter(r[KIND] for r in org._rows).items())),
        "roots": [
            {
                "id": r.id,
                "name": r.name,
                "kind": r.kind.value,
                "units": (sub := org.totals(r.id)).units,
                "civil_servants": sub.civil_servants,
                "leadership_posts": sub.leadership_posts,
            }
            for r in org.roots
        ],
    }


# -- check reports ----------------------------------------------------------------------
def violations_table(violations: Sequence[Violation], title: str, style: str = "") -> Table:
    t = Table(
        title=_t(title),
        title_style=style,
        show_lines=True,
        expand=False,
        caption=_(_ACTUAL_LEGEND),
        caption_justify="left",
    )
    t.add_column(_("unit"), overflow="fold", max_width=28)
    t.add_column(_("actual"), justify="right")
    t.add_column(_("limit"), justify="right")
    t.add_column(_("what is wrong, and the law"), overflow="fold")
    for v in violations:
        t.add_row(*violation_cells(v), style=_STATUS_STYLE.get(v.status))
    return t


_STATUS_STYLE = {"class_unknown": "yellow", "transition": "cyan", "no_rule": "dim"}
_ACTUAL_LEGEND = "actual: the unit's figure the rule measures; limit: the figure the rule allows"


def status_text(v: Violation) -> str:
    """'violation', 'transition until 2030-07-01', ... in the current language."""
    if v.status == "transition" and v.until is not None:
        return _("within the transition until {day}", day=day_text(v.until, language()))
    return _(_STATUS_WORDS.get(v.status, v.status))


_STATUS_WORDS = {
    "violation": "violation",
    "transition": "within a transition",
    "class_unknown": "class unknown",
    "no_rule": "no verified rule",
}


def citation_of(v: Violation) -> str:
    """The finding's citation in the current language."""
    cite = v.basis.get("citation") if v.basis else None
    return citation_text(cite, language()) if cite else v.citation


def report_table(
    report: Report,
    *,
    title: str | None = None,
    limit: int | None = None,
    kind_of: Callable[[str], str | None] | None = None,
    judged: Text | None = None,
) -> Group:
    """A check report as a rich table (one row per violation) with a one-line verdict.

    `judged` replaces the first line (the rulebooks and date) with the command line's fuller one.
    With `limit`, a list longer than it is first counted by rule and by the kind of unit
    (`kind_of` gives a unit's kind by its id), then cut to its first `limit` rows and the number
    left out; the verdict always counts every finding."""
    if judged is None:
        books = _books(report.rulebooks) or "-"
        judged = _t(
            f"{_('Rulebooks')}: {books}; {_('as of')} {_day(report.as_of)}; "
            f"{_n(report.units_checked)} {_('units checked')}"
        )
    if not report.violations:
        return Group(judged, Text(_("Complies: no violations."), style="bold green"))
    return Group(
        judged,
        *_cut_violations(
            report.violations, title or _("Violations"), "", limit, kind_of, _("Findings")
        ),
        verdict_text(report),
    )


def _cut_violations(
    vs: Sequence[Violation],
    title: str,
    style: str,
    limit: int | None,
    kind_of: Callable[[str], str | None] | None,
    counted: str | None = None,
) -> list[Any]:
    """A violations table; past `limit` rows, the counts by rule and unit kind, the first
    `limit` rows and how many are left out."""
    shown, more = cut(vs, limit)
    if more is None:
        return [violations_table(vs, title, style)]
    parts: list[Any] = [findings_summary(vs, kind_of or (lambda _u: None), counted or title)]
    if shown:
        parts.append(violations_table(shown, title, style))
    parts.append(more)
    return parts


def verdict_text(report: Report) -> Text:
    """One line: complies or not, and how many findings of each status."""
    bad = sum(1 for v in report.violations if not v.lawful)
    parts = []
    for status in ("violation", "class_unknown", "transition", "no_rule"):
        n = sum(1 for v in report.violations if v.status == status)
        if n:
            parts.append(f"{_(_STATUS_WORDS[status])}: {_n(n)}")
    if bad:
        n = sum(1 for v in report.violations if v.status == "violation")
        head = _("{n} violation." if n == 1 else "{n} violations.", n=_n(n))
        return Text(f"{head} ({'; '.join(parts)})", style="bold red")
    return Text(f"{_('Complies: no violations.')} ({'; '.join(parts)})", style="bold green")


def violation_cells(v: Violation) -> tuple[Text, Text, Text, Text]:
    law = _t(f"\n{v.rulebook} {v.rule} — {citation_of(v)}", style="dim")
    if not v.verified:
        law.append(" " + _("(unverified figure)"), style="dim italic")
    if v.status != "violation":
        law.append("\n" + terminal(status_text(v)), style=_STATUS_STYLE.get(v.status, ""))
    if v.basis:
        law.append("\n" + terminal(basis_sentence(v.basis, language())), style="dim")
    where = _t(" / ".join(v.path[:-1]) + "\n", style="dim") if len(v.path) > 1 else ""
    name = v.path[-1] if v.path else v.unit
    unit = _t(name) if name == v.unit else Text.assemble(_t(name), _t(f"\n{v.unit}", "dim"))
    return (
        unit,
        _t(_fig(v.actual)),
        _t(_fig(v.limit)),
        Text.assemble(where, _t(violation_message(v)), law),
    )


def _fig(x: Any) -> str:
    return "-" if x is None else _n(x)


def explain_view(org: Org, unit: str, rules: RuleSet, checks: Sequence[Check]) -> Group:
    """Every rule that applied to one unit, passed or failed, with the basis of each."""
    from ._i18n import finding_message

    u = org[unit]
    head = Text.assemble(
        _t(f"{u.name} ({u.id})", "bold"),
        _t(f"\n{_('Rulebooks')}: {_books(rules.ids)}; {_('as of')} {_day(rules.day)}"),
    )
    t = Table(show_lines=True)
    t.add_column(_("rule"), overflow="fold", max_width=30)
    t.add_column(_("status"))
    t.add_column(_("actual"), justify="right")
    t.add_column(_("limit"), justify="right")
    t.add_column(_("what was decided, and the law"), overflow="fold")
    for c in checks:
        v = c.finding
        label = {"name": u.name, "id": u.id}
        text = finding_message(label, v.status, v.basis, language(), until=v.until, passed=c.passed)
        law = _t(f"\n{citation_of(v)}", style="dim")
        if not v.verified:
            law.append(" " + _("(unverified figure)"), style="dim italic")
        law.append("\n" + terminal(basis_sentence(v.basis, language())), style="dim")
        status = _("passes") if c.passed else status_text(v)
        style = "green" if c.passed else _STATUS_STYLE.get(v.status, "red")
        t.add_row(
            _t(f"{v.rule}\n{v.rulebook}"),
            _t(status, style=style),
            _t(_fig(v.actual)),
            _t(_fig(v.limit)),
            Text.assemble(_t(text), law),
        )
    if not checks:
        return Group(head, Text(_("No rule in force applies to this unit."), style="dim"))
    return Group(head, t, _legend(_(_ACTUAL_LEGEND)))


def explain_markdown(org: Org, unit: str, rules: RuleSet, checks: Sequence[Check]) -> str:
    from ._i18n import finding_message

    u = org[unit]
    out = [
        f"# {_md(u.name)} ({_md(u.id)})",
        "",
        f"{_('Rulebooks')}: {_md(_books(rules.ids))}. {_('as of')} {_md(_day(rules.day))}.",
        "",
        f"| {_('rule')} | {_('status')} | {_('actual')} | {_('limit')} | "
        f"{_('what was decided, and the law')} |",
        "|---|---|---:|---:|---|",
    ]
    for c in checks:
        v = c.finding
        text = finding_message(
            {"name": u.name, "id": u.id},
            v.status,
            v.basis,
            language(),
            until=v.until,
            passed=c.passed,
        )
        status = _("passes") if c.passed else status_text(v)
        law = f"{citation_of(v)}. {basis_sentence(v.basis, language())}"
        out.append(
            _md_row(
                f"{_md(v.rulebook)} {_code(v.rule)}",
                _md(status),
                _md(_fig(v.actual)),
                _md(_fig(v.limit)),
                _md(f"{text}. {law}"),
            )
        )
    out += ["", _md_line(_(_ACTUAL_LEGEND) + "."), ""]
    return "\n".join(out)


def _md_row(*cells: str) -> str:
    """A GFM table row of cells already written as Markdown."""
    return "| " + " | ".join(cells) + " |"


def violations_markdown(violations: Sequence[Violation]) -> list[str]:
    if not violations:
        return [_("No violations.")]
    cols = ("unit", "rule", "status", "actual", "limit", "what is wrong", "citation")
    out = ["| " + " | ".join(_(c) for c in cols) + " |", "|---|---|---|---:|---:|---|---|"]
    legend = ["", _md_line(_(_ACTUAL_LEGEND) + ".")]
    for v in violations:
        rule = f"{_md(v.rulebook)} {_code(v.rule)}" + (
            "" if v.verified else " " + _md(_("(unverified figure)"))
        )
        name = v.path[-1] if v.path else v.unit
        out.append(
            _md_row(
                _md(v.unit) if name == v.unit else f"{_md(name)} ({_code(v.unit)})",
                rule,
                _md(status_text(v)),
                _md(_fig(v.actual)),
                _md(_fig(v.limit)),
                _md(
                    violation_message(v)
                    + (f". {basis_sentence(v.basis, language())}" if v.basis else "")
                ),
                _md(citation_of(v)),
            )
        )
    return out + legend


def report_markdown(report: Report) -> str:
    books = _books(report.rulebooks)
    lines = [
        f"# {_('Staffing check')}",
        "",
        f"{_('Rulebooks')}: {_md(books)}. {_('as of')} {_md(_day(report.as_of))}. "
        f"{_('units checked')}: {_n(report.units_checked)}.",
        "",
        *violations_markdown(report.violations),
        "",
    ]
    return "\n".join(lines)


# -- the rules reference ----------------------------------------------------------------
def _limits(rule: Rule) -> str:
    """A rule's figures in words, in the current language."""

    def cls_name(k: str) -> str:
        return _("every class") if k == "all" else (_("special") if k == "special" else k)

    def num(x: Any) -> str:
        return number(x, language())

    bands = getattr(rule, "bands", None)
    if rule.kind == "max_deputies" and bands is not None:
        parts = []
        unit = (
            _("divisions") if getattr(rule, "measure", "") == "divisions" else _("civil servants")
        )
        for cls, bs in bands.items():
            lo = 0
            steps = []
            for b in bs:
                if b.below is None:
                    steps.append(f"{lo}+ → {b.max}")
                else:
                    span = f"{lo}" if lo == b.below - 1 else f"{lo}–{b.below - 1}"
                    steps.append(f"{span} → {b.max}")
                    lo = b.below
            parts.append(f"{cls_name(cls)}: {'; '.join(steps)}")
        return _("max deputies by {unit}", unit=unit) + ": " + " / ".join(parts)
    if rule.kind == "average_deputies":
        text = _("total deputies ≤ {n} × units", n=getattr(rule, "per_unit", 0))
        extra = getattr(rule, "extra", None)
        if extra and any(extra.values()):
            text += f", {_('plus')} " + ", ".join(
                f"{cls_name(k)}: {v}" for k, v in extra.items() if v
            )
        merge = getattr(rule, "merge_extra", None)
        if merge and any(merge.values()):
            text += ", " + _("plus per unit and per province merged beyond the first") + " "
            text += ", ".join(f"{cls_name(k)}: {v}" for k, v in merge.items() if v)
        return text
    if rule.kind == "average_units":
        lim = getattr(rule, "limit", {})
        return (
            _("average per unit at most")
            + " "
            + ", ".join(f"{num(v)} ({cls_name(k)})" for k, v in lim.items())
        )
    if rule.kind == "max_deputies_of_parent":
        return _("deputies ≤ the parent's deputies")
    if rule.kind == "max_deputies_of_siblings":
        return _("deputies ≤ those of a sibling with internal units")
    if rule.kind == "not_allowed":
        return _("not allowed")
    if rule.kind == "no_verified_rule":
        return _("figure not known")
    limit = getattr(rule, "limit", None)
    if limit is not None:
        word = _("at least") if rule.kind == "min_civil_servants" else _("at most")
        return f"{word} " + ", ".join(f"{num(v)} ({cls_name(k)})" for k, v in limit.items())
    return ""


def _applies(sel: Selector) -> str:
    """Which units a rule applies to, in the current language."""
    kinds = f" {_('or')} ".join(kind_label(k.value) for k in sel.kind)
    if sel.level is not None:
        kinds = f"{kinds} ({level_label(sel.level.value)})"
    if sel.parent is None:
        return kinds
    parents = f" {_('or')} ".join(kind_label(k.value) for k in sel.parent)
    if sel.parent_level is not None:
        parents = f"{parents} ({level_label(sel.parent_level.value)})"
    return _("{kinds} under a {parents}", kinds=kinds, parents=parents)


def _applies_en(rule: Rule) -> str:
    applies = rule.applies_to.describe()
    counts = getattr(rule, "counts", None)
    per = getattr(rule, "per", None)
    if per is not None and counts is not None:
        applies += f" (counting each {counts.describe()} of each {per.describe()})"
    elif counts is not None:
        applies += f" (counting each {counts.describe()})"
    return applies


def _applies_full(rule: Rule) -> str:
    """Which units a rule applies to and, for an average or a count, which units it counts, in
    the current language (the English is the rules reference's own wording)."""
    if language() != "vi":
        return _applies_en(rule)
    applies = _applies(rule.applies_to)
    counts = getattr(rule, "counts", None)
    per = getattr(rule, "per", None)
    if per is not None and counts is not None:
        each = _("counting each {counts} of each {per}", counts=_applies(counts), per=_applies(per))
        applies += f" ({each})"
    elif counts is not None:
        applies += f" ({_('counting each {counts}', counts=_applies(counts))})"
    return applies


# a rule's kind as people read it in Vietnamese (English shows the kind as the rulebook names it)
_RULE_KIND_VI = {
    "min_civil_servants": "biên chế tối thiểu",
    "max_deputies": "số cấp phó tối đa",
    "average_deputies": "số cấp phó bình quân",
    "max_units": "số đơn vị tối đa",
    "average_units": "số đơn vị bình quân",
    "max_deputies_of_parent": "cấp phó không quá cấp trên trực tiếp",
    "max_deputies_of_siblings": "cấp phó không quá đơn vị cùng cấp có đơn vị cấu thành",
    "not_allowed": "không được tổ chức",
    "no_verified_rule": "chưa có quy định đã kiểm chứng",
}


def _rule_kind(kind: str) -> str:
    return _RULE_KIND_VI.get(kind, kind) if language() == "vi" else kind


def _in_force(f: Any) -> str:
    """A period of force in the current language ('from 2025-06-16' / 'từ ngày 16/06/2025')."""
    return period_text(f.from_, f.to)


def _period(b: Rulebook, r: Rule) -> str:
    return _in_force(r.in_force or b.in_force)


def _title(b: Rulebook) -> str:
    """A rulebook's title in the current language (the English one, marked, when it has no
    Vietnamese title)."""
    from ._rules import _in

    return _in(b.title, b.title_vi, language())


def _verified_md(r: Any) -> str:
    return _("yes") if r.verified else f"**{_('unverified')}**"


def rules_markdown(books: Sequence[Rulebook]) -> str:
    """The rules reference (docs/rules.md is this text, in English, for every shipped rulebook):
    each rulebook's rules, then the history of each rule id across the instruments."""
    from ._rules import resolve

    vi = language() == "vi"
    if vi:
        intro = [
            "# Tra cứu quy định",
            "",
            "Lập từ các tệp văn bản trong `orgmodel/rulebooks/` bằng lệnh "
            "`orgmodel rules --all --format md`; không sửa tay.",
            "",
            "Quy định ghi **chưa kiểm chứng** có số liệu chưa được đối chiếu với văn bản nghị "
            "định (chỉ thấy trong bản tóm tắt hoặc quyết định thi hành của địa phương); kết quả "
            "đánh giá theo quy định đó chỉ có tính tham khảo. Mã quy định giữ nguyên qua các văn "
            "bản: văn bản sửa đổi chỉ liệt kê các quy định được thay thế, bổ sung hoặc bãi bỏ, "
            "mọi quy định khác của văn bản được sửa đổi vẫn có hiệu lực.",
            "",
            "## Các văn bản",
            "",
        ]
    else:
        intro = [
            "# Rules reference",
            "",
            "Generated from the rulebook files in `orgmodel/rulebooks/` by "
            "`orgmodel rules --all --format md`; do not edit by hand.",
            "",
            "A rule marked **unverified** carries a number not confirmed from the decree's text "
            "(seen only in a summary or a local implementing decision); treat its findings as "
            "indicative. Rule ids are stable across the instruments that carry them: an amending "
            "rulebook lists only the rules it replaces, adds or repeals, and every other rule of "
            "the instrument it amends stays in force.",
            "",
            "## The rulebooks",
            "",
        ]
    out = [
        *intro,
        f"| {_('id') if vi else _('rulebook')} | {_('instrument')} | {_('in force')} | "
        f"{_('amends')} | {_('rules')} |",
        "|---|---|---|---|---:|",
    ]
    for b in books:
        decree = instrument_name(b.decree, "vi") if vi else b.decree
        out.append(
            f"| [{_code(b.id)}](#{_md(b.id)}) | {_md(decree)} | {_md(_in_force(b.in_force))} | "
            f"{_code(b.amends) if b.amends else '-'} | {len(b.rules)} |"
        )
    out.append("")
    for b in books:
        out += [
            f"## {_md(b.id)}",
            "",
            f"{_md_line(_title(b))}. "
            + (
                f"Hiệu lực {_md(_in_force(b.in_force))}."
                if vi
                else f"In force {_md(_in_force(b.in_force))}."
            ),
        ]
        if b.title_vi and not vi:
            out += ["", f"*{_md(b.title_vi)}.*"]
        if b.amends:
            if vi:
                text = (
                    f"Sửa đổi {_code(b.amends)}: các quy định dưới đây thay thế hoặc bổ sung "
                    "quy định của văn bản đó; các quy định khác vẫn có hiệu lực."
                    + (f" Bãi bỏ: {', '.join(_code(x) for x in b.repeals)}." if b.repeals else "")
                )
            else:
                text = (
                    f"Amends {_code(b.amends)}: the rules below replace or add to its rules; the "
                    "others stay in force."
                    + (f" Repeals: {', '.join(_code(x) for x in b.repeals)}." if b.repeals else "")
                )
            out += ["", text]
        out += [
            "",
            f"| {_('rule')} | {_('kind')} | {_('applies to')} | {_('limit')} | {_('citation')} | "
            f"{_('verified')} |",
            "|---|---|---|---|---|---|",
        ]
        for e in resolve([b], None).entries if b.amends is None else ():
            out.append(_rule_row(e))
        if b.amends:
            base = next((x for x in books if x.id == b.amends), None)
            chain = [base, b] if base is not None else [b]
            ids = {r.id for r in b.rules}
            for e in resolve(chain, None).entries if base is not None else ():
                if e.rule.id not in ids:
                    continue
                out.append(_rule_row(e))
        out.append("")
        lang = language()
        for r in b.rules:
            note_text_ = r.note_in(lang)
            note = f" *{_('Note')}: {_md(note_text_)}*" if note_text_ else ""
            dates = f" ({_('in force')} {_md(_period(b, r))})" if r.in_force else ""
            repl = " " + _("Replaces {rule}.", rule=_code(r.replaces)) if r.replaces else ""
            out.append(f"- {_code(r.id)}{dates}: {_md(r.text_in(lang))}{repl}{note}")
        for t in b.transitions:
            verified = _("verified") if t.verified else f"**{_('unverified')}**"
            out.append(
                f"- {_('Transition')} {_code(t.id)} ({_('{years} years', years=t.years)}, "
                f"{verified}): {_md(t.text_in(lang))} {_('Applies to')} "
                + ", ".join(_code(x) for x in t.rules)
                + "."
            )
        out.append("")
    out += _history(books)
    return "\n".join(out)


def _rule_row(e: Entry) -> str:
    """A rule's row in the rules reference."""
    r = e.rule
    return _md_row(
        _code(r.id),
        _md(_rule_kind(r.kind)),
        _md(_applies_full(r)),
        _md(_limits(r)),
        _md(e.citation(language())),
        _verified_md(r),
    )


def _history(books: Sequence[Rulebook]) -> list[str]:
    """Each rule id across the rulebooks: where it is set, replaced, repealed."""
    vi = language() == "vi"
    out = (
        [
            "## Lịch sử từng quy định",
            "",
            "Mỗi mã quy định, theo thứ tự các văn bản quy định: văn bản, thời gian hiệu lực, số "
            "liệu và căn cứ. Quy định không được văn bản sửa đổi nêu tên giữ số liệu của văn bản "
            "được sửa đổi.",
            "",
        ]
        if vi
        else [
            "## History of each rule",
            "",
            "Each rule id, in the order the instruments set it: the rulebook, its dates, the "
            "figures and the citation. A rule an amendment does not name keeps the figures of "
            "the instrument it amends.",
            "",
        ]
    )
    words = (
        {"replaces": "thay thế", "adds": "bổ sung", "sets": "quy định", "repealed": "bãi bỏ"}
        if vi
        else {}
    )
    order: list[str] = []
    rows: dict[str, list[str]] = {}
    for b in books:
        for r in b.rules:
            if r.id not in rows:
                order.append(r.id)
                rows[r.id] = []
            base = next((x for x in books if x.id == b.amends), b) if b.amends else b
            replaced = b.amends is not None and (r.replaces or r.id) in _ids_of(books, b.amends)
            how = "replaces" if replaced else ("adds" if b.amends else "sets")
            cite = Entry(r, b, base, replaces=(base, r) if replaced else None).citation(language())
            rows[r.id].append(
                _md_row(
                    _code(b.id),
                    _md(_period(b, r)),
                    words.get(how, how),
                    _md(_limits(r)),
                    _md(cite),
                    _verified_md(r),
                )
            )
            if r.replaces:
                by = f"thay thế bởi {_code(r.id)}" if vi else f"replaced by {_code(r.id)}"
                rows.setdefault(r.replaces, []).append(
                    f"| {_code(b.id)} | {_md(_period(b, r))} | {by} | | | |"
                )
        for gone in b.repeals:
            rows.setdefault(gone, []).append(
                f"| {_code(b.id)} | {_md(_in_force(b.in_force))} | "
                f"{words.get('repealed', 'repealed')} | | | |"
            )
    head = (
        "| văn bản | hiệu lực | thay đổi | giới hạn | căn cứ | đã kiểm chứng |"
        if vi
        else "| rulebook | in force | change | limit | citation | verified |"
    )
    for rid in order:
        out += [f"### {_md(rid)}", "", head, "|---|---|---|---|---|---|", *rows[rid], ""]
    return out


def _ids_of(books: Sequence[Rulebook], book_id: str) -> set[str]:
    return {r.id for b in books if b.id == book_id for r in b.rules}


def rules_table(rules: RuleSet | Sequence[Rulebook]) -> Table:
    """The rules in force (a RuleSet), each with the rulebook that sets it; or every rule of
    the rulebooks given."""
    from ._rules import resolve

    t = Table(title=_("Rules in force"), show_lines=True)
    t.add_column(_("rule"), overflow="fold")
    t.add_column(_("rulebook"), overflow="fold")
    for col in ("applies to", "limit", "what the law says", "citation", "verified"):
        t.add_column(_(col), overflow="fold")
    entries: list[Entry] = (
        list(rules.entries)
        if isinstance(rules, RuleSet)
        else [e for b in rules for e in (resolve([b], None).entries if not b.amends else ())]
    )
    for e in entries:
        r = e.rule
        book = e.book.id
        if e.replaces is not None:
            book += f"\n({_('replaces')} {e.replaces[0].id})"
        t.add_row(
            _t(r.id),
            _t(book),
            _t(_applies(r.applies_to)),
            _t(_limits(r)),
            _t(r.text_in(language())),
            _t(e.citation(language())),
            _t(_("yes") if r.verified else _("no")),
        )
    return t


def ruleset_markdown(rules: RuleSet) -> str:
    """The rules in force on a date (`orgmodel rules --as-of DATE --format md`), each with the
    rulebook that sets it, in the current language."""
    out = [
        f"# {_('Rules in force')}",
        "",
        f"{_('Rulebooks')}: {_md(_books(rules.ids))}; {_('as of')} {_md(_day(rules.day))}.",
        "",
        f"| {_('rule')} | {_('rulebook')} | {_('applies to')} | {_('limit')} | "
        f"{_('what the law says')} | {_('citation')} | {_('verified')} |",
        "|---|---|---|---|---|---|---|",
    ]
    for e in rules.entries:
        r = e.rule
        book = e.book.id
        if e.replaces is not None:
            book += f" ({_('replaces')} {e.replaces[0].id})"
        out.append(
            _md_row(
                _code(r.id),
                _md(book),
                _md(_applies(r.applies_to)),
                _md(_limits(r)),
                _md(r.text_in(language())),
                _md(e.citation(language())),
                _md(_("yes") if r.verified else _("no")),
            )
        )
    out.append("")
    return "\n".join(out)


def rules_dict(rules: RuleSet) -> dict[str, Any]:
    """The JSON of `orgmodel rules --as-of DATE`: each rule in force with its rulebook."""
    out = []
    for e in rules.entries:
        d = e.rule.model_dump(mode="json", by_alias=True, exclude_none=True)
        d["rulebook"] = e.book.id
        d["citation"] = e.citation("en")
        d["citation_vi"] = e.citation("vi")
        if e.replaces is not None:
            d["amends"] = {"rulebook": e.replaces[0].id, "rule": e.replaces[1].id}
        if e.transition is not None:
            tb, tr = e.transition
            d["transition"] = {"id": tr.id, "rulebook": tb.id, "years": tr.years}
        out.append(d)
    return {
        "as_of": rules.day.isoformat() if rules.day else None,
        "rulebooks": list(rules.ids),
        "rules": out,
    }


# -- simulation outcomes and diffs ------------------------------------------------------
def _figures(o: Outcome) -> list[tuple[str, str]]:
    """The ledger, one (label, value) per line; a line that splits the figure above it (an "of
    which") is indented by two spaces per level, directly under that figure."""
    led = o.ledger
    rows = [
        (
            _("focal points"),
            f"{_n(led.focal_points_before)} → {_n(led.focal_points_after)} "
            f"({_('removed')} {_n(led.removed_focal_points)})",
        ),
    ]
    for k, v in led.removed_by_kind_under_parent.items():
        rows.append((f"  {pair_label(k)}", ("+" if -v > 0 else "") + _n(-v)))
    in_transition = str(_n(led.posts_in_transition)) + "".join(
        f"; {_n(n)} {_('until')} {_day(d)}" for d, n in led.transitions.items()
    )
    rows += [
        (
            _("civil servants"),
            f"{_n(led.civil_servants_before)} → {_n(led.civil_servants_after)} "
            f"({_('released')} {_n(led.civil_servants_released)}, "
            f"{_('created')} {_n(led.civil_servants_created)})",
        ),
        (_("surplus leadership posts"), _n(led.surplus_leadership_posts)),
        ("  " + _("leaders who keep no post"), _n(led.leaders_without_post)),
        ("    " + _("of which leaders of dissolved units"), _n(led.dissolved_leaders)),
        ("  " + _("posts held above the legal maximum"), _n(led.posts_above_legal_maximum)),
        ("    " + _("of which lawful in a transition"), in_transition),
        (_("legal leadership posts left vacant"), _n(led.vacant_legal_posts)),
        (
            _("deputy posts above a limit, lawful in a transition, in the whole model"),
            _n(o.posts_in_transition)
            + "".join(
                f"; {_n(n)} {_('until')} {_day(d)}" for d, n in o.deputies_in_transition.items()
            ),
        ),
        (
            _("violations introduced / cured / remaining"),
            f"{_n(len(o.introduced))} / {_n(len(o.cured))} / {_n(len(o.remaining))}",
        ),
    ]
    rows += transfer_figures(o)
    return rows


def _plan_head(o: Outcome) -> str:
    return (
        f"{_('Rulebooks')}: {_books(o.rulebooks) or _('none in force')}; "
        f"{_('effective')} {_day(o.after.as_of)}; {_n(len(o.plan.steps))} {_('steps')}"
    )


def _plan_steps(o: Outcome) -> str:
    return f"{_n(len(o.plan.steps))} {_('steps')}"


def leadership_figures(x: LeadershipLine) -> tuple[int, ...]:
    """The figures of a leadership line, in the order of `_LEAD_COLS`."""
    return (
        x.carried,
        x.legal_posts,
        x.held,
        x.surplus,
        x.without_post,
        x.above_legal_maximum,
        x.vacant_legal_posts,
    )


_LEAD_COLS = ("carried", "legal", "held", "surplus", "no post", "above max", "vacant")
# what each column of the leadership table means (printed under it, in every format)
LEAD_LEGEND = (
    "carried: leaders (head and deputies) carried into the unit from the units merged or "
    "absorbed into it, and its own",
    "legal: leadership posts the law allows (1 head + the maximum of deputies)",
    "held: head and deputies the unit holds after the plan",
    "surplus: carried leaders beyond the legal posts",
    "no post: leaders who keep no leadership post",
    "above max: posts held above the legal maximum",
    "vacant: legal posts no carried leader fills",
)
_GROUPS = (
    ("Violations the plan introduces", "introduced", "red"),
    ("Violations the plan cures", "cured", "green"),
    ("Violations that remain", "remaining", "yellow"),
)


def fates(o: Outcome) -> dict[str, tuple[str, str | None]]:
    """What the plan did to each unit it closed: id -> (event, the unit it went into), from the
    plan's own steps (a merge, an absorb, a dissolve with or without `staff_to`)."""
    out: dict[str, tuple[str, str | None]] = {}
    for e in o.events:
        if e.event == "merge":
            for uid in e.original:
                if uid not in e.resulting:
                    out[uid] = ("merge", e.resulting[0] if e.resulting else None)
        elif e.event == "absorb" and e.resulting:
            out[e.original[0]] = ("absorb", e.resulting[0])
        elif e.event == "dissolve":
            for uid in e.original:
                out[uid] = ("dissolve", e.resulting[0] if e.resulting else None)
        elif e.event == "split" and e.original and e.original[0] != e.resulting[0]:
            # chia, tách: the successor comes first; a split unit that is its own successor
            # stays open
            out[e.original[0]] = ("split", e.resulting[0])
    return out


def outcome_view(o: Outcome, *, limit: int | None = None, judged: Text | None = None) -> Group:
    """A simulation outcome for the terminal: figures, leadership, violations, diff summary.

    `judged` (the date judged and the law in force) goes under the title. With `limit`, the
    leadership table and each violation list longer than it are cut to their first `limit` rows
    (a violation list first counted by rule and by the kind of unit) and say how many are left."""
    head = Text.assemble(
        _t(o.plan.name or _("Restructuring plan"), "bold magenta"),
        # the command line's `judged` names the date and the law: then only the steps are left
        _t("\n" + (_plan_head(o) if judged is None else _plan_steps(o))),
    )
    figs = Table(title=_("Ledger"), show_header=False)
    figs.add_column(_("figure"))
    figs.add_column(_("value"), justify="right")
    for k, v in _figures(o):
        figs.add_row(_t(k), _t(v))
    parts: list[Any] = [head, *([judged] if judged is not None else []), figs]
    if o.ledger.leadership:
        t = Table(
            title=_("Leadership in the units the plan touches"),
            caption="\n".join(_(x) for x in LEAD_LEGEND),
            caption_justify="left",
        )
        t.add_column(_("unit"), overflow="fold", max_width=40)
        for col in _LEAD_COLS:
            t.add_column(_(col), justify="right", no_wrap=True)
        lines, more = cut(o.ledger.leadership, limit)
        for x in lines:
            t.add_row(
                Text.assemble(_t(x.name), _t(f"\n{x.unit}", "dim")),
                *(_t(_n(n)) for n in leadership_figures(x)),
            )
        parts.append(t)
        if more is not None:
            parts.append(more)
    kinds = {"before": _kind_in(o.before), "after": _kind_in(o.after)}
    for label, attr, style in _GROUPS:
        vs = getattr(o, attr)
        if vs:
            which = "before" if attr == "cured" else "after"
            parts += _cut_violations(vs, _(label), style, limit, kinds[which])
    parts += [_t(n.text(language()), style="dim") for n in o.notes]
    parts.append(diff_summary(o.diff))
    parts.append(
        Text(
            _("The plan introduces {n} violation(s).", n=_n(len(o.introduced_violations))),
            style="bold red",
        )
        if o.introduced_violations
        else Text(
            _("The plan introduces no violation.")
            + _transitions_phrase(len(o.introduced) - len(o.introduced_violations)),
            style="bold green",
        )
    )
    return Group(*parts)


def _kind_in(org: Org) -> Callable[[str], str | None]:
    """The kind of a unit of `org` by its id (None for an id it does not have)."""

    def kind(uid: str) -> str | None:
        u = org.get(uid)
        return str(u.kind) if u is not None else None

    return kind


def _transitions_phrase(n: int) -> str:
    return " " + _("{n} finding(s) over a limit lie within a transition.", n=_n(n)) if n else ""


def _md_label(label: str) -> str:
    """A ledger label for a Markdown cell: its indentation kept (em spaces, which Markdown does
    not collapse) and an arrow, so that an "of which" line reads under the figure it splits."""
    text = label.lstrip(" ")
    depth = (len(label) - len(text)) // 2
    return ("\u2003" * depth + "↳ " if depth else "") + _md(text)


def outcome_markdown(o: Outcome) -> str:
    out = [
        f"# {_md(o.plan.name or _('Restructuring plan'))}",
        "",
        _md_line(_plan_head(o) + "."),
        "",
        f"| {_('figure')} | {_('value')} |",
        "|---|---:|",
    ]
    out += [_md_row(_md_label(k), _md(v)) for k, v in _figures(o)]
    out.append("")
    if o.ledger.leadership:
        cols = " | ".join(_(c) for c in _LEAD_COLS)
        out += [
            f"## {_('Leadership in the units the plan touches')}",
            "",
            f"| {_('unit')} | {cols} |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for x in o.ledger.leadership:
            out.append(
                _md_row(f"{_md(x.name)} ({_code(x.unit)})", *(_n(n) for n in leadership_figures(x)))
            )
        out += ["", *(f"- {_md_line(_(x))}" for x in LEAD_LEGEND), ""]
    for label, attr, _style in _GROUPS:
        out += [f"## {_(label)}", "", *violations_markdown(getattr(o, attr)), ""]
    for n in o.notes:
        out += [f"> {_md_line(n.text(language()))}", ""]
    out += [
        f"## {_('Changes')}",
        "",
        *diff_markdown_lines(o.diff, fates=fates(o), names=_names(o)),
        "",
    ]
    return "\n".join(out)


def _names(o: Outcome) -> dict[str, str]:
    """Every unit's name before and after the plan, by id (after wins)."""
    names = {u.id: u.name for u in o.before}
    names.update({u.id: u.name for u in o.after})
    return names


def diff_summary(d: Diff) -> Table:
    c = d.counts()
    t = Table(title=_("Before / after"))
    for col in ("new", "changed", "closed", "unchanged", "merged or absorbed", "renamed", "moved"):
        t.add_column(_(col), justify="right")
    t.add_row(
        *(
            _n(n)
            for n in (
                c["new"],
                c["changed"],
                c["closed"],
                c["unchanged"],
                len(d.merged),
                len(d.renamed),
                len(d.moved),
            )
        )
    )
    return t


def _named(uid: str, names: dict[str, str] | None) -> str:
    name = (names or {}).get(uid)
    return f"{name} ({uid})" if name and name != uid else uid


def change_text(
    u: UnitDiff,
    *,
    diff: Diff | None = None,
    fates: dict[str, tuple[str, str | None]] | None = None,
    names: dict[str, str] | None = None,
) -> str:
    """What happened to a unit, in words: its field changes; for a closed unit, whether it was
    merged (hợp nhất) or absorbed (sáp nhập vào) into another, split among several (chia, tách),
    or dissolved (giải thể, and where its staff went); for a unit that took a part of a split
    one, which. `fates` (from a simulation's steps) says which; without it, a unit that went
    into a new one was merged, and one that went into a unit that existed before was merged or
    absorbed (two models alone do not say which: a merge may keep one of the merged ids)."""
    return _change_text(u, _statuses(diff), fates, names)


def _statuses(d: Diff | None) -> dict[str, str] | None:
    """Each unit's status by id (``{e.id: e.status for e in d.units}``), made once per diff."""
    return None if d is None else d._status_by_id()


def _diff_names(d: Diff) -> dict[str, str]:
    """Each unit's name by id (``{e.id: e.name for e in d.units}``), made once per diff."""
    return d._name_by_id()


def _change_text(
    u: UnitDiff,
    status: dict[str, str] | None,
    fates: dict[str, tuple[str, str | None]] | None,
    names: dict[str, str] | None,
) -> str:
    fate = (fates or {}).get(u.id)
    if u.status == "closed" and (u.split_into or (fate is not None and fate[0] == "split")):
        parts = u.split_into or ((fate[1],) if fate is not None and fate[1] else ())
        return _("split among {units}", units=", ".join(_named(x, names) for x in parts))
    if fate is not None and u.status == "closed":
        how, into = fate
        if how == "dissolve":
            if into is None:
                return _("dissolved")
            return _(
                "dissolved, its civil servants transferred to {unit}", unit=_named(into, names)
            )
        if into is not None:
            word = "absorbed into {unit}" if how == "absorb" else "merged into {unit}"
            return _(word, unit=_named(into, names))
    if u.merged_into:
        target = _named(u.merged_into, names)
        if status is None or u.merged_into not in status:
            return _("merged or absorbed into {unit}", unit=target)
        if status[u.merged_into] == "new":
            return _("merged into {unit}", unit=target)
        return _("merged or absorbed into {unit}", unit=target)
    what = ""
    if u.changes:
        lang = language()
        what = "; ".join(
            f"{field_label(k)}: {_value(k, a, lang)} → {_value(k, b, lang)}"
            for k, (a, b) in u.changes.items()
        )
    if u.merged_from:
        took = ", ".join(_named(x, names) for x in u.merged_from)
        what = (what + "; " if what else "") + _("took in {units}", units=took)
    gave = [x for x in u.split_into if x != u.id]
    if gave:
        went = ", ".join(_named(x, names) for x in gave)
        what = (what + "; " if what else "") + _("parts went to {units}", units=went)
    if u.split_from:
        took = ", ".join(_named(x, names) for x in u.split_from)
        what = (what + "; " if what else "") + _("took a part of {units}", units=took)
    return what


def _value(name: str, v: Any, lang: str) -> str:
    """`value_text(name, v)`: a count and a text (a parent's id) written at once, anything else
    (kinds, levels, dates, functions, unset values) by `value_text`."""
    t = type(v)
    if (t is int or t is str) and name != "kind" and name != "level":
        return number(v, lang) if t is int else v
    return value_text(name, v)


def _status_word(u: UnitDiff, fates: dict[str, tuple[str, str | None]] | None) -> str:
    """A unit's status in the diff tables: a closed unit by what the plan did to it."""
    fate = (fates or {}).get(u.id)
    if u.status == "closed" and u.split_into:
        return _("split")
    if fate is not None and u.status == "closed":
        return _(
            {"merge": "merged", "absorb": "absorbed", "dissolve": "dissolved", "split": "split"}[
                fate[0]
            ]
        )
    return _(u.status)


def diff_view(
    d: Diff,
    *,
    limit: int = 200,
    fates: dict[str, tuple[str, str | None]] | None = None,
    names: dict[str, str] | None = None,
) -> Group:
    t = Table(title=_("Changes"), show_lines=False)
    t.add_column(_("status"))
    t.add_column(_("unit"), overflow="fold")
    t.add_column(_("what changed"), overflow="fold")
    style = {"new": "green", "changed": "yellow", "closed": "red"}
    rows = d.notable
    statuses = _statuses(d)
    names = names if names is not None else _diff_names(d)
    for u in rows[:limit]:
        t.add_row(
            _t(_status_word(u, fates), style=style.get(u.status, "")),
            _t(f"{u.name} ({u.id})"),
            _t(_change_text(u, statuses, fates, names)),
        )
    if not rows:  # nothing differs: say so rather than draw an empty table
        return Group(diff_summary(d), Text(_("The two models are the same, unit for unit.")))
    parts: list[Any] = [diff_summary(d), t]
    if len(rows) > limit:
        parts.append(Text("… " + _("and {n} more", n=_n(len(rows) - limit)), style="dim"))
    return Group(*parts)


def diff_markdown_lines(
    d: Diff,
    *,
    fates: dict[str, tuple[str, str | None]] | None = None,
    names: dict[str, str] | None = None,
) -> list[str]:
    c = d.counts()
    out = [
        f"{_('new')} {_n(c['new'])}, {_('changed')} {_n(c['changed'])}, "
        f"{_('closed')} {_n(c['closed'])}, {_('unchanged')} {_n(c['unchanged'])}.",
        "",
        f"| {_('status')} | {_('unit')} | {_('what changed')} |",
        "|---|---|---|",
    ]
    statuses = _statuses(d)
    names = names if names is not None else _diff_names(d)
    word = _status_words(fates)
    out += [
        _md_row(
            word(u, _md),
            f"{_md(u.name)} ({_code(u.id)})",
            _md(_change_text(u, statuses, fates, names)),
        )
        for u in d.notable
    ]
    return out


def _status_words(
    fates: dict[str, tuple[str, str | None]] | None,
) -> Callable[[UnitDiff, Callable[[str], Any]], Any]:
    """`word(u, write)`: `write(_status_word(u, fates))`, made once per kind of row: the word
    depends only on the status, whether a split divided the unit and what the plan did to it."""
    made: dict[tuple[str, bool, str | None], Any] = {}
    fate_of = (fates or {}).get

    def word(u: UnitDiff, write: Callable[[str], Any]) -> Any:
        fate = fate_of(u.id)
        key = (u.status, bool(u.split_into), None if fate is None else fate[0])
        w = made.get(key)
        if w is None:
            w = made[key] = write(_status_word(u, fates))
        return w

    return word


# -- rebalance (issue 13) --
def transfer_figures(o: Outcome) -> list[tuple[str, str]]:
    """The ledger lines of a plan with transfer steps (điều động): posts moved, and posts above
    the legal maximum and vacant legal posts in the whole model before → after. None otherwise."""
    if not any(s.op == "transfer" for s in o.plan.steps):
        return []
    led, posts = o.ledger, o.posts
    above, vacant = posts["above_legal_maximum"], posts["vacant_legal_posts"]
    return [
        (
            _("posts moved (transfers)"),
            f"{_n(led.posts_moved)} ({_n(led.civil_servants_moved)} {_('civil servants')})",
        ),
        (
            _("posts above the legal maximum, whole model: before → after"),
            f"{_n(above['before'])} → {_n(above['after'])}",
        ),
        (
            _("vacant legal posts, whole model: before → after"),
            f"{_n(vacant['before'])} → {_n(vacant['after'])}",
        ),
    ]
