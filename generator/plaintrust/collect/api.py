"""The interface a collector implements, shipped or from another package.

A collector is a `Collector` value published under the entry-point group `plaintrust.collectors`
(its name there is the name `use:` takes). It runs in a child process with a minimal environment:
`collect(options, context)` returns the evidence file's bytes, or raises `CollectorFailed` with a
sentence for the compliance team. It must respect `context.timeout` for anything that waits
(sockets, subprocesses); the parent kills the process when the time is up anyway.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

GROUP = "plaintrust.collectors"
DEFAULT_TIMEOUT = 60  # seconds, when a collect block gives no `timeout:`
MAX_TIMEOUT = 600  # seconds: the longest `timeout:` a collect block may ask for (rule collect-limit)


class CollectorFailed(Exception):
    """What went wrong, as one plain sentence (it is shown with the series' name)."""


@dataclass(frozen=True)
class Context:
    root: Path  # the repository root; also the working directory
    today: dt.date  # the collection day
    covers: tuple[dt.date, dt.date] | None  # the period the record will cover; None: the day itself
    env: Mapping[str, str]  # the allowed variables only (`env:` of the collect block)
    timeout: float  # seconds the collector has in all


@dataclass(frozen=True)
class Collector:
    name: str  # what `use:` names
    summary: str  # one sentence for the documentation and `--help`
    collect: Callable[[Mapping[str, object], Context], bytes]
    # JSON Schema of `with:`. YAML gives every value as text: where this schema asks for an integer,
    # a number or a boolean, text that reads as one is converted before checking and collecting.
    options: Mapping[str, object] = field(default_factory=dict)
    # The evidence file's extension unless `output:` says otherwise: a dot and 1 to 16 letters or
    # digits; a collector with any other is not used (`registry.problems()` says why).
    suffix: str = ".json"
