""" "Today", once, for a whole run: SOURCE_DATE_EPOCH when set (reproducible builds), else the UTC date."""

from __future__ import annotations

import datetime as dt
import os


def today() -> dt.date:
    return now().date()


def now() -> dt.datetime:
    epoch = os.environ.get("SOURCE_DATE_EPOCH", "").strip()
    if epoch.isdigit():
        return dt.datetime.fromtimestamp(int(epoch), tz=dt.UTC)
    return dt.datetime.now(tz=dt.UTC)
