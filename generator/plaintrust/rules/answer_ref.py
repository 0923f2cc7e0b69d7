"""An answer's `refs` cites a question id that its standard questionnaire does not have.

It fires at each id under `refs` that the standard does not know. CAIQ v4 ids (`caiq-v4`) are
checked against the full list of its question ids that Plaintrust ships, such as `IAM-14.1`; the
hint offers the closest one. SIG Lite (`sig-lite`) and VSA (`vsa`) publish no open list of their
ids, so theirs are checked for their shape only: a SIG Lite id is a letter or short code and dotted
numbers (`A.1`, `M.1.3`); a VSA id is letters and digits separated by dots or dashes (`1.1`,
`CORE-12`).

An answer cited under a question id the questionnaire does not have would never be found when a
questionnaire is exported or filled in, and it would sit out of order.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, copy the id exactly as the questionnaire writes it, or remove it.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import questionnaires
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Answer, Model
from plaintrust.questionnaires import Standard
from plaintrust.suggest import did_you_mean

ID = "answer-ref"
READS_FILES = False

# What a standard's ids look like, in words, for a hint when no close id is found.
SHAPES = {
    "caiq-v4": "a domain and two numbers, such as IAM-14.1 or A&A-01.1",
    "sig-lite": "a letter or short code and dotted numbers, such as A.1 or M.1.3",
    "vsa": "letters and digits separated by dots or dashes, such as 1.1 or CORE-12",
}


def check(model: Model) -> Iterator[Diagnostic]:
    for answer in model.answers:
        for name, questions in answer.refs.items():
            if name in questionnaires.NAMES:  # the schema allows no other key
                yield from _unknown(answer, questionnaires.standard(name), questions)


def _unknown(answer: Answer, standard: Standard, questions: tuple[str, ...]) -> Iterator[Diagnostic]:
    for index, question in enumerate(questions):
        if not standard.known(question):
            message, hint = _described(standard, question)
            yield answer.source.at("refs", standard.id, index).error(ID, f"answer {answer.id}: {message}", hint)


def _described(standard: Standard, question: str) -> tuple[str, str]:
    shape = SHAPES.get(standard.id)
    hint = f"{standard.name} ids are {shape}" if shape else "copy the id exactly as the questionnaire writes it"
    if standard.questions is not None:
        return f"{standard.name} has no question {question!r}", did_you_mean(question, standard.questions) or hint
    return f"{question!r} is not shaped like a {standard.name} question id", hint
