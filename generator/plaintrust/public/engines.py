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

import importlib.util
import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import yaml
from mkdocs.config.defaults import MkDocsConfig
from mkdocs.utils.yaml import yaml_load

from plaintrust import pipeline
from plaintrust.boundary import pagenames
from plaintrust.errors import BuildFailed
from plaintrust.public import docs, folder
from plaintrust.public import view as public
from plaintrust.public.plugin import base_url
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


def run_properdocs(root: Path, site: Path) -> None:
    """ProperDocs builds your mkdocs.yml, with the plugin, into `site` (an empty staging folder).
    The plugin runs `check` itself there: ProperDocs' process cannot be handed this one's result.
    Not `--quiet`: it hides the warnings from the counter of `strict: true`, which then passes them."""
    _run(
        [
            sys.executable,
            "-m",
            "properdocs",
            "build",
            "--config-file",
            str(root / "mkdocs.yml"),
            "--site-dir",
            str(site),
        ],
        root,
        "ProperDocs",
    )


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
    derived = _derived(_user_config(root), config, view, staged.nav)
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
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True, env=_environment(), check=False)
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


def _environment() -> dict[str, str]:
    """The build's own environment: SOURCE_DATE_EPOCH and the rest pass through as they are."""
    return dict(os.environ)


def _user_config(root: Path) -> dict[str, Any]:
    """mkdocs.yml as written (with what it INHERITs), read as MkDocs reads it."""
    with open(root / "mkdocs.yml", "rb") as stream:
        data = yaml_load(stream)
    return data if isinstance(data, dict) else {}


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


def _derived(raw: dict[str, Any], config: MkDocsConfig, view: public.PublicView, nav: list) -> str:
    """Zensical's configuration: yours, less what only a MkDocs build can use (see the module)."""
    derived: dict[str, Any] = {key: raw[key] for key in KEPT if key in raw}
    theme = dict(raw["theme"]) if isinstance(raw.get("theme"), dict) else {"name": raw.get("theme") or "material"}
    if theme.get("custom_dir"):
        theme["custom_dir"] = str(Path(config.config_file_path).parent / theme["custom_dir"])
    if view.logo:
        theme.setdefault("logo", view.logo)
        theme.setdefault("favicon", view.logo)
    theme.setdefault("variant", "classic")  # Material's look, as the other engines show it
    derived |= {
        "docs_dir": "docs",
        "site_dir": "site",
        "theme": theme,
        "extra_css": [pagenames.STYLES, pagenames.BRAND, *raw.get("extra_css", [])],
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
    from plaintrust.output import write_file

    for path, content in hidden.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        write_file(site / path, content.encode("utf-8") if isinstance(content, str) else content, durable=False)
    for page in sorted(site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        page.write_text(html.replace("</head>", links + "</head>", 1), encoding="utf-8")
