"""When evidence goes stale, and what state a record is in on a given day."""

from __future__ import annotations

import calendar
import datetime as dt
import re
from functools import lru_cache
from typing import Iterable

from plaintrust.load.paths import FileStatus
from plaintrust.model import EvidenceFile, EvidenceState, Integrity

_MONTHS = {"monthly": 1, "quarterly": 3, "semiannual": 6, "annual": 12}
_DAYS = {"daily": 1, "weekly": 7}
_DURATION = re.compile(r"([1-9][0-9]{0,3})([dwmy])")


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
    if refresh in _MONTHS:
        return add_months(collected, _MONTHS[refresh])
    if refresh in _DAYS:
        return collected + dt.timedelta(days=_DAYS[refresh])
    match = _DURATION.fullmatch(refresh)
    if not match:
        raise AssertionError(f"the schema admits only valid refresh values, not {refresh!r}")
    amount, unit = int(match.group(1)), match.group(2)
    if unit in "dw":
        return collected + dt.timedelta(days=amount * (7 if unit == "w" else 1))
    return add_months(collected, amount * (12 if unit == "y" else 1))


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


def newest_in_series(records: Iterable[tuple[str, str, dt.date]]) -> dict[str, str]:
    """series -> id of its newest record, from (id, series, collected); ties go to the larger id."""
    newest: dict[str, tuple[dt.date, str]] = {}
    for record_id, series, collected in records:
        if series not in newest or (collected, record_id) > newest[series]:
            newest[series] = (collected, record_id)
    return {series: record_id for series, (_, record_id) in newest.items()}
