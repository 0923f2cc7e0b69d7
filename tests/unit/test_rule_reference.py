"""Each rule's docstring is its page in the generated rules reference: it must keep the shape the
generator relies on."""

from __future__ import annotations

import re

import pytest

from plaintrust import rules

SEVERITY = re.compile(r"^Severity: (error|warning)\b", re.MULTILINE)


def test_the_reference_lists_every_rule_once_in_order() -> None:
    assert [rule_id for rule_id, _ in rules.reference()] == [rule.ID for rule in rules.ALL]


@pytest.mark.parametrize(("rule_id", "doc"), rules.reference(), ids=[rule.ID for rule in rules.ALL])
def test_a_rule_page_starts_with_one_sentence_and_says_its_severity(rule_id: str, doc: str) -> None:
    first, _, rest = doc.partition("\n\n")
    assert "\n" not in first and first.endswith(".") and first[0].isupper(), first
    assert SEVERITY.search(rest), f"{rule_id}: no paragraph starting 'Severity: error' or 'Severity: warning'"
    assert "To fix it" in rest, f"{rule_id}: says nowhere how to fix it"


def test_the_summary_is_the_first_line_of_the_page() -> None:
    summaries = dict(rules.documentation())
    for rule_id, doc in rules.reference():
        assert summaries[rule_id] == doc.split("\n", 1)[0]
