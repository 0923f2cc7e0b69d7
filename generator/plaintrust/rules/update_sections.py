"""A security notice lacks a section customers need, or a section is empty or still a `TODO:` prompt.

Notices are the Markdown files under site/updates/. While a notice is open (`status`
investigating, identified or monitoring) it needs these `##` sections: What happened, What we
know, What we don't know yet, What we are doing, What customers should do, and Timeline. A resolved
notice needs `## Resolution`. Headings match whatever their case; their order is not checked. A
section with no text, or whose text still starts with `TODO:` (the prompts of
`plaintrust update new`), counts as not written. A `TODO:` prompt left in any other section (say,
in What happened of a notice resolved straight away) is reported too.

Customers following an incident look for the same answers every time, and a notice is published as
it is written.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write the section. `plaintrust update new TITLE` starts a notice with every section.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import notices
from plaintrust.core import Section
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model, Notice

ID = "update-sections"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for notice in model.notices:
        required = notices.OPEN_SECTIONS if notice.is_open else (notices.RESOLUTION,)
        for title in required:
            yield from _required(notice, title)
        wanted = {notices.key(title) for title in required}
        for section in notice.sections:  # any section is published as written
            if section.key not in wanted and section.text.startswith(notices.PLACEHOLDER):
                yield _prompt(notice, section)


def _required(notice: Notice, title: str) -> Iterator[Diagnostic]:
    section = notices.find(notice.sections, title)
    state = "open" if notice.is_open else "resolved"
    if section is None:
        where = notice.source.at("status")
        yield where.error(
            ID,
            f"this {state} notice has no '## {title}' section",
            "add it; `plaintrust update new` writes a notice with every section",
        )
    elif not section.text:
        yield Location(notice.source.path, section.line, 1).error(ID, f"the '## {title}' section is empty")
    elif section.text.startswith(notices.PLACEHOLDER):
        yield _prompt(notice, section)


def _prompt(notice: Notice, section: Section) -> Diagnostic:
    first = next(i for i, line in enumerate(section.lines, start=1) if line.strip())
    return Location(notice.source.path, section.line + first, 1).error(
        ID,
        f"the '## {section.title}' section still holds its {notices.PLACEHOLDER} prompt",
        "write it before publishing",
    )
