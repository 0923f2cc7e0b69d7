"""Matching a customer's question to our answers by its wording (actions/answers/match.py), on
answers made here: what keeps two questions apart, what is set aside as not the question."""

from __future__ import annotations

import unicodedata

import pytest

from plaintrust.actions.answers import match as matching
from plaintrust.model import Answer


def _answer(answer_id: str, question: str, explanation: str = "", answer: str = "yes") -> Answer:
    return Answer(answer_id, question, answer, explanation, "public", (), (), {}, None, None)


KEYS = _answer("keys", "Can we hold the keys that encrypt our data?", "Not yet: we manage them.", "no")
MFA = _answer(
    "mfa", "Do your staff need more than a password to sign in?", "Staff can only connect from a work laptop."
)
BACKUPS = _answer(
    "backups",
    "Do you back up our data?",
    "Backups never leave the region you chose, and they cannot be deleted by mistake.",
)
AT_REST = _answer("at-rest", "Is our data encrypted when you store it?", "With AES-256, in secure hardware.")
TESTS = _answer("pen-tests", "Do independent experts test your service?", "Every year.")
LIBRARY = matching.library([KEYS, MFA, BACKUPS, AT_REST, TESTS])


def _filled(question: str) -> str | None:
    found = matching.match(LIBRARY, question)
    return found.answer.id if found.answer is not None else None


@pytest.mark.parametrize(
    ("question", "best", "apart"),
    [
        # ours says more than theirs asks: the No about holding keys is no answer to encrypting
        ("Do you encrypt our data?", "keys", ("do you", "can we", "hold keys")),
        # who acts: "Can we" (the customer) is not "Do you"
        ("Do you hold the keys that encrypt our data?", "keys", ("do you", "can we")),
        ("Can you hold the keys that encrypt our data?", "keys", ("can you", "can we")),
        # a qualifier said elsewhere in our explanation ("can only connect") is not said of a password
        ("Do your staff need only a password to sign in?", "mfa", ("only", "more")),
        # what happened is not what is done
        ("Have you had a breach of our data backups?", "backups", ("breach", "have you", "do you")),
        ("Did you back up our data?", "backups", ("did you", "do you")),
        # no yes or no answers where, who, when or which
        ("Where do you back up our data?", "backups", ("where",)),
        ("Which data is encrypted when you store it?", "at-rest", ("which",)),
        # a negation only our question can say: "never leave", "cannot be deleted" turn nothing around
        ("Do you never back up our data?", "backups", ("never",)),
        ("Do you not back up our data?", "backups", ("not",)),
        # the country, unless the question is in capitals
        ("Do you back up our data in the US?", "backups", ("US",)),
        # a word, not a question id
        ("DES-56 encryption of our data when you store it?", "at-rest", ("des-56",)),
        # a further question, and a further question after a comma
        ("Do you back up our data? Can backups be deleted?", "backups", ("Can backups be deleted",)),
        ("Do you back up our data, and where are backups kept?", "backups", ("where are backups kept",)),
        # the customer's service is not ours
        ("Do independent experts test our service?", "pen-tests", ("our service", "your service")),
    ],
)
def test_a_question_using_our_words_to_ask_something_else_is_left_blank(
    question: str, best: str, apart: tuple[str, ...]
) -> None:
    found = matching.match(LIBRARY, question, min_score=0)
    assert found.answer is None
    (candidate,) = [c for c in found.candidates if c.answer.id == best]
    assert candidate.uncovered == apart


@pytest.mark.parametrize(
    ("question", "answer"),
    [
        ("Do you back up customer data?", "backups"),
        ("Do you backup our data?", "backups"),  # ours "back up", theirs as one word
        ("Is our data backed up?", "backups"),
        ("WILL YOU BACK UP OUR DATA IN THE REGION WE CHOSE? US TOO?", None),  # a further question
        ("DO YOU BACK UP OUR DATA FOR US?", "backups"),  # in capitals, "US" is "us"
        ("When our contract ends, do you back up our data?", None),  # the opening is "do you": contract ends
        ("Do your staff need more than a password when they sign in?", "mfa"),
        ("Could we hold the keys that encrypt our data ourselves?", "keys"),  # "could" asks what "can" asks
        ("Is our data encrypted when you store it?", "at-rest"),
    ],
)
def test_the_same_question_in_other_words_is_filled(question: str, answer: str | None) -> None:
    assert _filled(question) == answer


