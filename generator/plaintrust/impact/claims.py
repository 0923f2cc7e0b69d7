"""The public section of an impact: what customers will read differently on the trust center.

Each side's claims come from the public view (the site's allow-list) and its trust.json, so a claim
differs here exactly when a page or trust.json would. A practice is named by its category and its
title (its summary when it has none); an edited summary of an untitled practice is still one
practice, paired through the control behind it, which never appears in the report.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from plaintrust.currency import Standing
from plaintrust.impact.report import Detail, Item
from plaintrust.model import Control, Model
from plaintrust.public import trust_json, view
from plaintrust.public.pages import page_url
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
_SHORT = 60  # characters of an untitled practice's summary that name it


@dataclass(frozen=True)
class Claim:
    """One thing customers read: its fields as the site shows them (None: not shown)."""

    area: str  # practice | certification | subprocessor | notice | policy | profile
    title: str
    fields: Mapping[str, str | None]
    path: str | None = None
    line: int | None = None
    control: str | None = None  # a practice's control: pairs it across an edit of its name


def compare(base: Model, head: Model) -> tuple[tuple[Item, ...], tuple[str, ...]]:
    """The public items (unsorted) and the notes a reader needs (a side without a trust profile)."""
    notes = tuple(
        f"The {name} has no usable site/trust.yaml: its public claims count as none."
        for name, model in (("base", base), ("head", head))
        if model.trust is None
    )
    old, new = claims(base), claims(head)
    items = [item for pair in _paired(old, new) if (item := _item(*pair)) is not None]
    return tuple(items), notes


def claims(model: Model) -> dict[str, Claim]:
    """Key -> claim, for a model whose trust profile loaded; empty otherwise."""
    if model.trust is None:
        return {}
    shown = view.build(model)
    document = trust_json.document(shown, "", True)
    found: dict[str, Claim] = {}
    for key, claim in (
        *_profile(model, shown, document),
        *_certifications(model, document),
        *_practices(model, shown, document),
        *_subprocessors(model, document),
        *_notices(model, shown),
        *_policies(model, document),
    ):
        found[_unique(found, key)] = claim
    return found


def _unique(taken: Mapping[str, Claim], key: str) -> str:
    """Two claims with one name (two subprocessors called alike) stay two."""
    return next(k for n in range(1, len(taken) + 2) if (k := key if n == 1 else f"{key} ({n})") not in taken)


def _profile(model: Model, shown: view.PublicView, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    fields: dict[str, str | None] = {
        "organization": shown.organization,
        "tagline": shown.tagline or None,
        "security_contact": shown.security_contact,
        "security_policy": shown.security_policy,
    }
    for category in document["categories"]:
        fields[f"category {category['id']}"] = category["title"]
        fields[f"category {category['id']} description"] = category["description"] or None
    fields.update(_flat(document["resilience"] or {}, "resilience."))
    yield "profile", Claim("profile", "Trust center profile", fields, model.trust.source.path, None)


def _certifications(model: Model, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    assert model.trust is not None
    source = model.trust.source
    for cert, entry in zip(model.trust.certifications, document["certifications"], strict=True):
        fields = _flat({k: v for k, v in entry.items() if k != "name"})
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
    """Every notice the site lists (trust.json leaves out old resolved ones; the pages keep them)."""
    sources = {n.slug: n.source.path for n in model.notices}
    for notice in shown.notices:
        fields = {
            "title": notice.title,
            "status": notice.status,
            "severity": notice.severity,
            "published": _moment(notice.published),
            "updated": _moment(notice.updated),
            "next_update_by": _moment(notice.next_update_by) if notice.is_open else None,
            "update_overdue_since": _moment(notice.overdue_since),
            "affected": notice.affected,
        }
        url = page_url(notice.page, True)
        claim = Claim("notice", f"Notice '{notice.title}'", fields, sources.get(notice.slug), None)
        yield f"notice {url}", claim


def _policies(model: Model, document: dict[str, Any]) -> Iterator[tuple[str, Claim]]:
    for entry in document["policies"]:
        policy = model.policies_by_id.get(entry["id"])
        fields = _flat({k: v for k, v in entry.items() if k not in ("id", "url")})
        path = policy.source.path if policy else None
        yield f"policy {entry['id']}", Claim("policy", f"Policy '{entry['title']}'", fields, path, None)


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


def _moment(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ") if value else None


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
    """A practice or certification still shown whose status got worse."""
    rank = {"practice": PRACTICE_RANK, "certification": CERTIFICATION_RANK}.get(area)
    if rank is None:
        return False
    then, now = rank.get(old.get("status") or ""), rank.get(new.get("status") or "")
    return then is not None and now is not None and now < then
