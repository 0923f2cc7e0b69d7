"""Which of our answers answers a customer's question: by the standard's question id, else by text.

A customer's questionnaire row names its question by a standard's id (in an id column, or at the
start of the question: "IAM-14.1 Do you ...") or only by its words. An id that one of our shared
answers cites in `refs` decides (score 100, confidence "id"). Only one standard's ids are looked
up: the one named (`--standard`), else CAIQ v4's; and an id opening the question counts only when
it has CAIQ's shape ("IAM-14.1"), because a questionnaire's own numbering ("1.1", "A.1") looks
just like a SIG Lite or VSA id. Those ids count only from an id column, with their standard named.

Otherwise the question's words are compared with our own questions. A wrong answer sent to a
customer is worse than a blank row, so a text match fills a row only when both hold:

- its score reaches `min_score` ("high" from 90, else "medium"); and
- our answer says every word of the customer's question that carries meaning (see
  `content_words` and `uncovered`): in our question, or, for the words our question lacks, in our
  explanation, in the same order. A question that shares our words but adds what it is really
  about ("every quarter", "immediately", "to another region") scores high, and our answer says
  nothing about that: the row is left blank, and the report names the words not covered.

A cell that is not a question (see `is_question`: no question mark, no request such as "Describe
...", and fewer than three words that carry meaning or written as a title, as section headings
are: "Business Continuity", "Identity & Access Management") is not matched at all. Internal
answers are never in the library, so they are never matched, nor offered as candidates.

The score compares the questions normalised: case folded, punctuation and runs of whitespace made
one space, a leading question id or list number dropped, and the filler words questionnaires wrap
a question in ("do you", "does your organization", "please describe") left out. It is the mean of
RapidFuzz's token_set_ratio, which rewards the words both questions share whatever their order,
and token_sort_ratio, which makes each side pay for the words the other lacks, so that a vague
question ("Do you have a plan?") sharing a word or two with a long one does not reach 80.

Measured by tests/test_answers_fill.py (test_matching_by_wording_measured_on_the_example) on the
example library: 149 questions, each with the answers that answer it rightly. 30 are ours as
customers write them in their own words, 36 ours reordered or reworded a little, 63 ours with a
qualifier our answer does not say ("every quarter", "to another region", "for customer users"),
8 vague and 12 unrelated. Rows filled rightly / wrongly:

    --min-score         60      70      75      80      85      90
    the mean          40/4    36/2    35/0    35/0    34/0    29/0
    token_set_ratio   41/4    38/4    37/4    37/4    34/4    34/4
    token_sort_ratio  36/1    34/1    32/0    32/0    27/0    20/0
    WRatio            40/4    37/4    37/4    36/4    36/4    32/4

Without the rule that the answer says every word of the question, the mean at 80 filled 43 rightly
and 30 wrongly: nearly every qualified question got our answer to the unqualified one. With it, the
wrong fills below 75 are vague questions ("Do you encrypt?" -> customer-managed-keys, a No). The
rule has a price: none of the 30 questions in customers' own words is filled (each has a word our
answer does not use: "annually", "employees", "performed"), though for 21 of them the right answer
is among the three candidates the report lists, with the words to check.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from functools import cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from plaintrust.answers import shared
from plaintrust.model import Answer

HIGH = 90  # a text match from this score is "high" confidence, below it "medium"
MIN_SCORE = 80  # the default: below it a row is left blank and listed with its candidates
CANDIDATES = 3
ID_STANDARD = "caiq-v4"  # whose ids are looked up when no standard is named

# A standard's question id opening the question, then a separator: CAIQ "IAM-14.1" and "A&A-01.1",
# VSA "CORE-12", "SI-1a" and "1.1", SIG "M.1.3"; or a list number ("12.", "3)"): dropped before
# the words are compared.
_LEADING_ID = re.compile(
    r"""\s*[(\[]?
    (?P<id>[A-Za-z&]{1,6}-\d+(?:\.\d+)*[a-z]?
      |[A-Z]{1,3}(?:\.\d+)+
      |\d+(?:\.\d+)+)
    [)\]]?(?:[\s:.)\]\u2013\u2014-]+|$)
    |\s*\d+[.)]\s+""",
    re.VERBOSE,
)
_CAIQ_SHAPE = re.compile(r"[A-Za-z&]{3}-\d{2}\.\d{1,2}")  # "IAM-14.1": never a list's own numbering
_NOT_WORD = re.compile(r"[\W_]+")
_NOT = {"can't": "can not", "cannot": "can not", "won't": "will not"}
_NEGATION = re.compile(r"\b(?:can't|cannot|won't)\b|n't\b")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_HYPHEN = re.compile(r"(?<=[^\W_])-(?=[^\W_])")
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
# Words an answer need not say for a question to be covered: the grammar of a question and the
# words naming the company asked. Qualifiers ("every", "another", "only", "before", "within") and
# negations carry meaning, and are not here.
STOP_WORDS = frozenset(
    {
        *("a", "an", "the", "do", "does", "did", "done", "doing", "is", "are", "was", "were", "be", "been"),
        *("being", "am", "has", "have", "had", "having", "can", "could", "will", "would", "should", "shall"),
        *("may", "might", "must", "you", "your", "yours", "yourself", "we", "our", "ours", "us", "i", "me"),
        *("my", "they", "their", "them", "it", "its", "he", "she", "his", "her", "this", "that", "these"),
        *("those", "there", "here", "of", "to", "for", "in", "on", "at", "by", "with", "as", "from", "into"),
        *("about", "or", "and", "but", "if", "whether", "so", "than", "then", "also", "what", "which", "who"),
        *("whom", "whose", "when", "where", "why", "how", "any", "such", "e", "g", "eg", "ie", "etc", "please"),
        *("describe", "provide", "explain", "confirm", "indicate", "specify", "detail", "organization"),
        *("organisation", "company"),
    }
)
_REQUESTS = frozenset({"describe", "provide", "explain", "list", "confirm", "indicate", "specify", "detail", "outline"})
_CUSTOMER_DATA = re.compile(r"\b(?:customer|client)s?['\u2019]?\s+data\b", re.IGNORECASE)
_LETTERS = re.compile(r"[^\W\d_][\w'-]*")
# Endings taken off a word, the first of these that fits and again while one does, so that
# "tested", "tests" and "testing", or "encrypted" and "encryption", compare as one word. Crude, but
# the same on both sides.
_ENDINGS = (
    *("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ions", "ion", "ities", "ity", "ies"),
    *("ied", "ers", "er", "ed", "es", "ly", "al", "s", "e", "y"),
)
_SHORTEST_STEM = 3


@dataclass(frozen=True)
class Candidate:
    answer: Answer
    score: float  # 0-100, rounded to one decimal
    uncovered: tuple[str, ...] = ()  # the question's words that neither our question nor explanation says


@dataclass(frozen=True)
class Match:
    """The answer a question gets, if any, how it was found, and the best candidates by text."""

    answer: Answer | None
    how: str | None  # "id" | "text" | None (left blank)
    score: float  # 100 for an id
    question_id: str | None  # the standard's id that matched, for how == "id"
    candidates: tuple[Candidate, ...]  # best first; for a blank row, what came closest
    standard: str | None = None  # the standard of question_id

    @property
    def confidence(self) -> str | None:
        if self.how is None:
            return None
        if self.how == "id":
            return "id"
        return "high" if self.score >= HIGH else "medium"


@dataclass(frozen=True)
class Said:
    """The words of one answer, stemmed: its question's, and its explanation's, in order too."""

    question: frozenset[str]
    explanation: frozenset[str]
    sequence: tuple[str, ...]  # the explanation's words that carry meaning, in order


def _said(answer: Answer) -> Said:
    # the explanation as written: its Markdown's marks are no words, its links' addresses go out too
    sequence = tuple(stem(word) for word in _content(answer.explanation))
    return Said(stems(answer.question), stems(answer.explanation), sequence)


@dataclass(frozen=True)
class Library:
    """Our shared answers prepared once for many questions: normalised questions, the words each
    answer says, and the id table of one standard."""

    answers: tuple[Answer, ...]  # public and nda, in path order
    texts: tuple[str, ...]  # each answer's question, normalised
    said: tuple[Said, ...]  # what each answer says, word by word
    standard: str  # the standard whose ids are looked up
    by_id: Mapping[str, tuple[str, Answer]]  # folded question id -> (the id as cited, its first answer)


def library(answers: Iterable[Answer], standard: str | None = None) -> Library:
    """The library of the shared answers, looking up the ids of `standard` (default: CAIQ v4's)."""
    chosen = shared(answers)
    name = standard or ID_STANDARD
    by_id: dict[str, tuple[str, Answer]] = {}
    for answer in chosen:  # path order: the first answer citing an id answers it
        for question in answer.refs.get(name, ()):
            by_id.setdefault(question.casefold(), (question, answer))
    said = tuple(_said(a) for a in chosen)
    return Library(chosen, tuple(normalise(a.question) for a in chosen), said, name, by_id)


def leading_id(text: str) -> str | None:
    """The question id or list number opening `text` ("IAM-14.1 Do you ..." -> "IAM-14.1"), if any."""
    found = _LEADING_ID.match(text)
    return found.group("id") if found else None


def question_ids(library: Library, question: str, ids: Iterable[str] = ()) -> list[str]:
    """The ids to look up: the id column's, then an id opening the question when it has CAIQ's
    shape and CAIQ's ids are the ones looked up."""
    found = [qid.strip() for qid in ids if qid.strip()]
    opening = leading_id(question)
    if library.standard == ID_STANDARD and opening and _CAIQ_SHAPE.fullmatch(opening):
        found.append(opening)
    return found


def normalise(text: str) -> str:
    """The words that carry a question's meaning, case folded, in their order."""
    words = _NOT_WORD.sub(" ", _without_number(text).casefold()).split()
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)


