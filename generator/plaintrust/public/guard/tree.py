"""The build's half of the guard: every file of the finished output, read after every plugin and hook.

Every file is read, whatever its name or place (see `extract`), except a file byte-identical to
the installed theme's own file of the same path (minified theme code only makes false alarms).
A symbolic link or special file in the output is a finding too: no build step of ours makes one.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from plaintrust.boundary.evidence import Copies, line_values
from plaintrust.boundary.extract import Memo, texts
from plaintrust.boundary.needles import Needles, Value, declared, internal_values
from plaintrust.boundary.sources import Screened
from plaintrust.model import Model


@dataclass(frozen=True)
class Leak:
    file: str  # relative to the site folder
    what: str  # which internal field, and whose
    value: str

    def __str__(self) -> str:
        shown = self.value if len(self.value) <= 60 else self.value[:57] + "..."
        return f"{self.file}: contains {self.what}: {shown!r}"


@dataclass
class Reused:
    """What one scan leaves for the next of the same session (the preview scans on every save).
    A file's findings depend on its name and bytes, the needles and the evidence copies alone: while
    the needles' and copies' inputs stay equal, a file with the same bytes is not read again."""

    inputs: tuple = ()
    needles: Needles | None = None
    known: dict = field(default_factory=dict)  # the Memo's results (by SHA-256 of what they came from)
    found: dict[tuple[str, bytes], list[Leak]] = field(default_factory=dict)  # (file, its SHA-256) -> leaks
    # The internal values `check` listed for the model of the next scan (see `after_check`): taken once.
    handed: tuple[Value, ...] | None = None

    def after_check(self, screened: Screened | None) -> Reused:
        """Told what `check`'s input screen derived from the model the next scan judges: its
        internal values, and the texts it read (a PDF's too: pypdf is not imported again)."""
        if screened is not None:
            self.handed = screened.values
            self.known = {**screened.known, **self.known}
        return self

    def prepared(self, model: Model, ordinary: Iterable[tuple[str, ...]], memo: Memo) -> tuple[Needles, Copies]:
        copies = Copies.of(model)
        handed, self.handed = self.handed, None
        values = list(handed) if handed is not None else [*internal_values(model), *line_values(model, memo)]
        exempt = {*ordinary, *declared(model)}
        inputs = (values, exempt, copies.by_size)
        if self.needles is None or inputs != self.inputs:
            self.inputs, self.needles, self.found = inputs, Needles(values, exempt=exempt), {}
        return self.needles, copies


def scan(
    site: Path,
    model: Model,
    ordinary: Iterable[tuple[str, ...]] = (),
    theme: Mapping[str, str] | None = None,
    reused: Reused | None = None,
) -> list[Leak]:
    """Every leak in the built site at `site`, by file; empty when it is clean.

    `ordinary`: phrases the public inputs contain (they pass); `theme`: output path -> the theme's
    own file it was copied from; `reused`: the last scan of the same session, updated for the next.
    """
    reused = reused or Reused()
    memo = Memo(reused.known)  # a PDF is read once, for its copies and for its text
    needles, copies = reused.prepared(model, ordinary, memo)
    leaks: list[Leak] = []
    found: dict[tuple[str, bytes], list[Leak]] = {}
    for rel, path in _entries(site, leaks):
        data = path.read_bytes()
        if theme and rel in theme and _same(data, theme[rel]):
            continue
        key = (rel, hashlib.sha256(data).digest())
        known = reused.found.get(key)
        found[key] = known if known is not None else _file_leaks(rel, data, needles, copies, memo)
        leaks += found[key]
    reused.known, reused.found = memo.used, found
    return leaks


def _file_leaks(rel: str, data: bytes, needles: Needles, copies: Copies, memo: Memo) -> list[Leak]:
    copied = [Leak(where, f"a copy of {label}", label) for where, label in copies.find(rel, data, memo)]
    return copied + _values(rel, data, needles, memo)


def scan_texts(named: Mapping[str, str], model: Model, ordinary: Iterable[tuple[str, ...]] = ()) -> list[Leak]:
    """Every internal value in output that never lands in the site folder (an email's subject and
    bodies), read as a file of the site is: `named` maps a name for the findings to its text."""
    memo = Memo()
    needles = _needles(model, ordinary, memo)
    return [leak for name, text in named.items() for leak in _values(name, text.encode("utf-8"), needles, memo)]


def _needles(model: Model, ordinary: Iterable[tuple[str, ...]], memo: Memo) -> Needles:
    return Needles([*internal_values(model), *line_values(model, memo)], exempt={*ordinary, *declared(model)})


def _values(rel: str, data: bytes, needles: Needles, memo: Memo) -> list[Leak]:
    seen: set = set()
    found = [Leak(rel, f"{hit.value.what} in its name", hit.value.value) for hit in needles.hits(rel)]
    for text in texts(rel, data, memo):
        if text.unread:
            found.append(Leak(text.where, "a part the guard could not read", text.unread))
        for hit in needles.hits(text.value):
            if hit.value not in seen:
                seen.add(hit.value)
                found.append(Leak(text.where, hit.value.what, hit.value.value))
    return found


def _entries(site: Path, leaks: list[Leak]) -> Iterator[tuple[str, Path]]:
    """Regular files under `site`, sorted; links and special files become findings."""
    for directory, subdirs, files in os.walk(site):
        subdirs.sort()
        for name in sorted(subdirs + files):
            path = Path(directory, name)
            rel = path.relative_to(site).as_posix()
            if path.is_symlink():
                leaks.append(Leak(rel, "a symbolic link", os.readlink(path)))
            elif name in files and path.is_file():
                yield rel, path
            elif name in files:
                leaks.append(Leak(rel, "a special file", rel))


def _same(data: bytes, theme_file: str) -> bool:
    try:
        with open(theme_file, "rb") as stream:
            return stream.read() == data
    except OSError:
        return False
