"""`.plaintrust-cache/documents/`: parsed and schema-checked files, by path and stamp.

A file whose size, mtime, ctime and inode are unchanged is not read again. The cache is tied to
this version of Plaintrust and to the exact schemas: any difference, a corrupt file or a missing
one means starting empty. It is safe to delete and never changes a result.

It is JSON, never pickle: the folder sits in the working tree, where anyone could commit a file,
and unpickling runs code.
"""

from __future__ import annotations

import hashlib
import json
import time
import zlib
from functools import cache
from pathlib import Path
from typing import Any

from plaintrust import __version__, schemas
from plaintrust.diagnostics import Diagnostic, Severity
from plaintrust.load.checked import Checked
from plaintrust.load.paths import CACHE_FOLDER, Stamp
from plaintrust.output import write_file

RACY_NS = 2_000_000_000


@cache
def _signature() -> str:
    """The tool's version and the bytes of every schema: what a cached verdict depends on."""
    digest = hashlib.sha256(__version__.encode())
    folder = Path(schemas.__file__).parent  # importlib.resources would cost every run a few milliseconds
    for item in sorted(folder.iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()


SHARDS = 32


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode()) % SHARDS


class DocumentCache:
    """Entries are spread over 32 shard files, so editing one file rewrites a thirty-second of it."""

    def __init__(self, root: Path) -> None:
        self.folder = root / CACHE_FOLDER / "documents"
        self.entries: dict[str, Checked] = {}
        self.extras: dict[str, dict] = {}
        self.dirty: set[int] = set()
        for shard in range(SHARDS):
            self.entries.update(self._load(shard))
        self.extras = self._load_extras()

    def _read(self, name: str) -> Any:
        try:
            payload = json.loads((self.folder / name).read_bytes())
        except (OSError, ValueError):
            return None
        if not isinstance(payload, dict) or payload.get("signature") != _signature():
            return None
        return payload.get("entries")

    def _load(self, shard: int) -> dict[str, Checked]:
        payload = self._read(f"{shard:02d}.json")
        entries = {}
        for rel, row in payload.items() if isinstance(payload, dict) else ():
            checked = _from_row(rel, row)
            if checked is not None:
                entries[rel] = checked
        return entries

    def _load_extras(self) -> dict[str, dict]:
        payload = self._read("extras.json")
        return payload if isinstance(payload, dict) else {}

    def extra(self, name: str) -> dict:
        """A small table kept beside the documents (e.g. readability scores by text)."""
        value = self.extras.get(name)
        return dict(value) if isinstance(value, dict) else {}

    def set_extra(self, name: str, value: dict) -> None:
        if self.extras.get(name) != value:
            self.extras[name] = value
            self.dirty.add(-1)

    def get(self, rel: str, kind: str, current: Stamp | None) -> Checked | None:
        entry = self.entries.get(rel)
        if entry is None or current is None or entry.stamp != current or entry.kind != kind:
            return None
        return entry

    def put(self, checked: Checked) -> None:
        """Files written in the last two seconds are not kept: a second write within the file
        system's timestamp granularity could leave every stamp unchanged."""
        if checked.stamp is not None and time.time_ns() - checked.stamp[1] > RACY_NS:
            self.entries[checked.rel] = checked
            self.dirty.add(_shard(checked.rel))

    def save(self) -> None:
        """Rewrites only the shards that gained or changed an entry; stale entries are harmless."""
        try:
            self.folder.mkdir(parents=True, exist_ok=True)
            if -1 in self.dirty:
                self._write("extras.json", self.extras)
            rows: dict[int, dict[str, list]] = {shard: {} for shard in self.dirty if shard >= 0}
            for rel, checked in self.entries.items():  # one pass, not one per shard
                row = rows.get(_shard(rel))
                if row is not None:
                    row[rel] = _to_row(checked)
            for shard, entries in sorted(rows.items()):
                self._write(f"{shard:02d}.json", entries)
            self.dirty.clear()  # a cache kept in memory (the preview's) saves only what changed since
        except OSError:
            pass  # a read-only checkout simply runs without a cache

    def _write(self, name: str, entries: Any) -> None:
        # dumps then one write: json.dump's many small writes take three times as long here
        text = json.dumps({"signature": _signature(), "entries": entries}, ensure_ascii=False, separators=(",", ":"))
        write_file(self.folder / name, text.encode("utf-8"), durable=False, private=True)


def _to_row(checked: Checked) -> list:
    diagnostics = [[d.path, d.line, d.col, d.severity.value, d.rule, d.message, d.hint] for d in checked.diagnostics]
    return [checked.kind, list(checked.stamp or ()), checked.data, diagnostics, checked.schema_ok, checked.salvaged_id]


def _from_row(rel: str, row: Any) -> Checked | None:
    """A cache row back into a Checked; None for anything that does not have the expected shape."""
    try:
        kind, stamp, data, diagnostics, schema_ok, salvaged = row
        found = (
            tuple(Diagnostic(p, ln, c, Severity(s), r, m, h) for p, ln, c, s, r, m, h in diagnostics)
            if diagnostics
            else ()
        )
        # A stamp of anything but the four integers never equals a file's real one: no need to check them.
        return Checked(rel, str(kind), tuple(stamp), data, found, bool(schema_ok), salvaged)
    except (TypeError, ValueError):
        return None
