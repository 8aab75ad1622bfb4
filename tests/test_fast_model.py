"""The model's fast paths give what the straightforward code gives (issue 14)."""

from __future__ import annotations

import networkx as nx
from hypothesis import given, settings

import orgmodel as om

from .strategies import orgs


def _reference_graph(org: om.Org) -> nx.DiGraph:
    g = nx.DiGraph(name=org.name)
    g.add_nodes_from(
        (u.id, {**u.model_dump(exclude={"id"}), "class": u.province_class}) for u in org.units
    )
    g.add_edges_from((u.parent, u.id) for u in org.units if u.parent is not None)
    return g


@settings(max_examples=40)
@given(orgs())
def test_graph_is_the_tree_with_the_units_fields(org):
    g, ref = org.graph, _reference_graph(org)
    assert list(g.nodes) == list(ref.nodes)
    assert dict(g.nodes(data=True)) == dict(ref.nodes(data=True))  # enums equal their text
    assert list(g.edges) == list(ref.edges)
    assert list(g.predecessors(org.units[-1].id)) == list(ref.predecessors(org.units[-1].id))
    assert g.graph == ref.graph
    assert nx.is_frozen(g)
    for _, attrs in g.nodes(data=True):
        assert all(type(attrs[k]) in (str, type(None)) for k in ("kind", "level", "class"))


@settings(max_examples=40)
@given(orgs())
def test_a_loaded_model_equals_the_model_written(org):
    back = om.loads(om.dumps(org))
    assert back == org
    assert back.units == org.units
    for u, v in zip(back.units, org.units, strict=True):
        # civil servants written are stated again (the leaders' invariant counts them)
        if v.civil_servants:
            assert "civil_servants" in u.model_fields_set
        assert u.evolve(deputies=u.deputies) == u  # the shared set of fields is not changed
    for u in org.units:
        assert back.child_ids(u.id) == org.child_ids(u.id)
        assert back.totals(u.id) == org.totals(u.id)


def test_a_broken_unit_is_still_named_with_its_line():
    text = """format: orgmodel/1
name: t
units:
  - id: pc
    kind: peoples_committee
    level: province
    name: P
    children:
      - id: d
        kind: department
        name: D
        civil_servants: 2
        deputies: 3
"""
    try:
        om.loads(text, source="t.yaml")
    except om.LoadError as e:
        assert e.line is not None and e.line >= 9
        assert "civil_servants counts the leaders too" in str(e)
    else:  # pragma: no cover
        raise AssertionError("the leaders over the civil servants were not refused")


def _big_file(bad_at: int, problem: str) -> str:
    lines = ["format: orgmodel/1", "name: big", "units:"]
    lines += ["  - id: pc", "    kind: peoples_committee", "    level: province", "    name: P"]
    lines.append("    children:")
    for i in range(9000):
        lines += [f"      - id: d{i}", "        kind: division", f"        name: D{i}"]
        if i == bad_at:
            lines.append(problem)
    return "\n".join(lines) + "\n"


def test_a_problem_far_into_a_big_file_is_named_with_its_unit_and_line():
    # units are built in chunks of a few thousand: the unit and line stay the file's own
    text = _big_file(8000, "        deputies: -1")
    try:
        om.loads(text, source="big.yaml")
    except om.LoadError as e:
        assert "'d8000'" in str(e)
        assert e.line == text.splitlines().index("        deputies: -1") + 1
    else:  # pragma: no cover
        raise AssertionError("deputies -1 was not refused")
    text = _big_file(6000, "        civil_servants: 1\n        deputies: 1")
    try:
        om.loads(text, source="big.yaml")
    except om.LoadError as e:
        assert "'d6000'" in str(e) and "civil_servants counts the leaders too" in str(e)
        assert e.line == text.splitlines().index("      - id: d6000") + 1 + 3
    else:  # pragma: no cover
        raise AssertionError("the leaders over the civil servants were not refused")
    assert len(om.loads(_big_file(-1, ""))) == 9001


def test_the_first_problem_in_the_file_is_the_one_named():
    # a unit breaking an invariant, then a later unit with a field of the wrong type: the first
    # is named, as when each unit was validated with its invariants (found in review)
    text = """format: orgmodel/1
name: t
units:
  - id: pc
    kind: peoples_committee
    level: province
    name: P
    children:
      - id: u1
        kind: department
        name: U1
        civil_servants: 5
        deputies: 9
      - id: u2
        kind: department
        name: U2
        deputies: abc
"""
    try:
        om.loads(text, source="t.yaml")
    except om.LoadError as e:
        assert "'u1'" in str(e) and "civil_servants counts the leaders too" in str(e)
        assert e.line is not None and e.line < 14
    else:  # pragma: no cover
        raise AssertionError("the file was not refused")
    from orgmodel._compare import Comparison

    assert callable(Comparison.to_markdown)  # installed whichever way it is reached
