"""`plaintrust answers fill`: a customer's questionnaire workbook filled in from answers/, the workbook
otherwise kept as it was, and a report of what was filled, left blank and to check before sending."""

from __future__ import annotations

import io
import json
import time
import zipfile
from collections.abc import Sequence
from pathlib import Path

import openpyxl
import pytest
from openpyxl.chart import BarChart, Reference
from openpyxl.styles import Font, PatternFill
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from helpers import edit, write
from plaintrust import cli
from plaintrust.actions.answers import cells, keep
from plaintrust.actions.answers import match as matching
from plaintrust.errors import ExitCode

EXAMPLE = Path(__file__).parents[1]  # the example repository: the repository's root

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

NOT_APPLICABLE = """\
id: no-data-centres
question: Do you run your own data centres?
answer: n/a
explanation: We host with a cloud provider.
visibility: public
reviewed_on: 2026-10-01
"""

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
    # the words without Markdown, a line per paragraph, as a cell shows them
    assert (
        explanations[3]
        == "All customer data is encrypted on disk with AES-256.\nThe keys live in a managed key service."
    )
    assert explanations[10] == "Partly: Backups run daily; restore tests start next quarter."
    assert explanations[8] is None and explanations[9] is None


def test_without_a_standard_the_answer_words_are_plain(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(questionnaire)
    book["Questions"].data_validations.dataValidation.clear()  # no drop-down to choose from
    book.save(questionnaire)
    out = tmp_path / "filled.xlsx"
    assert fill(runner, repo, questionnaire, out).exit_code == ExitCode.OK
    assert (_cells(out, "C")[3], _cells(out, "C")[10]) == ("Yes", "Partial")
    assert _cells(out, "D")[10] == "Backups run daily; restore tests start next quarter."


def test_a_drop_down_gets_one_of_its_own_choices(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out)  # no --standard: the drop-down's words decide
    assert result.exit_code == ExitCode.OK, result.output
    # "Yes,No,NA": a partial is its No, explained; no "Partial" the customer's formulas would misread
    assert (_cells(out, "C")[3], _cells(out, "C")[10]) == ("Yes", "No")
    assert _cells(out, "D")[10] == "Partly: Backups run daily; restore tests start next quarter."


@pytest.mark.parametrize(
    ("choices", "written"),
    [
        ('"yes,no,n/a"', {3: "yes", 10: "no", 12: "n/a"}),  # as the list spells them
        ('"Y,N,Not applicable,Partially"', {3: "Y", 10: "Partially", 12: "Not applicable"}),
        ("Lists!$A$1:$A$3", {3: "Yes", 10: "No", 12: "NA"}),  # choices on another sheet
        ("Choices", {3: "Yes", 10: "No", 12: "NA"}),  # a named range
    ],
)
def test_answers_are_written_as_the_drop_down_spells_them(
    runner, repo: Path, questionnaire: Path, tmp_path: Path, choices: str, written: dict[int, str]
) -> None:
    write(repo, "answers/no-data-centres.yaml", NOT_APPLICABLE)
    book = openpyxl.load_workbook(questionnaire)
    sheet = book["Questions"]
    sheet.data_validations.dataValidation[0].formula1 = choices
    sheet["B12"] = "Do you run your own data centres?"
    lists = book.create_sheet("Lists")
    for row, word in enumerate(("Yes", "No", "NA"), start=1):
        lists.cell(row, 1).value = word
    book.defined_names["Choices"] = DefinedName("Choices", attr_text="Lists!$A$1:$A$3")
    book.save(questionnaire)
    out = tmp_path / "filled.xlsx"
    assert fill(runner, repo, questionnaire, out).exit_code == ExitCode.OK
    assert {row: _cells(out, "C")[row] for row in written} == written
    partly = str(_cells(out, "D")[10])
    assert partly.startswith("Partly: ") == (written[10] != "Partially")


def test_no_fitting_choice_leaves_the_row_blank_and_says_why(
    runner, repo: Path, questionnaire: Path, tmp_path: Path
) -> None:
    book = openpyxl.load_workbook(questionnaire)
    book["Questions"].data_validations.dataValidation[0].formula1 = '"Compliant,Not compliant"'
    book.save(questionnaire)
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert _cells(out, "C")[3] is None and _cells(out, "D")[3] is None
    report = json.loads(result.stdout)
    (row,) = [r for r in report["blank"] if r["row"] == 3]
    assert row["not_written"] == {
        "answer": "encryption-at-rest",
        "why": "it says yes, and the answer cell's drop-down list offers only Compliant, Not compliant",
    }
    text = fill(runner, repo, questionnaire, tmp_path / "again.xlsx").stdout
    assert "  row 3: Is customer data encrypted at rest?\n      encryption-at-rest: it says yes" in text


def test_the_text_report(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--standard", "caiq-v4")
    report = result.stdout
    assert report.startswith(
        f"Filled 7 of 10 questions of {questionnaire} (sheet 'Questions') into {out}.\n"
        "  by question id:   3\n"
        "  by wording:       4 (4 high: a score of 90 or more, 0 medium)\n"
        "  left blank:       2\n"
        "  already answered: 1\n"
        "\n"
        "Filled by question id:\n"
        "  row 3: encryption-at-rest, by caiq-v4 id CEK-03.1\n"
        "  row 4: mfa, by caiq-v4 id IAM-14.1\n"
        "  row 10: backups, by caiq-v4 id BCR-08.1\n"
        "\n"
        "Filled by wording: read each before sending, as the customer may ask more than our answer says:\n"
        "  row 5: security-training, score 100 (high)\n"
        "      theirs: Is security awareness training completed by all staff every year?\n"
        "      ours:   Do all staff complete security awareness training every year?\n"
    ), report
    assert (
        "  row 11: access-reviews, score 95.8 (high)\n"
        "      theirs: Are user access rights reviewed quarterly?\n"
        "      ours:   Are user access rights reviewed every quarter?\n"
    ) in report
    assert (
        "\nLeft blank (no answer scored 80 or more and asks what the question asks):\n"
        "  row 7: Do you run a bug bounty program?\n"
        "      incident-response (38.5): Is there a documented security incident response plan?\n"
        "        not covered: run bug bounty program, documented security incident response plan\n"
    ) in report
    assert "\nAlready answered, left alone:\n  row 8\n" in report
    assert (
        "\nCheck these before sending:\n"
        "  incident-response (row 6): last reviewed on 2025-06-01: its review has been due since 2026-06-01\n"
        "  access-reviews (row 11): says yes, but AC-02 is in progress\n"
    ) in report
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
        "high": 4,
        "medium": 0,
        "blank": 2,
        "already_answered": 1,
    }
    assert report["visibility"] == ["public", "nda"]
    filled = {row["row"]: row for row in report["filled"]}
    assert sorted(filled) == [3, 4, 5, 6, 10, 11, 13]
    assert filled[3] == {
        "row": 3,
        "hidden": False,
        "answer": "encryption-at-rest",
        "how": "id",
        "standard": "caiq-v4",
        "question_id": "CEK-03.1",
        "score": 100.0,
        "confidence": "id",
        "question": "Is customer data encrypted at rest?",
        "our_question": "Is customer data encrypted when it is stored?",
        "ignored": "",
    }
    assert filled[13] | {"score": 0} == {
        "row": 13,
        "hidden": False,
        "answer": "data-deletion",
        "how": "text",
        "standard": None,
        "question_id": None,
        "score": 0,
        "confidence": "high",
        "question": "When a customer leaves, is their data deleted?",
        "our_question": "Is customer data deleted when a customer leaves?",
        "ignored": "",
    }
    blank = {row["row"]: row for row in report["blank"]}
    assert sorted(blank) == [7, 9]
    assert len(blank[7]["candidates"]) == 3 and blank[7]["not_written"] is None
    not_covered = blank[7]["candidates"][0]["not_covered"]
    assert not_covered == ["run bug bounty program", "documented security incident response plan"]
    assert all(c["answer"] != "admin-keys" for row in blank.values() for c in row["candidates"])
    assert report["already_answered"] == [8] and report["not_questions"] == []
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


def _one_sheet(path: Path, rows: Sequence[Sequence[object]]) -> Path:
    """A workbook of one sheet "Q": a header row, then `rows` (question, answer, explanation, id)."""
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Q"
    sheet.append(["Question", "Answer", "Explanation", "ID"])
    for row in rows:
        sheet.append(list(row))
    book.save(path)
    return path


def fill_sheet(runner, repo: Path, path: Path, *more: str):
    out = path.with_name(f"{path.stem}-filled{path.suffix}")
    columns = ["--question-column", "A", "--answer-column", "B", "--explanation-column", "C"]
    args = ["answers", "fill", str(path), "-o", str(out), "--root", str(repo), *columns, *more]
    return runner.invoke(cli.cli, args, prog_name="plaintrust"), out


def test_a_question_asking_more_than_our_answer_says_is_left_blank(runner, repo: Path, tmp_path: Path) -> None:
    questions = [
        ["Do you delete customer data immediately when a customer leaves?"],  # ours, and "immediately"
        ["Are user access rights reviewed every quarter by an outside firm?"],
        ["Is customer data deleted when a customer leaves?"],  # ours: filled
    ]
    result, out = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", questions))
    assert result.exit_code == ExitCode.OK, result.output
    sheet = openpyxl.load_workbook(out)["Q"]
    assert [sheet.cell(row, 2).value for row in (2, 3, 4)] == [None, None, "Yes"]
    assert (
        "  row 2: Do you delete customer data immediately when a customer leaves?\n"
        "      data-deletion (94.2): Is customer data deleted when a customer leaves?\n"
        "        not covered: immediately\n"
    ) in result.stdout
    assert "        not covered: outside firm\n" in result.stdout


def test_section_headings_are_not_questions(runner, repo: Path, tmp_path: Path) -> None:
    rows = [["Incident Response"], ["Is there a documented security incident response plan?"], ["Access Control"]]
    result, out = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", rows), "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.stdout)
    assert (report["counts"]["questions"], report["not_questions"]) == (1, [2, 4])
    sheet = openpyxl.load_workbook(out)["Q"]
    assert [sheet.cell(row, 2).value for row in (2, 3, 4)] == [None, "Yes", None]
    text, _ = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", rows))
    assert "\nNot questions (headings), skipped:\n  rows 2, 4\n" in text.stdout


