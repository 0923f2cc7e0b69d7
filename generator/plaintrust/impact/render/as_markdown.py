"""The impact as a pull-request comment (GitHub and GitLab Markdown).

The first line is the hidden MARKER by which the CI jobs find their own comment and update it.
Every value someone else wrote (titles, keys, paths, messages, a ref's name) passes `md`: on one
line, cut, HTML special characters as entities, Markdown punctuation backslash-escaped, `@` never
a mention and `#1`, `!2`, `~bug` (GitHub's and GitLab's references) never a link, so no value can
close a section, start a link or ping anyone; no line starts with one. The comment never exceeds
LIMIT characters: the room goes first to what a reviewer must not miss (PRIORITY; drops before
the rest of their section), the order shown stays SECTIONS's, and a list cut short ends with
"… and N more".
"""

from __future__ import annotations

import re
from typing import NamedTuple

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
# Before a letter or digit these make a reference (GitHub: #12, org/repo#3; GitLab also !12 merge
# requests, ~label, %milestone, $snippet, &epic): a zero-width space after them keeps it text.
_REFERENCE = re.compile(r"([#!~%$&])(?=[A-Za-z0-9])")
_SPLIT = "\x00"  # where the zero-width space goes; `plain` never leaves a NUL in a value
# Who gets room first when not everything fits; unknown sections come last.
PRIORITY = (LEAKS, ERRORS, "public", "requirements", "anchors", "controls", "evidence", "policies", "ledger")


class Block(NamedTuple):
    """One collapsible section: its frame, one text per item, and which items are drops."""

    key: str  # LEAKS, ERRORS or a section's name
    opened: str
    closed: str
    texts: list[str]
    drops: list[bool]


def md(value: str, limit: int | None = CUT) -> str:
    """`value` as inert Markdown text: it shows as written and is never markup."""
    text = _REFERENCE.sub(r"\1" + _SPLIT, plain(value, limit))
    text = _PUNCTUATION.sub(r"\\\1", text)
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")
    text = text.replace(_SPLIT, "&#8203;")
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
    ]
    reasons = _notes(impact.unjudged, MAX_NOTES)
    head += [line for reason in reasons for line in (f"**Not judged:** {reason}", "")]
    head += [line for note in _notes(impact.notes, MAX_NOTES - len(reasons)) for line in (f"Note: {note}", "")]
    return _fitted("\n".join(head) + "\n", _blocks(impact))


def _notes(notes: tuple[str, ...], most: int) -> list[str]:
    """At most `most` (the reasons and the notes share MAX_NOTES), so that however long they are
    the items still find room under LIMIT."""
    most = max(most, 1)
    shown = [md(note) for note in notes[:most]]
    return shown + ([f"… and {len(notes) - most} more"] if len(notes) > most else [])


def _side(side: Side) -> str:
    label, facts = side_parts(side)
    if side.commit is None:
        return label  # our words: "working tree"
    return f"<code>{md(label)}</code>" + (f" ({facts})" if facts else "")  # hex digits and a date


def _blocks(impact: Impact) -> list[Block]:
    blocks = [
        _block(title, findings, [_finding(f) for f in findings], [False] * len(findings))
        for title, findings in ((LEAKS, impact.leaks), (ERRORS, impact.errors))
        if findings
    ]
    for name in SECTIONS:
        if items := impact.items(name):
            blocks.append(_block(name, items, [_item(name, item) for item in items], [i.drop for i in items]))
    return blocks


def _block(key: str, entries: tuple, texts: list[str], drops: list[bool]) -> Block:
    opened = "<details open>" if key in _OPEN else "<details>"
    # Our words and counts only: inside an HTML block GitHub would show a backslash escape as typed.
    summary_line = f"{opened}<summary>{section_title(key, entries)}</summary>\n\n"
    return Block(key, summary_line, "\n</details>\n\n", texts, drops)


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
    """`head` and the blocks in their order, with the items of each that fit within LIMIT.

    Room is set aside first for every block's frame and its "… and N more" line, so what is kept
    never pushes the total over. The rest goes to the blocks in PRIORITY order (a long list of
    controls never crowds out the public claims); what is kept shows in its usual order."""
    reserve = sum(len(b.opened) + len(b.closed) + len(_more(len(b.texts))) for b in blocks)
    room = LIMIT - len(head) - reserve
    kept: dict[int, set[int]] = {}
    for n in sorted(range(len(blocks)), key=lambda n: _rank(blocks[n].key)):
        kept[n], room = _kept(blocks[n], room)
    parts = [head]
    for n, block in enumerate(blocks):
        shown = [text for i, text in enumerate(block.texts) if i in kept[n]]
        left = len(block.texts) - len(shown)
        parts += [block.opened, *shown, _more(left) if left else "", block.closed]
    return "".join(parts).rstrip("\n") + "\n"


def _rank(key: str) -> int:
    return PRIORITY.index(key) if key in PRIORITY else len(PRIORITY)


def _kept(block: Block, room: int) -> tuple[set[int], int]:
    """Which of the block's items fit in `room` (drops first, then in order), and the room left;
    an item too large for what is left ends the choice, so a shorter one never jumps the queue."""
    kept: set[int] = set()
    for i in sorted(range(len(block.texts)), key=lambda i: not block.drops[i]):
        if len(block.texts[i]) > room:
            break
        room -= len(block.texts[i])
        kept.add(i)
    return kept, room


def _more(n: int) -> str:
    return f"- … and {n} more\n"
