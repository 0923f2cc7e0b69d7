"""What git says of the files controls watch (`watches`): when each last changed.

`facts` reads it for every watch at once: one listing of the files at HEAD, one first-parent log
of every watched path and one `cat-file` for the revisions of watched regions, whatever the number
of controls. Everything comes from git's objects, never from the working tree: an uncommitted edit
does not count (drift is judged on history), and a symbolic link is the text it holds, never
followed. A commit dated after today (`SOURCE_DATE_EPOCH` set back) is not counted yet, as a record
collected after today is not (see `drift`). Without git, outside a repository or before the first
commit, nothing is judged and `facts` says why.

`matches` and `region` are shared with `plaintrust impact`, which compares two trees with them.

Git runs hardened (`gitrun`): a repository's own configuration must not make `check` run a program.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping, Sequence
from functools import lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from plaintrust.load import gitrun
from plaintrust.model import Watch, WatchChange, WatchFact

_GLOB_CHARS = re.compile(r"[*?\[]")
_NAME_END = re.compile(r"[^A-Za-z0-9._-]|$")
_LINES = re.compile(r"L([1-9][0-9]*)-L([1-9][0-9]*)")
_TIMEOUT = 30  # seconds; drift is a warning, never worth hanging a check
CAP = 200  # revisions of one file a region walk reads at most; the oldest read is then the change
_MARK = b"\x01"
_BATCH = "--batch=%(objectname) %(objecttype) %(objectsize)"
_FOUND = re.compile(rb"[0-9a-f]{40,64} ([a-z]+) ([0-9]+)")
_HASH = re.compile(r"[0-9a-f]{40,64}")
UNKNOWN = {
    "no-git": "git is not installed",
    "no-repository": "the repository is not a git repository",
    "no-commits": "the repository has no commits yet",
    "failed": "git could not read the repository's history",
}


def is_glob(pattern: str) -> bool:
    return _GLOB_CHARS.search(pattern) is not None


def matches(pattern: str, path: str) -> bool:
    """Whether `path` (from the repository root) is named by `pattern`, in git's `:(glob)` syntax:
    `*` and `?` never cross a `/`, `**/` stands for any folders (none included), a trailing `/**`
    for everything inside, `[...]` for one character of a class."""
    return _compiled(pattern).fullmatch(path) is not None


@lru_cache(maxsize=512)
def _compiled(pattern: str) -> re.Pattern[str]:
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i) and (i == 0 or pattern[i - 1] == "/"):
            out.append("(?:[^/]*/)*")
            i += 3
        elif pattern.startswith("/**", i) and i + 3 == len(pattern):
            out.append("/.*")
            i += 3
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and (close := _class_end(pattern, i)) > 0:
            body = pattern[i + 1 : close]
            negate = body[:1] in ("!", "^")
            body = body[1:] if negate else body
            out.append(f"(?!/)[{'^' if negate else ''}{_escape_class(body)}]")
            i = close + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out), re.DOTALL)


def _class_end(pattern: str, start: int) -> int:
    """Index of the `]` closing the class opened at `start`, or -1 when it is not closed."""
    i = start + 1
    if i < len(pattern) and pattern[i] in "!^":
        i += 1
    if i < len(pattern) and pattern[i] == "]":
        i += 1
    close = pattern.find("]", i)
    return close


def _escape_class(body: str) -> str:
    return body.replace("\\", "\\\\").replace("[", "\\[")


def region(text: str, watch: Watch) -> str | None:
    """The watched region of a file's `text`: its lines `watch.lines`, or the lines strictly between
    the first line holding `plaintrust:start NAME` and the next line holding `plaintrust:end`.
    None when the file has no such region (too short, or a marker missing); the whole text for a
    watch without a region."""
    lines = text.splitlines()
    if watch.lines is not None:
        first, last = watch.lines
        return "\n".join(lines[first - 1 : last]) if first <= last <= len(lines) else None
    if watch.marker is None:
        return text
    start = next((i for i, line in enumerate(lines) if _starts(line, watch.marker)), None)
    if start is None:
        return None
    end = next((i for i in range(start + 1, len(lines)) if "plaintrust:end" in lines[i]), None)
    return None if end is None else "\n".join(lines[start + 1 : end])


def _starts(line: str, name: str) -> bool:
    """Whether `line` holds `plaintrust:start NAME` with NAME whole (AC-02 is not AC-020)."""
    tag = f"plaintrust:start {name}"
    at = line.find(tag)
    while at >= 0:
        if _NAME_END.match(line, at + len(tag)):
            return True
        at = line.find(tag, at + 1)
    return False


def watch(spec: str, index: int = 0) -> Watch:
    """One `watches` entry as the schema lets it through: the pattern before the first `#`, then a
    line range (`L10-L40`) or else a marker's name."""
    pattern, _, fragment = spec.partition("#")
    lines = _LINES.fullmatch(fragment)
    if lines is not None:
        return Watch(spec, pattern, (int(lines[1]), int(lines[2])), None, index)
    return Watch(spec, pattern, None, fragment or None, index)


