"""Vietnam's People's Committees before and after 1 July 2025, and the 2025 reform as a plan.

The units come from a snapshot bundled with the package (``data/vietnam-2025.json.gz``, built by
``scripts/build_vietnam.py`` from the vietnamadminunits package, MIT); what the law fixes about
them (the dates, the province classes, the departments every province has) from
``data/vietnam.yaml``, each fact with its basis. Nothing here needs the network.

Ids are derived from the official codes: ``province-31``, ``district-318``, ``commune-11311``;
a province's departments are ``province-31-noi-vu`` and so on.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import gzip
import io
import json
import os
import unicodedata
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

import yaml

from ._errors import LoadError, Msg, bilingual, msg
from ._model import Kind, Level, Org, ProvinceClass, Unit, as_day
from ._plan import Plan, Step, UnitFields

__all__ = ["vietnam", "vietnam_reform_2025"]

MAX_CLASSES_BYTES = 1 << 20  # a classes file lists 34 or 63 provinces
_CLASS_HEADERS = {"class", "province class", "loai", "hang", "phan loai", "phan loai tinh"}


@dataclass(frozen=True)
class _Facts:
    """The snapshot and the law's facts about it, read once."""

    raw: dict[str, Any]
    law: dict[str, Any]

    @functools.cached_property
    def before_from(self) -> dt.date:
        return _day(self.law["before"]["from"])

    @functools.cached_property
    def before_until(self) -> dt.date:
        return _day(self.law["before"]["until"])

    @functools.cached_property
    def after_from(self) -> dt.date:
        return _day(self.law["after"]["from"])

    @functools.cached_property
    def merged_from(self) -> dict[str, list[str]]:
        """A province after the reform -> the provinces before it formed from."""
        return {new: olds for new, olds in self.raw["reform"]["provinces"]}

    @functools.cached_property
    def formed(self) -> dict[str, tuple[list[str], list[str]]]:
        """A commune after the reform -> (the units before it took whole, those it took a
        part of). A whole unit ``D<code>`` is a district with no communes (an island)."""
        return {n: (whole, parts) for n, whole, parts in self.raw["reform"]["communes"]}


def _day(v: Any) -> dt.date:
    return v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))


@functools.cache
def _facts() -> _Facts:
    base = resources.files("orgmodel") / "data"
    law = yaml.safe_load((base / "vietnam.yaml").read_text("utf-8"))
    raw = json.loads(gzip.decompress((base / law["snapshot"]).read_bytes()).decode("utf-8"))
    return _Facts(raw, law)


# ---- names and ids ----------------------------------------------------------------------


def province_id(code: str) -> str:
    return f"province-{code}"


def district_id(code: str) -> str:
    return f"district-{code}"


def commune_id(code: str) -> str:
    return f"commune-{code}"


@functools.cache
def _types() -> tuple[str, ...]:
    """The official names' type prefixes, longest first ("Thành phố" before any shorter)."""
    return tuple(sorted(_facts().law["types"], key=len, reverse=True))


def _type_of(official: str) -> str:
    for t in _types():
        if official.startswith(t + " "):
            return str(t)
    raise AssertionError(f"no known type in {official!r}")  # the build script checks this


def _fold(text: str) -> str:
    """Text without diacritics (đ as d), for English names and forgiving look-ups."""
    text = unicodedata.normalize("NFD", text.replace("đ", "d").replace("Đ", "D"))
    return "".join(c for c in text if unicodedata.category(c) != "Mn")


def pc_name(official: str) -> str:
    """The People's Committee of an administrative unit: "Ủy ban nhân dân thành phố Hải
    Phòng" for "Thành phố Hải Phòng" (the type in lower case, the name exactly as official)."""
    t = _type_of(official)
    return f"Ủy ban nhân dân {t.lower()}{official[len(t) :]}"


def pc_name_en(official: str) -> str:
    t = _type_of(official)
    rest = _fold(official[len(t) + 1 :])
    en = _facts().law["types"][t]
    if rest.isdigit():  # "Phường 15": Ward 15
        return f"{en} {rest} People's Committee"
    return f"{rest} {en} People's Committee"


# ---- the structure on a date ---------------------------------------------------------------


def _which(day: dt.date) -> str:
    f = _facts()
    if day >= f.after_from:
        return "after"
    if f.before_from <= day <= f.before_until:
        return "before"
    raise LoadError(
        msg(
            "vietnam_date_outside",
            "the bundled structure of Vietnam holds from {start} to {end} ({before} provinces) "
            "and from {after} ({now} provinces); {day} is before it",
            start=f.before_from,
            end=f.before_until,
            before=len(f.raw["before"]["provinces"]),
            after=f.after_from,
            now=len(f.raw["after"]["provinces"]),
            day=day,
        )
    )


