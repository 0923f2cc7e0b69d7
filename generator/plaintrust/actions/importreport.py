"""The report `plaintrust import` prints after a run or a dry run: controls written, mappings
translated and left to a person (with their rows), rows and columns refused, categories missing or
added. The diagnostics say why each refusal; the report counts them and says what is left to do.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from pathlib import Path

from plaintrust.actions import importcategories
from plaintrust.actions.importmap import TRANSLATED, advice
from plaintrust.actions.importplan import Outcome, Plan
from plaintrust.crosswalks import and_list
from plaintrust.load.discovery import TRUST

_PAD = "    "


@dataclass(frozen=True)
class Options:
    """What the command line asked for, as the report words it."""

    into: Path
    dry_run: bool
    add_categories: bool


def text(plan: Plan, outcome: Outcome, asked: Options) -> str:
    lines = [
        "import report (dry run: nothing was written):" if asked.dry_run else "import report:",
        _controls(plan, outcome, asked),
        _translated(plan),
        *_pending(plan),
        _rows(plan),
        *_columns(plan),
        *_categories(plan, outcome, asked),
    ]
    return "\n".join(lines) + "\n"


def _controls(plan: Plan, outcome: Outcome, asked: Options) -> str:
    if plan.columns:
        return "  controls written: none, as a column is refused"
    if asked.dry_run:
        return f"  controls that would be written: {len(plan.controls)}, into {asked.into}"
    return f"  controls written: {len(outcome.written)}, into {asked.into}"


def _translated(plan: Plan) -> str:
    counts = Counter(step.relation for step in plan.translated)
    kinds = ", ".join(f"{relation}: {counts[relation]}" for relation in TRANSLATED if counts[relation])
    return f"  mappings translated: {len(plan.translated)}" + (f" ({kinds})" if kinds else "")


def _pending(plan: Plan) -> list[str]:
    if not plan.pending:
        return ["  mappings to confirm: 0"]
    head = f"  mappings to confirm: {len(plan.pending)}, not written (a person decides; each control file says so too):"
    return [head, *(f"{_PAD}row {p.row}, {p.framework}: {advice(p)}" for p in plan.pending)]


def _rows(plan: Plan) -> str:
    rows = plan.rows_refused
    if not rows:
        return "  rows refused: 0"
    numbers = and_list([str(r) for r in rows])
    return f"  rows refused: {len(rows)} (row{'s' if len(rows) > 1 else ''} {numbers}, each with why above)"


def _columns(plan: Plan) -> list[str]:
    if not plan.columns:
        return []
    return [f"  columns refused: {len(plan.columns)} (each with why above): nothing was written"]


def _categories(plan: Plan, outcome: Outcome, asked: Options) -> list[str]:
    found = plan.categories
    if not found:
        return []
    names = ", ".join(category_id for category_id, _ in found)
    if outcome.added:
        verb = "that would be added to" if asked.dry_run else "added to"
        return [f"  categories {verb} {TRUST}: {len(found)} ({names})"]
    if plan.columns and asked.add_categories:
        head = f"  categories missing from {TRUST}: {len(found)}, not added, as a column is refused:"
    elif outcome.not_added is not None:
        head = f"  categories missing from {TRUST}: {len(found)}, not added ({outcome.not_added}); add them by hand:"
    else:
        head = f"  categories missing from {TRUST}: {len(found)}; add them, or run again with --add-categories:"
    return [head, *(_PAD + line for line in importcategories.as_yaml(found).splitlines())]
