"""Script and HTML payloads: in plain-text fields they come out as text; in Markdown texts `check` refuses them."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import check_and_build
from payloads import apply_control_payloads, apply_payloads
from plaintrust import cli
from plaintrust.boundary.safe_text import inline
from plaintrust.errors import ExitCode


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict]] = []
        self.script_text: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"

    def handle_endtag(self, tag):
        self._in_script = False

    def handle_data(self, data):
        if self._in_script:
            self.script_text.append(data)


def parse(path: Path) -> _Collector:
    collector = _Collector()
    collector.feed(path.read_text(encoding="utf-8"))
    return collector


def test_payloads_in_every_plain_text_field_are_escaped(runner, base_repo: Path) -> None:
    apply_payloads(base_repo)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    pages = sorted((base_repo / "build/site").rglob("*.html"))
    for page in pages:
        html = parse(page)
        for tag, attrs in html.tags:
            assert not any(name.startswith("on") for name in attrs), f"{page}: event handler on <{tag}>"
            assert not (attrs.get("href") or "").lower().startswith("javascript:"), f"{page}: javascript: link"
            assert not (tag == "img" and attrs.get("src") == "x"), f"{page}: injected <img>"
            assert tag != "svg" or "onload" not in attrs
        assert not any("alert(" in text for text in html.script_text), f"{page}: injected script"
    category = (base_repo / "build/site/practices/access-control/index.html").read_text()
    assert "Category &lt;script&gt;alert(1)&lt;/script&gt;" in category


def test_payloads_in_a_practice_are_errors_and_nothing_is_built(runner, base_repo: Path) -> None:
    apply_payloads(base_repo)
    apply_control_payloads(base_repo)
    results = check_and_build(runner, base_repo)
    for result in results.values():
        assert result.exit_code == ExitCode.FINDINGS
        found = [line for line in result.output.splitlines() if "[public-markup]" in line]
        assert found == [
            "controls/access/ac-01.yaml:13:10: error [public-markup] the public title of AC-01 holds HTML "
            "('<script>'), which customers would see as typed: it is plain text",
            "controls/access/ac-01.yaml:14:12: error [public-markup] the public summary of AC-01 holds HTML "
            "('<script>'), which the trust center leaves out: customers would not see it",
            "controls/access/ac-01.yaml:14:12: error [public-markup] the public summary of AC-01 links to "
            "'javascript:alert(4)', which cannot be a link there: customers would see only the words 'click'",
        ], result.output
    assert not (base_repo / "build/site").exists()


@pytest.mark.parametrize(
    ("source", "html"),
    [
        ("**Strong** and *soft*", "<strong>Strong</strong> and <em>soft</em>"),
        ("[our policy](https://test.example/p?a=1&b=2)", '<a href="https://test.example/p?a=1&amp;b=2">our policy</a>'),
        ("[mail us](mailto:security@test.example)", '<a href="mailto:security@test.example">mail us</a>'),
        ("[x](javascript:alert)", "x"),
        ("[x](JavaScript:alert)", "x"),
        ("[x](data:text/html,hi)", "x"),
        ("[x](/relative/path)", "x"),
        ("<b>bold</b>", "bold"),
        ("a * b * c and snake_case_name", "a * b * c and snake_case_name"),
    ],
)
def test_summary_markdown_subset(source: str, html: str) -> None:
    assert str(inline(source)) == html
