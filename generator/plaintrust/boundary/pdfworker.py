"""Reading the published PDFs in a forked worker while the rest of the repository loads.

A cold `check` spends a fifth of a second on PDFs: importing pypdf, then reading each one. None of
it depends on the YAML, so a worker does it meanwhile, and the leak guard finds the results in its
`Memo` exactly as if it had read them itself (by the SHA-256 of the bytes: a PDF changed since, or
one the worker could not read, is read where it is needed, as before). Only where
`parallel.in_worker` says forking is safe; elsewhere nothing changes.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from plaintrust.boundary.extract import Memo, is_pdf_reading, read_pdf
from plaintrust.load.parallel import in_worker

PDF_MAGIC = b"%PDF-"


def start(root: Path, rels: Iterable[str], memo: Memo) -> None:
    """Read in a worker the PDFs among `rels` (relative to `root`) that `memo` does not know yet."""
    unknown: dict[str, bytes] = {}
    for rel in rels:
        data = _pdf_bytes(root / rel) if rel.lower().endswith(".pdf") else None
        key = Memo.key("pdf", data) if data else ""
        if data and not is_pdf_reading(memo.known.get(key)):
            unknown[key] = data
    waiting = in_worker(lambda: {key: read_pdf(data) for key, data in unknown.items()}) if unknown else None
    if waiting is not None:
        memo.pending = lambda: _readings(waiting())


def _pdf_bytes(path: Path) -> bytes | None:
    try:
        data = path.read_bytes()
    except OSError:  # reported by the guard when it reads the file itself
        return None
    return data if data.startswith(PDF_MAGIC) else None


def _readings(found: object) -> dict:
    """What the worker read, as the memo keeps it (nothing that is not a PDF reading)."""
    if not isinstance(found, dict):
        return {}
    return {key: value for key, value in found.items() if is_pdf_reading(value)}
