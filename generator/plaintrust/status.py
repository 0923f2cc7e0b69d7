"""Derived status: what the evidence and the dates say, never what anyone typed.

Shared by the trust center (public status) and the gap report (met / not met), so both tell the
same story about a control.
"""

from __future__ import annotations

import datetime as dt
import enum
from dataclasses import dataclass

from plaintrust.model import Control, EvidenceRecord, Integrity, Model, Status


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
    record of those series counts against the control.
    """

    linked: tuple[EvidenceRecord, ...]  # every record of the series the control links
    deciding: tuple[EvidenceRecord, ...]  # the newest record of each of those series
    unknown_ids: tuple[str, ...]  # linked ids that match no record
    today: dt.date

    @property
    def stale(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.deciding if r.stale_on <= self.today)

    @property
    def broken(self) -> tuple[EvidenceRecord, ...]:
        return tuple(r for r in self.linked if r.integrity is not Integrity.OK)

    @property
    def proven(self) -> bool:
        return bool(self.deciding) and not (self.unknown_ids or self.stale or self.broken)

    @property
    def last_verified(self) -> dt.date | None:
        return max((r.collected for r in self.deciding if r.integrity is Integrity.OK), default=None)


def evidence_health(model: Model, control: Control) -> EvidenceHealth:
    unknown = tuple(i for i in control.evidence if i not in model.evidence_by_id)
    linked = model.series_of(control)
    newest: dict[str, EvidenceRecord] = {}
    for record in linked:
        current = newest.get(record.series)
        if current is None or (record.collected, record.id) > (current.collected, current.id):
            newest[record.series] = record
    return EvidenceHealth(linked, tuple(newest[s] for s in sorted(newest)), unknown, model.today)


def public_status(control: Control, health: EvidenceHealth) -> PublicStatus:
    if control.status is Status.IMPLEMENTED:
        return PublicStatus.IMPLEMENTED if health.proven else PublicStatus.UNDER_REVIEW
    if control.status in (Status.PARTIAL, Status.PLANNED):
        return PublicStatus.IN_PROGRESS
    return PublicStatus.NOT_IN_PLACE
