"""Which of our answers answers a customer's question: by the standard's question id, else by text.

A customer's questionnaire row names its question by a standard's id (in an id column, or at the
start of the question: "IAM-14.1 Do you ...") or only by its words. An id that one of our shared
answers cites in `refs` decides (score 100, confidence "id"). Only one standard's ids are looked
up: the one named (`--standard`), else CAIQ v4's; and an id opening the question counts only when
it has CAIQ's shape ("IAM-14.1"), because a questionnaire's own numbering ("1.1", "A.1") looks
just like a SIG Lite or VSA id. Those ids count only from an id column, with their standard named.

Otherwise the question's words are compared with our own questions. A wrong answer sent to a
customer is worse than a blank row, so a text match fills a row only when all of these hold:

- its score reaches `min_score` ("high" from 90, else "medium");
- our answer says every word of the customer's question that carries meaning (see
  `content_words` and `uncovered`): in our question, or, for the words our question lacks, in our
  explanation, in the same order. A question that shares our words but adds what it is really
  about ("every quarter", "immediately", "to another region") scores high, and our answer says
  nothing about that. A lone qualifier ("only", "more", "every") counts as said only beside the
  question's word next to it ("only a password"), a negation ("not", "never") only by our question;
- the customer's question asks every word of ours that carries meaning: "Do you encrypt our
  data?" is not "Can we hold the keys that encrypt our data?", though that answer says all it asks;
- both open alike (see `_opening`): the same person acts ("Do you hold the keys ..." is not "Can
  we hold the keys ..."), at the same time ("Did a breach affect our data?" and "Have you had
  incidents?" ask what happened, not what is done), and the customer's question asks yes or no:
  one opening with where, who, when, which, what, why or how is never filled by wording. A thing
  both questions name is the same one's ("our service" is not "your service");
- the cell asks one question: a further one ("... our data? Can backups be deleted?") is not.

Else the row is left blank, and the report lists what keeps each candidate apart (`uncovered`).
Before comparing, `read` sets aside what is not the question: a label ("Q12:", "Question 12:")
and, after the question mark, how to answer ("(Y/N)", "Yes/No", "If no, explain.", "Please
provide evidence.", "(Include frequency and retention.)", "Comments:"): `Match.ignored` says what.
Words are compared without case, Unicode form (NFC) or endings ("tested", "tests", "testing" are
one), a hyphenated word as one word and, on our side, as its parts ("anti-malware" covers "anti
malware" and "antimalware"); "quarterly" is "every quarter"; "US" in a question not written in
capitals is the country. Matching by wording is tuned for English: the grammar words left out,
the endings taken off and the openings read are English ones.

A cell that is not a question (see `is_question`: no question mark, no request such as "Describe
..." or "Please list ...", and fewer than three words that carry meaning or written as a title, as
section headings are: "Business Continuity", "Identity & Access Management") is not matched at
all. Internal answers are never in the library, so they are never matched, nor candidates.

The score compares the questions normalised and stemmed: case folded, punctuation and runs of
whitespace made one space, a leading question id or list number dropped, the filler words
questionnaires wrap a question in ("do you", "does your organization", "please describe") left
out, and each word's endings taken off, as the coverage rule takes them. It is the mean of
RapidFuzz's token_set_ratio, which rewards the words both questions share whatever their order,
and token_sort_ratio, which makes each side pay for the words the other lacks.

Measured by tests/test_answers_fill.py (test_matching_by_wording_measured_on_the_example) on the
example library: 183 questions, each with the answers that answer it rightly. 30 are ours as
customers write them in their own words, 36 ours reordered or reworded a little, 63 ours with a
qualifier our answer does not say ("every quarter", "to another region", "for customer users"),
8 vague, 12 unrelated, 25 that use our words to ask something else ("Do you hold the keys that
encrypt our data?", "Where is our data stored?", "Have you had security incidents?") and 9 ours
with a label, the answer's format or a hyphen left out. Rows filled rightly / wrongly, each scorer
on stemmed words:

    --min-score         60      70      75      80      85      90
    the mean          36/0    36/0    36/0    36/0    36/0    34/0
    token_set_ratio   36/0    36/0    36/0    36/0    36/0    36/0
    token_sort_ratio  36/0    36/0    36/0    34/0    32/0    30/0
    WRatio            36/0    36/0    36/0    36/0    36/0    35/0

The rules on the words keep the wrong answers out, not the score: with none of them, the mean at
80 filled 52 rightly and 54 wrongly; with only the customer's words checked, and no answer-format
words set aside, 36 rightly and 23 wrongly, two of them at 100 ("Do you hold the keys that encrypt
our data?" got the No of "Can we hold ..."). What the score decides is which answers the report
offers: stemmed, the right answer is among the three candidates for 24 of the 30 questions in
customers' own words (21 unstemmed), none of which is filled: each has a word our answer does not
use ("annually", "employees", "performed"), or lacks one of ours. The rules have that price: of
the 36 close rewordings, 25 are filled ("Are your networks segmented and monitored?" is not
"Are your networks segmented, restricted and monitored?").
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import cache, lru_cache
from itertools import pairwise

from rapidfuzz import fuzz, process

from plaintrust.answers import shared
from plaintrust.model import Answer

HIGH = 90  # a text match from this score is "high" confidence, below it "medium"
MIN_SCORE = 80  # the default: below it a row is left blank and listed with its candidates
CANDIDATES = 3
ID_STANDARD = "caiq-v4"  # whose ids are looked up when no standard is named

# What opens a question and is dropped before its words are compared: a CAIQ question id
# ("IAM-14.1", "A&A-01.1"), a questionnaire's own numbering ("1.1", "A.1", "M.1.3") or a list
# number ("12.", "3)"). Nothing looser: "DES-56", "AES-128", "SHA-1" and "COVID-19" are words.
_LEADING_ID = re.compile(
    r"""\s*[(\[]?
    (?P<id>[A-Za-z&]{3}-\d{2}\.\d{1,2}
      |[A-Z]{1,3}(?:\.\d+)+
      |\d+(?:\.\d+)+)
    [)\]]?(?:[\s:.)\]\u2013\u2014-]+|$)
    |\s*\d+[.)]\s+""",
    re.VERBOSE,
)
_CAIQ_SHAPE = re.compile(r"[A-Za-z&]{3}-\d{2}\.\d{1,2}")  # "IAM-14.1": never a list's own numbering
# A questionnaire's own label for the question: "Q12:", "Q12", "Question 12:".
_LABEL = re.compile(r"\s*(?:q\d+|question\s*\d+)(?:\.\d+)*[a-z]?\s*[:.)\u2013\u2014-]?\s+", re.IGNORECASE)
_CHOICE = r"(?:y|n|yes|no|n/?a|na|not\s+applicable|true|false|partial(?:ly)?)"
# How the customer wants the answer given, after the question: not part of what is asked.
_FORMAT = re.compile(
    rf"""[\W_]*(?:
      {_CHOICE}(?:[\s/,|]+(?:or\s+)?{_CHOICE})*[\W_]*
     |(?:if|when)\s+(?:yes|no|not|so|applicable|n/?a|partial(?:ly)?)\b.*
     |(?:(?:please|kindly)\s+)?(?:provide|attach|explain|describe|include|list|give|add|upload|specify|detail
        |elaborate|comment|select|choose|answer|tick|mark|state|share|supply|outline)\b.*
     |(?:comments?|remarks?)\b.*|(?:notes?|evidence|details?|explanation)\s*:?[\W_]*)""",
    re.IGNORECASE | re.VERBOSE | re.DOTALL,
)
_PIECES = re.compile(r"(?<=[.?!;])\s+|\n+|(?=\()|(?<=\))")
_PARENTHESIS = re.compile(r"\([^()]*\)")
_FURTHER = re.compile(r",\s*(?:(?:and|or|but)\s+)?(?=(?:what|which|who|whom|whose|when|where|why|how)\b)", re.I)
_NOT_WORD = re.compile(r"[\W_]+")
_NOT = {"can't": "can not", "cannot": "can not", "won't": "will not"}
_NEGATION = re.compile(r"\b(?:can't|cannot|won't)\b|n't\b")
_POSSESSIVE = re.compile(r"(?<=\w)'s\b")
_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")  # "anti-malware" one word, as written
# How often, said one way: "quarterly" is "every quarter", as "every month" is "monthly".
_EVERY = {"hourly": "hour", "daily": "day", "weekly": "week", "monthly": "month", "quarterly": "quarter"}
_EVERY |= {"yearly": "year", "annually": "year"}
_OFTEN = re.compile(rf"\b(?:{'|'.join(_EVERY)})\b")
_COUNTRY = re.compile(r"\b(?:US|USA|U\.S\.(?:A\.)?)(?![\w.])")  # the country, not "us": told apart before folding
# Words questionnaires wrap a question in; they say nothing about what is asked.
FILLER = frozenset(
    {
        *("a", "an", "the", "do", "does", "did", "is", "are", "was", "were", "be", "been", "has", "have", "had"),
        *("can", "could", "will", "would", "should", "shall", "may", "you", "your", "yours", "we", "our", "us"),
        *("they", "their", "it", "its", "this", "that", "these", "those", "there", "of", "to", "for", "in", "on"),
        *("at", "by", "with", "as", "or", "and", "any", "all", "please", "describe", "provide", "explain"),
        *("confirm", "indicate", "specify", "organization", "organisation", "company", "vendor", "supplier"),
        *("service", "provider", "kindly"),
    }
)
# Words an answer need not say for a question to be covered: the grammar of a question and the
# words naming the company asked. What the grammar carries is read apart (see `_opening`): who
# does it ("Can we" is not "Do you"), when ("Did", "Have you had" are not "Do you"), and a
# question asking where, who or how, which no yes or no answers. Qualifiers ("every", "another",
# "only", "more") and negations carry meaning, and are not here.
STOP_WORDS = frozenset(
    {
        *("a", "an", "the", "do", "does", "did", "done", "doing", "is", "are", "was", "were", "be", "been"),
        *("being", "am", "has", "have", "had", "having", "can", "could", "will", "would", "should", "shall"),
        *("may", "might", "must", "you", "your", "yours", "yourself", "we", "our", "ours", "us", "i", "me"),
        *("my", "they", "their", "them", "it", "its", "he", "she", "his", "her", "this", "that", "these"),
        *("those", "there", "here", "of", "to", "for", "in", "on", "at", "by", "with", "as", "from", "into"),
        *("about", "or", "and", "but", "if", "whether", "while", "so", "than", "then", "also", "what", "which"),
        *("who", "whom", "whose", "when", "where", "why", "how", "any", "such", "e", "g", "eg", "ie", "etc", "please"),
        *("describe", "provide", "explain", "confirm", "indicate", "specify", "detail", "organization"),
        *("organisation", "company", "kindly", "ourselves", "yourselves", "themselves", "itself", "example"),
    }
)
# Words only our question can say: a "not" elsewhere in our explanation turns nothing around.
_NEGATIONS = frozenset({"not", "no", "never", "nor", "none", "neither", "nobody", "nothing"})
# Words that bound what they stand next to: our explanation says one only next to the same word.
_QUALIFIERS = frozenset(
    {
        *("only", "just", "all", "every", "each", "more", "less", "fewer", "least", "most", "both", "either"),
        *("other", "another", "same", "different", "always", "ever", "before", "after", "within", "except"),
        *("outside", "first", "last", "without", "regularly", "periodically", "continuously", "immediately"),
    }
)
# The word opening a question, by what it asks: a fact ("Do you", "Will you"), what may be done
# ("Can we"), what must be, or what happened ("Did", "Was", "Have you had").
_TENSE = {
    **dict.fromkeys(("do", "does", "is", "are", "am", "will", "would"), "now"),
    **dict.fromkeys(("can", "could", "may"), "can"),
    **dict.fromkeys(("should", "must", "shall"), "must"),
    **dict.fromkeys(("did", "was", "were", "had", "has", "have"), "past"),
}
_PERSON = {"we": "we", "i": "we", "you": "you"}  # the customer asks: "we" is the customer, "you" is us
_WH = frozenset({"what", "which", "who", "whom", "whose", "when", "where", "why", "how"})
_REQUESTS = frozenset({"describe", "provide", "explain", "list", "confirm", "indicate", "specify", "detail", "outline"})
_POLITE = frozenset({"please", "kindly"})
_CUSTOMER_DATA = re.compile(r"\b(?:(?:our|your|their)\s+)?(?:customer|client)s?['\u2019]?\s+data\b", re.IGNORECASE)
_OWNED = re.compile(r"\b(our|your|my)\s+(?:own\s+)?([^\W_]+(?:-[^\W_]+)*)")
_MINE = {"my": "our"}  # the customer asking, alone or as a company
_LETTERS = re.compile(r"[^\W\d_][\w'-]*")
_CLAUSE = re.compile(r"[\w']+|,")
# Endings taken off a word, the first of these that fits and again while one does, so that
# "tested", "tests" and "testing", or "encrypted" and "encryption", compare as one word. Crude, but
# the same on both sides.
_ENDINGS = (
    *("ations", "ation", "ments", "ment", "ness", "ings", "ing", "ions", "ion", "ities", "ity", "ies"),
    *("ied", "ers", "er", "ed", "es", "ly", "al", "s", "e", "y"),
)
_SHORTEST_STEM = 3
# Verbs whose past no ending makes: "Is security built in?" asks what "Do you build it in?" does.
_IRREGULAR = {
    **{"built": "build", "kept": "keep", "held": "hold", "sent": "send", "told": "tell", "made": "make"},
    **{"taken": "take", "took": "take", "written": "write", "wrote": "write", "chosen": "choose"},
    **{"chose": "choose", "given": "give", "gave": "give", "ran": "run", "met": "meet", "sold": "sell"},
    **{"bought": "buy", "paid": "pay", "known": "know", "seen": "see", "saw": "see", "brought": "bring"},
    **{"shown": "show", "stolen": "steal", "broken": "break", "hidden": "hide", "lost": "lose"},
}


@dataclass(frozen=True)
class Candidate:
    answer: Answer
    score: float  # 0-100, rounded to one decimal
    # what keeps the two questions apart: the customer's words our answer does not say, their
    # opening and ours when these differ ("do you", "can we"), a further question, then the words
    # of our question theirs does not ask
    uncovered: tuple[str, ...] = ()


@dataclass(frozen=True)
class Match:
    """The answer a question gets, if any, how it was found, and the best candidates by text."""

    answer: Answer | None
    how: str | None  # "id" | "text" | None (left blank)
    score: float  # 100 for an id
    question_id: str | None  # the standard's id that matched, for how == "id"
    candidates: tuple[Candidate, ...]  # best first; for a blank row, what came closest
    standard: str | None = None  # the standard of question_id
    ignored: str = ""  # the question's label and answer-format words, left out: "Q12:", "(Y/N)"

    @property
    def confidence(self) -> str | None:
        if self.how is None:
            return None
        if self.how == "id":
            return "id"
        return "high" if self.score >= HIGH else "medium"


@dataclass(frozen=True)
class Reading:
    """A customer's question cell, taken apart: the question, a further one, and what is ignored."""

    question: str  # what is asked, first: without a label before it or answer-format words after it
    further: str  # a further question in the same cell ("Can backups be deleted?"), or ""
    ignored: str  # the label and answer-format words left out ("Q12:", "(Y/N)", "If no, explain.")


