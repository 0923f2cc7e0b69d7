"""The mkdocs.yml settings do not build from site/ into a folder of their own, or could publish internal files.

Checked only when mkdocs.yml exists. It fires when `docs_dir` is not `site`; when `site_dir` is
outside the repository, is its root, or is, holds or lies inside controls/, evidence/, frameworks/,
policies/, site/, .git/, the theme's `custom_dir`, a hook, a file mkdocs.yml `INHERIT`s or a custom catalog;
when the theme's `custom_dir` is outside the repository, is its root, or is or lies inside
controls/, evidence/, frameworks/ or .git/; when `pymdownx.snippets` may include files from outside
site/ (a `base_path` outside site/, or `restrict_base_path` turned off); and when mkdocs.yml
`INHERIT`s a file outside the repository, in a loop or more than 8 deep.

A build replaces its output folder, so it must never be one of those. Files in `custom_dir` are
copied into the public site, and a snippet could publish any file it can reach.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, use `docs_dir: site`, `site_dir: build/site`, a `custom_dir` such as `overrides/`, and
`base_path: [site]` for snippets with `restrict_base_path` left on.
"""

from __future__ import annotations

import posixpath
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.model import Model
from plaintrust.output import INPUT_FOLDERS

ID = "site-layout"
READS_FILES = False
PROTECTED = tuple(name for name, _what in INPUT_FOLDERS)


def check(model: Model) -> Iterator[Diagnostic]:
    settings = model.settings
    if not settings.site_configured:
        return
    where = Location("mkdocs.yml")
    if posixpath.normpath(settings.docs_dir) != "site":
        yield where.error(
            ID, f"docs_dir is {settings.docs_dir!r}; Plaintrust reads the public site from site/", "set docs_dir: site"
        )
    yield from _custom_dir(settings.custom_dir, where)
    yield from _snippets(settings.snippet_paths, where)
    output = posixpath.normpath(settings.site_dir)
    if output.startswith("..") or posixpath.isabs(output) or output == ".":
        yield where.error(
            ID, f"site_dir {settings.site_dir!r} must be a folder inside the repository", "use build/site"
        )
        return
    for folder in inputs(model):
        if output == folder or output.startswith(folder + "/") or folder.startswith(output + "/"):
            shown = f"{folder}/" if folder in PROTECTED else folder
            yield where.error(
                ID, f"site_dir {settings.site_dir!r} overlaps {shown}, which a build would replace", "use build/site"
            )


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
    return not (
        folder.startswith("..")
        or posixpath.isabs(folder)
        or folder == "."
        or any(folder == f or folder.startswith(f + "/") for f in INTERNAL)
    )


def _custom_dir(custom_dir: str | None, where: Location) -> Iterator[Diagnostic]:
    if custom_dir is not None and not allowed_custom_dir(custom_dir):
        yield where.error(
            ID,
            f"the theme's custom_dir {custom_dir!r} must be a folder of its own inside the repository "
            "(its files are copied into the public site)",
            "use a folder such as overrides/",
        )


def _snippets(paths: tuple[str, ...] | None, where: Location) -> Iterator[Diagnostic]:
    for path in paths or ():
        folder = posixpath.normpath(path)
        if folder != "site" and not folder.startswith("site/"):
            yield where.error(
                ID,
                f"pymdownx.snippets may include files from {path!r}, outside site/: a page could "
                "publish any file there",
                "set base_path: [site] and leave restrict_base_path on",
            )