def _province_key(text: str) -> str:
    """A province as a reader may write it: case, spacing, hyphens and the "tỉnh"/"thành phố"
    prefix folded (diacritics kept)."""
    t = " ".join(unicodedata.normalize("NFC", text).replace("-", " ").replace("–", " ").split())
    t = t.casefold()
    for prefix in ("tỉnh ", "thành phố ", "tp. ", "tp ", "tp."):
        if t.startswith(prefix):
            return t[len(prefix) :].strip()
    return t


def _find_province(text: str, provinces: Mapping[str, str]) -> str | None:
    """The code of the province `text` names (a code, or a name with or without diacritics)."""
    t = str(text).strip()
    if t.isdigit() and len(t) <= 2:
        return t.zfill(2) if t.zfill(2) in provinces else None
    key = _province_key(t)
    exact = [c for c, n in provinces.items() if _province_key(n) == key]
    if len(exact) == 1:
        return exact[0]
    loose = [c for c, n in provinces.items() if _fold(_province_key(n)) == _fold(key)]
    return loose[0] if len(loose) == 1 else None


def _unknown_province(text: str, provinces: Mapping[str, str], day: dt.date) -> Msg:
    import difflib

    names = {_fold(_province_key(n)): n for n in provinces.values()}
    near = difflib.get_close_matches(_fold(_province_key(str(text))), list(names), n=3)
    return msg(
        "vietnam_province_unknown",
        "no province {name!r} on {day}{near}; give its code ({first} to {last}) or its name, "
        "e.g. {example!r}",
        name=str(text),
        day=day,
        first=min(provinces),
        last=max(provinces),
        example=_province_key(provinces[min(provinces)]).title(),
        near=msg(
            "did_you_mean_list", " (did you mean {names}?)", names=", ".join(names[k] for k in near)
        )
        if near
        else "",
    )


def _law_classes(day: dt.date) -> dict[str, tuple[ProvinceClass, dict[str, Any]]]:
    """Province code -> (class, the law's entry) for the classes the law fixes on `day`."""
    out: dict[str, tuple[ProvinceClass, dict[str, Any]]] = {}
    for entry in _facts().law["classes"]:
        until = entry.get("until")
        if _day(entry["from"]) <= day and (until is None or day <= _day(until)):
            for code in entry["provinces"]:
                out[str(code)] = (ProvinceClass(str(entry["class"])), entry)
    return out


def law_classes(org: Org) -> dict[str, ProvinceClass]:
    """The province units of `org` (a `vietnam()` model) whose class the law fixes on its
    date: unit id -> class."""
    if org.as_of is None:
        return {}
    law = _law_classes(org.as_of)
    return {province_id(c): k for c, (k, _) in law.items() if province_id(c) in org}


def later_changes(day: dt.date) -> list[dict[str, Any]]:
    """Changes in force on `day` that the bundled snapshot (1 July 2025) does not hold."""
    return [c for c in _facts().law["after"].get("later", ()) if _day(c["from"]) <= day]


def law_text(entry: Mapping[str, Any]) -> Msg:
    """The citation of a fact in vietnam.yaml, in either language, marked when unverified."""
    law = entry["law"]
    if entry.get("verified", False):
        return bilingual(law["en"], law["vi"])
    return bilingual(f"{law['en']}, unverified", f"{law['vi']}, chưa kiểm chứng")


def departments_law() -> Msg:
    """The citation of the departments every province has."""
    return law_text(_facts().law["departments"])


def _class_text(c: ProvinceClass) -> Msg:
    from ._i18n import CLASS_VI

    return bilingual(c.value, CLASS_VI.get(c.value, c.value))


def _class_value(text: str) -> ProvinceClass | None:
    from ._tables import _key, _value_names

    code = _value_names()["class"].get(_key(text))
    return None if code is None else ProvinceClass(code)


