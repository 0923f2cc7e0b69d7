"""PublicView -> the news of the trust center, topic by topic: what the feeds and the email digests say.

One place builds entries, so a feed and a digest never disagree, and neither says what the site
does not. An entry's id is the absolute URL of what it announces (with a fragment when one page
announces several things), and every date comes from the data, never the build clock: an unchanged
repository yields unchanged entries on any day. Which entries exist may follow the build's day (a
certificate enters its renewal window, news dated ahead waits for its day), but their dates never
do: "expiring" is dated the day the window opened, "expired" the day after the last valid one.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from markupsafe import Markup

from plaintrust import currency
from plaintrust.boundary.pagenames import TOPICS, feed_topics, slug
from plaintrust.boundary.safe_text import safe_url
from plaintrust.clock import midnight
from plaintrust.currency import Standing
from plaintrust.public.pages import LINKS, page_url
from plaintrust.public.view import (
    CertificationView,
    NoticeView,
    PublicPolicy,
    PublicView,
    SubprocessorChange,
    SubprocessorView,
)
from plaintrust.words import day_words, moment_words, month_words


@dataclass(frozen=True)
class Entry:
    topic: str  # one of TOPICS
    id: str  # stable across builds: an absolute URL (with a fragment when a page announces several), never the build clock
    title: str  # plain text
    link: str  # absolute URL of the page it announces
    published: dt.datetime  # UTC, from the data
    updated: dt.datetime  # UTC, from the data; moves when the entry's content changes
    summary_text: str  # plain text, a few sentences
    summary_html: str  # the same as safe HTML (escaped values, no raw HTML from inputs)


def topics(view: PublicView) -> tuple[str, ...]:
    """The topics the site has: every one, but "policies" only when a policy is published."""
    return tuple(t for t in feed_topics(policies=bool(view.policies)) if t in TOPICS)


def topic_entries(view: PublicView, base: str, directory_urls: bool) -> dict[str, tuple[Entry, ...]]:
    """Every topic's entries, newest first; only topics the site has."""
    changes = [c for c in view.subprocessor_changes if not _withdrawal(c, view.today)]
    found = {
        "updates": [_notice_entry(n, base, directory_urls) for n in view.notices],
        "subprocessors": [_subprocessor_entry(c, view, base, directory_urls) for c in changes],
        "certifications": [
            e for c in view.certifications for e in _certification_entries(c, view.today, base, directory_urls)
        ],
        "policies": [e for p in view.policies for e in _policy_entries(p, base, directory_urls)],
    }
    return {topic: newest_first(due(unique(found[topic]), view.today)) for topic in topics(view)}


def due(entries: Iterable[Entry], today: dt.date) -> list[Entry]:
    """The entries whose day has come. News dated ahead (a planned removal, an addition announced for
    a later day, a policy version not yet in effect, an audit not yet started) waits for its day:
    in a reader it would sit above today's news, and it would give an email digest a Date still to
    come and a feed an `updated` after the build."""
    return [e for e in entries if e.published.date() <= today]


def unique(entries: Iterable[Entry]) -> list[Entry]:
    """The entries with every id made unique, in their order: a second entry whose id is taken (the
    subprocessors "Acme EU" and "Acme (EU)" added on one day, two certifications of one kind) gets
    "-2", a third "-3". Their order is the data's, so each keeps its id from one build to the next."""
    taken: set[str] = set()
    kept = []
    for entry in entries:
        entry_id, n = entry.id, 1
        while entry_id in taken:
            n += 1
            entry_id = f"{entry.id}-{n}"
        taken.add(entry_id)
        kept.append(dataclasses.replace(entry, id=entry_id))
    return kept


def newest_first(entries: list[Entry]) -> tuple[Entry, ...]:
    """By `updated`, then `published`, then id: a total order, so entries of one day never shuffle."""
    return tuple(sorted(entries, key=lambda e: (e.updated, e.published, e.id), reverse=True))


def _entry(topic: str, entry_id: str, title: str, link: str, day: dt.datetime, *lines: str | Markup) -> Entry:
    """An entry dated `day` (published and updated) whose summary is `lines`, one paragraph each:
    text is escaped into the HTML, Markup (already safe) kept, and its tags dropped from the text."""
    return _dated(topic, entry_id, title, link, day, day, *lines)


def _dated(
    topic: str, entry_id: str, title: str, link: str, published: dt.datetime, updated: dt.datetime, *lines: str | Markup
) -> Entry:
    text = "\n\n".join(line.striptags() if isinstance(line, Markup) else line for line in lines)
    html = Markup("").join(Markup("<p>{}</p>").format(line) for line in lines)
    return Entry(topic, entry_id, title, link, published, updated, text, str(html))


