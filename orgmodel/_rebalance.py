"""Rebalancing people after a restructuring (điều động cán bộ): deputies held above the legal
maximum move, with their civil-servant posts, to vacant legal posts of units of the same kind
and level, nearest first, as a min-cost flow.

Definitions (docs/rebalance.md says them for users):

- a sender holds leadership posts above the legal maximum (`leadership_posts`: head + deputies
  above 1 + the smallest maximum a `max_deputies` rule sets); a receiver has vacant legal posts.
  Both are units a `max_deputies` rule covers.
- a sender may send to a receiver of the same kind and the same level (the level of the nearest
  People's Committee above it, or its own for a People's Committee) in the same province (the
  nearest provincial People's Committee above or at it; with none, the same top unit).
- tier: 0 the same parent, 1 the same nearest People's Committee, 2 the same province.
  cost = (tier x D + tree distance) x 2 + (1 when their functions do not overlap), D = the
  largest tree distance + 1: the tier dominates, then the distance, then the functions. Units
  that list no functions match when their names are the same.
- a sender's capacity: at most its posts above the maximum and its deputies, and no more than
  keeps every `min_civil_servants` rule it meets and keeps its own excess from growing (fewer
  civil servants can lower its band); the posts an edge can carry keep the minimums of the
  sender's ancestors below the two units' common ancestor. The flow is the maximum flow of
  least cost; the plan it gives is then simulated and checked, and a transfer that would
  introduce a finding (a rule and unit not found before, or a lawful finding made unlawful) is
  cut back one post at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Sequence
from typing import Any, cast

from ._errors import Msg, RulebookError, bilingual, msg
from ._i18n import _, citation_text, language, message_text, number, using
from ._model import Kind, Level, Org, Unit, as_day, require_org
from ._plan import Plan, Step, UnitFields
from ._rules import Entry, MinCivilServants, Rulebook, RuleSet, by_class, deputy_limit, run, select
from ._simulate import PostLine, Posts, leadership_posts, measures, simulate

# the notes of a rebalance (English message ids; Vietnamese in `_i18n.VI`; a step's note is a
# `Msg`, in `_i18n.ERRORS_VI`)
TIERS = ("same parent", "same People's Committee", "same province")
SAME_FUNCTIONS = "{where}, same functions"
PLAN_NAME = "Rebalance of {name}"
PLAN_NOTE = (
    "{moved} deputies transferred with their civil-servant posts. Left: {above} posts above "
    "the legal maximum (no vacancy of the same kind and level in the province to go to, or a "
    "minimum the move would break), {vacant} vacant legal posts no one can fill."
)


class _Tree:
    """Where units stand: ancestors, depth, People's Committee, level and province."""

    def __init__(self, org: Org) -> None:
        self.org = org
        self.depth: dict[str, int] = {}
        self.committee: dict[str, str | None] = {}  # nearest People's Committee above
        self.level: dict[str, Level | None] = {}
        self.province: dict[str, str] = {}
        for u in org.units:  # pre-order: a parent before its children
            p = u.parent
            if p is None:
                self.depth[u.id] = 0
                self.committee[u.id] = None
                top = u.id
            else:
                pu = org[p]
                self.depth[u.id] = self.depth[p] + 1
                self.committee[u.id] = p if pu.kind is Kind.PEOPLES_COMMITTEE else self.committee[p]
                top = self.province[p]
            if u.kind is Kind.PEOPLES_COMMITTEE:
                self.level[u.id] = u.level
            else:
                c = self.committee[u.id]
                self.level[u.id] = org[c].level if c is not None else None
            self.province[u.id] = u.id if _is_province(u) else top

    def chain(self, uid: str) -> list[str]:
        """The unit and its ancestors, nearest first."""
        out = [uid]
        p = self.org[uid].parent
        while p is not None:
            out.append(p)
            p = self.org[p].parent
        return out

    def common(self, a: str, b: str) -> tuple[str | None, int]:
        """The nearest common ancestor of two units (None: they have none) and their distance."""
        seen = set(self.chain(a))
        for c in self.chain(b):
            if c in seen:
                return c, self.depth[a] + self.depth[b] - 2 * self.depth[c]
        return None, self.depth[a] + self.depth[b] + 2

    def tier(self, x: Unit, y: Unit) -> int | None:
        if self.province[x.id] != self.province[y.id]:
            return None
        if x.parent == y.parent:
            return 0
        cx = self.committee[x.id]
        if cx is not None and cx == self.committee[y.id]:
            return 1
        return 2


