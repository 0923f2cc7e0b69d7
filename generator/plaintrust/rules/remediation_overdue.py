"""A control's remediation is overdue: its `due` date has passed.

It fires at `remediation.due` when that day is before today, whatever the control's status (a plan
due today is not overdue yet). Today is the date of `SOURCE_DATE_EPOCH` when it is set, else the
current date in UTC.

The gap report flags the requirements the control holds back ("remediation overdue since ...").

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, finish the work, update `status` and remove `remediation`; or agree a new date and set
it as `due`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "remediation-overdue"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        plan = control.remediation
        if plan is not None and plan.due < model.today:
            yield control.source.at("remediation", "due").warning(
                ID,
                f"the remediation of control {control.id} was due on {plan.due}",
                "finish it and update `status` (then remove `remediation`), or set a new `due` date",
            )
