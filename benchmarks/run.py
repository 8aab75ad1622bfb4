"""orgmodel benchmarks: what users meet, on synthetic countries of 10k, 100k and 1M units.

    PYTHONPATH=. .venv/bin/python benchmarks/run.py                  # 10k, 100k and 1M units
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --sizes 10000 --repeat 1   # a quick look
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --repeated-only  # plans of one shape only
    PYTHONPATH=. .venv/bin/python benchmarks/run.py --json figures.json

Run it from the repository with the package on the path (``PYTHONPATH=.``): a script's own
folder comes first on ``sys.path``, so without it the benchmark measures whichever orgmodel is
installed. Every subprocess it starts is given the same orgmodel.

For each size, in a fresh interpreter (so that one size's heap and garbage do not fall into
another's figures), `orgmodel.synth(units, seed=1)` builds a country and its national plan, both
written to files, and the script times, best of `--repeat` (`--repeat-large` above 100k units):

- the baseline: reading the file and parsing it with yaml-rs, the fastest YAML parser for
  Python (`yaml_rs.loads(text, parse_datetime=False)`); PyYAML's C loader too with `--pyyaml`
  (at most 100k units: it is ~50x slower);
- load with its graph built and its edges walked, as a user's first query meets it (and load
  alone, the graph alone); check, the first of a model just loaded (and again, on a model checked
  before); simulate of the national plan with the after model and the ledger's figures read (and
  with the checks before and after, and its JSON); diff of before and after with its counts read;
  dump to a file;
- the whole-process commands on those files, wall clock: `orgmodel check`, `orgmodel simulate
  --format json --out`, `orgmodel show`, each also as a ratio to the library calls it wraps;
- peak memory per unit in a fresh interpreter (VmHWM), after load, graph, check and simulate.

The garbage collector stays on and is never run by the benchmark: its passes count in whichever
phase they fall (no `gc.collect()` before a timed phase hides the deferred work of the last).

Then `orgmodel check` on a province example against a fresh interpreter importing the
dependencies, the per-unit cost of every phase and its growth with the size, plans of one shape
repeated 1k to 8k times (linear: 8k/4k ~ 2), and the targets of issue 14 at the largest size
up to 100k.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import yaml_rs

import orgmodel as om
from orgmodel._plan import UnitFields

ROOT = Path(om.__file__).resolve().parent.parent  # the repository of the orgmodel measured
PROVINCE = ROOT / "examples" / "haiphong" / "haiphong-2022.yaml"
IMPORTS = "import networkx, pydantic, yaml, rich, yaml_rs"
LARGE = 100_000  # above this many units: --repeat-large, no PyYAML baseline
TARGET_SIZE = 100_000  # the targets are stated at 100k units


def child_env() -> dict[str, str]:
    """The environment of every subprocess: the same orgmodel first on the path."""
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(ROOT), env.get("PYTHONPATH")) if p)
    return env


def best(fn: Callable[[], Any], repeat: int) -> tuple[float, list[float], Any]:
    """The best of `repeat` runs of `fn`, every time, and the last result. The collector stays
    on and is never run here: its passes count in whichever run they fall. The previous run's
    result is dropped (freed by reference counting) before the clock starts."""
    times: list[float] = []
    result: Any = None
    for _ in range(repeat):
        result = None
        t = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - t)
    return min(times), times, result


# -- one size ---------------------------------------------------------------------------------

# VmHWM (this process's peak RSS, in kB) rather than ru_maxrss: a child inherits its parent's
# ru_maxrss across fork and exec on Linux, which would hide the child's own peak.
MEMORY_PROBE = """
import json, resource, sys
def peak_kb():
    try:
        for line in open("/proc/self/status"):
            if line.startswith("VmHWM:"):
                return int(line.split()[1])
    except OSError:
        pass
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
import orgmodel as om
base = peak_kb()
peaks = {}
org = om.load(sys.argv[1])
peaks["load"] = peak_kb()
sum(1 for _ in org.graph.edges)
peaks["load_graph"] = peak_kb()
len(om.check(org).violations)
peaks["check"] = peak_kb()
o = om.simulate(org, om.load_plan(sys.argv[2]))
len(o.after), o.ledger.removed_focal_points
peaks["simulate"] = peak_kb()
print(json.dumps({k: (v - base) / len(org) for k, v in peaks.items()}))
"""
MEMORY_STAGES = (
    ("load", "load"),
    ("load_graph", "+ graph walked"),
    ("check", "+ check"),
    ("simulate", "+ simulate"),
)


def peak_memory(path: Path, plan_path: Path) -> dict[str, float]:
    """KB per unit of peak memory above the interpreter with orgmodel imported, after each
    stage (a peak so far: each includes the stages before it), in a fresh interpreter."""
    out = subprocess.run(
        [sys.executable, "-c", MEMORY_PROBE, str(path), str(plan_path)],
        check=True,
        capture_output=True,
        text=True,
        env=child_env(),
    ).stdout
    figures: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return figures


def ledger_figures(o: om.Outcome) -> tuple[Any, ...]:
    """Every figure of the ledger, read as a user's report reads them."""
    lg = o.ledger
    return (
        lg.focal_points_before,
        lg.focal_points_after,
        lg.removed_focal_points,
        sum(lg.removed_by_kind.values()),
        sum(lg.removed_by_kind_under_parent.values()),
        lg.civil_servants_before,
        lg.civil_servants_after,
        lg.civil_servants_released,
        lg.civil_servants_created,
        lg.dissolved_leaders,
        lg.posts_moved,
        lg.civil_servants_moved,
        lg.surplus_leadership_posts,
        lg.leaders_without_post,
        lg.posts_above_legal_maximum,
        lg.vacant_legal_posts,
        lg.posts_in_transition,
        len(lg.transitions),
        len(lg.leadership),
    )


