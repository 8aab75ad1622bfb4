"""`Org.graph`: a networkx DiGraph read directly from the model (issue 14's direct graph).

networkx keeps a graph in three mappings: the nodes' attributes (`_node`), each node's
successors (`_succ`, also `_adj`) and its predecessors (`_pred`), each neighbour mapped to the
edge's attributes. Filled as dicts, they cost a national model four dicts per unit (about 1 KB)
and most of the time of a load. Here they are read-only views over the model's own index of
units and children lists, and each node's attributes or neighbours are made when they are
asked for: building the graph costs nothing per unit, walking it one small object per node
visited. The graph is frozen (`nx.freeze`), its views and the attributes they give (dicts)
refuse writes, and every query networkx makes reads them as it would read dicts. `G.copy()`,
`nx.DiGraph(G)` and `G.reverse()` are ordinary graphs; `copy.deepcopy` and pickling give
plain dicts in a graph still frozen, as for any frozen graph (`copy.copy` shares the views, as
it shares a graph's dicts).

The model layer: it knows units and their children, nothing of files, rules or plans.
"""

from __future__ import annotations

from collections.abc import ItemsView, Iterator, Mapping, ValuesView
from operator import attrgetter
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import networkx as nx

    from ._model import Unit


_ID = attrgetter("id")


def _text(v: Any) -> Any:
    """An enum member's text (the graph holds plain values), None as it is."""
    return None if v is None else v._value_


def _frozen(*args: Any, **kw: Any) -> Any:
    raise TypeError("the graph of a model is frozen; simulate a plan to change the model")


class _ReadOnly(Mapping[Any, Any]):
    """A mapping networkx reads as a dict; copies of it are plain dicts."""

    __slots__ = ()

    def copy(self) -> dict[Any, Any]:
        return {k: _plain(v) for k, v in self.items()}

    def __copy__(self) -> dict[Any, Any]:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return self.copy()  # the values are immutable (text, numbers, tuples of text, dates)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self.copy(),))

    def __repr__(self) -> str:
        return repr(self.copy())

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _frozen


def _plain(v: Any) -> Any:
    if isinstance(v, _ReadOnly):
        return v.copy()
    return dict(v) if isinstance(v, _FrozenDict) else v


class _FrozenDict(dict[str, Any]):
    """Attributes as a dict (JSON, `isinstance(..., dict)` and every reader take them as one)
    that refuses writes; its copies are plain dicts."""

    __slots__ = ()
    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _frozen
    __ior__ = _frozen

    def __copy__(self) -> dict[str, Any]:
        return dict(self)

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[str, Any]:
        return dict(self)  # the values are immutable (text, numbers, tuples of text, dates)

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (dict(self),))


# the attributes of an edge: none (one object shared by every edge)
_EDGE = _FrozenDict()


def _attrs(u: Unit) -> _FrozenDict:
    """A node's attributes, read from its unit: its fields but its id, kind, level and class
    as their text, and "class" (the class stated on the unit) beside "province_class"."""
    cls = _text(u.province_class)
    return _FrozenDict(
        {
            "kind": u.kind._value_,
            "name": u.name,
            "parent": u.parent,
            "level": _text(u.level),
            "province_class": cls,
            "civil_servants": u.civil_servants,
            "deputies": u.deputies,
            "head": u.head,
            "public_employees": u.public_employees,
            "functions": u.functions,
            "name_en": u.name_en,
            "note": u.note,
            "provinces_merged": u.provinces_merged,
            "reorganized": u.reorganized,
            "class": cls,
        }
    )


class _PerNode(_ReadOnly):
    """A mapping with a key per node, in the model's order."""

    __slots__ = ("_by", "_units")

    def __init__(self, by_id: dict[str, Unit], units: tuple[Unit, ...]) -> None:
        self._by = by_id
        self._units = units

    def __iter__(self) -> Iterator[str]:
        return map(_ID, self._units)

    def __len__(self) -> int:
        return len(self._by)

    def __contains__(self, n: object) -> bool:
        return n in self._by  # an unhashable node: TypeError, as from a dict


