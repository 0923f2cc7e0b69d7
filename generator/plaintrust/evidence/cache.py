"""A small stat cache for `check` and `build`: unchanged evidence files are not rehashed on every run.

`.plaintrust-cache/sha256.json` maps a file to its size, mtime, ctime and inode when it was hashed,
and the hash. Any difference means a rehash. ctime and inode are in the key because mtime can be set
back by anyone (`touch -d`), while ctime cannot: a file edited and given its old mtime is still
rehashed. A file modified within the last two seconds is not cached, since a second write within
the file system's timestamp granularity could leave every stamp unchanged.

The folder is safe to delete. A missing, corrupt or unwritable cache means recomputing, never an
error and never a different result. `plaintrust evidence verify` and `pin` never use it.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import time
from pathlib import Path

from plaintrust.load.paths import CACHE_FOLDER, Stamp, stamp
from plaintrust.output import write_file

NAME = "sha256.json"
VERSION = 1
RACY_NS = 2_000_000_000
_HEX = re.compile(r"[0-9a-f]{64}")


class StatCache:
    def __init__(self, root: Path) -> None:
        self.root = root
        self.root_text = str(root.resolve())
        self.file = root / CACHE_FOLDER / NAME
        self.entries = _load(self.file)
        self.used: dict[str, list] = {}
        self.changed = False

    def key(self, path: Path) -> str:
        # String slicing, not Path.relative_to: this runs once per evidence file on every check.
        text, root = str(path), self.root_text
        return text[len(root) + 1 :] if text.startswith(root + os.sep) else text

    def get(self, path: Path, current: Stamp | None = None) -> str | None:
        """The cached hash when the file's stamp (taken now, unless the caller has one) is unchanged."""
        key = self.key(path)
        entry = self.entries.get(key)
        if type(entry) is not list or len(entry) != 5:
            return None
        current = current or stamp(path)
        if current is None:
            return None
        # A stamp of the wrong types simply never equals a real one; the hash must be a real hash.
        if tuple(entry[:4]) != current or not _is_sha256(entry[4]):
            return None
        self.used[key] = entry
        return entry[4]

    def put(self, path: Path, before: Stamp, sha256: str) -> None:
        after = stamp(path)
        if after is None or after != before or time.time_ns() - after[1] < RACY_NS:
            return  # changed while hashed, or too recent to trust its timestamps
        self.used[self.key(path)] = [*after, sha256]
        self.changed = True

    def save(self) -> None:
        """Keeps only the files of this run; skipped when nothing was added or dropped."""
        if not self.changed and len(self.used) == len(self.entries):
            return
        payload = json.dumps({"version": VERSION, "files": self.used}, sort_keys=True)
        # Two checks at once may both write: each writes a whole file, the last one wins. A
        # read-only checkout still checks, only slower.
        with contextlib.suppress(OSError):
            write_file(self.file, payload.encode("utf-8"), durable=False, private=True)


def _load(file: Path) -> dict[str, list]:
    try:
        data = json.loads(file.read_bytes())
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("version") != VERSION or not isinstance(data.get("files"), dict):
        return {}
    return data["files"]


def _is_sha256(value: object) -> bool:
    return type(value) is str and _HEX.fullmatch(value) is not None
