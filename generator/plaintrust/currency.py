"""How current a certification is on a given day: the one judgement the site, trust.json and `check` share.

A report on an audit period (SOC 2 Type II) is current for 12 months after its period ends, and
longer while a bridge letter covers today; customers and procurement teams treat an older one as out
of date. A certificate (ISO/IEC 27001, a PCI DSS attestation) is valid until it expires, with its
renewal due in the last 60 days. An audit under way is in progress. Pure: no I/O.
"""

from __future__ import annotations

import calendar
import datetime as dt
import enum

from plaintrust.evidence import states
from plaintrust.model import Certification

REPORT_MONTHS = 12  # a report is current this long after its audit period ends
RENEWAL_DAYS = 60  # a certificate's renewal is due this many days before it expires


class Standing(str, enum.Enum):
    """The status trust.json publishes for a certification; the badge on the page follows it."""

    CURRENT = "current"  # a report whose period ended at most 12 months ago, or a bridge letter covers today
    OUT_OF_DATE = "out-of-date"  # a report whose period ended more than 12 months ago, with no bridge letter for today
    IN_PROGRESS = "in-progress"  # an audit under way: no report yet
    VALID = "valid"  # a certificate more than 60 days before its expiry
    RENEWAL_DUE = "renewal-due"  # a certificate in its last 60 days
    EXPIRED = "expired"  # a certificate past its expiry date
    ISSUED = "issued"  # only an issue date is published: nothing says how long it holds


SHOWN_CURRENT = frozenset({Standing.CURRENT, Standing.VALID})  # the green badges


def standing(cert: Certification, today: dt.date) -> Standing | None:
    """None when no dates are published, so nothing can be said."""
    if cert.state == "in-progress":
        return Standing.IN_PROGRESS
    if cert.expires:
        if cert.expires < today:
            return Standing.EXPIRED
        return Standing.RENEWAL_DUE if (cert.expires - today).days <= RENEWAL_DAYS else Standing.VALID
    if cert.period:
        return Standing.CURRENT if today <= current_until(cert) else Standing.OUT_OF_DATE
    return Standing.ISSUED if cert.issued else None


def current_until(cert: Certification) -> dt.date:
    """The last day a report on an audit period is current: 12 months after the period ends, or
    the day its bridge letter runs to if that is later. Only for an entry with a `period`."""
    assert cert.period is not None
    own = add_months(cert.period.end, REPORT_MONTHS)
    bridge = cert.bridge_letter.through if cert.bridge_letter else own
    return max(own, bridge)


def add_months(day: dt.date, months: int) -> dt.date:
    """`states.add_months`, with dt.date.max past year 9999: a typo such as 9999 for 2025 must not crash `check`."""
    try:
        return states.add_months(day, months)
    except ValueError:
        return dt.date.max


def month_over(month: dt.date, today: dt.date) -> bool:
    """Whether the month that starts on `month` has ended by `today`."""
    return today > dt.date(month.year, month.month, calendar.monthrange(month.year, month.month)[1])
