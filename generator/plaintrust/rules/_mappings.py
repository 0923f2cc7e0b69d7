"""Every (control or policy, framework, requirement) mapping of `satisfies`, for the rules that check them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import NamedTuple

from plaintrust.diagnostics import Location
from plaintrust.model import Control, Framework, Model, Policy


class Mapping(NamedTuple):  # a tuple, not a dataclass: there is one per mapping, tens of thousands
    owner: Control | Policy  # whose `satisfies` holds the mapping
    framework: Framework
    position: int  # in the owner's list, for the diagnostic (`index` would hide tuple.index)
    requirement_id: str

    def where(self) -> Location:
        return self.owner.source.at("satisfies", self.framework.id, self.position)


def mappings(model: Model, flagged: Callable[[Framework, str], bool]) -> Iterator[Mapping]:
    """Mappings to declared frameworks (undeclared ones are unknown-framework's business) for which
    `flagged(framework, requirement_id)` holds.

    `flagged` is asked once per distinct requirement, not once per mapping: 10,000 controls make
    about 70,000 mappings of a few hundred requirements, and almost none of them are flagged.
    """
    if model.program is None:
        return
    frameworks = {f.id: f for f in model.program.frameworks}
    verdicts: dict[str, dict[str, bool]] = {framework_id: {} for framework_id in frameworks}
    for owner in owners(model):
        for framework_id, requirement_ids in owner.satisfies.items():
            framework = frameworks.get(framework_id)
            if framework is None:
                continue
            known = verdicts[framework_id]
            for index, requirement_id in enumerate(requirement_ids):
                verdict = known.get(requirement_id)
                if verdict is None:
                    verdict = known[requirement_id] = flagged(framework, requirement_id)
                if verdict:
                    yield Mapping(owner, framework, index, requirement_id)


def owners(model: Model) -> Iterator[Control | Policy]:
    """Whatever has a `satisfies`: the controls, then the policies."""
    yield from model.controls
    yield from model.policies
