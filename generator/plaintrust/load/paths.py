"""Files named by a record must stay inside their folder: no absolute paths, no '..', no symlinks out.

Also the stamp by which every cache tells that a file changed, and the folder the caches live in.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path, PurePosixPath

from plaintrust.core import FileFact, FileStatus

# Where the caches live (parsed documents, evidence hashes, the last build's fingerprint): they only
# save time, so the folder is safe to delete and never committed.
CACHE_FOLDER = ".plaintrust-cache"

Stamp = tuple[int, int, int, int]  # size, mtime_ns, ctime_ns, inode


def stamp_of(info: os.stat_result) -> Stamp:
    """What tells a cache that a file changed. mtime can be set back by anyone (`touch -d`); ctime
    and inode cannot, so a file edited and given its old mtime still has a new stamp."""
    return info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino


def stamp(path: Path | str) -> Stamp | None:
    """The stamp of the file at `path`; None when there is nothing to stat."""
    try:
        return stamp_of(os.stat(path))
    except OSError:
        return None


def inspect(folder: Path, written: str) -> FileFact:
    """Classify `written` (a path relative to `folder`) without following it out of `folder`."""
    refused = _refuse_by_form(written)
    if refused:
        return FileFact(written, refused)
    base = folder.resolve()
    target = (folder / written).resolve()
    if target != base and base not in target.parents:
        return FileFact(written, FileStatus.SYMLINK_ESCAPES)
    try:
        info = os.stat(target)
    except OSError:
        return FileFact(written, FileStatus.MISSING)
    if not stat.S_ISREG(info.st_mode):
        return FileFact(written, FileStatus.NOT_A_FILE)
    return FileFact(written, FileStatus.OK, info.st_size, info.st_mtime_ns, target)


class FolderIndex:
    """Every regular file under a folder reached without a symbolic link, from one directory walk.

    Checking 10,000 evidence paths one `resolve()` at a time costs a system call per path
    component; one walk answers the common case (a plain file, no link on the way) from memory, and
    anything else falls back to `inspect`, which tells missing from linked from escaping.
    """

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.base = folder.resolve()
        self.files: dict[str, os.DirEntry] = {}  # stat() is called (and cached) only on entries asked for
        self._walk(folder, "")

    def _walk(self, directory: Path, prefix: str) -> None:
        try:
            entries = list(os.scandir(directory))
        except OSError:
            return
        for entry in entries:
            if entry.is_symlink():
                continue
            if entry.is_dir(follow_symlinks=False):
                self._walk(Path(entry.path), f"{prefix}{entry.name}/")
            elif entry.is_file(follow_symlinks=False):
                self.files[prefix + entry.name] = entry

    def fact(self, written: str) -> FileFact:
        # A key is built from real entry names joined by '/', so a path equal to one has no '',
        # '.' or '..' part; only a backslash (legal in a Linux name) must still be refused.
        entry = None if "\\" in written else self.files.get(written)
        if entry is not None:
            info = entry.stat(follow_symlinks=False)
            return FileFact(written, FileStatus.OK, info.st_size, info.st_mtime_ns, self.base / written, stamp_of(info))
        return inspect(self.folder, written)


def _refuse_by_form(written: str) -> FileStatus | None:
    if "\\" in written:
        return FileStatus.BACKSLASH
    pure = PurePosixPath(written)
    if pure.is_absolute() or (len(written) > 1 and written[1] == ":"):
        return FileStatus.ABSOLUTE
    depth = 0
    for part in pure.parts:
        depth += -1 if part == ".." else (0 if part == "." else 1)
        if depth < 0:
            return FileStatus.ESCAPES
    return None
