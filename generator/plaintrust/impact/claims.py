"""The public section of an impact: what customers will read differently on the trust center.

Each side's claims come from the public view (the site's allow-list) and its trust.json, so a claim
differs here exactly when a page or trust.json would. A practice is named by its category and its
title (its summary when it has none); an edited summary of an untitled practice is still one
practice, paired through the control behind it, which never appears in the report. The security
FAQ is read the same way: a public answer is named by its question and an answer given on request
(nda) by its question alone; a reworded question is still one answer, paired through the answer's
id, which the site never shows and the report never names either.

Files the site serves as they are (a certificate, a bridge letter, a document, the logo) count by
their sha256, read through the side's `Snapshot.read`; so do the site's own pages and files under
site/, except trust.yaml (its claims are compared one by one), notices (their own area) and what a
build leaves out (MkDocs' exclude_docs and draft_docs, hidden files and templates/ by default); and
so do mkdocs.yml and the theme's custom_dir, which every page shows (site name, navigation, footer,
an announcement block).
"""

from __future__ import annotations

import hashlib
import posixpath
import re
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from html import unescape
from typing import Any

from plaintrust import answers
from plaintrust.boundary.pagenames import MARKDOWN_SUFFIXES
from plaintrust.currency import Standing
from plaintrust.impact.report import Detail, Item
from plaintrust.impact.snapshot import Snapshot
from plaintrust.load import discovery
from plaintrust.model import Answer, Control, Model
from plaintrust.public import trust_json, view
from plaintrust.public.pages import page_url
from plaintrust.rules.site_layout import allowed_custom_dir
from plaintrust.status import PublicStatus

# Higher is better: a claim whose status falls is a drop.
PRACTICE_RANK = {
    PublicStatus.IMPLEMENTED.value: 3,
    PublicStatus.UNDER_REVIEW.value: 2,
    PublicStatus.IN_PROGRESS.value: 1,
    PublicStatus.NOT_IN_PLACE.value: 0,
}
CERTIFICATION_RANK = {
    Standing.CURRENT.value: 4,
    Standing.VALID.value: 4,
    Standing.RENEWAL_DUE.value: 3,
    Standing.ISSUED.value: 2,
    Standing.IN_PROGRESS.value: 2,
    Standing.OUT_OF_DATE.value: 1,
    Standing.EXPIRED.value: 0,
}
# A public answer's word as the FAQ shows it; "Not applicable" claims nothing, so it is not ranked.
ANSWER_RANK = {view.ANSWER_WORDS["yes"]: 2, view.ANSWER_WORDS["partial"]: 1, view.ANSWER_WORDS["no"]: 0}
_SHORT = 60  # characters of an untitled practice's summary that name it
_DIGEST = 12  # characters of a sha256 a reader sees
Read = Callable[[str], bytes | None]  # a file's bytes at one side, by its path from the root


@dataclass(frozen=True)
class Claim:
    """One thing customers read: its fields as the site shows them (None: not shown)."""

    area: str  # practice | certification | subprocessor | notice | policy | document | page | profile | answer
    title: str
    fields: Mapping[str, str | None]
    path: str | None = None
    line: int | None = None
    # What pairs a claim across an edit of its name (a practice's control, an answer's id); never shown.
    control: str | None = None


def compare(base: Snapshot, head: Snapshot) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """The public items (unsorted) and the notes a reader needs (a base without a trust profile; a
    head that lost the base's is not a note but a reason the change is unjudged: see compare)."""
    before, after = base.result.model, head.result.model
    notes = tuple(
        f"The {name} has no usable site/trust.yaml: its public claims count as none."
        for name, model in (("base", before), ("head", after))
        if model.trust is None and before.trust is None
    )
    old, new = claims(before, base.read, base.paths), claims(after, head.read, head.paths)
    items = [item for pair in _paired(old, new) if (item := _item(*pair)) is not None]
    return tuple(items), notes


