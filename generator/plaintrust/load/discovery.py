"""Which files of a trust-center repository are read, and as what."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

YAML_SUFFIXES = (".yaml", ".yml")
PROGRAM = "controls/program.yaml"
TRUST = "site/trust.yaml"


@dataclass(frozen=True)
class Found:
    """Paths relative to the repository root, with forward slashes, sorted."""

    program: str | None
    controls: tuple[str, ...]
    evidence: tuple[str, ...]
    trust: str | None
    updates: tuple[str, ...]
    shadowed: tuple[str, ...] = ()  # a program.yml or trust.yml next to its .yaml twin
    site_pages: tuple[str, ...] = ()  # every Markdown page under site/, relative to site/


def find(root: Path) -> Found:
    controls = [p for p in walk(root, "controls", YAML_SUFFIXES) if p not in (PROGRAM, "controls/program.yml")]
    return Found(
        program=_first_existing(root, PROGRAM, "controls/program.yml"),
        controls=tuple(controls),
        evidence=tuple(walk(root, "evidence", YAML_SUFFIXES)),
        trust=_first_existing(root, TRUST, "site/trust.yml"),
        updates=tuple(p for p in walk(root, "site/updates", (".md",)) if p.count("/") == 2),
        shadowed=tuple(p for p in ("controls/program.yml", "site/trust.yml")
                       if (root / p).is_file() and (root / p).with_suffix(".yaml").is_file()),
        site_pages=tuple(p.removeprefix("site/") for p in walk(root, "site", (".md",))),
    )


def walk(root: Path, folder: str, suffixes: tuple[str, ...]) -> list[str]:
    """Files under `folder` with one of `suffixes`; hidden entries skipped; symlinked folders not followed."""
    found = []
    for directory, subdirs, files in os.walk(root / folder):
        subdirs[:] = [d for d in subdirs if not d.startswith(".")]
        rel = Path(directory).relative_to(root).as_posix()
        found.extend(f"{rel}/{name}" for name in files if name.endswith(suffixes) and not name.startswith("."))
    return sorted(found)


def _first_existing(root: Path, *candidates: str) -> str | None:
    return next((c for c in candidates if (root / c).is_file()), None)
