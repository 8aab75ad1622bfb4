"""Before/after comparison of any two models, unit by unit and field by field."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._model import Org, Unit, require_org

if TYPE_CHECKING:
    from ._simulate import ChangeEvent

Status = Literal["new", "changed", "closed", "unchanged"]


@dataclass(frozen=True, slots=True)
class UnitDiff:
    """One unit's fate: new, changed (field by field), closed, or unchanged."""

    id: str
    status: Status
    name: str
    changes: Mapping[str, tuple[Any, Any]] = field(default_factory=dict)
    merged_into: str | None = None  # a closed unit folded into another
    merged_from: tuple[str, ...] = ()  # a unit that others were merged or absorbed into
    # a unit a split divided (chia, tách): every unit it lives on in (itself too, if it stayed)
    split_into: tuple[str, ...] = ()
    split_from: tuple[str, ...] = ()  # a unit that took a part of units a split divided

    @property
    def renamed(self) -> bool:
        return "name" in self.changes

    @property
    def moved(self) -> bool:
        return "parent" in self.changes


class Diff:
    """Every unit of either model with its status; unchanged units are kept as ids and
    materialized on demand (a national diff has ~100,000 of them)."""

    __slots__ = ("_entries", "_unchanged")

    def __init__(self, entries: Sequence[UnitDiff], unchanged: Sequence[Unit] = ()) -> None:
        self._entries = tuple(entries)
        self._unchanged = tuple(unchanged)

    @property
    def units(self) -> tuple[UnitDiff, ...]:
        return self._entries + self.unchanged

    @property
    def notable(self) -> tuple[UnitDiff, ...]:
        """The units that are new, changed or closed, or that others merged into."""
        return self._entries

    def _with(self, status: Status) -> tuple[UnitDiff, ...]:
        return tuple(u for u in self._entries if u.status == status)

    @property
    def added(self) -> tuple[UnitDiff, ...]:
        return self._with("new")

    @property
    def removed(self) -> tuple[UnitDiff, ...]:
        return self._with("closed")

    @property
    def changed(self) -> tuple[UnitDiff, ...]:
        return self._with("changed")

    @property
    def unchanged(self) -> tuple[UnitDiff, ...]:
        return self._with("unchanged") + tuple(
            UnitDiff(id=u.id, status="unchanged", name=u.name) for u in self._unchanged
        )

    @property
    def renamed(self) -> tuple[UnitDiff, ...]:
        return tuple(u for u in self._entries if u.renamed)

    @property
    def moved(self) -> tuple[UnitDiff, ...]:
        return tuple(u for u in self._entries if u.moved)

    @property
    def merged(self) -> dict[str, tuple[str, ...]]:
        """resulting unit -> the units merged or absorbed into it."""
        return {u.id: u.merged_from for u in self._entries if u.merged_from}

    @property
    def split(self) -> dict[str, tuple[str, ...]]:
        """unit a split divided -> every unit it lives on in."""
        return {u.id: u.split_into for u in self._entries if u.split_into}

    @property
    def is_empty(self) -> bool:
        return all(u.status == "unchanged" for u in self._entries)

    def counts(self) -> dict[str, int]:
        out = {"new": 0, "changed": 0, "closed": 0, "unchanged": len(self._unchanged)}
        for u in self._entries:
            out[u.status] += 1
        return out

    def to_frame(self) -> Any:
        """One row per unit of either model with its status (pandas; the `pandas` extra)."""
        from ._pandas import frame

        cols = ["id", "status", "name", "merged_into", "merged_from", "changes"]
        cols += ["split_into", "split_from"]
        rows = [
            {
                "id": u.id,
                "status": u.status,
                "name": u.name,
                "merged_into": u.merged_into,
                "merged_from": ", ".join(u.merged_from),
                "changes": "; ".join(
                    f"{k}: {_plain(a)} -> {_plain(b)}" for k, (a, b) in u.changes.items()
                ),
                "split_into": ", ".join(u.split_into),
                "split_from": ", ".join(u.split_from),
            }
            for u in self.units
        ]
        return frame(rows, cols)

    def to_json(self, **kw: Any) -> str:
        import json

        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_dict(self) -> dict[str, Any]:
        def val(v: Any) -> Any:
            if isinstance(v, tuple):
                return list(v)
            if hasattr(v, "isoformat"):
                return v.isoformat()
            return getattr(v, "value", v)

        return {
            "counts": self.counts(),
            "added": [u.id for u in self.added],
            "removed": [u.id for u in self.removed],
            "merged": [
                {"original": list(src), "resulting": rid} for rid, src in self.merged.items()
            ],
            "split": [
                {"original": rid, "resulting": list(parts)} for rid, parts in self.split.items()
            ],
            "renamed": [
                {"unit": u.id, "before": u.changes["name"][0], "after": u.changes["name"][1]}
                for u in self.renamed
            ],
            "moved": [
                {"unit": u.id, "before": u.changes["parent"][0], "after": u.changes["parent"][1]}
                for u in self.moved
            ],
            "changed": [
                {
                    "unit": u.id,
                    "changes": {
                        k: {"before": val(a), "after": val(b)} for k, (a, b) in u.changes.items()
                    },
                }
                for u in self.changed
            ],
        }


