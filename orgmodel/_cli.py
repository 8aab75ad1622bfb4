"""The `orgmodel` command: parses arguments, calls the library, prints what the renderers return.

Exit codes for every command: 0 success, 1 the model (or plan) breaks a rule, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console
from rich.text import Text

from ._errors import LoadError, OrgmodelError, OutputError, msg
from ._escape import markup, terminal
from ._i18n import LANGS, _, day_text, default_language, error_text, language, number, using
from ._io import Outputs, check_outputs, json_report, json_report_parts
from ._perf import gc_paused

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        # one line, with what the user typed shown, never acted on by the terminal
        sys.stderr.write(
            f"orgmodel: error: {terminal(message, newlines=False)} (see '{self.prog} --help')\n"
        )
        raise SystemExit(EXIT_BAD_INPUT)


def _console() -> Console:
    # piped output gets a width that fits the tables rather than the default 80 columns
    return Console(soft_wrap=False, highlight=False, width=None if sys.stdout.isatty() else 120)


# The outputs of the running command: staged, and renamed into place together when the
# command succeeds (see `_io.Outputs`); a command that fails replaces nothing.
_OUTPUTS: list[Outputs] = []


class _Staged(Outputs):
    """The command's outputs; after the commit, `written` names each file put in place."""

    def __init__(self) -> None:
        super().__init__()
        self.written: list[str] = []

    def commit(self) -> None:
        targets = [out for _tmp, out in self._staged]
        super().commit()
        self.written = targets


def _say_written(paths: Sequence[str]) -> None:
    """One line per file written, on stderr: 'wrote report.html (12 KB)'."""
    import os

    from ._summary import wrote_text

    for path in paths:
        try:
            size = os.path.getsize(path)
        except OSError:  # pragma: no cover - removed between the commit and here
            continue
        sys.stderr.write(wrote_text(path, size) + "\n")


def _warn(text: str) -> None:
    sys.stderr.write(f"orgmodel: {terminal(text, newlines=False)}\n")


# -- what a file is: a model (`units:`) or a plan (`steps:`) --------------------------------
_MARKS = {"model": "units", "plan": "steps"}


def _looks_like(path: str, what: str) -> tuple[int, int] | None:
    """Where a file that is not what a command expects shows what it is: the line and column of
    its top-level `steps:` (a plan) or `units:` (a model), when it has that and not the other."""
    from ._load import parse_document
    from ._yaml import locate

    try:
        from ._io import read_text

        text = read_text(path)
        data = parse_document(text, path)
    except OrgmodelError:
        return None
    mark = _MARKS[what]
    other = _MARKS["plan" if what == "model" else "model"]
    if not isinstance(data, dict) or mark not in data or other in data:
        return None
    return locate(text, (mark,), key=True)


def _not_a(path: str, expected: str, command: str) -> OrgmodelError | None:
    """The one-line error for a plan given where a model is expected, or the other way."""
    from ._errors import LoadError, PlanError

    found = "plan" if expected == "model" else "model"
    where = _looks_like(path, found)
    if where is None:
        return None
    if found == "plan":
        message = msg(
            "plan_given_for_model",
            "this looks like a plan (it has `steps:`); `{command}` expects a model (with `units:`)",
            command=command,
        )
        error: type[OrgmodelError] = LoadError
    else:
        message = msg(
            "model_given_for_plan",
            "this looks like a model (it has `units:`); `{command}` expects a plan (with `steps:`)",
            command=command,
        )
        error = PlanError
    return error(message, file=path, line=where[0], column=where[1])


def _model_file(path: str, command: str) -> Any:
    """Load a model; a plan given instead is named as such."""
    from ._load import load

    return _as_kind(load, path, "model", command)


def _plan_file(path: str, command: str) -> Any:
    """Load a plan; a model given instead is named as such."""
    from ._plan import load_plan

    return _as_kind(load_plan, path, "plan", command)


def _as_kind(loader: Any, path: str, kind: str, command: str) -> Any:
    """`loader(path)`; when it fails on a file of the other kind, one line saying which."""
    try:
        return loader(path)
    except OrgmodelError as e:
        wrong = _not_a(path, kind, command)
        if wrong is None:
            raise
        raise wrong from e


def _json(data: Any) -> str:
    """JSON for people and programs: UTF-8 text, with what a terminal would act on escaped."""
    return json_report(data)


def _stage() -> Outputs:
    return _OUTPUTS[-1]


def _emit(text: str, out: str | None) -> None:
    text = text if text.endswith("\n") else text + "\n"
    if out:
        _stage().text(out, text)
    else:
        sys.stdout.write(text)


# Which arguments of each command are files it reads, and which are files it writes.
_INPUTS = ("file", "org", "plan", "a", "b", "table", "rulebook", "classes", "plans")
_WRITES = {"synth": ("out", "plan")}


# the file suffixes of each report format; an --out named for another format is refused
_FORMAT_SUFFIXES = {
    "table": (".txt",),
    "json": (".json",),
    "md": (".md", ".markdown"),
    "html": (".html", ".htm"),
}
_KNOWN_SUFFIXES = (
    *(x for xs in _FORMAT_SUFFIXES.values() for x in xs),
    *(".png", ".jpg", ".jpeg", ".pdf", ".svg", ".xlsx", ".xls", ".csv", ".yaml", ".yml"),
)


