"""The report of `plaintrust answers fill`, as text for a person or JSON for a script.

It is for the team filling the questionnaire, not for the customer: row numbers, our answer ids and
scores, the rows left blank with the answers that came closest, and the answers to check before
the questionnaire goes out. Internal answers never appear in it: they were never candidates.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Sequence

from plaintrust.actions.answers.fill import FillReport, Row
from plaintrust.actions.answers.match import HIGH

QUESTION_WIDTH = 70  # a blank row's question, cut to one line of the report


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
        "min_score": report.min_score,
        "counts": counts(report),
        "filled": [_filled(row) for row in report.having("filled")],
        "blank": [_blank(row) for row in report.having("blank")],
        "already_answered": [row.number for row in report.having("answered")],
        "check": [{"answer": c.answer.id, "rows": list(c.rows), "reasons": list(c.reasons)} for c in report.checks],
        "not_kept": list(report.not_kept),
    }
    return json.dumps(payload, indent=2, ensure_ascii=False) + "\n"


def _filled(row: Row) -> dict[str, object]:
    found = row.match
    assert found is not None and found.answer is not None  # only filled rows come here
    return {
        "row": row.number,
        "answer": found.answer.id,
        "how": found.how,
        "question_id": found.question_id,
        "score": found.score,
        "confidence": found.confidence,
    }


def _blank(row: Row) -> dict[str, object]:
    assert row.match is not None  # only blank rows come here
    return {
        "row": row.number,
        "question": row.question,
        "candidates": [
            {"answer": c.answer.id, "question": c.answer.question, "score": c.score} for c in row.match.candidates
        ],
    }


def as_text(report: FillReport) -> str:
    """A summary first, then the lists; each list only when it has something."""
    lines = _summary(report)
    lines += _section("Filled:", [_filled_line(row) for row in report.having("filled")])
    lines += _section(
        f"Left blank (no answer scored {report.min_score:g} or more):",
        [line for row in report.having("blank") for line in _blank_lines(row)],
    )
    answered = [row.number for row in report.having("answered")]
    lines += _section("Already answered, left alone:", [_rows(answered)] if answered else [])
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
        f"  by text:          {n['by_text']} ({n['high']} high: a score of {HIGH} or more, {n['medium']} medium)",
        f"  left blank:       {n['blank']}",
        f"  already answered: {n['already_answered']}",
    ]


def _section(title: str, items: Iterable[str]) -> list[str]:
    shown = list(items)
    return ["", title, *(f"  {item}" for item in shown)] if shown else []


def _filled_line(row: Row) -> str:
    found = row.match
    assert found is not None and found.answer is not None  # only filled rows come here
    how = f"id {found.question_id}" if found.how == "id" else f"text, score {found.score:g} ({found.confidence})"
    return f"row {row.number}: {found.answer.id}, by {how}"


def _blank_lines(row: Row) -> list[str]:
    assert row.match is not None  # only blank rows come here
    question = " ".join(row.question.split())
    cut = question if len(question) <= QUESTION_WIDTH else question[: QUESTION_WIDTH - 3] + "..."
    closest = [f"    {c.answer.id} ({c.score:g}): {c.answer.question}" for c in row.match.candidates]
    return [f"row {row.number}: {cut}", *(closest or ["    no answer comes close"])]


def _rows(numbers: Sequence[int]) -> str:
    return f"row{'s' * (len(numbers) != 1)} {', '.join(str(n) for n in numbers)}"


RENDERERS: dict[str, Callable[[FillReport], str]] = {"text": as_text, "json": as_json}
