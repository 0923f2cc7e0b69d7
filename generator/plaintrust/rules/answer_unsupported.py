"""An answer claims more than the controls and policies it rests on show today.

It compares an answer with the derived status of each control in its `controls` and the state of
each policy in its `policies`. A `yes` needs every linked control verified (shown as "Implemented"
on the trust center: implemented, with current evidence) and every linked policy in force
(approved, in effect, its review not overdue and its text unchanged since the approval). A
`partial` needs every linked control at least under way (not "Not in place") and no linked policy
a draft. A `no` or `n/a` claims nothing and is never flagged. Ids that name nothing are
`answer-link`'s business, and a control whose evidence record failed to load is not judged until
that record's own error is fixed. The message says why, as the trust center does for the practice:
"AC-09 is in progress", "AC-01's evidence failed its integrity check", "LM-05's evidence is overdue since
2026-12-01", "policy access-control's approval is not on record".

A questionnaire answered "yes" on the strength of a control whose evidence has lapsed tells a
customer something the repository no longer shows. The FAQ shows a public answer that does not
hold with a caveat, and `plaintrust answers fill` lists such answers under "check these before
sending".

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, bring the control's evidence (or the policy's approval) up to date, or change the answer
to `partial` or `no` and say why in its explanation.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import answers
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "answer-unsupported"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for answer in model.answers:
        short = answers.support(answer, model).short
        if short:
            yield answer.source.at("answer").warning(
                ID,
                f"answer {answer.id} says {answer.answer}, but {_listed(short)}",
                _hint(answer.answer),
            )


def _listed(phrases: tuple[str, ...]) -> str:
    """The phrases as a sentence lists them: "a", "a and b", "a, b and c"."""
    return " and ".join((", ".join(phrases[:-1]), phrases[-1])) if len(phrases) > 1 else phrases[0]


def _hint(said: str) -> str:
    lower = "`partial` or `no`" if said == "yes" else "`no`"
    return (
        "bring what it rests on up to date (a control's status and evidence, a policy's approval), "
        f"or change the answer to {lower} and say why in its explanation"
    )
