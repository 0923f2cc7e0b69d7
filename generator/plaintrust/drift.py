"""Drift: a control whose watched files changed after its newest evidence was collected.

A control names the files it rests on in `watches` (Terraform, an identity provider's exported
settings, CI workflows). When git says one of them changed after the newest evidence of the control
was collected, that evidence may describe a system that no longer exists: the `control-drift` rule
and the gap report say so. The public status is not touched: it changes only when evidence lapses.

A confirmation (`drift_confirmed_on`) moves the line: a change on or before that day is taken as
checked. Changes on the same day as the newest evidence are not drift (a day is the finest grain
records have). A control that links no evidence has no date to compare with: other rules cover it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass

from plaintrust.model import Control, Model, Watch, WatchChange


@dataclass(frozen=True)
class Drifting:
    """One watch of one control whose newest change came after the control's newest evidence."""

    control: Control
    watch: Watch
    change: WatchChange
    evidence_day: dt.date  # when the control's newest evidence was collected
    confirmed: dt.date | None  # the control's drift_confirmed_on, when older than the change


def newest_evidence(model: Model, control: Control) -> dt.date | None:
    """The day the newest record of any series the control links was collected (none after today)."""
    days = [r.collected for r in model.series_of(control) if r.collected <= model.today]
    return max(days, default=None)


def drifting(model: Model) -> tuple[Drifting, ...]:
    """Every drifting watch, in control order then watch order."""
    return tuple(d for control in model.controls if control.watches for d in _of(model, control))


def _of(model: Model, control: Control) -> Iterator[Drifting]:
    newest = newest_evidence(model, control)
    if newest is None:
        return
    line = max(newest, control.drift_confirmed_on or newest)
    for watch in control.watches:
        fact = model.watch_facts.get(watch.spec)
        if fact is not None and fact.change is not None and fact.change.day > line:
            yield Drifting(control, watch, fact.change, newest, control.drift_confirmed_on)
