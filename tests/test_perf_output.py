"""The fast ways the commands write their reports (issue 14) write exactly what the plain ways
write: the JSON (any text, controls, bidi marks, lone surrogates, integers of any size, floats of
any magnitude, NaN, keys of every kind JSON accepts), Markdown cells and code spans, changed
values in words."""

from __future__ import annotations

import json

from hypothesis import given, settings
from hypothesis import strategies as st

import orgmodel as om
from orgmodel._escape import json_text, markdown, markdown_code
from orgmodel._i18n import using, value_text
from orgmodel._io import (
    _EXPONENT,
    Stream,
    _differs,
    json_dumps_parts,
    json_report,
    json_report_parts,
    materialized,
)
from orgmodel._render import _code, _md, _value

from .conftest import HAIPHONG

FIXED = settings(derandomize=True, database=None, deadline=None, print_blob=False)

texts = st.text(st.characters(codec=None), max_size=12) | st.sampled_from(
    ["None", "e-", "1e-5", "0.00001", "\x7f\x85\u2028\u202a\u2069", "Hà Nội → Huế – 1.734"]
)
scalars = (
    st.none()
    | st.booleans()
    | st.integers()
    | st.integers(min_value=-(2**80), max_value=2**80)
    | st.floats(allow_nan=True, allow_infinity=True)
    | st.floats(min_value=-1e-3, max_value=1e-3)
    | texts
)
keys = texts | st.none() | st.booleans() | st.integers() | st.floats(allow_nan=False)
data = st.recursive(
    scalars,
    lambda inner: (
        st.lists(inner, max_size=4)
        | st.tuples(inner, inner)
        | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=20,
)


def standard(value: object) -> str:
    return json_text(json.dumps(value, ensure_ascii=False, indent=2))


@settings(FIXED, max_examples=400)
@given(data)
def test_the_report_json_is_the_standard_encoders_text(value):
    assert json_report(value) == standard(value)


def test_a_national_sized_escape_pass_and_a_real_report_are_the_same():
    many = {"notes": ["\u2028 → \x85"] * 3000, "n": [1e-7, 2**70]}
    assert json_report(many) == standard(many)
    out = om.simulate(
        om.load(HAIPHONG), om.load_plan(HAIPHONG.parent / "plan-57-2022.yaml")
    ).to_dict()
    assert json_report(out) == standard(out)


# documents whose lists may be `Stream`s (their items hold none), in dicts at any depth
streams = st.lists(data, max_size=6).map(lambda xs: Stream(lambda: iter(xs)))
parts = st.recursive(
    data | streams,
    lambda inner: (
        st.dictionaries(texts, inner, max_size=4) | st.dictionaries(keys, inner, max_size=3)
    ),
    max_leaves=12,
)


@settings(FIXED, max_examples=400)
@given(parts)
def test_a_report_written_in_parts_is_the_report(value):
    assert (
        json_report_parts(value)
        == json_report(materialized(value))
        == standard(materialized(value))
    )


@settings(FIXED, max_examples=400)
@given(parts)
def test_json_dumps_written_in_parts_is_json_dumps(value):
    assert json_dumps_parts(value) == json.dumps(materialized(value), ensure_ascii=False)


@settings(FIXED, max_examples=60)
@given(st.integers(0, 1200), data, st.integers(0, 3))
def test_a_long_stream_is_written_in_chunks_as_one_list(n, item, depth):
    doc: object = Stream(lambda: iter([item] * n))
    for i in range(depth):
        doc = {f"k{i}": doc, "x": [1, {"y": None}]}
    assert json_report_parts(doc) == standard(materialized(doc))
    assert json_dumps_parts(doc) == json.dumps(materialized(doc), ensure_ascii=False)


@settings(FIXED, max_examples=2000)
@given(
    st.binary(max_size=12) | st.lists(st.sampled_from([b"1", b"e", b"-", b"x", b"0"])).map(b"".join)
)
def test_an_exponent_is_found_as_the_pattern_finds_it(b):
    assert _differs(b) == (b"0.0000" in b or b'"None": ' in b or _EXPONENT.search(b) is not None)


def test_the_json_of_a_national_outcome_in_parts_is_its_report():
    org, plan = om.synth(3000, seed=5)
    o = om.simulate(org, plan)
    whole = json_report(o.to_dict())
    assert json_report_parts(o._report_parts()) == whole
    assert json_report_parts(o.diff._report_parts()) == json_report(o.diff.to_dict())
    assert o.to_json() == json.dumps(o.to_dict(), ensure_ascii=False)
    assert o.diff.to_json() == json.dumps(o.diff.to_dict(), ensure_ascii=False)
    assert json.loads(o.to_json(indent=1)) == json.loads(o.to_json())
    assert len(o.to_dict()["diff"]["changed"]) > 100 and o.to_dict()["leadership"]


cells = st.text(st.characters(codec=None), max_size=12) | st.sampled_from(
    [
        "Ủy ban nhân dân xã 00012",
        "c00012",
        " x",
        "x\xa0",
        "a_b",
        "_a",
        "1. x",
        "a\u2028b",
        "\ud800",
        "a`b",
    ]
)


@settings(FIXED, max_examples=500)
@given(cells)
def test_a_markdown_cell_and_code_span_are_what_the_escaper_writes(text):
    """Markdown cells and code spans written as they are when nothing needs escaping: the same
    text `markdown` / `markdown_code` write."""
    assert _md(text) == markdown(text, line_start=False)
    assert _code(text) == markdown_code(text)


FIELDS = ["kind", "level", "name", "parent", "civil_servants", "functions", "class", "note"]
values = (
    st.none()
    | st.integers(-(10**9), 10**9)
    | st.booleans()
    | texts
    | st.sampled_from([*om.Kind, *om.Level, *om.ProvinceClass, (), ("a", "b")])
    | st.dates()
)


@settings(FIXED, max_examples=300)
@given(st.sampled_from(FIELDS), values, st.sampled_from(["en", "vi"]))
def test_a_changed_value_is_worded_as_value_text_words_it(name, value, lang):
    with using(lang):
        assert _value(name, value, lang) == value_text(name, value)


def test_a_leadership_lines_json_is_pydantics():
    from orgmodel._simulate import _line_json

    seen_cite = seen_until = 0
    for seed, day in ((5, None), (6, "2026-03-01"), (7, "2025-08-01")):
        org, plan = om.synth(3000, seed=seed)
        o = om.simulate(org, plan, as_of=day)
        for x in o.ledger.leadership:
            mine, theirs = _line_json(x), x.model_dump(mode="json")
            assert mine == theirs and list(mine) == list(theirs)
            seen_cite += x.basis_citation is not None
            seen_until += x.transition_until is not None
    haiphong = om.simulate(om.load(HAIPHONG), om.load_plan(HAIPHONG.parent / "plan-57-2022.yaml"))
    for x in haiphong.ledger.leadership:
        assert _line_json(x) == x.model_dump(mode="json")
        seen_until += x.transition_until is not None
    line = next(x for x in o.ledger.leadership if x.basis_citation)
    if not seen_until:  # a line lawful in a transition, as `simulate` writes one
        import datetime as dt

        held = line.model_copy(update={"transition_until": dt.date(2030, 7, 1), "in_transition": 1})
        assert _line_json(held) == held.model_dump(mode="json")
        assert _line_json(held)["transition_until"] == "2030-07-01"
    assert seen_cite
    # the JSON is the caller's own: changing it changes no rule's citation
    _line_json(line)["basis_citation"]["refs"].clear()
    assert _line_json(line) == line.model_dump(mode="json")


def test_a_hand_made_leadership_lines_json_is_still_pydantics():
    import datetime as dt
    import decimal
    import warnings

    from orgmodel._simulate import _line_json

    org, plan = om.synth(3000, seed=5)
    line = next(x for x in om.simulate(org, plan).ledger.leadership if x.basis_citation)
    odd = [
        {"x": float("nan"), "y": (1, 2)},
        {"x": {1}},
        {"x": decimal.Decimal("1.5"), "b": b"ab", "f": frozenset()},
        {"k": om.Kind.DIVISION},
        {1: "a"},
        {"d": dt.datetime(2026, 1, 1, tzinfo=dt.UTC)},
        {"refs": [{"of": "Decree 370/2025", "article": 5}], "by": None, "t": True},
    ]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pydantic warns of the values it was not given
        for cite in odd:
            x = line.model_copy(update={"basis_citation": cite})
            assert _line_json(x) == x.model_dump(mode="json")
        for update in (
            {"held": 1.5},
            {"transition_until": dt.datetime(2030, 7, 1, 8, 0)},
            {"name": None},
        ):
            x = line.model_copy(update=update)
            assert _line_json(x) == x.model_dump(mode="json")


def test_the_posts_totals_are_those_of_the_lines():
    from orgmodel._simulate import leadership_posts, post_totals

    seen = [0, 0]
    for seed, day in ((5, None), (6, "2026-03-01")):
        org, plan = om.synth(3000, seed=seed)
        o = om.simulate(org, plan, as_of=day)
        for model in (o.before, o.after):
            posts = leadership_posts(model, o.books)
            assert post_totals(model, o.books) == (posts.above, posts.vacant)
            seen = [seen[0] + posts.above, seen[1] + posts.vacant]
        assert o.posts["vacant_legal_posts"]["after"] == leadership_posts(o.after, o.books).vacant
    assert seen[0] and seen[1]
