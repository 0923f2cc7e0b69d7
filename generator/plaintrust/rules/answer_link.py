"""An answer's `controls` or `policies` names a control or policy that does not exist.

It fires at each id in an answer's `controls` that matches no control under controls/, and at each
id in its `policies` that matches no policy under policies/. The hint offers the closest id. An id
whose file failed to load is not reported again (that file's own error is), and while any control
file (or policy file) fails to load, the answer's control ids (or policy ids) are not checked.

An answer is only as true as what it rests on: a link to nothing cannot say whether the answer
still holds, so `answer-unsupported` could not warn when it no longer does.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, correct the id, or remove it from the answer.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Answer, Model
from plaintrust.suggest import did_you_mean

ID = "answer-link"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for answer in model.answers:
        if "control" not in model.incomplete:
            yield from _unknown(answer, "controls", "control", model.controls_by_id, model)
        if "policy" not in model.incomplete:
            yield from _unknown(answer, "policies", "policy", model.policies_by_id, model)


def _unknown(answer: Answer, field: str, what: str, known: Mapping[str, object], model: Model) -> Iterator[Diagnostic]:
    for index, ident in enumerate(getattr(answer, field)):
        if ident not in known and (what, ident) not in model.broken:
            yield answer.source.at(field, index).error(
                ID,
                f"answer {answer.id} rests on {what} {ident!r}, but no {what} has that id",
                did_you_mean(ident, known),
            )
