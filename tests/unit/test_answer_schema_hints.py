"""The likeliest slips in an answer file get a hint that says what to write instead.

Questionnaires themselves write "N/A", "NA", "Yes" and "No"; a standard's key may be typed as the
standard is printed ("CAIQ-v4") or shortened ("sig"); a question id may be copied with a space.
"""

from __future__ import annotations

import pytest

from plaintrust.load.yamlfile import parse_bytes
from plaintrust.schemas import messages

ANSWER = "id: a\nquestion: Q?\nexplanation: E.\nvisibility: internal\nreviewed_on: 2026-10-01\n"


def diagnosed(extra: str) -> list[tuple[str, str | None]]:
    parsed = parse_bytes("answers/a.yaml", (ANSWER + extra).encode())
    assert parsed.document is not None, parsed.diagnostics
    return [(d.message, d.hint) for d in messages.check(parsed.document, "answer")]


@pytest.mark.parametrize(
    ("said", "meant"),
    [("No", "no"), ("YES", "yes"), ("Yes", "yes"), ("N/A", "n/a"), ("NA", "n/a"), ("Partial", "partial")],
)
def test_an_answer_word_in_another_case_or_spelling_gets_the_right_one(said: str, meant: str) -> None:
    [(message, hint)] = diagnosed(f"answer: {said}\n")
    assert message == f"answer: {said!r} is not one of: yes, no, partial, n/a"
    assert hint == f"did you mean {meant!r}?"


def test_a_standard_typed_as_printed_gets_its_key() -> None:
    [(message, hint)] = diagnosed("answer: 'yes'\nrefs: {CAIQ-v4: [IAM-14.1]}\n")
    assert (message, hint) == ("unknown field 'CAIQ-v4'", "did you mean 'caiq-v4'?")


def test_an_unknown_standard_names_the_ones_there_are() -> None:
    [(message, hint)] = diagnosed("answer: 'yes'\nrefs: {sig: [A.1]}\n")
    assert (message, hint) == ("unknown field 'sig'", "refs takes only caiq-v4, sig-lite or vsa")


@pytest.mark.parametrize("question", ["CORE 12", "...", "IAM-14.1 Do you use MFA?"])
def test_a_question_id_of_the_wrong_shape_says_what_an_id_looks_like(question: str) -> None:
    [(message, hint)] = diagnosed(f"answer: 'yes'\nrefs: {{vsa: [{question!r}]}}\n")
    assert message.startswith("vsa: '") and message.endswith("' is not a valid VSA question id")
    assert hint is not None and "no spaces, such as IAM-14.1, A.1 or CORE-12" in hint
