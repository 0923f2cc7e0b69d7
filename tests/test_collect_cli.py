"""`plaintrust evidence collect`: series that collect themselves, run through a pinned clock.

The repository: the base one plus three series, each started by hand with `evidence new` on
2026-08-03 and then given a `collect:` block. `idp-export` runs a program (the run form) monthly,
writing JSON to `{output}` and covering the previous month; `mfa-config` snapshots config/mfa.yaml
weekly (the `file` collector); `broken-export` runs a program that fails. AC-01 links all three.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import shutil
import sys
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import cli, pipeline
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


# day: (series collected with the file's suffix, series skipped with why)
DAYS = {
    "2026-09-02": ({"idp-export": ".json", "mfa-config": ".yaml"}, {}),
    "2026-10-01": ({"idp-export": ".json", "mfa-config": ".yaml"}, {}),
    "2026-10-15": ({"mfa-config": ".yaml"}, {"idp-export": "not due until 2026-11-01"}),
    "2026-11-03": ({"idp-export": ".json", "mfa-config": ".yaml"}, {}),
}
# After each day's `collect --due`, AC-01's slots for August to October: (month, state, filled by).
HAND = ("broken-export", "idp-export", "mfa-config")
AUGUST = ("broken-export", "idp-export", "idp-export-2026-09-02", "mfa-config")  # sorted
SLOTS = {
    "2026-09-02": [
        ("2026-08", "filled", AUGUST),  # idp-export-2026-09-02 covers the previous month
        ("2026-09", "filled", ("mfa-config-2026-09-02",)),
        ("2026-10", "open", ()),
    ],
    "2026-10-01": [
        ("2026-08", "filled", AUGUST),
        ("2026-09", "filled", ("idp-export-2026-10-01", "mfa-config-2026-09-02")),
        ("2026-10", "filled", ("mfa-config-2026-10-01",)),
    ],
    "2026-10-15": [
        ("2026-08", "filled", AUGUST),
        ("2026-09", "filled", ("idp-export-2026-10-01", "mfa-config-2026-09-02")),
        ("2026-10", "filled", ("mfa-config-2026-10-01", "mfa-config-2026-10-15")),
    ],
    "2026-11-03": [
        ("2026-08", "filled", AUGUST),
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


def test_a_record_that_cannot_be_written_takes_its_file_with_it(
    runner, three: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A series named with 60 characters: `<series>-<date>` is too long for an id, so the record
    fails its schema after the output was written; the output and its new folder go again."""
    series = "s" * 60
    start_series(runner, three, series, "first.txt", "by hand\n", f"collect:\n  run: {run_form('-c', 'print(1)')}\n"
                 "  every: daily\n")  # fmt: skip
    on(monkeypatch, "2026-09-02")
    (three / f"evidence/files/{series}/first.txt").rename(three / "evidence/files/first.txt")
    edit(three, f"evidence/{series}/{series}.yaml", f"files/{series}/first.txt", "files/first.txt")
    shutil.rmtree(three / f"evidence/files/{series}")
    before = tree(three)
    result = evidence(runner, three, "collect", series)
    assert result.exit_code == ExitCode.FINDINGS
    assert f"collecting {series} failed: " in result.stdout and "nothing was written" in result.stdout
    assert tree(three) == before
    assert not (three / f"evidence/files/{series}").exists()


def test_evidence_due_says_who_collects(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    on(monkeypatch, "2026-11-22")
    result = evidence(runner, three, "due", "--within", "1y", "--format", "csv")
    by = {row["id"]: row["by"] for row in csv.DictReader(io.StringIO(result.stdout))}
    assert by["mfa-policy"] == "person"
    assert by["idp-export"] == "collector command (monthly)"
    assert by["mfa-config"] == "collector file (weekly)"
    assert by["AC-01"] == "collector command (monthly), collector file (weekly)"  # the series AC-01 links
    assert "`collect:`" in evidence(runner, three, "due", "--help").output


def test_a_collect_block_with_errors_does_not_run(runner, three: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`timeout: 20m` is beyond the limit (collect-limit): the program, which would leave a mark, never runs."""
    mark = three / "ran.txt"
    code = f"open({str(mark)!r}, 'w').write('ran'); print('evidence')"
    block = f"collect:\n  run: {run_form('-c', code)}\n  every: daily\n  timeout: 20m\n"
    start_series(runner, three, "too-slow", "first.txt", "by hand\n", block)
    on(monkeypatch, "2026-09-02")
    before = tree(three)
    result = evidence(runner, three, "collect", "too-slow")
    assert result.exit_code == ExitCode.FINDINGS
    assert "collecting too-slow failed: its `collect:` block has errors (run `plaintrust check`)" in result.stdout
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
