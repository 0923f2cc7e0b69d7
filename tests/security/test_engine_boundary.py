"""The boundary on the Zensical path, where Plaintrust renders your site/ pages itself (Zensical runs
no MkDocs plugin): every case is held to what the MkDocs path does with the same input.

Raw HTML, event handlers and `javascript:` links never reach a page; a title with markup is
escaped; an internal value, a symbolic link out of site/ or a page in a generated one's place is
refused by `check` before any engine runs, and, should `check` be passed by, the Zensical path
stops it itself (its own refusal, or the leak guard over its finished tree).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path

import pytest
from click.testing import CliRunner

from helpers import BASE, build_case, edit, site_snapshot, write
from optional_engines import engine_or_skip
from plaintrust import cli, pipeline
from plaintrust.errors import BuildFailed, ExitCode
from plaintrust.public import sitebuild

ENGINES = ("mkdocs", "zensical")
OWNER = "it-security@test.example"  # the owner of the base case's control: internal

MARKUP = """\
---
title: "Our <em>guide</em> <script>alert('pwned-title')</script>"
---

# Working with us

<script>alert('pwned-script')</script>

<p onclick="alert('pwned-onclick')">Click the text.</p>

[A link](javascript:pwned_markdown_link)

<a href="javascript:alert('pwned-raw-link')">A raw link</a>

<iframe src="https://evil.example/pwned-frame"></iframe>

The last words.
"""
PAYLOADS = ("pwned-script", "pwned-onclick", "pwned_markdown_link", "pwned-raw-link", "pwned-frame", "<em>guide")


class Tags(HTMLParser):
    """Every start tag of the page's own content (the theme's `md-content__inner` article), with its
    attributes; the theme's own scripts around it are not the page's."""

    def __init__(self) -> None:
        super().__init__()
        self.depth = 0
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = {name: value or "" for name, value in attrs}
        if self.depth:
            self.found.append((tag, named))
            self.depth += tag == "article"
        else:
            self.depth = int(tag == "article" and "md-content__inner" in named.get("class", ""))

    def handle_endtag(self, tag: str) -> None:
        self.depth -= bool(self.depth and tag == "article")


def build(runner, repo: Path, engine: str):
    return runner.invoke(cli.cli, ["build", "--root", str(repo), "--engine", engine])


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, bytes]]:
    """engine -> the base case with the page MARKUP, built once per engine: its files and bytes."""
    done: dict[str, dict[str, bytes]] = {}

    def get(engine: str) -> dict[str, bytes]:
        engine_or_skip(engine)
        if engine not in done:
            repo = build_case(BASE, tmp_path_factory.mktemp(f"markup-{engine}") / "repo")
            write(repo, "site/guide.md", MARKUP)
            result = build(CliRunner(), repo, engine)
            assert result.exit_code == ExitCode.OK, result.output
            done[engine] = site_snapshot(repo)
        return done[engine]

    return get


@pytest.mark.parametrize("engine", ENGINES)
def test_scripts_handlers_and_raw_html_of_a_page_never_reach_the_site(markup_site, engine: str) -> None:
    published = markup_site(engine)
    for payload in PAYLOADS:
        assert [path for path, data in published.items() if payload.encode() in data] == [], payload
    page = published["guide/index.html"].decode()
    assert "The last words." in page and "Click the text." in page  # the page is there, its words kept
    tags = Tags()
    tags.feed(page)
    assert {tag for tag, _ in tags.found} & {"script", "iframe", "object", "embed", "style"} == set()
    assert [(tag, name) for tag, attrs in tags.found for name in attrs if name.startswith("on")] == []
    assert [attrs["href"] for _, attrs in tags.found if "javascript" in attrs.get("href", "")] == []
    assert ("p", {}) in tags.found  # the paragraph stays, without its handler


@pytest.mark.parametrize("engine", ENGINES)
def test_a_title_with_markup_is_escaped(markup_site, engine: str) -> None:
    published = markup_site(engine)
    escaped = "Our &lt;em&gt;guide&lt;/em&gt; &lt;script&gt;alert(&#39;pwned-title&#39;)&lt;/script&gt;"
    assert f"<title>{escaped} - Example Test Co Trust Center</title>" in published["guide/index.html"].decode()
    assert [path for path, data in published.items() if b"<script>alert('pwned-title')" in data] == []


def outside_link(repo: Path) -> None:
    """A file of site/ that is a symbolic link to an evidence file."""
    os.symlink("../evidence/files/mfa-policy.json", repo / "site/policy.json")


def internal_value(repo: Path) -> None:
    write(repo, "site/contact.md", f"# Contact\n\nWrite to {OWNER} any time.\n")


def generated_name(repo: Path) -> None:
    write(repo, "site/certifications.md", "# Our certifications\n\nOurs, not the generated page.\n")


def theme_override(repo: Path) -> None:
    """The theme's custom_dir, which Zensical is handed too."""
    write(repo, "overrides/main.html", f'{{% extends "base.html" %}}{{% block announce %}}{OWNER}{{% endblock %}}')
    edit(repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")


# (what is laid into the repository, what `check` says of it, what the Zensical path says without it)
REFUSED = [
    (outside_link, "error [site-symlink] site/policy.json is a symbolic link", "contains a copy of evidence/files"),
    (internal_value, "error [internal-value] site/contact.md contains the owner of control AC-01", OWNER),
    (generated_name, "error [page-clash] site/certifications.md takes the place of the certifications page",
     "site/certifications.md clashes with a file plaintrust generates"),
    (theme_override, "error [internal-value] overrides/main.html contains the owner of control AC-01", OWNER),
]  # fmt: skip


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("lay", "said", "_"), REFUSED, ids=[lay.__name__ for lay, _, _ in REFUSED])
def test_check_refuses_it_before_any_engine_runs(runner, base_repo: Path, engine: str, lay, said: str, _) -> None:
    engine_or_skip(engine)
    lay(base_repo)
    result = build(runner, base_repo, engine)
    assert result.exit_code == ExitCode.FINDINGS
    assert said in result.output and "nothing was built" in result.output
    assert not (base_repo / "build").exists()


@pytest.mark.parametrize(("lay", "_", "said"), REFUSED, ids=[lay.__name__ for lay, _, _ in REFUSED])
def test_the_zensical_path_stops_it_even_past_check(base_repo: Path, lay, _, said: str) -> None:
    """`check`'s verdict set aside, as if it had missed the problem: nothing is published all the same."""
    engine_or_skip("zensical")
    lay(base_repo)
    result = pipeline.run(base_repo)
    assert result.diagnostics, "check is set aside here, not silent"
    with pytest.raises(BuildFailed, match=r"nothing was published|the previous one is untouched") as refused:
        sitebuild.build_site(base_repo, result, engine="zensical")
    assert said in str(refused.value)
    assert [p.name for p in (base_repo / "build").glob("*")] == []  # no site, no staging or work folder