def _read_classes(path: str | os.PathLike[str]) -> list[tuple[str, str, int]]:
    """The rows of a classes file: (province as written, class as written, line)."""
    from ._io import read_bytes
    from ._tables import _decode_csv

    name = os.fspath(path)
    data = read_bytes(path, limit=MAX_CLASSES_BYTES, what="table")
    if data.startswith(b"PK\x03\x04"):
        raise LoadError(
            msg(
                "classes_not_csv",
                "this is an Excel workbook; save the two columns (province, class) as CSV UTF-8",
            ),
            file=name,
        )
    text = _decode_csv(data, name).replace("\r\n", "\n").replace("\r", "\n")
    if "\x00" in text:
        raise LoadError(
            msg("classes_nul", "the file holds a NUL byte; expected CSV text"),
            file=name,
            line=text.count("\n", 0, text.find("\x00")) + 1,
        )
    lines = (ln for ln in text.split("\n") if ln.strip() and not ln.lstrip().startswith("#"))
    first = next(lines, "")
    delimiter = max((",", ";", "\t"), key=first.count) if first else ","
    rows: list[tuple[str, str, int]] = []
    try:
        for number, cells in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
            cells = [c.strip() for c in cells]
            if not any(cells) or cells[0].startswith("#"):
                continue
            if len([c for c in cells if c]) != 2 or not cells[0] or not cells[1]:
                raise LoadError(
                    msg(
                        "classes_two_columns",
                        "expected two cells, the province (code or name) and its class "
                        "(special, I, II or III), got {n}",
                        n=len([c for c in cells if c]),
                    ),
                    file=name,
                    line=number,
                )
            rows.append((cells[0], cells[1], number))
    except csv.Error as e:
        raise LoadError(msg("csv_error", "{detail}", detail=str(e)), file=name) from None
    return rows


def _classes(
    given: Mapping[str, Any] | str | os.PathLike[str] | None,
    provinces: Mapping[str, str],
    day: dt.date,
) -> dict[str, ProvinceClass]:
    law = _law_classes(day)
    out = {c: k for c, (k, _) in law.items() if c in provinces}
    if given is None:
        return out
    rows: list[tuple[str, str, int | None]]
    name: str | None = None
    if isinstance(given, Mapping):
        rows = [(str(k), str(v), None) for k, v in given.items()]
    else:
        rows = [(p, c, n) for p, c, n in _read_classes(given)]
        name = os.fspath(given)
        # a first row whose second cell says "class" is a header ("province, class")
        if rows and " ".join(_fold(rows[0][1]).casefold().split()) in _CLASS_HEADERS:
            rows = rows[1:]
    seen: dict[str, int | None] = {}
    for province, value, line in rows:
        code = _find_province(province, provinces)
        if code is None:
            raise LoadError(_unknown_province(province, provinces, day), file=name, line=line)
        cls = _class_value(value)
        if cls is None:
            raise LoadError(
                msg(
                    "classes_bad_class",
                    "{value!r} is not a province class; expected special, I, II or III "
                    "(đặc biệt, loại I, loại II, loại III)",
                    value=value,
                ),
                file=name,
                line=line,
            )
        if code in seen:
            raise LoadError(
                msg(
                    "classes_twice",
                    "{name} is given a class twice (also on line {first})",
                    name=provinces[code],
                    first=seen[code] or "?",
                ),
                file=name,
                line=line,
            )
        seen[code] = line
        if code in law and law[code][0] is not cls:
            raise LoadError(
                msg(
                    "classes_fixed_by_law",
                    "{name} is class {fixed} by law ({law}); it cannot be given class {given}",
                    name=provinces[code],
                    fixed=_class_text(law[code][0]),
                    law=law_text(law[code][1]),
                    given=_class_text(cls),
                ),
                file=name,
                line=line,
            )
        out[code] = cls
    return out


def vietnam(
    as_of: dt.date | str | None = None,
    province: str | int | None = None,
    *,
    departments: bool = False,
    classes: Mapping[str, Any] | str | os.PathLike[str] | None = None,
) -> Org:
    """Vietnam's tree of People's Committees on `as_of` (default: today): before 1 July 2025,
    63 provinces, 696 districts and 10,035 communes; from that day, 34 provinces and 3,321
    communes (wards and special zones included), the district level abolished.

    `province` (a code such as ``"31"`` or a name such as ``"Hải Phòng"``) keeps one province's
    subtree. `departments=True` adds, under each province after the reform, the 12 specialized
    agencies of Decree 150/2025 Art. 8, named, with their staff not stated. Province classes
    fixed by law are set; `classes` (a mapping or a two-column CSV file: province code or name,
    class) supplies the others — orgmodel never guesses one. Every People's Committee holds its
    head (the chairman) and states no civil servants.
    """
    day = as_day(as_of) or dt.date.today()
    f = _facts()
    which = _which(day)
    data = f.raw[which]
    provinces = {c: n for c, n in data["provinces"]}
    if province is not None:
        code = _find_province(str(province), provinces)
        if code is None:
            raise LoadError(_unknown_province(str(province), provinces, day))
        chosen = {code}
    else:
        chosen = set(provinces)
    cls = _classes(classes, provinces, day)
    if departments and day < _day(f.law["departments"]["from"]):
        raise LoadError(
            msg(
                "vietnam_departments_date",
                "the departments every province has are those of {law}, in force from {start}; "
                "{day} is before it (give --as-of {start} or later)",
                law=departments_law(),
                start=_day(f.law["departments"]["from"]).isoformat(),
                day=day.isoformat(),
            )
        )
    units = list(_units(which, chosen, cls, departments, day))
    title = provinces[next(iter(chosen))] if province is not None else "Việt Nam"
    return Org(units, name=f"{title} — Ủy ban nhân dân các cấp, {day.isoformat()}", as_of=day)


