"""The answer library as the files procurement asks for: CSV, XLSX or JSON, from the model alone.

One row per answer, or, for a standard questionnaire, one row per question id it cites, shaped like
that questionnaire's answer columns. Every row says whether its answer holds today (what it rests on
backs it, and its review is not overdue) and, when not, why: whoever sends the file sees first what
to fix. Internal answers are exported only when asked for by name.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from plaintrust import answers, questionnaires
from plaintrust.actions.answers import cells
from plaintrust.model import Answer, Model

VISIBILITIES = (*answers.SHARED, "internal")
FORMAT_ID = "plaintrust-answers-export/1"

ANSWER_HEADERS = [
    "id",
    "question",
    "answer",
    "explanation",
    "visibility",
    "controls",
    "policies",
    *questionnaires.NAMES,
    "reviewed_on",
    "review_due",
    "holds",
    "needs_attention",
]
STANDARD_HEADERS = ["Question ID", "Answer", "Explanation", "Our question", "Answer id", "Holds", "Needs attention"]


@dataclass(frozen=True)
class Checked:
    """An exported answer and what stops it from holding today (nothing: it holds)."""

    answer: Answer
    explanation: str  # plain text, without its Markdown (cells.explanation)
    review_due: dt.date
    attention: tuple[str, ...]  # "AC-09 is in progress", "its review has been due since 2026-01-01"

    @property
    def holds(self) -> bool:
        return not self.attention


@dataclass(frozen=True)
class QuestionRow:
    """One question id of a standard: the first citing answer (path order) fills it."""

    question: str
    word: str  # the standard's answer word: "Yes", "No", "NA"
    explanation: str
    cited_by: tuple[Checked, ...]  # every exported answer citing the question, in path order


@dataclass(frozen=True)
class Export:
    generated: dt.date
    standard: str | None
    visibility: tuple[str, ...]
    answers: tuple[Checked, ...]  # in path order of answers/
    rows: tuple[QuestionRow, ...]  # in the questionnaire's order; empty without a standard


def build(model: Model, visibility: Sequence[str] = answers.SHARED, standard: str | None = None) -> Export:
    """The answers whose visibility is one of `visibility`, checked on the model's day."""
    chosen = tuple(v for v in VISIBILITIES if v in visibility)
    exported = tuple(check(a, model) for a in model.answers if a.visibility in chosen)
    rows = question_rows(exported, standard) if standard is not None else ()
    return Export(model.today, standard, chosen, exported, rows)


def check(answer: Answer, model: Model) -> Checked:
    attention = list(answers.support(answer, model).short)
    overdue = cells.review_overdue(answer, model)  # in the words `check` and fill's report use
    if overdue is not None:
        attention.append(overdue)
    return Checked(answer, cells.explanation(answer), answers.review_due(answer, model), tuple(attention))


def question_rows(exported: Sequence[Checked], standard: str) -> tuple[QuestionRow, ...]:
    """A row per question id of `standard` an exported answer cites, in the questionnaire's order."""
    shape = questionnaires.standard(standard)
    by_answer = {id(c.answer): c for c in exported}  # the very objects by_question hands back
    cited = answers.by_question((c.answer for c in exported), standard)
    rows = []
    for question in sorted(cited, key=shape.rank):
        cited_by = tuple(by_answer[id(a)] for a in cited[question])
        first = cited_by[0]
        partial = first.answer.answer == "partial"
        word = shape.answer_words["no" if partial else first.answer.answer]
        # these questionnaires have no "partial": a partial is not a yes, so it goes out as their
        # "no", its explanation saying how far it goes
        explanation = cells.partly(first.explanation) if partial else first.explanation
        rows.append(QuestionRow(question, word, explanation, cited_by))
    return tuple(rows)


def table(export: Export) -> tuple[list[str], list[list[str]]]:
    """(headers, rows) as text: the CSV file and the workbook's sheet."""
    if export.standard is not None:
        return STANDARD_HEADERS, [_question_cells(r) for r in export.rows]
    return ANSWER_HEADERS, [_answer_cells(c) for c in export.answers]


def _answer_cells(checked: Checked) -> list[str]:
    a = checked.answer
    return [
        a.id,
        a.question,
        a.answer,
        checked.explanation,
        a.visibility,
        _join(a.controls),
        _join(a.policies),
        *(_join(a.refs.get(name, ())) for name in questionnaires.NAMES),
        a.reviewed_on.isoformat(),
        checked.review_due.isoformat(),
        _yes(checked.holds),
        _join(checked.attention),
    ]


