"""The slow rules that depend on the model alone, started in a forked worker while the guard screens.

On a cold `check`, scoring readability (textstat and its two dictionaries) and checking collect
options (jsonschema) are a quarter of the run. Both keep what they find between runs anyway (scores
by text, valid verdicts by options); a worker computes what is not known yet, the way the rules
would, and the rules then find it known. What the worker did not give (it failed, or forking is not
safe here) the rules compute themselves, as before: the diagnostics are the same either way.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from plaintrust.load.parallel import in_worker
from plaintrust.model import Model
from plaintrust.rules import collect_options, policy_readability, readability

_WAITING: list[Callable[[], Any]] = []


def start(model: Model) -> None:
    words = model.settings.plain_words
    texts = {*readability.scored_texts(model), *policy_readability.scored_texts(model)}
    unscored = sorted(t for t in texts if readability.known_as(t, words) not in readability.KNOWN)
    unchecked = collect_options.unchecked(model)
    if unscored or unchecked:
        waiting = in_worker(lambda: _compute(unscored, words, unchecked))
        _WAITING.extend([waiting] if waiting is not None else [])


def _compute(texts: list[str], words: tuple[str, ...], blocks: list[tuple[str, object]]) -> dict:
    scores = {readability.known_as(text, words): readability.summary_score(text, words) for text in texts}
    return {"scores": scores, "verdicts": collect_options.verdicts(blocks)}


def collect() -> None:
    """Put what the worker found where the rules look (waiting for it)."""
    while _WAITING:
        found = _WAITING.pop()()
        if not isinstance(found, dict):
            continue
        scores, verdicts = found.get("scores"), found.get("verdicts")
        if isinstance(scores, dict):
            readability.KNOWN.update((k, (v[0], v[1])) for k, v in scores.items() if _is_score(v))
        if isinstance(verdicts, dict):
            collect_options.KNOWN_VALID.update(k for k, v in verdicts.items() if v is True)


def _is_score(value: object) -> bool:
    return isinstance(value, list) and len(value) == 2 and all(type(x) is float for x in value)
