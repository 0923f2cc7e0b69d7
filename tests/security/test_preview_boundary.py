"""The error page of `plaintrust serve` (it may quote internal values) exists only in that local
preview: a failed `plaintrust build` or `mkdocs build` writes no such page, whatever ran before in
the same process, and leaves the previous site exactly as it was. The preview itself answers only to
the names of this computer, warns when it is served beyond it, and escapes what a hook raises."""

from __future__ import annotations

import http.client
import logging
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

from helpers import check_and_build, edit, site_snapshot, write
from payloads import apply_control_payloads
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.public import preview

HEADING = b"cannot be built"


def mkdocs_build(repo: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "mkdocs", "build", "-q"],
        cwd=repo,
        capture_output=True,
        text=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
        timeout=300,
    )


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


def ask(address: str, host: str) -> tuple[int, bytes]:
    connection = http.client.HTTPConnection(address, timeout=30)
    try:
        connection.request("GET", "/", headers={"Host": host})
        answer = connection.getresponse()
        return answer.status, answer.read()
    finally:
        connection.close()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_the_preview_answers_only_to_the_names_of_this_computer(base_repo: Path) -> None:
    # A page elsewhere could reach 127.0.0.1 under a name of its own (DNS rebinding) and read the error page.
    apply_control_payloads(base_repo)
    port = free_port()
    address = f"127.0.0.1:{port}"
    with preview.opened(base_repo, address) as server:
        threading.Thread(target=server.serve, daemon=True).start()
        deadline = time.monotonic() + 30
        while True:
            try:
                status, body = ask(address, address)
                break
            except OSError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert status == 200 and HEADING in body
        for name in (f"localhost:{port}", "127.0.0.1", f"[::1]:{port}", "LOCALHOST"):
            assert ask(address, name)[0] == 200, name
        for name in (f"attacker.example:{port}", "attacker.example", "127.0.0.1.attacker.example", "", "[::1"):
            status, body = ask(address, name)
            assert status == 403 and HEADING not in body and b"it-security" not in body, name


def test_serving_beyond_this_computer_is_warned_about(base_repo: Path, caplog) -> None:
    with caplog.at_level(logging.WARNING, logger="mkdocs"), preview.opened(base_repo, "0.0.0.0:8000"):
        pass  # built, never listening
    warned = [r.getMessage() for r in caplog.records if r.levelno == logging.WARNING]
    assert (
        "the preview shows internal values of your repository to anyone who can reach 0.0.0.0:8000; serve on "
        "127.0.0.1 to keep it on this computer"
    ) in warned
    caplog.clear()
    with caplog.at_level(logging.WARNING, logger="mkdocs"), preview.opened(base_repo, "127.0.0.1:8000"):
        pass
    assert not [r for r in caplog.records if "internal values" in r.getMessage()]


def test_what_a_hook_raises_is_escaped_on_the_error_page(base_repo: Path) -> None:
    write(
        base_repo,
        "hooks/h.py",
        "def on_page_markdown(markdown, **kwargs):\n"
        "    raise ValueError('<script>alert(1)</script><a href=\"javascript:alert(2)\">x</a>')\n",
    )
    edit(base_repo, "mkdocs.yml", "plugins:\n", "hooks:\n  - hooks/h.py\nplugins:\n")
    with preview.opened(base_repo) as server:
        page = (Path(server.root) / "index.html").read_text()
    assert "raised ValueError: &lt;script&gt;alert(1)&lt;/script&gt;&lt;a href=&#34;javascript:alert(2)&#34;" in page
    assert "<script>alert" not in page and "<a href" not in page
