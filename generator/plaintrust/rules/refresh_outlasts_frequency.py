"""Warn when evidence stays current longer than the control it proves runs.

A quarterly control whose only evidence has `refresh: annual` would look proven for a year after a
missed quarter. The trust center goes by the shorter of the two (a practice is verified only while
its newest evidence is within the control's `frequency` plus 30 days of grace), so the record's
`refresh` promises more than the site will show. A control may also link slower records beside a
series that keeps its pace, such as the policy behind a monthly job log: when any series it links
refreshes within its frequency, the others are not reported.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Control, EvidenceRecord, Model
from plaintrust.status import RUN_EVERY, evidence_health, keeps_pace

ID = "refresh-outlasts-frequency"


def check(model: Model) -> Iterator[Diagnostic]:
    reported: set[tuple[str, str]] = set()
    for control in model.controls:
        if control.frequency not in RUN_EVERY:
            continue
        for record in _outlasting(model, control):
            if (record.id, control.id) not in reported:
                reported.add((record.id, control.id))
                yield record.source.at("refresh").warning(
                    ID, f"refresh {record.refresh!r} outlasts the {control.frequency} schedule of {control.id}, which this "
                        f"record proves; the site shows the evidence as overdue 30 days after a missed {_cycle(control)}",
                    f"set refresh to {control.frequency} (or shorter), or link evidence collected every {_cycle(control)}")


def _outlasting(model: Model, control: Control) -> list[EvidenceRecord]:
    """The newest record of each linked series, when none of them keeps the control's pace."""
    deciding = evidence_health(model, control).deciding
    slow = [r for r in deciding if not keeps_pace(r, control.frequency)]
    return slow if len(slow) == len(deciding) else []


def _cycle(control: Control) -> str:
    return {"daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter",
            "semiannual": "half-year", "annual": "year"}[control.frequency]
