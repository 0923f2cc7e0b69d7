"""Text that a theme prints as it is must not hold markup.

MkDocs' themes print `site_name`, `site_description`, `site_author`, `copyright`, the titles of
`nav` and the values under `extra` without escaping them, so a tag there (`<script>`,
`<img onerror=...>`) or a `javascript:` address would run on every page. Write plain text;
entities such as `&copy;` are fine.
"""

from __future__ import annotations

import re
from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-markup"
_MARKUP = re.compile(r"<[A-Za-z!/?]|javascript\s*:", re.I)


def check(model: Model) -> Iterator[Diagnostic]:
    for where, text in model.settings.shown_texts:
        if _MARKUP.search(text):
            yield Location("mkdocs.yml").error(ID, f"mkdocs.yml's {where} holds markup, which every page would print "
                                               f"as it is: {text[:60]!r}", "write plain text (an entity such as &copy; is fine)")