@pytest.mark.parametrize(
    ("text", "question"),
    [
        ("Incident Response", False),
        ("Business Continuity", False),
        ("Identity & Access Management", False),  # three words, written as a title
        ("Data Security and Privacy Lifecycle Management", False),
        ("Do you encrypt?", True),
        ("Describe your backups.", True),
        ("Backups are encrypted and tested", True),
    ],
)
def test_what_is_a_question(text: str, question: bool) -> None:
    assert matching.is_question(text) is question


def test_the_words_an_answer_does_not_say() -> None:
    from plaintrust.model import Answer

    ours = Answer(
        "backups", "Do you back up our data?", "yes", "A copy goes to a second site in the region you chose. "
        "Suppliers are reviewed every year.", "public", (), (), {}, None, None
    )  # fmt: skip
    said = matching.library([ours]).said[0]
    assert matching.uncovered("Do you back up our data?", said) == ()
    assert matching.uncovered("Do you back up customer data?", said) == ()  # "customer data" is "our data"
    assert matching.uncovered("Do you backup our data every year?", said) == ()  # as our explanation says it
    assert matching.uncovered("Do you back up our data to another region?", said) == ("another region",)
    assert matching.uncovered("Do you back up our data every day?", said) == ("every day",)
    assert matching.uncovered("Do you not back up our data?", said) == ("not",)
    assert matching.stem("encrypted") == matching.stem("encryption") == matching.stem("encrypts")
    assert matching.stem("immediately") == matching.stem("immediate")


