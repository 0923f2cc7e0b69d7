"""A file a control watches changed after the control's newest evidence was collected.

A control can name the files it rests on under `watches`: Terraform, an identity provider's
exported settings, CI workflows, branch protection settings. It fires at the entry of `watches`
when git says such a file changed after the newest evidence of the control was collected, e.g.
`infra/idp.tf changed on 2026-11-30, after the newest evidence of AC-02 (2026-11-03): collect fresh
evidence or confirm`. For a watched region, the message names it after the path: ` (lines 10-40)`
for `infra/idp.tf#L10-L40`, ` (region AC-02)` for `infra/idp.tf#AC-02` (the lines between a line
holding `plaintrust:start AC-02` and the next holding `plaintrust:end`). A region's change is a
commit that changed its lines; edits elsewhere in the file do not count, nor do markers put around
lines that were already there, nor renaming the file (a rename as git detects one, the file's
content mostly the same: its history goes on under the former name). Lines are counted as git
counts them, at line feeds only. A whole file's rename is a change, as any new file is.

What counts is git history: a change counts once it is committed (edits in the working tree are not
looked at), on the day of the commit (its committer date, in UTC), and a merged branch counts on
the day it was merged. When `--root` is a sub-folder of a git repository, only files inside it can
be watched, written from that folder. A change on the same day as the newest evidence is not
drift, nor is one on or before the control's `drift_confirmed_on`, nor a commit dated after today.
Nothing is judged without git, outside a git repository or before the first commit (a downloaded
copy is no mistake), and a control that links no evidence has no date to compare with. When git
fails on the repository, nothing is judged either, and `watch-anchor` says why.

The evidence may describe a system that no longer exists. The public status is not affected: the
trust center goes on showing the practice as its evidence says until that evidence lapses. The gap
report lists drifting controls.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, collect fresh evidence (`plaintrust evidence collect SERIES` for a series that collects
itself, else `plaintrust evidence new FILE --control ID`), or, once someone has checked that the
evidence still holds after the change, set `drift_confirmed_on` on the control to that day.
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust import drift
from plaintrust.diagnostics import Diagnostic
from plaintrust.load import watchregion
from plaintrust.model import Control, Model, Watch

ID = "control-drift"
READS_FILES = False


def check(model: Model) -> Iterator[Diagnostic]:
    if model.watch_unknown is not None:
        return
    for found in drift.drifting(model):
        control, change = found.control, found.change
        message = (
            f"{change.path}{where(found.watch)} changed on {change.day.isoformat()}, after the newest evidence "
            f"of {control.id} ({found.evidence_day.isoformat()}): collect fresh evidence or confirm"
        )
        yield control.source.at("watches", found.watch.index).warning(ID, message, hint(model, control))


def where(watch: Watch) -> str:
    """The region a watch names, as the message puts it after the path (nothing for a whole file)."""
    words = watchregion.describe(watch)
    return f" ({words})" if words else ""


def hint(model: Model, control: Control) -> str:
    """The command that collects the control's evidence, or the one that files it by hand."""
    series = [name for name in dict.fromkeys(r.series for r in model.series_of(control)) if name in model.collecting]
    how = (
        f"plaintrust evidence collect {' '.join(series)}, or evidence new"
        if series
        else f"plaintrust evidence new FILE --control {control.id}"
    )
    return (
        f"collect new evidence ({how}), or once someone has checked it still holds, "
        f"set drift_confirmed_on: {model.today.isoformat()}"
    )
