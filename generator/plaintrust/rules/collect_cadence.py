"""A collecting series' records go stale before the next collection is due: `refresh` is shorter than `every`.

A record that `plaintrust evidence collect` writes keeps the `refresh` of the record that declares
the `collect:` block. The next record is collected only when the next slot of `every` begins (the
next day, ISO week, month, quarter, half-year or year). When a record collected on the first day of
a slot is already stale before the next slot begins (say, `refresh: 30d` with `every: monthly`, or
`refresh: weekly` with `every: monthly`), the series is shown as stale for part of every slot, even
though the collector runs on time. It points at `collect.every` and names the first such slot from
today.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, set `refresh` to the same period as `every` (or longer), or collect more often.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from functools import lru_cache

from plaintrust.collect import schedule
from plaintrust.diagnostics import Diagnostic
from plaintrust.evidence.states import stale_on
from plaintrust.model import Model

ID = "collect-cadence"
READS_FILES = False
SPAN = dt.timedelta(days=4 * 366)  # slots of every length a calendar has: months of 28 to 31 days, a leap year


def check(model: Model) -> Iterator[Diagnostic]:
    if not model.collecting:  # no record has a collect block: most repositories
        return
    for record in model.evidence:
        if record.collect is None:
            continue
        gap = _first_gap(record.refresh, record.collect.every, model.today)
        if gap is not None:
            start, stale, due = gap
            yield record.source.at("collect", "every").warning(
                ID,
                f"records go stale before the next collection is due: collected on {start}, a record with "
                f"refresh {record.refresh} is stale from {stale}, but the next one is collected on {due}",
                f"set refresh to {record.collect.every} (or longer), or collect more often",
            )


@lru_cache(maxsize=256)  # records share a few refresh periods and six frequencies
def _first_gap(refresh: str, every: str, today: dt.date) -> tuple[dt.date, dt.date, dt.date] | None:
    """The first slot from today's whose first day's record is stale before the next slot begins."""
    try:
        start = schedule.slot(today, every)[0]
        while start <= today + SPAN:
            due = schedule.next_due(start, every)
            stale = stale_on(start, refresh)
            if due == dt.date.max:  # the calendar's last slot: nothing is ever due after it
                break
            if stale < due:
                return start, stale, due
            start = due
    except OverflowError:  # slots near the year 9999 end the search, as the calendar does
        pass
    return None
