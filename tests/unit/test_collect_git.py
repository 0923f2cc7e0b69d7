"""The `git` collector: branch protection facts from a settings export, and signed commits counted
over the period in a repository made in the test (signatures written by hand: no gpg needed)."""

from __future__ import annotations

import datetime as dt
import json
import os
import subprocess
from pathlib import Path

import jsonschema
import pytest

from plaintrust.collect import runner
from plaintrust.collect.api import CollectorFailed, Context
from plaintrust.collect.git import COLLECTOR, NOTE, _complaint

TODAY = dt.date(2026, 11, 22)
OCTOBER = (dt.date(2026, 10, 1), dt.date(2026, 10, 31))
SIGNATURE = "-----BEGIN PGP SIGNATURE-----\n\niQEzBAABCAAdFiEEexample\n=abcd\n-----END PGP SIGNATURE-----"

# What `gh api repos/OWNER/REPO/branches/main/protection` answers (GitHub's documented shape).
PROTECTION = {
    "url": "https://api.github.com/repos/acme/app/branches/main/protection",
    "required_status_checks": {
        "url": "https://api.github.com/repos/acme/app/branches/main/protection/required_status_checks",
        "strict": True,
        "contexts": ["ci/test", "ci/lint"],
        "contexts_url": "https://api.github.com/repos/acme/app/branches/main/protection/required_status_checks/contexts",
        "checks": [{"context": "ci/test", "app_id": 15368}, {"context": "ci/lint", "app_id": None}],
    },
    "required_pull_request_reviews": {
        "url": "https://api.github.com/repos/acme/app/branches/main/protection/required_pull_request_reviews",
        "dismiss_stale_reviews": True,
        "require_code_owner_reviews": True,
        "require_last_push_approval": False,
        "required_approving_review_count": 2,
        "dismissal_restrictions": {"users": [], "teams": [], "apps": []},
    },
    "required_signatures": {
        "url": "https://api.github.com/repos/acme/app/branches/main/protection/required_signatures",
        "enabled": True,
    },
    "enforce_admins": {
        "url": "https://api.github.com/repos/acme/app/branches/main/protection/enforce_admins",
        "enabled": True,
    },
    "required_linear_history": {"enabled": True},
    "allow_force_pushes": {"enabled": False},
    "allow_deletions": {"enabled": False},
    "block_creations": {"enabled": False},
    "required_conversation_resolution": {"enabled": True},
    "lock_branch": {"enabled": False},
    "allow_fork_syncing": {"enabled": False},
}

# What `gh api repos/OWNER/REPO/rules/branches/main` answers: the rules of every ruleset in force.
RULES = [
    {"type": "deletion", "ruleset_source_type": "Repository", "ruleset_source": "acme/app", "ruleset_id": 7},
    {"type": "non_fast_forward", "ruleset_source_type": "Repository", "ruleset_source": "acme/app", "ruleset_id": 7},
    {
        "type": "pull_request",
        "parameters": {
            "required_approving_review_count": 1,
            "dismiss_stale_reviews_on_push": True,
            "require_code_owner_review": False,
            "require_last_push_approval": False,
            "required_review_thread_resolution": False,
        },
        "ruleset_id": 7,
    },
    {"type": "pull_request", "parameters": {"required_approving_review_count": 2, "require_code_owner_review": True}},
    {
        "type": "required_status_checks",
        "parameters": {
            "strict_required_status_checks_policy": False,
            "required_status_checks": [{"context": "build", "integration_id": 15368}],
        },
    },
]


def context(root: Path, covers: tuple[dt.date, dt.date] | None = None) -> Context:
    return Context(root=root, today=TODAY, covers=covers, env={}, timeout=20)


def collect(options: dict[str, object], ctx: Context) -> dict[str, object]:
    kept: dict[str, object] = json.loads(COLLECTOR.collect(options, ctx))
    return kept


def failure(options: dict[str, object], ctx: Context) -> str:
    with pytest.raises(CollectorFailed) as failed:
        COLLECTOR.collect(options, ctx)
    return str(failed.value)


