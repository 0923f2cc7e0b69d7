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
collector, so that `plaintrust evidence collect` gathers it by itself; else a person. A collector
writes only the record of the day it runs, so for a slot it counts only when its slots are the
control's (a weekly control fed monthly needs a person for the other weeks) and the slot is one its
next collection, or a later one, fills: never a slot that has passed. The list comes as aligned
text, CSV, or, for the same tools as the other evidence commands, as warnings (json, github, sarif)
at the record or the control each item is about.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from collections.abc import Iterable
from dataclasses import dataclass

from plaintrust.actions import collect as collecting
from plaintrust.collect import registry, schedule
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.evidence.states import after_duration
from plaintrust.internal import slots
from plaintrust.model import Control, Model, Period, Status

_ACTIVE = (Status.IMPLEMENTED, Status.PARTIAL)
COLUMNS = ("due", "status", "kind", "id", "detail", "owners", "by")
PERSON = "person"
_SINCE = {"stale": "stale since", "missing": "missing since", "due": "due by"}
_ABOUT = {"evidence": "evidence record", "slot": "evidence for control"}


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


def collected_by(model: Model, series: Iterable[str], slot: Period | None = None, size: str | None = None) -> str:
    """`collector NAME (every)` for the series that collect themselves (several joined), else `person`.
    With `slot`, the first of a slot item's slots (each of `size`): only the collectors that fill it."""
    found = []
    for name in sorted(set(series)):
        record = model.collecting.get(name)
        block = record.collect if record is not None else None
        if block is None or registry.find(block.use) is None:
            continue
        if slot is None or (block.every == size and slot.end >= _first_filled(model, name)):
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


def _first_filled(model: Model, series: str) -> dt.date:
    """The first day the series' next collection proves: the day it runs, or (previous-slot) the
    first of the slot before. Each later one proves later days; none goes further back."""
    block = model.collecting[series].collect
    assert block is not None
    when = collecting.next_collection(model, series)
    try:
        return schedule.previous(when, block.every)[0] if block.covers == "previous-slot" else when
    except (OverflowError, ValueError):  # beyond the year 9999
        return dt.date.max


def _slot_by(model: Model, control: Control, first: slots.Slot) -> str:
    """Who fills a run of the control's empty slots starting with `first`: the collectors of the
    series the control links whose slots are the control's (a continuous control is sampled by month)."""
    size = "monthly" if control.frequency == "continuous" else control.frequency
    return collected_by(model, _control_series(model, control), Period(first.start, first.end), size)


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
    month is one line, not thirty); the same run under several frameworks is listed once."""
    found: dict[tuple[str, dt.date, dt.date, str], tuple[Control, list[slots.Slot], list[str]]] = {}
    for control in model.controls:
        for framework_id, period, sampling in _audit_periods(model, control):
            for run in _runs(slots.slots(model, control, period, sampling), until):
                key = (control.id, run[0].start, run[-1].end, run[0].state.value)
                found.setdefault(key, (control, run, []))[2].append(framework_id)
    return [
        _slot_item(control, run, frameworks, _slot_by(model, control, run[0]))
        for control, run, frameworks in found.values()
    ]


def _runs(found: list[slots.Slot], until: dt.date) -> list[list[slots.Slot]]:
    runs: list[list[slots.Slot]] = []
    previous = None
    for slot in found:
        # An open slot joins the to-do list once its grace ends within the window.
        lacking = slot.state is slots.SlotState.MISSING or (
            slot.state is slots.SlotState.OPEN and slots.due(slot) <= until
        )
        if lacking and previous is not None and previous.state is slot.state and runs:
            runs[-1].append(slot)
        elif lacking:
            runs.append([slot])
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
