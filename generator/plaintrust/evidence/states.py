"""When evidence goes stale, and what state a record is in on a given day.

Every layer takes from here what decides it: the newest record of a series, a duration such as 30d
or 3m, the frequencies that count in calendar months, and whether a pinned file was tampered with.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from collections.abc import Iterable
from functools import lru_cache
from typing import NamedTuple, Protocol, TypeVar

from plaintrust.core import FileStatus
from plaintrust.model import EvidenceFile, EvidenceState, Integrity

# The frequencies that are a number of calendar months (a control's schedule, a record's refresh).
FREQUENCY_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_DAYS = {"daily": 1, "weekly": 7}
_DURATION = re.compile(r"(0|[1-9][0-9]{0,3})([dwmy])")


def add_months(day: dt.date, months: int) -> dt.date:
    """Calendar months; the 31st of a month without one becomes its last day."""
    month_index = day.month - 1 + months
    year, month = day.year + month_index // 12, month_index % 12 + 1
    return dt.date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


@lru_cache(maxsize=4096)  # records share a few dates and refresh periods; 10,000 of them ask
def stale_on(collected: dt.date, refresh: str) -> dt.date:
    """The first day on which evidence collected on `collected` is stale (date.max past year 9999)."""
    try:
        return _stale_on(collected, refresh)
    except (OverflowError, ValueError):
        return dt.date.max


def _stale_on(collected: dt.date, refresh: str) -> dt.date:
    if refresh in FREQUENCY_MONTHS:
        return add_months(collected, FREQUENCY_MONTHS[refresh])
    if refresh in _DAYS:
        return collected + dt.timedelta(days=_DAYS[refresh])
    stale = after_duration(collected, refresh)
    if stale is None:
        raise AssertionError(f"the schema admits only valid refresh values, not {refresh!r}")
    return stale


def after_duration(day: dt.date, duration: str) -> dt.date | None:
    """`day` plus a duration such as 30d, 6w, 3m or 1y (m and y in calendar months); None when
    `duration` is not one. Raises OverflowError or ValueError past year 9999."""
    match = _DURATION.fullmatch(duration)
    if not match:
        return None
    amount, unit = int(match.group(1)), match.group(2)
    if unit in "dw":
        return day + dt.timedelta(days=amount * (7 if unit == "w" else 1))
    return add_months(day, amount * (12 if unit == "y" else 1))


def integrity(files: Iterable[EvidenceFile]) -> Integrity:
    """An unpinned file is not tampered: nothing was promised about its bytes (a rule warns)."""
    files = tuple(files)
    if any(f.fact.status is not FileStatus.OK for f in files):
        return Integrity.MISSING
    if any(is_tampered(f) for f in files):
        return Integrity.TAMPERED
    return Integrity.OK


def is_tampered(item: EvidenceFile) -> bool:
    return item.sha256 is not None and item.fact.sha256 is not None and item.sha256 != item.fact.sha256


def state(integrity_: Integrity, stale_day: dt.date, today: dt.date, superseded: bool) -> EvidenceState:
    """Missing or tampered files outrank everything: an old record must still be intact."""
    if integrity_ is Integrity.MISSING:
        return EvidenceState.MISSING
    if integrity_ is Integrity.TAMPERED:
        return EvidenceState.TAMPERED
    if superseded:
        return EvidenceState.SUPERSEDED
    return EvidenceState.STALE if today >= stale_day else EvidenceState.CURRENT


class InSeries(Protocol):
    """What decides a record's place in its series: an EvidenceRecord, or a SeriesKey before it exists."""

    @property
    def id(self) -> str: ...
    @property
    def series(self) -> str: ...
    @property
    def collected(self) -> dt.date: ...


class SeriesKey(NamedTuple):
    id: str
    series: str
    collected: dt.date


R = TypeVar("R", bound=InSeries)


def newest_in_series(records: Iterable[R]) -> dict[str, R]:
    """series -> its newest record, the one that decides whether the series is current: the latest
    `collected`; a tie goes to the larger id, so the answer never depends on the order of files."""
    newest: dict[str, R] = {}
    for record in records:
        current = newest.get(record.series)
        if current is None or (record.collected, record.id) > (current.collected, current.id):
            newest[record.series] = record
    return newest
