"""Text from YAML into HTML: always escaped; summaries may use a tiny Markdown subset.

Allowed in a summary: **strong**, *emphasis* or _emphasis_, and [links](https://...) whose scheme
is http, https or mailto. Everything else, raw HTML included, is shown as the characters typed.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

from markupsafe import Markup, escape

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
_LINK = re.compile(r"\[([^\]\n]+)\]\(([^()\s]+)\)")
_STRONG = re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*")
_EMPHASIS = re.compile(r"(?<![\w*])[*_](?=\S)(.+?)(?<=\S)[*_](?![\w*])")


def safe_url(url: str) -> str | None:
    """The URL when its scheme is allowed, else None (javascript:, data:, relative tricks...)."""
    text = url.strip()
    scheme = urlsplit(text).scheme.lower() if ":" in text else ""
    return text if scheme in SAFE_SCHEMES and not any(ord(c) < 32 for c in text) else None


def plain_text(text: str) -> str:
    """The words of a summary without its Markdown: links keep their label, emphasis goes."""
    text = _LINK.sub(r"\1", text)
    text = _STRONG.sub(r"\1", text)
    text = _EMPHASIS.sub(r"\1", text)
    return " ".join(text.split())


def inline(text: str) -> Markup:
    """Escape `text`, then apply the allowed Markdown subset to the escaped string."""
    escaped = str(escape(text))
    escaped = _LINK.sub(_link, escaped)
    escaped = _STRONG.sub(r"<strong>\1</strong>", escaped)
    escaped = _EMPHASIS.sub(r"<em>\1</em>", escaped)
    return Markup(escaped)


def _link(match: re.Match[str]) -> str:
    label, escaped_url = match.group(1), match.group(2)
    url = safe_url(Markup(escaped_url).unescape())
    if url is None:
        return label
    rel = "" if url.startswith("mailto:") else ' rel="noopener"'
    return f'<a href="{escape(url)}"{rel}>{label}</a>'


_ANCHOR = re.compile(r'<a href="([^"]*)"([^>]*)>(.*?)</a>', re.DOTALL)


def block(markdown_text: str) -> Markup:
    """Markdown (lists, emphasis, links, code, quotes) in which HTML from the source stays text.

    Python-Markdown's raw-HTML handling is switched off, so a `<script>` in the source is escaped
    like any other character; links whose scheme is not http, https or mailto (relative links are
    fine) lose their link and keep their text.
    """
    import markdown  # a dependency of MkDocs

    converter = markdown.Markdown(output_format="html")
    converter.preprocessors.deregister("html_block")
    converter.inlinePatterns.deregister("html")
    return Markup(_ANCHOR.sub(_checked_anchor, converter.convert(markdown_text)))


def _checked_anchor(match: re.Match[str]) -> str:
    url = Markup(match.group(1)).unescape()
    relative = ":" not in url.split("/", 1)[0]
    if relative or safe_url(url):
        return match.group(0)
    return match.group(3)


# What a hand-written page may keep of its HTML: the markup Markdown and its usual extensions make.
PAGE_ATTRIBUTES = {"*": {"class", "id", "title", "lang", "dir"}, "input": {"type", "checked", "disabled"}}
PAGE_EXTRA_TAGS = {"input", "label"}


def clean_page(html: str) -> str:
    """A hand-written page's HTML with no script, event handler, style, form, frame or comment left,
    and links only to http, https, mailto or a relative address."""
    import nh3  # only a build renders pages; `check` never needs it

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, names in PAGE_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(html, tags=nh3.ALLOWED_TAGS | PAGE_EXTRA_TAGS, attributes=attributes, link_rel=None,
                     url_schemes=set(SAFE_SCHEMES), strip_comments=True)
