"""A no-op build: when no input changed since the last successful build, MkDocs is not run again.

The fingerprint covers every file under controls/, evidence/, site/ and frameworks/ (path, size,
mtime, ctime, inode), mkdocs.yml, the day the build speaks for (statuses and badges depend on it)
and this version of Plaintrust. The check still runs every time (it is cheap with the cache);
`plaintrust build --force` rebuilds regardless. The fingerprint lives in .plaintrust-cache/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from pathlib import Path

from plaintrust import __version__

INPUTS = ("controls", "evidence", "site", "frameworks")
NAME = ".plaintrust-cache/build.fingerprint"


def fingerprint(root: Path, today: dt.date) -> str:
    digest = hashlib.sha256(f"{__version__}\n{today.isoformat()}\n".encode())
    for name in ("mkdocs.yml",):
        _add(digest, root / name, name)
    for folder in INPUTS:
        for path, rel in _files(root / folder, folder):
            _add(digest, path, rel)
    return digest.hexdigest()


def _files(folder: Path, prefix: str):
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = f"{prefix}/{entry.name}"
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path), rel)
        else:
            yield Path(entry.path), rel


def _add(digest, path: Path, rel: str) -> None:
    try:
        info = os.stat(path)
    except OSError:
        digest.update(f"{rel} -\n".encode())
        return
    digest.update(f"{rel} {info.st_size} {info.st_mtime_ns} {info.st_ctime_ns} {info.st_ino}\n".encode())


def unchanged(root: Path, today: dt.date, outputs: list[Path]) -> bool:
    """True when the last successful build had this fingerprint and its outputs are still there."""
    try:
        previous = (root / NAME).read_text().strip()
    except OSError:
        return False
    return previous == fingerprint(root, today) and all(p.is_dir() for p in outputs)


def remember(root: Path, today: dt.date) -> None:
    try:
        (root / NAME).parent.mkdir(exist_ok=True)
        (root / NAME).write_text(fingerprint(root, today) + "\n")
    except OSError:
        pass  # without a fingerprint the next build is simply a full one
