"""An approved policy's review is more than 30 days late.

A policy is reviewed every `review` (a frequency word such as `annual`, or a duration such as `6m`),
counted from `approved_on`. It fires at `approved_on` once that review date is more than 30 days
behind: the same 30 days of grace a control's evidence gets after its cycle ends. Within them the
review is due, the policy still counts in full and nothing fires. Drafts are not checked, and a
policy whose text changed after its approval is policy-changed's business.

An overdue policy is shown on the trust center as "Review overdue: it was due on" its review date,
and the gap report counts it only in part for the requirements it satisfies.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, review the policy, update its text if needed, then approve it again with
`plaintrust policy approve ID --by NAME`: that sets `approved_on` to today.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import policies
from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model
from plaintrust.policies import PolicyState
from plaintrust.status import GRACE_DAYS

ID = "policy-review-overdue"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    for policy in model.policies:
        if policies.state(policy, model) is not PolicyState.OVERDUE:
            continue
        yield policy.source.at("approved_on").warning(
            ID,
            f"the review of policy {policy.id} was due on {policy.next_review}, more than {GRACE_DAYS} days ago "
            f"(approved on {policy.approved_on}, review: {policy.review}): the trust center shows it as overdue",
            f"review it, then run `plaintrust policy approve {policy.id} --by NAME`",
        )
