"""An evidence record's `collect:` block names a collector that is not installed.

It fires at `collect.use` when no collector has that name: neither one Plaintrust ships (command,
file, http-json, tls-certificate, git) nor one an installed package adds (packages publish
collectors as entry points of the group `plaintrust.collectors`). `plaintrust evidence collect`
cannot collect the series until it names one that exists.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the name (the hint suggests the nearest installed one and lists them all), or
install the package that provides the collector where `plaintrust check` and `plaintrust evidence
collect` run.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.collect import registry
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import EvidenceRecord, Model
from plaintrust.suggest import did_you_mean

ID = "collect-unknown"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if not model.collecting:  # no record has a collect block: most repositories
        return
    for record in model.evidence:
        if record.collect is not None and registry.find(record.collect.use) is None:
            yield _unknown(record, record.collect.use)


def _unknown(record: EvidenceRecord, name: str) -> Diagnostic:
    installed = registry.names()
    listing = f"installed collectors: {', '.join(installed)}"
    close = did_you_mean(name, installed)
    hint = f"{close} {listing}" if close else listing
    broken = [p for p in registry.problems() if f"{name!r}" in p]  # installed, but it would not load
    message = f"collect: no collector is named {name!r}"
    return record.source.at("collect", "use").error(ID, message, broken[0] if broken else hint)
