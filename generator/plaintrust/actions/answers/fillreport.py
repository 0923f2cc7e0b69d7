"""The report of `plaintrust answers fill`, as text for a person or JSON for a script.

It is for the team filling the questionnaire, not for the customer: row numbers, our answer ids and
scores, the rows filled by wording (each to read before sending, with the customer's question
beside ours), the rows left blank with the answers that came closest and the words of the question
they do not cover, and the answers to check before the questionnaire goes out. Internal answers
never appear in it: they were never candidates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from plaintrust.actions.answers.fill import FillReport, Row
from plaintrust.actions.answers.match import HIGH

QUESTION_WIDTH = 70  # a blank row's question, cut to one line of the report
SAVE_AGAIN = "open the workbook in a spreadsheet program, save it, and fill again"
UNREAD = f"the question is a formula with no saved value, not read: {SAVE_AGAIN}"
CHECK = "check --question-column, --first-row and --sheet"


def warning(report: FillReport, column: str, first_row: int) -> str | None:
    """What to check when no row had a question, worded by what the column held; None otherwise."""
    if report.rows:
        return None
    where = f"column {column.strip().upper()} of sheet {report.sheet!r}"
    if report.not_read:
        return f"{where} holds its questions as formulas with no saved value ({_rows(report.not_read)}): {SAVE_AGAIN}"
    headings = report.not_questions
    if headings:
        look = "rows look" if len(headings) > 1 else "row looks"
        return f"{where} holds no question from row {first_row} down; {len(headings)} {look} like headings ({_rows(headings)}): {CHECK}"
    return f"{where} holds no question from row {first_row} down: {CHECK}"


def counts(report: FillReport) -> dict[str, int]:
    return {
        "questions": len(report.rows),
        "answered": len(report.having("filled")),
        "by_id": len(report.confident("id")),
        "by_text": len(report.confident("high")) + len(report.confident("medium")),
        "high": len(report.confident("high")),
        "medium": len(report.confident("medium")),
        "blank": len(report.having("blank")),
        "already_answered": len(report.having("answered")),
    }


def as_json(report: FillReport) -> str:
    payload = {
        "workbook": report.workbook,
        "sheet": report.sheet,
        "output": report.output,
        "standard": report.standard,
        "visibility": list(report.visibility),
        "min_score": report.min_score,
        "counts": counts(report),
        "filled": [_filled(row) for row in report.having("filled")],
        "blank": [_blank(row) for row in report.having("blank")],
        "already_answered": [row.number for row in report.having("answered")],
        "not_questions": list(report.not_questions),
        "not_read": list(report.not_read),
        "check": [{"answer": c.answer.id, "rows": list(c.rows), "reasons": list(c.reasons)} for c in report.checks],
        "not_kept": list(report.not_kept),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False, allow_nan=False) + "\n"


def _filled(row: Row) -> dict[str, object]:
    found = row.match
    assert found is not None and found.answer is not None  # only filled rows come here
    return {
        "row": row.number,
        "hidden": row.hidden,
        "answer": found.answer.id,
        "how": found.how,
        "standard": found.standard,
        "question_id": found.question_id,
        "score": found.score,
        "confidence": found.confidence,
        "question": row.question,
        "our_question": found.answer.question,
        "ignored": found.ignored,
    }


def _blank(row: Row) -> dict[str, object]:
    assert row.match is not None  # only blank rows come here
    return {
        "row": row.number,
        "hidden": row.hidden,
        "question": row.question,
        "ignored": row.match.ignored,
        "not_written": {"answer": row.match.answer.id, "why": row.unwritten} if row.match.answer else None,
        "candidates": [
            {"answer": c.answer.id, "question": c.answer.question, "score": c.score, "not_covered": list(c.uncovered)}
            for c in row.match.candidates
        ],
    }


def as_text(report: FillReport) -> str:
    """A summary first, then the lists; each list only when it has something."""
    lines = _summary(report)
    by_id = [row for row in report.having("filled") if row.match is not None and row.match.how == "id"]
    by_text = [row for row in report.having("filled") if row.match is not None and row.match.how == "text"]
    lines += _section("Filled by question id:", [_by_id_line(row) for row in by_id])
    lines += _section(
        "Filled by wording: read each before sending, as the customer may ask more than our answer says:",
        [line for row in by_text for line in _by_text_lines(row)],
    )
    lines += _section(
        f"Left blank (no answer scored {report.min_score:g} or more and asks what the question asks):",
        [line for row in report.having("blank") if row.unwritten is None for line in _blank_lines(row)],
    )
    lines += _section(
        "Matched, but not written because of the answer cell's drop-down list (choose from the list by hand):",
        [line for row in report.unwritten() for line in _unwritten_lines(row)],
    )
    answered = [row.number for row in report.having("answered")]
    lines += _section("Already answered, left alone:", [_rows(answered)] if answered else [])
    headings = list(report.not_questions)
    lines += _section("Not questions (headings), skipped:", [_rows(headings)] if headings else [])
    unread = list(report.not_read)
    lines += _section("Not read:", [f"{_rows(unread)}: {UNREAD}"] if unread else [])
    lines += _section(
        "Check these before sending:",
        [f"{c.answer.id} ({_rows(c.rows)}): {'; '.join(c.reasons)}" for c in report.checks],
    )
    if report.not_kept:
        lines += ["", f"Not kept in {report.output}: the original's {', '.join(report.not_kept)}."]
    return "\n".join(lines) + "\n"


def _summary(report: FillReport) -> list[str]:
    n = counts(report)
    return [
        f"Filled {n['answered']} of {n['questions']} questions of {report.workbook} (sheet {report.sheet!r}) "
        f"into {report.output}.",
        f"  by question id:   {n['by_id']}",
        f"  by wording:       {n['by_text']} ({n['high']} high: a score of {HIGH} or more, {n['medium']} medium)",
        f"  left blank:       {n['blank']}",
        f"  already answered: {n['already_answered']}",
    ]


def _section(title: str, items: Iterable[str]) -> list[str]:
    shown = list(items)
    return ["", title, *(f"  {item}" for item in shown)] if shown else []


def _by_id_line(row: Row) -> str:
    found = row.match
    assert found is not None and found.answer is not None  # only filled rows come here
    return f"{_row(row)}: {found.answer.id}, by {found.standard} id {found.question_id}"


def _by_text_lines(row: Row) -> list[str]:
    found = row.match
    assert found is not None and found.answer is not None  # only filled rows come here
    return [
        f"{_row(row)}: {found.answer.id}, score {found.score:g} ({found.confidence})",
        f"    theirs: {_cut(row.question)}",
        f"    ours:   {_cut(found.answer.question)}",
        *_ignored(row),
    ]


def _blank_lines(row: Row) -> list[str]:
    assert row.match is not None  # only blank rows come here
    lines = [f"{_row(row)}: {_cut(row.question)}", *_ignored(row)]
    for c in row.match.candidates:
        lines.append(f"    {c.answer.id} ({c.score:g}): {c.answer.question}")
        if c.uncovered:
            lines.append(f"      not covered: {_cut(', '.join(c.uncovered))}")
    return lines if row.match.candidates else [*lines, "    no answer comes close"]


def _ignored(row: Row) -> list[str]:
    """The question's label and answer-format words, which matching left out ("Q12:", "(Y/N)")."""
    return [f"    ignored: {_cut(row.match.ignored)}"] if row.match is not None and row.match.ignored else []


def _unwritten_lines(row: Row) -> list[str]:
    assert row.match is not None and row.match.answer is not None  # only rows matched come here
    return [f"{_row(row)}: {_cut(row.question)}", f"    {row.match.answer.id}: {row.unwritten}"]


def _row(row: Row) -> str:
    return f"row {row.number}{' (hidden)' * row.hidden}"


def _cut(text: str) -> str:
    """A question on one line of the report."""
    line = " ".join(text.split())
    return line if len(line) <= QUESTION_WIDTH else line[: QUESTION_WIDTH - 3] + "..."


def _rows(numbers: Sequence[int]) -> str:
    return f"row{'s' * (len(numbers) != 1)} {', '.join(str(n) for n in numbers)}"


RENDERERS: dict[str, Callable[[FillReport], str]] = {"text": as_text, "json": as_json}
