"""The standard questionnaires an answer can cite in `refs`: identifiers only, never their texts.

CAIQ v4 ships its full list of question ids, so a mistyped id is caught and exports follow the
questionnaire's order. SIG Lite and VSA publish no open list: their ids are checked for shape only.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache
from importlib import resources

import yaml

NAMES = ("caiq-v4", "sig-lite", "vsa")
_NUMBER = re.compile(r"\d+|[^\d.\-]+")  # an id's runs of digits and of other characters
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # PyYAML built without libyaml has no C loader


@dataclass(frozen=True)
class Standard:
    id: str
    name: str  # as people write it: "CAIQ v4"
    answer_words: dict[str, str]  # yes | no | n/a -> the word the questionnaire's answer column uses
    questions: tuple[str, ...] | None  # every question id in the questionnaire's order; None: not shipped
    pattern: re.Pattern[str] | None  # the shape of an id when no list is shipped

    def known(self, question: str) -> bool:
        if self.questions is not None:
            return question in self.order
        return self.pattern is not None and self.pattern.fullmatch(question) is not None

    @property
    def order(self) -> dict[str, int]:
        return _order(self.id)

    def rank(self, question: str) -> tuple[int, tuple[tuple[int, int | str], ...], str]:
        """A sort key: the questionnaire's order, ids it does not list last, in the order people
        number things (numbers as numbers: 1.2 before 1.10, A.9 before A.10)."""
        parts = _NUMBER.findall(question)
        natural = tuple((0, int(p)) if p.isdigit() else (1, p) for p in parts)
        return (self.order.get(question, len(self.order)), natural, question)


@cache
def standard(name: str) -> Standard:
    """A shipped standard by its id (one of NAMES); KeyError when it is not one."""
    if name not in NAMES:
        raise KeyError(name)
    text = resources.files(__package__).joinpath(f"{name}.yaml").read_bytes()
    data = yaml.load(text, Loader=_LOADER)
    questions = data.get("questions")
    pattern = data.get("pattern")
    return Standard(
        id=data["id"],
        name=data["name"],
        answer_words={_word(k): str(v) for k, v in data["answer_words"].items()},
        questions=tuple(str(q) for q in questions) if questions is not None else None,
        pattern=re.compile(pattern) if pattern else None,
    )


def _word(key: object) -> str:
    # YAML 1.1 reads the keys `yes` and `no` as booleans
    return {True: "yes", False: "no"}.get(key, str(key))  # type: ignore[call-overload]


@cache
def _order(name: str) -> dict[str, int]:
    return {question: index for index, question in enumerate(standard(name).questions or ())}
