"""A requirement cannot be both satisfied by a control and declared not applicable (itself, or
through an ancestor: declaring PCI `8.4` not applicable covers 8.4.1 to 8.4.3).

Either the control really addresses it (drop the not-applicable entry) or it does not apply (drop
it from the control's `satisfies`); an auditor would read the two claims as a contradiction.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._mappings import mappings

ID = "satisfied-and-not-applicable"


def check(model: Model) -> Iterator[Diagnostic]:
    for mapped in mappings(model, _declared):
        framework, requirement_id = mapped.framework, mapped.requirement_id
        declared = framework.declared_not_applicable(requirement_id) or requirement_id
        na = framework.source.key_at("frameworks", framework.index, "not_applicable", declared)
        through = "" if declared == requirement_id else f" (through {declared})"
        message = (f"{framework.id} {requirement_id} is satisfied here but declared not applicable{through} "
                   f"at {na.path}:{na.line}")
        yield mapped.where().error(ID, message, "keep one of the two claims")


def _declared(framework: Framework, requirement_id: str) -> bool:
    return framework.declared_not_applicable(requirement_id) is not None
