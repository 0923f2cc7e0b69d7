"""The change history customers read comes from git, but only from versions they were shown as
approved: a version committed and never approved, one kept private (`public: none`) and one of
another policy that once had the file never reach the built site."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from helpers import check_and_build, write
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.load.paths import CACHE_FOLDER
from policy_site import ALL, FULL, NO_GIT, _git, add_policies, approve

UNAPPROVED = "Night shift may share one admin account."
PRIVATE = "Pager numbers moved to the on-call wiki."
OTHER = "Written for the hardware lab only."
MARKUP = "<b>1.0</b>"


def _commit(repo: Path, text: str, message: str, *, approved: bool) -> None:
    write(repo, "policies/remote-work.md", text)
    if approved:
        approve(repo)
    _git(repo, "add", "-A")
    _git(repo, "commit", "-q", "-m", message)


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_versions_never_shown_as_approved_stay_out_of_the_site(runner, base_repo: Path) -> None:
    version = lambda v, change: FULL.replace('"2.0"', f'"{v}"').replace(  # noqa: E731
        "Home routers now need current updates.", change
    )
    add_policies(base_repo, {**ALL, "policies/remote-work.md": version("0.9", OTHER).replace("remote-work", "lab")})
    _git(base_repo, "init", "-q")
    _git(base_repo, "add", "-A")
    _git(base_repo, "commit", "-q", "-m", "another policy in this file")
    _commit(base_repo, version("1.0", "First version."), "first", approved=True)
    _commit(base_repo, version("1.1", UNAPPROVED), "unapproved", approved=False)
    _commit(base_repo, version("1.2", PRIVATE).replace("public: full", "public: none"), "private", approved=True)
    _commit(base_repo, FULL, "current", approved=True)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    page = (base_repo / "build/site/policies/remote-work/index.html").read_text()
    assert "First version." in page[page.index("Change history") :]
    for path in (base_repo / "build/site").rglob("*"):
        if path.is_file():
            text = path.read_bytes().decode("utf-8", "replace")
            assert UNAPPROVED not in text and PRIVATE not in text and OTHER not in text, path


@pytest.mark.skipif(NO_GIT, reason="no git")
def test_a_row_edited_in_the_cache_is_not_trusted(runner, base_repo: Path) -> None:
    """The kept history is a file anyone can edit: a row whose version a fresh read of git could never
    give (markup, here, with the digest of a real approval) is dropped, not published."""
    add_policies(base_repo, ALL)
    _git(base_repo, "init", "-q")
    _commit(base_repo, FULL.replace('"2.0"', '"1.0"'), "first", approved=True)
    _commit(base_repo, FULL, "current", approved=True)
    assert runner.invoke(cli.cli, ["check", "--root", str(base_repo)]).exit_code == ExitCode.OK
    extras = base_repo / CACHE_FOLDER / "documents/extras.json"
    cache = json.loads(extras.read_text())
    rows = cache["entries"]["policy_history"]["paths"]["policies/remote-work.md"]
    assert [row[0] for row in rows] == ["2.0", "1.0"]
    rows[1][0] = MARKUP
    extras.write_text(json.dumps(cache))
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    page = (base_repo / "build/site/policies/remote-work/index.html").read_text()
    history = page[page.index("Change history") :]
    history = history[: history.index("</tbody>")]
    assert re.findall(r"<tr><td>([^<]*)</td>", history) == ["2.0"]  # the row edited is gone
    for path in (base_repo / "build").rglob("*"):
        if path.is_file():
            assert "<b>1.0" not in path.read_bytes().decode("utf-8", "replace"), path
