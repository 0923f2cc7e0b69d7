"""Every (control, framework, requirement) mapping of `satisfies`, for the rules that check them."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Iterator

from plaintrust.diagnostics import Location
from plaintrust.model import Control, Framework, Model


@dataclass(frozen=True)
class Mapping:
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
    for control in model.controls:
        for framework_id, requirement_ids in control.satisfies.items():
            framework = model.program.framework(framework_id)
            if framework is not None:
                for index, requirement_id in enumerate(requirement_ids):
                    yield Mapping(control, framework, index, requirement_id)
