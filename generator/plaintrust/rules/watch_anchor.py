"""An entry of a control's `watches` names nothing git can judge drift by.

It fires at the entry, with what is wrong:

- `infra/idp.tf is not a file in the last commit (HEAD)`, or for a glob
  `infra/**/*.tf matches no file in the last commit (HEAD)`: a mistyped path, a file not committed
  yet, or one since deleted or moved. A path that is a folder says so: a watch names files
  (`infra/github/**` watches every file in it);
- `infra/*.tf#AC-02: a region belongs to one file, but infra/*.tf is a glob`: a line range or a
  marker region needs one file's path;
- `infra/idp.tf#L40-L10: the line range ends before it starts`;
- `infra/idp.tf has 25 lines at HEAD: lines 10-40 run past its end`;
- ``infra/idp.tf has no `plaintrust:start AC-02` line``, or
  ``infra/idp.tf has no `plaintrust:end` line after `plaintrust:start AC-02` ``: the marker pair
  of an `infra/idp.tf#AC-02` region is missing in the committed file. A marker is a line holding
  `plaintrust:start AC-02` (the name whole: not `AC-020`) in any comment syntax, such as
  `# plaintrust:start AC-02`; the region ends at the next line holding `plaintrust:end`;
- `the history of infra/idp.tf is cut short by a shallow clone: fetch the full history
  (fetch-depth: 0) to judge drift`: the clone holds too little history to tell when the file last
  changed (a shallow clone shows its oldest commit as adding every file), so no drift is reported
  rather than a false one.

The files and lines are those of the last commit: uncommitted edits are not looked at. A region of
a glob and a line range written backwards are reported everywhere; the rest needs git, and
nothing is reported without it, outside a git repository or before the first commit. Like drift
itself, a watch's problem never changes the public status.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, correct the entry (a path from the repository root, in git's glob syntax), commit the
file or the markers, or fetch the full history where the clone is shallow (`fetch-depth: 0` with
actions/checkout, `GIT_DEPTH: 0` in GitLab CI).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.watch_history import is_glob, static_problem
from plaintrust.model import Model, Watch, WatchFact

ID = "watch-anchor"
READS_FILES = False

_MARKERS = (
    "mark the region with a line holding `plaintrust:start {name}` before it and one holding `plaintrust:end` "
    "after it, in the file's comment syntax (# plaintrust:start {name}), and commit them"
)
_HINTS = {
    "unmatched": "write the path from the repository root (globs in git's syntax: * stays inside a folder, "
    "**/ is any folders) and commit the file: drift is judged from git history",
    "glob": "name the one file the region is in, or drop the #... part to watch every file the glob matches",
    "backwards": "write the first line first, e.g. #L10-L40",
    "lines": "correct the line range, or mark the region instead (path#NAME with `plaintrust:start NAME` and "
    "`plaintrust:end` lines around it): markers move with the lines",
    "shallow": "fetch the full history: fetch-depth: 0 with actions/checkout, GIT_DEPTH: 0 in GitLab CI, "
    "or git fetch --unshallow",
}


def check(model: Model) -> Iterator[Diagnostic]:
    for control in model.controls:
        for watch in control.watches:
            fact = None if model.watch_unknown is not None else model.watch_facts.get(watch.spec)
            problem = static_problem(watch) or (fact.problem if fact is not None else None)
            if problem is not None:
                where = control.source.at("watches", watch.index)
                yield where.warning(ID, problem, _hint(watch, fact))


def _hint(watch: Watch, fact: WatchFact | None) -> str:
    """What to do about the one kind of problem a watch can have (`watch_history` finds them in this order)."""
    if static_problem(watch) is not None:
        return _HINTS["glob" if is_glob(watch.pattern) else "backwards"]
    if fact is None or not fact.files:
        return _HINTS["unmatched"]
    if fact.problem is not None and "shallow clone" in fact.problem:
        return _HINTS["shallow"]
    return _HINTS["lines"] if watch.lines is not None else _MARKERS.format(name=watch.marker)
