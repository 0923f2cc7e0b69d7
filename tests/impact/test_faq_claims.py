"""The security FAQ in `impact`'s public section: public answers and the questions answered on
request are claims customers read, compared as the FAQ page and trust.json show them. Both folders
start as the tiny base repository with the same answers/; each test edits the head."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from helpers import BASE, copy_tree, edit, write
from plaintrust.impact import compare, snapshot
from plaintrust.impact.render import REPORTERS
from plaintrust.impact.report import SECTIONS, Detail, Impact, Item, Side
from plaintrust.schemas import validator

TODAY = dt.date(2026, 11, 22)
AC01 = "controls/access/ac-01.yaml"
MFA = "answers/mfa.yaml"
KEYS = "answers/keys.yaml"
STAFF = "answers/staff.yaml"
PENTEST = "answers/pentest.yaml"
MFA_Q = "Do you require multi-factor authentication?"
KEYS_Q = "Do you rotate encryption keys?"
IN_PROGRESS = "Not fully in place yet: part of what this answer rests on is still in progress."
ANSWERS = {
    MFA: f"""\
id: mfa
question: {MFA_Q}
answer: yes
explanation: |
  Every person on our team signs in with a hardware key.
visibility: public
controls: [AC-01]
reviewed_on: 2026-10-01
""",
    KEYS: f"""\
id: key-rotation
question: {KEYS_Q}
answer: yes
explanation: Our cloud provider rotates them every year.
visibility: public
reviewed_on: 2026-10-01
""",
    STAFF: """\
