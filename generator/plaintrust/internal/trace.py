"""Traceability for the gap report: from a control to every record of its evidence series, from
each audit-period slot to the records that fill it, from each record to the controls it proves,
and the remediation planned for a control that is not yet in place. Pure: no I/O.

Slots are listed as runs: neighbouring slots with the same state and the same records are merged,
so a daily control reads as a few date ranges ("2026-04-01 to 2026-04-30 filled by logs-2026-04"),
not 365 lines.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache

from plaintrust.internal import slots
from plaintrust.model import Control, Model, Period
from plaintrust.status import GRACE_DAYS


@dataclass(frozen=True)
class RecordRef:
    """One record of a control's evidence series, as an auditor asks for it."""

    id: str
    collected: dt.date
    state: str  # current | stale | superseded | missing | tampered


@dataclass(frozen=True)
class SlotRun:
    """Neighbouring audit-period slots with the same state, filled by the same records."""

    start: dt.date
    end: dt.date
    state: str  # filled | missing | open
    evidence: tuple[str, ...]  # ids of the records that fill every slot of the run
    slots: int  # how many slots of the control's frequency the run holds


@dataclass(frozen=True)
class RemediationItem:
    control: str
    plan: str
    owner: str
    due: dt.date
    overdue: bool  # `due` is before today


def series_records(model: Model, control: Control) -> tuple[RecordRef, ...]:
    """Every record of every series the control links, oldest first within each series."""
    records = model.series_of(control)  # grouped by series, in the order the control links them
    rank = {name: index for index, name in enumerate(dict.fromkeys(r.series for r in records))}
    ordered = sorted(records, key=lambda r: (rank[r.series], r.collected, r.id))
    return tuple(RecordRef(r.id, r.collected, r.state.value) for r in ordered)


def controls_by_series(model: Model) -> Mapping[str, tuple[str, ...]]:
    """Series name -> ids of the controls that link any record of it (linking one links them all)."""
    found: dict[str, list[str]] = {}
    for control in model.controls:
        names = dict.fromkeys(model.evidence_by_id[i].series for i in control.evidence if i in model.evidence_by_id)
        for name in names:
            found.setdefault(name, []).append(control.id)
    return {name: tuple(ids) for name, ids in found.items()}


def remediation(control: Control, today: dt.date) -> RemediationItem | None:
    plan = control.remediation
    if plan is None:
        return None
    return RemediationItem(control.id, plan.plan, plan.owner, plan.due, plan.due < today)


Proof = tuple[int, int, str]  # first and last day proved (ordinals), record id


def slot_runs(model: Model, control: Control, period: Period, sampling: str = slots.MONTHLY) -> tuple[SlotRun, ...]:
    """The control's audit-period slots, with the records that fill each, merged into runs."""
    proofs = sorted(
        (r.proves.start.toordinal(), r.proves.end.toordinal(), r.id) for r in slots.proof_records(model, control)
    )
    # A slot is open, not missing, while its grace period lasts: it ends on or after this day.
    open_from = (model.today - dt.timedelta(days=GRACE_DAYS)).toordinal()
    first, last = period.start.toordinal(), period.end.toordinal()
    if control.frequency == "daily":
        runs = _daily(first, last, proofs, open_from)
    else:
        runs = _windows(_calendar_windows(period, control.frequency, sampling), proofs, open_from)
    return tuple(SlotRun(dt.date.fromordinal(a), dt.date.fromordinal(b), state, ids, n) for a, b, state, ids, n in runs)


Run = list  # [first, last, state, record ids, slot count]


@lru_cache(maxsize=256)  # thousands of controls share a few (period, frequency, sampling) triples
def _calendar_windows(period: Period, frequency: str, sampling: str) -> tuple[tuple[int, int], ...]:
    return tuple((w.start.toordinal(), w.end.toordinal()) for w in slots.slot_periods(period, frequency, sampling))


def _windows(windows: tuple[tuple[int, int], ...], proofs: list[Proof], open_from: int) -> list[Run]:
    runs: list[Run] = []
    live: list[Proof] = []
    j, count = 0, len(proofs)
    for first, last in windows:  # in order and disjoint: a proof that ended before one cannot serve later ones
        while j < count and proofs[j][0] <= last:
            live.append(proofs[j])
            j += 1
        if live and any(p[1] < first for p in live):
            live = [p for p in live if p[1] >= first]
        _extend(runs, first, last, tuple(p[2] for p in live), open_from, 1)
    return runs


def _daily(first: int, last: int, proofs: list[Proof], open_from: int) -> list[Run]:
    """`_windows` for one window per day, in time linear in the proofs: between two days on which
    a proof starts or ends, every day has the same records (a sweep over those days)."""
    inside = [p for p in proofs if p[0] <= last and p[1] >= first]
    starts = sorted((max(p[0], first), n) for n, p in enumerate(inside))
    ends = sorted((p[1] + 1, n) for n, p in enumerate(inside))
    cuts = sorted(
        {
            first,
            last + 1,
            *([open_from] if first < open_from <= last else []),
            *(day for day, _ in starts),
            *(day for day, _ in ends if day <= last),
        }
    )
    runs: list[Run] = []
    active: dict[int, None] = {}  # indexes into `inside`, in the order the proofs start
    i = j = 0
    for day, stop in itertools.pairwise(cuts):
        while i < len(starts) and starts[i][0] <= day:
            active[starts[i][1]] = None
            i += 1
        while j < len(ends) and ends[j][0] <= day:
            active.pop(ends[j][1], None)
            j += 1
        _extend(runs, day, stop - 1, tuple(inside[n][2] for n in active), open_from, stop - day)
    return runs


def _extend(runs: list[Run], first: int, last: int, ids: tuple[str, ...], open_from: int, slots: int) -> None:
    state = "filled" if ids else ("open" if last >= open_from else "missing")
    previous = runs[-1] if runs else None
    if previous and previous[1] + 1 == first and previous[2] == state and previous[3] == ids:
        previous[1] = last
        previous[4] += slots
    else:
        runs.append([first, last, state, ids, slots])
