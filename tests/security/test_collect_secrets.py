"""`plaintrust evidence collect` and secrets: a canary token in an allowed variable never lands in a
record, the ledger, an evidence file, the command's output or the built site; a variable the block
does not allow never reaches the collector; and the output is never written through a symbolic link
(into site/ or out of the repository)."""

from __future__ import annotations

import datetime as dt
import json
import os
import sys
from pathlib import Path

import pytest

from helpers import check_and_build, site_snapshot, write
from plaintrust import cli
from plaintrust.errors import ExitCode

CANARY = "ptcanary-7d41c9e0b2a85f36"
TOKEN = "import os; token = os.environ['CANARY_TOKEN']; "


@pytest.fixture(autouse=True)
def _canary(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CANARY_TOKEN", CANARY)
    monkeypatch.setenv("NOT_ALLOWED_SECRET", "not-for-collectors-31c8")


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))


def evidence(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", *args, "--root", str(repo)])


def collecting(runner, repo: Path, series: str, code: str) -> None:
    """A series started by hand (its file in evidence/hand/) whose collector runs `code` with
    CANARY_TOKEN allowed."""
    write(repo, f"evidence/hand/{series}.txt", "by hand\n")
    made = evidence(runner, repo, "new", f"evidence/hand/{series}.txt", "--id", series)
    assert made.exit_code == ExitCode.OK, made.output
    argv = json.dumps([sys.executable, "-c", code])
    block = f"collect:\n  run: {argv}\n  every: daily\n  env: [CANARY_TOKEN]\n"
    record = repo / f"evidence/hand/{series}.yaml"
    record.write_text(record.read_text() + block)


def files(folder: Path) -> dict[str, bytes]:
    return {
        p.relative_to(folder).as_posix(): p.read_bytes()
        for p in sorted(folder.rglob("*"))
        if p.is_file() and ".plaintrust-cache" not in p.parts
    }


def test_the_stderr_tail_shows_the_secret_by_name(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collecting(
        runner,
        base_repo,
        "leaky",
        TOKEN + "import sys; sys.stderr.write(f'login with {token} refused\\n'); sys.exit(4)",
    )
    on(monkeypatch, "2026-11-23")
    before = files(base_repo)
    for fmt in ("text", "json", "github"):
        result = evidence(runner, base_repo, "collect", "--format", fmt)
        assert result.exit_code == ExitCode.FINDINGS
        assert "login with [CANARY_TOKEN] refused" in result.output
        assert CANARY not in result.output
    assert files(base_repo) == before


def test_an_output_holding_the_secret_is_not_written(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    collecting(runner, base_repo, "echoes", TOKEN + "print('token:', token)")
    on(monkeypatch, "2026-11-23")
    before = files(base_repo)
    result = evidence(runner, base_repo, "collect")
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "collecting echoes failed: the output contains the value of CANARY_TOKEN: nothing was written" in result.stdout
    )
    assert CANARY not in result.output
    assert files(base_repo) == before


def test_a_secret_reaches_no_record_ledger_output_or_site(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    uses = TOKEN + "import sys; sys.stderr.write(f'using {token}\\n'); print('signed in:', len(token) > 0)"
    collecting(runner, base_repo, "uses-token", uses)
    outputs = []
    for day in ("2026-11-23", "2026-11-24"):
        on(monkeypatch, day)
        for args in (["--dry-run"], [], ["--format", "json"]):
            result = evidence(runner, base_repo, "collect", *args)
            assert result.exit_code == ExitCode.OK, result.output
            outputs.append(result.output)
    assert (base_repo / "evidence/files/uses-token/2026-11-24.txt").read_text() == "signed in: True\n"
    outputs.append(evidence(runner, base_repo, "due").output)
    results = check_and_build(runner, base_repo)
    assert results["build"].exit_code == ExitCode.OK, results["build"].output
    assert not any(CANARY in text for text in [*outputs, *(r.output for r in results.values())])
    assert [path for path, data in files(base_repo).items() if CANARY.encode() in data] == []
    assert site_snapshot(base_repo) and not any(CANARY.encode() in data for data in site_snapshot(base_repo).values())


def test_only_the_allowed_variables_reach_the_collector(
    runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    collecting(runner, base_repo, "environment", "import json, os; print(json.dumps(sorted(os.environ)))")
    on(monkeypatch, "2026-11-23")
    assert evidence(runner, base_repo, "collect").exit_code == ExitCode.OK
    seen = json.loads((base_repo / "evidence/files/environment/2026-11-23.txt").read_text())
    assert "CANARY_TOKEN" in seen and "NOT_ALLOWED_SECRET" not in seen and "SOURCE_DATE_EPOCH" not in seen
    assert set(seen) <= {
        *("CANARY_TOKEN", "PATH", "HOME", "TMPDIR", "LANG", "LC_ALL", "TZ", "PLAINTRUST_SERIES", "PLAINTRUST_TODAY"),
        "LC_CTYPE",  # Python may set it for itself
    }


def _into_site(repo: Path, outside: Path) -> Path:
    target = repo / "site/collected"
    target.mkdir()
    (repo / "evidence/files/linked").symlink_to(target, target_is_directory=True)
    return target


def _outside(repo: Path, outside: Path) -> Path:
    (repo / "evidence/files/linked").symlink_to(outside, target_is_directory=True)
    return outside


def _files_outside(repo: Path, outside: Path) -> Path:
    """evidence/files itself leads out of the repository (its files moved along)."""
    (repo / "evidence/files").rename(outside / "files")
    (repo / "evidence/files").symlink_to(outside / "files", target_is_directory=True)
    return outside


@pytest.mark.parametrize("link", [_into_site, _outside, _files_outside])
def test_the_output_is_never_written_through_a_symbolic_link(
    runner, base_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link
) -> None:
    collecting(runner, base_repo, "linked", "print('evidence')")
    outside = tmp_path / "outside"
    outside.mkdir()
    target = link(base_repo, outside)
    on(monkeypatch, "2026-11-23")
    before, there = files(base_repo), files(target)
    result = evidence(runner, base_repo, "collect", "linked")
    assert result.exit_code == ExitCode.FINDINGS
    assert "collecting linked failed: cannot write evidence/files/linked/2026-11-23.txt: " in result.stdout
    assert "symbolic link" in result.stdout
    assert files(target) == there and files(base_repo) == before
    assert not os.path.lexists(base_repo / "evidence/linked")


def _series_outside(repo: Path, outside: Path) -> Path:
    (repo / "evidence/linked").symlink_to(outside, target_is_directory=True)
    return outside


def _series_into_site(repo: Path, outside: Path) -> Path:
    (repo / "site/collected").mkdir()
    (repo / "evidence/linked").symlink_to("../site/collected", target_is_directory=True)
    return repo / "site/collected"


@pytest.mark.parametrize("link", [_series_outside, _series_into_site])
def test_the_record_is_never_written_through_a_symbolic_link(
    runner, base_repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, link
) -> None:
    """evidence/<series>/, where the new record goes, leads out of evidence/: the output written
    before it goes again, and nothing enters the ledger."""
    collecting(runner, base_repo, "linked", "print('evidence')")
    outside = tmp_path / "outside"
    outside.mkdir()
    target = link(base_repo, outside)
    on(monkeypatch, "2026-11-23")
    before, there = files(base_repo), files(target)
    result = evidence(runner, base_repo, "collect", "linked")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "collecting linked failed: cannot write evidence/linked/linked-2026-11-23.yaml: " in result.stdout
    assert "symbolic link" in result.stdout and "nothing was written" in result.stdout
    assert files(target) == there and files(base_repo) == before
    assert not os.path.lexists(base_repo / "evidence/files/linked")


def test_evidence_new_never_writes_a_record_through_a_symbolic_link(runner, base_repo: Path, tmp_path: Path) -> None:
    outside = tmp_path / "outside"
    outside.mkdir()
    write(base_repo, "evidence/files/linked/export.txt", "by hand\n")
    (base_repo / "evidence/linked").symlink_to(outside, target_is_directory=True)
    before = files(base_repo)
    result = evidence(runner, base_repo, "new", "evidence/files/linked/export.txt")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert "cannot write evidence/linked/export.yaml: " in result.output and "symbolic link" in result.output
    assert files(outside) == {} and files(base_repo) == before


@pytest.mark.parametrize("file", ["../outside.txt", "files/../../outside.txt", "/elsewhere/outside.txt"])
def test_the_one_writer_refuses_a_path_out_of_evidence(tmp_path: Path, file: str) -> None:
    from plaintrust.actions import scaffold

    (tmp_path / "evidence").mkdir()
    made, problem = scaffold.write_new(tmp_path, file, b"evidence\n")
    assert made == [] and problem == f"cannot write evidence/{file}: the path leads out of evidence/"
    assert [p.name for p in tmp_path.rglob("*")] == ["evidence"]