def _question_cells(row: QuestionRow) -> list[str]:
    first = row.cited_by[0].answer
    return [
        row.question,
        row.word,
        row.explanation,
        first.question,
        _join(c.answer.id for c in row.cited_by),
        _yes(all(c.holds for c in row.cited_by)),
        _join(f"{c.answer.id}: {reason}" for c in row.cited_by for reason in c.attention),
    ]


def _join(values: Iterable[str]) -> str:
    return "; ".join(values)  # as the gap report's tables join several values in one cell


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def as_csv(export: Export) -> bytes:
    """UTF-8, CRLF, a header row; a cell that would start a formula stays text (the gap report's writer)."""
    from plaintrust.internal.render.tables import to_csv

    return to_csv(table(export))


_WIDTHS = {"question": 48, "explanation": 70, "needs_attention": 48}
_WIDTHS |= {"Explanation": 70, "Our question": 48, "Needs attention": 48, "Answer id": 24}


def as_xlsx(export: Export) -> bytes:
    """One sheet named after the standard (or "Answers"), its bold header row frozen. Text is
    written as text, never as a formula; the workbook's dates are the export's day, so the same
    library gives the same bytes."""
    import xlsxwriter  # imported on use: only the xlsx format needs it

    headers, rows = table(export)
    buffer = io.BytesIO()
    with tempfile.TemporaryDirectory(prefix="plaintrust-xlsx-") as scratch:
        book = xlsxwriter.Workbook(buffer, {"constant_memory": True, "tmpdir": scratch})
        book.set_properties({"author": "Plaintrust", "created": dt.datetime.combine(export.generated, dt.time())})
        header = book.add_format({"bold": True, "valign": "top", "text_wrap": True})
        sheet = book.add_worksheet(_sheet_name(export.standard))
        for index, name in enumerate(headers):
            sheet.set_column(index, index, _WIDTHS.get(name, max(12, min(len(name) + 4, 24))))
        sheet.freeze_panes(1, 0)
        sheet.autofilter(0, 0, len(rows), len(headers) - 1)
        sheet.write_row(0, 0, headers, header)
        for number, row in enumerate(rows, start=1):
            for column, value in enumerate(row):
                if value:  # an empty cell stays a true blank
                    sheet.write_string(number, column, value)
        book.close()
    return buffer.getvalue()


def _sheet_name(standard: str | None) -> str:
    return questionnaires.standard(standard).name if standard is not None else "Answers"


def as_json(export: Export) -> bytes:
    """The export as data (schemas/answers-export.schema.json): lists stay lists, holds a boolean."""
    payload: dict[str, object] = {
        "format": FORMAT_ID,
        "generated": export.generated.isoformat(),
        "standard": export.standard,
        "visibility": list(export.visibility),
    }
    if export.standard is None:
        payload["answers"] = [_answer_data(c) for c in export.answers]
    else:
        payload["rows"] = [_row_data(r) for r in export.rows]
    return (json.dumps(payload, indent=2, ensure_ascii=False) + "\n").encode("utf-8")


def _answer_data(checked: Checked) -> dict:
    a = checked.answer
    return {
        "id": a.id,
        "question": a.question,
        "answer": a.answer,
        "explanation": checked.explanation,
        "visibility": a.visibility,
        "controls": list(a.controls),
        "policies": list(a.policies),
        "refs": {name: list(a.refs[name]) for name in questionnaires.NAMES if a.refs.get(name)},
        "reviewed_on": a.reviewed_on.isoformat(),
        "review_due": checked.review_due.isoformat(),
        "holds": checked.holds,
        "needs_attention": list(checked.attention),
    }


def _row_data(row: QuestionRow) -> dict:
    return {
        "question_id": row.question,
        "answer": row.word,
        "explanation": row.explanation,
        "our_question": row.cited_by[0].answer.question,
        "answer_ids": [c.answer.id for c in row.cited_by],
        "holds": all(c.holds for c in row.cited_by),
        "needs_attention": [f"{c.answer.id}: {reason}" for c in row.cited_by for reason in c.attention],
    }


WRITERS = {"csv": as_csv, "xlsx": as_xlsx, "json": as_json}
FORMATS = tuple(WRITERS)
