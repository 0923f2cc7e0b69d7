"""`plaintrust answers export`: the answer library as CSV, XLSX or JSON, per answer or per question
of a standard questionnaire, with what holds and what needs attention before sending.

The library below is laid over tests/cases/base (judged on 2026-11-22): AC-01 is verified there and
its policies are drafts, so `mfa` holds and `policy-backed` does not; `old-review` was reviewed more
than a year ago (answer_review: annual).
"""

from __future__ import annotations

import csv
import io
import json
import zipfile
from pathlib import Path

import pytest
from openpyxl import load_workbook

from helpers import edit, write
from plaintrust import cli, schemas
from plaintrust.actions.answers import export
from plaintrust.errors import ExitCode

ANSWERS = {
    "answers/01-mfa.yaml": """\
id: mfa
question: Do you require multi-factor authentication?
answer: yes
explanation: Every person signs in with a **hardware key**.
visibility: public
controls: [AC-01]
refs:
  caiq-v4: [IAM-14.1]
  sig-lite: [H.1]
reviewed_on: 2026-10-01
""",
    "answers/02-encryption.yaml": """\
id: encryption
question: Is customer data encrypted when stored?
answer: partial
explanation: |
  Databases are *encrypted* at rest.

  Backups will be by March.
visibility: nda
refs:
  caiq-v4: [CEK-03.1, A&A-01.1]
reviewed_on: 2026-10-01
""",
    "answers/03-mfa-admins.yaml": """\
id: mfa-admins
question: Do administrators use multi-factor authentication?
answer: yes
explanation: Administrators sign in with a hardware key too.
visibility: nda
refs:
  caiq-v4: [IAM-14.1]
reviewed_on: 2026-10-01
""",
    "answers/04-secret.yaml": """\
id: secret-plans
question: Do you keep a list of unfinished plans?
answer: no
explanation: The plans stay inside the company.
visibility: internal
refs:
  caiq-v4: [BCR-01.1]
reviewed_on: 2026-10-01
""",
    "answers/05-formula.yaml": """\
id: formula
question: "=HYPERLINK(\\"https://attacker.test\\") Do you count?"
answer: n/a
explanation: "@SUM(A1) is not how we count."
visibility: nda
refs:
  caiq-v4: [DSP-01.1]
  sig-lite: [A.1]
reviewed_on: 2026-10-01
""",
    "answers/06-old.yaml": """\
id: old-review
question: Do you run a bug bounty?
answer: no
explanation: Not yet.
visibility: public
reviewed_on: 2025-01-01
""",
    "answers/07-policy.yaml": """\
id: policy-backed
question: Do you have an access control policy?
answer: yes
explanation: Yes, it is written down.
visibility: public
policies: [access-control]
reviewed_on: 2026-10-01
""",
}


@pytest.fixture
def library(base_repo: Path) -> Path:
    for rel, text in ANSWERS.items():
        write(base_repo, rel, text)
    return base_repo


def run(runner, repo: Path, *args: str):
    return runner.invoke(cli.cli, ["answers", "export", "--root", str(repo), *args])


def rows(result) -> list[dict[str, str]]:
    assert result.exit_code == ExitCode.OK, result.output
    return list(csv.DictReader(io.StringIO(result.stdout_bytes.decode("utf-8"), newline="")))


def test_csv_has_one_row_per_shared_answer_in_path_order(runner, library: Path) -> None:
    found = rows(run(runner, library))
    assert [r["id"] for r in found] == ["mfa", "encryption", "mfa-admins", "formula", "old-review", "policy-backed"]
    assert list(found[0]) == export.ANSWER_HEADERS
    assert found[0] == {
        "id": "mfa",
        "question": "Do you require multi-factor authentication?",
        "answer": "yes",
        "explanation": "Every person signs in with a hardware key.",  # plain text: no Markdown
        "visibility": "public",
        "controls": "AC-01",
        "policies": "",
        "caiq-v4": "IAM-14.1",
        "sig-lite": "H.1",
        "vsa": "",
        "reviewed_on": "2026-10-01",
        "review_due": "2027-10-01",
        "holds": "yes",
        "needs_attention": "",
    }
    # a line per paragraph, as a cell shows it
    assert found[1]["explanation"] == "Databases are encrypted at rest.\nBackups will be by March."
    assert found[1]["caiq-v4"] == "CEK-03.1; A&A-01.1"


