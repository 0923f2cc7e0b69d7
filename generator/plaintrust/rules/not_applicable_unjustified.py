"""A requirement is declared not applicable without a justification.

It fires for each key of a framework's `not_applicable` in controls/program.yaml whose value is
missing or blank.

Auditors, and the ISO/IEC 27001 Statement of Applicability, need the reason an excluded
requirement does not apply; without one the gap report says "declared not applicable WITHOUT a
justification".

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write why the requirement does not apply after its colon.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "not-applicable-unjustified"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        for requirement_id, reason in framework.not_applicable.items():
            if not (reason or "").strip():
                where = framework.source.key_at("frameworks", framework.index, "not_applicable", requirement_id)
                yield where.error(
                    ID,
                    f"{framework.id} {requirement_id} is declared not applicable without a justification",
                    "write why it does not apply after the colon",
                )