def run_cli(args: Sequence[str], repeat: int, before: Callable[[], None] | None = None) -> float:
    """The best wall-clock time of `python -m orgmodel ARGS` (exit 0 or 1: 1 means findings)."""
    times = []
    for _ in range(repeat):
        if before is not None:
            before()
        t = time.perf_counter()
        p = subprocess.run(
            [sys.executable, "-m", "orgmodel", *args],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            env=child_env(),
        )
        times.append(time.perf_counter() - t)
        if p.returncode not in (0, 1):
            raise SystemExit(f"orgmodel {' '.join(args)} exited {p.returncode}:\n{p.stderr}")
    return min(times)


def write_country(units: int, path: Path, plan_path: Path) -> tuple[int, int]:
    """The synthetic country of about `units` units and its national plan, written to files
    (the user starts from the files); its units and steps."""
    org, plan = om.synth(units, seed=1)
    om.dump(org, path)
    plan_path.write_text(om.dumps_plan(plan), encoding="utf-8")
    return len(org), len(plan.steps)


def warm_up(folder: Path) -> None:
    """Every library call once on a tiny country, untimed: the imports a call makes on first
    use (networkx for the graph) and the rulebooks read once per process are not a cost per
    unit. The whole-process commands pay them, as a user does."""
    path, plan_path = folder / "warm-up.yaml", folder / "warm-up-plan.yaml"
    write_country(100, path, plan_path)
    org = om.load(path)
    sum(1 for _ in org.graph.edges)
    om.check(org)
    o = om.simulate(org, om.load_plan(plan_path))
    ledger_figures(o), o.introduced_violations, om.diff(org, o.after).counts()
    om.dump(org, folder / "warm-up-dump.yaml")