def _notice_entry(n: NoticeView, base: str, directory_urls: bool) -> Entry:
    state = n.status.capitalize() + (", update overdue" if n.overdue_since else "")
    lines = [n.title, f"Affected: {n.affected}"]
    if n.overdue_since:
        lines.append(
            f"Update overdue since {moment_words(n.overdue_since)}: "
            "we promised an update by then and have not published it yet."
        )
    link = base + page_url(n.page, directory_urls)
    return _dated("updates", link, f"[{state}] {n.title}", link, n.published, n.feed_updated, *lines)


def _subprocessor_entry(change: SubprocessorChange, view: PublicView, base: str, directory_urls: bool) -> Entry:
    """An addition is dated the day it was announced, a removal the day it takes effect (until then
    the page alone says it will be removed). Rebuilding on another day changes no date."""
    sub, page = change.subprocessor, base + page_url(LINKS["subprocessors"], directory_urls)
    about = f"{sub.name} ({sub.purpose}, {sub.location}). Data: {sub.data}."
    if change.change == "removed":
        entry_id = f"{page}#removed-{slug(sub.name)}-{change.day.isoformat()}"
        line = f"Removed on {day_words(change.day)}: {about}"
        return _entry("subprocessors", entry_id, f"Removed: {sub.name}", page, midnight(change.day), line)
    withdrawn = _withdrawn(sub, view.today)
    title = f"{'Withdrawn' if withdrawn else 'Planned' if sub.planned else 'Added'}: {sub.name}"
    published, updated = midnight(sub.added), midnight(_addition_changed(sub, view.today))
    lines = _addition_lines(sub, view.today)
    return _dated("subprocessors", _addition_id(sub, page), title, page, published, updated, about, *lines)


def _addition_id(sub: SubprocessorView, page: str) -> str:
    """The addition's day, and its start when that is another day: a start moved to another day is
    new news (a new entry), not an edit a reader may never see again."""
    entry_id = f"{page}#added-{slug(sub.name)}-{sub.added.isoformat()}"
    return entry_id if sub.effective == sub.added else f"{entry_id}-starts-{sub.effective.isoformat()}"


def _withdrawn(sub: SubprocessorView, today: dt.date) -> dt.date | None:
    """The day a planned addition was withdrawn (removed before it started), once that day has come."""
    removed = sub.removed
    return removed if removed is not None and removed <= sub.effective and removed <= today else None


def _withdrawal(change: SubprocessorChange, today: dt.date) -> bool:
    """The removal of an addition withdrawn before it started: its addition's entry tells it."""
    return change.change == "removed" and _withdrawn(change.subprocessor, today) is not None


def _addition_lines(sub: SubprocessorView, today: dt.date) -> list[str | Markup]:
    """When it starts, and until when customers may object, as the subprocessors page says it."""
    withdrawn = _withdrawn(sub, today)
    if withdrawn:
        return [f"Withdrawn on {day_words(withdrawn)}: it was to start on {day_words(sub.effective)}, and will not."]
    if not sub.planned:
        return [f"Started on {day_words(sub.effective)}."]
    until = f"; objections until {day_words(sub.objections_until)}" if sub.objections_until else ""
    lines: list[str | Markup] = [f"Starts on {day_words(sub.effective)}{until}."]
    contact = safe_url(sub.objection_contact or "")  # the view allows only these schemes: checked where it is a link
    if sub.objections_open and contact:
        lines.append(Markup('To object, contact <a href="{}">{}</a>.').format(contact, contact.removeprefix("mailto:")))
    return lines


def _addition_changed(sub: SubprocessorView, today: dt.date) -> dt.date:
    """The last day an addition's entry changed, as of `today`: announced, objections closed,
    started, or withdrawn (after which nothing changes)."""
    withdrawn = _withdrawn(sub, today)
    closed = sub.objections_until + dt.timedelta(days=1) if sub.objections_until else None
    days = (sub.added, closed, withdrawn or sub.effective)
    return max((d for d in days if d is not None and d <= (withdrawn or today)), default=sub.added)


def _certification_entries(c: CertificationView, today: dt.date, base: str, directory_urls: bool) -> Iterator[Entry]:
    """What the certifications page says of `c`, as news: a new report or certificate, a renewal
    window opened, a lapse, an audit under way, a report that is late. Ids carry the dates they are
    about, so a renewal (a new period or issue) is a new entry."""
    page = base + page_url(LINKS["certifications"], directory_urls)
    anchor = f"{page}#{slug(c.kind)}"
    yield from _issued(c, today, anchor, page)
    yield from _window(c, today, anchor, page)
    yield from _in_progress(c, today, anchor, page)
    yield from _next_late(c, today, anchor, page)


