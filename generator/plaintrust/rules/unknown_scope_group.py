"""A framework's `scope` may only name requirement groups of its catalog.

SOC 2 groups: security, availability, confidentiality, processing_integrity, privacy. ISO/IEC 27001:
clause, subclause, organizational, people, physical, technological. PCI DSS: requirements,
appendix-a1, appendix-a2, appendix-a3.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.rules._suggest import did_you_mean

ID = "unknown-scope-group"


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        groups = [g.id for g in framework.catalog.groups]
        scope = framework.source.data["frameworks"][framework.index].get("scope") or []
        for index, group in enumerate(scope):
            if group not in groups:
                where = framework.source.at("frameworks", framework.index, "scope", index)
                hint = did_you_mean(group, groups) or f"groups: {', '.join(groups)}"
                yield where.error(ID, f"{framework.catalog.name} has no requirement group {group!r}", hint)