def test_csv_is_utf8_with_crlf_lines_like_the_gap_report(runner, library: Path) -> None:
    data = run(runner, library).stdout_bytes
    assert data.startswith(b"id,question,answer,") and data.count(b"\r\n") == 7
    # the only other line break is the one inside a quoted explanation, as spreadsheets write it
    assert data.replace(b"\r\n", b"").count(b"\n") == 1 and b'"Databases are encrypted at rest.\nBackups' in data


def test_an_answer_that_does_not_hold_says_why_and_is_still_exported(runner, library: Path) -> None:
    result = run(runner, library)
    by_id = {r["id"]: r for r in rows(result)}
    assert (by_id["old-review"]["holds"], by_id["old-review"]["needs_attention"]) == (
        "no",
        "its review has been due since 2026-01-01",
    )
    assert (by_id["policy-backed"]["holds"], by_id["policy-backed"]["needs_attention"]) == (
        "no",
        "policy access-control is a draft",
    )
    assert "warning: answer old-review does not hold: its review has been due since 2026-01-01\n" in result.stderr
    assert "warning: answer policy-backed does not hold: policy access-control is a draft\n" in result.stderr
    assert "[answer-review-overdue]" in result.stderr  # the check's own warnings, on standard error too
    assert "does not hold" not in result.stdout


def test_csv_cells_never_start_a_formula(runner, library: Path) -> None:
    by_id = {r["id"]: r for r in rows(run(runner, library))}
    assert by_id["formula"]["question"] == '\'=HYPERLINK("https://attacker.test") Do you count?'
    assert by_id["formula"]["explanation"] == "'@SUM(A1) is not how we count."


def test_caiq_rows_follow_the_questionnaire_and_its_answer_words(runner, library: Path) -> None:
    found = rows(run(runner, library, "--standard", "caiq-v4"))
    assert list(found[0]) == export.STANDARD_HEADERS
    assert [r["Question ID"] for r in found] == ["A&A-01.1", "CEK-03.1", "DSP-01.1", "IAM-14.1"]
    assert [r["Answer"] for r in found] == ["No", "No", "NA", "Yes"]
    partial = found[0]
    assert partial["Explanation"] == "Partly: Databases are encrypted at rest.\nBackups will be by March."
    assert (partial["Our question"], partial["Answer id"]) == ("Is customer data encrypted when stored?", "encryption")


def test_a_partial_answer_says_partly_once(runner, library: Path) -> None:
    edit(library, "answers/02-encryption.yaml", "  Databases are *encrypted*", "  Partly. Databases are *encrypted*")
    found = rows(run(runner, library, "--standard", "caiq-v4"))
    assert found[0]["Explanation"] == "Partly. Databases are encrypted at rest.\nBackups will be by March."


def test_links_keep_their_address_and_lists_their_lines(runner, library: Path) -> None:
    edit(
        library,
        "answers/06-old.yaml",
        "explanation: Not yet.",
        "explanation: |\n  Not yet. Read [our plan](https://example.com/plan), or <https://example.com/faq>:\n\n"
        "  - first, a scope\n  - then a budget\n\n  Mail [help@example.org](mailto:help@example.org).",
    )
    by_id = {r["id"]: r for r in rows(run(runner, library))}
    assert by_id["old-review"]["explanation"] == (
        "Not yet. Read our plan (https://example.com/plan), or https://example.com/faq:\n"
        "- first, a scope\n- then a budget\nMail help@example.org."
    )


def test_agreeing_answers_on_one_question_make_one_row_naming_them_all(runner, library: Path) -> None:
    found = rows(run(runner, library, "--standard", "caiq-v4"))
    (mfa,) = [r for r in found if r["Question ID"] == "IAM-14.1"]
    assert mfa["Answer id"] == "mfa; mfa-admins"
    assert (mfa["Explanation"], mfa["Our question"]) == (
        "Every person signs in with a hardware key.",
        "Do you require multi-factor authentication?",
    )


def test_sig_lite_writes_its_own_words(runner, library: Path) -> None:
    found = rows(run(runner, library, "--standard", "sig-lite"))
    assert [(r["Question ID"], r["Answer"]) for r in found] == [("A.1", "N/A"), ("H.1", "Yes")]


