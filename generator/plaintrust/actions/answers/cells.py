"""What an answer says in a questionnaire's cells, the same in an export and in a filled workbook:
its answer in the words the questionnaire takes, its explanation as plain text, and why to read it
again before sending; and what a customer's cell says, as text."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from plaintrust import answers as judgement
from plaintrust.model import Answer, Model

# These questionnaires have no "partial": a partial answer is not a yes, so it goes out as their
# "no" with an explanation that says how far it goes.
PARTLY = "Partly: "
_SAYS_PARTLY = re.compile(r"\s*(?:partly|partially)\b", re.IGNORECASE)
# The choices of a drop-down that say each answer, folded ("Yes", "Y"; "NA", "N/A", "Not applicable").
CHOICES = {
    "yes": ("yes", "y"),
    "no": ("no", "n"),
    "n/a": ("n/a", "na", "n.a.", "not applicable"),
    "partial": ("partial", "partially", "partly"),
}


def explanation(answer: Answer) -> str:
    """The explanation without its Markdown: a line per paragraph and list item, links as "text (address)"."""
    from plaintrust.boundary.safe_text import sheet_text  # the Markdown parser, only when writing cells

    return sheet_text(answer.explanation)


def partly(text: str) -> str:
    """A partial answer's explanation where it goes out as a "no": "Partly: " first, unless it
    already starts by saying so ("Partly. Today you can ...")."""
    return text if _SAYS_PARTLY.match(text) else PARTLY + text


def choice(answer: str, choices: tuple[str, ...]) -> tuple[str, bool] | None:
    """The choice of a drop-down that says `answer` (yes, no, partial, n/a), as the drop-down
    spells it, and whether it is a "no" standing for a partial (its explanation then says
    "Partly"); None when no choice says it."""
    folded = {c.strip().casefold(): c.strip() for c in choices}
    found = next((folded[word] for word in CHOICES[answer] if word in folded), None)
    if found is not None:
        return found, False
    if answer == "partial":
        no = choice("no", choices)
        return (no[0], True) if no is not None else None
    return None


def review_overdue(answer: Answer, model: Model) -> str | None:
    """An overdue review in the words `answer-review-overdue` uses; None when it is not overdue."""
    if not judgement.review_overdue(answer, model):
        return None
    return f"its review has been due since {judgement.review_due(answer, model).isoformat()}"


def text(value: Any) -> str:
    """A cell as text: rich text as its characters, numbers as written (8.1, not 8.1000001)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()
    return str(value).strip()
