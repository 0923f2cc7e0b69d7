"""The same trust center from every engine: MkDocs, ProperDocs and Zensical (`plaintrust build --engine`).

The example repository and a small one with a page of the user's own are each built once per engine
in this session (`built`), and every engine is held to the MkDocs build: the same pages, the same
links, the same words on the overview, no internal value anywhere, the same bytes when built again,
and a failed run that leaves the previous build as it was.
"""

from __future__ import annotations

import hashlib
import os
import posixpath
import subprocess
import sys
from collections.abc import Callable
from dataclasses import dataclass
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest

from helpers import BASE, build_case, copy_tree, edit, example_copy, write
from optional_engines import engine_or_skip
from plaintrust import cli, output, pipeline
from plaintrust.boundary.needles import internal_values
from plaintrust.errors import BuildFailed, ExitCode
from plaintrust.public import engines
from plaintrust.public.guard import tree

ENGINES = ("mkdocs", "properdocs", "zensical")
OTHERS = ("properdocs", "zensical")  # each compared with MkDocs, the engine the plugin was made for
REPOS = ("example", "fixture")

# The user's own page of the fixture: a link to a generated page and to an anchor of one, a heading,
# and a code block whose indentation must survive.
GUIDE = """\
---
title: Working with us
---

# Working with us

Read our [certifications](certifications.md) and how we [control access](practices/access-control.md).

## Checking a download

```sh
sha256sum report.pdf
    an indented line
```
"""

# Values of each repository that are internal (an owner, an internal description, an evidence
# record's title, a control's internal title): none may be in any published file.
INTERNAL = {
    "example": (
        "it-security@northwind.example",
        "two sealed break-glass",
        "Access request tickets with approvals, November 2025-April 2026 (sample)",
        "Phishing-resistant MFA for workforce and administrative access",
    ),
    "fixture": (
        "it-security@test.example",
        "The identity provider requires a security key for every workforce login.",
        "Identity provider MFA policy export",
    ),
}


@dataclass(frozen=True)
class Built:
    repo: Path
    said: str  # what `plaintrust build` printed

    @property
    def site(self) -> Path:
        return self.repo / "build/site"


def fixture_repo(target: Path) -> Path:
    """The smallest trust center (the base case) with a page of the user's own."""
    build_case(BASE, target)
    write(target, "site/guide.md", GUIDE)
    return target


def cli_build(repo: Path, *extra: str):
    from click.testing import CliRunner

    return CliRunner().invoke(cli.cli, ["build", "--root", str(repo), *extra])


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str, str], Built]:
    """(repository, engine) -> its build, made on first use and kept for the session: a test that
    changes a build works on a copy (a forced rebuild, which must give the same bytes, is made in
    place). A test calls it, so SOURCE_DATE_EPOCH is pinned."""
    done: dict[tuple[str, str], Built] = {}

    def get(repo: str, engine: str) -> Built:
        engine_or_skip(engine)
        if (repo, engine) not in done:
            target = tmp_path_factory.mktemp(f"{repo}-{engine}") / "repo"
            (example_copy if repo == "example" else fixture_repo)(target)
            result = cli_build(target, "--engine", engine)
            assert result.exit_code == ExitCode.OK, result.output
            done[repo, engine] = Built(target, result.output)
        return done[repo, engine]

    return get


def files(folder: Path) -> dict[str, str]:
    """Every file of `folder` by its path, with the SHA-256 of its bytes."""
    return {
        p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def html_pages(site: Path) -> list[str]:
    return sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))


class MainContent(HTMLParser):
    """The links and words of a page's main content: the theme's `md-content__inner` article, the
    same in Material and in Zensical's theme (its cards are articles too, hence the depth)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.depth = 0
        self.hrefs: list[str] = []
        self.words: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        named = dict(attrs)
        if self.depth == 0:
            self.depth = int(tag == "article" and "md-content__inner" in (named.get("class") or ""))
            return
        self.depth += tag == "article"
        if tag == "a" and named.get("href"):
            self.hrefs.append(named["href"] or "")

    def handle_endtag(self, tag: str) -> None:
        if self.depth and tag == "article":
            self.depth -= 1

    def handle_data(self, data: str) -> None:
        if self.depth:
            self.words.extend(data.split())


def main_content(site: Path, page: str) -> MainContent:
    parser = MainContent()
    parser.feed((site / page).read_text(encoding="utf-8"))
    assert parser.words, f"{page}: no main content found"
    return parser


# The site as if served from a sub-folder (as on GitHub Pages): a link with one `../` too many
# leaves it, where from a domain's root the browser would quietly stay at the top.
SERVED_AT = "https://trust.invalid/a/sub/folder/"


def internal_links(site: Path, page: str) -> list[str]:
    """Where each link of the page's main content leads within the site, resolved against its own
    address (engines may write the same target differently, `../` or `.././`); `../` outside it."""
    address = urljoin(SERVED_AT, page.removesuffix("index.html"))
    found = []
    for href in main_content(site, page).hrefs:
        target = urlsplit(urljoin(address, href))
        if target.netloc != urlsplit(SERVED_AT).netloc:
            continue  # another site: the same words, checked with the overview's text
        path = posixpath.relpath(target.path, urlsplit(SERVED_AT).path.rstrip("/") or "/")
        found.append(path + ("#" + target.fragment if target.fragment else ""))
    return found


@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("repo", REPOS)
def test_every_engine_publishes_the_same_pages_and_links(built, repo: str, engine: str) -> None:
    """The same HTML pages, and on each the same links in the main content. Only the main content:
    the layout around it (navigation, header, footer, search) is the theme's, and differs by engine."""
    theirs, ours = built(repo, engine).site, built(repo, "mkdocs").site
    assert html_pages(theirs) == html_pages(ours)
    for page in html_pages(ours):
        assert internal_links(theirs, page) == internal_links(ours, page), page


