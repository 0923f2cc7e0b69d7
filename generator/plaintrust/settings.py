"""Options that live in mkdocs.yml under `plugins: - plaintrust:` and matter to `check` as well as to the site."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Settings:
    min_reading_ease: float = 50.0  # Flesch Reading Ease: higher is easier
    max_grade: float = 10.0  # Flesch-Kincaid grade level: lower is easier
    # Words never held against a summary's readability (acronyms are counted out anyway).
    plain_words: tuple[str, ...] = ()
    site_configured: bool = False  # mkdocs.yml exists
    plugin_listed: bool = False  # mkdocs.yml lists the plaintrust plugin (or could not be read: its error says why)
    plugin_enabled: bool = True  # not turned off by MkDocs' `enabled: false`
    plugins_line: int | None = None  # the line of mkdocs.yml's `plugins:` when the plugin is not listed there or is off
    site_url: str | None = None
    site_dir: str = "site"  # MkDocs' default when mkdocs.yml does not say
    docs_dir: str = "docs"  # likewise
    theme: str | None = None  # the theme's name
    # Paths mkdocs.yml makes part of the build, as written: the theme's custom_dir, hooks, and the
    # folders pymdownx.snippets may include files from (None: the extension is not used).
    custom_dir: str | None = None
    hooks: tuple[str, ...] = ()
    snippet_paths: tuple[str, ...] | None = None
    snippet_auto: tuple[str, ...] = ()  # files pymdownx.snippets adds to every page
    inherited: tuple[str, ...] = ()  # files mkdocs.yml INHERITs, in order
    shown_texts: tuple[tuple[str, str], ...] = ()  # (where, text) a theme prints unescaped

    @classmethod
    def from_options(cls, options: dict) -> "Settings":
        known = {k: options[k] for k in ("min_reading_ease", "max_grade") if k in options}
        words = tuple(options.get("plain_words") or ())
        return cls(**{k: float(v) for k, v in known.items()}, plain_words=words)
