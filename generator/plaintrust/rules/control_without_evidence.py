"""A control marked `implemented` links no evidence.

It fires at `status` when a control's status is `implemented` and its `evidence` list is empty or
absent.

A claim without proof: on the trust center the practice shows as Under review ("No evidence on file
yet"), never as Implemented, and the gap report counts the control as only partly effective.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, list the ids of the evidence records that prove it under `evidence`
(`plaintrust evidence new FILE --control ID` scaffolds a record for it).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Status

ID = "control-without-evidence"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        if control.status is Status.IMPLEMENTED and not control.evidence:
            yield control.source.at("status").warning(
                ID,
                f"control {control.id} is implemented but links no evidence",
                "list the evidence records that prove it under `evidence`",
            )