def _plain(v: Any) -> str:
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return str(getattr(v, "value", v))


def _changes(a: Unit, b: Unit) -> dict[str, tuple[Any, Any]]:
    da, db = a.__dict__, b.__dict__
    return {
        ("class" if f == "province_class" else f): (va, db[f])
        for f, va in da.items()
        if va != db[f]
    }


def diff(
    before: Org,
    after: Org,
    *,
    lineage: Mapping[str, str | None] | Sequence[ChangeEvent] | None = None,
) -> Diff:
    """Compare two models unit by unit. `lineage` is a simulation's (`Outcome.lineage`: each
    original unit id -> the id it lives on in, or None), or its events (`Outcome.events`), which
    are replayed once; without it, a closed unit whose surviving children all moved under one
    other unit counts as merged into that unit. Never recursive; linear in the models' sizes."""
    require_org(before, "diff")
    require_org(after, "diff", "second argument")
    if lineage is None:
        return _diff(before, after, None)
    if isinstance(lineage, Mapping):
        return _diff(before, after, lineage)
    if isinstance(lineage, (str, bytes)) or not isinstance(lineage, Sequence):
        raise TypeError(
            "diff() expects lineage= as Outcome.lineage (a mapping) or Outcome.events "
            f"(got {type(lineage).__name__})"
        )
    return _diff(before, after, *_replay(before, lineage))


H = TypeVar("H", bound=Hashable)


def split_spread(
    splits: Sequence[tuple[H, Sequence[H]]], nxt: Callable[[H], H | None]
) -> tuple[dict[H, dict[H, None]], Callable[[H], H]]:
    """Where split units live on. `splits`: in the order they happened, each split unit's
    retired node and the nodes of its parts (successor first); `nxt(n)`: the node `n` was
    merged or absorbed into, or None (a node that lives, or was dissolved). Returns, for each
    split node, the end nodes its parts live on in (ordered, without repeats), and `landing(n)`:
    the first split node or end on the way from `n` (`n` itself included). A split node is
    retired when it splits, so its parts' ways meet only later splits: in reverse order, each
    split's ends are made of those already known. Iterative; each node is walked once."""
    is_split = {s for s, _ in splits}
    land: dict[H, H] = {}

    def landing(n: H) -> H:
        path = []
        cur = n
        while cur not in land and cur not in is_split:
            f = nxt(cur)
            if f is None:
                break
            path.append(cur)
            cur = f
        end = land.get(cur, cur)
        for p in path:
            land[p] = end
        return end

    spread: dict[H, dict[H, None]] = {}
    for s, targets in reversed(splits):
        out: dict[H, None] = {}
        for t in targets:
            end = landing(t)
            if end in spread:
                out.update(spread[end])
            else:
                out[end] = None
        spread[s] = out
    return spread, landing


def lineage_from_events(before: Org, events: Sequence[ChangeEvent]) -> dict[str, str | None]:
    """Each unit of `before` -> the id it lives on in after `events`, or None when dissolved.

    Ids may be reused (merge a and c into b, then b and d into a): each unit that exists is an
    incarnation (a number), and an incarnation merged away points at the one it went into, so
    following the pointers always ends (they point from a retired incarnation to a live one)."""
    return _replay(before, events)[0]


