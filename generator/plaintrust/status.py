"""Derived status: what the evidence and the dates say, never what anyone typed.

Shared by the trust center (public status) and the gap report (met / not met), so both tell the
same story about a control.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cached_property, lru_cache

from plaintrust.evidence.states import FREQUENCY_MONTHS, newest_in_series, stale_on
from plaintrust.model import Control, EvidenceRecord, Framework, Integrity, Model, Requirement, Status
from plaintrust.words import day_words

# Evidence usually arrives after the days it proves: the Q3 access review is done in early October,
# daily logs are exported monthly. A cycle of a control, or a slot of an audit period (the gap
# report's), is missing evidence only when this many days have passed since it ended.
GRACE_DAYS = 30
# Frequencies that name a cycle (a continuous control has none): each cycle is given the grace.
RUN_EVERY = ("daily", "weekly", "monthly", "quarterly", "semiannual", "annual")
MONTHLY_CYCLES = tuple(FREQUENCY_MONTHS)


class PublicStatus(str, enum.Enum):
    IMPLEMENTED = "Implemented"
    UNDER_REVIEW = "Under review"
    IN_PROGRESS = "In progress"
    NOT_IN_PLACE = "Not in place"


@dataclass(frozen=True)
class EvidenceHealth:
    """A control's evidence taken together.

    Linking one record of a series links the series: its newest record decides freshness, so a
    team adds next quarter's review without editing the control. A missing or tampered file in any
    record of those series counts against the control. Evidence is overdue when a deciding record
    is stale by its own `refresh`, or when the last day any evidence proves (the end of `covers`,
    else the day it was collected) is older than the control's `frequency` plus the grace the
    audit period gives: a quarterly control needs evidence of each quarter within 30 days of its
    end, whatever `refresh` says. An unpinned record proves nothing: its bytes were never fixed.
    """

    linked: tuple[EvidenceRecord, ...]  # every record of the series the control links
    deciding: tuple[EvidenceRecord, ...]  # the newest record of each of those series
    unknown_ids: tuple[str, ...]  # linked ids that match no record
    today: dt.date
    frequency: str = "continuous"  # the control's; continuous controls go by `refresh` alone

    @property
    def stale(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.deciding if r.stale_on <= self.today)

    @property
    def pacing(self) -> tuple[EvidenceRecord, ...]:
        """The deciding records that show each run of the control: those whose `refresh` keeps its
        pace (a job log), not the slower ones beside them (its policy); all of them when none does."""
        keeping = tuple(r for r in self.deciding if keeps_pace(r, self.frequency))
        return keeping or self.deciding

    @cached_property  # asked by the public status, the effect and the problems of every finding
    def next_run_due(self) -> dt.date | None:
        """The first day a series that shows the control's runs needs evidence of a later run."""
        return min((frequency_due(r.proves.end, self.frequency) for r in self.pacing), default=None)

    @cached_property
    def overdue_since(self) -> dt.date | None:
        days = [r.stale_on for r in self.stale]
        if self.next_run_due and self.next_run_due <= self.today:
            days.append(self.next_run_due)
        return min(days, default=None)

    @property
    def broken(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.linked if r.integrity is not Integrity.OK)

    @property
    def unpinned(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.deciding if any(f.sha256 is None for f in r.files))

    @property
    def proven(self) -> bool:
        return bool(self.deciding) and not (self.unknown_ids or self.overdue_since or self.broken or self.unpinned)

    @property
    def last_verified(self) -> dt.date | None:
        unpinned = self.unpinned
        return max(
            (r.collected for r in self.deciding if r.integrity is Integrity.OK and r not in unpinned), default=None
        )


def keeps_pace(record: EvidenceRecord, frequency: str) -> bool:
    """Whether the record goes stale before a control running every `frequency` would be overdue
    (measured from the same day, so a monthly export of a daily job keeps its pace)."""
    return record.stale_on <= frequency_due(record.collected, frequency)


@lru_cache(maxsize=4096)  # controls share a few dates and seven frequencies; 10,000 of them ask
def frequency_due(last: dt.date, frequency: str) -> dt.date:
    """When a control that runs every `frequency`, last proven on `last`, is overdue for new
    evidence: the end of its next cycle plus the grace. A cycle that ended on a month's last day
    is followed by one that ends on a month's last day, as the audit period's slots are."""
    if frequency not in RUN_EVERY:
        return dt.date.max
    try:
        cycle_end = stale_on(last, frequency)
        if frequency in MONTHLY_CYCLES and (last + dt.timedelta(days=1)).day == 1:
            cycle_end = _month_end(cycle_end)
        return cycle_end + dt.timedelta(days=GRACE_DAYS)
    except OverflowError:
        return dt.date.max


def _month_end(day: dt.date) -> dt.date:
    return (day.replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)


def evidence_health(model: Model, control: Control) -> EvidenceHealth:
    unknown = tuple(i for i in control.evidence if i not in model.evidence_by_id)
    linked = model.series_of(control)
    newest = newest_in_series(linked)
    return EvidenceHealth(linked, tuple(newest[s] for s in sorted(newest)), unknown, model.today, control.frequency)


