"""Pure rendering functions: models and results as rich renderables, JSON-ready dicts, Markdown.

Nothing here prints; the CLI and notebooks decide where output goes.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

from rich.console import Group
from rich.table import Table
from rich.text import Text
from rich.tree import Tree

from ._model import Org, Unit

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
