"""Why an answer does not hold, in the words the trust center uses, and nothing said of what cannot be judged.

`answers.support` gives each reason from the same place as the site (status.evidence_problem), so a
check never says "not current" of evidence the site calls tampered. A control whose evidence file
failed to load is not judged (that file's error says why), and an answer's broken file hides no
error of a control, a policy or another answer that happens to share its id.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from helpers import edit, write
from plaintrust import answers, pipeline
from plaintrust.evidence import ledger
from plaintrust.reporters import text
from plaintrust.status import evidence_health, evidence_problem, evidence_shortfall

APPROVAL = "review: annual\napproved_by: Dana Smith, CTO\napproved_on: 2026-01-01\n"


def answer(repo: Path, name: str, said: str = "yes", links: str = "controls: [AC-01]\n") -> None:
    write(
        repo,
        f"answers/{name}.yaml",
        f"id: {name}\nquestion: Q?\nanswer: {said!r}\nexplanation: E.\nvisibility: internal\n"
        f"reviewed_on: 2026-10-01\n{links}",
    )


def warned(repo: Path) -> list[str]:
    """The messages of answer-unsupported."""
    return [d.message for d in pipeline.run(repo).diagnostics if d.rule == "answer-unsupported"]


def report(repo: Path) -> str:
    return text(pipeline.run(repo).diagnostics)


def test_tampered_evidence_is_named_as_the_site_names_it(base_repo: Path) -> None:
    answer(base_repo, "mfa")
    (base_repo / "evidence/files/mfa-policy.json").write_text("changed\n", encoding="utf-8")
    assert warned(base_repo) == ["answer mfa says yes, but AC-01's evidence failed its integrity check"]
    model = pipeline.run(base_repo).model
    health = evidence_health(model, model.controls_by_id["AC-01"])
    assert evidence_problem(health) == (
        "Evidence failed its integrity check: a file is missing or was changed after it was filed"
    )


def test_overdue_evidence_gives_the_day_it_fell_due(base_repo: Path) -> None:
    answer(base_repo, "mfa")
    edit(base_repo, "evidence/access/mfa-policy.yaml", "collected: 2026-11-01", "collected: 2026-05-01")
    assert warned(base_repo) == ["answer mfa says yes, but AC-01's evidence is overdue since 2026-08-01"]
    model = pipeline.run(base_repo).model
    health = evidence_health(model, model.controls_by_id["AC-01"])
    assert evidence_problem(health) == "Evidence overdue since 1 August 2026"


def test_unpinned_evidence_is_not_yet_confirmed(base_repo: Path) -> None:
    answer(base_repo, "mfa")
    edit(base_repo, "evidence/access/mfa-policy.yaml", "    sha256: ", "    # sha256: ")
    [message] = warned(base_repo)
    assert message.startswith("answer mfa says yes, but AC-01's evidence is not yet confirmed")


def test_the_check_and_the_site_agree_on_each_reason(base_repo: Path) -> None:
    """Every fault the site names has the check's words too, and none where the site sees none."""
    model = pipeline.run(base_repo).model
    health = evidence_health(model, model.controls_by_id["AC-01"])
    assert evidence_problem(health) is None and evidence_shortfall("AC-01", health) is None


def test_a_control_in_progress_keeps_its_plain_words(base_repo: Path) -> None:
    answer(base_repo, "mfa")
    edit(base_repo, "controls/access/ac-01.yaml", "status: implemented", "status: partial")
    assert warned(base_repo) == ["answer mfa says yes, but AC-01 is in progress"]
    edit(base_repo, "controls/access/ac-01.yaml", "status: partial", "status: not-implemented")
    answer(base_repo, "mfa", "partial")
    assert warned(base_repo) == ["answer mfa says partial, but AC-01 is not in place"]


def test_a_policy_without_its_approval_on_record(base_repo: Path) -> None:
    answer(base_repo, "mfa", links="policies: [access-control]\n")
    edit(base_repo, "policies/access-control.md", "review: annual\n", APPROVAL)
    assert warned(base_repo) == ["answer mfa says yes, but policy access-control's approval is not on record"]


