"""Public Markdown texts (a control's summary, a notice's body) that cannot be shown as written are
`public-markup` errors at their position, so HTML and links customers could not follow never reach a
page or trust.json; what is accepted is shown as safe text, on the page and in trust.json alike."""

from __future__ import annotations

import json
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import check_and_build, edit, site_snapshot, write
from payloads import PAYLOAD
from plaintrust import cli, pipeline
from plaintrust.boundary.safe_text import block, inline, plain_text
from plaintrust.errors import ExitCode

CONTROL = "controls/access/ac-01.yaml"
SUMMARY = "Every person on our team signs in with a hardware key. A password alone is never enough."
NOTICE = "site/updates/2026-11-20-outage.md"
NOTICE_TEXT = """\
---
title: {title}
status: monitoring
severity: medium
published: 2026-11-20T10:00:00Z
updated: 2026-11-22T09:00:00Z
next_update_by: 2026-11-23T09:00:00Z
affected: {affected}
---

## What happened

Part of the service stopped answering.

## What we know

One database node failed: {body}

## What we don't know yet

Why it failed.

## What we are doing

We moved traffic away from it.

## What customers should do

Nothing.

## Timeline

- 2026-11-20 09:50 UTC — Alerts fire.
"""
BODY_LINE, BODY_COL = 17, len("One database node failed: ") + 1

HTML = "holds HTML ({}), which the trust center leaves out: customers would not see it"
AS_TEXT = "holds HTML written as text ({}); customers would read the tag itself"
IMAGE = "holds an image ({}), which the trust center does not show: customers would see only its description {}"
LINK = "links to {}, which cannot be a link there: customers would see only the words {}"

# (Markdown, the end of the message `check` gives): every way to smuggle markup that we know of.
HOSTILE = [
    ("<b>bold</b>", HTML.format("'<b>'")),
    ("<script>alert(1)</script>", HTML.format("'<script>'")),
    ("</script>", HTML.format("'</script>'")),
    ("<img src=x onerror=alert(1)>", HTML.format("'<img src=x onerror=alert(1)>'")),
    ("<!-- a note for us -->", HTML.format("'<!-- a note for us -->'")),
    ("&lt;script&gt;alert(1)&lt;/script&gt;", AS_TEXT.format("'<script>'")),
    ("\\<img src=x onerror=alert(1)>", AS_TEXT.format("'<img src=x onerror=alert(1)>'")),
    ("[x](javascript:alert(1))", LINK.format("'javascript:alert(1)'", "'x'")),
    ("[x](JaVaScRiPt:alert(1))", LINK.format("'JaVaScRiPt:alert(1)'", "'x'")),
    ("[x](&#106;avascript:alert(1))", LINK.format("'javascript:alert(1)'", "'x'")),
    ("[x](&#x6A;&#x61;vascript&#58;alert(1))", LINK.format("'javascript:alert(1)'", "'x'")),
    ("[x](java&#9;script:alert(1))", LINK.format("'java%09script:alert(1)'", "'x'")),
    ("[x](<java script:alert(1)>)", LINK.format("'java%20script:alert(1)'", "'x'")),
    ("[x](java%0Ascript:alert(1))", LINK.format("'java%0Ascript:alert(1)'", "'x'")),
    ("[x](vbscript:msgbox(1))", LINK.format("'vbscript:msgbox(1)'", "'x'")),
    ("<javascript:alert(1)>", LINK.format("'javascript:alert(1)'", "'javascript:alert(1)'")),
    ("[x](data:text/html;base64,PHNjcmlwdD4=)", LINK.format("'data:text/html;base64,PHNjcmlwdD4='", "'x'")),
    ("![logo](https://test.example/logo.png)", IMAGE.format("'https://test.example/logo.png'", "'logo'")),
    (
        "![x](data:image/svg+xml,<svg/onload=alert(1)>)",
        IMAGE.format("'data:image/svg+xml,%3Csvg/onload=alert(1)%3E'", "'x'"),
    ),
]
IDS = [f"{n}-{source[:24]}" for n, (source, _) in enumerate(HOSTILE)]


def public_markup(repo: Path) -> list[str]:
    return [str(d) for d in pipeline.run(repo).diagnostics if d.rule == "public-markup"]


def yaml_quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


@pytest.mark.parametrize(("source", "message"), HOSTILE, ids=IDS)
def test_markup_in_a_summary_is_an_error_at_the_summary(base_repo: Path, source: str, message: str) -> None:
    edit(base_repo, CONTROL, SUMMARY, yaml_quoted(f"Staff use a key. {source}"))
    [found] = public_markup(base_repo)
    assert found.startswith(f"{CONTROL}:13:12: error [public-markup] the public summary of AC-01 {message} (hint: ")


@pytest.mark.parametrize(("source", "message"), HOSTILE, ids=IDS)
def test_markup_in_a_notice_is_an_error_at_its_line_and_column(base_repo: Path, source: str, message: str) -> None:
    write(base_repo, NOTICE, NOTICE_TEXT.format(title="Partial outage", affected="Everyone.", body=source))
    [found] = public_markup(base_repo)
    assert found.startswith(f"{NOTICE}:{BODY_LINE}:{BODY_COL}: error [public-markup] the notice {message} (hint: ")


