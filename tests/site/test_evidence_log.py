"""The evidence ledger's head on the public site: trust.json, evidence-log.json and the overview's footnote."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker

from helpers import write
from plaintrust import cli, pipeline
from plaintrust.errors import ExitCode
from plaintrust.evidence import ledger
from plaintrust.model import LedgerHead
from plaintrust.schemas import schema

SENTENCE = "An auditor can use it to check that no earlier entry was later changed or removed."


def build(runner, repo: Path) -> Path:
    result = runner.invoke(cli.cli, ["build", "--root", str(repo)])
    assert result.exit_code == ExitCode.OK, result.output
    return repo / "build/site"


def trust_json(site: Path) -> dict:
    document = json.loads((site / "trust.json").read_text(encoding="utf-8"))
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    return document


def add_day(repo: Path, day: dt.date, count: int) -> None:
    book = ledger.read(repo)
    pins = [(f"old-{len(book.lines) + n}", f"files/old-{n}.txt", "e" * 64, 10) for n in range(count)]
    ledger.append(repo, ledger.next_entries(book, pins, dt.datetime.combine(day, dt.time(9), dt.UTC)))


def test_a_pinned_repository_publishes_its_ledger_head(runner, base_repo: Path) -> None:
    assert runner.invoke(cli.cli, ["evidence", "pin", "--root", str(base_repo)]).exit_code == ExitCode.OK
    head = ledger.read(base_repo).head()[1]
    assert pipeline.run(base_repo).model.ledger == LedgerHead(
        1, head, dt.date(2026, 11, 22), (LedgerHead(1, head, dt.date(2026, 11, 22)),)
    )
    site = build(runner, base_repo)
    assert trust_json(site)["evidence_ledger"] == {"entries": 1, "head": head, "as_of": "2026-11-22"}
    assert (site / "evidence-log.json").read_text() == (
        '{\n  "format": "plaintrust-evidence-log/1",\n  "heads": [\n    {\n      "entries": 1,\n'
        f'      "head": "{head}",\n      "as_of": "2026-11-22"\n    }}\n  ]\n}}\n'
    )
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert (
        f'Evidence log: 1 entry, fingerprint <a href="evidence-log.json"><code>{head[:12]}</code></a>.\n'
        f"{SENTENCE}\n</p>"
    ) in overview
    verified = runner.invoke(
        cli.cli, ["evidence", "verify", "--root", str(base_repo), "--published", str(site / "evidence-log.json")]
    )
    assert verified.exit_code == ExitCode.OK, verified.output


def test_one_head_per_day_oldest_first(runner, base_repo: Path) -> None:
    (base_repo / "evidence/ledger.jsonl").write_bytes(b"")
    add_day(base_repo, dt.date(2026, 9, 30), 1200)
    add_day(base_repo, dt.date(2026, 10, 1), 34)
    site = build(runner, base_repo)
    digests = [line.digest for line in ledger.read(base_repo).lines]
    log = json.loads((site / "evidence-log.json").read_text())
    assert log["heads"] == [
        {"entries": 1200, "head": digests[1199], "as_of": "2026-09-30"},
        {"entries": 1234, "head": digests[1233], "as_of": "2026-10-01"},
    ]
    assert trust_json(site)["evidence_ledger"] == log["heads"][-1]
    assert "Evidence log: 1,234 entries, fingerprint" in (site / "index.html").read_text(encoding="utf-8")


def test_no_ledger_publishes_no_head(runner, base_repo: Path) -> None:
    site = build(runner, base_repo)
    assert trust_json(site)["evidence_ledger"] is None
    assert json.loads((site / "evidence-log.json").read_text()) == {"format": "plaintrust-evidence-log/1", "heads": []}
    overview = (site / "index.html").read_text(encoding="utf-8")
    assert "Evidence log" not in overview and SENTENCE not in overview


def test_a_broken_ledger_publishes_no_head_and_check_still_passes(runner, base_repo: Path) -> None:
    # `check` does not judge the ledger (`evidence verify` does): the site just claims nothing about it.
    add_day(base_repo, dt.date(2026, 11, 20), 3)
    raw = (base_repo / "evidence/ledger.jsonl").read_bytes().splitlines(keepends=True)
    (base_repo / "evidence/ledger.jsonl").write_bytes(raw[0] + raw[2])
    site = build(runner, base_repo)
    assert trust_json(site)["evidence_ledger"] is None
    assert json.loads((site / "evidence-log.json").read_text())["heads"] == []
    assert "Evidence log" not in (site / "index.html").read_text(encoding="utf-8")


def test_a_file_of_yours_in_its_place_is_refused(runner, base_repo: Path) -> None:
    write(base_repo, "site/evidence-log.json", "{}\n")
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS
    assert (
        "site/evidence-log.json:1:1: error [output-clash] site/evidence-log.json has the path of the evidence log, "
        "which the build writes"
    ) in result.output
