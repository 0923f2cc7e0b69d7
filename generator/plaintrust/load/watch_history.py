"""What git says of the files controls watch (`watches`): when each last changed.

`facts` reads it for every watch at once: one listing of the files at HEAD, one first-parent log
of every watched path, then the revisions of watched regions, newest first, a few at a time for all
regions together and only as far back as each needs (through a rename, as git detects one, to the
file's former name), whatever the number of controls. Everything comes from git's objects, never
from the working tree: an uncommitted edit does not count (drift is judged on history), and a
symbolic link is the text it holds, never followed. A commit dated
after today (`SOURCE_DATE_EPOCH` set back) is not counted yet, as a record collected after today is
not (see `drift`). Without git, outside a repository or before the first commit, nothing is judged
and `facts` says why; when git fails on the repository, it says that too, in git's words.

Which files a pattern names is `watchglob`'s, and what a spec and a region are is `watchregion`'s:
`plaintrust impact` shares those two to compare two trees.

Git runs hardened (`gitrun`): a repository's own configuration must not make `check` run a program.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import subprocess
from collections.abc import Generator, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, NamedTuple

from plaintrust.load import gitrun
from plaintrust.load.watchglob import is_glob, matches
from plaintrust.load.watchregion import region, region_problem, same_region, static_problem
from plaintrust.model import Watch, WatchChange, WatchFact

_TIMEOUT = 30  # seconds; drift is a warning, never worth hanging a check
CAP = 200  # revisions of one region a walk reads at most; the oldest read is then the change
_FIRST_BATCH, _LAST_BATCH = 4, 16  # revisions a walk asks for at once: most regions stop at the first few
_MARK = b"\x01"
_BATCH = "--batch=%(objectname) %(objecttype) %(objectsize)"
_FOUND = re.compile(rb"[0-9a-f]{40,64} ([a-z]+) ([0-9]+)")
_HASH = re.compile(r"[0-9a-f]{40,64}")
_RENAMED = re.compile(rb"R[0-9]*")
UNKNOWN = {
    "no-git": "git is not installed",
    "no-repository": "the repository is not a git repository",
    "no-commits": "the repository has no commits yet",
    "dubious": "git refuses to read the repository: it belongs to another user than the one running Plaintrust",
    "failed": "git could not read the repository's history",
}
# Why nothing was judged, when that is no mistake to report: a downloaded copy, a new repository.
SILENT = frozenset(UNKNOWN[key] for key in ("no-git", "no-repository", "no-commits"))


def shallow_problem(path: str) -> str:
    return (
        f"the history of {path} is cut short by a shallow clone: fetch the full history (fetch-depth: 0) to judge drift"
    )


class _Failed(Exception):
    """git failed on the repository; the message says why, in git's words."""


class _Tip(NamedTuple):
    commit: str
    shallow: bool
    prefix: str  # the root's folder in the git work tree: "" at its top, else ending in "/"


class _Commit(NamedTuple):
    hash: str
    day: dt.date  # the committer date, UTC
    parent: str | None  # the first parent; None for a root commit, or where a shallow clone's history is cut
    names: tuple[str, ...]  # the watched paths it changed, from the root


class _History(NamedTuple):
    paths: frozenset[str]  # every file at HEAD, from the root
    commits: list[_Commit]  # first-parent, newest first, that changed a watched path
    boundary: frozenset[str]  # commits where a shallow clone's history is cut
    outside: frozenset[str]  # files of the git repository outside the root (read only when a watch names none)
    prefix: str


class _Step(NamedTuple):
    """A revision a region walk reads: a commit, and the path the file had there (renames change it)."""

    commit: _Commit
    path: str


class _Texts(NamedTuple):
    """A walk's need: the file at each (commit, path). The answer: ({(commit, path): its text, None
    when there is no such file}, why git read not all of them)."""

    wanted: tuple[tuple[str, str], ...]


class _Renamed(NamedTuple):
    """A walk's need: the path the file `path` had in `parent` when `commit` renamed it. The answer:
    (that path or None, why git could not tell)."""

    commit: str
    parent: str
    path: str


class _Older(NamedTuple):
    """A walk's need: the first-parent commits older than `commit` that changed `path`, newest first.
    The answer: (those commits, why git could not tell)."""

    commit: str
    path: str


_Need = _Texts | _Renamed | _Older
_Walk = Generator[_Need, Any, tuple[WatchChange | None, str | None]]


