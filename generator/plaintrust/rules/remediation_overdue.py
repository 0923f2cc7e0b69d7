"""Warning: a control's remediation is overdue: its `due` date has passed.

The gap report flags the requirements it holds back ("remediation overdue since ..."). Finish the
plan and update the control's status (and remove the remediation), or agree a new due date.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "remediation-overdue"


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        plan = control.remediation
        if plan is not None and plan.due < model.today:
            yield control.source.at("remediation", "due").warning(
                ID, f"the remediation of control {control.id} was due on {plan.due}",
                "finish it and update `status` (then remove `remediation`), or set a new `due` date")
