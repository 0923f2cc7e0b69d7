"""`plaintrust import`: controls from CSV and XLSX files made here, row numbers for bad rows, no overwrites."""

from __future__ import annotations

import csv
from pathlib import Path

import openpyxl
import pytest
import yaml

from helpers import write
from plaintrust import cli, schemas
from plaintrust.errors import ExitCode

HEADERS = [
    "Control ID",
    "Title",
    "Status",
    "Owner",
    "Frequency",
    "Description",
    "Evidence",
    "SOC 2",
    "ISO 27001",
    "Category",
    "Public summary",
    "Comments",
]
GOOD = [
    "AC-10",
    "Quarterly access reviews",
    "Implemented",
    "it@test.example",
    "Quarterly",
    "Managers review who has access.\nRemovals are ticketed.",
    "mfa-policy",
    "CC6.2; CC6.3",
    "A.5.18",
    "access-control",
    "Managers check every quarter who can use our systems.",
    "not imported",
]
MAPS = [
    "--map",
    "Control ID=id",
    "--map",
    "SOC 2=satisfies.soc2",
    "--map",
    "ISO 27001=satisfies.iso27001",
    "--map",
    "Category=public.category",
]


def _csv(path: Path, rows: list[list[str]], delimiter: str = ",") -> Path:
    with path.open("w", newline="", encoding="utf-8") as stream:
        csv.writer(stream, delimiter=delimiter).writerows(rows)
    return path


def _xlsx(path: Path, rows: list[list[object]], title: str = "Controls") -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = title
    for row in rows:
        sheet.append(row)
    book.save(path)
    return path


def _import(runner, repo: Path, sheet: Path, *extra: str):
    return runner.invoke(cli.cli, ["import", str(sheet), "--root", str(repo), *extra])


def test_a_csv_row_becomes_a_control_that_passes_check(runner, base_repo: Path, tmp_path: Path) -> None:
    sheet = _csv(tmp_path / "controls.csv", [HEADERS, GOOD])
    result = _import(runner, base_repo, sheet, *MAPS)
    assert result.exit_code == ExitCode.OK, result.output
    written = base_repo / "controls/ac-10.yaml"
    data = yaml.safe_load(written.read_text())
    assert data == {
        "id": "AC-10",
        "title": "Quarterly access reviews",
        "status": "implemented",
        "owner": "it@test.example",
        "frequency": "quarterly",
        "description": "Managers review who has access.\nRemovals are ticketed.",
        "satisfies": {"soc2": ["CC6.2", "CC6.3"], "iso27001": ["A.5.18"]},
        "evidence": ["mfa-policy"],
        "public": {"category": "access-control", "summary": GOOD[10]},
    }
    assert schemas.is_valid("control", data)
    assert "'Comments'" in result.stderr and "wrote 1 control(s)" in result.stderr
    check = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert check.exit_code == ExitCode.OK, check.output


def test_an_xlsx_workbook_with_headers_that_name_fields(runner, base_repo: Path, tmp_path: Path) -> None:
    rows = [
        ["id", "title", "status", "owner", "frequency", "satisfies.soc2", "satisfies iso27001"],
        ["AC-20", "Password manager for staff", "partial", "it@test.example", "annual", "CC6.1", "A.5.17"],
        [None] * 7,
        ["AC-21", "Laptop disk encryption", "planned", "it@test.example", "continuous", None, 6.2],
    ]
    result = _import(runner, base_repo, _xlsx(tmp_path / "controls.xlsx", rows))
    assert result.exit_code == ExitCode.OK, result.output
    assert yaml.safe_load((base_repo / "controls/ac-20.yaml").read_text())["satisfies"] == {
        "soc2": ["CC6.1"],
        "iso27001": ["A.5.17"],
    }
    # A number cell keeps the digits as written, as text (ISO/IEC 27001:2022's clause 6.2).
    assert yaml.safe_load((base_repo / "controls/ac-21.yaml").read_text())["satisfies"] == {"iso27001": ["6.2"]}


