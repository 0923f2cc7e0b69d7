"""A control's public summary is hard to read for customers.

Each `public.summary` is scored with textstat. It fires when the Flesch Reading Ease is below
`min_reading_ease` (default 50) or the Flesch-Kincaid grade is above `max_grade` (default 10); set
both under the plaintrust plugin in mkdocs.yml. Markdown markup is ignored (a link counts by its
label). Acronyms with what follows them (`SOC 2`, `ISO/IEC 27001:2022`, `PCI DSS v4.0.1`, `MFA`)
and the plugin's `plain_words` (say, `plain_words: [passkey]`) count as one short word each:
customers know them, and their letters would otherwise count as long words.

The trust center is read by buyers and procurement teams, not only by security engineers.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, use shorter sentences and everyday words, or add a term your customers know to
`plain_words`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import cache

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Control, Model
from plaintrust.rules import _pronunciations
from plaintrust.settings import Settings

ID = "readability"
READS_FILES = False

# An acronym with what usually follows it: SOC 2, ISO/IEC 27001:2022, PCI DSS v4.0.1, MFA.
_ACRONYM = re.compile(r"\b[A-Z][A-Za-z]?[A-Z0-9]{1,4}s?(?:[ /-](?:[A-Z]{2,6}|v?\d[\d.:]*))*\b")
_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MARKUP = re.compile(r"[*_`]")


HINT = "use shorter sentences and everyday words"


def check(model: Model) -> Iterator[Diagnostic]:
    for control, summary in _summaries(model):
        problems = hard_to_read(summary, model.settings)
        if problems:
            where = control.source.at("public", "summary")
            yield where.warning(ID, f"the public summary of {control.id} reads hard: {problems}", HINT)


def _summaries(model: Model) -> Iterator[tuple[Control, str]]:
    for control in model.controls:
        summary = control.public.summary if control.public else None
        if summary and summary.strip():
            yield control, summary


def scored_texts(model: Model) -> Iterator[str]:
    """Every text `check` scores (see `rules._ahead`)."""
    return (summary for _, summary in _summaries(model))


def hard_to_read(text: str, settings: Settings) -> str:
    """What makes `text` hard to read against the plugin's targets, in words ("" when nothing)."""
    ease, grade = summary_score(text, settings.plain_words)
    problems = []
    if ease < settings.min_reading_ease:
        problems.append(f"reading ease {ease:.0f} (target at least {settings.min_reading_ease:g})")
    if grade > settings.max_grade:
        problems.append(f"grade level {grade:.1f} (target at most {settings.max_grade:g})")
    return "; ".join(problems)


def plain(summary: str, plain_words: tuple[str, ...] = ()) -> str:
    """What the score reads: markup dropped, and each acronym or known word counted as one short
    word ("it"), so it neither lengthens a sentence nor adds syllables."""
    text = _MARKUP.sub("", _LINK.sub(r"\1", summary))
    text = _ACRONYM.sub("it", text)
    for word in plain_words:
        text = re.sub(rf"\b{re.escape(word)}\b", "it", text, flags=re.IGNORECASE)
    return re.sub(r"\s+", " ", text).strip()


# Scores already known, by summary and plain words (the pipeline fills this from .plaintrust-cache/
# and saves it back): textstat spends a second loading its pronunciation dictionary before it scores
# the first word, and even `plain` costs 0.05 s over 7,000 summaries.
KNOWN: dict[str, tuple[float, float]] = {}
_USED: set[str] = set()


def known_as(summary: str, plain_words: tuple[str, ...] = ()) -> str:
    """The key of a score in `KNOWN`."""
    return "\x1f".join((*plain_words, summary))


def summary_score(summary: str, plain_words: tuple[str, ...] = ()) -> tuple[float, float]:
    key = known_as(summary, plain_words)
    _USED.add(key)
    known = KNOWN.get(key)
    if known is None:
        known = KNOWN[key] = score(plain(summary, plain_words))
    return known


def used_scores() -> dict[str, list[float]]:
    """The scores asked for since the last call (what the cache keeps, as JSON has them)."""
    used = {key: list(KNOWN[key]) for key in sorted(_USED) if key in KNOWN}
    _USED.clear()
    return used


@cache
def _install_once() -> None:
    _pronunciations.install()


def score(text: str) -> tuple[float, float]:
    """Flesch Reading Ease and Flesch-Kincaid grade of text already made plain."""
    import textstat  # imported on first use

    _install_once()
    if not text:
        return 100.0, 0.0
    return float(textstat.flesch_reading_ease(text)), float(textstat.flesch_kincaid_grade(text))
