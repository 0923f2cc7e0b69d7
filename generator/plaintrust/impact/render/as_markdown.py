"""The impact as a pull-request comment (GitHub and GitLab Markdown).

The first line is the hidden MARKER by which the CI jobs find their own comment and update it.
Every value someone else wrote (titles, keys, paths, messages, a ref's name) passes `md`: on one
line, cut, HTML special characters as entities, Markdown punctuation backslash-escaped and `@`
never a mention, so no value can close a section, start a link or ping anyone. The comment
never exceeds LIMIT characters: sections that do not fit end with "… and N more".
"""

from __future__ import annotations

import re

from plaintrust.impact.render.shared import (
    CUT,
    ERRORS,
    LEAKS,
    detail_text,
    heading,
    listed_details,
    place,
    plain,
    section_title,
    side_parts,
    summary,
)
from plaintrust.impact.report import SECTIONS, Finding, Impact, Item, Side

MARKER = "<!-- plaintrust-impact -->"
LIMIT = 60_000  # GitHub refuses a comment over 65,536 characters
MAX_NOTES = 10
_OPEN = frozenset({LEAKS, ERRORS, "public"})  # shown unfolded: what a reviewer must not miss
_PUNCTUATION = re.compile(r"([\\`*_{}\[\]()#+\-.!|~^$:=])")

Block = tuple[str, str, list[str]]  # the opening lines, the closing lines, one text per item


def md(value: str, limit: int | None = CUT) -> str:
    """`value` as inert Markdown text: it shows as written and is never markup."""
    text = _PUNCTUATION.sub(r"\\\1", plain(value, limit))
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    return text.replace("@", "&#64;&#8203;")  # the zero-width space keeps GitHub from seeing a mention


def markdown(impact: Impact) -> str:
    head = [
        MARKER,
        "### Compliance impact",
        "",
        f"{_side(impact.base)} → {_side(impact.head)}, judged on {impact.today.isoformat()}",
        "",
        summary(impact),  # counts and our words only
        "",
        *(line for note in _notes(impact.notes) for line in (f"Note: {note}", "")),
    ]
    return _fitted("\n".join(head) + "\n", _blocks(impact))


def _notes(notes: tuple[str, ...]) -> list[str]:
    """At most MAX_NOTES, so that however long they are the items still find room under LIMIT."""
    shown = [md(note) for note in notes[:MAX_NOTES]]
    return shown + ([f"… and {len(notes) - MAX_NOTES} more"] if len(notes) > MAX_NOTES else [])


def _side(side: Side) -> str:
    if side.commit is None:
        return md(side.label or "working tree")
    label, facts = side_parts(side)
    return f"<code>{md(label)}</code>" + (f" ({facts})" if facts else "")  # hex digits and a date


def _blocks(impact: Impact) -> list[Block]:
    blocks = [
        _block(title, title, findings, [_finding(f) for f in findings])
        for title, findings in ((LEAKS, impact.leaks), (ERRORS, impact.errors))
        if findings
    ]
    for name in SECTIONS:
        if items := impact.items(name):
            blocks.append(_block(name, name, items, [_item(name, item) for item in items]))
    return blocks


def _block(key: str, title: str, entries: tuple, texts: list[str]) -> Block:
    opened = "<details open>" if key in _OPEN else "<details>"
    # Our words and counts only: inside an HTML block GitHub would show a backslash escape as typed.
    return f"{opened}<summary>{section_title(title, entries)}</summary>\n\n", "\n</details>\n\n", texts


def _finding(finding: Finding) -> str:
    where = f"{md(finding.path)}:{finding.line}:{finding.col}"
    return f"- <code>{where}</code> \\[{md(finding.rule)}\\] {md(finding.message)}\n"


def _item(section: str, item: Item) -> str:
    where = place(item)
    line = f"- {md(item.change)} **{heading(section, item, md)}**"
    line += (f" (<code>{md(where)}</code>)" if where else "") + (" — **status drop**" if item.drop else "")
    shown, more = listed_details(item)
    lines = [line, *(f"  - {detail_text(d, md)}" for d in shown), *([f"  - … and {more} more"] if more else [])]
    return "\n".join(lines) + "\n"


def _fitted(head: str, blocks: list[Block]) -> str:
    """`head` and the blocks, each block's items kept in order while they fit within LIMIT.

    Room is set aside first for every block's frame and its "… and N more" line, so what is kept
    never pushes the total over; an item too large for what is left ends its block's list."""
    reserve = sum(len(opened) + len(closed) + len(_more(len(texts))) for opened, closed, texts in blocks)
    room = LIMIT - len(head) - reserve
    parts = [head]
    for opened, closed, texts in blocks:
        kept = 0
        for entry in texts:
            if len(entry) > room:
                break
            room -= len(entry)
            kept += 1
        parts += [opened, *texts[:kept], _more(len(texts) - kept) if kept < len(texts) else "", closed]
    return "".join(parts).rstrip("\n") + "\n"


def _more(n: int) -> str:
    return f"- … and {n} more\n"
