"""Plans side by side: every plan simulated on the same model, judged on the same day by the same
rulebooks, its figures in one row each, the best value of each row marked.

The date judged is `as_of` when given; else the effective date the plans give, when those that
give one give the same; else the model's date; else today. A plan without an effective date is
judged on the other plans' date (its figures are those `simulate(..., as_of=day)` reports).

Every figure is the one `simulate` reports for that plan (`Outcome.to_dict()`, the JSON of
`orgmodel simulate --format json`) on that day: the comparison adds no arithmetic of its own but
which value of a row is the best. Which is best (the most, or the fewest) is data: `FIGURES`.
"""

from __future__ import annotations

import datetime as dt
import json
import os
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from ._i18n import NO_RULEBOOK, day_text, note_text
from ._model import Org, as_day, require_org
from ._plan import Plan, load_plan
from ._rules import Rulebook
from ._simulate import Outcome, simulate


@dataclass(frozen=True)
class Figure:
    """One row of a comparison: its key in the JSON of a plan (``violations.cured``: the count
    under ``"violations"``), its label (English; the catalog has the Vietnamese), which value is
    the best ("most" or "fewest"; None: the row is not judged), and what it counts."""

    key: str
    label: str
    best: str | None
    meaning: str


# The rows, in the order shown. The most focal points removed and the most civil servants
# released are best: streamlining the apparatus (tinh gọn bộ máy) and its payroll (tinh giản
# biên chế) are the reform's stated aims. Leaders without a legal post, posts lawful only for a
# transition and legal posts left empty are costs: the fewest is best. Violations: the fewest
# introduced and left, the most cured.
FIGURES: tuple[Figure, ...] = (
    Figure(
        "removed_focal_points",
        "focal points removed",
        "most",
        "units before the plan minus units after it",
    ),
    Figure(
        "surplus_leadership_posts",
        "surplus leadership posts",
        "fewest",
        "leaders carried into a unit beyond its legal posts, plus the leaders of dissolved units",
    ),
    Figure(
        "posts_in_transition",
        "deputy posts above a limit, lawful in a transition",
        "fewest",
        "deputy posts above a limit in the model after the plan, lawful only until a "
        "transition ends",
    ),
    Figure(
        "vacant_legal_posts",
        "legal leadership posts left vacant",
        "fewest",
        "legal leadership posts no carried leader fills",
    ),
    Figure(
        "civil_servants_released",
        "civil servants released",
        "most",
        "civil-servant posts the plan drops (streamlining the payroll)",
    ),
    Figure(
        "violations.introduced",
        "violations introduced",
        "fewest",
        "findings after the plan that were not there before",
    ),
    Figure(
        "violations.cured",
        "violations cured",
        "most",
        "findings before the plan that are gone after it",
    ),
    Figure(
        "violations.remaining",
        "violations remaining",
        "fewest",
        "findings before the plan that are still there after it",
    ),
)

# Figures a ledger may carry (a plan with `transfer` steps): shown, not judged, when present.
OPTIONAL_FIGURES: tuple[Figure, ...] = (
    Figure("posts_moved", "posts moved", None, "leadership posts that move with their holders"),
    Figure(
        "civil_servants_moved",
        "civil servants moved",
        None,
        "civil-servant posts that move with the people who hold them",
    ),
)

# why the day was judged (the CLI's words for `source`)
SOURCES = {
    "as_of": "given with --as-of",
    "plans": "the plans' effective date",
    "model": "the model's date",
    "today": "today: no file gives a date",
}
DATES_DIFFER = (
    "The plans take effect on different dates ({dates}); every plan is judged on {day}, by the "
    "same rules."
)
NO_DATE = "no date"


@dataclass(frozen=True)
class CompareNote:
    """Something the reader of a comparison should know, in either language: a template and
    its figures (`dates`: the days the plans give, None for a plan that gives none)."""

    template: str
    params: dict[str, Any]

    def text(self, lang: str = "en") -> str:
        params = dict(self.params)
        if "dates" in params:
            from ._i18n import VI

            no_date = VI.get(NO_DATE, NO_DATE) if lang == "vi" else NO_DATE
            params["dates"] = ", ".join(
                day_text(day, lang) if day is not None else no_date for day in params["dates"]
            )
        return note_text(self.template, params, lang)

    def __str__(self) -> str:
        return self.text("en")


