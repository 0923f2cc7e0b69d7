"""The body of a security notice: its `##` sections and its dated timeline.

Headings are matched without regard to case or the kind of apostrophe, so "What we don’t know yet"
is the same section as "What we don't know yet".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from plaintrust import clock
from plaintrust.boundary.pagenames import slug
from plaintrust.core import Section

OPEN_SECTIONS = (
    "What happened",
    "What we know",
    "What we don't know yet",
    "What we are doing",
    "What customers should do",
    "Timeline",
)
RESOLUTION = "Resolution"
ORDER = (*OPEN_SECTIONS, RESOLUTION)

_HEADING = re.compile(r"^##[ \t]+(.+?)[ \t#]*$")
_ENTRY = re.compile(r"^[-*+][ \t]+(.*)$")
_STAMP = re.compile(r"(\d{4}-\d{2}-\d{2})(?:[ T](\d{2}):(\d{2}))?(?:\s*(?:UTC|Z))?\s*(?:[—–:-]+\s*)?(.*)$")


@dataclass(frozen=True)
class Entry:
    when: dt.datetime | None  # None: the entry has no date we can read
    text: str
    line: int


def key(title: str) -> str:
    return re.sub(r"\s+", " ", title.replace("’", "'").replace("‘", "'")).strip().lower()


def sections(body: str, first_line: int) -> tuple[Section, ...]:
    """The `##` sections of a Markdown body whose first line is `first_line` of its file."""
    found: list[tuple[str, int, list[str]]] = []
    for offset, line in enumerate(body.splitlines()):
        heading = _HEADING.match(line)
        if heading:
            found.append((heading.group(1), first_line + offset, []))
        elif found:
            found[-1][2].append(line)
    return tuple(Section(t, key(t), tuple(lines), n) for t, n, lines in found)


def find(all_sections: tuple[Section, ...], title: str) -> Section | None:
    return next((s for s in all_sections if s.key == key(title)), None)


def timeline(section: Section) -> tuple[Entry, ...]:
    """The list items under Timeline, each with the moment it starts with (UTC)."""
    entries: list[Entry] = []
    for offset, line in enumerate(section.lines, start=1):
        item = _ENTRY.match(line.strip())
        if item:
            entries.append(_entry(item.group(1), section.line + offset))
        elif entries and line.strip():
            last = entries[-1]
            entries[-1] = Entry(last.when, f"{last.text} {line.strip()}", last.line)
    return tuple(entries)


def _entry(text: str, line: int) -> Entry:
    stamp = _STAMP.match(text)
    if not stamp:
        return Entry(None, text, line)
    day, hour, minute, rest = stamp.groups()
    try:
        when = dt.datetime.fromisoformat(f"{day}T{hour or '00'}:{minute or '00'}:00+00:00")
    except ValueError:
        return Entry(None, text, line)
    return Entry(when, rest.strip(), line)


PLACEHOLDER = "TODO:"
_PROMPTS = {
    "What happened": "Say in two or three sentences what happened and when, in plain words.",
    "What we know": "List the facts you are sure of: systems, data, time window.",
    "What we don't know yet": "List the open questions, and when you expect answers.",
    "What we are doing": "List what the team is doing right now.",
    "What customers should do": "Say what customers should do, or that they need to do nothing.",
}


def slugify(text: str) -> str:
    return slug(text)[:60] or "notice"


def scaffold(title: str, severity: str, status: str, affected: str, now: dt.datetime) -> tuple[str, str]:
    """(file name, Markdown) of a new notice: every section present, every time filled in.

    Sections start as `TODO:` prompts, which `check` reports until they are written, so an
    unfinished notice cannot be published by accident.
    """
    stamp = now.astimezone(dt.UTC).replace(second=0, microsecond=0)
    iso = clock.stamp
    front = [
        "---",
        f"title: {_quoted(title)}",
        f"status: {status}",
        f"severity: {severity}",
        f"published: {iso(stamp)}",
        f"updated: {iso(stamp)}",
        f"next_update_by: {iso(stamp + dt.timedelta(hours=24))}",
        f"affected: {_quoted(affected)}",
        "---",
        "",
    ]
    body = [f"## {name}\n\n{PLACEHOLDER} {prompt}\n" for name, prompt in _PROMPTS.items()]
    body.append(f"## Timeline\n\n- {stamp:%Y-%m-%d %H:%M} UTC — We publish this notice.\n")
    return f"{stamp:%Y-%m-%d}-{slugify(title)}.md", "\n".join(front) + "\n".join(body)


def _quoted(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
