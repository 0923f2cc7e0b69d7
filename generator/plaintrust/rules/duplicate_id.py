"""Two controls, evidence records, policies, answers, frameworks, categories or catalog requirements have the same id.

Ids must be unique among the controls under controls/, the evidence records under evidence/, the
policies under policies/, the answers under answers/, the `frameworks` of controls/program.yaml,
the `categories` of site/trust.yaml and the requirements of a custom catalog. Each kind has its own
ids: a policy may share its id with a control, an answer with either. Every definition after the
first (by file path, then line) is reported, naming where the first is.

References to the id (a control's `evidence`, a public `category`, a `satisfies` key) would
otherwise silently resolve to whichever file happened to load first.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, rename one of the two and update whatever refers to it.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Iterator

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Catalog, Model

ID = "duplicate-id"
READS_FILES = False

# (id, document, keys of the id): the position is asked for only when the id repeats, because
# finding it may mean reading the file again (documents from the cache carry no positions).
Use = tuple[str, Document, tuple]


def check(model: Model) -> Iterator[Diagnostic]:
    yield from _repeats("control", ((c.id, c.source, ("id",)) for c in model.controls))
    yield from _repeats("evidence record", ((e.id, e.source, ("id",)) for e in model.evidence))
    yield from _repeats("policy", ((p.id, p.source, ("id",)) for p in model.policies))
    yield from _repeats("answer", ((a.id, a.source, ("id",)) for a in model.answers))
    if model.program:
        program = model.program.source
        entries = enumerate(program.data["frameworks"])
        yield from _repeats("framework", ((f["id"], program, ("frameworks", i, "id")) for i, f in entries))
        for framework in model.program.frameworks:
            yield from _catalog(framework.catalog)
    if model.trust:
        trust = model.trust.source
        entries = enumerate(trust.data["categories"])
        yield from _repeats("category", ((c["id"], trust, ("categories", i, "id")) for i, c in entries))


def _catalog(catalog: Catalog) -> Iterator[Diagnostic]:
    if catalog.source is None:
        return
    doc = catalog.source
    uses = ((r["id"], doc, ("requirements", i, "id")) for i, r in enumerate(doc.data["requirements"]))
    yield from _repeats("requirement", uses)


def _repeats(what: str, uses: Iterable[Use]) -> Iterator[Diagnostic]:
    uses = list(uses)
    counts = Counter(use[0] for use in uses)
    by_id: dict[str, list[Use]] = {}
    for use in uses:
        if counts[use[0]] > 1:
            by_id.setdefault(use[0], []).append(use)
    for ident, same in by_id.items():
        located = sorted((document.at(*keys) for _, document, keys in same), key=lambda w: (w.path, w.line, w.col))
        first = located[0]
        for where in located[1:]:
            yield where.error(ID, f"duplicate {what} id {ident!r} (first defined at {first.path}:{first.line})")