def static_problem(watch: Watch) -> str | None:
    """What is wrong with a watch whatever git says: a region of a glob, a line range backwards."""
    if watch.region and is_glob(watch.pattern):
        return f"{watch.spec}: a region belongs to one file, but {watch.pattern} is a glob"
    if watch.lines is not None and watch.lines[0] > watch.lines[1]:
        return f"{watch.spec}: the line range ends before it starts"
    return None


def shallow_problem(path: str) -> str:
    return (
        f"the history of {path} is cut short by a shallow clone: fetch the full history (fetch-depth: 0) to judge drift"
    )


class _Tip(NamedTuple):
    commit: str
    shallow: bool


class _Commit(NamedTuple):
    hash: str
    day: dt.date  # the committer date, UTC
    parentless: bool  # a root commit, or one where a shallow clone's history is cut
    names: tuple[str, ...]  # the watched paths it changed, from the root


class _History(NamedTuple):
    paths: frozenset[str]  # every file at HEAD
    commits: list[_Commit]  # first-parent, newest first, that changed a watched path
    texts: Mapping[str, str | None]  # `commit:path` -> the file's text there (None: no such file)
    boundary: frozenset[str]  # commits where a shallow clone's history is cut


def facts(
    root: Path, watches: Iterable[Watch], cached: Mapping[str, Any] | None, today: dt.date
) -> tuple[dict[str, WatchFact], str | None, dict | None]:
    """(spec -> what git says of it, why nothing could be judged, the table to keep in the document
    cache). `cached`, an earlier run's table, is used when taken at the same HEAD commit, day and
    specs. No table comes back when git failed, nor in a shallow clone: fetching more history
    changes what git can tell without moving HEAD."""
    tip = _tip(root)
    if isinstance(tip, str):
        return {}, UNKNOWN[tip], None
    unique = {w.spec: w for w in watches}
    key = [tip.commit, today.isoformat(), sorted(unique)]
    kept = _from_table(cached, key) if cached and not tip.shallow else None
    if kept is not None:
        return kept, None, dict(cached or {})
    found = _read(root, tip, list(unique.values()), today)
    if found is None:
        return {}, UNKNOWN["failed"], None
    return found, None, None if tip.shallow else _table(key, found)


def _tip(root: Path) -> _Tip | str:
    """HEAD's commit and whether the clone is shallow, or why there is none (a key of UNKNOWN)."""
    try:
        done = gitrun.run(
            root, ["rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}"], timeout=_TIMEOUT
        )
    except gitrun.GitMissing:
        return "no-git"
    except gitrun.GitError:
        return "failed"
    words = done.stdout.decode("ascii", "replace").split()
    if done.returncode == 0 and len(words) == 2 and words[0] in ("true", "false") and _HASH.fullmatch(words[1]):
        return _Tip(words[1], words[0] == "true")
    return "no-commits" if _git(root, ["rev-parse", "--git-dir"]) is not None else "no-repository"


