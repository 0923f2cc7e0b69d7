"""Where this Plaintrust came from, as a pip requirement that a CI job can install again.

`plaintrust init` writes it into the generated workflow, so the new repository's CI runs the very
Plaintrust its authors ran, pinned to a commit, and never whatever an index serves under the name.
pip records the source of a direct install in the distribution's `direct_url.json` (PEP 610): a git
URL and commit, a local folder, or an archive. Nothing recorded means a package index.

A local folder is read as the git clone it usually is: its `origin` remote and the commit checked
out. A source that a CI machine cannot reach (a folder without a remote, a local archive, a
`file:` URL) gives no requirement, and the reason says so; `init --source` then names one.
"""

from __future__ import annotations

import json
import re
import subprocess
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path
from urllib.parse import unquote, urlsplit

DISTRIBUTION = "plaintrust"
_SCP_LIKE = re.compile(r"^(?:[\w.-]+@)?(?P<host>[\w.-]+):(?P<path>[^/].*)$")
_REMOTE_SCHEMES = ("https", "http", "ssh", "git")


@dataclass(frozen=True)
class Source:
    requirement: str | None  # what `pip install` takes; None when no machine but this one can reach it
    origin: str  # where it came from, in words, for the message `init` prints
    unpushed: bool = False  # a commit that may exist only in the local clone


def detect() -> Source:
    """The source of the installed Plaintrust."""
    try:
        dist = metadata.distribution(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        return Source(None, "Plaintrust is not installed as a package (running from source)")
    recorded = dist.read_text("direct_url.json")
    return from_direct_url(json.loads(recorded) if recorded else None, dist.version, _clone)


def from_direct_url(direct: dict | None, version: str, clone=None) -> Source:
    """The requirement for a PEP 610 record; `clone(folder)` reads a local clone's remote and commit."""
    if not direct:
        return Source(f"{DISTRIBUTION}=={version}", f"a package index, version {version}")
    url = str(direct.get("url", ""))
    vcs = direct.get("vcs_info")
    if isinstance(vcs, dict) and vcs.get("vcs") == "git" and vcs.get("commit_id"):
        return _git(url, str(vcs["commit_id"]), unpushed=False)
    if "dir_info" in direct and url.startswith("file:"):
        folder = Path(unquote(urlsplit(url).path))
        found = clone(folder) if clone else None
        if found is None:
            return Source(None, f"the folder {folder}, which is not a git clone with an `origin` remote")
        remote, commit, unpushed = found
        return _git(remote, commit, unpushed=unpushed)
    if "archive_info" in direct and _reachable(url):
        return Source(f"{DISTRIBUTION} @ {url}", f"the archive {url}")
    return Source(None, f"{url or 'an unknown place'}, which other machines cannot reach")


def _git(url: str, commit: str, *, unpushed: bool) -> Source:
    remote = _fetchable(url)
    if remote is None:
        return Source(None, f"the git repository {url}, which other machines cannot reach")
    return Source(f"{DISTRIBUTION} @ git+{remote}@{commit}", f"{remote} at commit {commit}", unpushed)


def _fetchable(url: str) -> str | None:
    """`url` as pip fetches it from another machine; scp-like `git@host:path` becomes https, since a CI
    runner has no SSH key for it."""
    scp = _SCP_LIKE.match(url)
    if scp and "://" not in url:
        return f"https://{scp['host']}/{scp['path']}"
    return url if _reachable(url) else None


def _reachable(url: str) -> bool:
    parts = urlsplit(url)
    return parts.scheme in _REMOTE_SCHEMES and bool(parts.netloc)


def _clone(folder: Path) -> tuple[str, str, bool] | None:
    """(origin's URL, the commit checked out, whether origin may lack it) of the clone at `folder`."""
    remote = _git_output(folder, "remote", "get-url", "origin")
    commit = _git_output(folder, "rev-parse", "--verify", "HEAD")
    if not remote or not commit:
        return None
    pushed = _git_output(folder, "branch", "--remotes", "--contains", commit)
    dirty = _git_output(folder, "status", "--porcelain", "--untracked-files=no")
    return remote, commit, not pushed or bool(dirty)


def _git_output(folder: Path, *args: str) -> str | None:
    try:
        done = subprocess.run(["git", "-C", str(folder), *args], capture_output=True, text=True, timeout=10)
    except (OSError, subprocess.SubprocessError):
        return None
    return done.stdout.strip() if done.returncode == 0 else None