def test_zensical_keeps_the_links_of_a_site_without_directory_urls(tmp_path: Path) -> None:
    """`use_directory_urls: false` (`faq.html`, not `faq/`): Zensical then leaves links as they are."""
    engine_or_skip("zensical")
    sites = {}
    for engine in ("mkdocs", "zensical"):
        repo = fixture_repo(tmp_path / engine)
        edit(repo, "mkdocs.yml", "site_dir:", "use_directory_urls: false\nsite_dir:")
        assert cli_build(repo, "--engine", engine).exit_code == ExitCode.OK
        sites[engine] = repo / "build/site"
    assert html_pages(sites["zensical"]) == html_pages(sites["mkdocs"])
    assert "guide.html" in html_pages(sites["mkdocs"])
    for page in html_pages(sites["mkdocs"]):
        assert internal_links(sites["zensical"], page) == internal_links(sites["mkdocs"], page), page


@pytest.mark.parametrize("engine", OTHERS)
@pytest.mark.parametrize("repo", REPOS)
def test_every_engine_publishes_the_same_generated_files(built, repo: str, engine: str) -> None:
    """trust.json, the feeds, security.txt, the evidence log, the styles: Plaintrust writes them, so
    they are the same bytes whatever renders the pages (security.txt too, in its dotted folder)."""
    theirs, ours = files(built(repo, engine).site), files(built(repo, "mkdocs").site)
    generated = [
        path
        for path in ours
        if path.startswith(("feeds/", ".well-known/", "assets/plaintrust/")) or path.endswith(".json")
    ]
    assert ".well-known/security.txt" in generated and "trust.json" in generated
    assert {path: theirs.get(path) for path in generated if "search" not in path} == {
        path: ours[path] for path in generated if "search" not in path
    }


@pytest.mark.parametrize("engine", OTHERS)
def test_the_overview_says_the_same_on_every_engine(built, engine: str) -> None:
    """The words a customer reads on the example's overview, in order."""
    theirs = main_content(built("example", engine).site, "index.html").words
    ours = main_content(built("example", "mkdocs").site, "index.html").words
    assert "Northwind" in " ".join(ours)
    assert theirs == ours


@pytest.mark.parametrize("engine", OTHERS)
def test_the_users_page_keeps_its_heading_and_code_block(built, engine: str) -> None:
    theirs = (built("fixture", engine).site / "guide/index.html").read_text(encoding="utf-8")
    assert '<h2 id="checking-a-download">Checking a download</h2>' in theirs
    assert "sha256sum report.pdf\n    an indented line\n</code></pre>" in theirs
    assert main_content(built("fixture", engine).site, "guide/index.html").words == (
        main_content(built("fixture", "mkdocs").site, "guide/index.html").words
    )


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("repo", REPOS)
def test_no_internal_value_is_in_any_published_file(built, repo: str, engine: str) -> None:
    """The leak guard's own scan of the finished tree, and a few known internal values by hand."""
    build = built(repo, engine)
    result = pipeline.run(build.repo)
    assert tree.scan(build.site, result.model, result.ordinary) == []
    internal = [v.value for v in internal_values(result.model)]
    published = {path: p.read_bytes() for path, p in _every_file(build.site)}
    for value in INTERNAL[repo]:
        assert any(value in v for v in internal), f"{value!r} is no internal value of the {repo}"
        assert [path for path, data in published.items() if value.encode() in data] == [], value