def exported(tmp_path: Path, data: object, name: str = "settings/protection.json") -> str:
    (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
    (tmp_path / name).write_text(json.dumps(data) if not isinstance(data, str) else data)
    return name


# branch-protection


def test_a_branch_protection_export_becomes_the_normalized_facts(tmp_path: Path) -> None:
    name = exported(tmp_path, PROTECTION)
    assert collect({"check": "branch-protection", "export": name}, context(tmp_path)) == {
        "check": "branch-protection",
        "branch": "main",
        "source": "branch protection",
        "protected": True,
        "required_approving_reviews": 2,
        "dismiss_stale_reviews": True,
        "require_code_owner_reviews": True,
        "enforce_admins": True,
        "required_signatures": True,
        "required_status_checks": {"strict": True, "checks": ["ci/lint", "ci/test"]},
        "allow_force_pushes": False,
        "allow_deletions": False,
    }


def test_what_a_protection_leaves_out_is_not_required(tmp_path: Path) -> None:
    bare = {"url": PROTECTION["url"], "enforce_admins": {"enabled": False}, "allow_force_pushes": {"enabled": True}}
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, bare)}, context(tmp_path))
    assert kept["required_approving_reviews"] == 0
    assert kept["required_status_checks"] == {"strict": False, "checks": []}
    assert (kept["enforce_admins"], kept["required_signatures"], kept["allow_force_pushes"]) == (False, False, True)
    assert kept["allow_deletions"] is None  # the export does not say: never read as forbidden


def test_permissions_the_export_does_not_state_are_null_not_forbidden(tmp_path: Path) -> None:
    silent = {"url": PROTECTION["url"], "required_signatures": {"enabled": True}, "allow_deletions": {"url": "x"}}
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, silent)}, context(tmp_path))
    assert (kept["protected"], kept["required_signatures"]) == (True, True)
    assert (kept["allow_force_pushes"], kept["allow_deletions"]) == (None, None)


# What `gh api repos/OWNER/REPO/branches/BRANCH/protection` answers for a branch without protection.
NOT_PROTECTED = {
    "message": "Branch not protected",
    "documentation_url": "https://docs.github.com/rest/branches/branch-protection#get-branch-protection",
    "status": "404",
}


def test_a_branch_without_protection_is_kept_as_unprotected(tmp_path: Path) -> None:
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, NOT_PROTECTED)}, context(tmp_path))
    assert kept == {
        "check": "branch-protection",
        "branch": "main",
        "source": "branch protection",
        "protected": False,
        "required_approving_reviews": 0,
        "dismiss_stale_reviews": False,
        "require_code_owner_reviews": False,
        "enforce_admins": False,
        "required_signatures": False,
        "required_status_checks": {"strict": False, "checks": []},
        "allow_force_pushes": True,
        "allow_deletions": True,
    }


def test_no_rules_for_a_branch_is_kept_as_unprotected(tmp_path: Path) -> None:
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, [])}, context(tmp_path))
    assert (kept["source"], kept["protected"], kept["allow_force_pushes"], kept["allow_deletions"]) == (
        "rulesets",
        False,
        True,
        True,
    )


EXPECTED = (
    "expected what gh api repos/OWNER/REPO/branches/BRANCH/protection, gh api repos/OWNER/REPO/rules/branches/BRANCH"
    " or gh api repos/OWNER/REPO/rulesets/ID returns"
)


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (
            {"message": "Not Found", "documentation_url": "https://docs.github.com/rest", "status": "404"},
            "the export is an error answer of the host, not the branch's settings: Not Found",
        ),
        (
            {"message": "Bad credentials", "status": "401"},
            "the export is an error answer of the host, not the branch's settings: Bad credentials",
        ),
        ({}, f"the export has none of the settings of a branch protection: {EXPECTED}"),
        ({"url": PROTECTION["url"]}, f"the export has none of the settings of a branch protection: {EXPECTED}"),
        (  # GitLab's protected branch
            {"id": 1, "name": "main", "push_access_levels": [{"access_level": 40}], "allow_force_push": False},
            f"the export has none of the settings of a branch protection: {EXPECTED}",
        ),
        (  # `gh api repos/OWNER/REPO/rulesets`: the rulesets without their rules
            [{"id": 7, "name": "main rules", "source_type": "Repository", "enforcement": "active"}],
            f"the export has items that are not rules (a rule has a type): {EXPECTED}",
        ),
        (  # GitLab's protected branches
            [{"id": 1, "name": "main", "push_access_levels": [{"access_level": 40}], "allow_force_push": False}],
            f"the export has items that are not rules (a rule has a type): {EXPECTED}",
        ),
        (
            [{"type": "deletion"}, "non_fast_forward"],
            f"the export has items that are not rules (a rule has a type): {EXPECTED}",
        ),
        (
            {"name": "r", "enforcement": "active", "rules": [{"parameters": {}}]},
            f"the export has items that are not rules (a rule has a type): {EXPECTED}",
        ),
    ],
)
def test_an_export_that_is_not_settings_fails(tmp_path: Path, content: object, expected: str) -> None:
    name = exported(tmp_path, content)
    assert failure({"check": "branch-protection", "export": name}, context(tmp_path)) == expected


