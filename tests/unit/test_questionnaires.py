"""The shipped standard questionnaires: CAIQ v4 with its full list of question ids, SIG Lite and VSA
checked for the shape of their ids only."""

from __future__ import annotations

import re
from importlib import resources

import pytest
import yaml

from plaintrust import questionnaires


def caiq_file() -> dict:
    return yaml.safe_load(resources.files(questionnaires).joinpath("caiq-v4.yaml").read_text(encoding="utf-8"))


def test_every_name_loads_as_the_standard_of_that_id() -> None:
    for name in questionnaires.NAMES:
        standard = questionnaires.standard(name)
        assert standard.id == name and standard.name
    with pytest.raises(KeyError):
        questionnaires.standard("sig-core")


def test_caiq_v4_ships_its_question_ids_in_order_once_each() -> None:
    caiq = questionnaires.standard("caiq-v4")
    assert caiq.questions is not None and caiq.pattern is None
    assert len(caiq.questions) == len(set(caiq.questions)) == 261
    assert caiq.questions[0] == "A&A-01.1" and caiq.questions[-1] == "UEM-14.1"
    assert all(re.fullmatch(r"[A-Z&]{3}-[0-9]{2}\.[0-9]", q) for q in caiq.questions)


def test_every_caiq_id_starts_with_a_listed_domain_and_every_domain_has_questions() -> None:
    prefixes = [d["prefix"] for d in caiq_file()["domains"]]
    used = {q.split("-")[0] for q in questionnaires.standard("caiq-v4").questions or ()}
    assert len(prefixes) == 17
    assert used == set(prefixes)


@pytest.mark.parametrize("name", questionnaires.NAMES)
def test_yes_and_no_keys_read_as_words_not_booleans(name: str) -> None:
    words = questionnaires.standard(name).answer_words
    assert set(words) == {"yes", "no", "n/a"}
    assert words["yes"] == "Yes" and words["no"] == "No"
    assert words["n/a"] == ("NA" if name == "caiq-v4" else "N/A")


def test_caiq_knows_exactly_its_listed_ids() -> None:
    caiq = questionnaires.standard("caiq-v4")
    assert caiq.known("IAM-14.1") and caiq.known("A&A-01.1")
    assert not caiq.known("IAM-14.9") and not caiq.known("iam-14.1") and not caiq.known("IAM-14")


def test_caiq_ranks_in_the_questionnaires_order_and_unknown_ids_last() -> None:
    caiq = questionnaires.standard("caiq-v4")
    given = ["ZZZ-01.1", "UEM-01.1", "IAM-14.1", "A&A-02.1", "IAM-02.1", "AAA-01.1"]
    assert sorted(given, key=caiq.rank) == ["A&A-02.1", "IAM-02.1", "IAM-14.1", "UEM-01.1", "AAA-01.1", "ZZZ-01.1"]
    assert caiq.rank("IAM-14.1") < caiq.rank("IAM-14.2")


@pytest.mark.parametrize(
    ("name", "good", "bad"),
    [
        ("sig-lite", ["A.1", "K.30", "M.1.3", "AB.1.2.3.4"], ["A1", "a.1", "A.", "A.1.2.3.4.5", "ABCD.1"]),
        ("vsa", ["1.1", "CORE-12", "SI-1a", "x"], ["1..2", "-1", "1.", "CORE 12", "A" * 21]),
    ],
)
def test_standards_without_a_list_check_the_shape_of_ids(name: str, good: list[str], bad: list[str]) -> None:
    standard = questionnaires.standard(name)
    assert standard.questions is None and standard.pattern is not None
    assert all(standard.known(q) for q in good), good
    assert not any(standard.known(q) for q in bad), bad


def test_standards_without_a_list_rank_as_people_number() -> None:
    vsa, sig = questionnaires.standard("vsa"), questionnaires.standard("sig-lite")
    assert sorted(["CORE-12", "1.10", "10", "CORE-2", "1.2", "9"], key=vsa.rank) == [
        *("1.2", "1.10", "9", "10", "CORE-2", "CORE-12")
    ]
    assert sorted(["A.1.10", "A.10", "B.1", "A.1.2", "A.9"], key=sig.rank) == ["A.1.2", "A.1.10", "A.9", "A.10", "B.1"]
