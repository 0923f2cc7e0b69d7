"""Resolve a security notice by editing its text, never by writing it out again.

A notice is written by hand, in the middle of an incident: its quoting, comments, line endings and
every other key stay as they are. In the front matter only the value of `status` (now `resolved`)
and of `updated` change, and the `next_update_by` line goes (a resolved notice promises no update).
The timeline gains one entry at the moment of the resolution, and a `## Resolution` section is
added at the end: the summary given, or a `TODO:` prompt that `check` reports until it is written.
The front matter is parsed again afterwards and must hold exactly the old values with these
changes, or nothing is written.
"""

from __future__ import annotations

import datetime as dt

from plaintrust import clock, frontedit, notices
from plaintrust.core import Section
from plaintrust.load.frontmatter import parse_page

RESOLVED = "resolved"
PROMISE = "next_update_by"
RESOLUTION_PROMPT = (
    "Say how it ended, in plain words: what was wrong, what we fixed, who was affected in the end, "
    "and what we changed so it does not happen again."
)
TIMELINE_ENTRY = "We mark this notice as resolved."


class CannotResolve(ValueError):
    """The notice cannot be resolved as it is; the message says why and what to do, `param` what to change."""

    def __init__(self, message: str, param: str = "SLUG") -> None:
        super().__init__(message)
        self.param = param


def resolve(path: str, raw: bytes, moment: dt.datetime, summary: str | None) -> bytes:
    """`raw`, the notice at `path`, resolved at `moment`; raises CannotResolve."""
    page = parse_page(path, raw)
    data = page.parsed.document.data if page.parsed.document is not None else None
    if not isinstance(data, dict) or page.parsed.diagnostics:
        raise CannotResolve("its front matter does not parse: fix what `plaintrust check` reports first")
    found = notices.sections(page.body, page.body_line)
    _refuse(data, moment, summary, found)
    try:
        result = frontedit.rewrite(raw, lambda text: _resolved(text, found, moment, summary))
    except frontedit.CannotEdit as exc:
        raise CannotResolve(str(exc)) from None
    _confirm(path, data, result, moment, notices.find(found, "Timeline") is not None)
    return result


def _resolved(text: str, found: tuple[Section, ...], moment: dt.datetime, summary: str | None) -> str:
    """The notice resolved, its body first: the sections' line numbers count the lines as they are
    before the front matter loses its `next_update_by` line."""
    newline = _newline(text)
    text = _with_resolution(_with_entry(text, found, moment, newline), found, summary, newline)
    return frontedit.apply(text, _front_matter(text, moment))


def unwritten_resolution(path: str, resolved: bytes) -> str | None:
    """What the resolved notice's '## Resolution' section still lacks, in words for a hint (None: it
    is written, by --summary or by hand before)."""
    page = parse_page(path, resolved)
    section = notices.find(notices.sections(page.body, page.body_line), notices.RESOLUTION)
    if section is None or not section.text:
        return "it is empty"
    if section.text.startswith(notices.PLACEHOLDER):
        return f"it holds a {notices.PLACEHOLDER} prompt"
    return None


def _refuse(data: dict, moment: dt.datetime, summary: str | None, found: tuple[Section, ...]) -> None:
    from plaintrust.schemas.formats import is_datetime, parse_datetime

    if data.get("status") == RESOLVED:
        raise CannotResolve("it is resolved already")
    if not isinstance(data.get("status"), str):
        raise CannotResolve("its `status` is missing: fix what `plaintrust check` reports first")
    updated = data.get("updated")
    if not isinstance(updated, str) or not is_datetime(updated):
        raise CannotResolve("its `updated` time is missing or unreadable: fix what `plaintrust check` reports first")
    if moment < parse_datetime(updated):
        raise CannotResolve(f"the resolution ({_iso(moment)}) would come before its last update ({updated})", "--at")
    if summary is not None and notices.find(found, notices.RESOLUTION) is not None:
        raise CannotResolve(
            "it has a '## Resolution' section already: edit that instead of giving --summary", "--summary"
        )


def _front_matter(text: str, moment: dt.datetime) -> list[frontedit.Edit]:
    """The edits of `status`, `updated` and `next_update_by`, found by parsing the front matter."""
    found = frontedit.fields(text)
    if not all(frontedit.replaceable(found[name].value) for name in ("status", "updated")):
        raise CannotResolve("write its `status` and `updated` as one-line values")
    edits = [frontedit.replace(found["status"], RESOLVED), frontedit.replace(found["updated"], _iso(moment))]
    if PROMISE in found:
        edits.append(frontedit.drop(text, found[PROMISE]))
    return edits


def _with_entry(text: str, found: tuple[Section, ...], moment: dt.datetime, newline: str) -> str:
    """The timeline with one more entry, after its last one (a notice without a timeline keeps none)."""
    timeline = notices.find(found, "Timeline")
    if timeline is None:
        return text
    last = max((i for i, line in enumerate(timeline.lines) if line.strip()), default=-1)
    at = _line_offset(text, timeline.line + last + 2)  # the line after the last entry
    unended = at == len(text) and not text.endswith(("\n", "\r"))  # the last line of a file without a final break
    before = newline if last < 0 or unended else ""
    entry = f"- {moment.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC — {TIMELINE_ENTRY}{newline}"
    return text[:at] + before + entry + text[at:]


def _with_resolution(text: str, found: tuple[Section, ...], summary: str | None, newline: str) -> str:
    """A `## Resolution` section at the end: the summary, or the prompt `check` holds back until it is written."""
    if notices.find(found, notices.RESOLUTION) is not None:
        return text
    words = summary.strip() if summary else f"{notices.PLACEHOLDER} {RESOLUTION_PROMPT}"
    text = text if text.endswith(("\n", "\r")) else text + newline
    gap = "" if text.endswith(newline * 2) or text.endswith("\n\n") else newline
    return f"{text}{gap}## {notices.RESOLUTION}{newline}{newline}{words}{newline}"


def _newline(text: str) -> str:
    """The notice's own line break: CRLF, LF, or a lone CR, which the loader accepts as well."""
    if "\r\n" in text:
        return "\r\n"
    return "\r" if "\r" in text and "\n" not in text else "\n"


def _line_offset(text: str, line: int) -> int:
    """Where the 1-based `line` starts (the end of the text past its last line), lines counted as
    the notice's sections count them."""
    return sum(len(part) for part in text.splitlines(keepends=True)[: line - 1])


def _confirm(path: str, before: dict, after: bytes, moment: dt.datetime, had_timeline: bool) -> None:
    """The edited notice, read again as `check` reads it, says what it should: nothing is written otherwise."""
    page = parse_page(path, after)
    expected = {k: v for k, v in before.items() if k != PROMISE} | {"status": RESOLVED, "updated": _iso(moment)}
    if page.parsed.document is None or page.parsed.document.data != expected:
        raise CannotResolve(
            "its front matter cannot be changed without changing other values: write it as one `key: value` per line"
        )
    found = notices.sections(page.body, page.body_line)
    timeline = notices.find(found, "Timeline")
    entries = notices.timeline(timeline) if timeline is not None else ()
    ours = bool(entries) and entries[-1].text == TIMELINE_ENTRY
    if notices.find(found, notices.RESOLUTION) is None or (had_timeline and not ours):
        raise CannotResolve("its sections cannot be told apart: write each heading as `## Title` on a line of its own")


def _iso(moment: dt.datetime) -> str:
    return clock.stamp(moment)
