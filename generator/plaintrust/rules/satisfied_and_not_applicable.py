"""A requirement is both satisfied by a control or policy and declared not applicable.

It fires at the control's or policy's `satisfies` entry when the requirement, or one of its
ancestors in the catalog, is a key of the framework's `not_applicable` in controls/program.yaml:
declaring PCI DSS `8.4` not applicable covers 8.4.1 to 8.4.3. The message says where the not-applicable entry is.

An auditor reads the two claims as a contradiction.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, keep one claim. If the control or policy really addresses the requirement, drop
the not-applicable entry; if the requirement does not apply, drop it from its `satisfies`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._mappings import mappings

ID = "satisfied-and-not-applicable"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for mapped in mappings(model, _declared):
        framework, requirement_id = mapped.framework, mapped.requirement_id
        declared = framework.declared_not_applicable(requirement_id) or requirement_id
        na = framework.source.key_at("frameworks", framework.index, "not_applicable", declared)
        through = "" if declared == requirement_id else f" (through {declared})"
        message = (
            f"{framework.id} {requirement_id} is satisfied here but declared not applicable{through} "
            f"at {na.path}:{na.line}"
        )
        yield mapped.where().error(ID, message, "keep one of the two claims")


def _declared(framework: Framework, requirement_id: str) -> bool:
    return framework.declared_not_applicable(requirement_id) is not None
