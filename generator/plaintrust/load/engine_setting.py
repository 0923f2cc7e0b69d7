"""The site generator a repository names outside mkdocs.yml: `engine` in plaintrust.toml, else in
pyproject.toml's `[tool.plaintrust]` table (mkdocs.yml's plugin option comes first; see
`mkdocs_config.read_settings`). A wrong value is an error where it is written, as in mkdocs.yml;
a key Plaintrust does not know is a warning, with the one it likely means.

plaintrust.toml is Plaintrust's own: one that cannot be read is an error. pyproject.toml belongs
to every tool of the repository: one that cannot be read is a warning, and the engine MkDocs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from plaintrust.diagnostics import Diagnostic, Location, Severity
from plaintrust.settings import BY_NAME

RULE = "settings"
KEYS = ("engine",)  # what plaintrust.toml and [tool.plaintrust] may hold
_AT = re.compile(r"at line (\d+), column (\d+)")


@dataclass(frozen=True)
class Place:
    name: str  # the file
    keys: tuple[str, ...]  # the table Plaintrust's settings sit in
    severity: Severity  # of a file that cannot be read


PLACES = (
    Place("plaintrust.toml", (), Severity.ERROR),
    Place("pyproject.toml", ("tool", "plaintrust"), Severity.WARNING),
)


def read(root: Path) -> tuple[str | None, str | None, list[Diagnostic]]:
    """(engine, the file that names it, problems); (None, None, ...) when neither names one."""
    problems: list[Diagnostic] = []
    for place in PLACES:
        if not (root / place.name).is_file():
            continue
        text, table, unreadable = _parsed(root / place.name, place)
        if unreadable is not None:
            return None, None, [*problems, unreadable]
        problems += _unknown(place, text, table)
        if table.get("engine") is None:
            continue
        try:
            return BY_NAME["engine"].parse(table["engine"]), place.name, problems
        except ValueError as exc:
            where = Location(place.name, *_position(text, place, "engine"))
            return None, None, [*problems, where.error(RULE, f"invalid `engine` in {place.name}: it {exc}")]
    return None, None, problems


def _parsed(path: Path, place: Place) -> tuple[str, dict[str, Any], Diagnostic | None]:
    """The file's text and Plaintrust's table in it ({} when there is none), or why it cannot be read."""
    try:
        text = path.read_text(encoding="utf-8")
        table: Any = tomllib.loads(text)
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        at = _AT.search(str(exc))
        where = Location(place.name, int(at[1]), int(at[2])) if at else Location(place.name)
        said = f"{place.name} cannot be read, so the site's engine is unknown: {exc}"
        return "", {}, Diagnostic(where.path, where.line, where.col, place.severity, RULE, said)
    for key in place.keys:
        table = table.get(key) if isinstance(table, dict) else None
    return text, table if isinstance(table, dict) else {}, None


def _unknown(place: Place, text: str, table: dict[str, Any]) -> list[Diagnostic]:
    from plaintrust.suggest import did_you_mean

    table_name = ".".join(place.keys) or place.name
    return [
        Location(place.name, *_position(text, place, key)).warning(
            RULE,
            f"{table_name} has no setting {key!r}; it is ignored",
            did_you_mean(key, KEYS),
        )
        for key in table
        if key not in KEYS
    ]


def _position(text: str, place: Place, key: str) -> tuple[int, int]:
    """Where `key = ...` is written in Plaintrust's table (a dotted `plaintrust.key` under `[tool]`
    too); (1, 1) when it cannot be told."""
    header = "[" + ".".join(place.keys) + "]" if place.keys else None
    plain, dotted = re.compile(rf"{re.escape(key)}\s*="), re.compile(rf"plaintrust\s*\.\s*{re.escape(key)}\s*=")
    pattern: re.Pattern[str] | None = None if place.keys else plain  # plaintrust.toml's: before any table
    for number, line in enumerate(text.splitlines(), 1):
        code = line.split("#", 1)[0].strip()
        if code.startswith("["):
            bare = re.sub(r"\s+", "", code)
            pattern = plain if bare == header else dotted if place.keys and bare == "[tool]" else None
        elif pattern is not None and pattern.match(code):
            return number, len(line) - len(line.lstrip()) + 1
    return 1, 1