@pytest.mark.parametrize(
    ("cell", "question", "further", "ignored"),
    [
        ("Is it stored? (Y/N)", "Is it stored?", "", "(Y/N)"),
        ("Is it stored? Yes/No", "Is it stored?", "", "Yes/No"),
        ("Is it stored? If no, explain.", "Is it stored?", "", "If no, explain."),
        ("Is it stored? If not, why not?", "Is it stored?", "", "If not, why not?"),
        ("Is it stored? Please provide evidence.", "Is it stored?", "", "Please provide evidence."),
        (
            "Is it stored?\n(Include frequency and retention.)",
            "Is it stored?",
            "",
            "(Include frequency and retention.)",
        ),
        ("Is it stored?\n(Select Yes, No or N/A)", "Is it stored?", "", "(Select Yes, No or N/A)"),
        ("Is it stored? Comments:", "Is it stored?", "", "Comments:"),
        ("Q12: Is it stored?", "Is it stored?", "", "Q12:"),
        ("Question 12: Is it stored? N/A", "Is it stored?", "", "Question 12: N/A"),
        ("Is it stored (Y/N)?", "Is it stored?", "", "(Y/N)"),
        ("Is it stored? Note: only in the EU.", "Is it stored?", "Note: only in the EU.", ""),
        ("Is it stored? Where?", "Is it stored?", "Where?", ""),
        ("Is it stored, and who can see it?", "Is it stored?", "who can see it", ""),
        ("Describe your backups.", "Describe your backups.", "", ""),
    ],
)
def test_what_is_set_aside_as_not_the_question(cell: str, question: str, further: str, ignored: str) -> None:
    assert matching.read(cell) == matching.Reading(question, further, ignored)


def test_the_label_and_the_answer_format_are_reported_as_ignored() -> None:
    found = matching.match(LIBRARY, "Q12: Do you back up our data? (Y/N) If no, explain.")
    assert (found.answer, found.ignored) == (BACKUPS, "Q12: (Y/N) If no, explain.")
    assert matching.match(LIBRARY, "Do you back up our data?").ignored == ""


def test_a_hyphenated_word_is_one_word_however_written() -> None:
    library = matching.library([_answer("malware", "Do you run anti-malware on laptops and servers?")])
    for written in ("anti-malware", "anti malware", "antimalware", "Anti-Malware"):
        assert matching.match(library, f"Do you run {written} on laptops and servers?").answer is not None, written
    found = matching.match(library, "Do you run malware on laptops and servers?")  # theirs is not ours
    assert found.answer is None and found.candidates[0].uncovered == ("anti-malware",)


def test_either_unicode_form_and_a_spaced_hyphen_match_in_french() -> None:
    ours = "Sauvegardez-vous nos données ?"
    for library_text in (ours, unicodedata.normalize("NFD", ours)):
        library = matching.library([_answer("fr", library_text)])
        for question in (ours, unicodedata.normalize("NFD", ours), "Sauvegardez vous nos données ?"):
            assert matching.match(library, question).answer is not None, (library_text, question)
    assert matching.match(library, "Sauvegardez-vous nos données chaque jour ?").answer is None


@pytest.mark.parametrize(
    ("question", "opening"),
    [
        ("Do you back up our data?", ("do you", "now", "you", False)),
        ("Can we choose where our data is stored?", ("can we", "can", "we", False)),
        ("Have you had security incidents?", ("have you", "past", "you", False)),
        ("Did a breach affect our data?", ("did", "past", None, False)),
        ("Is access limited to the staff who need it?", ("is", "now", None, False)),
        ("When our contract ends, do you delete our data?", ("do you", "now", "you", False)),
        ("When do you delete our data?", ("when", None, None, True)),
        ("Please describe how you back up our data.", ("how", None, None, True)),
        ("1.1 Where is our data stored?", ("where", None, None, True)),
    ],
)
def test_what_a_question_opening_says(question: str, opening: tuple[object, ...]) -> None:
    found = matching._opening(question)
    assert (found.words, found.tense, found.person, found.wh) == opening


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("IAM-14.1 Do you ...", "IAM-14.1"),
        ("A&A-01.1: Are ...", "A&A-01.1"),
        ("1.1 Is ...", "1.1"),
        ("A.1 Is ...", "A.1"),
        *[(f"{word} encryption of our data?", None) for word in ("DES-56", "AES-128", "SHA-1", "TLS-1.0", "COVID-19")],
        ("CORE-12 Is ...", None),  # a VSA id counts only from the id column, with --standard vsa
    ],
)
def test_only_a_caiq_id_or_a_numbering_opens_a_question(text: str, found: str | None) -> None:
    assert matching.leading_id(text) == found


@pytest.mark.parametrize(
    "text",
    [
        "Please describe your backup process.",
        "Please confirm MFA is enforced.",
        "Please list your subprocessors.",
        "Kindly describe your backups.",
        "Please, kindly outline your incident response.",
    ],
)
def test_a_polite_request_is_a_question(text: str) -> None:
    assert matching.is_question(text)


def test_how_often_is_said_one_way() -> None:
    said = matching.library([_answer("reviews", "Are access rights reviewed every quarter?")]).said[0]
    assert matching.uncovered("Are access rights reviewed quarterly?", said) == ()
    assert matching.uncovered("Are access rights reviewed every year?", said) == ("year", "quarter")
