"""`plaintrust answers fill`: a customer's questionnaire workbook, filled in from the answer library.

Each row from `first_row` down with a question gets the answer its question matches (see
match.py): the answer word in the answer column and, when asked, the explanation in the
explanation column. A cell that already holds something is never overwritten: a row whose answer
cell is filled is left alone and reported as already answered. Only public and nda answers are
used; internal ones never leave the repository.

The workbook is read and written with openpyxl, which keeps the other sheets, cell styles, column
widths, merged cells, comments, charts and data validations (the drop-down lists of answer
columns). What it does not know it leaves out (shapes, pivot tables, embedded objects, ...): the
filled copy is compared with the original, and the report names each kind of part it lost.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import warnings
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from plaintrust import answers as judgement
from plaintrust.actions.answers import match as matching
from plaintrust.boundary.safe_text import block_text
from plaintrust.errors import Refused
from plaintrust.model import Answer, Model
from plaintrust.questionnaires import standard as standard_named

if TYPE_CHECKING:
    from openpyxl.workbook.workbook import Workbook
    from openpyxl.worksheet.worksheet import Worksheet

SUFFIXES = (".xlsx", ".xlsm")
PLAIN_WORDS = {"yes": "Yes", "no": "No", "partial": "Partial", "n/a": "N/A"}
PARTLY = "Partly: "  # the questionnaires have no "partial": a partial is their "no", explained
MAX_COLUMN = 16384  # XFD, the last column a workbook can have
_LETTERS = re.compile(r"[A-Za-z]{1,3}")
# An encrypted (password-protected) workbook is an OLE compound file, as an old .xls is, not a zip.
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
_ENCRYPTED = "EncryptionInfo".encode("utf-16-le")
# Parts of a workbook by the start of their name in the zip archive, as the report names them.
_PARTS = {
    "xl/media/": "images",
    "xl/charts/chart": "charts",
    "xl/pivotTables/": "pivot tables",
    "xl/slicers/": "slicers",
    "xl/timelines/": "timelines",
    "xl/threadedComments/": "threaded comments",
    "xl/ctrlProps/": "form controls",
    "xl/embeddings/": "embedded objects",
    "xl/vbaProject": "macros",
    "customXml/": "custom XML",
}


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

    @property
    def state(self) -> str:
        if self.match is None:
            return "answered"
        return "filled" if self.match.answer is not None else "blank"


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


def open_questionnaire(path: Path, sheet: str | None) -> Questionnaire:
    """The workbook at `path`, formulas and styles as written, and its sheet `sheet` (default: the
    first worksheet); a usage error when it is no workbook or has no such sheet."""
    book = _workbook(path)
    return Questionnaire(path, book, worksheet(book, sheet, path.name))


def _workbook(path: Path) -> Workbook:
    import openpyxl

    if path.suffix.lower() not in SUFFIXES:
        raise Refused(f"{path.name} is not an .xlsx workbook: open it and save it as Excel Workbook (.xlsx)")
    _refuse_unzipped(path)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # openpyxl warns about extensions it drops
            return openpyxl.load_workbook(path, rich_text=True, keep_vba=path.suffix.lower() == ".xlsm")
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


def not_kept(original: Path, filled: bytes) -> tuple[str, ...]:
    """The kinds of part the filled copy has fewer of than the original: what openpyxl left out."""
    with zipfile.ZipFile(original) as before, zipfile.ZipFile(io.BytesIO(filled)) as after:
        old, new = before.namelist(), after.namelist()
    return tuple(
        kind
        for prefix, kind in _PARTS.items()
        if sum(n.startswith(prefix) for n in new) < sum(n.startswith(prefix) for n in old)
    )


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
    questionnaire: Questionnaire, columns: Columns, model: Model, standard: str | None, min_score: float, output: str
) -> tuple[bytes, FillReport]:
    """The filled workbook's bytes (to write to `output`), and the report of what was done to it."""
    rows = _fill(questionnaire.sheet, columns, matching.library(model.answers, standard), _words(standard), min_score)
    data = saved(questionnaire.book)
    report = FillReport(
        str(questionnaire.path),
        questionnaire.sheet.title,
        output,
        standard,
        min_score,
        rows,
        checks(rows, model),
        not_kept(questionnaire.path, data),
    )
    return data, report


def _fill(
    sheet: Worksheet, columns: Columns, library: matching.Library, words: dict[str, str], min_score: float
) -> tuple[Row, ...]:
    at = _numbers(columns)
    rows = []
    for number in range(columns.first_row, sheet.max_row + 1):
        question = _text(sheet.cell(number, at["question"]).value)
        if not question:
            continue
        if _text(sheet.cell(number, at["answer"]).value) or _merged(sheet, number, at["answer"]):
            rows.append(Row(number, question, None))  # a cell merged into another counts as taken
            continue
        ids = _ids(sheet.cell(number, at["id"]).value) if "id" in at else ()
        found = matching.match(library, question, ids, min_score)
        if found.answer is not None:
            _write(sheet, number, at, found.answer, words)
        rows.append(Row(number, question, found))
    return tuple(rows)


def _words(standard: str | None) -> dict[str, str]:
    if standard is None:
        return PLAIN_WORDS
    words = standard_named(standard).answer_words
    return {**PLAIN_WORDS, **words, "partial": words["no"]}


def _write(sheet: Worksheet, number: int, at: dict[str, int], answer: Answer, words: dict[str, str]) -> None:
    sheet.cell(number, at["answer"]).value = words[answer.answer]
    column = at.get("explanation")
    if column is None or _text(sheet.cell(number, column).value) or _merged(sheet, number, column):
        return
    partly = PARTLY if answer.answer == "partial" and words["partial"] == words["no"] else ""
    # the words without Markdown, as the FAQ's trust.json and the export carry them
    sheet.cell(number, column).value = partly + block_text(answer.explanation)


def _merged(sheet: Worksheet, row: int, column: int) -> bool:
    """Whether the cell lies inside a merged range without being its first: it cannot be written."""
    from openpyxl.cell.cell import MergedCell

    return isinstance(sheet.cell(row, column), MergedCell)


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
        if row.match is not None and row.match.answer is not None:
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
