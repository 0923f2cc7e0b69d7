"""A file of yours under site/ has the path of a file the build writes, or stands where the build needs a folder.

The build writes, beside the pages: `trust.json`, its schema `trust-center.schema.json`,
`evidence-log.json`, the feeds `feeds/<topic>.xml` (Atom) and `feeds/<topic>.json` (JSON Feed) for
the topics `updates`, `subprocessors`, `certifications`, `all` and, when a policy is published, `policies`,
`.well-known/security.txt`, the styles `assets/plaintrust/trust.css` and `assets/plaintrust/brand.css`,
the search index `search/search_index.json`, `sitemap.xml` and `sitemap.xml.gz`, `404.html`, and
each generated page's `index.html` (such as `certifications/index.html`). A file named like one of
their folders (`site/feeds`, `site/assets`) is reported too.

One of the two files would silently replace the other on the public site, and a file where a
folder is needed stops the build.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, rename or move your file.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import answers
from plaintrust.boundary import pagenames
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model
from plaintrust.policies import published

ID = "output-clash"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    written = _written(model)
    folders: dict[str, str] = {}
    for path, what in written.items():
        parts = path.split("/")[:-1]
        for depth in range(1, len(parts) + 1):
            folders.setdefault("/".join(parts[:depth]), what)
    for path in model.site_files:
        if path in written:
            yield Location(f"site/{path}").error(
                ID, f"site/{path} has the path of {written[path]}, which the build writes", "rename or move your file"
            )
        elif path in folders:
            yield Location(f"site/{path}").error(
                ID,
                f"site/{path} is a file where the build needs a folder (for {folders[path]})",
                "rename or move your file",
            )


def _written(model: Model) -> dict[str, str]:
    categories = [c.id for c in model.trust.categories] if model.trust else []
    shown = [p.id for p in model.policies if published(p)]
    pages = {
        f"{key}/index.html" if key else "index.html": what
        for key, what in pagenames.generated_pages(categories, shown, faq=bool(answers.shared(model.answers))).items()
    }
    feeds = pagenames.feed_files(pagenames.feed_topics(policies=bool(shown)))
    return {**pagenames.FILES, **feeds, **pagenames.BUILD_FILES, **pages}