def test_sig_lite_and_vsa_rows_follow_their_numbers(runner, library: Path) -> None:
    edit(library, "answers/01-mfa.yaml", "  sig-lite: [H.1]", "  sig-lite: [H.1, A.10, A.1.10]\n  vsa: ['10', '1.10']")
    edit(library, "answers/05-formula.yaml", "  sig-lite: [A.1]", "  sig-lite: [A.1, A.9, A.1.2]\n  vsa: ['9', '1.2']")
    assert [r["Question ID"] for r in rows(run(runner, library, "--standard", "sig-lite"))] == [
        *("A.1", "A.1.2", "A.1.10", "A.9", "A.10", "H.1")
    ]
    assert [r["Question ID"] for r in rows(run(runner, library, "--standard", "vsa"))] == ["1.2", "1.10", "9", "10"]


def test_an_export_without_rows_says_so(runner, library: Path) -> None:
    result = run(runner, library, "--standard", "vsa")
    assert rows(result) == []
    assert (
        "warning: no exported answer (public, nda) cites vsa: standard output holds no rows; "
        "add vsa ids to the answers' refs\n"
    ) in result.stderr
    assert "exported" not in result.stderr.replace("no exported answer", "")


@pytest.mark.parametrize(
    ("given", "ids"),
    [
        ([], ["mfa", "encryption", "mfa-admins", "formula", "old-review", "policy-backed"]),
        (["--visibility", "public"], ["mfa", "old-review", "policy-backed"]),
        (["--visibility", "nda"], ["encryption", "mfa-admins", "formula"]),
        (["--visibility", "internal"], ["secret-plans"]),
        (["--visibility", "public,internal"], ["mfa", "secret-plans", "old-review", "policy-backed"]),
        (["--visibility", "internal", "--visibility", "nda"], ["encryption", "mfa-admins", "secret-plans", "formula"]),
    ],
)
def test_visibility_filters_and_internal_only_when_named(
    runner, library: Path, given: list[str], ids: list[str]
) -> None:
    assert [r["id"] for r in rows(run(runner, library, *given))] == ids


def test_internal_answers_stay_out_of_every_format_by_default(runner, library: Path, tmp_path: Path) -> None:
    for fmt in export.FORMATS:
        target = tmp_path / f"out.{fmt}"
        assert run(runner, library, "--format", fmt, "-o", str(target)).exit_code == ExitCode.OK
        data = target.read_bytes()
        text = _xlsx_text(data) if fmt == "xlsx" else data.decode("utf-8")
        assert "secret-plans" not in text and "unfinished plans" not in text and "inside the company" not in text


def _xlsx_text(data: bytes) -> str:
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return "".join(archive.read(name).decode("utf-8") for name in archive.namelist())


def test_an_unknown_visibility_is_a_usage_error(runner, library: Path) -> None:
    result = run(runner, library, "--visibility", "public,secret")
    assert result.exit_code == ExitCode.USAGE and "'secret'" in result.output


@pytest.mark.parametrize("value", ["", ",", " , "])
def test_an_empty_visibility_is_a_usage_error_not_the_default(runner, library: Path, value: str) -> None:
    result = run(runner, library, "--visibility", value)  # an unset shell variable, meant as "public"
    assert result.exit_code == ExitCode.USAGE, result.output
    assert "no visibility named: name one, or leave the option out for public,nda" in result.output


@pytest.mark.parametrize("standard", [None, "caiq-v4"])
def test_json_is_valid_against_its_schema(runner, library: Path, standard: str | None) -> None:
    result = run(runner, library, "--format", "json", *(["--standard", standard] if standard else []))
    assert result.exit_code == ExitCode.OK, result.output
    data = json.loads(result.stdout)
    assert list(schemas.validator("answers-export").iter_errors(data)) == []
    assert schemas.is_valid("answers-export", data)
    assert (data["generated"], data["standard"], data["visibility"]) == ("2026-11-22", standard, ["public", "nda"])


def test_json_per_answer_keeps_lists_and_booleans(runner, library: Path) -> None:
    data = json.loads(run(runner, library, "--format", "json").stdout)
    assert list(data) == ["format", "generated", "standard", "visibility", "answers"]
    encryption = data["answers"][1]
    assert encryption["refs"] == {"caiq-v4": ["CEK-03.1", "A&A-01.1"]}
    assert (encryption["holds"], encryption["needs_attention"]) == (True, [])
    assert data["answers"][4]["needs_attention"] == ["its review has been due since 2026-01-01"]


