"""orgmodel: Vietnam's state apparatus as a typed graph, checked against the staffing decrees."""

from ._errors import LoadError, OrgmodelError, PlanError, RulebookError
from ._load import dump, dumps, load, loads
from ._model import Kind, Level, Org, ProvinceClass, Totals, Unit
from ._rules import Report, Rule, Rulebook, Violation, builtin_rulebooks, check, load_rulebook

__version__ = "0.1.0"

__all__ = [
    "Kind",
    "Level",
    "LoadError",
    "Org",
    "OrgmodelError",
    "PlanError",
    "ProvinceClass",
    "Report",
    "Rule",
    "Rulebook",
    "RulebookError",
    "Totals",
    "Unit",
    "Violation",
    "__version__",
    "builtin_rulebooks",
    "check",
    "dump",
    "dumps",
    "load",
    "load_rulebook",
    "loads",
]
