"""Synthetic countries for benchmarks and tests: seeded, deterministic, plausible.

A country has provinces of every class (two special-class cities first), each with a People's
Committee, about 20 specialized agencies (departments with divisions, an office, branches with
divisions, public service units), district People's Committees with their offices, and commune
People's Committees with three divisions and public service units. The matching national plan
mirrors the 2025 reform: provinces merged (63 -> 34 at full size), departments merged and trimmed
to 14, communes merged in threes, the district level dissolved. It yields no PlanError.
"""

from __future__ import annotations

import datetime as dt
import random
from typing import Any

from ._errors import msg
from ._model import Kind, Level, Org, ProvinceClass, Unit
from ._plan import Plan, Step, UnitFields

UNITS_PER_PROVINCE = 1600  # full-size provinces; fewer provinces below 63 x this
DEPARTMENTS = 20
DISTRICTS = 11
DISTRICT_OFFICES = 10
COMMUNE_UNITS = 6  # PC + 3 divisions + 2 public service units

# How many deputies the generator gives a division of a given size, by class: (below, max) pairs.
# Generator parameters for realistic data, shaped like the class-dependent bands of 2020-2025;
# not a rule (checks read the rulebooks, never these).
_BANDS = {
    "special": ((10, 1), (15, 2), (10**9, 3)),
    "I": ((9, 1), (15, 2), (10**9, 3)),
    "II": ((8, 1), (15, 2), (10**9, 3)),
    "III": ((8, 1), (15, 2), (10**9, 3)),
}


def _deputies(cls: str, cs: int) -> int:
    for below, mx in _BANDS[cls]:
        if cs < below:
            return mx
    return 3  # pragma: no cover


