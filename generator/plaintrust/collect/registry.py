"""Finding collectors by name: the shipped ones, then those other packages publish.

Shipped collectors come from a table here, so they work even where the package's entry points are
not installed (a source checkout). Another package adds one with an entry point in the group
`plaintrust.collectors` whose value is a `Collector`; it cannot replace a shipped name.
"""

from __future__ import annotations

import importlib
from functools import cache
from importlib.metadata import entry_points

from plaintrust.collect.api import GROUP, Collector

SHIPPED = {
    "command": "plaintrust.collect.command",
    "file": "plaintrust.collect.file",
    "http-json": "plaintrust.collect.http_json",
    "tls-certificate": "plaintrust.collect.tls_certificate",
    "git": "plaintrust.collect.git",
}


def find(name: str) -> Collector | None:
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


@cache
def _published() -> tuple[dict[str, Collector], tuple[str, ...]]:
    found: dict[str, Collector] = {}
    failed: list[str] = []
    for point in sorted(entry_points(group=GROUP), key=lambda p: (p.name, p.value)):
        if point.name in SHIPPED or point.name in found:
            continue
        try:
            value = point.load()
        except Exception as exc:  # noqa: BLE001 - a broken plugin must not break check or collect
            failed.append(f"the collector {point.name!r} ({point.value}) failed to load: {exc}")
            continue
        if isinstance(value, Collector) and value.name == point.name:
            found[point.name] = value
        else:
            failed.append(f"the entry point {point.name!r} ({point.value}) is not a Collector named {point.name!r}")
    return found, tuple(failed)
