"""When a series is due: calendar slots for each `every:` word.

A slot is the calendar period one collection stands for: the day (daily), the ISO week from Monday
to Sunday (weekly), the calendar month (monthly), the quarter from January, April, July or October
(quarterly), the half year from January or July (semiannual), the calendar year (annual). A series
that covers the day it is collected is due when its newest record, whoever collected it, was
collected before the slot today is in (`is_due`). One that covers the previous slot is due while no
record proves a day of that slot: `plaintrust.actions.collect` decides that from the records.

Every function here is total over the calendar Python knows (years 1 to 9999): the last slot ends
on 31 December 9999 (a week there is cut short), its next due day is `dt.date.max` (never), and the
first slot, which has none before it, is its own previous one.
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
        monday = _moved(day, -day.weekday())
        return monday, _moved(monday, 6)
    months = _months(every)
    first = dt.date(day.year, (day.month - 1) // months * months + 1, 1)
    after = _add_months(first, months)
    return first, dt.date.max if after is None else after - _DAY


def previous(day: dt.date, every: str) -> tuple[dt.date, dt.date]:
    """The slot before the one `day` falls in (the calendar's first slot for the first)."""
    return slot(_moved(slot(day, every)[0], -1), every)


def next_due(newest_collected: dt.date, every: str) -> dt.date:
    """The first day of the slot after the newest record's: when the series is due again.
    `dt.date.max` when the newest record's slot is the calendar's last: never."""
    end = slot(newest_collected, every)[1]
    return dt.date.max if end == dt.date.max else end + _DAY


def is_due(newest_collected: dt.date | None, today: dt.date, every: str) -> bool:
    """No record yet, or the newest one was collected before today's slot began."""
    return newest_collected is None or newest_collected < slot(today, every)[0]


def _months(every: str) -> int:
    if every not in _MONTHS:
        raise ValueError(f"not a frequency: {every!r} (one of {', '.join(FREQUENCIES)})")
    return _MONTHS[every]


def _add_months(first: dt.date, months: int) -> dt.date | None:
    """The first of the month `months` later; None past the calendar's end."""
    index = first.year * 12 + first.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, 1) if index // 12 <= dt.MAXYEAR else None


def _moved(day: dt.date, days: int) -> dt.date:
    """`day` moved by `days`, stopping at the calendar's first and last days."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max if days > 0 else dt.date.min
