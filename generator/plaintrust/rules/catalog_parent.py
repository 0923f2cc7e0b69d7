"""A requirement in a custom catalog names a `parent` that is not in the catalog, or is its own ancestor.

Only custom catalogs (a file such as frameworks/nist-csf.yaml named as a framework's `catalog` in
controls/program.yaml) are checked: the shipped ones are tested. It fires at `parent` when the id
is not a requirement of the same catalog, or when following parents leads back to the requirement.

The hierarchy decides which requirements are rows of the gap report (the leaves) and which controls
reach them ("via 8.4"), so a broken parent silently drops rows.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the `parent` id, or remove it to make the requirement a top-level one.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Catalog, Model

ID = "catalog-parent"
READS_FILES = True  # a parent's position is looked up before it is judged: a cached catalog is read again


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    seen: set[str] = set()
    for framework in model.program.frameworks:
        catalog = framework.catalog
        if catalog.source is not None and catalog.source.path not in seen:
            seen.add(catalog.source.path)
            yield from _catalog(catalog, catalog.source)


def _catalog(catalog: Catalog, source: Document) -> Iterator[Diagnostic]:
    """`source`: the catalog's own file (a shipped catalog has none, and is not checked)."""
    for index, requirement in enumerate(catalog.requirements):
        if requirement.parent is None:
            continue
        where = source.at("requirements", index, "parent")
        if requirement.parent not in catalog.by_id:
            yield where.error(
                ID, f"{requirement.id}: parent {requirement.parent!r} is not a requirement of this catalog"
            )
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