def public_status(control: Control, health: EvidenceHealth) -> PublicStatus:
    if control.status is Status.IMPLEMENTED:
        return PublicStatus.IMPLEMENTED if health.proven else PublicStatus.UNDER_REVIEW
    if control.status in (Status.PARTIAL, Status.PLANNED):
        return PublicStatus.IN_PROGRESS
    return PublicStatus.NOT_IN_PLACE


def evidence_problem(health: EvidenceHealth) -> str | None:
    """What keeps a practice in place from being verified, worst first, as the trust center says it;
    None when nothing does."""
    fault = _fault(health)
    return None if fault is None else _SITE_WORDS[fault].format(since=_since(health, day_words))


def evidence_shortfall(control_id: str, health: EvidenceHealth) -> str | None:
    """The same reason as `evidence_problem`, in a check's words ("AC-01's evidence failed its
    integrity check", "LM-05's evidence is overdue since 2026-12-01"); None when nothing does."""
    fault = _fault(health)
    return None if fault is None else _CHECK_WORDS[fault].format(id=control_id, since=_since(health, str))


def _fault(health: EvidenceHealth) -> str | None:
    if health.broken:
        return "broken"
    if health.unpinned:
        return "unpinned"
    if health.unknown_ids or not health.deciding:
        return "missing"
    return "overdue" if health.overdue_since else None


def _since(health: EvidenceHealth, words: Callable[[dt.date], str]) -> str:
    return words(health.overdue_since) if health.overdue_since else ""


_SITE_WORDS = {
    "broken": "Evidence failed its integrity check: a file is missing or was changed after it was filed",
    "unpinned": "Evidence not yet confirmed: its files have no recorded fingerprint",
    "missing": "No evidence on file yet",
    "overdue": "Evidence overdue since {since}",
}
_CHECK_WORDS = {
    "broken": "{id}'s evidence failed its integrity check",
    "unpinned": "{id}'s evidence is not yet confirmed (its files have no recorded fingerprint)",
    "missing": "{id} has no evidence on file yet",
    "overdue": "{id}'s evidence is overdue since {since}",
}


def failed(control: Control, health: EvidenceHealth) -> bool:
    """Planned or not implemented, or any of its evidence tampered: the control counts for nothing."""
    tampered = any(r.integrity is Integrity.TAMPERED for r in health.linked)
    return tampered or control.status in (Status.PLANNED, Status.NOT_IMPLEMENTED)


def not_met(model: Model, framework: Framework, fails: dict[str, bool] | None = None) -> list[str]:
    """Ids of the requirements the gap report shows as not met, at a fraction of its cost (for `check`).

    Not met means no control addresses the requirement or every one that does has failed, and
    whether a control has failed never depends on its audit-period slots or on fresh evidence.
    A requirement no control addresses is met or partially met by an approved policy mapped to it,
    whatever its review date or text says (see plaintrust.internal.policyproof). A requirement that
    needs a policy and has none is only partially met while its controls work, so it is never
    "not met" for that reason alone. `fails` (control id -> failed) may be shared between calls.
    """
    fails = {} if fails is None else fails
    found = []
    for req in framework.catalog.requirements:
        if not (framework.catalog.is_leaf(req.id) and framework.in_scope(req)) or framework.declared_not_applicable(
            req.id
        ):
            continue
        ids, _ = mapped_controls(model, framework, req)
        for control_id in ids:
            if control_id not in fails:
                control = model.controls_by_id[control_id]
                fails[control_id] = failed(control, evidence_health(model, control))
        if all(fails[i] for i in ids) and (ids or not _approved_policy(model, framework, req)):
            found.append(req.id)
    return found


def _approved_policy(model: Model, framework: Framework, req: Requirement) -> bool:
    return any(not model.policies_by_id[i].draft for i in mapped_policies(model, framework, req))


def mapped_controls(model: Model, framework: Framework, req: Requirement) -> tuple[list[str], tuple[str, ...]]:
    """Controls mapped to the requirement or to one of its ancestors (in catalog order), and the
    ancestors they are mapped through."""
    return _mapped(model.requirement_controls, framework, req)


def mapped_policies(model: Model, framework: Framework, req: Requirement) -> list[str]:
    """Ids of the policies mapped to the requirement or to one of its ancestors, as controls are."""
    return _mapped(model.requirement_policies, framework, req)[0]


def _mapped(
    graph: Mapping[tuple[str, str], tuple[str, ...]], framework: Framework, req: Requirement
) -> tuple[list[str], tuple[str, ...]]:
    ids: list[str] = list(graph.get((framework.id, req.id), ()))
    via: list[str] = []
    seen = {req.id}  # a cyclic custom catalog (check reports it) must not hang the report
    parent = req.parent
    while parent and parent not in seen:
        seen.add(parent)
        inherited = graph.get((framework.id, parent), ())
        if inherited:
            via.append(parent)
            ids += [i for i in inherited if i not in ids]
        parent = framework.catalog.by_id[parent].parent if parent in framework.catalog.by_id else None
    return sorted(set(ids), key=ids.index), tuple(via)
