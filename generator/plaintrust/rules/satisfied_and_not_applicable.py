"""A requirement cannot be both satisfied by a control and declared not applicable.

Either the control really addresses it (drop the not-applicable entry) or it does not apply (drop
it from the control's `satisfies`); an auditor would read the two claims as a contradiction.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "satisfied-and-not-applicable"


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for control in model.controls:
        for framework_id, requirement_ids in control.satisfies.items():
            framework = model.program.framework(framework_id)
            if framework is None:
                continue
            for index, requirement_id in enumerate(requirement_ids):
                if requirement_id in framework.not_applicable:
                    na = framework.source.key_at("frameworks", framework.index, "not_applicable", requirement_id)
                    where = control.source.at("satisfies", framework_id, index)
                    message = f"{framework_id} {requirement_id} is satisfied here but declared not applicable at {na.path}:{na.line}"
                    yield where.error(ID, message, "keep one of the two claims")
