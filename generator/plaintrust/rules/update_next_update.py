"""An open notice's promised next update (`next_update_by`) has passed, or is not within 24 hours after `updated`.

For an open notice with `next_update_by`, it fires when that time is not after `updated`; when it
has passed and `updated` is still before it; or when it lies more than 24 hours after `updated`.
"Now" is the moment of the run (`SOURCE_DATE_EPOCH` when it is set). Resolved notices are not
checked.

Customers waiting on an incident should never go a day without news. A passed promise is also shown
where they look: "Update overdue since ..." on the notice, the overview, the updates list and the
feed entry.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, publish an update (moving `updated` forward) and set a new `next_update_by` within 24
hours after it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.model import Model

ID = "update-next-update"
READS_FILES = False
MAX_GAP = dt.timedelta(hours=24)


def check(model: Model) -> Iterator[Diagnostic]:
    for notice in model.notices:
        due = notice.next_update_by
        if not notice.is_open or due is None:
            continue
        where = notice.source.at("next_update_by")
        if due <= notice.updated:
            yield where.warning(
                ID,
                "next_update_by is not after updated: customers are not told when the next update comes",
                "set next_update_by to a time within 24 hours after updated",
            )
        elif notice.overdue_since(model.moment):
            yield where.warning(
                ID,
                f"the promised update ({due.astimezone(dt.UTC):%Y-%m-%d %H:%M} UTC) is overdue;"
                " the site says so on the notice, the overview and the feed",
                "publish an update, and set a new next_update_by",
            )
        elif due - notice.updated > MAX_GAP:
            yield where.warning(
                ID,
                "next_update_by is more than 24 hours after updated",
                "promise the next update within a day while the notice is open",
            )
