"""Text in mkdocs.yml that themes print as it is holds markup.

Checked: `site_name`, `site_description`, `site_author`, `copyright`, the titles in `nav` and every
text under `extra`, after any file mkdocs.yml `INHERIT`s is merged in. It fires on a tag, a closing
tag or a comment (`<` followed by a letter, `/`, `!` or `?`) and on `javascript:` in any case.

MkDocs themes print these texts without escaping them, so `<script>` or `<img onerror=...>` there
would run on every page of the public site.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write plain text; an entity such as `&copy;` is fine.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-markup"
READS_FILES = False
_MARKUP = re.compile(r"<[A-Za-z!/?]|javascript\s*:", re.I)


def check(model: Model) -> Iterator[Diagnostic]:
    for where, text in model.settings.shown_texts:
        if _MARKUP.search(text):
            yield Location("mkdocs.yml").error(
                ID,
                f"mkdocs.yml's {where} holds markup, which every page would print as it is: {text[:60]!r}",
                "write plain text (an entity such as &copy; is fine)",
            )