def measure(units: int, repeat: int, folder: Path, *, pyyaml: bool, cli: bool, memory: bool) -> Any:
    """Every figure of one size (seconds, best of `repeat`), printing each as it comes."""
    path, plan_path = folder / f"country-{units}.yaml", folder / f"plan-{units}.yaml"
    n, steps = write_country(units, path, plan_path)
    warm_up(folder)
    r: dict[str, Any] = {"size": units, "units": n, "steps": steps, "repeat": repeat, "times": {}}
    t: dict[str, float] = {}
    print(f"\n== {n:,} units (size {units:,}), {steps:,} plan steps; best of {repeat}", flush=True)
    print(f"  {'phase':<38}{'seconds':>9}{'µs/unit':>9}{'÷ parse':>9}{'÷ load':>8}")

    def line(label: str, key: str) -> None:
        s = t[key]
        cells = f"  {label:<38}{s:9.3f}{s * 1e6 / n:9.2f}"
        if "parse" in t:
            cells += f"{s / t['parse']:9.2f}"
            if "load_graph" in t:
                cells += f"{s / t['load_graph']:8.2f}"
        print(cells, flush=True)

    def timed(key: str, fn: Callable[[], Any], times: int = repeat) -> Any:
        t[key], r["times"][key], result = best(fn, times)
        return result

    def parse() -> Any:
        return yaml_rs.loads(path.read_text(encoding="utf-8"), parse_datetime=False)

    timed("parse", parse)
    line("read + parse, yaml-rs (baseline)", "parse")
    if pyyaml and units <= LARGE:
        import yaml

        def parse_pyyaml() -> Any:
            return yaml.load(path.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)

        timed("parse_pyyaml_c", parse_pyyaml, 1)
        line("read + parse, PyYAML C (once)", "parse_pyyaml_c")

    def library() -> None:
        """The library calls on one model kept alive, as a user's session keeps it (its
        objects are freed on return)."""
        # load, then the graph built and its edges walked: both timed in each run
        runs: list[tuple[float, float]] = []
        loaded: Any = None
        edges = 0
        for _ in range(repeat):
            loaded = None
            t0 = time.perf_counter()
            loaded = om.load(path)
            t1 = time.perf_counter()
            edges = sum(1 for _ in loaded.graph.edges)
            runs.append((t1 - t0, time.perf_counter() - t1))
        t["load_graph"] = min(a + b for a, b in runs)
        t["load"] = min(a for a, _ in runs)
        t["graph"] = min(b for _, b in runs)
        r["times"]["load_graph"] = [a + b for a, b in runs]
        r["times"]["load"] = [a for a, _ in runs]
        r["times"]["graph"] = [b for _, b in runs]
        r["edges"] = edges
        line("load + graph built and walked", "load_graph")
        line("  load alone", "load")
        line("  graph alone (built + walked)", "graph")
        org = loaded  # one model kept alive, as a user's session keeps it

        plan = timed("load_plan", lambda: om.load_plan(plan_path))
        line("load_plan", "load_plan")

        # check as a session meets it: the first check of a model just loaded (its measures,
        # computed once per model, and the collector's first pass over the new model's rows
        # count); the model is loaded before the clock starts
        fresh: list[Any] = []

        def first_check() -> Any:
            report = om.check(fresh.pop())
            return len(report.violations), report.ok

        runs_ = []
        for _ in range(repeat):
            fresh.append(None)
            fresh[-1] = om.load(path)
            runs_.append(best(first_check, 1))
        t["check"] = min(x[0] for x in runs_)
        r["times"]["check"] = [x[0] for x in runs_]
        r["findings"], _ = runs_[-1][2]
        line("check (the first of a model just loaded)", "check")

        def check_again() -> Any:
            report = om.check(org)
            return len(report.violations), report.ok

        timed("check_again", check_again)
        line("  check again (measures kept)", "check_again")

        def simulate() -> Any:
            o = om.simulate(org, plan)
            return o, len(o.after), ledger_figures(o)

        outcome, _, figures = timed("simulate", simulate)
        r["removed_focal_points"] = figures[2]
        line("simulate, after model + ledger read", "simulate")

        def simulate_with_checks() -> Any:
            o = om.simulate(org, plan)
            return len(o.after), ledger_figures(o), len(o.introduced_violations)

        timed("simulate_with_checks", simulate_with_checks)
        line("  + before/after checks (as the CLI)", "simulate_with_checks")

        def simulate_json() -> Any:
            return len(om.simulate(org, plan).to_json())

        timed("simulate_json", simulate_json)
        line("  its JSON, to_json() (what the CLI writes)", "simulate_json")

        def diff() -> Any:
            return om.diff(org, outcome.after).counts()

        r["diff_counts"] = timed("diff", diff)
        line("diff, counts read", "diff")
        out = folder / f"dump-{units}.yaml"
        timed("dump", lambda: om.dump(org, out))
        line("dump to a file", "dump")

    library()

    if cli:
        report = folder / f"outcome-{units}.json"
        commands = (
            ("cli_check", ["check", str(path)], "orgmodel check FILE", ("load", "check")),
            (
                "cli_simulate",
                ["simulate", str(path), str(plan_path), "--format", "json", "--out", str(report)],
                "orgmodel simulate --format json",
                ("load", "load_plan", "simulate"),
            ),
            ("cli_show", ["show", str(path)], "orgmodel show FILE", ("load",)),
        )
        print(f"  {'whole process, wall clock':<38}{'seconds':>9}{'µs/unit':>9}  ÷ the library")
        r["cli_library"] = {}
        for key, args, label, wraps in commands:
            t[key] = run_cli(args, repeat, lambda: report.unlink(missing_ok=True))
            lib = sum(t[w] for w in wraps)
            r["cli_library"][key] = {"wraps": list(wraps), "seconds": lib}
            extra = ""
            if key == "cli_simulate":
                with_checks = t["load"] + t["load_plan"] + t["simulate_with_checks"]
                r["cli_library"]["cli_simulate_with_checks"] = {
                    "wraps": ["load", "load_plan", "simulate_with_checks"],
                    "seconds": with_checks,
                }
                same = t["load"] + t["load_plan"] + t["simulate_json"]
                r["cli_library"]["cli_simulate_json"] = {
                    "wraps": ["load", "load_plan", "simulate_json"],
                    "seconds": same,
                }
                extra = (
                    f"; {t[key] / with_checks:.2f}x with the checks; "
                    f"{t[key] / same:.2f}x the same JSON by the library"
                )
            print(
                f"  {label:<38}{t[key]:9.3f}{t[key] * 1e6 / n:9.2f}"
                f"  {t[key] / lib:5.2f}x ({' + '.join(wraps)}){extra}",
                flush=True,
            )
    if memory:
        r["memory_kb_per_unit"] = peak_memory(path, plan_path)
        cells = ", ".join(f"{label} {r['memory_kb_per_unit'][k]:.2f}" for k, label in MEMORY_STAGES)
        print(f"  peak memory, KB per unit (fresh interpreter; peak so far): {cells}")
    r["seconds"] = t
    print(
        f"  {r['findings']:,} findings, {r['removed_focal_points']:,} focal points removed, "
        f"{r['edges']:,} edges, diff {r['diff_counts']}"
    )
    return r