def facts(
    root: Path, watches: Iterable[Watch], cached: Mapping[str, Any] | None, today: dt.date
) -> tuple[dict[str, WatchFact], str | None, dict | None]:
    """(spec -> what git says of it, why nothing could be judged, the table to keep in the document
    cache). `cached`, an earlier run's table, is used when taken at the same HEAD commit, day and
    specs. No table comes back when git failed or read less than asked (a partial clone), nor in
    a shallow clone: fetching more history changes what git can tell without moving HEAD. Why
    nothing was judged is one of SILENT (no mistake) or else a failure to report."""
    tip = _tip(root)
    if isinstance(tip, str):
        return {}, tip, None
    unique = {w.spec: w for w in watches}
    key = [tip.commit, today.isoformat(), sorted(unique)]
    kept = _from_table(cached, key) if cached and not tip.shallow else None
    if kept is not None:
        return kept, None, dict(cached or {})
    try:
        found, complete = _read(root, tip, list(unique.values()), today)
    except _Failed as exc:
        return {}, f"{UNKNOWN['failed']}: {exc}", None
    return found, None, _table(key, found) if complete and not tip.shallow else None


def _tip(root: Path) -> _Tip | str:
    """HEAD's commit, whether the clone is shallow and where the root is in the work tree; or why
    there is none (a text of UNKNOWN, the `failed` one with git's words)."""
    ask = ["rev-parse", "--is-shallow-repository", "--show-prefix", "--verify", "--quiet", "HEAD^{commit}"]
    try:
        done = gitrun.run(root, ask, timeout=_TIMEOUT)
        tip = _parsed_tip(done.stdout) if done.returncode == 0 else None
        if tip is not None:
            return tip
        probe = gitrun.run(root, ["rev-parse", "--git-dir"], timeout=_TIMEOUT)
    except gitrun.GitMissing:
        return UNKNOWN["no-git"]
    except gitrun.GitError as exc:
        return f"{UNKNOWN['failed']}: {exc}"
    return _absent(root, done, probe)


def _parsed_tip(out: bytes) -> _Tip | None:
    """`rev-parse` output: the shallow flag, the prefix (an empty line at the top), HEAD's commit."""
    lines = out.split(b"\n")
    commit = lines[-2].decode("ascii", "replace") if len(lines) >= 4 else ""
    if lines[-1] or lines[0] not in (b"true", b"false") or not _HASH.fullmatch(commit):
        return None
    return _Tip(commit, lines[0] == b"true", b"\n".join(lines[1:-2]).decode("utf-8", "surrogateescape"))


def _absent(root: Path, done: subprocess.CompletedProcess[bytes], probe: subprocess.CompletedProcess[bytes]) -> str:
    """Why HEAD could not be read, from what git said. Its words may be translated: the command it
    suggests for a repository owned by another user is not, and a `.git` where git looks for one
    tells a repository git fails on from no repository at all."""
    said = (done.stderr + probe.stderr).decode("utf-8", "replace")
    if "safe.directory" in said:
        return UNKNOWN["dubious"]
    if probe.returncode == 0:
        return UNKNOWN["no-commits"] if not done.stderr.strip() else f"{UNKNOWN['failed']}: {_said(done)}"
    return f"{UNKNOWN['failed']}: {_said(probe)}" if _dot_git(root) else UNKNOWN["no-repository"]


def _dot_git(root: Path) -> bool:
    """Whether a `.git` is in the root or a folder above it, up to where GIT_CEILING_DIRECTORIES
    stops git from looking."""
    ceilings = {Path(p).resolve() for p in os.environ.get("GIT_CEILING_DIRECTORIES", "").split(os.pathsep) if p}
    here = root.resolve()
    for folder in (here, *here.parents):
        if folder in ceilings:
            return False
        if (folder / ".git").exists():
            return True
    return False


def _read(root: Path, tip: _Tip, watches: Sequence[Watch], today: dt.date) -> tuple[dict[str, WatchFact], bool]:
    """Every watch's fact, and whether git read all it was asked (a partial clone may lack earlier
    revisions of a file). _Failed when git could not list or log the files."""
    paths = _listing(root, tip.commit)
    files = {w.spec: _files(w.pattern, paths) for w in watches}
    judged = [w for w in watches if files[w.spec] and static_problem(w) is None]
    commits = _log(root, tip.commit, {w.pattern for w in judged}) if judged else []
    unmatched = any(not files[w.spec] and static_problem(w) is None for w in watches)
    outside = _elsewhere(root, tip) if tip.prefix and unmatched else frozenset()
    history = _History(paths, commits, _cut(root, tip) if commits else frozenset(), outside, tip.prefix)
    walked, complete = _regions(root, tip.commit, [w for w in judged if w.region], history, today)
    return {w.spec: _fact(w, files[w.spec], history, walked.get(w.spec), today) for w in watches}, complete


