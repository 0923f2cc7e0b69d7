"""An evidence record's `refresh` keeps it current for more than five years after it was collected.

It fires at `refresh` when the day the record goes stale (`collected` plus `refresh`) is later than
five years (60 calendar months) after `collected`: `61m` or `9999d` does, `5y` does not.

No auditor accepts proof that old, and a window like `9999y` usually means "never", which would
show a control as verified forever.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, use a frequency word (daily, weekly, monthly, quarterly, semiannual, annual) or a
duration such as 90d, 12w, 6m or 1y.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.evidence.states import add_months
from plaintrust.model import Model

ID = "refresh-too-long"
READS_FILES = False
MAX_YEARS = 5


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        limit = _limit(record.collected)
        if limit is not None and record.stale_on > limit:
            yield record.source.at("refresh").error(
                ID,
                f"refresh {record.refresh!r} keeps the evidence current for more than {MAX_YEARS} years",
                "use a frequency word (daily ... annual) or a duration such as 90d, 12w, 6m or 1y",
            )


def _limit(collected: dt.date) -> dt.date | None:
    try:
        return add_months(collected, 12 * MAX_YEARS)
    except ValueError:  # collected near year 9999: date-future reports it
        return None
