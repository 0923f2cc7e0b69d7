"""The staging docs folder, for an engine that runs no MkDocs plugin (Zensical).

What the plugin does inside a MkDocs build is done here, ahead of the engine: your site/ pages are
rendered by MkDocs' own Markdown machinery (your extensions, your links resolved) and cleaned as
the plugin cleans them; your site/index.md becomes the overview's introduction; the generated pages
and files (see `docs`) are written beside them. Every page in the folder is then Markdown with a
title in front matter and one block of finished HTML: the engine adds its layout, navigation and
search, and has nothing left to interpret.

Files under a dotted folder (`.well-known/security.txt`) are not written: every engine skips those,
so `Folder.hidden` holds them for the finished site.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError
from mkdocs.structure.files import File, Files, get_files
from mkdocs.structure.pages import Page
from mkdocs.utils.meta import get_data

from plaintrust.boundary.safe_text import clean_page, link_allowed
from plaintrust.output import write_file
from plaintrust.public import buildrules, docs, pages
from plaintrust.public.view import PublicView


@dataclass(frozen=True)
class Folder:
    nav: list  # the navigation to hand the engine (yours, when mkdocs.yml has one)
    hidden: dict[str, str | bytes]  # path -> content, for the finished site itself


def write(folder: Path, config: MkDocsConfig, view: PublicView, base: str, navigation: bool) -> Folder:
    """Fill the empty `folder` with the site of `view` and your pages of `config.docs_dir`."""
    yours = _yours(config, view)
    made = docs.generated(
        view,
        base,
        config.use_directory_urls,
        disclosure=yours.get_file_from_path(pages.DISCLOSURE) is None,
        overview=yours.get_file_from_path(pages.OVERVIEW) is None,
    )
    everything = _with_generated(yours, made, config)
    for file in yours:
        _write(folder, file.src_uri, _published(file, everything, config, view))
    for page in made.pages:
        _write(folder, page.src_uri, _generated(page.content, page.src_uri, config.use_directory_urls))
    hidden = {path: content for path, content in made.files.items() if _dotted(path)}
    for path, content in made.files.items():
        if path not in hidden:
            _write(folder, path, content)
    written = [f.src_uri for f in yours.documentation_pages()]
    nav = config.nav or (docs.navigation(view, made.pages, written) if navigation else [])
    return Folder(nav, hidden)


def _yours(config: MkDocsConfig, view: PublicView) -> Files:
    """The files of site/ a build publishes: not excluded (exclude_docs, draft_docs, dotted), not
    trust.yaml, not a notice (its page is generated from the same file)."""
    skipped = {*buildrules.NOT_PUBLISHED, *(notice.page for notice in view.notices)}
    return Files([f for f in get_files(config) if f.inclusion.is_included() and f.src_uri not in skipped])


def _with_generated(yours: Files, made: docs.Generated, config: MkDocsConfig) -> Files:
    """Your files and the generated ones, so a link of yours to a generated page resolves; a file of
    yours in a generated one's place is refused, in the plugin's words."""
    everything = Files(list(yours))
    pages_made = [p.src_uri for p in made.pages]
    for path in [*pages_made, *made.files]:
        if yours.get_file_from_path(path) is not None:
            raise PluginError(buildrules.clash(path, page=path in pages_made))
        # Only a link's target is needed: where the page or file will be (its src path, in site/).
        everything.append(File(path, config.docs_dir, config.site_dir, config.use_directory_urls))
    return everything


def _published(file: File, everything: Files, config: MkDocsConfig, view: PublicView) -> str | bytes:
    """A static file as it is; a page rendered, cleaned and wrapped (see the module's docstring)."""
    if not file.is_documentation_page():
        return file.content_bytes
    page = Page(None, file, config)
    # As MkDocs reads a page, less the plugins' say: no plugin of a MkDocs build runs here.
    page.markdown, page.meta = get_data(file.content_string)
    page.render(config, everything)
    html = clean_page(page.content or "", _relocation(file.src_uri, config.use_directory_urls))
    title = page.meta.get("title")
    heading = title.strip() if isinstance(title, str) and title.strip() else None
    if file.src_uri == pages.OVERVIEW:  # your index.md, cleaned, inside the generated overview
        overview = pages.overview_html(view, config.use_directory_urls, Markup(html), heading)
        return pages.as_markdown(heading or "Overview", overview)
    # One block, whole: Zensical reads a page as Markdown, and any text of yours left outside an
    # element (cleaning keeps what a dropped tag held) would be read as Markdown again: a link
    # made there is made after cleaning. Not `as_markdown`: your code blocks keep their indentation.
    return f'{pages.front_matter(heading or page.title or file.name)}<div class="pt-page">\n{html}\n</div>\n'


def _relocation(src_uri: str, directory_urls: bool) -> Callable[[str], str] | None:
    """How a relative URL of the page at `src_uri` is said for Zensical, which reads every relative
    URL of a page, in its HTML too, from the page's source file, and adds the `../` a page in a
    folder of its own (`faq.md` at `faq/`) needs. Ours are relative to the page's address already
    (MkDocs resolved your links, we wrote ours so), so each is said from the source's folder.
    None: the page's address is its source's folder (an index, or no directory URLs)."""
    name = posixpath.splitext(posixpath.basename(src_uri))[0]
    if not directory_urls or name in ("index", "README"):
        return None
    return lambda url: _from_source(url, name)


def _from_source(url: str, name: str) -> str:
    """`url`, relative to the address of page `name`, from the folder of its source instead. A move
    that would read as a link of another kind (`../javascript:x` to `javascript:x`, `..//host` to
    `//host`) is written `./` first: the same place, still a relative path."""
    moved = (url[3:] or "./") if url.startswith("../") else f"{name}/{url}"
    other_kind = not link_allowed(moved, relative=True) or link_allowed(moved, relative=False)
    return f"./{moved}" if other_kind or moved.startswith(("//", "/\\")) else moved


# A relative URL in a tag of a generated page: Jinja escapes every quote of a text, so only an
# attribute's value is ever written between double quotes there.
_RELATIVE_URL = re.compile(r'\b(href|src)="(?![#/]|[A-Za-z][A-Za-z0-9+.-]*:)([^"]*)"')


def _generated(content: str, src_uri: str, directory_urls: bool) -> str:
    """A generated page with its relative URLs said as Zensical reads them (see `_relocation`)."""
    relocate = _relocation(src_uri, directory_urls)
    return content if relocate is None else _RELATIVE_URL.sub(lambda m: f'{m[1]}="{relocate(m[2])}"', content)


def _write(folder: Path, path: str, content: str | bytes) -> None:
    write_file(folder / path, content.encode("utf-8") if isinstance(content, str) else content, durable=False)


def _dotted(path: str) -> bool:
    return any(part.startswith(".") for part in path.split("/"))
