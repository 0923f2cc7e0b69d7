"""The ledger is private: what the site publishes about it (evidence-log.json, trust.json's
`evidence_ledger`, the overview's footnote) is counts, days and hashes of its lines, never a file
name, record id or file hash it holds, nor markup from it. The leak guard accepts the new file as it
is, and still judges it."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path

import pytest

from helpers import site_snapshot
from plaintrust import cli
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from plaintrust.pipeline import run
from plaintrust.public.guard import tree

MOMENT = dt.datetime(2026, 11, 21, 9, tzinfo=dt.UTC)
FILE_SHA = "08c663788a631e0081b1c160e35c821dd1a4da8261d98c5d3288dbe0b643d230"  # the base record's pinned file
# A record that is gone from evidence/ but stays in the ledger, which the guard cannot know about,
# and names that would be live markup if they were ever copied out.
GONE = ("salary-review-2025", "files/hr/salaries-2025.csv", "5a1a" * 16, 4096)
MARKUP = ("<script>alert(1)</script>", "javascript:alert(1)//x.csv", "c0de" * 16, 7)
PINS = [("mfa-policy", "files/mfa-policy.json", FILE_SHA, 52), GONE, MARKUP]
SECRETS = ["mfa-policy", "files/mfa-policy.json", FILE_SHA, *GONE[:3], *MARKUP[:3]]


@pytest.fixture
def repo(base_repo: Path) -> Path:
    ledger.append(base_repo, ledger.next_entries(ledger.Ledger(), PINS, MOMENT))
    return base_repo


def build(runner, repo: Path) -> Path:
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output  # the guard accepted every file, the new one too
    return repo / "build/site"


def test_the_published_ledger_names_nothing_it_holds(runner, repo: Path) -> None:
    site = build(runner, repo)
    log = json.loads((site / "evidence-log.json").read_text())
    ledger_head = json.loads((site / "trust.json").read_text())["evidence_ledger"]
    assert set(log) == {"format", "heads"} and log["format"] == "plaintrust-evidence-log/1"
    for head in [*log["heads"], ledger_head]:
        assert set(head) == {"entries", "head", "as_of"}
        assert type(head["entries"]) is int and re.fullmatch(r"[0-9a-f]{64}", head["head"])
        assert re.fullmatch(r"\d{4}-\d\d-\d\d", head["as_of"])
    published = (site / "evidence-log.json").read_text() + json.dumps(ledger_head)
    for secret in SECRETS:
        assert secret not in published, secret


def test_no_page_or_file_carries_a_ledger_value_or_its_markup(runner, repo: Path) -> None:
    build(runner, repo)
    for rel, data in site_snapshot(repo).items():
        text = data.decode("utf-8", "replace")
        for secret in [GONE[0], GONE[1], GONE[2], MARKUP[2], "<script>alert(1)", "javascript:alert(1)"]:
            assert secret not in text, (rel, secret)


def test_the_guard_judges_the_new_file(runner, repo: Path) -> None:
    site = build(runner, repo)
    result = run(repo)
    assert tree.scan(site, result.model, result.ordinary) == []
    # Were an evidence value ever written into it, the guard would name it.
    (site / "evidence-log.json").write_text(
        json.dumps(
            {
                "format": "plaintrust-evidence-log/1",
                "heads": [],
                "file": "evidence/files/mfa-policy.json",
                "sha256": FILE_SHA,
            }
        )
    )
    found = [str(leak) for leak in tree.scan(site, result.model, result.ordinary)]
    assert any("evidence-log.json: contains a file path of evidence record mfa-policy" in leak for leak in found), found
    assert any("evidence-log.json: contains a file hash of evidence record mfa-policy" in leak for leak in found), found


def test_a_time_that_holds_markup_publishes_nothing(runner, repo: Path) -> None:
    lines = (repo / ledger.PATH).read_bytes().splitlines()
    last = json.loads(lines[-1])
    lines[-1] = json.dumps({**last, "time": '2026-11-21T09:00:00Z"><script>alert(2)</script>'}, sort_keys=True).encode()
    (repo / ledger.PATH).write_bytes(b"".join(line + b"\n" for line in lines))
    site = build(runner, repo)
    assert json.loads((site / "trust.json").read_text())["evidence_ledger"] is None
    assert json.loads((site / "evidence-log.json").read_text())["heads"] == []
    assert all(b"alert(2)" not in data for data in site_snapshot(repo).values())
