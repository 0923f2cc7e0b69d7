"""The repository as it was at a git ref, for `plaintrust gaps --since REF` and the frameworks' baselines.

Git runs hardened (`gitrun`): the repository's own configuration never makes Plaintrust run a
program, and `git archive` applies none of the filter drivers it names.
"""

from __future__ import annotations

import datetime as dt
import io
import subprocess
import tarfile
from collections.abc import Sequence
from pathlib import Path

from plaintrust.errors import ExitCode, PlaintrustError
from plaintrust.load import gitrun

_TIMEOUT = 300  # seconds; the archive of a large repository takes a while, but never forever


class HistoryError(PlaintrustError):
    """Git could not give us the repository at that ref."""

    exit_code = ExitCode.USAGE


def _git(root: Path, *args: str, settings: Sequence[str] = ()) -> bytes:
    done = _run(root, *args, settings=settings)
    if done.returncode != 0:
        message = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise HistoryError(f"git {' '.join(args[:2])}: {message[-1] if message else 'failed'}")
    return done.stdout


def _run(root: Path, *args: str, settings: Sequence[str] = ()) -> subprocess.CompletedProcess[bytes]:
    """git run hardened (`gitrun`), a failing one included; HistoryError when it could not run."""
    try:
        return gitrun.run(root, args, timeout=_TIMEOUT, settings=settings)
    except gitrun.GitError as exc:
        raise _could_not_run(args, exc) from exc


def _could_not_run(args: Sequence[str], exc: gitrun.GitError) -> HistoryError:
    if isinstance(exc, gitrun.GitMissing):
        return HistoryError("--since needs git, which is not installed")
    return HistoryError(f"git {' '.join(args[:2])}: {exc}")


def _filters_off(root: Path) -> tuple[str, ...]:
    """Settings turning off the filter drivers the repository's own configuration names."""
    try:
        return gitrun.own_programs_off(root, timeout=_TIMEOUT)
    except gitrun.GitError as exc:
        raise _could_not_run(["archive"], exc) from exc


def checkout(root: Path, ref: str, into: Path) -> dt.date:
    """Extract the tracked files of `root` at `ref` into `into`; returns the commit's date (UTC).
    Run in a sub-folder of the work tree, git archives that folder alone, its paths from there."""
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    off = _filters_off(root)  # the repository's own filter drivers: programs it names
    archive = _git(root, "archive", "--format=tar", commit, settings=off)
    with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
        tar.extractall(into, filter=_kept)
    stamp = int(_git(root, "show", "-s", "--format=%ct", commit).decode().strip())
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()


def _kept(member: tarfile.TarInfo, path: str) -> tarfile.TarInfo | None:
    """tarfile's "data" filter, but what it refuses (a link leaving the folder, a device) is left
    out instead of stopping the extraction: a committed link is the repository's to keep."""
    try:
        return tarfile.data_filter(member, path)
    except tarfile.FilterError:
        return None


def tree_at(into: Path, root: Path) -> Path:
    """Where the repository root lies inside what `checkout` extracted: `into` itself, since a
    sub-folder given as --root is archived from there."""
    return into


_ABSENT = {
    "no-git": "git is not installed",
    "no-repository": "the repository is not a git repository",
    "no-commits": "the repository has no commits yet",
}
# What `gaps --since` says instead, to someone who may not know what it needs.
_SINCE_NEEDS = {
    "no-git": "--since needs git, which is not installed",
    "no-repository": "{root} is not in a git repository, so --since has nothing to compare with (it lists what "
    "changed since an earlier commit, branch or tag): run `git init` there and commit your files, "
    "then tag each audited state",
    "no-commits": "the git repository at {root} has no commits yet, so --since has nothing to compare with: "
    "commit your files first",
}


def missing_history(root: Path) -> str | None:
    """Why `root` has no git history to compare with (no git, not a repository, no commit), else None."""
    absent = _absent(root)
    return _ABSENT[absent] if absent else None


def _absent(root: Path) -> str | None:
    args = ("rev-parse", "--verify", "--quiet", "HEAD^{commit}")
    try:
        done = gitrun.run(root, args, timeout=_TIMEOUT)
    except gitrun.GitMissing:
        return "no-git"
    except gitrun.GitError as exc:
        raise _could_not_run(args, exc) from exc
    if done.returncode == 0:
        return None
    inside = _run(root, "rev-parse", "--git-dir")
    return "no-commits" if inside.returncode == 0 else "no-repository"


def require_ref(root: Path, ref: str) -> None:
    """HistoryError (a usage error) naming what is missing when `ref`, given to --since, names no
    commit of the repository at `root`."""
    absent = _absent(root)
    if absent is not None:
        raise HistoryError(_SINCE_NEEDS[absent].format(root=root))
    if not has_ref(root, ref):
        shallow = " (this clone is shallow: fetch the tags and history)" if is_shallow(root) else ""
        raise HistoryError(f"no commit, branch or tag named {ref!r} in this repository{shallow}")


def is_shallow(root: Path) -> bool:
    """A clone with part of its history (CI checkouts often are): a ref it lacks may still exist."""
    done = _run(root, "rev-parse", "--is-shallow-repository")
    return done.stdout.decode("utf-8", "replace").strip() == "true"


def has_ref(root: Path, ref: str) -> bool:
    """Whether `ref` names a commit (a tag not fetched into a shallow clone does not)."""
    return _run(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").returncode == 0