_FORMAT_HELP = (
    "table (the default), json, md or html; with --out and no --format, the file's suffix "
    "chooses (.json, .md, .html)"
)


def _format_matches_out(a: argparse.Namespace) -> None:
    """With no --format, `--out x.html` chooses html (.json json, .md md; else the table).
    `check --format html --out x.png` would write HTML under a PNG's name: refused. A name
    with a suffix orgmodel does not know (or none) takes any format."""
    if not hasattr(a, "format"):
        return
    out = getattr(a, "out", None)
    suffix = os.path.splitext(out)[1].lower() if out else ""
    if a.format is None:
        a.format = next((f for f, xs in _FORMAT_SUFFIXES.items() if suffix in xs), "table")
        return
    fmt = a.format
    if not out or fmt not in _FORMAT_SUFFIXES:
        return
    if suffix in _KNOWN_SUFFIXES and suffix not in _FORMAT_SUFFIXES[fmt]:
        wanted = ", ".join(_FORMAT_SUFFIXES[fmt])
        raise OutputError(
            msg(
                "format_suffix",
                "--format {fmt} writes {wanted}, not {suffix}; name the file for its "
                "format, or choose the format the name says (--format)",
                fmt=fmt,
                wanted=wanted,
                suffix=suffix,
            ),
            file=out,
        )


def _files(a: argparse.Namespace) -> tuple[list[str], list[tuple[str, str | None]]]:
    writes = _WRITES.get(a.command, ("out", "after"))
    outs = [(f"--{w}", getattr(a, w, None)) for w in writes if hasattr(a, w)]
    # the shipped rulebooks are read by every command that checks: never an output
    from importlib import resources

    shipped = resources.files("orgmodel") / "rulebooks"
    ins: list[str] = [str(f) for f in shipped.iterdir() if f.name.endswith(".yaml")]
    for name in _INPUTS:
        if name in writes:
            continue
        v = getattr(a, name, None)
        for p in v if isinstance(v, list) else [v]:
            if isinstance(p, str) and p:
                ins.append(p)
    return ins, outs


class _Progress:
    """A rich progress bar on stderr when it is an interactive terminal; silent when piped or
    with --quiet. A phase with a known total shows a bar and `done/total`; a phase whose total
    cannot be known shows only a spinner. Starting a phase ends the one before."""

    def __init__(self, quiet: bool = False, console: Console | None = None) -> None:
        self.bar: Any = None
        self.task: Any = None
        if console is None and not quiet and sys.stderr.isatty():
            console = Console(stderr=True)
        if console is not None:
            from rich.progress import Progress

            self.bar = Progress(*_columns(), console=console, transient=True)

    def __enter__(self) -> _Progress:
        if self.bar is not None:
            self.bar.__enter__()
        return self

    def __exit__(self, *exc: Any) -> None:
        if self.bar is not None:
            self.bar.__exit__(*exc)

    def phase(self, description: str, total: int | None = None) -> Any:
        """Start a phase; returns a callback(done, total) for work that can count."""
        if self.bar is None:
            return None
        if self.task is not None:
            self.bar.update(self.task, visible=False)
        task = self.task = self.bar.add_task(description, total=total)

        def update(done: int, all_: int) -> None:
            self.bar.update(task, completed=done, total=all_)

        return update


def _columns() -> list[Any]:
    """The progress columns: spinner, what is being done, then for a phase whose total is known
    a bar and `1,234/3,910` (nothing for one whose total is not: never `0/None`), time taken."""
    from rich.progress import (
        BarColumn,
        ProgressColumn,
        SpinnerColumn,
        Task,
        TextColumn,
        TimeElapsedColumn,
    )

    class Bar(BarColumn):
        def render(self, task: Task) -> Any:
            return super().render(task) if task.total is not None else Text("")

    class Fraction(ProgressColumn):
        def render(self, task: Task) -> Any:
            if task.total is None:
                return Text("")
            lang = language()
            return Text(f"{number(int(task.completed), lang)}/{number(int(task.total), lang)}")

    return [
        SpinnerColumn(),
        TextColumn("{task.description}"),
        Bar(),
        Fraction(),
        TimeElapsedColumn(),
    ]


