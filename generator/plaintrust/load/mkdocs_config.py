"""Read the plaintrust plugin's options from mkdocs.yml without starting MkDocs.

`!ENV` values are resolved as MkDocs resolves them (the first variable that is set, else the
default); other tags such as `!!python/name:...` are read as plain values here.
"""

from __future__ import annotations

import dataclasses
import os
import posixpath
from pathlib import Path
from typing import Any, Iterator

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


def _env_tag(loader: yaml.SafeLoader, node: yaml.Node) -> Any:
    """`!ENV VAR` or `!ENV [VAR, OTHER, default]`, as MkDocs reads it (yaml_env_tag): the first variable
    that is set, its value typed as YAML types a plain value, else the default (None without one)."""
    if not isinstance(node, (yaml.ScalarNode, yaml.SequenceNode)):
        return _any_tag(loader, "", node)  # MkDocs refuses it; its own error says so at build time
    names = node.value if isinstance(node, yaml.SequenceNode) else [node]
    default = loader.construct_object(names[-1]) if len(names) > 1 else None
    for name in names[:-1] if len(names) > 1 else names:
        value = os.environ.get(str(loader.construct_scalar(name)))
        if value is not None:
            return loader.construct_object(yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, (True, False)), value))
    return default


_TolerantLoader.add_multi_constructor("", _any_tag)
_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)
_TolerantLoader.add_constructor("!ENV", _env_tag)


# mkdocs.yml exists but its settings could not be used: the defaults, and no second error about
# the plugin on top of the one that says why.
_UNREAD = Settings(plugin_listed=True)


def read_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """The plugin's options (defaults when mkdocs.yml or the plugin entry is absent)."""
    if not (root / CONFIG).is_file():
        return Settings(), []
    try:
        data, inherited = _load(root, CONFIG, [])
    except _Unreadable as exc:
        return _UNREAD, [exc.diagnostic]
    try:
        settings = Settings.from_options(_plugin_options(data))
        enabled = _enabled(_plugin_options(data))
    except (TypeError, ValueError) as exc:
        return _UNREAD, [Location(CONFIG).error("settings", f"invalid plaintrust plugin options: {exc}")]
    hooks = data.get("hooks")
    snippets = _snippets(data.get("markdown_extensions"))
    listed = _plugin_entry(data) is not None
    return dataclasses.replace(
        settings, site_configured=True, plugin_listed=listed, plugin_enabled=enabled,
        plugins_line=None if listed and enabled else _key_line(root / CONFIG, "plugins"),
        site_url=_text(data.get("site_url")),
        site_dir=_text(data.get("site_dir")) or Settings.site_dir,
        docs_dir=_text(data.get("docs_dir")) or Settings.docs_dir,
        theme=_text(_theme(data).get("name")), custom_dir=_text(_theme(data).get("custom_dir")),
        hooks=tuple(h for h in hooks if isinstance(h, str)) if isinstance(hooks, list) else (),
        snippet_paths=snippets[0] if snippets else None, snippet_auto=snippets[1] if snippets else (),
        inherited=tuple(inherited), shown_texts=tuple(_shown_texts(data)),
    ), []


class _Unreadable(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic


def _load(root: Path, rel: str, inherited: list[str]) -> tuple[dict, list[str]]:
    """mkdocs.yml as MkDocs reads it: a file it INHERITs from first, this one merged over it."""
    try:
        data = yaml.load((root / rel).read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError) as exc:
        mark = getattr(exc, "problem_mark", None)
        where = Location(rel, mark.line + 1, mark.column + 1) if mark else Location(rel)
        raise _Unreadable(where.error("yaml-syntax", f"{rel} cannot be read: {str(exc).splitlines()[0]}")) from exc
    data = data if isinstance(data, dict) else {}
    parent = data.pop("INHERIT", None)
    if not isinstance(parent, str):
        return data, inherited
    base = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parent))
    if base.startswith("..") or posixpath.isabs(base) or base in inherited or len(inherited) == 8 \
            or not Path(os.path.realpath(root / base)).is_relative_to(root.resolve()):
        raise _Unreadable(Location(rel).error("site-layout", f"{rel} INHERITs {parent!r}: it must be a file inside the "
                                              "repository, inherited once", "keep the configuration in the repository"))
    inherited.append(base)
    return _merged(_load(root, base, inherited)[0], data), inherited


def _merged(parent: dict, child: dict) -> dict:
    """MkDocs' merge: mappings merge key by key, anything else the child gives replaces the parent's."""
    merged = dict(parent)
    for key, value in child.items():
        both = isinstance(value, dict) and isinstance(parent.get(key), dict)
        merged[key] = _merged(parent[key], value) if both else value
    return merged