@pytest.mark.parametrize(("source", "message"), HOSTILE, ids=IDS)
def test_what_check_refuses_would_never_be_live_markup(source: str, message: str) -> None:
    """Were `check` skipped, the page would still get no tag, attribute or address beyond the subset."""
    for html in (str(inline(source)), str(inline(source, relative=True)), str(block(source))):
        tags = Tags.of(html)
        assert {tag for tag, _ in tags} <= {"p"}, html
        assert all(attrs == {} for _, attrs in tags), html
    # and trust.json no HTML at all, but the tag that the page, too, shows as text
    assert "written as text" in message or "<" not in plain_text(source)


def test_a_script_block_in_a_notice_is_reported_at_its_line(base_repo: Path) -> None:
    body = "see below.\n\n  <script>\n  alert(1)\n  </script>\n\nAnd <i>one</i> more\nline with <u>two</u>."
    write(base_repo, NOTICE, NOTICE_TEXT.format(title="Partial outage", affected="Everyone.", body=body))
    assert [line.split(" error ")[0] for line in public_markup(base_repo)] == [
        f"{NOTICE}:19:3:",
        f"{NOTICE}:23:5:",
        f"{NOTICE}:24:11:",
    ]


@pytest.mark.parametrize(
    ("field", "value", "shown"),
    [
        ("title", "Outage <img src=x onerror=alert(1)>", "HTML ('<img src=x onerror=alert(1)>')"),
        ("affected", "See [our page](https://test.example/)", "a Markdown link ('https://test.example/')"),
    ],
)
def test_notice_title_and_affected_are_plain_text(base_repo: Path, field: str, value: str, shown: str) -> None:
    fields = {"title": "Partial outage", "affected": "Everyone.", field: yaml_quoted(value)}
    write(base_repo, NOTICE, NOTICE_TEXT.format(**fields, body="nothing more."))
    line = 2 if field == "title" else 8
    assert public_markup(base_repo) == [
        f"{NOTICE}:{line}:{len(field) + 3}: error [public-markup] the notice's `{field}` holds {shown}, which "
        "customers would see as typed: it is plain text (hint: write plain words, without HTML or links)"
    ]


def test_a_practice_title_is_plain_text(base_repo: Path) -> None:
    edit(
        base_repo,
        CONTROL,
        "  category: access-control\n",
        "  category: access-control\n  title: '[Keys](https://x.example/)'\n",
    )
    assert public_markup(base_repo) == [
        f"{CONTROL}:13:10: error [public-markup] the public title of AC-01 holds a Markdown link "
        "('https://x.example/'), which customers would see as typed: it is plain text "
        "(hint: write plain words, without HTML or links)"
    ]


def test_a_refused_text_never_reaches_a_page(runner, base_repo: Path) -> None:
    edit(base_repo, CONTROL, SUMMARY, yaml_quoted(f"Staff use a key. [click](javascript:alert(4)) {PAYLOAD}"))
    write(base_repo, NOTICE, NOTICE_TEXT.format(title="Partial outage", affected="Everyone.", body=PAYLOAD))
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, command
        assert f"{CONTROL}:13:12: error [public-markup]" in result.output
        assert f"{NOTICE}:{BODY_LINE}:{BODY_COL}: error [public-markup]" in result.output
    assert site_snapshot(base_repo) == {}


# (summary as written, as the page shows it, as trust.json carries it): accepted, and safe.
ACCEPTED = [
    (
        "Read [the RFC](https://en.wikipedia.org/wiki/Foo_(bar)).",
        'Read <a href="https://en.wikipedia.org/wiki/Foo_(bar)">the RFC</a>.',
        "Read the RFC.",
    ),
    (
        "We check that a < b and c > d, Q&A & more.",
        "We check that a &lt; b and c &gt; d, Q&amp;A &amp; more.",
        "We check that a < b and c > d, Q&A & more.",
    ),
    (
        "Keys **always**, `<b>` in *code* &amp; [mail us](mailto:help@test.example).",
        "Keys <strong>always</strong>, <code>&lt;b&gt;</code> in <em>code</em> &amp; "
        '<a href="mailto:help@test.example">mail us</a>.',
        "Keys always, <b> in code & mail us.",
    ),
    (
        "javascript:alert(1) is only words here.",
        "javascript:alert(1) is only words here.",
        "javascript:alert(1) is only words here.",
    ),
]


@pytest.mark.parametrize(("source", "page", "data"), ACCEPTED, ids=[s[:20] for s, _, _ in ACCEPTED])
def test_accepted_markdown_is_shown_as_safe_text(runner, base_repo: Path, source: str, page: str, data: str) -> None:
    edit(base_repo, CONTROL, SUMMARY, yaml_quoted(source))
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    site = base_repo / "build/site"
    assert f'<p class="pt-practice__summary">{page}</p>' in (site / "practices/access-control/index.html").read_text()
    [practice] = json.loads((site / "trust.json").read_text())["categories"][0]["practices"]
    assert practice["summary"] == data


class Tags(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, dict[str, str]]]:
        parser = cls()
        parser.feed(html)
        return parser.found


def test_a_timeline_entry_is_checked_as_the_page_renders_it(runner, base_repo: Path) -> None:
    """Lines after an entry join it on the page; an indented block there is code to the Markdown
    body, but a tag once joined. `check` judges what customers would see."""
    text = NOTICE_TEXT.format(title="Partial outage", affected="Everyone.", body="a disk.")
    write(base_repo, NOTICE, text + "\nNotes:\n\n    <b>raw</b> tag\n")
    assert public_markup(base_repo) == [
        f"{NOTICE}:33:1: error [public-markup] the notice's timeline holds HTML ('<b>'), which the trust center "
        "leaves out: customers would not see it (hint: remove the HTML: public text is Markdown only (**bold**, "
        "*emphasis*, [label](https://…)))"
    ]
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
