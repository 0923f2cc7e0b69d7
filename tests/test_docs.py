"""The documentation: the site under docs/ builds strictly (no broken link or anchor), its generated
reference covers every rule, command, schema and plugin option, its commands paste and run, and the
README stays a short page whose links lead somewhere."""

from __future__ import annotations

import html
import re
import shlex
import tempfile
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import unquote, urlsplit

import click
import pytest

from plaintrust import cli, rules, schemas
from plaintrust.public.plugin import PlaintrustConfig
from plaintrust.settings import OPTIONS

ROOT = Path(__file__).parents[1]
DOCS = ROOT / "docs"
README = (ROOT / "README.md").read_text(encoding="utf-8")
MARKDOWN_LINK = re.compile(r"\]\(([^)\s]+)\)")
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.S | re.M)
HREF = re.compile(r"""(?:href|src)="([^"]*)\"""")


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The documentation built once, as `make docs` builds it: strict, so any warning fails it."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    out = tmp_path_factory.mktemp("docs")
    with pytest.MonkeyPatch.context() as env:
        env.setenv("NO_MKDOCS_2_WARNING", "1")
        build(load_config(config_file=str(DOCS / "mkdocs.yml"), strict=True, site_dir=str(out)))
    return out


def _page(site: Path, name: str) -> str:
    return (site / name / "index.html").read_text(encoding="utf-8")


def _commands(command: click.Command, path: str) -> Iterator[tuple[str, click.Command]]:
    yield path, command
    if isinstance(command, click.Group):
        for name, sub in command.commands.items():
            yield from _commands(sub, f"{path} {name}")


def test_the_docs_build_strictly(site: Path) -> None:
    assert (site / "index.html").is_file() and (site / "reference" / "cli" / "index.html").is_file()


def test_no_built_page_links_to_a_missing_file_or_anchor(site: Path) -> None:
    broken = []
    for page in site.rglob("*.html"):
        for link in HREF.findall(page.read_text(encoding="utf-8")):
            target, anchor = _resolve(page, html.unescape(link))
            if target is None:
                continue
            if not target.is_file():
                broken.append(f"{page.relative_to(site)} -> {link}")
            elif anchor and target.suffix == ".html" and f'id="{anchor}"' not in target.read_text(encoding="utf-8"):
                broken.append(f"{page.relative_to(site)} -> {link} (no such anchor)")
    assert broken == []


def _resolve(page: Path, link: str) -> tuple[Path | None, str]:
    """The file a relative link in `page` leads to, and its anchor; None for other links (absolute
    paths too: only the theme's 404 page has them, and strict MkDocs refuses them in a page)."""
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or link.startswith(("#", "/")) or not parts.path:
        return None, ""
    target = (page.parent / unquote(parts.path)).resolve()
    return (target / "index.html" if parts.path.endswith("/") or target.is_dir() else target), parts.fragment


def test_the_readme_links_point_at_files_that_exist() -> None:
    links = [link for link in MARKDOWN_LINK.findall(README) if not urlsplit(link).scheme]
    assert links, "the README links into the documentation"
    missing = [link for link in links if not (ROOT / unquote(link.split("#")[0])).exists()]
    assert missing == []


def test_every_rule_has_its_anchor_in_the_rules_reference(site: Path) -> None:
    page = _page(site, "reference/rules")
    missing = [rule for rule, _ in rules.documentation() if f'id="{rule}"' not in page]
    assert missing == []
    assert all(f'id="{rule.ID}"' in page for rule in rules.ALL)


def test_every_audit_package_finding_has_its_anchor_in_the_rules_reference(site: Path) -> None:
    from plaintrust.internal.auditpkg.verify import FINDINGS

    page = _page(site, "reference/rules")
    assert 'id="audit-package-verification"' in page
    assert [finding for finding in FINDINGS if f'id="{finding}"' not in page] == []


def test_every_command_and_subcommand_is_in_the_cli_reference(site: Path) -> None:
    page = html.unescape(_page(site, "reference/cli"))
    paths = [path for path, _ in _commands(cli.cli, "plaintrust")]
    assert len(paths) > len(cli.cli.commands)
    missing = [path for path in paths if f'id="{path.replace(" ", "-")}"' not in page or path not in page]
    assert missing == []


def test_every_option_is_in_the_cli_reference(site: Path) -> None:
    page = html.unescape(_page(site, "reference/cli"))
    options = {
        opt
        for _, command in _commands(cli.cli, "plaintrust")
        for p in command.params
        if isinstance(p, click.Option) and not p.hidden
        for opt in p.opts
    }
    assert sorted(opt for opt in options if f"<code>{opt}</code>" not in page) == []


