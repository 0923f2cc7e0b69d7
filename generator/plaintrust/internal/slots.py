"""Audit-period coverage: does the evidence fill every slot of an audit period?

A control that operates quarterly must show evidence for each quarter of a SOC 2 Type II window.
A continuous one is sampled as the framework's `sampling` says: `monthly` (the default) needs
evidence in every calendar month of the period, so a lapse in the middle shows; `edges` needs it
only in the calendar months in which the period starts and ends, for an auditor who samples that
way. Other slots are counted from the period's first day (quarters of a December-to-November period
start in December), weeks are ISO weeks, and every slot is clipped to the period. A slot is filled
when an intact evidence record of the control (or of the series of a linked record) proves a day
inside it: its `covers` period overlaps the slot, or, without `covers`, it was collected in it. A slot stays open (not missing) until 30 days after it ends:
evidence for a period is usually gathered just after it.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from plaintrust.evidence.states import FREQUENCY_MONTHS, add_months
from plaintrust.model import Control, EvidenceRecord, Integrity, Model, Period
from plaintrust.status import GRACE_DAYS

# How a continuous control is sampled (a framework's `sampling` in program.yaml).
MONTHLY, EDGES = "monthly", "edges"


class SlotState(str, enum.Enum):
    FILLED = "filled"
    MISSING = "missing"
    OPEN = "open"  # has not ended yet: evidence may still come


@dataclass(frozen=True)
class Slot:
    start: dt.date
    end: dt.date
    state: SlotState
    evidence: tuple[str, ...] = ()  # ids of the records that fill it

    @property
    def label(self) -> str:
        return (
            self.start.isoformat() if self.start == self.end else f"{self.start.isoformat()} to {self.end.isoformat()}"
        )


def slot_periods(period: Period, frequency: str, sampling: str = MONTHLY) -> list[Period]:
    """The calendar slots of `period` for a control operating at `frequency`."""
    if frequency == "continuous":
        return _calendar_months(period) if sampling == MONTHLY else _edge_months(period)
    if frequency == "daily":
        return [Period(d, d) for d in _days(period)]
    if frequency == "weekly":
        return _weeks(period)
    return _months(period, FREQUENCY_MONTHS[frequency])


def _calendar_months(period: Period) -> list[Period]:
    """Calendar months (not months counted from the period's first day), clipped to the period:
    an auditor samples a continuous control by calendar month."""
    slots, first = [], period.start
    while first <= period.end:
        try:
            last = add_months(first.replace(day=1), 1) - dt.timedelta(days=1)
        except ValueError:  # past year 9999
            last = dt.date.max
        slots.append(Period(first, min(last, period.end)))
        if last >= period.end:
            break
        first = last + dt.timedelta(days=1)
    return slots


def _edge_months(period: Period) -> list[Period]:
    """The first and the last calendar month of the period (one slot if they are the same)."""
    month_end = add_months(period.start.replace(day=1), 1) - dt.timedelta(days=1)
    first = Period(period.start, min(month_end, period.end))
    if first.end >= period.end:
        return [first]
    return [first, Period(max(period.end.replace(day=1), period.start), period.end)]


def _days(period: Period) -> list[dt.date]:
    return [period.start + dt.timedelta(days=i) for i in range((period.end - period.start).days + 1)]


def _weeks(period: Period) -> list[Period]:
    monday = period.start - dt.timedelta(days=period.start.weekday())
    slots = []
    while monday <= period.end:
        sunday = _plus_days(monday, 6)
        slots.append(Period(max(monday, period.start), min(sunday, period.end)))
        if sunday >= period.end:
            break
        monday += dt.timedelta(days=7)
    return slots


def _plus_days(day: dt.date, days: int) -> dt.date:
    """`day` + `days`, stopping at the last representable day (audit periods may end in 9999)."""
    try:
        return day + dt.timedelta(days=days)
    except OverflowError:
        return dt.date.max


def _months(period: Period, size: int) -> list[Period]:
    """Blocks of `size` months counted from the period's first day."""
    slots, index = [], 0
    while (first := add_months(period.start, size * index)) <= period.end:
        try:
            last = add_months(period.start, size * (index + 1)) - dt.timedelta(days=1)
        except ValueError:  # past year 9999
            last = dt.date.max
        slots.append(Period(first, min(last, period.end)))
        if last >= period.end:
            break
        index += 1
    return slots


def missing_ranges(slots: Iterable[Slot]) -> list[Period]:
    """Missing slots merged where they touch: 294 missing days read as one or two ranges."""
    ranges: list[Period] = []
    for slot in slots:
        if slot.state is not SlotState.MISSING:
            continue
        if ranges and ranges[-1].end + dt.timedelta(days=1) >= slot.start:
            ranges[-1] = Period(ranges[-1].start, max(ranges[-1].end, slot.end))
        else:
            ranges.append(Period(slot.start, slot.end))
    return ranges


def proof_records(model: Model, control: Control) -> list[EvidenceRecord]:
    """Intact records that can prove the control operated: linked ones and their whole series."""
    return [r for r in model.series_of(control) if r.integrity is Integrity.OK]


def slots(model: Model, control: Control, period: Period, sampling: str = MONTHLY) -> list[Slot]:
    records = [(r.id, r.proves.start.toordinal(), r.proves.end.toordinal()) for r in proof_records(model, control)]
    cutoff = _cutoff(model)
    result = []
    for window in slot_periods(period, control.frequency, sampling):
        first, last = window.start.toordinal(), window.end.toordinal()
        filling = tuple(rid for rid, start, end in records if start <= last and first <= end)
        state = SlotState.FILLED if filling else (SlotState.OPEN if last > cutoff else SlotState.MISSING)
        result.append(Slot(window.start, window.end, state, filling))
    return result


@dataclass(frozen=True)
class Summary:
    """A control's slots counted, without a Slot object per day (a daily control has 365)."""

    filled: int
    open: int
    missing: tuple[Period, ...]  # merged into ranges


def summarize(model: Model, control: Control, period: Period, sampling: str = MONTHLY) -> Summary:
    proofs = _merged(
        sorted((r.proves.start.toordinal(), r.proves.end.toordinal()) for r in proof_records(model, control))
    )
    first, last = period.start.toordinal(), period.end.toordinal()
    if control.frequency == "daily":  # the common large case: from the proofs' spans, not day by day
        filled, open_, missing = count_days(first, last, proofs, _cutoff(model))
    else:
        windows = _calendar_windows(period, control.frequency, sampling)
        filled, open_, missing = count_windows(windows, proofs, _cutoff(model))
    ranges = tuple(Period(dt.date.fromordinal(a), dt.date.fromordinal(b)) for a, b in missing)
    return Summary(filled, open_, ranges)


Counts = tuple[int, int, list[tuple[int, int]]]  # filled, open, missing ranges (as day ordinals)


def count_windows(windows: Iterable[tuple[int, int]], proofs: list[tuple[int, int]], cutoff: int) -> Counts:
    """Slots filled, open, and missing (adjacent missing slots merged), for ordered, disjoint
    windows and merged proofs."""
    filled = open_ = 0
    missing: list[tuple[int, int]] = []
    j = 0
    for first, last in windows:
        # Windows come in order and never overlap: a proof ending before this one cannot serve later ones.
        while j < len(proofs) and proofs[j][1] < first:
            j += 1
        if j < len(proofs) and proofs[j][0] <= last:
            filled += 1
        elif last > cutoff:
            open_ += 1
        elif missing and missing[-1][1] + 1 >= first:
            missing[-1] = (missing[-1][0], last)
        else:
            missing.append((first, last))
    return filled, open_, missing


def count_days(first: int, last: int, proofs: list[tuple[int, int]], cutoff: int) -> Counts:
    """`count_windows` for one window per day from `first` to `last`, in time linear in the proofs."""
    filled = open_ = 0
    missing: list[tuple[int, int]] = []
    cursor = first  # the first day not yet accounted for
    for start, end in [*proofs, (last + 1, last + 1)]:  # a sentinel closes the last gap
        start, end = min(max(start, first), last + 1), min(end, last)
        if start > cursor:  # days cursor .. start-1 have no proof: missing up to the cutoff, open after it
            if cursor <= cutoff:
                missing.append((cursor, min(start - 1, cutoff)))
            open_ += max(0, start - max(cursor, cutoff + 1))
        if end >= start:
            filled += end - start + 1
        cursor = max(cursor, end + 1)
    return filled, open_, missing


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Sorted (start, end) spans with overlapping ones joined, so each window needs one comparison."""
    merged: list[tuple[int, int]] = []
    for start, end in spans:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged


@lru_cache(maxsize=256)  # thousands of controls share a few (period, frequency, sampling) triples
def _calendar_windows(period: Period, frequency: str, sampling: str) -> tuple[tuple[int, int], ...]:
    return tuple((w.start.toordinal(), w.end.toordinal()) for w in slot_periods(period, frequency, sampling))


def _cutoff(model: Model) -> int:
    """Slots ending after this day (as an ordinal) are still within their grace period."""
    return (model.today - dt.timedelta(days=GRACE_DAYS)).toordinal() - 1


def due(slot: Period | Slot) -> dt.date:
    """The last day evidence for `slot` may arrive before the slot counts as missing."""
    return _plus_days(slot.end, GRACE_DAYS)