def _is_province(u: Unit) -> bool:
    return u.kind is Kind.PEOPLES_COMMITTEE and u.level is Level.PROVINCE


def _matching(x: Unit, y: Unit) -> bool:
    """Do the units do the same work: their functions overlap, or (when either lists none)
    they bear the same name."""
    if x.functions and y.functions:
        return bool(set(x.functions) & set(y.functions))
    return " ".join(x.name.casefold().split()) == " ".join(y.name.casefold().split())


def _mins(books: RuleSet) -> tuple[Entry, ...]:
    return tuple(e for e in books.of_kind("min_civil_servants"))


def _slack(org: Org, books: RuleSet, mins: Sequence[Entry], uid: str, sub: dict[str, int]) -> int:
    """How many civil servants the subtree of `uid` may lose without breaking a minimum it
    meets (a large number when no minimum it meets applies)."""
    u = org[uid]
    parent = org.get(u.parent) if u.parent is not None else None
    most = sub[uid]
    for e in mins:
        rule = e.rule
        if not isinstance(rule, MinCivilServants) or not rule.applies_to.matches(u, parent):
            continue
        limit = by_class(rule.limit, org.province_class(uid))
        if limit is None or sub[uid] < limit:
            continue  # not known, or already under it: not this transfer's doing
        most = min(most, sub[uid] - int(limit))
    return most


def _capacity(
    org: Org, books: RuleSet, line: PostLine, sub: dict[str, int], ndiv: dict[str, int]
) -> int:
    """The posts a sender can send: at most its excess and its deputies; its own minimum kept
    (its civil servants go with the movers), and its excess not made worse by a lower band."""
    u = org[line.unit]
    parent = org.get(u.parent) if u.parent is not None else None
    cls = org.province_class(u.id)
    most = min(line.above, u.deputies, u.civil_servants)
    most = min(most, _slack(org, books, _mins(books), u.id, sub))
    cap = 0
    for k in range(1, most + 1):
        hit = deputy_limit(books, u, parent, cls, sub[u.id] - k, ndiv.get(u.id, 0))
        legal = line.legal if hit is None else 1 + hit[0]
        if max(0, u.leaders - k - legal) > line.above:
            break
        cap = k
    return cap


def _edge_room(
    tree: _Tree, books: RuleSet, mins: Sequence[Entry], x: str, top: str | None, sub: dict[str, int]
) -> int:
    """The posts that may leave `x`'s ancestors below `top` (their minimums kept)."""
    room = sub[x]
    for a in tree.chain(x)[1:]:
        if a == top:
            break
        room = min(room, _slack(tree.org, books, mins, a, sub))
    return room


def _flow(
    tree: _Tree,
    books: RuleSet,
    send: dict[str, int],
    take: dict[str, int],
    sub: dict[str, int],
) -> list[tuple[str, str, int, int]]:
    """The optimal assignment: (sender, receiver, posts, tier), in the model's order."""
    import networkx as nx

    org = tree.org
    order = {u.id: i for i, u in enumerate(org.units)}
    mins = _mins(books)
    senders = sorted((x for x, c in send.items() if c > 0), key=order.__getitem__)
    receivers = sorted((y for y, c in take.items() if c > 0), key=order.__getitem__)
    edges: list[tuple[str, str, int, int, int, bool]] = []
    for x in senders:
        ux = org[x]
        for y in receivers:
            uy = org[y]
            if uy.kind is not ux.kind or tree.level[x] is not tree.level[y]:
                continue
            tier = tree.tier(ux, uy)
            if tier is None:
                continue
            top, dist = tree.common(x, y)
            room = _edge_room(tree, books, mins, x, top, sub)
            if room > 0:
                edges.append((x, y, tier, dist, room, _matching(ux, uy)))
    if not edges:
        return []
    span = max(e[3] for e in edges) + 1
    g = nx.DiGraph()
    g.add_node("s")
    for x in senders:
        g.add_edge("s", ("x", x), capacity=send[x], weight=0)
    for x, y, tier, dist, room, same in edges:
        cost = (tier * span + dist) * 2 + (0 if same else 1)
        g.add_edge(("x", x), ("y", y), capacity=room, weight=cost)
    for y in receivers:
        g.add_edge(("y", y), "t", capacity=take[y], weight=0)
    if "t" not in g:
        return []
    flow = nx.max_flow_min_cost(g, "s", "t")
    out = []
    for x, y, tier, _dist, _room, _same in edges:
        n = flow[("x", x)].get(("y", y), 0)
        if n > 0:
            out.append((x, y, int(n), tier))
    return out


