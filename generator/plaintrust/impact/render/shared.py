"""What every format says the same way: the summary line, the names of the sections, how an item
and a field read, and the one-line form of a value written by someone else."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable

from plaintrust.diagnostics import printable
from plaintrust.impact.report import SECTIONS, Detail, Impact, Item, Side

CUT = 300  # a longer value is cut here, with "…" (the JSON keeps it whole)
MAX_DETAILS = 25  # fields listed under one item; the rest are counted ("… and 3 more")

TITLES = {
    "controls": "Controls",
    "requirements": "Requirements",
    "public": "Public claims",
    "evidence": "Evidence",
    "ledger": "Evidence ledger",
    "policies": "Policies",
    "anchors": "Drift anchors",
}
LEAKS, ERRORS = "Leaks", "New errors"
# Their titles name the key already ("Practice 'X' (Category)", "infra/idp.tf (watched by AC-02)").
_TITLE_ONLY = ("public", "anchors")
# The order in which a section's changes are counted in the summary line.
_CHANGES = ("added", "re-pinned", "changed", "touched", "rewritten", "moved", "removed")
NOTHING = "No compliance impact: no control, requirement, public claim, evidence or policy changes."

_SPACES = re.compile(r"[\s\x1c-\x1f\x85\u2028\u2029]+")
# A change's name as compare writes it ("re-pinned"): shown bare, as our own word, at a line's start.
_WORD = re.compile(r"[a-z]+(?:-[a-z]+)*")
_HEX = re.compile(r"[0-9a-f]{7,64}")  # an abbreviated or full hash (SHA-1 or SHA-256)
# Fields that give a reason rather than a value that changed: "why: AC-02 is planned".
_REASONS = frozenset({"why"})
# Bidirectional overrides and isolates reorder what a reviewer sees: shown as escapes, like C0/C1.
_BIDI = frozenset("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")


def plain(value: str, limit: int | None = CUT) -> str:
    """`value` on one line: line breaks and runs of space as one space, other control characters
    as escapes (a terminal never receives one), cut at `limit` characters."""
    one_line = _SPACES.sub(" ", printable(value)).strip()
    if limit is not None and len(one_line) > limit:
        one_line = one_line[: limit - 1].rstrip() + "…"
    return "".join(_shown(c) for c in one_line)


def logged(value: str, limit: int | None = CUT) -> str:
    """`plain`, and inert in a CI log: GitHub's runner obeys `##[command]` anywhere in a line (the
    old form of its workflow commands), so a zero-width space splits every `##[`."""
    return plain(value, limit).replace("##[", "##\u200b[")


def word(change: str) -> str:
    """An item's change as the first word of its line; anything but a plain word is quoted, so a
    line never starts with a value someone wrote (a CI log would run `::command` there)."""
    return change if _WORD.fullmatch(change) else f"'{logged(change)}'"


def _shown(char: str) -> str:
    if char in _BIDI or unicodedata.category(char) == "Cc":
        return char.encode("unicode_escape").decode("ascii")
    return char


def counted(n: int, one: str, many: str) -> str:
    return f"{n} {one if n == 1 else many}"


def drops(items: tuple[Item, ...]) -> int:
    return sum(1 for i in items if i.drop)


def summary(impact: Impact) -> str:
    """One line: what the change does, the problems it brings first; NOTHING when it does nothing."""
    parts = []
    if impact.unjudged:  # before all else: what follows may miss a drop or a public change
        parts.append(f"not judged whole ({counted(len(impact.unjudged), 'reason', 'reasons')})")
    if impact.leaks:
        parts.append(counted(len(impact.leaks), "leak", "leaks"))
    if impact.errors:
        parts.append(counted(len(impact.errors), "new error", "new errors"))
    parts += [part for name in SECTIONS if (part := _section_part(name, impact.items(name)))]
    return " · ".join(parts) if parts else NOTHING


def _section_part(name: str, items: tuple[Item, ...]) -> str:
    n = len(items)
    if not n:
        return ""
    dropped = f" ({counted(drops(items), 'drop', 'drops')})" if drops(items) else ""
    if name == "requirements":
        return counted(n, "requirement changes status", "requirements change status") + dropped
    if name == "public":
        return counted(n, "public claim changes", "public claims change") + dropped
    if name == "evidence":
        return "evidence: " + ", ".join(f"{k} {change}" for change, k in _by_change(items))
    if name == "ledger":
        return _ledger_part(items)
    nouns = {"controls": ("control", "controls"), "policies": ("policy", "policies")}
    if name in nouns:
        return counted(n, *nouns[name]) + " changed"
    return counted(n, "drift anchor", "drift anchors") + " touched"


def _by_change(items: tuple[Item, ...]) -> list[tuple[str, int]]:
    known = [c for c in _CHANGES if any(i.change == c for i in items)]
    others = sorted({i.change for i in items} - set(_CHANGES))
    return [(c, sum(1 for i in items if i.change == c)) for c in (*known, *others)]


def _ledger_part(items: tuple[Item, ...]) -> str:
    added = sum(1 for i in items if i.change == "added")
    if not any(i.change == "rewritten" for i in items):
        return counted(added, "ledger entry", "ledger entries") + " added"
    return "ledger rewritten" + (f", {counted(added, 'entry', 'entries')} added" if added else "")


def section_title(name: str, items: tuple) -> str:
    """The section's name and how many items it has: "Requirements (2, 1 drop)"."""
    title = TITLES.get(name, name)
    n = drops(items) if name in TITLES else 0
    return f"{title} ({len(items)}{', ' + counted(n, 'drop', 'drops') if n else ''})"


def heading(section: str, item: Item, shown: Callable[[str], str] = plain) -> str:
    """What the item is, before the way it changed: "AC-02: Multi-factor authentication", each
    part through `shown`."""
    if section in _TITLE_ONLY or not item.key or item.title == item.key:
        return shown(item.title or item.key)
    return f"{shown(item.key)}: {shown(item.title)}" if item.title else shown(item.key)


def place(item: Item) -> str | None:
    """Where the item's file is, "controls/ac-02.yaml:12"; None when it has none."""
    if not item.path:
        return None
    return item.path + (f":{item.line}" if item.line else "")


def detail_text(detail: Detail, shown: Callable[[str], str] = plain) -> str:
    """One field's change, "status: implemented → partially implemented", each value through `shown`;
    a reason has no before: "why: AC-02 is planned"."""
    if detail.field in _REASONS and detail.before is None:
        return f"{shown(detail.field)}: {'(none)' if detail.after is None else shown(detail.after)}"
    before = "(none)" if detail.before is None else shown(detail.before)
    after = "(none)" if detail.after is None else shown(detail.after)
    return f"{shown(detail.field)}: {before} → {after}"


def listed_details(item: Item) -> tuple[tuple[Detail, ...], int]:
    """The details shown under an item, and how many more there are."""
    return item.details[:MAX_DETAILS], max(0, len(item.details) - MAX_DETAILS)


def side_parts(side: Side) -> tuple[str, str]:
    """(the side's name as the user gave it, "abc123def456, 2026-11-20"); the working tree: our
    words, no second part."""
    if side.commit is None:
        return "working tree", ""
    label = side.label or side.commit[:12]
    # A hash is not said twice; a branch named "91a" or "cafe" on commit 91a2…/cafe… is a name.
    said = _HEX.fullmatch(label) is not None and side.commit.startswith(label)
    named = [] if said else [side.commit[:12]]
    facts = ", ".join([*named, *([side.day.isoformat()] if side.day else [])])
    return label, facts
