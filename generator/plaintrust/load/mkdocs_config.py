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
    data = data if isinstance(data, dict) else {}
    return dataclasses.replace(
        settings, site_configured=True, site_url=_text(data.get("site_url")),
        site_dir=_text(data.get("site_dir")) or Settings.site_dir,
        docs_dir=_text(data.get("docs_dir")) or Settings.docs_dir,
        theme=_text(_theme(data).get("name")), custom_dir=_text(_theme(data).get("custom_dir")),
        hooks=tuple(h for h in data.get("hooks") or () if isinstance(h, str)) if isinstance(data.get("hooks"), list) else (),
        snippet_paths=_snippet_paths(data.get("markdown_extensions")),
    ), []


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _theme(data: dict) -> dict:
    theme = data.get("theme")
    return theme if isinstance(theme, dict) else {"name": theme} if isinstance(theme, str) else {}


SNIPPETS = "pymdownx.snippets"


def _snippet_paths(extensions: Any) -> tuple[str, ...] | None:
    """Where pymdownx.snippets may read files from (its `base_path`, "." by default), or None."""
    if isinstance(extensions, dict):
        extensions = [{name: options} for name, options in extensions.items()]
    for entry in extensions if isinstance(extensions, list) else ():
        if entry == SNIPPETS:
            return (".",)
        if isinstance(entry, dict) and SNIPPETS in entry:
            options = entry[SNIPPETS] if isinstance(entry[SNIPPETS], dict) else {}
            base = options.get("base_path", ".")
            paths = [base] if isinstance(base, str) else base if isinstance(base, list) else ["."]
            if options.get("restrict_base_path") is False:  # then any path on the machine may be included
                paths.append("/")
            return tuple(str(p) for p in paths)
    return None


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
    settings, _problems = read_settings(root)
    return [p for p in (settings.custom_dir, *settings.hooks) if p]


# Where the usual themes live, so that `check` need not ask every installed package (slow).
THEME_MODULES = {"material": "material.templates", "mkdocs": "mkdocs.themes.mkdocs", "readthedocs": "mkdocs.themes.readthedocs"}


def theme_clashes(settings: Settings, site_files: tuple[str, ...]) -> list[Diagnostic]:
    """Files of yours under site/ at the path of one of the theme's files: one replaces the other."""
    folder = _theme_folder(settings.theme) if settings.theme else None
    if folder is None:
        return []
    return [Location(f"site/{rel}").warning(
        "theme-clash", f"site/{rel} has the path of a file of the {settings.theme} theme: one of the two replaces "
        "the other on the site", "rename or move your file (to change the theme, use a custom_dir)")
        for rel in site_files if (folder / rel).is_file()]


def _theme_folder(name: str) -> Path | None:
    import importlib.util

    module = THEME_MODULES.get(name) or _theme_module(name)
    try:
        spec = importlib.util.find_spec(module) if module else None
    except (ImportError, ValueError):
        return None
    locations = list(spec.submodule_search_locations or []) if spec else []
    return Path(locations[0]) if locations else None


def _theme_module(name: str) -> str | None:
    from importlib.metadata import entry_points

    found = [ep.value for ep in entry_points(group="mkdocs.themes") if ep.name == name]
    return found[0] if found else None
