"""Evidence files on the public side: byte copies (also inside archives) and near-copies.

A copy is found by its SHA-256, which `check` has already computed for every evidence file. A
near-copy (one byte changed, a few lines cut out, the text re-encoded into a PDF or a zip) is found
by its lines: every line of a text evidence file (or of a PDF's text) with at least five words and
24 letters or digits is a value the public side must never hold. Only the first MiB of each
evidence file gives lines (of a PDF, up to 64 MiB); binary evidence (images) is found only as a
byte copy.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from plaintrust.boundary.extract import Memo, leaves, texts
from plaintrust.boundary.needles import Value, words
from plaintrust.model import Model

LINE_WORDS = 5
LINE_CHARACTERS = 24
READ_LIMIT = 1 << 20
PDF_LIMIT = 64 << 20


@dataclass(frozen=True)
class Copies:
    """Evidence files by size and hash: only a file of the same size is worth hashing."""

    by_size: dict[int, dict[str, str]]  # size -> sha256 -> "evidence/<path>"

    @classmethod
    def of(cls, model: Model) -> Copies:
        table: dict[int, dict[str, str]] = {}
        for record in model.evidence:
            for f in record.files:
                if f.fact.size and f.fact.sha256:
                    table.setdefault(f.fact.size, {})[f.fact.sha256] = f"evidence/{f.path}"
        return cls(table)

    def find(self, name: str, data: bytes, memo: Memo | None = None) -> Iterator[tuple[str, str]]:
        """(where, evidence file) for the file and every archive member that is a byte copy."""
        for leaf in leaves(name, data, memo):
            candidates = self.by_size.get(len(leaf.data))
            if candidates:
                label = candidates.get(hashlib.sha256(leaf.data).hexdigest())
                if label:
                    yield leaf.where, label


def line_values(model: Model, memo: Memo | None = None) -> Iterator[Value]:
    """The long lines of every text evidence file, each a value never to publish."""
    memo = memo or Memo()
    seen: set[str] = set()
    for record in model.evidence:
        for f in record.files:
            label = f"evidence/{f.path}"
            if f.fact.resolved is None or not f.fact.sha256 or label in seen:
                continue
            seen.add(label)
            lines = functools.partial(_long_lines, f.fact.resolved, memo)
            # not the "lines" of older caches: those counted ASCII words only, and missed other scripts
            for line in memo.get("long-lines", f.fact.sha256, lines, _are_lines):
                yield Value(line, "line", "a line", f"{label} (evidence record {record.id})")


def _are_lines(value: object) -> bool:
    return isinstance(value, list) and all(isinstance(line, str) for line in value)


def _long_lines(path: Path, memo: Memo) -> list[str]:
    """Lines of what the file says in words: its text, or a PDF's text; never a binary file's byte runs."""
    try:
        with open(path, "rb") as stream:
            head = stream.read(5)
            data = head + stream.read(PDF_LIMIT if head == b"%PDF-" else READ_LIMIT)  # a PDF is read whole
    except OSError:
        return []
    lines: dict[str, None] = {}
    for text in texts(path.name, data, memo):
        if text.binary:
            continue
        for line in text.value.splitlines():
            found = words(line)  # of any script, as the guard reads them
            if len(found) >= LINE_WORDS and sum(map(len, found)) >= LINE_CHARACTERS:
                lines[line.strip()] = None
    return list(lines)
