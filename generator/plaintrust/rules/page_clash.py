"""A hand-written page under site/ must not take the place of a page the trust center generates.

Generated: index.md (the overview), certifications.md, subprocessors.md, updates/index.md and
practices/<category>.md for each category of trust.yaml. A page takes that place under any of the
names MkDocs gives the same address (`certifications.md`, `certifications/index.md`,
`certifications/README.md`). A site/disclosure.md of your own is welcome: it replaces the generated
disclosure page; under another name of that address it is refused, since both would be built.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust import pagenames
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "page-clash"


def check(model: Model) -> Iterator[Diagnostic]:
    generated = pagenames.generated_pages(c.id for c in model.trust.categories) if model.trust else \
        pagenames.generated_pages(())
    generated[pagenames.page_key(pagenames.DISCLOSURE)] = "the disclosure page (name yours site/disclosure.md)"
    for page in model.site_pages:
        what = generated.get(pagenames.page_key(page))
        if what and page != pagenames.DISCLOSURE:
            yield Location(f"site/{page}").error(ID, f"site/{page} takes the place of {what}, which is generated",
                                                 "rename the file, or link to it from your own page")
