"""A security notice says what customers need, in the same order every time.

While a notice is open (investigating, identified, monitoring) it needs these `##` sections, each
with some text: What happened, What we know, What we don't know yet, What we are doing, What
customers should do, Timeline. A resolved notice needs a `## Resolution` that sums up the outcome.
A section that still starts with the `TODO:` prompt of `plaintrust update new` counts as unwritten.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust import notices
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Notice

ID = "update-sections"


def check(model: Model) -> Iterator[Diagnostic]:
    for notice in model.notices:
        required = notices.OPEN_SECTIONS if notice.is_open else (notices.RESOLUTION,)
        for title in required:
            yield from _required(notice, title)


def _required(notice: Notice, title: str) -> Iterator[Diagnostic]:
    section = notices.find(notice.sections, title)
    state = "open" if notice.is_open else "resolved"
    if section is None:
        where = notice.source.at("status")
        yield where.error(ID, f"this {state} notice has no '## {title}' section",
                          "add it; `plaintrust update new` writes a notice with every section")
    elif not section.text:
        yield Location(notice.source.path, section.line, 1).error(ID, f"the '## {title}' section is empty")
    elif section.text.startswith(notices.PLACEHOLDER):
        first = next(i for i, line in enumerate(section.lines, start=1) if line.strip())
        yield Location(notice.source.path, section.line + first, 1).error(
            ID, f"the '## {title}' section still holds its {notices.PLACEHOLDER} prompt", "write it before publishing")
