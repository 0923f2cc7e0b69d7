"""A date range runs backwards, or evidence covers days after it was collected.

Checked: an evidence record's `covers` (`from` after `to`, or `to` after `collected`); a framework's
`audit_period` in controls/program.yaml; in site/trust.yaml, a certification's `period`, `expires`
on or before `issued`, a `report_date` before the period ends, a `bridge_letter` whose `through` is
not after the period ends, and a subprocessor's `removed` before `added`; a security notice's
`updated` earlier than `published`.

Every status, badge and coverage figure worked out from such dates would be wrong.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the date the message points at (often swapped with its partner, or a wrong year).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Period, TrustProfile

ID = "date-range"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for record in model.evidence:
        yield from _period(record.covers, record.source, ("covers", "to"), "covers")
        if record.covers and record.covers.end > record.collected:
            yield record.source.at("covers", "to").error(
                ID,
                f"covers runs to {record.covers.end}, after the record was collected ({record.collected})",
                "evidence speaks only for days before it was gathered",
            )
    if model.program:
        for framework in model.program.frameworks:
            keys = ("frameworks", framework.index, "audit_period", "to")
            yield from _period(framework.audit_period, framework.source, keys, "audit_period")
    if model.trust:
        yield from _trust(model.trust)
    for notice in model.notices:
        if notice.updated < notice.published:
            yield notice.source.at("updated").error(ID, "updated is earlier than published")


def _trust(trust: TrustProfile) -> Iterator[Diagnostic]:
    doc = trust.source
    for cert in trust.certifications:
        yield from _period(cert.period, doc, ("certifications", cert.index, "period", "to"), "period")
        if cert.issued and cert.expires and cert.expires <= cert.issued:
            yield doc.at("certifications", cert.index, "expires").error(ID, "expires is not after issued")
        letter = cert.bridge_letter
        if cert.period and letter and letter.through <= cert.period.end:
            yield doc.at("certifications", cert.index, "bridge_letter", "through").error(
                ID,
                f"the bridge letter's through ({letter.through}) is not after the audit period ends ({cert.period.end})",
                "a bridge letter covers the days after the report's period",
            )
        if cert.period and cert.report_date and cert.report_date < cert.period.end:
            yield doc.at("certifications", cert.index, "report_date").error(
                ID,
                f"report_date {cert.report_date} is before the audit period ends ({cert.period.end})",
                "an auditor signs a Type II report only after its period ends",
            )
    for index, sub in enumerate(trust.subprocessors):
        if sub.removed and sub.removed < sub.added:
            yield doc.at("subprocessors", index, "removed").error(ID, f"{sub.name}: removed is earlier than added")


def _period(period: Period | None, document: Document, keys: tuple, name: str) -> Iterator[Diagnostic]:
    if period and period.end < period.start:  # positions only for a problem: they may mean re-reading
        yield document.at(*keys).error(ID, f"{name} ends ({period.end}) before it starts ({period.start})")