@dataclass(frozen=True)
class Opening:
    """What a question's opening words say: its kind (see _TENSE), who does it, and whether it asks
    where, who, how ... rather than yes or no."""

    words: str  # as written, folded: "do you", "can we", "have you"
    tense: str | None
    person: str | None  # "we" (the customer), "you" (us), or None (someone else or nothing said)
    wh: bool


@dataclass(frozen=True)
class Said:
    """The words of one answer, stemmed: its question's, and its explanation's, in order too."""

    question: frozenset[str]
    explanation: frozenset[str]
    sequence: tuple[str, ...]  # the explanation's words that carry meaning, in order
    # our question's words that carry meaning, as written, each with its stem and its stems written
    # as one with the word before or after ("sign" of "sign in": "sign", "signin")
    asked: tuple[tuple[str, frozenset[str]], ...] = ()
    opening: Opening | None = None
    owners: Mapping[str, str] = field(default_factory=dict)  # whose: stem -> "our data", "your service"


def _said(answer: Answer) -> Said:
    # the explanation as written: its Markdown's marks are no words, its links' addresses go out too
    sequence = tuple(stem(word) for word in _content(answer.explanation))
    opening, owners = _opening(answer.question), _owners(answer.question)
    return Said(stems(answer.question), stems(answer.explanation), sequence, _forms(answer.question), opening, owners)


