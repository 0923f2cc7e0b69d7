"""Public texts into HTML and plain words (one CommonMark parse), and what `check` reports of them."""

from __future__ import annotations

import html
import re

import pytest

from plaintrust.boundary import safe_text
from plaintrust.boundary.safe_text import (
    BLOCK,
    INLINE,
    PLAIN,
    Finding,
    block,
    findings,
    inline,
    link_allowed,
    plain_text,
    safe_url,
)


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**Strong** and *soft* and _soft_", "<strong>Strong</strong> and <em>soft</em> and <em>soft</em>"),
        ("Run `pip install x` daily", "Run <code>pip install x</code> daily"),
        ("[our policy](https://test.example/p?a=1&b=2)", '<a href="https://test.example/p?a=1&amp;b=2">our policy</a>'),
        ("[RFC](https://en.wikipedia.org/wiki/Foo_(bar))", '<a href="https://en.wikipedia.org/wiki/Foo_(bar)">RFC</a>'),
        ("[mail us](mailto:help@test.example)", '<a href="mailto:help@test.example">mail us</a>'),
        ("<https://test.example/a>", '<a href="https://test.example/a">https://test.example/a</a>'),
        ("[**bold** link](http://test.example/)", '<a href="http://test.example/"><strong>bold</strong> link</a>'),
        ("[x](javascript:alert(1)) and [y](data:text/html,hi)", "x and y"),
        ("[x](/relative/path)", "x"),
        ("<b>bold</b> <script>alert(1)</script>", "bold alert(1)"),
        ("![a logo](https://test.example/logo.png)", "a logo"),
        ("a < b & c > d", "a &lt; b &amp; c &gt; d"),
        ("&lt;b&gt; &copy; &amp;", "&lt;b&gt; © &amp;"),
        ("`<b>`", "<code>&lt;b&gt;</code>"),
        ("a * b * c and snake_case_name", "a * b * c and snake_case_name"),
        ("- not a list\n# not a heading", "- not a list\n# not a heading"),
        ("  spaced out  ", "spaced out"),
    ],
)
def test_inline(source: str, expected: str) -> None:
    assert str(inline(source)) == expected


def test_inline_keeps_relative_links_only_when_asked() -> None:
    assert str(inline("[runbook](../runbook/)", relative=True)) == '<a href="../runbook/">runbook</a>'
    assert str(inline("[x](JAVASCRIPT:alert(1))", relative=True)) == "x"


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("One.\n\nTwo *and* more.", "<p>One.</p>\n<p>Two <em>and</em> more.</p>"),
        (
            "- one\n- [two](https://test.example/)",
            '<ul>\n<li>one</li>\n<li><a href="https://test.example/">two</a></li>\n</ul>',
        ),
        ("3. three\n4. four", '<ol start="3">\n<li>three</li>\n<li>four</li>\n</ol>'),
        ("> quoted", "<blockquote>\n<p>quoted</p>\n</blockquote>"),
        ("```\n<script>alert(1)</script>\n```", "<pre><code>&lt;script&gt;alert(1)&lt;/script&gt;\n</code></pre>"),
        ("[the runbook](runbooks/login.md)", '<p><a href="runbooks/login.md">the runbook</a></p>'),
        ("Text\n\n<script>\nalert(1)\n</script>\n\n<div onclick=x>more</div>", "<p>Text</p>"),
        ("[x](JaVaScRiPt:alert(1)) [y][r]\n\n[r]: data:text/html,hi", "<p>x y</p>"),
        ("![chart](https://test.example/c.png)", "<p>chart</p>"),
    ],
)
def test_block(source: str, expected: str) -> None:
    assert str(block(source)) == expected


@pytest.mark.parametrize(
    ("source", "expected"),
    [
        ("**Strong** and [a link](https://test.example/) in `code`.", "Strong and a link in code."),
        ("Raw <b>HTML</b> <script>alert(1)</script> goes.", "Raw HTML alert(1) goes."),
        ("a < b & c", "a < b & c"),
        ("&amp; &copy;", "& ©"),
        ("line one\nline  two", "line one line two"),
    ],
)
def test_plain_text(source: str, expected: str) -> None:
    assert plain_text(source) == expected


@pytest.mark.parametrize(
    "source",
    [
        "**a** _b_ `c` [d](https://e.example/(f)) <g@h.example> a < b &amp; &lt;i&gt;",
        "<b>x</b> [y](javascript:z) ![w](https://v.example/) \\*not em\\*",
    ],
)
def test_plain_text_is_the_words_the_page_shows(source: str) -> None:
    shown = html.unescape(re.sub(r"<[^>]+>", "", str(inline(source))))
    assert plain_text(source) == " ".join(shown.split())


def test_findings_in_a_notice_body_have_their_line_and_column() -> None:
    body = "Intro.\n\n- one <b>x</b>\n- two\n  [y](javascript:1)\n\n<script>\nx\n</script>\n\n![z](https://a.example/)"
    assert findings(body, BLOCK) == [
        Finding("html", "<b>", "", 2, 6),
        Finding("link", "javascript:1", "y", 4, 2),
        Finding("html", "<script>", "", 6, 0),
        Finding("image", "https://a.example/", "z", 10, 0),
    ]


@pytest.mark.parametrize(
    ("source", "kind", "expected"),
    [
        ("[a](https://x.example/)", PLAIN, ["link"]),
        ("Write to <help@x.example>", PLAIN, []),
        ("[a](https://x.example/)", INLINE, []),
        ("[a](/relative)", INLINE, ["link"]),
        ("[a](/relative)", BLOCK, []),
        ("&lt;b&gt;", INLINE, ["html"]),
        ("a < b, c > d and R&D", INLINE, []),
        ("`<b>` as code", INLINE, []),
    ],
)
def test_findings_by_kind_of_text(source: str, kind: str, expected: list[str]) -> None:
    assert [f.kind for f in findings(source, kind)] == expected


def test_a_text_without_markup_characters_is_not_parsed(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse() -> None:
        raise AssertionError("parsed a text that cannot hold markup")

    monkeypatch.setattr(safe_text, "_parser", refuse)
    for text in ("Staff sign in with a key: always.", "Read [our policy](https://x.example/p).", "R&D: a < b"):
        assert findings(text, INLINE) == [] and findings(text, BLOCK) == []
    assert findings("Security keys: always", PLAIN) == []


@pytest.mark.parametrize(
    ("href", "relative", "allowed"),
    [
        ("https://x.example/", False, True),
        ("HTTP://x.example/", False, True),
        ("mailto:a@x.example", False, True),
        ("/path", False, False),
        ("/path", True, True),
        ("javascript:alert(1)", True, False),
        ("JaVaScRiPt:alert(1)", True, False),
        ("java%09script:alert(1)", True, False),
        ("%20javascript:alert(1)", True, False),
        ("data:text/html,hi", True, False),
        ("vbscript:x", True, False),
    ],
)
def test_link_allowed(href: str, relative: bool, allowed: bool) -> None:
    assert link_allowed(href, relative) is allowed


def test_safe_url_still_guards_addresses_from_yaml() -> None:
    assert safe_url(" https://x.example/ ") == "https://x.example/"
    assert safe_url("javascript:alert(1)") is None and safe_url("https://x.example/\n") == "https://x.example/"
    assert safe_url("https://x.example/\x01") is None
