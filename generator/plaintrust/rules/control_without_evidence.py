"""An implemented control with no evidence is a claim without proof: a warning.

On the trust center such a control shows as "Under review", never as "Implemented".
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Status

ID = "control-without-evidence"


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        if control.status is Status.IMPLEMENTED and not control.evidence:
            yield control.source.at("status").warning(ID, f"control {control.id} is implemented but links no evidence",
                                                      "list the evidence records that prove it under `evidence`")
