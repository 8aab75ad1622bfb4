"""Organization charts as SVG, in pure Python (no system binary to install).

The layout is an indented org list: one row per unit, elbow connectors from parent to child,
which stays readable for a province of 200 units where a top-down tree would be metres wide.
Large models collapse below a depth. With a plan, before and after stand side by side: merged
units marked, removed units struck through, new units green, units that break a rule flagged.

A long name wraps onto a second line, and past that is shortened with an ellipsis; the box's
tooltip (an SVG ``<title>``) always holds the whole name, the id, the kind and the figures.
Widths are estimated conservatively (`text_width`: the widest common sans font, a margin for
Vietnamese diacritics), so a name never runs into the figures beside it. The legend wraps within
the drawing. `Chart.strips` cuts a tall chart between rows into page-sized drawings for print.

Every text in the SVG goes through `escape` (`orgmodel._escape.xml`): entities for ``& < > " '``
and no character XML refuses; nothing in a chart links or runs anything.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from ._diff import Diff
from ._escape import xml as escape
from ._i18n import LEGEND, _, kind_label, language, number, violation_message
from ._model import ID, PARENT, Org
from ._rules import Violation
from ._simulate import Outcome

INDENT = 22
BOX_W = 330
MIN_W = 180  # a box is never narrower, however deep the unit
PANEL_GAP = 60
MAX_ROWS = 400
NAME_PX, INFO_PX, LINE = 11, 10, 14
TOP = 40  # the first row, under the panel titles

_STYLE = {
    "plain": ("#ffffff", "#8a94a6"),
    "closed": ("#fde8e8", "#c0392b"),
    "merged": ("#e6f0ff", "#2a6fdb"),
    "new": ("#e7f7ea", "#2e8b57"),
    "changed": ("#fff7db", "#b8860b"),
}

# One piece of the drawing: its top and bottom, whether a cut may not pass through it (a box,
# a line of text; connectors may be cut), and its SVG.
Item = tuple[int, int, bool, str]


@dataclass(frozen=True)
class Chart:
    """An SVG organization chart: shows itself in a notebook, saves to a file."""

    svg: str
    width: int = 0
    height: int = 0
    # the drawing's columns (each panel's items), then its legend: `strips` cuts each column
    # between its own rows
    lanes: tuple[tuple[Item, ...], ...] = field(default=(), repr=False, compare=False)

    def _repr_svg_(self) -> str:
        return self.svg

    def save(self, path: str) -> None:
        from ._io import write_text_atomic

        write_text_atomic(path, self.svg)

    def strips(self, max_height: int) -> list[str]:
        """The chart as drawings at most `max_height` tall (in the chart's units), for print: one
        per page. Each panel is cut between its own rows, so that no row is split; the legend
        comes whole at the end."""
        if len(self.lanes) < 2 or self.height <= max_height:
            return [self.svg]
        *columns, legend = self.lanes
        ranges = [_cuts(lane, max_height) for lane in columns]
        n = max(len(r) for r in ranges)
        strips: list[tuple[int, list[str]]] = []
        for k in range(n):
            parts: list[str] = []
            height = 0
            for lane, cuts in zip(columns, ranges, strict=True):
                if k >= len(cuts):
                    continue
                a, b = cuts[k]
                inner = [m for t, bot, _s, m in lane if bot >= a and t < b]
                parts.append(f'<g transform="translate(0,{-a})">{"".join(inner)}</g>')
                height = max(height, b - a)
            strips.append((height, parts))
        if legend:
            top = min(t for t, *_r in legend)
            size = max(b for _t, b, *_r in legend) - top + 6
            if strips[-1][0] + size > max_height:
                strips.append((0, []))
            h, parts = strips[-1]
            marks = "".join(m for *_r, m in legend)
            parts.append(f'<g transform="translate(0,{h + 4 - top})">{marks}</g>')
            strips[-1] = (h + 4 + size, parts)
        return [_svg(parts, self.width, h) for h, parts in strips]


def _cuts(lane: tuple[Item, ...], max_height: int) -> list[tuple[int, int]]:
    """Where to cut one column: ranges at most `max_height` tall, each cut between two rows."""
    if not lane:
        return []
    solid = sorted((t, b) for t, b, s, _m in lane if s)
    merged: list[list[int]] = []
    for t, b in solid:
        if merged and t <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], b)
        else:
            merged.append([t, b])
    end = max(b for _t, b, *_r in lane) + 2
    gaps = [merged[i][1] + 1 for i in range(len(merged) - 1)]
    out, top = [], 0
    while end - top > max_height:
        fit = [g for g in gaps if top < g <= top + max_height]
        cut = fit[-1] if fit else top + max_height
        out.append((top, cut))
        top = cut
    out.append((top, end))
    return out


# -- text widths --------------------------------------------------------------------------------
_NARROW = set("fijlrtI.,:;!|'()[]{}/-")
_WIDE = set("mwMW@%")


def text_width(text: str, size: float) -> float:
    """A conservative width of `text` in pixels at font size `size`: the advances of DejaVu Sans
    (wider than Arial, Roboto, Segoe UI or Noto Sans) rounded up, a margin for a letter with
    diacritics (ắ, ộ, ự), and 5% on top."""
    em = 0.0
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        if base == " ":
            w = 0.34
        elif base in _NARROW:
            w = 0.42
        elif base in _WIDE:
            w = 1.0
        elif base.isdigit():
            w = 0.64
        elif base.isupper():
            w = 0.8
        elif base.isalpha() and unicodedata.east_asian_width(base) not in "WF":
            w = 0.64
        else:
            w = 1.0  # symbols (· → …) and wide scripts
        em += w + (0.02 if ch != base else 0.0)
    return em * size * 1.05


def _ellipsize(text: str, width: float, size: float) -> str:
    if text_width(text, size) <= width:
        return text
    while text and text_width(text + "…", size) > width:
        text = text[:-1]
    return text.rstrip() + "…"


def wrap(text: str, width: float, size: float, lines: int = 2) -> tuple[list[str], bool]:
    """`text` in at most `lines` lines no wider than `width`; True when it had to be shortened."""
    out: list[str] = []
    cur = ""
    for word in text.split():
        trial = f"{cur} {word}" if cur else word
        if not cur or text_width(trial, size) <= width:
            cur = trial
        else:
            out.append(cur)
            cur = word
    out.append(cur)
    cut = False
    if len(out) > lines:
        out = [*out[: lines - 1], " ".join(out[lines - 1 :]) + " "]
        cut = True
    fitted = [_ellipsize(line, width, size) for line in out]
    return fitted, cut or fitted != out


# -- layout -------------------------------------------------------------------------------------
def depth_fitting(org: Org, cap: int) -> int:
    """The deepest level such that the units down to it number at most `cap` (at least 1)."""
    # level by level from the top, counting each level from its parents' children lists and
    # stopping at the first that goes over: the work is that of the levels shown
    kids = org._children
    level: Sequence[str] = kids[None]
    total, best = 0, 0
    while level:
        total += len(level)
        if total > cap:
            break
        best += 1
        if total + sum(map(len, map(kids.__getitem__, level))) > cap:
            break  # the next level goes over: its ids are not listed
        level = [c for u in level for c in kids[u]]
    return max(best, 1)


def _depth_for(org: Org, cap: int) -> int | None:
    return None if len(org) <= cap else depth_fitting(org, cap)


def _rows(org: Org, max_depth: int | None) -> list[tuple[str, int, int]]:
    """(unit id, depth, units hidden below it) in display order."""
    sizes = dict.fromkeys(org._index, 1)
    for r in reversed(org._rows):
        p = r[PARENT]
        if p is not None:
            sizes[p] += sizes[r[ID]]
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


def _tooltip(org: Org, uid: str, note: str, bad: list[Violation] | None) -> str:
    u = org[uid]
    lang = language()
    lines = [
        u.name,
        f"{kind_label(u.kind.value)} · {u.id}",
        f"{_('civil servants')}: {number(u.civil_servants, lang)}; {_('leaders')}: "
        f"{number(u.leaders, lang)} ({u.head} {_('head')} + {u.deputies} {_('deputies')})",
    ]
    if note:
        lines.append(note)
    bad = bad or []
    lines += [f"! {violation_message(v)}" for v in bad[:3]]
    if len(bad) > 3:
        lines.append("… " + _("and {n} more", n=number(len(bad) - 3, lang)))
    return escape("\n".join(lines))


def _panel(
    org: Org,
    x0: int,
    title: str,
    status: dict[str, str],
    notes: dict[str, str],
    tips: dict[str, str],
    flags: dict[str, list[Violation]],
    max_depth: int | None,
) -> tuple[list[Item], int, int]:
    """The items of one panel, its bottom and its right edge."""
    lang = language()
    items: list[Item] = [
        (
            TOP - 28,
            TOP - 8,
            True,
            f'<text x="{x0}" y="{TOP - 12}" class="title">{escape(title)}</text>',
        )
    ]
    pos: dict[str, tuple[int, int, int]] = {}  # id -> x, top, bottom of its box
    y, right = TOP, x0
    for uid, d, hidden in _rows(org, max_depth):
        u = org[uid]
        x = x0 + d * INDENT
        w = max(BOX_W - d * INDENT, MIN_W)
        info = f"{_('cs')} {number(u.civil_servants, lang)} · {u.leaders} {_('ld')}"
        if hidden:
            info = f"+{number(hidden, lang)} {_('below')} · " + info
        if uid in notes:
            info = notes[uid] + " · " + info
        inner = w - 12
        iw = text_width(info, INFO_PX)
        own_line = iw + 10 + 110 > inner  # the figures take a line of their own
        name_w = inner if own_line else inner - iw - 10
        lines, _cut = wrap(u.name, name_w, NAME_PX)
        if own_line:
            info = _ellipsize(info, inner, INFO_PX)
        n = len(lines) + own_line
        h = LINE * n + 6
        if u.parent in pos:
            px, _pt, pb = pos[u.parent]
            items.append(
                (pb, y + 10, False, f'<path d="M{px + 8},{pb} V{y + 10} H{x}" class="link"/>')
            )
        pos[uid] = (x, y, y + h)
        st = status.get(uid, "plain")
        fill, stroke = _STYLE[st]
        bad = flags.get(uid)
        if bad:
            stroke = "#d00000"
        cls = "name struck" if st == "closed" else "name"
        texts = "".join(
            f'<text x="{x + 6}" y="{y + 14 + i * LINE}" class="{cls}">{escape(line)}</text>'
            for i, line in enumerate(lines)
        )
        info_y = y + 14 + (len(lines) * LINE if own_line else 0)
        flag = f'<text x="{x + w + 4}" y="{y + 15}" class="flag">!</text>' if bad else ""
        items.append(
            (
                y,
                y + h,
                True,
                f"<g><title>{_tooltip(org, uid, tips.get(uid, ''), bad)}</title>"
                f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="3" fill="{fill}" '
                f'stroke="{stroke}" stroke-width="{2 if bad else 1}"/>{texts}'
                f'<text x="{x + w - 6}" y="{info_y}" class="info">{escape(info)}</text>{flag}</g>',
            )
        )
        y += h + 6
        right = max(right, x + w + (14 if bad else 0))
    return items, y, right


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


def _legend(
    keys: Iterable[tuple[str, str]], flag: bool, extra: list[str], y: int, width: int
) -> tuple[list[Item], int]:
    """The legend, wrapped within `width`: coloured boxes, the flag, then the sentences."""
    # each entry: its mark (coloured box or flag), its label
    entries: list[tuple[str, str]] = []
    for key, label in keys:
        fill, stroke = _STYLE[key]
        entries.append((f'width="14" height="12" fill="{fill}" stroke="{stroke}"/>', _(label)))
    if flag:
        entries.append(("", _("breaks a rule")))
    items: list[Item] = []
    x, avail = 10, width - 20
    for box, label in entries:
        w = 18 + text_width(label, NAME_PX)
        if x > 10 and x + w > avail:
            x, y = 10, y + 18
        mark = (
            f'<rect x="{x}" y="{y}" {box}'
            if box
            else f'<text x="{x + 3}" y="{y + 11}" class="flag">!</text>'
        )
        text = f'<text x="{x + 18}" y="{y + 10}">{escape(label)}</text>'
        items.append((y, y + 14, True, mark + text))
        x += int(w) + 24
    if entries:
        y += 22
    for sentence in extra:
        lines, _cut = wrap(sentence, avail, NAME_PX, lines=10)
        for line in lines:
            items.append((y, y + 14, True, f'<text x="10" y="{y + 10}">{escape(line)}</text>'))
            y += 16
    return items, y + 6


def _flags(violations: Iterable[Violation]) -> dict[str, list[Violation]]:
    out: dict[str, list[Violation]] = defaultdict(list)
    for v in violations:
        out[v.unit].append(v)
    return out


def _chart(lanes: list[list[Item]], width: int, height: int) -> Chart:
    svg = _svg((m for lane in lanes for *_r, m in lane), width, height)
    return Chart(svg, width, height, tuple(tuple(lane) for lane in lanes))


def org_chart(
    org: Org,
    *,
    violations: Iterable[Violation] = (),
    max_depth: int | None = None,
    title: str | None = None,
) -> Chart:
    """The chart of one model; units with violations flagged."""
    depth = max_depth if max_depth is not None else _depth_for(org, MAX_ROWS)
    flags = _flags(violations)
    items, bottom, right = _panel(
        org, 10, title or org.name or _("Organization"), {}, {}, {}, flags, depth
    )
    width = max(BOX_W + 40, right + 20)
    extra = [_(LEGEND)]
    if depth is not None and any(h for _u, _d, h in _rows(org, depth)):
        extra.append(_("+N below: units under this one, not drawn"))
    legend, height = _legend((), bool(flags), extra, bottom + 10, width)
    return _chart([items, legend], width, height)


def outcome_chart(outcome: Outcome, *, max_depth: int | None = None) -> Chart:
    """Before and after side by side: removed units struck, merged ones marked, new ones green,
    units that break a rule flagged (after: the violations the plan introduces or leaves)."""
    d: Diff = outcome.diff
    before_status: dict[str, str] = {}
    before_notes: dict[str, str] = {}
    before_tips: dict[str, str] = {}
    after_status: dict[str, str] = {}
    after_notes: dict[str, str] = {}
    after_tips: dict[str, str] = {}
    for u in d.units:
        if u.status == "closed" and u.split_into:
            before_status[u.id] = "merged"
            before_notes[u.id] = _("split")
            parts = [outcome.after[x] for x in u.split_into if x in outcome.after]
            before_tips[u.id] = f"{_('split into')} " + "; ".join(
                f"{x.name} ({x.id})" for x in parts
            )
        elif u.status == "closed":
            before_status[u.id] = "merged" if u.merged_into else "closed"
            before_notes[u.id] = _("merged") if u.merged_into else _("dissolved")
            if u.merged_into and u.merged_into in outcome.after:
                into = outcome.after[u.merged_into]
                before_tips[u.id] = f"{_('merged into')} {into.name} ({into.id})"
            else:
                before_tips[u.id] = _("dissolved")
        elif u.status == "new":
            after_status[u.id] = "merged" if u.merged_from else "new"
            after_tips[u.id] = _("new")
        elif u.status == "changed":
            after_status[u.id] = "merged" if u.merged_from else "changed"
            after_tips[u.id] = _("changed")
        if u.split_from and not u.merged_from and u.id in outcome.after:
            after_status[u.id] = "merged"
            after_notes[u.id] = _("a part of {n}", n=len(u.split_from))
            names = [outcome.before[m].name if m in outcome.before else m for m in u.split_from]
            after_tips[u.id] = f"{_('took a part of')}: " + "; ".join(names)
        if u.merged_from and u.id in outcome.after:
            after_status[u.id] = "merged"
            after_notes[u.id] = _("merged from {n}", n=len(u.merged_from) + (u.status != "new"))
            names = [outcome.before[m].name if m in outcome.before else m for m in u.merged_from]
            after_tips[u.id] = f"{_('from')}: " + "; ".join(names)
    depth = max_depth
    if depth is None:
        depth = _depth_for(outcome.before, MAX_ROWS)
    flags_before = _flags(outcome.report_before.violations)
    flags_after = _flags(outcome.report_after.violations)
    left, lb, lr = _panel(
        outcome.before,
        10,
        _("Before"),
        before_status,
        before_notes,
        before_tips,
        flags_before,
        depth,
    )
    right, rb, rr = _panel(
        outcome.after,
        max(lr, 10 + BOX_W) + PANEL_GAP,
        _("After"),
        after_status,
        after_notes,
        after_tips,
        flags_after,
        depth,
    )
    width = max(rr + 20, 2 * BOX_W + PANEL_GAP + 40)
    keys = (("closed", "dissolved"), ("merged", "merged"), ("new", "new"), ("changed", "changed"))
    extra = [_(LEGEND)]
    if depth is not None:
        extra.append(_("+N below: units under this one, not drawn"))
    legend, height = _legend(
        keys, bool(flags_before or flags_after), extra, max(lb, rb) + 10, width
    )
    return _chart([left, right, legend], width, height)
