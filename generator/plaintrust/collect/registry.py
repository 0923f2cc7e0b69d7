"""Finding collectors by name: the shipped ones, then those other packages publish.

Shipped collectors come from a table here, so they work even where the package's entry points are
not installed (a source checkout). Another package adds one with an entry point in the group
`plaintrust.collectors` whose value is a `Collector`; it cannot replace a shipped name. An entry
point that cannot be used (it fails to load, is not a `Collector` of its own name, has a suffix
that is not a file extension, or has a shipped name) is left out and reported by `problems()`.
"""

from __future__ import annotations

import contextlib
import importlib
import re
import sys
from functools import cache
from typing import TYPE_CHECKING

from plaintrust.collect.api import GROUP, Collector

if TYPE_CHECKING:
    from importlib.metadata import EntryPoint

SHIPPED = {
    "command": "plaintrust.collect.command",
    "file": "plaintrust.collect.file",
    "http-json": "plaintrust.collect.http_json",
    "tls-certificate": "plaintrust.collect.tls_certificate",
    "git": "plaintrust.collect.git",
}
SUFFIX = re.compile(r"\.[A-Za-z0-9]{1,16}")  # what a collector's file extension may be: .json, .txt, ...


def find(name: str) -> Collector | None:
    """The collector of that name; installed packages are looked through only for a name not shipped."""
    if name in SHIPPED:
        return _shipped(name)
    return _published()[0].get(name)


def names() -> tuple[str, ...]:
    return tuple(sorted({*SHIPPED, *_published()[0]}))


def problems() -> tuple[str, ...]:
    """Entry points that could not be used, one sentence each."""
    return _published()[1]


@cache
def _shipped(name: str) -> Collector:
    collector: Collector = importlib.import_module(SHIPPED[name]).COLLECTOR
    return collector


def entry_points(group: str) -> list[EntryPoint]:
    """The installed packages' entry points of a group: reading every package's metadata takes a
    while, so it is done only when a name is not a shipped collector's, or all are listed."""
    from importlib import metadata

    return list(metadata.entry_points(group=group))


@cache
def _published() -> tuple[dict[str, Collector], tuple[str, ...]]:
    found: dict[str, Collector] = {}
    failed: list[str] = []
    for point in sorted(entry_points(group=GROUP), key=lambda p: (p.name, p.value)):
        if point.name in found or point.value == f"{SHIPPED.get(point.name)}:COLLECTOR":
            continue  # a second entry point of one name, or Plaintrust's own for a shipped collector
        collector, problem = _load(point)
        if collector is not None:
            found[point.name] = collector
        if problem:
            failed.append(problem)
    return found, tuple(failed)


def _load(point: EntryPoint) -> tuple[Collector | None, str | None]:
    """One entry point's collector, or the sentence saying why it cannot be used."""
    where = f"{point.name!r} ({point.value})"
    if point.name in SHIPPED:
        return None, f"the entry point {where} has the name of a shipped collector: ignored"
    try:
        # What a package prints as it loads must not join `check --format json` or the evidence.
        with contextlib.redirect_stdout(sys.stderr):
            value = point.load()
    except Exception as exc:  # noqa: BLE001 - a broken plugin must not break check or collect
        return None, f"the collector {where} failed to load: {exc}"
    if not isinstance(value, Collector) or value.name != point.name:
        return None, f"the entry point {where} is not a Collector named {point.name!r}"
    if not isinstance(value.suffix, str) or not SUFFIX.fullmatch(value.suffix):
        # The suffix ends the evidence file's name: "json" or "/../x" would name another file.
        return None, f"the collector {where} has the suffix {value.suffix!r}, not a dot and 1 to 16 letters or digits"
    return value, None
