""" "Today", once, for a whole run: SOURCE_DATE_EPOCH when set (reproducible builds), else the UTC date.

Also how a moment is written wherever plaintrust writes one for a machine (feeds, trust.json, the
ledger, the record of notify): RFC 3339 in UTC, to the second, one format everywhere.
"""

from __future__ import annotations

import datetime as dt
import os

STAMP = "%Y-%m-%dT%H:%M:%SZ"


def today() -> dt.date:
    return now().date()


def now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)


def stamp(moment: dt.datetime) -> str:
    """`moment` as "2026-11-22T08:00:00Z"."""
    return moment.astimezone(dt.UTC).strftime(STAMP)


def midnight(day: dt.date) -> dt.datetime:
    """The first moment of `day`, UTC: what a date of the data stands for where a moment is needed."""
    return dt.datetime.combine(day, dt.time(), dt.UTC)
