"""`plaintrust evidence verify`: rehash every file, recompute the ledger chain, name every problem.

Unlike `check`, nothing is taken from the stat cache, and every finding counts, warnings included:
a tampered, missing, unpinned or unnamed file, a file path that leaves evidence/, a broken chain,
and a pinned hash that is not the ledger's last word on its file.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from plaintrust import rules
from plaintrust.diagnostics import Diagnostic, Location, finalize
from plaintrust.evidence import ledger
from plaintrust.load.discovery import YAML_SUFFIXES
from plaintrust.model import Model
from plaintrust.pipeline import Result
from plaintrust.rules import (
    evidence_file_missing,
    evidence_path_outside,
    evidence_tampered,
    evidence_unpinned,
    site_plugin,
)

INTEGRITY = frozenset({evidence_file_missing.ID, evidence_path_outside.ID, evidence_tampered.ID, evidence_unpinned.ID})


@dataclass(frozen=True)
class Report:
    diagnostics: tuple[Diagnostic, ...]
    files: int  # files hashed
    entries: int  # ledger lines read


def verify(root: Path, result: Result) -> Report:
    """`result` must come from `pipeline.run(root, rehash=True)`."""
    problems = [d for d in result.diagnostics if _relevant(d)]
    problems.extend(site_plugin.not_a_repository(result.model))  # else an empty folder would verify clean
    book, trouble = ledger.load(root)
    problems.extend(trouble)
    if book is not None:
        problems.extend(ledger.chain_problems(book))
        problems.extend(cross_check(result.model, book))
    problems.extend(unnamed_files(root, result.model))
    hashed = {f.fact.resolved for r in result.model.evidence for f in r.files if f.fact.sha256}
    return Report(tuple(finalize(problems)), len(hashed), len(book.lines) if book else 0)


def _relevant(d: Diagnostic) -> bool:
    """Integrity findings, and evidence records that do not load (their files cannot be verified)."""
    return d.rule in INTEGRITY or (d.path.startswith("evidence/") and d.rule in rules.READING)


def cross_check(model: Model, book: ledger.Ledger) -> Iterator[Diagnostic]:
    """Each pinned hash must be the last one the ledger records for its record and file.

    This is what catches a removed or edited last line, which no later line links to.
    """
    pinned = [(r, i, f) for r in model.evidence for i, f in enumerate(r.files) if f.sha256]
    if pinned and not book.exists:
        yield Location(ledger.PATH).error(
            ledger.FILE,
            f"{ledger.PATH} does not exist, but records hold pinned hashes",
            "restore it from git history; `plaintrust evidence pin` starts a new one",
        )
        return
    latest = book.latest()
    for record, index, item in pinned:
        line = latest.get((record.id, posixpath.normpath(item.path)))
        where = record.source.at("files", index, "sha256")
        if line is None or line.entry is None:
            yield where.error(
                "ledger-mismatch",
                f"the ledger has no entry for evidence/{item.path} of record {record.id}: "
                "the pin was never recorded, or its entry was removed",
            )
        elif line.entry.sha256 != item.sha256:
            yield where.error(
                "ledger-mismatch",
                f"the ledger's last entry for evidence/{item.path} (line {line.number}) records "
                f"{line.entry.sha256}, the record pins {item.sha256}",
            )


def unnamed_files(root: Path, model: Model) -> Iterator[Diagnostic]:
    """Files under evidence/ that no record names: nothing pins them."""
    folder = root / "evidence"
    named = {posixpath.normpath(f.path) for r in model.evidence for f in r.files}
    resolved = {f.fact.resolved for r in model.evidence for f in r.files if f.fact.resolved}
    for rel in _walk(folder):
        if rel == ledger.REL or rel in named or rel.endswith(YAML_SUFFIXES):
            continue  # YAML files are records; one that does not load is reported as such
        target = (folder / rel).resolve()
        inside = folder.resolve() in target.parents
        if target in resolved or (inside and target.is_dir()):
            continue  # another name for a named file, or a link to a folder that is walked anyway
        why = "no record names it, so nothing pins it" if inside else "a symbolic link that leads out of evidence/"
        yield Location(f"evidence/{rel}").warning(
            "evidence-orphan",
            f"evidence/{rel}: {why}",
            "name it in a record and pin it, or remove it" if inside else "remove the link",
        )


def _walk(folder: Path) -> Iterable[str]:
    """Every non-hidden entry that is not a real directory (links to folders included), sorted."""
    found: list[str] = []
    for directory, subdirs, files in os.walk(folder):
        links = [d for d in subdirs if os.path.islink(os.path.join(directory, d))]
        subdirs[:] = [d for d in subdirs if not d.startswith(".") and d not in links]
        rel = Path(directory).relative_to(folder).as_posix()
        prefix = "" if rel == "." else f"{rel}/"
        found.extend(f"{prefix}{name}" for name in [*files, *links] if not name.startswith("."))
    return sorted(found)