def _both(make: Callable[[str], str]) -> Msg:
    """A phrase the catalog or the data gives in both languages."""
    texts = {}
    for lang in ("en", "vi"):
        with using(lang):
            texts[lang] = make(lang)
    return bilingual(texts["en"], texts["vi"])


def _step(
    org: Org, x: str, y: str, n: int, tier: int, lines: dict[str, PostLine]
) -> tuple[Step, Msg]:
    """The transfer, and why (the rules of the sender's maximum and the receiver's vacancy)."""
    lx, ly = lines[x], lines[y]
    same = _matching(org[x], org[y])

    def where(lang: str) -> str:
        w = _(TIERS[tier])
        return _(SAME_FUNCTIONS, where=w) if same else w

    why = msg(
        "transfer_note",
        "{n:,} of the {above:,} posts above the legal maximum of {sender} ({sender_rule}, "
        "{sender_cite}) to {n:,} of the {vacant:,} vacant legal posts of {receiver} "
        "({receiver_rule}, {receiver_cite}); {where}",
        n=n,
        above=lx.above,
        sender=x,
        sender_rule=f"{lx.entry.book.id} {lx.entry.rule.id}",
        sender_cite=_both(lambda lang: citation_text(lx.entry.cite, lang)),
        vacant=ly.vacant,
        receiver=y,
        receiver_rule=f"{ly.entry.book.id} {ly.entry.rule.id}",
        receiver_cite=_both(lambda lang: citation_text(ly.entry.cite, lang)),
        where=_both(where),
    )
    step = Step(
        op="transfer",
        units=(x,),
        target=y,
        fields=UnitFields(deputies=n, civil_servants=n),
        note=message_text(why, language()),
    )
    return step, why


def _introduced(
    before: dict[tuple[str, str], bool], books: RuleSet, day: dt.date | None, after: Org
) -> list[str]:
    """The units where `after` has a finding the model before has not (`before`: its findings'
    keys -> lawful), or an unlawful one where the model's was lawful."""
    out = []
    for v in run(after, books, day).violations:
        was = before.get(v.key)
        if was is None or (was and not v.lawful):
            out.append(v.unit)
    return out


def transfers(
    org: Org,
    books: RuleSet,
    day: dt.date | None,
    *,
    senders: Collection[str] | None = None,
) -> list[Step]:
    """The transfer steps that move deputies held above the legal maximum in `org` (with their
    civil-servant posts) to vacant legal posts of units of the same kind and level, nearest
    first, as an optimal assignment; simulated on `org`, they introduce no finding. `books` are
    the rules (`_rules.select(rulebook, day)`); `senders`, when given, the only units that may
    send. Deterministic. Each step's note (in the current language) names the rules."""
    return [s for s, _why in transfer_steps(org, books, day, senders=senders)]