def _units(
    which: str,
    chosen: set[str],
    classes: Mapping[str, ProvinceClass],
    departments: bool,
    day: dt.date,
) -> Iterator[Unit]:
    f = _facts()
    data = f.raw[which]
    effective = _day(f.law["reform"]["effective"])
    province = Level.PROVINCE
    pc = Kind.PEOPLES_COMMITTEE
    communes_of: dict[str, list[list[str]]] = {}  # a district (before) or province (after)
    for row in data["communes"]:  # [code, parent code, official name]
        communes_of.setdefault(row[1], []).append(row)
    districts_of: dict[str, list[list[str]]] = {}
    for row in data.get("districts", ()):
        districts_of.setdefault(row[1], []).append(row)
    for code, official in data["provinces"]:
        if code not in chosen:
            continue
        pid = province_id(code)
        merged = len(f.merged_from.get(code, ())) if which == "after" else 1
        yield Unit(
            id=pid,
            kind=pc,
            level=province,
            name=pc_name(official),
            name_en=pc_name_en(official),
            province_class=classes.get(code),
            provinces_merged=max(1, merged),
            reorganized=effective if merged > 1 else None,
        )
        if departments:
            yield from _departments(pid, official)
        if which == "after":
            for ccode, _p, cname in communes_of.get(code, ()):
                yield _commune(ccode, cname, pid, f, effective)
        else:
            for dcode, _p, dname in districts_of.get(code, ()):
                did = district_id(dcode)
                yield Unit(
                    id=did,
                    kind=pc,
                    level=Level.DISTRICT,
                    name=pc_name(dname),
                    name_en=pc_name_en(dname),
                    parent=pid,
                )
                for ccode, _d, cname in communes_of.get(dcode, ()):
                    yield Unit(
                        id=commune_id(ccode),
                        kind=pc,
                        level=Level.COMMUNE,
                        name=pc_name(cname),
                        name_en=pc_name_en(cname),
                        parent=did,
                    )


def _reorganized(code: str, f: _Facts) -> bool:
    """Was the commune after the reform formed by it (not one commune kept whole)?"""
    whole, parts = f.formed[code]
    return bool(parts) or len(whole) != 1 or whole[0].startswith("D")


def _commune(code: str, official: str, pid: str, f: _Facts, effective: dt.date) -> Unit:
    return Unit(
        id=commune_id(code),
        kind=Kind.PEOPLES_COMMITTEE,
        level=Level.COMMUNE,
        name=pc_name(official),
        name_en=pc_name_en(official),
        parent=pid,
        reorganized=effective if _reorganized(code, f) else None,
    )


def _departments(pid: str, official: str) -> Iterator[Unit]:
    spec = _facts().law["departments"]
    area_vi, area_en = spec["area"][_type_of(official)]
    for d in spec["units"]:
        yield Unit(
            id=f"{pid}-{d['id']}",
            kind=Kind(d["kind"]),
            name=d["name"].format(area=area_vi),
            name_en=d["name_en"].format(Area=area_en),
            parent=pid,
            note=spec["note"],
        )


# ---- the reform as a plan ------------------------------------------------------------------


def vietnam_reform_2025() -> Plan:
    """The 2025 reorganization as a plan on ``vietnam(<a day before 1 July 2025>)``: provinces
    merged (52 into 23, 11 unchanged), every district People's Committee dissolved with its
    communes moved under the province, communes merged into the new ones, and the communes
    divided between several new ones split. Simulating it gives ``vietnam("2025-07-01")``."""
    return Plan(
        name=_facts().law["reform"]["name_vi"],
        effective=_day(_facts().law["reform"]["effective"]),
        steps=tuple(_reform_steps()),
    )