def _forms(question: str) -> tuple[tuple[str, frozenset[str]], ...]:
    # a customer may write "sign in" as "signin", "back up" as "backup": each word with its neighbours
    words = _words(_plain(question))
    return tuple(
        (word, frozenset(stem(w) for w in (word, "".join(words[max(at - 1, 0) : at + 1]), "".join(words[at : at + 2]))))
        for at, word in enumerate(words)
        if word not in STOP_WORDS and word.removesuffix("s") not in STOP_WORDS
    )


@dataclass(frozen=True)
class Library:
    """Our shared answers prepared once for many questions: normalised questions, the words each
    answer says, and the id table of one standard."""

    answers: tuple[Answer, ...]  # public and nda, in path order
    texts: tuple[str, ...]  # each answer's question, normalised and stemmed, as `score` compares them
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
    return Library(chosen, tuple(_compared(a.question) for a in chosen), said, name, by_id)


def leading_id(text: str) -> str | None:
    """The question id or numbering opening `text` ("IAM-14.1 Do you ..." -> "IAM-14.1"), if any."""
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


@lru_cache(maxsize=4096)
def read(text: str) -> Reading:
    """`text` taken apart: a label before the question ("Q12:") and the answer-format words after
    its question mark ("(Y/N)", "If no, explain.", "Please provide evidence.", "Comments:") are
    ignored; what else follows the first question is a further question."""
    text = unicodedata.normalize("NFC", text)
    label = _LABEL.match(text)
    ignored = [label.group().strip()] if label else []
    head, mark, tail = text[label.end() if label else 0 :].partition("?")
    head, dropped = _unformatted(head)
    head, further = _FURTHER.split(head, maxsplit=1) if _FURTHER.search(head) else (head, "")
    kept = [further] if further else []
    for piece in filter(None, (p.strip() for p in _PIECES.split(tail))):
        (ignored if _FORMAT.fullmatch(piece) else kept).append(piece)
    return Reading(head.strip() + mark, " ".join(kept), " ".join([*ignored, *dropped]))


