"""The error page of `plaintrust serve` (it may quote internal values) exists only in that local
preview: a failed `plaintrust build` or `mkdocs build` writes no such page, whatever ran before in
the same process, and leaves the previous site exactly as it was."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from helpers import check_and_build, site_snapshot
from payloads import apply_control_payloads
from plaintrust import cli, preview
from plaintrust.errors import ExitCode

HEADING = b"cannot be built"


def mkdocs_build(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q"], cwd=repo, capture_output=True, text=True,
                          env={**os.environ, "NO_MKDOCS_2_WARNING": "1"}, timeout=300)


def test_a_failed_build_writes_no_error_page_and_keeps_the_last_site(runner, base_repo: Path) -> None:
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    before = site_snapshot(base_repo)
    apply_control_payloads(base_repo)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
    assert mkdocs_build(base_repo).returncode == 1
    assert site_snapshot(base_repo) == before
    assert not any(HEADING in data for data in before.values())


def test_a_preview_earlier_in_the_process_does_not_turn_build_into_one(runner, base_repo: Path) -> None:
    # MkDocs keeps one plugin object for the whole process: serving first must leave nothing behind.
    control = base_repo / "controls/access/ac-01.yaml"
    valid = control.read_text()
    apply_control_payloads(base_repo)
    with preview.opened(base_repo) as server:
        assert HEADING in (Path(server.root) / "index.html").read_bytes()
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "nothing was built" in result.output
    assert site_snapshot(base_repo) == {}
    control.write_text(valid)
    with preview.opened(base_repo):
        pass
    assert runner.invoke(cli.cli, ["build", "--root", str(base_repo)]).exit_code == ExitCode.OK
    built = site_snapshot(base_repo)
    assert "index.html" in built and not any(HEADING in data for data in built.values())