def _listing(root: Path, commit: str) -> frozenset[str]:
    """The files at `commit` inside the root, from the root."""
    listing = _git(root, ["ls-tree", "-r", "-z", "--name-only", commit])
    return frozenset(n.decode("utf-8", "surrogateescape") for n in listing.split(b"\0") if n)


def _elsewhere(root: Path, tip: _Tip) -> frozenset[str]:
    """The files at HEAD of the git repository outside the root (a sub-folder of it), from its top."""
    listing = _git(root, ["ls-tree", "-r", "-z", "--name-only", "--full-tree", tip.commit])
    names = (n.decode("utf-8", "surrogateescape") for n in listing.split(b"\0") if n)
    return frozenset(n for n in names if not n.startswith(tip.prefix))


def _files(pattern: str, paths: frozenset[str]) -> tuple[str, ...]:
    if not is_glob(pattern):
        return (pattern,) if pattern in paths else ()
    return tuple(sorted(p for p in paths if matches(pattern, p)))


def _cut(root: Path, tip: _Tip) -> frozenset[str]:
    """Where a shallow clone's history is cut. The first-parent line from HEAD ends at one commit
    git shows without parents: the cut, when its object names some."""
    if not tip.shallow:
        return frozenset()
    ends = _git(root, ["rev-list", "--first-parent", "--max-parents=0", tip.commit]).decode("ascii", "replace").split()
    objects, why = _objects(root, ends)
    if why is not None:
        raise _Failed(why)
    return frozenset(h for h, o in zip(ends, objects, strict=True) if _grafted(o))


def _fact(watch: Watch, files: tuple[str, ...], history: _History, walked: tuple | None, today: dt.date) -> WatchFact:
    problem = static_problem(watch) or (None if files else _unmatched(watch.pattern, history))
    change = None
    if problem is None:
        change, problem = (walked or (None, None)) if watch.region else (_newest(watch, history, today), None)
    if problem is not None:
        return WatchFact(files, None, problem)
    if change is not None and change.commit in history.boundary:
        return WatchFact(files, None, shallow_problem(change.path))
    return WatchFact(files, change)


def _unmatched(pattern: str, history: _History) -> str:
    folder = pattern.rstrip("/")
    if not is_glob(pattern) and any(p.startswith(f"{folder}/") for p in history.paths):
        return f"{pattern} is a folder: a watch names files (write {folder}/** for every file in it)"
    if any(matches(pattern, p) for p in history.outside):
        return (
            f"{pattern} is outside the folder Plaintrust reads ({history.prefix} in the git repository): "
            "a watch names a file inside it"
        )
    what = "matches no file" if is_glob(pattern) else "is not a file"
    return f"{pattern} {what} in the last commit (HEAD)"


def _unread(path: str, why: str | None) -> str:
    """The problem of a region whose history git could not read in full."""
    if why is not None and "promisor" in why:
        return (
            f"the history of {path} is incomplete in this partial clone: clone the repository without --filter "
            "to judge drift"
        )
    return f"git could not read the history of {path}: {why or 'it stopped short'}"


def _newest(watch: Watch, history: _History, today: dt.date) -> WatchChange | None:
    """The newest commit, up to today, that changed a file the watch names (deleted ones too), or
    the commit where a shallow clone's history is cut, whatever its day: nothing older is known."""
    for commit in history.commits:
        name = next((n for n in commit.names if matches(watch.pattern, n)), None)
        if name is not None and (commit.day <= today or commit.hash in history.boundary):
            return WatchChange(name, commit.day, commit.hash)
    return None


def _regions(
    root: Path, head: str, watches: Sequence[Watch], history: _History, today: dt.date
) -> tuple[dict[str, tuple[WatchChange | None, str | None]], bool]:
    """Every region watch's (change, problem), and whether git told all that was asked. The walks go
    side by side: each round asks git once for what they all need next (a few revisions each, more
    as a walk goes on), so a walk reads only as far back as its region's last change, and never
    every revision of a large file at once."""
    walks = {w.spec: _walk(w, history, head, today) for w in watches}
    answers: dict[str, Any] = dict.fromkeys(walks)
    done: dict[str, tuple[WatchChange | None, str | None]] = {}
    complete = True
    while walks:
        needs: dict[str, _Need] = {}
        for spec, walk in list(walks.items()):
            try:
                needs[spec] = walk.send(answers[spec])
            except StopIteration as stop:
                done[spec] = stop.value
                del walks[spec]
        answers, told = _answer(root, head, needs)
        complete = complete and told
    return done, complete


