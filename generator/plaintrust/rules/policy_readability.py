"""A policy's public text is hard to read for customers.

It scores, as the readability rule scores a control's public summary (the same `min_reading_ease`,
`max_grade` and `plain_words`), each text of a policy that the trust center may show: its `summary`
and its `change` line unless `public` is `none`, and with `public: full` each `##` section of the
body, and the text before the first heading. Code blocks and table rows are left out of the score,
and each list item or sub-heading counts as a sentence of its own. Drafts are checked too, so the
text reads well before it is approved. The message names the section and the line of its heading.

The trust center is read by buyers and procurement teams, not only by security engineers.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, use shorter sentences and everyday words, or add a term your customers know to
`plain_words`. Changing an approved policy's text means approving it again.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Policy
from plaintrust.policies import INTRODUCTION
from plaintrust.rules.readability import HINT, hard_to_read

ID = "policy-readability"
READS_FILES = False
_FENCE = re.compile(r"^[ \t]{0,3}(```|~~~)")
_ITEM = re.compile(r"^\s*(?:[-*+]|\d{1,9}[.)]|#{1,6})\s+")  # a list item or a sub-heading
_ENDED = re.compile(r"[.!?:;]\W*$")


_FIELDS = (("summary", "the public summary"), ("change", "the change line"))


def check(model: Model) -> Iterator[Diagnostic]:
    for policy in model.policies:
        if policy.public == "none":
            continue
        for field, what in _FIELDS:
            problems = hard_to_read(getattr(policy, field), model.settings)
            if problems:
                yield policy.source.at(field).warning(ID, f"{what} of policy {policy.id} reads hard: {problems}", HINT)
        if policy.public == "full":
            yield from _sections(policy, model)


def scored_texts(model: Model) -> Iterator[str]:
    """Every text `check` scores (see `rules._ahead`)."""
    for policy in model.policies:
        if policy.public != "none":
            yield from (getattr(policy, field) for field, _ in _FIELDS)
        if policy.public == "full":
            yield from (prose(section.lines) for section in policy.sections)


def _sections(policy: Policy, model: Model) -> Iterator[Diagnostic]:
    for section in policy.sections:
        problems = hard_to_read(prose(section.lines), model.settings)
        if not problems:
            continue
        name = "the introduction" if section.title == INTRODUCTION else f'the section "{section.title}"'
        message = f"{name} (line {section.line}) of policy {policy.id} reads hard: {problems}"
        yield Location(policy.source.path, section.line, 1).warning(ID, message, HINT)


def prose(lines: tuple[str, ...]) -> str:
    """The sentences of a section as customers read them: code blocks and table rows left out, and
    each list item or sub-heading ended as a sentence (a bullet rarely ends with a full stop)."""
    kept: list[str] = []
    fenced = in_item = False
    for line in lines:
        if _FENCE.match(line):
            fenced = not fenced
        if fenced or _FENCE.match(line) or line.lstrip().startswith("|"):
            continue
        item = _ITEM.match(line)
        if in_item and (item or not line.strip()):
            _end_sentence(kept)
        in_item = item is not None or (in_item and bool(line.strip()))
        kept.append(line[item.end() :] if item else line)
    if in_item:
        _end_sentence(kept)
    return "\n".join(kept)


def _end_sentence(kept: list[str]) -> None:
    if kept and kept[-1].strip() and not _ENDED.search(kept[-1]):
        kept[-1] = kept[-1].rstrip() + "."
