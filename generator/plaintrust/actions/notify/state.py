"""The record of what was sent: notifications/sent.json at the repository's root, never under site/.

Per topic, each entry sent to every recipient, with the `updated` stamp it was sent at and when; an
entry the record lacks, or whose `updated` moves past its recorded stamp, is news, whatever its
date. A digest that reached some recipients and not others (a failure halfway) leaves, per
recipient, what each one got, so the next run sends each person only what they have not had.
Recipients are kept as the SHA-256 of their lower-cased address, never the address.

The first --send records where it started (`since`, its --since) and, as `seen`, every entry then
updated before that day: known, never sent, so the first digest is not the whole history. From then
on the record alone decides what is news.

This module is the record as data and as bytes; `store` reads and writes it, with the journal of
the messages sent since it was last written.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from plaintrust.clock import STAMP, stamp

FOLDER = "notifications"
PATH = f"{FOLDER}/sent.json"
JOURNAL = f"{FOLDER}/sending.jsonl"  # the messages sent since PATH was last written, one a line
FORMAT = 1
ABOUT = "What plaintrust notify sent: commit this file, and never edit it by hand."
Stamped = dict[str, dt.datetime]  # entry id -> its `updated`


@dataclass
class Record:
    since: dt.datetime | None = None  # the --since of the first --send
    sent: dict[str, dict[str, tuple[dt.datetime, dt.datetime]]] = field(default_factory=dict)  # (updated, sent at)
    partial: dict[str, dict[str, Stamped]] = field(default_factory=dict)  # topic -> recipient key -> got
    seen: dict[str, Stamped] = field(default_factory=dict)  # topic -> older than the first --since, never sent

    @property
    def empty(self) -> bool:
        return self.since is None and not (self.sent or self.partial or self.seen)

    def known(self, topic: str, entry_id: str, recipient: str | None = None) -> dt.datetime | None:
        """The newest `updated` of the entry that went out (see `sent_at`) or was seen before the first --since."""
        seen = self.seen.get(topic, {}).get(entry_id)
        return max((d for d in (self.sent_at(topic, entry_id, recipient), seen) if d is not None), default=None)

    def sent_at(self, topic: str, entry_id: str, recipient: str | None = None) -> dt.datetime | None:
        """The newest `updated` of the entry that went out to everyone (or, given a recipient's key,
        to that recipient); None when it never did."""
        found = self.sent.get(topic, {}).get(entry_id)
        everyone = found[0] if found else None
        own = self.partial.get(topic, {}).get(recipient, {}).get(entry_id) if recipient else None
        return max((d for d in (everyone, own) if d is not None), default=None)

    def delivered(self, topic: str, recipient: str, entries: Stamped) -> None:
        """One recipient got these entries of a digest the others have not all had yet."""
        self.partial.setdefault(topic, {}).setdefault(recipient, {}).update(entries)

    def completed(self, topic: str, entries: Stamped, at: dt.datetime) -> None:
        """Everyone got these entries: they are sent, and no recipient's part of them is kept."""
        sent = self.sent.setdefault(topic, {})
        sent.update({entry_id: (updated, at) for entry_id, updated in entries.items()})
        kept = {key: _left(got, sent) for key, got in self.partial.get(topic, {}).items()}
        self.partial[topic] = {key: got for key, got in kept.items() if got}
        if not self.partial[topic]:
            del self.partial[topic]

    def start(self, since: dt.datetime, before: Mapping[str, Stamped]) -> None:
        """The first --send: where it counts from, and the entries (by topic) updated before then."""
        self.since = since
        self.seen = {topic: dict(entries) for topic, entries in before.items() if entries}


def _left(got: Stamped, sent: dict[str, tuple[dt.datetime, dt.datetime]]) -> Stamped:
    return {i: u for i, u in got.items() if i not in sent or sent[i][0] < u}


def recipient_key(address: str) -> str:
    return hashlib.sha256(address.lower().encode("utf-8")).hexdigest()


def parse(data: Any) -> Record:
    """The record `render` wrote, read back; KeyError, TypeError or ValueError when it is not one."""
    if data["format"] != FORMAT:
        raise ValueError(f"format {data['format']!r}, not {FORMAT}")
    since = from_stamp(data["since"]) if data["since"] is not None else None
    sent = {
        t: {i: (from_stamp(s["updated"]), from_stamp(s["sent"])) for i, s in e.items()} for t, e in data["sent"].items()
    }
    return Record(since, sent, _by_key(data["partial"]), {t: _read(e) for t, e in data.get("seen", {}).items()})


def _by_key(data: Any) -> dict[str, dict[str, Stamped]]:
    return {topic: {key: _read(got) for key, got in by_key.items()} for topic, by_key in data.items()}


def _read(entries: Any) -> Stamped:
    return {entry_id: from_stamp(updated) for entry_id, updated in entries.items()}


def from_stamp(text: Any) -> dt.datetime:
    """A stamp `plaintrust.clock.stamp` wrote, read back."""
    if not isinstance(text, str):
        raise TypeError(f"{text!r} is no time stamp")
    return dt.datetime.strptime(text, STAMP).replace(tzinfo=dt.UTC)


def render(record: Record) -> bytes:
    data = {
        "about": ABOUT,
        "format": FORMAT,
        "since": stamp(record.since) if record.since else None,
        "sent": {
            t: {i: {"updated": stamp(u), "sent": stamp(at)} for i, (u, at) in e.items()} for t, e in record.sent.items()
        },
        "partial": {t: {k: stamps(got.items()) for k, got in by_key.items()} for t, by_key in record.partial.items()},
        "seen": {t: stamps(e.items()) for t, e in record.seen.items()},
    }
    return (json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n").encode("utf-8")


def stamps(items: Iterable[tuple[str, dt.datetime]]) -> dict[str, str]:
    return {entry_id: stamp(updated) for entry_id, updated in items}
