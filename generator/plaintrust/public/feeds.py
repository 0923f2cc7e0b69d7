"""Atom 1.0 feeds for security updates and subprocessor changes.

Ids are the absolute URLs of what an entry announces (stable as long as the site's URL is), every
link is absolute (from `site_url`), and `updated` comes from the data, never the build clock, so
an unchanged repository yields an unchanged feed.
"""

from __future__ import annotations

import datetime as dt
import re
import xml.etree.ElementTree as ET
from dataclasses import dataclass

from markupsafe import Markup

from plaintrust.public.pages import LINKS, page_url
from plaintrust.public.view import NoticeView, PublicView
from plaintrust.words import moment_words

ATOM = "http://www.w3.org/2005/Atom"


@dataclass(frozen=True)
class Entry:
    id: str
    title: str
    link: str
    updated: dt.datetime
    published: dt.datetime
    summary_html: str


def _stamp(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _midnight(day: dt.date) -> dt.datetime:
    return dt.datetime.combine(day, dt.time(), dt.UTC)


def atom(feed_id: str, title: str, author: str, page: str, entries: list[Entry], fallback: dt.datetime) -> bytes:
    ET.register_namespace("", ATOM)
    feed = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(feed, f"{{{ATOM}}}id").text = feed_id
    ET.SubElement(feed, f"{{{ATOM}}}title").text = title
    ET.SubElement(ET.SubElement(feed, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = author
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed_id)
    ET.SubElement(feed, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=page)
    ET.SubElement(feed, f"{{{ATOM}}}updated").text = _stamp(max((e.updated for e in entries), default=fallback))
    for entry in entries:
        item = ET.SubElement(feed, f"{{{ATOM}}}entry")
        ET.SubElement(item, f"{{{ATOM}}}id").text = entry.id
        ET.SubElement(item, f"{{{ATOM}}}title").text = entry.title
        ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.link)
        ET.SubElement(item, f"{{{ATOM}}}published").text = _stamp(entry.published)
        ET.SubElement(item, f"{{{ATOM}}}updated").text = _stamp(entry.updated)
        ET.SubElement(item, f"{{{ATOM}}}summary", type="html").text = entry.summary_html
    ET.indent(feed)
    return ET.tostring(feed, encoding="utf-8", xml_declaration=True) + b"\n"


def _newest(view: PublicView) -> dt.datetime:
    """An empty feed's `updated`: the newest date of the public data, never the build clock."""
    days = [c.issued or (c.period[1] if c.period else None) for c in view.certifications]
    days += [d for s in view.subprocessors for d in (s.added, s.removed)]
    known = [d for d in days if d is not None]
    return _midnight(max(known)) if known else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def _notice_entry(n: NoticeView, base: str, directory_urls: bool) -> Entry:
    state = n.status.capitalize() + (", update overdue" if n.overdue_since else "")
    summary = Markup("<p>{}</p><p>Affected: {}</p>").format(n.title, n.affected)
    if n.overdue_since:
        summary += Markup(
            "<p>Update overdue since {}: we promised an update by then and have not published it yet.</p>"
        ).format(moment_words(n.overdue_since))
    return Entry(
        id=base + page_url(n.page, directory_urls),
        title=f"[{state}] {n.title}",
        link=base + page_url(n.page, directory_urls),
        updated=n.feed_updated,
        published=n.published,
        summary_html=str(summary),
    )


def updates_feed(view: PublicView, base: str, directory_urls: bool) -> bytes:
    entries = [_notice_entry(n, base, directory_urls) for n in view.notices]
    return atom(
        base + LINKS["updates_feed"],
        f"{view.organization}: security updates",
        view.organization,
        base + page_url(LINKS["updates"], directory_urls),
        entries,
        _newest(view),
    )


def subprocessors_feed(view: PublicView, base: str, directory_urls: bool) -> bytes:
    page = base + page_url(LINKS["subprocessors"], directory_urls)
    entries = []
    for change in view.subprocessor_changes:
        sub = change.subprocessor
        slug = re.sub(r"[^a-z0-9]+", "-", sub.name.lower()).strip("-")
        moment = _midnight(change.day)  # from the data: rebuilding on another day changes nothing
        verb = "Added" if change.change == "added" else "Removed"
        when = "from" if change.day > view.today else "on"
        entries.append(
            Entry(
                id=f"{page}#{change.change}-{slug}-{change.day.isoformat()}",
                title=f"{verb}: {sub.name}",
                link=page,
                updated=moment,
                published=moment,
                summary_html=str(
                    Markup("<p>{} {} {}: {} ({}, {}). Data: {}.</p>").format(
                        verb, when, change.day.isoformat(), sub.name, sub.purpose, sub.location, sub.data
                    )
                ),
            )
        )
    return atom(
        base + LINKS["subprocessors_feed"],
        f"{view.organization}: subprocessor changes",
        view.organization,
        page,
        entries,
        _newest(view),
    )