def _unformatted(head: str) -> tuple[str, list[str]]:
    """The question without the answer-format words in its brackets ("... store it (Y/N)")."""
    dropped = [p for p in _PARENTHESIS.findall(head) if _FORMAT.fullmatch(p)]
    for piece in dropped:
        head = head.replace(piece, " ")
    return head, dropped


def normalise(text: str) -> str:
    """The words that carry a question's meaning, case folded, in their order."""
    words = _NOT_WORD.sub(" ", _without_number(read(text).question).casefold()).split()
    kept = [w for w in words if w not in FILLER]
    return " ".join(kept or words)


def _compared(text: str) -> str:
    """What `score` compares: the normalised question's words without their endings."""
    return " ".join(stem(word) for word in normalise(text).split())


def _without_number(text: str) -> str:
    found = _LEADING_ID.match(text)
    return text[found.end() :] if found and found.end() < len(text) else text


def content_words(text: str) -> tuple[str, ...]:
    """The words of a question an answer has to say to answer it, as written (lower case), each
    once: all but the grammar of a question (STOP_WORDS), a leading question id or number, and the
    words `read` ignores."""
    return tuple(dict.fromkeys(_asked(read(text).question)))


def _asked(question: str) -> list[str]:
    return _content(_plain(question))


def _plain(question: str) -> str:
    # a customer asking about "customer data" asks about their own data: "our data", as ours say it
    return _CUSTOMER_DATA.sub("our data", _without_number(question))