# The measurement match.py's documentation and the guide quote: questions a customer may ask, on the
# example library (the repository's answers/), each with the answers that answer it rightly; None
# in the set: leaving the row blank is right too. A fill outside the set is a wrong answer sent to
# a customer. Tune the score, the threshold or the words an answer must cover against this only.
REWORDED: list[tuple[str, set[str | None]]] = [  # ours, as customers write them: in their own words
    (
        "Is all customer data encrypted at rest, including databases, file storage and backups?",
        {"encryption-at-rest", None},
    ),
    ("Is data encrypted in transit using TLS 1.2 or higher?", {"encryption-in-transit", "encryption-standards", None}),
    ("Are backups of customer data performed regularly?", {"backups", None}),
    ("Will customers be notified in the event of a data breach affecting their data?", {"breach-notification", None}),
    ("Is multi-factor authentication enforced for all employees?", {"workforce-mfa", None}),
    ("Is a penetration test performed by an independent third party at least annually?", {"penetration-tests", None}),
    (
        "Does your organization have a documented incident response plan and a designated incident response team?",
        {"incident-response", None},
    ),
    ("Upon termination of the contract, is customer data securely deleted?", {"data-deletion", None}),
    ("Can customers select the geographic region where their data is stored?", {"data-location", None}),
    ("Do you disclose the list of sub-processors that handle customer data?", {"subprocessors", None}),
    ("Are employees screened with background checks and trained in security awareness?", {"staff-security", None}),
    (
        "Are vulnerability scans run regularly, with identified flaws remediated within defined timelines?",
        {"vulnerability-scanning", None},
    ),
    ("Are all changes to production reviewed, tested and approved prior to deployment?", {"change-management", None}),
    ("Do you follow a secure software development lifecycle (SSDLC)?", {"secure-development", None}),
    ("Is there 24x7 monitoring for security attacks?", {"security-monitoring", None}),
    (
        "Is there a designated individual responsible for information security, such as a CISO?",
        {"security-program", None},
    ),
    ("Is employee access to customer data restricted to those who need it (least privilege)?", {"staff-access", None}),
    ("Are third-party suppliers assessed for security before they are onboarded?", {"supplier-checks", None}),
    ("Can customers export all of their data from the service?", {"data-export", None}),
    ("Do you support customer-managed encryption keys (BYOK)?", {"customer-managed-keys", None}),
    ("Are employee laptops encrypted and centrally managed?", {"laptop-security", None}),
    (
        "Is your security programme audited by independent external auditors (e.g. SOC 2, ISO 27001)?",
        {"independent-audits", None},
    ),
    ("Do you have a disaster recovery plan with defined RTO and RPO?", {"recovery", "continuity-testing", None}),
    ("Is the business continuity plan tested at least annually?", {"continuity-testing", None}),
    ("Is anti-malware software installed on all endpoints and servers?", {"malware-protection", None}),
    ("Is system access revoked and equipment returned when an employee leaves?", {"leavers", None}),
    ("Are audit logs retained and protected against tampering?", {"audit-logs", None}),
    ("Is the network segmented and monitored, with restricted traffic?", {"network-security", None}),
    ("Do you have a privacy program compliant with GDPR?", {"privacy-program", None}),
    ("Describe how encryption keys are managed throughout their lifecycle.", {"key-management", None}),
]
CLOSE: list[tuple[str, set[str | None]]] = [  # ours reordered and reworded a little, in words our answers use
    ("Do you encrypt our data when you store it?", {"encryption-at-rest", None}),
    ("Is our data encrypted while it travels over the network?", {"encryption-in-transit", None}),
    ("Do you back up customer data?", {"backups", None}),
    ("WILL YOU TELL US IF A BREACH AFFECTS OUR DATA", {"breach-notification", None}),
    ("Do your staff need more than a password when they sign in?", {"workforce-mfa", None}),
    ("Do independent experts test the security of your service?", {"penetration-tests", "independent-audits", None}),
    ("Do you have a team and a plan for handling security incidents?", {"incident-response", None}),
    ("When our contract ends, do you delete our data?", {"data-deletion", None}),
    ("Can we choose the region where our data is stored?", {"data-location", None}),
    ("Do you tell us which companies handle our data?", {"subprocessors", None}),
    ("Do you screen and train the people who work with customer data?", {"staff-security", None}),
    ("Do you look for security flaws and fix them on time?", {"vulnerability-scanning", None}),
    ("Are changes to your service reviewed and tested before they go live?", {"change-management", None}),
    ("Is security built into your software from the start?", {"secure-development", None}),
    ("Do you watch for attacks day and night?", {"security-monitoring", None}),
    ("Who is in charge of security at Northwind?", {"security-program", None}),
    ("Is access to customer data limited to the staff who need it?", {"staff-access", None}),
    ("Are suppliers checked before they handle our data?", {"supplier-checks", None}),
    ("Can we export all of our data before we leave?", {"data-export", None}),
    ("Can we hold the keys that encrypt our data ourselves?", {"customer-managed-keys", None}),
    ("Are the laptops of your staff protected?", {"laptop-security", None}),
    ("Do outside experts check your security?", {"independent-audits", None}),
    ("Can you recover quickly from a major outage?", {"recovery", None}),
    ("Do you have a business continuity plan and do you test it?", {"continuity-testing", None}),
    ("Do you run anti-malware on laptops and on servers?", {"malware-protection", None}),
    ("When someone leaves, do you remove their access and collect their equipment?", {"leavers", None}),
    ("Do you keep complete audit logs and protect them from tampering?", {"audit-logs", None}),
    ("Are your networks segmented and monitored?", {"network-security", None}),
    ("Do you have a privacy programme that meets GDPR?", {"privacy-program", None}),
    ("Do you manage encryption keys through their whole life?", {"key-management", None}),
    ("Can we report security problems to you?", {"reporting-security-problems", None}),
    ("Do you test your incident response plan?", {"incident-drills", None}),
    ("Are test systems kept apart from production?", {"environment-separation", None}),
    ("Do you triage every security alert?", {"event-triage", None}),
    ("Do you back up our data?", {"backups"}),
    ("Is our data encrypted when you store it?", {"encryption-at-rest"}),
]
QUALIFIED: list[
    tuple[str, set[str | None]]
] = [  # ours plus what the question is really about, which our answer does not say
    ("Do your customers need more than a password to sign in?", {"customer-sign-in", None}),
    ("Do your users need more than a password to sign in?", {"customer-sign-in", None}),
    ("Do customers need more than a password to sign in to your service?", {"customer-sign-in", None}),
    ("Do you require MFA for customer accounts?", {"customer-sign-in", None}),
    ("Do you support MFA for customer users?", {"customer-sign-in", None}),
    ("Do your contractors need more than a password to sign in?", {None}),
    ("Do you keep audit logs for at least seven years?", {None}),
    ("Do you back up our data to a different cloud provider?", {None}),
    ("Do you back up our data to another region?", {None}),
    ("Do you back up our data outside the region?", {None}),
    ("Do you back up our data every hour?", {None}),
    ("Are backups stored in a different region?", {None}),
    ("Do you back up employee laptops?", {None}),
    ("Is our data encrypted when it is stored on employee laptops?", {"laptop-security", None}),
    ("Is our data encrypted when you store it on staff laptops?", {"laptop-security", None}),
    ("Is our data encrypted when you store it with customer-managed keys?", {"customer-managed-keys", None}),
    ("Do you delete our data within 7 days when our contract ends?", {None}),
    ("Do you delete our data within 14 days after our contract ends?", {None}),
    ("Do you delete our data immediately when our contract ends?", {None}),
    ("Is customer data deleted immediately upon contract termination?", {None}),
    ("Can we choose which staff can access our data?", {None}),
    ("Is access to our data limited to the staff in the EU?", {None}),
    ("Is access to our data limited to staff who passed a background check?", {"staff-security", None}),
    ("Can we export our audit logs?", {None}),
    ("Can we export all our data in a machine-readable format?", {"data-export", None}),
    ("Can we choose where our data is processed and supported?", {None}),
    ("Can we choose where our data is stored at no extra cost?", {None}),
    ("Can we choose where backups of our data are stored?", {"data-location", None}),
    ("Do you test your disaster recovery plan?", {"continuity-testing", None}),
    ("Do you test your backups?", {"backups", "continuity-testing", None}),
    ("Do you have a plan for security incidents at your suppliers?", {None}),
    ("Do you have a team and a plan for physical security incidents?", {None}),
    ("Will you tell us if a breach affects your other customers?", {None}),
    ("Will you tell us within 24 hours if a breach affects our data?", {None}),
    ("Will you tell us about a breach within 24 hours?", {None}),
    ("Do you notify customers of a breach within 24 hours?", {None}),
    ("Do you tell us which other companies you sell our data to?", {None}),
    ("Do you sell our data to other companies?", {None}),
    ("Do you sell customer data to third parties?", {None}),
    ("Do you share our data with other companies?", {"subprocessors", None}),
    ("Do you tell us which other companies can see our data?", {"subprocessors", None}),
    ("Do you build security into your hardware from the start?", {None}),
    ("Do you check suppliers after they handle our data?", {"supplier-reviews", None}),
    ("Do you check suppliers every year?", {"supplier-reviews", None}),
    ("Do you check suppliers every year after you sign?", {"supplier-reviews", None}),
    ("Do you look for security flaws in your suppliers' software?", {None}),
    ("Do you test your application for security flaws before every release?", {None}),
    ("Do independent experts test your service every quarter?", {None}),
    ("Do you watch for insider threats around the clock?", {None}),
    ("Do you watch for fraud around the clock?", {None}),
    ("Do you screen the contractors who work with our data?", {None}),
    ("Do you keep checking your employees after you hire them?", {None}),
    ("Is someone in charge of privacy at Northwind?", {"privacy-program", None}),
    ("Do outside experts check that your privacy programme works?", {None}),
    ("Is customer data encrypted in transit?", {"encryption-in-transit", "encryption-standards", None}),
    ("Is customer data encrypted at rest?", {"encryption-at-rest", "encryption-standards", None}),
    ("Is our data deleted when you store it?", {None}),
    ("Can we report a privacy complaint to you?", {None}),
    ("Can we report a security problem to you anonymously?", {None}),
    ("Can we hold the keys that sign our software?", {None}),
    ("Do you run anti-malware on mobile phones?", {None}),
    ("Do you remove access within 24 hours when someone leaves?", {None}),
    ("Do you back up our data?\n(Include frequency and retention.)", {"backups", None}),
]
VAGUE: list[tuple[str, set[str | None]]] = [  # too little to go on
    ("Do you have a plan?", {None}),
    ("Do you test?", {None}),
    ("Is data encrypted?", {"encryption-at-rest", "encryption-in-transit", "encryption-standards", None}),
    ("Do you encrypt?", {"encryption-at-rest", "encryption-in-transit", "encryption-standards", None}),
    ("Are backups encrypted?", {"encryption-at-rest", "backups", None}),
    ("Can we choose?", {None}),
    ("Do you back up?", {"backups", None}),
    ("Do you sell our data?", {None}),
]
UNRELATED: list[tuple[str, set[str | None]]] = [
    ("Do you carry cyber liability insurance?", {None}),
    ("What was your company's annual revenue last year?", {None}),
    ("Do you use open-source components in your product?", {None}),
    ("Is your product available as a mobile app?", {None}),
    ("Do you have a whistleblower policy?", {None}),
    ("How many full-time employees does your company have?", {None}),
    ("Is encryption at rest FIPS 140-2 validated?", {"encryption-standards", None}),
    ("Do you allow customers to perform their own penetration tests?", {None}),
    ("Is our data used to train AI models?", {None}),
    ("Do you share our data with advertisers?", {None}),
    ("Are the clocks of your systems synchronised to one source?", {None}),  # only an internal answer says it
    ("Do you keep an inventory of your assets and endpoints?", {None}),  # the same
]
MISREAD: list[tuple[str, set[str | None]]] = [  # our words, asking something else: most were filled wrongly
    ("Have you had security incidents?", {None}),  # what happened, not what is done
    ("Did a breach affect our data?", {None}),
    ("Was our data encrypted?", {None}),
    ("Did you test your incident response plan?", {None}),
    ("Do you encrypt our data?", {"encryption-at-rest", "encryption-standards", None}),  # not "Can we hold the keys"
    ("Do you hold the keys that encrypt our data?", {None}),  # "Can we hold": the customer does
    ("Can you hold the keys that encrypt our data?", {None}),
    ("Can staff sign in with only a password?", {None}),
    ("Do your staff need only a password to sign in?", {None}),
    ("Do you back up our data in the US?", {None}),  # the country, not "us"
    ("Is our data stored in the US?", {None}),
    ("DES-56 encryption of our data when you store it?", {None}),  # a word, not a question id
    ("AES-128 encryption of our data when you store it?", {None}),  # ours says AES-256
    ("COVID-19 business continuity plan?", {None}),
    ("Where is our data stored?", {None}),  # no yes or no answers where, who, when or which
    ("Who can access our data?", {None}),
    ("When do you delete our data?", {None}),
    ("Which data is encrypted when you store it?", {None}),
    ("Do you back up our data? Can backups be deleted?", {None}),  # a second question
    ("Is our data encrypted when you store it? Who holds the keys?", {None}),
    ("Do your staff need more than a password to sign in, and which staff do not?", {None}),
    ("Do you not back up our data?", {None}),  # "cannot be deleted" in our explanation turns nothing around
    ("Do you never back up our data?", {None}),
    ("Do you back up our data without encryption?", {None}),
    ("Do independent experts test our service?", {None}),  # the customer's service, not ours
]
FORMATTED: list[tuple[str, set[str | None]]] = [  # ours with a label, the answer's format, a hyphen spaced
    ("Is our data encrypted when you store it? (Y/N)", {"encryption-at-rest"}),
    ("Is our data encrypted when you store it? If no, explain.", {"encryption-at-rest"}),
    ("Is our data encrypted when you store it?\n(Select Yes, No or N/A)", {"encryption-at-rest"}),
    ("Do your staff need more than a password to sign in? Please provide evidence.", {"workforce-mfa"}),
    ("Do your staff need more than a password to sign in? Yes/No", {"workforce-mfa"}),
    ("Q12: Do you back up our data?", {"backups"}),
    ("Question 12: Do you back up our data? Comments:", {"backups"}),
    ("Do you backup our data?", {"backups"}),
    ("Do you run anti malware on laptops and servers?", {"malware-protection"}),
]
HEADINGS = ["Incident Response", "Business Continuity", "Privacy", "Identity & Access Management"]
MEASURED: dict[str, list[tuple[str, set[str | None]]]] = {
    "reworded": REWORDED,
    "close": CLOSE,
    "qualified": QUALIFIED,
    "vague": VAGUE,
    "unrelated": UNRELATED,
    "misread": MISREAD,
    "formatted": FORMATTED,
}


