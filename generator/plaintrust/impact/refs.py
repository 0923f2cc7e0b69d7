"""The range `plaintrust impact` compares, as two sides: git commits, or the working tree.

RANGE follows git's own spelling:

- none: the merge base of the default branch and HEAD, against the working tree;
- `BASE`: BASE against the working tree;
- `BASE..HEAD` two commits (`BASE..` means `BASE..HEAD`, `..X` means `HEAD..X`);
- `BASE...HEAD`: the merge base of the two against HEAD.

Every name is checked before git sees it (a name starting with `-` would be an option) and resolved
to a full hash at once, so what git runs after that takes hashes alone. A name the clone lacks is a
usage error saying what to fetch; with `fetch` it is fetched from the clone's remote (an ancestor
such as `main~2` by deepening the history from `main`), which needs the network that
`gitrun.HARDENED` forbids: `_FETCHING` allows exactly the transports a remote is reached by
(`ext::`, which runs a command, stays forbidden).
"""

from __future__ import annotations

import datetime as dt
import re
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from plaintrust.errors import ExitCode, PlaintrustError
from plaintrust.impact.report import Side
from plaintrust.internal import history
from plaintrust.load import gitrun

_TIMEOUT = 300  # seconds: a fetch over a slow network takes a while, but never forever
WORKING_TREE = "working tree"
# Where a default branch is looked for when the remote names none (refs/remotes/<remote>/HEAD).
_DEFAULTS = ("refs/remotes/{remote}/main", "refs/remotes/{remote}/master", "refs/heads/main", "refs/heads/master")
_FETCHING = (
    *(word for name in ("https", "http", "ssh", "git", "file") for word in ("-c", f"protocol.{name}.allow=always")),
    # A fetch may start housekeeping in the background; nothing of the sort on a reader's behalf.
    *("-c", "gc.auto=0", "-c", "maintenance.auto=false"),
)
# Each try to find a merge base or an ancestor: so many more commits of history, then the whole of it.
_DEEPEN = (*(f"--deepen={n}" for n in (50, 200, 1000)), "--unshallow")
_NOT_A_NAME = re.compile(r"[~^:@{}\\?*\[\s]")  # revision syntax: what a remote cannot be asked for by name
_ANCESTOR = re.compile(r"([^~^]+)([~^][~^0-9]*)")  # NAME~2, NAME^, NAME^2~1: found by deepening NAME's history
_ON_HEAD = re.compile(r"(HEAD|@)($|[~^@:{])")  # a name git reads from HEAD


class RangeError(PlaintrustError):
    """The range names what the repository does not hold, or what cannot be a git name."""

    exit_code = ExitCode.USAGE


@dataclass(frozen=True)
class Range:
    base: Side
    head: Side
    notes: tuple[str, ...] = ()  # what was fetched to get there


@dataclass(frozen=True)
class Wanted:
    """RANGE as written: `base` None is the default branch, `head` None the working tree; `merge`:
    the base is the merge base of `base` and the head (HEAD for the working tree)."""

    base: str | None
    head: str | None
    merge: bool


@dataclass
class _Repo:
    root: Path
    remote: str
    fetch: bool
    notes: list[str] = field(default_factory=list)


def parse(spec: str | None) -> Wanted:
    """RANGE, split into its names (each checked); RangeError when it cannot be one."""
    if spec is None:
        return Wanted(None, None, True)
    for dots, merge in (("...", True), ("..", False)):
        if dots in spec:
            before, _, after = spec.partition(dots)
            if not before and not after:
                raise RangeError(f"the range {spec!r} names no commit: write BASE{dots}HEAD")
            return Wanted(checked(before or "HEAD", "base"), checked(after or "HEAD", "head"), merge)
    return Wanted(checked(spec, "base"), None, False)


def checked(name: str, what: str) -> str:
    """`name` when git can take it as a revision and never as an option; else RangeError."""
    if not name:
        raise RangeError(f"the {what} is empty: name a branch, tag or commit")
    if name.startswith("-"):
        raise RangeError(f"the {what} {name!r} starts with '-', so it cannot be a git name (git would read an option)")
    if any(c in name for c in "\0\n\r"):
        raise RangeError(f"the {what} holds a line break or NUL, which no git name has")
    return name


