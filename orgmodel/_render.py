"""Pure rendering functions: models and results as rich renderables, JSON-ready dicts, Markdown.

Nothing here prints; the CLI and notebooks decide where output goes.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ._model import Org, Unit
from ._rules import Report, Rule, Rulebook, Violation

KIND_LABEL = {
    "peoples_committee": "People's Committee",
    "department": "department",
    "office": "office",
    "inspectorate": "inspectorate",
    "division": "division",
    "branch": "branch",
    "board": "board",
    "public_service_unit": "public service unit",
    "party_committee": "Party committee",
    "party_board": "Party board",
    "other": "other",
}


def _unit_label(org: Org, u: Unit) -> Text:
    t = Text()
    t.append(u.name, style="bold")
    t.append(f"  [{KIND_LABEL[u.kind.value]}", style="dim")
    if u.level is not None:
        t.append(f", {u.level.value}", style="dim")
    if u.province_class is not None:
        t.append(f", class {u.province_class.value}", style="dim")
    t.append("]", style="dim")
    sub = org.totals(u.id)
    own = f"  cs {u.civil_servants}, leaders {u.leaders} ({u.head} head + {u.deputies} dep.)"
    t.append(own, style="cyan")
    if sub.units > 1:
        t.append(f"  subtree: {sub.units} units, cs {sub.civil_servants}", style="green")
    t.append(f"  {u.id}", style="dim italic")
    return t


def org_tree(org: Org, *, max_depth: int | None = None) -> Group:
    """The structure as a rich tree with staff and posts per unit, and the totals."""
    root = Tree(Text(org.name or "(unnamed model)", style="bold magenta"))
    if org.as_of:
        root.label = Text.assemble(root.label, Text(f"  as of {org.as_of}", style="dim"))  # type: ignore[arg-type]
    # Subtree totals for every unit in one bottom-up pass instead of one walk per unit.
    stack: list[tuple[Tree, str, int]] = [(root, r, 0) for r in reversed(org.child_ids(None))]
    while stack:
        parent_node, uid, depth = stack.pop()
        node = parent_node.add(_unit_label(org, org[uid]))
        kids = org.child_ids(uid)
        if kids and max_depth is not None and depth + 1 >= max_depth:
            node.add(Text(f"… {org.totals(uid).units - 1} units below", style="dim"))
            continue
        for c in reversed(kids):
            stack.append((node, c, depth + 1))
    return Group(root, totals_table(org))


def totals_table(org: Org) -> Table:
    tot = org.totals()
    t = Table(title="Totals", show_header=True)
    for col in (
        "units (focal points)",
        "civil servants",
        "leadership posts",
        "deputies",
        "public employees",
    ):
        t.add_column(col, justify="right")
    t.add_row(
        *(
            str(x)
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
        "units_by_kind": dict(sorted(Counter(u.kind.value for u in org).items())),
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
def report_table(report: Report, *, title: str | None = None) -> Group:
    """A check report as a rich table (one row per violation) with a one-line verdict."""
    books = ", ".join(report.rulebooks) or "none"
    head = Text(f"Rulebooks: {books}; as of {report.as_of}; {report.units_checked} units checked")
    t = Table(title=title or "Violations", show_lines=True, expand=False)
    t.add_column("unit", overflow="fold", max_width=28)
    t.add_column("actual", justify="right")
    t.add_column("limit", justify="right")
    t.add_column("what is wrong, and the law", overflow="fold")
    for v in report.violations:
        t.add_row(*violation_cells(v), style="yellow" if v.status == "class_unknown" else None)
    n = len(report.violations)
    verdict = (
        Text("Complies: no violations.", style="bold green")
        if report.ok
        else Text(f"{n} violation{'s' if n != 1 else ''}.", style="bold red")
    )
    return Group(head, t, verdict) if n else Group(head, verdict)


def violation_cells(v: Violation) -> tuple[str, str, str, Text]:
    law = Text(f"\n{v.rulebook} {v.rule} — {v.citation}", style="dim")
    if not v.verified:
        law.append(" (unverified figure)", style="dim italic")
    return (
        v.unit,
        "-" if v.actual is None else str(v.actual),
        "-" if v.limit is None else str(v.limit),
        Text.assemble(v.message, law),
    )


def _md_cell(s: object) -> str:
    return str(s).replace("|", "\\|").replace("\n", " ")


def violations_markdown(violations: Sequence[Violation]) -> list[str]:
    if not violations:
        return ["No violations."]
    out = [
        "| unit | rule | actual | limit | message | citation |",
        "|---|---|---:|---:|---|---|",
    ]
    for v in violations:
        rule = f"{v.rulebook} `{v.rule}`" + ("" if v.verified else " (unverified)")
        out.append(
            "| "
            + " | ".join(
                _md_cell(x)
                for x in (
                    v.unit,
                    rule,
                    "-" if v.actual is None else v.actual,
                    "-" if v.limit is None else v.limit,
                    v.message,
                    v.citation,
                )
            )
            + " |"
        )
    return out


def report_markdown(report: Report) -> str:
    books = ", ".join(report.rulebooks)
    lines = [
        "# Staffing check",
        "",
        f"Rulebooks: {books}. As of {report.as_of}. Units checked: {report.units_checked}.",
        "",
        *violations_markdown(report.violations),
        "",
    ]
    return "\n".join(lines)


# -- the rules reference ----------------------------------------------------------------
def _limits(rule: Rule) -> str:
    if rule.kind == "max_deputies" and rule.bands is not None:
        parts = []
        unit = "divisions" if rule.measure == "divisions" else "civil servants"
        for cls, bands in rule.bands.items():
            lo = 0
            steps = []
            for b in bands:
                if b.below is None:
                    steps.append(f"{lo}+ → {b.max}")
                else:
                    span = f"{lo}" if lo == b.below - 1 else f"{lo}–{b.below - 1}"
                    steps.append(f"{span} → {b.max}")
                    lo = b.below
            parts.append(f"{'every class' if cls == 'all' else cls}: {'; '.join(steps)}")
        return f"max deputies by {unit}: " + " / ".join(parts)
    if rule.kind == "average_deputies":
        extra = ""
        if rule.extra:
            extra = ", plus " + ", ".join(f"{k}: {v}" for k, v in rule.extra.items() if v)
        return f"total deputies ≤ {rule.per_unit} × units{extra}"
    if rule.kind == "not_allowed":
        return "not allowed"
    if rule.limit is not None:
        word = "at least" if rule.kind == "min_civil_servants" else "at most"
        return f"{word} " + ", ".join(
            f"{v} ({'every class' if k == 'all' else k})" for k, v in rule.limit.items()
        )
    return ""


def rules_markdown(books: Sequence[Rulebook]) -> str:
    """The rules reference (docs/rules.md is this text for every shipped rulebook)."""
    out = [
        "# Rules reference",
        "",
        "Generated from the rulebook files in `orgmodel/rulebooks/` by "
        "`orgmodel rules --all --format md`; do not edit by hand.",
        "",
        "A rule marked **unverified** carries a number not confirmed from the decree's text "
        "(seen only in a summary or a local implementing decision); treat its findings as "
        "indicative.",
        "",
    ]
    for b in books:
        out += [
            f"## {b.id}",
            "",
            f"{b.title}. In force {b.in_force.describe()}.",
            "",
            "| rule | applies to | limit | citation | verified |",
            "|---|---|---|---|---|",
        ]
        for r in b.rules:
            applies = r.applies_to.describe()
            if r.counts is not None:
                applies += f" (counting each {r.counts.describe()})"
            out.append(
                f"| `{r.id}` | {_md_cell(applies)} | {_md_cell(_limits(r))} | "
                f"{_md_cell(r.citation)} | {'yes' if r.verified else '**unverified**'} |"
            )
        out.append("")
        for r in b.rules:
            note = f" *Note: {r.note}*" if r.note else ""
            out.append(f"- `{r.id}`: {r.text}{note}")
        out.append("")
    return "\n".join(out)


def rules_table(books: Sequence[Rulebook]) -> Table:
    t = Table(title="Rules in force")
    t.add_column("rulebook", no_wrap=True)
    t.add_column("rule", no_wrap=True)
    for col in ("applies to", "limit", "citation", "verified"):
        t.add_column(col, overflow="fold")
    for b in books:
        for r in b.rules:
            t.add_row(
                b.id,
                r.id,
                r.applies_to.describe(),
                _limits(r),
                r.citation,
                "yes" if r.verified else "no",
            )
    return t
