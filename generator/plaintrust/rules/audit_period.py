"""A framework's audit period in controls/program.yaml lasts more than five years.

It fires at `audit_period.to` when the period runs more than 1,830 days (five years of 366 days)
from `from` to `to`. Certification periods in site/trust.yaml are not checked here, and a period
that runs backwards is date-range's to report.

Audit periods usually last six or twelve months; a longer one is almost always a typo (2062 for
2026), and the gap report would ask for evidence for every cycle up to that year.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the years of `from` and `to`.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "audit-period"
READS_FILES = False
MAX_DAYS = 5 * 366


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        period = framework.audit_period
        if period and (period.end - period.start).days > MAX_DAYS:
            where = framework.source.at("frameworks", framework.index, "audit_period", "to")
            yield where.error(
                ID,
                f"the audit period of {framework.id} lasts more than five years",
                "check the years of `from` and `to`",
            )