def resolve(root: Path, spec: str | None, *, fetch: bool = False, remote: str = "origin") -> Range:
    """The two sides RANGE names in the repository holding `root`; RangeError (a usage error)
    when it names what the repository lacks. `fetch`: fetch a missing name from `remote` first."""
    wanted = parse(spec)
    repo = _Repo(root, checked(remote, "--remote"), fetch)
    _require_history(root, wanted)
    base_name = wanted.base or default_branch(root, remote)
    base = _commit(repo, base_name, "base")
    head = _commit(repo, wanted.head, "head") if wanted.head else None
    label = base_name
    if wanted.merge:
        other = wanted.head or "HEAD"
        base = _merge_base(repo, base, head or _commit(repo, "HEAD", "head"), base_name, other)
        label = f"merge base of {base_name} and {other}"
    head_side = (
        Side(_label(wanted.head, head), head, _day(root, head)) if wanted.head and head else Side(WORKING_TREE, None)
    )
    return Range(Side(_label(label, base), base, _day(root, base)), head_side, tuple(repo.notes))


def _label(name: str, commit: str) -> str:
    """The name as given, but a commit's hash (as CI jobs pass it) cut to the 12 digits shown beside it."""
    return commit[:12] if len(name) > 12 and commit.startswith(name.lower()) else name


def _require_history(root: Path, wanted: Wanted) -> None:
    """A usage error when there is no history to compare: no git, no repository, or no commit on
    HEAD when the range needs HEAD (on a new orphan branch, other branches may be compared)."""
    why = history.missing_history(root)  # HistoryError, a usage error too, when git cannot run
    if why is None or (why == history.NO_COMMITS and not _uses_head(wanted)):
        return
    raise RangeError(f"plaintrust impact compares states of the git history, but {why} ({root})")


def _uses_head(wanted: Wanted) -> bool:
    """Whether the range needs HEAD: against the working tree from a merge base, or a name read from HEAD."""
    named = (name for name in (wanted.base, wanted.head) if name is not None)
    return (wanted.merge and wanted.head is None) or any(_ON_HEAD.match(name) for name in named)


def default_branch(root: Path, remote: str) -> str:
    """The branch a change merges into: the remote's HEAD, else the first of <remote>/main,
    <remote>/master, main and master that exists; RangeError naming what to pass when none does."""
    done = _git(root, "symbolic-ref", "--quiet", f"refs/remotes/{remote}/HEAD")
    target = done.stdout.decode("utf-8", "replace").strip()
    if done.returncode == 0 and target.startswith("refs/remotes/") and _exists(root, target):
        return target.removeprefix("refs/remotes/")
    for pattern in _DEFAULTS:
        ref = pattern.format(remote=remote)
        if _exists(root, ref):
            return ref.removeprefix("refs/remotes/").removeprefix("refs/heads/")
    raise RangeError(
        f"found no default branch to compare with (neither {remote}/HEAD, {remote}/main, {remote}/master, "
        "main nor master): name the base, as in `plaintrust impact BASE` or `plaintrust impact BASE..HEAD` "
        "(a branch, tag or commit)"
    )


def _exists(root: Path, ref: str) -> bool:
    return _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}").returncode == 0


def _commit(repo: _Repo, name: str, what: str) -> str:
    """The full hash `name` resolves to, fetched first when the clone lacks it and `repo.fetch`."""
    found = _hash(repo.root, name)
    if found is None and repo.fetch:
        found = _fetched(repo, name, what) or _deepened(repo, name, what)
    if found is None:
        raise RangeError(_missing(repo, name, what))
    return found


