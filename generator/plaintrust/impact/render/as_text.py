"""The impact as plain text for a terminal: a heading line, the summary line, notes, then each
non-empty section with its items and, indented under each, the fields that differ."""

from __future__ import annotations

from plaintrust.impact.render.shared import (
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


def text(impact: Impact) -> str:
    lines = [
        f"Compliance impact: {_side(impact.base)} → {_side(impact.head)}, judged on {impact.today.isoformat()}",
        summary(impact),
    ]
    lines += [f"Note: {plain(note)}" for note in impact.notes]
    for title, findings in ((LEAKS, impact.leaks), (ERRORS, impact.errors)):
        if findings:
            lines += ["", section_title(title, findings), *(f"  {finding_text(f)}" for f in findings)]
    for name in SECTIONS:
        if items := impact.items(name):
            lines += ["", section_title(name, items)]
            lines += [line for item in items for line in _item(name, item)]
    return "".join(line + "\n" for line in lines)


def _side(side: Side) -> str:
    label, facts = side_parts(side)
    return plain(label) + (f" ({facts})" if facts else "")


def finding_text(finding: Finding) -> str:
    """`check`'s own form: "site/index.md:3:1: [internal-value] message"."""
    return f"{plain(finding.path)}:{finding.line}:{finding.col}: [{plain(finding.rule)}] {plain(finding.message)}"


def _item(section: str, item: Item) -> list[str]:
    where = place(item)
    first = f"  {plain(item.change)} {heading(section, item)}"
    first += (f" ({plain(where)})" if where else "") + (" [status drop]" if item.drop else "")
    shown, more = listed_details(item)
    return [first, *(f"    {detail_text(d)}" for d in shown), *([f"    … and {more} more"] if more else [])]
