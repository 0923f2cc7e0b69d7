"""A control's or policy's `satisfies`, or a certification, names a framework that controls/program.yaml does not declare.

It fires for each key of a control's or policy's `satisfies` that is not the `id` of one of the
`frameworks` in controls/program.yaml, and for each certification in site/trust.yaml whose
`framework` is not one. The hint offers the closest declared id, or lists them all.

A control's or policy's mapping to an undeclared framework counts nowhere in the gap report. A
certification for one is still shown to customers, but nothing in the program backs it, and
certification-gaps cannot judge it.

Severity: error for a control or policy; warning for a certification. An error makes
`plaintrust check` fail and `plaintrust build` build nothing; the warning fails them only with
`--strict`.

To fix it, correct the id, or declare the framework in controls/program.yaml.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.rules._mappings import owners
from plaintrust.suggest import did_you_mean

ID = "unknown-framework"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    declared = [entry["id"] for entry in model.program.source.data["frameworks"]]
    for owner in owners(model):
        for framework_id in owner.satisfies:
            if framework_id not in declared:
                where = owner.source.key_at("satisfies", framework_id)
                hint = did_you_mean(framework_id, declared) or f"declared: {', '.join(declared)}"
                yield where.error(ID, f"framework {framework_id!r} is not declared in controls/program.yaml", hint)
    if model.trust:
        for cert in model.trust.certifications:
            if cert.framework not in declared:
                where = model.trust.source.at("certifications", cert.index, "framework")
                yield where.warning(
                    ID,
                    f"certification names framework {cert.framework!r}, which controls/program.yaml does not declare",
                    did_you_mean(cert.framework, declared),
                )
