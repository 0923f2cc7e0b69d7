"""`plaintrust evidence check-branch REF`: does a branch hold only what `evidence collect` writes?

The nightly CI examples collect on one branch, `collect-evidence`, night after night, and run the
collectors of that branch's checkout with the job's secrets. Whoever can push to the branch could
change a `collect:` block, or a script one runs, and have it run the next night with those
secrets. So before a job continues the branch, it compares the branch with where it forked from
the current commit (their merge base) and accepts only what `plaintrust evidence collect` writes:

- new files under evidence/files/;
- new records (evidence/**/*.yaml) that Plaintrust reads and that have no `collect` key;
- lines added at the end of evidence/ledger.jsonl.

Then the checkout holds nothing to run that the default branch did not hold at the merge base.
Anything else is foreign: a changed, deleted or renamed file, a new file elsewhere, a symbolic
link, a submodule. A YAML file anywhere under evidence/ is read as a record, one under
evidence/files/ too, so each new one must pass as a record.

The branch is *merged* when the current commit holds every file it adds: a squash merge leaves a
kept branch behind with commits the default branch never gets, and continuing it would conflict in
the ledger. Git runs hardened (`gitrun`); nothing here runs a filter, a diff driver or a hook.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from plaintrust.diagnostics import Severity
from plaintrust.evidence import ledger
from plaintrust.load import gitrun, yamlfile
from plaintrust.load.discovery import YAML_SUFFIXES

FILES = "evidence/files/"
# Exactly the names `evidence collect` gives what it writes. Nothing else may be new: a hidden file
# such as .gitattributes would change how git writes the checked files out (working-tree-encoding
# can turn a harmless record into one with a collect: block), and the check reads committed bytes.
_SLUG = rb"[a-z0-9][a-z0-9._-]*"
_DAY = rb"\d{4}-\d\d-\d\d"
_COLLECTED = re.compile(rb"evidence/files/(?!\.)" + _SLUG + rb"/" + _DAY + rb"\.[A-Za-z0-9]{1,16}")
_RECORD = re.compile(rb"evidence/(?P<series>(?!\.)" + _SLUG + rb")/(?P=series)-" + _DAY + rb"\.yaml")
PLAIN = "100644"  # the mode git gives a file `evidence collect` wrote
_KINDS = {"120000": "a symbolic link", "160000": "a submodule", "100755": "an executable file"}
_STATUS = {"M": "changed", "D": "deleted", "T": "changed into another kind of entry"}


class Unusable(Exception):
    """REF names no commit, or git could not say what it holds."""


@dataclass(frozen=True)
class Verdict:
    foreign: tuple[str, ...]  # "PATH: why", one for each path `evidence collect` would not write
    added: tuple[str, ...]  # the files the branch adds, from the repository's top
    merged: bool  # no foreign change, and the current commit holds every added file


class Change(NamedTuple):
    """One line of `git diff-tree --raw`: a path and what became of it."""

    status: str  # A, M, D or T (renames are seen as a deletion and an addition)
    mode: str  # the mode on the branch ("000000" when deleted)
    blob: str  # its object on the branch
    before: str  # its object at the merge base
    path: str  # from the repository's top


def check(root: Path, ref: str) -> Verdict:
    """What `ref` changes since its merge base with HEAD, for the repository around `root`."""
    tip = _commit(root, ref)
    base = _merge_base(root, tip)
    if base is None:
        return Verdict((f"{ref}: shares no history with the current commit",), (), False)
    prefix = _git(root, "rev-parse", "--show-prefix").decode("utf-8", "surrogateescape").strip()
    changes = _changes(root, base, tip)
    foreign = tuple(f"{c.path}: {why}" for c in changes if (why := _foreign(root, c, prefix)))
    added = tuple(c.path for c in changes if c.status == "A")
    return Verdict(foreign, added, not foreign and _held(root, added, prefix))


def _git(root: Path, *args: str) -> bytes:
    try:
        done = gitrun.run(root, args)
    except gitrun.GitError as exc:
        raise Unusable(f"git could not run: {exc}") from exc
    if done.returncode != 0:
        raise Unusable(f"git {args[0]} failed: {gitrun.last_words(done, f'exit status {done.returncode}')}")
    return done.stdout


def _commit(root: Path, ref: str) -> str:
    if ref.startswith("-"):
        raise Unusable(f"{ref!r} is no branch, tag or commit")
    try:
        return _git(root, "rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}").decode().strip()
    except Unusable:
        raise Unusable(f"{ref!r} is no branch, tag or commit of this repository") from None


def _merge_base(root: Path, tip: str) -> str | None:
    done = gitrun.run(root, ["merge-base", "HEAD", tip])
    if done.returncode == 1 and not done.stdout:
        return None  # two histories with nothing in common
    if done.returncode != 0:
        raise Unusable("git could not find where the branch forked from the current commit")
    return done.stdout.decode().strip()


def _changes(root: Path, base: str, tip: str) -> list[Change]:
    """Every file the branch adds, changes or deletes, submodules and links included."""
    fields = _git(root, "diff-tree", "-r", "-z", "--raw", "--no-renames", base, tip).split(b"\0")
    changes = []
    for meta, path in zip(fields[0::2], fields[1::2], strict=False):
        _, mode, before, blob, status = meta.decode().lstrip(":").split(" ")
        changes.append(Change(status[:1], mode, blob, before, path.decode("utf-8", "surrogateescape")))
    return changes


def _foreign(root: Path, change: Change, prefix: str) -> str | None:
    """Why `evidence collect` would not have made this change; None when it could have."""
    if not change.path.startswith(prefix):
        return "outside the trust-center repository's folder"
    rel = change.path[len(prefix) :]
    if change.status not in ("A", "M") or (change.status == "M" and rel != ledger.PATH):
        return _STATUS.get(change.status, "changed")
    if change.mode != PLAIN:
        return f"{_KINDS.get(change.mode, 'not a plain file')} (mode {change.mode})"
    if rel == ledger.PATH:
        before = b"" if change.status == "A" else _blob(root, change.before)
        return None if _appended(before, _blob(root, change.blob)) else "changed other than by lines added at its end"
    return _new_file(root, change, rel)


def _new_file(root: Path, change: Change, rel: str) -> str | None:
    name = rel.encode("utf-8", "surrogateescape")
    if not _COLLECTED.fullmatch(name) and not _RECORD.fullmatch(name):
        return (
            "a new file `evidence collect` would not write (it writes evidence/files/SERIES/DATE.EXT "
            "and evidence/SERIES/SERIES-DATE.yaml, nothing else)"
        )
    if rel.endswith(YAML_SUFFIXES):  # read as a record, under evidence/files/ too
        return _record_problem(rel, _blob(root, change.blob))
    return None


def _record_problem(rel: str, raw: bytes) -> str | None:
    parsed = yamlfile.parse_bytes(rel, raw)
    errors = [d for d in parsed.diagnostics if d.severity is Severity.ERROR]
    if parsed.document is None or errors:
        return f"a new record Plaintrust cannot read ({errors[0].message if errors else 'no document'})"
    if isinstance(parsed.document.data, Mapping) and "collect" in parsed.document.data:
        return "a new record with a collect: block (only the default branch may say what runs)"
    return None


def _appended(before: bytes, after: bytes) -> bool:
    """The ledger gained whole lines at its end, and nothing else changed."""
    return after.startswith(before) and (not before or before.endswith(b"\n"))


def _blob(root: Path, blob: str) -> bytes:
    return _git(root, "cat-file", "blob", blob)


def _held(root: Path, added: tuple[str, ...], prefix: str) -> bool:
    """The current commit holds every path in `added` (a merge, or a squash merge, took them)."""
    listing = _git(root, "ls-tree", "-r", "-z", "--name-only", "--full-tree", "HEAD", "--", f"{prefix}evidence")
    held = set(listing.decode("utf-8", "surrogateescape").split("\0"))
    return all(path in held for path in added)
