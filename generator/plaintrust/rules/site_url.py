"""The `site_url` in mkdocs.yml is missing, or is not a plain http or https address.

It is checked only when the repository has an mkdocs.yml (a site to build). `site_url` must start
with `http://` or `https://` and hold no spaces, quotes, angle brackets or backslashes.

The feeds, security.txt and trust.json need absolute links, and the address is written as it is
into the head of every page.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, set `site_url` to the address the trust center is published at, such as
`https://trust.example.com/`.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-url"
READS_FILES = False
# It is written as is into every page's head, the feeds and security.txt: no quotes, spaces or <>.
_URL = re.compile(r"https?://[^\s\"'<>\\]+")


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if settings.site_configured and not _URL.fullmatch(settings.site_url or ""):
        yield Location("mkdocs.yml").error(
            ID,
            "site_url is missing or not a plain http(s) address",
            "set it to the address the trust center is published at",
        )
