"""Before/after comparison of any two models, unit by unit and field by field."""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field, fields
from itertools import chain, compress, filterfalse, repeat
from operator import and_, attrgetter, is_, is_not, itemgetter, ne, not_
from typing import TYPE_CHECKING, Any, Literal, TypeVar

from ._io import Stream, json_dumps_parts, materialized
from ._model import (
    _CLASS_OF,
    _KIND_OF,
    _LEVEL_OF,
    NAME,
    PARENT,
    STATED,
    UNIT_FIELDS,
    Org,
    Unit,
    rec,
    require_org,
)

if TYPE_CHECKING:
    from ._simulate import ChangeEvent

Status = Literal["new", "changed", "closed", "unchanged"]
_ID = attrgetter("id")
_NAME = attrgetter("name")
_PARENT = attrgetter("parent")
# the models' rows (`orgmodel._model`): the diff reads them, no Unit made
_RID, _RNAME, _RPARENT = itemgetter(0), itemgetter(2), itemgetter(3)
Row = tuple[Any, ...]


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


_LATER = ("merged_into", "merged_from", "split_into", "split_from")


def _fields_setter() -> Callable[..., UnitDiff]:
    """`make(id, status, name, changes, merged_into, merged_from, split_into, split_from)`: a
    `UnitDiff` equal to ``UnitDiff(...)`` with the same arguments, its slots filled directly (a
    frozen dataclass's own __init__ goes through object.__setattr__ for each field: three
    times slower, and a national diff makes ~100,000 of them)."""
    names = tuple(f.name for f in fields(UnitDiff))
    assert names == ("id", "status", "name", "changes", *_LATER) and not hasattr(
        UnitDiff, "__post_init__"
    )
    s0, s1, s2, s3, s4, s5, s6, s7 = (UnitDiff.__dict__[n].__set__ for n in names)
    new = object.__new__

    def make(
        id: str,
        status: Status,
        name: str,
        changes: Mapping[str, tuple[Any, Any]],
        merged_into: str | None,
        merged_from: tuple[str, ...],
        split_into: tuple[str, ...],
        split_from: tuple[str, ...],
    ) -> UnitDiff:
        u = new(UnitDiff)
        s0(u, id)
        s1(u, status)
        s2(u, name)
        s3(u, changes)
        s4(u, merged_into)
        s5(u, merged_from)
        s6(u, split_into)
        s7(u, split_from)
        return u

    return make


_unit_diff = _fields_setter()