RIGHT_AT_80 = 36  # of the 183 questions above: 25 close rewordings, 2 qualified and the 9 formatted ones


def _measured(runner, tmp_path: Path, *more: str) -> tuple[dict[str, int], list[str], dict]:
    """(right fills by group, the wrong fills, the report) of `answers fill` on the example."""
    questions = [(group, q, ok) for group, rows in MEASURED.items() for q, ok in rows]
    path = _one_sheet(tmp_path / "measured.xlsx", [[q] for _, q, _ in questions] + [[h] for h in HEADINGS])
    result, _ = fill_sheet(runner, EXAMPLE, path, "--format", "json", *more)
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.stdout)
    right = dict.fromkeys(MEASURED, 0)
    wrong = []
    for row in report["filled"]:
        group, question, answers = questions[row["row"] - 2]
        if row["answer"] in answers:
            right[group] += 1
        else:
            wrong.append(f"{question!r} -> {row['answer']} ({row['score']})")
    return right, wrong, report


def test_matching_by_wording_measured_on_the_example(runner, tmp_path: Path) -> None:
    right, wrong, report = _measured(runner, tmp_path)
    assert wrong == []  # at the default --min-score, no question gets a wrong answer
    assert sum(right.values()) >= RIGHT_AT_80, right
    assert right["unrelated"] == 0 and right["formatted"] == len(FORMATTED)
    first_heading = 2 + sum(len(rows) for rows in MEASURED.values())
    assert report["not_questions"] == list(range(first_heading, first_heading + len(HEADINGS)))
    # the words both questions must share keep the wrong answers out, not the score: none at 60 either
    assert _measured(runner, tmp_path, "--min-score", "60")[1] == []


