"""An exclusive lock between plaintrust commands run at the same time on one repository.

The lock is a file of its own (in the cache folder), never the file it guards: opening that to
lock it would create a missing one. It is created owner-only, never through a link, and removed by
its holder on release, so it is there only while held. Without fcntl (Windows), on a file system
without locks, or when the lock file cannot be made (a read-only checkout), the block runs unlocked.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # Windows: nothing is locked
    fcntl = None  # type: ignore[assignment]

_TRIES = 20  # times the lock file is opened again when its folder went away meanwhile


@contextmanager
def exclusive(lock: Path) -> Iterator[bool]:
    """The block with `lock` held (waiting for another holder to release it); yields whether it is."""
    taken = _locked(lock) if fcntl is not None else None
    try:
        yield taken is not None
    finally:
        if taken is not None:
            _release(lock, *taken)


def _locked(lock: Path) -> tuple[int, bool] | None:
    """The lock file (created owner-only when absent, never through a link) held exclusively, and
    whether its folder had to be made; None when it cannot be. When the file was removed while we
    waited (its holder removes it on release), the lock is taken again on the one now there."""
    assert fcntl is not None
    made, tries = False, _TRIES
    while tries:
        made = _made(lock.parent) or made
        try:
            fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_NOFOLLOW | os.O_CLOEXEC, 0o600)
        except FileNotFoundError:  # its folder went with the lock just released (or is a broken link)
            tries -= 1
            continue
        except OSError:
            return None
        try:
            fcntl.flock(fd, fcntl.LOCK_EX)
        except OSError:  # a file system without locks
            os.close(fd)
            return None
        if _same_file(fd, lock):
            return fd, made
        os.close(fd)  # removed by the holder we waited for: lock the next one
    return None


def _same_file(fd: int, path: Path) -> bool:
    try:
        return os.path.samestat(os.fstat(fd), os.lstat(path))
    except OSError:
        return False


def _made(folder: Path) -> bool:
    """Whether the lock's folder (the cache folder) had to be made, for its owner only as the caches in it are."""
    try:
        folder.mkdir(mode=0o700)
    except OSError:  # there already, or it cannot be made: opening the lock file says which
        return False
    return True


def _release(lock: Path, fd: int, made: bool) -> None:
    """The lock file is removed while still held, so a process waiting on it finds it gone and locks
    the next one; so is its folder when taking the lock made it and nothing else is in it
    (`plaintrust init` pins, and leaves no cache). Closing the file releases the lock."""
    with contextlib.suppress(OSError):
        lock.unlink()
        if made:
            lock.parent.rmdir()
    os.close(fd)
