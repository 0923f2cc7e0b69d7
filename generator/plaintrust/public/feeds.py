"""The feeds of the trust center: per topic and combined, each as Atom 1.0 and as JSON Feed 1.1.

Built from `entries` alone (the email digests read the same entries), so every id, date and word
comes from the public view: ids are absolute URLs, links are absolute (from `site_url`), and dates
come from the data, never the build clock, so an unchanged repository yields unchanged feeds.
"""

from __future__ import annotations

import datetime as dt
import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from typing import Any

from plaintrust.boundary.pagenames import FEED_TOPICS, feed_file
from plaintrust.clock import midnight, stamp
from plaintrust.public.entries import Entry, newest_first, topic_entries
from plaintrust.public.pages import LINKS, page_url
from plaintrust.public.view import PublicView

ATOM = "http://www.w3.org/2005/Atom"
JSON_FEED = "https://jsonfeed.org/version/1.1"
COMBINED = "all"
HOME = {  # the page each feed follows
    "updates": "updates",
    "subprocessors": "subprocessors",
    "certifications": "certifications",
    "policies": "policies",
    COMBINED: "overview",
}


@dataclass(frozen=True)
class Feed:
    """One topic's feed, whatever its format."""

    topic: str
    title: str
    author: str
    home: str  # absolute URL of the page it follows
    entries: tuple[Entry, ...]  # newest first
    fallback: dt.datetime  # `updated` of a feed without entries: from the data, never the clock

    def url(self, base: str, kind: str) -> str:
        return base + feed_file(self.topic, kind)

    @property
    def updated(self) -> dt.datetime:
        return max((e.updated for e in self.entries), default=self.fallback)


def render_all(view: PublicView, base: str, directory_urls: bool) -> dict[str, bytes]:
    """Every feed file: path (relative to the site) -> its bytes."""
    files: dict[str, bytes] = {}
    for feed in feeds(view, base, directory_urls):
        files[feed_file(feed.topic)] = atom(feed, base)
        files[feed_file(feed.topic, "json")] = json_feed(feed, base)
    return files


def feeds(view: PublicView, base: str, directory_urls: bool) -> list[Feed]:
    """A feed per topic the site has, then the combined one: their union, newest first."""
    by_topic = topic_entries(view, base, directory_urls)
    by_topic[COMBINED] = newest_first([e for entries in by_topic.values() for e in entries])
    fallback = _newest(view)
    return [
        Feed(
            topic,
            f"{view.organization}: {FEED_TOPICS[topic]}",
            view.organization,
            base + page_url(LINKS[HOME[topic]], directory_urls),
            entries,
            fallback,
        )
        for topic, entries in by_topic.items()
    ]


def _newest(view: PublicView) -> dt.datetime:
    """An empty feed's `updated`: the newest date of the public data up to the build day (a date
    ahead, such as a planned removal, is not news yet), never the build clock itself."""
    days = [c.issued or (c.period[1] if c.period else None) for c in view.certifications]
    days += [d for s in view.subprocessors for d in (s.added, s.removed)]
    known = [d for d in days if d is not None and d <= view.today]
    return midnight(max(known)) if known else dt.datetime(1970, 1, 1, tzinfo=dt.UTC)


def atom(feed: Feed, base: str) -> bytes:
    ET.register_namespace("", ATOM)
    root = ET.Element(f"{{{ATOM}}}feed")
    ET.SubElement(root, f"{{{ATOM}}}id").text = feed.url(base, "atom")
    ET.SubElement(root, f"{{{ATOM}}}title").text = feed.title
    ET.SubElement(ET.SubElement(root, f"{{{ATOM}}}author"), f"{{{ATOM}}}name").text = feed.author
    ET.SubElement(root, f"{{{ATOM}}}link", rel="self", type="application/atom+xml", href=feed.url(base, "atom"))
    ET.SubElement(root, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=feed.home)
    ET.SubElement(root, f"{{{ATOM}}}updated").text = stamp(feed.updated)
    for entry in feed.entries:
        _atom_entry(ET.SubElement(root, f"{{{ATOM}}}entry"), entry)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True) + b"\n"


def _atom_entry(item: ET.Element, entry: Entry) -> None:
    """The summary is HTML carried as text: ElementTree escapes it once, so a reader gets the
    entry's safe HTML back and never a tag from the data."""
    ET.SubElement(item, f"{{{ATOM}}}id").text = entry.id
    ET.SubElement(item, f"{{{ATOM}}}title").text = entry.title
    ET.SubElement(item, f"{{{ATOM}}}link", rel="alternate", type="text/html", href=entry.link)
    ET.SubElement(item, f"{{{ATOM}}}category", term=entry.topic)
    ET.SubElement(item, f"{{{ATOM}}}published").text = stamp(entry.published)
    ET.SubElement(item, f"{{{ATOM}}}updated").text = stamp(entry.updated)
    ET.SubElement(item, f"{{{ATOM}}}summary", type="html").text = entry.summary_html


def json_feed(feed: Feed, base: str) -> bytes:
    """JSON Feed 1.1 (https://jsonfeed.org/version/1.1): the same entries as the Atom feed."""
    authors = [{"name": feed.author}]
    document = {
        "version": JSON_FEED,
        "title": feed.title,
        "home_page_url": feed.home,
        "feed_url": feed.url(base, "json"),
        "authors": authors,
        "items": [_json_item(e, authors) for e in feed.entries],
    }
    return (_html_safe(json.dumps(document, indent=2, ensure_ascii=False)) + "\n").encode("utf-8")


def _html_safe(text: str) -> str:
    """JSON whose bytes hold no <, > or &: titles and plain texts keep a tag someone typed as
    characters, and a browser or tool that mistakes the file for HTML still finds no tag in it.
    Outside strings JSON has none of the three, so escaping them changes no value."""
    return text.replace("&", "\\u0026").replace("<", "\\u003c").replace(">", "\\u003e")


def _json_item(entry: Entry, authors: list[dict[str, str]]) -> dict[str, Any]:
    return {
        "id": entry.id,
        "url": entry.link,
        "title": entry.title,
        "content_html": entry.summary_html,
        "content_text": entry.summary_text,
        "date_published": stamp(entry.published),
        "date_modified": stamp(entry.updated),
        "authors": authors,
        "tags": [entry.topic],
    }