def test_bad_rows_are_reported_at_their_row_and_column_and_not_written(runner, base_repo: Path, tmp_path: Path) -> None:
    bad_status = ["AC-11", "Bad status", "done", "it@test.example", "monthly", "", "", "", "", "", "", ""]
    no_owner = ["AC-12", "No owner", "planned", "", "monthly", "", "", "", "", "", "", ""]
    bad_id = ["AC 13!", "Bad id", "planned", "it@test.example", "monthly", "", "", "", "", "", "", ""]
    twice = ["ac-10", "Same id again", "planned", "it@test.example", "monthly", "", "", "", "", "", "", ""]
    sheet = _csv(tmp_path / "controls.csv", [HEADERS, GOOD, bad_status, no_owner, bad_id, twice])
    result = _import(runner, base_repo, sheet, *MAPS)
    assert result.exit_code == ExitCode.FINDINGS
    lines = result.stdout.splitlines()
    assert (
        f"{sheet}:3:3: error [import-row] row 3 is not a valid control: status: 'done' is not one of: "
        "implemented, partial, planned, not-implemented" in lines
    )
    assert f"{sheet}:4:4: error [import-row] row 4 is not a valid control: owner: the cell is empty" in lines
    assert any(line.startswith(f"{sheet}:5:1: error [import-row] row 5 is not a valid control: id:") for line in lines)
    assert any(line.startswith(f"{sheet}:6:1: error [import-row] row 6: the id 'ac-10' is on row 2") for line in lines)
    assert sorted(p.name for p in (base_repo / "controls").glob("*.yaml")) == ["ac-10.yaml", "program.yaml"]
    assert "4 row(s) not written" in result.stderr and "Traceback" not in result.output


def test_an_existing_file_is_never_overwritten_without_force(runner, base_repo: Path, tmp_path: Path) -> None:
    target = write(base_repo, "controls/ac-10.yaml", "# mine\n")
    sheet = _csv(tmp_path / "controls.csv", [HEADERS, GOOD])
    result = _import(runner, base_repo, sheet, *MAPS)
    assert result.exit_code == ExitCode.FINDINGS
    assert f"{sheet}:2:1: error [import-exists]" in result.stdout and "--force" in result.stdout
    assert target.read_text() == "# mine\n"
    forced = _import(runner, base_repo, sheet, *MAPS, "--force")
    assert forced.exit_code == ExitCode.OK, forced.output
    assert yaml.safe_load(target.read_text())["id"] == "AC-10"


def test_an_id_defined_in_another_file_is_refused_even_with_force(runner, base_repo: Path, tmp_path: Path) -> None:
    row = ["AC-01", "Clash", "planned", "it@test.example", "monthly", "", "", "", "", "", "", ""]
    result = _import(runner, base_repo, _csv(tmp_path / "c.csv", [HEADERS, row]), *MAPS, "--force")
    assert result.exit_code == ExitCode.FINDINGS
    assert "control AC-01 already exists in" in result.stdout and "ac-01.yaml" in result.stdout
    assert not (base_repo / "controls/ac-01.yaml").exists()


def test_semicolons_defaults_and_into(runner, base_repo: Path, tmp_path: Path) -> None:
    rows = [
        ["ID", "Title", "Status", "Frequency"],
        ["HR-01", "Security training: yearly, for everyone", "Implemented", "Annually"],
    ]
    sheet = _csv(tmp_path / "controls.csv", rows, delimiter=";")
    result = _import(
        runner,
        base_repo,
        sheet,
        "--default",
        "owner=people@test.example",
        "--default",
        "evidence=mfa-policy",
        "--into",
        str(base_repo / "controls/people"),
    )
    assert result.exit_code == ExitCode.OK, result.output
    data = yaml.safe_load((base_repo / "controls/people/hr-01.yaml").read_text())
    assert data["title"] == "Security training: yearly, for everyone"
    assert (data["owner"], data["frequency"], data["evidence"]) == ("people@test.example", "annual", ["mfa-policy"])


