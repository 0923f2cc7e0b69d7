"""The site generators `plaintrust build` can hand the trust center to, and how each is run.

- **mkdocs** (the default): MkDocs 1.x in this process, with the plugin (`sitebuild`).
- **properdocs**: ProperDocs, the community continuation of MkDocs 1.x, in a process of its own
  (it aliases every `mkdocs` import to itself, so it cannot share this one). It runs the same
  plugin, unchanged, with your mkdocs.yml: your hooks and other plugins run as under MkDocs.
- **zensical**: Zensical runs no MkDocs plugin, so it is given a finished staging docs folder
  (`folder`) and a configuration made for it from yours: the site's names and URL, the theme and
  its palette, `extra`, your styles and scripts, the navigation. Markdown extensions, hooks and
  other plugins are not carried over: the pages are already HTML.

Each engine writes into a folder of its own; `sitebuild` judges the result with the leak guard and
`build` swaps it in together with the gap report, whatever the engine.
"""

from __future__ import annotations

import fnmatch
import importlib.util
import os
import re
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import get_yaml_loader, yaml_load

from plaintrust import pipeline
from plaintrust.boundary import pagenames
from plaintrust.errors import BuildFailed
from plaintrust.output import write_file
from plaintrust.public import docs, folder
from plaintrust.public import view as public
from plaintrust.public.buildrules import base_url
from plaintrust.settings import Settings

DEFAULT = "mkdocs"


@dataclass(frozen=True)
class Choice:
    engine: str
    source: str  # where it was named: "--engine", "mkdocs.yml", "plaintrust.toml", "pyproject.toml" or "default"


def choose(settings: Settings, given: str | None) -> Choice:
    """The engine of this build: `--engine`, else mkdocs.yml's plugin option, else plaintrust.toml's
    `engine`, else pyproject.toml's `[tool.plaintrust] engine` (`check` read and checked those),
    else MkDocs."""
    if given is not None:
        return Choice(given, "--engine")
    if settings.engine is not None:
        return Choice(settings.engine, settings.engine_source or "mkdocs.yml")
    return Choice(DEFAULT, "default")


def missing(engine: str) -> str | None:
    """Why `engine` cannot run here (None: it can), with the command that installs it."""
    if importlib.util.find_spec(engine) is None:
        return f"{engine} is not installed: pip install 'plaintrust[{engine}]'"
    return None


def require(choice: Choice) -> None:
    """BuildFailed, before anything is written, when the chosen engine is not installed."""
    if (why := missing(choice.engine)) is not None:
        named = "" if choice.source == "default" else f" (named by {choice.source})"
        raise BuildFailed(f"cannot build with {choice.engine}{named}: {why}")


def left_out(choice: Choice, settings: Settings) -> str | None:
    """What of mkdocs.yml the chosen engine will not run, said before the build (None: nothing)."""
    if choice.engine != "zensical" or not settings.hooks:
        return None
    return f"note: Zensical runs no hook; left out of this build: {', '.join(settings.hooks)}"


def run_properdocs(root: Path, work: Path) -> Path:
    """ProperDocs builds your mkdocs.yml, with the plugin, into `work/site`, which it returns. The
    plugin runs `check` itself there (ProperDocs' process cannot be handed this one's result) and
    stages its site beside that folder: inside `work`, so a build killed midway leaves nothing that
    the next one does not sweep away."""
    site = work / "site"
    config = root.resolve() / "mkdocs.yml"
    _run(
        [sys.executable, "-m", "properdocs", "build", "--config-file", str(config), "--site-dir", str(site)],
        root,
        "ProperDocs",
    )
    return site


@dataclass(frozen=True)
class Prepared:
    """A staging docs folder and the configuration made for it, ready for Zensical."""

    work: Path  # holds mkdocs.yml, docs/ and, once built, site/
    hidden: dict[str, str | bytes]  # what the finished site gets besides (see `folder`)
    links: str  # the feeds' links for every page's head


def prepare_zensical(root: Path, result: pipeline.Result, config: MkDocsConfig, work: Path) -> Prepared:
    """The staging docs folder (`folder`) and Zensical's configuration, in `work` (an empty folder):
    Zensical wants both folders beside its configuration, and keeps a cache in the folder it runs
    in, so nothing is written into the repository."""
    view = public.build(result.model)
    base = base_url(config)
    staged = folder.write(work / "docs", config, view, base, result.model.settings.navigation)
    raw = _user_config(config)
    derived = _derived(raw, _theme(raw, config, view, work), staged.nav)
    (work / "mkdocs.yml").write_text(derived, encoding="utf-8")
    return Prepared(work, staged.hidden, docs.feed_links(view, base))


def run_zensical(prepared: Prepared, strict: bool) -> Path:
    """Zensical builds the prepared folder into `work/site`, which it returns finished."""
    command = [sys.executable, "-m", "zensical", "build", "--config-file", str(prepared.work / "mkdocs.yml")]
    _run([*command, *(["--strict"] if strict else [])], prepared.work, "Zensical")
    site = prepared.work / "site"
    _finish(site, prepared.hidden, prepared.links)
    return site


