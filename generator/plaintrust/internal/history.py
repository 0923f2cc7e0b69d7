"""The repository as it was at a git ref, for `plaintrust gaps --since REF`, the frameworks' baselines
and `plaintrust impact`.

Git runs hardened (`gitrun`): the repository's own configuration never makes Plaintrust run a
program. A commit is written out from git's objects alone (`ls-tree` and one `cat-file --batch`):
each file as stored, with no attribute, filter driver or export rule applied, so no
`.gitattributes` (`export-ignore`, `export-subst`, a filter) can change what a side holds, and no
program runs on the way. A symbolic link is written as a link holding its text, never followed, so
the pipeline judges it as it judges one in the working tree; a submodule is left out. Every name is
checked, and written inside the target folder only, through folders made here (never a link).
Each file goes from git to its place a chunk at a time: a small `.git` can hold blobs that inflate
to gigabytes, and none is ever held whole in memory.
"""

from __future__ import annotations

import datetime as dt
import os
import re
import stat
import subprocess
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO

from plaintrust.errors import ExitCode, PlaintrustError
from plaintrust.load import gitrun

_TIMEOUT = 300  # seconds; the objects of a large repository take a while, but never forever
# What a tree entry is written as, by its git mode; a submodule (160000) is not written.
FILE, EXECUTABLE, LINK = "file", "executable", "link"
_KINDS = {"100755": EXECUTABLE, "120000": LINK}
_ENTRY = re.compile(r"([0-7]{6}) (blob|tree|commit) ([0-9a-f]{40,64})\t(.*)", re.DOTALL)
_FOUND = re.compile(rb"([0-9a-f]{40,64}) ([a-z]+) ([0-9]+)")
_CHUNK = 1024 * 1024  # bytes of a file held at once on its way from git or the working tree
_LINK_MAX = 4096  # bytes: no system takes a longer link text (PATH_MAX)
Entry = tuple[str, str, Iterable[bytes]]  # (path, kind, its bytes in chunks) for `write_tree`


class HistoryError(PlaintrustError):
    """Git could not give us the repository at that ref."""

    exit_code = ExitCode.USAGE


def _git(root: Path, *args: str, stdin: bytes | None = None) -> bytes:
    done = _run(root, *args, stdin=stdin)
    if done.returncode != 0:
        raise _failed(args, done)
    return done.stdout


def _failed(args: Sequence[str], done: subprocess.CompletedProcess[bytes]) -> HistoryError:
    return HistoryError(f"git {' '.join(args[:2])}: {gitrun.last_words(done, 'failed')}")


def _run(root: Path, *args: str, stdin: bytes | None = None) -> subprocess.CompletedProcess[bytes]:
    """git run hardened (`gitrun`), a failing one included; HistoryError when it could not run."""
    try:
        return gitrun.run(root, args, stdin, timeout=_TIMEOUT)
    except gitrun.GitError as exc:
        raise _could_not_run(args, exc) from exc


def _could_not_run(args: Sequence[str], exc: gitrun.GitError) -> HistoryError:
    if isinstance(exc, gitrun.GitMissing):
        return HistoryError("--since needs git, which is not installed")
    return HistoryError(f"git {' '.join(args[:2])}: {exc}")


def checkout(root: Path, ref: str, into: Path) -> dt.date:
    """Write the tracked files of `root` at `ref` into `into`, an empty folder; returns the commit's
    date (UTC). Run in a sub-folder of the work tree, that folder alone is written, its paths from
    there (nothing when the commit does not have it). Each file goes from git to its place in
    chunks, so no file, however large, is ever held whole in memory."""
    commit = _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    entries = _entries(root, commit)
    if entries:
        with _batch(root) as objects:
            write_tree(into, _blobs(objects, entries))
    stamp = int(_git(root, "show", "-s", "--format=%ct", commit).decode().strip())
    return dt.datetime.fromtimestamp(stamp, tz=dt.UTC).date()


def _entries(root: Path, commit: str) -> list[tuple[str, str, str]]:
    """(kind, object, path) of each file of `commit` under `root`, paths from `root`; a submodule
    (a commit in the tree) is left out."""
    args = ("ls-tree", "-r", "-z", "--full-tree", f"{commit}:./")
    done = _run(root, *args)
    if done.returncode != 0:
        if _run(root, "rev-parse", "--verify", "--quiet", f"{commit}:./").returncode != 0:
            return []  # the folder `root` is did not exist yet at that commit
        raise _failed(args, done)
    found = []
    for record in done.stdout.decode("utf-8", "surrogateescape").split("\0"):
        entry = _ENTRY.fullmatch(record)
        if entry is not None and entry[2] == "blob":
            found.append((_KINDS.get(entry[1], FILE), entry[3], entry[4]))
    return found


@contextmanager
def _batch(root: Path) -> Iterator[subprocess.Popen[bytes]]:
    """`git cat-file --batch` running hardened (`gitrun.popen`), asked one object at a time."""
    args = ("cat-file", "--batch")
    try:
        with gitrun.popen(root, args, timeout=_TIMEOUT) as process:
            yield process
    except gitrun.GitError as exc:
        raise _could_not_run(args, exc) from exc