def measure_in_child(n: int, a: argparse.Namespace, folder: Path) -> dict[str, Any]:
    """`measure` in a fresh interpreter: its heap and garbage are its own."""
    out = folder / f"figures-{n}.json"
    repeat = a.repeat if n <= LARGE else a.repeat_large
    cmd = [sys.executable, __file__, "--child", str(n), "--child-out", str(out)]
    cmd += ["--repeat", str(repeat), "--dir", str(folder)]
    cmd += ["--pyyaml"] * a.pyyaml + ["--no-cli"] * a.no_cli + ["--no-memory"] * a.no_memory
    subprocess.run(cmd, check=True, env=child_env())
    figures: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return figures


# -- a province example against the imports it needs --------------------------------------------


def measure_province(repeat: int = 5) -> dict[str, float] | None:
    """`orgmodel check` on a province example and a fresh interpreter importing its
    dependencies, best of `repeat` each, alternated so that both meet the same machine."""
    if not PROVINCE.exists():
        return None
    check, imports = [], []
    for _ in range(repeat):
        check.append(run_cli(["check", str(PROVINCE)], 1))
        t = time.perf_counter()
        subprocess.run([sys.executable, "-c", IMPORTS], check=True, env=child_env())
        imports.append(time.perf_counter() - t)
    r = {"check": min(check), "imports": min(imports)}
    print(f"\n== province example: orgmodel check {PROVINCE.relative_to(ROOT)}, best of {repeat}")
    cmd = f'python -c "{IMPORTS}"'
    print(f"  {'orgmodel check':<60}{r['check']:7.3f} s")
    print(f"  {cmd:<60}{r['imports']:7.3f} s")
    print(f"  {'ratio':<60}{r['check'] / r['imports']:7.2f}x")
    return r


