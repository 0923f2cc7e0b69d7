"""`plaintrust answers fill`: a customer's questionnaire workbook filled in from answers/, the workbook
otherwise kept as it was, and a report of what was filled, left blank and to check before sending."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation

from helpers import write
from plaintrust import cli
from plaintrust.actions.answers import match as matching
from plaintrust.errors import ExitCode

ANSWERS = {
    "encryption-at-rest": """\
id: encryption-at-rest
question: Is customer data encrypted when it is stored?
answer: "yes"
explanation: |
  All customer data is encrypted on disk with **AES-256**.

  The keys live in a managed key service.
visibility: nda
refs:
  caiq-v4: [CEK-03.1]
reviewed_on: 2026-10-01
""",
    "mfa": """\
id: mfa
question: Do staff sign in with multi-factor authentication?
answer: "yes"
explanation: Every person on our team signs in with a hardware key.
visibility: public
controls: [AC-01]
refs:
  caiq-v4: [IAM-14.1]
reviewed_on: 2026-10-01
""",
    "backups": """\
id: backups
question: Are backups taken daily and tested for restore?
answer: partial
explanation: Backups run daily; restore tests start next quarter.
visibility: public
refs:
  caiq-v4: [BCR-08.1]
reviewed_on: 2026-10-01
""",
    "security-training": """\
id: security-training
question: Do all staff complete security awareness training every year?
answer: "yes"
explanation: Every person completes the training when they join and each year after.
visibility: public
reviewed_on: 2026-10-01
""",
    "incident-response": """\
id: incident-response
question: Is there a documented security incident response plan?
answer: "yes"
explanation: Our incident response plan is written down and rehearsed.
visibility: public
reviewed_on: 2025-06-01
""",
    "access-reviews": """\
id: access-reviews
question: Are user access rights reviewed every quarter?
answer: "yes"
explanation: Each quarter, owners confirm who may use their systems.
visibility: public
controls: [AC-02]
reviewed_on: 2026-10-01
""",
    "data-deletion": """\
id: data-deletion
question: Is customer data deleted when a customer leaves?
answer: "yes"
explanation: We delete a customer's data within 30 days of the end of the contract.
visibility: public
reviewed_on: 2026-10-01
""",
    "admin-keys": """\
id: admin-keys
question: Which people hold the production administrator keys?
answer: n/a
explanation: Only Dana and Lee hold them, kept in the office safe.
visibility: internal
reviewed_on: 2026-10-01
""",
}

# A control in progress: the answer resting on it says more than the evidence backs.
AC_02 = """\
id: AC-02
title: Quarterly access reviews
status: planned
owner: it-security@test.example
description: Owners review who has access to their systems.
frequency: quarterly
satisfies:
  soc2: [CC6.2]
public:
  category: access-control
  summary: Each quarter, owners confirm who may use their systems.
