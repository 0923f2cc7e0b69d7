"""trust.json: the trust center for machines (third-party risk tools), at a stable URL.

Built from the public view only, so it carries exactly what the pages show. Its schema,
`trust-center.schema.json`, is published beside it.
"""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

from plaintrust import clock
from plaintrust.boundary.pagenames import TRUST_SCHEMA as SCHEMA_FILE
from plaintrust.boundary.pagenames import feed_topics
from plaintrust.public.pages import LINKS, page_url
from plaintrust.public.view import (
    CertificationView,
    FaqView,
    LedgerPoint,
    NoticeView,
    PublicPolicy,
    PublicView,
    ResilienceView,
)

FORMAT = "plaintrust-trust-center/1"
LOG_FORMAT = "plaintrust-evidence-log/1"
RECENT_DAYS = 90  # resolved notices stay listed this long after their last update


def _day(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def moment(value: dt.datetime | None) -> str | None:
    """A moment as trust.json writes it: UTC, to the second."""
    return clock.stamp(value) if value else None


def _certification(c: CertificationView, base: str) -> dict[str, Any]:
    letter = c.bridge_letter
    return {
        "name": c.kind,
        "auditor": c.auditor,
        "status": c.status.value if c.status else None,
        "period": {"from": c.period[0].isoformat(), "to": c.period[1].isoformat()} if c.period else None,
        "report_date": _day(c.report_date),
        "issued": _day(c.issued),
        "expires": _day(c.expires),
        "last_surveillance": _day(c.last_surveillance),
        "certificate_number": c.certificate_number,
        "bridge_letter": {
            "through": letter.through.isoformat(),
            "url": base + letter.file if letter.file else letter.request_url,
        }
        if letter
        else None,
        "next_report_expected": _month(c.next_report_expected),
        "expected": _month(c.expected),
        "report": c.report,
        "request_url": c.request_url,
        "file": base + c.file if c.file else None,
    }


def _month(value: dt.date | None) -> str | None:
    return value.strftime("%Y-%m") if value else None


def _notice(n: NoticeView, base: str, directory_urls: bool) -> dict[str, Any]:
    return {
        "title": n.title,
        "status": n.status,
        "severity": n.severity,
        "published": moment(n.published),
        "updated": moment(n.updated),
        "next_update_by": moment(n.next_update_by) if n.is_open else None,
        "update_overdue_since": moment(n.overdue_since),
        "affected": n.affected,
        "url": base + page_url(n.page, directory_urls),
    }


def _policy(p: PublicPolicy, base: str, directory_urls: bool) -> dict[str, Any]:
    return {
        "id": p.id,
        "title": p.title,
        "version": p.version,
        "effective": p.effective.isoformat(),
        "next_review": _day(p.next_review),
        "state": p.state.value,
        "url": base + page_url(p.page, directory_urls),
    }


def _faq(faq: FaqView | None) -> dict[str, Any]:
    """`faq` and `on_request`, only when the site has a FAQ: without answers trust.json is as it was."""
    if faq is None:
        return {}
    answers = [
        {
            "question": a.question,
            "answer": a.answer,
            "explanation": a.explanation_text,
            "reviewed_on": a.reviewed_on.isoformat(),
            "review_overdue_since": _day(a.review_overdue_since),
            "holds": a.holds,
        }
        for a in faq.answers
    ]
    return {"faq": answers, "on_request": list(faq.on_request)}


def document(view: PublicView, base: str, directory_urls: bool) -> dict[str, Any]:
    url = lambda src: base + page_url(src, directory_urls)  # noqa: E731 - a local shorthand
    recent = view.today - dt.timedelta(days=RECENT_DAYS)
    return {
        "$schema": base + SCHEMA_FILE,
        "format": FORMAT,
        "organization": view.organization,
        "url": base,
        "as_of": view.today.isoformat(),
        "security_contact": view.security_contact,
        "security_policy": view.security_policy,
        "security_txt": base + LINKS["security_txt"],
        "certifications": [_certification(c, base) for c in view.certifications],
        "categories": [
            {
                "id": c.id,
                "title": c.title,
                "description": c.description,
                "url": url(c.page),
                "implemented": c.implemented,
                "total": len(c.practices),
                "practices": [
                    {
                        "title": p.title,
                        "summary": p.summary_text,
                        "status": p.status.value,
                        "last_verified": p.last_verified.strftime("%Y-%m") if p.last_verified else None,
                        "evidence_problem": p.evidence_problem,
                        "evidence_overdue_since": _day(p.overdue_since),
                    }
                    for p in c.practices
                ],
            }
            for c in view.categories
        ],
        "subprocessors": [
            {
                "name": s.name,
                "purpose": s.purpose,
                "location": s.location,
                "data": s.data,
                "url": s.url,
                "added": s.added.isoformat(),
                "effective": s.effective.isoformat(),
                "objections_until": _day(s.objections_until),
                "objection_contact": s.objection_contact,
                "removed": _day(s.removed),
            }
            for s in view.subprocessors
        ],
        "notices": [_notice(n, base, directory_urls) for n in view.notices if n.is_open or n.updated.date() >= recent],
        "policies": [_policy(p, base, directory_urls) for p in view.policies],
        **_faq(view.faq),
        "feeds": _feeds(view, base),
        "evidence_ledger": _ledger_point(view.evidence_ledger),
        "resilience": _resilience(view.resilience),
    }


def _feeds(view: PublicView, base: str) -> dict[str, Any]:
    """Each topic's Atom feed and the combined one, the same as JSON Feed, and the email sign-up."""
    shown = feed_topics(policies=bool(view.policies))
    return {
        **{topic: base + LINKS[f"{topic}_feed"] for topic in shown},
        "json": {topic: base + LINKS[f"{topic}_json"] for topic in shown},
        "subscribe_url": view.subscribe_url,
    }


def _resilience(r: ResilienceView | None) -> dict[str, Any] | None:
    if r is None:
        return None
    test = r.restore_test
    return {
        "rto": r.rto,
        "rpo": r.rpo,
        "status_page": r.status_page,
        "restore_test": {
            "last": test.last.strftime("%Y-%m") if test.last else None,
            "frequency": test.frequency,
            "overdue_since": _day(test.overdue_since),
        }
        if test
        else None,
    }


def render(view: PublicView, base: str, directory_urls: bool) -> bytes:
    return (json.dumps(document(view, base, directory_urls), indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _ledger_point(point: LedgerPoint | None) -> dict[str, Any] | None:
    return {"entries": point.entries, "head": point.head, "as_of": point.as_of.isoformat()} if point else None


def evidence_log(view: PublicView) -> bytes:
    """evidence-log.json: the ledger's head at the end of each day with pins, oldest first. A later
    build only adds heads (or replaces the last one after more pins that day): any head a reader
    kept stays checkable against the ledger."""
    heads = [_ledger_point(point) for point in view.evidence_log]
    return (json.dumps({"format": LOG_FORMAT, "heads": heads}, indent=2) + "\n").encode("ascii")
