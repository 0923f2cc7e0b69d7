"""A control's `satisfies` may only name frameworks declared in controls/program.yaml.

A certification in site/trust.yaml naming an undeclared framework is a warning: the certificate
is shown, but nothing in the program backs it.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.rules._suggest import did_you_mean

ID = "unknown-framework"


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    declared = [entry["id"] for entry in model.program.source.data["frameworks"]]
    for control in model.controls:
        for framework_id in control.satisfies:
            if framework_id not in declared:
                where = control.source.key_at("satisfies", framework_id)
                hint = did_you_mean(framework_id, declared) or f"declared: {', '.join(declared)}"
                yield where.error(ID, f"framework {framework_id!r} is not declared in controls/program.yaml", hint)
    if model.trust:
        for cert in model.trust.certifications:
            if cert.framework not in declared:
                where = model.trust.source.at("certifications", cert.index, "framework")
                yield where.warning(ID, f"certification names framework {cert.framework!r}, which controls/program.yaml does not declare",
                                    did_you_mean(cert.framework, declared))
