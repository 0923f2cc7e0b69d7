"""`plaintrust evidence verify --published FILE_OR_URL`: through the CLI, from a file and from a web server."""

from __future__ import annotations

import functools
import json
import socket
import threading
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from evidence_repo import ledger_lines, set_ledger
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger


def verify(runner, repo: Path, *extra: str):
    return runner.invoke(cli.cli, ["evidence", "verify", "--root", str(repo), *extra])


def publish(repo: Path, folder: Path) -> None:
    """What a build publishes about the ledger, written into `folder`."""
    summary = ledger.summary(repo)
    heads = [{"entries": d.entries, "head": d.head, "as_of": d.as_of.isoformat()} for d in summary.days]
    folder.mkdir(exist_ok=True)
    (folder / "evidence-log.json").write_text(json.dumps({"format": "plaintrust-evidence-log/1", "heads": heads}))
    (folder / "trust.json").write_text(
        json.dumps({"format": "plaintrust-trust-center/1", "evidence_ledger": heads[-1]})
    )


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args) -> None:
        pass


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The local servers below are reached directly, whatever proxy the environment names."""
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")


@pytest.fixture
def served(tmp_path: Path) -> Iterator[tuple[Path, str]]:
    """(folder, its URL): a local web server for the published files."""
    folder = tmp_path / "public"
    folder.mkdir()
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield folder, f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()
    thread.join()


def test_a_ledger_that_only_grew_verifies_against_a_file(runner, pinned_repo: Path, tmp_path: Path) -> None:
    publish(pinned_repo, tmp_path / "public")
    for name in ("evidence-log.json", "trust.json"):
        result = verify(runner, pinned_repo, "--published", str(tmp_path / "public" / name))
        assert result.exit_code == ExitCode.OK, result.output
        assert result.stdout == ""
        assert result.stderr == "checked 1 published head(s) against 5 ledger line(s); no problems found\n"


def test_a_ledger_verifies_against_a_url(runner, pinned_repo: Path, served: tuple[Path, str]) -> None:
    folder, url = served
    publish(pinned_repo, folder)
    result = verify(runner, pinned_repo, "--published", f"{url}/evidence-log.json")
    assert result.exit_code == ExitCode.OK, result.output
    assert "checked 1 published head(s) against 5 ledger line(s); no problems found" in result.stderr


def test_a_rewritten_ledger_fails_against_a_url(runner, pinned_repo: Path, served: tuple[Path, str]) -> None:
    folder, url = served
    publish(pinned_repo, folder)
    lines = ledger_lines(pinned_repo)
    set_ledger(pinned_repo, lines[:4])
    result = verify(runner, pinned_repo, "--published", f"{url}/trust.json")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        "evidence/ledger.jsonl:1:1: error [ledger-published] the published head after 5 entries (as of 2026-11-22) "
        "is not in this ledger: it has only 4 entries (entries were removed, or this copy is out of date)\n"
    )
    set_ledger(pinned_repo, [*lines[:4], lines[4].replace(b'"size": ', b'"size": 1')])
    result = verify(runner, pinned_repo, "--published", f"{url}/trust.json")
    assert result.stdout == (
        "evidence/ledger.jsonl:5:1: error [ledger-published] the published head after 5 entries (as of 2026-11-22) "
        "is not in this ledger: its history was rewritten\n"
    )
    assert "checked 1 published head(s) against 5 ledger line(s); 1 error, 0 warnings" in result.stderr


def test_a_missing_page_is_a_finding(runner, pinned_repo: Path, served: tuple[Path, str]) -> None:
    _, url = served
    result = verify(runner, pinned_repo, "--published", f"{url}/nothing.json")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        f"{url}/nothing.json:1:1: error [published-file] cannot fetch the published file: "
        "the server answered 404 File not found\n"
    )


def test_a_server_that_is_not_there_is_a_finding(runner, pinned_repo: Path, served: tuple[Path, str]) -> None:
    _, url = served
    dead = url.rsplit(":", 1)[0] + ":1"
    result = verify(runner, pinned_repo, "--published", f"{dead}/trust.json")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.startswith(f"{dead}/trust.json:1:1: error [published-file] cannot fetch the published file: ")
    assert "Traceback" not in result.output


@pytest.mark.parametrize(
    ("content", "message"),
    [
        (None, "cannot read the published file: No such file or directory"),
        ('{"format": "plaintrust-evidence-log/1", "heads": [', "the published file is not JSON"),
        (
            '{"format": "plaintrust-evidence-log/1", "heads": [{"entries": 0, "head": "x", "as_of": "today"}]}',
            "head 1 of the published file is not entries (a whole number from 1), head (64 hex digits) and as_of (YYYY-MM-DD)",
        ),
    ],
)
def test_an_unreadable_or_garbled_file_is_a_finding(
    runner, pinned_repo: Path, tmp_path: Path, content: str | None, message: str
) -> None:
    target = tmp_path / "published.json"
    if content is not None:
        target.write_text(content)
    result = verify(runner, pinned_repo, "--published", str(target))
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == f"{target}:1:1: error [published-file] {message}\n"
    assert "Traceback" not in result.output


def test_a_folder_is_not_a_published_file(runner, pinned_repo: Path, tmp_path: Path) -> None:
    result = verify(runner, pinned_repo, "--published", str(tmp_path))
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == f"{tmp_path}:1:1: error [published-file] cannot read the published file: Is a directory\n"


def test_other_schemes_are_not_fetched(runner, pinned_repo: Path) -> None:
    result = verify(runner, pinned_repo, "--published", "file:///etc/passwd")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout == (
        "file:///etc/passwd:1:1: error [published-file] only http and https addresses are fetched: "
        "download the published file and give its path\n"
    )


def test_json_output_for_machines(runner, pinned_repo: Path, tmp_path: Path) -> None:
    publish(pinned_repo, tmp_path / "public")
    set_ledger(pinned_repo, [])
    result = verify(runner, pinned_repo, "--published", str(tmp_path / "public/evidence-log.json"), "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS
    assert "ledger-published" in result.stdout and "it has no entries (entries were removed" in result.stdout


def test_without_published_verify_is_unchanged(runner, pinned_repo: Path) -> None:
    result = verify(runner, pinned_repo)
    assert result.exit_code == ExitCode.OK
    assert "verified 5 file(s) and 5 ledger line(s); no problems found" in result.stderr


def test_a_server_that_never_answers_is_a_finding(runner, pinned_repo: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    from plaintrust.actions import published

    monkeypatch.setattr(published, "TIMEOUT", 0.2)
    with socket.socket() as silent:  # listens, so the connection is made, but never reads or answers
        silent.bind(("127.0.0.1", 0))
        silent.listen()
        url = f"http://127.0.0.1:{silent.getsockname()[1]}/trust.json"
        result = verify(runner, pinned_repo, "--published", url)
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        result.stdout
        == f"{url}:1:1: error [published-file] cannot fetch the published file: no answer within 0.2 seconds\n"
    )


@pytest.mark.parametrize("appended", [b'{"junk": 1}\n', b"not json at all\n"])
def test_a_chain_broken_after_the_published_heads_fails(
    runner, pinned_repo: Path, tmp_path: Path, appended: bytes
) -> None:
    publish(pinned_repo, tmp_path / "public")
    with (pinned_repo / ledger.PATH).open("ab") as book:
        book.write(appended)
    result = verify(runner, pinned_repo, "--published", str(tmp_path / "public" / "evidence-log.json"))
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        f"{ledger.PATH}:6:1: error [ledger-published] the chain breaks at line 6, after the published heads: "
        "the entries added since were changed or are not entries"
    ) in result.stdout
