"""`plaintrust answers fill`: a customer's questionnaire workbook, filled in from the answer library.

Each row from `first_row` down whose question cell asks something (a section heading does not: see
match.is_question) gets the answer its question matches (see match.py): the answer word in the
answer column and, when asked, the explanation in the explanation column. A cell that already
holds something is never overwritten: a row whose answer cell is filled is left alone and reported
as already answered. When the answer cell has a drop-down list, the answer is written as one of its
choices, or not at all. Only public and nda answers are used (or only public ones, when asked);
internal ones never leave the repository.

Only the cells the sheet holds are read, and a cell is made only to be written: a stray value far
down the sheet costs nothing. Text is written as text, never as a formula. The workbook is read and
written with openpyxl: keep.py says what of it the copy keeps, and the report names what it lost.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plaintrust import answers as judgement
from plaintrust.actions.answers import cells, keep
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
MAX_CHOICES = 1000  # cells read for a drop-down's choices: a list, not a table
_LETTERS = re.compile(r"[A-Za-z]{1,3}")
# An encrypted (password-protected) workbook is an OLE compound file, as an old .xls is, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
# A drop-down's choices on cells: "Lists!$A$1:$A$3", "'My lists'!A1:A3", "$H$1:$H$3".
_RANGE = re.compile(
    r"(?:(?P<sheet>'(?:[^']|'')+'|[^'!]+)!)?(?P<range>\$?[A-Za-z]{1,3}\$?\d+(?::\$?[A-Za-z]{1,3}\$?\d+)?)"
)


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


def open_questionnaire(path: Path, sheet: str | None) -> Questionnaire:
    """The workbook at `path`, formulas and styles as written, and its sheet `sheet` (default: the
    first worksheet); a usage error when it is no workbook or has no such sheet."""
    book, warned = _workbook(path)
    return Questionnaire(path, book, worksheet(book, sheet, path.name), warned)


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
    rows, headings = _fill(questionnaire.sheet, columns, library, _words(standard), min_score)
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
    )
    return data, report


def _fill(
    sheet: Worksheet, columns: Columns, library: matching.Library, words: dict[str, str], min_score: float
) -> tuple[tuple[Row, ...], tuple[int, ...]]:
    """The rows with a question, each answered if it can be, and the rows holding a heading."""
    at = _numbers(columns)
    rows, headings = [], []
    for number, question in _questions(sheet, at["question"], columns.first_row):
        ids = _ids(_value(sheet, number, at["id"])) if "id" in at else ()
        if not matching.question_ids(library, question, ids) and not matching.is_question(question):
            headings.append(number)
            continue
        hidden = _hidden(sheet, number)
        if _text(_value(sheet, number, at["answer"])) or _merged(sheet, number, at["answer"]):
            rows.append(Row(number, question, None, hidden))  # a cell merged into another counts as taken
            continue
        found = matching.match(library, question, ids, min_score)
        unwritten = _write(sheet, number, at, found.answer, words) if found.answer is not None else None
        rows.append(Row(number, question, found, hidden, unwritten))
    return tuple(rows), tuple(headings)


def _questions(sheet: Worksheet, column: int, first_row: int) -> Iterator[tuple[int, str]]:
    """(row, question) of each non-empty cell of the question column from `first_row` down: only
    the cells the sheet holds are read, so the last question ends the walk."""
    for number in sorted(row for row, col in sheet._cells if col == column and row >= first_row):
        question = _text(_value(sheet, number, column))
        if question:
            yield number, question


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


def _write(sheet: Worksheet, number: int, at: dict[str, int], answer: Answer, words: dict[str, str]) -> str | None:
    """Write the answer, and its explanation when there is an empty cell for it; or say why not:
    the answer cell's drop-down offers no choice that says it."""
    word, as_no = words[answer.answer], answer.answer == "partial" and words["partial"] == words["no"]
    drop_down = _drop_down(sheet, number, at["answer"])
    if drop_down is not None:
        chosen = cells.choice(answer.answer, drop_down[1])
        if chosen is None:
            return _no_choice(answer, *drop_down)
        word, as_no = chosen
    _put(sheet, number, at["answer"], word)
    column = at.get("explanation")
    if column is not None and not _text(_value(sheet, number, column)) and not _merged(sheet, number, column):
        text = cells.explanation(answer)
        _put(sheet, number, column, cells.partly(text) if as_no else text)
    return None


def _no_choice(answer: Answer, formula: str, offered: tuple[str, ...]) -> str:
    if not offered:
        return f"the choices of the answer cell's drop-down list ({formula}) cannot be read"
    return f"it says {answer.answer}, and the answer cell's drop-down list offers only {', '.join(offered)}"


def _put(sheet: Worksheet, row: int, column: int, text: str) -> None:
    cell = sheet.cell(row, column)
    cell.value = text
    cell.data_type = "s"  # text, even when it starts with "=", which openpyxl would write as a formula


def _drop_down(sheet: Worksheet, row: int, column: int) -> tuple[str, tuple[str, ...]] | None:
    """(formula, choices) of the list validation on the cell, the choices empty when they cannot
    be read; None when the cell has none."""
    from openpyxl.utils import get_column_letter

    coordinate = f"{get_column_letter(column)}{row}"
    for validation in sheet.data_validations.dataValidation:
        if validation.type == "list" and coordinate in validation.sqref:
            formula = str(validation.formula1 or "")
            return formula, _choices(sheet, formula)
    return None


def _choices(sheet: Worksheet, formula: str) -> tuple[str, ...]:
    """The choices of a list validation: typed into it ("Yes,No,NA"), or on cells, named or not."""
    text = formula.strip().removeprefix("=")
    if text.startswith('"'):
        return tuple(c.strip() for c in text.strip('"').split(",") if c.strip())
    book = sheet.parent
    named = sheet.defined_names.get(text) or book.defined_names.get(text)
    found = _RANGE.fullmatch(str(named.attr_text) if named is not None else text)
    if found is None:
        return ()
    title = (found.group("sheet") or "").strip("'").replace("''", "'")
    source = sheet if not title else book[title] if title in book.sheetnames else None
    return _range_values(source, found.group("range")) if source is not None else ()


def _range_values(sheet: Worksheet, cells_range: str) -> tuple[str, ...]:
    from openpyxl.utils import range_boundaries

    left, top, right, bottom = range_boundaries(cells_range.replace("$", ""))
    if (right - left + 1) * (bottom - top + 1) > MAX_CHOICES:
        return ()
    values = (_text(_value(sheet, row, col)) for row in range(top, bottom + 1) for col in range(left, right + 1))
    return tuple(value for value in values if value)


def _merged(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether the cell lies inside a merged range without being its first: it cannot be written."""
    from openpyxl.cell.cell import MergedCell

    return isinstance(sheet._cells.get((row, column)), MergedCell)


def _ids(value: Any) -> tuple[str, ...]:
    """The question ids an id cell holds: one, or several separated by commas, semicolons or spaces."""
    return tuple(part for part in re.split(r"[\s,;]+", _text(value)) if part)


def _text(value: Any) -> str:
    """A cell as text: rich text as its characters, numbers as written (8.1, not 8.1000001)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()


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
    if judgement.review_overdue(answer, model):
        due = judgement.review_due(answer, model)
        reasons.append(f"last reviewed on {answer.reviewed_on}: its review was due on {due}")
    return tuple(reasons)


def saved(book: Workbook) -> bytes:
    """The workbook as the bytes of an .xlsx (or .xlsm) file."""
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()
