"""A framework's `scope` in controls/program.yaml names a requirement group its catalog does not have.

The groups of the shipped catalogs are: SOC 2 (`soc2-2017`): `security`, `availability`,
`confidentiality`, `processing_integrity`, `privacy`. ISO/IEC 27001 (`iso27001-2022`): `clause`,
`subclause`, `organizational`, `people`, `physical`, `technological`. PCI DSS (`pci-dss-4.0.1`):
`requirements`, `appendix-a1`, `appendix-a2`, `appendix-a3`. A custom catalog has the groups it
lists under `groups`. The hint offers the closest group, or lists them all.

A misspelt group leaves the group that was meant out of scope, and the gap report drops its
requirements without anyone having decided so.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, spell the group as the catalog does.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.suggest import did_you_mean

ID = "unknown-scope-group"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for framework in model.program.frameworks:
        groups = [g.id for g in framework.catalog.groups]
        scope = framework.source.data["frameworks"][framework.index].get("scope") or []
        for index, group in enumerate(scope):
            if group not in groups:
                where = framework.source.at("frameworks", framework.index, "scope", index)
                hint = did_you_mean(group, groups) or f"groups: {', '.join(groups)}"
                yield where.error(ID, f"{framework.catalog.name} has no requirement group {group!r}", hint)
