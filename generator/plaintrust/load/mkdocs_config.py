"""Read the plaintrust plugin's options from mkdocs.yml without starting MkDocs.

mkdocs.yml may carry tags such as `!ENV` or `!!python/name:...`; they are read as plain values here
(MkDocs itself resolves them when it builds).
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import yaml

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.settings import Settings

CONFIG = "mkdocs.yml"


class _TolerantLoader(yaml.SafeLoader):
    pass


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    return loader.construct_mapping(node)


_TolerantLoader.add_multi_constructor("", _any_tag)
_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)


def read_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """The plugin's options (defaults when mkdocs.yml or the plugin entry is absent)."""
    path = root / CONFIG
    if not path.is_file():
        return Settings(), []
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(CONFIG, mark.line + 1, mark.column + 1) if mark else Location(CONFIG)
        return Settings(), [where.error("yaml-syntax", f"mkdocs.yml cannot be read: {str(exc).splitlines()[0]}")]
    try:
        settings = Settings.from_options(_plugin_options(data))
    except (TypeError, ValueError) as exc:
        return Settings(), [Location(CONFIG).error("settings", f"invalid plaintrust plugin options: {exc}")]
    site_url = data.get("site_url") if isinstance(data, dict) else None
    site_dir = data.get("site_dir") if isinstance(data, dict) else None
    docs_dir = data.get("docs_dir") if isinstance(data, dict) else None
    return dataclasses.replace(
        settings, site_configured=True, site_url=site_url if isinstance(site_url, str) else None,
        site_dir=site_dir if isinstance(site_dir, str) else Settings.site_dir,
        docs_dir=docs_dir if isinstance(docs_dir, str) else Settings.docs_dir,
    ), []


def _plugin_options(data: Any) -> dict:
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):  # MkDocs accepts plugins as a mapping too
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else ():
        if isinstance(entry, dict) and "plaintrust" in entry:
            return entry["plaintrust"] if isinstance(entry["plaintrust"], dict) else {}
    return {}


def referenced_paths(root: Path) -> list[str]:
    """Folders and files mkdocs.yml makes part of the build: the theme's custom_dir and hooks."""
    try:
        data = yaml.load((root / CONFIG).read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return []
    if not isinstance(data, dict):
        return []
    theme = data.get("theme")
    found = [theme.get("custom_dir")] if isinstance(theme, dict) else []
    hooks = data.get("hooks")
    found += hooks if isinstance(hooks, list) else []
    return [p for p in found if isinstance(p, str)]