class Diff:
    """Every unit of either model with its status; unchanged units are kept as ids and
    materialized on demand (a national diff has ~100,000 of them).

    A diff the library computes keeps its findings as columns (`_Cols`): the counts, the ids
    added and removed and the JSON are read from them; the `UnitDiff` entries are made once,
    on first use."""

    __slots__ = ("_cols", "_ent", "_names", "_same", "_statuses")

    def __init__(self, entries: Sequence[UnitDiff], unchanged: Sequence[Unit] = ()) -> None:
        self._ent: tuple[UnitDiff, ...] | None = tuple(entries)
        self._same: tuple[Unit, ...] | None = tuple(unchanged)
        self._cols: _Cols | None = None
        self._statuses: dict[str, str] | None = None
        self._names: dict[str, str] | None = None

    @classmethod
    def _of(cls, cols: _Cols) -> Diff:
        self = object.__new__(cls)
        self._ent = self._same = self._statuses = self._names = None
        self._cols = cols
        return self

    def _status_by_id(self) -> dict[str, str]:
        """Each unit's status by id, as ``{u.id: u.status for u in self.units}`` (a reused id:
        its new unit's), made once; no `UnitDiff` made for it. Read it, do not change it."""
        if self._statuses is None:
            cols = self._cols
            if self._ent is None and cols is not None:  # no id is both an entry and unchanged
                out = dict.fromkeys(map(_ID, self._unchanged), "unchanged")
                words = ("closed", "unchanged", "changed")
                at = _ids_at(cols.units, cols.ent)
                out.update(zip(at, map(words.__getitem__, cols.codes), strict=True))
                out.update(dict.fromkeys(map(_RID, cols.new), "new"))
            else:
                out = {e.id: e.status for e in self.units}
            self._statuses = out
        return self._statuses

    def _name_by_id(self) -> dict[str, str]:
        """Each unit's name by id, as ``{u.id: u.name for u in self.units}`` (a changed unit's
        name after), made once; no `UnitDiff` made for it. Read it, do not change it."""
        if self._names is None:
            cols = self._cols
            if self._ent is None and cols is not None:  # no id is both an entry and unchanged
                same = self._unchanged
                out = dict(zip(map(_ID, same), map(_NAME, same), strict=True))
                units, others = cols.units, cols.others
                for i, c in zip(cols.ent, cols.codes, strict=True):
                    u = units[i]
                    o = others[i] if c == _CHANGED else u
                    assert o is not None
                    out[u[0]] = o[2]
                out.update((u[0], u[2]) for u in cols.new)
            else:
                out = {e.id: e.name for e in self.units}
            self._names = out
        return self._names

    @property
    def _entries(self) -> tuple[UnitDiff, ...]:
        if self._ent is None:
            assert self._cols is not None
            self._ent = self._cols.entries()
        return self._ent

    @property
    def _unchanged(self) -> tuple[Unit, ...]:
        if self._same is None:
            assert self._cols is not None
            self._same = self._cols.same()
        return self._same

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
            _unit_diff(u.id, "unchanged", u.name, {}, None, (), (), ()) for u in self._unchanged
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
        if self._ent is None and self._cols is not None:
            return self._cols.merged()
        return {u.id: u.merged_from for u in self._entries if u.merged_from}

    @property
    def split(self) -> dict[str, tuple[str, ...]]:
        """unit a split divided -> every unit it lives on in."""
        if self._ent is None and self._cols is not None:
            return self._cols.split()
        return {u.id: u.split_into for u in self._entries if u.split_into}

    @property
    def is_empty(self) -> bool:
        c = self.counts()
        return not (c["new"] or c["changed"] or c["closed"])

    def counts(self) -> dict[str, int]:
        if self._cols is not None:
            return dict(self._cols.counts)
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
        """`json.dumps` of `to_dict`, with its keywords; without any, written in parts."""
        import json

        if not kw:
            return json_dumps_parts(self._report_parts())
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)

    def to_dict(self) -> dict[str, Any]:
        made: dict[str, Any] = materialized(self._report_parts())
        return made

    def _report_parts(self) -> dict[str, Any]:
        """`to_dict` with its long lists of dicts given as `Stream`s (made item by item as they
        are written: `json_report_parts`)."""
        cols = self._cols
        changed: Any
        if self._ent is None and cols is not None:  # from the columns, no entry made
            added = [u[0] for u in cols.new]
            removed = cols.removed()
            renamed, moved = cols.renamed_moved()
            changed = Stream(cols.changed)
        else:
            added = [u.id for u in self.added]
            removed = [u.id for u in self.removed]
            renamed = [
                {"unit": u.id, "before": u.changes["name"][0], "after": u.changes["name"][1]}
                for u in self.renamed
            ]
            moved = [
                {"unit": u.id, "before": u.changes["parent"][0], "after": u.changes["parent"][1]}
                for u in self.moved
            ]
            changed = [
                {
                    "unit": u.id,
                    "changes": {
                        k: {"before": _val(a), "after": _val(b)} for k, (a, b) in u.changes.items()
                    },
                }
                for u in self.changed
            ]
        merged = self.merged
        return {
            "counts": self.counts(),
            "added": added,
            "removed": removed,
            "merged": Stream(
                lambda: ({"original": list(src), "resulting": rid} for rid, src in merged.items())
            ),
            "split": [
                {"original": rid, "resulting": list(parts)} for rid, parts in self.split.items()
            ],
            "renamed": renamed,
            "moved": moved,
            "changed": changed,
        }


