"""The model at rest holds rows (`orgmodel._model`): the loader's fast path must accept exactly
what `Unit`'s validation accepts and make the same values; units made from rows are the units."""

from __future__ import annotations

import datetime as dt
import gc

from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import TypeAdapter, ValidationError

import orgmodel
from orgmodel import Unit
from orgmodel._model import (
    BULK,
    bulk_lawful,
    fast_rows,
    plain_row,
    row_maker,
    rows_of,
    unit_of,
    unit_problem,
)

from .strategies import orgs

_UNITS = TypeAdapter(list[Unit])

# values a file may give a field: of its type and not, in range and not
_TEXT = st.one_of(
    st.text(max_size=6),
    st.sampled_from(["Sở Nội vụ", "a\tb", "x\x00", "\ud800", "\u00a0", ""]),
)
_ANY = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 3),
    st.sampled_from([10**9, 2**70, 1.0, 2.5, "3", [], ["x"], {}]),
    _TEXT,
)
_COUNT = st.one_of(st.integers(-2, 40), st.sampled_from([100_000_000, 100_000_001]), _ANY)
_FIELDS = {
    "kind": st.one_of(
        st.sampled_from(["department", "division", "peoples_committee", "branch", "Department"]),
        _ANY,
    ),
    "name": st.one_of(st.sampled_from(["Sở Nội vụ", "Phòng 1"]), _ANY),
    "level": st.one_of(st.sampled_from(["province", "commune", "district", "ward"]), _ANY),
    "class": st.one_of(st.sampled_from(["special", "I", "II", "III", "IV"]), _ANY),
    "civil_servants": _COUNT,
    "deputies": _COUNT,
    "head": _COUNT,
    "public_employees": _COUNT,
    "functions": st.one_of(
        st.lists(st.one_of(st.sampled_from(["tổ chức", "a,b"]), _TEXT), max_size=3), _ANY
    ),
    "name_en": _ANY,
    "note": st.one_of(st.sampled_from(["line\nnext", "tab\there"]), _ANY),
    "provinces_merged": st.one_of(st.integers(0, 64), _ANY),
    "reorganized": st.one_of(
        st.sampled_from(["2025-07-01", "2025-02-30", "2025-7-1", dt.date(2026, 1, 1)]), _ANY
    ),
}


@st.composite
def mappings(draw: st.DrawFn) -> dict:
    d = {"id": draw(st.sampled_from(["u1", "hp-so-noi-vu", "Sở"]))}
    for key in draw(st.lists(st.sampled_from(sorted(_FIELDS)), unique=True)):
        d[key] = draw(_FIELDS[key])
    if draw(st.booleans()):  # most units in a file are plainly valid
        d.setdefault("kind", "division")
        d.setdefault("name", "Phòng 1")
    d["parent"] = draw(st.sampled_from([None, "p", "Sở"]))
    return d


def _pydantic_rows(chunk: list[dict]) -> list[tuple] | None:
    """What the loader makes without the fast path (None: it reports an error)."""
    try:
        built = _UNITS.validate_python([dict(d) for d in chunk], context=BULK)
    except ValidationError:
        return None
    if not bulk_lawful(built):
        return None
    return rows_of(built)


@settings(max_examples=3000, deadline=None)
@given(st.lists(mappings(), min_size=1, max_size=3))
def test_the_fast_path_accepts_only_what_validation_accepts_and_makes_the_same_rows(chunk):
    fast = fast_rows([dict(d) for d in chunk])
    slow = _pydantic_rows(chunk)
    if fast is not None:
        assert slow is not None, "the fast path accepted what Unit's validation refuses"
        assert fast == slow
        # same values of the same types (1 == True, 1.0 == 1: equality is not enough)
        assert [tuple(map(type, r)) for r in fast] == [tuple(map(type, r)) for r in slow]
        for r, d in zip(fast, chunk, strict=True):
            assert unit_problem(unit_of(r), "civil_servants" in d) is None


@settings(max_examples=3000, deadline=None)
@given(mappings(), st.sampled_from([None, "p", "a\tb"]), st.integers(0, 2**16))
def test_plain_row_written_out_for_a_key_set_is_plain_row(d, parent, stated):
    # the loader's walk calls `plain_row` written out for the keys of each mapping
    # (`row_maker`): the same row, of the same types, or the same refusal
    del d["parent"]
    made = row_maker(frozenset(d))(d, d["id"], parent, stated)
    plain = plain_row(d, d["id"], parent, stated)
    assert made == plain
    if plain is not None:
        assert tuple(map(type, made)) == tuple(map(type, plain))


def test_a_key_set_is_written_out_once():
    keys = frozenset({"id", "kind", "name", "deputies"})
    assert row_maker(keys) is row_maker(frozenset(keys))
    d = {"id": "a", "kind": "division", "name": "Phòng 1", "deputies": 1}
    assert row_maker(keys)(d, "a", None, 3) == plain_row(d, "a", None, 3)
    assert row_maker(keys)(d, "a", None, 3)[7] == 1
    assert row_maker(frozenset({"id", "name"}))({"id": "a", "name": "x"}, "a", None, 0) is None


