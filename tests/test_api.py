from hypothesis import given, settings

import orgmodel
from orgmodel._cli import main

from .strategies import orgs


def test_all_is_sorted_and_complete():
    assert orgmodel.__all__ == sorted(orgmodel.__all__)
    for name in orgmodel.__all__:
        assert hasattr(orgmodel, name), name
    public = {n for n in dir(orgmodel) if not n.startswith("_")}
    modules = {n for n in public if type(getattr(orgmodel, n)).__name__ == "module"}
    assert public - modules <= set(orgmodel.__all__)


def test_exception_tree():
    assert issubclass(orgmodel.LoadError, ValueError)
    assert issubclass(orgmodel.LoadError, orgmodel.OrgmodelError)
    assert not issubclass(orgmodel.PlanError, orgmodel.LoadError)
    assert issubclass(orgmodel.PlanError, orgmodel.OrgmodelError)
    assert issubclass(orgmodel.RulebookError, ValueError)
    assert issubclass(orgmodel.RulebookError, orgmodel.OrgmodelError)


def test_load_error_pickles_with_its_location():
    import pickle

    e = orgmodel.LoadError("bad", file="f.yaml", line=3, column=4)
    e2 = pickle.loads(pickle.dumps(e))
    assert (e2.file, e2.line, e2.column, str(e2)) == ("f.yaml", 3, 4, "f.yaml:3:4: bad")


def test_synth_is_deterministic_and_its_plan_applies(tmp_path):
    a, plan = orgmodel.synth(5_000, seed=7)
    b, _ = orgmodel.synth(5_000, seed=7)
    assert orgmodel.dumps(a) == orgmodel.dumps(b)
    assert 4_000 <= len(a) <= 6_000
    provinces = [u for u in a.roots]
    assert len(provinces) == 3 and {str(u.province_class) for u in provinces} >= {"special"}
    out = orgmodel.simulate(a, plan)
    # 3 provinces -> round(3 x 34 / 63) = 2; the district level is gone
    assert len(out.after.roots) == 2
    assert not [u for u in out.after if u.level is orgmodel.Level.DISTRICT]
    led = out.ledger
    assert led.civil_servants_before - led.civil_servants_after == (
        led.civil_servants_released - led.civil_servants_created
    )
    # the plan written to a file loads back to the same steps
    text = orgmodel.dumps_plan(plan)
    assert orgmodel.loads_plan(text).steps == plan.steps


def test_synth_command(tmp_path, capsys):
    country, plan = tmp_path / "c.yaml", tmp_path / "p.yaml"
    assert main(["synth", "--units", "2000", "--out", str(country), "--plan", str(plan)]) == 0
    org = orgmodel.load(country)
    out = orgmodel.simulate(org, orgmodel.load_plan(plan))
    assert out.removed_focal_points > 0
    assert main(["synth", "--units", "5", "--out", str(country)]) == 2


def test_serializations_on_the_results():
    import json

    from .conftest import EXAMPLES, HAIPHONG

    org = orgmodel.load(HAIPHONG)
    report = orgmodel.check(org)
    assert json.loads(report.to_json())["violations"][0]["citation"].startswith("Decree 107")
    assert report.to_markdown().startswith("# Staffing check")
    out = orgmodel.simulate(org, orgmodel.load_plan(EXAMPLES / "haiphong" / "plan-57-2022.yaml"))
    assert json.loads(out.to_json())["removed_focal_points"] == 30
    assert "| focal points | 214 → 184 (removed 30) |" in out.to_markdown()
    assert json.loads(out.diff.to_json())["counts"]["closed"] == 30
    assert org.graph.nodes["hp"]["class"] == "I" and org.by_kind("branch")


