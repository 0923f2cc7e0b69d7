"""The approved versions of each policy, read from git: the change history customers see.

Only what a policy's front matter said at each commit is used (its `version`, `effective` and
`change`), never a commit message: those are written for the team, not for customers. A revision
counts only when customers were shown it as approved: it has the policy's current `id`, `public`
full or summary, an `approved_on`, and the ledger holds an approval of exactly its text (the
digest the caller computes, as for the working copy). Without that, a version committed but never
approved, or one never published, would surface in the public history.

Two git processes read the whole history, whatever the number of policies or commits, and their
result can be kept by HEAD commit and whether the clone is shallow (`Revisions.table`): with it, one
process per run. A read that could not see every revision (git failed, or an object is missing from
a partial clone) is used once and never kept. Rows read back from the cache must be what a fresh
read could give (`_usable`). Without git, or outside a repository, every history is empty.

Git runs hardened (`gitrun`): a repository's own configuration (`.git/config` travels with a copied
folder) must not make `check` or `build` run a program, fetch anything or verify a signature.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any, NamedTuple

from plaintrust import schemas
from plaintrust.load import gitrun
from plaintrust.load.frontmatter import parse_page

PUBLISHED = ("full", "summary")
_TIMEOUT = 30  # seconds; a history is a nicety, never worth hanging a build
_MARK = b"\x01"
# The header `cat-file` writes before an object it found; anything else ("<spec> missing",
# "<spec> ambiguous") has no content after it. A name may hold spaces: it is never in the header.
_BATCH = "--batch=%(objectname) %(objecttype) %(objectsize)"
_FOUND = re.compile(rb"[0-9a-f]{40,64} ([a-z]+) ([0-9]+)")

Digest = Callable[[Mapping[str, Any], str], str]  # (front matter as text, body) -> sha256


class Version(NamedTuple):
    """What one approved revision of a policy said of itself (assemble makes it a PolicyVersion)."""

    version: str
    effective: dt.date
    change: str


class Revision(NamedTuple):
    """One committed revision of a policy file, as far as the history needs it."""

    version: str
    effective: str  # YYYY-MM-DD
    change: str
    id: str
    public: str
    approved_on: str  # "" for a draft
    digest: str


@dataclass(frozen=True)
class Revisions:
    """Every usable revision of every file git saw under policies/, newest first. `key`: the HEAD
    commit they were read at (and whether the clone was shallow), and a probe of the digest function
    (a new way to digest means reading again). `complete`: False when some revision could not be
    read; such a read is never kept in the cache."""

    key: str
    paths: Mapping[str, tuple[Revision, ...]]
    complete: bool = True

    def table(self) -> dict:
        """As JSON, for the document cache."""
        return {"key": self.key, "paths": {path: [list(r) for r in rows] for path, rows in self.paths.items()}}


def from_table(table: Mapping[str, Any], key: str) -> Revisions | None:
    """A cached table back, when it was taken with this `key` and has the expected shape. A row a
    fresh read could not have given (`_usable`) is dropped: the cache is a file anyone can edit."""
    paths = table.get("paths")
    if table.get("key") != key or not isinstance(paths, dict):
        return None
    if not all(isinstance(rows, list) for rows in paths.values()):
        return None
    kept = {path: tuple(r for r in map(_row, rows) if r is not None) for path, rows in paths.items()}
    return Revisions(key, kept)


def _row(values: Any) -> Revision | None:
    """A row `Revisions.table` wrote, or None for anything else."""
    if not isinstance(values, list) or len(values) != len(Revision._fields):
        return None
    if not all(isinstance(v, str) for v in values):
        return None
    revision = Revision(*values)
    return revision if _usable(revision) else None


def _usable(revision: Revision) -> bool:
    """What a revision must be to be used, read from git or from the cache: a version as the policy
    schema allows it, an id, and an effective day written YYYY-MM-DD."""
    rule = schemas.schema("policy")["properties"]["version"]
    version = revision.version
    if not rule.get("minLength", 1) <= len(version) <= rule.get("maxLength", len(version)) or "\n" in version:
        return False  # the schema's `$` is the very end: Python's would allow a line break before it
    if re.search(rule.get("pattern", ""), version) is None or not revision.id:
        return False
    try:
        return dt.date.fromisoformat(revision.effective).isoformat() == revision.effective
    except ValueError:
        return False


def head(root: Path) -> str | None:
    """The commit HEAD names, with " shallow" after it in a shallow clone (fetching more history
    changes what git can tell of it); None without git, a repository or a commit."""
    tip = _tip(root)
    return None if tip is None else tip[0] + (" shallow" if tip[1] else "")


def _tip(root: Path) -> tuple[str, bool] | None:
    """(the commit HEAD names, whether the clone is shallow), from one git process."""
    out = git(root, ["rev-parse", "--is-shallow-repository", "--verify", "--quiet", "HEAD^{commit}"])
    words = out.decode("ascii", "replace").split() if out else []
    if len(words) != 2 or words[0] not in ("true", "false"):
        return None
    return words[1], words[0] == "true"


def revisions(root: Path, digest: Digest, cached: Mapping[str, Any] | None = None) -> Revisions | None:
    """The history at HEAD: from `cached` (a `table()`) when taken at the same commit and depth, else
    read from git. Deleted files are left out of the log: git holds no content for them there."""
    at = head(root)
    if at is None:
        return None
    key = f"{at} {digest({}, '')}"
    kept = from_table(cached, key) if cached else None
    if kept is not None:
        return kept
    commit = at.split()[0]
    log = git(
        root,
        [
            *("log", "--no-show-signature", "--diff-filter=d", "-z", "--format=%x01%H", "--name-only"),
            *("--relative", commit, "--", "policies/"),
        ],
    )
    if log is None:
        return None
    touched = [(c, path) for c, path in _touched(log) if path.endswith(".md") and "\n" not in path]
    blobs = _blobs(root, [f"{c}:./{path}" for c, path in touched])
    found: dict[str, list[Revision]] = {}
    for (_, path), raw in zip(touched, blobs, strict=True):
        revision = _revision(raw, digest)
        if revision is not None:
            found.setdefault(path, []).append(revision)
    return Revisions(key, {path: tuple(rows) for path, rows in found.items()}, complete=None not in blobs)


def approved(
    history: Revisions | None, current: Mapping[str, str], digests: Mapping[str, Iterable[str]]
) -> dict[str, tuple[Version, ...]]:
    """Path -> its approved, published versions, newest first, one per version. `current`: path -> the
    policy's id now; `digests`: policy id -> every sha256 the ledger records an approval of."""
    if history is None:
        return {}
    found: dict[str, tuple[Version, ...]] = {}
    for path, policy_id in current.items():
        approvals = frozenset(digests.get(policy_id, ()))
        versions: dict[str, Version] = {}
        for r in history.paths.get(path, ()):
            if r.id == policy_id and r.public in PUBLISHED and r.approved_on and r.digest in approvals:
                versions.setdefault(r.version, Version(r.version, dt.date.fromisoformat(r.effective), r.change))
        if versions:
            found[path] = tuple(versions.values())
    return found


