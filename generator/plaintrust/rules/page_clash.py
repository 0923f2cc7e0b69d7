"""A page of yours under site/ takes the address of a page the trust center generates.

Generated: the overview (`index.md`), `certifications.md`, `subprocessors.md`, `updates/index.md`,
`practices/<category>.md` for each category of site/trust.yaml, and, once a policy is published,
`policies/index.md` and `policies/<id>.md` for each published policy, and, once answers/ holds a
public or nda answer, the security FAQ `faq.md` (while it holds none, a site/faq.md of yours is an
ordinary page). Your page clashes under any name
MkDocs gives the same address: `certifications.md`, `certifications/index.md`,
`certifications/README.md`, or the same with another Markdown suffix such as `.markdown`. Two
pages are exceptions. A site/disclosure.md of your own replaces the generated disclosure page. A
site/index.md of your own becomes the overview's introduction, above its generated sections (its
`title`, if any, becomes the overview's heading, and its headings move one level down). Under
another name of either address (`disclosure/index.md`, `README.md`, `index.markdown`) a page is
refused, since both would be built.

One page would silently replace the other.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, rename your page, or link to it from a page of your own. For a hand-written FAQ,
move its questions into answers/ (one answer per file) and delete the page.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import answers
from plaintrust.boundary import pagenames
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model
from plaintrust.policies import published

ID = "page-clash"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    shown = [p.id for p in model.policies if published(p)]
    faq = bool(answers.shared(model.answers))
    categories = [c.id for c in model.trust.categories] if model.trust else ()
    generated = pagenames.generated_pages(categories, shown, faq=faq)
    generated[pagenames.page_key(pagenames.DISCLOSURE)] = "the disclosure page (name yours site/disclosure.md)"
    generated[pagenames.page_key(pagenames.OVERVIEW)] = "the overview (name its introduction site/index.md)"
    for page in model.site_pages:
        what = generated.get(pagenames.page_key(page))
        if what and page not in (pagenames.DISCLOSURE, pagenames.OVERVIEW):
            yield Location(f"site/{page}").error(ID, *_said(page, what))


def _said(page: str, what: str) -> tuple[str, str]:
    """The message and hint: a hand-written FAQ is better moved into answers/ than renamed."""
    if pagenames.page_key(page) == pagenames.page_key(pagenames.FAQ):
        return (
            f"site/{page} takes the place of {what}, which is generated from answers/",
            "move its questions into answers/ (one answer per file), then delete the page",
        )
    return (
        f"site/{page} takes the place of {what}, which is generated",
        "rename the file, or link to it from your own page",
    )