def claims(model: Model, read: Read, paths: Iterable[str] = ()) -> dict[str, Claim]:
    """Key -> claim, for a model whose trust profile loaded; empty otherwise. `read` gives the
    bytes of the files the site serves as they are; `paths` every file of the side (from the root),
    among them the theme's."""
    if model.trust is None:
        return {}
    shown = view.build(model)
    document = trust_json.document(shown, "", True)
    found: dict[str, Claim] = {}
    for key, claim in (
        *_profile(model, shown, document, read),
        *_certifications(model, shown, document, read),
        *_practices(model, shown, document),
        *_subprocessors(model, document),
        *_notices(model, shown),
        *_policies(model, shown, document),
        *_faq(model, shown, document),
        *_documents(model, shown, read),
        *_pages(model, read),
        *_site_settings(model, read, paths),
    ):
        found[_unique(found, key)] = claim
    return found


def _digest(read: Read, rel: str | None) -> str | None:
    """The short sha256 of a file under site/ (`rel` from there); None when none is named, or it
    cannot be read (absent, a link, too large)."""
    return _file_digest(read, f"site/{posixpath.normpath(rel)}") if rel else None


def _file_digest(read: Read, path: str) -> str | None:
    """The short sha256 of a file (from the root); None when absent or unreadable."""
    data = read(path)
    return None if data is None else hashlib.sha256(data).hexdigest()[:_DIGEST]


def _text_digest(*parts: str) -> str | None:
    """The short sha256 of rendered text customers read; None when there is none."""
    text = "\x00".join(parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:_DIGEST] if text else None


def _unique(taken: Mapping[str, Claim], key: str) -> str:
    """Two claims with one name (two subprocessors called alike) stay two."""
    return next(k for n in range(1, len(taken) + 2) if (k := key if n == 1 else f"{key} ({n})") not in taken)


def _profile(model: Model, shown: view.PublicView, document: dict[str, Any], read: Read) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    notice = shown.subprocessor_notice_days
    fields: dict[str, str | None] = {
        "organization": shown.organization,
        "tagline": shown.tagline or None,
        "security_contact": shown.security_contact,
        "security_policy": shown.security_policy,
        "preferred_languages": ", ".join(shown.preferred_languages) or None,
        "brand.logo": shown.logo,
        "brand.logo sha256": _digest(read, shown.logo),
        "brand.color": shown.color,
        "subprocessor_notice_days": None if notice is None else str(notice),
        "subprocessor_objections": model.trust.subprocessor_objections,
        "subscribe_url": shown.subscribe_url,  # the overview's "Get these by email" link
        # The FAQ's "Ask for these answers" link, shown only under the questions answered on request.
        "faq request link": shown.faq.request_url if shown.faq and shown.faq.on_request else None,
    }
    for category in document["categories"]:
        fields[f"category {category['id']}"] = category["title"]
        fields[f"category {category['id']} description"] = category["description"] or None
    fields.update(_flat(document["resilience"] or {}, "resilience."))
    yield "profile", Claim("profile", "Trust center profile", fields, model.trust.source.path, None)


def _certifications(
    model: Model, shown: view.PublicView, document: dict[str, Any], read: Read
) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    source = model.trust.source
    listed = zip(model.trust.certifications, shown.certifications, document["certifications"], strict=True)
    for cert, seen, entry in listed:
        fields = _flat({k: v for k, v in entry.items() if k != "name"})
        fields["file sha256"] = _digest(read, seen.file)
        fields["bridge_letter.file sha256"] = _digest(read, seen.bridge_letter.file if seen.bridge_letter else None)
        where = source.at("certifications", cert.index)
        title = f"Certification '{entry['name']}'"
        yield f"certification {entry['name']}", Claim("certification", title, fields, where.path, where.line)


