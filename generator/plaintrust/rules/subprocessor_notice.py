"""A new subprocessor starts before the notice site/trust.yaml promises customers has run out.

With `subprocessor_notice_days: N` in site/trust.yaml, a subprocessor's `added` is the day its
addition was announced and `effective` the day it starts processing customer data (`added` when
left out). The notice runs the N days after the announcement (the day itself does not count, as
contracts count periods): customers may object until its last day, and the subprocessor may start
the day after at the earliest, so that an objection sent on the last day is heard before any data
flows. Announced on 1 December 2026 with 30 days' notice, objections are open until 31 December
2026 and the earliest start is 1 January 2027; `effective: 2027-01-15` keeps the promise. With
`subprocessor_notice_days: 0` there is no notice period, but an addition may not start before it is
announced. Without `subprocessor_notice_days` nothing is checked.

An addition without `effective` starts the day it is announced, so under a notice period it is
reported too: the start is the date to write down. `added` is required for every subprocessor, so
every addition has a day its notice counts from; `effective` cannot stand in for it, since a start
with no announcement day would be a start without notice. Removals need no notice, and an addition
withdrawn before it starts (`removed` on or before its start) never starts: it breaks no promise.

Each addition is checked until its notice has run out: through its last objection day, or with no
notice period through the day it is announced. Once it has started it is history and stays as
written, like the subprocessors listed before the site promised any notice.

Many data processing agreements (GDPR Art. 28) give customers this notice and a chance to object.
The subprocessors page shows a planned addition as "Starts on 15 January 2027; objections until
31 December 2026", with where to object; a start inside the notice would break the promise the page
makes.

Severity: error. `plaintrust check` fails and `plaintrust build` builds nothing until it is fixed.

To fix it, set `effective` to the earliest day the hint names, or later. If customers were told
earlier than `added` says, correct `added` to the day they were.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model, Subprocessor, TrustProfile

ID = "subprocessor-notice"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    trust = model.trust
    if trust is None or trust.subprocessor_notice_days is None:
        return
    for index, sub in enumerate(trust.subprocessors):
        notice_ends = trust.objections_until(sub) or sub.added
        withdrawn = sub.removed is not None and sub.removed <= sub.starts
        if model.today <= notice_ends and sub.starts < trust.earliest_start(sub) and not withdrawn:
            yield _early(trust, index, sub)


def _early(trust: TrustProfile, index: int, sub: Subprocessor) -> Diagnostic:
    earliest, until = trust.earliest_start(sub), trust.objections_until(sub)
    if until is None:
        return _before_announced(trust, index, sub)
    promise = f"the {trust.subprocessor_notice_days}-day notice promised in subprocessor_notice_days"
    if sub.effective is None:
        where = trust.source.at("subprocessors", index, "added")
        message = f"{sub.name} has no effective date, so it starts the day it is announced ({sub.added}), without "
        hint = f"add effective: {earliest} or later, the day after objections close ({until})"
        return where.error(ID, message + promise, hint)
    where = trust.source.at("subprocessors", index, "effective")
    message = f"{sub.name} starts on {sub.starts}, before {promise} runs out (objections are open until {until})"
    hint = f"set effective to {earliest} or later: it may start the day after objections close"
    return where.error(ID, message, hint)


def _before_announced(trust: TrustProfile, index: int, sub: Subprocessor) -> Diagnostic:
    """With no notice period (0 days), the one promise left: no start before the announcement."""
    where = trust.source.at("subprocessors", index, "effective")
    hint = f"set effective to {sub.added} or later: with no notice period it still starts no earlier than announced"
    return where.error(ID, f"{sub.name} starts on {sub.starts}, before it is announced on {sub.added}", hint)
