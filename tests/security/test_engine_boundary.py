"""The boundary on the Zensical path, where Plaintrust renders your site/ pages itself (Zensical runs
no MkDocs plugin): every case is held to what the MkDocs path does with the same input.

Raw HTML, event handlers and `javascript:` links never reach a page, nor does text a dropped tag
held become Markdown again, nor a relative link a link of another kind once said from the page's
source; a title with markup is escaped; a code sample keeps its words; of the theme's folder only
what MkDocs publishes is published. An internal value, a symbolic link out of site/ or a page in a
generated one's place is refused by `check` before any engine runs; no engine builds from a result
`check` failed; and what `check` never saw (laid after it ran) each path stops itself (its own
refusal, or the leak guard over its finished tree).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from click.testing import CliRunner

from helpers import BASE, build_case, edit, site_snapshot, write
from optional_engines import engine_or_skip
from plaintrust import cli, pipeline
from plaintrust.errors import BuildFailed, ExitCode
from plaintrust.public import sitebuild

ENGINES = ("mkdocs", "zensical")
ALL_ENGINES = ("mkdocs", "properdocs", "zensical")
OWNER = "it-security@test.example"  # the owner of the base case's control: internal
# The site as if served from a sub-folder (GitHub Pages), where a `../` too many leaves it.
SERVED_AT = "https://trust.invalid/a/sub/folder/"
HOST = "trust.invalid"

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

# Text a dropped tag (<form>) held is left outside any element by cleaning: Markdown, if read again.
FORM = """\
# Form

<form action="https://evil.example/">
[x](javascript:alert(1))