def test_every_schema_is_in_the_schema_reference(site: Path) -> None:
    page = _page(site, "reference/schemas")
    for kind in (*schemas.KINDS, *schemas.OUTPUTS):
        assert f'id="{kind}"' in page and f"plaintrust-{kind}.schema.json" in page, kind
    assert "public.summary" in page and "files[].sha256" in page  # nested fields are walked


def test_every_plugin_option_has_a_description_in_the_plugin_reference(site: Path) -> None:
    names = [name for name, _ in PlaintrustConfig._schema]
    assert names == [option.name for option in OPTIONS] and all(option.description for option in OPTIONS)
    page = _page(site, "reference/plugin")
    assert all(f"<code>{name}</code>" in page for name in names)


def test_every_shipped_collector_and_its_options_are_in_the_collectors_reference(site: Path) -> None:
    from plaintrust.collect import registry

    page = _page(site, "reference/collectors")
    for name in registry.SHIPPED:
        collector = registry.find(name)
        assert collector is not None and f'id="{name}"' in page, name
        options = collector.options.get("properties", {})
        assert options and all(f"<code>{option}</code>" in page for option in options), name


def test_every_sample_was_run_and_every_include_found(site: Path) -> None:
    built = "".join(p.read_text(encoding="utf-8") for p in site.rglob("*.html"))
    assert not re.search(r"<!-- (run|include|modules):", built)  # a marker left is an HTML comment
    check = html.unescape(_page(site, "guide/check"))
    assert re.search(r"controls/\S+\.yaml:\d+:\d+: error \[\S+\]", check)


def test_the_architecture_page_lists_every_package_and_module(site: Path) -> None:
    """Its tables come from the docstrings: every package has its heading, every module (rules aside) its row."""
    page = html.unescape(_page(site, "contributing/architecture"))
    code = ROOT / "generator" / "plaintrust"
    packages = [init.parent for init in code.rglob("__init__.py")]
    assert len(packages) > 5
    for package in packages:
        name = code.name if package == code else package.relative_to(code).as_posix()
        assert f"<code>{name}/</code>" in page, name
        # A rule module is in the rules reference instead; the rules' shared helpers (`_*.py`) are here.
        listed = [
            m.name
            for m in package.glob("*.py")
            if m.name != "__init__.py" and (name != "rules" or m.name.startswith("_"))
        ]
        assert [m for m in listed if f"<code>{m}</code>" not in page] == [], name


def test_no_path_of_this_machine_is_in_the_docs(site: Path) -> None:
    here = [str(ROOT), str(Path(tempfile.gettempdir())) + "/"]
    sources = [p for p in DOCS.rglob("*") if p.is_file() and "__pycache__" not in p.parts]
    pages = list(site.rglob("*.html"))
    found = [
        str(p) for p in (*sources, *pages) if any(h in p.read_text(encoding="utf-8", errors="replace") for h in here)
    ]
    assert found == []


def _sh_commands() -> Iterator[tuple[str, str]]:
    """Each command line of every `sh` block in the README and the docs, continuations joined."""
    for source in (ROOT / "README.md", *sorted((DOCS / "content").rglob("*.md"))):
        for block in SH_BLOCK.findall(source.read_text(encoding="utf-8")):
            yield from ((source.name, line) for line in block.replace("\\\n", " ").splitlines() if line.strip())


def test_sample_commands_paste_and_run() -> None:
    """No `[OPTIONAL]` synopses or dangling continuations; every plaintrust command and option exists."""
    bad = []
    for source, line in _sh_commands():
        words = shlex.split(line, comments=True)
        if line.rstrip().endswith("\\") or (words and words[0] == "plaintrust" and not _is_real(words[1:])):
            bad.append(f"{source}: {line}")
    assert bad == []


def _is_real(words: list[str]) -> bool:
    command: click.Command = cli.cli
    while isinstance(command, click.Group) and words and not words[0].startswith("-"):
        command = command.commands.get(words.pop(0))
        if command is None:
            return False
    known = {"-h", "--help", *(o for p in command.params for o in (*p.opts, *p.secondary_opts))}
    options = [w.split("=")[0] for w in words if w.startswith("-") and w != "-"]
    return all(o in known for o in options) and not any(w.startswith("[") for w in words)


def test_the_readme_is_short_and_names_every_command() -> None:
    assert len(README.encode("utf-8")) <= 12 * 1024
    missing = [name for name in cli.cli.commands if f"plaintrust {name}" not in README]
    assert missing == []


def test_every_rule_module_has_an_id_and_documentation() -> None:
    for rule in rules.ALL:
        assert rule.ID and rule.__doc__ and len(rule.__doc__.strip()) > 40, rule.__name__