def _val(v: Any) -> Any:
    """A field's value in JSON: a tuple as a list, a date in ISO form, an enum as its value."""
    t = type(v)
    if t is str or t is int or v is None:
        return v
    if isinstance(v, tuple):
        return list(v)
    if hasattr(v, "isoformat"):
        return v.isoformat()
    return getattr(v, "value", v)


def _plain(v: Any) -> str:
    if isinstance(v, tuple):
        return ", ".join(map(str, v))
    return str(getattr(v, "value", v))


def _row_changes(a: Row, b: Row) -> dict[str, tuple[Any, Any]]:
    """The fields two rows differ in, with the values a `Unit` has (kind, level and class as
    their enum members)."""
    out: dict[str, tuple[Any, Any]] = {}
    for f, va, vb in zip(UNIT_FIELDS, a, b, strict=False):  # (not the fields stated)
        if va != vb:
            conv = _ENUMS.get(f)
            if conv is not None:
                va, vb = conv[va], conv[vb]
            out["class" if f == "province_class" else f] = (va, vb)
    return out


_ENUMS: dict[str, dict[Any, Any]] = {
    "kind": _KIND_OF,
    "level": _LEVEL_OF,
    "province_class": _CLASS_OF,
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


_CLOSED, _SAME, _CHANGED = 0, 1, 2  # an entry's status in `_Cols.codes` (_SAME: "unchanged")


class _Cols:
    """A diff as columns: the model before's units, each one's counterpart after (or None),
    the positions of the units that are entries with their status codes, the new units, and
    the merge and split maps. Entries, unchanged units and the JSON are made from these."""

    __slots__ = (
        "_mf",
        "after_by",
        "codes",
        "counts",
        "ent",
        "merged_into",
        "new",
        "others",
        "split_from",
        "split_into",
        "units",
    )

    def __init__(
        self,
        units: Sequence[Row],
        others: list[Row | None],
        ent: list[int],
        codes: bytearray,
        new: list[Row],
        merged_into: dict[str, str],
        split_into: Mapping[str, tuple[str, ...]],
        split_from: dict[str, list[str]],
    ) -> None:
        self.units = units
        self.others = others
        self.ent = ent
        self.codes = codes
        self.new = new
        self.merged_into = merged_into
        self.split_into = split_into
        self.split_from = split_from
        self._mf: dict[str, tuple[str, ...]] | None = None
        closed, same = codes.count(_CLOSED), codes.count(_SAME)
        self.counts = {
            "new": len(new),
            "changed": len(codes) - closed - same,
            "closed": closed,
            "unchanged": len(units) - len(ent) + same,
        }

    @property
    def merged_from(self) -> dict[str, tuple[str, ...]]:
        """resulting unit -> the units merged into it, in the order `merged_into` has them."""
        if self._mf is None:
            acc: dict[str, list[str]] = {}
            for o, r in self.merged_into.items():
                acc.setdefault(r, []).append(o)
            self._mf = {r: tuple(v) for r, v in acc.items()}
        return self._mf

    def entries(self) -> tuple[UnitDiff, ...]:
        units, others, si = self.units, self.others, self.split_into
        mi, mf = self.merged_into, self.merged_from
        sf = {r: tuple(v) for r, v in self.split_from.items()}
        out: list[UnitDiff] = []
        add = out.append
        for i, c in zip(self.ent, self.codes, strict=True):
            u = units[i]
            uid = u[0]
            if c == _CLOSED:
                add(_unit_diff(uid, "closed", u[2], {}, mi.get(uid), (), si.get(uid, ()), ()))
            elif c == _SAME:
                add(
                    _unit_diff(
                        uid,
                        "unchanged",
                        u[2],
                        {},
                        None,
                        mf.get(uid, ()),
                        si.get(uid, ()),
                        sf.get(uid, ()),
                    )
                )
            else:
                o = others[i]
                assert o is not None
                add(
                    _unit_diff(
                        uid,
                        "changed",
                        o[2],
                        _row_changes(u, o),
                        None,
                        mf.get(uid, ()),
                        si.get(uid, ()),
                        sf.get(uid, ()),
                    )
                )
        for u in self.new:
            uid = u[0]
            add(_unit_diff(uid, "new", u[2], {}, None, mf.get(uid, ()), (), sf.get(uid, ())))
        return tuple(out)

    def same(self) -> tuple[Any, ...]:
        keep = bytearray(b"\x01") * len(self.units)
        for i in self.ent:
            keep[i] = 0
        return tuple(map(rec, compress(self.units, keep)))  # read by name

    def removed(self) -> list[str]:
        units = self.units
        return [units[i][0] for i, c in zip(self.ent, self.codes, strict=True) if c == _CLOSED]

    def _changed_pairs(self) -> Iterator[tuple[Row, Row]]:
        units, others = self.units, self.others
        for i in compress(self.ent, map(_CHANGED.__eq__, self.codes)):
            yield units[i], others[i]  # type: ignore[misc]

    def renamed_moved(self) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
        """The JSON rows of the renamed and the moved units (their name, their parent)."""
        renamed: list[dict[str, Any]] = []
        moved: list[dict[str, Any]] = []
        for u, o in self._changed_pairs():
            if u[NAME] != o[NAME]:
                renamed.append({"unit": u[0], "before": u[NAME], "after": o[NAME]})
            if u[PARENT] != o[PARENT]:
                moved.append({"unit": u[0], "before": u[PARENT], "after": o[PARENT]})
        return renamed, moved

    def changed(self) -> Iterator[dict[str, Any]]:
        """The JSON row of each changed unit, its fields before and after (not the fields
        stated), made one at a time."""
        for u, o in self._changed_pairs():
            ch: dict[str, Any] = {}
            for f, va, vb in zip(UNIT_FIELDS, u, o, strict=False):
                if va != vb:
                    key = "class" if f == "province_class" else f
                    ch[key] = {"before": _val(va), "after": _val(vb)}
            yield {"unit": u[0], "changes": ch}

    def merged(self) -> dict[str, tuple[str, ...]]:
        mf = self.merged_from
        if not mf:
            return {}
        units = self.units
        out = {
            units[i][0]: mf[units[i][0]]
            for i, c in zip(self.ent, self.codes, strict=True)
            if c != _CLOSED and units[i][0] in mf
        }
        out.update((u[0], mf[u[0]]) for u in self.new if u[0] in mf)
        return out

    def split(self) -> dict[str, tuple[str, ...]]:
        si = self.split_into
        if not si:
            return {}
        units = self.units
        return {units[i][0]: si[units[i][0]] for i in self.ent if si.get(units[i][0])}


def _merges(before: Org, closed: list[str], a_by: Mapping[str, Row]) -> dict[str, str]:
    """Without lineage: each closed unit of `before` (`closed`, in the order of `_by_id`) whose
    children that survive all have one parent after (not None, not itself) -> that parent. In
    passes over columns: the closed units' children laid end to end (each group contiguous),
    their parents after, and a unit is mixed when two neighbours of its group differ."""
    if not closed:
        return {}
    kids = list(map(before._children.__getitem__, closed))
    flat = list(chain.from_iterable(kids))
    owner = list(chain.from_iterable(map(repeat, closed, map(len, kids))))
    after = list(map(a_by.get, flat))  # each child's unit after, or None
    alive = list(map(is_not, after, repeat(None)))
    owner = list(compress(owner, alive))
    parent = [r[3] for r in compress(after, alive)]  # type: ignore[index]
    # the same owner (the very same string: one `repeat`) and another parent than the last kid
    mixed = set(
        compress(
            owner[1:],
            map(and_, map(is_, owner[1:], owner[:-1]), map(ne, parent[1:], parent[:-1])),
        )
    )
    last = dict(zip(owner, parent, strict=True))  # in the order of `closed`
    return {uid: p for uid, p in last.items() if p is not None and uid not in mixed and p != uid}


def _ids_at(units: Sequence[Row], at: Iterable[int]) -> Iterator[str]:
    return map(_RID, map(units.__getitem__, at))


def _ids(org: Org) -> tuple[list[str], bool]:
    """The ids of `org`'s units, in their order, and whether its index by id (`Org.ids`) holds
    them in that order (as a loaded model's does; a model built from units in another order
    keeps theirs)."""
    ids = list(org._index)
    by_id = org.__dict__.get("_by_id")
    return ids, by_id is None or list(by_id) == ids


def _by(org: Org) -> dict[str, Row]:
    """Id -> row, in the order of the model's index by id (`Org.ids`)."""
    rows, index = org._rows, org._index
    by_id = org.__dict__.get("_by_id")
    if by_id is None:
        return dict(zip(index, rows, strict=True))  # at C speed
    return {k: rows[index[k]] for k in by_id}


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
    a unit is split into those units, not merged into its successor.

    Done in passes over columns: the units after are looked up by id in one pass; a unit whose
    counterpart is the very same object (most units a plan leaves alone) costs nothing more; the
    others are compared field by field as dicts (C speed). No per-unit object is made: the
    `UnitDiff` entries are made on first use."""
    b_by, a_by = _by(before), _by(after)
    split_into = split_into or {}
    merged_into: dict[str, str]
    reborn: set[str] = set()  # ids in both models naming different units
    if lineage is not None:
        keys = list(b_by)
        moved = list(compress(keys, map(ne, map(lineage.get, keys, keys), keys)))
        res = list(map(lineage.get, moved))
        keep = map(is_not, res, repeat(None))
        if split_into:  # a split unit is split into its parts, not merged into its successor
            keep = map(and_, keep, map(not_, map(split_into.__contains__, moved)))
        merged_into = dict(compress(zip(moved, res, strict=True), keep))  # type: ignore[arg-type]
        reborn = set(filter(a_by.__contains__, moved))
    else:
        ids, in_order = _ids(before)
        others = list(map(a_by.get, ids))
        if in_order:  # the closed units in the order of `_by_id`: those without a counterpart
            closed = list(compress(ids, map(is_, others, repeat(None))))
        else:
            closed = list(filterfalse(a_by.__contains__, b_by))
        merged_into = _merges(before, closed, a_by)
    targets = set(merged_into.values())
    split_from: dict[str, list[str]] = {}
    for orig, parts in split_into.items():
        for r in parts:
            if r != orig or orig in reborn:  # a part under the split unit's id is another unit
                split_from.setdefault(r, []).append(orig)

    units = before._rows
    if lineage is not None:
        ids = _ids(before)[0]
        if reborn:
            others = [None if uid in reborn else a_by.get(uid) for uid in ids]
        else:
            others = list(map(a_by.get, ids))
    # the units to look at: those whose counterpart is not the same object, and split ones
    cand: Iterable[int] = compress(range(len(units)), map(is_not, others, units))
    # a unit split, made by a split or merged into is an entry, changed or not (the same row
    # object or not: a model's units are rows, shared by the models a simulation makes)
    special = split_into.keys() | split_from.keys() | targets
    if special:
        cand = sorted({*cand, *compress(range(len(units)), map(special.__contains__, ids))})
    ent: list[int] = []
    codes = bytearray()
    for i in cand:
        o = others[i]
        if o is None:
            ent.append(i)
            codes.append(_CLOSED)
            continue
        u = units[i]
        if o is u or o == u or o[:STATED] == u[:STATED]:
            # field values compared as dicts; the units are frozen and carry nothing else.
            # A unit others merged into is an entry unless it is the very same object
            uid = ids[i]
            if uid in special:
                ent.append(i)
                codes.append(_SAME)
        else:
            ent.append(i)
            codes.append(_CHANGED)
    a_ids = _ids(after)[0]
    if reborn:
        new = [a_by[uid] for uid in a_ids if uid not in b_by or uid in reborn]
    else:
        new = [a_by[uid] for uid in filterfalse(b_by.__contains__, a_ids)]
    return Diff._of(_Cols(units, others, ent, codes, new, merged_into, split_into, split_from))
