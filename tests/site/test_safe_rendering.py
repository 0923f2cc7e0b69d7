"""Script and HTML payloads in every public text field come out as text, never as markup."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import pytest

from payloads import apply_payloads
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.render.safe_text import inline

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


def test_payloads_in_every_public_field_are_escaped(runner, base_repo: Path) -> None:
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
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in category


@pytest.mark.parametrize(("source", "html"), [
    ("**Strong** and *soft*", "<strong>Strong</strong> and <em>soft</em>"),
    ("[our policy](https://test.example/p?a=1&b=2)", '<a href="https://test.example/p?a=1&amp;b=2" rel="noopener">our policy</a>'),
    ("[mail us](mailto:security@test.example)", '<a href="mailto:security@test.example">mail us</a>'),
    ("[x](javascript:alert)", "x"),
    ("[x](JavaScript:alert)", "x"),
    ("[x](data:text/html,hi)", "x"),
    ("[x](/relative/path)", "x"),
    ("<b>bold</b>", "&lt;b&gt;bold&lt;/b&gt;"),
    ("a * b * c and snake_case_name", "a * b * c and snake_case_name"),
])
def test_summary_markdown_subset(source: str, html: str) -> None:
    assert str(inline(source)) == html
