"""A file of yours under site/ must not have the path of a file the trust center generates.

Generated beside the pages: the feeds (`feeds/updates.xml`, `feeds/subprocessors.xml`),
`.well-known/security.txt`, `trust.json` and its schema `trust-center.schema.json`, and the styles
under `assets/plaintrust/`. One of the two would silently replace the other on the site.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust import pagenames
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "output-clash"


def check(model: Model) -> Iterator[Diagnostic]:
    for path in model.site_files:
        if path in pagenames.FILES:
            yield Location(f"site/{path}").error(
                ID, f"site/{path} has the path of {pagenames.FILES[path]}, which plaintrust generates",
                "rename or move your file")
