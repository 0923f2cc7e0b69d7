"""`plaintrust evidence due`: the compliance team's to-do list, sorted by date.

Two kinds of item:
- evidence: a record that is stale, or goes stale within the window. Only the newest record of a
  series counts (an older quarter's review is replaced, not refreshed), and only records a control
  links (directly or through the series): nobody needs to refresh what proves nothing.
- slot: an audit-period slot of a control (see `plaintrust.internal.slots`) without evidence: one that has
  ended (missing), or one that ends within the window (due). Controls that are planned or not
  implemented are left out, as nothing operates yet to leave evidence. A slot shared by several
  frameworks with the same audit period is listed once, naming them all.

Each item names the owners of the controls it proves, and who gathers the evidence (`by`): a
collector, when the series (or one the control links) has a `collect:` block naming an installed
collector, so that `plaintrust evidence collect` gathers it by itself; else a person. For a slot, a
collector counts only when its next collection, or a later one, proves a day of the slot, whatever
the sizes of the two (after the next one, a collector runs once in each of its own slots, as
`collect --due` run every night does). A collection proves the day it runs: it never fills a slot
that has passed; a weekly collector fills every month of a control sampled monthly from this month
on, while a monthly one fills only the weeks of a weekly control it runs in (after its next run,
those holding the first of a month). With `covers: previous-slot` a collection proves the whole
slot of its collector before the day it runs, so it fills every slot that one overlaps, passed or
not, but for a slot of its collector a record already proves a day of, which it never collects.
The list comes as aligned text, CSV, or, for the same tools as the other evidence commands, as
warnings (json, github, sarif) at the record or the control each item is about.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass

from plaintrust.actions import collect as collecting
from plaintrust.collect import registry, schedule
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.evidence.states import after_duration
from plaintrust.internal import slots
from plaintrust.model import Control, Integrity, Model, Period, Status

_ACTIVE = (Status.IMPLEMENTED, Status.PARTIAL)
COLUMNS = ("due", "status", "kind", "id", "detail", "owners", "by")
PERSON = "person"
_SINCE = {"stale": "stale since", "missing": "missing since", "due": "due by"}
_ABOUT = {"evidence": "evidence record", "slot": "evidence for control"}
_DAY = dt.timedelta(days=1)


@dataclass(frozen=True, order=True)
class Item:
    due: dt.date  # the first stale day, or the slot's last day
    kind: str  # evidence | slot
    id: str  # the record or the control
    status: str  # stale | missing (overdue) | due (within the window)
    detail: str
    owners: tuple[str, ...]
    by: str = PERSON  # `collector NAME (every)` when the evidence collects itself


def horizon(today: dt.date, within: str) -> dt.date | None:
    """The window's last day for `within` such as 0d, 30d, 6w, 3m, 1y; None when it does not parse."""
    try:
        return after_duration(today, within)
    except (OverflowError, ValueError):
        return dt.date.max


def due(model: Model, until: dt.date) -> list[Item]:
    return sorted([*stale_records(model, until), *empty_slots(model, until)])


def _owners_by_series(model: Model) -> dict[str, set[str]]:
    owners: dict[str, set[str]] = {}
    for control in model.controls:
        for evidence_id in control.evidence:
            record = model.evidence_by_id.get(evidence_id)
            if record is not None:
                owners.setdefault(record.series, set()).add(control.owner)
    return owners


def collected_by(model: Model, series: Iterable[str], slot: Period | None = None) -> str:
    """`collector NAME (every)` for the series that collect themselves (several joined), else `person`.
    With `slot`, the first of a slot item's slots: only the collectors whose coming collections fill it."""
    found = []
    for name in sorted(set(series)):
        record = model.collecting.get(name)
        block = record.collect if record is not None else None
        if block is None or registry.find(block.use) is None:
            continue
        if slot is None or _fills(model, name, slot):
            found.append(f"collector {block.use} ({block.every})")
    return ", ".join(dict.fromkeys(found)) or PERSON


