"""`org.graph` reads the model directly (issue 14's direct graph): networkx answers every query
on it as on the graph built the straightforward way, it refuses writes, and its copies are
ordinary graphs."""

from __future__ import annotations

import copy
import json
import pickle

import networkx as nx
import pytest
from hypothesis import given, settings

import orgmodel as om

from .strategies import orgs


def _reference(org: om.Org) -> nx.DiGraph:
    """The graph built with networkx's own calls: node attributes as the docs list them."""
    g = nx.DiGraph(name=org.name)
    for u in org.units:
        attrs = u.model_dump(exclude={"id"})
        for k in ("kind", "level", "province_class"):
            attrs[k] = None if attrs[k] is None else attrs[k].value
        attrs["class"] = attrs["province_class"]
        g.add_node(u.id, **attrs)
    g.add_edges_from((u.parent, u.id) for u in org.units if u.parent is not None)
    return g


def _same(g: nx.DiGraph, ref: nx.DiGraph) -> None:
    assert list(g) == list(ref) and len(g) == len(ref)
    assert list(g.nodes(data=True)) == list(ref.nodes(data=True))
    assert list(g.edges(data=True)) == list(ref.edges(data=True))
    assert list(g.in_edges) == list(ref.in_edges)
    assert dict(g.degree) == dict(ref.degree)
    assert dict(g.in_degree) == dict(ref.in_degree)
    assert dict(g.out_degree) == dict(ref.out_degree)
    assert g.number_of_edges() == ref.number_of_edges()
    assert g.graph == ref.graph
    assert nx.utils.graphs_equal(g, ref)
    for n in ref:
        assert list(g.successors(n)) == list(ref.successors(n))
        assert list(g.predecessors(n)) == list(ref.predecessors(n))
        assert g.nodes[n] == ref.nodes[n] and dict(g.nodes[n]) == ref.nodes[n]
        assert set(nx.descendants(g, n)) == set(nx.descendants(ref, n))
        assert set(nx.ancestors(g, n)) == set(nx.ancestors(ref, n))


@pytest.fixture(scope="module")
def haiphong() -> om.Org:
    return om.load("examples/haiphong/haiphong-2022.yaml")


def test_the_example_graph_answers_as_networkx_built_it(haiphong):
    g, ref = haiphong.graph, _reference(haiphong)
    _same(g, ref)
    assert g.nodes["hp"]["kind"] == "peoples_committee" and g.nodes["hp"]["class"] == "I"
    assert g.nodes["hp"].get("nothing", 7) == 7 and "nothing" not in g.nodes["hp"]
    assert nx.is_tree(g) and nx.is_directed_acyclic_graph(g)
    assert list(nx.topological_sort(g)) == list(nx.topological_sort(ref))
    assert list(nx.dfs_preorder_nodes(g, "hp")) == list(nx.dfs_preorder_nodes(ref, "hp"))
    assert list(nx.bfs_edges(g, "hp")) == list(nx.bfs_edges(ref, "hp"))
    leaf = next(n for n in ref if ref.out_degree(n) == 0)
    assert nx.shortest_path(g, "hp", leaf) == nx.shortest_path(ref, "hp", leaf)
    assert nx.shortest_path_length(g.to_undirected(), leaf, "hp") == nx.shortest_path_length(
        ref.to_undirected(), leaf, "hp"
    )
    assert nx.get_node_attributes(g, "deputies") == nx.get_node_attributes(ref, "deputies")
    assert g.has_edge("hp", next(iter(ref.successors("hp"))))
    assert not g.has_edge(leaf, "hp") and "nowhere" not in g and [] not in g
    sub = g.subgraph([*ref.successors("hp"), "hp"])
    assert nx.utils.graphs_equal(sub, ref.subgraph(list(sub)))
    assert nx.node_link_data(g, edges="edges") == nx.node_link_data(ref, edges="edges")
    assert nx.to_dict_of_dicts(g) == nx.to_dict_of_dicts(ref)


def test_the_graph_refuses_writes(haiphong):
    g = haiphong.graph
    assert nx.is_frozen(g)
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")
    with pytest.raises(TypeError, match="frozen"):
        g.nodes["hp"]["deputies"] = 9
    child = next(iter(g.successors("hp")))
    with pytest.raises(TypeError, match="frozen"):
        g.edges["hp", child]["weight"] = 2
    with pytest.raises(TypeError, match="frozen"):
        g.nodes["hp"].update(deputies=9)
    with pytest.raises(TypeError, match="frozen"):
        g.adj["hp"][child]["weight"] = 2
    assert haiphong["hp"].deputies == g.nodes["hp"]["deputies"]
    assert g.edges["hp", child] == {} and not g.get_edge_data("hp", child)


def test_node_attributes_are_dicts_a_program_can_write_out(haiphong):
    g = haiphong.graph
    attrs = g.nodes["hp"]
    assert isinstance(attrs, dict)
    assert json.loads(json.dumps(attrs)) == {**attrs, "functions": list(attrs["functions"])}
    assert json.dumps(dict(g.nodes(data=True)), default=str)


def test_copies_of_the_graph_are_ordinary_graphs(haiphong):
    g, ref = haiphong.graph, _reference(haiphong)
    for other in (
        g.copy(),
        copy.deepcopy(g),
        pickle.loads(pickle.dumps(g)),
        nx.DiGraph(g),
        g.reverse().reverse(),
    ):
        _same(other, ref)
        assert type(other.nodes["hp"]) is dict
    h = g.copy()
    h.add_edge("hp", "new")  # a copy is the caller's to change
    h.nodes["hp"]["deputies"] = 99
    assert "new" not in g and g.nodes["hp"]["deputies"] == haiphong["hp"].deputies


@settings(max_examples=40)
@given(orgs())
def test_any_model_graph_answers_as_networkx_built_it(org):
    _same(org.graph, _reference(org))


def test_edge_lookups_do_not_scan_a_wide_unit_and_refuse_unhashable_keys():
    units = [om.Unit(id="r", kind="department", name="R")]
    units += [om.Unit(id=f"c{i}", kind="division", name="C", parent="r") for i in range(3000)]
    g = om.Org(units).graph
    assert all(g.has_edge("r", f"c{i}") for i in range(3000))
    assert not g.has_edge("r", "r") and g.edges["r", "c2999"] == {}
    for key in ([], {}):
        with pytest.raises(TypeError):
            g.adj["r"][key]
        with pytest.raises(TypeError):
            g.adj["c1"][key]
        with pytest.raises(nx.NetworkXError):
            list(g.nbunch_iter([key]))
        assert key not in g


def test_a_nodes_neighbours_read_as_the_dict_networkx_would_hold(haiphong):
    # the inner mappings (`G._succ[n]`, `G._pred[n]`, `G._adj[n]`) are tuples of ids read as
    # mappings: they compare, reverse and order as a dict of neighbours does
    ref = _reference(haiphong)
    g = haiphong.graph
    top = next(n for n in ref if ref.out_degree(n) > 1)
    nb, want = g._succ[top], ref._succ[top]
    assert nb == want and (nb != want) is False and dict(nb) == want
    assert nb != tuple(want) and tuple(want) != nb  # a mapping, not a sequence of ids
    assert list(reversed(nb)) == list(reversed(want))
    assert list(nb.keys()) == list(want) and nb.get("nope", 7) == 7
    with pytest.raises(TypeError):
        nb < nb  # noqa: B015 - ordering, refused as a dict refuses it
    with pytest.raises(TypeError):
        hash(nb)
    child = next(iter(want))
    assert g._pred[child] == ref._pred[child]