def transfer_steps(
    org: Org,
    books: RuleSet,
    day: dt.date | None,
    *,
    senders: Collection[str] | None = None,
) -> list[tuple[Step, Msg]]:
    """`transfers`, each step with its reason as a `Msg` (both languages)."""
    posts = leadership_posts(org, books, day)
    lines = posts.by_unit()
    send_lines = [x for x in posts.lines if x.above and (senders is None or x.unit in senders)]
    if not send_lines or not posts.vacant:
        return []
    tree = _Tree(org)
    sub, ndiv = measures(org)
    send = {x.unit: _capacity(org, books, x, sub, ndiv) for x in send_lines}
    take = {x.unit: x.vacant for x in posts.lines if x.vacant}
    before = {v.key: v.lawful for v in run(org, books, day).violations}
    while True:
        flows = _flow(tree, books, send, take, sub)
        if not flows:
            return []
        steps = [_step(org, x, y, n, tier, lines) for x, y, n, tier in flows]
        plan = Plan(steps=tuple(s for s, _why in steps), effective=day)
        after = simulate(org, plan, rulebook=cast(Any, books), as_of=day).after
        bad = _introduced(before, books, day, after)
        if not bad:
            return steps
        # cut back one post of the last transfer that touches a unit with a new finding
        cut = None
        for unit in bad:
            for x, y, _n, _t in reversed(flows):
                if unit in tree.chain(x):
                    cut = ("x", x)
                elif unit in tree.chain(y):
                    cut = ("y", y)
                else:
                    continue
                break
            if cut is not None:
                break
        if cut is None:  # pragma: no cover - a finding no transfer touches
            x = flows[-1][0]
            cut = ("x", x)
        # to one post below what it moved (a capacity above its flow would change nothing and
        # cost another round): each round moves at least one post fewer, so rounds are bounded
        side, uid = cut
        if side == "x":
            send[uid] = sum(n for x, _y, n, _t in flows if x == uid) - 1
        else:
            take[uid] = sum(n for _x, y, n, _t in flows if y == uid) - 1


def _books(rulebook: str | Rulebook | Sequence[str | Rulebook] | None, day: dt.date) -> RuleSet:
    try:
        return select(rulebook, day)
    except RulebookError:
        if rulebook is not None:
            raise
        return RuleSet(books=(), entries=(), day=day)


def rebalance(
    org: Org,
    plan: Plan | None = None,
    *,
    as_of: dt.date | str | None = None,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
) -> Plan:
    """A plan of `transfer` steps (điều động) that moves deputies held above the legal maximum,
    with their civil-servant posts, to vacant legal posts of units of the same kind and level,
    nearest first (the same parent, then the same People's Committee, then the same province;
    matching functions preferred), as an optimal assignment (a min-cost flow). A transfer never
    breaks a minimum the sender meets, and the plan introduces no finding.

    With `plan`, the transfers apply to the model the plan produces (`simulate(org, plan)
    .after`), judged on the same day and rules. The day is `as_of`, else the plan's effective
    date, the model's date or today; the returned plan is effective on it. Its note says what is
    left: posts above the maximum with nowhere to go, and vacancies no one can fill."""
    return rebalanced(org, plan, as_of=as_of, rulebook=rulebook)[0]


def rebalanced(
    org: Org,
    plan: Plan | None = None,
    *,
    as_of: dt.date | str | None = None,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
) -> tuple[Plan, Org]:
    """`rebalance`'s plan, and the model it applies to (`org`, or what `plan` makes of it)."""
    require_org(org, "rebalance")
    if plan is not None and not isinstance(plan, Plan):
        raise TypeError(
            f"rebalance() expects a Plan as plan= (got {type(plan).__name__}); "
            "load one with orgmodel.load_plan(path)"
        )
    day_given = as_day(as_of)
    if plan is not None:
        o = simulate(org, plan, rulebook=rulebook, as_of=day_given)
        base, books, day = o.after, o.books, o.day
    else:
        base = org
        day = day_given or org.as_of or dt.date.today()
        books = _books(rulebook, day)
    steps = transfers(base, books, day)
    after = simulate(base, Plan(steps=tuple(steps), effective=day), cast(Any, books), day).after
    left: Posts = leadership_posts(after, books, day)
    lang = language()
    moved = sum(s.fields.deputies or 0 for s in steps)
    moves = Plan(
        name=_(PLAN_NAME, name=base.name or _("the model")),
        effective=day,
        steps=tuple(steps),
        note=_(
            PLAN_NOTE,
            moved=number(moved, lang),
            above=number(left.above, lang),
            vacant=number(left.vacant, lang),
        ),
    )
    return moves, base


__all__ = ["rebalance", "rebalanced", "transfer_steps", "transfers"]