def self_collecting(model: Model) -> list[str]:
    """The series that collect themselves with an installed collector, by name: `series (NAME, every)`."""
    found = []
    for name, record in sorted(model.collecting.items()):
        block = record.collect
        if block is not None and registry.find(block.use) is not None:
            found.append(f"{name} ({block.use}, {block.every})")
    return found


def _fills(model: Model, series: str, slot: Period) -> bool:
    """Whether the series' next collection, or a later one, proves a day of `slot`, which is what
    fills a slot (`plaintrust.internal.slots`). After the next one, the series collects once in each
    of its slots, as `plaintrust evidence collect --due` run every day does."""
    block = model.collecting[series].collect
    assert block is not None
    first = collecting.next_collection(model, series)
    if first == dt.date.max:  # never: the calendar ends first
        return False
    try:
        if block.covers == "previous-slot":
            return _covers_a_day(model, series, block.every, schedule.previous(first, block.every)[0], slot)
        return _runs_on_a_day(first, block.every, slot)
    except (OverflowError, ValueError):  # beyond the year 9999
        return False


def _runs_on_a_day(first: dt.date, every: str, slot: Period) -> bool:
    """Whether a series proving the day it runs runs on a day of `slot`: on `first`, then on the
    first day of each of its slots after the one `first` is in."""
    if first >= slot.start:
        return first <= slot.end
    start, end = schedule.slot(slot.start, every)
    if start < slot.start:  # that slot's collection comes before `slot`: the next slot's is the first inside
        if end == dt.date.max:
            return False
        start = end + _DAY
    return start <= slot.end


def _covers_a_day(model: Model, series: str, every: str, first: dt.date, slot: Period) -> bool:
    """Whether a `previous-slot` series proves a day of `slot`: each of its slots from the one
    starting on `first` is proved in turn (on the first day of the slot after), but for those a
    record of it already proves a day of, which `plaintrust evidence collect` skips."""
    held = [r.proves for r in model.series[series] if r.collected <= model.today and r.integrity is Integrity.OK]
    day = max(first, slot.start)
    while day <= slot.end:
        start, end = schedule.slot(day, every)
        if end == dt.date.max:  # no slot after it, so no day to collect it on
            return False
        if not any(p.start <= end and start <= p.end for p in held):
            return True
        day = end + _DAY
    return False


def _slot_by(model: Model, control: Control, slot: slots.Slot) -> str:
    """Who fills one of the control's empty slots: the collectors of the series it links that fill
    it, else a person."""
    return collected_by(model, _control_series(model, control), Period(slot.start, slot.end))


def _control_series(model: Model, control: Control) -> set[str]:
    return {model.evidence_by_id[e].series for e in control.evidence if e in model.evidence_by_id}


def stale_records(model: Model, until: dt.date) -> list[Item]:
    owners = _owners_by_series(model)
    items = []
    for record in model.evidence:
        if record.superseded_by or record.series not in owners or record.stale_on > until:
            continue
        stale = record.stale_on <= model.today
        when = f"stale since {record.stale_on}" if stale else f"goes stale on {record.stale_on}"
        detail = f"{record.title} ({when}; collected {record.collected}, refresh {record.refresh})"
        items.append(
            Item(
                record.stale_on,
                "evidence",
                record.id,
                "stale" if stale else "due",
                detail,
                tuple(sorted(owners[record.series])),
                collected_by(model, [record.series]),
            )
        )
    return items


def empty_slots(model: Model, until: dt.date) -> list[Item]:
    """Runs of consecutive slots without evidence, one item per run (a daily control missing a
    month is one line, not thirty); the same run under several frameworks is listed once. A run
    ends where who fills the slots changes, so that `by` holds for every slot of an item."""
    found: dict[tuple[str, dt.date, dt.date, str], tuple[Control, list[slots.Slot], str, list[str]]] = {}
    for control in model.controls:
        for framework_id, period, sampling in _audit_periods(model, control):
            filled_by = functools.partial(_slot_by, model, control)
            for run, by in _runs(slots.slots(model, control, period, sampling), until, filled_by):
                key = (control.id, run[0].start, run[-1].end, run[0].state.value)
                found.setdefault(key, (control, run, by, []))[3].append(framework_id)
    return [_slot_item(control, run, frameworks, by) for control, run, by, frameworks in found.values()]


