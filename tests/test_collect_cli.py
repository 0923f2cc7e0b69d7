"""`plaintrust evidence collect`: series that collect themselves, run through a pinned clock.

The repository: the base one plus three series, each started by hand with `evidence new` on
2026-08-03 and then given a `collect:` block. `idp-export` runs a program (the run form) monthly,
writing JSON to `{output}` and covering the previous month; `mfa-config` snapshots config/mfa.yaml
weekly (the `file` collector); `broken-export` runs a program that fails. AC-01 links all three.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import errno
import io
import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, pipeline
from plaintrust.actions import collect as collecting
from plaintrust.diagnostics import Diagnostic, Location
from plaintrust.errors import ExitCode
from plaintrust.internal import slots
from plaintrust.model import Period

PYTHON = sys.executable  # argv[0] of every run form: no system tool is needed
EXPORT = (
    "import json, os, sys; json.dump({'policy': 'mfa-required', 'today': os.environ['PLAINTRUST_TODAY'], "
    "'covers': [os.environ.get('PLAINTRUST_COVERS_FROM'), os.environ.get('PLAINTRUST_COVERS_TO')]}, "
    "open(sys.argv[1], 'w'), sort_keys=True)"
)
FAIL = "import sys; sys.stderr.write('connecting to the export API\\nexport API said: 503 Service Unavailable\\n'); sys.exit(3)"
BROKEN_RECORD = "evidence/broken-export/broken-export.yaml"
RECORD = {
    "id": "x",
    "title": "X",
    "kind": "log",
    "collected": "2026-09-02",
    "refresh": "daily",
    "classification": "internal",
    "files": [{"path": "files/x.txt"}],
}


def on(monkeypatch: pytest.MonkeyPatch, day: str) -> None:
    """Move the pinned clock to noon UTC of `day`."""
    noon = dt.datetime.combine(dt.date.fromisoformat(day), dt.time(12), dt.UTC)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", str(int(noon.timestamp())))


def evidence(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["evidence", *args, "--root", str(repo)])


def run_form(*argv: str) -> str:
    return json.dumps([PYTHON, *argv])  # a JSON list is a YAML flow sequence


def start_series(runner, repo: Path, series: str, name: str, content: str, block: str) -> None:
    """The first record by hand, as a team starts a series; then its `collect:` block."""
    write(repo, f"evidence/files/{series}/{name}", content)
    made = evidence(
        runner, repo, "new", f"evidence/files/{series}/{name}", "--id", series, "--title", f"Export {series}"
    )
    assert made.exit_code == ExitCode.OK, made.output
    record = repo / f"evidence/{series}/{series}.yaml"
    record.write_text(record.read_text() + block)


@pytest.fixture
def three(runner, base_repo: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    on(monkeypatch, "2026-08-03")
    assert evidence(runner, base_repo, "pin").exit_code == ExitCode.OK  # the base record enters the ledger
    write(base_repo, "config/mfa.yaml", "mfa:\n  required: true\n")
    idp = f"collect:\n  run: {run_form('-c', EXPORT, '{output}')}\n  every: monthly\n  output: policy.json\n"
    start_series(
        runner, base_repo, "idp-export", "first.json", '{"policy": "mfa-required"}\n', idp + "  covers: previous-slot\n"
    )
    start_series(
        runner,
        base_repo,
        "mfa-config",
        "first.yaml",
        "mfa:\n  required: true\n",
        "collect:\n  use: file\n  with: {path: config/mfa.yaml}\n  every: weekly\n",
    )
    broken = f"collect:\n  run: {run_form('-c', FAIL)}\n  every: monthly\n"
    start_series(runner, base_repo, "broken-export", "first.txt", "by hand\n", broken)
    edit(
        base_repo,
        "controls/access/ac-01.yaml",
        "evidence: [mfa-policy]",
        "evidence: [mfa-policy, idp-export, mfa-config, broken-export]",
    )
    return base_repo


def tree(repo: Path) -> dict[str, bytes]:
    """Every file of the repository but the caches, which any command may refresh."""
    return {
        p.relative_to(repo).as_posix(): p.read_bytes()
        for p in sorted(repo.rglob("*"))
        if p.is_file() and ".plaintrust-cache" not in p.parts
    }


def ledger(repo: Path) -> list[dict]:
    return [json.loads(line) for line in (repo / "evidence/ledger.jsonl").read_text().splitlines()]


def collected_line(repo: Path, series: str, day: str, suffix: str) -> str:
    file = f"evidence/files/{series}/{day}{suffix}"
    size = (repo / file).stat().st_size
    return f"collected {series}: {file} ({size} bytes), record evidence/{series}/{series}-{day}.yaml"


def months(repo: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    """AC-01's audit-period slots from August on: (month, state, the records that fill it)."""
    model = pipeline.run(repo).model
    found = slots.slots(model, model.controls_by_id["AC-01"], Period(dt.date(2026, 1, 1), dt.date(2026, 12, 31)))
    return [(s.start.isoformat()[:7], s.state.value, s.evidence) for s in found if s.start.month >= 8]


