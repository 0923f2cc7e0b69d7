"""`.plaintrust-cache/documents/`: parsed and schema-checked files, by path and stamp.

A file whose size, mtime, ctime and inode are unchanged is not read again. The cache is tied to
this version of Plaintrust and to the exact schemas: any difference, a corrupt file or a missing
one means starting empty. It is safe to delete and never changes a result.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import tempfile
import time
import zlib
from dataclasses import fields
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from plaintrust import __version__
from plaintrust.load.checked import Checked, Stamp

FOLDER = ".plaintrust-cache"
RACY_NS = 2_000_000_000


@cache
def _signature() -> str:
    """The tool's version and the bytes of every schema: what a cached verdict depends on."""
    digest = hashlib.sha256(__version__.encode())
    for item in sorted(resources.files("plaintrust.schemas").iterdir(), key=lambda p: p.name):
        if item.name.endswith(".json"):
            digest.update(item.name.encode() + item.read_bytes())
    return digest.hexdigest()


_FIELDS = tuple(f.name for f in fields(Checked))[1:]  # all but `rel`, the key
SHARDS = 32


def _shard(rel: str) -> int:
    return zlib.crc32(rel.encode()) % SHARDS


class DocumentCache:
    """Entries are spread over 32 shard files, so editing one file rewrites a thirty-second of it."""

    def __init__(self, root: Path) -> None:
        self.folder = root / FOLDER / "documents"
        self.entries: dict[str, Checked] = {}
        self.extras: dict[str, dict] = {}
        self.dirty: set[int] = set()
        for shard in range(SHARDS):
            self.entries.update(self._load(shard))
        self.extras = self._load_extras()

    def _read(self, name: str) -> Any:
        try:
            with open(self.folder / name, "rb") as stream:
                signature, payload = pickle.load(stream)
        except Exception:  # noqa: BLE001 - any unreadable cache is simply no cache
            return None
        return payload if signature == _signature() else None

    def _load(self, shard: int) -> dict[str, Checked]:
        payload = self._read(f"{shard:02d}.pickle")
        if not isinstance(payload, dict):
            return {}
        return {rel: Checked(rel, *values) for rel, values in payload.items()}

    def _load_extras(self) -> dict[str, dict]:
        payload = self._read("extras.pickle")
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
            for shard in sorted(self.dirty):
                if shard < 0:
                    self._write("extras.pickle", self.extras)
                    continue
                rows = {rel: tuple(getattr(c, f) for f in _FIELDS)
                        for rel, c in self.entries.items() if _shard(rel) == shard}
                self._write(f"{shard:02d}.pickle", rows)
        except OSError:
            pass  # a read-only checkout simply runs without a cache

    def _write(self, name: str, payload: Any) -> None:
        handle, temporary = tempfile.mkstemp(dir=self.folder, prefix=f".{name}.")
        with os.fdopen(handle, "wb") as stream:
            pickle.dump((_signature(), payload), stream, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(temporary, self.folder / name)
