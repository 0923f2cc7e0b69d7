"""The site generator a repository names outside mkdocs.yml: `engine` in plaintrust.toml, else in
pyproject.toml's `[tool.plaintrust]` table (mkdocs.yml's plugin option comes first; see
`mkdocs_config.read_settings`). A wrong value is an error where it is written, as in mkdocs.yml.
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.settings import BY_NAME

RULE = "settings"
# The file, the table `engine` sits in, and the line that opens that table.
FILES = (("plaintrust.toml", (), None), ("pyproject.toml", ("tool", "plaintrust"), "[tool.plaintrust]"))
_AT = re.compile(r"at line (\d+), column (\d+)")


def read(root: Path) -> tuple[str | None, str | None, list[Diagnostic]]:
    """(engine, the file that names it, problems); (None, None, ...) when neither names one."""
    for name, keys, header in FILES:
        path = root / name
        if not path.is_file():
            continue
        text, data, problem = _parsed(path, name)
        if problem is not None:
            return None, None, [problem]
        value = _value(data, keys)
        if value is None:
            continue
        try:
            return BY_NAME["engine"].parse(value), name, []
        except ValueError as exc:
            where = Location(name, _line(text, header))
            return None, None, [where.error(RULE, f"invalid `engine` in {name}: it {exc}")]
    return None, None, []


def _parsed(path: Path, name: str) -> tuple[str, dict[str, Any], Diagnostic | None]:
    try:
        text = path.read_text(encoding="utf-8")
        return text, tomllib.loads(text), None
    except (OSError, UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        at = _AT.search(str(exc))
        where = Location(name, int(at[1]), int(at[2])) if at else Location(name)
        return "", {}, where.error(RULE, f"{name} cannot be read, so the site's engine is unknown: {exc}")


def _value(table: Any, keys: tuple[str, ...]) -> Any:
    for key in keys:
        table = table.get(key) if isinstance(table, dict) else None
    return table.get("engine") if isinstance(table, dict) else None


def _line(text: str, header: str | None) -> int:
    """The line of `engine = ...` (inside `header`'s table, when given); 1 when it cannot be told."""
    inside = header is None
    for number, line in enumerate(text.splitlines(), 1):
        stripped = line.strip()
        if stripped.startswith("["):
            inside = stripped == header  # plaintrust.toml's `engine` is before any table
        elif inside and re.match(r"engine\s*=", stripped):
            return number
    return 1
