"""Schema-valid documents -> model objects. Pure: file facts arrive as data, nothing is read here."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping, Sequence
from pathlib import PurePosixPath
from typing import Any

from plaintrust import notices, policies
from plaintrust.collect.api import DEFAULT_TIMEOUT
from plaintrust.core import Document, FileFact, FileStatus
from plaintrust.evidence import states
from plaintrust.load import watchregion
from plaintrust.load.frontmatter import Page
from plaintrust.model import (
    Answer,
    BridgeLetter,
    Catalog,
    Category,
    Certification,
    Collect,
    Control,
    EvidenceFile,
    EvidenceRecord,
    Framework,
    Group,
    Notice,
    Period,
    Policy,
    PolicyVersion,
    Program,
    PublicDocument,
    PublicInfo,
    Remediation,
    Requirement,
    Resilience,
    SoaSignoff,
    Status,
    Subprocessor,
    TrustProfile,
)
from plaintrust.schemas.formats import parse_datetime


def date(value: str | None) -> dt.date | None:
    return dt.date.fromisoformat(value) if value else None


def period(value: Mapping[str, str] | None) -> Period | None:
    return Period(dt.date.fromisoformat(value["from"]), dt.date.fromisoformat(value["to"])) if value else None


def catalog(document: Document) -> Catalog:
    data = document.data
    groups = tuple(Group(g["id"], g["title"]) for g in data.get("groups", ()))
    requirements = tuple(
        Requirement(r["id"], r["group"], r["title"], r.get("parent"), r.get("policy") in (True, "true"))
        for r in data["requirements"]
    )
    if not groups:  # a custom catalog may leave groups implicit
        seen = dict.fromkeys(r.group for r in requirements)
        groups = tuple(Group(g, g) for g in seen)
    return Catalog(data["id"], data["name"], groups, requirements, source=document)


def program(document: Document, catalogs: Mapping[int, Catalog]) -> Program:
    """`catalogs` maps a framework's index in the list to its loaded catalog (absent: unusable)."""
    frameworks = []
    for index, entry in enumerate(document.data["frameworks"]):
        if index not in catalogs:
            continue
        scope = entry.get("scope")
        frameworks.append(
            Framework(
                id=entry["id"],
                catalog=catalogs[index],
                scope=frozenset(scope) if scope else None,
                audit_period=period(entry.get("audit_period")),
                not_applicable=dict(entry.get("not_applicable") or {}),
                source=document,
                index=index,
                scope_exclusions=dict(entry.get("scope_exclusions") or {}),
                soa=soa_signoff(entry.get("soa")),
                soa_reasons=dict(entry.get("soa_reasons") or {}),
                baseline=entry.get("baseline"),
                sampling=entry.get("sampling", "monthly"),
            )
        )
    return Program(document.data["organization"], tuple(frameworks), document)


def soa_signoff(data: Mapping[str, str] | None) -> SoaSignoff | None:
    return (
        SoaSignoff(data["version"], data["approved_by"], dt.date.fromisoformat(data["approved_on"])) if data else None
    )


def control(document: Document) -> Control:
    data = document.data
    public = data.get("public")
    return Control(
        id=data["id"],
        title=data["title"],
        status=Status(data["status"]),
        owner=data["owner"],
        description=data.get("description") or "",
        frequency=data["frequency"],
        satisfies={k: tuple(v) for k, v in (data.get("satisfies") or {}).items()},
        evidence=tuple(data.get("evidence") or ()),
        public=PublicInfo(public.get("category"), public.get("summary"), public.get("title"))
        if public is not None
        else None,
        source=document,
        remediation=remediation(data.get("remediation")),
        watches=tuple(watchregion.watch(spec, i) for i, spec in enumerate(data.get("watches") or ())),
        drift_confirmed_on=date(data.get("drift_confirmed_on")),
    )