def _owners(question: str) -> dict[str, str]:
    """Whose each thing is, as the question says it: stem -> "our data", "your service"."""
    folded = unicodedata.normalize("NFC", question).casefold()
    return {stem(thing): f"{_MINE.get(owner, owner)} {thing}" for owner, thing in _OWNED.findall(folded)}


def _content(text: str) -> list[str]:
    return [w for w in _words(text) if w not in STOP_WORDS and w.removesuffix("s") not in STOP_WORDS]


def is_question(text: str) -> bool:
    """Whether a cell asks something: it has a question mark, or opens with a request ("Describe
    ...", "Please list ..."), or has three words that carry meaning and is not written as a title
    ("Identity & Access Management"). A section heading ("Business Continuity") does not."""
    if "?" in text:
        return True
    words = _words(_without_number(text))
    while words[:1] and words[0] in _POLITE:
        words = words[1:]
    if words[:1] and words[0] in _REQUESTS:
        return True
    return len(content_words(text)) >= 3 and not _titled(_without_number(text).strip())


def _titled(text: str) -> bool:
    """Written as a title: each word of four letters or more capitalised, no full stop at the end
    (in capitals only, it may be a question written so: the other tests decide)."""
    long = [word for word in _LETTERS.findall(text) if len(word) > 3]
    capitalised = bool(long) and all(word[0].isupper() for word in long) and not text.endswith(".")
    return capitalised and not all(word.isupper() for word in long)


