"""Read the plaintrust plugin's options from mkdocs.yml without starting MkDocs.

`!ENV` values are resolved as MkDocs resolves them (the first variable that is set, else the
default); other tags such as `!!python/name:...` are read as plain values here. Each option is
checked as the plugin checks it, by its declaration in `settings.OPTIONS`: a wrong value is an
error at its position (and its default is used), a key the plugin does not have a warning.
"""

from __future__ import annotations

import os
import posixpath
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import yaml

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load import engine_setting
from plaintrust.settings import BY_NAME, ENABLED, Settings, shown, unknown

CONFIG = "mkdocs.yml"
RULE = "settings"


class _TolerantLoader(yaml.SafeLoader):
    pass


def _any_tag(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> Any:
    if isinstance(node, yaml.ScalarNode):
        return loader.construct_scalar(node)
    if isinstance(node, yaml.SequenceNode):
        return loader.construct_sequence(node)
    assert isinstance(node, yaml.MappingNode)  # YAML has no fourth kind of node
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
            return loader.construct_object(
                yaml.ScalarNode(loader.resolve(yaml.ScalarNode, value, (True, False)), value)
            )
    return default


_TolerantLoader.add_multi_constructor("", _any_tag)
_TolerantLoader.add_multi_constructor("!", _any_tag)
_TolerantLoader.add_multi_constructor("tag:yaml.org,2002:python/", _any_tag)
_TolerantLoader.add_constructor("!ENV", _env_tag)


# mkdocs.yml exists but could not be read: the defaults, and no second error about the plugin on
# top of the one that says why.
_UNREAD = Settings(plugin_listed=True)


def read_settings(root: Path) -> tuple[Settings, list[Diagnostic]]:
    """The plugin's options (defaults when mkdocs.yml or the plugin entry is absent)."""
    if not (root / CONFIG).is_file():
        return Settings(), []
    try:
        data, inherited = _load(root, CONFIG, [])
    except _Unreadable as exc:
        return _UNREAD, [exc.diagnostic]
    entry = _plugin_entry(data)
    options, problems = _options(root, [CONFIG, *inherited], entry)
    enabled = options.pop(ENABLED, True)
    source: str | None = CONFIG
    if options.get("engine") is None:  # not named in mkdocs.yml: plaintrust.toml or pyproject.toml may
        options["engine"], source, elsewhere = engine_setting.read(root)
        problems += elsewhere
    hooks = data.get("hooks")
    snippets = _snippets(data.get("markdown_extensions"))
    listed = entry is not None
    return Settings(
        **options,
        engine_source=source if options["engine"] else None,
        site_configured=True,
        plugin_listed=listed,
        plugin_enabled=enabled,
        plugins_line=None if listed and enabled else _key_line(root / CONFIG, "plugins"),
        site_url=_text(data.get("site_url")),
        site_dir=_text(data.get("site_dir")) or Settings.site_dir,
        docs_dir=_text(data.get("docs_dir")) or Settings.docs_dir,
        theme=_text(_theme(data).get("name")),
        custom_dir=_text(_theme(data).get("custom_dir")),
        hooks=tuple(h for h in hooks if isinstance(h, str)) if isinstance(hooks, list) else (),
        snippet_paths=snippets[0] if snippets else None,
        snippet_auto=snippets[1] if snippets else (),
        inherited=tuple(inherited),
        exclude_docs=_text(data.get("exclude_docs")),
        draft_docs=_text(data.get("draft_docs")),
        shown_texts=tuple(_shown_texts(data)),
        directory_urls=data.get("use_directory_urls") is not False,
    ), problems


def _options(root: Path, files: list[str], given: Any) -> tuple[dict[str, Any], list[Diagnostic]]:
    """The plugin's options as the plugin reads them (`given`: as mkdocs.yml writes them): each
    declared one parsed by its declaration, a wrong one left at its default with an error where it
    is written; `enabled` as MkDocs reads it; any other key a warning."""
    if not isinstance(given, dict):  # MkDocs takes no options (null) as none
        return {}, [] if given is None else [
            _where(root, files, None, value=True).error(
                RULE, f"invalid plaintrust plugin options: they must be a mapping of option: value, not {shown(given)}"
            )
        ]
    values, problems = {}, []
    for name, value in given.items():
        if name != ENABLED and name not in BY_NAME:
            problems.append(_where(root, files, name).warning(RULE, *unknown(str(name))))
            continue
        try:
            values[name] = _enabled(value) if name == ENABLED else BY_NAME[name].parse(value)
        except ValueError as exc:
            problems.append(
                _where(root, files, name, value=True).error(RULE, f"invalid plaintrust plugin options: `{name}` {exc}")
            )
    return values, problems


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
    if (
        base.startswith("..")
        or posixpath.isabs(base)
        or base in inherited
        or len(inherited) == 8
        or not Path(os.path.realpath(root / base)).is_relative_to(root.resolve())
    ):
        raise _Unreadable(
            Location(rel).error(
                "site-layout",
                f"{rel} INHERITs {parent!r}: it must be a file inside the repository, inherited once",
                "keep the configuration in the repository",
            )
        )
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
        name, options = (
            (entry, {})
            if isinstance(entry, str)
            else next(iter(entry.items()), ("", {}))
            if isinstance(entry, dict)
            else ("", {})
        )
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


# As mkdocs.yml may name the plugin: a leading "/" tells MkDocs not to look for a theme's own plugin first.
PLUGIN_NAMES = ("plaintrust", "/plaintrust")


def _plugin_entry(data: Any) -> Any:
    """The plaintrust plugin's options as written ({} when listed as a name alone); None when
    `plugins` does not list it."""
    plugins = data.get("plugins") if isinstance(data, dict) else None
    if isinstance(plugins, dict):  # MkDocs accepts plugins as a mapping too
        plugins = [{name: options} for name, options in plugins.items()]
    for entry in plugins if isinstance(plugins, list) else ():
        if entry in PLUGIN_NAMES:
            return {}
        name = next((n for n in PLUGIN_NAMES if n in entry), None) if isinstance(entry, dict) else None
        if name is not None:
            return {} if entry[name] is None else entry[name]
    return None


def _enabled(value: Any) -> bool:
    """MkDocs' `enabled` option, which every plugin has: when false, MkDocs skips the plugin."""
    if value is None:  # MkDocs refuses it too
        raise ValueError(
            "is empty (as an `!ENV` whose variable is not set and that has no default): it must be true or false"
        )
    if not isinstance(value, bool):
        raise ValueError(f"must be true or false, not {shown(value)}")
    return value


# Where a problem is: the YAML files are composed again only then, rather than on every run.


def _compose(path: Path) -> yaml.Node | None:
    try:
        return yaml.compose(path.read_text(encoding="utf-8"), Loader=_TolerantLoader)
    except (yaml.YAMLError, UnicodeDecodeError, OSError):
        return None


def _pair(node: yaml.Node | None, names: tuple[str, ...]) -> tuple[yaml.Node, yaml.Node] | None:
    """The (key, value) nodes of the first key of mapping `node` among `names`."""
    pairs = node.value if isinstance(node, yaml.MappingNode) else []
    return next(((k, v) for k, v in pairs if isinstance(k, yaml.ScalarNode) and k.value in names), None)


def _key_line(path: Path, key: str) -> int | None:
    """The line of the top-level `key:` of the YAML file at `path`, None when it has none."""
    found = _pair(_compose(path), (key,))
    return found[0].start_mark.line + 1 if found else None


def _where(root: Path, files: list[str], name: Any, value: bool = False) -> Location:
    """Where the plugin's option `name` is written (its key; with `value`, its value), in the first of
    `files` (mkdocs.yml, then those it INHERITs) that sets it; name None: the plugin's options."""
    for rel in files:
        plugins = _pair(_compose(root / rel), ("plugins",))
        listed = plugins[1] if plugins else None
        for entry in listed.value if isinstance(listed, yaml.SequenceNode) else [listed]:  # or a mapping
            found = _pair(entry, PLUGIN_NAMES)
            found = found if found is None or name is None else _pair(found[1], (str(name),))
            if found is not None:
                mark = found[1 if value else 0].start_mark
                return Location(rel, mark.line + 1, mark.column + 1)
    return Location(CONFIG)


def referenced_paths(root: Path) -> list[str]:
    """Folders and files mkdocs.yml makes part of the build: the theme's custom_dir, hooks, the files it INHERITs."""
    settings, _problems = read_settings(root)
    return [p for p in (settings.custom_dir, *settings.hooks, *settings.inherited) if p]


# Where the usual themes live, so that `check` need not ask every installed package (slow).
THEME_MODULES = {
    "material": "material.templates",
    "mkdocs": "mkdocs.themes.mkdocs",
    "readthedocs": "mkdocs.themes.readthedocs",
}


def theme_clashes(settings: Settings, site_files: tuple[str, ...]) -> list[Diagnostic]:
    """Files of yours under site/ at the path of one of the theme's files: one replaces the other."""
    folder = _theme_folder(settings.theme) if settings.theme else None
    if folder is None:
        return []
    return [
        Location(f"site/{rel}").warning(
            "theme-clash",
            f"site/{rel} has the path of a file of the {settings.theme} theme: one of the two replaces "
            "the other on the site",
            "rename or move your file (to change the theme, use a custom_dir)",
        )
        for rel in site_files
        if (folder / rel).is_file()
    ]


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