"""

TITLE, HEADER, FIRST = 1, 2, 3
# (row, id cell, question cell, answer cell already there)
QUESTIONS = [
    (3, "CEK-03.1", "Is customer data encrypted at rest?", None),
    (4, None, "IAM-14.1 Do you require multi-factor authentication for your workforce?", None),
    (5, None, "Is security awareness training completed by all staff every year?", None),
    (6, None, "Does your organization have a documented incident response plan for security incidents?", None),
    (7, None, "Do you run a bug bounty program?", None),
    (8, None, "Is customer data deleted when a customer leaves?", "Yes, see our DPA"),
    (9, None, "Which people hold your production administrator keys?", None),
    (10, "BCR-08.1", "Are backups tested?", None),
    (11, None, "Are user access rights reviewed quarterly?", None),
    (13, None, "When a customer leaves, is their data deleted?", None),
]


def _repo(repo: Path) -> Path:
    for name, text in ANSWERS.items():
        write(repo, f"answers/{name}.yaml", text)
    write(repo, "controls/access/ac-02.yaml", AC_02)
    return repo


def _questionnaire(path: Path) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Questions"
    sheet["A1"] = "Vendor security questionnaire"
    sheet.merge_cells("A1:D1")
    for column, header in zip("ABCD", ("ID", "Question", "Answer", "Comments"), strict=True):
        sheet[f"{column}{HEADER}"] = header
        sheet[f"{column}{HEADER}"].font = Font(bold=True)
    sheet["C2"].fill = PatternFill("solid", fgColor="FFFF00")
    sheet.column_dimensions["B"].width = 60
    for row, qid, question, answered in QUESTIONS:
        sheet.cell(row, 1).value = qid
        sheet.cell(row, 2).value = question
        sheet.cell(row, 3).value = answered
    choices = DataValidation(type="list", formula1='"Yes,No,NA"', allow_blank=True)
    sheet.add_data_validation(choices)
    choices.add("C3:C100")
    notes = book.create_sheet("Notes")
    notes["A1"] = "Please answer every question."
    notes["A1"].font = Font(italic=True)
    book.save(path)
    return path


@pytest.fixture
def repo(base_repo: Path) -> Path:
    return _repo(base_repo)


@pytest.fixture
def questionnaire(tmp_path: Path) -> Path:
    return _questionnaire(tmp_path / "vendor.xlsx")


COLUMNS = ["--question-column", "B", "--answer-column", "C", "--explanation-column", "D", "--id-column", "A"]


def fill(runner, repo: Path, questionnaire: Path, out: Path, *more: str):
    args = ["answers", "fill", str(questionnaire), "-o", str(out), "--root", str(repo), *COLUMNS]
    return runner.invoke(cli.cli, [*args, "--first-row", str(FIRST), *more], prog_name="plaintrust")


def _cells(path: Path, column: str) -> dict[int, object]:
    sheet = openpyxl.load_workbook(path)["Questions"]
    return {row: sheet[f"{column}{row}"].value for row in range(FIRST, 14)}


def test_fill_answers_rows_by_id_and_by_text(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    before = questionnaire.read_bytes()
    result = fill(runner, repo, questionnaire, out, "--standard", "caiq-v4")
    assert result.exit_code == ExitCode.OK, result.output
    assert questionnaire.read_bytes() == before  # the customer's file is never touched
    assert _cells(out, "C") == {
        3: "Yes",  # CEK-03.1 in the id column: an nda answer goes out
        4: "Yes",  # IAM-14.1 opening the question
        5: "Yes",  # reworded and reordered
        6: "Yes",
        7: None,  # nothing like it in the library
        8: "Yes, see our DPA",  # already answered: left alone
        9: None,  # only an internal answer says it: never from there
        10: "No",  # a partial is CAIQ's No, explained
        11: "Yes",
        12: None,
        13: "Yes",
    }
    explanations = _cells(out, "D")
    assert (
        explanations[3]
        == "All customer data is encrypted on disk with AES-256. The keys live in a managed key service."
    )
    assert explanations[10] == "Partly: Backups run daily; restore tests start next quarter."
    assert explanations[8] is None and explanations[9] is None


def test_without_a_standard_the_answer_words_are_plain(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    assert fill(runner, repo, questionnaire, out).exit_code == ExitCode.OK
    assert _cells(out, "C")[10] == "Partial"
    assert _cells(out, "D")[10] == "Backups run daily; restore tests start next quarter."


def test_the_text_report(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--standard", "caiq-v4")
    report = result.stdout
    assert report.startswith(
        f"Filled 7 of 10 questions of {questionnaire} (sheet 'Questions') into {out}.\n"
        "  by question id:   3\n"
        "  by text:          4 (3 high: a score of 90 or more, 1 medium)\n"
        "  left blank:       2\n"
        "  already answered: 1\n"
    ), report
    assert "  row 3: encryption-at-rest, by id CEK-03.1\n" in report
    assert "  row 4: mfa, by id IAM-14.1\n" in report
    assert "  row 10: backups, by id BCR-08.1\n" in report
    assert "\nLeft blank (no answer scored 80 or more):\n  row 7: Do you run a bug bounty program?\n" in report
    assert "\nAlready answered, left alone:\n  row 8\n" in report
    assert (
        "\nCheck these before sending:\n"
        "  incident-response (row 6): last reviewed on 2025-06-01: its review was due on 2026-06-01\n"
        "  access-reviews (row 11): says yes, but AC-02 is in progress\n"
    ) in report
    assert "  row 5: security-training, by text, score 99.1 (high)\n" in report
    assert "  row 11: access-reviews, by text, score 89.7 (medium)\n" in report
    assert "\n  row 9: Which people hold your production administrator keys?\n" in report  # the customer's words
    assert "admin-keys" not in report and ANSWERS["admin-keys"].split("\n")[1][10:] not in report


def test_the_json_report(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.stdout)
    assert report["counts"] == {
        "questions": 10,
        "answered": 7,
        "by_id": 3,
        "by_text": 4,
        "high": 3,
        "medium": 1,
        "blank": 2,
        "already_answered": 1,
    }
    filled = {row["row"]: row for row in report["filled"]}
    assert sorted(filled) == [3, 4, 5, 6, 10, 11, 13]
    assert filled[3] == {
        "row": 3,
        "answer": "encryption-at-rest",
        "how": "id",
        "question_id": "CEK-03.1",
        "score": 100.0,
        "confidence": "id",
    }
    assert filled[13] | {"score": 0} == {
        "row": 13,
        "answer": "data-deletion",
        "how": "text",
        "question_id": None,
        "score": 0,
        "confidence": "high",
    }
    blank = {row["row"]: row for row in report["blank"]}
    assert sorted(blank) == [7, 9]
    assert len(blank[7]["candidates"]) == 3
    assert all(c["answer"] != "admin-keys" for row in blank.values() for c in row["candidates"])
    assert report["already_answered"] == [8]
    assert [(c["answer"], c["rows"]) for c in report["check"]] == [("incident-response", [6]), ("access-reviews", [11])]
    assert report["not_kept"] == []
    assert "admin-keys" not in result.stdout and "Dana" not in result.stdout


def test_the_rest_of_the_workbook_is_kept(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    assert fill(runner, repo, questionnaire, out).exit_code == ExitCode.OK
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Questions", "Notes"]
    notes, sheet = book["Notes"], book["Questions"]
    assert notes["A1"].value == "Please answer every question." and notes["A1"].font.italic
    assert sheet["B2"].font.bold and sheet["C2"].fill.fgColor.rgb == "00FFFF00"
    assert sheet.column_dimensions["B"].width == 60
    assert [str(r) for r in sheet.merged_cells.ranges] == ["A1:D1"]
    [choices] = sheet.data_validations.dataValidation
    assert (choices.formula1, str(choices.sqref)) == ('"Yes,No,NA"', "C3:C100")


def test_the_report_names_what_the_copy_lost(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(questionnaire)
    chart = BarChart()
    chart.add_data(Reference(book["Notes"], min_col=1, min_row=1, max_row=1))
    book["Notes"].add_chart(chart, "C3")  # kept
    book.save(questionnaire)
    with zipfile.ZipFile(questionnaire, "a") as archive:
        archive.writestr("xl/embeddings/oleObject1.bin", b"an object openpyxl does not know")  # lost
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out)
    assert result.exit_code == ExitCode.OK, result.output
    assert result.stdout.endswith(f"\nNot kept in {out}: the original's embedded objects.\n")
    assert json.loads(fill(runner, repo, questionnaire, out, "--format", "json").stdout)["not_kept"] == [
        "embedded objects"
    ]


def test_the_sheet_is_named_in_any_case(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--sheet", "questions")
    assert result.exit_code == ExitCode.OK, result.output
    assert _cells(out, "C")[4] == "Yes"


def test_a_repository_with_errors_fills_nothing(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    write(repo, "answers/mfa-again.yaml", ANSWERS["mfa"])  # a second answer with the id mfa
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out)
    assert result.exit_code == ExitCode.FINDINGS
    assert "error [duplicate-id]" in result.stdout and "nothing was filled" in result.stderr
    assert not out.exists()


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--sheet", "Sheet9"], "no sheet 'Sheet9' in vendor.xlsx; its sheets: Questions, Notes"),
        (["--answer-column", "C1"], "'C1' is not a column: give its letters, such as C or AB"),
        (["--id-column", "4"], "'4' is not a column"),
        (["--explanation-column", "ZZZZ"], "'ZZZZ' is not a column"),
        (["--explanation-column", "ZZZ"], "'ZZZ' is beyond the last column of a workbook (XFD)"),
        (["--answer-column", "b"], "--answer-column and --question-column name the same column"),
        (["--explanation-column", "C"], "--answer-column and --explanation-column name the same column"),
    ],
)
def test_usage_errors(runner, repo: Path, questionnaire: Path, tmp_path: Path, args: list[str], message: str) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, *args)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.stderr and "Traceback" not in result.output
    assert not out.exists()


def test_output_is_never_the_questionnaire_nor_an_input(runner, repo: Path, questionnaire: Path) -> None:
    same = fill(runner, repo, questionnaire, questionnaire)
    assert same.exit_code == ExitCode.USAGE
    assert "is the questionnaire itself: write the filled copy to another file" in same.stderr
    inside = fill(runner, repo, questionnaire, repo / "answers/filled.xlsx")
    assert inside.exit_code == ExitCode.USAGE and "nothing was written" in inside.stderr
    assert not (repo / "answers/filled.xlsx").exists()
    other = fill(runner, repo, questionnaire, questionnaire.with_suffix(".csv"))
    assert other.exit_code == ExitCode.USAGE and "must end in .xlsx, as the questionnaire does" in other.stderr


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("vendor.csv", b"id,question\n", "vendor.csv is not an .xlsx workbook: open it and save it as Excel Workbook"),
        ("vendor.xlsx", b"id,question\n", "vendor.xlsx is not an .xlsx workbook (it is not a zip archive)"),
        ("vendor.xlsx", b"PK\x03\x04broken", "vendor.xlsx is not an .xlsx workbook"),
        (
            "vendor.xlsx",
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100 + "EncryptionInfo".encode("utf-16-le"),
            "vendor.xlsx is protected by a password: open it, save a copy without the password",
        ),
        ("vendor.xlsx", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 100, "vendor.xlsx is an old .xls workbook"),
    ],
)
def test_a_file_that_is_no_workbook_is_a_usage_error(
    runner, repo: Path, tmp_path: Path, name: str, content: bytes, message: str
) -> None:
    bad = tmp_path / name
    bad.write_bytes(content)
    result = fill(runner, repo, bad, tmp_path / f"filled{bad.suffix}")
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.stderr and "Traceback" not in result.output


def test_a_damaged_zip_is_a_usage_error(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    bad = tmp_path / "damaged.xlsx"
    bad.write_bytes(questionnaire.read_bytes()[:-200])
    result = fill(runner, repo, bad, tmp_path / "filled.xlsx")
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "damaged.xlsx" in result.stderr and "Traceback" not in result.output


# Matching, without a workbook.
def test_normalise_keeps_the_words_that_carry_the_meaning() -> None:
    assert matching.normalise("IAM-14.1 Do you require MFA for your workforce?") == "require mfa workforce"
    assert matching.normalise("A&A-01.1: Are audit policies established?") == "audit policies established"
    assert matching.normalise("12. Is data encrypted, at rest?") == "data encrypted rest"
    assert matching.normalise("Do you?") == "do you"  # only filler: kept, rather than nothing


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("IAM-14.1 Do you ...", "IAM-14.1"),
        ("A&A-01.1: Are ...", "A&A-01.1"),
        ("(CEK-03.1) Is ...", "CEK-03.1"),
        ("M.1.3 Is ...", "M.1.3"),
        ("1.1 Is ...", "1.1"),
        ("SI-1a Is ...", "SI-1a"),
        ("SOC2 report available?", None),
        ("2FA is used?", None),
        ("12. Is ...", None),
    ],
)
def test_a_question_id_opening_the_question(text: str, found: str | None) -> None:
    assert matching.leading_id(text) == found


def test_three_hundred_rows_against_sixty_answers_take_well_under_a_second() -> None:
    from plaintrust.model import Answer

    answers = [
        Answer(
            f"a{n}", f"Is control number {n} about topic {n * 7} in place?", "yes", "", "public", (), (), {}, None, None
        )
        for n in range(60)
    ]
    library = matching.library(answers)
    questions = [f"Is topic {n * 7} in place for control {n % 60}?" for n in range(300)]
    started = time.perf_counter()
    found = [matching.match(library, q) for q in questions]
    assert time.perf_counter() - started < 1.0
    assert sum(m.answer is not None for m in found) > 0