@dataclass(frozen=True, eq=False)
class Comparison:
    """What `compare` returns: the plans' outcomes on one day, their figures, the best of each.

    `names` are the plans' names (made unique), `outcomes` their simulations, `day` the date
    judged and `source` why ("as_of", "plans", "model" or "today"), `rulebooks` the ids applied
    (`named` when they were given rather than found by the date)."""

    org: Org
    plans: tuple[Plan, ...]
    names: tuple[str, ...]
    outcomes: tuple[Outcome, ...]
    day: dt.date
    source: str
    rulebooks: tuple[str, ...]
    named: bool = False
    notes: tuple[Any, ...] = ()

    @property
    def optional(self) -> tuple[Figure, ...]:
        """The figures of `OPTIONAL_FIGURES` every plan's ledger carries (JSON has them)."""
        return tuple(
            f for f in OPTIONAL_FIGURES if all(hasattr(o.ledger, f.key) for o in self.outcomes)
        )

    @property
    def figures(self) -> tuple[Figure, ...]:
        """The rows shown: `FIGURES`, then those optional ones some plan does not leave at 0."""
        return FIGURES + tuple(f for f in self.optional if any(self.values(f.key)))

    def value(self, index: int, key: str) -> int:
        """Plan `index`'s figure `key` (a key of `FIGURES`, e.g. ``"violations.cured"``)."""
        o = self.outcomes[index]
        led = o.ledger
        if key == "removed_focal_points":
            return led.removed_focal_points
        if key == "surplus_leadership_posts":
            return led.surplus_leadership_posts
        if key == "posts_in_transition":
            return o.posts_in_transition
        if key == "vacant_legal_posts":
            return led.vacant_legal_posts
        if key == "civil_servants_released":
            return led.civil_servants_released
        if key.startswith("violations."):
            return len(getattr(o, key.partition(".")[2]))
        return int(getattr(led, key))

    def values(self, key: str) -> tuple[int, ...]:
        return tuple(self.value(i, key) for i in range(len(self.outcomes)))

    def by_kind(self) -> dict[str, tuple[int, ...]]:
        """Focal points removed by kind of unit: kind -> each plan's figure (0 where it removes
        none), the kinds in order."""
        kinds = sorted({k for o in self.outcomes for k in o.ledger.removed_by_kind})
        return {k: tuple(o.ledger.removed_by_kind.get(k, 0) for o in self.outcomes) for k in kinds}

    def best(self, key: str) -> tuple[int, ...]:
        """The indexes of the plans with the best value of row `key` (every one tied for it);
        () for a row that is not judged."""
        figure = next((f for f in self.figures if f.key == key), None)
        if figure is None or figure.best is None:
            return ()
        vs = self.values(key)
        top = max(vs) if figure.best == "most" else min(vs)
        return tuple(i for i, v in enumerate(vs) if v == top)

    def to_dict(self) -> dict[str, Any]:
        """The JSON of `orgmodel compare --format json` (keys never change with the language)."""
        plans = []
        for i, (name, plan, o) in enumerate(
            zip(self.names, self.plans, self.outcomes, strict=True)
        ):
            row: dict[str, Any] = {
                "plan": name,
                "file": plan.source,
                "effective": plan.effective.isoformat() if plan.effective else None,
                "steps": len(plan.steps),
                "removed_focal_points": self.value(i, "removed_focal_points"),
                "removed_focal_points_by_kind": dict(o.ledger.removed_by_kind),
                "surplus_leadership_posts": self.value(i, "surplus_leadership_posts"),
                "posts_in_transition": self.value(i, "posts_in_transition"),
                "vacant_legal_posts": self.value(i, "vacant_legal_posts"),
                "civil_servants_released": self.value(i, "civil_servants_released"),
                "violations": {
                    "introduced": self.value(i, "violations.introduced"),
                    "cured": self.value(i, "violations.cured"),
                    "remaining": self.value(i, "violations.remaining"),
                },
            }
            for f in self.optional:
                row[f.key] = self.value(i, f.key)
            plans.append(row)
        best: dict[str, Any] = {}
        for f in self.figures:
            if f.best is None:
                continue
            names = [self.names[i] for i in self.best(f.key)]
            group, _dot, key = f.key.rpartition(".")
            (best.setdefault(group, {}) if group else best)[key] = names
        return {
            "as_of": self.day.isoformat(),
            "as_of_source": self.source,
            "model": self.org.name or None,
            "rulebooks": list(self.rulebooks),
            "plans": plans,
            "best": best,
            "notes": [str(n) for n in self.notes],
        }

    def to_json(self, **kw: Any) -> str:
        """The JSON of `orgmodel compare --format json`."""
        return json.dumps(self.to_dict(), ensure_ascii=False, **kw)