def _run(command: list[str], cwd: Path, name: str) -> None:
    """`command` to its end; BuildFailed with what it said, when it fails. The environment passes
    through as it is: SOURCE_DATE_EPOCH makes the engine's dates the build's own."""
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        said = [*_said(done.stderr), *_said(done.stdout)]
        raise BuildFailed(
            f"{name} stopped (exit {done.returncode}); the previous site is untouched:\n"
            + "\n".join(f"  {line}" for line in said[-20:])
        )


# Zensical colours its messages even into a pipe, and stops a strict build with a traceback.
_COLOUR = re.compile(r"\x1b\[[0-9;]*m")
_TRACEBACK = "Traceback (most recent call last):"


def _said(stream: str) -> list[str]:
    """A stream's lines, less colour codes and a traceback's frames (its last line says what stopped)."""
    lines = [line for line in _COLOUR.sub("", stream).splitlines() if line.strip()]
    if _TRACEBACK in lines:
        lines = [*lines[: lines.index(_TRACEBACK)], lines[-1]]
    return lines


def _user_config(config: MkDocsConfig) -> dict[str, Any]:
    """mkdocs.yml as written (with what it INHERITs), read as MkDocs reads it: its tags too."""
    with open(config.config_file_path, "rb") as stream:
        data = yaml_load(stream, get_yaml_loader(config=config))
    return _plain(data) if isinstance(data, dict) else {}


def _plain(value: Any) -> Any:
    """`value` as YAML can write it: a path MkDocs' `!relative` names as its text."""
    if isinstance(value, dict):
        return {str(k): _plain(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_plain(v) for v in value]
    if value is None or isinstance(value, (str, int, float, bool)):
        return value
    return os.fspath(value) if isinstance(value, os.PathLike) else str(value)


# What the configuration made for Zensical keeps of yours, as written.
KEPT = (
    "site_name",
    "site_url",
    "site_description",
    "site_author",
    "copyright",
    "repo_url",
    "repo_name",
    "edit_uri",
    "use_directory_urls",
    "extra",
    "extra_javascript",
)
# What MkDocs never copies from a theme's folder into a site; Zensical would (its templates, *.html, it reads).
NOT_THEME_FILES = (".*", "*.py", "*.pyc", "*readme*", "mkdocs_theme.yml")


def _theme(raw: dict[str, Any], config: MkDocsConfig, view: public.PublicView, work: Path) -> dict[str, Any]:
    """Your theme's settings, with the brand's logo where you set none and Material's look
    (`variant: classic`) unless you chose another; your `custom_dir` copied into `work` without
    what MkDocs would leave out of a site."""
    theme = dict(raw["theme"]) if isinstance(raw.get("theme"), dict) else {"name": raw.get("theme") or "material"}
    if config.theme.custom_dir:
        shutil.copytree(config.theme.custom_dir, work / "overrides", ignore=_not_theme_files)
        theme["custom_dir"] = "overrides"
    if view.logo:
        theme.setdefault("logo", view.logo)
        theme.setdefault("favicon", view.logo)
    theme.setdefault("variant", "classic")
    return theme


def _not_theme_files(folder: str, names: list[str]) -> set[str]:
    return {name for name in names if any(fnmatch.fnmatch(name.lower(), p) for p in NOT_THEME_FILES)}


def _derived(raw: dict[str, Any], theme: dict[str, Any], nav: list) -> str:
    """Zensical's configuration: yours, less what only a MkDocs build can use (see the module).
    `markdown_extensions` is empty: the pages are finished HTML, and Zensical's own default
    extensions must not read anything in them as Markdown again."""
    derived: dict[str, Any] = {key: raw[key] for key in KEPT if key in raw}
    extra_css = raw.get("extra_css")
    extra_css = extra_css if isinstance(extra_css, list) else []
    derived |= {
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": theme,
        "extra_css": [pagenames.STYLES, pagenames.BRAND, *extra_css],
        "markdown_extensions": [],
        "plugins": ["search"] if _has_search(raw) else [],
        "nav": nav,
    }
    return yaml.safe_dump(derived, sort_keys=False, allow_unicode=True)


def _has_search(raw: dict[str, Any]) -> bool:
    listed = raw.get("plugins") or []
    names = listed if isinstance(listed, list) else list(listed)
    return any(name == "search" or (isinstance(name, dict) and "search" in name) for name in names)


def _finish(site: Path, hidden: dict[str, str | bytes], links: str) -> None:
    """What the plugin adds inside a MkDocs build: the dotted files, and the feeds in every page's head."""
    for path, content in hidden.items():
        write_file(site / path, content.encode("utf-8") if isinstance(content, str) else content, durable=False)
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("</head>", links + "</head>", 1), encoding="utf-8")
