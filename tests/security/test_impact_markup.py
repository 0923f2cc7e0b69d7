"""`plaintrust impact` shows what others wrote (titles, summaries, paths, messages, a ref's name) in
a pull-request comment, in workflow annotations and on a terminal. Whatever those values hold, they
arrive as text: no HTML, no link, no image, no mention, no issue reference, no second marker or
section in the comment, no extra workflow command (not even in the text printed to a CI log), no
terminal control sequence; the JSON keeps them exactly as data."""

from __future__ import annotations

import datetime as dt
import html
import json
import re
from html.parser import HTMLParser

import pytest
from markdown_it import MarkdownIt

from plaintrust.impact.render import MARKER, REPORTERS
from plaintrust.impact.render.as_markdown import md
from plaintrust.impact.report import SECTIONS, Detail, Finding, Impact, Item, Side
from plaintrust.schemas import validator

HOSTILE = (
    "\x1b]0;title\x07\x1b[2J\r\n::error::pwned %0A ##[error]x #12 org/repo#3 !4 ~bug %5 $6 &7"
    " </details><script>alert(1)</script> [x](javascript:alert(1))"
    ' <a href="javascript:alert(2)">a</a> <img src=x onerror=alert(3)> ![i](https://evil.example/i.png)'
    f" <https://evil.example> @everyone {MARKER} `code` **bold** _em_ ~~gone~~ $x^2$ &amp; \\\n\n# Heading\n\n"
    "- item\n\n| a | b |\n| - | - |\n| c | d |\n<details open><summary>fake</summary>\n"
)
# The parts of HOSTILE that survive as one line, shown as written.
VISIBLE = ("</details><script>alert(1)</script>", "[x](javascript:alert(1))", '<a href="javascript:alert(2)">')


def hostile_impact() -> Impact:
    def item(change: str, drop: bool = False) -> Item:
        details = (Detail(HOSTILE, HOSTILE, HOSTILE), Detail(HOSTILE, None, HOSTILE))
        return Item(change, HOSTILE, HOSTILE, details, area=None, drop=drop, path=HOSTILE, line=3)

    finding = Finding(HOSTILE, 2, 5, HOSTILE, HOSTILE)
    return Impact(
        Side(HOSTILE, "a" * 40, dt.date(2026, 11, 20)),
        Side(HOSTILE, None),
        dt.date(2026, 11, 22),
        {name: (item("changed", drop=name == "public"), item("added")) for name in SECTIONS},
        leaks=(finding,),
        errors=(finding,),
        notes=(HOSTILE,),
        unjudged=(HOSTILE,),
    )


class Tags(HTMLParser):
    """Every element and comment of an HTML fragment, with its attributes."""

    def __init__(self, page: str) -> None:
        super().__init__()
        self.tags: list[tuple[str, tuple]] = []
        self.comments: list[str] = []
        self.feed(page)

    def handle_starttag(self, tag: str, attrs: list) -> None:
        self.tags.append((tag, tuple(attrs)))

    def handle_comment(self, data: str) -> None:
        self.comments.append(data)

    def count(self, name: str) -> int:
        return sum(1 for tag, _ in self.tags if tag == name)


def rendered(comment: str) -> str:
    """The comment as a CommonMark renderer with raw HTML allowed (as GitHub's) shows it."""
    return MarkdownIt("commonmark", {"html": True}).enable(["table", "strikethrough"]).render(comment)


def test_the_comment_has_one_marker_and_only_its_own_markup() -> None:
    comment = REPORTERS["markdown"](hostile_impact())
    assert comment.startswith(MARKER + "\n") and comment.count(MARKER) == 1
    page = Tags(rendered(comment))
    sections = len(SECTIONS) + 2  # leaks and new errors
    items, findings = 2 * len(SECTIONS), 2
    assert page.comments == [" plaintrust-impact "]
    assert {tag for tag, _ in page.tags} == {"details", "summary", "h3", "p", "ul", "li", "strong", "code"}
    assert {attrs for _, attrs in page.tags} == {(), (("open", None),)}  # no href, src, on...=
    assert page.count("details") == page.count("summary") == sections and page.count("h3") == 1
    assert page.count("strong") == items + 2  # each item's heading, the one status drop, "Not judged:"
    assert page.count("code") == 1 + items + findings  # the base's name, each item's and finding's file
    assert page.count("li") == items + 2 * items + findings  # items, their two fields, findings
    assert page.count("ul") == sections + items  # a list per section, and one under each item


def test_no_value_makes_an_issue_or_merge_request_reference() -> None:
    """GitHub links #12 and org/repo#3 in a comment's text, GitLab also !4, ~bug, %5, $6 and &7: a
    zero-width space after the sign keeps each a plain text that reads the same."""
    comment = REPORTERS["markdown"](hostile_impact())
    text = html.unescape(rendered(comment))
    assert not re.search(r"[#!~%$&][A-Za-z0-9]", text)
    assert "#\u200b12 org/repo#\u200b3 !\u200b4 ~\u200bbug %\u200b5 $\u200b6 &\u200b7" in text
    page = html.unescape(rendered(md("see #12, R&D, 100% ~ok, # 1 and $ 2")))  # a sign before a letter or digit
    assert page == "<p>see #\u200b12, R&\u200bD, 100% ~\u200bok, # 1 and $ 2</p>\n"


