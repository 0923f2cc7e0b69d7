"""mkdocs.yml must build from site/ into a folder of its own, and read nothing internal into it.

`docs_dir` must be `site` (trust.yaml, the notices and your pages are read from there), and
`site_dir` must not be, contain or lie inside the repository root, controls/, evidence/,
frameworks/, site/, .git/, the theme's custom_dir, a hook, a file mkdocs.yml INHERITs or a custom
catalog: a build replaces its output folder, and must never replace those. The
theme's `custom_dir` (whose files are copied into the site) must be a folder inside the
repository that is not, and does not hold, controls/, evidence/ or frameworks/; and
`pymdownx.snippets` may include files only from under site/ (`base_path: [site]`, with
`restrict_base_path` left on), or a page could pull any file of the repository or the machine
into the public site.
"""

from __future__ import annotations

import posixpath
from typing import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model
from plaintrust.output import INPUT_FOLDERS

ID = "site-layout"
PROTECTED = tuple(name for name, _what in INPUT_FOLDERS)


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if not settings.site_configured:
        return
    where = Location("mkdocs.yml")
    if posixpath.normpath(settings.docs_dir) != "site":
        yield where.error(ID, f"docs_dir is {settings.docs_dir!r}; Plaintrust reads the public site from site/",
                          "set docs_dir: site")
    yield from _custom_dir(settings.custom_dir, where)
    yield from _snippets(settings.snippet_paths, where)
    output = posixpath.normpath(settings.site_dir)
    if output.startswith("..") or posixpath.isabs(output) or output == ".":
        yield where.error(ID, f"site_dir {settings.site_dir!r} must be a folder inside the repository",
                          "use build/site")
        return
    for folder in inputs(model):
        if output == folder or output.startswith(folder + "/") or folder.startswith(output + "/"):
            shown = f"{folder}/" if folder in PROTECTED else folder
            yield where.error(ID, f"site_dir {settings.site_dir!r} overlaps {shown}, which a build would replace",
                              "use build/site")


def inputs(model: Model) -> list[str]:
    """What a build reads and must never replace: the input folders, and the files and folders
    mkdocs.yml and program.yaml name (custom_dir, hooks, inherited configuration, custom catalogs)."""
    settings, program = model.settings, model.program
    named = [settings.custom_dir, *settings.hooks, *settings.inherited]
    named += [f.catalog.source.path for f in program.frameworks if f.catalog.source] if program else []
    return [*PROTECTED, *(posixpath.normpath(n) for n in named if n)]


INTERNAL = tuple(name for name in PROTECTED if name != "site")


def allowed_custom_dir(custom_dir: str) -> bool:
    folder = posixpath.normpath(custom_dir)
    return not (folder.startswith("..") or posixpath.isabs(folder) or folder == "." or any(
        folder == f or folder.startswith(f + "/") for f in INTERNAL))


def _custom_dir(custom_dir: str | None, where: Location) -> Iterator[Diagnostic]:
    if custom_dir is not None and not allowed_custom_dir(custom_dir):
        yield where.error(ID, f"the theme's custom_dir {custom_dir!r} must be a folder of its own inside the repository "
                          "(its files are copied into the public site)", "use a folder such as overrides/")


def _snippets(paths: tuple[str, ...] | None, where: Location) -> Iterator[Diagnostic]:
    for path in paths or ():
        folder = posixpath.normpath(path)
        if folder != "site" and not folder.startswith("site/"):
            yield where.error(ID, f"pymdownx.snippets may include files from {path!r}, outside site/: a page could "
                              "publish any file there", "set base_path: [site] and leave restrict_base_path on")
