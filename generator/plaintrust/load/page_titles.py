"""The `title` of your own pages under site/, read from their front matter as MkDocs reads it.

MkDocs takes YAML front matter only between a first line `---` and a line `---` or `...`, and
types its values by YAML's usual rules: `title: 2026` is a number, `title: [a, b]` a list. The
theme prints whatever it gets, so `check` refuses anything but text (the `page-title` rule).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path

import yaml

from plaintrust.core import PageTitle
from plaintrust.load.yamlfile import decode, parse_text

# MkDocs' own pattern (mkdocs.utils.meta), on text whose line breaks are "\n" as MkDocs reads it.
_FRONT = re.compile(r"^-{3}[ \t]*\n(.*?\n)(?:\.{3}|-{3})[ \t]*\n", re.DOTALL)


def titles(root: Path, pages: Iterable[str]) -> tuple[PageTitle, ...]:
    """The titles of `pages` (relative to site/) that set one in their front matter."""
    found = (_title(page, root / "site" / page) for page in pages)
    return tuple(title for title in found if title is not None)


def _title(page: str, path: Path) -> PageTitle | None:
    try:
        text, _problem = decode(f"site/{page}", path.read_bytes())
    except OSError:  # reported where the page is screened
        return None
    front = _FRONT.match(text.replace("\r\n", "\n").replace("\r", "\n")) if text is not None else None
    if front is None:
        return None
    # Our parser first: it refuses what could hang a plain YAML load (alias bombs, deep nesting)
    # and knows every value's position.
    document = parse_text(f"site/{page}", front[1], line_offset=1).document
    if document is None or not isinstance(document.data, dict) or "title" not in document.data:
        return None
    return PageTitle(page, _typed_title(front[1], document.data["title"]), document.at("title"))


def _typed_title(matter: str, parsed: object) -> object:
    """The title as MkDocs types it (our parser keeps every scalar as text)."""
    try:
        typed = yaml.load(matter, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return parsed
    return typed.get("title") if isinstance(typed, dict) else parsed
