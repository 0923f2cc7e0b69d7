"""Model -> PublicView: the only thing the trust center is rendered from.

This is the allow-list. A field reaches the site only if a line below copies it into a view object;
everything else in the model (owners, descriptions, evidence, program details, control titles and
ids) stays behind.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from dataclasses import dataclass

from markupsafe import Markup

from plaintrust.model import Certification, Model, Notice, PublicDocument, Subprocessor
from plaintrust.render.safe_text import inline, safe_url
from plaintrust.status import PublicStatus, evidence_health, public_status

EXPIRY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Practice:
    title: str | None
    summary: Markup
    status: PublicStatus
    last_verified: dt.date | None
    anchor: str | None = None  # id of its heading: a link target and a search result of its own


@dataclass(frozen=True)
class CategoryView:
    id: str
    title: str
    description: str
    practices: tuple[Practice, ...]

    @property
    def implemented(self) -> int:
        return sum(1 for p in self.practices if p.status is PublicStatus.IMPLEMENTED)

    @property
    def page(self) -> str:
        return f"practices/{self.id}.md"


@dataclass(frozen=True)
class Badge:
    label: str
    tone: str  # ok | warn | bad | info


@dataclass(frozen=True)
class CertificationView:
    kind: str
    auditor: str
    period: tuple[dt.date, dt.date] | None
    issued: dt.date | None
    expires: dt.date | None
    certificate_number: str | None
    report: str  # public | on-request | nda
    request_url: str | None
    file: str | None
    badge: Badge | None  # None: no dates were published, so no badge


@dataclass(frozen=True)
class DocumentView:
    title: str
    description: str
    access: str
    request_url: str | None
    file: str | None


@dataclass(frozen=True)
class PublicView:
    organization: str
    tagline: str
    security_contact: str
    security_policy: str | None
    preferred_languages: tuple[str, ...]
    logo: str | None
    color: str | None
    categories: tuple[CategoryView, ...]
    certifications: tuple[CertificationView, ...]
    documents: tuple[DocumentView, ...]
    subprocessors: tuple[Subprocessor, ...]
    notices: tuple[Notice, ...]
    today: dt.date

    @property
    def practice_count(self) -> int:
        return sum(len(c.practices) for c in self.categories)

    @property
    def implemented_count(self) -> int:
        return sum(c.implemented for c in self.categories)


def build(model: Model) -> PublicView:
    """The public view of a model whose trust profile loaded (the pipeline guarantees it before a build)."""
    trust = model.trust
    assert trust is not None, "the site is built only from a repository whose site/trust.yaml is valid"
    return PublicView(
        organization=trust.organization, tagline=trust.tagline,
        security_contact=trust.security_contact, security_policy=trust.security_policy,
        preferred_languages=trust.preferred_languages, logo=trust.logo, color=trust.color,
        categories=_categories(model),
        certifications=tuple(certification(c, model.today) for c in trust.certifications),
        documents=tuple(_document(d) for d in trust.documents),
        subprocessors=trust.subprocessors,
        notices=tuple(sorted(model.notices, key=lambda n: (n.published, n.slug), reverse=True)),
        today=model.today,
    )


def _categories(model: Model) -> tuple[CategoryView, ...]:
    grouped: dict[str, list[Practice]] = {c.id: [] for c in model.trust.categories}
    for control in sorted(model.controls, key=lambda c: c.id):
        public = control.public
        if public and public.category in grouped and (public.summary or "").strip():
            health = evidence_health(model, control)
            grouped[public.category].append(Practice(
                title=public.title, summary=inline(public.summary.strip()),
                status=public_status(control, health), last_verified=health.last_verified,
            ))
    return tuple(
        CategoryView(c.id, c.title, c.description, _anchored(grouped[c.id]))
        for c in model.trust.categories if grouped[c.id]
    )


def _anchored(practices: list[Practice]) -> tuple[Practice, ...]:
    taken: set[str] = set()
    result = []
    for practice in practices:
        slug = re.sub(r"[^a-z0-9]+", "-", (practice.title or "").lower()).strip("-")
        anchor = slug or None
        if anchor:
            anchor = next(f"{slug}-{n}" if n > 1 else slug for n in range(1, len(practices) + 2)
                          if (f"{slug}-{n}" if n > 1 else slug) not in taken)
            taken.add(anchor)
        result.append(dataclasses.replace(practice, anchor=anchor))
    return tuple(result)


def certification(cert: Certification, today: dt.date) -> CertificationView:
    return CertificationView(
        kind=cert.kind, auditor=cert.auditor,
        period=(cert.period.start, cert.period.end) if cert.period else None,
        issued=cert.issued, expires=cert.expires, certificate_number=cert.certificate_number,
        report=cert.report, request_url=_url(cert.request_url), file=cert.file,
        badge=badge(cert, today),
    )


def badge(cert: Certification, today: dt.date) -> Badge | None:
    """Derived from the dates alone: valid, expiring, expired, or an audited period."""
    if cert.expires:
        if cert.expires < today:
            return Badge("Expired", "bad")
        if (cert.expires - today).days <= EXPIRY_NOTICE_DAYS:
            return Badge("Renewal due", "warn")
        return Badge("Valid", "ok")
    if cert.period:
        return Badge("Audited", "ok")
    if cert.issued:
        return Badge("Issued", "info")
    return None


def _document(document: PublicDocument) -> DocumentView:
    return DocumentView(document.title, document.description, document.access,
                        _url(document.request_url), document.file)


def _url(url: str | None) -> str | None:
    return safe_url(url) if url else None


def public_texts(view: PublicView) -> list[str]:
    """Every text the view publishes, for the leak guard: what is published here is not a leak."""
    texts = [view.organization, view.tagline, view.security_contact, view.security_policy or ""]
    for category in view.categories:
        texts += [category.title, category.description]
        texts += [t for p in category.practices for t in (p.title or "", str(p.summary))]
    for c in view.certifications:
        texts += [c.kind, c.auditor, c.certificate_number or "", c.file or "", c.request_url or ""]
    for d in view.documents:
        texts += [d.title, d.description, d.file or "", d.request_url or ""]
    for s in view.subprocessors:
        texts += [s.name, s.purpose, s.location, s.data, s.url or ""]
    for n in view.notices:
        texts += [n.title, n.affected, n.body]
    return texts
