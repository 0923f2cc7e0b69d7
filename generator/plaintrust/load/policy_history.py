"""The approved versions of each policy, read from git: the change history customers see.

Only what a policy's front matter said at each commit is used (its `version`, `effective` and
`change`, in revisions that carry an approval), never a commit message: those are written for the
team, not for customers. Two git processes in all, whatever the number of policies or commits;
without git, or outside a repository, every history is empty.
"""

from __future__ import annotations

import datetime as dt
import os
import subprocess
from collections.abc import Sequence
from pathlib import Path
from typing import NamedTuple

from plaintrust.load.frontmatter import parse_page


class Version(NamedTuple):
    """What one approved revision of a policy said of itself (assemble makes it a PolicyVersion)."""

    version: str
    effective: dt.date
    change: str


_TIMEOUT = 30  # seconds; a history is a nicety, never worth hanging a build
_MARK = "\x01"


def read(root: Path, paths: Sequence[str]) -> dict[str, tuple[Version, ...]]:
    """Path (from the repository root) -> its approved versions, newest first, one per version."""
    if not paths:
        return {}
    log = _git(root, ["log", "--format=" + _MARK + "%H", "--name-only", "--relative", "--", "policies/"])
    if log is None:
        return {}
    wanted = set(paths)
    revisions = [(commit, path) for commit, path in _touched(log) if path in wanted]
    blobs = _blobs(root, [f"{commit}:./{path}" for commit, path in revisions])
    found: dict[str, list[Version]] = {}
    for (_, path), raw in zip(revisions, blobs, strict=True):
        version = _version(raw)
        if version is not None and all(v.version != version.version for v in found.get(path, ())):
            found.setdefault(path, []).append(version)
    return {path: tuple(versions) for path, versions in found.items()}


def _touched(log: bytes) -> list[tuple[str, str]]:
    """(commit, path) for every file each commit changed, newest commit first."""
    pairs = []
    for block in log.decode("utf-8", "surrogateescape").split(_MARK)[1:]:
        commit, *names = block.split("\n")
        pairs += [(commit.strip(), name) for name in names if name.strip()]
    return pairs


def _blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """Each `commit:path` as stored (None when git has no such object)."""
    if not specs:
        return []
    out = _git(root, ["cat-file", "--batch"], "".join(s + "\n" for s in specs).encode())
    if out is None:
        return [None] * len(specs)
    blobs: list[bytes | None] = []
    at = 0
    for _ in specs:
        end = out.index(b"\n", at)
        header = out[at:end].split()
        if len(header) != 3:  # "<spec> missing"
            blobs.append(None)
            at = end + 1
            continue
        size = int(header[2])
        blobs.append(out[end + 1 : end + 1 + size])
        at = end + 1 + size + 1
    return blobs


def _version(raw: bytes | None) -> Version | None:
    """The approved version a revision describes, or None (a draft, or front matter that is not usable)."""
    data = _front_matter(raw)
    if not isinstance(data, dict) or not data.get("approved_on"):
        return None
    version, effective, change = data.get("version"), data.get("effective"), data.get("change") or ""
    if not isinstance(version, str) or not isinstance(change, str):
        return None
    try:
        day = dt.date.fromisoformat(str(effective))
    except ValueError:
        return None
    return Version(version, day, change.strip())


def _front_matter(raw: bytes | None) -> object:
    """Read as `check` reads a policy: every scalar as text (a version 1.10 stays 1.10)."""
    if raw is None:
        return None
    document = parse_page("policy.md", raw).parsed.document
    return document.data if document is not None else None


def _git(root: Path, args: list[str], stdin: bytes | None = None) -> bytes | None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("GIT_")}
    command = ["git", "-c", "core.quotepath=false", "-C", str(root), *args]
    try:
        done = subprocess.run(command, input=stdin, capture_output=True, timeout=_TIMEOUT, env=env, check=False)
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout if done.returncode == 0 else None
