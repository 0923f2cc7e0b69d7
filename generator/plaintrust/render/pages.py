"""PublicView -> the generated pages of the trust center, as Markdown files for MkDocs.

Each page is a front-matter title plus one raw HTML block rendered by Jinja with autoescaping, so
text from YAML is escaped exactly once and Markdown never reinterprets it.
"""

from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import escape

from plaintrust.render.public import CategoryView, PublicView
from plaintrust.status import PublicStatus

OVERVIEW = "index.md"
CERTIFICATIONS = "certifications.md"


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    title: str  # plain text; escaped when written
    content: str


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("plaintrust.render", "templates"),
        autoescape=True, undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
    )
    env.filters["day"] = lambda d: f"{d.day} {d:%B %Y}"
    env.filters["month"] = lambda d: f"{d:%B %Y}"
    env.globals["statuses"] = PublicStatus
    return env


def page_url(src_uri: str, directory_urls: bool) -> str:
    """The URL path MkDocs gives a Markdown page (or a static file's own path)."""
    if not src_uri.endswith(".md"):
        return src_uri
    stem = src_uri[: -len(".md")]
    if not directory_urls:
        return f"{stem}.html"
    if stem == "index" or stem.endswith("/index"):
        return stem[: -len("index")]
    return f"{stem}/"


def relative(target_src: str, from_src: str, directory_urls: bool) -> str:
    """A link from the page `from_src` to `target_src` that works under any host path."""
    target, here = page_url(target_src, directory_urls), page_url(from_src, directory_urls)
    here_dir = here if here == "" or here.endswith("/") else posixpath.dirname(here) + "/"
    link = posixpath.relpath("/" + target, "/" + here_dir)
    return link.rstrip("/") + "/" if target == "" or target.endswith("/") else link


def render_all(view: PublicView, directory_urls: bool = True) -> list[GeneratedPage]:
    pages = [_render(OVERVIEW, f"{view.organization} Trust Center", "overview.html", view, directory_urls)]
    pages.append(_render(CERTIFICATIONS, "Certifications and reports", "certifications.html", view, directory_urls))
    for category in view.categories:
        pages.append(_render(category.page, category.title, "category.html", view, directory_urls, category))
    return pages


def _render(src: str, title: str, template: str, view: PublicView, directory_urls: bool,
            category: CategoryView | None = None) -> GeneratedPage:
    html = environment().get_template(template).render(
        view=view, category=category, here=src, today=view.today,
        certifications=view.certifications,
        pages={"overview": OVERVIEW, "certifications": CERTIFICATIONS},
        url=lambda target, here: relative(target, here, directory_urls),
    )
    return GeneratedPage(src, title, as_markdown(title, html))


def as_markdown(title: str, html: str) -> str:
    """Front matter with the (escaped) title, then the HTML as one raw block."""
    front = json.dumps(str(escape(title)), ensure_ascii=False)
    body = "\n".join(line.strip() for line in html.splitlines() if line.strip())
    return f"---\ntitle: {front}\n---\n\n{body}\n"

