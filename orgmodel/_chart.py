"""Organization charts as SVG, in pure Python (no system binary to install).

The layout is an indented org list: one row per unit, elbow connectors from parent to child,
which stays readable for a province of 200 units where a top-down tree would be metres wide.
Large models collapse below a depth. With a plan, before and after stand side by side: merged
units marked, removed units struck through, new units green, units that break a rule flagged.

Every text in the SVG goes through `escape` (`orgmodel._escape.xml`): entities for ``& < > " '``
and no character XML refuses; nothing in a chart links or runs anything.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from ._diff import Diff
from ._escape import xml as escape
from ._i18n import LEGEND, _, violation_message
from ._model import Org
from ._rules import Violation
from ._simulate import Outcome

ROW = 26
INDENT = 22
BOX_W = 330
PANEL_GAP = 60
MAX_ROWS = 400

_STYLE = {
    "plain": ("#ffffff", "#8a94a6"),
    "closed": ("#fde8e8", "#c0392b"),
    "merged": ("#e6f0ff", "#2a6fdb"),
    "new": ("#e7f7ea", "#2e8b57"),
    "changed": ("#fff7db", "#b8860b"),
}


@dataclass(frozen=True)
class Chart:
    """An SVG organization chart: shows itself in a notebook, saves to a file."""

    svg: str

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str) -> None:
        from ._io import write_text_atomic

        write_text_atomic(path, self.svg)


def depth_fitting(org: Org, cap: int) -> int:
    """The deepest level such that the units down to it number at most `cap` (at least 1)."""
    per: dict[int, int] = defaultdict(int)
    depth: dict[str | None, int] = {None: -1}
    for u in org.units:
        depth[u.id] = depth[u.parent] + 1
        per[depth[u.id]] += 1
    total, best = 0, 1
    for d in sorted(per):
        total += per[d]
        if total > cap:
            break
        best = d + 1
    return best


def _depth_for(org: Org, cap: int) -> int | None:
    return None if len(org) <= cap else depth_fitting(org, cap)


def _rows(org: Org, max_depth: int | None) -> list[tuple[str, int, int]]:
    """(unit id, depth, units hidden below it) in display order."""
    sizes = {u.id: 1 for u in org.units}
    for u in reversed(org.units):
        if u.parent is not None:
            sizes[u.parent] += sizes[u.id]
    out: list[tuple[str, int, int]] = []
    stack = [(r, 0) for r in reversed(org.child_ids(None))]
    while stack:
        uid, d = stack.pop()
        kids = org.child_ids(uid)
        collapsed = bool(kids) and max_depth is not None and d + 1 >= max_depth
        out.append((uid, d, sizes[uid] - 1 if collapsed else 0))
        if not collapsed:
            stack.extend((c, d + 1) for c in reversed(kids))
    return out


def _panel(
    org: Org,
    x0: int,
    y0: int,
    title: str,
    status: dict[str, str],
    notes: dict[str, str],
    flags: dict[str, list[Violation]],
    max_depth: int | None,
) -> tuple[list[str], int]:
    rows = _rows(org, max_depth)
    parts = [f'<text x="{x0}" y="{y0 - 12}" class="title">{escape(title)}</text>']
    pos: dict[str, tuple[int, int]] = {}
    for i, (uid, d, hidden) in enumerate(rows):
        u = org[uid]
        x, y = x0 + d * INDENT, y0 + i * ROW
        pos[uid] = (x, y)
        if u.parent in pos:
            px, py = pos[u.parent]
            parts.append(
                f'<path d="M{px + 8},{py + ROW - 6} V{y + ROW // 2 - 3} H{x}" class="link"/>'
            )
        st = status.get(uid, "plain")
        fill, stroke = _STYLE[st]
        bad = flags.get(uid)
        if bad:
            stroke = "#d00000"
        w = BOX_W - d * INDENT
        tip = escape("; ".join(f"{v.rule}: {violation_message(v)}" for v in bad)) if bad else ""
        parts.append(
            f"<g>{f'<title>{tip}</title>' if tip else ''}"
            f'<rect x="{x}" y="{y}" width="{w}" height="{ROW - 6}" rx="3" '
            f'fill="{fill}" stroke="{stroke}" stroke-width="{2 if bad else 1}"/>'
        )
        label = u.name if len(u.name) <= 42 else u.name[:40] + "…"
        cls = "name struck" if st == "closed" else "name"
        parts.append(f'<text x="{x + 6}" y="{y + 14}" class="{cls}">{escape(label)}</text>')
        info = f"{_('cs')} {u.civil_servants} · {u.leaders} {_('ld')}"
        if hidden:
            info = f"+{hidden} {_('below')} · " + info
        if uid in notes:
            info = notes[uid] + " · " + info
        parts.append(f'<text x="{x + w - 6}" y="{y + 14}" class="info">{escape(info)}</text>')
        if bad:
            parts.append(f'<text x="{x + w + 4}" y="{y + 15}" class="flag">!</text>')
        parts.append("</g>")
    return parts, y0 + len(rows) * ROW


_CSS = (
    "<style>text{font-family:'Segoe UI',Roboto,'Noto Sans',Arial,sans-serif;font-size:11px}"
    ".title{font-size:14px;font-weight:bold}.info{text-anchor:end;fill:#555;font-size:10px}"
    ".struck{text-decoration:line-through;fill:#8b0000}.flag{fill:#d00000;font-weight:bold;"
    "font-size:14px}.link{fill:none;stroke:#b0b7c3}</style>"
)


def _svg(parts: Iterable[str], width: int, height: int) -> str:
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}">{_CSS}{"".join(parts)}</svg>'
    )


def _flags(violations: Iterable[Violation]) -> dict[str, list[Violation]]:
    out: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        out[v.unit].append(v)
    return out


def org_chart(
    org: Org,
    *,
    violations: Iterable[Violation] = (),
    max_depth: int | None = None,
    title: str | None = None,
) -> Chart:
    """The chart of one model; units with violations flagged."""
    depth = max_depth if max_depth is not None else _depth_for(org, MAX_ROWS)
    parts, bottom = _panel(
        org, 10, 40, title or org.name or _("Organization"), {}, {}, _flags(violations), depth
    )
    return Chart(_svg(parts, BOX_W + 40, bottom + 20))


def outcome_chart(outcome: Outcome, *, max_depth: int | None = None) -> Chart:
    """Before and after side by side: removed units struck, merged ones marked, new ones green,
    units that break a rule flagged (after: the violations the plan introduces or leaves)."""
    d: Diff = outcome.diff
    before_status: dict[str, str] = {}
    before_notes: dict[str, str] = {}
    after_status: dict[str, str] = {}
    after_notes: dict[str, str] = {}
    for u in d.units:
        if u.status == "closed":
            before_status[u.id] = "merged" if u.merged_into else "closed"
            before_notes[u.id] = _("merged") if u.merged_into else _("removed")
        elif u.status == "new":
            after_status[u.id] = "merged" if u.merged_from else "new"
        elif u.status == "changed":
            after_status[u.id] = "merged" if u.merged_from else "changed"
        if u.merged_from and u.id in outcome.after:
            after_status[u.id] = "merged"
            after_notes[u.id] = _("merged from {n}", n=len(u.merged_from) + (u.status != "new"))
    depth = max_depth
    if depth is None:
        depth = _depth_for(outcome.before, MAX_ROWS)
    left, lb = _panel(
        outcome.before,
        10,
        40,
        _("Before"),
        before_status,
        before_notes,
        _flags(outcome.report_before.violations),
        depth,
    )
    right, rb = _panel(
        outcome.after,
        10 + BOX_W + PANEL_GAP,
        40,
        _("After"),
        after_status,
        after_notes,
        _flags(outcome.report_after.violations),
        depth,
    )
    legend_y = max(lb, rb) + 16
    legend = []
    for i, (key, label) in enumerate(
        (("closed", "removed"), ("merged", "merged"), ("new", "new"), ("changed", "changed"))
    ):
        fill, stroke = _STYLE[key]
        x = 10 + i * 110
        legend.append(
            f'<rect x="{x}" y="{legend_y}" width="14" height="12" fill="{fill}" '
            f'stroke="{stroke}"/><text x="{x + 18}" y="{legend_y + 10}">{escape(_(label))}</text>'
        )
    legend.append(
        f'<text x="{10 + 4 * 110}" y="{legend_y + 10}" class="flag">!</text>'
        f'<text x="{10 + 4 * 110 + 10}" y="{legend_y + 10}">{escape(_("breaks a rule"))}</text>'
        f'<text x="{10 + 5 * 110 + 10}" y="{legend_y + 10}">'
        f"{escape(_(LEGEND))}</text>"
    )
    width = 2 * BOX_W + PANEL_GAP + 40
    return Chart(_svg([*left, *right, *legend], width, legend_y + 30))