def test_a_policy_whose_text_changed_after_its_approval(base_repo: Path) -> None:
    answer(base_repo, "mfa", links="policies: [access-control]\n")
    edit(base_repo, "policies/access-control.md", "review: annual\n", APPROVAL)
    policy = pipeline.run(base_repo).model.policies_by_id["access-control"]
    pin = (f"{ledger.POLICY_PREFIX}access-control", policy.source.path, policy.text_sha256, len(policy.body.encode()))
    ledger.append(
        base_repo, ledger.next_entries(ledger.read(base_repo), [pin], dt.datetime(2026, 1, 1, 9, tzinfo=dt.UTC))
    )
    assert warned(base_repo) == []
    edit(base_repo, "policies/access-control.md", "Each person", "Every person")
    assert warned(base_repo) == ["answer mfa says yes, but policy access-control's text changed after its approval"]


def test_no_message_says_but_twice(base_repo: Path) -> None:
    answer(base_repo, "mfa", links="controls: [AC-01]\npolicies: [access-control]\n")
    edit(base_repo, "policies/access-control.md", "review: annual\n", APPROVAL)
    (base_repo / "evidence/files/mfa-policy.json").write_text("changed\n", encoding="utf-8")
    [message] = warned(base_repo)
    assert message.count(" but ") == 1, message


@pytest.mark.parametrize("broken", ["refresh: sometimes", "refresh: [quarterly"])
def test_a_control_whose_evidence_failed_to_load_is_not_judged(base_repo: Path, broken: str) -> None:
    """A schema error keeps the record's id, a YAML error may not: neither is read as lapsed evidence."""
    answer(base_repo, "mfa")
    edit(base_repo, "evidence/access/mfa-policy.yaml", "refresh: quarterly", broken)
    result = pipeline.run(base_repo)
    assert [d.rule for d in result.diagnostics if d.rule.startswith("answer")] == []
    assert answers.support(result.model.answers[0], result.model).controls == ()
    assert any(d.path == "evidence/access/mfa-policy.yaml" for d in result.diagnostics)  # the record's own error


def test_a_broken_answer_hides_no_link_of_another_answer(base_repo: Path) -> None:
    answer(base_repo, "ok", "no", "policies: [retention]\n")
    write(base_repo, "answers/broken.yaml", "id: retention\nquestion: Q?\nanswer: maybe\n")
    found = report(base_repo)
    assert "answer ok rests on policy 'retention', but no policy has that id" in found


def test_a_broken_answer_hides_no_unknown_evidence(base_repo: Path) -> None:
    edit(base_repo, "controls/access/ac-01.yaml", "evidence: [mfa-policy]", "evidence: [mfa-policy, pentest]")
    write(base_repo, "answers/broken.yaml", "id: pentest\nquestion: Q?\nanswer: maybe\n")
    assert "error [unknown-evidence] no evidence record has the id 'pentest'" in report(base_repo)


def test_a_broken_policy_still_hides_its_own_links(base_repo: Path) -> None:
    """No cascade: the policy's own error is enough."""
    answer(base_repo, "mfa", links="policies: [access-control]\n")
    edit(base_repo, "policies/access-control.md", "public: full", "public: maybe")
    found = report(base_repo)
    assert "answer-link" not in found and "public: 'maybe' is not one of" in found
    model = pipeline.run(base_repo).model
    assert ("policy", "access-control") in model.broken and "access-control" in model.broken_ids


def test_an_answers_id_is_kept_by_its_kind_only(base_repo: Path) -> None:
    write(base_repo, "answers/broken.yaml", "id: mfa-policy\nquestion: Q?\nanswer: maybe\n")
    model = pipeline.run(base_repo).model
    assert ("answer", "mfa-policy") in model.broken and "mfa-policy" not in model.broken_ids
