"""The `orgmodel` command: parses arguments, calls the library, prints what the renderers return.

Exit codes for every command: 0 success, 1 the model (or plan) breaks a rule, 2 bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from typing import Any

from rich.console import Console

from ._errors import OrgmodelError

EXIT_OK, EXIT_VIOLATIONS, EXIT_BAD_INPUT = 0, 1, 2


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]
        self.print_usage(sys.stderr)
        sys.stderr.write(f"orgmodel: error: {message}\n")
        raise SystemExit(EXIT_BAD_INPUT)


def _console() -> Console:
    return Console(soft_wrap=False, highlight=False)


def _emit(text: str, out: str | None) -> None:
    if out:
        from ._io import write_text_atomic

        write_text_atomic(out, text if text.endswith("\n") else text + "\n")
    else:
        sys.stdout.write(text if text.endswith("\n") else text + "\n")


def _date(s: str) -> Any:
    import datetime as dt

    try:
        return dt.date.fromisoformat(s)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected a date YYYY-MM-DD, got {s!r}") from None


# -- commands ---------------------------------------------------------------------------
def cmd_show(a: argparse.Namespace) -> int:
    from ._load import load
    from ._render import org_summary, org_tree

    org = load(a.file)
    if a.format == "json":
        _emit(json.dumps(org_summary(org), ensure_ascii=False, indent=2), None)
    else:
        _console().print(org_tree(org, max_depth=a.depth))
    return EXIT_OK


def cmd_check(a: argparse.Namespace) -> int:
    from ._load import load
    from ._render import report_markdown, report_table
    from ._rules import check

    org = load(a.file)
    report = check(org, rulebook=a.rulebook, as_of=a.as_of)
    if a.format == "json":
        _emit(json.dumps(report.to_dict(), ensure_ascii=False, indent=2), a.out)
    elif a.format == "md":
        _emit(report_markdown(report), a.out)
    else:
        _print(report_table(report), a.out)
    return EXIT_OK if report.ok else EXIT_VIOLATIONS


def cmd_rules(a: argparse.Namespace) -> int:
    import datetime as dt

    from ._render import rules_markdown, rules_table
    from ._rules import builtin_rulebooks, in_force

    books = builtin_rulebooks() if a.all else in_force(a.as_of or dt.date.today())
    if a.format == "json":
        data = [b.model_dump(mode="json", by_alias=True, exclude_none=True) for b in books]
        _emit(json.dumps(data, ensure_ascii=False, indent=2), None)
    elif a.format == "md":
        _emit(rules_markdown(books), None)
    else:
        _console().print(rules_table(books))
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
    c.add_argument("--format", choices=("table", "json", "md"), default="table")
    c.add_argument("--out", metavar="FILE", help="write the report to FILE instead of stdout")
    c.set_defaults(func=cmd_check)

    r = sub.add_parser("rules", help="list the rules in force with their citations")
    r.add_argument("--as-of", type=_date, metavar="DATE", help="default: today")
    r.add_argument("--all", action="store_true", help="every shipped rulebook, whatever the date")
    r.add_argument("--format", choices=("table", "json", "md"), default="table")
    r.set_defaults(func=cmd_rules)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    a = parser.parse_args(argv)
    if not getattr(a, "command", None):
        parser.print_help(sys.stderr)
        return EXIT_BAD_INPUT
    try:
        code: int = a.func(a)
    except OrgmodelError as e:
        sys.stderr.write(f"orgmodel: {e}\n")
        return EXIT_BAD_INPUT
    except OSError as e:
        sys.stderr.write(f"orgmodel: {e.filename or ''}: {e.strerror}\n")
        return EXIT_BAD_INPUT
    except KeyboardInterrupt:  # pragma: no cover
        return 130
    return code


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
