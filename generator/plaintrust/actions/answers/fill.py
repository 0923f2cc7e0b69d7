"""`plaintrust answers fill`: a customer's questionnaire workbook, filled in from the answer library.

Each row from `first_row` down whose question cell asks something gets the answer its question
matches (see match.py): the answer word in the answer column and, when asked, the explanation in
the explanation column. A section heading asks nothing (see match.is_question), unless its id is
one an answer cites, or its answer cell has a drop-down list (a checklist's "Backups | Yes/No").
A question cell holding a formula is read as the value the spreadsheet program saved with it. A
cell that already holds something is never overwritten: a row whose answer cell is filled is left
alone and reported as already answered. When the answer cell has a drop-down list, the answer is
written as one of its choices, or not at all (see dropdowns.py). Only public and nda answers are
used (or only public ones, when asked); internal ones never leave the repository.

Only the cells the sheet holds are read, and a cell is made only to be written: a stray value far
down the sheet costs nothing. Text is written as text, never as a formula. The workbook is read and
written with openpyxl: keep.py says what of it the copy keeps, and the report names what it lost.
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plaintrust import answers as judgement
from plaintrust.actions.answers import cells, dropdowns, keep
from plaintrust.actions.answers import match as matching
from plaintrust.errors import Refused
from plaintrust.model import Answer, Model
from plaintrust.questionnaires import standard as standard_named

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SUFFIXES = (".xlsx", ".xlsm")
PLAIN_WORDS = {"yes": "Yes", "no": "No", "partial": "Partial", "n/a": "N/A"}
MAX_COLUMN = 16384  # XFD, the last column a workbook can have
_LETTERS = re.compile(r"[A-Za-z]{1,3}")
# An encrypted (password-protected) workbook is an OLE compound file, as an old .xls is, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")


@dataclass(frozen=True)
class Columns:
    """Where a questionnaire keeps what: columns by letter, and the first row with a question."""

    question: str
    answer: str
    explanation: str | None = None
    id: str | None = None
    first_row: int = 2


@dataclass(frozen=True)
class Row:
    number: int  # as the spreadsheet program shows it
    question: str
    match: matching.Match | None  # None: the answer cell already held something
    hidden: bool = False  # hidden or filtered out: whoever reads the copy does not see it
    unwritten: str | None = None  # why the matched answer was not written (the cell's drop-down)

    @property
    def state(self) -> str:
        if self.match is None:
            return "answered"
        return "filled" if self.match.answer is not None and self.unwritten is None else "blank"


@dataclass(frozen=True)
class Check:
    """A used answer to read again before the questionnaire goes out, and why."""

    answer: Answer
    rows: tuple[int, ...]
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class FillReport:
    workbook: str
    sheet: str
    output: str
    standard: str | None
    min_score: float
    rows: tuple[Row, ...]  # every row with a question, in sheet order
    checks: tuple[Check, ...]  # in order of first use
    not_kept: tuple[str, ...]  # kinds of the original's parts the filled copy lacks ("pivot tables")
    visibility: tuple[str, ...] = judgement.SHARED  # of the answers used
    not_questions: tuple[int, ...] = ()  # rows whose question cell holds a heading, not a question
    not_read: tuple[int, ...] = ()  # rows whose question is a formula with no value saved

    def unwritten(self) -> tuple[Row, ...]:
        """The blank rows an answer was found for, and not written (the answer cell's drop-down)."""
        return tuple(r for r in self.having("blank") if r.unwritten is not None)

    def having(self, state: str) -> tuple[Row, ...]:
        return tuple(r for r in self.rows if r.state == state)

    def confident(self, confidence: str) -> tuple[Row, ...]:
        return tuple(r for r in self.having("filled") if r.match is not None and r.match.confidence == confidence)


def column_index(letters: str, option: str) -> int:
    """The column number of A, B, ..., AA, ...; a usage error for anything else."""
    from openpyxl.utils import column_index_from_string

    if not _LETTERS.fullmatch(letters.strip()):
        raise Refused(f"{letters!r} is not a column: give its letters, such as C or AB", option)
    number = column_index_from_string(letters.strip().upper())
    if number > MAX_COLUMN:
        raise Refused(f"{letters!r} is beyond the last column of a workbook (XFD)", option)
    return number


def check_columns(columns: Columns) -> None:
    """Every column is a column, and the ones written to are no other option's."""
    numbers = {option: column_index(letters, option) for option, letters in _named(columns)}
    for option in ("--answer-column", "--explanation-column"):
        clash = [o for o, n in numbers.items() if option in numbers and o != option and n == numbers[option]]
        if clash:
            raise Refused(f"{option} and {clash[0]} name the same column: answers would overwrite it", option)


def _numbers(columns: Columns) -> dict[str, int]:
    """Column numbers by what the column holds: question, answer, explanation, id."""
    return {option[2:].removesuffix("-column"): column_index(letters, option) for option, letters in _named(columns)}


def _named(columns: Columns) -> list[tuple[str, str]]:
    named = [("--question-column", columns.question), ("--answer-column", columns.answer)]
    optional = (("--explanation-column", columns.explanation), ("--id-column", columns.id))
    return named + [(option, letters) for option, letters in optional if letters is not None]


@dataclass(frozen=True)
class Questionnaire:
    """A customer's workbook, opened, and the sheet whose questions to answer."""

    path: Path
    book: Workbook
    sheet: Worksheet
    warned: tuple[str, ...] = ()  # kinds of part openpyxl said, while reading, it would not keep
    lists: tuple[dropdowns.Listed, ...] = ()  # the sheet's drop-downs that openpyxl dropped


def open_questionnaire(path: Path, sheet: str | None) -> Questionnaire:
    """The workbook at `path`, formulas and styles as written, and its sheet `sheet` (default: the
    first worksheet); a usage error when it is no workbook or has no such sheet."""
    book, warned = _workbook(path)
    chosen = worksheet(book, sheet, path.name)
    return Questionnaire(path, book, chosen, warned, dropdowns.extension_lists(path, chosen.title))


def _workbook(path: Path) -> tuple[Workbook, tuple[str, ...]]:
    if path.suffix.lower() not in SUFFIXES:
        raise Refused(f"{path.name} is not an .xlsx workbook: open it and save it as Excel Workbook (.xlsx)")
    _refuse_unzipped(path)
    try:
        return keep.load(path, keep_vba=path.suffix.lower() == ".xlsm")
    except Exception as exc:  # noqa: BLE001 - a damaged workbook fails deep in openpyxl in many ways; it is bad input
        raise Refused(f"cannot read {path.name} as a workbook ({type(exc).__name__}: {exc})") from None


def _refuse_unzipped(path: Path) -> None:
    try:
        with path.open("rb") as stream:
            head = stream.read(8)
        if zipfile.is_zipfile(path):
            return
        data = path.read_bytes() if head == _OLE_MAGIC else b""
    except OSError as exc:
        raise Refused(f"cannot read {path.name}: {exc.strerror or exc}") from None
    if _ENCRYPTED in data:
        raise Refused(
            f"{path.name} is protected by a password: open it, save a copy without the password "
            "(File > Info > Protect Workbook), and fill the copy"
        )
    if head == _OLE_MAGIC:
        raise Refused(f"{path.name} is an old .xls workbook: open it and save it as Excel Workbook (.xlsx)")
    raise Refused(f"{path.name} is not an .xlsx workbook (it is not a zip archive)")


def worksheet(book: Workbook, name: str | None, shown: str) -> Worksheet:
    """The sheet named `name` (default: the first worksheet); a usage error listing the sheets."""
    sheets = book.worksheets
    if name is None:
        if not sheets:
            raise Refused(f"{shown} has no worksheet, only charts")
        return sheets[0]
    # Spreadsheet programs take sheet names in any case: so does --sheet, when only one fits
    found = [s for s in sheets if s.title == name] or [s for s in sheets if s.title.casefold() == name.casefold()]
    if len(found) == 1:
        return found[0]
    if name in book.sheetnames:
        raise Refused(f"{name!r} in {shown} is a chart sheet: name the sheet holding the questions", "--sheet")
    raise Refused(f"no sheet {name!r} in {shown}; its sheets: {', '.join(book.sheetnames)}", "--sheet")


def fill(
    questionnaire: Questionnaire,
    columns: Columns,
    model: Model,
    standard: str | None,
    min_score: float,
    output: str,
    visibility: Sequence[str] = judgement.SHARED,
) -> tuple[bytes, FillReport]:
    """The filled workbook's bytes (to write to `output`), and the report of what was done to it.
    Only answers whose visibility is one of `visibility` (public, nda) are used."""
    used = tuple(v for v in judgement.SHARED if v in visibility)
    library = matching.library((a for a in model.answers if a.visibility in used), standard)
    rows, headings, unread = _fill(questionnaire, columns, _Answering(library, _words(standard), min_score))
    data = saved(questionnaire.book)
    report = FillReport(
        str(questionnaire.path),
        questionnaire.sheet.title,
        output,
        standard,
        min_score,
        rows,
        checks(rows, model),
        keep.not_kept(questionnaire.path, data, questionnaire.warned),
        used,
        headings,
        unread,
    )
    return data, report


@dataclass(frozen=True)
class _Answering:
    """What every row is answered from, and how."""

    library: matching.Library
    words: dict[str, str]
    min_score: float


def _fill(
    questionnaire: Questionnaire, columns: Columns, answering: _Answering
) -> tuple[tuple[Row, ...], tuple[int, ...], tuple[int, ...]]:
    """The rows with a question, each answered if it can be; the rows holding a heading; and the
    rows whose question is a formula with no saved value."""
    sheet, at = questionnaire.sheet, _numbers(columns)
    questions, unread = _questions(questionnaire, at["question"], columns.first_row)
    lists = dropdowns.index(sheet, at["answer"], (n for n, _ in questions), questionnaire.lists)
    rows, headings = [], []
    for number, question in questions:
        ids = _ids(_value(sheet, number, at["id"])) if "id" in at else ()
        if not _asks(answering.library, question, ids, number in lists):
            headings.append(number)
            continue
        rows.append(_answer(sheet, Row(number, question, None, _hidden(sheet, number)), ids, at, lists, answering))
    return tuple(rows), tuple(headings), unread


def _asks(library: matching.Library, question: str, ids: Sequence[str], drop_down: bool) -> bool:
    """Whether a row asks something: its id is one an answer cites (a section's own number, "5",
    is not), its cell is worded as a question, or its answer cell has a drop-down list (a
    checklist's "Backups" beside Yes/No)."""
    cited = any(qid.casefold() in library.by_id for qid in matching.question_ids(library, question, ids))
    return cited or drop_down or matching.is_question(question)


def _answer(
    sheet: Worksheet,
    row: Row,
    ids: Sequence[str],
    at: dict[str, int],
    lists: dict[int, dropdowns.DropDown],
    answering: _Answering,
) -> Row:
    """The row answered and written, unless its answer cell is taken (a cell merged into another
    counts as taken)."""
    if cells.text(_value(sheet, row.number, at["answer"])) or _merged(sheet, row.number, at["answer"]):
        return row
    found = matching.match(answering.library, row.question, ids, answering.min_score)
    if found.answer is None:
        return replace(row, match=found)
    unwritten = _write(sheet, row.number, at, found.answer, answering.words, lists.get(row.number))
    return replace(row, match=found, unwritten=unwritten)


def _questions(
    questionnaire: Questionnaire, column: int, first_row: int
) -> tuple[list[tuple[int, str]], tuple[int, ...]]:
    """(row, question) of each non-empty cell of the question column from `first_row` down, a
    formula as the value saved with it; and the rows whose formula has none. Only the cells the
    sheet holds are read, so the last question ends the walk."""
    sheet = questionnaire.sheet
    numbers = sorted(row for row, col in sheet._cells if col == column and row >= first_row)
    formulas = [n for n in numbers if sheet._cells[n, column].data_type == "f"]
    saved = _saved(questionnaire, column, formulas) if formulas else {}
    text = {n: cells.text(saved[n] if n in saved else _value(sheet, n, column)) for n in numbers}
    return [(n, text[n]) for n in numbers if text[n]], tuple(n for n in formulas if not text[n])


def _saved(questionnaire: Questionnaire, column: int, rows: list[int]) -> dict[int, Any]:
    """The values the spreadsheet program saved with the formulas of `rows` (openpyxl computes
    none): read from the file a second time, as values."""
    import openpyxl

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # reported on the first reading
        book = openpyxl.load_workbook(keep.readable(questionnaire.path), read_only=True, data_only=True)
    try:
        sheet = book[questionnaire.sheet.title]
        found = sheet.iter_rows(min_row=rows[0], max_row=rows[-1], min_col=column, max_col=column, values_only=True)
        wanted = set(rows)
        return {number: values[0] for number, values in enumerate(found, start=rows[0]) if number in wanted}
    finally:
        book.close()


def _value(sheet: Worksheet, row: int, column: int) -> Any:
    """A cell's value without making the cell: sheet.cell() would add it to the saved copy."""
    cell = sheet._cells.get((row, column))
    return None if cell is None else cell.value


def _hidden(sheet: Worksheet, row: int) -> bool:
    """Whether the row is hidden (by hand, by a filter or in a collapsed group); `get`, as an
    index would add the row to the sheet."""
    dimension = sheet.row_dimensions.get(row)
    return bool(dimension is not None and dimension.hidden)


def _words(standard: str | None) -> dict[str, str]:
    if standard is None:
        return PLAIN_WORDS
    words = standard_named(standard).answer_words
    return {**PLAIN_WORDS, **words, "partial": words["no"]}


def _write(
    sheet: Worksheet,
    number: int,
    at: dict[str, int],
    answer: Answer,
    words: dict[str, str],
    drop_down: dropdowns.DropDown | None,
) -> str | None:
    """Write the answer, and its explanation when there is an empty cell for it; or say why not:
    the answer cell's drop-down offers no choice that says it."""
    word, as_no = words[answer.answer], answer.answer == "partial" and words["partial"] == words["no"]
    if drop_down is not None:
        chosen = cells.choice(answer.answer, drop_down.choices)
        if chosen is None:
            return _no_choice(answer, drop_down)
        word, as_no = chosen
    _put(sheet, number, at["answer"], word)
    column = at.get("explanation")
    if column is not None and not cells.text(_value(sheet, number, column)) and not _merged(sheet, number, column):
        text = cells.explanation(answer)
        _put(sheet, number, column, cells.partly(text) if as_no else text)
    return None


def _no_choice(answer: Answer, drop_down: dropdowns.DropDown) -> str:
    if not drop_down.choices:
        return f"the choices of the answer cell's drop-down list ({drop_down.formula}) cannot be read"
    return f"it says {answer.answer}, and the answer cell's drop-down list offers only {', '.join(drop_down.choices)}"


def _put(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = sheet.cell(row, column)
    cell.value = text
    cell.data_type = "s"  # text, even when it starts with "=", which openpyxl would write as a formula


def _merged(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether the cell lies inside a merged range without being its first: it cannot be written."""
    from openpyxl.cell.cell import MergedCell

    return isinstance(sheet._cells.get((row, column)), MergedCell)


def _ids(value: Any) -> tuple[str, ...]:
    """The question ids an id cell holds: one, or several separated by commas, semicolons or spaces."""
    return tuple(part for part in re.split(r"[\s,;]+", cells.text(value)) if part)


def checks(rows: tuple[Row, ...], model: Model) -> tuple[Check, ...]:
    """The answers used that the evidence does not back today, or whose review is overdue."""
    used: dict[str, tuple[Answer, list[int]]] = {}
    for row in rows:
        if row.state == "filled" and row.match is not None and row.match.answer is not None:
            used.setdefault(row.match.answer.id, (row.match.answer, []))[1].append(row.number)
    found = ((answer, numbers, _reasons(answer, model)) for answer, numbers in used.values())
    return tuple(Check(answer, tuple(numbers), reasons) for answer, numbers, reasons in found if reasons)


def _reasons(answer: Answer, model: Model) -> tuple[str, ...]:
    short = judgement.support(answer, model).short
    reasons = [f"says {answer.answer}, but {', '.join(short)}"] if short else []
    overdue = cells.review_overdue(answer, model)
    if overdue is not None:
        reasons.append(f"last reviewed on {answer.reviewed_on}: {overdue}")
    return tuple(reasons)


def saved(book: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx (or .xlsm) file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