def _practices(model: Model, shown: view.PublicView, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    for category, entry in zip(shown.categories, document["categories"], strict=True):
        behind = _behind(model, category.id)
        # Should the view ever choose otherwise, practices are paired by name only.
        controls = behind if len(behind) == len(category.practices) else [None] * len(category.practices)
        for control, practice in zip(controls, entry["practices"], strict=True):
            name = practice["title"] or _short(practice["summary"])
            fields = _flat(practice)
            where = control.source.key_at("public") if control else None
            claim = Claim(
                "practice",
                f"Practice '{name}' ({category.title})",
                fields,
                where.path if where else None,
                where.line if where else None,
                control.id if control else None,
            )
            yield f"practice {category.id} {name}", claim


def _behind(model: Model, category: str) -> list[Control | None]:
    """The controls behind a category's practices, in the view's order (view._categories)."""
    return [
        c
        for c in sorted(model.controls, key=lambda c: c.id)
        if c.public and c.public.category == category and (c.public.summary or "").strip()
    ]


def _subprocessors(model: Model, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    source = model.trust.source
    for index, entry in enumerate(document["subprocessors"]):
        fields = _flat({k: v for k, v in entry.items() if k != "name"})
        where = source.at("subprocessors", index)
        title = f"Subprocessor '{entry['name']}'"
        yield f"subprocessor {entry['name']}", Claim("subprocessor", title, fields, where.path, where.line)


def _notices(model: Model, shown: view.PublicView) -> Iterator[tuple[str, Claim]]:
    """Every notice the site lists (trust.json leaves out old resolved ones; the pages keep them),
    its text by the sha256 of what its page shows."""
    sources = {n.slug: n.source.path for n in model.notices}
    for notice in shown.notices:
        fields = {
            "title": notice.title,
            "status": notice.status,
            "severity": notice.severity,
            "published": trust_json.moment(notice.published),
            "updated": trust_json.moment(notice.updated),
            "next_update_by": trust_json.moment(notice.next_update_by) if notice.is_open else None,
            "update_overdue_since": trust_json.moment(notice.overdue_since),
            "affected": notice.affected,
            "text sha256": _text_digest(*_notice_text(notice)),
        }
        url = page_url(notice.page, True)
        claim = Claim("notice", f"Notice '{notice.title}'", fields, sources.get(notice.slug), None)
        yield f"notice {url}", claim


def _notice_text(notice: view.NoticeView) -> Iterator[str]:
    for heading, html in notice.sections:
        yield f"{heading}\x00{html}"
    for moment, html in notice.timeline:
        yield f"{trust_json.moment(moment)}\x00{html}"


def _policies(model: Model, shown: view.PublicView, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    for seen, entry in zip(shown.policies, document["policies"], strict=True):
        policy = model.policies_by_id.get(entry["id"])
        fields = _flat({k: v for k, v in entry.items() if k not in ("id", "url")})
        fields["summary"] = policy.summary if policy and seen.summary else None
        fields["text sha256"] = _text_digest(str(seen.text or ""))
        path = policy.source.path if policy else None
        yield f"policy {entry['id']}", Claim("policy", f"Policy '{entry['title']}'", fields, path, None)


def _faq(model: Model, shown: view.PublicView, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    """One claim per public answer (what its FAQ entry and trust.json say) and one per question
    answered on request, each paired through the answer behind it."""
    if shown.faq is None:
        return
    given = answers.shared(model.answers)
    public = _behind_faq([a for a in given if a.visibility == "public"], len(shown.faq.answers))
    for answer, seen, entry in zip(public, shown.faq.answers, document["faq"], strict=True):
        fields = {
            "question": seen.question,
            "answer": seen.answer_words,
            # one line per block, " / " between: a report shows a detail on one line, where a list
            # turned into a paragraph would otherwise read as no change at all
            "explanation": " / ".join(entry["explanation"].splitlines()) or None,
            "explanation links": ", ".join(_links(str(seen.explanation))) or None,
            "holds": "yes" if entry["holds"] else "no",
            "caveat": seen.caveat,
            "practices": ", ".join(f"{p.title} ({p.status.value})" for p in seen.practices) or None,
            "policies": ", ".join(p.title for p in seen.policies) or None,
            "reviewed_on": entry["reviewed_on"],
            "review_overdue_since": entry["review_overdue_since"],
        }
        yield f"answer {seen.question}", _answer_claim(f"Answer '{seen.question}'", fields, answer, "answer")
    nda = _behind_faq([a for a in given if a.visibility == "nda"], len(shown.faq.on_request))
    for answer, question in zip(nda, shown.faq.on_request, strict=True):
        claim = _answer_claim(f"Answered on request: {question}", {"question": question}, answer, "question")
        yield f"on request {question}", claim


def _behind_faq(behind: list[Answer], shown: int) -> list[Answer | None]:
    """The answers behind the FAQ's entries, in the view's order (view.faq); should the view ever
    choose otherwise, its entries are paired by question only."""
    return list(behind) if len(behind) == shown else [None] * shown


def _answer_claim(title: str, fields: dict[str, str | None], answer: Answer | None, key: str) -> Claim:
    """The claim of one FAQ entry, at the answer file's `key` line. Its id pairs it, namespaced so it
    never meets a practice's control."""
    where = answer.source.key_at(key) if answer else None
    return Claim(
        "answer",
        title,
        fields,
        where.path if where else None,
        where.line if where else None,
        f"answer {answer.id}" if answer else None,
    )


_HREF = re.compile(r'<a href="([^"]*)"')


def _links(rendered: str) -> list[str]:
    """Where the links of a rendered explanation lead: the plain text keeps only their words."""
    return [unescape(href) for href in _HREF.findall(rendered)]


def _documents(model: Model, shown: view.PublicView, read: Read) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    source = model.trust.source
    for index, seen in enumerate(shown.documents):
        fields = {
            "description": seen.description,
            "access": seen.access,
            "request_url": seen.request_url,
            "file": seen.file,
            "file sha256": _digest(read, seen.file),
        }
        where = source.at("documents", index)
        title = f"Document '{seen.title}'"
        yield f"document {seen.title}", Claim("document", title, fields, where.path, where.line)


def _pages(model: Model, read: Read) -> Iterator[tuple[str, Claim]]:
    """The site's own pages and files, each by its sha256: a paragraph added to a page is a change
    customers read. Left out: trust.yaml, notices, the files claims above name already, and what
    the build leaves out."""
    named = _named_files(model)
    left_out = _left_out(model.settings.exclude_docs, model.settings.draft_docs)
    for rel in model.site_files:
        if f"site/{rel}" == discovery.TRUST or rel == "trust.yml" or rel.startswith(discovery.UPDATES):
            continue
        if rel in named or left_out(rel):
            continue
        kind = "Page" if rel.endswith(MARKDOWN_SUFFIXES) else "Site file"
        fields = {"sha256": _digest(read, rel)}
        yield f"page {rel}", Claim("page", f"{kind} '{rel}'", fields, f"site/{rel}", None)


# MkDocs' own default exclude_docs (mkdocs/structure/files.py): hidden files, a top templates/ folder.
_EXCLUDED_ALWAYS = (".*", "/templates/")


def _left_out(exclude_docs: str | None, draft_docs: str | None) -> Callable[[str], bool]:
    """Whether `mkdocs build` leaves a file under site/ (from there) out, matched as MkDocs 1.6
    matches: its defaults with exclude_docs, then draft_docs on its own (a `!` line there brings
    back no excluded file; a build never serves drafts). A pattern MkDocs refuses fails its build,
    so it leaves nothing more out here."""
    excluded = _spec([*_EXCLUDED_ALWAYS, *(exclude_docs or "").splitlines()]) or _spec(list(_EXCLUDED_ALWAYS))
    drafts = _spec((draft_docs or "").splitlines())
    return lambda rel: bool((excluded and excluded(rel)) or (drafts and drafts(rel)))


def _spec(lines: list[str]) -> Callable[[str], bool] | None:
    """gitignore lines as MkDocs reads exclude_docs and draft_docs; None when it would refuse them."""
    import pathspec  # MkDocs' own matcher for these settings; only `impact` needs it

    try:
        return pathspec.GitIgnoreSpec.from_lines(lines).match_file
    except ValueError:
        return None


def _site_settings(model: Model, read: Read, paths: Iterable[str]) -> Iterator[tuple[str, Claim]]:
    """mkdocs.yml (and what it INHERITs) and the files of the theme's custom_dir, each by its
    sha256: every page shows them (site name, navigation, footer, an announcement block)."""
    for rel in (discovery.CONFIG, *model.settings.inherited):
        yield f"settings {rel}", Claim("page", f"Site settings '{rel}'", {"sha256": _file_digest(read, rel)}, rel)
    custom = model.settings.custom_dir
    if not custom or not allowed_custom_dir(custom):
        return
    folder = posixpath.normpath(custom) + "/"
    for rel in paths:
        if rel.startswith(folder) and not any(p.startswith(".") for p in rel[len(folder) :].split("/")):
            yield f"theme {rel}", Claim("page", f"Theme file '{rel}'", {"sha256": _file_digest(read, rel)}, rel)


def _named_files(model: Model) -> set[str]:
    """Files under site/ (from there) that trust.yaml names: compared with their claims."""
    assert model.trust is not None
    trust = model.trust
    named = [trust.logo, *(d.file for d in trust.documents)]
    for cert in trust.certifications:
        named += [cert.file, cert.bridge_letter.file if cert.bridge_letter else None]
    return {posixpath.normpath(n) for n in named if n}


def _flat(entry: Mapping[str, Any], prefix: str = "") -> dict[str, str | None]:
    """A trust.json object as fields: nested objects joined by dots, every value as text."""
    fields: dict[str, str | None] = {}
    for name, value in entry.items():
        if isinstance(value, Mapping):
            fields.update(_flat(value, f"{prefix}{name}."))
        elif isinstance(value, bool):
            fields[prefix + name] = "yes" if value else "no"
        else:
            fields[prefix + name] = None if value is None else str(value)
    return fields


def _short(text: str) -> str:
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= _SHORT else text[: _SHORT - 1].rstrip() + "…"


def _paired(old: dict[str, Claim], new: dict[str, Claim]) -> Iterable[tuple[str, Claim | None, Claim | None]]:
    """(key, base claim, head claim): by key, then a renamed practice by the control behind it."""
    gone = {k: c for k, c in old.items() if k not in new}
    came = {k: c for k, c in new.items() if k not in old}
    by_control = {c.control: k for k, c in gone.items() if c.control is not None}
    pairs: list[tuple[str, Claim | None, Claim | None]] = [(k, old[k], new[k]) for k in new if k in old]
    for key, claim in came.items():
        was = by_control.pop(claim.control, None) if claim.control is not None else None
        pairs.append((key, gone.pop(was) if was is not None else None, claim))
    pairs += [(k, c, None) for k, c in gone.items()]
    return pairs


def _item(key: str, before: Claim | None, after: Claim | None) -> Item | None:
    """The item for one claim, None when customers read the same on both sides."""
    shown = after or before
    assert shown is not None
    old = before.fields if before else {}
    new = after.fields if after else {}
    details = tuple(
        Detail(name, old.get(name), new.get(name))
        for name in dict.fromkeys([*new, *old])
        if old.get(name) != new.get(name)
    )
    if before is not None and after is not None and not details:
        return None
    change = "added" if before is None else "removed" if after is None else "changed"
    return Item(change, key, shown.title, details, shown.area, _dropped(shown.area, old, new), shown.path, shown.line)


def _dropped(area: str, old: Mapping[str, str | None], new: Mapping[str, str | None]) -> bool:
    """A practice or certification still shown whose status got worse; a public answer still shown
    whose answer got worse (yes, partly, no) or that held and no longer does."""
    if area == "answer":
        return _ranked_drop(ANSWER_RANK, old.get("answer"), new.get("answer")) or (
            old.get("holds") == "yes" and new.get("holds") == "no"
        )
    rank = {"practice": PRACTICE_RANK, "certification": CERTIFICATION_RANK}.get(area)
    if rank is None:
        return False
    return _ranked_drop(rank, old.get("status"), new.get("status"))


def _ranked_drop(rank: Mapping[str, int], before: str | None, after: str | None) -> bool:
    """Whether a value fell in `rank`; a value not ranked there (or none) never makes a drop."""
    then, now = rank.get(before or ""), rank.get(after or "")
    return then is not None and now is not None and now < then
