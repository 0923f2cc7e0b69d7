"""Warn before a certification expires (30 days ahead) and once it has expired.

The trust center shows an expired certification as expired; renew it or update its dates.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "certification-expiry"
WARN_DAYS = 30


def check(model: Model) -> Iterator[Diagnostic]:
    if model.trust is None:
        return
    for cert in model.trust.certifications:
        if cert.expires is None:
            continue
        where = model.trust.source.at("certifications", cert.index, "expires")
        left = (cert.expires - model.today).days
        if left < 0:
            yield where.warning(ID, f"{cert.kind} expired on {cert.expires}; the trust center shows it as expired")
        elif left <= WARN_DAYS:
            yield where.warning(ID, f"{cert.kind} expires in {left} day{'s' if left != 1 else ''} ({cert.expires})")
