"""Strict checks for the `format` keywords we use (jsonschema's own `date-time` needs an extra package)."""

from __future__ import annotations

import datetime as dt
import re

_DATE = re.compile(r"\d{4}-\d{2}-\d{2}", re.ASCII)
_DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d{1,9})?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)


def is_date(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATE.fullmatch(value):
        return False
    dt.date.fromisoformat(value)
    return True


def is_datetime(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _DATETIME.fullmatch(value):
        return False
    try:
        parse_datetime(value).astimezone(dt.UTC)  # 0001-01-01T00:30+01:00 has no UTC moment
    except OverflowError:
        return False
    return True


def format_checker():
    """jsonschema's checker with our two formats; jsonschema is imported only to explain an invalid file."""
    from jsonschema import FormatChecker

    checker = FormatChecker(formats=())
    checker.checks("date", raises=ValueError)(is_date)
    checker.checks("date-time", raises=ValueError)(is_datetime)
    return checker


def parse_datetime(value: str) -> dt.datetime:
    """An RFC 3339 timestamp as an aware datetime (ValueError when it is not one)."""
    text = value.replace("t", "T").replace("z", "Z").replace(" ", "T", 1)
    return dt.datetime.fromisoformat(text.replace("Z", "+00:00"))
