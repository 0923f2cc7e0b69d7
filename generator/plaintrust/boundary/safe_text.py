"""Public texts from Markdown into HTML and into plain words, from one CommonMark parse.

Summaries and timeline entries keep **strong**, *emphasis*, `code` and [links](https://...); a notice
body also keeps paragraphs, lists, quotes and code blocks, and a policy's text tables as well. Links
work only to http, https and mailto addresses (a notice or a policy may also link to a relative
address). HTML written in the source is never shown:
the parser (markdown-it-py, CommonMark) recognises it only so that it can be left out, and `check`
reports it, with links that cannot work and images (rules/public_markup.py), so a build never drops
a word silently. An allow-list cleaner (nh3) then passes every fragment once more.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from markupsafe import Markup

if TYPE_CHECKING:
    from markdown_it import MarkdownIt
    from markdown_it.token import Token

SAFE_SCHEMES = frozenset({"http", "https", "mailto"})
INLINE_TAGS = frozenset({"strong", "em", "code", "a"})
BLOCK_TAGS = INLINE_TAGS | {"p", "ul", "ol", "li", "blockquote", "pre", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6"}
DOCUMENT_TAGS = BLOCK_TAGS | {"table", "thead", "tbody", "tr", "th", "td"}

# The kinds of public text: a title (plain: no markup at all), a summary or timeline entry (inline
# Markdown), a notice body (block Markdown) and a policy's text (block Markdown with tables).
PLAIN, INLINE, BLOCK, DOCUMENT = "plain", "inline", "block", "document"

_SCHEME = re.compile(r"([a-z][a-z0-9+.\-]*):")
# A tag typed so that it shows as text (&lt;b&gt;, \<b>): customers would read the tag itself.
_TAG_AS_TEXT = re.compile(r"</?[A-Za-z][^<>\n]*>")
# What `check` reports starts only with one of these: a tag, an autolink or a comment (`<` then a
# letter, `/`, `!` or `?`), an entity, an image, a link definition, or a link to anything but http,
# https or mailto. A text without any (most: "R&D", "a < b" included) needs no parse.
_TAG_OR_ENTITY = r"<[A-Za-z/!?]|&(?:#[0-9]+|#[xX][0-9A-Fa-f]+|[A-Za-z][A-Za-z0-9]*);"
_MAYBE_MARKUP = re.compile(_TAG_OR_ENTITY + r"|!\[|\]\s*:|\]\s*\((?!\s*(?:https?://|mailto:))")
_MAYBE_MARKUP_IN_PLAIN = re.compile(_TAG_OR_ENTITY + r"|\[")


@dataclass(frozen=True)
class Finding:
    """Something in a public text that cannot be shown as written."""

    kind: str  # html | link | image
    written: str  # the tag, or the address of the link or image
    shown: str  # what customers would read in its place: a link's label, an image's description
    line: int  # 0-based line in the text where it starts (searched for inside a paragraph)
    col: int  # 0-based column on that line


def safe_url(url: str) -> str | None:
    """The URL when its scheme is allowed, else None (javascript:, data:, relative tricks...)."""
    text = url.strip()
    scheme = urlsplit(text).scheme.lower() if ":" in text else ""
    return text if scheme in SAFE_SCHEMES and not any(ord(c) < 32 for c in text) else None


def link_allowed(href: str, relative: bool) -> bool:
    """Whether an address may be a link: http, https or mailto, or (`relative`) one with no scheme.

    Judged decoded, without spaces or control characters and in lower case, so `JaVaScRiPt:`,
    `java%09script:` or an entity-encoded `&#106;avascript:` is seen for what it is."""
    bare = "".join(c for c in unquote(href) if c.isprintable() and not c.isspace()).lower()
    scheme = _SCHEME.match(bare)
    return scheme.group(1) in SAFE_SCHEMES if scheme else relative


def inline(text: str, relative: bool = False) -> Markup:
    """A summary or timeline entry as HTML: strong, emphasis, code and links (relative ones only
    when `relative`, as in a notice); nothing else."""
    return Markup(_rendered(text.strip(), INLINE, relative)[0])


def block(markdown_text: str, relative: bool = True) -> Markup:
    """A notice section as HTML: paragraphs, lists, quotes, code, emphasis and links (relative ones
    unless `relative` is False, as in an answer's explanation, which exports carry too)."""
    return Markup(_rendered(markdown_text, BLOCK, relative)[0])


def document(markdown_text: str) -> Markup:
    """A policy's text as HTML: what a notice section keeps, and tables."""
    return Markup(_rendered(markdown_text, DOCUMENT, True)[0])


def plain_text(text: str) -> str:
    """The words of a summary without its Markdown, from the very parse `inline` renders, so
    trust.json and the feeds carry what the page shows."""
    return _rendered(text.strip(), INLINE, False)[1]


def sheet_text(markdown_text: str) -> str:
    """An answer's explanation for a spreadsheet cell or a CSV file: the words of `block_lines`, a
    line per paragraph and per list item ("- ", "1. "), and a link as "its text (its address)",
    since a cell shows no link (the address alone when the text is the address)."""
    lines: list[str] = []
    lists: list[int | None] = []  # the next number of each open list, None for a bulleted one
    opening = ""
    for token in _kept(_parse(markdown_text, BLOCK), False):
        if token.type in ("bullet_list_open", "ordered_list_open"):
            lists.append(int(token.attrGet("start") or 1) if token.type == "ordered_list_open" else None)
        elif token.type in ("bullet_list_close", "ordered_list_close"):
            lists.pop()
        elif token.type == "list_item_open":
            number = lists[-1]
            opening = "  " * (len(lists) - 1) + ("- " if number is None else f"{number}. ")
            lists[-1] = None if number is None else number + 1
        elif token.type in ("inline", "code_block", "fence"):
            text = _sheet_words(token.children) if token.children is not None else token.content.rstrip()
            lines.append(opening + text)
            opening = ""
    return "\n".join(line for line in lines if line.strip())


def _sheet_words(children: list[Token]) -> str:
    parts: list[str] = []
    links: list[tuple[str, int]] = []  # each open link's address, and where its text starts in parts
    for child in children:
        if child.type == "link_open":
            links.append((str(child.attrGet("href") or ""), len(parts)))
        elif child.type == "link_close" and links:
            href, start = links.pop()
            shown = "".join(parts[start:]).strip()
            if _SCHEME.match(href) and shown not in (href, href.removeprefix("mailto:")):
                parts.append(f" ({href})")
        elif child.type in ("text", "code_inline"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n" if child.type == "hardbreak" else " ")
    return "\n".join(" ".join(line.split()) for line in "".join(parts).split("\n"))


def block_lines(markdown_text: str) -> str:
    """The words of a block text (an answer's explanation) without its Markdown, from the very parse
    `block` renders, one line per block (a heading, a paragraph, a list item), so that the sentences
    of one block never run into the next: trust.json carries what the page shows."""
    return _rendered(markdown_text, BLOCK, False)[2]


def document_lines(markdown_text: str) -> str:
    """The words of a policy's text as `document` renders it, one line per block (a table's cell too)."""
    return _rendered(markdown_text, DOCUMENT, True)[2]


def shown_words(text: str, kind: str) -> str:
    """What customers read of a public text of `kind` (PLAIN, INLINE, BLOCK or DOCUMENT), one line per
    block: never what the page does not show, such as a link's address or title, a link reference
    definition or a code fence's info string. Plain text shows as written."""
    if kind == PLAIN or not text.strip():
        return text
    if kind == INLINE:
        return plain_text(text)
    return block_lines(text) if kind == BLOCK else document_lines(text)


def findings(text: str, kind: str, relative: bool | None = None) -> list[Finding]:
    """What in `text` (PLAIN, INLINE, BLOCK or DOCUMENT) cannot be shown as written; a relative link
    is refused in PLAIN and INLINE, and in the others only when `relative` is False. `check` asks this
    of every public text, so the parser is not even imported unless a character that starts markup is
    there."""
    if not (_MAYBE_MARKUP_IN_PLAIN if kind == PLAIN else _MAYBE_MARKUP).search(text):
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    found: list[Finding] = []
    relative = kind in (BLOCK, DOCUMENT) and relative is not False
    for token in _parse(text, kind):
        if token.type == "html_block":
            start = (token.map or [0])[0]
            tag = token.content.strip().split("\n")[0]
            found.append(Finding("html", tag, "", start, len(lines[start]) - len(lines[start].lstrip())))
        elif token.children is not None:
            found += _inline_findings(token, kind, lines, relative)
    return found


def _inline_findings(token: Token, kind: str, lines: list[str], relative: bool) -> list[Finding]:
    start, end = token.map or (0, len(lines))
    cursor = (start, 0)
    found: list[Finding] = []
    for index, child in enumerate(token.children or ()):
        problem = _problem(token.children or [], index, kind, relative)
        closing = child.type == "html_inline" and child.content.startswith("</")
        if problem is None or (closing and any(f.kind == "html" for f in found)):
            continue  # a closing tag adds nothing to its opening tag's report
        what, written, shown, needles = problem
        line, col = _locate(lines, cursor, max(end, start + 1), needles)
        cursor = (line, col + 1)
        found.append(Finding(what, written, shown, line, col))
    return found


def _problem(
    children: list[Token], index: int, kind: str, relative: bool
) -> tuple[str, str, str, tuple[str, ...]] | None:
    """(kind, as written, as customers would read it, what to look for in the source) of one token."""
    child = children[index]
    if child.type == "html_inline":
        return "html", child.content, "", (child.content.split("\n")[0],)
    if child.type == "image":
        return "image", str(child.attrGet("src") or ""), child.content, ("![",)
    if child.type == "text" and (tag := _TAG_AS_TEXT.search(child.content)):
        return "html", tag.group(0), tag.group(0), ("\\<", "&", tag.group(0))
    if child.type != "link_open":
        return None
    href, autolink = str(child.attrGet("href") or ""), child.markup == "autolink"
    if (autolink and kind == PLAIN) or (kind != PLAIN and link_allowed(href, relative)):
        return None  # plain text shows <https://...> as typed, which is what it says
    label = _words(children[index + 1 : _closing(children, index)])
    return "link", href, label, (("<",) if autolink else ("[" + label, "["))


def _closing(children: list[Token], index: int) -> int:
    return next((i for i in range(index, len(children)) if children[i].type == "link_close"), len(children))


def _locate(lines: list[str], cursor: tuple[int, int], end: int, needles: tuple[str, ...]) -> tuple[int, int]:
    """Where the first of `needles` next occurs from `cursor`, before line `end`; else the cursor."""
    for needle in needles:
        line, col = cursor
        while line < min(end, len(lines)):
            found = lines[line].find(needle, col)
            if found >= 0:
                return line, found
            line, col = line + 1, 0
    return cursor


@cache
def _parser(tables: bool = False) -> MarkdownIt:
    from markdown_it import MarkdownIt  # only a text that may hold markup needs it

    # `html` on so that HTML is recognised as HTML: left out and reported, never printed as text.
    parser = MarkdownIt("commonmark", {"html": True})
    if tables:
        parser.enable("table")
    # Every link reaches link_allowed, which is stricter. Replacing the method on the instance is
    # markdown-it-py's documented way to change link validation; its annotations declare a plain method.
    parser.validateLink = lambda url: True  # type: ignore[method-assign]
    return parser


def _parse(text: str, kind: str) -> list[Token]:
    parser = _parser(kind == DOCUMENT)
    return parser.parse(text) if kind in (BLOCK, DOCUMENT) else parser.parseInline(text)


@lru_cache(maxsize=4096)
def _rendered(text: str, kind: str, relative: bool) -> tuple[str, str, str]:
    """(HTML, plain words, plain words one line per block) of one parse: `inline` and `plain_text` of
    a summary share it."""
    tokens = _kept(_parse(text, kind), relative)
    parser = _parser(kind == DOCUMENT)
    html = parser.renderer.render(tokens, parser.options, {})
    tags = {BLOCK: BLOCK_TAGS, DOCUMENT: DOCUMENT_TAGS}.get(kind, INLINE_TAGS)
    lines = [" ".join(line.split()) for line in _words(tokens, "\n").splitlines()]
    return _clean(html, tags), " ".join(_words(tokens).split()), "\n".join(line for line in lines if line)


def _kept(tokens: list[Token], relative: bool) -> list[Token]:
    """The tokens without HTML; a link that cannot work keeps its label, an image its description."""
    kept = []
    for token in tokens:
        if token.type == "html_block":
            continue
        if token.children is not None:
            token.children = _kept_inline(token.children, relative)
        kept.append(token)
    return kept


def _kept_inline(children: list[Token], relative: bool) -> list[Token]:
    from markdown_it.token import Token

    kept, unlinked = [], False
    for child in children:
        if child.type == "html_inline" or (unlinked and child.type == "link_close"):
            unlinked = unlinked and child.type != "link_close"
            continue
        if child.type == "link_open" and not link_allowed(str(child.attrGet("href") or ""), relative):
            unlinked = True  # CommonMark links never nest: the next link_close is this link's
            continue
        kept.append(Token("text", "", 0, content=child.content) if child.type == "image" else child)
    return kept


def _words(tokens: list[Token], between_blocks: str = " ") -> str:
    parts = []
    for token in tokens:
        if token.children is not None:
            parts.append(_words(token.children))
        elif token.type in ("text", "code_inline", "code_block", "fence"):
            parts.append(token.content)
        elif token.type in ("softbreak", "hardbreak"):
            parts.append(" ")
        elif token.block:
            parts.append(between_blocks)
    return "".join(parts)


def _clean(html: str, tags: frozenset[str]) -> str:
    import nh3  # only a build renders; `check` never needs it

    return nh3.clean(
        html,
        tags=set(tags),
        attributes={"a": {"href"}, "ol": {"start"}},
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        strip_comments=True,
    ).strip()


# What a hand-written page may keep of its HTML: the markup Markdown and its usual extensions make.
PAGE_ATTRIBUTES = {"*": {"class", "id", "title", "lang", "dir"}, "input": {"type", "checked", "disabled"}}
PAGE_EXTRA_TAGS = {"input", "label"}


def clean_page(html: str, relocate: Callable[[str], str] | None = None) -> str:
    """A hand-written page's HTML with no script, event handler, style, form, frame or comment left,
    and links only to http, https, mailto or a relative address.

    `relocate` first rewrites every relative link and source (`href`, `src` of a tag, never a text
    that looks like one); the result is cleaned like any other HTML, so a rewrite can never make
    a link that cleaning would refuse."""
    if relocate is not None:
        html = _clean_page(html, _relocating(relocate))
    return _clean_page(html, None)


def _relocating(relocate: Callable[[str], str]) -> Callable[[str, str, str], str]:
    def one(tag: str, attribute: str, value: str) -> str:
        relative = not value.startswith(("#", "/")) and _SCHEME.match(value.lower()) is None
        return relocate(value) if attribute in ("href", "src") and relative else value

    return one


def _clean_page(html: str, attribute_filter: Callable[[str, str, str], str] | None) -> str:
    import nh3  # only a build renders pages; `check` never needs it

    attributes = {tag: set(names) for tag, names in nh3.ALLOWED_ATTRIBUTES.items()}
    for tag, names in PAGE_ATTRIBUTES.items():
        attributes.setdefault(tag, set()).update(names)
    return nh3.clean(
        html,
        tags=nh3.ALLOWED_TAGS | PAGE_EXTRA_TAGS,
        attributes=attributes,
        link_rel=None,
        url_schemes=set(SAFE_SCHEMES),
        strip_comments=True,
        attribute_filter=attribute_filter,
    )
