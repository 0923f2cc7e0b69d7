"""Requirement ids in `satisfies` and in `not_applicable` must exist in the framework's catalog.

The hint offers the closest id of that catalog, e.g. `CC6.10` -> `CC6.1`.
"""

from __future__ import annotations

from typing import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Framework, Model
from plaintrust.rules._mappings import mappings
from plaintrust.rules._suggest import did_you_mean

ID = "unknown-requirement"


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
