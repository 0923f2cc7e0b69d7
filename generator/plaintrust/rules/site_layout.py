"""mkdocs.yml must build from site/ into a folder of its own.

`docs_dir` must be `site` (trust.yaml, the notices and your pages are read from there), and
`site_dir` must not be, contain or lie inside the repository root, controls/, evidence/,
frameworks/ or site/: a build replaces its output folder, and must never replace those.
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model

ID = "site-layout"
PROTECTED = ("controls", "evidence", "frameworks", "site")


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if not settings.site_configured:
        return
    where = Location("mkdocs.yml")
    if posixpath.normpath(settings.docs_dir) != "site":
        yield where.error(ID, f"docs_dir is {settings.docs_dir!r}; Plaintrust reads the public site from site/",
                          "set docs_dir: site")
    output = posixpath.normpath(settings.site_dir)
    if output.startswith("..") or posixpath.isabs(output) or output == ".":
        yield where.error(ID, f"site_dir {settings.site_dir!r} must be a folder inside the repository",
                          "use build/site")
        return
    for folder in PROTECTED:
        if output == folder or output.startswith(folder + "/") or folder.startswith(output + "/"):
            yield where.error(ID, f"site_dir {settings.site_dir!r} overlaps {folder}/, which a build would replace",
                              "use build/site")
