"""In a custom catalog, every `parent` must name another requirement of the catalog, without cycles.

The hierarchy decides which requirements are rows of the gap report (the leaves) and which
mappings reach them ("via 8.4"), so a parent that does not exist, or a requirement that is its own
ancestor, would silently drop rows.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Catalog, Model

ID = "catalog-parent"


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    seen: set[str] = set()
    for framework in model.program.frameworks:
        catalog = framework.catalog
        if catalog.source is not None and catalog.source.path not in seen:
            seen.add(catalog.source.path)
            yield from _catalog(catalog)


def _catalog(catalog: Catalog) -> Iterator[Diagnostic]:
    for index, requirement in enumerate(catalog.requirements):
        if requirement.parent is None:
            continue
        where = catalog.source.at("requirements", index, "parent")
        if requirement.parent not in catalog.by_id:
            yield where.error(ID, f"{requirement.id}: parent {requirement.parent!r} is not a requirement of this catalog")
        elif _in_cycle(catalog, requirement.id):
            yield where.error(ID, f"{requirement.id} is its own ancestor through `parent`")


def _in_cycle(catalog: Catalog, start: str) -> bool:
    visited: set[str] = set()
    current = catalog.by_id[start].parent
    while current is not None and current in catalog.by_id:
        if current == start or current in visited:
            return current == start
        visited.add(current)
        current = catalog.by_id[current].parent
    return False
