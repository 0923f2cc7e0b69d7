"""Calendar slots for `every:`: ISO weeks, months, quarters, halves and years, across year ends."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import edit
from plaintrust import cli
from plaintrust.collect import schedule

D = dt.date
PINNED = "    sha256: 08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230\n"


@pytest.mark.parametrize(
    ("day", "every", "first", "last"),
    [
        (D(2026, 11, 22), "daily", D(2026, 11, 22), D(2026, 11, 22)),
        (D(2026, 11, 22), "weekly", D(2026, 11, 16), D(2026, 11, 22)),  # a Sunday ends its ISO week
        (D(2026, 11, 23), "weekly", D(2026, 11, 23), D(2026, 11, 29)),
        (D(2027, 1, 1), "weekly", D(2026, 12, 28), D(2027, 1, 3)),  # ISO week 53 of 2026
        (D(2024, 2, 10), "monthly", D(2024, 2, 1), D(2024, 2, 29)),
        (D(2026, 12, 31), "monthly", D(2026, 12, 1), D(2026, 12, 31)),
        (D(2026, 11, 22), "quarterly", D(2026, 10, 1), D(2026, 12, 31)),
        (D(2026, 3, 31), "quarterly", D(2026, 1, 1), D(2026, 3, 31)),
        (D(2026, 4, 1), "quarterly", D(2026, 4, 1), D(2026, 6, 30)),
        (D(2026, 6, 30), "semiannual", D(2026, 1, 1), D(2026, 6, 30)),
        (D(2026, 7, 1), "semiannual", D(2026, 7, 1), D(2026, 12, 31)),
        (D(2026, 11, 22), "annual", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_slot(day: dt.date, every: str, first: dt.date, last: dt.date) -> None:
    assert schedule.slot(day, every) == (first, last)


@pytest.mark.parametrize(
    ("day", "every", "first", "last"),
    [
        (D(2027, 1, 1), "daily", D(2026, 12, 31), D(2026, 12, 31)),
        (D(2027, 1, 5), "weekly", D(2026, 12, 28), D(2027, 1, 3)),
        (D(2026, 1, 2), "weekly", D(2025, 12, 22), D(2025, 12, 28)),
        (D(2027, 1, 15), "monthly", D(2026, 12, 1), D(2026, 12, 31)),
        (D(2027, 2, 1), "quarterly", D(2026, 10, 1), D(2026, 12, 31)),
        (D(2027, 3, 1), "semiannual", D(2026, 7, 1), D(2026, 12, 31)),
        (D(2026, 8, 1), "semiannual", D(2026, 1, 1), D(2026, 6, 30)),
        (D(2027, 6, 30), "annual", D(2026, 1, 1), D(2026, 12, 31)),
    ],
)
def test_previous(day: dt.date, every: str, first: dt.date, last: dt.date) -> None:
    assert schedule.previous(day, every) == (first, last)


@pytest.mark.parametrize(
    ("newest", "every", "due"),
    [
        (D(2026, 11, 22), "daily", D(2026, 11, 23)),
        (D(2026, 12, 31), "daily", D(2027, 1, 1)),
        (D(2026, 12, 30), "weekly", D(2027, 1, 4)),
        (D(2026, 12, 2), "monthly", D(2027, 1, 1)),
        (D(2026, 11, 2), "quarterly", D(2027, 1, 1)),
        (D(2026, 2, 2), "quarterly", D(2026, 4, 1)),
        (D(2026, 11, 2), "semiannual", D(2027, 1, 1)),
        (D(2026, 5, 2), "semiannual", D(2026, 7, 1)),
        (D(2026, 1, 1), "annual", D(2027, 1, 1)),
    ],
)
def test_next_due(newest: dt.date, every: str, due: dt.date) -> None:
    assert schedule.next_due(newest, every) == due
    assert schedule.is_due(newest, due, every)
    assert not schedule.is_due(newest, due - dt.timedelta(days=1), every)


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_every_slot_is_followed_by_the_next_without_a_gap(every: str) -> None:
    day = D(2025, 11, 1)
    for _ in range(30):
        first, last = schedule.slot(day, every)
        assert first <= day <= last
        assert schedule.previous(last + dt.timedelta(days=1), every) == (first, last)
        day = schedule.next_due(day, every)
        assert day == last + dt.timedelta(days=1)


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_a_series_without_records_is_due(every: str) -> None:
    assert schedule.is_due(None, D(2026, 11, 22), every)


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_a_record_of_today_is_never_due(every: str) -> None:
    assert not schedule.is_due(D(2026, 11, 22), D(2026, 11, 22), every)


def test_an_unknown_word_is_a_programming_error() -> None:
    with pytest.raises(ValueError, match="not a frequency: 'hourly'"):
        schedule.slot(D(2026, 11, 22), "hourly")


LAST = D(9999, 12, 31)  # the calendar's last day: a slot there has no slot after it


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_the_calendars_last_slot_is_never_due_again_and_nothing_raises(every: str) -> None:
    first, last = schedule.slot(LAST, every)
    assert last == LAST and schedule.previous(LAST, every)[1] == first - dt.timedelta(days=1)
    for day in (first, LAST):
        assert schedule.slot(day, every) == (first, LAST)
        assert schedule.next_due(day, every) == dt.date.max
        assert not schedule.is_due(day, LAST, every)
    assert schedule.is_due(D(2026, 11, 22), LAST, every)


@pytest.mark.parametrize("every", schedule.FREQUENCIES)
def test_the_calendars_first_slot_is_its_own_previous(every: str) -> None:
    first = schedule.slot(dt.date.min, every)
    assert first[0] == dt.date.min and schedule.previous(dt.date.min, every) == first


def test_the_last_week_of_the_calendar_is_cut_short() -> None:
    assert schedule.slot(LAST, "weekly") == (D(9999, 12, 27), LAST)  # a Monday, and a Friday ends it


def test_collect_due_with_a_record_of_the_calendars_last_slot_does_not_break(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    noon = dt.datetime(9999, 12, 20, 12, tzinfo=dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))
    edit(base_repo, "evidence/access/mfa-policy.yaml", "collected: 2026-11-01", "collected: 9999-12-15")
    edit(base_repo, "evidence/access/mfa-policy.yaml", PINNED, PINNED + "collect:\n  run: [x]\n  every: monthly\n")
    result = runner.invoke(cli.cli, ["evidence", "collect", "--due", "--root", str(base_repo)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.output
    assert result.stdout == f"skipped mfa-policy: not due until {dt.date.max}\n"
