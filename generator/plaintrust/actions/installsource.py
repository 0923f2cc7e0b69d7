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
# What a requirement can carry unquoted and pip reads back as written: no `@` after the host (it
# would end the URL), no spaces, quotes, `$` or backslashes (the workflow passes it to a shell).
_SAFE_URL = re.compile(r"^[a-z]+://[A-Za-z0-9.-]+(?::[0-9]+)?(?:/[A-Za-z0-9._~%+/-]*)?$")
_COMMIT = re.compile(r"^[0-9a-f]{7,64}$")
# What `init --source` accepts: plaintrust pinned by version, or by URL (a git URL at a ref, or an
# archive); credentials, environment markers and pip options are refused.
_VERSIONS = r"(?:==|~=|>=|<=|!=|<|>)\s*[A-Za-z0-9.*+!]+"
REQUIREMENT = re.compile(
    rf"^{DISTRIBUTION}(?:\s*{_VERSIONS}(?:\s*,\s*{_VERSIONS})*"
    r"|\s*@\s*(?:git\+)?(?:https?|ssh|git)://[A-Za-z0-9.-]+(?::[0-9]+)?/[A-Za-z0-9._~%+/-]*(?:@[A-Za-z0-9._/-]+)?)?$"
)


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
    public = public_url(url) if "archive_info" in direct else None
    if public is not None and public.startswith(("https://", "http://")):
        return Source(f"{DISTRIBUTION} @ {public}", f"the archive {public}")
    return Source(None, f"{redacted(url) or 'an unknown place'}, which other machines cannot reach")


def _git(url: str, commit: str, *, unpushed: bool) -> Source:
    remote = public_url(url)
    if remote is None or not _COMMIT.match(commit):
        return Source(None, f"the git repository {redacted(url)}, which other machines cannot reach")
    return Source(f"{DISTRIBUTION} @ git+{remote}@{commit}", f"{remote} at commit {commit}", unpushed)


def public_url(url: str) -> str | None:
    """`url` as another machine fetches it, or None. Never with credentials: the workflow is committed
    and its log is readable, so a token in a remote (`https://user:token@host/...`, as CI clones
    carry) is dropped, never copied. SSH becomes https, since a CI runner has no SSH key; a query or
    fragment goes (pip would read `#...` as its own options)."""
    scp = _SCP_LIKE.match(url)
    if scp and "://" not in url:
        url = f"ssh://{scp['host']}/{scp['path']}"
    parts = urlsplit(url)
    if parts.scheme not in _REMOTE_SCHEMES or not parts.hostname:
        return None
    scheme = "https" if parts.scheme == "ssh" else parts.scheme
    port = f":{parts.port}" if parts.port and parts.scheme != "ssh" else ""
    cleaned = f"{scheme}://{parts.hostname}{port}{parts.path}"
    return cleaned if _SAFE_URL.match(cleaned) else None


def redacted(url: str) -> str:
    """`url` for a message: any credentials replaced."""
    return re.sub(r"(?<=://)[^/@]*@", "***@", url)


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
