"""Keep facts about how a git repository is protected: its branch protection, or its signed commits.

`check` chooses what is collected.

`collect: {use: git, with: {check: branch-protection, export: settings/branch-protection.json}, every: monthly}`
reads a file of the repository host's settings and keeps the facts an auditor asks about, under the
same names whatever form the file has (`source` says which):

- `required_approving_reviews`: approvals a pull request needs before it merges (0: none);
- `dismiss_stale_reviews`: whether a new push withdraws earlier approvals;
- `require_code_owner_reviews`: whether the code owners must approve;
- `enforce_admins`: whether the rules bind administrators too (`null`: the file does not say);
- `required_signatures`: whether commits must be signed;
- `required_status_checks`: `checks`, the checks that must pass, and `strict`, whether the branch
  must be up to date with the target first;
- `allow_force_pushes` and `allow_deletions`: whether history can be rewritten or the branch deleted
  (`null`: the file does not say; a setting it leaves out is never taken as forbidden);
- `protected`: whether the file shows any protection of the branch (a branch protection, or at
  least one rule).

`export` is the file, relative to the repository root, written by a step before the collection (a
CI step, or a series of its own using the `command` collector), for example with
`gh api repos/OWNER/REPO/branches/main/protection > settings/branch-protection.json`. Also read:
the rules GitHub lists for a branch (`gh api repos/OWNER/REPO/rules/branches/main`) and a single
ruleset (`gh api repos/OWNER/REPO/rulesets/ID`), which must be active and apply to `branch`.
`branch` is the branch the file is about, `main` unless given; a branch protection file about
another branch fails the collection, as does a missing file or one that is not JSON.

When the branch has no protection, GitHub answers `{"message": "Branch not protected", ...}`. That
answer is kept as evidence of its own: `protected` is `false`, nothing is required, and force
pushes and deletions are allowed as far as branch protection goes (rulesets, exported as above, may
still forbid them). Any other answer carrying a `message` is an error of the host (a token without
access, a wrong repository) and fails the collection, as does a file with none of the settings of a
branch protection, or a list whose items are not rules with a `type` (a list of rulesets, or
another host's protected branches).

`collect: {use: git, with: {check: signed-commits}, every: monthly, covers: previous-slot}` counts
the commits of `repository` (the repository root unless given) reachable from `ref` (`HEAD` unless
given) committed in the period the record covers, or else in the 30 days before the collection day
(days in UTC). It keeps the `period`, the number of `commits`, how many are `signed`, the `ratio`
(such as `"2/3"`) and `signed_share` (such as `0.667`; `null` without commits), and the ids of the
`unsigned` ones, oldest first. A commit counts as signed when it carries a signature: found, not
verified. No signature program runs, and the repository's own settings cannot make one run.
The whole history reachable from `ref` is walked, since a commit's date says nothing about its
parents' (a rebased commit can carry an older date than the commits before it). The walk reads only
each commit's id and date, about 50 bytes a commit, and the collection's `timeout` bounds it: raise
it for a history of millions of commits. A repository without commits fails the collection, as
does a `ref` the repository does not have.
A shallow clone fails the collection, since its counts would miss the older commits: in CI, fetch
the whole history (`fetch-depth: 0` on GitHub's checkout step, `GIT_DEPTH: 0` on GitLab).
"""

from __future__ import annotations

import datetime as dt
import fnmatch
import json
import subprocess
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import NamedTuple

from plaintrust import clock
from plaintrust.collect.api import Collector, CollectorFailed, Context
from plaintrust.collect.select import dump
from plaintrust.load import gitrun