def test_json_rows_name_every_answer_behind_a_question(runner, library: Path) -> None:
    data = json.loads(run(runner, library, "--format", "json", "--standard", "caiq-v4").stdout)
    (row,) = [r for r in data["rows"] if r["question_id"] == "IAM-14.1"]
    assert row["answer_ids"] == ["mfa", "mfa-admins"] and row["answer"] == "Yes" and row["holds"] is True


def test_xlsx_is_one_sheet_with_a_bold_frozen_header(runner, library: Path, tmp_path: Path) -> None:
    target = tmp_path / "caiq.xlsx"
    result = run(runner, library, "--format", "xlsx", "--standard", "caiq-v4", "-o", str(target))
    assert result.exit_code == ExitCode.OK, result.output
    book = load_workbook(target)
    assert book.sheetnames == ["CAIQ v4"]
    sheet = book["CAIQ v4"]
    assert [c.value for c in sheet[1]] == export.STANDARD_HEADERS and sheet["A1"].font.b
    assert sheet.freeze_panes == "A2" and sheet.column_dimensions["C"].width > 60
    assert [sheet.cell(row, 1).value for row in range(2, 6)] == ["A&A-01.1", "CEK-03.1", "DSP-01.1", "IAM-14.1"]
    formula = sheet["D4"]  # DSP-01.1's "Our question": text in the workbook, never a formula
    assert formula.value.startswith("=HYPERLINK") and formula.data_type == "s"


def test_xlsx_without_a_standard_is_the_answers_sheet(runner, library: Path, tmp_path: Path) -> None:
    target = tmp_path / "answers.xlsx"
    assert run(runner, library, "--format", "xlsx", "-o", str(target)).exit_code == ExitCode.OK
    sheet = load_workbook(target)["Answers"]
    assert [c.value for c in sheet[1]] == export.ANSWER_HEADERS and sheet.max_row == 7


def test_xlsx_needs_an_output_file(runner, library: Path) -> None:
    result = run(runner, library, "--format", "xlsx")
    assert result.exit_code == ExitCode.USAGE and "-o FILE.xlsx" in result.output


@pytest.mark.parametrize("fmt", export.FORMATS)
def test_the_same_library_gives_the_same_bytes(runner, library: Path, tmp_path: Path, fmt: str) -> None:
    first, second = tmp_path / f"1.{fmt}", tmp_path / f"2.{fmt}"
    for target in (first, second):
        assert run(runner, library, "--format", fmt, "--standard", "caiq-v4", "-o", str(target)).exit_code == 0
    assert first.read_bytes() == second.read_bytes()


def test_source_date_epoch_sets_the_day(runner, library: Path, tmp_path: Path, monkeypatch) -> None:
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1796126400")  # 2026-12-01 12:00 UTC
    data = json.loads(run(runner, library, "--format", "json").stdout)
    assert data["generated"] == "2026-12-01"
    target = tmp_path / "answers.xlsx"
    assert run(runner, library, "--format", "xlsx", "-o", str(target)).exit_code == ExitCode.OK
    with zipfile.ZipFile(target) as archive:
        assert "2026-12-01T00:00:00Z" in archive.read("docProps/core.xml").decode("utf-8")


def test_a_repository_with_errors_exports_nothing(runner, library: Path, tmp_path: Path) -> None:
    write(
        library,
        "answers/08-broken.yaml",
        ANSWERS["answers/06-old.yaml"].replace("old-review", "broken") + "controls: [AC-99]\n",
    )
    target = tmp_path / "out.csv"
    result = run(runner, library, "-o", str(target))
    assert result.exit_code == ExitCode.FINDINGS
    assert "[answer-link]" in result.stderr and "nothing was exported" in result.stderr
    assert not target.exists()
    assert run(runner, library).stdout == ""  # nor anything on standard output


@pytest.mark.parametrize("target", ["answers/01-mfa.yaml", "answers/new.csv", "site/answers.csv"])
def test_output_onto_an_input_is_refused(runner, library: Path, target: str) -> None:
    before = (library / "answers/01-mfa.yaml").read_bytes()
    result = run(runner, library, "-o", str(library / target))
    assert result.exit_code == ExitCode.USAGE and "nothing was written" in result.output
    assert (library / "answers/01-mfa.yaml").read_bytes() == before
    assert not (library / "answers/new.csv").exists() and not (library / "site/answers.csv").exists()
