"""A page of yours under site/ has a `title` in its front matter that is not text, or is blank.

It fires when the `title:` of a Markdown page under site/ (the notices under site/updates/ have
rules of their own) is a list, a mapping, a number, a date, `true` or `false`, or is empty or
only spaces. YAML reads `title: 2026` as a number and `title: [Security, Privacy]` as a list.

The theme prints the title in the browser tab and the navigation as it gets it: a list would show
as `['Security', 'Privacy']`, and a blank title leaves a tab that starts with a dash. The title of
site/index.md is also the overview's heading.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write the title as text on one line, in quotes when it looks like a number or a date
(`title: "2026"`), or remove the `title:` line.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "page-title"
READS_FILES = False
HINT = 'write it as text on one line, in quotes if it looks like a number or a date (title: "2026"), or remove it'


def check(model: Model) -> Iterator[Diagnostic]:
    for title in model.page_titles:
        what = _not_text(title.value)
        if what:
            yield title.where.error(ID, f"the title of site/{title.page} is {what}", HINT)


def _not_text(value: object) -> str | None:
    """What the value is, when it is no title to print (None: it is one)."""
    if isinstance(value, str):
        return None if value.strip() else "blank"
    if value is None:
        return "empty"
    kinds = (
        (bool, "true or false"),
        (int, "a number"),
        (float, "a number"),
        (dt.date, "a date"),
        (list, "a list"),
        (dict, "a mapping"),
    )
    what = next((what for kind, what in kinds if isinstance(value, kind)), "another kind of value")
    return f"{what}, not text"
