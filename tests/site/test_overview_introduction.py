"""A hand-written site/index.md is the overview's introduction: its text above the generated
sections, its title (if any) the overview's heading, and still one overview page in the same nav."""

from __future__ import annotations

import json
import re
from pathlib import Path

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
    assert "<p>We build our service with <strong>security</strong> in mind. Read about our " \
           '<a href="certifications/">certifications</a>.</p>' in page
    assert '<h2 id="how-to-reach-us">How to reach us</h2>' in page
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
