"""Pyphen's hyphenation patterns, parsed one pattern at a time.

textstat counts the syllables of a word the pronouncing dictionary lacks ("signin", "sev1") with
Pyphen, which parses all 11,000 lines of its English patterns (a tenth of a second) before the first
word. A few dozen words need it. Here the lines are only indexed by the letters they match; a
pattern is parsed by Pyphen's own code the first time a word reaches it, so the hyphenation points,
and the scores, are Pyphen's (a test compares them).
"""

from __future__ import annotations

import io
import re
from pathlib import Path
from typing import Any

_DIGIT = re.compile(r"\d")  # what Pyphen reads as a digit


class _Lines:
    """What pyphen's HyphDict reads of a file (`open` for its first line, `read_text`), holding a few lines."""

    def __init__(self, encoding: str, lines: list[str]) -> None:
        self.head = encoding
        self.lines = lines

    def open(self, mode: str) -> io.BytesIO:
        return io.BytesIO(f"{self.head}\n".encode())

    def read_text(self, encoding: str) -> str:
        return "\n".join([self.head, *self.lines])


class _Patterns(dict):
    """Pattern letters -> what HyphDict keeps for them, parsed when first asked for."""

    def __init__(self, encoding: str, raw: dict[str, list[str]]) -> None:
        super().__init__()
        self.encoding = encoding
        self.raw = raw

    def get(self, key: Any, default: Any = None) -> Any:
        lines = self.raw.pop(key, None)
        if lines is not None:
            parsed = _parse(self.encoding, lines).get(key)
            if parsed is not None:
                self[key] = parsed
        return super().get(key, default)


def _parse(encoding: str, lines: list[str]) -> dict:
    import pyphen

    try:
        return pyphen.HyphDict(_Lines(encoding, lines)).patterns
    except ValueError:  # every line of these letters is all zeros: Pyphen keeps none of them
        return {}


def _indexed(path: Path) -> tuple[str, dict[str, list[str]]]:
    """(the file's encoding, its pattern lines by the letters each matches), as Pyphen reads the file."""
    import pyphen

    with path.open("rb") as fd:
        encoding = fd.readline().decode()
    text = path.read_text("cp1251" if encoding.lower() == "microsoft-cp1251" else encoding)
    # The digits of every line dropped in one pass: a line's letters, unless it needs Pyphen's own reading.
    raw: dict[str, list[str]] = {}
    for line, letters in zip(text.split("\n")[1:], _DIGIT.sub("", text).split("\n")[1:], strict=True):
        line = line.strip()
        if not line or line.startswith(pyphen.ignored):
            continue
        if "^^" in line or "/" in line:
            letters = _letters(line)
        raw.setdefault(letters.strip(), []).append(line)
    return encoding, raw


def _letters(line: str) -> str:
    """The letters a pattern line matches once its hex escapes and its alternative are read as Pyphen does."""
    import pyphen

    pattern = pyphen.parse_hex(lambda match: chr(int(match.group(1), 16)), line)
    if "/" in pattern and "=" in pattern:
        pattern = pattern.split("/", 1)[0]
    return _DIGIT.sub("", pattern)


def lazy_pyphen(path: Path) -> Any:
    """A `pyphen.Pyphen` for the patterns at `path`, with Pyphen's defaults (left=2, right=2)."""
    import pyphen

    encoding, raw = _indexed(path)
    patterns = object.__new__(pyphen.HyphDict)
    patterns.patterns = _Patterns(encoding, raw)
    patterns.cache = {}
    # Any length at least the longest pattern's gives the same points: longer slices find nothing.
    patterns.maxlen = max(map(len, raw), default=0)
    hyphenator = object.__new__(pyphen.Pyphen)
    hyphenator.left, hyphenator.right, hyphenator.hd = 2, 2, patterns
    return hyphenator