DEFAULT_DAYS = 30  # the period without `covers: previous-slot`
NOTE = "Signatures were found, not verified."
_SIGNATURES = (b"gpgsig", b"gpgsig-sha256")  # the headers a signed commit carries (OpenPGP, SSH or X.509)
_REF = "^[^-\\s][^\\s]*$"  # never an option, never spaces
_ONLY_SIGNED = {"not": {}, "description": "Only check: signed-commits takes this option."}
_ONLY_PROTECTION = {"not": {}, "description": "Only check: branch-protection takes this option."}
# The settings a branch protection answer carries (GitHub omits the ones not in force, never all).
_PROTECTION_KEYS = frozenset(
    {
        "required_status_checks",
        "required_pull_request_reviews",
        "enforce_admins",
        "required_signatures",
        "allow_force_pushes",
        "allow_deletions",
        "required_linear_history",
        "block_creations",
        "required_conversation_resolution",
        "lock_branch",
        "allow_fork_syncing",
        "restrictions",
    }
)
NOT_PROTECTED = "Branch not protected"  # GitHub's answer for a branch without protection
_EXPECTED = (
    "expected what gh api repos/OWNER/REPO/branches/BRANCH/protection, gh api repos/OWNER/REPO/rules/branches/BRANCH"
    " or gh api repos/OWNER/REPO/rulesets/ID returns"
)

OPTIONS: Mapping[str, object] = {
    "type": "object",
    "additionalProperties": False,
    "required": ["check"],
    "properties": {
        "check": {
            "enum": ["branch-protection", "signed-commits"],
            "description": "What to collect: branch-protection (from a settings file) or signed-commits (from the history).",
        },
        "export": {
            "type": "string",
            "minLength": 1,
            "description": "branch-protection: the settings file the host gave (JSON), relative to the repository root.",
        },
        "branch": {
            "type": "string",
            "pattern": _REF,
            "description": "branch-protection: the branch the settings are about; main unless given.",
        },
        "repository": {
            "type": "string",
            "minLength": 1,
            "description": "signed-commits: the repository's folder, relative to the repository root; the root itself unless given.",
        },
        "ref": {
            "type": "string",
            "pattern": _REF,
            "description": "signed-commits: the branch, tag or commit whose history is counted; HEAD unless given.",
        },
    },
    # Each check takes its own options: one of the other check's fails at that option, with a hint.
    "allOf": [
        {
            "if": {"properties": {"check": {"const": "branch-protection"}}, "required": ["check"]},
            "then": {
                "required": ["export"],
                "properties": {
                    "export": {
                        "description": "The settings file the host gave (JSON), relative to the repository root."
                    },
                    "repository": _ONLY_SIGNED,
                    "ref": _ONLY_SIGNED,
                },
            },
        },
        {
            "if": {"properties": {"check": {"const": "signed-commits"}}, "required": ["check"]},
            "then": {"properties": {"export": _ONLY_PROTECTION, "branch": _ONLY_PROTECTION}},
        },
    ],
}


def _collect(options: Mapping[str, object], context: Context) -> bytes:
    if options.get("check") == "branch-protection":
        return dump(_protection(options, context.root))
    if options.get("check") == "signed-commits":
        return dump(_signed(options, context))
    raise CollectorFailed("check must be branch-protection or signed-commits")


# branch-protection


def _protection(options: Mapping[str, object], root: Path) -> dict[str, object]:
    branch = str(options.get("branch") or "main")
    export = _export(str(options.get("export") or ""), root)
    return {"check": "branch-protection", "branch": branch, **_facts(export, branch)}


def _facts(export: object, branch: str) -> dict[str, object]:
    if isinstance(export, list):
        return _from_rules(export, None)
    if not isinstance(export, Mapping):
        raise CollectorFailed("the export is neither a branch protection nor a list of rules")
    if "message" in export:  # the host answered with a message instead of settings
        return _from_answer(export)
    if isinstance(export.get("rules"), list):
        return _from_ruleset(export, branch)
    return _from_protection(export, branch)


def _export(name: str, root: Path) -> object:
    path = Path(name) if Path(name).is_absolute() else root / name
    if not path.is_file():
        raise CollectorFailed(f"the export {name} is not a file (write it in a step before the collection)")
    try:
        return json.loads(path.read_bytes())
    except (OSError, ValueError) as exc:  # JSONDecodeError and UnicodeDecodeError are ValueErrors
        raise CollectorFailed(f"the export {name} is not JSON: {exc}") from None


