"""Two answers cite the same question of a standard questionnaire and answer it differently.

It fires at the question id in `refs` of the later answer (by file path, then order in the file)
when an earlier answer cites the same id of the same standard with another `answer` (one says
`yes`, the other `partial`, say). Answers that agree may share a question: the first fills it when
a questionnaire is exported or filled in.

A questionnaire has one answer per question: with two that disagree, which one a customer gets
would depend on file names.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, make the two answers agree, or cite the question from one of them only.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import answers
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "answer-conflict"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for conflict in answers.conflicts(model.answers):
        first, second = conflict.first, conflict.second
        index = second.refs[conflict.standard].index(conflict.question)
        yield second.source.at("refs", conflict.standard, index).error(
            ID,
            f"answer {second.id} says {second.answer} to {conflict.standard} {conflict.question}, "
            f"but answer {first.id} ({first.source.path}) says {first.answer}",
            f"make the two answers agree, or cite {conflict.question} from one of them only",
        )
