"""A no-op build: when no input changed since the last successful build, MkDocs is not run again.

The fingerprint covers every file under controls/, evidence/, policies/, answers/, site/ and
frameworks/ (path, size, mtime, ctime, inode), the commit git's HEAD names when there is a policies/ folder
(the policies' change history comes from git: a commit changes it without touching a file),
mkdocs.yml and the theme folder, hooks and inherited configuration it names, custom catalogs
wherever they are, the day the build speaks for (statuses and badges depend on it), the engine, and the
versions of Plaintrust, MkDocs (ProperDocs, Zensical), the theme, Jinja, Markdown and its extensions, the HTML cleaner
and the PDF reader. The outputs are trusted only as they were written: the stamp keeps a digest of
every entry of `build/site/` and `build/gap-report/` (name, type, size, mtime, ctime, inode), so a
file dropped into the site or edited there since means a full build, which replaces it. The check
still runs every time (it is cheap with the cache); `plaintrust build --force` rebuilds
regardless. The fingerprint lives in .plaintrust-cache/.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from importlib import metadata
from pathlib import Path

from plaintrust import __version__
from plaintrust.load import policy_history
from plaintrust.load.mkdocs_config import referenced_paths
from plaintrust.load.paths import CACHE_FOLDER, stamp_of
from plaintrust.output import write_file

INPUTS = ("controls", "evidence", "policies", "answers", "site", "frameworks")
NAME = f"{CACHE_FOLDER}/build.fingerprint"


def fingerprint(root: Path, today: dt.date, catalogs: tuple[str, ...] = (), engine: str = "mkdocs") -> str:
    """`catalogs`: custom catalog files, wherever program.yaml keeps them; `engine`: the site generator."""
    digest = hashlib.sha256(f"{__version__}\n{today.isoformat()}\n{_versions()}\nengine {engine}\n".encode())
    _add(digest, root / "mkdocs.yml", "mkdocs.yml")
    if (root / "policies").is_dir():
        digest.update(f"HEAD {policy_history.head(root) or '-'}\n".encode())
    for rel in (*INPUTS, *referenced_paths(root), *catalogs):
        target = root / rel
        if target.is_dir():
            for path, name in _files(target, rel):
                _add(digest, path, name)
        else:
            _add(digest, target, rel)
    return digest.hexdigest()


def _versions() -> str:
    """MkDocs and the theme render the pages: a new version must rebuild them."""
    found = []
    packages = ("mkdocs", "properdocs", "zensical", "mkdocs-material", "jinja2", "markdown", "pymdown-extensions")
    for package in (*packages, "nh3", "pypdf"):
        try:
            found.append(f"{package} {metadata.version(package)}")
        except metadata.PackageNotFoundError:
            found.append(f"{package} -")
    return ", ".join(found)


def _files(folder: Path, prefix: str):
    """Every entry under `folder`, folders included (an empty folder counts too); links not followed."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        rel = f"{prefix}/{entry.name}"
        yield Path(entry.path), rel
        if entry.is_dir(follow_symlinks=False):
            yield from _files(Path(entry.path), rel)


def _add(digest, path: Path, rel: str, follow: bool = True) -> None:
    try:
        info = os.stat(path, follow_symlinks=follow)
    except OSError:
        digest.update(f"{rel} -\n".encode())
        return
    size, mtime, ctime, inode = stamp_of(info)
    digest.update(f"{rel} {info.st_mode} {size} {mtime} {ctime} {inode}\n".encode())


def unchanged(
    root: Path, today: dt.date, outputs: list[Path], catalogs: tuple[str, ...] = (), engine: str = "mkdocs"
) -> bool:
    """True when the last successful build had these inputs and left these very outputs."""
    try:
        previous = (root / NAME).read_text().split()
    except OSError:
        return False
    current = [fingerprint(root, today, catalogs, engine), outputs_digest(outputs)]
    return previous == current and all(p.is_dir() for p in outputs)


def remember(
    root: Path, today: dt.date, outputs: list[Path], catalogs: tuple[str, ...] = (), engine: str = "mkdocs"
) -> None:
    try:
        text = f"{fingerprint(root, today, catalogs, engine)}\n{outputs_digest(outputs)}\n"
        write_file(root / NAME, text.encode(), durable=False)
    except OSError:
        pass  # without a fingerprint the next build is simply a full one


def outputs_digest(outputs: list[Path]) -> str:
    """Every entry of the output folders as they stand: what a no-op build may leave in place."""
    digest = hashlib.sha256()
    for folder in outputs:
        digest.update(f"{folder.name}\n".encode())
        for path, rel in _files(folder, ""):
            _add(digest, path, rel, follow=False)
    return digest.hexdigest()