# -- per-unit cost and its growth -------------------------------------------------------------

PER_UNIT = (
    ("parse", "read + parse, yaml-rs"),
    ("load_graph", "load + graph walked"),
    ("load", "  load alone"),
    ("graph", "  graph alone"),
    ("load_plan", "load_plan"),
    ("check", "check"),
    ("simulate", "simulate, ledger read"),
    ("simulate_with_checks", "  + before/after checks"),
    ("diff", "diff"),
    ("dump", "dump"),
    ("cli_check", "orgmodel check"),
    ("cli_simulate", "orgmodel simulate"),
    ("cli_show", "orgmodel show"),
)
GROWTH_TARGETS = ("load_graph", "check", "simulate", "diff", "dump")


def per_unit(r: dict[str, Any], key: str) -> float:
    return float(r["seconds"][key]) * 1e6 / int(r["units"])


def growth(rows: Sequence[dict[str, Any]], key: str, upto: dict[str, Any]) -> float:
    """How much the per-unit cost grows from the first size to `upto`: 0.2 is 20% more."""
    return per_unit(upto, key) / per_unit(rows[0], key) - 1


def print_per_unit(rows: Sequence[dict[str, Any]]) -> None:
    grows = f", and its growth from {rows[0]['size']:,} units" if len(rows) > 1 else ""
    print(f"\n== per-unit cost, µs per unit{grows}")
    head = "".join(f"{r['size']:>11,}" for r in rows)
    head += "".join(f"{'→' + format(r['size'], ','):>12}" for r in rows[1:])
    print(f"  {'phase':<26}{head}")
    for key, label in PER_UNIT:
        if not all(key in r["seconds"] for r in rows):
            continue
        cells = "".join(f"{per_unit(r, key):11.2f}" for r in rows)
        cells += "".join(f"{growth(rows, key, r):+12.0%}" for r in rows[1:])
        print(f"  {label:<26}{cells}")


# -- plans of one shape, repeated: a plan's cost must grow linearly with its steps ------------
REPEATED = (1_000, 2_000, 4_000, 8_000)


def repeated_org(n: int) -> om.Org:
    """A department with a hub division and `n` divisions ("districts") of two units each
    ("communes")."""
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
    Step, Part = om.Step, om.Part
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
    elif shape == "absorb into one id":  # absorb: uK into: hub
        steps = [Step(op="absorb", units=(f"u{k}",), target="hub") for k in range(n)]
    elif shape == "move every commune":  # move: uK-J to: u(K+1), 2n steps
        steps = [
            Step(op="move", units=(f"u{k}-{j}",), target=f"u{(k + 1) % n}")
            for k in range(n)
            for j in range(2)
        ]
    elif shape == "chain of moves":  # each unit under the one before, chains 500 deep
        steps = [
            Step(op="move", units=(f"u{k}",), target="hub" if k % 500 == 0 else f"u{k - 1}")
            for k in range(n)
        ]
    elif shape == "split every district":  # split: uK into uKa (uK-0) and uKb (uK-1)
        steps = [
            Step(
                op="split",
                units=(f"u{k}",),
                parts=(
                    Part(id=f"u{k}a", children=(f"u{k}-0",)),
                    Part(id=f"u{k}b", children=(f"u{k}-1",)),
                ),
            )
            for k in range(n)
        ]
    else:  # dissolve: uK staff_to: hub
        steps = [Step(op="dissolve", units=(f"u{k}",), target="hub") for k in range(n)]
    return om.Plan(name=shape, steps=tuple(steps))


