"""An audit period lasts at most five years.

Audit periods are typically six or twelve months; a longer one is almost always a typo (2062 for
2026), and its slots would stretch the gap report out to that year.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "audit-period"
MAX_DAYS = 5 * 366


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        period = framework.audit_period
        if period and (period.end - period.start).days > MAX_DAYS:
            where = framework.source.at("frameworks", framework.index, "audit_period", "to")
            yield where.error(ID, f"the audit period of {framework.id} lasts more than five years",
                              "check the years of `from` and `to`")