def _without_number(text: str) -> str:
    found = _LEADING_ID.match(text)
    return text[found.end() :] if found and found.end() < len(text) else text


def content_words(text: str) -> tuple[str, ...]:
    """The words of a question an answer has to say to answer it, as written (lower case), each
    once: all but the grammar of a question (STOP_WORDS) and a leading question id or number."""
    return tuple(dict.fromkeys(_asked(text)))


def _asked(question: str) -> list[str]:
    # a customer asking about "customer data" asks about their own data: our answers say "your data"
    return _content(_CUSTOMER_DATA.sub("data", _without_number(question)))


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w not in STOP_WORDS and w.removesuffix("s") not in STOP_WORDS]


def is_question(text: str) -> bool:
    """Whether a cell asks something: it has a question mark, or opens with a request ("Describe
    ..."), or has three words that carry meaning and is not written as a title ("Identity & Access
    Management"). A section heading ("Business Continuity") does not."""
    if "?" in text:
        return True
    words = _words(_without_number(text))
    if words[:1] and words[0] in _REQUESTS:
        return True
    return len(content_words(text)) >= 3 and not _titled(_without_number(text).strip())


def _titled(text: str) -> bool:
    """Written as a title: each word of four letters or more capitalised, no full stop at the end
    (in capitals only, it may be a question written so: the other tests decide)."""
    long = [word for word in _LETTERS.findall(text) if len(word) > 3]
    capitalised = bool(long) and all(word[0].isupper() for word in long) and not text.endswith(".")
    return capitalised and not all(word.isupper() for word in long)


