"""`plaintrust impact`, whole: the range, its two sides, their comparison."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from plaintrust.impact import compare, refs, sides
from plaintrust.impact.report import Impact


def impact(root: Path, spec: str | None, *, fetch: bool = False, remote: str = "origin", today: dt.date) -> Impact:
    """What the change RANGE (`spec`; None: the merge base with the default branch against the
    working tree) does in the repository at `root`, both sides judged on `today`. RangeError
    (a usage error) when the range cannot be resolved."""
    span = refs.resolve(root, spec, fetch=fetch, remote=remote)
    with sides.opened(root, span, today) as (base, head):
        return compare.impact(base, head, span.notes)
