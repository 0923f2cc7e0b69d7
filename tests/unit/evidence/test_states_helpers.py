"""The evidence primitives every layer shares: a series' newest record, durations, frequencies in
months, the tampered test. One implementation each, so the site, the gap report, `evidence due`
and `evidence pin` can never disagree."""

from __future__ import annotations

import datetime as dt
import itertools
from pathlib import Path

import pytest

from helpers import edit
from plaintrust import pipeline
from plaintrust.core import FileFact, FileStatus
from plaintrust.evidence.states import (
    FREQUENCY_MONTHS,
    SeriesKey,
    after_duration,
    is_tampered,
    newest_in_series,
    stale_on,
)
from plaintrust.internal.slots import slot_periods
from plaintrust.model import EvidenceFile, Period
from plaintrust.status import MONTHLY_CYCLES, evidence_health

DAY = dt.date(2026, 1, 31)
HASH_A, HASH_B = "a" * 64, "b" * 64


def test_the_newest_record_of_each_series_whatever_the_order() -> None:
    keys = [
        SeriesKey("q1", "review", dt.date(2026, 3, 31)),
        SeriesKey("q2", "review", dt.date(2026, 6, 30)),
        SeriesKey("policy", "policy", dt.date(2025, 1, 1)),
    ]
    for order in itertools.permutations(keys):
        newest = newest_in_series(order)
        assert {series: key.id for series, key in newest.items()} == {"review": "q2", "policy": "policy"}


def test_a_tie_on_the_day_goes_to_the_larger_id() -> None:
    same_day = [SeriesKey("b", "s", DAY), SeriesKey("a", "s", DAY), SeriesKey("c", "s", DAY)]
    for order in itertools.permutations(same_day):
        assert newest_in_series(order)["s"].id == "c"


def test_the_status_and_the_superseded_record_agree_on_the_newest(base_repo: Path) -> None:
    record = "evidence/access/mfa-policy.yaml"
    edit(base_repo, record, "refresh: quarterly", "refresh: quarterly\nseries: mfa")
    older = (base_repo / record).read_text().replace("id: mfa-policy", "id: mfa-policy-old")
    (base_repo / "evidence/access/mfa-policy-old.yaml").write_text(
        older.replace("collected: 2026-11-01", "collected: 2026-08-01")
    )
    model = pipeline.run(base_repo).model
    assert newest_in_series(model.evidence)["mfa"].id == "mfa-policy"
    assert [r.id for r in evidence_health(model, model.controls_by_id["AC-01"]).deciding] == ["mfa-policy"]
    assert model.evidence_by_id["mfa-policy-old"].superseded_by == "mfa-policy"


@pytest.mark.parametrize(
    ("duration", "expected"),
    [
        ("0d", DAY),
        ("30d", dt.date(2026, 3, 2)),
        ("6w", dt.date(2026, 3, 14)),
        ("1m", dt.date(2026, 2, 28)),  # the 31st of a month without one is its last day
        ("3m", dt.date(2026, 4, 30)),
        ("1y", dt.date(2027, 1, 31)),
        ("9999d", DAY + dt.timedelta(days=9999)),
    ],
)
def test_durations(duration: str, expected: dt.date) -> None:
    assert after_duration(DAY, duration) == expected


@pytest.mark.parametrize("duration", ["", "30", "d", "-1d", "1.5d", "30 days", "01d", "10000d", "3M", "30d\n", "1h"])
def test_what_is_not_a_duration(duration: str) -> None:
    assert after_duration(DAY, duration) is None


def test_a_duration_past_year_9999_raises_for_the_caller_to_cap() -> None:
    with pytest.raises((OverflowError, ValueError)):
        after_duration(dt.date(9999, 6, 1), "1y")
    assert stale_on(dt.date(9999, 6, 1), "1y") == dt.date.max


@pytest.mark.parametrize("frequency", list(FREQUENCY_MONTHS))
def test_a_frequency_in_months_is_the_same_length_everywhere(frequency: str) -> None:
    months = FREQUENCY_MONTHS[frequency]
    assert stale_on(DAY, frequency) == after_duration(DAY, f"{months}m")
    year = Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31))
    assert len(slot_periods(year, frequency)) == 12 // months
    assert frequency in MONTHLY_CYCLES


@pytest.mark.parametrize(
    ("pinned", "actual", "tampered"),
    [
        (HASH_A, HASH_A, False),
        (HASH_A, HASH_B, True),
        (None, HASH_B, False),  # unpinned: nothing was promised about its bytes
        (HASH_A, None, False),  # not read (missing or unreadable): reported as such, not as tampered
    ],
)
def test_tampered_means_pinned_and_read_and_different(pinned: str | None, actual: str | None, tampered: bool) -> None:
    item = EvidenceFile("x.txt", pinned, FileFact("x.txt", FileStatus.OK, sha256=actual))
    assert is_tampered(item) is tampered
