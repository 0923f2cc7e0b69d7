"""The two sides of a range, each read through the pipeline on the same day, each in a folder of its own.

A commit is written out from git's objects (`internal.history.checkout`, git hardened) into a
temporary folder. The working tree is copied into one too, with the files git would see (tracked,
and untracked but not ignored) and nothing else, so an ignored draft, a build folder or a local
secret never counts: the pipeline reads the folder, not the working tree. A symbolic link is copied
as a link holding its text, never followed, so both sides judge links alike. The folders are
removed on leaving, also when Ctrl-C or SIGTERM stops the command, even during the removal.
"""

from __future__ import annotations

import datetime as dt
import shutil
import subprocess
import tempfile
from collections.abc import Iterable, Iterator
from contextlib import ExitStack, contextmanager
from pathlib import Path

from plaintrust import terminate
from plaintrust.impact import snapshot
from plaintrust.impact.refs import Range, RangeError
from plaintrust.impact.report import Side
from plaintrust.internal import history
from plaintrust.load import gitrun

_TIMEOUT = 300  # seconds, as for the objects of a large repository


@contextmanager
def opened(root: Path, span: Range, today: dt.date) -> Iterator[tuple[snapshot.Snapshot, snapshot.Snapshot]]:
    """(base, head) of `span` for the repository at `root`, both judged on `today`; their folders
    are removed on leaving."""
    with ExitStack() as stack:
        stack.enter_context(terminate.as_interrupt())  # SIGTERM removes the folders too, as Ctrl+C does
        base = _taken(stack, root, span.base, today)
        head = _taken(stack, root, span.head, today)
        yield base, head


def _taken(stack: ExitStack, root: Path, side: Side, today: dt.date) -> snapshot.Snapshot:
    folder = _temporary(stack)
    if side.commit is None:
        copied = history.write_tree(folder, _entries(root, working_files(root)))
        return snapshot.take(folder, side, today, copied)
    history.checkout(root, side.commit, folder)  # empty when --root did not exist yet there
    return snapshot.take(folder, side, today)


def _temporary(stack: ExitStack) -> Path:
    """A new empty folder, removed when `stack` closes."""
    folder = Path(tempfile.mkdtemp(prefix="plaintrust-impact-"))
    stack.callback(_removed, folder)
    return folder


def _removed(folder: Path) -> None:
    """Remove `folder` whole even when interrupted on the way (Ctrl-C): the removal starts again
    and the interrupt is raised once it is done, so no side is left behind in the temporary folder."""
    interrupted: BaseException | None = None
    while True:
        try:
            shutil.rmtree(folder, ignore_errors=True)
            break
        except KeyboardInterrupt as exc:
            interrupted = exc
    if interrupted is not None:
        raise interrupted


def _entries(root: Path, paths: Iterable[str]) -> Iterator[history.Entry]:
    """(path, kind, chunks) of each of `paths` under `root`, one at a time, never through a link;
    what is not a file or a link (a submodule's folder), or is gone, is left out."""
    for path in paths:
        with snapshot.entry(root, path) as found:  # open while `write_tree` copies it, closed after
            if found is not None:
                yield path, *found


def working_files(root: Path) -> tuple[str, ...]:
    """The working tree's files under `root`, from it: tracked and untracked-but-not-ignored (a
    tracked file deleted and not yet committed is listed; `_entries` finds it gone)."""
    done = _git(root, "ls-files", "-z", "--cached", "--others", "--exclude-standard")
    if done.returncode != 0:
        raise RangeError(f"git ls-files: {gitrun.last_words(done, 'failed')}")
    listed = dict.fromkeys(done.stdout.decode("utf-8", "surrogateescape").split("\0"))
    return tuple(p for p in listed if p)


def _git(root: Path, *args: str) -> subprocess.CompletedProcess[bytes]:
    try:
        return gitrun.run(root, args, timeout=_TIMEOUT)
    except gitrun.GitError as exc:
        raise RangeError(f"git {args[0]}: {exc}") from exc
