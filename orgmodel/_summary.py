"""What the command line prints around its reports, for people: the date a model is judged on and
the law in force on it, counts of findings by rule and by unit kind (before a long list is cut),
the files written and their sizes. Pure functions: text and rich renderables, in the current
language (`_()`); the command line decides where they go."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text

from ._escape import terminal
from ._i18n import _, day_text, instrument_name, kind_label, language, number, using

# why a date was judged: the words for each source of it
DATE_SOURCES = {
    "as_of": "given with --as-of",
    "model": "the model's date",
    "plan": "the plan's effective date",
    "today": "today: neither file gives a date",
}

# the statuses of findings, in the order they are counted
STATUSES = ("violation", "class_unknown", "transition", "no_rule")
_STATUS_HEADS = {
    "violation": "violations",
    "class_unknown": "class unknown",
    "transition": "in a transition",
    "no_rule": "no verified rule",
}


def _n(x: int) -> str:
    return number(x, language())


def _t(text: str, style: str = "") -> Text:
    return Text(terminal(text), style=style)


# -- the date judged ---------------------------------------------------------------------
def judged_text(
    day: dt.date | None,
    source: str,
    books: Sequence[Any],
    *,
    named: bool = False,
    units: int | None = None,
) -> Text:
    """Two lines: 'Judged as of 2022-03-11 (the model's date); 214 units checked' and 'In force
    on that day: Decree 107/2020/ND-CP (decree-107-2020), …'. `books` are the rulebooks applied,
    `named` when the user chose them (--rulebook) rather than the date."""
    lang = language()
    when = day_text(day, lang) if day is not None else "-"
    head = _("Judged as of {day} ({why})", day=when, why=_(DATE_SOURCES[source]))
    if units is not None:
        head += "; " + _("{n} units checked", n=_n(units))
    laws = (
        ", ".join(f"{instrument_name(b.decree, lang)} ({b.id})" for b in books)
        if books
        else _("none")
    )
    which = _("Rulebooks given") if named else _("In force on that day")
    return Text.assemble(_t(head, "bold"), "\n", _t(f"{which}: {laws}"))


def plan_before_model(plan_day: dt.date | None, model_day: dt.date | None) -> str | None:
    """A warning when a plan takes effect before the date of the model it is applied to."""
    if plan_day is None or model_day is None or plan_day >= model_day:
        return None
    lang = language()
    return _(
        "warning: the plan takes effect on {plan}, before the model's date {model}; "
        "check that the plan is meant for this model",
        plan=day_text(plan_day, lang),
        model=day_text(model_day, lang),
    )


# -- files written -----------------------------------------------------------------------
def size_text(n: int) -> str:
    """A file's size for people: 512 B, 12 KB, 3.4 MB (3,4 MB in Vietnamese)."""
    lang = language()
    if n < 1024:
        return f"{_n(n)} B"
    if n < 1024 * 1024:
        return f"{_n(round(n / 1024))} KB"
    return f"{number(round(n / 2**20, 1), lang)} MB"


def wrote_text(path: str, size: int) -> str:
    """'wrote report.html (12 KB)' / 'đã ghi report.html (12 KB)'."""
    return _("wrote {file} ({size})", file=terminal(path, newlines=False), size=size_text(size))


# -- findings: counts, and the list cut to a length --------------------------------------
def _counts(
    violations: Sequence[Any], key: Callable[[Any], str]
) -> tuple[dict[str, dict[str, int]], list[str]]:
    by: dict[str, dict[str, int]] = {}
    for v in violations:
        row = by.setdefault(key(v), {})
        row[v.status] = row.get(v.status, 0) + 1
    statuses = [s for s in STATUSES if any(s in row for row in by.values())]
    return by, statuses


