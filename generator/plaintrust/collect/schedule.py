"""When a series is due: calendar slots for each `every:` word.

A slot is the calendar period one collection stands for: the day (daily), the ISO week from Monday
to Sunday (weekly), the calendar month (monthly), the quarter from January, April, July or October
(quarterly), the half year from January or July (semiannual), the calendar year (annual). A series
is due when its newest record, whoever collected it, was collected before the slot today is in.
"""

from __future__ import annotations

import datetime as dt

FREQUENCIES = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual")
_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_DAY = dt.timedelta(days=1)


def slot(day: dt.date, every: str) -> tuple[dt.date, dt.date]:
    """The first and last day of the slot `day` falls in."""
    if every == "daily":
        return day, day
    if every == "weekly":
        monday = day - dt.timedelta(days=day.weekday())
        return monday, monday + dt.timedelta(days=6)
    months = _months(every)
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    return first, _add_months(first, months) - _DAY


def previous(day: dt.date, every: str) -> tuple[dt.date, dt.date]:
    """The slot before the one `day` falls in."""
    return slot(slot(day, every)[0] - _DAY, every)


def next_due(newest_collected: dt.date, every: str) -> dt.date:
    """The first day of the slot after the newest record's: when the series is due again."""
    return slot(newest_collected, every)[1] + _DAY


def is_due(newest_collected: dt.date | None, today: dt.date, every: str) -> bool:
    """No record yet, or the newest one was collected before today's slot began."""
    return newest_collected is None or newest_collected < slot(today, every)[0]


def _months(every: str) -> int:
    if every not in _MONTHS:
        raise ValueError(f"not a frequency: {every!r} (one of {', '.join(FREQUENCIES)})")
    return _MONTHS[every]


def _add_months(first: dt.date, months: int) -> dt.date:
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1)
