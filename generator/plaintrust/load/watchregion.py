"""A watch's spec, and the region of a file it watches: lines `L10-L40` or `plaintrust:` markers.

`watch` reads a `watches` entry (a pattern, then `#L10-L40` or `#NAME`), `static_problem` says what
is wrong with one whatever the repository holds, and `region` cuts the watched lines out of a
file's text, counting lines as git does. `check` (through `watch_history`, which walks a region's
revisions) and `plaintrust impact` share them.
"""

from __future__ import annotations

import re

from plaintrust.load.watchglob import is_glob
from plaintrust.model import Watch

_NAME_END = re.compile(r"[^A-Za-z0-9._-]|$")
_LINES = re.compile(r"L([1-9][0-9]*)-L([1-9][0-9]*)")


def watch(spec: str, index: int = 0) -> Watch:
    """One `watches` entry as the schema lets it through: the pattern before the first `#`, then a
    line range (`L10-L40`) or else a marker's name."""
    pattern, _, fragment = spec.partition("#")
    lines = _LINES.fullmatch(fragment)
    if lines is not None:
        return Watch(spec, pattern, (int(lines[1]), int(lines[2])), None, index)
    return Watch(spec, pattern, None, fragment or None, index)


def describe(watch: Watch) -> str:
    """The region a watch names, in words ("lines 10-40", "region NAME"); empty for a whole file.
    Its readers (the control-drift message, `plaintrust impact`) punctuate it each their own way."""
    if watch.lines is not None:
        return f"lines {watch.lines[0]}-{watch.lines[1]}"
    return f"region {watch.marker}" if watch.marker is not None else ""


def static_problem(watch: Watch) -> str | None:
    """What is wrong with a watch whatever git says: a region of a glob, a line range backwards."""
    if watch.region and is_glob(watch.pattern):
        return f"{watch.spec}: a region belongs to one file, but {watch.pattern} is a glob"
    if watch.lines is not None and watch.lines[0] > watch.lines[1]:
        return f"{watch.spec}: the line range ends before it starts"
    return None


def region(text: str, watch: Watch) -> str | None:
    """The watched region of a file's `text`: its lines `watch.lines`, or the lines strictly between
    the first line holding `plaintrust:start NAME` and the next line holding `plaintrust:end`.
    None when the file has no such region (too short, or a marker missing); the whole text for a
    watch without a region."""
    if watch.marker is None and watch.lines is None:
        return text
    lines = _lines(text)
    if watch.lines is not None:
        first, last = watch.lines
        return "\n".join(lines[first - 1 : last]) if first <= last <= len(lines) else None
    start = next((i for i, line in enumerate(lines) if _starts(line, watch.marker or "")), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if "plaintrust:end" in lines[i]), None)
    return None if end is None else "\n".join(lines[start + 1 : end])


def region_problem(watch: Watch, text: str | None) -> str | None:
    """What keeps a region watch from being judged at HEAD, where its file's text is `text` (None:
    no file git can read there): a line range past the end, or a marker missing."""
    path = watch.pattern
    if text is None:
        return f"{path} is not a file git can read at HEAD"
    if region(text, watch) is not None:
        return None
    lines = _lines(text)
    if watch.lines is not None:
        count = len(lines)
        first, last = watch.lines
        return f"{path} has {count} line{'' if count == 1 else 's'} at HEAD: lines {first}-{last} run past its end"
    if not any(_starts(line, watch.marker or "") for line in lines):
        return f"{path} has no `plaintrust:start {watch.marker}` line"
    return f"{path} has no `plaintrust:end` line after `plaintrust:start {watch.marker}`"


def start_line(text: str, watch: Watch) -> int | None:
    """The line (from 1) of `text` where the watched region starts: its first line, or the line
    after the first `plaintrust:start NAME` line; None for a whole file or a missing marker. Lines
    are counted as an editor numbers them (`str.splitlines`), since a reader is pointed there."""
    if watch.lines is not None:
        return watch.lines[0]
    if watch.marker is None:
        return None
    return next((n + 2 for n, line in enumerate(text.splitlines()) if _starts(line, watch.marker)), None)


def same_region(watch: Watch, newer: str | None, before: str | None, older: str | None) -> bool:
    """Whether a region is unchanged from the older revision: equal, or (markers missing there) its
    lines stood in the older text already, one after another."""
    if newer == before:
        return True
    if newer is None or before is not None or watch.marker is None or older is None:
        return False
    needle = newer.split("\n") if newer else []
    lines = _lines(older)
    return any(lines[i : i + len(needle)] == needle for i in range(len(lines) - len(needle) + 1))


def _lines(text: str) -> list[str]:
    """A file's lines as git counts them: split at line feeds only (a form feed or a U+2028 is part
    of a line), each without the carriage return of a CRLF ending."""
    found = text.split("\n")
    if found[-1] == "":
        found.pop()
    return [line[:-1] if line.endswith("\r") else line for line in found]


def _starts(line: str, name: str) -> bool:
    """Whether `line` holds `plaintrust:start NAME` with NAME whole (AC-02 is not AC-020)."""
    tag = f"plaintrust:start {name}"
    at = line.find(tag)
    while at >= 0:
        if _NAME_END.match(line, at + len(tag)):
            return True
        at = line.find(tag, at + 1)
    return False
