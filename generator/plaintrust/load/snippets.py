"""Includes of pymdownx.snippets in your pages, checked before MkDocs runs them.

A page may include another file with `--8<-- "name"` (or a block of names between two `--8<--`
lines), which may include more in turn. A missing file (`snippet-missing`) would stop the build, or worse be left out silently;
a name that leaves the allowed folders is refused the same way. `site-layout` already keeps the
allowed folders (`base_path`) under site/. Escaped markers (`;--8<--`) are not includes.
"""

from __future__ import annotations

import posixpath
import re
from collections.abc import Iterator
from pathlib import Path

from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.load.yamlfile import decode

_INLINE = re.compile(r"""^[ \t]*-+8<-+[ \t]+(["'])(.+?)\1[ \t]*$""")
_BLOCK = re.compile(r"^[ \t]*-+8<-+[ \t]*$")
_RANGE = re.compile(r"(?i)(?::-?[0-9]*){1,2}(?:,-?[0-9]*(?::-?[0-9]*)?)*$|:[a-z][-_0-9a-z]*$")


def check(
    root: Path, pages: tuple[str, ...], base_paths: tuple[str, ...] | None, auto: tuple[str, ...] = ()
) -> list[Diagnostic]:
    """Every include of every page, of the files added to every page (`auto_append`,
    `auto_prepend`), and of every file they include, in turn."""
    if base_paths is None:
        return []
    folders = [posixpath.normpath(p) for p in base_paths]
    problems: list[Diagnostic] = []
    waiting, seen = [f"site/{page}" for page in pages], set()
    for name in auto:
        found = _found(root, folders, name)
        if found is None:
            problems.append(
                Location("mkdocs.yml").error(
                    "snippet-missing",
                    f"pymdownx.snippets adds {name!r} to every page, which is not a file under {', '.join(folders)}",
                    "check the name; includes are read only from the snippets' base_path",
                )
            )
        else:
            waiting.append(found)
    while waiting:
        rel = waiting.pop()
        if rel in seen:
            continue
        seen.add(rel)
        for line, column, name in _includes(_read(root, rel)):
            if name.startswith(("http://", "https://")):
                continue  # downloaded only with url_download, which reads nothing of the repository
            found = _found(root, folders, name)
            if found is None:
                problems.append(
                    Location(rel, line, column).error(
                        "snippet-missing",
                        f"{rel} includes {name!r}, which is not a file under {', '.join(folders)}",
                        "check the name; includes are read only from the snippets' base_path",
                    )
                )
            else:
                waiting.append(found)
    return problems


def _read(root: Path, rel: str) -> str:
    try:
        text, _problem = decode(rel, (root / rel).read_bytes())
    except OSError:
        return ""  # reported by the screen of public inputs
    return text or ""


def _includes(text: str) -> Iterator[tuple[int, int, str]]:
    in_block = False
    for number, line in enumerate(text.splitlines(), start=1):
        if _BLOCK.match(line):
            in_block = not in_block
        elif (inline := _INLINE.match(line)) is not None:
            yield number, inline.start(2) + 1, inline.group(2)
        elif in_block and line.strip():
            yield number, len(line) - len(line.lstrip()) + 1, line.strip()


def _found(root: Path, folders: list[str], name: str) -> str | None:
    """The included file, relative to the repository: as written, or without its `:lines` or `:section`."""
    candidates = [name, _RANGE.sub("", name)]
    inside = root.resolve()
    for folder in folders:
        base = (root / folder).resolve()
        if not base.is_relative_to(inside):
            continue  # never read: site-layout refuses such a base_path
        for candidate in candidates:
            target = (base / candidate).resolve()
            if target.is_relative_to(base) and target.is_file():
                return target.relative_to(inside).as_posix()
    return None
