"""PublicView -> the generated pages of the trust center, as Markdown files for MkDocs.

Each page is a front-matter title plus one raw HTML block rendered by Jinja with autoescaping, so
text from YAML is escaped exactly once and Markdown never reinterprets it.
"""

from __future__ import annotations

import json
import posixpath
import re
from dataclasses import dataclass
from functools import cache

import jinja2
from markupsafe import Markup, escape

from plaintrust import clock
from plaintrust.boundary.pagenames import (
    CERTIFICATIONS,
    DISCLOSURE,
    EVIDENCE_LOG,
    FAQ,
    FEED_TOPICS,
    OVERVIEW,
    POLICIES,
    SECURITY_TXT,
    SUBPROCESSORS,
    TRUST_JSON,
    UPDATES,
    feed_file,
    feed_topics,
)
from plaintrust.public.view import PublicView
from plaintrust.status import PublicStatus
from plaintrust.words import day_words, duration_words, every_words, moment_words, month_words

LINKS = {
    "overview": OVERVIEW,
    "certifications": CERTIFICATIONS,
    "updates": UPDATES,
    "subprocessors": SUBPROCESSORS,
    "disclosure": DISCLOSURE,
    **{f"{topic}_feed": feed_file(topic) for topic in FEED_TOPICS},  # Atom
    **{f"{topic}_json": feed_file(topic, "json") for topic in FEED_TOPICS},  # JSON Feed
    "security_txt": SECURITY_TXT,
    "trust_json": TRUST_JSON,
    "evidence_log": EVIDENCE_LOG,
    "policies": POLICIES,
    "faq": FAQ,
}


FAQ_TITLE = "Security FAQ"


@dataclass(frozen=True)
class GeneratedPage:
    src_uri: str
    title: str  # plain text; escaped when written
    content: str


@cache
def environment() -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.PackageLoader("plaintrust.public", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["day"] = day_words
    env.filters["month"] = month_words
    env.filters["when"] = moment_words
    env.filters["duration"] = duration_words
    env.filters["every"] = every_words
    env.filters["demoted"] = demoted
    env.filters["iso"] = clock.stamp
    env.globals["statuses"] = PublicStatus
    env.globals["feed_topics"] = feed_topics
    env.globals["feed_words"] = FEED_TOPICS
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


def render_all(
    view: PublicView, directory_urls: bool = True, disclosure: bool = True, overview: bool = True
) -> list[GeneratedPage]:
    """Every generated page; `disclosure` is False when site/ has its own disclosure page, `overview`
    when it has its own index.md (see `overview_html`)."""

    def page(src: str, title: str, template: str, **extra) -> GeneratedPage:
        return _render(src, title, template, view, directory_urls, **extra)

    pages = [page(OVERVIEW, "Overview", "overview.html")] if overview else []
    pages += [
        page(CERTIFICATIONS, "Certifications and reports", "certifications.html"),
        page(UPDATES, "Security updates", "updates.html"),
        page(SUBPROCESSORS, "Subprocessors", "subprocessors.html"),
    ]
    pages += [page(c.page, c.title, "category.html", category=c) for c in view.categories]
    pages += [page(n.page, n.title, "notice.html", notice=n) for n in view.notices]
    if view.policies:
        pages.append(page(POLICIES, "Policies", "policies.html"))
        pages += [page(p.page, p.title, "policy.html", policy=p) for p in view.policies]
    if view.faq:
        pages.append(page(FAQ, FAQ_TITLE, "faq.html", faq=view.faq))
    if disclosure:
        pages.append(page(DISCLOSURE, "Report a vulnerability", "disclosure.html"))
    return pages


def _render(src: str, title: str, template: str, view: PublicView, directory_urls: bool, **extra) -> GeneratedPage:
    return GeneratedPage(src, title, as_markdown(title, _html(src, template, view, directory_urls, **extra)))


def _html(src: str, template: str, view: PublicView, directory_urls: bool, **extra) -> str:
    defaults = {"category": None, "notice": None, "policy": None, "faq": None, "intro": None, "heading": None}
    return (
        environment()
        .get_template(template)
        .render(
            view=view,
            here=src,
            today=view.today,
            certifications=view.certifications,
            pages=LINKS,
            url=lambda target, here: relative(target, here, directory_urls),
            **{**defaults, **extra},
        )
    )


def overview_html(view: PublicView, directory_urls: bool, intro: Markup, heading: str | None) -> str:
    """The overview around your site/index.md: `intro` is its HTML, already cleaned as every page of
    yours is, shown above the generated sections with its headings one level down (the overview has
    its <h1>); `heading` (its front matter title, plain text) replaces "<organization> Trust Center"."""
    return _html(OVERVIEW, "overview.html", view, directory_urls, intro=demoted(intro), heading=heading)


# A whole tag of cleaned HTML: the cleaner writes every attribute value in double quotes and escapes
# every `<` of text, so matching each tag whole never mistakes an attribute's or a code block's text for one.
_TAG = re.compile(r'<(/?)([A-Za-z][A-Za-z0-9]*)((?:[^>"]|"[^"]*")*)>')
_HEADING = re.compile(r"[hH]([1-6])")


def demoted(html: Markup) -> Markup:
    """Cleaned HTML with every heading one level down: h1 becomes h2, ..., h5 becomes h6 (h6 stays)."""

    def one(tag: re.Match[str]) -> str:
        end, name, rest = tag.groups()
        level = _HEADING.fullmatch(name)
        return f"<{end}h{min(int(level[1]) + 1, 6)}{rest}>" if level else tag[0]

    return Markup(_TAG.sub(one, str(html)))


def as_markdown(title: str, html: str) -> str:
    """Front matter with the (escaped) title, then the HTML as one raw block."""
    body = "\n".join(line.strip() for line in html.splitlines() if line.strip())
    return f"{front_matter(title)}{body}\n"


def front_matter(title: str) -> str:
    """The front matter every engine reads: the page's title, escaped (themes print it as it is)."""
    return f"---\ntitle: {json.dumps(str(escape(title)), ensure_ascii=False)}\n---\n\n"
