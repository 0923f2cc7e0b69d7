"""An entry of a control's `watches` names nothing git can judge drift by.

It fires at the entry, with what is wrong:

- `infra/idp.tf is not a file in the last commit (HEAD)`, or for a glob
  `infra/**/*.tf matches no file in the last commit (HEAD)`: a mistyped path, a file not committed
  yet, or one since deleted or moved. A path that is a folder says so: a watch names files
  (`infra/github/**` watches every file in it);
- `.github/workflows/ci.yml is outside the folder Plaintrust reads (trust/ in the git repository):
  a watch names a file inside it`: when `--root` is a sub-folder of a git repository, paths are
  written from that folder, and files elsewhere in the repository cannot be watched;
- `infra/*.tf#AC-02: a region belongs to one file, but infra/*.tf is a glob`: a line range or a
  marker region needs one file's path;
- `infra/idp.tf#L40-L10: the line range ends before it starts`;
- `infra/idp.tf has 25 lines at HEAD: lines 10-40 run past its end` (lines as git counts them:
  a line ends at a line feed, and nothing else);
- ``infra/idp.tf has no `plaintrust:start AC-02` line``, or
  ``infra/idp.tf has no `plaintrust:end` line after `plaintrust:start AC-02` ``: the marker pair
  of an `infra/idp.tf#AC-02` region is missing in the committed file. A marker is a line holding
  `plaintrust:start AC-02` (the name whole: not `AC-020`) in any comment syntax, such as
  `# plaintrust:start AC-02`; the region ends at the next line holding `plaintrust:end`;
- `the history of infra/idp.tf is cut short by a shallow clone: fetch the full history
  (fetch-depth: 0) to judge drift`: the clone holds too little history to tell when the file last
  changed (a shallow clone shows its oldest commit as adding every file), so no drift is reported
  rather than a false one;
- `the history of infra/idp.tf is incomplete in this partial clone: clone the repository without
  --filter to judge drift`: a clone made with `--filter=blob:none` lacks the earlier revisions of
  files a region needs, and Plaintrust never fetches them (whole-file watches are still judged);
- `git could not read the history of infra/idp.tf: ...`, with git's own words.

When git fails on the repository as a whole, it fires once, at the first control's `watches`:
`drift was not checked: git could not read the repository's history: ...` (with git's words: a
timeout, a git too old to know `--diff-merges`), or `drift was not checked: git refuses to read
the repository: it belongs to another user than the one running Plaintrust` (git's
`safe.directory` check, common in CI containers). Nothing is judged then, and the gap report says
why.

The files and lines are those of the last commit: uncommitted edits are not looked at. A region of
a glob and a line range written backwards are reported everywhere; the rest needs git, and
nothing is reported without it, outside a git repository or before the first commit (a
downloaded copy is no mistake). Like drift itself, a watch's problem never changes the public
status.

Severity: warning. `plaintrust check` and `plaintrust build` still pass; `--strict` makes them fail.

To fix it, correct the entry (a path from the repository root, in git's glob syntax), commit the
file or the markers, or fetch the full history where the clone is shallow (`fetch-depth: 0` with
actions/checkout, `GIT_DEPTH: 0` in GitLab CI).
"""

from __future__ import annotations

from collections.abc import Iterator

from plaintrust.diagnostics import Diagnostic
from plaintrust.load.watch_history import SILENT, UNKNOWN
from plaintrust.load.watchglob import is_glob
from plaintrust.load.watchregion import static_problem
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
    "partial": "clone without --filter (actions/checkout does unless told otherwise): Plaintrust reads a "
    "region's past revisions from the clone and never fetches them",
    "outside": "write the path from the folder Plaintrust reads (--root): files elsewhere in the git "
    "repository cannot be watched",
    "failed": "see what git says of the file (git log -p -- PATH in the repository), then run check again",
    "dubious": "run Plaintrust as the user who owns the repository, or tell git to trust it "
    "(git config --global --add safe.directory FOLDER): a CI container often checks out as another user",
    "unjudged": "see what git says in the repository (git log), then run check again: drift is judged from git history",
}


def check(model: Model) -> Iterator[Diagnostic]:
    yield from _unjudged(model)
    for control in model.controls:
        for watch in control.watches:
            fact = None if model.watch_unknown is not None else model.watch_facts.get(watch.spec)
            problem = static_problem(watch) or (fact.problem if fact is not None else None)
            if problem is not None:
                where = control.source.at("watches", watch.index)
                yield where.warning(ID, problem, _hint(watch, fact))


def _unjudged(model: Model) -> Iterator[Diagnostic]:
    """One warning, at the first control's `watches`, when git failed on the repository and nothing
    was judged; none when there is nothing to judge by (no git, no repository, no commits)."""
    why = model.watch_unknown
    control = next((c for c in model.controls if c.watches), None)
    if why is None or why in SILENT or control is None:
        return
    hint = _HINTS["dubious" if why == UNKNOWN["dubious"] else "unjudged"]
    yield control.source.key_at("watches").warning(ID, f"drift was not checked: {why}", hint)


# What each kind of problem found in git's history says (a path holds no space: these never come from one).
_KINDS = (
    ("git could not read the history of ", "failed"),
    (" is cut short by a shallow clone", "shallow"),
    (" is incomplete in this partial clone", "partial"),
    (" is outside the folder Plaintrust reads", "outside"),
)


def _hint(watch: Watch, fact: WatchFact | None) -> str:
    """What to do about the one kind of problem a watch can have (`watch_history` finds them in this order)."""
    if static_problem(watch) is not None:
        return _HINTS["glob" if is_glob(watch.pattern) else "backwards"]
    problem = fact.problem if fact is not None and fact.problem is not None else ""
    kind = next((kind for words, kind in _KINDS if words in problem), None)
    if kind is not None:
        return _HINTS[kind]
    if fact is None or not fact.files:
        return _HINTS["unmatched"]
    return _HINTS["lines"] if watch.lines is not None else _MARKERS.format(name=watch.marker)