def _issued(c: CertificationView, today: dt.date, anchor: str, page: str) -> Iterator[Entry]:
    key = c.issued or (c.period[1] if c.period else None)
    day = c.report_date or key
    if key is None or day is None:
        return
    what = "report" if c.period and not c.issued else "certificate"
    lines = [f"Audited by {c.auditor}."]
    if c.period:
        lines.append(f"Audit period {day_words(c.period[0])} to {day_words(c.period[1])}.")
    lines.append(f"{'Report issued' if what == 'report' else 'Issued'} on {day_words(day)}.")
    if c.expires:
        lines.append(f"Valid until {day_words(c.expires)}.")
    title = f"New {what}: {c.kind}"
    yield _entry("certifications", f"{anchor}-{what}-{key.isoformat()}", title, page, midnight(day), *lines)


def last_current_day(c: CertificationView) -> dt.date | None:
    """The last day `c` is shown as current or valid (as plaintrust.currency judges it), None when
    nothing says: a certificate's expiry, a report's 12 months after its period (or its bridge letter)."""
    if c.expires or c.period is None:
        return c.expires
    own = currency.add_months(c.period[1], currency.REPORT_MONTHS)
    return max(own, c.bridge_letter.through) if c.bridge_letter else own


def _window(c: CertificationView, today: dt.date, anchor: str, page: str) -> Iterator[Entry]:
    """Expiring (from RENEWAL_DAYS before its last current day, the warning window `check` uses) or lapsed."""
    last = last_current_day(c)
    if last is None or c.status is Standing.IN_PROGRESS:
        return
    opened = last - dt.timedelta(days=currency.RENEWAL_DAYS)
    if today > last:
        yield _lapsed(c, last, anchor, page)
    elif today >= opened:
        if c.expires:
            line = f"The certificate is valid until {day_words(last)}. No renewed certificate is published yet."
        else:
            line = f"The report is current until {day_words(last)}. No newer report or bridge letter is published yet."
        title = f"Renewal due: {c.kind}"
        yield _entry("certifications", f"{anchor}-expiring-{last.isoformat()}", title, page, midnight(opened), line)


def _lapsed(c: CertificationView, last: dt.date, anchor: str, page: str) -> Entry:
    day = last + dt.timedelta(days=1)
    if c.expires:
        title = f"Expired: {c.kind}"
        line = f"The certificate expired on {day_words(c.expires)}, and no renewed certificate is published."
    else:
        title = f"Out of date: {c.kind}"
        line = f"The report is out of date since {day_words(day)}, and no newer report is published."
    return _entry("certifications", f"{anchor}-lapsed-{last.isoformat()}", title, page, midnight(day), line)


def _in_progress(c: CertificationView, today: dt.date, anchor: str, page: str) -> Iterator[Entry]:
    """An audit under way, dated the day it `started` when trust.yaml says, else the first day of
    the month its report is expected (and, like all news, not shown before that day: `due`); once
    that month is over, a "late" entry follows."""
    if c.status is not Standing.IN_PROGRESS or c.expected is None:
        return
    month = c.expected.strftime("%Y-%m")
    line = f"Auditor: {c.auditor}. The report is expected in {month_words(c.expected)}."
    title = f"Audit in progress: {c.kind}"
    yield _entry(
        "certifications", f"{anchor}-in-progress-{month}", title, page, midnight(c.started or c.expected), line
    )
    yield from _late(c, c.expected, today, f"{anchor}-late-{month}", page)


def _next_late(c: CertificationView, today: dt.date, anchor: str, page: str) -> Iterator[Entry]:
    if c.next_report_expected is not None:
        month = c.next_report_expected.strftime("%Y-%m")
        yield from _late(c, c.next_report_expected, today, f"{anchor}-next-late-{month}", page)


def _late(c: CertificationView, month: dt.date, today: dt.date, entry_id: str, page: str) -> Iterator[Entry]:
    after = currency.add_months(month, 1)  # the first day after the expected month
    if today >= after:
        line = f"The report was expected in {month_words(month)} and is not published yet."
        yield _entry("certifications", entry_id, f"Report late: {c.kind}", page, midnight(after), line)


def _policy_entries(p: PublicPolicy, base: str, directory_urls: bool) -> Iterator[Entry]:
    """Each version of a published policy on record (git keeps the earlier ones), dated the day it
    takes effect: the one date every version keeps, so a version's entry never moves."""
    link = base + page_url(p.page, directory_urls)
    for row in p.history:
        title = f"Policy version {row.version}: {p.title}"
        lines: list[str | Markup] = [f"{p.title}, version {row.version}: in effect from {day_words(row.effective)}."]
        if row.change:
            lines.append(Markup("What changed: {}").format(row.change))
        yield _entry("policies", f"{link}#version-{slug(row.version)}", title, link, midnight(row.effective), *lines)