[y](https://example.com){: onmouseover="alert(1)" }
</form>

After the form.
"""
# Relative links that a `../` less would make a `javascript:` link or a link to another host.
RELATIVE = "# Relative\n\n[a](../javascript:alert(1))\n\n[b](..///evil.example)\n\n[c](../evil:alert(1))\n"
NOTICE = """\
---
title: A notice
status: resolved
severity: low
published: 2026-10-01T10:00:00Z
updated: 2026-10-02T10:00:00Z
affected: Nobody.
---

## Resolution

Read [this](../javascript:alert(2)) and [that](..///evil2.example).
"""
CODE = 'Show the badge:\n\n```html\n<img src="badge.svg">\n```\n\n    <img src="badge2.svg"> indented\n'
SAMPLES = ('<img src="badge.svg">', '<img src="badge2.svg"> indented')
# A theme folder as people keep them: MkDocs publishes only extra.css of it (main.html is a template).
THEME_FOLDER = {
    "README.md": "# Our theme\n",
    "helper.py": "WORDS = 1\n",
    ".env": "TOKEN=not-for-the-site\n",
    "mkdocs_theme.yml": "# nothing here\n",
    "extra.css": "body { margin: 0; }\n",
    "main.html": '{% extends "base.html" %}{% block announce %}Override-marker-42{% endblock %}',
}


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


def lay_markup(repo: Path) -> None:
    """Every page above, a notice, and the theme folder, in the base case; `check` passes them all."""
    for path, text in {
        "site/guide.md": MARKUP,
        "site/form.md": FORM,
        "site/relative.md": RELATIVE,
        "site/code.md": f"# Code\n\n{CODE}",
        "site/updates/2026-10-01-notice.md": NOTICE,
        **{f"overrides/{name}": text for name, text in THEME_FOLDER.items()},
    }.items():
        write(repo, path, text)
    edit(repo, "mkdocs.yml", "  name: material\n", "  name: material\n  custom_dir: overrides\n")


@pytest.fixture(scope="module")
def markup_site(tmp_path_factory: pytest.TempPathFactory) -> Callable[[str], dict[str, bytes]]:
    """engine -> the base case with the pages of `lay_markup`, built once per engine: its files and bytes."""
    done: dict[str, dict[str, bytes]] = {}

    def get(engine: str) -> dict[str, bytes]:
        engine_or_skip(engine)
        if engine not in done:
            repo = build_case(BASE, tmp_path_factory.mktemp(f"markup-{engine}") / "repo")
            lay_markup(repo)
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


class Attributes(HTMLParser):
    """Every attribute of every tag of a whole file, the theme's layout too."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found += [(tag, name, value or "") for name, value in attrs]


def attributes(published: dict[str, bytes]) -> list[tuple[str, str, str, str]]:
    """(page, tag, attribute, value) of every HTML file."""
    found = []
    for path, data in published.items():
        if path.endswith(".html"):
            parser = Attributes()
            parser.feed(data.decode())
            found += [(path, *attribute) for attribute in parser.found]
    return found


class Words(Tags):
    """The words of the page's own content, as a reader sees them."""

    def __init__(self) -> None:
        super().__init__()
        self.words: list[str] = []

    def handle_data(self, data: str) -> None:
        self.words += data.split() if self.depth else []


def main_words(published: dict[str, bytes], page: str) -> list[str]:
    words = Words()
    words.feed(published[page].decode())
    assert words.words, page
    return words.words


@pytest.mark.parametrize("engine", ENGINES)
def test_text_a_dropped_tag_held_is_never_read_as_markdown_again(markup_site, engine: str) -> None:
    """Cleaning drops <form> and keeps its text: on Zensical, which reads every page as Markdown,
    that text must stay text, as on MkDocs (no link, no attribute made of it)."""
    published = markup_site(engine)
    every = attributes(published)
    assert [a for a in every if a[2].startswith("on")] == []
    assert [a for a in every if a[2] in ("href", "src") and urlsplit(a[3].strip()).scheme.lower() == "javascript"] == []
    words = main_words(published, "form/index.html")
    assert "[x](javascript:alert(1))" in words and "After" in words
    assert words == main_words(markup_site("mkdocs"), "form/index.html")


@pytest.mark.parametrize("engine", ENGINES)
def test_a_relative_link_never_becomes_a_link_of_another_kind(markup_site, engine: str) -> None:
    """`../javascript:x` less its `../` is a script; `..///evil.example` less it, another host. On a
    page of yours and in a notice's body, where relative links are allowed."""
    published = markup_site(engine)
    assert [path for path, data in published.items() if b'href="javascript:' in data.lower()] == []
    for page in ("relative/index.html", "updates/2026-10-01-notice/index.html"):
        address = urljoin(SERVED_AT, page.removesuffix("index.html"))
        hrefs = planted_links(published, page)
        assert len(hrefs) == (3 if page.startswith("relative") else 2), hrefs
        assert [h for h in hrefs if urlsplit(urljoin(address, h)).netloc != HOST] == [], page
        assert [h for h in hrefs if urlsplit(h).scheme or h.startswith("//")] == [], page


def planted_links(published: dict[str, bytes], page: str) -> list[str]:
    """The hrefs of `page` that RELATIVE and NOTICE planted."""
    every = attributes({page: published[page]})
    return [a[3] for a in every if a[1:3] == ("a", "href") and ("evil" in a[3] or "javascript" in a[3])]


def test_a_relative_link_to_no_page_leads_where_it_leads_on_mkdocs(markup_site) -> None:
    """Kept as written rather than made a script, the link still leads where MkDocs' does, seen from
    a site served at a sub-folder (GitHub Pages)."""
    for page in ("relative/index.html", "updates/2026-10-01-notice/index.html"):
        address = urljoin(SERVED_AT, page.removesuffix("index.html"))
        targets = {
            engine: [urljoin(address, h) for h in planted_links(markup_site(engine), page)] for engine in ENGINES
        }
        assert targets["zensical"] == targets["mkdocs"], page


@pytest.mark.parametrize("engine", ENGINES)
def test_a_code_sample_keeps_its_words(markup_site, engine: str) -> None:
    """`src="badge.svg"` in a code block is text, not a link to say from the page's source."""
    code = Code()
    code.feed(markup_site(engine)["code/index.html"].decode())
    assert [sample.strip() for sample in code.samples] == list(SAMPLES)


class Code(HTMLParser):
    """The text of each <pre><code> block, as a reader sees it."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.opened = ""  # the last start tag
        self.inside = False
        self.samples: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "code" and self.opened == "pre":
            self.inside = True
            self.samples.append("")
        self.opened = tag

    def handle_endtag(self, tag: str) -> None:
        self.inside = self.inside and tag != "code"

    def handle_data(self, data: str) -> None:
        if self.inside:
            self.samples[-1] += data


@pytest.mark.parametrize("engine", ENGINES)
def test_only_what_mkdocs_publishes_of_the_theme_folder_is_published(markup_site, engine: str) -> None:
    """No README, Python, dotted file or theme configuration of your custom_dir on the site; your
    stylesheet is, and your template override still shows."""
    published = markup_site(engine)
    assert {name for name in THEME_FOLDER if name in published} == {"extra.css"}
    assert published["extra.css"] == THEME_FOLDER["extra.css"].encode()
    assert "Override-marker-42" in published["index.html"].decode()
    leftovers = [text.encode() for name, text in THEME_FOLDER.items() if name not in ("extra.css", "main.html")]
    assert [path for path, data in published.items() if any(left in data for left in leftovers)] == []


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
     "site/certifications.md clashes with a "),
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


def raw_html(repo: Path) -> None:
    """An HTML file of site/, which every engine publishes as it is."""
    write(repo, "site/raw.html", "<p>Hello</p><script>alert('pwned-raw-html')</script>")


FAILED = [*((lay, said) for lay, said, _ in REFUSED), (raw_html, "error [active-content] site/raw.html is HTML")]


@pytest.mark.parametrize("engine", ALL_ENGINES)
@pytest.mark.parametrize(("lay", "said"), FAILED, ids=[lay.__name__ for lay, _ in FAILED])
def test_no_engine_builds_from_a_result_check_failed(base_repo: Path, engine: str, lay, said: str) -> None:
    """Handed a result with errors (as if a caller had not looked), the build path itself refuses it,
    whatever the engine: nothing runs, nothing is published."""
    engine_or_skip(engine)
    lay(base_repo)
    result = pipeline.run(base_repo)
    assert result.failed()
    with pytest.raises(BuildFailed, match="plaintrust found problems; nothing was built") as refused:
        sitebuild.build_site(base_repo, result, engine=engine)
    assert said in str(refused.value)
    assert [p.name for p in (base_repo / "build").glob("*")] == []  # no site, no staging or work folder


@pytest.mark.parametrize("engine", ENGINES)
@pytest.mark.parametrize(("lay", "_", "said"), REFUSED, ids=[lay.__name__ for lay, _, _ in REFUSED])
def test_what_check_never_saw_is_stopped_all_the_same(base_repo: Path, engine: str, lay, _, said: str) -> None:
    """Laid after `check` passed (so its verdict never covered it): the page, the copy or the
    theme's override is stopped by the path itself, its own refusal or the leak guard over the
    finished tree, on Zensical as on MkDocs."""
    engine_or_skip(engine)
    result = pipeline.run(base_repo)
    assert not result.failed()
    lay(base_repo)
    with pytest.raises(BuildFailed, match=r"nothing was published|the previous one is untouched") as refused:
        sitebuild.build_site(base_repo, result, engine=engine)
    assert said in str(refused.value)
    assert [p.name for p in (base_repo / "build").glob("*")] == []
