"""Policies as proof in the gap report: which policies bear on a requirement, and what they make of
its status. Pure: no I/O.

A policy counts for a requirement it maps, directly or through an ancestor, as a control does. What
it proves follows its state (plaintrust.policies.state): a current policy, or one whose review is
due but within the grace period, proves; one whose review is overdue, whose text changed after its
approval, or that takes effect on a later day (upcoming), proves in part; a draft proves nothing.
Among several policies of one requirement, any one that proves in part lowers it.

- A requirement whose catalog entry says `policy: true` needs an approved policy. A proving policy
  meets that need; an overdue, changed or upcoming one makes the requirement at best partially met;
  none, or drafts only, leave it partially met while its controls work and not met when nothing
  else does. The requirement takes the weaker of this and what its controls say.
- Any other requirement that no control addresses is met by a proving policy, partially met by an
  overdue, changed or upcoming one, and not met with drafts only. A requirement with controls keeps
  the status its controls give it (a planned control stays not met whatever its policies say), and
  lists its policies beside them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from plaintrust import policies as policy_state
from plaintrust.internal.period_today import MET, NOT_MET, PARTIAL
from plaintrust.model import Approval, Framework, Model, Policy, Requirement
from plaintrust.policies import PolicyState
from plaintrust.status import GRACE_DAYS, mapped_policies

DRAFT, OVERDUE, CHANGED = PolicyState.DRAFT.value, PolicyState.OVERDUE.value, PolicyState.CHANGED.value
UPCOMING = PolicyState.UPCOMING.value
_WEAKER = (MET, PARTIAL, NOT_MET)  # the order of the gap report's statuses, best first


@dataclass(frozen=True)
class PolicyFinding:
    """One policy as the gap report shows it: once per report, shared by every row it maps."""

    id: str
    title: str
    version: str
    owner: str
    approved_by: str | None
    approved_on: dt.date | None
    review: str
    next_review: dt.date | None
    effective: dt.date
    state: str  # draft | upcoming | current | due | overdue | changed
    path: str  # the policy's file, from the repository root
    overdue_from: dt.date | None = None  # the first day its review counts as overdue
    approval: Approval | None = None  # the ledger's last approval of it (its line and time)
    requirements: tuple[tuple[str, tuple[str, ...]], ...] = ()  # (framework id, requirement ids) it maps

    @property
    def proves(self) -> bool:
        return PolicyState(self.state).proves


def findings(model: Model, frameworks: Iterable[str]) -> dict[str, PolicyFinding]:
    """Every policy that maps one of `frameworks`, by id (the first of a duplicated id, as the model keeps)."""
    wanted = tuple(frameworks)
    return {
        p.id: _finding(model, p, wanted) for p in model.policies_by_id.values() if any(f in p.satisfies for f in wanted)
    }


def _finding(model: Model, policy: Policy, frameworks: tuple[str, ...]) -> PolicyFinding:
    return PolicyFinding(
        id=policy.id,
        title=policy.title,
        version=policy.version,
        owner=policy.owner,
        approved_by=policy.approved_by,
        approved_on=policy.approved_on,
        review=policy.review,
        next_review=policy.next_review,
        effective=policy.effective,
        state=policy_state.state(policy, model).value,
        path=policy.source.path,
        overdue_from=policy_state.overdue_from(policy),
        approval=model.approvals.get(policy.id),
        requirements=tuple((f, tuple(policy.satisfies[f])) for f in frameworks if f in policy.satisfies),
    )


def mapped(
    model: Model, framework: Framework, req: Requirement, found: Mapping[str, PolicyFinding]
) -> tuple[PolicyFinding, ...]:
    return tuple(found[i] for i in mapped_policies(model, framework, req) if i in found)


def problem(policy: PolicyFinding) -> str:
    """Why a policy proves only in part: "policy x was due for review on 2026-06-01 (more than 30 days ago)"."""
    if policy.state == OVERDUE and policy.next_review is not None:
        due = policy.next_review.isoformat()
        return f"policy {policy.id} was due for review on {due} (more than {GRACE_DAYS} days ago)"
    if policy.state == UPCOMING:
        return f"policy {policy.id} takes effect on {policy.effective.isoformat()}"
    if policy.approval is None:
        return f"policy {policy.id} has no approval in the ledger"
    return f"policy {policy.id} changed after its approval"


def state_text(policy: PolicyFinding) -> str:
    """The state with its date, for the report's tables: "overdue: review due 2026-06-01"."""
    if policy.state == OVERDUE and policy.next_review is not None:
        return f"overdue: review due {policy.next_review.isoformat()}"
    if policy.state == UPCOMING:
        return f"upcoming: takes effect {policy.effective.isoformat()}"
    if policy.state == CHANGED:
        return "changed after its approval" if policy.approval else "changed: no approval in the ledger"
    return policy.state


def judge(
    status: str, reason: str, has_controls: bool, found: tuple[PolicyFinding, ...], needs_policy: bool
) -> tuple[str, str]:
    """The requirement's (status, reason) once its policies count, from what its controls say.
    Statuses are the gap report's words (met, partially met, not met)."""
    if not has_controls and found:
        own, why = _policies_verdict(found, needs_policy, NOT_MET)
        return own, why if own != NOT_MET else f"{reason}; {why}"
    if not needs_policy:
        return status, reason  # policies listed beside the controls, which decide
    own, why = _policies_verdict(found, needs_policy, PARTIAL if has_controls else NOT_MET)
    if own == MET:
        return status, reason
    weaker = max(status, own, key=_WEAKER.index)
    return weaker, why if status == MET else f"{reason}; {why}"


def _policies_verdict(found: tuple[PolicyFinding, ...], needs_policy: bool, gap: str) -> tuple[str, str]:
    """What the policies alone say; `gap`: the status when no approved policy maps the requirement."""
    approved = [p for p in found if p.state != DRAFT]
    troubled = [p for p in approved if not p.proves]
    if troubled:
        return PARTIAL, "; ".join(problem(p) for p in troubled)
    if approved:
        named = ", ".join(f"{p.id} (version {p.version})" for p in approved)
        return MET, f"approved policy {named}" if len(approved) == 1 else f"approved policies {named}"
    lead = "needs an approved policy" if needs_policy else "no approved policy"
    drafts = [p.id for p in found]
    if not drafts:
        return gap, f"{lead}: none is mapped"
    verb = "is a draft" if len(drafts) == 1 else "are drafts"
    return gap, f"{lead}; {' and '.join(drafts)} {verb}"