# Where each line of a format may start: our own words, never a value (a CI log runs `::command`).
OURS = {
    "text": re.compile(
        r"(Compliance impact: |Not judged: |Note: |  at |  (changed|added) |    - |\d|not judged |"
        r"(Leaks|New errors|Controls|Requirements|Public claims|Evidence|Evidence ledger|Policies|Drift anchors) \(|$)"
    ),
    "markdown": re.compile(
        r"(<!-- plaintrust-impact -->$|### Compliance impact$|<code>|\d|not judged |\*\*Not judged:\*\* |Note: |"
        r"<details|</details>$|- |  - |$)"
    ),
    "github": re.compile(r"::(notice|warning|error) "),
}


@pytest.mark.parametrize("fmt", ["text", "markdown", "github"])
def test_no_line_starts_with_a_value(fmt: str) -> None:
    lines = REPORTERS[fmt](hostile_impact()).splitlines()
    assert all(OURS[fmt].match(line) for line in lines), [line for line in lines if not OURS[fmt].match(line)]


@pytest.mark.parametrize("fmt", ["text", "github"])
def test_a_ci_log_finds_no_workflow_command_in_a_value(fmt: str) -> None:
    """GitHub's runner obeys `::command` at a line's start and the older `##[command]` anywhere in
    a line: a re-pinned file named like a command is neither in the text or the annotations."""
    name = "::warning title=Injected::text format line ##[error]legacy.csv"
    item = Item("re-pinned", "ev", "t", (Detail(name, None, "5be08c9684a1"),), path="evidence/ev.yaml")
    changed = Impact(Side("main", "a" * 40), Side("working tree", None), dt.date(2026, 11, 22), {"evidence": (item,)})
    report = REPORTERS[fmt](changed)
    assert "##[" not in report
    assert all(not line.lstrip().startswith("::") for line in report.splitlines()) or fmt == "github"
    assert "##\u200b[error]legacy.csv" in report  # shown as written, to the eye


def test_hostile_values_show_as_written_and_mention_no_one() -> None:
    page = rendered(REPORTERS["markdown"](hostile_impact()))
    text = html.unescape(page)
    assert all(value in text for value in VISIBLE)
    assert "@everyone" not in text and "@\u200beveryone" in text
    assert "\x1b" not in page and "\x07" not in page and "\r" not in page


def test_the_comment_never_holds_a_control_character() -> None:
    comment = REPORTERS["markdown"](hostile_impact())
    assert not any(c in comment for c in "\x1b\x07\r\x00")
    assert "\\\\x1b\\]0;title\\\\x07\\\\x1b\\[2J" in comment  # shown as escapes


def test_annotations_cannot_add_a_workflow_command() -> None:
    lines = REPORTERS["github"](hostile_impact()).splitlines()
    with_path = 2 * len(SECTIONS) + 2
    assert len(lines) == 1 + with_path + 2  # what could not be judged, + the note and the summary line
    command = re.compile(r"::(notice|warning|error) (file|line|col|title)=[^:,]*(,(file|line|col|title)=[^:,]*)*::")
    assert all(command.match(line) for line in lines)  # a value never adds a property or ends them early
    assert not any("\r" in line or "\x1b" in line for line in lines)


def test_the_terminal_gets_no_control_sequence() -> None:
    report = REPORTERS["text"](hostile_impact())
    assert not any(c in report for c in "\x1b\x07\r\x00")
    assert "\\x1b]0;title\\x07\\x1b[2J" in report


def test_the_json_keeps_every_value_exactly_as_data() -> None:
    data = json.loads(REPORTERS["json"](hostile_impact()))
    validator("impact").validate(data)
    item = data["sections"]["public"][0]
    assert item["key"] == item["title"] == item["path"] == HOSTILE
    assert item["details"][0] == {"field": HOSTILE, "before": HOSTILE, "after": HOSTILE}
    assert data["leaks"][0]["message"] == data["notes"][0] == data["base"]["label"] == HOSTILE


@pytest.mark.parametrize("fmt", ["text", "markdown", "github", "json"])
def test_a_name_that_is_not_utf8_never_crashes_a_format(fmt: str) -> None:
    bad = "caf\udce9.yaml"
    item = Item("changed", bad, bad, (Detail(bad, bad, None),), path=bad)
    report = REPORTERS[fmt](Impact(Side(bad, None), Side(bad, None), dt.date(2026, 11, 22), {"controls": (item,)}))
    assert report.encode("utf-8") and "xe9" in report