def _reform_steps() -> Iterator[Step]:
    f = _facts()
    before = f.raw["before"]
    after = f.raw["after"]
    old_province = {c: n for c, n in before["provinces"]}
    old_commune = {c: n for c, _d, n in before["communes"]}
    new_commune = {c: (p, n) for c, p, n in after["communes"]}
    old_district = {c: n for c, _p, n in before["districts"]}
    effective = _day(f.law["reform"]["effective"])
    classes_before = _law_classes(f.before_until)
    classes_after = _law_classes(effective)
    pc = Kind.PEOPLES_COMMITTEE

    # 1. provinces: the merged ones into the new (its code is one of theirs), the others kept
    for code, official in after["provinces"]:
        olds = f.merged_from[code]
        name = pc_name(official)
        cls = classes_after.get(code, (None, ""))[0]
        if len(olds) > 1:
            units = (province_id(code), *(province_id(o) for o in olds if o != code))
            yield Step(
                op="merge",
                units=units,
                fields=UnitFields(
                    id=province_id(code),
                    name=name,
                    name_en=pc_name_en(official),
                    province_class=cls,
                    head=1,
                    deputies=0,
                ),
            )
            continue
        if pc_name(old_province[code]) != name:
            yield Step(
                op="rename",
                units=(province_id(code),),
                fields=UnitFields(name=name, name_en=pc_name_en(official)),
            )
        if classes_before.get(code, (None, ""))[0] is not cls and cls is not None:
            yield Step(op="set", units=(province_id(code),), fields=UnitFields(province_class=cls))

    # 2. communes divided between several new ones: split, each part going to its new commune
    divided = {o: parts for o, parts in f.raw["reform"]["divided"]}
    part_id: dict[tuple[str, str], str] = {}
    for old, parts in divided.items():
        specs = []
        successor = None
        for new, default in parts:
            whole, split_from = f.formed[new]
            final = not whole and len(split_from) == 1
            pid = commune_id(new) if final else f"commune-{old}-to-{new}"
            part_id[(old, new)] = pid
            pcode, official = new_commune[new]
            specs.append(
                (
                    pid,
                    province_id(pcode),
                    pc_name(official) if final else None,
                    pc_name_en(official) if final else None,
                )
            )
            if default:
                successor = pid
        yield _split(commune_id(old), specs, successor, Level.COMMUNE)

    # 3. the new communes: merged from their parts and the communes they took whole
    for code, pcode, official in after["communes"]:
        whole, split_from = f.formed[code]
        members = [
            *(commune_id(w) for w in whole if not w.startswith("D")),
            *(part_id[(o, code)] for o in split_from),
        ]
        island = [w[1:] for w in whole if w.startswith("D")]
        name, name_en, parent = pc_name(official), pc_name_en(official), province_id(pcode)
        if island:  # a district with no communes, re-established as a commune-level unit
            assert len(whole) == 1 and not split_from, code
            yield _split(
                district_id(island[0]),
                [(commune_id(code), parent, name, name_en)],
                commune_id(code),
                Level.COMMUNE,
            )
        elif len(members) > 1:
            yield Step(
                op="merge",
                units=tuple(members),
                fields=UnitFields(
                    id=commune_id(code),
                    name=name,
                    name_en=name_en,
                    parent=parent,
                    level=Level.COMMUNE,
                    kind=pc,
                    head=1,
                    deputies=0,
                ),
            )
        elif whole:  # one commune kept whole: it moves under the province, maybe renamed
            (w,) = whole
            assert w == code, (w, code)
            yield Step(op="move", units=(commune_id(w),), target=parent)
            if pc_name(old_commune[w]) != name:
                yield Step(
                    op="rename",
                    units=(commune_id(w),),
                    fields=UnitFields(name=name, name_en=name_en),
                )

    # 4. the districts, empty now, are dissolved (their People's Committees end)
    islands = {w[1:] for whole, _ in f.formed.values() for w in whole if w.startswith("D")}
    for dcode in old_district:
        if dcode not in islands:
            yield Step(op="dissolve", units=(district_id(dcode),))


def _split(
    uid: str,
    parts: list[tuple[str, str, str | None, str | None]],
    successor: str | None,
    level: Level,
) -> Step:
    """Split `uid` evenly among `parts` (id, parent, name or None to keep the split unit's, and
    English name): the successor takes its chairman."""
    from ._plan import Part

    return Step(
        op="split",
        units=(uid,),
        parts=tuple(
            Part(
                id=pid,
                fields=UnitFields(parent=parent, name=name, name_en=name_en, level=level),
            )
            for pid, parent, name, name_en in parts
        ),
        target=successor,
    )
