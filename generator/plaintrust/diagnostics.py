"""Diagnostics: every user mistake becomes one of these, never an exception."""

from __future__ import annotations

import enum
import re
from collections.abc import Iterable
from dataclasses import dataclass


class Severity(str, enum.Enum):
    ERROR = "error"
    WARNING = "warning"

    def __str__(self) -> str:
        return self.value


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem at one place: `path:line:col: severity [rule] message`.

    `path` is relative to the repository root, with forward slashes; `line` and `col` are
    1-based (1:1 when the problem concerns a whole file, e.g. one that is missing).
    """

    path: str
    line: int
    col: int
    severity: Severity
    rule: str
    message: str
    hint: str | None = None

    def __str__(self) -> str:
        text = f"{self.path}:{self.line}:{self.col}: {self.severity} [{self.rule}] {self.message}"
        return f"{text} (hint: {self.hint})" if self.hint else text


@dataclass(frozen=True)
class Location:
    """Where a value came from: a file and a 1-based line and column."""

    path: str
    line: int = 1
    col: int = 1

    def error(self, rule: str, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.col, Severity.ERROR, rule, message, hint)

    def warning(self, rule: str, message: str, hint: str | None = None) -> Diagnostic:
        return Diagnostic(self.path, self.line, self.col, Severity.WARNING, rule, message, hint)


_SURROGATE = re.compile("[\ud800-\udfff]")


def printable(text: str) -> str:
    """`text` safe to encode as UTF-8. A file name that is not UTF-8 reaches us with its bad bytes as
    lone surrogates ('caf\\udce9.md', Python's surrogateescape); no encoder accepts those, so each is
    shown as the byte it stands for, escaped: caf\\xe9.md."""
    return _SURROGATE.sub(_escaped, text)


def _escaped(found: re.Match[str]) -> str:
    code = ord(found[0])
    return f"\\x{code - 0xDC00:02x}" if 0xDC80 <= code <= 0xDCFF else f"\\u{code:04x}"


def shown_path(path: str) -> str:
    """A path that can always be printed on one line: `printable`, control characters as escapes."""
    if path.isprintable():
        return path
    return "".join(c if c.isprintable() else c.encode("unicode_escape").decode("ascii") for c in printable(path))


def finalize(diagnostics: Iterable[Diagnostic]) -> list[Diagnostic]:
    """Sorted by file and position, exact duplicates removed."""
    return sorted(set(diagnostics))


def count(diagnostics: Iterable[Diagnostic], severity: Severity) -> int:
    return sum(1 for d in diagnostics if d.severity is severity)


def has_findings(diagnostics: Iterable[Diagnostic], strict: bool = False) -> bool:
    """True when the run must fail: any error, or any warning under --strict."""
    return any(d.severity is Severity.ERROR or strict for d in diagnostics)
