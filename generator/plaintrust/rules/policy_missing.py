"""A requirement that calls for a policy is satisfied by no policy.

Some requirements of the shipped catalogs call for a documented policy (`policy: true` in the
catalog: SOC 2 CC5.3, ISO/IEC 27001 A.5.1, PCI DSS 12.1.1 and others). For each framework in
controls/program.yaml it fires once, at the framework's entry, listing the requirements that call
for a policy, are in scope and not declared not applicable, and that no policy under policies/ lists
in its `satisfies`, neither the requirement itself nor one of its ancestors in the catalog. A draft
counts here: the gap report says whether it is approved yet. Nothing fires while a policy file
fails to load.

An auditor asks for these policies first, and the gap report shows each of these requirements as a
gap until an approved policy satisfies it.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, add the requirement to the `satisfies` of the policy that covers it, or write that
policy. `plaintrust init` ships a starter set of policies to adapt.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model, Requirement

ID = "policy-missing"
READS_FILES = False
SHOWN = 10  # ids listed in the message; the rest are counted


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None or "policy" in model.incomplete:
        return  # a policy that failed to load may be the one that maps them: no cascade
    for framework in model.program.frameworks:
        missing = [req.id for req in framework.catalog.requirements if _needs_policy(model, framework, req)]
        if missing:
            yield framework.source.at("frameworks", framework.index).warning(
                ID,
                _message(framework.id, missing),
                "add each to the `satisfies` of the policy that covers it; `plaintrust init` ships a starter set",
            )


def _needs_policy(model: Model, framework: Framework, req: Requirement) -> bool:
    if not (req.policy and framework.catalog.is_leaf(req.id) and framework.in_scope(req)):
        return False
    return framework.declared_not_applicable(req.id) is None and not _mapped(model, framework, req)


def _mapped(model: Model, framework: Framework, req: Requirement) -> bool:
    """Whether a policy maps the requirement or one of its ancestors (as status.mapped_controls walks)."""
    current: str | None = req.id
    seen: set[str] = set()
    while current is not None and current not in seen:  # a cyclic custom catalog must not hang
        if model.requirement_policies.get((framework.id, current)):
            return True
        seen.add(current)
        parent = framework.catalog.by_id.get(current)
        current = parent.parent if parent else None
    return False


def _message(framework_id: str, missing: list[str]) -> str:
    if len(missing) == 1:
        return f"{framework_id} {missing[0]} calls for a policy, and no policy satisfies it"
    shown = ", ".join(missing[:SHOWN]) + (f" and {len(missing) - SHOWN} more" if len(missing) > SHOWN else "")
    return f"{len(missing)} {framework_id} requirements call for a policy, and no policy satisfies them: {shown}"
