"""One YAML file, parsed and schema-checked: the unit that is cached and spread over processes.

A `Checked` carries the file's data and every diagnostic found while reading it, but not the
position of every value: positions are needed only to report a problem, so a document rebuilt from
the cache (or from a worker process) re-reads its file the first time a rule asks where a value is.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaintrust.core import Document, Key
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load.paths import Stamp, stamp
from plaintrust.load.yamlfile import parse_bytes
from plaintrust.schemas import messages

# A file that does not parse may still name its id on a line of its own: salvaged, so references
# to it are not reported as unknown on top of the file's own error.
_ID_LINE = re.compile(rb"(?m)^id:[ \t]*[\"']?([A-Za-z0-9][A-Za-z0-9._-]{0,63})")


@dataclass(frozen=True)
class Checked:
    rel: str
    kind: str
    stamp: Stamp | None
    data: Any  # None when the file could not be parsed
    diagnostics: tuple[Diagnostic, ...]
    schema_ok: bool
    salvaged_id: str | None = None


def check_file(root: Path, rel: str, kind: str) -> tuple[Checked, Document | None]:
    """Read, parse and schema-check one file; the Document (with positions) when it parsed."""
    before = stamp(root / rel)
    try:
        raw = (root / rel).read_bytes()
    except OSError as exc:
        problem = Location(rel).error("io", f"cannot read the file: {exc.strerror}")
        return Checked(rel, kind, None, None, (problem,), False), None
    parsed = parse_bytes(rel, raw)
    if parsed.document is None:
        salvaged = _ID_LINE.search(raw)
        return Checked(
            rel, kind, before, None, parsed.diagnostics, False, salvaged.group(1).decode() if salvaged else None
        ), None
    found = tuple(messages.check(parsed.document, kind))
    checked = Checked(rel, kind, before, parsed.document.data, (*parsed.diagnostics, *found), not found)
    return checked, parsed.document


def check_files(root: Path, jobs: list[tuple[str, str]]) -> list[Checked]:
    """For worker processes: only the picklable part travels back."""
    return [check_file(root, rel, kind)[0] for rel, kind in jobs]


def lazy_document(root: Path, checked: Checked) -> Document:
    """A document whose positions are read from its file only if someone asks for one."""
    loader = _Reparse(root, checked.rel)
    return Document(checked.rel, checked.data, loader.positions, loader.key_positions)


class _Reparse:
    __slots__ = ("key_positions", "positions", "rel", "root", "tables")

    def __init__(self, root: Path, rel: str) -> None:
        self.root, self.rel = root, rel
        self.tables: dict[str, Mapping[Key, tuple[int, int]]] | None = None
        self.positions, self.key_positions = _Lazy(self, "positions"), _Lazy(self, "key_positions")

    def table(self, name: str) -> Mapping[Key, tuple[int, int]]:
        if self.tables is None:
            try:
                document = parse_bytes(self.rel, (self.root / self.rel).read_bytes()).document
            except OSError:
                document = None
            self.tables = {
                "positions": document.positions if document else {},
                "key_positions": document.key_positions if document else {},
            }
        return self.tables[name]


class _Lazy(Mapping):
    __slots__ = ("loader", "name")

    def __init__(self, loader: _Reparse, name: str) -> None:
        self.loader, self.name = loader, name

    def __getitem__(self, key: Key) -> tuple[int, int]:
        return self.loader.table(self.name)[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.loader.table(self.name))

    def __len__(self) -> int:
        return len(self.loader.table(self.name))

    def __contains__(self, key: object) -> bool:
        return key in self.loader.table(self.name)
