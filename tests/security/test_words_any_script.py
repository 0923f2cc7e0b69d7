"""The leak guard reads words of any script: a hidden answer written in Russian or Greek is looked
for as much as one in English, "Schlüssel" is one word (not "schl" and "ssel"), and a text matches
whatever its case and however its accents were typed (composed or not), in `check`'s screening and in
the build's output scan alike. A script written without spaces (Chinese, Japanese) gives one word per
run: the known limit the guide states."""

from __future__ import annotations

import json
import unicodedata
from pathlib import Path

import pytest

from helpers import check_and_build, site_snapshot, write
from plaintrust import pipeline
from plaintrust.boundary.needles import Needles, Value, words
from plaintrust.errors import ExitCode
from plaintrust.public.guard import tree

RUSSIAN = "Мы покупаем ключи YubiKey у компании Вендорнейм по договору 88123."
GREEK = "Τα αντίγραφα των κλειδιών φυλάσσονται στο θησαυροφυλάκιο της Ζυρίχης."
GERMAN = "Die Schlüssel für die Sicherungen liegen im Tresor der Zürcher Bank."


def hidden(repo: Path, id_: str, visibility: str, explanation: str) -> None:
    text = f"id: {id_}\nquestion: Q {id_}?\nanswer: yes\nexplanation: {explanation}\nvisibility: {visibility}\n"
    write(repo, f"answers/{id_}.yaml", text + "reviewed_on: 2026-10-01\n")


def test_words_are_letters_and_digits_of_any_script() -> None:
    assert words("Schlüssel") == ("schlüssel",)
    assert words(RUSSIAN)[:3] == ("мы", "покупаем", "ключи")
    assert words("Straße") == words("STRASSE")  # case-folded, not just lower-cased
    assert words(unicodedata.normalize("NFD", GERMAN)) == words(GERMAN)  # accents typed apart
    assert words("snake_case · 5×3") == ("snake", "case", "5", "3")  # punctuation and symbols part words
    # The known limit: a script without spaces is one word per run, so a sentence is one long word.
    assert words("我们从供应商购买密钥。") == ("我们从供应商购买密钥",)
    # ... that ends where another script starts: a control id inside it is still a word of its own.
    assert words("请联系AC-01负责人") == ("请联系", "ac", "01", "负责人")


def test_a_hit_in_other_scripts_is_placed_where_it_starts() -> None:
    needles = Needles([Value(RUSSIAN, "answer", "the explanation", "k")])
    text = f"Да, ÉTÉ: {RUSSIAN.upper()}"
    [hit] = needles.hits(text)
    assert hit.offset == text.index("МЫ")


@pytest.mark.parametrize(
    ("visibility", "sentence", "on_the_page"),
    [
        ("nda", RUSSIAN, RUSSIAN),
        ("internal", GREEK, GREEK.upper()),
        ("internal", GERMAN, unicodedata.normalize("NFD", GERMAN)),
    ],
    ids=["russian", "greek-upper-case", "german-decomposed"],
)
def test_a_hidden_sentence_in_another_script_fails_check_and_build(
    runner, base_repo: Path, visibility: str, sentence: str, on_the_page: str
) -> None:
    hidden(base_repo, "k", visibility, sentence)
    write(base_repo, "site/team.md", f"# Team\n\n{on_the_page}\n")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert (
            f"site/team.md:3:1: error [internal-value] site/team.md contains the explanation of the {visibility}"
            in result.output
        ), command
    assert site_snapshot(base_repo) == {}


def test_an_internal_value_inside_a_chinese_sentence_is_found(base_repo: Path) -> None:
    write(base_repo, "site/team.md", "# Team\n\n请联系it-security@test.example负责人。\n")
    [found] = [str(d) for d in pipeline.run(base_repo).diagnostics if d.rule == "internal-value"]
    assert "site/team.md:3:4: error [internal-value] site/team.md contains the owner of control AC-01" in found


def test_the_output_scan_reads_other_scripts_too(base_repo: Path, tmp_path: Path) -> None:
    """Past `check`: a finished tree holding the sentences, escaped as JSON writes them or upper-cased."""
    for n, sentence in enumerate((RUSSIAN, GREEK, GERMAN)):
        hidden(base_repo, f"k{n}", "internal", sentence)
    site = tmp_path / "site"
    write(site, "a.json", json.dumps({"text": RUSSIAN}))  # \u-escaped: ASCII bytes
    write(site, "b.html", f"<p>{GREEK.upper()}</p>")
    write(site, "c.txt", unicodedata.normalize("NFD", GERMAN))
    leaks = tree.scan(site, pipeline.run(base_repo).model)
    assert sorted(leak.file for leak in leaks) == ["a.json", "b.html", "c.txt"]
