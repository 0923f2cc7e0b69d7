"""A control that is `partial` or `planned` has no `remediation` plan.

It fires at `status` for each control whose status is `partial` or `planned` and that has no
`remediation` block. A `not-implemented` control is not asked for one.

The gap report shows each requirement that is not fully met with the remediation of the controls
that hold it back; an auditor asks who closes the gap and by when.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, add `remediation: {plan: ..., owner: ..., due: YYYY-MM-DD}`: what closes the gap, who,
and by when.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Status

ID = "remediation-missing"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        if control.status in (Status.PARTIAL, Status.PLANNED) and control.remediation is None:
            yield control.source.at("status").warning(
                ID,
                f"control {control.id} is {control.status.value} but has no remediation",
                "add `remediation: {plan: ..., owner: ..., due: YYYY-MM-DD}`: what closes the gap, who, and by when",
            )