def _blobs(objects: subprocess.Popen[bytes], entries: Iterable[tuple[str, str, str]]) -> Iterator[Entry]:
    """(path, kind, chunks) of each (kind, object, path), its blob asked of `objects` when its turn
    comes; what `write_tree` leaves unread of one is skipped before the next. HistoryError when git
    lacks one (a partial clone does not fetch it: `gitrun` forbids the network)."""
    assert objects.stdin is not None and objects.stdout is not None
    for kind, oid, path in entries:
        chunks = _chunks(objects.stdout, _asked(objects.stdin, objects.stdout, oid), oid)
        yield path, kind, chunks
        for _ in chunks:  # not written (a name refused): read past it all the same
            pass
        if objects.stdout.read(1) != b"\n":  # the line break after each object
            raise _lacks(oid)


def _asked(ask: IO[bytes], answers: IO[bytes], oid: str) -> int:
    """The size of the blob `oid`, its bytes next in `answers`."""
    try:
        ask.write(f"{oid}\n".encode())
        ask.flush()  # cat-file answers each line as it comes, unbuffered
    except OSError as exc:  # git stopped
        raise _lacks(oid) from exc
    header = answers.readline(200)
    found = _FOUND.fullmatch(header[:-1]) if header.endswith(b"\n") else None
    if found is None or found[1] != oid.encode() or found[2] != b"blob":
        raise _lacks(oid)
    return int(found[3])


def _chunks(answers: IO[bytes], size: int, oid: str) -> Iterator[bytes]:
    """The next `size` bytes of `answers`, _CHUNK at a time."""
    while size > 0:
        chunk = answers.read(min(size, _CHUNK))
        if not chunk:
            raise _lacks(oid)
        size -= len(chunk)
        yield chunk


def _lacks(oid: str) -> HistoryError:
    return HistoryError(f"git cat-file: the repository lacks the object {oid} (a partial or damaged clone)")


def write_tree(into: Path, entries: Iterable[Entry]) -> tuple[str, ...]:
    """Write each (path, kind, chunks) under `into`, an empty folder this process alone writes: a
    FILE or EXECUTABLE with its bytes, written chunk by chunk as they come, a LINK as a symbolic link
    whose text is the bytes (never followed). An entry is left out when its name could lead
    elsewhere (see `fair_name`), when a folder on its way is a link or a file written before it,
    when its place is taken (a name given twice), or when a link's text is too long for one.
    Returns the paths written."""
    made = {""}  # folders under `into` known to be folders
    written = []
    for path, kind, chunks in entries:
        if fair_name(path) and _folder(into, path.rpartition("/")[0], made) and _written(into / path, kind, chunks):
            written.append(path)
    return tuple(written)


def fair_name(path: str) -> bool:
    """Whether `path` ('/'-separated, from a tree or a listing) names a place inside the folder it
    is written to: not absolute, no empty, `.` or `..` part, no `.git` folder, no NUL; on Windows no
    backslash or drive colon either."""
    if "\0" in path or (os.sep != "/" and ("\\" in path or ":" in path)):
        return False
    return all(part not in ("", ".", "..") and part.lower() != ".git" for part in path.split("/"))


def _folder(into: Path, folder: str, made: set[str]) -> bool:
    """Whether `folder` (under `into`) is a folder, made here when missing; never a link."""
    if folder in made:
        return True
    if not _folder(into, folder.rpartition("/")[0], made):
        return False
    place = into / folder
    try:
        place.mkdir(exist_ok=True)
        if not stat.S_ISDIR(os.lstat(place).st_mode):
            return False  # a link or a file of the same name came first
    except OSError:  # a file of the same name came first
        return False
    made.add(folder)
    return True


_CREATE = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_BINARY", 0)


def _written(place: Path, kind: str, chunks: Iterable[bytes]) -> bool:
    """Whether the entry was written; False when its place is taken or no link can be made there."""
    try:
        if kind == LINK:
            text = _link_text(chunks)
            if text is None:
                return False
            os.symlink(os.fsdecode(text), place)
            return True
        fd = os.open(place, _CREATE, 0o777 if kind == EXECUTABLE else 0o666)
    except (OSError, ValueError):  # ValueError: a NUL in a link's text, which no link can hold
        return False
    try:
        with os.fdopen(fd, "wb") as stream:
            for chunk in chunks:
                stream.write(chunk)
    except OSError as exc:  # a full disk: the side would be wrong, not smaller
        raise HistoryError(f"could not copy the repository's files to a temporary folder: {exc.strerror}") from exc
    return True


def _link_text(chunks: Iterable[bytes]) -> bytes | None:
    """The text of a link, None past what any link can hold (a crafted blob of any size)."""
    text = b""
    for chunk in chunks:
        text += chunk
        if len(text) > _LINK_MAX:
            return None
    return text


_ABSENT = {
    "no-git": "git is not installed",
    "no-repository": "the repository is not a git repository",
    "no-commits": "the repository has no commits yet",
}
NO_COMMITS = _ABSENT["no-commits"]  # HEAD names no commit: a new repository, or a new orphan branch
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