def _read(root: Path, tip: _Tip, watches: Sequence[Watch], today: dt.date) -> dict[str, WatchFact] | None:
    """Every watch's fact, read from git; None when git failed."""
    listing = _git(root, ["ls-tree", "-r", "-z", "--name-only", tip.commit])
    if listing is None:
        return None
    paths = frozenset(n.decode("utf-8", "surrogateescape") for n in listing.split(b"\0") if n)
    files = {w.spec: _files(w.pattern, paths) for w in watches}
    judged = [w for w in watches if files[w.spec] and static_problem(w) is None]
    commits = _log(root, tip.commit, {w.pattern for w in judged}) if judged else []
    if commits is None:
        return None
    regions = sorted({w.pattern for w in judged if w.region})
    wanted = [f"{tip.commit}:./{p}" for p in regions]
    wanted += [f"{c.hash}:./{p}" for p in regions for c in _revisions(commits, p)]
    parentless = [c.hash for c in commits if c.parentless] if tip.shallow else []
    objects = _objects(root, [*wanted, *parentless])
    if objects is None:
        return None
    texts = {spec: _text(o) for spec, o in zip(wanted, objects, strict=False)}
    cut = frozenset(h for h, o in zip(parentless, objects[len(wanted) :], strict=True) if _grafted(o))
    history = _History(paths, commits, texts, cut)
    return {w.spec: _fact(w, files[w.spec], history, tip.commit, today) for w in watches}


def _files(pattern: str, paths: frozenset[str]) -> tuple[str, ...]:
    if not is_glob(pattern):
        return (pattern,) if pattern in paths else ()
    return tuple(sorted(p for p in paths if matches(pattern, p)))


def _revisions(commits: list[_Commit], path: str) -> list[_Commit]:
    """The commits that changed `path`, newest first, as many as a region walk reads."""
    return [c for c in commits if path in c.names][:CAP]


def _fact(watch: Watch, files: tuple[str, ...], history: _History, head: str, today: dt.date) -> WatchFact:
    problem = static_problem(watch) or (None if files else _unmatched(watch.pattern, history.paths))
    if problem is None and watch.region:
        problem = _region_problem(watch, history.texts.get(f"{head}:./{watch.pattern}"))
    if problem is not None:
        return WatchFact(files, None, problem)
    change = _region_change(watch, history, head, today) if watch.region else _newest(watch, history, today)
    if change is not None and change.commit in history.boundary:
        return WatchFact(files, None, shallow_problem(change.path))
    return WatchFact(files, change)


def _unmatched(pattern: str, paths: frozenset[str]) -> str:
    folder = pattern.rstrip("/")
    if any(p.startswith(f"{folder}/") for p in paths) and not is_glob(pattern):
        return f"{pattern} is a folder: a watch names files (write {folder}/** for every file in it)"
    what = "matches no file" if is_glob(pattern) else "is not a file"
    return f"{pattern} {what} in the last commit (HEAD)"


def _region_problem(watch: Watch, text: str | None) -> str | None:
    path = watch.pattern
    if text is None:
        return f"{path} is not a file git can read at HEAD"
    if region(text, watch) is not None:
        return None
    if watch.lines is not None:
        count = len(text.splitlines())
        first, last = watch.lines
        return f"{path} has {count} line{'' if count == 1 else 's'} at HEAD: lines {first}-{last} run past its end"
    lines = text.splitlines()
    if not any(_starts(line, watch.marker or "") for line in lines):
        return f"{path} has no `plaintrust:start {watch.marker}` line"
    return f"{path} has no `plaintrust:end` line after `plaintrust:start {watch.marker}`"