# Numbering, ids and standards.
NUMBERED = """\
id: supplier-register
question: Do you keep a register of your suppliers?
answer: "yes"
explanation: We keep one, and review it each year.
visibility: public
refs:
  vsa: ["1.1"]
  sig-lite: [A.1]
reviewed_on: 2026-10-01
"""


def test_a_questionnaires_own_numbering_is_no_question_id(runner, repo: Path, tmp_path: Path) -> None:
    write(repo, "answers/supplier-register.yaml", NUMBERED)
    rows = [["1.1 Do you have cyber insurance?"], ["A.1 Is your company profitable?"], ["IAM-14.1 Do you use MFA?"]]
    path = _one_sheet(tmp_path / "numbered.xlsx", rows)
    for standard in ([], ["--standard", "caiq-v4"], ["--standard", "vsa"]):
        result, _ = fill_sheet(runner, repo, path, "--format", "json", *standard)
        assert result.exit_code == ExitCode.OK, result.output
        filled = [(r["row"], r["answer"], r["standard"], r["question_id"]) for r in json.loads(result.stdout)["filled"]]
        # "1.1" and "A.1" open the question as VSA and SIG Lite ids would: only CAIQ's shape counts there
        assert filled == ([] if standard[1:] == ["vsa"] else [(4, "mfa", "caiq-v4", "IAM-14.1")]), standard