def stems(text: str, parts: bool = True) -> frozenset[str]:
    """The stems of the words of `text`, and of each two neighbours written as one ("back up" also
    as "backup"), as a customer may write them; with `parts` (our side), a hyphenated word also as
    its parts ("anti-malware": "antimalware", "anti", "malware")."""
    words = [stem(w) for w in _words(text)]
    split = [stem(part) for word in _words(text) if "-" in word for part in word.split("-")] if parts else []
    return frozenset(words + split + [stem(a + b) for a, b in pairwise(words)])


def _words(text: str) -> list[str]:
    """The words of `text`, folded, a hyphenated word as one: its stem is the parts written as one
    ("multi-factor", "sub-processors"), as a customer may write them."""
    text = unicodedata.normalize("NFC", text)  # "é" one letter, however it was typed
    if any(c.islower() for c in text):  # in capitals only, "US" is "us"
        text = _COUNTRY.sub(" usa ", text)
    folded = text.casefold().replace("\u2019", "'")
    folded = _NEGATION.sub(lambda found: _NOT.get(found.group(), " not"), folded)  # "don't" -> "do not"
    folded = _POSSESSIVE.sub("", folded)
    folded = _OFTEN.sub(lambda found: f"every {_EVERY[found.group()]}", folded)
    return _WORD.findall(folded)


@cache
def stem(word: str) -> str:
    """`word` without its endings: "encryption" and "encrypted" -> "encrypt", "policies" -> "polic";
    its parts written as one ("anti-malware" -> "antimalware")."""
    word = word.replace("-", "")
    word = _IRREGULAR.get(word, word)
    while True:
        ending = next((e for e in _ENDINGS if word.endswith(e) and len(word) - len(e) >= _SHORTEST_STEM), None)
        if ending is None:
            return word
        word = word[: -len(ending)]


def _opening(question: str) -> Opening:
    """The opening of the question's main clause: after "When our contract ends, " when one leads."""
    words = _CLAUSE.findall(unicodedata.normalize("NFC", _without_number(question)).casefold())
    while words[:1] and words[0] in _POLITE:
        words = words[1:]
    if words[:1] and words[0] not in _TENSE and "," in words:
        after = words[words.index(",") + 1 :]
        words = after if after[:1] and (after[0] in _TENSE or after[0] in _WH) else words
    tense = _TENSE.get(words[0]) if words else None
    person = _PERSON.get(words[1]) if tense and len(words) > 1 else None
    wh = next((word for word in words[:2] if word in _WH), None)
    return Opening(wh or " ".join(words[: 2 if person else 1]), tense, person, wh is not None)


def uncovered(question: str, said: Said) -> tuple[str, ...]:
    """What keeps the answer from answering the question, each as words to show: see Candidate."""
    reading = read(question)
    theirs = _opening(reading.question)
    found = [*_unsaid(reading.question, said), *_clash(theirs, said.opening), *_whose(reading.question, said)]
    found += [reading.further.removesuffix("?")] if reading.further else []
    found += _unasked(said, stems(_plain(reading.question), parts=False))
    return tuple(dict.fromkeys(found))


