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

from ._diff import Diff
from ._model import Org, Unit
from ._rules import Report, Rule, Rulebook, Violation
from ._simulate import Outcome

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


# -- simulation outcomes and diffs ------------------------------------------------------
def _figures(o: Outcome) -> list[tuple[str, str]]:
    led = o.ledger
    rows = [
        (
            "focal points",
            f"{led.focal_points_before} → {led.focal_points_after} "
            f"(removed {led.removed_focal_points})",
        ),
    ]
    for k, v in led.removed_by_kind_under_parent.items():
        rows.append((f"  {k}", f"{-v:+d}"))
    rows += [
        (
            "civil servants",
            f"{led.civil_servants_before} → {led.civil_servants_after} "
            f"(released {led.civil_servants_released}, "
            f"created {led.civil_servants_created})",
        ),
        ("surplus leadership posts", str(led.surplus_leadership_posts)),
        ("  leaders who keep no post", str(led.leaders_without_post)),
        ("  posts held above the legal maximum", str(led.posts_above_legal_maximum)),
        ("  of which leaders of dissolved units", str(led.dissolved_leaders)),
        ("legal leadership posts left vacant", str(led.vacant_legal_posts)),
        (
            "violations introduced / cured / remaining",
            f"{len(o.introduced)} / {len(o.cured)} / {len(o.remaining)}",
        ),
    ]
    return rows


def outcome_view(o: Outcome) -> Group:
    """A simulation outcome for the terminal: figures, leadership, violations, diff summary."""
    title = o.plan.name or "Restructuring plan"
    head = Text.assemble(
        (title, "bold magenta"),
        f"\nRulebooks: {', '.join(o.rulebooks) or 'none in force'}; "
        f"effective {o.after.as_of}; {len(o.plan.steps)} steps",
    )
    figs = Table(title="Ledger", show_header=False)
    figs.add_column("figure")
    figs.add_column("value", justify="right")
    for k, v in _figures(o):
        figs.add_row(k, v)
    parts: list[Any] = [head, figs]
    if o.ledger.leadership:
        t = Table(title="Leadership in the units the plan touches")
        t.add_column("unit", overflow="ellipsis", no_wrap=True, max_width=26)
        for col in ("carried", "legal", "held", "surplus", "no post", "above max", "vacant"):
            t.add_column(col, justify="right", no_wrap=True)
        for x in o.ledger.leadership:
            t.add_row(
                x.unit,
                str(x.carried),
                str(x.legal_posts),
                str(x.held),
                str(x.surplus),
                str(x.without_post),
                str(x.above_legal_maximum),
                str(x.vacant_legal_posts),
            )
        parts.append(t)
    for label, vs, style in (
        ("Violations the plan introduces", o.introduced, "red"),
        ("Violations the plan cures", o.cured, "green"),
        ("Violations that remain", o.remaining, "yellow"),
    ):
        if vs:
            t = Table(title=label, title_style=style, show_lines=True)
            t.add_column("unit", overflow="fold", max_width=28)
            t.add_column("actual", justify="right")
            t.add_column("limit", justify="right")
            t.add_column("what is wrong, and the law", overflow="fold")
            for viol in vs:
                t.add_row(*violation_cells(viol))
            parts.append(t)
    for n in o.notes:
        parts.append(Text(n, style="dim"))
    parts.append(diff_summary(o.diff))
    verdict = (
        Text(f"The plan introduces {len(o.introduced)} violation(s).", style="bold red")
        if o.introduced
        else Text("The plan introduces no violation.", style="bold green")
    )
    parts.append(verdict)
    return Group(*parts)


def outcome_markdown(o: Outcome) -> str:
    out = [
        f"# {o.plan.name or 'Restructuring plan'}",
        "",
        f"Rulebooks: {', '.join(o.rulebooks) or 'none in force'}. "
        f"Effective {o.after.as_of}. Steps: {len(o.plan.steps)}.",
        "",
        "| figure | value |",
        "|---|---:|",
    ]
    out += [f"| {_md_cell(k.strip())} | {_md_cell(v)} |" for k, v in _figures(o)]
    out.append("")
    if o.ledger.leadership:
        out += [
            "## Leadership in the units the plan touches",
            "",
            "| unit | carried | legal posts | held | surplus | no post | above max | vacant |",
            "|---|---:|---:|---:|---:|---:|---:|---:|",
        ]
        for x in o.ledger.leadership:
            out.append(
                f"| {_md_cell(x.name)} ({x.unit}) | {x.carried} | {x.legal_posts} | "
                f"{x.held} | {x.surplus} | {x.without_post} | {x.above_legal_maximum} | "
                f"{x.vacant_legal_posts} |"
            )
        out.append("")
    for label, vs in (
        ("Violations the plan introduces", o.introduced),
        ("Violations the plan cures", o.cured),
        ("Violations that remain", o.remaining),
    ):
        out += [f"## {label}", "", *violations_markdown(vs), ""]
    for n in o.notes:
        out += [f"> {n}", ""]
    out += ["## Changes", "", *diff_markdown_lines(o.diff), ""]
    return "\n".join(out)


def diff_summary(d: Diff) -> Table:
    c = d.counts()
    t = Table(title="Before / after")
    for col in ("new", "changed", "closed", "unchanged", "merged", "renamed", "moved"):
        t.add_column(col, justify="right")
    t.add_row(
        str(c["new"]),
        str(c["changed"]),
        str(c["closed"]),
        str(c["unchanged"]),
        str(len(d.merged)),
        str(len(d.renamed)),
        str(len(d.moved)),
    )
    return t


def _fmt(v: Any) -> str:
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return str(getattr(v, "value", v))


def diff_view(d: Diff, *, limit: int = 200) -> Group:
    t = Table(title="Changes", show_lines=False)
    t.add_column("status")
    t.add_column("unit", overflow="fold")
    t.add_column("what changed", overflow="fold")
    style = {"new": "green", "changed": "yellow", "closed": "red"}
    shown = 0
    for u in d.units:
        if u.status == "unchanged" and not u.merged_from:
            continue
        if shown >= limit:
            break
        shown += 1
        what = "; ".join(f"{k}: {_fmt(a)} → {_fmt(b)}" for k, (a, b) in u.changes.items())
        if u.merged_into:
            what = f"merged into {u.merged_into}"
        if u.merged_from:
            what = (what + "; " if what else "") + "from " + ", ".join(u.merged_from)
        t.add_row(Text(u.status, style=style.get(u.status, "")), f"{u.name} ({u.id})", what)
    rest = sum(1 for u in d.units if u.status != "unchanged") - shown
    parts: list[Any] = [diff_summary(d), t]
    if rest > 0:
        parts.append(Text(f"… and {rest} more", style="dim"))
    return Group(*parts)


def diff_markdown_lines(d: Diff) -> list[str]:
    c = d.counts()
    out = [
        f"New {c['new']}, changed {c['changed']}, closed {c['closed']}, "
        f"unchanged {c['unchanged']}.",
        "",
        "| status | unit | what changed |",
        "|---|---|---|",
    ]
    for u in d.units:
        if u.status == "unchanged" and not u.merged_from:
            continue
        what = "; ".join(f"{k}: {_fmt(a)} → {_fmt(b)}" for k, (a, b) in u.changes.items())
        if u.merged_into:
            what = f"merged into {u.merged_into}"
        if u.merged_from:
            what = (what + "; " if what else "") + "from " + ", ".join(u.merged_from)
        out.append(f"| {u.status} | {_md_cell(u.name)} ({u.id}) | {_md_cell(what)} |")
    return out
