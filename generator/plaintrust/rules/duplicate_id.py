"""Ids must be unique: controls, evidence records, frameworks, trust-center categories, catalog requirements.

Each later use of an id is reported, naming where it was first defined; references to the id would
otherwise silently resolve to whichever file happened to load first.
"""

from __future__ import annotations

from typing import Iterable, Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "duplicate-id"


def check(model: Model) -> Iterator[Diagnostic]:
    yield from _repeats("control", ((c.id, c.source.at("id")) for c in model.controls))
    yield from _repeats("evidence record", ((e.id, e.source.at("id")) for e in model.evidence))
    if model.program:
        program = model.program.source
        entries = enumerate(program.data["frameworks"])
        yield from _repeats("framework", ((f["id"], program.at("frameworks", i, "id")) for i, f in entries))
        for framework in model.program.frameworks:
            yield from _catalog(framework.catalog)
    if model.trust:
        trust = model.trust.source
        entries = enumerate(trust.data["categories"])
        yield from _repeats("category", ((c["id"], trust.at("categories", i, "id")) for i, c in entries))


def _catalog(catalog) -> Iterator[Diagnostic]:
    if catalog.source is None:
        return
    doc = catalog.source
    pairs = ((r["id"], doc.at("requirements", i, "id")) for i, r in enumerate(doc.data["requirements"]))
    yield from _repeats("requirement", pairs)


def _repeats(what: str, pairs: Iterable[tuple[str, Location]]) -> Iterator[Diagnostic]:
    first: dict[str, Location] = {}
    for ident, where in sorted(pairs, key=lambda p: (p[1].path, p[1].line, p[1].col)):
        if ident in first:
            seen = first[ident]
            yield where.error(ID, f"duplicate {what} id {ident!r} (first defined at {seen.path}:{seen.line})")
        else:
            first[ident] = where
