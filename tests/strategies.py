"""Hypothesis strategies for orgmodel types, in one place."""

from __future__ import annotations

import unicodedata

from hypothesis import strategies as st

from orgmodel import Kind, Level, Org, ProvinceClass, Unit

names = st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30)
plain_ids = st.from_regex(r"[a-z][a-z0-9\-]{0,12}", fullmatch=True)
# ids a YAML reader could take for something else, and any text at all (compared after NFC)
tricky_ids = st.sampled_from(
    [
        "007",
        "0X1F",
        "0b101",
        "_1",
        "1e3",
        "1_000",
        "+5",
        "-1",
        ".5",
        "true",
        "NULL",
        "~",
        "yes",
        "a: b",
        "#x",
        "- x",
        "[x]",
        "&a",
        "*a",
        "!x",
        "%x",
        "@x",
        "`x",
        "'x",
        '"x',
        "x ",
        " x",
    ]
)
any_ids = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=12
)
ids_ = st.one_of(plain_ids, plain_ids, tricky_ids, any_ids).map(
    lambda s: unicodedata.normalize("NFC", s)
)


@st.composite
def units_fields(draw: st.DrawFn) -> dict:
    head = draw(st.integers(0, 1))
    deputies = draw(st.integers(0, 4))
    cs = draw(st.integers(head + deputies, 40))
    return {
        "kind": draw(st.sampled_from([k for k in Kind if k is not Kind.PEOPLES_COMMITTEE])),
        "name": draw(names),
        "civil_servants": cs,
        "deputies": deputies,
        "head": head,
        "public_employees": draw(st.integers(0, 50)),
        "functions": tuple(draw(st.lists(st.one_of(plain_ids, tricky_ids, any_ids), max_size=3))),
        "province_class": draw(st.none() | st.sampled_from(list(ProvinceClass))),
        "name_en": draw(st.none() | names),
        "note": draw(st.none() | names),
    }


@st.composite
def orgs(draw: st.DrawFn, max_units: int = 25) -> Org:
    """Random trees: a province People's Committee root, then units under random parents."""
    n = draw(st.integers(1, max_units))
    ids = draw(st.lists(ids_, min_size=n, max_size=n, unique=True))
    cls = draw(st.sampled_from(list(ProvinceClass)))
    units = [
        Unit(
            id=ids[0],
            kind=Kind.PEOPLES_COMMITTEE,
            level=Level.PROVINCE,
            name=draw(names),
            province_class=cls,
            head=0,
        )
    ]
    for i in range(1, n):
        parent = ids[draw(st.integers(0, i - 1))]
        units.append(Unit(id=ids[i], parent=parent, **draw(units_fields())))
    return Org(units, name=draw(names), as_of=draw(st.none() | st.dates()))