def test_an_org_pickles_and_copies_as_itself():
    """A model can go to a worker process (pickle) or through copy.deepcopy (a notebook
    snapshotting its state): it comes back equal, its findings and graph the same."""
    import copy
    import pickle

    org = orgmodel.load("examples/haiphong/haiphong-2022.yaml")
    assert org.graph.number_of_nodes() == len(org)  # the cached graph is not pickled
    again = pickle.loads(pickle.dumps(org))
    assert again == org and again.name == org.name and again.as_of == org.as_of
    assert [u.id for u in again] == [u.id for u in org]
    assert again.child_ids(None) == org.child_ids(None)
    assert again.totals() == org.totals()
    assert orgmodel.check(again).to_dict() == orgmodel.check(org).to_dict()
    assert sorted(again.graph.edges) == sorted(org.graph.edges)
    assert copy.deepcopy(org) is org and copy.copy(org) is org  # immutable: shared


@settings(max_examples=40, deadline=None)
@given(orgs())
def test_any_org_pickles_to_an_equal_org(org):
    again = pickle_round_trip(org)
    assert again == org
    assert {u.id: org.child_ids(u.id) for u in org} == {u.id: again.child_ids(u.id) for u in again}


def pickle_round_trip(org):
    import pickle

    return pickle.loads(pickle.dumps(org))


def test_an_outcomes_events_are_made_once_and_shared_by_its_copies():
    import copy

    org, plan = orgmodel.synth(300, seed=3)
    o = orgmodel.simulate(org, plan)
    c = copy.copy(o)
    assert c.events is o.events and len(o.events) == len(plan.steps)
    assert o.events[0].step == 1 and o.events[0].event == plan.steps[0].op


def test_an_outcomes_lineage_is_made_on_first_read_and_survives_pickle_and_copies():
    import copy
    import pickle

    org, plan = orgmodel.synth(300, seed=3)
    fresh = orgmodel.simulate(org, plan)
    # pickled before it is read: the pickle holds the lineage itself, not the plan's state
    back = pickle.loads(pickle.dumps(fresh))
    o = orgmodel.simulate(org, plan)
    c = copy.copy(o)
    assert c.lineage is o.lineage
    assert back.lineage == o.lineage == fresh.lineage
    assert back == fresh
    # every unit before lives on in a unit after, or was dissolved
    after = {u.id for u in o.after.units}
    assert set(o.lineage) == {u.id for u in org.units}
    assert all(x is None or x in after for x in o.lineage.values())
    absorbed = next(s for s in plan.steps if s.op == "absorb")
    assert o.lineage[absorbed.units[0]] == o.lineage[absorbed.target] is not None
    assert any(o.lineage[u] != u for u in o.lineage)


def test_steps_share_their_sets_of_fields_given_and_copies_do_not_change_them():
    plan = orgmodel.loads_plan(
        "format: orgmodel-plan/1\nsteps:\n"
        "  - merge: [a, b]\n    into: {id: a}\n"
        "  - merge: [c, d]\n    into: {id: c}\n"
        "  - dissolve: e\n"
    )
    one, two, three = plan.steps
    assert one.model_fields_set == two.model_fields_set
    assert one.fields.model_fields_set == two.fields.model_fields_set == {"id"}
    copied = one.model_copy(update={"target": "x"})
    assert "target" in copied.model_fields_set and "target" not in two.model_fields_set
    fields = one.fields.model_copy(update={"name": "Xã A"})
    assert fields.model_fields_set == {"id", "name"} and two.fields.model_fields_set == {"id"}
    assert three.fields.model_fields_set == set()
    again = orgmodel.loads_plan(orgmodel.dumps_plan(plan))
    assert [(s.op, s.units, s.fields) for s in again.steps] == [
        (s.op, s.units, s.fields) for s in plan.steps
    ]


def test_an_outcomes_json_is_the_same_when_a_copy_made_its_events_first():
    import copy

    org, plan = orgmodel.synth(300, seed=3)
    o = orgmodel.simulate(org, plan)
    expected = orgmodel.simulate(org, plan).to_dict()["lineage"]
    c = copy.copy(o)
    assert len(c.events) == len(plan.steps)  # the copy makes them: `o` still holds the maker
    assert o.to_dict()["lineage"] == expected
