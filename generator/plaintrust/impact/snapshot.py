"""One side of a comparison: a folder read through the pipeline, and its files as bytes.

A side is the working tree itself, or a commit extracted into a temporary folder (`refs`). Either
way `compare` never opens a file: it asks `Snapshot.read`, which refuses a symbolic link anywhere on
the way and anything outside the folder, so a watched path cannot make it read what lies elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from plaintrust import pipeline
from plaintrust.impact.report import Side

MAX_BYTES = 8 * 1024 * 1024  # a watched file larger than this is compared by nothing but its presence
# Never part of a side, whatever the caller lists: git's own folder and Plaintrust's cache.
_SKIPPED = (".git", ".plaintrust-cache")


@dataclass(frozen=True)
class Snapshot:
    side: Side
    root: Path
    result: pipeline.Result
    paths: tuple[str, ...]  # every file of the side, from the root, sorted (for the watches' globs)
    _read: dict[str, bytes | None] = field(default_factory=dict, repr=False, compare=False)

    def read(self, path: str) -> bytes | None:
        """The bytes of `path` (from the root) at this side; None when absent, not a regular file,
        reached through a symbolic link, or larger than MAX_BYTES."""
        if path not in self._read:
            self._read[path] = _read_inside(self.root, path) if path in self.paths else None
        return self._read[path]


def take(root: Path, side: Side, today: dt.date, paths: Iterable[str] | None = None) -> Snapshot:
    """The side at `root`, judged on `today`. `paths`: the files that make it (the working tree's
    tracked and untracked-but-not-ignored files); None: every file under `root`."""
    result = pipeline.run(root, today=today, cache=False)
    listed = tuple(sorted(p for p in (paths if paths is not None else _walk(root)) if _kept(p)))
    return Snapshot(side, root, result, listed)


def _kept(path: str) -> bool:
    return path.split("/", 1)[0] not in _SKIPPED


def _walk(root: Path) -> Iterable[str]:
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED)
        base = Path(folder).relative_to(root).as_posix()
        for name in files:
            yield name if base == "." else f"{base}/{name}"


def _read_inside(root: Path, path: str) -> bytes | None:
    """Open each folder of `path` without following links, then the file; None on any refusal."""
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") for p in parts):
        return None
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    try:
        for part in parts[:-1]:
            next_fd = os.open(part, flags | getattr(os, "O_DIRECTORY", 0), dir_fd=fd)
            os.close(fd)
            fd = next_fd
        file_fd = os.open(parts[-1], flags | getattr(os, "O_NONBLOCK", 0), dir_fd=fd)
    except OSError:
        os.close(fd)
        return None
    os.close(fd)
    with os.fdopen(file_fd, "rb") as handle:
        info = os.fstat(handle.fileno())
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        return handle.read(MAX_BYTES + 1)[:MAX_BYTES]