@pytest.mark.parametrize("engine", ENGINES)
def test_trust_yaml_and_the_notice_sources_are_not_published(built, engine: str) -> None:
    """The notices' pages are generated from site/updates/*.md: the files as written stay out, and
    so does trust.yaml, whatever the engine (plain `zensical build` would copy both)."""
    build = built("example", engine)
    published = dict(_every_file(build.site))
    assert [path for path in published if path.endswith((".md", ".yaml", ".yml"))] == []
    sources = [build.repo / "site/trust.yaml", *sorted((build.repo / "site/updates").glob("*.md"))]
    assert len(sources) >= 3
    for source in sources:
        as_written = source.read_text(encoding="utf-8").split("\n---\n")[0][:300].encode()
        assert [path for path, p in published.items() if as_written in p.read_bytes()] == [], source.name


def _every_file(site: Path) -> list[tuple[str, Path]]:
    return [(p.relative_to(site).as_posix(), p) for p in sorted(site.rglob("*")) if p.is_file()]


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize("repo", REPOS)
def test_a_forced_rebuild_is_byte_identical(built, repo: str, engine: str) -> None:
    build = built(repo, engine)
    first = files(build.site)
    again = cli_build(build.repo, "--engine", engine, "--force")
    assert "built the trust center" in again.output, again.output
    assert files(build.site) == first


def previous_build(built, engine: str, tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """A copy of the fixture with its build, and every file of that build."""
    repo = tmp_path / "repo"
    copy_tree(built("fixture", engine).repo, repo)
    return repo, files(repo / "build")


def assert_untouched(repo: Path, before: dict[str, str]) -> None:
    """The previous site and gap report as they were, and no staging or work folder left beside them."""
    assert files(repo / "build") == before
    assert sorted(p.name for p in (repo / "build").iterdir()) == ["gap-report", "site"]


@pytest.mark.parametrize("engine", OTHERS)
def test_a_failing_engine_leaves_the_previous_build(built, engine: str, tmp_path: Path) -> None:
    """A page with a broken link fails a strict build, as under MkDocs (test_build.py), though
    ProperDocs and Zensical stop in a process of their own."""
    repo, before = previous_build(built, engine, tmp_path)
    write(repo, "site/faq.md", "# FAQ\n\nSee [the old page](gone.md).\n")
    edit(repo, "mkdocs.yml", "site_name:", "strict: true\nsite_name:")
    result = cli_build(repo, "--engine", engine)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "untouched" in result.output
    assert_untouched(repo, before)
    # Says why in the engine's words, without its colour codes or a traceback of its own code.
    assert "gone.md" in result.output
    assert "Traceback" not in result.output and "\x1b[" not in result.output


def test_an_engine_failing_after_it_wrote_leaves_nothing_behind(
    built, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Zensical's run is done, its work folder and the staging folder full, when it fails."""
    repo, before = previous_build(built, "zensical", tmp_path)
    finished = engines.run_zensical

    def fails_at_the_end(*args, **kwargs):
        finished(*args, **kwargs)
        staged = sorted(p.name.split("-")[0] for p in (repo / "build").iterdir() if p.name.startswith(".site."))
        assert staged == [".site.engine", ".site.staging"]
        raise BuildFailed("the engine stopped at the end")

    monkeypatch.setattr(engines, "run_zensical", fails_at_the_end)
    result = cli_build(repo, "--engine", "zensical")
    assert result.exit_code == ExitCode.FINDINGS and "the engine stopped at the end" in result.output
    assert_untouched(repo, before)


def test_a_no_op_build_notices_a_change_of_engine(tmp_path: Path) -> None:
    engine_or_skip("zensical")
    repo = fixture_repo(tmp_path / "repo")
    assert "built the trust center" in cli_build(repo).output
    assert "nothing changed since the last build" in cli_build(repo).output
    assert "built the trust center" in cli_build(repo, "--engine", "zensical").output
    assert "nothing changed since the last build" in cli_build(repo, "--engine", "zensical").output
    assert "built the trust center" in cli_build(repo, "--engine", "mkdocs").output


def test_build_with_zensical_says_where_it_built(built) -> None:
    said = built("fixture", "zensical").said
    assert "built the trust center into build/site" in said
    assert "wrote the gap report into build/gap-report" in said


def test_hooks_zensical_will_not_run_are_named_before_the_build(tmp_path: Path) -> None:
    """A hook may change pages under MkDocs; under Zensical it does not run, and the build says so."""
    engine_or_skip("zensical")
    repo = fixture_repo(tmp_path / "repo")
    write(repo, "hooks/stamp.py", "def on_page_markdown(markdown, **kwargs):\n    return markdown\n")
    edit(repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/stamp.py\nplugins:\n")
    said = cli_build(repo, "--engine", "zensical").output
    assert "note: Zensical runs no hook; left out of this build: hooks/stamp.py" in said
    assert "built the trust center" in said
    assert "runs no hook" not in cli_build(repo, "--engine", "mkdocs").output


@pytest.mark.parametrize(
    ("named", "by"), [(["--engine", "zensical"], " (named by --engine)"), ([], " (named by plaintrust.toml)")]
)
def test_an_engine_that_is_not_installed_is_refused_before_anything_is_built(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch, named: list[str], by: str
) -> None:
    import importlib.util

    found = importlib.util.find_spec
    monkeypatch.setattr(
        importlib.util, "find_spec", lambda name, *rest: None if name == "zensical" else found(name, *rest)
    )
    write(base_repo, "plaintrust.toml", 'engine = "zensical"\n')
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo), *named])
    assert result.exit_code == ExitCode.FINDINGS
    assert f"cannot build with zensical{by}: zensical is not installed: pip install 'plaintrust[zensical]'" in (
        result.output
    )
    assert not (base_repo / "build").exists()