class _Nodes(_PerNode):
    """Node -> its attributes."""

    __slots__ = ()

    def __getitem__(self, n: Any) -> _FrozenDict:
        return _attrs(self._by[n])


# a node with more children than this answers "is this a child?" from a set (made once)
_FEW = 16


class _Nbrs(_ReadOnly):
    """A node's neighbours (its children, or its parent), each -> the edge's attributes."""

    __slots__ = ("_ids", "_set")

    def __init__(self, ids: tuple[str, ...], known: frozenset[str] | None = None) -> None:
        self._ids = ids
        self._set = known  # the ids as a set, for a node with many

    def __contains__(self, n: object) -> bool:
        if self._set is not None:
            return n in self._set
        hash(n)  # an unhashable key: TypeError, as from a dict
        return n in self._ids

    def __getitem__(self, n: Any) -> _FrozenDict:
        if self.__contains__(n):
            return _EDGE
        raise KeyError(n)

    def __iter__(self) -> Iterator[str]:
        return iter(self._ids)

    def __len__(self) -> int:
        return len(self._ids)

    def items(self) -> Any:
        return dict.fromkeys(self._ids, _EDGE).items()

    def values(self) -> Any:
        return dict.fromkeys(self._ids, _EDGE).values()


class _Succ(_PerNode):
    """Node -> its children."""

    __slots__ = ("_kids", "_sets")

    def __init__(
        self,
        by_id: dict[str, Unit],
        units: tuple[Unit, ...],
        children: dict[str | None, tuple[str, ...]],
    ):
        super().__init__(by_id, units)
        self._kids = children
        self._sets: dict[str, frozenset[str]] = {}  # made for nodes with many children

    def __getitem__(self, n: Any) -> _Nbrs:
        if n is None:  # the model's roots are listed under None, which is not a node
            raise KeyError(n)
        kids = self._kids[n]
        if len(kids) <= _FEW:
            return _Nbrs(kids)
        known = self._sets.get(n)
        if known is None:
            known = self._sets[n] = frozenset(kids)
        return _Nbrs(kids, known)

    def items(self) -> Any:
        return _SuccItems(self)

    def values(self) -> Any:
        return _SuccValues(self)


class _SuccItems(ItemsView[str, _Nbrs]):
    """`_succ.items()`: what networkx walks for every edge (at C speed where it can)."""

    _mapping: _Succ

    def __iter__(self) -> Iterator[tuple[str, _Nbrs]]:
        ids = list(map(_ID, self._mapping._units))
        return zip(ids, map(_Nbrs, map(self._mapping._kids.__getitem__, ids)), strict=True)


class _SuccValues(ValuesView[_Nbrs]):
    """`_succ.values()`: each node's children, in the model's order."""

    _mapping: _Succ

    def __iter__(self) -> Iterator[_Nbrs]:
        kids = self._mapping._kids
        return map(_Nbrs, map(kids.__getitem__, map(_ID, self._mapping._units)))


class _Pred(_PerNode):
    """Node -> its parent (none for a top unit)."""

    __slots__ = ()

    def __getitem__(self, n: Any) -> _Nbrs:
        p = self._by[n].parent
        return _Nbrs(() if p is None else (p,))


def graph(
    name: str,
    units: tuple[Unit, ...],
    by_id: dict[str, Unit],
    children: dict[str | None, tuple[str, ...]],
) -> nx.DiGraph:
    """A frozen DiGraph, parent -> child, over a model's units (its order), their index by id
    and their children lists (a tuple per id, the top units under None)."""
    import networkx as nx

    g = nx.DiGraph(name=name)
    g._node = _Nodes(by_id, units)
    g._adj = _Succ(by_id, units, children)  # also `_succ`
    g._pred = _Pred(by_id, units)
    return nx.freeze(g)
