"""A requirement id in a control's or policy's `satisfies`, or in a framework's `not_applicable`, is not in that framework's catalog.

It fires for each requirement id listed under a framework in a control's or policy's `satisfies`,
and for each key of a framework's `not_applicable` in controls/program.yaml, that the framework's
catalog (shipped or custom) does not have. The hint offers the closest id: the same id in another case, the id with
its prefix (`5.17` -> `A.5.17`), or the nearest spelling (`CC6.10` -> `CC6.1`).

A mapping to an id that does not exist proves nothing: the requirement it was meant for gets no
credit in the gap report.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, write the id exactly as the catalog does (`CC6.1`, `A.5.17`, `8.4.1`).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._mappings import mappings
from plaintrust.suggest import did_you_mean

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
                yield where.error(ID, _message(framework, requirement_id), _hint(framework, requirement_id))


def _unknown(framework: Framework, requirement_id: str) -> bool:
    return requirement_id not in framework.catalog.by_id


def _message(framework: Framework, requirement_id: str) -> str:
    return f"{requirement_id!r} is not a requirement of {framework.catalog.name} ({framework.id})"


def _hint(framework: Framework, requirement_id: str) -> str | None:
    return did_you_mean(requirement_id, framework.catalog.by_id)