def test_an_unknown_engine_is_a_usage_error(runner, base_repo: Path) -> None:
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo), "--engine", "nonsense"])
    assert result.exit_code == ExitCode.USAGE
    assert "Invalid value for '--engine'" in result.output and "'mkdocs', 'properdocs', 'zensical'" in result.output
    assert not (base_repo / "build").exists()


def test_properdocs_builds_a_repository_named_by_a_relative_path(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`--root trust` from the folder above it: ProperDocs runs in the repository, and is handed
    mkdocs.yml by a path that holds from there. A finished build leaves only the site and the gap report."""
    engine_or_skip("properdocs")
    fixture_repo(tmp_path / "trust")
    monkeypatch.chdir(tmp_path)
    result = cli_build(Path("trust"), "--engine", "properdocs")
    assert result.exit_code == ExitCode.OK, result.output
    assert "built the trust center into build/site" in result.output
    assert (tmp_path / "trust/build/site/guide/index.html").is_file()
    assert sorted(p.name for p in (tmp_path / "trust/build").iterdir()) == ["gap-report", "site"]


def test_properdocs_stages_its_site_inside_the_work_folder(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """The plugin inside ProperDocs stages beside the folder it is told to build into: that folder is
    in the build's work folder (`.site.engine-<pid>`), so what a killed build leaves, the next sweeps."""
    engine_or_skip("properdocs")
    repo = fixture_repo(tmp_path / "repo")
    handed: list[list[str]] = []

    def stop(command: list[str], cwd: Path, name: str) -> None:
        handed.append(command)
        raise BuildFailed("stopped before ProperDocs ran")

    monkeypatch.setattr(engines, "_run", stop)
    result = cli_build(repo, "--engine", "properdocs")
    assert "stopped before ProperDocs ran" in result.output
    [command] = handed
    site_dir = Path(command[command.index("--site-dir") + 1])
    # The plugin stages at `.site.staging-<its pid>` beside `site_dir` (output.staging_for): in the work folder.
    assert site_dir == repo / "build" / f".site.engine-{os.getpid()}" / "site"
    assert Path(command[command.index("--config-file") + 1]).is_absolute()
    assert [p.name for p in (repo / "build").glob("*")] == []  # the work folder swept


def test_a_work_folder_a_killed_build_left_is_swept(tmp_path: Path) -> None:
    """A ProperDocs build killed midway leaves `.site.engine-<pid>` holding the plugin's staging
    folder: the next build clears it, its process being gone."""
    gone = _a_finished_process()
    left = write(tmp_path / "build", f".site.engine-{gone}/.site.staging-{gone}/index.html", "<p>half</p>")
    write(tmp_path / "build", "site/index.html", "<p>the previous site</p>")
    output.sweep_stale(tmp_path / "build/site")
    assert not left.parents[1].exists()
    assert sorted(p.name for p in (tmp_path / "build").iterdir()) == ["site"]


def _a_finished_process() -> int:
    done = subprocess.Popen([sys.executable, "-c", ""])
    done.wait()
    return done.pid


def test_zensical_reads_mkdocs_yml_as_mkdocs_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """MkDocs' own YAML tags, `!relative` and `!ENV`, anywhere in mkdocs.yml: the same description on both engines."""
    engine_or_skip("zensical")
    monkeypatch.setenv("SITE_DESCRIPTION", "Described by the environment")
    repo = fixture_repo(tmp_path / "repo")
    tags = 'site_description: !ENV [SITE_DESCRIPTION, "fallback"]\nextra:\n  here: !relative $config_dir\nsite_dir:'
    edit(repo, "mkdocs.yml", "site_dir:", tags)
    described = '<meta name="description" content="Described by the environment">'
    for engine in ("zensical", "mkdocs"):
        result = cli_build(repo, "--engine", engine)
        assert result.exit_code == ExitCode.OK, result.output
        assert described in (repo / "build/site/index.html").read_text(encoding="utf-8"), engine
        assert [path for path, p in _every_file(repo / "build/site") if str(repo).encode() in p.read_bytes()] == []