@pytest.mark.parametrize(("standard", "cell"), [("sig-lite", "A.1"), ("vsa", "1.1")])
def test_sig_lite_and_vsa_ids_come_from_the_id_column_with_their_standard(
    runner, repo: Path, tmp_path: Path, standard: str, cell: str
) -> None:
    write(repo, "answers/supplier-register.yaml", NUMBERED)
    path = _one_sheet(tmp_path / "ids.xlsx", [["Is there a register?", None, None, cell]])
    without, _ = fill_sheet(runner, repo, path, "--id-column", "D")  # CAIQ's ids only: "A.1" is none of them
    assert "Filled 0 of 1 questions" in without.stdout
    result, out = fill_sheet(runner, repo, path, "--id-column", "D", "--standard", standard)
    assert result.exit_code == ExitCode.OK, result.output
    assert f"  row 2: supplier-register, by {standard} id {cell}\n" in result.stdout
    assert openpyxl.load_workbook(out)["Q"]["B2"].value == "Yes"


def test_with_a_standard_only_its_ids_are_looked_up(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    result = fill(runner, repo, questionnaire, tmp_path / "filled.xlsx", "--standard", "sig-lite", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert [r["row"] for r in json.loads(result.stdout)["filled"] if r["how"] == "id"] == []


# What goes into the cells.
def test_text_is_written_as_text_never_as_a_formula(runner, repo: Path, tmp_path: Path) -> None:
    write(
        repo,
        "answers/formula.yaml",
        'id: formula\nquestion: Do you count visits?\nanswer: "no"\n'
        'explanation: \'=HYPERLINK("https://attacker.test/","click")\'\nvisibility: nda\nreviewed_on: 2026-10-01\n',
    )
    result, out = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", [["Do you count visits?"]]))
    assert result.exit_code == ExitCode.OK, result.output
    cell = openpyxl.load_workbook(out)["Q"]["C2"]
    assert (cell.value, cell.data_type) == ('=HYPERLINK("https://attacker.test/","click")', "s")
    with zipfile.ZipFile(out) as archive:
        assert b"<f>" not in archive.read("xl/worksheets/sheet1.xml")


def test_explanations_read_as_plain_text_in_a_cell(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    edit(repo, "answers/backups.yaml", "explanation: Backups run daily;", "explanation: Partly. Backups run daily;")
    edit(
        repo,
        "answers/mfa.yaml",
        "explanation: Every person on our team signs in with a hardware key.",
        "explanation: |\n  Every person signs in with a hardware key:\n\n  - staff\n  - contractors\n\n"
        "  See our [access policy](https://example.com/access) or <https://example.com/keys>.",
    )
    out = tmp_path / "filled.xlsx"
    assert fill(runner, repo, questionnaire, out, "--standard", "caiq-v4").exit_code == ExitCode.OK
    explanations = _cells(out, "D")
    assert explanations[10] == "Partly. Backups run daily; restore tests start next quarter."  # never "Partly: Partly."
    assert explanations[4] == (
        "Every person signs in with a hardware key:\n- staff\n- contractors\n"
        "See our access policy (https://example.com/access) or https://example.com/keys."
    )


def test_partly_is_said_once() -> None:
    assert cells.partly("Backups run daily.") == "Partly: Backups run daily."
    assert cells.partly("Partly. Backups run daily.") == "Partly. Backups run daily."
    assert cells.partly("partially: backups run daily.") == "partially: backups run daily."
    assert cells.partly("Partlyish backups.") == "Partly: Partlyish backups."


# The rows and the sheet.
def test_hidden_rows_are_filled_and_marked(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(questionnaire)
    book["Questions"].row_dimensions[4].hidden = True  # by hand or by a filter: Excel saves both so
    book.save(questionnaire)
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--standard", "caiq-v4")
    assert "  row 4 (hidden): mfa, by caiq-v4 id IAM-14.1\n" in result.stdout
    assert "  row 3: encryption-at-rest, by caiq-v4 id CEK-03.1\n" in result.stdout
    report = json.loads(fill(runner, repo, questionnaire, out, "--format", "json").stdout)
    assert [r["row"] for r in report["filled"] if r["hidden"]] == [4]


def test_a_stray_cell_far_down_the_sheet_costs_nothing(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    book = openpyxl.load_workbook(questionnaire)
    book["Questions"]["H1048576"] = "x"  # the last row of a sheet
    book.save(questionnaire)
    out = tmp_path / "filled.xlsx"
    started = time.perf_counter()
    result = fill(runner, repo, questionnaire, out)
    assert result.exit_code == ExitCode.OK, result.output
    assert time.perf_counter() - started < 10  # 20 s when every row down to it was read
    assert out.stat().st_size < 2 * questionnaire.stat().st_size  # not 300 times: no empty rows made
    assert "Filled 7 of 10 questions" in result.stdout


def test_a_column_without_questions_is_warned_about(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    args = ["answers", "fill", str(questionnaire), "-o", str(tmp_path / "f.xlsx"), "--root", str(repo)]
    result = runner.invoke(cli.cli, [*args, "--question-column", "F", "--answer-column", "C"])
    assert result.exit_code == ExitCode.OK, result.output
    assert (
        "warning: column F of sheet 'Questions' holds no question from row 2 down: "
        "check --question-column, --first-row and --sheet\n"
    ) in result.stderr
    assert "Filled 0 of 0 questions" in result.stdout


# Which answers.
def test_public_answers_only_when_asked(runner, repo: Path, questionnaire: Path, tmp_path: Path) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--visibility", "public", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.stdout)
    assert report["visibility"] == ["public"]
    assert _cells(out, "C")[3] is None  # CEK-03.1: only the nda encryption-at-rest answers it
    assert "encryption-at-rest" not in result.stdout and _cells(out, "C")[4] == "Yes"


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ("internal", "internal answers never go into a customer's questionnaire: use public or nda"),
        ("public,internal", "internal answers never go into a customer's questionnaire"),
        ("", "no visibility named: name one, or leave the option out for public,nda"),
        (",", "no visibility named"),
        ("secret", "'secret': choose from public, nda"),
    ],
)
def test_visibility_mistakes_are_usage_errors(
    runner, repo: Path, questionnaire: Path, tmp_path: Path, value: str, message: str
) -> None:
    out = tmp_path / "filled.xlsx"
    result = fill(runner, repo, questionnaire, out, "--visibility", value)
    assert result.exit_code == ExitCode.USAGE, result.output
    assert message in result.stderr and not out.exists()


@pytest.mark.parametrize("value", ["nan", "NaN", "-1", "101", "inf"])
def test_min_score_is_a_number_from_0_to_100(runner, repo: Path, questionnaire: Path, tmp_path: Path, value) -> None:
    result = fill(runner, repo, questionnaire, tmp_path / "filled.xlsx", "--min-score", value, "--format", "json")
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "--min-score" in result.stderr


# What the copy keeps.
def test_shapes_buttons_and_drop_downs_from_another_sheet_are_named_when_lost(
    runner, repo: Path, tmp_path: Path
) -> None:
    import xlsxwriter

    path = tmp_path / "shapes.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Q")
    sheet.write_row(0, 0, ["Question", "Answer", "Explanation"])
    sheet.write(1, 0, "Is customer data deleted when a customer leaves?")
    sheet.insert_textbox("E2", "Instructions: answer Yes or No.")
    sheet.insert_button("E8", {"caption": "Submit", "macro": "Submit"})
    sheet.insert_image("E12", "dot.png", {"image_data": io.BytesIO(_png())})  # kept
    book.close()
    _with_x14_drop_down(path)
    result, out = fill_sheet(runner, repo, path, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert set(json.loads(result.stdout)["not_kept"]) == {
        "drop-down lists drawn from another sheet",
        "shapes and text boxes",
        "form controls (buttons, check boxes)",
    }
    with zipfile.ZipFile(out) as archive:
        assert any(name.startswith("xl/media/") for name in archive.namelist())
    text, _ = fill_sheet(runner, repo, path)
    assert "\nNot kept in " in text.stdout and "the original's drop-down lists drawn from another sheet" in text.stdout


def _png() -> bytes:
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (4, 4), "red").save(buffer, format="PNG")
    return buffer.getvalue()


def _with_x14_drop_down(path: Path) -> None:
    """Add the form Excel 2010 and later save a drop-down in when its choices are on another sheet."""
    ext = (
        '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
        'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
        '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
        '<x14:dataValidation type="list" allowBlank="1"><x14:formula1><xm:f>Lists!$A$1:$A$3</xm:f>'
        "</x14:formula1><xm:sqref>B2:B100</xm:sqref></x14:dataValidation></x14:dataValidations></ext></extLst>"
    )
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            if item.filename == "xl/worksheets/sheet1.xml":
                data = data.replace(b"</worksheet>", ext.encode() + b"</worksheet>")
            archive.writestr(item, data)


@pytest.mark.parametrize(
    ("message", "kind"),
    [
        ("Data Validation extension is not supported and will be removed", "drop-down lists drawn from another sheet"),
        ("Conditional Formatting extension is not supported and will be removed", "conditional formats (data bars, icon sets)"),
        ("Workbook contains no default style, apply openpyxl's default", None),
        ("Something new", "what openpyxl warned about (Something new)"),
    ],
)  # fmt: skip
def test_openpyxl_warnings_in_words(message: str, kind: str | None) -> None:
    assert keep.warned(message) == kind


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
        ("SI-1a Is ...", None),  # a VSA id counts only from the id column: here it is words
        ("DES-56 encryption of our data?", None),  # a word, not a question id
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
    questions = [f"Is topic {n * 7} in place for control number {n % 60}?" for n in range(300)]
    started = time.perf_counter()
    found = [matching.match(library, q) for q in questions]
    assert time.perf_counter() - started < 1.0
    assert sum(m.answer is not None for m in found) > 0
