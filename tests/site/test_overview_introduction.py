"""A hand-written site/index.md is the overview's introduction: its text above the generated
sections with its headings one level down, its title (if any, and text) the overview's heading, and
still one overview page in the same nav; left out by exclude_docs, the overview is generated alone."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode

INTRO = """\
---
title: Security at Example Test Co
---

We build our service with **security** in mind. Read about our [certifications](certifications.md).

## How to reach us

Write to [our security team](mailto:security@test.example).
"""


def build(runner, repo: Path) -> dict[str, bytes]:
    result = runner.invoke(cli.cli, ["build", "--root", str(repo), "--force"])
    assert result.exit_code == ExitCode.OK, result.output
    return site_snapshot(repo)


def nav(html: str) -> list[tuple[str, str]]:
    """The primary navigation's pages (address, label); a page's own table of contents left out."""
    start = html.index('<nav class="md-nav md-nav--primary"')
    link = r'<a href="([^"#]*)" class="md-nav__link[^"]*">\s*<span class="md-ellipsis">\s*([^<]*?)\s*</span>'
    links = re.findall(link, html[start:])
    return [link for link in links if link[1]]


def test_index_md_is_the_introduction_above_the_generated_sections(runner, base_repo: Path) -> None:
    generated = build(runner, base_repo)
    write(base_repo, "site/index.md", INTRO)
    introduced = build(runner, base_repo)
    assert introduced.keys() == generated.keys()  # no page more, none less
    page = introduced["index.html"].decode()
    assert "<h1>Security at Example Test Co</h1>" in page and "Example Test Co Trust Center</h1>" not in page
    assert "<title>Security at Example Test Co - Example Test Co Trust Center</title>" in page
    intro = page.index('<div class="pt-intro">')
    assert page.index('<section class="pt-hero">') < intro < page.index('id="pt-certifications"')
    assert page.index('id="pt-certifications"') < page.index('id="pt-practices"') < page.index('id="pt-informed"')
    assert (
        "<p>We build our service with <strong>security</strong> in mind. Read about our "
        '<a href="certifications/">certifications</a>.</p>' in page
    )
    assert '<h3 id="how-to-reach-us">How to reach us</h3>' in page  # one level down: the overview has its h1
    for other in ("certifications/index.html", "practices/access-control/index.html"):
        assert nav(introduced[other].decode()) == nav(generated[other].decode())
    assert nav(page) == nav(generated["index.html"].decode())
    assert ("", "Overview") in [(href.strip("./"), label) for href, label in nav(page)]
    search = json.loads(introduced["search/search_index.json"])["docs"]
    assert [d["location"] for d in search].count("") == 1 and "How to reach us" in str(search)


def test_without_a_title_the_overview_keeps_its_heading(runner, base_repo: Path) -> None:
    write(base_repo, "site/index.md", "Our team answers security questions within a day.\n")
    page = build(runner, base_repo)["index.html"].decode()
    assert "<h1>Example Test Co Trust Center</h1>" in page
    assert "<title>Overview - Example Test Co Trust Center</title>" in page
    assert "<p>Our team answers security questions within a day.</p>" in page


def test_the_overview_without_index_md_is_unchanged(runner, base_repo: Path) -> None:
    page = build(runner, base_repo)["index.html"].decode()
    assert '<div class="pt-intro">' not in page and "<h1>Example Test Co Trust Center</h1>" in page


def test_an_index_md_left_out_by_exclude_docs_leaves_the_generated_overview(runner, base_repo: Path) -> None:
    write(base_repo, "site/index.md", INTRO)
    write(base_repo, "site/disclosure.md", "Write to us.\n")
    (base_repo / "mkdocs.yml").write_text(
        (base_repo / "mkdocs.yml").read_text() + "exclude_docs: |\n  index.md\n  disclosure.md\n"
    )
    built = build(runner, base_repo)
    page = built["index.html"].decode()
    assert "<h1>Example Test Co Trust Center</h1>" in page and '<div class="pt-intro">' not in page
    assert "How to reach us" not in page and 'id="pt-certifications"' in page
    assert "<h1>Report a vulnerability</h1>" in built["disclosure/index.html"].decode()  # the generated one
    assert b"Write to us" not in built["disclosure/index.html"]


def test_the_headings_of_the_introduction_go_one_level_down(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "site/index.md",
        "# Welcome\n\nWe keep your data safe.\n\n## How we work\n\n###### Small print\n\nWrite `<h1>` as text.\n",
    )
    page = build(runner, base_repo)["index.html"].decode()
    assert page.count("<h1") == 1 and "<h1>Example Test Co Trust Center</h1>" in page
    assert '<h2 id="welcome">Welcome' in page and '<h3 id="how-we-work">How we work' in page
    assert '<h6 id="small-print">Small print' in page  # the last level stays
    assert "<code>&lt;h1&gt;</code>" in page


@pytest.mark.parametrize(
    ("title", "col", "what"),
    [
        ("[Security, Privacy]", 8, "a list, not text"),
        ("{name: Security}", 8, "a mapping, not text"),
        ("2026", 8, "a number, not text"),
        ("2026-11-22", 8, "a date, not text"),
        ("'   '", 8, "blank"),
        ("", 7, "empty"),
    ],
)
def test_a_title_that_is_not_text_is_refused_at_its_line(
    runner, base_repo: Path, title: str, col: int, what: str
) -> None:
    write(base_repo, "site/index.md", f"---\nsearch: {{boost: 2}}\ntitle: {title}\n---\n\nHello.\n")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert f"site/index.md:3:{col}: error [page-title] the title of site/index.md is {what}" in result.output


def test_the_title_of_any_page_of_yours_is_checked_but_not_a_notices(runner, base_repo: Path) -> None:
    write(base_repo, "site/faq.md", "---\r\ntitle: [a, b]\r\n---\r\n\r\nAnswers.\r\n")
    write(base_repo, "site/about.md", "---\ntitle: About us\n---\n\nWho we are.\n")
    write(base_repo, "site/plain.md", "title: 2026\n\nMultiMarkdown meta data is always text.\n")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    problems = [line for line in result.output.splitlines() if "error [" in line]
    assert problems == ["site/faq.md:2:8: error [page-title] the title of site/faq.md is a list, not text"]
