"""orgmodel benchmarks: load, check, simulate, diff and dump on synthetic countries.

    python benchmarks/run.py                 # about 10k, 30k and 100k units
    python benchmarks/run.py --sizes 10000   # one size
    python benchmarks/run.py --repeat 5
    python benchmarks/run.py --repeated-only # plans of one shape, 1k to 8k steps

Run it from the repository with the package on the path (``PYTHONPATH=. python
benchmarks/run.py``), or it measures whichever orgmodel is installed.

Every time is the best of `--repeat` runs, and is also printed as a ratio to two baselines
measured in the same run on the same file: the bare parse of the file by yaml-rs (the fastest
YAML parser that yields Python objects) and by PyYAML's C loader. Peak memory is measured in a
fresh interpreter per size (ru_maxrss after loading minus after importing orgmodel).

Targets (issue 5), at 100k units: load <= 2x the yaml-rs parse; check, simulate <= 0.5x load;
diff <= 0.3x load; peak memory <= 4 KB per unit; every phase linear (100k <= 12x the 10k figure).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
import yaml_rs

import orgmodel as om
from orgmodel._plan import dumps_plan


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, Any]:
    times, result = [], None
    for _ in range(repeat):
        result = None  # drop the previous run's result before collecting
        gc.collect()  # garbage left by earlier phases is not this phase's cost
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), result


# VmHWM (this process's peak RSS, in kB) rather than ru_maxrss: a child inherits its parent's
# ru_maxrss across fork and exec on Linux, which would hide the child's own peak.
MEMORY_PROBE = """
import resource, sys
def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import orgmodel
base = peak_kb()
org = orgmodel.load(sys.argv[1])
print((peak_kb() - base) * 1024 / len(org))
"""


def peak_memory_per_unit(path: Path) -> float:
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path)], check=True, capture_output=True, text=True
    ).stdout
    return float(out.strip())


def measure(units: int, repeat: int, folder: Path, pyyaml: bool) -> dict[str, Any]:
    org, plan = om.synth(units, seed=1)
    path, plan_path = folder / f"country-{units}.yaml", folder / f"plan-{units}.yaml"
    om.dump(org, path)
    plan_path.write_text(dumps_plan(plan), encoding="utf-8")
    text = path.read_text(encoding="utf-8")
    r: dict[str, Any] = {"units": len(org), "steps": len(plan.steps)}
    r["parse_yaml_rs"], _ = best(lambda: yaml_rs.loads(text, parse_datetime=False), repeat)
    if pyyaml:
        r["parse_pyyaml_c"], _ = best(lambda: yaml.load(text, Loader=yaml.CSafeLoader), 1)
    r["load"], loaded = best(lambda: om.load(path), repeat)
    assert loaded == org
    del org  # keep one model alive, as a user would
    r["check"], report = best(lambda: om.check(loaded), repeat)
    r["violations"] = len(report.violations)
    plan_loaded = om.load_plan(plan_path)
    r["simulate"], outcome = best(lambda: om.simulate(loaded, plan_loaded), repeat)

    def with_checks() -> Any:
        o = om.simulate(loaded, plan_loaded)
        return o.report_before, o.report_after, o.introduced

    r["simulate_with_checks"], _ = best(with_checks, repeat)
    r["removed_focal_points"] = outcome.removed_focal_points
    r["diff"], _ = best(lambda: om.diff(loaded, outcome.after), repeat)
    out = folder / f"dump-{units}.yaml"
    r["dump"], _ = best(lambda: om.dump(loaded, out), repeat)
    r["memory_per_unit"] = peak_memory_per_unit(path)
    return r


PHASES = ("load", "check", "simulate", "simulate_with_checks", "diff", "dump")

# -- plans of one shape, repeated: a plan's cost must grow linearly with its steps ------------
REPEATED = (1_000, 2_000, 4_000, 8_000)


def repeated_org(n: int) -> om.Org:
    """A department with a hub division and `n` divisions of two units each."""
    units = [
        om.Unit(id="pc", kind="peoples_committee", level="province", name="PC", head=0),
        om.Unit(id="dep", parent="pc", kind="department", name="D", civil_servants=9),
        om.Unit(id="hub", parent="dep", kind="division", name="Hub", civil_servants=10),
    ]
    for k in range(n):
        units.append(
            om.Unit(
                id=f"u{k}",
                parent="dep",
                kind="division",
                name=f"U{k}",
                civil_servants=10,
                deputies=1,
            )
        )
        for j in range(2):
            units.append(om.Unit(id=f"u{k}-{j}", parent=f"u{k}", kind="other", name="x", head=0))
    return om.Org(units, name=f"repeated {n}", as_of=dt.date(2026, 1, 1))


def repeated_plan(shape: str, n: int) -> om.Plan:
    from orgmodel._plan import Step, UnitFields

    if shape == "merge into one id":  # merge: [hub, uK] into: {id: hub}
        hub = UnitFields(id="hub")
        steps = [Step(op="merge", units=("hub", f"u{k}"), fields=hub) for k in range(n)]
    elif shape == "merge into a new id":  # merge: [h(K-1), uK] into: {id: hK}
        steps = [
            Step(
                op="merge",
                units=("hub" if k == 0 else f"h{k - 1}", f"u{k}"),
                fields=UnitFields(id=f"h{k}"),
            )
            for k in range(n)
        ]
    elif shape == "absorb into one id":
        steps = [Step(op="absorb", units=(f"u{k}",), target="hub") for k in range(n)]
    elif shape == "chain of moves":  # each unit under the one before, chains 500 deep
        steps = [
            Step(op="move", units=(f"u{k}",), target="hub" if k % 500 == 0 else f"u{k - 1}")
            for k in range(n)
        ]
    else:  # dissolve
        steps = [Step(op="dissolve", units=(f"u{k}",), target="hub") for k in range(n)]
    return om.Plan(name=shape, steps=tuple(steps))


SHAPES = (
    "merge into one id",
    "merge into a new id",
    "absorb into one id",
    "chain of moves",
    "dissolve",
)


def measure_repeated(repeat: int) -> dict[str, list[float]]:
    """simulate + diff of each shape at 1k..8k steps (best of `repeat`)."""
    out: dict[str, list[float]] = {}
    for shape in SHAPES:
        times = []
        for n in REPEATED:
            org, plan = repeated_org(n), repeated_plan(shape, n)

            def run(org: om.Org = org, plan: om.Plan = plan) -> Any:
                o = om.simulate(org, plan)
                return o.diff.counts()

            t, _ = best(run, repeat)
            times.append(t)
        out[shape] = times
    return out


def print_repeated(figures: dict[str, list[float]]) -> list[tuple[str, float, float]]:
    print("\n== plans of one shape repeated (simulate + diff), linear: 8k / 4k ~ 2")
    print("  " + " " * 22 + "".join(f"{n:>9,}" for n in REPEATED) + "   8k/4k   8k/1k")
    checks = []
    for shape, times in figures.items():
        r2, r8 = times[-1] / times[-2], times[-1] / times[0]
        cells = "".join(f"{t:8.3f}s" for t in times)
        print(f"  {shape:<22}{cells}   {r2:5.2f}   {r8:5.2f}")
        # twice the steps: linear gives 2x, quadratic 4x; the heap's growth adds a little
        checks.append((f"{shape} linear (8k/4k steps)", r2, 3.0))
    return checks


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 30_000, 100_000])
    ap.add_argument("--repeat", type=int, default=3)
    ap.add_argument("--no-pyyaml", action="store_true", help="skip the (slow) PyYAML baseline")
    ap.add_argument("--json", metavar="FILE", help="also write the figures as JSON")
    ap.add_argument(
        "--repeated-only", action="store_true", help="only the plans of one shape repeated"
    )
    ap.add_argument("--no-repeated", action="store_true", help="skip the plans of one shape")
    a = ap.parse_args()
    repeated: dict[str, list[float]] = {}
    repeated_checks: list[tuple[str, float, float]] = []
    if not a.no_repeated:
        repeated = measure_repeated(a.repeat)
        repeated_checks = print_repeated(repeated)
    if a.repeated_only:
        for label, value, limit in repeated_checks:
            mark = "ok  " if value <= limit else "MISS"
            print(f"  {mark} {label:<40} {value:7.2f} (limit {limit:g})")
        return
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for n in a.sizes:
            rows.append(measure(n, a.repeat, Path(tmp), not a.no_pyyaml))
            r = rows[-1]
            print(
                f"\n== {r['units']:,} units, {r['steps']:,} plan steps, "
                f"{r['violations']:,} violations, {r['removed_focal_points']:,} focal points "
                "removed"
            )
            base = r["parse_yaml_rs"]
            print(f"  parse yaml-rs    {base:8.3f} s   (baseline)")
            if "parse_pyyaml_c" in r:
                print(
                    f"  parse PyYAML C   {r['parse_pyyaml_c']:8.3f} s   "
                    f"{r['parse_pyyaml_c'] / base:5.2f}x yaml-rs"
                )
            for ph in PHASES:
                line = f"  {ph:<16} {r[ph]:8.3f} s   {r[ph] / base:5.2f}x yaml-rs"
                if "parse_pyyaml_c" in r:
                    line += f"   {r[ph] / r['parse_pyyaml_c']:5.2f}x PyYAML C"
                if ph != "load":
                    line += f"   {r[ph] / r['load']:5.2f}x load"
                print(line)
            print(f"  peak memory      {r['memory_per_unit'] / 1024:8.2f} KB per unit")
    last = rows[-1]
    print(f"\n== targets at {last['units']:,} units")
    checks = [
        ("load <= 2x yaml-rs parse", last["load"] / last["parse_yaml_rs"], 2.0),
        ("check <= 0.5x load", last["check"] / last["load"], 0.5),
        ("simulate <= 0.5x load", last["simulate"] / last["load"], 0.5),
        ("simulate with checks <= 0.5x load", last["simulate_with_checks"] / last["load"], 0.5),
        ("diff <= 0.3x load", last["diff"] / last["load"], 0.3),
        ("peak memory <= 4 KB/unit", last["memory_per_unit"] / 1024, 4.0),
    ]
    if len(rows) > 1:
        first = rows[0]
        scale = last["units"] / first["units"]
        for ph in PHASES:
            # linear: cost grows no faster than 1.2x the size ratio (12x for 10k -> 100k)
            checks.append((f"{ph} linear ({scale:.1f}x units)", last[ph] / first[ph], 1.2 * scale))
    checks.extend(repeated_checks)
    for label, value, limit in checks:
        print(
            f"  {'ok  ' if value <= limit else 'MISS'} {label:<40} {value:7.2f} (limit {limit:g})"
        )
    if a.json:
        Path(a.json).write_text(json.dumps({"sizes": rows, "repeated": repeated}, indent=2))


if __name__ == "__main__":
    main()