def _unsaid(question: str, said: Said) -> list[str]:
    """Each run of the question's words that our question lacks, unless the explanation says that
    run, its words in that order ("every year" in "reviewed every year", not in "every build ...
    each year"). A negation only our question can say."""
    missing, run, before = [], [], None
    for word in [*_asked(question), None]:
        if word is not None and stem(word) not in said.question:
            run.append(word)
            continue
        if run and not _says(said, run, word or before):
            missing.append(" ".join("US" if word == "usa" else word for word in run))
        run, before = [], word
    return missing


def _says(said: Said, run: list[str], beside: str | None) -> bool:
    """Whether the explanation says `run`: a lone qualifier only beside the question's word next to
    it ("only" with "password"), a negation never."""
    if any(word in _NEGATIONS for word in run):
        return False
    stemmed = [stem(word) for word in run]
    if len(run) == 1 and run[0] not in _QUALIFIERS:
        return stemmed[0] in said.explanation
    if len(run) == 1 and beside is not None:
        return _in_order(said, [*stemmed, stem(beside)]) or _in_order(said, [stem(beside), *stemmed])
    return _in_order(said, stemmed)


def _in_order(said: Said, run: list[str]) -> bool:
    sequence, size = said.sequence, len(run)
    return any(list(sequence[start : start + size]) == run for start in range(len(sequence) - size + 1))


def _clash(theirs: Opening, ours: Opening | None) -> list[str]:
    """Their opening and ours, when they ask differently: where, who or how, not yes or no; a
    past event ("Did", "Have you had"), or what may be done ("Can we") for what is done; or one
    asks what we do ("Do you") and the other what the customer does ("Can we")."""
    if theirs.wh:
        return [theirs.words]
    if ours is None or not theirs.tense or not ours.tense:
        return []
    if theirs.tense != ours.tense or (theirs.person and ours.person and theirs.person != ours.person):
        return [theirs.words, ours.words]
    return []


def _whose(question: str, said: Said) -> list[str]:
    """The things theirs and ours say are someone else's: "our service" is not "your service"."""
    ours, theirs = said.owners, _owners(_plain(question))
    clashes = [k for k in theirs if k in ours and ours[k].split()[0] != theirs[k].split()[0]]
    return [item for k in clashes for item in (theirs[k], ours[k])]


def _unasked(said: Said, theirs: frozenset[str]) -> list[str]:
    """Each run of our question's words that theirs does not ask ("more" of "more than a
    password"): our answer is about what their question leaves out."""
    missing, run = [], []
    for word, forms in [*said.asked, (None, frozenset())]:
        if word is not None and not forms & theirs:
            run.append(word)
            continue
        if run:
            missing.append(" ".join(run))
        run = []
    return missing


def match(library: Library, question: str, ids: Iterable[str] = (), min_score: float = MIN_SCORE) -> Match:
    """The answer to one question: by the first of its ids that an answer cites, else by text when
    the best candidate whose answer covers the question's words scores at least `min_score`."""
    candidates, ignored = _by_text(library, question), read(question).ignored
    for qid in question_ids(library, question, ids):
        cited = library.by_id.get(qid.casefold())
        if cited is not None:
            return Match(cited[1], "id", 100.0, cited[0], candidates, library.standard, ignored)
    fits = [c for c in candidates if c.score >= min_score and not c.uncovered]
    if fits:
        return Match(fits[0].answer, "text", fits[0].score, None, candidates, None, ignored)
    return Match(None, None, candidates[0].score if candidates else 0.0, None, candidates, None, ignored)


def score(question: str, ours: str, **_: object) -> float:
    """How close two compared questions are, 0-100: see the module's documentation for why this."""
    return (fuzz.token_set_ratio(question, ours) + fuzz.token_sort_ratio(question, ours)) / 2


def _by_text(library: Library, question: str) -> tuple[Candidate, ...]:
    query = _compared(question)
    if not query or not library.texts:
        return ()
    found = process.extract(query, library.texts, scorer=score, processor=None, limit=CANDIDATES)
    return tuple(
        Candidate(library.answers[index], round(score, 1), uncovered(question, library.said[index]))
        for _text, score, index in found
    )
