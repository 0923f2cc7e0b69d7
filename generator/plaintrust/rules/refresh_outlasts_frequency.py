"""Evidence stays current longer than the control it proves runs: its `refresh` outlasts the control's `frequency`.

It fires for a control whose `frequency` names a cycle (daily to annual; never for `continuous`)
when no series it links keeps pace: the newest record of each stays current, by its `refresh`,
for longer than one cycle of the control plus 30 days (say, `refresh: annual` on a quarterly
control). When one linked series keeps pace (a monthly job log), slower records beside it (the
policy behind the job) are not reported. It points at each slow record's `refresh`.

The trust center goes by the shorter of the two: a practice shows as overdue 30 days after a missed
cycle, whatever `refresh` says. The record promises more than the site will show, and a quarterly
control would otherwise look proven for a year after a missed quarter.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, set `refresh` to the control's frequency or shorter, or link evidence collected every
cycle.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Control, EvidenceRecord, Model
from plaintrust.status import RUN_EVERY, evidence_health, keeps_pace

ID = "refresh-outlasts-frequency"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    reported: set[tuple[str, str]] = set()
    for control in model.controls:
        if control.frequency not in RUN_EVERY:
            continue
        for record in _outlasting(model, control):
            if (record.id, control.id) not in reported:
                reported.add((record.id, control.id))
                yield record.source.at("refresh").warning(
                    ID,
                    f"refresh {record.refresh!r} outlasts the {control.frequency} schedule of {control.id}, which this "
                    f"record proves; the site shows the evidence as overdue 30 days after a missed {_cycle(control)}",
                    f"set refresh to {control.frequency} (or shorter), or link evidence collected every {_cycle(control)}",
                )


def _outlasting(model: Model, control: Control) -> list[EvidenceRecord]:
    """The newest record of each linked series, when none of them keeps the control's pace."""
    deciding = evidence_health(model, control).deciding
    slow = [r for r in deciding if not keeps_pace(r, control.frequency)]
    return slow if len(slow) == len(deciding) else []


def _cycle(control: Control) -> str:
    return {
        "daily": "day",
        "weekly": "week",
        "monthly": "month",
        "quarterly": "quarter",
        "semiannual": "half-year",
        "annual": "year",
    }[control.frequency]