id: staff-vetting
question: How do you vet new staff internally?
answer: partial
explanation: Background checks run for engineers only.
visibility: internal
reviewed_on: 2026-10-01
""",
}
PENTEST_ANSWER = """\
id: pentest
question: Can we see your latest penetration test?
answer: yes
explanation: A summary is shared under NDA.
visibility: nda
reviewed_on: 2026-10-01
"""


@pytest.fixture
def base(tmp_path: Path) -> Path:
    return _side(tmp_path / "base")


@pytest.fixture
def head(tmp_path: Path) -> Path:
    return _side(tmp_path / "head")


def _side(repo: Path) -> Path:
    copy_tree(BASE, repo)
    for rel, text in ANSWERS.items():
        write(repo, rel, text)
    return repo


def impact(base: Path, head: Path) -> Impact:
    return compare.impact(
        snapshot.take(base, Side("main", "b" * 40, TODAY), TODAY),
        snapshot.take(head, Side("working tree", None), TODAY),
    )


def public(found: Impact) -> tuple[Item, ...]:
    """The public items, after checking every other section is empty: answers are public claims only."""
    assert {name: found.items(name) for name in SECTIONS if name != "public"} == {
        name: () for name in SECTIONS if name != "public"
    }
    return found.items("public")


def test_the_same_answers_on_both_sides_are_no_change(base: Path, head: Path) -> None:
    assert impact(base, head).empty


def test_an_explanation_edit_is_a_public_change_not_a_drop(base: Path, head: Path) -> None:
    edit(head, KEYS, "every year.", "every year, and [says so](https://cloud.example/keys).")
    found = impact(base, head)
    assert public(found) == (
        Item(
            "changed",
            f"answer {KEYS_Q}",
            f"Answer '{KEYS_Q}'",
            (
                Detail(
                    "explanation",
                    "Our cloud provider rotates them every year.",
                    "Our cloud provider rotates them every year, and says so.",
                ),
                Detail("explanation links", None, "https://cloud.example/keys"),
            ),
            area="answer",
            path=KEYS,
            line=3,
        ),
    )
    assert found.failing(("public-change", "status-drop")) == ("public-change",)


def test_a_list_that_becomes_a_paragraph_is_a_change(base: Path, head: Path) -> None:
    """The same words in other blocks read differently: trust.json keeps a line per block, and a
    report shows the lines joined by " / "."""
    written = "explanation: Our cloud provider rotates them every year."
    edit(base, KEYS, written, "explanation: |\n  - Our cloud provider rotates them.\n  - Every year.")
    edit(head, KEYS, written, "explanation: |\n  Our cloud provider rotates them.\n  Every year.")
    (item,) = public(found := impact(base, head))
    assert item.details == (
        Detail(
            "explanation",
            "Our cloud provider rotates them. / Every year.",
            "Our cloud provider rotates them. Every year.",
        ),
    )
    assert "explanation: Our cloud provider rotates them. / Every year. → Our cloud" in REPORTERS["text"](found)


def test_a_yes_that_becomes_partly_is_a_drop(base: Path, head: Path) -> None:
    edit(head, KEYS, "answer: yes", "answer: partial")
    (item,) = public(found := impact(base, head))
    assert (item.change, item.key, item.drop, item.details) == (
        "changed",
        f"answer {KEYS_Q}",
        True,
        (Detail("answer", "Yes", "Partly"),),
    )
    assert found.failing(("public-change", "status-drop")) == ("public-change", "status-drop")


@pytest.mark.parametrize(("before", "after", "drop"), [("no", "partial", False), ("partial", "n/a", False)])
def test_a_better_or_unranked_answer_is_no_drop(base: Path, head: Path, before: str, after: str, drop: bool) -> None:
    edit(base, KEYS, "answer: yes", f"answer: {before}")
    edit(head, KEYS, "answer: yes", f"answer: {after}")
    (item,) = public(impact(base, head))
    assert (item.change, item.drop) == ("changed", drop)


def test_a_practice_in_progress_behind_a_yes_makes_it_stop_holding(base: Path, head: Path) -> None:
    edit(head, AC01, "status: implemented", "status: planned")
    found = impact(base, head)
    answer = [i for i in found.items("public") if i.area == "answer"]
    assert answer == [
        Item(
            "changed",
            f"answer {MFA_Q}",
            f"Answer '{MFA_Q}'",
            (
                Detail("holds", "yes", "no"),
                Detail("caveat", None, IN_PROGRESS),
                Detail("practices", "Access control (Implemented)", "Access control (In progress)"),
            ),
            area="answer",
            drop=True,
            path=MFA,
            line=3,
        )
    ]
    assert "status-drop" in found.failing(("status-drop",))


def test_an_nda_question_added_or_removed_is_a_public_change(base: Path, head: Path) -> None:
    write(head, PENTEST, PENTEST_ANSWER)
    question = "Can we see your latest penetration test?"
    on_request = Item(
        "added",
        f"on request {question}",
        f"Answered on request: {question}",
        (Detail("question", None, question),),
        area="answer",
        path=PENTEST,
        line=2,
    )
    # The FAQ now shows where to ask for those answers: trust.yaml's security contact by default.
    link = Detail("faq request link", None, "mailto:security@test.example")
    found = impact(base, head)
    profile = Item("changed", "profile", "Trust center profile", (link,), "profile", path="site/trust.yaml")
    assert public(found) == (on_request, profile)
    assert found.failing(("public-change", "status-drop")) == ("public-change",)
    removed = impact(head, base).items("public")
    assert [(i.change, i.key, i.drop) for i in removed] == [
        ("removed", on_request.key, False),
        ("changed", "profile", False),
    ]


def test_an_nda_explanation_edit_shows_nothing(base: Path, head: Path) -> None:
    """Customers read an nda answer's question only."""
    write(base, PENTEST, PENTEST_ANSWER)
    write(head, PENTEST, PENTEST_ANSWER.replace("A summary is", "The full report is"))
    assert impact(base, head).empty


def test_an_internal_answer_is_no_public_claim(base: Path, head: Path) -> None:
    edit(head, STAFF, "engineers only.", "everyone.")
    edit(head, STAFF, "How do you vet new staff internally?", "How do you vet every new hire?")
    found = impact(base, head)
    assert found.empty
    assert found.failing(("public-change", "status-drop")) == ()


def test_a_reworded_question_is_one_answer_paired_through_its_id(base: Path, head: Path) -> None:
    reworded = "Is multi-factor authentication required for every login?"
    edit(head, MFA, MFA_Q, reworded)
    assert public(impact(base, head)) == (
        Item(
            "changed",
            f"answer {reworded}",
            f"Answer '{reworded}'",
            (Detail("question", MFA_Q, reworded),),
            area="answer",
            path=MFA,
            line=3,
        ),
    )


