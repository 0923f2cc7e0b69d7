"""The two sides of a range, each read through the pipeline on the same day.

A commit is extracted (`internal.history.checkout`, git hardened) into a temporary folder removed
when the comparison is done; the working tree is read where it is, with the files git would see
(tracked, and untracked but not ignored), so a build folder or a local secret never counts.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from plaintrust.impact import snapshot
from plaintrust.impact.refs import Range, RangeError
from plaintrust.impact.report import Side
from plaintrust.internal import history
from plaintrust.load import gitrun

_TIMEOUT = 300  # seconds, as for the archive of a large repository


@contextmanager
def opened(root: Path, span: Range, today: dt.date) -> Iterator[tuple[snapshot.Snapshot, snapshot.Snapshot]]:
    """(base, head) of `span` for the repository at `root`, both judged on `today`; the extracted
    commits are removed on leaving."""
    with ExitStack() as stack:
        base = _taken(stack, root, span.base, today)
        head = _taken(stack, root, span.head, today)
        yield base, head


def _taken(stack: ExitStack, root: Path, side: Side, today: dt.date) -> snapshot.Snapshot:
    if side.commit is None:
        return snapshot.take(root, side, today, working_files(root))
    folder = Path(stack.enter_context(tempfile.TemporaryDirectory(prefix="plaintrust-impact-")))
    if _holds_root(root, side.commit):  # else --root did not exist yet there: an empty side
        history.checkout(root, side.commit, folder)
    return snapshot.take(history.tree_at(folder, root), side, today)


def _holds_root(root: Path, commit: str) -> bool:
    """Whether the commit has the folder `root` is (the work tree's top always is)."""
    return _git(root, "rev-parse", "--verify", "--quiet", f"{commit}:./").returncode == 0


def working_files(root: Path) -> tuple[str, ...]:
    """The working tree's files under `root`, from it: tracked and untracked-but-not-ignored, less
    those deleted and not yet committed."""
    done = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if done.returncode != 0:
        lines = done.stderr.decode("utf-8", "replace").strip().splitlines()
        raise RangeError(f"git ls-files: {lines[-1] if lines else 'failed'}")
    listed = dict.fromkeys(done.stdout.decode("utf-8", "surrogateescape").split("\0"))
    return tuple(p for p in listed if p and os.path.lexists(root / p))


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return gitrun.run(root, args, timeout=_TIMEOUT)
    except gitrun.GitError as exc:
        raise RangeError(f"git {args[0]}: {exc}") from exc
