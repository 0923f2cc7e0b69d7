"""No file under the folders `check` reads is left out in silence.

A file left out of answers/ is a missing FAQ entry or export row with "no problems found"; the same
holds for controls, evidence records and policies. A linked folder is never followed (a loop of
links would never end) and says so; a top folder may be a link to a folder of the repository, never
to nothing or to a file; answers/ holds answers and nothing else.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from helpers import write
from plaintrust.load import discovery

ANSWER = "id: pub\nquestion: Q?\nanswer: 'yes'\nexplanation: E.\nvisibility: public\nreviewed_on: 2026-10-01\n"


def problems(repo: Path) -> list[str]:
    return [f"{d.path}: [{d.rule}] {d.message}" for d in discovery.find(repo).problems]


@pytest.mark.parametrize("folder", ["controls", "evidence", "policies", "answers"])
def test_a_linked_folder_inside_the_repository_is_named_not_skipped(tmp_path: Path, folder: str) -> None:
    write(tmp_path, "notes/more/pub.yaml", ANSWER)
    (tmp_path / folder).mkdir()
    (tmp_path / folder / "more").symlink_to("../notes/more", target_is_directory=True)
    assert problems(tmp_path) == [
        f"{folder}/more: [symlink-folder] {folder}/more is a linked folder: it is not followed, so nothing in it is read"
    ]


def test_a_linked_file_inside_the_repository_is_read(tmp_path: Path) -> None:
    write(tmp_path, "notes/more/pub.yaml", ANSWER)
    (tmp_path / "answers").mkdir()
    (tmp_path / "answers/pub.yaml").symlink_to("../notes/more/pub.yaml")
    found = discovery.find(tmp_path)
    assert found.answers == ("answers/pub.yaml",) and found.problems == ()


def test_a_linked_folder_leading_out_is_refused_as_before(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(tmp_path, "elsewhere/pub.yaml", ANSWER)
    (repo / "answers").mkdir(parents=True)
    (repo / "answers/away").symlink_to(tmp_path / "elsewhere", target_is_directory=True)
    [problem] = problems(repo)
    assert problem.startswith("answers/away: [symlink-outside] ")


@pytest.mark.parametrize(
    ("target", "what"),
    [("notes/answers", "does not exist"), ("notes/pub.yaml", "is not a folder")],
)
def test_a_top_folder_linked_to_nothing_or_to_a_file_is_named(tmp_path: Path, target: str, what: str) -> None:
    write(tmp_path, "notes/pub.yaml", ANSWER)
    (tmp_path / "answers").symlink_to(target)
    assert problems(tmp_path) == [
        f"answers: [symlink-folder] answers is a symbolic link to {target!r}, which {what}: nothing under answers/ "
        "is read"
    ]
    assert discovery.find(tmp_path).answers == ()


def test_a_top_folder_linked_to_a_folder_inside_is_read(tmp_path: Path) -> None:
    write(tmp_path, "notes/answers/pub.yaml", ANSWER)
    (tmp_path / "answers").symlink_to("notes/answers", target_is_directory=True)
    found = discovery.find(tmp_path)
    assert found.answers == ("answers/pub.yaml",) and found.problems == ()


def test_answers_holds_answers_and_nothing_else(tmp_path: Path) -> None:
    for rel in ("mfa.YAML", "mfa.json", "x.yaml.txt", "notes/README.md", ".scratch.txt", ".drafts/x.txt"):
        write(tmp_path, f"answers/{rel}", "x\n")
    for rel in ("a.yaml", "sub/b.yml"):
        write(tmp_path, f"answers/{rel}", ANSWER)
    found = discovery.find(tmp_path)
    assert found.answers == ("answers/a.yaml", "answers/sub/b.yml")
    assert [(d.path, d.rule) for d in found.problems] == [
        (f"answers/{rel}", "answer-stray") for rel in ("mfa.YAML", "mfa.json", "notes/README.md", "x.yaml.txt")
    ]
    assert found.problems[0].message == (
        "answers/mfa.YAML is not an answer: answers/ holds only answers named *.yaml or *.yml"
    )
