"""A requirement id in a control's or policy's `satisfies`, or in a framework's `not_applicable`, is not in that framework's catalog.

It fires for each requirement id listed under a framework in a control's or policy's `satisfies`,
and for each key of a framework's `not_applicable` in controls/program.yaml, that the framework's
catalog (shipped or custom) does not have.

The hint first asks whether the id belongs to a version the shipped catalog replaced (in any case:
`a.9.2.1` too), and says what it became there: `A.9.2.1` is an id of ISO/IEC 27001:2013 and is
`A.5.16` in ISO/IEC 27001:2022; `A.18.2.3` is now in two 2022 controls; an id of PCI DSS v3.2.1 is
named as such, and a person finds the v4.0.1 requirement it became, because no correspondence
between those two versions ships (see
[Earlier framework versions](../guide/controls-and-evidence.md#earlier-framework-versions)). For an
id under `not_applicable`, the hint says what to declare not applicable instead: `A.11.1.6` became
part of `A.7.2` with `A.11.1.2`, so declare `A.7.2` not applicable only if `A.11.1.2` does not apply
either. Only when the id is no earlier version's does the hint offer the closest current id: the
same id in another case, the id with its prefix (`5.17` -> `A.5.17`), or the nearest spelling
(`CC6.10` -> `CC6.1`). A custom catalog has no earlier versions, even when its id copies a shipped
one's.

A PCI DSS id that both v3.2.1 and v4.0.1 have (`8.1.1`, with another meaning in each) is a valid
v4.0.1 id, and this rule says nothing about it: the number alone cannot tell which version meant
it. Read such mappings against v4.0.1 when you move from v3.2.1; `plaintrust import` recognises a
whole spreadsheet column written for v3.2.1.

A mapping to an id that does not exist proves nothing: the requirement it was meant for gets no
credit in the gap report.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write the id exactly as the catalog does (`CC6.1`, `A.5.17`, `8.4.1`).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.crosswalks import shipped_id
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._mappings import mappings
from plaintrust.suggest import requirement_hint

ID = "unknown-requirement"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.program is None:
        return
    for mapped in mappings(model, _unknown):
        framework, requirement_id = mapped.framework, mapped.requirement_id
        yield mapped.where().error(ID, _message(framework, requirement_id), _hint(framework, requirement_id))
    for framework in model.program.frameworks:
        for requirement_id in framework.not_applicable:
            if requirement_id not in framework.catalog.by_id:
                where = framework.source.key_at("frameworks", framework.index, "not_applicable", requirement_id)
                hint = _hint(framework, requirement_id, exempt=True)
                yield where.error(ID, _message(framework, requirement_id), hint)


def _unknown(framework: Framework, requirement_id: str) -> bool:
    return requirement_id not in framework.catalog.by_id


def _message(framework: Framework, requirement_id: str) -> str:
    return f"{requirement_id!r} is not a requirement of {framework.catalog.name} ({framework.id})"


def _hint(framework: Framework, requirement_id: str, *, exempt: bool = False) -> str | None:
    catalog = framework.catalog
    return requirement_hint(shipped_id(catalog), catalog.by_id, requirement_id, exempt=exempt)