def _from_answer(export: Mapping[str, object]) -> dict[str, object]:
    """A message instead of settings: "not protected" is a fact worth keeping; anything else is an
    error (no access, no such repository) that says nothing about the branch."""
    message = " ".join(str(export.get("message")).split())[:200]
    if message.casefold() != NOT_PROTECTED.casefold():
        raise CollectorFailed(f"the export is an error answer of the host, not the branch's settings: {message}")
    return {
        "source": "branch protection",
        "protected": False,
        "required_approving_reviews": 0,
        "dismiss_stale_reviews": False,
        "require_code_owner_reviews": False,
        "enforce_admins": False,
        "required_signatures": False,
        "required_status_checks": {"strict": False, "checks": []},
        # Nothing of branch protection forbids them; a ruleset might (it is another export).
        "allow_force_pushes": True,
        "allow_deletions": True,
    }


def _from_protection(export: Mapping[str, object], branch: str) -> dict[str, object]:
    """The answer of GitHub's branch protection API (`.../branches/BRANCH/protection`)."""
    if not _PROTECTION_KEYS & export.keys():
        raise CollectorFailed(f"the export has none of the settings of a branch protection: {_EXPECTED}")
    url = str(export.get("url") or "")
    if "/branches/" in url and not url.endswith(f"/branches/{branch}/protection"):
        raise CollectorFailed(f"the export is about another branch than {branch} ({url})")
    reviews = _mapping(export.get("required_pull_request_reviews"))
    checks = _mapping(export.get("required_status_checks"))
    names = [*_strings(checks.get("contexts")), *(str(c.get("context")) for c in _mappings(checks.get("checks")))]
    return {
        "source": "branch protection",
        "protected": True,
        "required_approving_reviews": _count(reviews.get("required_approving_review_count")),
        "dismiss_stale_reviews": bool(reviews.get("dismiss_stale_reviews")),
        "require_code_owner_reviews": bool(reviews.get("require_code_owner_reviews")),
        "enforce_admins": _enabled(export, "enforce_admins"),
        "required_signatures": _enabled(export, "required_signatures"),
        "required_status_checks": {"strict": bool(checks.get("strict")), "checks": sorted(set(names))},
        "allow_force_pushes": _allowed(export, "allow_force_pushes"),
        "allow_deletions": _allowed(export, "allow_deletions"),
    }


def _enabled(export: Mapping[str, object], key: str) -> bool:
    """A requirement: one the export leaves out is not required."""
    value = export.get(key)
    return bool(value.get("enabled")) if isinstance(value, Mapping) else bool(value)


def _allowed(export: Mapping[str, object], key: str) -> bool | None:
    """A permission: None when the export does not say, since reading silence as "forbidden"
    would claim a protection nobody showed."""
    value = export.get(key)
    value = value.get("enabled") if isinstance(value, Mapping) else value
    return value if isinstance(value, bool) else None


def _from_ruleset(ruleset: Mapping[str, object], branch: str) -> dict[str, object]:
    """One ruleset (`.../rulesets/ID`): it counts only when active and when it applies to `branch`."""
    name = ruleset.get("name") or ruleset.get("id") or "the ruleset"
    if ruleset.get("enforcement", "active") != "active":
        raise CollectorFailed(f"the ruleset {name} is not enforced (enforcement: {ruleset.get('enforcement')})")
    if not _applies(_mapping(_mapping(ruleset.get("conditions")).get("ref_name")), branch):
        raise CollectorFailed(f"the ruleset {name} does not apply to the branch {branch}")
    bypass = ruleset.get("bypass_actors")
    rules = ruleset.get("rules")
    return _from_rules(rules if isinstance(rules, list) else [], not bypass if isinstance(bypass, list) else None)


def _applies(ref_name: Mapping[str, object], branch: str) -> bool:
    if not ref_name:
        return True
    ref = f"refs/heads/{branch}"

    def matches(patterns: object) -> bool:
        return any(p in ("~ALL", "~DEFAULT_BRANCH") or fnmatch.fnmatchcase(ref, p) for p in _strings(patterns))

    return matches(ref_name.get("include")) and not matches(ref_name.get("exclude"))


