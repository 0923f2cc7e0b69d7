"""`plaintrust answers fill` on the workbooks customers send: numbered sections, drop-down lists in
their many forms, formulas, checklists, drawings; and the report's wording about them."""

from __future__ import annotations

import json
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation

from plaintrust import cli
from plaintrust.actions.answers import dropdowns, keep
from plaintrust.errors import ExitCode
from test_answers_fill import _one_sheet, _repo, _with_x14_drop_down, fill_sheet

DELETED = "Is customer data deleted when a customer leaves?"  # the test library's data-deletion: a yes
INCIDENTS = "Is there a documented security incident response plan?"  # incident-response: a yes, overdue


@pytest.fixture
def repo(base_repo: Path) -> Path:
    """The test library of test_answers_fill: answers to fill from, one of them overdue for review."""
    return _repo(base_repo)


def _answers(out: Path) -> dict[int, object]:
    sheet = openpyxl.load_workbook(out)["Q"]
    return {row: sheet.cell(row, 2).value for row in range(2, sheet.max_row + 1)}


def _patched(path: Path, part: str, old: bytes, new: bytes) -> Path:
    """The workbook with one part's bytes replaced, as another program would have saved it."""
    with zipfile.ZipFile(path) as archive:
        parts = [(item, archive.read(item.filename)) for item in archive.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for item, data in parts:
            archive.writestr(item, data.replace(old, new) if item.filename == part else data)
    return path


# Which rows are questions.
def test_numbered_section_rows_are_headings_unless_an_answer_cites_their_id(runner, repo: Path, tmp_path: Path) -> None:
    rows = [
        ["Incident Response", None, None, "5"],  # a section's number: no answer cites it
        [INCIDENTS, None, None, "5.1"],
        ["Backups", None, None, "BCR-08.1"],  # short, but an id an answer cites: a question
        ["Data Deletion", None, None, "6"],
        [DELETED, None, None, "6.1"],
    ]
    path = _one_sheet(tmp_path / "q.xlsx", rows)
    result, out = fill_sheet(runner, repo, path, "--id-column", "D", "--standard", "caiq-v4", "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    report = json.loads(result.stdout)
    assert report["not_questions"] == [2, 5]
    assert [(r["row"], r["how"]) for r in report["filled"]] == [(3, "text"), (4, "id"), (6, "text")]
    assert _answers(out) == {2: None, 3: "Yes", 4: "No", 5: None, 6: "Yes"}


def test_a_short_row_with_a_drop_down_is_a_checklist_question(runner, repo: Path, tmp_path: Path) -> None:
    rows = [["Encryption at rest"], ["Backups"], ["Incident response"]]
    path = _one_sheet(tmp_path / "q.xlsx", rows)
    result, _ = fill_sheet(runner, repo, path, "--format", "json")
    assert json.loads(result.stdout)["not_questions"] == [2, 3, 4]  # no drop-down: headings
    book = openpyxl.load_workbook(path)
    choices = DataValidation(type="list", formula1='"Yes,No"')
    book["Q"].add_data_validation(choices)
    choices.add("B2:B3")
    book.save(path)
    result, _ = fill_sheet(runner, repo, path, "--format", "json")
    report = json.loads(result.stdout)
    assert (report["not_questions"], report["counts"]["questions"]) == ([4], 2)


def test_a_question_written_as_a_formula_is_read_as_its_saved_value(runner, repo: Path, tmp_path: Path) -> None:
    import xlsxwriter

    path = tmp_path / "q.xlsx"
    book = xlsxwriter.Workbook(str(path))
    sheet, master = book.add_worksheet("Q"), book.add_worksheet("Master")
    sheet.write_row(0, 0, ["Question", "Answer"])
    sheet.write_formula(1, 0, "=Master!A1", None, DELETED)  # the value Excel saves with the formula
    master.write(0, 0, DELETED)
    book.close()
    result, out = fill_sheet(runner, repo, path)
    assert result.exit_code == ExitCode.OK, result.output
    assert _answers(out)[2] == "Yes"
    assert openpyxl.load_workbook(out)["Q"]["A2"].value == "=Master!A1"  # the formula stays


def test_a_formula_without_a_saved_value_is_reported_not_read(runner, repo: Path, tmp_path: Path) -> None:
    path = _one_sheet(tmp_path / "q.xlsx", [["=Master!A1"], ["=Master!A2"]])  # openpyxl saves no values
    result, _ = fill_sheet(runner, repo, path)
    assert result.exit_code == ExitCode.OK, result.output
    assert (
        "\nNot read:\n  rows 2, 3: the question is a formula with no saved value, not read: open the workbook in "
        "a spreadsheet program, save it, and fill again\n"
    ) in result.stdout
    assert "Not questions" not in result.stdout
    assert (
        "warning: column A of sheet 'Q' holds its questions as formulas with no saved value (rows 2, 3): "
        "open the workbook in a spreadsheet program, save it, and fill again\n"
    ) in result.stderr
    assert json.loads(fill_sheet(runner, repo, path, "--format", "json")[0].stdout)["not_read"] == [2, 3]


def test_the_no_question_warning_says_what_the_column_held(runner, repo: Path, tmp_path: Path) -> None:
    path = _one_sheet(tmp_path / "q.xlsx", [["Incident Response"], ["Access Control"]])
    result, _ = fill_sheet(runner, repo, path)
    assert (
        "warning: column A of sheet 'Q' holds no question from row 2 down; 2 rows look like headings "
        "(rows 2, 3): check --question-column, --first-row and --sheet\n"
    ) in result.stderr


# Drop-down lists.
def _with_lists(path: Path, formula: str, words: tuple[str, ...] = ("Y", "N", "NA")) -> Path:
    """A one-question sheet whose answer cell has a drop-down drawn from sheet "Lists" (or named)."""
    _one_sheet(path, [[DELETED]])
    book = openpyxl.load_workbook(path)
    lists = book.create_sheet("Lists")
    for row, word in enumerate(words, start=1):
        lists.cell(row, 1).value = word
    book.defined_names["Choices"] = DefinedName("Choices", attr_text="Lists!$A:$A")
    choices = DataValidation(type="list", formula1=formula)
    book["Q"].add_data_validation(choices)
    choices.add("B2")
    book.save(path)
    return path


@pytest.mark.parametrize(
    "formula",
    ["Lists!$A:$A", "Lists!A:A", "Lists!$A$1:$A$2000", "choices", "CHOICES", "lists!$A$1:$A$3", "=Lists!$A$1:$A$3"],
)
def test_a_drop_down_drawn_from_a_whole_column_a_long_range_or_a_name_in_any_case(
    runner, repo: Path, tmp_path: Path, formula: str
) -> None:
    result, out = fill_sheet(runner, repo, _with_lists(tmp_path / "q.xlsx", formula))
    assert result.exit_code == ExitCode.OK, result.output
    assert _answers(out)[2] == "Y", result.stdout  # the list's own word, not "Yes"


def test_a_range_holding_a_table_is_not_read_as_a_list(runner, repo: Path, tmp_path: Path) -> None:
    words = ("Y", "N", *(f"row {n}" for n in range(dropdowns.MAX_CHOICES)))
    result, out = fill_sheet(runner, repo, _with_lists(tmp_path / "q.xlsx", "Lists!$A:$A", words))
    assert _answers(out)[2] is None
    assert (
        "data-deletion: the choices of the answer cell's drop-down list (Lists!$A:$A) cannot be read" in result.stdout
    )


def test_a_drop_down_excel_saves_as_an_extension_gets_its_own_words(runner, repo: Path, tmp_path: Path) -> None:
    path = _with_lists(tmp_path / "q.xlsx", '"Yes,No"')
    book = openpyxl.load_workbook(path)
    book["Q"].data_validations.dataValidation.clear()  # only the extension's list: Lists!$A$1:$A$3, on B2:B100
    book.save(path)
    _with_x14_drop_down(path)
    result, out = fill_sheet(runner, repo, path, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert _answers(out)[2] == "Y"  # not "Yes": the customer's list says Y
    assert json.loads(result.stdout)["not_kept"] == ["drop-down lists drawn from another sheet"]


@pytest.mark.parametrize("sqref", [b"B:B", b"$B:$B", b"A1 B:C", b"2:3"])
def test_a_drop_down_over_whole_columns_or_rows(runner, repo: Path, tmp_path: Path, sqref: bytes) -> None:
    path = _one_sheet(tmp_path / "q.xlsx", [[DELETED]])
    book = openpyxl.load_workbook(path)
    choices = DataValidation(type="list", formula1='"Y,N"')
    book["Q"].add_data_validation(choices)
    choices.add("B2:B9")
    book.save(path)
    _patched(path, "xl/worksheets/sheet1.xml", b'sqref="B2:B9"', b'sqref="' + sqref + b'"')  # openpyxl cannot read it
    result, out = fill_sheet(runner, repo, path)
    assert result.exit_code == ExitCode.OK, result.output
    assert _answers(out)[2] == "Y"
    [kept] = openpyxl.load_workbook(out)["Q"].data_validations.dataValidation
    assert kept.formula1 == '"Y,N"' and "B2" in kept.sqref


def test_a_validation_per_answer_cell_is_read_once_per_list(
    runner, repo: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    rows = 2000
    path = _one_sheet(tmp_path / "q.xlsx", [[DELETED]] * rows)
    book = openpyxl.load_workbook(path)
    for row in range(2, rows + 2):  # as questionnaires generated by a tool have them
        choices = DataValidation(type="list", formula1="Lists!$A$1:$A$3")
        book["Q"].add_data_validation(choices)
        choices.add(f"B{row}")
    lists = book.create_sheet("Lists")
    for row, word in enumerate(("Yes", "No", "N/A"), start=1):
        lists.cell(row, 1).value = word
    book.save(path)
    read, choices_of = [], dropdowns.choices
    monkeypatch.setattr(dropdowns, "choices", lambda sheet, formula: read.append(formula) or choices_of(sheet, formula))
    started = time.perf_counter()
    result, _ = fill_sheet(runner, repo, path)
    assert result.exit_code == ExitCode.OK, result.output
    assert time.perf_counter() - started < 15  # 18 s when each row walked every validation
    assert read == ["Lists!$A$1:$A$3"]
    assert f"Filled {rows} of {rows} questions" in result.stdout


# The report's words.
def test_rows_the_drop_down_kept_blank_have_their_own_section(runner, repo: Path, tmp_path: Path) -> None:
    path = _with_lists(tmp_path / "q.xlsx", '"Compliant,Not compliant"')
    result, _ = fill_sheet(runner, repo, path)
    assert "Left blank" not in result.stdout
    assert (
        "\nMatched, but not written because of the answer cell's drop-down list (choose from the list by hand):\n"
        f"  row 2: {DELETED}\n"
        "      data-deletion: it says yes, and the answer cell's drop-down list offers only Compliant, Not compliant\n"
    ) in result.stdout


def test_words_not_covered_are_cut_to_a_line(runner, repo: Path, tmp_path: Path) -> None:
    long = "Is customer data deleted when a customer leaves, " + " ".join(f"word{n}x" for n in range(300)) + "?"
    result, _ = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", [[long]]))
    assert result.exit_code == ExitCode.OK, result.output
    covered = [line for line in result.stdout.splitlines() if "not covered:" in line]
    assert covered and all(len(line) < 100 and line.endswith("...") for line in covered)


def test_an_overdue_review_reads_as_check_says_it(runner, repo: Path, tmp_path: Path) -> None:
    result, _ = fill_sheet(runner, repo, _one_sheet(tmp_path / "q.xlsx", [[INCIDENTS]]))
    assert (
        "\nCheck these before sending:\n"
        "  incident-response (row 2): last reviewed on 2025-06-01: its review has been due since 2026-06-01\n"
    ) in result.stdout
    checked = runner.invoke(cli.cli, ["check", "--root", str(repo)])
    assert "its review has been due since 2026-06-01" in checked.output


# What the copy keeps.
_SLICER = (
    b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    b'<mc:Choice xmlns:sle15="http://schemas.microsoft.com/office/drawing/2012/slicer" Requires="sle15">'
    b'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>10'
    b"</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col><xdr:colOff>0</xdr:colOff>"
    b'<xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:graphicFrame macro=""><xdr:nvGraphicFramePr>'
    b'<xdr:cNvPr id="9" name="Answer"/><xdr:cNvGraphicFramePr/></xdr:nvGraphicFramePr><xdr:xfrm>'
    b'<a:off x="0" y="0"/><a:ext cx="0" cy="0"/></xdr:xfrm><a:graphic>'
    b'<a:graphicData uri="http://schemas.microsoft.com/office/drawing/2010/slicer">'
    b'<sle:slicer xmlns:sle="http://schemas.microsoft.com/office/drawing/2010/slicer" name="Answer"/>'
    b"</a:graphicData></a:graphic></xdr:graphicFrame><xdr:clientData/></xdr:twoCellAnchor></mc:Choice>"
    b'<mc:Fallback><xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>1</xdr:col><xdr:colOff>0</xdr:colOff>'
    b"<xdr:row>10</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>4</xdr:col><xdr:colOff>0"
    b'</xdr:colOff><xdr:row>20</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink="">'
    b'<xdr:nvSpPr><xdr:cNvPr id="0" name=""/><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/><xdr:txBody><a:bodyPr/>'
    b"<a:p><a:r><a:t>This shape represents a table slicer.</a:t></a:r></a:p></xdr:txBody></xdr:sp>"
    b"<xdr:clientData/></xdr:twoCellAnchor></mc:Fallback></mc:AlternateContent>"
)
# A check box as Excel 2010 and later draw it: a shape naming its legacy form control.
_CHECK_BOX = (
    b'<mc:AlternateContent xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006">'
    b'<mc:Choice xmlns:a14="http://schemas.microsoft.com/office/drawing/2010/main" Requires="a14">'
    b'<xdr:twoCellAnchor editAs="oneCell"><xdr:from><xdr:col>5</xdr:col><xdr:colOff>0</xdr:colOff><xdr:row>1'
    b"</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:from><xdr:to><xdr:col>6</xdr:col><xdr:colOff>0</xdr:colOff>"
    b'<xdr:row>2</xdr:row><xdr:rowOff>0</xdr:rowOff></xdr:to><xdr:sp macro="" textlink=""><xdr:nvSpPr>'
    b'<xdr:cNvPr id="1025" name="Check Box 1" hidden="1"><a:extLst>'
    b'<a:ext uri="{63B3BB69-23CF-44E3-9099-C40C66FF867C}"><a14:compatExt spid="_x0000_s1025"/></a:ext>'
    b"</a:extLst></xdr:cNvPr><xdr:cNvSpPr/></xdr:nvSpPr><xdr:spPr/></xdr:sp><xdr:clientData/>"
    b"</xdr:twoCellAnchor></mc:Choice></mc:AlternateContent>"
)


def _with_chart(path: Path, *drawn: bytes) -> Path:
    """A one-question workbook with a chart (xlsxwriter), and more anchored in its drawing."""
    import xlsxwriter

    book = xlsxwriter.Workbook(str(path))
    sheet = book.add_worksheet("Q")
    sheet.write_row(0, 0, ["Question", "Answer"])
    sheet.write(1, 0, DELETED)
    sheet.write_column(1, 5, [1, 2, 3])
    chart = book.add_chart({"type": "column"})
    chart.add_series({"values": "=Q!$F$2:$F$4"})
    sheet.insert_chart("H2", chart)
    book.close()
    return _patched(path, "xl/drawings/drawing1.xml", b"</xdr:wsDr>", b"".join(drawn) + b"</xdr:wsDr>")


def test_a_kept_chart_beside_a_slicer_or_a_check_box_is_not_reported_lost(runner, repo: Path, tmp_path: Path) -> None:
    path = _with_chart(tmp_path / "q.xlsx", _SLICER, _CHECK_BOX)
    result, out = fill_sheet(runner, repo, path, "--format", "json")
    assert result.exit_code == ExitCode.OK, result.output
    assert json.loads(result.stdout)["not_kept"] == []
    with zipfile.ZipFile(out) as archive:
        assert "xl/charts/chart1.xml" in archive.namelist()


def test_what_a_drawing_anchors() -> None:
    drawing = b'<xdr:wsDr xmlns:xdr="x" xmlns:a="a"><xdr:graphicFrame><a:graphicData uri="http://x/chart"/>'
    drawing += b"</xdr:graphicFrame><xdr:sp/><xdr:pic/>" + _SLICER + _CHECK_BOX + b"</xdr:wsDr>"
    assert +keep._drawn(drawing) == {"charts": 1, "shapes and text boxes": 1, "images": 1}
