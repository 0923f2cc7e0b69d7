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

from plaintrust import notices
from plaintrust.pagenames import category_page
from plaintrust.model import Certification, Model, Notice, PublicDocument, Subprocessor
from plaintrust.render.safe_text import block, inline, plain_text, safe_url
from plaintrust.status import PublicStatus, evidence_health, public_status

EXPIRY_NOTICE_DAYS = 30


@dataclass(frozen=True)
class Practice:
    title: str | None
    summary: Markup
    summary_text: str  # the summary without its Markdown, for trust.json and feeds
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
        return category_page(self.id)


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
class NoticeView:
    slug: str
    title: str
    status: str
    severity: str
    published: dt.datetime
    updated: dt.datetime
    next_update_by: dt.datetime | None
    affected: str
    sections: tuple[tuple[str, Markup], ...]  # (heading, HTML), in the canonical order, then the rest
    timeline: tuple[tuple[dt.datetime | None, Markup], ...]

    @property
    def page(self) -> str:
        return f"updates/{self.slug}.md"

    @property
    def is_open(self) -> bool:
        return self.status != "resolved"


@dataclass(frozen=True)
class SubprocessorChange:
    day: dt.date
    change: str  # added | removed
    subprocessor: Subprocessor


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
    notices: tuple[NoticeView, ...]  # newest first
    today: dt.date

    @property
    def current_subprocessors(self) -> tuple[Subprocessor, ...]:
        return tuple(s for s in self.subprocessors if s.added <= self.today and not (s.removed and s.removed <= self.today))

    @property
    def subprocessor_changes(self) -> tuple[SubprocessorChange, ...]:
        """Every addition and removal that has happened, newest first (announced ones included)."""
        changes = [SubprocessorChange(s.added, "added", s) for s in self.subprocessors]
        changes += [SubprocessorChange(s.removed, "removed", s) for s in self.subprocessors if s.removed]
        return tuple(sorted(changes, key=lambda c: (c.day, c.change, c.subprocessor.name), reverse=True))

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
        notices=tuple(notice_view(n) for n in sorted(model.notices, key=lambda n: (n.published, n.slug), reverse=True)),
        today=model.today,
    )


def _categories(model: Model) -> tuple[CategoryView, ...]:
    grouped: dict[str, list[Practice]] = {c.id: [] for c in model.trust.categories}
    for control in sorted(model.controls, key=lambda c: c.id):
        public = control.public
        if public and public.category in grouped and (public.summary or "").strip():
            health = evidence_health(model, control)
            grouped[public.category].append(Practice(
                title=public.title, summary=inline(public.summary.strip()), summary_text=plain_text(public.summary),
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


def notice_view(notice: Notice) -> NoticeView:
    ordered = sorted(notice.sections, key=lambda s: _section_rank(s.key, notice.is_open))
    timeline_section = notices.find(notice.sections, "Timeline")
    entries = notices.timeline(timeline_section) if timeline_section else ()
    return NoticeView(
        slug=notice.slug, title=notice.title, status=notice.status, severity=notice.severity,
        published=notice.published, updated=notice.updated, next_update_by=notice.next_update_by,
        affected=notice.affected,
        sections=tuple((s.title, block(s.text)) for s in ordered if s.key != notices.key("Timeline")),
        timeline=tuple((e.when, inline(e.text)) for e in entries),
    )


def _section_rank(section_key: str, is_open: bool) -> int:
    """Canonical order; a resolved notice leads with its resolution."""
    if not is_open and section_key == notices.key(notices.RESOLUTION):
        return -1
    order = [notices.key(t) for t in notices.ORDER]
    return order.index(section_key) if section_key in order else len(order)


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
        texts += [n.title, n.affected, *(str(html) for _, html in n.sections), *(str(t) for _, t in n.timeline)]
    return texts
