"""The notice arithmetic behind the subprocessors page, trust.json and the subprocessor-notice rule:
the notice runs the days after the announcement, objections close on its last day, and the
subprocessor may start the day after."""

from __future__ import annotations

import datetime as dt

import pytest

from plaintrust.core import Document
from plaintrust.model import Subprocessor, TrustProfile


def profile(days: int | None) -> TrustProfile:
    return TrustProfile(
        "Example Test Co", "", "mailto:security@test.example", None, ("en",), None, None, (), (), (), (), {},
        Document("site/trust.yaml", {}, {}, {}), subprocessor_notice_days=days,
    )  # fmt: skip


def addition(added: str, effective: str | None = None) -> Subprocessor:
    start = dt.date.fromisoformat(effective) if effective else None
    return Subprocessor("Search Co", "Search", "EU", "Names", None, dt.date.fromisoformat(added), None, start)


@pytest.mark.parametrize(
    ("days", "added", "until", "earliest"),
    [
        (30, "2026-12-01", "2026-12-31", "2027-01-01"),  # the example
        (30, "2026-11-16", "2026-12-16", "2026-12-17"),  # the example repository's planned addition
        (1, "2026-11-23", "2026-11-24", "2026-11-25"),
        (15, "2028-02-14", "2028-02-29", "2028-03-01"),  # a leap year
        (30, "9999-12-20", "9999-12-31", "9999-12-31"),  # past year 9999: the last day there is, no crash
    ],
)
def test_objections_close_on_the_notices_last_day_and_the_start_may_follow(
    days: int, added: str, until: str, earliest: str
) -> None:
    trust, sub = profile(days), addition(added)
    assert trust.objections_until(sub) == dt.date.fromisoformat(until)
    assert trust.earliest_start(sub) == dt.date.fromisoformat(earliest)


@pytest.mark.parametrize("days", [None, 0])
def test_without_a_notice_period_there_is_no_objection_period_and_no_start_before_the_announcement(
    days: int | None,
) -> None:
    trust, sub = profile(days), addition("2026-11-23")
    assert trust.objections_until(sub) is None
    assert trust.earliest_start(sub) == dt.date(2026, 11, 23)


def test_a_subprocessor_starts_on_its_effective_day_else_on_the_day_it_was_announced() -> None:
    assert addition("2026-11-16", "2027-01-15").starts == dt.date(2027, 1, 15)
    assert addition("2026-11-16").starts == dt.date(2026, 11, 16)
