"""site/index.md, the overview's introduction, is a hand-written page like any other: its raw HTML
and `javascript:` links are cleaned away, its title printed as text (a title that is not text
refused), its headings moved down as tags only, an internal value in it (or a link in its place)
refused by `check` and `build` alike, with the previous site left untouched."""

from __future__ import annotations

import os
import re
from pathlib import Path

import pytest
from markupsafe import Markup

from helpers import check_and_build, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.public.pages import demoted

OWNER_OF = "the owner of control AC-01 (controls/access/ac-01.yaml): 'it-security@test.example'"
DESCRIPTION = "The identity provider requires a security key for every workforce login."
SCRIPTED = """\
---
title: 'Welcome <img src=x onerror=alert(5)>'
---

Hello <script>alert(1)</script><img src="logo.png" onerror="alert(2)">
[click](javascript:alert(3)) and <a href="javascript:alert(4)">this</a>
<iframe src="https://evil.example"></iframe><!-- a note --><b onmouseover="alert(6)">bold</b>

Plain **Markdown** stays.
"""


@pytest.fixture
def built(runner, base_repo: Path) -> Path:
    """The base repository with a first site built: every refusal must leave it as it is."""
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    return base_repo


def refused(runner, repo: Path, expected: str) -> None:
    before = site_snapshot(repo)
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert expected in result.output and "Traceback" not in result.output, f"{command}: {result.output}"
    assert site_snapshot(repo) == before


def test_raw_html_and_script_links_in_the_introduction_are_cleaned_away(runner, base_repo: Path) -> None:
    write(base_repo, "site/index.md", SCRIPTED)
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    page = (base_repo / "build/site/index.html").read_text()
    intro = page[page.index('<div class="pt-intro">') : page.index('id="pt-certifications"')]
    for forbidden in ("<script", "onerror", "onmouseover", "javascript:", "<iframe", "a note", "<img src=x"):
        assert forbidden not in intro.lower(), forbidden
    assert '<img src="logo.png">' in intro and "<b>bold</b>" in intro and "<strong>Markdown</strong>" in intro
    assert "<h1>Welcome &lt;img src=x onerror=alert(5)&gt;</h1>" in page  # the title, as text
    assert set(re.findall(r"alert\(\d\)", page)) == {"alert(5)"}  # nothing of the rest, anywhere on the page
    assert "<title>Welcome &lt;img src=x onerror=alert(5)&gt; - " in page
    head = page[: page.index("<body")]
    assert "<img" not in head and "onerror=alert(5)>" not in head


def test_an_internal_value_in_the_introduction_is_refused(runner, built: Path) -> None:
    write(built, "site/index.md", f"Our promise.\n\n{DESCRIPTION}\n")
    refused(
        runner,
        built,
        "site/index.md:3:1: error [internal-value] site/index.md contains the description of control AC-01",
    )


def test_an_internal_value_in_its_title_is_refused(runner, built: Path) -> None:
    write(built, "site/index.md", "---\ntitle: Ask it-security@test.example\n---\n\nHello.\n")
    refused(runner, built, f"site/index.md:2:12: error [internal-value] site/index.md contains {OWNER_OF}")


@pytest.mark.parametrize("target", ["/etc/passwd", "../controls/access/ac-01.yaml", "../README.md"])
def test_a_linked_index_md_is_refused(runner, built: Path, target: str) -> None:
    (built / "README.md").write_text("# Notes kept outside site/\n")
    os.symlink(target, built / "site/index.md")
    refused(runner, built, f"site/index.md:1:1: error [site-symlink] site/index.md is a symbolic link (to '{target}')")


def test_the_overview_under_another_name_is_still_a_clash(runner, built: Path) -> None:
    write(built, "site/index.markdown", "Hello.\n")
    refused(
        runner, built, "site/index.markdown:1:1: error [page-clash] site/index.markdown takes the place of the overview"
    )


def test_a_title_that_is_not_text_is_refused(runner, built: Path) -> None:
    write(built, "site/index.md", "---\ntitle: ['<script>alert(1)</script>', 2]\n---\n\nHello.\n")
    refused(runner, built, "site/index.md:2:8: error [page-title] the title of site/index.md is a list, not text")


@pytest.mark.parametrize("title", [["<script>alert(1)</script>"], {"a": "<b>"}, 2026, "   ", None])
def test_the_plugin_never_prints_a_title_that_is_not_text(title) -> None:
    # `check` refuses these first; were one to reach the plugin, no Python value is printed as the title.
    from types import SimpleNamespace

    from plaintrust.public.plugin import PlaintrustPlugin

    for src in ("index.md", "faq.md"):
        page = SimpleNamespace(meta={"title": title}, file=SimpleNamespace(generated_by=None, src_uri=src))
        PlaintrustPlugin().on_page_markdown("Hello.", page=page, config=None, files=None)
        assert page.meta == ({"title": "Overview"} if src == "index.md" else {})


def test_headings_are_moved_down_as_tags_never_as_text(runner, base_repo: Path) -> None:
    write(
        base_repo,
        "site/index.md",
        '# Hello\n\n[a link](https://test.example "<h1>") and `</h1><script>`\n\n<h1 onclick="alert(1)">raw</h1>\n',
    )
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    page = (base_repo / "build/site/index.html").read_text()
    intro = page[page.index('<div class="pt-intro">') : page.index('id="pt-certifications"')]
    assert '<h2 id="hello">Hello' in intro and "<h2>raw</h2>" in intro and "onclick" not in intro
    assert 'title="&lt;h1&gt;"' in intro and "<code>&lt;/h1&gt;&lt;script&gt;</code>" in intro
    assert page.count("<h1") == 1
    # Were a cleaner to leave `<` in an attribute's text, each tag is still matched whole:
    assert demoted(Markup('<a title="<h1>" href="#">x</a><h5>y</h5>')) == '<a title="<h1>" href="#">x</a><h6>y</h6>'