def stems(text: str) -> frozenset[str]:
    """The stems of the words of `text`, and of each two neighbours written as one ("back up" also
    as "backup"), as a customer may write them."""
    words = [stem(w) for w in _words(text)]
    return frozenset(words + [stem(a + b) for a, b in pairwise(words)])


def _words(text: str) -> list[str]:
    folded = text.casefold().replace("\u2019", "'")
    folded = _NEGATION.sub(lambda found: _NOT.get(found.group(), " not"), folded)  # "don't" -> "do not"
    folded = _POSSESSIVE.sub("", folded)
    folded = _HYPHEN.sub("", folded)  # "multi-factor", "sub-processors": one word, however written
    return [word for word in _NOT_WORD.split(folded) if word]


@cache
def stem(word: str) -> str:
    """`word` without its endings: "encryption" and "encrypted" -> "encrypt", "policies" -> "polic"."""
    while True:
        ending = next((e for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= _SHORTEST_STEM), None)
        if ending is None:
            return word
        word = word[: -len(ending)]


def uncovered(question: str, said: Said) -> tuple[str, ...]:
    """What the question asks that the answer does not say: each run of the question's words that
    our question lacks, unless the explanation says that run, its words in that order ("every
    year" in "reviewed every year", not in "every build ... each year")."""
    missing, run = [], []
    for word in [*_asked(question), None]:
        if word is not None and stem(word) not in said.question:
            run.append(word)
            continue
        if run and not _says(said, [stem(w) for w in run]):
            missing.append(" ".join(run))
        run = []
    return tuple(dict.fromkeys(missing))


def _says(said: Said, run: list[str]) -> bool:
    if len(run) == 1:
        return run[0] in said.explanation
    sequence, size = said.sequence, len(run)
    return any(list(sequence[start : start + size]) == run for start in range(len(sequence) - size + 1))


def match(library: Library, question: str, ids: Iterable[str] = (), min_score: float = MIN_SCORE) -> Match:
    """The answer to one question: by the first of its ids that an answer cites, else by text when
    the best candidate whose answer covers the question's words scores at least `min_score`."""
    candidates = _by_text(library, question)
    for qid in question_ids(library, question, ids):
        cited = library.by_id.get(qid.casefold())
        if cited is not None:
            return Match(cited[1], "id", 100.0, cited[0], candidates, library.standard)
    fits = [c for c in candidates if c.score >= min_score and not c.uncovered]
    if fits:
        return Match(fits[0].answer, "text", fits[0].score, None, candidates)
    return Match(None, None, candidates[0].score if candidates else 0.0, None, candidates)


def score(question: str, ours: str, **_: object) -> float:
    """How close two normalised questions are, 0-100: see the module's documentation for why this."""
    return (fuzz.token_set_ratio(question, ours) + fuzz.token_sort_ratio(question, ours)) / 2


def _by_text(library: Library, question: str) -> tuple[Candidate, ...]:
    query = normalise(question)
    if not query or not library.texts:
        return ()
    found = process.extract(query, library.texts, scorer=score, processor=None, limit=CANDIDATES)
    return tuple(
        Candidate(library.answers[index], round(score, 1), uncovered(question, library.said[index]))
        for _text, score, index in found
    )