# day: (series collected with the file's suffix, series skipped with why). idp-export covers the
# previous month: the record made by hand on 2026-08-03 proves August, so September 2 has nothing to do.
DAYS = {
    "2026-09-02": ({"mfa-config": ".yaml"}, {"idp-export": "not due until 2026-10-01"}),
    "2026-10-01": ({"idp-export": ".json", "mfa-config": ".yaml"}, {}),
    "2026-10-15": ({"mfa-config": ".yaml"}, {"idp-export": "not due until 2026-11-01"}),
    "2026-11-03": ({"idp-export": ".json", "mfa-config": ".yaml"}, {}),
}
# After each day's `collect --due`, AC-01's slots for August to October: (month, state, filled by).
HAND = ("broken-export", "idp-export", "mfa-config")
SLOTS = {
    "2026-09-02": [
        ("2026-08", "filled", HAND),
        ("2026-09", "filled", ("mfa-config-2026-09-02",)),
        ("2026-10", "open", ()),
    ],
    "2026-10-01": [
        ("2026-08", "filled", HAND),
        ("2026-09", "filled", ("idp-export-2026-10-01", "mfa-config-2026-09-02")),  # covers the month before
        ("2026-10", "filled", ("mfa-config-2026-10-01",)),
    ],
    "2026-10-15": [
        ("2026-08", "filled", HAND),
        ("2026-09", "filled", ("idp-export-2026-10-01", "mfa-config-2026-09-02")),
        ("2026-10", "filled", ("mfa-config-2026-10-01", "mfa-config-2026-10-15")),
    ],
    "2026-11-03": [
        ("2026-08", "filled", HAND),
        ("2026-09", "filled", ("idp-export-2026-10-01", "mfa-config-2026-09-02")),
        ("2026-10", "filled", ("idp-export-2026-11-03", "mfa-config-2026-10-01", "mfa-config-2026-10-15")),
    ],
}
PREVIOUS_MONTH = {"2026-09-02": ("2026-08-01", "2026-08-31"), "2026-10-01": ("2026-09-01", "2026-09-30"),
                  "2026-11-03": ("2026-10-01", "2026-10-31")}  # fmt: skip


def slots_from_august(repo: Path) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(month, state, tuple(sorted(ids))) for month, state, ids in months(repo)[:3]]


