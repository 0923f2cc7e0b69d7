"""A certification is about to stop being current, has stopped, or its promised report is late.

For each certification in site/trust.yaml it fires:

- for a certificate (one with `expires`): from 60 days before `expires`, and after it has passed;
- for a report on an audit period (a `period` and no `expires`, such as SOC 2 Type II): from 60 days
  before it goes out of date, 12 months after `period.to` (or after `bridge_letter.through` if that
  is later), and once it is out of date;
- when the `expected` month of an audit in progress, or a `next_report_expected` month, has ended;
- when a bridge letter's `through` lies more than 183 days after today: it would keep an old report
  current on a promise.

Customers and procurement teams check these dates first. The trust center shows each state as it
is ("Renewal due", "Expired", "Out of date"), so this warns before they see it.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, publish the new report's `period` or the new `expires`, a `bridge_letter`, or a later
expected month; set `through` to the last day the bridge letter really covers.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust import currency
from plaintrust.core import Document
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Certification, Model

ID = "certification-expiry"
READS_FILES = True  # dates' positions are looked up before they are judged: a cached trust.yaml is read again
WARN_DAYS = currency.RENEWAL_DAYS
BRIDGE_AHEAD_DAYS = 183  # a bridge letter speaks for the months since the report, not the year ahead


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    for cert in model.trust.certifications:
        yield from _expiry(cert, model.today, model.trust.source)
        yield from _report_age(cert, model.today, model.trust.source)
        yield from _late(cert, model.today, model.trust.source)
        yield from _bridge_reach(cert, model.today, model.trust.source)


def _expiry(cert: Certification, today: dt.date, doc: Document) -> Iterator[Diagnostic]:
    if cert.expires is None:
        return
    where = doc.at("certifications", cert.index, "expires")
    left = (cert.expires - today).days
    if left < 0:
        yield where.warning(ID, f"{cert.kind} expired on {cert.expires}; the trust center shows it as expired")
    elif left <= WARN_DAYS:
        yield where.warning(ID, f"{cert.kind} expires in {_days(left)} ({cert.expires})")


def _report_age(cert: Certification, today: dt.date, doc: Document) -> Iterator[Diagnostic]:
    """A report on an audit period (no expiry date) goes out of date 12 months after the period."""
    if cert.period is None or cert.period.end < cert.period.start or cert.expires is not None:
        return  # a backwards period is date-range's error already
    last = currency.current_until(cert)
    by_letter = cert.bridge_letter is not None and last == cert.bridge_letter.through
    keys = ("bridge_letter", "through") if by_letter else ("period", "to")
    where = doc.at("certifications", cert.index, *keys)
    hint = "publish the new report's period, or a bridge_letter whose `through` covers the days until it is out"
    left = (last - today).days
    if left < 0:
        why = (
            f"its bridge letter ran to {last}"
            if by_letter
            else f"its audit period ended on {cert.period.end}, more than 12 months ago"
        )
        yield where.warning(ID, f"{cert.kind} is shown as out of date: {why}", hint)
    elif left <= WARN_DAYS:
        first = last + dt.timedelta(days=1)
        yield where.warning(ID, f"{cert.kind} will be shown as out of date in {_days(left + 1)} ({first})", hint)


def _late(cert: Certification, today: dt.date, doc: Document) -> Iterator[Diagnostic]:
    """A month the page promises a report in must not have passed."""
    in_progress = cert.state == "in-progress"
    key, month = ("expected", cert.expected) if in_progress else ("next_report_expected", cert.next_report_expected)
    if month is None or not currency.month_over(month, today):
        return
    where = doc.at("certifications", cert.index, key)
    yield where.warning(
        ID,
        f"{cert.kind}: the trust center says a report is expected in {month:%B %Y}, which has passed",
        "publish the report and its dates, or move the expected month",
    )


def _bridge_reach(cert: Certification, today: dt.date, doc: Document) -> Iterator[Diagnostic]:
    """A bridge letter vouches for days up to when it was signed; far ahead, it is a promise."""
    letter = cert.bridge_letter
    if letter is None or (letter.through - today).days <= BRIDGE_AHEAD_DAYS:
        return
    yield doc.at("certifications", cert.index, "bridge_letter", "through").warning(
        ID,
        f"{cert.kind}: its bridge letter claims to cover up to {letter.through}, more than "
        f"{BRIDGE_AHEAD_DAYS} days ahead; the site shows the report as current until then",
        "set `through` to the last day the letter covers, as written in it",
    )


def _days(count: int) -> str:
    return f"{count} day{'s' if count != 1 else ''}"
