"""Slot counting takes shortcuts (merged proofs, a linear walk, spans for daily controls): each is
checked against the plain definition, a slot at a time, on random periods and proofs."""

from __future__ import annotations

import random

from plaintrust.internal.slots import _merged, count_days, count_windows


def by_definition(windows, proofs, cutoff):
    """A slot is filled when any proof overlaps it; otherwise open after the cutoff, else missing
    (touching missing slots read as one range)."""
    filled = open_ = 0
    missing = []
    for first, last in windows:
        if any(start <= last and first <= end for start, end in proofs):
            filled += 1
        elif last > cutoff:
            open_ += 1
        elif missing and missing[-1][1] + 1 >= first:
            missing[-1] = (missing[-1][0], last)
        else:
            missing.append((first, last))
    return filled, open_, missing


def random_case(rng: random.Random):
    first = rng.randrange(1000)
    last = first + rng.randrange(120)
    proofs = []
    for _ in range(rng.randrange(8)):
        start = first + rng.randrange(-30, 150)
        proofs.append((start, start + rng.choice([0, 0, 1, 3, 10, 40])))
    cutoff = first + rng.randrange(-10, 150)
    return first, last, proofs, cutoff


def test_daily_spans_count_like_one_slot_per_day() -> None:
    for seed in range(400):
        first, last, proofs, cutoff = random_case(random.Random(seed))
        days = [(d, d) for d in range(first, last + 1)]
        assert count_days(first, last, _merged(sorted(proofs)), cutoff) == by_definition(days, proofs, cutoff), seed


def test_windows_count_like_the_definition() -> None:
    for seed in range(400):
        rng = random.Random(seed)
        first, last, proofs, cutoff = random_case(rng)
        size = rng.choice([1, 7, 30, 91])
        windows = [(d, min(d + size - 1, last)) for d in range(first, last + 1, size)]
        assert count_windows(windows, _merged(sorted(proofs)), cutoff) == by_definition(windows, proofs, cutoff), seed
