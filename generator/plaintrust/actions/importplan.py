"""What `plaintrust import` writes: every row judged (schema, requirement ids, category, clashes),
the controls to write, and the refusals, translations and open questions its report lists.

A row that cannot be written is refused at its row number and the others are still written; a
`satisfies` column that looks like an earlier version's is refused whole, and then nothing is
written at all (see `importmap`). Two different category cells that would become one id refuse
the later row. `--dry-run` judges the same and writes nothing.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path

from plaintrust.actions import importcategories, importmap, spreadsheet
from plaintrust.actions.importmap import Pending, Target
from plaintrust.crosswalks import Retired, Step
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load.discovery import TRUST
from plaintrust.output import write_file


@dataclass(frozen=True)
class Context:
    """What rows are judged against, read from the repository by the caller: the program's
    frameworks, the versions `--map` reads columns as, and site/trust.yaml."""

    frameworks: dict[str, Target]
    read_as: dict[str, Retired]
    site: importcategories.Site


@dataclass(frozen=True)
class Plan:
    controls: tuple[spreadsheet.Planned, ...]
    problems: tuple[Diagnostic, ...]  # the rows refused, each at its cell
    columns: tuple[Diagnostic, ...]  # the columns refused: then nothing is written
    doubts: tuple[Diagnostic, ...]  # warnings about columns that are not refused
    translated: tuple[Step, ...]
    pending: tuple[Pending, ...]
    categories: tuple[tuple[str, str], ...]  # (id, title) of each category site/trust.yaml lacks

    @property
    def rows_refused(self) -> tuple[int, ...]:
        return tuple(sorted({d.line for d in self.problems}))


@dataclass(frozen=True)
class Outcome:
    written: tuple[Path, ...]
    added: bool  # the missing categories are (in a dry run: would be) in site/trust.yaml
    not_added: str | None = None  # why they cannot be added, when they cannot


@dataclass(frozen=True)
class _Run:
    """What every row of one run is judged against."""

    sheet_name: str
    into: Path
    existing: dict[str, Path]  # id -> file of each control in the repository
    context: Context
    skip: frozenset[str]  # the frameworks whose column is refused
    categories: frozenset[str]  # the ids site/trust.yaml has
    force: bool
    schema_ref: str | None


@dataclass(frozen=True)
class _Seen:
    """What earlier rows hold: id in lower case -> first row, and category id -> (first row, cell)."""

    ids: dict[str, int]
    categories: dict[str, tuple[int, str]]


@dataclass(frozen=True)
class _Judged:
    planned: spreadsheet.Planned | None
    mapped: importmap.Mapped
    problems: tuple[Diagnostic, ...]
    category: tuple[str, str] | None  # (id, the cell as written)


def plan(
    sheet: spreadsheet.Sheet,
    columns: dict[str, int],
    defaults: dict[str, str],
    into: Path,
    existing: dict[str, Path],
    context: Context,
    *,
    force: bool,
    schema_ref: str | None,
) -> Plan:
    """Every row judged, in row order. `existing`: id -> file of each control in the repository
    (with --force, a row may replace its own file, never another one)."""
    known = context.site.known or frozenset()
    items = list(spreadsheet.drafts(sheet, columns, defaults))
    found = importmap.column_findings(sheet, columns, items, context.frameworks, context.read_as)
    refused = importmap.refused(found)
    run = _Run(sheet.name, into, existing, context, frozenset(refused), known, force, schema_ref)
    seen = _Seen({}, {})
    judged = []
    for item in items:
        judged.append(_row(run, item, seen))
        if isinstance(item.data.get("id"), str):
            seen.ids.setdefault(item.data["id"].lower(), item.row)
    doubts = tuple(d for framework, d in found.items() if framework not in refused)
    return _plan(judged, tuple(refused.values()), doubts, known)


def _categorised(item: spreadsheet.Draft, known: frozenset[str]) -> tuple[spreadsheet.Draft, tuple[str, str] | None]:
    """The row with its category as an id (see `importcategories.slug`), and (id, the cell as written)."""
    public = item.data.get("public", {})
    if "category" not in public:
        return item, None
    category = importcategories.slug(public["category"], known)
    data = {**item.data, "public": {**public, "category": category}}
    return dataclasses.replace(item, data=data), (category, public["category"])


def _collision(run: _Run, item: spreadsheet.Draft, category: tuple[str, str] | None, seen: _Seen) -> list[Diagnostic]:
    """Why the row's category cannot be written: an earlier row's different cell became the same id
    ("C++" and "C#" both `c`), and the two would silently be one category. The first cell is kept."""
    if category is None:
        return []
    category_id, cell = category
    first_row, first = seen.categories.setdefault(category_id, (item.row, cell))
    if importcategories.same_name(cell, first):
        return []
    where = Location(run.sheet_name, item.row, item.columns.get("public.category") or 1)
    return [
        where.error(
            spreadsheet.RULE_ROW,
            f"row {item.row}: category {cell!r} becomes the id {category_id!r}, as {first!r} on row {first_row} "
            "does: two categories would be one",
            "write both alike if they are one category, or tell them apart with letters or digits",
        )
    ]


def _row(run: _Run, item: spreadsheet.Draft, seen: _Seen) -> _Judged:
    """One row: its requirement ids and category judged first, then the control it makes against the
    schema, then its id against the other rows and files."""

    def at(framework: str) -> Location:
        return Location(run.sheet_name, item.row, item.columns.get(spreadsheet.SATISFIES + framework) or 1)

    mapped = importmap.judge(item, at, run.context.frameworks, run.context.read_as, run.skip)
    item, category = _categorised(item, run.categories)
    data = {k: v for k, v in item.data.items() if k != "satisfies"}
    ready = dataclasses.replace(item, data={**data, "satisfies": mapped.satisfies} if mapped.satisfies else data)
    trouble = [*mapped.problems, *_collision(run, item, category, seen), *spreadsheet.problems(run.sheet_name, ready)]
    trouble = trouble or spreadsheet.clashes(run.sheet_name, ready, run.into, run.existing, seen.ids, run.force)
    if trouble:
        return _Judged(None, mapped, tuple(trouble), category)
    return _Judged(_planned(ready, run.into, run.schema_ref, mapped.comments), mapped, (), category)


def _planned(item: spreadsheet.Draft, into: Path, ref: str | None, notes: tuple[str, ...]) -> spreadsheet.Planned:
    text = spreadsheet.render(item.data, ref, notes=notes)
    if not spreadsheet.reads_back(text, item.data):
        text = spreadsheet.render(item.data, ref, quote_all=True, notes=notes)
    return spreadsheet.Planned(item.row, item.data["id"], into / f"{item.data['id'].lower()}.yaml", text)


def _plan(
    judged: list[_Judged], columns: tuple[Diagnostic, ...], doubts: tuple[Diagnostic, ...], known: frozenset[str]
) -> Plan:
    """The rows put together; the translations, questions and categories only of the rows written."""
    written = [j for j in judged if j.planned is not None]
    return Plan(
        controls=tuple(j.planned for j in written if j.planned is not None),
        problems=tuple(d for j in judged for d in j.problems),
        columns=columns,
        doubts=doubts,
        translated=tuple(s for j in written for s in j.mapped.translated),
        pending=tuple(p for j in written for p in j.mapped.pending),
        categories=importcategories.missing((j.category for j in written if j.category), known),
    )


def apply(plan: Plan, site: importcategories.Site, *, dry_run: bool, add_categories: bool) -> Outcome:
    """Write the plan's controls and, with `add_categories`, the missing categories into site/trust.yaml:
    nothing in a dry run, and nothing at all when a column is refused."""
    if plan.columns:
        return Outcome((), added=False)
    why = _unavailable(site) if plan.categories else None
    text = None
    if add_categories and plan.categories and why is None:
        text, why = _with_categories(plan.categories, site)
    if dry_run:
        return Outcome((), text is not None, why)
    written = tuple(spreadsheet.write(list(plan.controls)))
    if text is not None:
        write_file(site.path, text)
    return Outcome(written, text is not None, why)


def _unavailable(site: importcategories.Site) -> str | None:
    """Why no category can be added to site/trust.yaml, if none can."""
    if not site.exists:
        return f"there is no {TRUST}"
    if site.known is None:
        return f"{TRUST} does not load: fix what `plaintrust check` reports first"
    return None


def _with_categories(
    categories: tuple[tuple[str, str], ...], site: importcategories.Site
) -> tuple[bytes | None, str | None]:
    """site/trust.yaml with the categories added, or None and why it cannot be."""
    try:
        return importcategories.added(site.path.read_bytes(), categories), None
    except importcategories.CannotAdd as exc:
        return None, str(exc)
    except OSError as exc:
        return None, f"cannot read it: {exc.strerror}"


def failed(plan: Plan, outcome: Outcome) -> bool:
    """Whether the import must exit 1: a row or a column refused, or categories that `check` would
    find missing. Mappings left to a person are not failures: the comments and the report carry them."""
    return bool(plan.problems or plan.columns or (plan.categories and not outcome.added))