def synth(units: int = 10_000, *, seed: int = 0) -> tuple[Org, Plan]:
    """A synthetic country of about `units` units (1,000 to 200,000) and its national plan."""
    if not 100 <= units <= 1_000_000:
        raise ValueError(
            msg(
                "synth_units",
                "units must be between {least:,} and {most:,}",
                least=100,
                most=1_000_000,
            )
        )
    rnd = random.Random(seed)
    provinces = max(1, min(63, round(units / UNITS_PER_PROVINCE)))
    budget = units / provinces
    out: list[Unit] = []
    add = out.append
    structure: list[dict[str, Any]] = []

    def u(
        uid: str, parent: str | None, kind: Kind, name: str, cs: int = 0, dep: int = 0, **extra: Any
    ) -> None:
        if cs:  # a unit without staff of its own (a People's Committee) states none
            extra["civil_servants"] = cs
        add(Unit(id=uid, parent=parent, kind=kind, name=name, deputies=dep, **extra))

    for p in range(provinces):
        pid = f"p{p:02d}"
        cls = (
            "special"
            if p < 2
            else ("I" if p < 2 + provinces // 5 else ("II" if p < 2 + provinces // 2 else "III"))
        )
        u(
            pid,
            None,
            Kind.PEOPLES_COMMITTEE,
            f"Ủy ban nhân dân tỉnh {p:02d}",
            level=Level.PROVINCE,
            province_class=ProvinceClass(cls),
            head=0,
        )
        start = len(out)
        depts = []
        for d in range(DEPARTMENTS):
            did = f"{pid}-d{d:02d}"
            depts.append(did)
            kind = Kind.OFFICE if d == 0 else (Kind.INSPECTORATE if d == 1 else Kind.DEPARTMENT)
            u(did, pid, kind, f"Sở {d:02d}", cs=5, dep=3)
            for k in range(rnd.randint(5, 7)):
                cs = rnd.randint(5, 16)
                dep = _deputies(cls, cs) if rnd.random() > 0.03 else 3  # a few break the bands
                u(f"{did}-f{k}", did, Kind.DIVISION, f"Phòng {k}", cs=cs, dep=dep)
            if kind is Kind.DEPARTMENT and d % 3 == 0:
                bid = f"{did}-b"
                u(bid, did, Kind.BRANCH, "Chi cục", cs=5, dep=1)
                for k in range(3):
                    u(
                        f"{bid}-f{k}",
                        bid,
                        Kind.DIVISION,
                        f"Phòng {k} thuộc Chi cục",
                        cs=rnd.randint(5, 8),
                        dep=1,
                    )
            u(f"{did}-s", did, Kind.PUBLIC_SERVICE_UNIT, "Trung tâm", public_employees=40)
        core = len(out) - start + 1
        districts = []
        for h in range(DISTRICTS):
            hid = f"{pid}-h{h:02d}"
            districts.append(hid)
            u(
                hid,
                pid,
                Kind.PEOPLES_COMMITTEE,
                f"Ủy ban nhân dân huyện {h:02d}",
                level=Level.DISTRICT,
                head=0,
            )
            for k in range(DISTRICT_OFFICES):
                u(
                    f"{hid}-o{k}",
                    hid,
                    Kind.OFFICE if k == 0 else Kind.DIVISION,
                    f"Phòng {k}",
                    cs=rnd.randint(4, 10),
                    dep=rnd.choice((1, 2, 2, 3)),
                )
        n_communes = max(
            1, int((budget - core - DISTRICTS * (1 + DISTRICT_OFFICES)) // COMMUNE_UNITS)
        )
        communes = []
        for c in range(n_communes):
            hid = districts[c % DISTRICTS]
            cid = f"{hid}-x{c:03d}"
            communes.append(cid)
            u(
                cid,
                hid,
                Kind.PEOPLES_COMMITTEE,
                f"Ủy ban nhân dân xã {c:03d}",
                level=Level.COMMUNE,
                cs=3,
                dep=2,
            )
            for k, name in enumerate(("Văn phòng", "Phòng Kinh tế", "Phòng Văn hóa - Xã hội")):
                u(
                    f"{cid}-v{k}",
                    cid,
                    Kind.OFFICE if k == 0 else Kind.DIVISION,
                    name,
                    cs=rnd.randint(2, 6),
                    dep=0,
                    head=1,
                )
            for k in range(2):
                u(
                    f"{cid}-s{k}",
                    cid,
                    Kind.PUBLIC_SERVICE_UNIT,
                    f"Trạm {k}",
                    public_employees=rnd.randint(3, 20),
                )
        structure.append(
            {"id": pid, "class": cls, "depts": depts, "districts": districts, "communes": communes}
        )
    org = Org(
        out,
        name=f"Synthetic country ({provinces} provinces, seed {seed})",
        as_of=dt.date(2025, 6, 30),
    )
    return org, _national_plan(structure)


def _national_plan(provinces: list[dict[str, Any]]) -> Plan:
    steps: list[Step] = []
    n = len(provinces)
    target = max(1, round(n * 34 / 63))
    groups: list[list[dict[str, Any]]] = [[p] for p in provinces]
    # merge the last provinces pairwise into earlier ones until `target` remain
    while len(groups) > target:
        last = groups.pop()
        groups[(len(groups) - 1) % max(1, target)].extend(last)
    for g in groups:
        pid = g[0]["id"]
        if len(g) > 1:
            # the merged province takes the highest class of its parts: the plan states it, as
            # the class is data the simulation does not guess
            cls = min((p["class"] for p in g), key=["special", "I", "II", "III"].index)
            fields = UnitFields(id=pid, province_class=ProvinceClass(cls))
            steps.append(Step(op="merge", units=tuple(p["id"] for p in g), fields=fields))
            for d in range(DEPARTMENTS):
                steps.append(
                    Step(
                        op="merge",
                        units=tuple(p["depts"][d] for p in g),
                        fields=UnitFields(id=g[0]["depts"][d]),
                    )
                )
        # trim to 14 agencies: the last six departments fold into six others
        for d in range(14, DEPARTMENTS):
            steps.append(Step(op="absorb", units=(g[0]["depts"][d],), target=g[0]["depts"][d - 12]))
        communes = [c for p in g for c in p["communes"]]
        for i in range(0, len(communes), 3):
            trio = communes[i : i + 3]
            if len(trio) == 1:
                steps.append(Step(op="move", units=(trio[0],), target=pid))
                continue
            steps.append(
                Step(op="merge", units=tuple(trio), fields=UnitFields(id=trio[0], parent=pid))
            )
            for k in range(3):
                steps.append(
                    Step(
                        op="merge",
                        units=tuple(f"{c}-v{k}" for c in trio),
                        fields=UnitFields(id=f"{trio[0]}-v{k}"),
                    )
                )
        for p in g:
            for hid in p["districts"]:
                steps.append(Step(op="dissolve", units=(hid,), target=pid))
    return Plan(
        name="Synthetic national reform: provinces merged, district level dissolved, "
        "communes merged",
        effective=dt.date(2025, 7, 1),
        steps=tuple(steps),
    )