SHAPES = (
    "merge into one id",
    "merge into a new id",
    "absorb into one id",
    "move every commune",
    "chain of moves",
    "split every district",
    "dissolve",
)
LINEAR_LIMIT = 3.0  # 8k / 4k: linear gives 2, quadratic 4; the bigger heap adds a little


def measure_repeated(repeat: int) -> dict[str, list[float]]:
    """simulate (after model and ledger read) + diff counts of each shape at 1k..8k."""
    out: dict[str, list[float]] = {}
    print("\n== plans of one shape repeated (simulate + diff), linear: 8k / 4k ~ 2")
    print("  (steps: 1k to 8k; `move every commune` has two steps for each)")
    print("  " + " " * 22 + "".join(f"{n:>9,}" for n in REPEATED) + "   8k/4k   8k/1k")
    for shape in SHAPES:
        times = []
        for n in REPEATED:
            org, plan = repeated_org(n), repeated_plan(shape, n)

            def run(org: om.Org = org, plan: om.Plan = plan) -> Any:
                o = om.simulate(org, plan)
                return ledger_figures(o), o.diff.counts()

            t, _, _ = best(run, repeat)
            times.append(t)
        out[shape] = times
        cells = "".join(f"{t:8.3f}s" for t in times)
        print(f"  {shape:<22}{cells}   {times[-1] / times[-2]:5.2f}   {times[-1] / times[0]:5.2f}")
    return out


# -- the targets ------------------------------------------------------------------------------


def targets(
    rows: Sequence[dict[str, Any]],
    province: dict[str, float] | None,
    repeated: dict[str, list[float]],
) -> list[dict[str, Any]]:
    """Each target of issue 14 as (label, value, target, stretch); lower is better."""
    out: list[dict[str, Any]] = []

    def add(
        label: str, value: float, target: float, stretch: float | None = None, pct: bool = False
    ) -> None:
        out.append(
            {"label": label, "value": value, "target": target, "stretch": stretch, "pct": pct}
        )

    if rows:
        small = [r for r in rows if r["size"] <= TARGET_SIZE]
        at = max(small, key=lambda r: r["size"]) if small else rows[0]
        s = at["seconds"]
        lg = s["load_graph"]
        add("load + graph ÷ read + parse", lg / s["parse"], 2.0, 1.5)
        add("check (first of a model) ÷ load", s["check"] / lg, 0.3, 0.1)
        add("simulate, ledger read ÷ load", s["simulate"] / lg, 0.5, 0.25)
        add("diff ÷ load", s["diff"] / lg, 0.3, 0.1)
        for key, label in (
            ("cli_check", "check"),
            ("cli_simulate", "simulate --format json"),
            ("cli_show", "show"),
        ):
            if key in s:
                # ÷ the library calls the command wraps (load, load_plan, simulate): what it
                # writes beyond them (for simulate's JSON: the checks, the diff, the posts)
                # counts against it; the run also prints the ratio to the same JSON made by
                # the library (`Outcome.to_json()`)
                lib = at["cli_library"][key]["seconds"]
                add(f"orgmodel {label} ÷ library", s[key] / lib, 1.5, 1.2)
        if "memory_kb_per_unit" in at:
            add("peak memory, load + graph, KB/unit", at["memory_kb_per_unit"]["load_graph"], 2, 1)
        if len(rows) > 1:
            last = rows[-1]
            for key in GROWTH_TARGETS:
                add(
                    f"{key} per unit, {rows[0]['size']:,} → {last['size']:,}",
                    growth(rows, key, last),
                    0.2,
                    0.1,
                    pct=True,
                )
        out[0]["at"] = at["units"]
    if province is not None:
        add("province check ÷ imports", province["check"] / province["imports"], 1.5)
    for shape, times in repeated.items():
        add(f"{shape}: 8k ÷ 4k steps", times[-1] / times[-2], LINEAR_LIMIT)
    return out