def _newest(watch: Watch, history: _History, today: dt.date) -> WatchChange | None:
    """The newest commit, up to today, that changed a file the watch names (deleted ones too), or
    the commit where a shallow clone's history is cut, whatever its day: nothing older is known."""
    for commit in history.commits:
        name = next((n for n in commit.names if matches(watch.pattern, n)), None)
        if name is not None and (commit.day <= today or commit.hash in history.boundary):
            return WatchChange(name, commit.day, commit.hash)
    return None


def _region_change(watch: Watch, history: _History, head: str, today: dt.date) -> WatchChange | None:
    """The newest commit, up to today, whose region differs from the one before it. `current` is the
    region as it stands after each revision, going back: lines that markers were later put around
    carry it back to where they first appeared. The oldest revision read counts as a change when
    the region is there (the file was added, or the walk stops)."""
    path = watch.pattern
    revisions = _revisions(history.commits, path)
    current = region(history.texts.get(f"{head}:./{path}") or "", watch)
    for i, commit in enumerate(revisions):
        older = revisions[i + 1] if i + 1 < len(revisions) else None
        text = None if older is None else history.texts.get(f"{older.hash}:./{path}")
        before = None if text is None else region(text, watch)
        changed = current is not None if older is None else not _same(watch, current, before, text)
        if changed and (commit.day <= today or commit.hash in history.boundary):
            return WatchChange(path, commit.day, commit.hash)
        if changed:
            current = before
    return None


def _same(watch: Watch, newer: str | None, before: str | None, older: str | None) -> bool:
    """Whether a region is unchanged from the older revision: equal, or (markers missing there) its
    lines stood in the older text already, one after another."""
    if newer == before:
        return True
    if newer is None or before is not None or watch.marker is None or older is None:
        return False
    needle = newer.split("\n") if newer else []
    lines = older.splitlines()
    return any(lines[i : i + len(needle)] == needle for i in range(len(lines) - len(needle) + 1))


def _log(root: Path, commit: str, patterns: Iterable[str]) -> list[_Commit] | None:
    """First-parent commits from `commit` that changed a file a pattern names, newest first: a merge
    counts on the day it landed, with what it changed against the branch it landed on."""
    args = [
        *("log", "--first-parent", "--diff-merges=first-parent", "--no-renames", "-z"),
        *("--format=%x01%H %ct %P", "--name-only", "--relative", commit, "--"),
        *(f":(glob){p}" for p in sorted(patterns)),
    ]
    out = _git(root, args, settings=("-c", "log.showRoot=true"))
    return None if out is None else _commits(out)


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
    return _Commit(words[0], day, len(words) == 2, tuple(names))


def _objects(root: Path, specs: list[str]) -> list[tuple[bytes, bytes] | None] | None:
    """Each object `specs` names, as (type, content) (None when git has no such object); None when
    git failed. Read from the object store: a symbolic link is the text it holds."""
    if not specs:
        return []
    stdin = "".join(s + "\n" for s in specs).encode("utf-8", "surrogateescape")
    out = _git(root, ["cat-file", _BATCH], stdin)
    if out is None:
        return None
    objects: list[tuple[bytes, bytes] | None] = []
    at = 0
    for _ in specs:
        end = out.find(b"\n", at)
        found = _FOUND.fullmatch(out, at, end) if end >= 0 else None
        if found is None:  # "<spec> missing": no content follows
            objects.append(None)
            at = end + 1 if end >= 0 else len(out)
            continue
        at, size = end + 1, int(found[2])
        content = out[at : at + size]
        objects.append((found[1], content) if len(content) == size else None)
        at += size + 1
    return objects


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


def _git(root: Path, args: list[str], stdin: bytes | None = None, settings: Sequence[str] = ()) -> bytes | None:
    """git's output (run hardened), or None when it is missing, fails or hangs."""
    try:
        done = gitrun.run(root, args, stdin, timeout=_TIMEOUT, settings=settings)
    except gitrun.GitError:
        return None
    return done.stdout if done.returncode == 0 else None
