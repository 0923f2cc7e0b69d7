"""Commands that append to the ledger at the same moment: each holds the ledger's lock from reading
its last line to appending after it, so the chain stays one."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from plaintrust import cli, locks
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from plaintrust.load.paths import CACHE_FOLDER

# One command in a process of its own. Reading the ledger and appending to it are slowed down, so
# without the lock every process would chain onto the same last line.
SCRIPT = """
import datetime as dt, sys, time
from pathlib import Path
from plaintrust import pipeline
from plaintrust.actions import pin, policyapprove
from plaintrust.evidence import ledger

root, what, start = Path(sys.argv[1]), sys.argv[2], float(sys.argv[3])
result = pipeline.run(root, cache=False)
chained = ledger.next_entries

def slowly(*args):
    time.sleep(0.4)
    return chained(*args)

ledger.next_entries = slowly
moment = dt.datetime(2026, 11, 22, 12, tzinfo=dt.UTC)
time.sleep(max(0.0, start - time.time()))
if what == "pin":
    records, _ = pin.select(root, result.model, [])
    done = pin.pin(root, result, records, update=False, moment=moment, all_records=True)
    sys.exit(0 if done.entries else 1)
approved = policyapprove.approve(root, result, what, "Dana Smith, CTO", None, moment)
sys.exit(0 if approved.entry else 1)
"""


def _at_once(repo: Path, commands: list[str]) -> list[tuple[str, int]]:
    start = time.time() + 3  # every process has loaded the repository by then
    running = [
        subprocess.Popen([sys.executable, "-c", SCRIPT, str(repo), what, str(start)], stderr=subprocess.PIPE)
        for what in commands
    ]
    return [(process.communicate(timeout=120)[1].decode()[-300:], process.returncode) for process in running]


@pytest.mark.skipif(locks.fcntl is None, reason="no fcntl: appends are not locked")
def test_two_approvals_and_a_pin_at_once_keep_one_chain(runner, base_repo: Path) -> None:
    done = _at_once(base_repo, ["access-control", "information-security", "pin"])
    assert [code for _, code in done] == [0, 0, 0], done
    book = ledger.read(base_repo)
    assert len(book.lines) == 3 and not list(ledger.chain_problems(book))
    assert set(ledger.approvals(base_repo)) == {"access-control", "information-security"}
    verified = runner.invoke(cli.cli, ["evidence", "verify", "--root", str(base_repo)])
    assert verified.exit_code == ExitCode.OK, verified.output


def test_nothing_to_append_leaves_no_empty_ledger(base_repo: Path) -> None:
    assert not (base_repo / ledger.PATH).exists()
    with ledger.held(base_repo) as (book, problems):
        assert book is not None and not book.lines and problems == []
    assert not (base_repo / ledger.PATH).exists()


def test_a_broken_chain_is_still_refused_under_the_lock(base_repo: Path) -> None:
    (base_repo / ledger.PATH).write_text("not json\n")
    with ledger.held(base_repo) as (book, problems):
        assert book is None and [p.rule for p in problems] == [ledger.ENTRY]


@pytest.mark.skipif(locks.fcntl is None, reason="no fcntl: appends are not locked")
def test_the_lock_leaves_no_cache_behind_and_keeps_one_it_found(base_repo: Path) -> None:
    with ledger.held(base_repo):
        assert (base_repo / ledger.LOCK).is_file()
        assert stat.S_IMODE((base_repo / ledger.LOCK).stat().st_mode) == 0o600
    assert not (base_repo / CACHE_FOLDER).exists()  # `plaintrust init` pins, and starts without a cache
    (base_repo / CACHE_FOLDER).mkdir()
    with ledger.held(base_repo):
        pass
    assert (base_repo / CACHE_FOLDER).is_dir() and not (base_repo / ledger.LOCK).exists()


def test_a_link_to_a_missing_ledger_is_neither_followed_nor_removed(runner, base_repo: Path) -> None:
    """Locking opened the ledger itself: through a link to nothing, that made the target, and a
    refused approval then removed the user's link."""
    link = base_repo / ledger.PATH
    link.symlink_to("ledger-moved.jsonl")
    result = runner.invoke(cli.cli, ["policy", "approve", "access-control", "--by", "Dana", "--root", str(base_repo)])
    assert result.exit_code != ExitCode.OK and "cannot read the ledger" in result.output, result.output
    assert link.is_symlink() and os.readlink(link) == "ledger-moved.jsonl"
    assert not (base_repo / "evidence/ledger-moved.jsonl").exists()