def test_a_protection_of_another_branch_fails(tmp_path: Path) -> None:
    name = exported(tmp_path, PROTECTION)
    message = failure({"check": "branch-protection", "export": name, "branch": "release"}, context(tmp_path))
    assert message.startswith("the export is about another branch than release")


def test_the_rules_of_a_branch_become_the_same_facts(tmp_path: Path) -> None:
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, RULES)}, context(tmp_path))
    assert kept == {
        "check": "branch-protection",
        "branch": "main",
        "source": "rulesets",
        "protected": True,
        "required_approving_reviews": 2,  # the strictest of the two rulesets
        "dismiss_stale_reviews": True,
        "require_code_owner_reviews": True,
        "enforce_admins": None,  # the list of rules does not say who may bypass them
        "required_signatures": False,
        "required_status_checks": {"strict": False, "checks": ["build"]},
        "allow_force_pushes": False,
        "allow_deletions": False,
    }


def ruleset(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "id": 42,
        "name": "protect-main",
        "target": "branch",
        "enforcement": "active",
        "bypass_actors": [],
        "conditions": {"ref_name": {"include": ["~DEFAULT_BRANCH"], "exclude": []}},
        "rules": [{"type": "required_signatures"}, {"type": "deletion"}],
    }
    return base | changes


def test_an_active_ruleset_without_bypass_binds_administrators(tmp_path: Path) -> None:
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, ruleset())}, context(tmp_path))
    assert (kept["enforce_admins"], kept["required_signatures"]) == (True, True)
    assert (kept["allow_deletions"], kept["allow_force_pushes"]) == (False, True)
    bypassed = ruleset(bypass_actors=[{"actor_id": 5, "actor_type": "RepositoryRole", "bypass_mode": "always"}])
    kept = collect({"check": "branch-protection", "export": exported(tmp_path, bypassed)}, context(tmp_path))
    assert kept["enforce_admins"] is False


@pytest.mark.parametrize(
    ("changes", "expected"),
    [
        ({"enforcement": "evaluate"}, "the ruleset protect-main is not enforced (enforcement: evaluate)"),
        (
            {"conditions": {"ref_name": {"include": ["refs/heads/release/*"]}}},
            "the ruleset protect-main does not apply to the branch main",
        ),
        (
            {"conditions": {"ref_name": {"include": ["~ALL"], "exclude": ["refs/heads/main"]}}},
            "the ruleset protect-main does not apply to the branch main",
        ),
    ],
)
def test_a_ruleset_that_does_not_bind_the_branch_fails(
    tmp_path: Path, changes: dict[str, object], expected: str
) -> None:
    name = exported(tmp_path, ruleset(**changes))
    assert failure({"check": "branch-protection", "export": name}, context(tmp_path)) == expected


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (None, "the export settings/protection.json is not a file (write it in a step before the collection)"),
        ("{not json", "the export settings/protection.json is not JSON"),
        ('"main"', "the export is neither a branch protection nor a list of rules"),
    ],
)
def test_a_missing_or_broken_export_fails(tmp_path: Path, content: str | None, expected: str) -> None:
    name = exported(tmp_path, content) if content is not None else "settings/protection.json"
    assert failure({"check": "branch-protection", "export": name}, context(tmp_path)).startswith(expected)


def test_a_folder_is_not_an_export(tmp_path: Path) -> None:
    (tmp_path / "settings").mkdir()
    message = failure({"check": "branch-protection", "export": "settings"}, context(tmp_path))
    assert message.startswith("the export settings is not a file")


# signed-commits


def git(repo: Path, *args: str, stdin: bytes | None = None, env: dict[str, str] | None = None) -> str:
    clean = {"PATH": os.environ["PATH"], "HOME": str(repo.parent), "GIT_CONFIG_NOSYSTEM": "1", **(env or {})}
    done = subprocess.run(["git", *args], cwd=repo, input=stdin, capture_output=True, env=clean, check=True)
    return done.stdout.decode().strip()


def commit(repo: Path, when: str, message: str, signature: tuple[str, str] | None = None) -> str:
    """A commit on top of HEAD, committed `when` ("SECONDS +ZONE"); `signature`: (header, text)
    written into the raw object as a signed commit carries it."""
    tree = git(repo, "write-tree")
    parents = (
        git(repo, "rev-parse", "--verify", "-q", "HEAD") if (repo / ".git" / "refs" / "heads" / "main").exists() else ""
    )
    lines = [f"tree {tree}", *([f"parent {parents}"] if parents else [])]
    lines += [f"author Dana <dana@example.com> {when}", f"committer Dana <dana@example.com> {when}"]
    if signature:
        header, text = signature
        lines.append(f"{header} " + "\n ".join(text.split("\n")))
    raw = ("\n".join(lines) + f"\n\n{message}\n").encode()
    made = git(repo, "hash-object", "-t", "commit", "-w", "--stdin", stdin=raw)
    git(repo, "update-ref", "refs/heads/main", made)
    return made


