"""What is news, topic by topic: entries the record lacks at their current `updated` (and, with
--since, updated since that day)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from plaintrust.actions.notify.state import Record, Stamped
from plaintrust.errors import Refused
from plaintrust.public.entries import TOPICS, Entry


@dataclass(frozen=True)
class Item:
    entry: Entry
    again: bool  # it was sent before, at an older `updated`: this is an update of it

    @property
    def updated(self) -> dt.datetime:
        return to_second(self.entry.updated)


@dataclass(frozen=True)
class Digest:
    topic: str
    items: tuple[Item, ...]  # newest first, never empty

    @property
    def stamps(self) -> Stamped:
        return {item.entry.id: item.updated for item in self.items}

    @property
    def newest(self) -> dt.datetime:
        return max(item.updated for item in self.items)


def to_second(moment: dt.datetime) -> dt.datetime:
    """`moment` in UTC to the second, as the record keeps it: a fraction never makes news again."""
    return moment.astimezone(dt.UTC).replace(microsecond=0)


def chosen(available: Iterable[str], asked: tuple[str, ...]) -> tuple[str, ...]:
    """The topics asked for (every topic the site has when none is), in the site's order; a usage
    error naming the site's topics when one asked for is not among them."""
    have = tuple(available)
    missing = [t for t in asked if t not in have]
    if missing:
        absent = [t for t in missing if t in TOPICS]
        why = f" ({', '.join(absent)}: nothing of the kind is published)" if absent else ""
        raise Refused(
            f"{', '.join(map(repr, missing))} is not a topic of this site{why}; choose among {', '.join(have)}",
            "--topic",
        )
    return tuple(t for t in have if t in asked) if asked else have


def digests(
    news: Mapping[str, tuple[Entry, ...]], topics: tuple[str, ...], since: dt.datetime | None, record: Record
) -> tuple[Digest, ...]:
    """One digest per topic with news: its entries whose stamp the record does not hold yet, whatever
    their date (an entry sent before at an older stamp comes again, as an update); with `since`,
    only those updated at or after it."""
    found = []
    for topic in topics:
        fresh = [e for e in news[topic] if since is None or to_second(e.updated) >= since]
        items = _unsent(topic, (Item(e, False) for e in fresh), record, None)
        if items:
            found.append(Digest(topic, items))
    return tuple(found)


def for_recipient(digest: Digest, record: Record, key: str) -> Digest | None:
    """What of `digest` the recipient with that key has not had yet (a run that failed halfway may
    have sent them part of it); None when they have had it all."""
    items = _unsent(digest.topic, digest.items, record, key)
    return Digest(digest.topic, items) if items else None


def older(news: Mapping[str, tuple[Entry, ...]], since: dt.datetime) -> dict[str, Stamped]:
    """Per topic, the entries last updated before `since`: what the first --send takes as known."""
    return {
        t: {e.id: to_second(e.updated) for e in entries if to_second(e.updated) < since} for t, entries in news.items()
    }


def _unsent(topic: str, items: Iterable[Item], record: Record, key: str | None) -> tuple[Item, ...]:
    kept = []
    for item in items:
        known = record.known(topic, item.entry.id, key)
        if known is None or known < item.updated:
            kept.append(Item(item.entry, item.again or record.sent_at(topic, item.entry.id, key) is not None))
    return tuple(kept)
