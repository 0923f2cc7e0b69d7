"""'Did you mean' hints shared by the rules."""

from __future__ import annotations

from collections.abc import Iterable

from plaintrust import crosswalks


def did_you_mean(word: str, options: Iterable[str]) -> str | None:
    """The closest option: same letters in another case, the same id with a prefix (5.17 -> A.5.17),
    else the nearest spelling."""
    choices = list(options)
    by_lower = {o.lower(): o for o in choices}
    close = by_lower.get(word.lower())
    if close is None:
        prefixed = [
            o for o in choices if o.lower().endswith("." + word.lower()) and o.count(".") == word.count(".") + 1
        ]
        close = prefixed[0] if len(prefixed) == 1 else None
    if close is None:
        import difflib  # only for a misspelling: a valid repository never needs it

        matches = difflib.get_close_matches(word.lower(), list(by_lower), n=1, cutoff=0.6)
        close = by_lower[matches[0]] if matches else None
    return f"did you mean {close!r}?" if close and close != word else None


def requirement_hint(catalog: str, known: Iterable[str], requirement_id: str, *, exempt: bool = False) -> str | None:
    """The hint for a requirement id the catalog `catalog` (a shipped one's id, see
    `crosswalks.shipped_id`) lacks: what it became, when it is an id of a version the catalog
    replaced in any case (`A.9.2.1` of ISO/IEC 27001:2013), else the closest known id. `exempt`: the
    id is declared not applicable (see `crosswalks.explain`)."""
    for version in crosswalks.earlier(catalog):
        spelled = version.spelled(requirement_id)
        step = version.step(spelled) if spelled is not None else None
        if step is not None:
            return crosswalks.explain(version, step, exempt=exempt)
    return did_you_mean(requirement_id, known)