def _runs(
    found: list[slots.Slot], until: dt.date, filled_by: Callable[[slots.Slot], str]
) -> list[tuple[list[slots.Slot], str]]:
    runs: list[tuple[list[slots.Slot], str]] = []
    previous = None
    for slot in found:
        # An open slot joins the to-do list once its grace ends within the window.
        lacking = slot.state is slots.SlotState.MISSING or (
            slot.state is slots.SlotState.OPEN and slots.due(slot) <= until
        )
        by = filled_by(slot) if lacking else PERSON
        if lacking and previous is not None and previous.state is slot.state and runs[-1][1] == by:
            runs[-1][0].append(slot)
        elif lacking:
            runs.append(([slot], by))
        previous = slot if lacking else None
    return runs


def _audit_periods(model: Model, control: Control) -> list[tuple[str, Period, str]]:
    if model.program is None or control.status not in _ACTIVE:
        return []
    frameworks = (model.program.framework(f) for f in control.satisfies)
    return [(f.id, f.audit_period, f.sampling) for f in frameworks if f is not None and f.audit_period is not None]


def _slot_item(control: Control, run: list[slots.Slot], frameworks: list[str], by: str) -> Item:
    start, end = run[0].start, run[-1].end
    label = str(start) if start == end else f"{start} to {end}"
    count = f"{len(run)} {control.frequency} slot{'s' * (len(run) != 1)}"
    status = "missing" if run[0].state is slots.SlotState.MISSING else "due"
    detail = f"{control.title}: no evidence for {label} ({count}; {', '.join(frameworks)} audit period)"
    when = run[0].end if run[0].state is slots.SlotState.MISSING else slots.due(run[0])
    return Item(when, "slot", control.id, status, detail, (control.owner,), by)


def as_rows(items: list[Item]) -> list[tuple[str, ...]]:
    return [(str(i.due), i.status, i.kind, i.id, i.detail, " ".join(i.owners), i.by) for i in items]


def as_csv(items: list[Item]) -> str:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    writer.writerows(as_rows(items))
    return buffer.getvalue()


def as_text(items: list[Item]) -> str:
    """Aligned columns, the detail last."""
    if not items:
        return ""
    header = ("due", "status", "kind", "id", "owners", "by", "detail")
    rows = [header, *((str(i.due), i.status, i.kind, i.id, ", ".join(i.owners) or "-", i.by, i.detail) for i in items)]
    widths = [max(len(row[column]) for row in rows) for column in range(6)]
    return "".join(
        "  ".join([*(v.ljust(w) for v, w in zip(row[:6], widths, strict=True)), row[6]]) + "\n" for row in rows
    )


def shown(model: Model, items: list[Item], fmt: str) -> str:
    """The list as aligned `text`, `csv`, or diagnostics in any reporter's format (json, github, sarif)."""
    from plaintrust.reporters import REPORTERS

    if fmt == "text":
        return as_text(items)
    if fmt == "csv":
        return as_csv(items)
    return REPORTERS[fmt](as_diagnostics(model, items))


def as_diagnostics(model: Model, items: list[Item]) -> list[Diagnostic]:
    """One warning per item, at the record's `collected` or the control's `evidence`, so that CI
    annotates the file to act on. Warnings, not errors: what is due is work to do, not a broken file."""
    return [
        _where(model, item).warning(
            f"due-{item.kind}",
            f"{_ABOUT[item.kind]} {item.id} {_SINCE[item.status]} {item.due}: {item.detail}",
            _hint(item),
        )
        for item in items
    ]


def _hint(item: Item) -> str:
    owners = f"owners: {', '.join(item.owners)}; " if item.owners else ""
    return f"{owners}by: {item.by}"


def _where(model: Model, item: Item) -> Location:
    if item.kind == "evidence":
        return model.evidence_by_id[item.id].source.key_at("collected")
    return model.controls_by_id[item.id].source.key_at("evidence")
