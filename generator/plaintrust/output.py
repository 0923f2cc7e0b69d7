"""Safe output: never onto an input, one file at a time atomically, whole folders through staging.

A folder is built into a staging folder beside its target and swapped in only on success; a single
file is written beside itself and renamed over the old one. A file or folder the user names on the
command line may not land on the repository's inputs or in the published site: `protected_reason`
decides that for every command.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import stat
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

# Folders of a trust-center repository that only their own commands (import, evidence pin, ...) write.
INPUT_FOLDERS = (
    ("controls", "the control definitions"),
    ("evidence", "the evidence records, their files and the ledger"),
    ("site", "the public site's sources"),
    ("frameworks", "the custom framework catalogs"),
    ("policies", "the policies"),
    ("answers", "the questionnaire answers"),
    ("notifications", "the record of what plaintrust notify sent"),
    (".git", "the git repository"),
)
CONFIG = "mkdocs.yml"


def protected_reason(path: Path, root: Path, site_dir: str, catalogs: Iterable[str] = ()) -> str | None:
    """Why writing to or into `path` would overwrite an input of the repository at `root` or
    publish internal data (`site_dir`: the built site; `catalogs`: custom catalog paths named in
    program.yaml); None when it is safe. Compared after resolving symlinks and `..`, and by
    file identity too, so a case-insensitive file system or a second mount does not slip by."""
    target = path.resolve()
    chain = [target, *target.parents]
    identities = {_identity(p) for p in chain} - {None}
    for place, why in _protected_places(root.resolve(), site_dir, catalogs):
        if place in chain or _identity(place) in identities:
            return why
    return None


def _protected_places(root: Path, site_dir: str, catalogs: Iterable[str]) -> list[tuple[Path, str]]:
    places = [(root / name, f"is in {name}/, {what}") for name, what in INPUT_FOLDERS]
    places.append((root / CONFIG, f"is {CONFIG}, the site's configuration"))
    # A catalog is a file: a name resolving to a folder (".", a typo) must not protect the whole repository.
    places += [
        (root / name, f"is the custom catalog {name} named in controls/program.yaml")
        for name in catalogs
        if not (root / name).is_dir()
    ]
    places.append((root / site_dir, f"is in {site_dir}/, the built public site (published)"))
    return [(place.resolve(), why) for place, why in places]


def _identity(path: Path) -> tuple[int, int] | None:
    try:
        found = path.stat()
    except (OSError, ValueError):  # absent, unreadable, or a name the OS rejects
        return None
    return found.st_dev, found.st_ino


def write_file(path: Path, data: bytes, *, durable: bool = True, private: bool = False) -> None:
    """One file, replaced atomically: a half-written report, record or cache is worse than none.
    Written beside the target under a name of its own (two runs at once must not share a partial
    file) and, when `durable`, flushed to disk before the rename; a cache, which a crash may lose
    at no cost, passes durable=False. `private` files (the caches, which hold every internal field
    of the repository) are readable by their owner only. A device or a pipe (`-o /dev/null`, a FIFO)
    is written into, never replaced (see `_stream`)."""
    if not private and _stream(path):
        with os.fdopen(os.open(path, os.O_WRONLY | getattr(os, "O_NOCTTY", 0)), "wb") as stream:
            stream.write(data)
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    partial = path.with_name(f".{path.name}.{os.urandom(4).hex()}.partial")
    try:
        # Created exclusively, with a new file's usual mode (umask) unless private.
        with os.fdopen(
            os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600 if private else 0o666), "wb"
        ) as stream:
            stream.write(data)
            if durable:
                stream.flush()
                os.fsync(stream.fileno())  # else a crash after the rename can leave an empty file
        if path.is_file() and not private:
            shutil.copymode(path, partial)  # a replaced file keeps the permissions its owner gave it
        os.replace(partial, path)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise


def _stream(path: Path) -> bool:
    """Whether `path` is a character device or a FIFO. A symbolic link is followed only when the
    folder holding it, resolved, is /dev or the process's descriptors (/dev/stdout, /dev/fd/N; not
    /dev/../x): one a repository holds is replaced as before, never written through."""
    try:
        found = os.lstat(path)
        if stat.S_ISLNK(found.st_mode) and os.path.realpath(path.parent) in _device_folders():
            found = os.stat(path)
    except (OSError, ValueError):
        return False
    return stat.S_ISCHR(found.st_mode) or stat.S_ISFIFO(found.st_mode)


def _device_folders() -> set[str]:
    """/dev and the process's descriptor folder, resolved now (/dev/fd leads to /proc/<pid>/fd)."""
    return {os.path.realpath(p) for p in ("/dev", "/dev/fd", "/proc/self/fd")}


def staging_for(final: Path) -> Path:
    """A fresh, empty folder next to `final` (same file system, so the swap is a rename)."""
    return _fresh(final, "staging")


def workspace_for(final: Path) -> Path:
    """A fresh, empty working folder next to `final`, for an engine that builds beside its own files."""
    return _fresh(final, "engine")


def _fresh(final: Path, kind: str) -> Path:
    sweep_stale(final)
    folder = final.parent / f".{final.name}.{kind}-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    return folder


def sweep_stale(final: Path) -> None:
    """Clear what interrupted runs left beside `final`: `.<name>.staging-<pid>`, `.<name>.old-<pid>`
    and `.<name>.engine-<pid>` folders whose process is gone (each can be as large as the site).
    Folders of running processes are theirs to finish; this process's own are replaced by the caller."""
    pattern = re.compile(rf"\.{re.escape(final.name)}\.(staging|old|engine)-(\d+)")
    try:
        siblings = sorted(final.parent.iterdir())
    except OSError:  # no parent folder yet: nothing to sweep
        return
    for folder in siblings:
        found = pattern.fullmatch(folder.name)
        if found is not None and not _alive(int(found[2])):
            _clear(folder, final, retired=found[1] == "old")


def _clear(folder: Path, final: Path, retired: bool) -> None:
    if retired and not final.exists() and not final.is_symlink():
        # Interrupted between swap_in's two renames: this folder is the last good output. Put it
        # back; if that fails, keep it where it is rather than lose it.
        with contextlib.suppress(OSError):
            folder.rename(final)
        return
    shutil.rmtree(folder, ignore_errors=True)


def _alive(pid: int) -> bool:
    """Whether a process `pid` exists (signal 0 checks without sending anything)."""
    if os.name != "posix":
        return True  # os.kill would terminate it on Windows: keep the folder rather than guess
    if pid <= 0:
        return False  # 0 and below name process groups, never a process of ours
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # exists, owned by someone else
    except (OverflowError, OSError):
        return False  # no such pid can exist
    return True


def swap_in(staging: Path, final: Path) -> None:
    """Replace `final` by `staging`; the previous `final` survives until the new one is in place."""
    retired = final.parent / f".{final.name}.old-{os.getpid()}"
    shutil.rmtree(retired, ignore_errors=True)
    if final.exists():
        final.rename(retired)
    staging.rename(final)
    shutil.rmtree(retired, ignore_errors=True)


def discard(staging: Path | None) -> None:
    if staging is not None:
        shutil.rmtree(staging, ignore_errors=True)


@dataclass(frozen=True)
class Staged:
    """A finished output waiting in its staging folder: committed together with the others, or dropped."""

    staging: Path
    final: Path

    def commit(self) -> Path:
        swap_in(self.staging, self.final)
        return self.final

    def drop(self) -> None:
        discard(self.staging)