def _replay(
    before: Org, events: Sequence[ChangeEvent]
) -> tuple[dict[str, str | None], dict[str, tuple[str, ...]]]:
    """`lineage_from_events`, and each unit a split divided -> every unit it lives on in."""
    live: dict[str, int] = {uid: k for k, uid in enumerate(before.ids)}
    fwd: list[int] = list(range(len(live)))  # fwd[k] == k: live (or last seen alive)
    dead: set[int] = set()
    splits: list[tuple[int, list[int]]] = []

    def fresh() -> int:
        fwd.append(len(fwd))
        return len(fwd) - 1

    for e in events:
        if e.event in ("merge", "absorb") and e.resulting:
            rid = e.resulting[0]
            target = live[rid] if e.event == "absorb" and rid in live else fresh()
            for o in e.original:
                k = live.pop(o, None)
                if k is not None and k != target:
                    fwd[k] = target
            live[rid] = target
        elif e.event == "dissolve":
            for o in e.original:
                k = live.pop(o, None)
                if k is not None:
                    dead.add(k)
        elif e.event == "create" and e.resulting:
            live[e.resulting[0]] = fresh()
        elif e.event == "split" and e.original and e.resulting:
            k = live.pop(e.original[0], None)
            targets = []
            for r in e.resulting:  # the successor first; a part that is no unit yet is new
                t = live.get(r)
                if t is None:
                    t = live[r] = fresh()
                targets.append(t)
            if k is not None:
                fwd[k] = targets[0]
                splits.append((k, targets))
    name = {k: uid for uid, k in live.items()}
    spread_ids: dict[str, tuple[str, ...]] = {}
    if splits:

        def nxt(k: int) -> int | None:
            return None if fwd[k] == k else fwd[k]

        spread, landing = split_spread(splits, nxt)
        for k, uid in enumerate(before.ids):
            ends = spread.get(landing(k))
            if ends is not None:
                spread_ids[uid] = tuple(name[t] for t in ends if t not in dead and t in name)
    out: dict[str, str | None] = {}
    for k, uid in enumerate(before.ids):
        top = k
        while fwd[top] != top:
            top = fwd[top]
        while fwd[k] != top:  # path compression
            fwd[k], k = top, fwd[k]
        out[uid] = None if top in dead else name.get(top)
    return out, spread_ids


def _diff(
    before: Org,
    after: Org,
    lineage: Mapping[str, str | None] | None,
    split_into: Mapping[str, tuple[str, ...]] | None = None,
) -> Diff:
    """Compare two models. With `lineage` merges are exact, and a unit whose id the plan reused
    for another unit (dissolved, then created again) is closed and new; without it, a closed
    unit whose surviving children all moved under one other unit counts as merged into it.
    `split_into` (a simulation's) names the units a split divided and where they live on: such
    a unit is split into those units, not merged into its successor."""
    b_ids, a_ids = before.ids, after.ids
    merged_into: dict[str, str] = {}
    split_into = split_into or {}
    reborn: set[str] = set()  # ids in both models naming different units
    if lineage is not None:
        for uid in b_ids:
            r = lineage.get(uid, uid)
            if r != uid:
                if r is not None and uid not in split_into:
                    merged_into[uid] = r
                if uid in a_ids:
                    reborn.add(uid)
    else:
        for uid in b_ids:
            if uid in a_ids:
                continue
            kids = [c for c in before.child_ids(uid) if c in a_ids]
            parents = {a_ids[c].parent for c in kids}
            if len(parents) == 1:
                p = parents.pop()
                if p is not None and p != uid:
                    merged_into[uid] = p
    merged_from: dict[str, list[str]] = {}
    for o, r in merged_into.items():
        merged_from.setdefault(r, []).append(o)
    split_from: dict[str, list[str]] = {}
    for o, parts in split_into.items():
        for r in parts:
            if r != o or o in reborn:  # a part under the split unit's id is another unit
                split_from.setdefault(r, []).append(o)

    out: list[UnitDiff] = []
    same: list[Unit] = []
    get = a_ids.get
    for u in before.units:
        other = None if u.id in reborn else get(u.id)
        # field values compared as dicts (C speed); the units are frozen and carry nothing else
        plain = other is u or (
            other is not None and other.__dict__ == u.__dict__ and u.id not in merged_from
        )
        if plain and u.id not in split_from and u.id not in split_into:
            same.append(u)
        elif other is None:
            out.append(
                UnitDiff(
                    id=u.id,
                    status="closed",
                    name=u.name,
                    merged_into=merged_into.get(u.id),
                    split_into=split_into.get(u.id, ()),
                )
            )
        elif other.__dict__ == u.__dict__:
            out.append(
                UnitDiff(
                    id=u.id,
                    status="unchanged",
                    name=u.name,
                    merged_from=tuple(merged_from.get(u.id, ())),
                    split_into=split_into.get(u.id, ()),
                    split_from=tuple(split_from.get(u.id, ())),
                )
            )
        else:
            out.append(
                UnitDiff(
                    id=u.id,
                    status="changed",
                    name=other.name,
                    changes=_changes(u, other),
                    merged_from=tuple(merged_from.get(u.id, ())),
                    split_into=split_into.get(u.id, ()),
                    split_from=tuple(split_from.get(u.id, ())),
                )
            )
    for u in after.units:
        if u.id not in b_ids or u.id in reborn:
            out.append(
                UnitDiff(
                    id=u.id,
                    status="new",
                    name=u.name,
                    merged_from=tuple(merged_from.get(u.id, ())),
                    split_from=tuple(split_from.get(u.id, ())),
                )
            )
    return Diff(out, same)