def _name(plan: Plan, index: int) -> str:
    """A plan's name: its `name`, else its file's stem, else its place (``#2``)."""
    if plan.name.strip():
        return plan.name.strip()
    if plan.source:
        stem = os.path.splitext(os.path.basename(plan.source))[0]
        if stem:
            return stem
    return f"#{index + 1}"


def _unique(names: Sequence[str]) -> tuple[str, ...]:
    """The names, a repeated one followed by " (2)", " (3)"… (never one already taken)."""
    out: list[str] = []
    taken = set(names)
    seen: set[str] = set()
    for name in names:
        if name not in seen:
            seen.add(name)
            out.append(name)
            continue
        k = 2
        while f"{name} ({k})" in taken:
            k += 1
        new = f"{name} ({k})"
        taken.add(new)
        out.append(new)
    return tuple(out)


def _day(org: Org, plans: Sequence[Plan], as_of: dt.date | None) -> tuple[dt.date, str]:
    if as_of is not None:
        return as_of, "as_of"
    given = {p.effective for p in plans if p.effective is not None}
    if len(given) == 1:
        return next(iter(given)), "plans"
    if org.as_of is not None:
        return org.as_of, "model"
    return dt.date.today(), "today"


def compare(
    org: Org,
    plans: Sequence[Plan | str | os.PathLike[str]],
    *,
    as_of: dt.date | str | None = None,
    rulebook: str | Rulebook | Sequence[str | Rulebook] | None = None,
) -> Comparison:
    """Simulate each plan on `org` on the same day, by the same rulebooks, and put the figures
    side by side (`Comparison`; its `to_dict()` is the JSON of `orgmodel compare`).

    `plans` are `Plan`s (or paths of plan files). The day is `as_of` (a date or `YYYY-MM-DD`);
    else the effective date the plans give, when those that give one agree; else the model's
    date; else today. The rulebooks are those named, else those in force on that day. A plan
    that cannot be applied raises its `PlanError`. Neither the model nor the plans are changed."""
    require_org(org, "compare")
    if isinstance(plans, (str, os.PathLike, Plan)):
        plans = [plans]
    loaded: list[Plan] = []
    for p in plans:
        if isinstance(p, (str, os.PathLike)):
            p = load_plan(p)
        if not isinstance(p, Plan):
            raise TypeError(
                f"compare() expects plans as Plan objects or plan files (got "
                f"{type(p).__name__}); load one with orgmodel.load_plan(path)"
            )
        loaded.append(p)
    if not loaded:
        raise ValueError("compare() needs at least one plan")
    day, source = _day(org, loaded, as_day(as_of))
    outcomes = tuple(simulate(org, p, rulebook=rulebook, as_of=day) for p in loaded)
    for o in outcomes:  # every plan checked before and after now, not on the first look
        o.report_before, o.report_after  # noqa: B018
    names = _unique([_name(p, i) for i, p in enumerate(loaded)])
    notes: list[Any] = []
    given = {p.effective for p in loaded}
    if len(given) > 1:
        dates = (*sorted(d for d in given if d is not None), *([None] if None in given else []))
        notes.append(CompareNote(DATES_DIFFER, {"dates": dates, "day": day}))
    notes += [n for n in outcomes[0].notes if n.template == NO_RULEBOOK]
    return Comparison(
        org=org,
        plans=tuple(loaded),
        names=names,
        outcomes=outcomes,
        day=day,
        source=source,
        rulebooks=outcomes[0].rulebooks,
        named=rulebook is not None,
        notes=tuple(notes),
    )


__all__ = ["FIGURES", "CompareNote", "Comparison", "Figure", "compare"]
