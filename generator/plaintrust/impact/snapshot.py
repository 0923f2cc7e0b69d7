"""One side of a comparison: a folder read through the pipeline, and its files as bytes.

A side is a temporary folder (`sides`) holding a commit's files, or the files of the working tree
git lists, copied. Either way `compare` never opens a file: it asks `Snapshot.read`, which refuses a
symbolic link anywhere on the way and anything outside the folder, so a watched path cannot make it
read what lies elsewhere.
"""

from __future__ import annotations

import datetime as dt
import os
import stat
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import BinaryIO

from plaintrust import pipeline
from plaintrust.impact.report import Side
from plaintrust.internal import history

MAX_BYTES = 8 * 1024 * 1024  # a watched file larger than this is compared by nothing but its presence
# Never part of a side, whatever the caller lists: git's own folder and Plaintrust's cache.
_SKIPPED = (".git", ".plaintrust-cache")
_CHUNK = 1024 * 1024  # bytes of a file held at once while the working tree is copied
_NO_FOLLOW = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)


@dataclass(frozen=True)
class Snapshot:
    side: Side
    root: Path  # the folder the side was read from
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
    """Every file and symbolic link under `root` (a link to a folder included, as git lists it)."""
    for folder, dirs, files in os.walk(root):
        base = Path(folder).relative_to(root).as_posix()
        links = [d for d in dirs if os.path.islink(os.path.join(folder, d))]
        dirs[:] = sorted(d for d in dirs if d not in _SKIPPED and d not in links)
        for name in (*files, *links):
            yield name if base == "." else f"{base}/{name}"


@contextmanager
def entry(root: Path, path: str) -> Iterator[tuple[str, Iterable[bytes]] | None]:
    """What `path` (from `root`) is, opened without following a link anywhere on the way: (FILE or
    EXECUTABLE, its bytes in chunks read from the open file) for a regular file, (LINK, its text)
    for a symbolic link (`internal.history` kinds); None for anything else, or when absent. The file
    stays open, and its chunks readable, inside the block alone."""
    with ExitStack() as stack:
        yield _entry(stack, root, path)


def _entry(stack: ExitStack, root: Path, path: str) -> tuple[str, Iterable[bytes]] | None:
    opened = _folder_of(root, path)
    if opened is None:
        return None
    fd, name = opened
    try:
        if stat.S_ISLNK(os.stat(name, dir_fd=fd, follow_symlinks=False).st_mode):
            return history.LINK, (os.fsencode(os.readlink(name, dir_fd=fd)),)
        handle = _opened(fd, name, None)
    except OSError:
        return None
    finally:
        os.close(fd)
    if handle is None:
        return None
    stack.enter_context(handle)
    kind = history.EXECUTABLE if os.fstat(handle.fileno()).st_mode & stat.S_IXUSR else history.FILE
    return kind, iter(lambda: handle.read(_CHUNK), b"")


def _read_inside(root: Path, path: str) -> bytes | None:
    """The regular file `path`, opened without following a link; None on any refusal."""
    opened = _folder_of(root, path)
    if opened is None:
        return None
    fd, name = opened
    try:
        return _file_at(fd, name, MAX_BYTES)
    except OSError:
        return None
    finally:
        os.close(fd)


def _folder_of(root: Path, path: str) -> tuple[int, str] | None:
    """The folder holding `path`, open (each folder on the way opened without following a link),
    and the file's own name; None on any refusal."""
    parts = path.split("/")
    if not path or any(p in ("", ".", "..") for p in parts):
        return None
    try:
        fd = os.open(root, os.O_RDONLY | getattr(os, "O_DIRECTORY", 0))
    except OSError:
        return None
    for part in parts[:-1]:
        try:
            next_fd = os.open(part, _NO_FOLLOW | getattr(os, "O_DIRECTORY", 0), dir_fd=fd)
        except OSError:
            os.close(fd)
            return None
        os.close(fd)
        fd = next_fd
    return fd, parts[-1]


def _file_at(folder: int, name: str, limit: int) -> bytes | None:
    """The bytes of the regular file `name` in the open `folder`; None when it is not one or is
    larger than `limit`. OSError when it cannot be opened."""
    handle = _opened(folder, name, limit)
    if handle is None:
        return None
    with handle:
        return handle.read(limit + 1)[:limit]


def _opened(folder: int, name: str, limit: int | None) -> BinaryIO | None:
    """The regular file `name` in the open `folder`, opened without following a link; None when it
    is not one (a link, a pipe, a device) or is larger than `limit`. OSError when it cannot be opened."""
    handle = os.fdopen(os.open(name, _NO_FOLLOW | getattr(os, "O_NONBLOCK", 0), dir_fd=folder), "rb")
    try:
        info = os.fstat(handle.fileno())
    except BaseException:
        handle.close()
        raise
    if stat.S_ISREG(info.st_mode) and (limit is None or info.st_size <= limit):
        return handle
    handle.close()
    return None
