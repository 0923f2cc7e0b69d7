"""A hand-written page under site/ must not take the place of a page the trust center generates.

Generated: index.md (the overview), certifications.md, subprocessors.md, updates/index.md and
practices/<category>.md for each category of trust.yaml. (A site/disclosure.md of your own is
welcome: it replaces the generated disclosure page.)
"""

from __future__ import annotations

from typing import Iterator

from plaintrust import pagenames
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "page-clash"


def check(model: Model) -> Iterator[Diagnostic]:
    generated = dict(pagenames.FIXED)
    if model.trust:
        generated.update({pagenames.category_page(c.id): f"the {c.title!r} practices page" for c in model.trust.categories})
    for page in model.site_pages:
        if page in generated:
            yield Location(f"site/{page}").error(ID, f"site/{page} takes the place of {generated[page]}, which is generated",
                                                 "rename the file, or link to it from your own page")