def _shown_texts(data: dict) -> Iterator[tuple[str, str]]:
    """(where, text) for what themes print as it is, unescaped: names, copyright, nav titles, `extra`."""
    for key in ("site_name", "site_description", "site_author", "copyright"):
        if isinstance(data.get(key), str):
            yield key, data[key]
    yield from _strings("nav", data.get("nav"), keys=True)
    yield from _strings("extra", data.get("extra"), keys=False)


def _strings(where: str, value: Any, keys: bool) -> Iterator[tuple[str, str]]:
    if isinstance(value, str) and not keys:
        yield where, value
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _strings(f"{where}[{index}]", item, keys)
    elif isinstance(value, dict):
        for key, item in value.items():
            if keys and isinstance(key, str):
                yield where, key
            yield from _strings(f"{where}.{key}", item, keys)


def _text(value: Any) -> str | None:
    return value if isinstance(value, str) else None


def _theme(data: dict) -> dict:
    theme = data.get("theme")
    return theme if isinstance(theme, dict) else {"name": theme} if isinstance(theme, str) else {}


SNIPPETS = "pymdownx.snippets"


def _snippets(extensions: Any) -> tuple[tuple[str, ...], tuple[str, ...]] | None:
    """Where pymdownx.snippets may read files from (its `base_path`, "." by default; "/" too unless
    `restrict_base_path` is plainly true) and what it adds to every page (`auto_append`,
    `auto_prepend`); None when the extension is not used."""
    if isinstance(extensions, dict):
        extensions = [{name: options} for name, options in extensions.items()]
    for entry in extensions if isinstance(extensions, list) else ():
        name, options = (entry, {}) if isinstance(entry, str) else next(iter(entry.items()), ("", {})) \
            if isinstance(entry, dict) else ("", {})
        if str(name).split(":")[0] == SNIPPETS:  # also `pymdownx.snippets:SnippetExtension`
            return _snippet_options(options if isinstance(options, dict) else {})
    return None


def _snippet_options(options: dict) -> tuple[tuple[str, ...], tuple[str, ...]]:
    base = options.get("base_path", ".")
    paths = [base] if isinstance(base, str) else list(base) if isinstance(base, list) else ["."]
    if options.get("restrict_base_path", True) is not True:  # "no", 0, false: any path on the machine
        paths.append("/")
    auto = [*(options.get("auto_append") or ()), *(options.get("auto_prepend") or ())]
    return tuple(str(p) for p in paths), tuple(str(a) for a in auto)


def _plugin_options(data: Any) -> dict:
    return _plugin_entry(data) or {}


# As mkdocs.yml may name the plugin: a leading "/" tells MkDocs not to look for a theme's own plugin first.
PLUGIN_NAMES = ("plaintrust", "/plaintrust")


def _plugin_entry(data: Any) -> dict | None:
    """The plaintrust plugin's options ({} when listed without any); None when `plugins` does not list it."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):  # MkDocs accepts plugins as a mapping too
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else ():
        if entry in PLUGIN_NAMES:
            return {}
        name = next((n for n in PLUGIN_NAMES if n in entry), None) if isinstance(entry, dict) else None
        if name is not None:
            return entry[name] if isinstance(entry[name], dict) else {}
    return None


def _enabled(options: dict) -> bool:
    """MkDocs' `enabled` option, which every plugin has: when false, MkDocs skips the plugin."""
    enabled = options.get("enabled", True)
    if enabled is None:  # MkDocs refuses it too
        raise ValueError("`enabled` is empty (as an `!ENV` whose variable is not set and that has no default): "
                         "it must be true or false")
    if not isinstance(enabled, bool):
        raise TypeError(f"`enabled` must be true or false, not {enabled!r}")
    return enabled


def _key_line(path: Path, key: str) -> int | None:
    """The line of the top-level `key:` of the YAML file at `path`, None when it has none. Only
    asked when something there is wrong, so the file is composed again rather than on every run."""
    try:
        node = yaml.compose(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return None
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return next((k.start_mark.line + 1 for k, _value in pairs if getattr(k, "value", None) == key), None)


def referenced_paths(root: Path) -> list[str]:
    """Folders and files mkdocs.yml makes part of the build: the theme's custom_dir, hooks, the files it INHERITs."""
    settings, _problems = read_settings(root)
    return [p for p in (settings.custom_dir, *settings.hooks, *settings.inherited) if p]


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