def _date(s: str) -> Any:
    from ._model import parse_day

    try:
        return parse_day(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {s!r}") from None


def _count(s: str) -> int:
    try:
        n = int(s)
    except ValueError:
        n = -1
    if n < 0:
        raise argparse.ArgumentTypeError(f"expected a number of rows (0 or more), got {s!r}")
    return n


def _dated(path: str, as_of: Any, fn: Any) -> Any:
    """Run `fn()`; a model dated before every rulebook is placed at its file's `as_of` line."""
    from ._errors import RulebookError

    try:
        return fn()
    except RulebookError as e:
        if as_of is not None or e.file is not None or e.code != "no_rulebook":
            raise
        from ._io import read_text
        from ._yaml import locate

        try:
            where = locate(read_text(path), ("as_of",))
        except OrgmodelError:
            raise e from None
        raise RulebookError(
            e.message,
            file=path,
            line=where[0] if where else None,
            column=where[1] if where else None,
        ) from None


# -- commands ---------------------------------------------------------------------------
def cmd_show(a: argparse.Namespace) -> int:
    from ._render import org_summary, org_tree

    org = _model_file(a.file, "show")
    if a.format == "json":
        _emit(_json(org_summary(org)), None)
    else:
        depth = a.depth
        if depth is None and len(org) > 2000:
            # a national model would print 100,000 rows: show the top levels, say how to see more
            from ._chart import depth_fitting

            depth = depth_fitting(org, 300)
            if not a.quiet:
                n = number(len(org), language())
                sys.stderr.write(
                    _(
                        "({n} units: collapsed below depth {depth}; --depth N to show more)",
                        n=n,
                        depth=depth,
                    )
                    + "\n"
                )
        _console().print(org_tree(org, max_depth=depth))
    return EXIT_OK


def _limit(a: argparse.Namespace) -> int | None:
    """How many findings a table shows: all with --all or in a file, else --limit (50)."""
    if a.all_rows:
        return None
    if a.limit is not None:
        return int(a.limit)
    return None if a.out else 50


def _page_limit(a: argparse.Namespace) -> int | None:
    """How many rows a report page's tables show: every row unless --limit says otherwise (a
    page is written to be forwarded: it leaves nothing out unasked)."""
    return None if a.all_rows or a.limit is None else int(a.limit)


def cmd_check(a: argparse.Namespace) -> int:
    import datetime as dt

    from ._render import report_markdown
    from ._rules import run, select

    if a.explain:
        return _explain(a)
    with _Progress(a.quiet) as bar:
        bar.phase(_("Loading {file}", file=markup(a.file)))
        org = _model_file(a.file, "check")
        bar.phase(_("Checking"))
        day = a.as_of or org.as_of or dt.date.today()
        rules = _dated(a.file, a.as_of, lambda: select(a.rulebook, day))
        report = run(org, rules, day)
    if a.format == "json":
        _emit(_json(report.to_dict()), a.out)
    elif a.format == "md":
        _emit(report_markdown(report), a.out)
    elif a.format == "html":
        from ._page import report_page

        _emit(report_page(org, report, limit=_page_limit(a)), a.out)
    else:
        from ._render import report_table
        from ._summary import judged_text

        source = "as_of" if a.as_of else "model" if org.as_of else "today"
        judged = judged_text(
            day, source, rules.books, named=bool(a.rulebook), units=report.units_checked
        )
        view = report_table(report, judged=judged, kind_of=_kinds(org), limit=_limit(a))
        _print(view, a.out)
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


def _kinds(org: Any) -> Any:
    """The kind of a unit of `org` by its id (None for an id it does not have)."""

    def kind_of(uid: str) -> str | None:
        u = org.get(uid)
        return str(u.kind) if u is not None else None

    return kind_of


def _explain(a: argparse.Namespace) -> int:
    from ._render import explain_markdown, explain_view
    from ._rules import explain

    org = _model_file(a.file, "check")
    if a.explain not in org:
        from ._errors import LoadError
        from ._load import suggest

        raise LoadError(
            msg(
                "explain_no_unit",
                "--explain: no unit {id!r} in the model; {hint}give a unit's id",
                id=a.explain,
                hint=suggest(a.explain, list(org.ids)[:5000]),
            ),
            file=a.file,
        )
    rules, checks = _dated(
        a.file, a.as_of, lambda: explain(org, a.explain, rulebook=a.rulebook, as_of=a.as_of)
    )
    if a.format == "json":
        data = {
            "unit": a.explain,
            "rulebooks": list(rules.ids),
            "as_of": rules.day.isoformat() if rules.day else None,
            "rules": [{**c.finding.to_dict(), "passed": c.passed} for c in checks],
        }
        _emit(_json(data), a.out)
    elif a.format in ("md", "html"):
        _emit(explain_markdown(org, a.explain, rules, checks), a.out)
    else:
        _print(explain_view(org, a.explain, rules, checks), a.out)
    return EXIT_OK if all(c.passed or c.finding.lawful for c in checks) else EXIT_VIOLATIONS


def cmd_rules(a: argparse.Namespace) -> int:
    import datetime as dt

    from ._render import rules_dict, rules_markdown, rules_table, ruleset_markdown
    from ._rules import builtin_rulebooks, select

    if a.all:
        books = builtin_rulebooks()
        if a.format == "json":
            data = [b.model_dump(mode="json", by_alias=True, exclude_none=True) for b in books]
            _emit(_json(data), None)
        elif a.format == "md":
            _emit(rules_markdown(books), None)
        else:
            _console().print(rules_table(books))
        return EXIT_OK
    rules = select(a.rulebook, a.as_of or dt.date.today())
    if a.format == "json":
        _emit(_json(rules_dict(rules)), None)
    elif a.format == "md":
        _emit(ruleset_markdown(rules), None)
    else:
        _console().print(rules_table(rules))
    return EXIT_OK


def cmd_simulate(a: argparse.Namespace) -> int:
    from ._load import dumps
    from ._render import outcome_markdown
    from ._simulate import simulate

    with _Progress(a.quiet) as bar:
        bar.phase(_("Loading {file}", file=markup(a.org)))
        org = _simulate_model(a)
        bar.phase(_("Loading {file}", file=markup(a.plan)))
        plan = _plan_file(a.plan, "simulate")
        from ._summary import plan_before_model

        warning = plan_before_model(plan.effective, org.as_of)
        if warning:
            _warn(warning)
        tick = bar.phase(_("Simulating"), total=len(plan.steps))
        outcome = simulate(org, plan, rulebook=a.rulebook, as_of=a.as_of, progress=tick)
        bar.phase(_("Checking before and after"))
        _dated(a.org, a.as_of, lambda: (outcome.report_before, outcome.report_after))
    if a.format == "json":
        _emit(json_report_parts(outcome._report_parts()), a.out)
    elif a.format == "md":
        _emit(outcome_markdown(outcome), a.out)
    elif a.format == "html":
        from ._page import outcome_page

        _emit(outcome_page(outcome, limit=_page_limit(a)), a.out)
    else:
        _print(_outcome_view(a, outcome), a.out)
    if a.after:
        _stage().text(a.after, dumps(outcome.after))
    return EXIT_VIOLATIONS if outcome.introduced_violations else EXIT_OK


def _simulate_model(a: argparse.Namespace) -> Any:
    """The model of `simulate`; a plan and a model given the other way round are named so."""
    from ._errors import LoadError

    try:
        return _model_file(a.org, "simulate")
    except OrgmodelError:
        org_is_plan = _looks_like(a.org, "plan")
        if org_is_plan is not None and _looks_like(a.plan, "model") is not None:
            raise LoadError(
                msg(
                    "model_plan_exchanged",
                    "the model and the plan are exchanged: `simulate` takes the model first, "
                    "then the plan (orgmodel simulate ORG PLAN)",
                ),
                file=a.org,
                line=org_is_plan[0],
                column=org_is_plan[1],
            ) from None
        raise


def _outcome_view(a: argparse.Namespace, o: Any) -> Any:
    """The terminal view of an outcome: the date judged under its title, long lists cut to
    --limit (violation lists counted by rule and unit kind first)."""
    from ._render import outcome_view
    from ._summary import judged_text

    source = (
        "as_of"
        if a.as_of
        else "plan"
        if o.plan.effective
        else "model"
        if o.before.as_of
        else "today"
    )
    judged = judged_text(o.day, source, o.books.books, named=bool(a.rulebook))
    return outcome_view(o, limit=_limit(a), judged=judged)


def cmd_diff(a: argparse.Namespace) -> int:
    from ._diff import diff
    from ._render import diff_markdown_lines, diff_view

    d = diff(_model_file(a.a, "diff"), _model_file(a.b, "diff"))
    if a.format == "json":
        _emit(json_report_parts(d._report_parts()), a.out)
    elif a.format == "md":
        _emit("\n".join(["# Changes", "", *diff_markdown_lines(d), ""]), a.out)
    else:
        _print(diff_view(d), a.out)
    return EXIT_OK


def cmd_synth(a: argparse.Namespace) -> int:
    from ._load import dumps
    from ._plan import dumps_plan
    from ._synth import synth

    if not 100 <= a.units <= 1_000_000:
        sys.stderr.write("orgmodel: --units must be between 100 and 1,000,000\n")
        return EXIT_BAD_INPUT
    org, plan = synth(a.units, seed=a.seed)
    _stage().text(a.out, dumps(org))
    if a.plan:
        _stage().text(a.plan, dumps_plan(plan))
    if not a.quiet:
        lang = language()
        n = number(len(org), lang)
        line = (
            _("{n} units", n=n)
            if not a.plan
            else _("{n} units, {steps} plan steps", n=n, steps=number(len(plan.steps), lang))
        )
        sys.stderr.write(line + "\n")
    return EXIT_OK


def cmd_chart(a: argparse.Namespace) -> int:
    from ._chart import org_chart, outcome_chart
    from ._errors import RulebookError
    from ._rules import check

    ext = a.out.rsplit(".", 1)[-1].lower() if "." in a.out else ""
    if ext not in ("svg", "html", "htm"):
        sys.stderr.write(
            "orgmodel: "
            + _(
                "chart: cannot write {out}: a chart is written as .svg (the drawing) or .html "
                "(a page with the drawing); PNG and other formats are not supported",
                out=terminal(a.out),
            )
            + "\n"
        )
        return EXIT_BAD_INPUT
    org = _model_file(a.org, "chart")
    if a.plan:
        from ._simulate import simulate

        plan = _plan_file(a.plan, "chart")
        chart = outcome_chart(simulate(org, plan, as_of=a.as_of), max_depth=a.depth)
    else:
        try:
            violations = check(org, as_of=a.as_of).violations
        except RulebookError:
            violations = ()  # no rulebook for the date: draw without flags
        chart = org_chart(org, violations=violations, max_depth=a.depth)
    if ext == "svg":
        _stage().text(a.out, chart.svg)
    else:
        from ._page import chart_page

        _stage().text(a.out, chart_page(chart, org.name or _("Organization chart")))
    return EXIT_OK


def cmd_import(a: argparse.Namespace) -> int:
    from ._load import dumps
    from ._tables import _read_units

    org, notes = _read_units(a.table, name=a.name or None, as_of=a.as_of, sheet=a.sheet)
    _stage().text(a.out, dumps(org))
    for note in notes:
        sys.stderr.write(f"orgmodel: {terminal(note, newlines=False)}\n")
    if not a.quiet:  # the file itself is named, with its size, once it is in place
        sys.stderr.write(_("{n} units read", n=number(len(org), language())) + "\n")
    return EXIT_OK


def cmd_export(a: argparse.Namespace) -> int:
    from ._tables import _suffix_format, export_workbook

    as_csv = _suffix_format(a.out, "export") == "csv"  # refused before any work
    org = _model_file(a.org, "export")
    outcome = None
    if a.plan:
        from ._simulate import simulate

        outcome = simulate(org, _plan_file(a.plan, "export"))
    _stage().write(a.out, lambda f: export_workbook(f, org, outcome=outcome, csv=as_csv))
    model = outcome.after if outcome is not None else org
    if as_csv and (model.name or model.as_of):
        note = _(
            "a CSV table holds the units only: the model's name and date ({as_of}) are not in "
            "it (import --name NAME --as-of DATE gives them back)",
            as_of=model.as_of.isoformat() if model.as_of else "—",
        )
        sys.stderr.write(f"orgmodel: {terminal(note, newlines=False)}\n")
    return EXIT_OK


def cmd_template(a: argparse.Namespace) -> int:
    from ._tables import _suffix_format, export_template

    as_csv = _suffix_format(a.out, "template") == "csv"
    _stage().write(a.out, lambda f: export_template(f, csv=as_csv))
    return EXIT_OK


def cmd_vietnam(a: argparse.Namespace) -> int:
    from ._load import dumps

    out = a.out or None
    kind = "yaml"
    if out:
        suffix = out.rsplit(".", 1)[-1].lower() if "." in out else ""
        kind = {"yml": "yaml", "yaml": "yaml", "xlsx": "xlsx", "csv": "csv"}.get(suffix, "")
        if not kind or (a.reform_2025 and kind != "yaml"):
            sys.stderr.write(
                "orgmodel: "
                + (
                    _(
                        "vietnam: cannot write {out}: the reform plan is written as .yaml",
                        out=terminal(out),
                    )
                    if a.reform_2025
                    else _(
                        "vietnam: cannot write {out}: the model is written as .yaml (an org "
                        "file), .xlsx or .csv (a table to fill in)",
                        out=terminal(out),
                    )
                )
                + "\n"
            )
            return EXIT_BAD_INPUT
    if a.reform_2025:
        from ._plan import dumps_plan
        from ._vietnam import vietnam_reform_2025

        given = [
            f
            for f, v in (
                ("--province", a.province),
                ("--departments", a.departments),
                ("--classes", a.classes),
                ("--as-of", a.as_of),
            )
            if v
        ]
        if given:
            sys.stderr.write(
                "orgmodel: "
                + _(
                    "vietnam: --reform-2025 writes the national plan; {options} cannot go with it",
                    options=", ".join(given),
                )
                + "\n"
            )
            return EXIT_BAD_INPUT
        plan = vietnam_reform_2025()
        _emit(dumps_plan(plan), out)
        if not a.quiet:
            sys.stderr.write(
                _(
                    "{steps} plan steps, effective {date}",
                    steps=number(len(plan.steps), language()),
                    date=day_text(plan.effective, language()) if plan.effective else "—",
                )
                + "\n"
            )
        return EXIT_OK
    from ._summary import vietnam_summary
    from ._vietnam import vietnam

    org = vietnam(a.as_of, a.province, departments=a.departments, classes=a.classes)
    if kind == "yaml":
        _emit(dumps(org), out)
    else:
        from ._tables import export_workbook

        assert out is not None
        _stage().write(out, lambda f: export_workbook(f, org, csv=kind == "csv"))
    if not a.quiet:
        for line in vietnam_summary(org, departments=a.departments, lang=language()):
            sys.stderr.write(terminal(line, newlines=False) + "\n")
    return EXIT_OK


def cmd_suggest(a: argparse.Namespace) -> int:
    from ._advice import advise
    from ._plan import dumps_plan
    from ._summary import suggest_summary

    org = _model_file(a.org, "suggest")
    advice = _dated(a.org, a.as_of, lambda: advise(org, a.as_of, rulebook=a.rulebook))
    if a.format == "json":
        _emit(_json(advice.to_dict()), a.out)
    else:
        _emit(dumps_plan(advice.plan), a.out)
    if not a.quiet:
        for line in suggest_summary(advice, lang=language()):
            sys.stderr.write(terminal(line, newlines=False) + "\n")
    return EXIT_VIOLATIONS if advice.remaining else EXIT_OK


def cmd_rebalance(a: argparse.Namespace) -> int:
    """điều động: a plan of transfers from posts above the legal maximum to vacant legal posts."""
    from ._plan import Plan, dumps_plan
    from ._rebalance import rebalanced
    from ._simulate import simulate
    from ._summary import rebalance_summary

    if a.combined and not a.plan:
        raise LoadError(
            msg(
                "combined_needs_plan",
                "--combined needs --plan: the plan the transfers are written after",
            )
        )
    with _Progress(a.quiet) as bar:
        bar.phase(_("Loading {file}", file=markup(a.org)))
        org = _model_file(a.org, "rebalance")
        plan = None
        if a.plan:
            bar.phase(_("Loading {file}", file=markup(a.plan)))
            plan = _plan_file(a.plan, "rebalance")
        bar.phase(_("Simulating"))
        moves, base = _dated(
            a.org, a.as_of, lambda: rebalanced(org, plan, as_of=a.as_of, rulebook=a.rulebook)
        )
        outcome = simulate(base, moves, rulebook=a.rulebook, as_of=moves.effective)
    written = moves
    if a.combined and plan is not None:  # (--combined without --plan is refused above)
        written = Plan(
            name=_("{plan}, then its rebalance (transfers)", plan=plan.name or a.plan),
            effective=plan.effective or moves.effective,
            steps=(*plan.steps, *moves.steps),
            note=moves.note,
        )
    _emit(dumps_plan(written), a.out)
    if not a.quiet:
        for line in rebalance_summary(outcome, language()):
            sys.stderr.write(terminal(line, newlines=False) + "\n")
    return EXIT_OK


def cmd_compare(a: argparse.Namespace) -> int:
    from ._compare import compare
    from ._summary import plan_before_model

    with _Progress(a.quiet) as bar:
        bar.phase(_("Loading {file}", file=markup(a.org)))
        org = _model_file(a.org, "compare")
        plans = []
        for path in a.plans:
            bar.phase(_("Loading {file}", file=markup(path)))
            plans.append(_plan_file(path, "compare"))
        for plan in plans:
            warning = plan_before_model(plan.effective, org.as_of)
            if warning:
                _warn(f"{plan.source}: {warning}")
        bar.phase(_("Simulating"))
        # a plan that cannot be applied raises its PlanError, which names its file and line
        c = _dated(a.org, a.as_of, lambda: compare(org, plans, as_of=a.as_of, rulebook=a.rulebook))
    if a.format == "json":
        _emit(_json(c.to_dict()), a.out)
    elif a.format == "md":
        from ._render_compare import compare_markdown

        _emit(compare_markdown(c), a.out)
    elif a.format == "html":
        from ._render_compare import compare_page

        _emit(compare_page(c), a.out)
    else:
        from ._render_compare import compare_view

        _print(compare_view(c), a.out)
    return EXIT_OK


def cmd_schema(a: argparse.Namespace) -> int:
    from ._schema import org_schema, plan_schema

    schema = org_schema() if a.which == "org" else plan_schema()
    _emit(_json(schema), None)
    return EXIT_OK


def _print(renderable: Any, out: str | None) -> None:
    if out:
        console = Console(record=True, width=140, file=__import__("io").StringIO())
        console.print(renderable)
        _emit(console.export_text(), out)
    else:
        _console().print(renderable)


def build_parser() -> argparse.ArgumentParser:
    from . import __version__

    p = _Parser(
        prog="orgmodel",
        description="Model Vietnam's state apparatus, check it against the staffing decrees, "
        "and simulate restructuring plans.",
    )
    p.add_argument("--version", action="version", version=f"orgmodel {__version__}")
    sub = p.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)
    common = _Parser(add_help=False)
    common.add_argument(
        "--lang",
        choices=LANGS,
        default=None,
        help="language of what is printed for people: vi or en (default: the locale); "
        "JSON keys never change",
    )
    common.add_argument(
        "-q",
        "--quiet",
        action="store_true",
        help="print no progress, and not which files were written (errors and warnings still)",
    )

    def rows(parser: Any) -> None:
        g = parser.add_mutually_exclusive_group()
        g.add_argument(
            "--limit",
            type=_count,
            metavar="N",
            help="show at most N rows of each list of violations, after their counts by rule "
            "and unit kind (default 50 on the terminal, all with --out; JSON has every row)",
        )
        g.add_argument("--all", dest="all_rows", action="store_true", help="show every row")

    _add = sub.add_parser

    def add_parser(name: str, **kw: Any) -> Any:
        return _add(name, parents=[common], **kw)

    sub.add_parser = add_parser  # type: ignore[method-assign]

    s = sub.add_parser("show", help="print the structure of an org file with staff and posts")
    s.add_argument("file", metavar="FILE")
    s.add_argument("--format", choices=("table", "json"), default="table")
    s.add_argument("--depth", type=int, default=None, help="collapse units below this depth")
    s.set_defaults(func=cmd_show)

    c = sub.add_parser("check", help="check a model against the staffing decrees in force")
    c.add_argument("file", metavar="FILE")
    c.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="a rulebook id (or .yaml file); repeat for several. Default: those in "
        "force on the model's date",
    )
    c.add_argument("--as-of", type=_date, metavar="DATE", help="check as of this date")
    c.add_argument(
        "--format", choices=("table", "json", "md", "html"), default=None, help=_FORMAT_HELP
    )
    c.add_argument("--out", metavar="FILE", help="write the report to FILE instead of stdout")
    c.add_argument(
        "--explain",
        metavar="UNIT",
        help="print every rule that applies to this unit, passed or failed, and why",
    )
    rows(c)
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="list the rules in force with their citations")
    r.add_argument("--as-of", type=_date, metavar="DATE", help="default: today")
    r.add_argument("--all", action="store_true", help="every shipped rulebook, whatever the date")
    r.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="list the rules of these rulebooks (ids or .yaml files, with what they amend)",
    )
    r.add_argument("--format", choices=("table", "json", "md"), default="table")
    r.set_defaults(func=cmd_rules)

    m = sub.add_parser("simulate", help="apply a restructuring plan and report what it changes")
    m.add_argument("org", metavar="ORG")
    m.add_argument("plan", metavar="PLAN")
    m.add_argument(
        "--format", choices=("table", "json", "md", "html"), default=None, help=_FORMAT_HELP
    )
    m.add_argument("--out", metavar="FILE", help="write the report to FILE")
    m.add_argument("--after", metavar="AFTER.yaml", help="save the resulting model")
    m.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="rulebook(s) to judge by; default: those in force on the plan's date",
    )
    m.add_argument("--as-of", type=_date, metavar="DATE", help="judge by the rules of this date")
    rows(m)
    m.set_defaults(func=cmd_simulate)

    d = sub.add_parser("diff", help="compare two org files unit by unit")
    d.add_argument("a", metavar="A")
    d.add_argument("b", metavar="B")
    d.add_argument("--format", choices=("table", "json", "md"), default=None, help=_FORMAT_HELP)
    d.add_argument("--out", metavar="FILE", help="write the report to FILE")
    d.set_defaults(func=cmd_diff)

    y = sub.add_parser("synth", help="write a synthetic country (and its national plan)")
    y.add_argument("--units", type=int, default=10_000, help="about this many units")
    y.add_argument("--seed", type=int, default=0)
    y.add_argument("--out", required=True, metavar="COUNTRY.yaml")
    y.add_argument("--plan", metavar="PLAN.yaml", help="also write the national plan")
    y.set_defaults(func=cmd_synth)

    ch = sub.add_parser(
        "chart",
        help="draw the organization chart as SVG, or an HTML page holding it (with a plan: "
        "before and after side by side)",
    )
    ch.add_argument("org", metavar="ORG")
    ch.add_argument("--plan", metavar="PLAN")
    ch.add_argument(
        "--out",
        required=True,
        metavar="chart.svg",
        help="the file to write: .svg (the drawing) or .html (a page that prints on A4); "
        "other formats are refused",
    )
    ch.add_argument("--depth", type=int, default=None, help="collapse units below this depth")
    ch.add_argument("--as-of", type=_date, metavar="DATE", help="judge by the rules of this date")
    ch.set_defaults(func=cmd_chart)

    im = sub.add_parser(
        "import", help="build an org file from a flat table (.csv or .xlsx, English or Vietnamese)"
    )
    im.add_argument("table", metavar="TABLE")
    im.add_argument("--out", required=True, metavar="ORG.yaml")
    im.add_argument(
        "--name", default="", help="the model's name (default: the workbook's, else the file's)"
    )
    im.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="the model's date (default: the workbook's Summary; a CSV has none)",
    )
    im.add_argument(
        "--sheet",
        metavar="NAME",
        help="the sheet to read (default: the one whose header names id, kind and name)",
    )
    im.set_defaults(func=cmd_import)

    ex = sub.add_parser(
        "export",
        help="write a model and its check, or a simulation outcome, to an .xlsx workbook "
        "(or the units to a .csv table)",
    )
    ex.add_argument("org", metavar="ORG")
    ex.add_argument("--plan", metavar="PLAN", help="export the outcome of this plan")
    ex.add_argument("--out", required=True, metavar="BOOK.xlsx|UNITS.csv")
    ex.set_defaults(func=cmd_export)

    tp = sub.add_parser(
        "template",
        help="write a blank units table to fill in (.xlsx with drop-down lists, or .csv)",
    )
    tp.add_argument("--out", required=True, metavar="UNITS.xlsx|UNITS.csv")
    tp.set_defaults(func=cmd_template)

    vn = sub.add_parser(
        "vietnam",
        help="write Vietnam's People's Committees on a date (before or after 1 July 2025), or "
        "the 2025 reform as a plan",
    )
    vn.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="the date (default: today); before 2025-07-01 the provinces, districts and "
        "communes before the reform, from it those after (counts from the bundled snapshot)",
    )
    vn.add_argument("--province", metavar="CODE|NAME", help="one province's subtree only")
    vn.add_argument(
        "--departments",
        action="store_true",
        help="also the departments every province has (Decree 150/2025 Art. 8), named, "
        "their staff left for you to fill in",
    )
    vn.add_argument(
        "--classes",
        metavar="FILE",
        help="a two-column CSV (province code or name, class) giving the classes the law "
        "does not fix",
    )
    vn.add_argument(
        "--reform-2025",
        action="store_true",
        help="write the 2025 reorganization as a plan on the structure before it",
    )
    vn.add_argument(
        "--out",
        metavar="FILE",
        help="the file to write: .yaml (default: standard output), .xlsx or .csv",
    )
    vn.set_defaults(func=cmd_vietnam)

    sg = sub.add_parser(
        "suggest",
        help="propose a plan that brings a model within the rules in force, each step with the "
        "rule it answers",
    )
    sg.add_argument("org", help="the org file (.yaml)")
    sg.add_argument(
        "--as-of", type=_date, metavar="DATE", help="judge on this date (default: the model's)"
    )
    sg.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="a rulebook id (or .yaml file); repeat for several. Default: those in force",
    )
    sg.add_argument(
        "--format",
        choices=("yaml", "json"),
        default=None,
        help="yaml: the plan file (default); json: the plan, its steps' reasons, what it leaves "
        "and the merge candidates",
    )
    sg.add_argument("--out", metavar="FILE", help="write the plan here (default: stdout)")
    sg.set_defaults(func=cmd_suggest)
    rb = sub.add_parser(
        "rebalance",
        help="propose transfers (điều động) of deputies above the legal maximum, with their "
        "posts, to vacant legal posts of the same kind and level, nearest first",
    )
    rb.add_argument("org", metavar="ORG")
    rb.add_argument(
        "--plan", metavar="PLAN", help="rebalance the model this plan produces (judged as it is)"
    )
    rb.add_argument("--as-of", type=_date, metavar="DATE", help="judge by the rules of this date")
    rb.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="rulebook(s) to judge by; default: those in force on the date",
    )
    rb.add_argument(
        "--out", metavar="PLAN.yaml", help="write the plan to this file (default: standard output)"
    )
    rb.add_argument(
        "--combined",
        action="store_true",
        help="with --plan: write one plan for ORG, the plan's steps followed by the transfers",
    )
    rb.set_defaults(func=cmd_rebalance)

    cp = sub.add_parser(
        "compare",
        help="simulate several plans on the same model and date and put their figures side by "
        "side, the best of each row marked",
    )
    cp.add_argument("org", metavar="ORG")
    cp.add_argument("plans", metavar="PLAN", nargs="+", help="one or more plan files")
    cp.add_argument(
        "--rulebook",
        action="append",
        metavar="ID",
        help="rulebook(s) to judge every plan by; default: those in force on the date judged",
    )
    cp.add_argument(
        "--as-of",
        type=_date,
        metavar="DATE",
        help="judge every plan by the rules of this date (default: the plans' effective date "
        "when they agree, else the model's date, else today)",
    )
    cp.add_argument(
        "--format", choices=("table", "json", "md", "html"), default=None, help=_FORMAT_HELP
    )
    cp.add_argument("--out", metavar="FILE", help="write the comparison to FILE")
    cp.set_defaults(func=cmd_compare)

    sc = sub.add_parser("schema", help="print the JSON Schema of a file format (for editors)")
    sc.add_argument("which", choices=("org", "plan"))
    sc.set_defaults(func=cmd_schema)
    return p