def _touched(log: bytes) -> list[tuple[str, str]]:
    """(commit, path) for every file each commit changed, newest commit first. `git log -z`: each
    commit's header, then NUL-separated names (the first after a line break), never quoted."""
    pairs: list[tuple[str, str]] = []
    commit, first = "", False
    for token in log.split(b"\0"):
        if token.startswith(_MARK):
            commit, first = token[1:].decode("ascii", "replace").strip(), True
            continue
        name = token[1:] if first and token.startswith(b"\n") else token
        first = False
        if commit and name:
            pairs.append((commit, name.decode("utf-8", "surrogateescape")))
    return pairs


def _blobs(root: Path, specs: list[str]) -> list[bytes | None]:
    """Each `commit:path` as stored (None when git failed, or has no such file there)."""
    if not specs:
        return []
    stdin = "".join(s + "\n" for s in specs).encode("utf-8", "surrogateescape")
    out = git(root, ["cat-file", _BATCH], stdin)
    if out is None:
        return [None] * len(specs)
    blobs: list[bytes | None] = []
    at = 0
    for _ in specs:
        end = out.find(b"\n", at)
        found = _FOUND.fullmatch(out, at, end) if end >= 0 else None
        if found is None:  # no content follows ("missing"), or the output ended early
            blobs.append(None)
            at = end + 1 if end >= 0 else len(out)
            continue
        at, size = end + 1, int(found[2])
        blob = out[at : at + size]
        blobs.append(blob if found[1] == b"blob" and len(blob) == size else None)
        at += size + 1
    return blobs


def _revision(raw: bytes | None, digest: Digest) -> Revision | None:
    """What a revision says of itself, or None when its front matter is not usable."""
    if raw is None:
        return None
    page = parse_page("policy.md", raw)  # read as `check` reads a policy: every scalar as text
    data = page.parsed.document.data if page.parsed.document is not None else None
    if not isinstance(data, dict):
        return None
    found = [data.get(k) for k in ("version", "effective", "change", "id", "public", "approved_on")]
    if not all(isinstance(v, str | None) for v in found):
        return None
    version, effective, change, policy_id, public, approved_on = (str(v or "") for v in found)
    try:
        day = dt.date.fromisoformat(effective).isoformat()
    except ValueError:
        return None
    revision = Revision(version, day, change.strip(), policy_id, public, approved_on, digest(data, page.body))
    return revision if _usable(revision) else None


def git(root: Path, args: list[str], stdin: bytes | None = None) -> bytes | None:
    """git's output (run hardened, `gitrun`), or None when it is missing, fails or hangs."""
    try:
        done = gitrun.run(root, args, stdin, timeout=_TIMEOUT)
    except gitrun.GitError:
        return None
    return done.stdout if done.returncode == 0 else None