def test_three_series_collect_as_the_days_pass(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert slots_from_august(three) == [("2026-08", "filled", HAND), ("2026-09", "open", ()), ("2026-10", "open", ())]
    for day, (collected, skipped) in DAYS.items():
        on(monkeypatch, day)
        before, entries = tree(three), len(ledger(three))
        result = evidence(runner, three, "collect", "--due")
        assert result.exit_code == ExitCode.FINDINGS, result.output
        lines = result.stdout.splitlines()
        # One line per series in series order; the failing one is a diagnostic at its collect block.
        assert lines[: len(collected) + len(skipped)] == [
            f"skipped {series}: {skipped[series]}"
            if series in skipped
            else collected_line(three, series, day, collected[series])
            for series in sorted({*collected, *skipped})
        ]
        assert lines[len(collected) + len(skipped) :] == [
            f"{BROKEN_RECORD}:10:1: error [collect-failed] collecting broken-export failed: "
            f"the program {PYTHON!r} exited with status 3",
            "    hint: the last lines it wrote to standard error:",
            "      connecting to the export API",
            "      export API said: 503 Service Unavailable",
        ]
        assert f"{len(collected)} collected, {len(skipped)} skipped, 1 failed" in result.stderr
        # Exactly the collected series' files and records are new; the failing one left nothing.
        written = {f"evidence/files/{s}/{day}{suffix}" for s, suffix in collected.items()}
        written |= {f"evidence/{s}/{s}-{day}.yaml" for s in collected}
        assert set(tree(three)) - set(before) == written
        assert all(tree(three)[path] == before[path] for path in before if path != "evidence/ledger.jsonl")
        assert [(e["record"], e["file"]) for e in ledger(three)[entries:]] == [
            (f"{s}-{day}", f"files/{s}/{day}{collected[s]}") for s in sorted(collected)
        ]
        assert slots_from_august(three) == SLOTS[day]
    assert runner.invoke(cli.cli, ["check", "--root", str(three)]).exit_code == ExitCode.OK
    verified = evidence(runner, three, "verify")
    assert verified.exit_code == ExitCode.OK, verified.output


def test_a_collected_record_copies_its_series_and_covers_the_previous_month(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for day, (start, end) in PREVIOUS_MONTH.items():
        on(monkeypatch, day)
        evidence(runner, three, "collect", "idp-export")
        record = (three / f"evidence/idp-export/idp-export-{day}.yaml").read_text()
        assert record.startswith(
            f"id: idp-export-{day}\ntitle: Export idp-export, {day}\nseries: idp-export\nkind: configuration\n"
            f"collected: {day}\ncovers: {{from: {start}, to: {end}}}\nrefresh: quarterly\n"
            "classification: confidential\nsource: plaintrust evidence collect (command)\nfiles:\n"
            f"  - path: files/idp-export/{day}.json\n"
        )
        # What the program was told: the day and the period the record covers.
        assert json.loads((three / f"evidence/files/idp-export/{day}.json").read_text()) == {
            "covers": [start, end],
            "policy": "mfa-required",
            "today": day,
        }
    record = (three / "evidence/mfa-config/mfa-config.yaml").read_text()
    assert "covers" not in record  # collected-day: the record proves the day it was collected


def test_january_covers_the_december_before(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2027-01-04")
    result = evidence(runner, three, "collect", "idp-export")
    assert result.exit_code == ExitCode.OK, result.output
    record = (three / "evidence/idp-export/idp-export-2027-01-04.yaml").read_text()
    assert "covers: {from: 2026-12-01, to: 2026-12-31}\n" in record


def test_a_second_run_the_same_day_collects_nothing(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2026-09-02")
    first = evidence(runner, three, "collect", "idp-export", "mfa-config")
    assert first.exit_code == ExitCode.OK, first.output
    before = tree(three)
    again = evidence(runner, three, "collect", "idp-export", "mfa-config")
    assert again.exit_code == ExitCode.OK, again.output
    assert again.stdout.splitlines() == [
        "skipped idp-export: already collected today",
        "skipped mfa-config: already collected today",
    ]
    assert "0 collected, 2 skipped, 0 failed" in again.stderr
    assert tree(three) == before


def test_due_only_runs_what_is_due_and_a_named_series_runs_anyway(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-09-02")
    assert evidence(runner, three, "collect", "idp-export").exit_code == ExitCode.OK
    on(monkeypatch, "2026-09-20")
    due = evidence(runner, three, "collect", "--due", "idp-export")
    assert due.exit_code == ExitCode.OK and due.stdout == "skipped idp-export: not due until 2026-10-01\n"
    named = evidence(runner, three, "collect", "idp-export")
    assert named.exit_code == ExitCode.OK
    assert named.stdout == collected_line(three, "idp-export", "2026-09-20", ".json") + "\n"


@pytest.mark.parametrize(
    ("names", "message"),
    [
        (["no-such-series"], "no evidence series is named 'no-such-series'"),
        (["mfa-policy"], "the series 'mfa-policy' has no `collect:` block"),
    ],
)
def test_a_series_that_cannot_collect_is_a_usage_error(runner, three: Path, names: list[str], message: str) -> None:
    before = tree(three)
    result = evidence(runner, three, "collect", "idp-export", *names)
    assert result.exit_code == ExitCode.USAGE
    assert message in result.output and "SERIES" in result.output
    assert tree(three) == before


def test_a_dry_run_writes_nothing(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2026-09-02")
    before = tree(three)
    result = evidence(runner, three, "collect", "--dry-run")
    assert result.exit_code == ExitCode.OK, result.output
    assert tree(three) == before
    [broken, idp, mfa] = result.stdout.splitlines()
    assert broken.startswith("would collect broken-export with command (")
    assert broken.endswith(
        "): evidence/files/broken-export/2026-09-02.txt, record evidence/broken-export/broken-export-2026-09-02.yaml"
    )
    assert idp.endswith(
        "'{output}'): evidence/files/idp-export/2026-09-02.json, record evidence/idp-export/idp-export-2026-09-02.yaml,"
        " covering 2026-08-01 to 2026-08-31"
    )
    assert mfa == (
        'would collect mfa-config with file ({"path": "config/mfa.yaml"}): evidence/files/mfa-config/2026-09-02.yaml,'
        " record evidence/mfa-config/mfa-config-2026-09-02.yaml"
    )
    assert "nothing was run or written" in result.stderr


SLOW = "import time; time.sleep(30)"


@pytest.mark.parametrize(
    ("code", "extra", "problem"),
    [
        (SLOW, "  timeout: 1s\n", "did not finish within 1 second and was stopped"),
        ("pass", "", "wrote nothing"),
        ("import sys; sys.exit(3)", "", "exited with status 3"),
    ],
)
def test_a_failing_collector_leaves_nothing(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, code: str, extra: str, problem: str
) -> None:
    start_series(runner, three, "odd-export", "first.txt", "by hand\n", f"collect:\n  run: {run_form('-c', code)}\n"
                 f"  every: daily\n{extra}")  # fmt: skip
    on(monkeypatch, "2026-09-02")
    before = tree(three)
    started = dt.datetime.now()
    result = evidence(runner, three, "collect", "odd-export")
    assert (dt.datetime.now() - started).total_seconds() < 15  # the sleeper was stopped, not awaited
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [collect-failed] collecting odd-export failed: " in result.stdout and problem in result.stdout
    assert tree(three) == before
    assert not (three / "evidence/files/odd-export/2026-09-02.txt").exists()


def test_a_ledger_the_disk_refuses_leaves_nothing_and_the_next_series_runs(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The disk is full while idp-export's entry is written, halfway through the line: its file and
    record go, the ledger is as it was, and mfa-config, the next series, is collected."""
    from plaintrust.evidence import ledger as book

    real, calls = book._write_all, []

    def full_once(stream, data: bytes) -> None:
        calls.append(data)
        if len(calls) > 1:
            return real(stream, data)
        stream.write(data[: len(data) // 2])
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(book, "_write_all", full_once)
    on(monkeypatch, "2026-10-01")
    before = tree(three)
    result = evidence(runner, three, "collect", "idp-export", "mfa-config")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert result.stdout.splitlines() == [
        collected_line(three, "mfa-config", "2026-10-01", ".yaml"),
        "evidence/idp-export/idp-export.yaml:10:1: error [collect-failed] collecting idp-export failed: cannot "
        "append to evidence/ledger.jsonl: No space left on device: nothing was written",
    ]
    assert "1 collected, 0 skipped, 1 failed" in result.stderr
    assert set(tree(three)) - set(before) == {
        "evidence/files/mfa-config/2026-10-01.yaml",
        "evidence/mfa-config/mfa-config-2026-10-01.yaml",
    }
    assert not (three / "evidence/files/idp-export/2026-10-01.json").exists()
    assert not (three / "evidence/idp-export/idp-export-2026-10-01.yaml").exists()
    assert tree(three)["evidence/ledger.jsonl"] == before["evidence/ledger.jsonl"] + calls[1]
    verified = evidence(runner, three, "verify")
    assert verified.exit_code == ExitCode.OK, verified.output


LIMITED = "import resource, sys; resource.setrlimit(resource.RLIMIT_FSIZE, (int(sys.argv[1]),) * 2); " + (
    "from plaintrust import cli; cli.cli(sys.argv[2:])"
)


@pytest.mark.skipif(sys.platform == "win32", reason="no file size limits")
def test_a_file_size_limit_fails_each_series_with_no_traceback(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The limit falls inside the next ledger line: every series fails, each saying why, and the
    ledger keeps no part of a line."""
    on(monkeypatch, "2026-10-01")
    before = tree(three)
    limit = len(before["evidence/ledger.jsonl"]) + 40
    args = ["evidence", "collect", "idp-export", "mfa-config", "--root", str(three)]
    done = subprocess.run([PYTHON, "-c", LIMITED, str(limit), *args], capture_output=True, text=True, timeout=120)
    assert done.returncode == ExitCode.FINDINGS, done.stderr
    assert "Traceback" not in done.stderr
    for series in ("idp-export", "mfa-config"):
        assert (
            f"collecting {series} failed: cannot append to evidence/ledger.jsonl: File too large: nothing was written"
        ) in done.stdout
    assert tree(three) == before
    assert evidence(runner, three, "verify").exit_code == ExitCode.OK


def test_a_series_too_long_for_its_records_ids_runs_nothing(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series named with 60 characters: `<series>-<date>` is too long for an id, so no record
    could ever be written; the collector, which would leave a mark, does not run."""
    series = "s" * 60
    mark = three / "ran.txt"
    code = f"open({str(mark)!r}, 'w').write('ran'); print('evidence')"
    start_series(runner, three, series, "first.txt", "by hand\n", f"collect:\n  run: {run_form('-c', code)}\n"
                 "  every: daily\n")  # fmt: skip
    on(monkeypatch, "2026-09-02")
    for args in ([series], ["--due"]):
        result = evidence(runner, three, "collect", *args)
        assert result.exit_code == ExitCode.FINDINGS, result.output
        assert f"error [collect-failed] cannot collect {series}: " in result.stdout
        assert not mark.exists()
        assert sorted(p.name for p in (three / f"evidence/{series}").iterdir()) == [f"{series}.yaml"]
        assert sorted(p.name for p in (three / f"evidence/files/{series}").iterdir()) == ["first.txt"]


def test_the_id_limit_is_the_schema_s() -> None:
    from plaintrust import schemas

    assert schemas.is_valid("evidence", {**RECORD, "id": "a" * collecting.ID_LIMIT})
    assert not schemas.is_valid("evidence", {**RECORD, "id": "a" * (collecting.ID_LIMIT + 1)})


def test_a_long_series_is_blocked_with_its_reason(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Whatever rule `check` applies: the command itself refuses, saying why."""
    series = "s" * 54  # 54 + len("-2026-09-02") = 65
    start_series(runner, three, series, "first.txt", "by hand\n", f"collect:\n  run: {run_form('-c', 'print(1)')}\n"
                 "  every: daily\n")  # fmt: skip
    on(monkeypatch, "2026-09-02")
    model = pipeline.run(three).model
    [blocked] = collecting.plan(model, [series])
    assert isinstance(blocked, collecting.Blocked)
    assert blocked.reason == (
        f"the series name has 54 characters, so the ids of its records ({series}-2026-09-02) would have 65, "
        "more than the 64 an id may have: shorten the series name to at most 53 characters; nothing was run"
    )
    assert blocked.where.path == f"evidence/{series}/{series}.yaml"
    assert collecting.describe(blocked) == f"cannot collect {series}: {blocked.reason}"


def due_rows(runner, repo: Path, *args: str) -> list[dict[str, str]]:
    result = evidence(runner, repo, "due", "--format", "csv", *args)
    assert result.exit_code == ExitCode.OK, result.output
    return list(csv.DictReader(io.StringIO(result.stdout)))


def test_evidence_due_says_who_collects(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2026-11-22")
    rows = due_rows(runner, three, "--within", "1y")
    by = {row["id"]: row["by"] for row in rows if row["kind"] == "evidence"}
    assert by["mfa-policy"] == "person"
    assert by["idp-export"] == "collector command (monthly)"
    assert by["mfa-config"] == "collector file (weekly)"
    assert "`collect:`" in evidence(runner, three, "due", "--help").output
    text = evidence(runner, three, "due", "--within", "1y")
    assert text.stderr.splitlines()[-1] == (
        "3 series collect themselves (plaintrust evidence collect --due): broken-export (command, monthly), "
        "idp-export (command, monthly), mfa-config (file, weekly); every other series needs a person"
    )


def test_a_collector_fills_only_the_slots_its_next_collections_fill(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """AC-01 is sampled by calendar month. Past months need a person: a collector writes only today's
    record. October is still open: idp-export (monthly, previous-slot) fills it tonight; the other
    collected-day ones fill only the day they run, and mfa-config's weeks are not months."""
    on(monkeypatch, "2026-11-22")
    slots_by = [(row["detail"].split("no evidence for ")[1].split(" (")[0], row["status"], row["by"])
                for row in due_rows(runner, three) if row["kind"] == "slot"]  # fmt: skip
    assert slots_by == [
        ("2026-01-01 to 2026-07-31", "missing", "person"),
        ("2026-09-01 to 2026-09-30", "missing", "person"),
        ("2026-10-01 to 2026-10-31", "due", "collector command (monthly)"),
    ]


def test_a_weekly_control_is_filled_by_a_weekly_collector_from_this_week_on(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(three, "controls/access/ac-01.yaml", "frequency: continuous", "frequency: weekly")
    for day in ("2026-10-19", "2026-10-26", "2026-11-02", "2026-11-09"):
        on(monkeypatch, day)
        assert evidence(runner, three, "collect", "mfa-config").exit_code == ExitCode.OK
    on(monkeypatch, "2026-11-22")
    rows = [row for row in due_rows(runner, three) if row["kind"] == "slot"]
    # A coarser collector fills the weeks its collection proves: idp-export (monthly, previous-slot)
    # proves October tonight, broken-export (monthly) today, which is in this week.
    assert [(row["status"], row["by"]) for row in rows] == [
        ("missing", "person"),
        ("missing", "person"),
        ("missing", "collector command (monthly)"),
        ("due", "collector command (monthly), collector file (weekly)"),
    ]
    assert "no evidence for 2026-09-28 to 2026-10-18 (3 weekly slots" in rows[-2]["detail"]
    assert "no evidence for 2026-11-16 to 2026-11-22 (1 weekly slot" in rows[-1]["detail"]


def test_a_collector_that_is_not_installed_collects_nothing(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(three, "evidence/idp-export/idp-export.yaml", "  run: ", "  use: no-such-collector\n  with: {run: ")
    edit(three, "evidence/idp-export/idp-export.yaml", '"{output}"]', '"{output}"]}')
    on(monkeypatch, "2026-11-22")
    rows = due_rows(runner, three)
    assert {row["id"]: row["by"] for row in rows if row["kind"] == "evidence"}["idp-export"] == "person"
    assert [row["by"] for row in rows if row["kind"] == "slot"] == ["person"] * 3  # October's too


def test_a_collect_block_with_errors_does_not_run(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`timeout: 20m` is beyond the limit (collect-limit): the program, which would leave a mark, never runs."""
    mark = three / "ran.txt"
    code = f"open({str(mark)!r}, 'w').write('ran'); print('evidence')"
    block = f"collect:\n  run: {run_form('-c', code)}\n  every: daily\n  timeout: 20m\n"
    start_series(runner, three, "too-slow", "first.txt", "by hand\n", block)
    on(monkeypatch, "2026-09-02")
    before = tree(three)
    result = evidence(runner, three, "collect", "too-slow")
    where = "evidence/too-slow/too-slow.yaml:10:1"
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{where}: error [collect-failed] cannot collect too-slow: its record has errors; run plaintrust check" in (
        result.stdout
    )
    assert not mark.exists() and tree(three) == before


def test_other_formats_keep_standard_output_for_the_diagnostics(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--format", "json")
    assert result.exit_code == ExitCode.FINDINGS
    [failed] = json.loads(result.stdout)["diagnostics"]
    assert (failed["path"], failed["rule"]) == (BROKEN_RECORD, "collect-failed")
    assert failed["hint"].endswith("export API said: 503 Service Unavailable")
    assert "collected idp-export: evidence/files/idp-export/2026-09-02.json" in result.stderr


def test_the_block_s_title_names_the_records_it_writes(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    record = three / "evidence/mfa-config/mfa-config.yaml"
    record.write_text(record.read_text() + "  title: MFA configuration snapshot\n")
    on(monkeypatch, "2026-09-02")
    assert evidence(runner, three, "collect", "mfa-config").exit_code == ExitCode.OK
    written = (three / "evidence/mfa-config/mfa-config-2026-09-02.yaml").read_text()
    assert "\ntitle: MFA configuration snapshot, 2026-09-02\n" in written


ESCAPE = "\x1b]0;TITLE\x07\x9b31m"  # a terminal title, then a C1 control sequence
WORDS = "\x9b31m\u202e\n"  # a C1 control sequence, a right-to-left override, a line break


def test_a_collector_s_reason_cannot_drive_the_terminal(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A reason comes from the collector (an HTTP reason phrase, say): shown escaped, as the tail is."""
    from plaintrust.collect import runner as sandbox

    def failing(*args: object, **kwargs: object) -> sandbox.Ran:
        return sandbox.Ran(False, b"", f"tail {ESCAPE}\n", f"the server said 503 {ESCAPE}")

    monkeypatch.setattr(collecting.runner, "collect", failing)
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "mfa-config")
    assert result.exit_code == ExitCode.FINDINGS
    assert "collecting mfa-config failed: the server said 503 \\x1b]0;TITLE\\x07\\x9b31m" in result.stdout
    assert "      tail \\x1b]0;TITLE\\x07\\x9b31m" in result.stdout
    assert not any(c in result.output for c in "\x1b\x07\x9b")


def test_a_dry_run_shows_a_program_s_words_escaped(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """C0 controls such as ESC are refused when the record is read (then nothing runs); a C1 control
    sequence, a right-to-left override or a line break may still be in a word."""
    # Written as JSON escapes inside the double-quoted word: the program's words hold the raw characters.
    edit(three, BROKEN_RECORD, "sys.exit(3)", "sys.exit(3) # " + json.dumps(WORDS)[1:-1])
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--dry-run", "broken-export")
    assert result.exit_code == ExitCode.OK, result.output
    [line] = result.stdout.splitlines()
    assert "sys.exit(3) # \\x9b31m\\u202e\\n" in line
    assert not any(c in result.output for c in "\x9b\u202e")


@pytest.mark.parametrize("fmt", ["json", "github", "sarif"])
def test_a_dry_run_in_another_format_keeps_standard_output_for_the_diagnostics(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, fmt: str
) -> None:
    edit(three, "evidence/mfa-config/mfa-config.yaml", "every: weekly", "every: wekly")  # blocked: a schema error
    on(monkeypatch, "2026-09-02")
    before = tree(three)
    result = evidence(runner, three, "collect", "--dry-run", "--format", fmt)
    assert result.exit_code == ExitCode.OK, result.output
    assert "would collect idp-export with command" in result.stderr
    assert "cannot collect mfa-config: its record has errors; run plaintrust check" in result.stderr
    assert "would collect" not in result.stdout
    if fmt == "json":
        [blocked] = json.loads(result.stdout)["diagnostics"]
        assert (blocked["path"], blocked["rule"]) == ("evidence/mfa-config/mfa-config.yaml", "collect-failed")
    elif fmt == "sarif":
        assert len(json.loads(result.stdout)["runs"][0]["results"]) == 1
    else:
        assert result.stdout.startswith("::error file=evidence/mfa-config/mfa-config.yaml,line=")
    assert tree(three) == before


def test_a_dry_run_with_nothing_blocked_prints_an_empty_document(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--dry-run", "--format", "json", "idp-export")
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(result.stdout)["diagnostics"] == []
    assert "would collect idp-export with command" in result.stderr


@pytest.mark.parametrize(
    ("old", "new"),
    [
        (f"  run: {run_form('-c', FAIL)}", "  run: python export.py"),  # a shell string
        ("  every: monthly", "  every: montly"),
        ("  every: monthly", "  every: monthly\n  timeout: soon"),
        ("kind: report", "kind: export"),  # an error outside the block stops the series too
        ("  every: monthly", "  every: monthly\n   timeout: 60s"),  # not even YAML
    ],
)
def test_a_declaring_record_that_fails_its_schema_blocks_its_series(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str
) -> None:
    edit(three, BROKEN_RECORD, old, new)
    on(monkeypatch, "2026-09-02")
    assert runner.invoke(cli.cli, ["check", "--root", str(three)]).exit_code == ExitCode.FINDINGS
    blocked = (
        f"{BROKEN_RECORD}:10:1: error [collect-failed] cannot collect broken-export: its record has errors; "
        "run plaintrust check"
    )
    for args in (["--due"], ["broken-export"], ["idp-export", "broken-export"]):
        result = evidence(runner, three, "collect", *args)
        assert result.exit_code == ExitCode.FINDINGS, result.output
        assert blocked in result.stdout.splitlines()
        assert "1 failed" in result.stderr
    dry = evidence(runner, three, "collect", "--dry-run", "broken-export")
    assert dry.stdout == "cannot collect broken-export: its record has errors; run plaintrust check\n"


NOT_YAML = ("  every: monthly", "  every: monthly\n   timeout: 60s")  # an indented line: not even YAML


@pytest.mark.parametrize(
    ("old", "new", "line"),
    [
        ("id: broken-export", "id: broken-export  # started by hand", 10),
        ("id: broken-export", "id: 'broken-export' # quoted", 10),
        ("id: broken-export", 'id: broken-export-first\nseries: "broken-export"\t# its series', 11),
        ("id: broken-export", "id: broken-export", 10),  # with CRLF line endings, below
    ],
)
@pytest.mark.parametrize("crlf", [False, True])
def test_a_record_that_is_not_yaml_blocks_its_series_however_its_name_is_written(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, line: int, crlf: bool
) -> None:
    """Read line by line, a series is named by a value quoted or not, before a comment, on a line
    ending in CR LF: the series fails, saying why, and does not vanish from the run."""
    edit(three, BROKEN_RECORD, *NOT_YAML)
    edit(three, BROKEN_RECORD, old, new)
    if crlf:
        record = three / BROKEN_RECORD
        record.write_bytes(record.read_bytes().replace(b"\n", b"\r\n"))
    on(monkeypatch, "2026-09-02")
    blocked = (
        f"{BROKEN_RECORD}:{line}:1: error [collect-failed] cannot collect broken-export: its record has errors; "
        "run plaintrust check"
    )
    for args in (["--due"], ["broken-export"]):
        result = evidence(runner, three, "collect", *args)
        assert result.exit_code == ExitCode.FINDINGS, result.output
        assert blocked in result.stdout.splitlines()


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("id: broken-export", "id: broken export!"),
        ("id: broken-export", "id: broken-export\nseries: [broken-export]"),  # a series line that names none
    ],
)
@pytest.mark.parametrize("not_yaml", [True, False])
def test_a_declaring_record_naming_no_series_is_blocked_under_its_path(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, old: str, new: str, not_yaml: bool
) -> None:
    edit(three, BROKEN_RECORD, old, new)
    if not_yaml:
        edit(three, BROKEN_RECORD, *NOT_YAML)
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--due")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert (
        f"error [collect-failed] cannot collect {BROKEN_RECORD}: the record has errors and no series name can "
        "be read from it; run plaintrust check"
    ) in result.stdout
    assert "1 failed" in result.stderr


def without_the_failing_series(repo: Path) -> None:
    """broken-export becomes a series collected by a person: a run fails only for what a test adds."""
    record = repo / BROKEN_RECORD
    record.write_text(record.read_text().split("collect:")[0])


def hidden(path: str, rule: str) -> str:
    return (
        f"{path}:1:1: error [collect-failed] cannot collect {path}: it is not read ({rule}), so it may hide a "
        "collecting series; run plaintrust check"
    )


@contextlib.contextmanager
def writer_for(pipe: Path, after: float = 30.0) -> Iterator[list[bool]]:
    """Whatever waits on `pipe` for a writer gets one (and then end of file) after `after` seconds, so
    a test of a pipe fails instead of hanging; the list yielded says whether a writer had to come."""
    done, came = threading.Event(), []

    def write_nothing() -> None:
        if not done.wait(after):
            came.append(True)
            with contextlib.suppress(OSError):  # no reader: opening fails at once (ENXIO)
                os.close(os.open(pipe, os.O_WRONLY | os.O_NONBLOCK))

    thread = threading.Thread(target=write_nothing, daemon=True)
    thread.start()
    try:
        yield came
    finally:
        done.set()
        thread.join()


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
@pytest.mark.parametrize("dry_run", [False, True])
def test_a_named_pipe_under_evidence_is_never_opened(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch, dry_run: bool
) -> None:
    """check reports it (not-a-file); collect names it and still runs the others, without waiting."""
    without_the_failing_series(three)
    os.mkfifo(three / "evidence/pipe.yaml")
    on(monkeypatch, "2026-09-02")
    with writer_for(three / "evidence/pipe.yaml") as came:
        result = evidence(runner, three, "collect", "--due", *(["--dry-run"] if dry_run else []))
    assert not came, "collect waited on the pipe"
    if dry_run:
        assert result.exit_code == ExitCode.OK, result.output
        assert hidden("evidence/pipe.yaml", "not-a-file").split("[collect-failed] ")[1] in result.stdout.splitlines()
        return
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stdout.splitlines() == [
        "skipped idp-export: not due until 2026-10-01",
        collected_line(three, "mfa-config", "2026-09-02", ".yaml"),
        hidden("evidence/pipe.yaml", "not-a-file"),
    ]
    assert "1 collected, 1 skipped, 1 failed" in result.stderr


@pytest.mark.parametrize("target", ["device", "file"])
def test_a_record_linked_out_of_the_repository_is_never_read(
    runner, three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, target: str
) -> None:
    """A link to a device with no end, or to a file outside that names a series: neither is opened,
    so nothing outside the repository decides (or hangs) the run."""
    without_the_failing_series(three)
    outside = tmp_path / "outside.yaml"
    outside.write_text("id: elsewhere\ncollect:\n  every: daily\n")
    device = Path(os.devnull).with_name("zero")
    if target == "device" and not device.exists():
        pytest.skip("no endless device")
    link = three / "evidence/zero.yaml"
    link.symlink_to(device if target == "device" else outside)
    real_open, opened = os.open, []

    def spy(path, *args, **kwargs):
        opened.append(os.path.realpath(path))
        return real_open(path, *args, **kwargs)

    on(monkeypatch, "2026-09-02")
    monkeypatch.setattr(os, "open", spy)
    result = evidence(runner, three, "collect", "--due")
    monkeypatch.undo()
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert hidden("evidence/zero.yaml", "symlink-outside") in result.stdout.splitlines()
    assert collected_line(three, "mfa-config", "2026-09-02", ".yaml") in result.stdout.splitlines()
    assert "elsewhere" not in result.output
    assert os.path.realpath(link) not in opened


def test_a_series_in_a_folder_linked_out_of_the_repository_is_named_not_lost(
    runner, three: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """mfa-config's records sit outside, behind a link: check does not read them (symlink-outside),
    so the series is not in the model. Collecting every series names the link and exits 1; naming
    the series is a usage error that names it too."""
    without_the_failing_series(three)
    (three / "evidence/mfa-config").rename(tmp_path / "mfa-config")
    (three / "evidence/mfa-config").symlink_to(tmp_path / "mfa-config")
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--due")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert result.stdout.splitlines() == [
        "skipped idp-export: not due until 2026-10-01",
        hidden("evidence/mfa-config", "symlink-outside"),
    ]
    assert "0 collected, 1 skipped, 1 failed" in result.stderr
    named = evidence(runner, three, "collect", "mfa-config")
    assert named.exit_code == ExitCode.USAGE
    assert (
        "no evidence series is named 'mfa-config' (errors at evidence/mfa-config may hide it: run plaintrust check)"
    ) in " ".join(named.stderr.split())
    assert evidence(runner, three, "collect", "idp-export").exit_code == ExitCode.OK  # named, it runs


def yaml_error(path: str) -> Diagnostic:
    return Location(path, 3, 1).error("yaml-syntax", "the record is not YAML")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes")
def test_a_record_that_became_a_pipe_since_check_is_not_waited_on(three: Path) -> None:
    """check read a record with errors; by the time collect reads it for its series it is a pipe,
    reached directly or by a link inside the repository: it is blocked under its path."""
    os.mkfifo(three / "evidence/late.yaml")
    (three / "evidence/linked.yaml").symlink_to("late.yaml")
    with writer_for(three / "evidence/late.yaml") as came:
        found = collecting.broken(three, [yaml_error("evidence/late.yaml"), yaml_error("evidence/linked.yaml")])
    assert not came, "collect waited on the pipe"
    reason = (
        "the record has errors and cannot be read here (it is not a regular file), so it may hide a collecting "
        "series; run plaintrust check"
    )
    assert found == {
        path: collecting.Blocked(path, Location(path), reason)
        for path in ("evidence/late.yaml", "evidence/linked.yaml")
    }


def test_a_record_linked_inside_the_repository_names_its_series(three: Path) -> None:
    """As check reads it: through a link that stays in the repository."""
    (three / "evidence/linked.yaml").symlink_to("broken-export/broken-export.yaml")
    found = collecting.broken(three, [yaml_error("evidence/linked.yaml")])
    assert found == {
        "broken-export": collecting.Blocked("broken-export", Location("evidence/linked.yaml", 10, 1),
                                            collecting.RECORD_ERRORS)
    }  # fmt: skip


def test_a_record_larger_than_the_limit_is_not_read(three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(collecting, "RECORD_LIMIT", 1 << 20)
    record = three / BROKEN_RECORD
    record.write_bytes(record.read_bytes() + b"#" * (1 << 20))
    found = collecting.broken(three, [yaml_error(BROKEN_RECORD)])
    assert found[BROKEN_RECORD].reason.startswith(
        "the record has errors and cannot be read here (it is larger than 1 MiB)"
    )
    assert collecting.broken(three, [yaml_error("evidence/access/mfa-policy.yaml")]) == {}  # read: no collect block


def test_a_schema_broken_record_of_a_series_not_collecting_is_no_series_to_collect(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    edit(three, "evidence/access/mfa-policy.yaml", "kind: configuration", "kind: export")
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "mfa-policy")
    assert result.exit_code == ExitCode.USAGE


def test_previous_slot_collects_until_the_previous_slot_is_covered(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A record made by hand in October proves a day of October: September is still uncovered, so
    idp-export (monthly, previous-slot) is due; once September is covered, it waits for November."""
    on(monkeypatch, "2026-09-02")
    assert evidence(runner, three, "collect", "idp-export").exit_code == ExitCode.OK  # covers August
    on(monkeypatch, "2026-10-05")
    start_by_hand(runner, three, "idp-export", "hand-2026-10-05")
    on(monkeypatch, "2026-10-20")
    result = evidence(runner, three, "collect", "--due", "idp-export")
    assert result.stdout == collected_line(three, "idp-export", "2026-10-20", ".json") + "\n"
    assert (
        "covers: {from: 2026-09-01, to: 2026-09-30}"
        in (three / "evidence/idp-export/idp-export-2026-10-20.yaml").read_text()
    )
    on(monkeypatch, "2026-10-25")  # October has the record made by hand: November is the next to cover
    assert evidence(runner, three, "collect", "--due", "idp-export").stdout == (
        "skipped idp-export: not due until 2026-12-01\n"
    )


def test_previous_slot_waits_while_records_cover_the_slots_ahead(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A hand record covering 1 September to 15 October: September and October are covered, so the
    next slot to cover is November, collected from 1 December."""
    on(monkeypatch, "2026-10-16")
    start_by_hand(runner, three, "idp-export", "hand-2026-10-16", "--covers", "2026-09-01..2026-10-15")
    on(monkeypatch, "2026-10-17")
    result = evidence(runner, three, "collect", "--due", "idp-export")
    assert result.stdout == "skipped idp-export: not due until 2026-12-01\n"
    on(monkeypatch, "2026-12-01")
    result = evidence(runner, three, "collect", "--due", "idp-export")
    assert result.stdout == collected_line(three, "idp-export", "2026-12-01", ".json") + "\n"


def start_by_hand(runner, repo: Path, series: str, name: str, *args: str) -> None:
    """A record of `series` made by hand today (the series is set by editing the record)."""
    write(repo, f"evidence/files/{series}/{name}.json", '{"by": "hand"}\n')
    made = evidence(runner, repo, "new", f"evidence/files/{series}/{name}.json", "--id", name, *args)
    assert made.exit_code == ExitCode.OK, made.output
    edit(repo, f"evidence/{series}/{name}.yaml", "kind:", f"series: {series}\nkind:")


FUTURE = (
    "; note: the record mfa-config-typo is dated 2027-09-01, after today: it is left out when deciding "
    "what is due (run plaintrust check)"
)


def test_a_record_dated_in_the_future_is_left_out_and_named(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    on(monkeypatch, "2026-09-01")
    start_by_hand(runner, three, "mfa-config", "mfa-config-typo")
    edit(three, "evidence/mfa-config/mfa-config-typo.yaml", "collected: 2026-09-01", "collected: 2027-09-01")
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--due", "mfa-config")
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout == collected_line(three, "mfa-config", "2026-09-02", ".yaml") + FUTURE + "\n"
    on(monkeypatch, "2026-09-03")
    result = evidence(runner, three, "collect", "--due", "mfa-config")
    assert result.stdout == "skipped mfa-config: not due until 2026-09-07" + FUTURE + "\n"
    dry = evidence(runner, three, "collect", "--dry-run", "mfa-config")
    assert dry.stdout.endswith(FUTURE + "\n")


def test_the_help_says_where_titles_and_workflows_come_from(runner) -> None:
    collect_help = runner.invoke(cli.cli, ["evidence", "collect", "--help"]).output
    assert "`title:` of the `collect:` block" in " ".join(collect_help.split())
    init_help = " ".join(runner.invoke(cli.cli, ["init", "--help"]).output.split())
    assert "a GitHub Actions workflow" not in init_help
    assert "three GitHub Actions workflows" in init_help


def test_a_quoted_collect_key_in_a_record_that_is_not_yaml_still_blocks_its_series(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read line by line, `"collect":` (or a block in flow style) is found as the word anywhere."""
    edit(three, BROKEN_RECORD, *NOT_YAML)
    edit(three, BROKEN_RECORD, "\ncollect:", '\n"collect":')
    on(monkeypatch, "2026-09-02")
    result = evidence(runner, three, "collect", "--due")
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert any(
        "error [collect-failed] cannot collect broken-export: its record has errors" in line
        for line in result.stdout.splitlines()
    )