def print_targets(found: list[dict[str, Any]]) -> None:
    where = f" at {found[0]['at']:,} units" if found and "at" in found[0] else ""
    print(f"\n== targets (issue 14){where}; 'load' is load with its graph built and walked")
    for x in found:
        v, target, stretch = x["value"], x["target"], x["stretch"]
        mark = "MISS"
        if v <= target:
            mark = "stretch" if stretch is not None and v <= stretch else "ok"
        pct = x["pct"]
        shown = f"{v:+8.0%}" if pct else f"{v:8.2f}"
        limit = f"{target:.0%}" if pct else f"{target:g}"
        if stretch is not None:
            limit += f" (stretch {stretch:.0%})" if pct else f" (stretch {stretch:g})"
        print(f"  {mark:<8}{x['label']:<46}{shown}   target ≤ {limit}")
        x["mark"] = mark


# -- main -------------------------------------------------------------------------------------


def main() -> None:
    ap = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    ap.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000, 1_000_000])
    ap.add_argument("--repeat", type=int, default=3, help="best of this many runs (default 3)")
    ap.add_argument(
        "--repeat-large",
        type=int,
        default=1,
        help=f"best of this many runs above {LARGE:,} units (default 1)",
    )
    ap.add_argument(
        "--pyyaml", action="store_true", help=f"also PyYAML's C parse (up to {LARGE:,} units)"
    )
    ap.add_argument("--no-pyyaml", action="store_true", help=argparse.SUPPRESS)  # the default
    ap.add_argument("--no-cli", action="store_true", help="skip the whole-process commands")
    ap.add_argument("--no-memory", action="store_true", help="skip the peak-memory probe")
    ap.add_argument("--no-province", action="store_true", help="skip the province example")
    ap.add_argument("--dir", metavar="DIR", help="write the country and plan files here")
    ap.add_argument("--json", metavar="FILE", help="also write every figure as JSON")
    ap.add_argument(
        "--repeated-only", action="store_true", help="only the plans of one shape repeated"
    )
    ap.add_argument("--no-repeated", action="store_true", help="skip the plans of one shape")
    ap.add_argument("--child", type=int, help=argparse.SUPPRESS)
    ap.add_argument("--child-out", help=argparse.SUPPRESS)
    a = ap.parse_args()
    a.pyyaml = a.pyyaml and not a.no_pyyaml

    if a.child is not None:  # one size, in the fresh interpreter measure_in_child started
        r = measure(
            a.child,
            a.repeat,
            Path(a.dir),
            pyyaml=a.pyyaml,
            cli=not a.no_cli,
            memory=not a.no_memory,
        )
        Path(a.child_out).write_text(json.dumps(r), encoding="utf-8")
        return

    started = time.perf_counter()
    print(f"orgmodel from {ROOT}; Python {platform.python_version()}, {os.cpu_count()} cores")
    rows: list[dict[str, Any]] = []
    province = None
    if not a.repeated_only:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(a.dir) if a.dir else Path(tmp)
            folder.mkdir(parents=True, exist_ok=True)
            rows = [measure_in_child(n, a, folder) for n in sorted(a.sizes)]
        print_per_unit(rows)
        if not a.no_province and not a.no_cli:
            province = measure_province()
    repeated: dict[str, list[float]] = {}
    if not a.no_repeated:
        repeated = measure_repeated(a.repeat)
    found = targets(rows, province, repeated)
    print_targets(found)
    print(f"\n({time.perf_counter() - started:.0f} s in all)")
    if a.json:
        figures = {
            "date": dt.datetime.now().isoformat(timespec="seconds"),
            "python": platform.python_version(),
            "cores": os.cpu_count(),
            "args": {k: v for k, v in vars(a).items() if not k.startswith("child")},
            "sizes": rows,
            "us_per_unit": {
                key: {str(r["size"]): per_unit(r, key) for r in rows if key in r["seconds"]}
                for key, _ in PER_UNIT
            },
            "growth": {
                key: {str(r["size"]): growth(rows, key, r) for r in rows[1:]}
                for key, _ in PER_UNIT
                if all(key in r["seconds"] for r in rows)
            },
            "province": province,
            "repeated": {"steps": list(REPEATED), "seconds": repeated},
            "targets": found,
        }
        Path(a.json).write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n")


if __name__ == "__main__":
    main()