def test_an_answer_never_pairs_with_a_practice(base: Path, head: Path) -> None:
    """Answers pair among themselves: a new answer whose id is a removed practice's control stays
    an answer added, and the practice a practice removed."""
    edit(head, AC01, "public:\n  category: access-control\n", "")  # no longer a practice
    edit(head, AC01, "  summary: Every person on our team signs in with a hardware key.", "#")
    edit(head, KEYS, "id: key-rotation", "id: AC-01")
    edit(head, KEYS, KEYS_Q, "Do you rotate your keys?")
    shown = [(i.change, i.area, i.title) for i in impact(base, head).items("public")]
    assert sorted(shown) == [
        ("added", "answer", "Answer 'Do you rotate your keys?'"),
        ("changed", "answer", f"Answer '{MFA_Q}'"),  # its practice is gone from the site
        ("changed", "profile", "Trust center profile"),  # and so is its empty category
        ("removed", "answer", f"Answer '{KEYS_Q}'"),
        (
            "removed",
            "practice",
            "Practice 'Every person on our team signs in with a hardware key. A pa…' (Access control)",
        ),
    ]


def test_reports_show_answers_by_question_and_never_their_id(base: Path, head: Path) -> None:
    edit(head, KEYS, "answer: yes", "answer: partial")
    edit(head, MFA, MFA_Q, "Is multi-factor authentication required?")
    write(head, PENTEST, PENTEST_ANSWER)
    found = impact(base, head)
    text, markdown, json_text = (REPORTERS[name](found) for name in ("text", "markdown", "json"))
    assert f"  changed Answer '{KEYS_Q}' ({KEYS}:3) [status drop]\n    - answer: Yes → Partly\n" in text
    assert "question: Do you require multi-factor authentication? → Is multi-factor authentication required?" in text
    assert "added Answered on request: Can we see your latest penetration test? (answers/pentest.yaml:2)" in text
    assert (
        "- changed **Answer 'Do you rotate encryption keys?'** (<code>answers/keys\\.yaml\\:3</code>) — **status drop**\n"
        in markdown
    )
    assert "- added **Answered on request\\: Can we see your latest penetration test?**" in markdown
    data = json.loads(json_text)
    validator("impact").validate(data)  # "answer" is an area the schema knows
    assert [i["area"] for i in data["sections"]["public"]] == ["answer", "answer", "answer", "profile"]
    for shown in (text, markdown, json_text):
        assert "key-rotation" not in shown
        assert "staff" not in shown.lower()
        assert "answer mfa" not in shown and "answer pentest" not in shown


def test_markup_in_an_answer_stays_text_in_the_comment(base: Path, head: Path) -> None:
    """A question or explanation is someone else's text: the pull-request comment shows it inert."""
    edit(head, KEYS, KEYS_Q, "Do you <b>rotate</b> keys? @security-team")
    edit(head, KEYS, "every year.", "every year. [More](javascript:alert(1))")
    markdown = REPORTERS["markdown"](impact(base, head))
    assert "<b>" not in markdown and "@security" not in markdown
    assert "](javascript:" not in markdown
    assert "&lt;b&gt;rotate&lt;/b&gt;" in markdown


def test_an_answer_broken_at_the_head_is_named_though_another_was_broken_already(base: Path, head: Path) -> None:
    """The kind "answer" is incomplete on both sides, so only the (kind, id) pair tells the newly
    broken answer apart: without it, the answer would read as removed, and nothing as not judged."""
    broken = (
        "id: broken-one\nquestion: Q?\nanswer: maybe\nexplanation: E.\nvisibility: internal\nreviewed_on: 2026-10-01\n"
    )
    for repo in (base, head):
        write(repo, "answers/zz-broken.yaml", broken)
    edit(head, KEYS, "answer: yes", "answer: perhaps")
    found = impact(base, head)
    assert found.unjudged == (
        "answer key-rotation fails to load at the head: a status drop or a public change there cannot be seen.",
    )
    assert found.failing(("public-change", "status-drop")) == ("public-change", "status-drop")