def _walk(watch: Watch, history: _History, head: str, today: dt.date) -> _Walk:
    """A region watch's (change, problem), asking git through `_regions` as it goes. `current` is
    the region as it stands after each revision, going back: lines that markers were later put
    around carry it back to where they first appeared. The oldest revision counts as a change when
    the region is there: the file was added (a rename carries the walk on to the file's former
    path), or the walk reached its cap."""
    path = watch.pattern
    steps, cut = _steps(history.commits, path, CAP)
    texts, problem = yield from _at_head(watch, head, steps)
    if problem is not None:
        return None, problem
    current = region(texts[(head, path)] or "", watch)
    at, size = 0, 2 * _FIRST_BATCH
    while at < len(steps):
        step = steps[at]
        if at + 1 == len(steps) and not cut and step.commit.parent is not None:
            more, cut, why = yield from _former(step, CAP - len(steps))
            if why is not None:
                return None, _unread(step.path, why)
            steps += more
        older = steps[at + 1] if at + 1 < len(steps) else None
        if older is not None and (older.commit.hash, older.path) not in texts:
            texts = {}  # the revisions read before are done with: never hold two batches of a large file
            texts, why = yield _Texts(tuple((s.commit.hash, s.path) for s in steps[at + 1 : at + 1 + size]))
            size = min(2 * size, _LAST_BATCH)
            if (older.commit.hash, older.path) not in texts:
                return None, _unread(older.path, why)
        changed, before = _compared(watch, current, older, texts)
        if changed and (step.commit.day <= today or step.commit.hash in history.boundary):
            return WatchChange(path, step.commit.day, step.commit.hash), None
        current = before if changed else current
        at += 1
    return None, None


def _at_head(
    watch: Watch, head: str, steps: list[_Step]
) -> Generator[_Need, Any, tuple[dict[tuple[str, str], str | None], str | None]]:
    """The file at HEAD, read with the first few revisions before it; and what keeps its region
    from being judged (git could not read it, or the region is not there)."""
    path = watch.pattern
    texts, why = yield _Texts(((head, path), *((s.commit.hash, s.path) for s in steps[1 : 1 + _FIRST_BATCH])))
    if (head, path) not in texts:
        return {}, _unread(path, why)
    return texts, region_problem(watch, texts[(head, path)])


def _compared(
    watch: Watch, current: str | None, older: _Step | None, texts: Mapping[tuple[str, str], str | None]
) -> tuple[bool, str | None]:
    """Whether a step changed the region, against the `older` revision (None: the oldest step, which
    added it if it is there); and the region as it stood in that older revision."""
    text = None if older is None else texts[(older.commit.hash, older.path)]
    before = None if text is None else region(text, watch)
    changed = current is not None if older is None else not same_region(watch, current, before, text)
    return changed, before


def _steps(commits: list[_Commit], path: str, room: int) -> tuple[list[_Step], bool]:
    """The commits that changed `path`, newest first, as many as `room`; and whether there were more."""
    found = [_Step(c, path) for c in commits if path in c.names]
    return found[:room], len(found) > room


def _former(step: _Step, room: int) -> Generator[_Need, Any, tuple[list[_Step], bool, str | None]]:
    """When `step` added its file by renaming another (as git detects renames, against the first
    parent): the steps of the former path before it, as many as `room`, and whether there were
    more. Also why git could not tell."""
    former, why = yield _Renamed(step.commit.hash, step.commit.parent or "", step.path)
    if former is None or why is not None:
        return [], False, why
    older, why = yield _Older(step.commit.hash, former)
    return [_Step(c, former) for c in older[:room]], len(older) > room, why