def answer(document: Document) -> Answer:
    data = document.data
    return Answer(
        id=data["id"],
        question=data["question"],
        answer=data["answer"],
        explanation=data.get("explanation") or "",
        visibility=data["visibility"],
        controls=tuple(data.get("controls") or ()),
        policies=tuple(data.get("policies") or ()),
        refs={k: tuple(v) for k, v in (data.get("refs") or {}).items()},
        reviewed_on=dt.date.fromisoformat(data["reviewed_on"]),
        source=document,
    )


def remediation(data: Mapping[str, str] | None) -> Remediation | None:
    return Remediation(data["plan"], data["owner"], dt.date.fromisoformat(data["due"])) if data else None


_MISSING = FileFact("", FileStatus.MISSING)


def evidence_files(document: Document, facts: Mapping[str, FileFact]) -> tuple[EvidenceFile, ...]:
    return tuple(
        [EvidenceFile(f["path"], f.get("sha256"), facts.get(f["path"], _MISSING)) for f in document.data["files"]]
    )


def evidence(documents: list[Document], facts: Mapping[str, FileFact], today: dt.date) -> tuple[EvidenceRecord, ...]:
    """All records at once: whether one is superseded depends on the others in its series."""
    keyed = [
        states.SeriesKey(d.data["id"], d.data.get("series") or d.data["id"], dt.date.fromisoformat(d.data["collected"]))
        for d in documents
    ]
    newest = {series: key.id for series, key in states.newest_in_series(keyed).items()}
    records = []
    for document, (record_id, series, collected) in zip(documents, keyed, strict=True):
        files = evidence_files(document, facts)
        integrity = states.integrity(files)
        stale_day = states.stale_on(collected, document.data["refresh"])
        superseded_by = None if newest[series] == record_id else newest[series]
        records.append(
            EvidenceRecord(
                id=record_id,
                title=document.data["title"],
                series=series,
                kind=document.data["kind"],
                collected=collected,
                covers=period(document.data.get("covers")),
                refresh=document.data["refresh"],
                stale_on=stale_day,
                classification=document.data["classification"],
                files=files,
                integrity=integrity,
                state=states.state(integrity, stale_day, today, superseded_by is not None),
                superseded_by=superseded_by,
                source=document,
                origin=document.data.get("source") or "",
                notes=document.data.get("notes") or "",
                collect=collect(document.data.get("collect")),
            )
        )
    return tuple(records)


def collect(data: Mapping[str, Any] | None) -> Collect | None:
    """A record's `collect:` block; the `run:` form is the `command` collector with `with: {run: [...]}`."""
    if data is None:
        return None
    run = data.get("run")
    return Collect(
        use="command" if run is not None else data["use"],
        options={"run": list(run)} if run is not None else dict(data.get("with") or {}),
        every=data["every"],
        timeout=seconds(data["timeout"]) if data.get("timeout") else DEFAULT_TIMEOUT,
        output=data.get("output"),
        covers=data.get("covers") or "collected-day",
        env=tuple(data.get("env") or ()),
        title=data.get("title"),
    )


def seconds(timeout: str) -> int:
    """A `timeout:` such as 60s or 5m, in seconds."""
    return int(timeout[:-1]) * (60 if timeout.endswith("m") else 1)


def trust(document: Document, site_files: Mapping[str, FileFact]) -> TrustProfile:
    data = document.data
    brand = data.get("brand") or {}
    return TrustProfile(
        organization=data["organization"],
        tagline=data.get("tagline") or "",
        security_contact=data["security_contact"],
        security_policy=data.get("security_policy"),
        preferred_languages=tuple(data.get("preferred_languages") or ("en",)),
        logo=brand.get("logo"),
        color=brand.get("color"),
        categories=tuple(Category(c["id"], c["title"], c.get("description") or "") for c in data["categories"]),
        certifications=tuple(_certification(c, i) for i, c in enumerate(data.get("certifications") or ())),
        documents=tuple(_document(d) for d in data.get("documents") or ()),
        subprocessors=tuple(_subprocessor(s) for s in data.get("subprocessors") or ()),
        site_files=dict(site_files),
        source=document,
        resilience=_resilience(data.get("resilience")),
        nda_request_url=data.get("nda_request_url"),
        subprocessor_notice_days=_whole(data.get("subprocessor_notice_days")),
        subprocessor_objections=data.get("subprocessor_objections"),
        subscribe_url=data.get("subscribe_url"),
    )