def test_plainly_valid_units_take_the_fast_path():
    d = {
        "id": "a",
        "kind": "division",
        "name": "Phòng 1",
        "parent": None,
        "deputies": 2,
        "civil_servants": 9,
        "functions": ["x"],
        "reorganized": "2025-07-01",
    }
    assert fast_rows([d]) == _pydantic_rows([d])
    assert fast_rows([d]) is not None


@settings(max_examples=60, deadline=None)
@given(orgs())
def test_units_made_from_rows_are_the_units(org):
    again = orgmodel.loads(orgmodel.dumps(org))
    assert again == org
    for a, b in zip(again.units, org.units, strict=True):
        assert a == b and a.model_dump() == b.model_dump()
        assert a.model_dump(exclude_unset=True).keys() <= b.model_dump().keys()
    assert [unit_of(r) for r in org._rows] == list(org.units)


def test_a_loaded_model_leaves_the_collector_nothing_per_unit():
    """A loaded model is a few objects for the garbage collector, whatever its size (each
    full pass in every later phase walks what the model leaves tracked)."""
    org, _ = orgmodel.synth(3_000, seed=1)
    text = orgmodel.dumps(org)
    gc.collect()
    before = len(gc.get_objects())
    loaded = orgmodel.loads(text)
    gc.collect()
    assert len(loaded) > 2_500
    assert len(gc.get_objects()) - before < 100
    # asking for units makes them (and keeps them: the same object each time)
    u = loaded[org.units[5].id]
    assert u is loaded[u.id] and u == org.units[5]
    assert loaded.units[5] is u


def _checked(text: str) -> orgmodel.Org:
    """The model of `text` read by the checked path alone (`_flatten`, then validation)."""
    from orgmodel import _load

    return _load._build(_load.parse_document(text, None), text)


@settings(max_examples=150, deadline=None)
@given(orgs())
def test_the_plain_walk_reads_a_file_as_the_checked_path_does(org):
    # load's one walk (rows made as the nested mappings are read, each released) gives the
    # very rows, order, children and stated fields the checked path gives
    text = orgmodel.dumps(org)
    fast, slow = orgmodel.loads(text), _checked(text)
    assert fast._rows == slow._rows  # the stated fields (the rows' last value) included
    assert fast._children == slow._children
    assert list(fast._index) == list(slow._index)
    assert fast == slow == org


def test_a_unit_the_plain_walk_leaves_is_read_again_by_the_checked_path():
    head = "format: orgmodel/1\nname: t\nunits:\n  - id: p\n    kind: department\n    name: P\n"
    # a number for an id (read as written), after units the walk has already released
    text = (
        head + "    children:\n      - {id: a, kind: division, name: A}\n"
        "      - {id: 007, kind: division, name: B}\n"
    )
    org = orgmodel.loads(text)
    assert list(org.ids) == ["p", "a", "007"] and org["007"].parent == "p"
    # a broken value at the end: the error of the checked path, at its line
    bad = head + "    children:\n      - {id: a, kind: division, name: A, deputies: -1}\n"
    try:
        orgmodel.loads(bad, source="bad.yaml")
    except orgmodel.LoadError as e:
        assert e.line == 8 and "deputies" in str(e)
    else:  # pragma: no cover
        raise AssertionError("a negative count loaded")


def _dfs(org, uid):
    """The places of a unit's subtree, walked from its children lists."""
    out, stack = [], [uid]
    while stack:
        cur = stack.pop()
        out.append(org._index[cur])
        stack.extend(reversed(org.child_ids(cur)))
    return out


@settings(max_examples=100, deadline=None)
@given(orgs())
def test_a_subtree_is_the_rows_from_its_unit_to_its_end(org):
    # the loader's walk gives each row's subtree end; a model built otherwise computes it
    loaded = orgmodel.loads(orgmodel.dumps(org))
    assert loaded._ends == org._ends
    for uid in org.ids:
        assert list(loaded._subtree_rows(uid)) == _dfs(org, uid)
        assert loaded.totals(uid) == org.totals(uid)
    # the subtree totals the rules measure are the sums over those rows
    for uid in org.ids:
        assert loaded._subtree_cs[uid] == sum(org._rows[i][6] for i in _dfs(org, uid))


@settings(max_examples=100, deadline=None)
@given(orgs(), st.integers(0, 40))
def test_show_collapses_below_the_deepest_level_that_fits(org, cap):
    # `show` on a big model lists the levels from the top while they number at most `cap`
    from orgmodel._chart import depth_fitting

    per: dict[int, int] = {}
    depth: dict[str | None, int] = {None: -1}
    for u in org.units:
        depth[u.id] = depth[u.parent] + 1
        per[depth[u.id]] = per.get(depth[u.id], 0) + 1
    total, expected = 0, 1
    for d in sorted(per):
        total += per[d]
        if total > cap:
            break
        expected = d + 1
    assert depth_fitting(org, cap) == expected