def _answer(root: Path, head: str, needs: Mapping[str, _Need]) -> tuple[dict[str, tuple[Any, str | None]], bool]:
    """What git says to each walk's need, asking it once for each kind of need; and whether it told
    all it was asked."""
    texts, why_texts = _texts(root, [pair for n in needs.values() if isinstance(n, _Texts) for pair in n.wanted])
    renamed, why_renamed = _renames(root, [n for n in needs.values() if isinstance(n, _Renamed)])
    older, why_older = _older(root, head, [n for n in needs.values() if isinstance(n, _Older)])
    answers: dict[str, tuple[Any, str | None]] = {}
    for spec, need in needs.items():
        if isinstance(need, _Texts):
            answers[spec] = ({pair: texts[pair] for pair in need.wanted if pair in texts}, why_texts)
        elif isinstance(need, _Renamed):
            answers[spec] = (renamed.get((need.commit, need.path)), why_renamed)
        else:
            answers[spec] = (older.get(need, []), why_older)
    return answers, why_texts is None and why_renamed is None and why_older is None


def _texts(root: Path, pairs: list[tuple[str, str]]) -> tuple[dict[tuple[str, str], str | None], str | None]:
    """The text of each (commit, path) git could read (None: no such file there), and why it read
    not all of them."""
    unique = list(dict.fromkeys(pairs))
    try:
        objects, why = _objects(root, [f"{commit}:./{path}" for commit, path in unique])
    except _Failed as exc:
        return {}, str(exc)
    return {pair: _text(o) for pair, o in zip(unique, objects, strict=False)}, why


def _renames(root: Path, needs: list[_Renamed]) -> tuple[dict[tuple[str, str], str], str | None]:
    """(commit, path) -> the path the file had in the commit's first parent, for each file these
    commits renamed (git's rename detection); and why git could not tell."""
    if not needs:
        return {}, None
    stdin = "".join(f"{n.commit} {n.parent}\n" for n in dict.fromkeys(needs)).encode("ascii")
    args = ["diff-tree", "--stdin", "-r", "-z", "-M", "--name-status", "--diff-filter=R", "--relative"]
    try:
        out = _git(root, args, stdin)
    except _Failed as exc:
        return {}, str(exc)
    found: dict[tuple[str, str], str] = {}
    tokens, commit, at = out.split(b"\0"), "", 0
    while at < len(tokens):  # each commit's hash, then a status, the old path and the new per rename
        if _RENAMED.fullmatch(tokens[at]) and at + 2 < len(tokens):
            old, new = (t.decode("utf-8", "surrogateescape") for t in tokens[at + 1 : at + 3])
            found[(commit, new)] = old
            at += 3
        else:
            commit, at = tokens[at].decode("ascii", "replace"), at + 1
    return found, None


def _older(root: Path, head: str, needs: list[_Older]) -> tuple[dict[_Older, list[_Commit]], str | None]:
    """For each need, the first-parent commits older than its commit that changed its path: one log
    of every path from HEAD (first-parent history is one line), cut after each need's commit."""
    if not needs:
        return {}, None
    try:
        commits = _log(root, head, {n.path for n in needs})
    except _Failed as exc:
        return {}, str(exc)
    hashes = [c.hash for c in commits]
    found = {}
    for need in needs:
        after = hashes.index(need.commit) + 1 if need.commit in hashes else len(commits)
        found[need] = [c for c in commits[after:] if need.path in c.names]
    return found, None