def _from_rules(rules: Sequence[object], enforce_admins: bool | None) -> dict[str, object]:
    """Rules of rulesets (`.../rules/branches/BRANCH`, or a ruleset's `rules`): several rulesets may
    add the same rule; the strictest wins."""
    by_type: dict[str, list[Mapping[str, object]]] = {}
    for rule in rules:
        if not isinstance(rule, Mapping) or not isinstance(rule.get("type"), str):
            # A list of rulesets (without their rules) or another host's list would read as no rules at all.
            raise CollectorFailed(f"the export has items that are not rules (a rule has a type): {_EXPECTED}")
        by_type.setdefault(str(rule["type"]), []).append(_mapping(rule.get("parameters")))
    reviews = by_type.get("pull_request", [])
    checks = by_type.get("required_status_checks", [])
    names = [str(c.get("context")) for p in checks for c in _mappings(p.get("required_status_checks"))]
    return {
        "source": "rulesets",
        "protected": bool(by_type),
        "required_approving_reviews": max(
            (_count(p.get("required_approving_review_count")) for p in reviews), default=0
        ),
        "dismiss_stale_reviews": any(p.get("dismiss_stale_reviews_on_push") for p in reviews),
        "require_code_owner_reviews": any(p.get("require_code_owner_review") for p in reviews),
        "enforce_admins": enforce_admins,
        "required_signatures": "required_signatures" in by_type,
        "required_status_checks": {
            "strict": any(p.get("strict_required_status_checks_policy") for p in checks),
            "checks": sorted(set(names)),
        },
        "allow_force_pushes": "non_fast_forward" not in by_type,
        "allow_deletions": "deletion" not in by_type,
    }


def _count(value: object) -> int:
    return value if isinstance(value, int) and not isinstance(value, bool) else 0


def _mapping(value: object) -> Mapping[str, object]:
    return value if isinstance(value, Mapping) else {}


def _mappings(value: object) -> list[Mapping[str, object]]:
    return [item for item in value if isinstance(item, Mapping)] if isinstance(value, list) else []


def _strings(value: object) -> list[str]:
    return [item for item in value if isinstance(item, str)] if isinstance(value, list) else []


# signed-commits


class _Commit(NamedTuple):
    id: str
    time: int  # when it was committed, in seconds
    signed: bool  # it carries a signature (not verified)


def _signed(options: Mapping[str, object], context: Context) -> dict[str, object]:
    start, end = context.covers or (
        context.today - dt.timedelta(days=DEFAULT_DAYS),
        context.today - dt.timedelta(days=1),
    )
    ref = str(options.get("ref") or "HEAD")
    found = _history(_repository(options, context.root), ref, (start, end), context.timeout)
    commits = sorted(found, key=lambda c: (c.time, c.id))
    signed = sum(1 for c in commits if c.signed)
    return {
        "check": "signed-commits",
        "ref": ref,
        "period": {"from": start.isoformat(), "to": end.isoformat()},
        "commits": len(commits),
        "signed": signed,
        "ratio": f"{signed}/{len(commits)}",
        "signed_share": round(signed / len(commits), 3) if commits else None,
        "unsigned": [c.id for c in commits if not c.signed],
        "note": NOTE,
    }


def _repository(options: Mapping[str, object], root: Path) -> Path:
    name = str(options.get("repository") or ".")
    path = Path(name) if Path(name).is_absolute() else root / name
    if not path.is_dir():
        raise CollectorFailed(f"the repository {name} is not a folder")
    return path