def test_awkward_text_is_written_so_it_reads_back_exactly(runner, base_repo: Path, tmp_path: Path) -> None:
    texts = [
        "- starts like a list",
        "yes",
        "#1 priority: 'quoted' \"double\"",
        "  padded  ",
        "{braces}, [brackets]",
        "line one\n  indented line\n\nlast line",
        "tab\there",
        "ünïcödé — text",
        "123",
        "null",
    ]
    rows = [["id", "title", "status", "owner", "frequency", "description"]]
    rows += [[f"X-{n}", text, "planned", "it@test.example", "monthly", text] for n, text in enumerate(texts)]
    result = _import(runner, base_repo, _csv(tmp_path / "c.csv", rows))
    assert result.exit_code == ExitCode.OK, result.output
    for n, text in enumerate(texts):
        data = yaml.safe_load((base_repo / f"controls/x-{n}.yaml").read_text(encoding="utf-8"))
        assert data["title"] == text.strip() and data["description"] == text.strip()
    assert runner.invoke(cli.cli, ["check", "--root", str(base_repo)]).exit_code == ExitCode.OK


def test_the_schema_comment_is_written_when_the_repository_has_schemas(runner, base_repo: Path, tmp_path: Path) -> None:
    assert runner.invoke(cli.cli, ["schema", str(base_repo / "schemas")]).exit_code == ExitCode.OK
    result = _import(
        runner,
        base_repo,
        _csv(tmp_path / "c.csv", [HEADERS, GOOD]),
        *MAPS,
        "--into",
        str(base_repo / "controls/access"),
    )
    assert result.exit_code == ExitCode.OK, result.output
    first = (base_repo / "controls/access/ac-10.yaml").read_text().splitlines()[0]
    assert first == "# yaml-language-server: $schema=../../schemas/plaintrust-control.schema.json"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--map", "Nope=id"], "no column 'Nope'"),
        (["--map", "Title=colour"], "'colour' is not a control field"),
        (["--map", "Title"], "expected COLUMN=FIELD"),
        (["--default", "owner"], "expected FIELD=VALUE"),
        (["--sheet", "Other"], "--sheet applies to XLSX"),
        (["--into", "site"], "is not under"),
        ([], "no column holds 'id'"),
    ],
)
def test_usage_mistakes_exit_2(runner, base_repo: Path, tmp_path: Path, args: list[str], message: str) -> None:
    sheet = _csv(tmp_path / "controls.csv", [HEADERS, GOOD])
    args = [str(base_repo / a) if a == "site" else a for a in args]
    result = _import(runner, base_repo, sheet, *args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not (base_repo / "controls/ac-10.yaml").exists()


def test_an_unknown_sheet_and_a_wrong_suffix_are_usage_errors(runner, base_repo: Path, tmp_path: Path) -> None:
    book = _xlsx(tmp_path / "c.xlsx", [HEADERS, GOOD])
    assert _import(runner, base_repo, book, *MAPS, "--sheet", "Other").exit_code == ExitCode.USAGE
    assert _import(runner, base_repo, book, *MAPS, "--sheet", "Controls").exit_code == ExitCode.OK
    other = tmp_path / "c.ods"
    other.write_bytes(b"x")
    assert _import(runner, base_repo, other).exit_code == ExitCode.USAGE


@pytest.mark.parametrize(
    ("name", "data", "expected"),
    [
        ("latin1.csv", "id,title\nAC-1,Caf\xe9\n".encode("latin-1"), ":2:9: error [import-file] the file is not UTF-8"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", ":1:1: error [import-file] cannot read the workbook"),
        ("empty.csv", b"\n\n", ":1:1: error [import-file] the sheet is empty"),
    ],
)
def test_unreadable_files_are_findings_without_a_traceback(
    runner, base_repo: Path, tmp_path: Path, name: str, data: bytes, expected: str
) -> None:
    sheet = tmp_path / name
    sheet.write_bytes(data)
    result = _import(runner, base_repo, sheet)
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert f"{sheet}{expected}" in result.stdout and "Traceback" not in result.output


def test_bad_rows_as_github_annotations(runner, base_repo: Path, tmp_path: Path) -> None:
    bad = ["AC-11", "Bad status", "done", "it@test.example", "monthly", "", "", "", "", "", "", ""]
    sheet = _csv(tmp_path / "controls.csv", [HEADERS, bad])
    result = _import(runner, base_repo, sheet, *MAPS, "--format", "github")
    assert result.exit_code == ExitCode.FINDINGS
    assert result.stdout.startswith(f"::error file={sheet},line=2,col=3,title=import-row::row 2 is not a valid control")
