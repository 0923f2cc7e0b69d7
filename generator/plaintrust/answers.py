"""What an answer of the questionnaire library rests on, and whether it still holds on a given day.

Every layer takes its judgement from here: the rules (`answer-unsupported`, `answer-review-overdue`,
`answer-conflict`), the public FAQ, the exports and a filled questionnaire's report, so a "yes"
that the evidence no longer backs reads the same everywhere.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from plaintrust import policies
from plaintrust.evidence.states import stale_on
from plaintrust.model import Answer, Model
from plaintrust.policies import PolicyState
from plaintrust.status import PublicStatus, evidence_health, public_status

# Who may read an answer outside the company: the site shows public ones in full and lists nda ones
# by their question; exports and filled questionnaires carry both. Internal ones never leave.
SHARED = ("public", "nda")
ANSWERS = ("yes", "no", "partial", "n/a")


@dataclass(frozen=True)
class Support:
    """The derived status of what an answer links, and what falls short of its answer."""

    controls: tuple[tuple[str, PublicStatus], ...]  # every linked control that exists, with the site's status
    policies: tuple[tuple[str, PolicyState], ...]  # every linked policy that exists, with its state
    short: tuple[str, ...]  # what does not back the answer, in words: "AC-09 is in progress"

    @property
    def supported(self) -> bool:
        return not self.short


def support(answer: Answer, model: Model) -> Support:
    """A `yes` needs every linked control verified (the site's "Implemented") and every linked policy
    in force; a `partial` needs each linked control at least under way and no policy a draft; `no`
    and `n/a` claim nothing. Ids that name nothing are `answer-link`'s business, not counted here."""
    controls = tuple(
        (c, public_status(model.controls_by_id[c], evidence_health(model, model.controls_by_id[c])))
        for c in answer.controls
        if c in model.controls_by_id
    )
    states = tuple(
        (p, policies.state(model.policies_by_id[p], model)) for p in answer.policies if p in model.policies_by_id
    )
    short = [f"{c} is {_STATUS_WORDS[s]}" for c, s in controls if not _backs(answer.answer, s)]
    short += [f"policy {p} is {_POLICY_WORDS[s]}" for p, s in states if not _policy_backs(answer.answer, s)]
    return Support(controls, states, tuple(short))


def _backs(answer: str, status: PublicStatus) -> bool:
    if answer == "yes":
        return status is PublicStatus.IMPLEMENTED
    return answer != "partial" or status is not PublicStatus.NOT_IN_PLACE


def _policy_backs(answer: str, state: PolicyState) -> bool:
    if answer == "yes":
        return state.proves
    return answer != "partial" or state is not PolicyState.DRAFT


_STATUS_WORDS = {
    PublicStatus.IMPLEMENTED: "verified",
    PublicStatus.UNDER_REVIEW: "implemented but its evidence is not current",
    PublicStatus.IN_PROGRESS: "in progress",
    PublicStatus.NOT_IN_PLACE: "not in place",
}
_POLICY_WORDS = {
    PolicyState.DRAFT: "a draft",
    PolicyState.UPCOMING: "not yet in effect",
    PolicyState.CURRENT: "current",
    PolicyState.DUE: "due for review",
    PolicyState.OVERDUE: "overdue for review",
    PolicyState.CHANGED: "changed since its approval",
}


def review_due(answer: Answer, model: Model) -> dt.date:
    """The first day the answer is overdue for review: `reviewed_on` plus the `answer_review` period."""
    return stale_on(answer.reviewed_on, model.settings.answer_review)


def review_overdue(answer: Answer, model: Model) -> bool:
    return model.today >= review_due(answer, model)


def shared(answers: Iterable[Answer]) -> tuple[Answer, ...]:
    """The answers that may leave the company (public and nda), never the internal ones."""
    return tuple(a for a in answers if a.visibility in SHARED)


@dataclass(frozen=True)
class Conflict:
    standard: str
    question: str
    first: Answer
    second: Answer  # a later answer (in path order) citing the same question with another answer


def conflicts(answers: Iterable[Answer]) -> Iterator[Conflict]:
    """Each later answer that cites a standard question an earlier one cites, and answers otherwise."""
    seen: dict[tuple[str, str], Answer] = {}
    for answer in answers:
        for standard, questions in answer.refs.items():
            for question in dict.fromkeys(questions):
                first = seen.setdefault((standard, question), answer)
                if first is not answer and first.answer != answer.answer:
                    yield Conflict(standard, question, first, answer)


def by_question(answers: Iterable[Answer], standard: str) -> dict[str, tuple[Answer, ...]]:
    """Question id of `standard` -> the answers that cite it, in path order."""
    table: dict[str, list[Answer]] = {}
    for answer in answers:
        for question in dict.fromkeys(answer.refs.get(standard, ())):
            table.setdefault(question, []).append(answer)
    return {question: tuple(found) for question, found in table.items()}