def _hash(root: Path, name: str) -> str | None:
    done = _git(root, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{name}^{{commit}}")
    return done.stdout.decode("ascii", "replace").strip() if done.returncode == 0 else None


def _remote_name(repo: _Repo, name: str) -> str | None:
    """What to ask the remote for to get `name`: its branch for <remote>/X, else the name itself;
    None when the name is revision syntax (`main~2`) no remote answers to."""
    for prefix in (f"refs/remotes/{repo.remote}/", f"{repo.remote}/"):
        if name.startswith(prefix):
            name = name.removeprefix(prefix)
            break
    return None if not name or _NOT_A_NAME.search(name) or name.startswith("-") else name


def _missing(repo: _Repo, name: str, what: str) -> str:
    shallow = history.is_shallow(repo.root)
    fetchable = _remote_name(repo, name)
    if not shallow:
        advice = f"check the name, or pass --fetch to fetch it from {repo.remote}" if fetchable else "check the name"
        return f"no commit, branch or tag named {name!r} (the {what}) in this repository: {advice}"
    clone = f"the {what} {name!r} is not in this clone, which is shallow (it holds only part of the history)"
    if fetchable is None:
        how = "pass --fetch, or run:" if _ANCESTOR.fullmatch(name) else "fetch the history it lies in, e.g."
        return f"{clone}: {how} git fetch --unshallow {repo.remote}"
    return f"{clone}: pass --fetch, or run: git fetch --depth=1 {repo.remote} {fetchable}"


def _fetched(repo: _Repo, name: str, what: str) -> str | None:
    """Fetch `name` alone and return its hash; None when it cannot be asked for. One commit deep in
    a shallow clone; a whole clone gets the history with it, so it stays whole."""
    asked = _remote_name(repo, name)
    if asked is None:
        return None
    shallow = history.is_shallow(repo.root)
    _fetch(repo, "--depth=1" if shallow else "", asked)
    repo.notes.append(f"fetched {name} from {repo.remote}{' (depth 1)' if shallow else ''} for the {what}")
    return _hash(repo.root, "FETCH_HEAD")


def _deepened(repo: _Repo, name: str, what: str) -> str | None:
    """An ancestor (`NAME~2`, `NAME^`) a shallow clone lacks: NAME (fetched when missing), then its
    history deepened a few times, then fetched whole, until git finds it; None when it still does not."""
    ancestor = _ANCESTOR.fullmatch(name)
    if ancestor is None or not history.is_shallow(repo.root):
        return None
    tip = _commit(repo, ancestor[1], what)  # fetched NAME is no ref of the clone: its hash is
    for depth in _DEEPEN:
        _fetch(repo, depth, tip)
        repo.notes.append(_fetch_note(repo.remote, depth, f"for the {what} {name}"))
        found = _hash(repo.root, tip + ancestor[2])
        if found is not None or not history.is_shallow(repo.root):
            return found
    return None


def _fetch(repo: _Repo, depth: str, *names: str) -> None:
    args = ("fetch", "--quiet", "--no-tags", "--no-recurse-submodules", *([depth] if depth else []))
    args = (*args, "--end-of-options", repo.remote)
    done = _git(repo.root, *args, *names, settings=_FETCHING)
    if done.returncode != 0:
        wanted = " ".join(names) or "more history"
        raise RangeError(f"could not fetch {wanted} from {repo.remote}: {gitrun.last_words(done, 'git fetch failed')}")


def _merge_base(repo: _Repo, base: str, head: str, base_name: str, head_name: str) -> str:
    """The newest commit both sides come from; in a shallow clone with `repo.fetch`, the history is
    deepened a few times, then fetched whole, until git finds it."""
    found = _common(repo.root, base, head)
    tries = list(_DEEPEN) if repo.fetch else []
    while found is None and tries and history.is_shallow(repo.root):
        depth = tries.pop(0)
        _fetch(repo, depth, base)
        repo.notes.append(_fetch_note(repo.remote, depth, "to find the merge base"))
        found = _common(repo.root, base, head)
    if found is not None:
        return found
    pair = f"{base_name} and {head_name}"
    if history.is_shallow(repo.root):
        raise RangeError(
            f"git found no merge base of {pair} in this clone, which is shallow (it holds only part of "
            f"the history): pass --fetch, or run: git fetch --unshallow {repo.remote}"
        )
    raise RangeError(f"{pair} share no history, so they have no merge base: name the base, as in BASE..HEAD")


def _fetch_note(remote: str, depth: str, why: str) -> str:
    if depth == "--unshallow":
        return f"fetched the whole history from {remote} {why}"
    return f"fetched {depth.removeprefix('--deepen=')} more commits of history from {remote} {why}"


def _common(root: Path, one: str, other: str) -> str | None:
    done = _git(root, "merge-base", "--end-of-options", one, other)
    found = done.stdout.decode("ascii", "replace").strip()
    return found if done.returncode == 0 and found else None


def _day(root: Path, commit: str | None) -> dt.date | None:
    """The commit's committer date (UTC)."""
    if commit is None:
        return None
    done = _git(root, "show", "-s", "--format=%ct", commit)
    stamp = done.stdout.decode("ascii", "replace").strip()
    return dt.datetime.fromtimestamp(int(stamp), tz=dt.UTC).date() if stamp.isdigit() else None


def _git(root: Path, *args: str, settings: tuple[str, ...] = ()) -> subprocess.CompletedProcess[bytes]:
    try:
        return gitrun.run(root, args, timeout=_TIMEOUT, settings=settings)
    except gitrun.GitMissing as exc:
        raise RangeError("plaintrust impact needs git, which is not installed") from exc
    except gitrun.GitError as exc:
        raise RangeError(f"git {args[0]}: {exc}") from exc
