"""orgmodel: Vietnam's state apparatus as a typed graph, checked against the staffing decrees."""

from ._errors import LoadError, OrgmodelError, PlanError, RulebookError
from ._load import dump, dumps, load, loads
from ._model import Kind, Level, Org, ProvinceClass, Totals, Unit

__version__ = "0.1.0"

__all__ = [
    "Kind",
    "Level",
    "LoadError",
    "Org",
    "OrgmodelError",
    "PlanError",
    "ProvinceClass",
    "RulebookError",
    "Totals",
    "Unit",
    "__version__",
    "dump",
    "dumps",
    "load",
    "loads",
]
