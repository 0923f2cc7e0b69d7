"""What `plaintrust serve` keeps from one build to the next, so that a save redoes only what it changed.

MkDocs makes a new Jinja environment for the theme on every build (and Material's search plugin
three more while it is configured), so every template is compiled again, and it lists every file
of the theme to find the static ones (Material has 14,000), putting each name through a dozen
patterns. Here the compiled templates are kept by their source's checksum, the installed theme
folders are listed once, each name's verdict of that filter is kept, and the leak guard keeps
what it found in each file of the site (see `tree.Reused`). Your custom_dir, which the preview
watches, is listed on every build, and a template of it you change is compiled again.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

import jinja2
from jinja2.bccache import Bucket
from mkdocs.structure.files import Files
from mkdocs.theme import Theme

from plaintrust.public.guard import tree

STATIC_FILTER = f"{Files.add_files_from_theme.__qualname__}.<locals>.filter"


class CompiledTemplates(jinja2.BytecodeCache):
    """Compiled templates in memory. Jinja checks each one's source against the checksum it was
    compiled from and compiles again on any change; the environment's options shape the code too,
    so they are part of the key."""

    OPTIONS = (
        *("block_start_string", "block_end_string", "variable_start_string", "variable_end_string"),
        *("comment_start_string", "comment_end_string", "line_statement_prefix", "line_comment_prefix"),
        *("trim_blocks", "lstrip_blocks", "newline_sequence", "keep_trailing_newline", "optimized"),
        *("autoescape", "finalize", "is_async"),
    )

    def __init__(self) -> None:
        self.code: dict[tuple, bytes] = {}

    def load_bytecode(self, bucket: Bucket) -> None:
        if (code := self.code.get(self._key(bucket))) is not None:
            bucket.bytecode_from_string(code)

    def dump_bytecode(self, bucket: Bucket) -> None:
        self.code[self._key(bucket)] = bucket.bytecode_to_string()

    def _key(self, bucket: Bucket) -> tuple:
        env = bucket.environment
        options = tuple(getattr(env, name) for name in self.OPTIONS)
        return (bucket.key, tuple(sorted(env.extensions)), options, _calls(env.filters), _calls(env.tests))


def _calls(functions: dict) -> tuple:
    """Which filters or tests exist and what each is passed (a context, an environment): Jinja writes
    both into the compiled code, so a hook that adds or changes one during the session recompiles."""
    return tuple(sorted((name, str(getattr(f, "jinja_pass_arg", None))) for name, f in functions.items()))


@dataclass
class Session:
    """One preview's memory: compiled templates, theme listings and their static files, the leak guard's last scan."""

    templates: CompiledTemplates = field(default_factory=CompiledTemplates)
    listings: dict[str, list[str]] = field(default_factory=dict)  # installed theme folder -> its files
    guard: tree.Reused = field(default_factory=tree.Reused)
    # (the theme's static_templates) -> name -> whether MkDocs' filter takes it as a static file
    static: dict[tuple[str, ...], dict[str, bool]] = field(default_factory=dict)

    def adopt(self, theme: Theme) -> None:
        """Every environment the theme makes from now on (MkDocs asks for one through `get_env`) takes
        its compiled templates, its listing and the filter's verdicts from this session."""
        make_env = theme.get_env

        def get_env() -> jinja2.Environment:
            env = make_env()
            env.loader = _Listed(theme.dirs, theme.custom_dir, self.listings)
            env.bytecode_cache = self.templates
            env.list_templates = self._filtered(env, theme)  # type: ignore[method-assign]
            return env

        theme.get_env = get_env  # type: ignore[method-assign]

    def _filtered(self, env: jinja2.Environment, theme: Theme) -> Callable[..., list[str]]:
        """`env.list_templates`, keeping each name's verdict of MkDocs' filter for static files. That
        filter (`Files.add_files_from_theme`) looks only at the name, MkDocs' own list of Markdown
        extensions and the theme's static_templates; any other filter is asked every time."""
        list_templates = env.list_templates

        def filtered(extensions: list[str] | None = None, filter_func: Callable | None = None) -> list[str]:
            if extensions is not None or getattr(filter_func, "__qualname__", None) != STATIC_FILTER:
                return list_templates(extensions, filter_func)
            assert filter_func is not None and env.loader is not None
            taken = self.static.setdefault(tuple(sorted(theme.static_templates)), {})
            names = env.loader.list_templates()
            for name in names:
                if name not in taken:
                    taken[name] = filter_func(name)
            return [name for name in names if taken[name]]

        return filtered


class _Listed(jinja2.FileSystemLoader):
    """MkDocs' loader of the theme's folders, with the listing of each installed one kept in `listings`."""

    def __init__(self, dirs: list[str], custom_dir: str | None, listings: dict[str, list[str]]) -> None:
        super().__init__(dirs)
        self.custom_dir, self.listings = custom_dir, listings

    def list_templates(self) -> list[str]:
        found: set[str] = set()
        for folder in self.searchpath:
            listed = self.listings.get(folder) if folder != self.custom_dir else None
            if listed is None:
                listed = jinja2.FileSystemLoader(folder).list_templates()
                if folder != self.custom_dir:
                    self.listings[folder] = listed
            found.update(listed)
        return sorted(found)
