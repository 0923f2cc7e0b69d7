"""The impact as plain text for a terminal: a heading line, the summary line, what could not be
judged, notes, then each non-empty section with its items and, under each, the fields that differ.

No line starts with a value someone wrote: a CI log runs a line that starts with `::` as a
workflow command, so each starts with our own words ("changed", "at", "- ") and values pass
`logged` (which also splits the older `##[command]` form, obeyed anywhere in a line)."""

from __future__ import annotations

from plaintrust.impact.render.shared import (
    ERRORS,
    LEAKS,
    detail_text,
    heading,
    listed_details,
    logged,
    place,
    section_title,
    side_parts,
    summary,
    word,
)
from plaintrust.impact.report import SECTIONS, Finding, Impact, Item, Side


def text(impact: Impact) -> str:
    lines = [
        f"Compliance impact: {_side(impact.base)} → {_side(impact.head)}, judged on {impact.today.isoformat()}",
        summary(impact),
    ]
    lines += [f"Not judged: {logged(reason)}" for reason in impact.unjudged]
    lines += [f"Note: {logged(note)}" for note in impact.notes]
    for title, findings in ((LEAKS, impact.leaks), (ERRORS, impact.errors)):
        if findings:
            lines += ["", section_title(title, findings), *(f"  at {finding_text(f)}" for f in findings)]
    for name in SECTIONS:
        if items := impact.items(name):
            lines += ["", section_title(name, items)]
            lines += [line for item in items for line in _item(name, item)]
    return "".join(line + "\n" for line in lines)


def _side(side: Side) -> str:
    label, facts = side_parts(side)
    return logged(label) + (f" ({facts})" if facts else "")


def finding_text(finding: Finding) -> str:
    """`check`'s own form: "site/index.md:3:1: [internal-value] message"."""
    return f"{logged(finding.path)}:{finding.line}:{finding.col}: [{logged(finding.rule)}] {logged(finding.message)}"


def _item(section: str, item: Item) -> list[str]:
    where = place(item)
    first = f"  {word(item.change)} {heading(section, item, logged)}"
    first += (f" ({logged(where)})" if where else "") + (" [status drop]" if item.drop else "")
    shown, more = listed_details(item)
    details = [f"    - {detail_text(d, logged)}" for d in shown]
    return [first, *details, *([f"    - … and {more} more"] if more else [])]