def _count_table(
    title: str, head: str, by: dict[str, dict[str, int]], statuses: list[str], label: Any
) -> Table:
    t = Table(title=_t(title), title_justify="left", expand=False)
    t.add_column(head, overflow="fold")
    for s in statuses:
        t.add_column(_(_STATUS_HEADS[s]), justify="right")
    t.add_column(_("total"), justify="right")
    rows = sorted(by.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
    for key, row in rows:
        t.add_row(
            _t(label(key)),
            *(_n(row.get(s, 0)) if row.get(s) else "" for s in statuses),
            _n(sum(row.values())),
        )
    return t


def findings_summary(
    violations: Sequence[Any], kind_of: Callable[[str], str | None], title: str | None = None
) -> Group:
    """Two small tables: the findings counted by rule, and by the kind of unit they are on."""
    by_rule, statuses = _counts(violations, lambda v: f"{v.rulebook} {v.rule}")
    by_kind, _s = _counts(violations, lambda v: kind_of(v.unit) or "")
    title = title or _("Findings")
    return Group(
        _count_table(_("{title}, by rule", title=title), _("rule"), by_rule, statuses, lambda k: k),
        _count_table(
            _("{title}, by kind of unit", title=title),
            _("kind of unit"),
            by_kind,
            statuses,
            lambda k: kind_label(k) if k else "-",
        ),
    )


def more_text(shown: int, total: int) -> Text:
    """'… 3,852 more; --all to show all (or --limit N)'."""
    return _t(_("… {n} more; --all to show all (or --limit N)", n=_n(total - shown)), "italic")


def cut(
    violations: Sequence[Any], limit: int | None
) -> tuple[Sequence[Any], RenderableType | None]:
    """The first `limit` findings, and the line saying how many are left out (None: all)."""
    if limit is None or len(violations) <= limit:
        return violations, None
    return violations[:limit], more_text(limit, len(violations))


def vietnam_summary(org: Any, *, departments: bool = False, lang: str | None = None) -> list[str]:
    """What `orgmodel vietnam` wrote, for people: the People's Committees by level on the date,
    the province classes (fixed by law, given, not stated) and, with departments, that their
    staff is the user's to fill in."""
    from ._i18n import message_text, using
    from ._model import Kind, Level
    from ._vietnam import departments_law, later_changes, law_classes

    lang = lang or language()
    with using(lang):
        levels = {lv: 0 for lv in Level}
        provinces = []
        others = 0
        for u in org.units:
            if u.kind is Kind.PEOPLES_COMMITTEE and u.level is not None:
                levels[u.level] += 1
                if u.level is Level.PROVINCE:
                    provinces.append(u)
            else:
                others += 1

        def n(x: int) -> str:
            return number(x, lang)

        def count(k: int, one: str, many: str) -> str:
            return _(one) if k == 1 else _(many, n=n(k))

        counts = [count(levels[Level.PROVINCE], "1 province", "{n} provinces")]
        if levels[Level.DISTRICT]:
            counts.append(count(levels[Level.DISTRICT], "1 district", "{n} districts"))
        counts.append(count(levels[Level.COMMUNE], "1 commune", "{n} communes"))
        lines = [
            _(
                "{n} People's Committees on {date}: {counts}",
                n=n(sum(levels.values())),
                date=day_text(org.as_of, lang),
                counts=", ".join(counts),
            )
        ]
        fixed = law_classes(org)
        stated = [u for u in provinces if u.province_class is not None]
        given = [u for u in stated if u.id not in fixed]
        missing = len(provinces) - len(stated)
        lines.append(
            _(
                "province classes: {law} fixed by law, {given} given, {missing} not stated",
                law=n(len(stated) - len(given)),
                given=n(len(given)),
                missing=n(missing),
            )
            + (_(" (give them with --classes FILE)") if missing else "")
        )
        for change in later_changes(org.as_of) if org.as_of else ():
            lines.append(
                _(
                    "not in the bundled data: from {date}, {change} ({basis}; unverified)",
                    date=day_text(change["from"], lang),
                    change=change["text_vi" if lang == "vi" else "text"],
                    basis=change["basis_vi" if lang == "vi" else "basis"],
                )
            )
        if departments:
            lines.append(
                _(
                    "{n} departments named ({cite}); their civil servants and deputies are not "
                    "stated: fill them in before a check",
                    n=n(others),
                    cite=message_text(departments_law(), lang),
                )
            )
        return lines


# -- suggest (issue 13) --
_SHOWN_STEPS = 40


def suggest_summary(
    advice: Any, *, lang: str | None = None, steps: int = _SHOWN_STEPS
) -> list[str]:
    """What `orgmodel suggest` found, for people: the date and rulebooks, the violations cured
    and left, the steps (each with the rule it answers), what no plan step cures and why, and
    the merge candidates."""
    from ._i18n import message_text, op_label, using

    lang = lang or language()
    with using(lang):

        def n(x: int) -> str:
            return number(x, lang)

        before = sum(1 for v in advice.before.violations if not v.lawful)
        lines = [
            _(
                "{plan}: {steps} steps, for the rules in force on {date} ({rulebooks})",
                plan=advice.plan.name,
                steps=n(len(advice.plan.steps)),
                date=day_text(advice.day, lang),
                rulebooks=", ".join(advice.rulebooks) or "—",
            ),
            _(
                "Findings against the law: {before} before; the plan cures {cured} and "
                "introduces {introduced}; {remaining} remain",
                before=n(before),
                cured=n(len(advice.cured)),
                introduced=n(len(advice.introduced)),
                remaining=n(len(advice.remaining)),
            ),
        ]
        if advice.in_transition:
            ends = sorted({v.until for v in advice.in_transition if v.until is not None})
            lines.append(
                _(
                    "{n} findings after the plan are lawful within a transition, until {until} "
                    "at the latest",
                    n=n(len(advice.in_transition)),
                    until=day_text(ends[-1], lang) if ends else "—",
                )
            )
        for i, (s, r) in enumerate(zip(advice.plan.steps, advice.reasons, strict=True)):
            if i == steps:
                lines.append(
                    _(
                        "  … {n} more steps (each with its reason in the plan's notes)",
                        n=n(len(advice.plan.steps) - steps),
                    )
                )
                break
            units = ", ".join(s.units)
            if s.target:
                units += f" → {s.target}"
            given = s.fields.given()
            if "deputies" in given and s.op == "set":
                units += " " + _("(deputies {n})", n=n(given["deputies"]))
            rule = r.params.get("rule") or ""
            lines.append(f"  {i + 1}. {op_label(s.op)} {units}" + (f" — {rule}" if rule else ""))
        if advice.unresolved:
            lines.append(_("Left, with why no plan step cures it:"))
            for u in advice.unresolved:
                f = u.finding
                lines.append(
                    f"  - {f.unit}: {f.rulebook} {f.rule} — {message_text(u.reason, lang)}"
                )
        if advice.candidates:
            lines.append(
                _(
                    "Merge candidates (units of one parent whose functions overlap; "
                    "no rule asks it):"
                )
            )
            for c in advice.candidates:
                lines.append(
                    "  - "
                    + _(
                        "{a} + {b} under {parent}: {shared} in common ({share}%)",
                        a=c.units[0],
                        b=c.units[1],
                        parent=c.parent or "—",
                        shared=", ".join(c.shared),
                        share=n(round(c.overlap * 100)),
                    )
                )
        return lines


# -- rebalance (issue 13) --
def rebalance_summary(outcome: Any, lang: str | None = None) -> list[str]:
    """What `orgmodel rebalance` tells a person on stderr: the transfers proposed, the posts
    moved, posts above the maximum and vacant legal posts before → after, and what is left
    (the plan's note). `outcome` is the rebalance plan simulated on the model it applies to."""
    lang = lang or language()

    def n(x: int) -> str:
        return number(x, lang)

    led, posts = outcome.ledger, outcome.posts
    above, vacant = posts["above_legal_maximum"], posts["vacant_legal_posts"]
    with using(lang):  # the words in the language asked for, as the figures are
        lines = _rebalance_lines(outcome, led, above, vacant, n)
    if outcome.plan.note:
        lines.append(outcome.plan.note)
    return lines


def _rebalance_lines(
    outcome: Any, led: Any, above: dict[str, int], vacant: dict[str, int], n: Any
) -> list[str]:
    return [
        _(
            "{n} transfers proposed: {posts} deputies move with {cs} civil-servant posts",
            n=n(len(outcome.plan.steps)),
            posts=n(led.posts_moved),
            cs=n(led.civil_servants_moved),
        ),
        _(
            "posts above the legal maximum: {before} → {after}; vacant legal posts: {vb} → {va}",
            before=n(above["before"]),
            after=n(above["after"]),
            vb=n(vacant["before"]),
            va=n(vacant["after"]),
        ),
    ]
