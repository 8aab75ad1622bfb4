"""Build orgmodel's snapshot of Vietnam's People's Committees before and after 1 July 2025.

    python scripts/build_vietnam.py [--wheel PATH] [--out orgmodel/data/vietnam-2025.json.gz]

The source is the `vietnamadminunits` package (MIT licence, (c) 2025 Tran Ngoc Minh Hieu,
https://github.com/tranngocminhhieu/vietnamadminunits): its SQLite dataset carries the 63
provinces, 696 districts and 10,035 communes before the reform and the 34 provinces and 3,321
communes after it, with official codes and names, and its converter carries the old -> new
mapping. Without --wheel the script downloads the pinned wheel with pip (the only time orgmodel
touches the network; the runtime reads the snapshot alone) and checks its SHA-256.

The snapshot is deterministic (sorted, gzip without a timestamp): building it twice from the same
wheel gives the same bytes. The script checks the counts and the mapping's completeness and
prints every inconsistency it corrects.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sqlite3
import subprocess
import sys
import tempfile
import unicodedata
import zipfile
from collections import defaultdict
from pathlib import Path

PACKAGE = "vietnamadminunits"
VERSION = "1.0.4"
WHEEL = f"{PACKAGE}-{VERSION}-py3-none-any.whl"
WHEEL_SHA256 = "737ee3662e877290386c1c45ed4d71f2e5fae34ab6fb9c64bfb4cb74b216ea35"
URL = "https://github.com/tranngocminhhieu/vietnamadminunits"
OUT = Path(__file__).resolve().parent.parent / "orgmodel" / "data" / "vietnam-2025.json.gz"

# the prefixes of official names, longest first ("Thành phố" before any shorter one)
TYPES = ("Thành phố", "Thị trấn", "Thị xã", "Đặc khu", "Phường", "Huyện", "Quận", "Tỉnh", "Xã")


def kind_of(name: str) -> str:
    for t in TYPES:
        if name.startswith(t + " "):
            return t
    raise SystemExit(f"unexpected official name (no known type prefix): {name!r}")


def nfc(s: str) -> str:
    return unicodedata.normalize("NFC", s).strip()


def official(name: str, notes: list[str]) -> str:
    """The name with its type prefix spelled as the law does ("Thành Phố X" -> "Thành phố X")."""
    name = " ".join(nfc(name).split())
    for t in TYPES:
        if name.casefold().startswith(t.casefold() + " ") and not name.startswith(t + " "):
            fixed = t + name[len(t) :]
            notes.append(f"{name!r} written {fixed!r}")
            return fixed
    kind_of(name)
    return name


def fetch_wheel(folder: Path) -> Path:
    subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "download",
            "-q",
            "--no-deps",
            "-d",
            str(folder),
            f"{PACKAGE}=={VERSION}",
        ],
        check=True,
    )
    return folder / WHEEL


def build(wheel: Path) -> tuple[dict, list[str]]:
    digest = hashlib.sha256(wheel.read_bytes()).hexdigest()
    if digest != WHEEL_SHA256:
        raise SystemExit(f"{wheel}: SHA-256 {digest}, expected {WHEEL_SHA256} ({WHEEL})")
    notes: list[str] = []
    with tempfile.TemporaryDirectory() as tmp, zipfile.ZipFile(wheel) as z:
        z.extract(f"{PACKAGE}/data/dataset.db", tmp)
        z.extract(f"{PACKAGE}/data/converter_2025.json", tmp)
        db = sqlite3.connect(Path(tmp, PACKAGE, "data", "dataset.db"))
        mapping = json.loads(Path(tmp, PACKAGE, "data", "converter_2025.json").read_text("utf-8"))
        legacy = db.execute(
            "select provinceKey, districtKey, wardKey, provinceCode, districtCode, wardCode,"
            " province, district, ward, wardType from admin_units_legacy"
        ).fetchall()
        current = db.execute(
            "select provinceKey, wardKey, provinceCode, wardCode, province, ward, wardType"
            " from admin_units"
        ).fetchall()
        db.close()

    # before: provinces, districts, communes (a commune-less island district has a row of its own)
    provinces: dict[str, str] = {}
    districts: dict[str, tuple[str, str]] = {}
    communes: dict[str, tuple[str, str]] = {}
    by_key: dict[str, str] = {}  # the converter's old key -> commune code ("D" + district code
    # for a district with no communes)
    for pk, dk, wk, pc, dc, wc, pn, dn, wn, wtype in legacy:
        pn, dn = official(pn, notes), official(dn, notes)
        assert provinces.setdefault(pc, pn) == pn, (pc, pn)
        assert districts.setdefault(dc, (pc, dn)) == (pc, dn), (dc, dn)
        if wc is None:
            by_key[f"{pk}_{dk}_"] = "D" + dc
            continue
        wn = official(wn, notes)
        if kind_of(wn) != nfc(wtype):
            notes.append(
                f"commune {wc} (before): the name says {kind_of(wn)!r}, the type column "
                f"{wtype!r}; the name is kept"
            )
        assert wc not in communes, wc
        communes[wc] = (dc, wn)
        by_key[f"{pk}_{dk}_{wk}"] = wc
    # after: provinces and communes
    provinces_after: dict[str, str] = {}
    communes_after: dict[str, tuple[str, str]] = {}
    new_key: dict[tuple[str, str], str] = {}
    pkey_after: dict[str, str] = {}
    for pk, wk, pc, wc, pn, wn, wtype in current:
        pn, wn = official(pn, notes), official(wn, notes)
        assert provinces_after.setdefault(pc, pn) == pn, (pc, pn)
        pkey_after[pk] = pc
        assert wc not in communes_after, wc
        if kind_of(wn) != nfc(wtype):
            notes.append(
                f"commune {wc} (after): the name says {kind_of(wn)!r}, the type column {wtype!r}; "
                "the name is kept"
            )
        communes_after[wc] = (pc, wn)
        new_key[(pk, wk)] = wc
    pcode_before = {pk: pc for pk, _dk, _wk, pc, *_ in legacy}

    # the mapping: new province <- old provinces; new commune <- whole old communes and parts
    province_map = {
        pkey_after[new]: sorted(pcode_before[o] for o in olds)
        for new, olds in mapping["DICT_PROVINCE"].items()
    }
    whole: dict[str, str] = {}
    for new_p, wards in mapping["DICT_PROVINCE_WARD_NO_DIVIDED"].items():
        for new_w, olds in wards.items():
            for o in olds:
                assert o not in whole, o
                whole[by_key[o]] = new_key[(new_p, new_w)]
    divided: dict[str, list[tuple[str, int]]] = {}
    for new_p, olds in mapping["DICT_PROVINCE_WARD_DIVIDED"].items():
        for o, parts in olds.items():
            code = by_key[o]
            assert code not in whole and code not in divided, o
            divided[code] = [
                (new_key[(new_p, p["newWardKey"])], int(bool(p["isDefaultNewWard"]))) for p in parts
            ]
            assert sum(d for _, d in divided[code]) == 1, o
    mapped = set(whole) | set(divided)
    every = set(communes) | {k for k in by_key.values() if k.startswith("D")}
    assert mapped == every, (sorted(every - mapped)[:5], sorted(mapped - every)[:5])
    formed: dict[str, list[list[str]]] = defaultdict(lambda: [[], []])
    for o, n in whole.items():
        formed[n][0].append(o)
    for o, parts in divided.items():
        for n, _ in parts:
            formed[n][1].append(o)
    assert set(formed) == set(communes_after)

    snapshot = {
        "format": "orgmodel-vietnam/1",
        "source": {
            "package": PACKAGE,
            "version": VERSION,
            "licence": "MIT",
            "copyright": "(c) 2025 Tran Ngoc Minh Hieu",
            "url": URL,
            "wheel_sha256": digest,
            "built_by": "scripts/build_vietnam.py",
        },
        "before": {
            "provinces": sorted([c, n] for c, n in provinces.items()),
            "districts": sorted([c, p, n] for c, (p, n) in districts.items()),
            "communes": sorted([c, d, n] for c, (d, n) in communes.items()),
        },
        "after": {
            "provinces": sorted([c, n] for c, n in provinces_after.items()),
            "communes": sorted([c, p, n] for c, (p, n) in communes_after.items()),
        },
        "reform": {
            "provinces": sorted([new, olds] for new, olds in province_map.items()),
            "communes": sorted([n, sorted(w), sorted(d)] for n, (w, d) in formed.items()),
            "divided": sorted(
                [o, [[n, dflt] for n, dflt in parts]] for o, parts in divided.items()
            ),
        },
        "notes": list(dict.fromkeys(notes)),
    }
    return snapshot, snapshot["notes"]


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--wheel", type=Path, help=f"a local {WHEEL} (default: pip download it)")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        wheel = args.wheel or fetch_wheel(Path(tmp))
        snapshot, notes = build(wheel)
    b, a = snapshot["before"], snapshot["after"]
    print(
        f"before: {len(b['provinces'])} provinces, {len(b['districts'])} districts, "
        f"{len(b['communes'])} communes; after: {len(a['provinces'])} provinces, "
        f"{len(a['communes'])} communes; {len(snapshot['reform']['divided'])} communes divided"
    )
    for n in notes:
        print("note:", n)
    text = json.dumps(snapshot, ensure_ascii=False, separators=(",", ":"), sort_keys=True)
    data = gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_bytes(data)
    print(f"wrote {args.out} ({len(data):,} bytes)")


if __name__ == "__main__":
    main()
