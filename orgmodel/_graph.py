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
from operator import itemgetter
from typing import TYPE_CHECKING, Any

from ._model import ID, PARENT

if TYPE_CHECKING:
    import networkx as nx


_ID = itemgetter(ID)
Row = tuple[Any, ...]


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
    if isinstance(v, (_ReadOnly, _Nbrs)):
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


def _attrs(r: Row) -> _FrozenDict:
    """A node's attributes, read from its unit's row: its fields but its id (kind, level and
    class as their text), and "class" (the class stated on the unit) beside "province_class"."""
    return _FrozenDict(
        {
            "kind": r[1],
            "name": r[2],
            "parent": r[3],
            "level": r[4],
            "province_class": r[5],
            "civil_servants": r[6],
            "deputies": r[7],
            "head": r[8],
            "public_employees": r[9],
            "functions": r[10],
            "name_en": r[11],
            "note": r[12],
            "provinces_merged": r[13],
            "reorganized": r[14],
            "class": r[5],
        }
    )


class _PerNode(_ReadOnly):
    """A mapping with a key per node, in the model's order."""

    __slots__ = ("_by", "_rows")

    def __init__(self, index: dict[str, int], rows: tuple[Row, ...]) -> None:
        self._by = index  # id -> its row's place
        self._rows = rows

    def __iter__(self) -> Iterator[str]:
        return map(_ID, self._rows)

    def __len__(self) -> int:
        return len(self._by)

    def __contains__(self, n: object) -> bool:
        return n in self._by  # an unhashable node: TypeError, as from a dict


class _Nodes(_PerNode):
    """Node -> its attributes."""

    __slots__ = ()

    def __getitem__(self, n: Any) -> _FrozenDict:
        return _attrs(self._rows[self._by[n]])


# a node with more children than this answers "is this a child?" from a set (made once)
_FEW = 16


class _Nbrs(tuple):  # type: ignore[type-arg]
    """A node's neighbours (its children, or its parent), each -> the edge's attributes: the
    tuple of their ids, read as a mapping (made and walked at C speed: one per node an edge
    walk visits). Registered as a `Mapping`; refuses writes; its copies are plain dicts."""

    __slots__ = ()

    def __contains__(self, n: object) -> bool:
        hash(n)  # an unhashable key: TypeError, as from a dict
        return tuple.__contains__(self, n)

    def __getitem__(self, n: Any) -> _FrozenDict:  # type: ignore[override]
        if self.__contains__(n):
            return _EDGE
        raise KeyError(n)

    def get(self, n: Any, default: Any = None) -> Any:
        return _EDGE if self.__contains__(n) else default

    def keys(self) -> Any:
        return dict.fromkeys(self, _EDGE).keys()

    def items(self) -> Any:
        return dict.fromkeys(self, _EDGE).items()

    def values(self) -> Any:
        return dict.fromkeys(self, _EDGE).values()

    def __eq__(self, other: object) -> bool:
        # as a dict compares: to mappings only (never equal to a tuple of the same ids)
        return isinstance(other, Mapping) and dict(self.items()) == dict(other.items())

    def __ne__(self, other: object) -> bool:
        return not self.__eq__(other)

    def __reversed__(self) -> Iterator[str]:
        ids: tuple[str, ...] = tuple(self)
        return reversed(ids)

    def __lt__(self, other: object) -> bool:
        raise TypeError(f"'<' is not supported between a node's neighbours and {type(other)}")

    __le__ = __gt__ = __ge__ = __lt__
    __hash__ = None  # type: ignore[assignment]

    def copy(self) -> dict[Any, Any]:
        return {k: {} for k in self}

    def __copy__(self) -> dict[Any, Any]:
        return self.copy()

    def __deepcopy__(self, memo: dict[int, Any]) -> dict[Any, Any]:
        return self.copy()

    def __reduce__(self) -> tuple[Any, ...]:
        return (dict, (self.copy(),))

    def __repr__(self) -> str:
        return repr(self.copy())

    __setitem__ = __delitem__ = update = setdefault = pop = popitem = clear = _frozen
    __add__ = __mul__ = __rmul__ = _frozen  # not a sequence to its readers


Mapping.register(_Nbrs)


class _WideNbrs(_Nbrs):
    """The neighbours of a node with many: "is this one of them?" answered from a set (no
    `__slots__`: its `__dict__` holds the set)."""

    _set: frozenset[str]

    def __new__(cls, ids: tuple[str, ...], known: frozenset[str]) -> _WideNbrs:
        self = tuple.__new__(cls, ids)
        self._set = known
        return self

    def __contains__(self, n: object) -> bool:
        return n in self._set


class _Succ(_PerNode):
    """Node -> its children."""

    __slots__ = ("_kids", "_sets")

    def __init__(
        self,
        index: dict[str, int],
        rows: tuple[Row, ...],
        children: dict[str | None, tuple[str, ...]],
    ):
        super().__init__(index, rows)
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
        return _WideNbrs(kids, known)

    def items(self) -> Any:
        return _SuccItems(self)

    def values(self) -> Any:
        return _SuccValues(self)


class _SuccItems(ItemsView[str, _Nbrs]):
    """`_succ.items()`: what networkx walks for every edge (at C speed where it can)."""

    _mapping: _Succ

    def __iter__(self) -> Iterator[tuple[str, _Nbrs]]:
        ids = list(map(_ID, self._mapping._rows))
        return zip(ids, map(_Nbrs, map(self._mapping._kids.__getitem__, ids)), strict=True)


class _SuccValues(ValuesView[_Nbrs]):
    """`_succ.values()`: each node's children, in the model's order."""

    _mapping: _Succ

    def __iter__(self) -> Iterator[_Nbrs]:
        kids = self._mapping._kids
        return map(_Nbrs, map(kids.__getitem__, map(_ID, self._mapping._rows)))


class _Pred(_PerNode):
    """Node -> its parent (none for a top unit)."""

    __slots__ = ()

    def __getitem__(self, n: Any) -> _Nbrs:
        p = self._rows[self._by[n]][PARENT]
        return _Nbrs(() if p is None else (p,))


def graph(
    name: str,
    rows: tuple[Row, ...],
    index: dict[str, int],
    children: dict[str | None, tuple[str, ...]],
) -> nx.DiGraph:
    """A frozen DiGraph, parent -> child, over a model's rows (its order), their places by id
    and their children lists (a tuple per id, the top units under None)."""
    import networkx as nx

    g = nx.DiGraph(name=name)
    g._node = _Nodes(index, rows)
    g._adj = _Succ(index, rows, children)  # also `_succ`
    g._pred = _Pred(index, rows)
    return nx.freeze(g)
