"""Dates as customers read them, one way everywhere: pages, feeds and trust.json's plain texts."""

from __future__ import annotations

import datetime as dt


def day_words(day: dt.date) -> str:
    """ "4 February 2026"."""
    return f"{day.day} {day:%B %Y}"


def month_words(day: dt.date) -> str:
    """ "February 2026"."""
    return f"{day:%B %Y}"


def moment_words(moment: dt.datetime) -> str:
    """ "23 November 2026, 08:00 UTC"."""
    return f"{moment.astimezone(dt.UTC):%-d %B %Y, %H:%M} UTC"


_UNITS = {"m": "minute", "h": "hour", "d": "day"}
_EVERY = {
    "continuous": "continuously",
    "daily": "every day",
    "weekly": "every week",
    "monthly": "every month",
    "quarterly": "every quarter",
    "semiannual": "every six months",
    "annual": "every year",
}


def duration_words(value: str) -> str:
    """ "4h" as "4 hours", "1d" as "1 day" (trust.yaml's schema admits only these forms)."""
    amount, unit = int(value[:-1]), _UNITS[value[-1]]
    return f"{amount} {unit}{'s' if amount != 1 else ''}"


def every_words(frequency: str) -> str:
    """A control's frequency as a schedule: "every quarter"."""
    return _EVERY[frequency]
