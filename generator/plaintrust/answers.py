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
from plaintrust.model import Answer, Control, Model
from plaintrust.policies import PolicyState
from plaintrust.status import EvidenceHealth, PublicStatus, evidence_health, evidence_shortfall, public_status

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
    and `n/a` claim nothing. Ids that name nothing are `answer-link`'s business, not counted here,
    and so is a control whose evidence failed to load (that file's own error says why)."""
    linked = [model.controls_by_id[c] for c in dict.fromkeys(answer.controls) if c in model.controls_by_id]
    healths = {c.id: evidence_health(model, c) for c in linked if _judged(c, model)}
    controls = tuple((c.id, public_status(c, healths[c.id])) for c in linked if c.id in healths)
    states = tuple(
        (p, policies.state(model.policies_by_id[p], model))
        for p in dict.fromkeys(answer.policies)
        if p in model.policies_by_id
    )
    short = [_control_short(c, s, healths[c]) for c, s in controls if not _backs(answer.answer, s)]
    short += [_policy_short(p, s, model) for p, s in states if not _policy_backs(answer.answer, s)]
    return Support(controls, states, tuple(short))


def _judged(control: Control, model: Model) -> bool:
    """False when a record the control links failed to load: its evidence cannot be told."""
    broken = any(("evidence", e) in model.broken for e in control.evidence)
    unread = "evidence" in model.incomplete and any(e not in model.evidence_by_id for e in control.evidence)
    return not (broken or unread)


def _backs(answer: str, status: PublicStatus) -> bool:
    if answer == "yes":
        return status is PublicStatus.IMPLEMENTED
    return answer != "partial" or status is not PublicStatus.NOT_IN_PLACE


def _policy_backs(answer: str, state: PolicyState) -> bool:
    if answer == "yes":
        return state.proves
    return answer != "partial" or state is not PolicyState.DRAFT


def _control_short(control_id: str, status: PublicStatus, health: EvidenceHealth) -> str:
    """Why the control falls short, from the same reasons the trust center gives."""
    found = evidence_shortfall(control_id, health) if status is PublicStatus.UNDER_REVIEW else None
    return found or f"{control_id} is {_STATUS_WORDS[status]}"


def _policy_short(policy_id: str, state: PolicyState, model: Model) -> str:
    if state is PolicyState.CHANGED:  # as `policy-changed` tells the two apart
        if model.approvals.get(policy_id) is None:
            return f"policy {policy_id}'s approval is not on record"
        return f"policy {policy_id}'s text changed after its approval"
    return f"policy {policy_id} is {_POLICY_WORDS[state]}"


_STATUS_WORDS = {
    PublicStatus.IMPLEMENTED: "verified",
    PublicStatus.UNDER_REVIEW: "under review",
    PublicStatus.IN_PROGRESS: "in progress",
    PublicStatus.NOT_IN_PLACE: "not in place",
}
_POLICY_WORDS = {
    PolicyState.DRAFT: "a draft",
    PolicyState.UPCOMING: "not yet in effect",
    PolicyState.CURRENT: "current",
    PolicyState.DUE: "due for review",
    PolicyState.OVERDUE: "overdue for review",
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
