"""mkdocs.yml must set `site_url`: the feeds, security.txt and trust.json need absolute links.

Checked only when the repository has an mkdocs.yml (a site to build).
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-url"


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if settings.site_configured and not (settings.site_url or "").startswith(("https://", "http://")):
        yield Location("mkdocs.yml").error(ID, "site_url is missing or not an http(s) address",
                                           "set it to the address the trust center is published at")
