"""Every (control, framework, requirement) mapping of `satisfies`, for the rules that check them."""

from __future__ import annotations

from typing import Iterator, NamedTuple

from plaintrust.diagnostics import Location
from plaintrust.model import Control, Framework, Model


class Mapping(NamedTuple):  # a tuple, not a dataclass: there is one per mapping, tens of thousands
    control: Control
    framework: Framework
    index: int  # position in the control's list, for the diagnostic
    requirement_id: str

    def where(self) -> Location:
        return self.control.source.at("satisfies", self.framework.id, self.index)


def mappings(model: Model) -> Iterator[Mapping]:
    """Mappings to declared frameworks only (undeclared ones are unknown-framework's business)."""
    if model.program is None:
        return
    frameworks = {f.id: f for f in model.program.frameworks}
    for control in model.controls:
        for framework_id, requirement_ids in control.satisfies.items():
            framework = frameworks.get(framework_id)
            if framework is not None:
                for index, requirement_id in enumerate(requirement_ids):
                    yield Mapping(control, framework, index, requirement_id)
