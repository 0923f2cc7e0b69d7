"""Every not-applicable requirement needs a written justification.

Auditors (and the ISO/IEC 27001 Statement of Applicability) require the reason an excluded
requirement does not apply; an empty value is not one.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "not-applicable-unjustified"


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        for requirement_id, reason in framework.not_applicable.items():
            if not (reason or "").strip():
                where = framework.source.key_at("frameworks", framework.index, "not_applicable", requirement_id)
                yield where.error(ID, f"{framework.id} {requirement_id} is declared not applicable without a justification",
                                  "write why it does not apply after the colon")
