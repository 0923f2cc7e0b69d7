"""The plain value types the loader makes and the model keeps: a parsed file that knows where each
of its values was written (`Document`), what the file system says about a path (`FileFact`), and a
`##` section of a notice (`Section`).

They sit below both `load/` and `model.py`, so the model never imports the loader. Nothing here
reads a file: a document's positions may be read lazily, but by the loader that made it.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from plaintrust.diagnostics import Location

Key = tuple[Any, ...]


@dataclass(frozen=True)
class Document:
    """A parsed file: its data and the 1-based position of every value and mapping key."""

    path: str
    data: Any
    positions: Mapping[Key, tuple[int, int]] = field(repr=False)
    key_positions: Mapping[Key, tuple[int, int]] = field(repr=False)

    def at(self, *keys: Any) -> Location:
        """Position of the value at `keys`, or of its nearest enclosing value."""
        return self._nearest(self.positions, keys)

    def key_at(self, *keys: Any) -> Location:
        """Position of the mapping key naming `keys` (falls back to the value)."""
        if keys in self.key_positions:
            return Location(self.path, *self.key_positions[keys])
        return self.at(*keys)

    def _nearest(self, table: Mapping[Key, tuple[int, int]], keys: Key) -> Location:
        for end in range(len(keys), -1, -1):
            if keys[:end] in table:
                return Location(self.path, *table[keys[:end]])
        return Location(self.path)


class FileStatus(str, enum.Enum):
    OK = "ok"
    MISSING = "missing"
    NOT_A_FILE = "not-a-file"
    ABSOLUTE = "absolute"
    ESCAPES = "escapes"  # '..' leads out of the folder
    SYMLINK_ESCAPES = "symlink-escapes"  # a symlink on the way leads out of the folder
    BACKSLASH = "backslash"
    UNREADABLE = "unreadable"  # a regular file whose bytes could not be read for hashing


@dataclass(frozen=True)
class FileFact:
    """What the file system says about one path as written in a record."""

    written: str
    status: FileStatus
    size: int = 0
    mtime_ns: int = 0
    resolved: Path | None = None  # set only when the file is OK
    stamp: tuple[int, int, int, int] | None = None  # size, mtime, ctime, inode: the stat cache's key
    sha256: str | None = None  # the bytes' actual hash, once evidence/hashing.py has read them


@dataclass(frozen=True)
class Section:
    """One `##` section of a notice's Markdown body."""

    title: str  # as written
    key: str  # normalised, for matching
    lines: tuple[str, ...]  # the Markdown under the heading, line by line
    line: int  # 1-based line of the heading in the file

    @property
    def text(self) -> str:
        return "\n".join(self.lines).strip()


@dataclass(frozen=True)
class PageTitle:
    """The `title` in the front matter of a page of yours under site/, typed as MkDocs reads it."""

    page: str  # relative to site/
    value: object  # text; or what `check` refuses (page-title): a list, a mapping, a number, a date, nothing
    where: Location  # of the value
