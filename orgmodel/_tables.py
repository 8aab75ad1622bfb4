"""Flat tables in and out: CSV and Excel (.xlsx; openpyxl is the `excel` extra).

Import reads one row per unit (`id`, `parent`, `kind`, `name`, `civil_servants`, `deputies`, ...)
and reports bad rows by their row number. Export writes a model, its check report, or a
simulation outcome to a workbook: a sheet each for the summary, the units before and after, the
changes and the violations.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

from pydantic import ValidationError

from ._errors import LoadError, RulebookError
from ._load import suggest
from ._model import FILE_FIELDS, Org, Unit
from ._rules import Violation

COLUMNS = ("id", "parent", *FILE_FIELDS[1:])
_INTS = ("civil_servants", "deputies", "head", "public_employees", "provinces_merged")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise ImportError(
            "Excel files need openpyxl, an optional extra: pip install 'orgmodel[excel]'"
        ) from None
    return openpyxl


def _read_rows(path: Path) -> list[list[Any]]:
    name = str(path)
    if path.suffix.lower() in (".xlsx", ".xlsm"):
        openpyxl = _openpyxl()
        try:
            wb = openpyxl.load_workbook(path, read_only=True, data_only=True)
        except FileNotFoundError:
            raise LoadError("no such file", file=name) from None
        except Exception as e:  # openpyxl raises many kinds for a broken workbook
            raise LoadError(f"cannot read the workbook: {e}", file=name) from None
        ws = wb.worksheets[0]
        rows = [list(r) for r in ws.iter_rows(values_only=True)]
        wb.close()
        return rows
    if path.suffix.lower() != ".csv":
        raise LoadError("expected a .csv or .xlsx table", file=name)
    from ._io import read_text

    text = read_text(path)
    return [list(r) for r in csv.reader(io.StringIO(text))]


def _cell(v: Any) -> Any:
    if v is None:
        return None
    if isinstance(v, float) and v.is_integer():
        return int(v)
    if isinstance(v, str):
        v = v.strip()
        return v or None
    return v


def import_table(path: str | os.PathLike[str], *, name: str = "") -> Org:
    """A model from a flat table with one row per unit. Raises LoadError naming the row."""
    p = Path(path)
    src = str(p)
    rows = _read_rows(p)
    if not rows:
        raise LoadError(
            "the table is empty; expected a header row: " + ", ".join(COLUMNS), file=src, line=1
        )
    header = [str(_cell(h) or "").strip().lower() for h in rows[0]]
    for i, h in enumerate(header):
        if h and h not in COLUMNS:
            raise LoadError(
                f"unknown column {h!r}; {suggest(h, COLUMNS)}expected columns: "
                + ", ".join(COLUMNS),
                file=src,
                line=1,
                column=i + 1,
            )
    for required in ("id", "kind", "name"):
        if required not in header:
            raise LoadError(f"missing column {required!r}", file=src, line=1)
    data: list[dict[str, Any]] = []
    row_of: list[int] = []
    first_row: dict[str, int] = {}
    for r, raw in enumerate(rows[1:], start=2):
        cells = {h: _cell(raw[i]) if i < len(raw) else None for i, h in enumerate(header) if h}
        if all(v is None for v in cells.values()):
            continue  # blank rows are skipped
        d: dict[str, Any] = {k: v for k, v in cells.items() if v is not None}
        uid = d.get("id")
        if uid is None:
            raise LoadError("row has no id", file=src, line=r)
        d["id"] = uid = str(uid)
        if uid in first_row:
            raise LoadError(
                f"duplicate id {uid!r} (also on row {first_row[uid]})", file=src, line=r
            )
        first_row[uid] = r
        if "parent" in d:
            d["parent"] = str(d["parent"])
        for k in _INTS:
            if isinstance(d.get(k), str):
                try:
                    d[k] = int(d[k])
                except ValueError:
                    raise LoadError(
                        f"{k!r} must be a whole number, got {d[k]!r}",
                        file=src,
                        line=r,
                        column=header.index(k) + 1,
                    ) from None
        if "functions" in d:
            d["functions"] = tuple(
                f.strip() for f in str(d["functions"]).replace(";", ",").split(",") if f.strip()
            )
        if "class" in d:
            d["class"] = str(d["class"])
        if isinstance(d.get("reorganized"), dt.datetime):  # an Excel date cell
            d["reorganized"] = d["reorganized"].date()
        data.append(d)
        row_of.append(r)
    for d, r in zip(data, row_of, strict=True):
        parent = d.get("parent")
        if parent is not None and parent not in first_row:
            raise LoadError(
                f"unknown parent {parent!r} of unit {d['id']!r}",
                file=src,
                line=r,
                column=header.index("parent") + 1,
            )
    # cycles: follow parents from each row; a walk that returns to a seen id is a cycle
    parent_of = {d["id"]: d.get("parent") for d in data}
    done: set[str] = set()
    for d in data:
        path_ids: list[str] = []
        cur: str | None = d["id"]
        while cur is not None and cur not in done:
            if cur in path_ids:
                cyc = path_ids[path_ids.index(cur) :]
                rows_txt = ", ".join(str(first_row[c]) for c in cyc)
                raise LoadError(
                    f"the parents form a cycle: {' -> '.join([*cyc, cur])} (rows {rows_txt})",
                    file=src,
                    line=first_row[cur],
                )
            path_ids.append(cur)
            cur = parent_of[cur]
        done.update(path_ids)
    units: list[Unit] = []
    for d, r in zip(data, row_of, strict=True):
        try:
            u = Unit.model_validate(d)
        except ValidationError as e:
            err = e.errors(include_url=False)[0]
            field = str(err["loc"][0]) if err["loc"] else ""
            field = "class" if field == "province_class" else field
            col = header.index(field) + 1 if field in header else None
            raise LoadError(
                f"{field}: {err['msg']} (got {err.get('input')!r})", file=src, line=r, column=col
            ) from None
        if "civil_servants" in d and u.leaders > u.civil_servants:
            raise LoadError(
                f"unit {u.id!r} states {u.civil_servants} civil servants but holds "
                f"{u.leaders} leaders",
                file=src,
                line=r,
            )
        if u.kind.value == "peoples_committee" and u.level is None:
            raise LoadError(f"People's Committee {u.id!r} needs a level", file=src, line=r)
        units.append(u)
    return Org(units, name=name or p.stem)


# -- export -----------------------------------------------------------------------------
def _unit_rows(org: Org) -> Iterable[list[Any]]:
    # the import columns, with the inherited class beside the stated one
    yield [*COLUMNS[:6], "province class (inherited)", *COLUMNS[6:]]
    for u in org.units:
        cls = org.province_class(u.id)
        yield [
            u.id,
            u.parent,
            u.kind.value,
            u.name,
            u.level.value if u.level else None,
            u.province_class.value if u.province_class else None,
            cls.value if cls else None,
            u.civil_servants,
            u.deputies,
            u.head,
            u.public_employees,
            ", ".join(u.functions),
            u.name_en,
            u.note,
            u.provinces_merged,
            u.reorganized,
        ]


def _violation_rows(vs: Sequence[Any], which: str | None = None) -> Iterable[list[Any]]:
    for v in vs:
        row = [
            v.rulebook,
            v.rule,
            v.unit,
            " / ".join(v.path),
            v.actual,
            v.limit,
            v.message,
            v.citation,
            "yes" if v.verified else "no",
            v.status,
            v.until,
        ]
        yield ([which] if which else []) + row


_VIOL_HEAD = [f for f in Violation.model_fields if f != "basis"]


def export_workbook(
    path: str | os.PathLike[str] | IO[bytes], org: Org, *, outcome: Any = None
) -> None:
    """Write `org` (with its check report) or a simulation outcome to an .xlsx workbook."""
    openpyxl = _openpyxl()
    from ._i18n import _
    from ._rules import check

    # sheet names and summary labels follow the language; the units sheet keeps the column
    # names an import reads, and the JSON-style keys stay as they are
    wb = openpyxl.Workbook(write_only=True)
    summary = wb.create_sheet(_("Summary"))
    if outcome is None:
        tot = org.totals()
        summary.append([_("model"), org.name])
        summary.append([_("as of"), org.as_of.isoformat() if org.as_of else None])
        summary.append([_("units (focal points)"), tot.units])
        summary.append([_("civil servants"), tot.civil_servants])
        summary.append([_("leadership posts"), tot.leadership_posts])
        try:
            report = check(org)
            summary.append([_("rulebooks"), ", ".join(report.rulebooks)])
            summary.append([_("violations"), len(report.violations)])
            violations: list[list[Any]] = list(_violation_rows(report.violations))
        except RulebookError as e:
            summary.append([_("rulebooks"), str(e)])
            violations = []
        units = wb.create_sheet(_("Units"))
        for row in _unit_rows(org):
            units.append(row)
        vs = wb.create_sheet(_("Violations"))
        vs.append(_VIOL_HEAD)
        for row in violations:
            vs.append(row)
    else:
        from ._render import _figures

        summary.append([_("plan"), outcome.plan.name])
        summary.append([_("rulebooks"), ", ".join(outcome.rulebooks) or "none in force"])
        for k, v in _figures(outcome):
            summary.append([k.strip(), v])
        for key, value in outcome.to_dict().items():
            if isinstance(value, int):
                summary.append([key, value])
        before = wb.create_sheet(_("Units before"))
        for row in _unit_rows(outcome.before):
            before.append(row)
        after = wb.create_sheet(_("Units after"))
        for row in _unit_rows(outcome.after):
            after.append(row)
        changes = wb.create_sheet(_("Changes"))
        changes.append(["id", "status", "name", "merged into", "merged from", "changes"])
        for u in outcome.diff.units:
            if u.status == "unchanged" and not u.merged_from:
                continue
            changes.append(
                [
                    u.id,
                    u.status,
                    u.name,
                    u.merged_into,
                    ", ".join(u.merged_from),
                    "; ".join(
                        f"{k}: {getattr(a, 'value', a)} -> {getattr(b, 'value', b)}"
                        for k, (a, b) in u.changes.items()
                    ),
                ]
            )
        lead = wb.create_sheet(_("Leadership"))
        lead.append(
            [
                "unit",
                "name",
                "carried",
                "legal posts",
                "held",
                "surplus",
                "above legal maximum",
                "without post",
                "vacant legal posts",
                "basis",
            ]
        )
        for x in outcome.ledger.leadership:
            lead.append(
                [
                    x.unit,
                    x.name,
                    x.carried,
                    x.legal_posts,
                    x.held,
                    x.surplus,
                    x.above_legal_maximum,
                    x.without_post,
                    x.vacant_legal_posts,
                    x.basis,
                ]
            )
        vs = wb.create_sheet(_("Violations"))
        vs.append(["plan effect", *_VIOL_HEAD])
        for which, group in (
            ("introduced", outcome.introduced),
            ("cured", outcome.cured),
            ("remaining", outcome.remaining),
        ):
            for row in _violation_rows(group, which):
                vs.append(row)
    if hasattr(path, "write"):  # an open binary file (the CLI stages its outputs)
        wb.save(path)
    else:
        from ._io import write_atomic

        write_atomic(path, wb.save)
