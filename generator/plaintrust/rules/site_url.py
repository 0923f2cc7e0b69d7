"""mkdocs.yml must set `site_url`: the feeds, security.txt and trust.json need absolute links.

Checked only when the repository has an mkdocs.yml (a site to build).
"""

from __future__ import annotations

import re
from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-url"
# It is written as is into every page's head, the feeds and security.txt: no quotes, spaces or <>.
_URL = re.compile(r"https?://[^\s\"'<>\\]+")


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if settings.site_configured and not _URL.fullmatch(settings.site_url or ""):
        yield Location("mkdocs.yml").error(ID, "site_url is missing or not a plain http(s) address",
                                           "set it to the address the trust center is published at")
