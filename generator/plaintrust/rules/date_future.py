"""A date that says something already happened lies in the future.

Checked: an evidence record's `collected` and the end of its `covers`; in site/trust.yaml, a
certification's `issued`, `report_date`, `last_surveillance` and the end of its `period`; a security
notice's `published` and `updated` (their date in UTC); a policy's `approved_on`; a control's
`drift_confirmed_on`; an answer's `reviewed_on`. Audit periods, `expires`, bridge letters,
expected months, subprocessor dates and a policy's `effective` (a new version announced ahead) may
lie ahead. Today is the date of `SOURCE_DATE_EPOCH` when it is set, else the current date in UTC.

Evidence cannot speak for days that have not happened yet, and a report, notice or approval dated
ahead is a typo that customers and auditors notice. A confirmation that a control's evidence still
holds after a watched file changed (`drift_confirmed_on`) cannot be given ahead either: it would
hide the changes until then. An answer reviewed "ahead" would not fall due for review when it
should.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the date (often its year).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "date-future"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    today = model.today
    for record in model.evidence:
        yield from _after(today, record.collected, record.source, ("collected",), "collected")
        if record.covers:
            yield from _after(today, record.covers.end, record.source, ("covers", "to"), "covers.to")
    if model.trust:
        for cert in model.trust.certifications:
            at = ("certifications", cert.index)
            if cert.issued:
                yield from _after(today, cert.issued, model.trust.source, (*at, "issued"), "issued")
            if cert.period:
                yield from _after(today, cert.period.end, model.trust.source, (*at, "period", "to"), "period.to")
            for name in ("report_date", "last_surveillance"):
                day = getattr(cert, name)
                if day:
                    yield from _after(today, day, model.trust.source, (*at, name), name)
    for notice in model.notices:
        for name in ("published", "updated"):
            yield from _after(today, utc_date(getattr(notice, name)), notice.source, (name,), name)
    for control in model.controls:
        if control.drift_confirmed_on:
            day = control.drift_confirmed_on
            yield from _after(today, day, control.source, ("drift_confirmed_on",), "drift_confirmed_on")
    for policy in model.policies:
        if policy.approved_on:
            yield from _after(today, policy.approved_on, policy.source, ("approved_on",), "approved_on")
    for answer in model.answers:
        yield from _after(today, answer.reviewed_on, answer.source, ("reviewed_on",), "reviewed_on")


def utc_date(moment: dt.datetime) -> dt.date:
    try:
        return moment.astimezone(dt.UTC).date()
    except OverflowError:  # a moment at the very edge of year 1 or 9999
        return moment.date()


def _after(today: dt.date, day: dt.date, document: Document, keys: tuple, name: str) -> Iterator[Diagnostic]:
    if day > today:  # positions are looked up only for a problem: they may mean re-reading the file
        yield document.at(*keys).error(
            ID, f"{name} {day.isoformat()} lies in the future (today is {today.isoformat()})"
        )