def _whole(value: str | None) -> int | None:
    """A count of days as written (the schema admits digits only)."""
    return int(value) if value is not None else None


def _resilience(data: Mapping[str, Any] | None) -> Resilience | None:
    if not data:
        return None
    return Resilience(
        data.get("rto"), data.get("rpo"), data.get("status_page"), (data.get("restore_test") or {}).get("control")
    )


def _certification(data: Mapping[str, Any], index: int) -> Certification:
    bridge = data.get("bridge_letter")
    return Certification(
        framework=data["framework"],
        kind=data["kind"],
        auditor=data["auditor"],
        report=data.get("report"),
        period=period(data.get("period")),
        issued=date(data.get("issued")),
        expires=date(data.get("expires")),
        certificate_number=data.get("certificate_number"),
        request_url=data.get("request_url"),
        file=data.get("file"),
        index=index,
        state=data.get("state") or "issued",
        expected=month(data.get("expected")),
        started=date(data.get("started")),
        report_date=date(data.get("report_date")),
        bridge_letter=BridgeLetter(
            dt.date.fromisoformat(bridge["through"]), bridge.get("file"), bridge.get("request_url")
        )
        if bridge
        else None,
        next_report_expected=month(data.get("next_report_expected")),
        last_surveillance=date(data.get("last_surveillance")),
    )


def month(value: str | None) -> dt.date | None:
    """A YYYY-MM month as its first day."""
    return dt.date.fromisoformat(f"{value}-01") if value else None


def _document(data: Mapping[str, Any]) -> PublicDocument:
    return PublicDocument(
        data["title"], data.get("description") or "", data["access"], data.get("request_url"), data.get("file")
    )


def _subprocessor(data: Mapping[str, Any]) -> Subprocessor:
    return Subprocessor(
        data["name"],
        data["purpose"],
        data["location"],
        data["data"],
        data.get("url"),
        dt.date.fromisoformat(data["added"]),
        date(data.get("removed")),
        date(data.get("effective")),
    )


def notice(page: Page, document: Document) -> Notice:
    data = document.data
    nub = data.get("next_update_by")
    return Notice(
        slug=PurePosixPath(document.path).stem,
        title=data["title"],
        status=data["status"],
        severity=data["severity"],
        published=parse_datetime(data["published"]),
        updated=parse_datetime(data["updated"]),
        next_update_by=parse_datetime(nub) if nub else None,
        affected=data["affected"],
        body=page.body,
        body_line=page.body_line,
        sections=notices.sections(page.body, page.body_line),
        source=document,
    )


def policy(page: Page, document: Document, history: Sequence[tuple[str, dt.date, str]] = ()) -> Policy:
    """`history`: (version, effective, change) of the approved revisions in git, newest first."""
    data = document.data
    approved_on = date(data.get("approved_on"))
    summary = data.get("summary") or ""
    return Policy(
        id=data["id"],
        title=data["title"],
        version=data["version"],
        owner=data["owner"],
        approved_by=data.get("approved_by"),
        approved_on=approved_on,
        review=data["review"],
        next_review=policies.next_review(approved_on, data["review"]),
        effective=dt.date.fromisoformat(data["effective"]),
        satisfies={k: tuple(v) for k, v in (data.get("satisfies") or {}).items()},
        public=data["public"],
        summary=summary,
        change=data.get("change") or "",
        body=page.body,
        body_line=page.body_line,
        sections=policies.sections(page.body, page.body_line),
        text_sha256=policies.front_matter_digest(data, page.body),
        source=document,
        history=tuple(PolicyVersion(*h) for h in history if h[0] != data["version"]),
    )
