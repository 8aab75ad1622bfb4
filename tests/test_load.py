import copy
import datetime as dt
import os
import time
import tracemalloc
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given, settings
from pydantic import ValidationError

import orgmodel as om
from orgmodel import Kind, ProvinceClass

from .conftest import HAIPHONG, QUANGNINH
from .strategies import orgs

BAD = Path(__file__).parent / "data" / "bad"


def _expectations():
    for line in (BAD / "EXPECTED.txt").read_text().splitlines()[1:]:
        name, lineno, frags = (p.strip() for p in line.split("|", 2))
        yield pytest.param(name, lineno, frags.split(" || "), id=name)


@pytest.mark.parametrize(("name", "lineno", "fragments"), list(_expectations()))
def test_bad_file_gives_located_message(name, lineno, fragments):
    path = BAD / name
    with pytest.raises(om.LoadError) as info:
        om.load(path)
    err = info.value
    assert isinstance(err, ValueError)
    assert err.file == str(path)
    msg = str(err)
    assert msg.startswith(str(path))
    if lineno:
        assert err.line == int(lineno), msg
        assert f":{lineno}:" in msg
    for frag in fragments:
        assert frag in msg, (frag, msg)


def test_every_bad_file_has_an_expectation():
    listed = {
        line.split("|")[0].strip() for line in (BAD / "EXPECTED.txt").read_text().splitlines()[1:]
    }
    assert listed == {p.name for p in BAD.glob("*.yaml")}


def test_billion_laughs_is_refused_quickly_in_bounded_memory():
    tracemalloc.start()
    t = time.perf_counter()
    with pytest.raises(om.LoadError, match="alias"):
        om.load(BAD / "billion-laughs.yaml")
    elapsed = time.perf_counter() - t
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    # 9**10 strings if expanded; refused after a bounded replay instead
    assert peak < 50_000_000
    assert elapsed < 10


def test_custom_tags_never_construct_objects(tmp_path):
    marker = tmp_path / "hacked"
    p = tmp_path / "evil.yaml"
    p.write_text(
        f'format: orgmodel/1\nname: !!python/object/apply:os.system ["touch {marker}"]\nunits: []\n'
    )
    with pytest.raises(om.LoadError, match="not allowed"):
        om.load(p)
    assert not marker.exists()


def test_missing_file_is_a_load_error(tmp_path):
    with pytest.raises(om.LoadError, match="no such file"):
        om.load(tmp_path / "nope.yaml")


# -- the Hai Phong example, worked by hand from the file ---------------------------------
def test_haiphong_has_the_twenty_agencies_of_table_4():
    org = om.load(HAIPHONG)
    agencies = org.children("hp")
    assert len(agencies) == 20  # Table 4 of the Hai Phong article
    assert sum(a.kind is Kind.DEPARTMENT for a in agencies) == 17
    assert {a.id for a in agencies if a.kind is not Kind.DEPARTMENT} == {
        "hp-van-phong-ubnd",
        "hp-thanh-tra",
        "hp-bql-kkt",
    }
    assert org.province_class("hp-noi-vu-tccb") is ProvinceClass.I  # inherited from hp


def test_queries_on_the_home_affairs_department():
    org = om.load(HAIPHONG)
    d = org["hp-noi-vu"]
    # director + 3 deputies + 1 staff outside the divisions
    assert (d.civil_servants, d.deputies, d.head, d.leaders) == (5, 3, 1, 4)
    assert org.parent("hp-noi-vu").id == "hp"
    assert [u.id for u in org.ancestors("hp-noi-vu-cc-van-thu-p1")] == [
        "hp-noi-vu-cc-van-thu",
        "hp-noi-vu",
        "hp",
    ]
    assert org.path("hp-noi-vu-cc-van-thu")[-2:] == ("Sở Nội vụ", "Chi cục Văn thư - Lưu trữ")
    sub = org.subtree("hp-noi-vu-cc-van-thu")
    assert [u.id for u in sub] == [
        "hp-noi-vu-cc-van-thu",
        "hp-noi-vu-cc-van-thu-p1",
        "hp-noi-vu-cc-van-thu-p2",
    ]
    # branch own posts 1 + 1 + 3 = 5, divisions as written in the file
    t = org.totals("hp-noi-vu-cc-van-thu")
    assert t.units == 3
    assert t.civil_servants == 5 + sum(u.civil_servants for u in sub[1:])
    assert t.leadership_posts == 2 + sum(u.leaders for u in sub[1:])


def test_graph_mirrors_the_tree():
    org = om.load(QUANGNINH)
    g = org.graph
    assert g.number_of_nodes() == len(org) == 142  # 2 roots + 14 x (1 + 3) party + 14 x (1 + 5) PC
    assert g.number_of_edges() == len(org) - 2
    assert set(g.successors("halong")) == {u.id for u in org.children("halong")}
    assert g.nodes["halong-ban-to-chuc"]["civil_servants"] == 11
    with pytest.raises(nx.NetworkXError):
        g.add_node("x")  # frozen


def test_org_is_immutable():
    org = om.load(QUANGNINH)
    with pytest.raises(AttributeError):
        org.name = "x"
    with pytest.raises(ValidationError):
        org["halong"].civil_servants = 3  # type: ignore[misc]


def test_vietnamese_names_round_trip_unchanged(tmp_path):
    org = om.load(QUANGNINH)
    assert org["halong-ubkt"].name == "Ủy ban Kiểm tra Thành ủy Hạ Long"
    out = tmp_path / "out.yaml"
    om.dump(org, out)
    assert "Ủy ban Kiểm tra Thành ủy Hạ Long" in out.read_text(encoding="utf-8")
    assert om.load(out) == org


def test_scalars_follow_yaml_12():
    text = (
        "format: orgmodel/1\nname: yes\nas_of: 2024-01-02\nunits:\n"
        "  - id: 007\n    kind: other\n    name: no\n    civil_servants: 0o17\n"
    )
    a = om.loads(text)
    # an id written with leading zeros is the text written
    assert a.name == "yes" and a["007"].name == "no" and a["007"].civil_servants == 15
    assert a.as_of == dt.date(2024, 1, 2)


@settings(max_examples=60, deadline=None)
@given(orgs())
def test_dump_load_round_trip(org):
    text = om.dumps(org)
    assert om.loads(text) == org


@settings(max_examples=40, deadline=None)
@given(orgs())
def test_queries_never_change_the_model(org):
    before = om.dumps(org)
    units = copy.deepcopy(org.units)
    for u in org:
        org.subtree(u.id), org.ancestors(u.id), org.totals(u.id), org.province_class(u.id)
        org.children(u.id), org.path(u.id)
    org.graph  # noqa: B018
    org.of_kind("division")
    assert org.units == units
    assert om.dumps(org) == before


def test_dump_is_atomic_and_leaves_no_temp_files(tmp_path):
    org = om.load(QUANGNINH)
    target = tmp_path / "m.yaml"
    target.write_text("old")
    om.dump(org, target)
    assert om.load(target) == org
    assert os.listdir(tmp_path) == ["m.yaml"]
