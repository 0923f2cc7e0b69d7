"""What a policy's dates and approval make of it on a given day: draft, upcoming, current, due, overdue or changed.

Every layer takes its answer from here: the rules, the public view (what customers are told), the
gap report and the audit package (what counts as proof), so they never disagree.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import re
from collections.abc import Mapping
from typing import Any

from plaintrust.core import Section
from plaintrust.evidence.states import stale_on
from plaintrust.model import Model, Policy
from plaintrust.status import GRACE_DAYS

INTRODUCTION = ""  # the title of the text before a policy's first `##` heading
_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")


class PolicyState(str, enum.Enum):
    DRAFT = "draft"  # never approved: no proof, never published
    UPCOMING = "upcoming"  # approved, but its `effective` day is still ahead: counts only in part until then
    CURRENT = "current"  # approved, text unchanged, in effect, next review not yet due
    DUE = "due"  # its review date has passed, at most GRACE_DAYS ago: still counts
    OVERDUE = "overdue"  # its review is more than GRACE_DAYS late: counts only in part
    CHANGED = "changed"  # what customers read differs from the approved text (or no approval is recorded): counts only in part

    @property
    def proves(self) -> bool:
        """Whether the policy fully meets the policy need of the requirements it satisfies."""
        return self in (PolicyState.CURRENT, PolicyState.DUE)


def text_digest(title: str, version: str, effective: str, change: str, summary: str, body: str) -> str:
    """The sha256 an approval pins: everything customers may read of the version (title, version,
    effective day as YYYY-MM-DD, change line, summary and body), with line endings normalised and
    trailing blank lines ignored, so a checkout's line endings never look like an edit."""
    parts = (title, version, effective, change, summary, body)
    text = "\n\x1e\n".join(p.replace("\r\n", "\n").rstrip() for p in parts)
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def front_matter_digest(data: Mapping[str, Any], body: str) -> str:
    """`text_digest` of a policy's front matter (as the loader reads it: every scalar as text) and body."""
    return text_digest(
        str(data.get("title") or ""),
        str(data.get("version") or ""),
        str(data.get("effective") or ""),
        str(data.get("change") or ""),
        str(data.get("summary") or ""),
        body,
    )


def next_review(approved_on: dt.date | None, review: str) -> dt.date | None:
    return None if approved_on is None else stale_on(approved_on, review)


def overdue_from(policy: Policy) -> dt.date | None:
    """The first day its review counts as overdue: more than GRACE_DAYS (the grace evidence gets)
    after the review date."""
    if policy.next_review is None or policy.next_review >= dt.date.max - dt.timedelta(days=GRACE_DAYS + 1):
        return None
    return policy.next_review + dt.timedelta(days=GRACE_DAYS + 1)


def published(policy: Policy) -> bool:
    """Whether the trust center shows the policy: approved once, and `public` full or summary."""
    return not policy.draft and policy.public in ("full", "summary")


def text_changed(policy: Policy, model: Model) -> bool:
    """True when the ledger records no approval of this text."""
    approval = model.approvals.get(policy.id)
    return approval is None or approval.sha256 != policy.text_sha256


def state(policy: Policy, model: Model) -> PolicyState:
    if policy.draft:
        return PolicyState.DRAFT
    if text_changed(policy, model):
        return PolicyState.CHANGED
    if policy.effective > model.today:
        return PolicyState.UPCOMING
    late = overdue_from(policy)
    if late is not None and model.today >= late:
        return PolicyState.OVERDUE
    if policy.next_review is not None and model.today >= policy.next_review:
        return PolicyState.DUE
    return PolicyState.CURRENT


def sections(body: str, first_line: int) -> tuple[Section, ...]:
    """The body's `##` sections, each with the line of its heading; text before the first heading is
    a section titled INTRODUCTION. A `##` line inside a fenced code block is not a heading."""
    found: list[tuple[str, int, list[str]]] = [(INTRODUCTION, first_line, [])]
    fenced = False
    for offset, line in enumerate(body.splitlines()):
        if _FENCE.match(line):
            fenced = not fenced
        heading = None if fenced else _HEADING.match(line)
        if heading:
            found.append((heading.group(1), first_line + offset, []))
        else:
            found[-1][2].append(line)
    kept = [entry for entry in found if entry[0] != INTRODUCTION or "".join(entry[2]).strip()]
    return tuple(Section(title, title.lower(), tuple(lines), line) for title, line, lines in kept)