def _log(root: Path, commit: str, patterns: Iterable[str]) -> list[_Commit]:
    """First-parent commits from `commit` that changed a file a pattern names, newest first: a merge
    counts on the day it landed, with what it changed against the branch it landed on."""
    args = [
        *("log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "-z"),
        *("--format=%x01%H %ct %P", "--name-only", "--relative", commit, "--"),
        *(f":(glob){p}" for p in sorted(patterns)),
    ]
    return _commits(_git(root, args, settings=("-c", "log.showRoot=true")))


def _commits(log: bytes) -> list[_Commit]:
    """`git log -z` output: each commit's header (after the mark), then NUL-separated names, the first
    after a line break, never quoted."""
    found: list[_Commit] = []
    header: bytes | None = None
    names: list[str] = []
    for token in [*log.split(b"\0"), _MARK]:
        if token.startswith(_MARK):
            commit = _commit(header, names) if header is not None else None
            found += [commit] if commit is not None else []
            header, names = token[1:], []
            continue
        name = token[1:] if not names and token.startswith(b"\n") else token
        if header is not None and name:
            names.append(name.decode("utf-8", "surrogateescape"))
    return found


def _commit(header: bytes, names: list[str]) -> _Commit | None:
    words = header.decode("ascii", "replace").split()
    if len(words) < 2 or not _HASH.fullmatch(words[0]) or not words[1].isdigit():
        return None
    try:
        day = dt.datetime.fromtimestamp(int(words[1]), dt.UTC).date()
    except (OverflowError, OSError, ValueError):
        return None
    return _Commit(words[0], day, words[2] if len(words) > 2 else None, tuple(names))


def _objects(root: Path, specs: list[str]) -> tuple[list[tuple[bytes, bytes] | None], str | None]:
    """Each object `specs` names, as (type, content) (None when git has no such object), as far as
    git read them in order; and why it stopped short when it did (a partial clone lacks earlier
    revisions, and Plaintrust never fetches them). Read from the object store: a symbolic link is
    the text it holds. _Failed when git could not run."""
    if not specs:
        return [], None
    done = _run(root, ["cat-file", _BATCH], "".join(s + "\n" for s in specs).encode("utf-8", "surrogateescape"))
    objects: list[tuple[bytes, bytes] | None] = []
    out, at = done.stdout, 0
    while len(objects) < len(specs) and (end := out.find(b"\n", at)) >= 0:
        found = _FOUND.fullmatch(out, at, end)
        if found is None:  # "<spec> missing": no content follows
            objects.append(None)
            at = end + 1
            continue
        content = out[end + 1 : end + 1 + int(found[2])]
        if len(content) < int(found[2]):
            break
        objects.append((found[1], content))
        at = end + 1 + len(content) + 1
    complete = done.returncode == 0 and len(objects) == len(specs)
    return objects, None if complete else _said(done)


def _text(found: tuple[bytes, bytes] | None) -> str | None:
    return found[1].decode("utf-8", "surrogateescape") if found is not None and found[0] == b"blob" else None


def _grafted(found: tuple[bytes, bytes] | None) -> bool:
    """Whether a commit git shows without parents has some in its object: a shallow clone's cut."""
    if found is None or found[0] != b"commit":
        return False
    head = found[1].split(b"\n\n", 1)[0]
    return any(line.startswith(b"parent ") for line in head.split(b"\n"))


def _table(key: list, found: Mapping[str, WatchFact]) -> dict:
    """The facts as JSON, for the document cache."""
    rows = {}
    for spec, fact in found.items():
        change = fact.change
        kept = None if change is None else [change.path, change.day.isoformat(), change.commit]
        rows[spec] = [list(fact.files), kept, fact.problem]
    return {"key": key, "facts": rows}


def _from_table(table: Mapping[str, Any] | None, key: list) -> dict[str, WatchFact] | None:
    """A cached table back, when taken with this `key` and every row has the shape `_table` writes:
    the cache is a file anyone can edit."""
    rows = table.get("facts") if table else None
    if not table or table.get("key") != key or not isinstance(rows, dict) or sorted(rows) != key[2]:
        return None
    kept = {spec: fact for spec, fact in ((s, _row(row)) for s, row in rows.items()) if fact is not None}
    return kept if len(kept) == len(rows) else None


def _row(row: Any) -> WatchFact | None:
    if not isinstance(row, list) or len(row) != 3:
        return None
    files, change, problem = row
    if not isinstance(files, list) or not all(isinstance(f, str) for f in files) or not isinstance(problem, str | None):
        return None
    if change is None:
        return WatchFact(tuple(files), None, problem)
    if not isinstance(change, list) or len(change) != 3 or not all(isinstance(v, str) for v in change):
        return None
    try:
        day = dt.date.fromisoformat(change[1])
    except ValueError:
        return None
    return (
        WatchFact(tuple(files), WatchChange(change[0], day, change[2]), problem) if _HASH.fullmatch(change[2]) else None
    )


def _run(
    root: Path, args: list[str], stdin: bytes | None = None, settings: Sequence[str] = ()
) -> subprocess.CompletedProcess[bytes]:
    """git run hardened; _Failed when it could not run, or ran past its timeout."""
    try:
        return gitrun.run(root, args, stdin, timeout=_TIMEOUT, settings=settings)
    except gitrun.GitError as exc:
        raise _Failed(str(exc)) from exc


def _git(root: Path, args: list[str], stdin: bytes | None = None, settings: Sequence[str] = ()) -> bytes:
    """git's output; _Failed when it fails, with its words."""
    done = _run(root, args, stdin, settings)
    if done.returncode != 0:
        raise _Failed(_said(done))
    return done.stdout


def _said(done: subprocess.CompletedProcess[bytes]) -> str:
    """git's last line on its error output, without its `fatal:` label."""
    said = gitrun.last_words(done, f"git stopped with exit code {done.returncode}").strip()
    return re.sub(r"^(fatal|error): ", "", said)
