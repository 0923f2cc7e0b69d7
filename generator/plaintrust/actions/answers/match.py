"""Which of our answers answers a customer's question: by the standard's question id, else by text.

A customer's questionnaire row names its question by a standard's id (in an id column, or at the
start of the question: "IAM-14.1 Do you ...") or only by its words. An id that one of our shared
answers cites in `refs` decides (score 100, confidence "id"). Otherwise the question's words are
compared with our own questions, and the best scoring at least `min_score` answers it: "high" from
90, else "medium". Internal answers are never in the library, so they are never matched, nor
offered as candidates.

Both sides are normalised first: case folded, punctuation and runs of whitespace made one space,
a leading question id or list number dropped, and the filler words questionnaires wrap a question
in ("do you", "does your organization", "please describe") left out, so that only the words
carrying the meaning are compared.

The score is the mean of RapidFuzz's token_set_ratio, which rewards the words both questions share
whatever their order, and token_sort_ratio, which makes each side pay for the words the other
lacks, so that a vague question ("Do you have a plan?") sharing a word or two with a long one does
not reach 80. Measured on the example library (51 shared answers) with 30 customer questions
reworded and reordered from ours and 10 questions the library does not answer (normalised as
above), rows filled rightly / wrongly at 80, and the best score of an unrelated question:

    token_sort_ratio   19 / 0, unrelated at most 55
    token_set_ratio    28 / 0, unrelated at most 59, but "Do you have a plan?" and "Do you test?"
                       score 100 against several answers
    WRatio             26 / 4, 6 unrelated questions filled (86)
    the mean           25 / 0, unrelated at most 55; vague questions at most 74, but
                       "Is data encrypted?" 86 (to encryption-at-rest)

On a second library (15 answers; 20 questions reworded, 10 unrelated), the mean filled 19 rightly
and none wrongly, its best unrelated score 77. Stemming words ("encrypted" -> "encrypt") gained
nothing on either.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from plaintrust.answers import shared
from plaintrust.model import Answer

HIGH = 90  # a text match from this score is "high" confidence, below it "medium"
MIN_SCORE = 80  # the default: below it a row is left blank and listed with its candidates
CANDIDATES = 3

# A standard's question id opening the question, then a separator: CAIQ "IAM-14.1" and "A&A-01.1",
# VSA "CORE-12", "SI-1a" and "1.1", SIG "M.1.3"; or a list number ("12.", "3)"), dropped too.
_LEADING_ID = re.compile(
    r"""\s*[(\[]?
    (?P<id>[A-Za-z&]{1,6}-\d+(?:\.\d+)*[a-z]?
      |[A-Z]{1,3}(?:\.\d+)+
      |\d+(?:\.\d+)+)
    [)\]]?(?:[\s:.)\]\u2013\u2014-]+|$)
    |\s*\d+[.)]\s+""",
    re.VERBOSE,
)
_NOT_WORD = re.compile(r"[\W_]+")
# Words questionnaires wrap a question in; they say nothing about what is asked.
FILLER = frozenset(
    {
        *("a", "an", "the", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had"),
        *("can", "could", "will", "would", "should", "shall", "may", "you", "your", "yours", "we", "our", "us"),
        *("they", "their", "it", "its", "this", "that", "these", "those", "there", "of", "to", "for", "in", "on"),
        *("at", "by", "with", "as", "or", "and", "any", "all", "please", "describe", "provide", "explain"),
        *("confirm", "indicate", "specify", "organization", "organisation", "company", "vendor", "supplier"),
        *("service", "provider"),
    }
)


@dataclass(frozen=True)
class Candidate:
    answer: Answer
    score: float  # 0-100, rounded to one decimal


@dataclass(frozen=True)
class Match:
    """The answer a question gets, if any, how it was found, and the best candidates by text."""

    answer: Answer | None
    how: str | None  # "id" | "text" | None (left blank)
    score: float  # 100 for an id
    question_id: str | None  # the standard's id that matched, for how == "id"
    candidates: tuple[Candidate, ...]  # best first; for a blank row, what came closest

    @property
    def confidence(self) -> str | None:
        if self.how is None:
            return None
        if self.how == "id":
            return "id"
        return "high" if self.score >= HIGH else "medium"


@dataclass(frozen=True)
class Library:
    """Our shared answers prepared once for many questions: normalised questions and an id table."""

    answers: tuple[Answer, ...]  # public and nda, in path order
    texts: tuple[str, ...]  # each answer's question, normalised
    by_id: Mapping[str, tuple[str, Answer]]  # folded question id -> (the id as cited, its first answer)


def library(answers: Iterable[Answer], standard: str | None = None) -> Library:
    """The library of the shared answers; `standard`'s ids win over another standard's same id."""
    chosen = shared(answers)
    by_id: dict[str, tuple[str, Answer]] = {}
    names = sorted({name for a in chosen for name in a.refs}, key=lambda name: name != standard)
    for name in names:
        for answer in chosen:  # path order: the first answer citing an id answers it
            for question in answer.refs.get(name, ()):
                by_id.setdefault(question.casefold(), (question, answer))
    return Library(chosen, tuple(normalise(a.question) for a in chosen), by_id)


def leading_id(text: str) -> str | None:
    """The question id opening `text` ("IAM-14.1 Do you ..." -> "IAM-14.1"), if any."""
    found = _LEADING_ID.match(text)
    return found.group("id") if found else None


def normalise(text: str) -> str:
    """The words that carry a question's meaning, case folded, in their order."""
    found = _LEADING_ID.match(text)
    rest = text[found.end() :] if found and found.end() < len(text) else text
    words = _NOT_WORD.sub(" ", rest.casefold()).split()
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)


def match(library: Library, question: str, ids: Iterable[str] = (), min_score: float = MIN_SCORE) -> Match:
    """The answer to one question: by the first of `ids` (else an id opening the question) that an
    answer cites, else by text when the best score reaches `min_score`."""
    candidates = _by_text(library, question)
    for qid in [*ids, leading_id(question) or ""]:
        cited = library.by_id.get(qid.strip().casefold()) if qid.strip() else None
        if cited is not None:
            return Match(cited[1], "id", 100.0, cited[0], candidates)
    best = candidates[0] if candidates else None
    if best is not None and best.score >= min_score:
        return Match(best.answer, "text", best.score, None, candidates)
    return Match(None, None, best.score if best else 0.0, None, candidates)


def score(question: str, ours: str, **_: object) -> float:
    """How close two normalised questions are, 0-100: see the module's documentation for why this."""
    return (fuzz.token_set_ratio(question, ours) + fuzz.token_sort_ratio(question, ours)) / 2


def _by_text(library: Library, question: str) -> tuple[Candidate, ...]:
    query = normalise(question)
    if not query or not library.texts:
        return ()
    found = process.extract(query, library.texts, scorer=score, processor=None, limit=CANDIDATES)
    return tuple(Candidate(library.answers[index], round(score, 1)) for _text, score, index in found)