def _history(repository: Path, ref: str, period: tuple[dt.date, dt.date], timeout: float) -> Iterator[_Commit]:
    """The commits reachable from `ref` committed in `period` (days in UTC). The walk lists every
    reachable commit with its date: `--since` would stop at the first commit older than the period
    and never reach its parents, which may be in it. Then `rev-list --header` prints the raw
    headers of the period's commits only, so no signature program is asked."""
    if ref.startswith("-"):
        raise CollectorFailed(f"the ref {ref} is not a branch, tag or commit")
    if _git(repository, ["rev-parse", "--is-shallow-repository"], timeout).strip() == b"true":
        # A shallow clone (CI's default) lacks older commits: the counts would look complete and not be.
        raise CollectorFailed(
            "the repository is a shallow clone, so its history is incomplete: fetch it whole (fetch-depth: 0)"
        )
    tip = _resolve(repository, ref, timeout)
    ids = _within(_git(repository, ["rev-list", "--timestamp", tip], timeout), period)
    if not ids:
        return
    wanted = "".join(f"{commit}\n" for commit in ids).encode("ascii")
    listing = _git(repository, ["rev-list", "--no-walk=unsorted", "--header", "--stdin"], timeout, wanted)
    for raw in listing.split(b"\0"):
        if raw.strip():
            yield _commit(raw)


def _resolve(repository: Path, ref: str, timeout: float) -> str:
    """The commit `ref` names; a plain sentence when there is none (git's own would show its usage)."""
    done = _run(repository, ["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], timeout)
    if done.returncode == 0:
        return done.stdout.decode("ascii", "replace").strip()
    if not _git(repository, ["rev-list", "--max-count=1", "--all"], timeout).strip():
        raise CollectorFailed("the repository has no commits")
    raise CollectorFailed(f"the ref {ref} is not a branch, tag or commit of the repository")


def _within(listing: bytes, period: tuple[dt.date, dt.date]) -> list[str]:
    """From `rev-list --timestamp` lines ("SECONDS ID"), the ids of the commits made in `period`."""
    first = _seconds(period[0])
    after = _seconds(period[1] + dt.timedelta(days=1))
    ids = []
    for line in listing.splitlines():
        seconds, _, commit = line.partition(b" ")
        if seconds.isdigit() and first <= int(seconds) < after:
            ids.append(commit.decode("ascii", "replace"))
    return ids


def _seconds(day: dt.date) -> int:
    return int(clock.midnight(day).timestamp())


def _git(repository: Path, args: list[str], timeout: float, stdin: bytes | None = None) -> bytes:
    done = _run(repository, args, timeout, stdin)
    if done.returncode != 0:
        raise CollectorFailed(f"git could not read the history: {_complaint(done.stderr)}")
    return done.stdout


def _run(
    repository: Path, args: list[str], timeout: float, stdin: bytes | None = None
) -> subprocess.CompletedProcess[bytes]:
    try:
        return gitrun.run(repository, args, stdin, timeout=timeout)
    except gitrun.GitError as exc:
        raise CollectorFailed(f"git could not read the history: {exc}") from None


def _complaint(stderr: bytes) -> str:
    """git's reason: its first `fatal:` line, not the usage lines that may follow it."""
    lines = [line.strip() for line in stderr.decode("utf-8", "replace").splitlines() if line.strip()]
    fatal = next((line for line in lines if line.startswith("fatal:")), None)
    if fatal:
        return fatal.removeprefix("fatal:").strip()
    return lines[0] if lines else "it failed"


def _commit(raw: bytes) -> _Commit:
    first, _, rest = raw.lstrip(b"\n").partition(b"\n")
    headers = rest.split(b"\n\n", 1)[0].split(b"\n")
    signed = any(line.split(b" ", 1)[0] in _SIGNATURES for line in headers if not line.startswith(b" "))
    committer = next((line for line in headers if line.startswith(b"committer ")), b"")
    # "committer NAME <EMAIL> SECONDS ZONE": the time is the next-to-last word.
    words = committer.rsplit(b" ", 2)
    seconds = int(words[1]) if len(words) == 3 and words[1].isdigit() else 0
    return _Commit(first.decode("ascii", "replace"), seconds, signed)


COLLECTOR = Collector(
    name="git",
    summary="Keeps a repository's branch protection settings, or the share of signed commits over the period.",
    collect=_collect,
    options=OPTIONS,
)
