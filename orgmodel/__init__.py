"""orgmodel: Vietnam's state apparatus as a typed graph, checked against the staffing decrees."""

from typing import TYPE_CHECKING as _TYPE_CHECKING
from typing import Any as _Any

from ._compare import Comparison, compare
from ._diff import Diff, UnitDiff, diff
from ._display import install as _install_display
from ._errors import LoadError, Msg, OrgmodelError, OutputError, PlanError, RulebookError
from ._i18n import set_language
from ._i18n import using as language
from ._load import dump, dumps, load, loads
from ._model import Kind, Level, Org, ProvinceClass, Totals, Unit
from ._plan import Part, Plan, Step, dumps_plan, load_plan, loads_plan
from ._render_compare import install as _install_compare_display
from ._rules import (
    Finding,
    Report,
    Rule,
    Rulebook,
    RuleSet,
    Violation,
    builtin_rulebooks,
    check,
    explain,
    load_rulebook,
)
from ._simulate import ChangeEvent, LeadershipLine, Ledger, Outcome, simulate

if _TYPE_CHECKING:
    from ._advice import Advice, advise, suggest
    from ._chart import Chart, org_chart, outcome_chart
    from ._rebalance import rebalance
    from ._synth import synth
    from ._tables import export_template, export_workbook, import_table
    from ._vietnam import vietnam, vietnam_reform_2025

_install_display()  # notebook (HTML) and terminal (rich) faces for Org, Report, Outcome, Diff
_install_compare_display()  # ... and for Comparison

# Imported on first use (PEP 562): a command that checks a file does not pay for advice,
# charts, tables or the country's data.
_LAZY = {
    "Advice": "_advice",
    "advise": "_advice",
    "suggest": "_advice",
    "Chart": "_chart",
    "org_chart": "_chart",
    "outcome_chart": "_chart",
    "rebalance": "_rebalance",
    "synth": "_synth",
    "export_template": "_tables",
    "export_workbook": "_tables",
    "import_table": "_tables",
    "vietnam": "_vietnam",
    "vietnam_reform_2025": "_vietnam",
}


def __getattr__(name: str) -> _Any:
    module = _LAZY.get(name)
    if module is None:
        raise AttributeError(f"module 'orgmodel' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(f".{module}", __name__), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted({*globals(), *__all__})


__version__ = "0.1.0"

__all__ = [
    "Advice",
    "ChangeEvent",
    "Chart",
    "Comparison",
    "Diff",
    "Finding",
    "Kind",
    "LeadershipLine",
    "Ledger",
    "Level",
    "LoadError",
    "Msg",
    "Org",
    "OrgmodelError",
    "Outcome",
    "OutputError",
    "Part",
    "Plan",
    "PlanError",
    "ProvinceClass",
    "Report",
    "Rule",
    "RuleSet",
    "Rulebook",
    "RulebookError",
    "Step",
    "Totals",
    "Unit",
    "UnitDiff",
    "Violation",
    "__version__",
    "advise",
    "builtin_rulebooks",
    "check",
    "compare",
    "diff",
    "dump",
    "dumps",
    "dumps_plan",
    "explain",
    "export_template",
    "export_workbook",
    "import_table",
    "language",
    "load",
    "load_plan",
    "load_rulebook",
    "loads",
    "loads_plan",
    "org_chart",
    "outcome_chart",
    "rebalance",
    "set_language",
    "simulate",
    "suggest",
    "synth",
    "vietnam",
    "vietnam_reform_2025",
]
