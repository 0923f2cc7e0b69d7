"""Which evidence records a Type II package holds for one framework. Pure: Model in, records out.

A record belongs in the package when a control mapped to an applicable, in-scope requirement links
its series and it speaks for a day of the audit period (its `covers` period overlaps it or, without
`covers`, it was collected in it: the records that fill audit-period slots). So does the newest
record of the series from before the period when it was still in force (not yet stale) on the
period's first day: the policy or baseline that applied as the period began. Records from after
the period are left out: they prove nothing about it, and the gap report inside lists them all.

A policy belongs in the package when it maps such a requirement and has been approved: a draft
proves nothing, and the gap report inside lists it.
"""

from __future__ import annotations

from plaintrust.internal.gaps import FrameworkReport, ReqStatus
from plaintrust.internal.policyproof import DRAFT, PolicyFinding
from plaintrust.model import EvidenceRecord, Model, Period

_NOT_AUDITED = (ReqStatus.NOT_APPLICABLE, ReqStatus.OUT_OF_SCOPE)


def audited_controls(report: FrameworkReport) -> list[str]:
    """Ids of the controls the report counts for an applicable requirement in scope."""
    return sorted({c.id for row in report.rows if row.status not in _NOT_AUDITED for c in row.controls})


def audited_policies(report: FrameworkReport) -> list[PolicyFinding]:
    """The approved policies the report counts for an applicable requirement in scope, by file."""
    found = {p.path: p for row in report.rows if row.status not in _NOT_AUDITED for p in row.policies}
    return [found[path] for path in sorted(found) if found[path].state != DRAFT]


def records(model: Model, report: FrameworkReport, period: Period) -> list[EvidenceRecord]:
    """The records of the package, in the order of their files in the repository."""
    chosen: dict[str, EvidenceRecord] = {}
    for control_id in audited_controls(report):
        control = model.controls_by_id.get(control_id)
        for series in _series(model.series_of(control) if control else ()):
            chosen.update((r.source.path, r) for r in period_records(series, period))
    return [chosen[path] for path in sorted(chosen)]


def _series(records: tuple[EvidenceRecord, ...]) -> list[list[EvidenceRecord]]:
    grouped: dict[str, list[EvidenceRecord]] = {}
    for record in records:
        grouped.setdefault(record.series, []).append(record)
    return list(grouped.values())


def period_records(series: list[EvidenceRecord], period: Period) -> list[EvidenceRecord]:
    """The records of one series that speak for the period, and the one in force as it began."""
    inside = [r for r in series if r.proves.start <= period.end and period.start <= r.proves.end]
    before = [r for r in series if r.proves.end < period.start]
    if before:
        last = max(before, key=lambda r: (r.proves.end, r.collected, r.id))
        inside += [last] if last.stale_on > period.start else []
    return inside