def _error(e: OrgmodelError) -> str:
    """The error for people: its location as it is, its message in the current language."""
    text = str(e)
    return text[: len(text) - len(e.message)] + error_text(e.message)


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    if not getattr(a, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        ins, outs = _files(a)
        check_outputs(outs, ins)
        _format_matches_out(a)
        # The cyclic garbage collector is paused for the command (a national model allocates
        # millions of objects that form no cycles); the library itself never touches it.
        staged = _Staged()
        with (
            gc_paused(),
            staged,
            using(getattr(a, "lang", None) or default_language()),
        ):
            _OUTPUTS.append(staged)
            try:
                code: int = a.func(a)
            finally:
                _OUTPUTS.pop()
        # the files are in place now: say which, and how large
        if not getattr(a, "quiet", False):
            with using(getattr(a, "lang", None) or default_language()):
                _say_written(staged.written)
    except OrgmodelError as e:
        with using(getattr(a, "lang", None) or default_language()):
            sys.stderr.write(f"orgmodel: {terminal(_error(e), newlines=False)}\n")
        return EXIT_BAD_INPUT
    except ImportError as e:  # an optional extra is missing; the message names it
        with using(getattr(a, "lang", None) or default_language()):
            text = error_text(e.args[0]) if e.args and isinstance(e.args[0], str) else str(e)
        sys.stderr.write(f"orgmodel: {terminal(text, newlines=False)}\n")
        return EXIT_BAD_INPUT
    except OSError as e:
        sys.stderr.write(f"orgmodel: {terminal(str(e.filename or ''))}: {e.strerror}\n")
        return EXIT_BAD_INPUT
    except RecursionError:  # pragma: no cover - a path with recursion left somewhere
        sys.stderr.write("orgmodel: the model nests too deeply to process\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