def stamp(text: str) -> str:
    """ "2026-10-01T00:10:00+0200" -> "SECONDS +0200", as a raw commit writes its time."""
    moment = dt.datetime.strptime(text, "%Y-%m-%dT%H:%M:%S%z")
    return f"{int(moment.timestamp())} {text[-5:]}"


@pytest.fixture
def history(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    ids = {
        "before": commit(repo, stamp("2026-09-30T23:30:00+0000"), "before the period"),
        "first": commit(repo, stamp("2026-10-01T00:10:00+0000"), "signed on the first day", ("gpgsig", SIGNATURE)),
        "late": commit(repo, stamp("2026-10-20T12:00:00+0000"), "unsigned"),
        # A child committed before its parent (a rebase can do that), with a message that only looks like a header.
        "early": commit(repo, stamp("2026-10-10T08:00:00+0000"), "unsigned too\n\ngpgsig not a header"),
        # 01:30 on 1 November at +0200 is 23:30 on 31 October in UTC: days count in UTC.
        "zoned": commit(repo, stamp("2026-11-01T01:30:00+0200"), "signed, SHA-256 form", ("gpgsig-sha256", SIGNATURE)),
        "after": commit(repo, stamp("2026-11-01T00:00:01+0000"), "after the period", ("gpgsig", SIGNATURE)),
    }
    return repo, ids


def test_signed_commits_are_counted_over_the_covered_period(history: tuple[Path, dict[str, str]]) -> None:
    repo, ids = history
    kept = collect({"check": "signed-commits"}, context(repo, OCTOBER))
    assert kept == {
        "check": "signed-commits",
        "ref": "HEAD",
        "period": {"from": "2026-10-01", "to": "2026-10-31"},
        "commits": 4,
        "signed": 2,
        "ratio": "2/4",
        "signed_share": 0.5,
        "unsigned": [ids["early"], ids["late"]],  # by date, not by history
        "note": NOTE,
    }
    assert NOTE == "Signatures were found, not verified."


def test_the_share_is_rounded_to_three_places(history: tuple[Path, dict[str, str]]) -> None:
    repo, ids = history
    kept = collect({"check": "signed-commits"}, context(repo, (dt.date(2026, 10, 1), dt.date(2026, 10, 22))))
    assert (kept["ratio"], kept["signed_share"], kept["unsigned"]) == ("1/3", 0.333, [ids["early"], ids["late"]])


def test_without_covers_the_30_days_before_today_count(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    kept = collect({"check": "signed-commits", "repository": "."}, context(repo))
    assert kept["period"] == {"from": "2026-10-23", "to": "2026-11-21"}
    assert (kept["commits"], kept["ratio"], kept["unsigned"]) == (2, "2/2", [])


def test_a_period_without_commits_has_no_share(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    kept = collect({"check": "signed-commits"}, context(repo, (dt.date(2026, 6, 1), dt.date(2026, 6, 30))))
    assert (kept["commits"], kept["ratio"], kept["signed_share"]) == (0, "0/0", None)


def test_repository_and_ref_choose_the_history(history: tuple[Path, dict[str, str]]) -> None:
    repo, ids = history
    git(repo, "branch", "old", ids["late"])
    kept = collect({"check": "signed-commits", "repository": "repo", "ref": "old"}, context(repo.parent, OCTOBER))
    assert (kept["ref"], kept["ratio"], kept["unsigned"]) == ("old", "1/2", [ids["late"]])


def test_the_repository_cannot_make_a_signature_program_run(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    marker = repo.parent / "ran"
    program = repo.parent / "fake-gpg"
    program.write_text(f"#!/bin/sh\ntouch {marker}\nexit 1\n")
    program.chmod(0o755)
    git(repo, "config", "gpg.program", str(program))
    git(repo, "config", "log.showSignature", "true")
    assert collect({"check": "signed-commits"}, context(repo, OCTOBER))["signed"] == 2
    assert not marker.exists()


@pytest.mark.parametrize(
    ("options", "expected"),
    [
        ({"ref": "no-such-branch"}, "the ref no-such-branch is not a branch, tag or commit of the repository"),
        ({"ref": "main:README"}, "the ref main:README is not a branch, tag or commit of the repository"),
        ({"ref": "--output=x"}, "the ref --output=x is not a branch, tag or commit"),
        ({"repository": "missing"}, "the repository missing is not a folder"),
    ],
)
def test_a_history_that_cannot_be_read_fails(
    history: tuple[Path, dict[str, str]], options: dict[str, object], expected: str
) -> None:
    repo, _ = history
    assert failure({"check": "signed-commits", **options}, context(repo, OCTOBER)) == expected


def test_a_repository_without_commits_says_so(tmp_path: Path) -> None:
    git(tmp_path, "init", "-q", "-b", "main")
    for ref in ("HEAD", "main"):
        message = failure({"check": "signed-commits", "ref": ref}, context(tmp_path, OCTOBER))
        assert message == "the repository has no commits"


def test_a_folder_that_is_not_a_repository_fails_with_gits_reason(tmp_path: Path) -> None:
    (tmp_path / ".git").write_text("")  # stops git looking further up for a repository
    message = failure({"check": "signed-commits"}, context(tmp_path, OCTOBER))
    assert message.startswith("git could not read the history: ")
    assert "\n" not in message and "fatal" not in message and "usage" not in message.casefold()


def test_gits_first_fatal_line_is_the_reason_not_its_usage_lines() -> None:
    stderr = (
        b"warning: something first\n"
        b"fatal: ambiguous argument 'x': unknown revision or path not in the working tree.\n"
        b"Use '--' to separate paths from revisions, like this:\n"
        b"'git <command> [<revision>...] -- [<file>...]'\n"
    )
    assert _complaint(stderr) == "ambiguous argument 'x': unknown revision or path not in the working tree."
    assert _complaint(b"error: one\nerror: two\n") == "error: one"
    assert _complaint(b"") == "it failed"


def test_an_old_dated_commit_does_not_hide_the_commits_before_it(tmp_path: Path) -> None:
    """A rebase can leave a commit with a committer date older than its parents': git's `--since`
    stops walking there, so the period's commits before it would go uncounted."""
    repo = tmp_path / "repo"
    repo.mkdir()
    git(repo, "init", "-q", "-b", "main")
    ids = {
        "before": commit(repo, stamp("2026-09-15T10:00:00+0000"), "before the period"),
        "first": commit(repo, stamp("2026-10-05T10:00:00+0000"), "in the period", ("gpgsig", SIGNATURE)),
        "second": commit(repo, stamp("2026-10-06T10:00:00+0000"), "in the period, unsigned"),
        "old": commit(repo, stamp("2025-03-01T10:00:00+0000"), "rebased, with an old committer date"),
        "last": commit(repo, stamp("2026-10-25T10:00:00+0000"), "in the period too", ("gpgsig", SIGNATURE)),
    }
    kept = collect({"check": "signed-commits"}, context(repo, OCTOBER))
    # "old" itself is outside the period by its date, wherever it sits in the history.
    assert (kept["commits"], kept["ratio"], kept["unsigned"]) == (3, "2/3", [ids["second"]])


def test_a_shallow_clone_fails_rather_than_undercount(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    git(repo.parent, "clone", "-q", "--depth", "1", f"file://{repo}", "shallow")
    message = failure({"check": "signed-commits"}, context(repo.parent / "shallow", OCTOBER))
    assert message.startswith("the repository is a shallow clone")


def test_the_options_schema_fits_each_check() -> None:
    valid = jsonschema.Draft202012Validator(COLLECTOR.options)  # documented: see test_collect_registry
    for right in (
        {"check": "branch-protection", "export": "settings/protection.json", "branch": "main"},
        {"check": "signed-commits"},
        {"check": "signed-commits", "repository": ".", "ref": "main"},
    ):
        assert valid.is_valid(right), right
    for wrong in (
        {},
        {"check": "branch-protection"},
        {"check": "branch-protection", "export": "x.json", "ref": "main"},
        {"check": "signed-commits", "export": "x.json"},
        {"check": "signed-commits", "ref": "-x"},
        {"check": "tags"},
    ):
        assert not valid.is_valid(wrong), wrong


def test_through_the_worker(history: tuple[Path, dict[str, str]]) -> None:
    repo, _ = history
    ran = runner.collect(
        "git",
        {"check": "signed-commits"},
        root=repo,
        today=TODAY,
        covers=OCTOBER,
        allowed_env={},
        timeout=30,
        series="signed-commits",
    )
    assert ran.ok, ran.problem
    assert json.loads(ran.output)["ratio"] == "2/4"
