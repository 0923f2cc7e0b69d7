"""Defence in depth for the security FAQ: rendered from answers `check` would refuse (markup in a
question or an explanation, a relative link, a javascript: request link), the page and trust.json
have nothing live in them, nor a link that leads nowhere; and what an answer rests on is shown only as the site already shows it (a practice's
public title, a published policy), never a control's id or title, nor an unpublished policy."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from test_policy_boundary import live_markup
from test_public_text import HOSTILE, IDS

from helpers import write
from plaintrust import pipeline
from plaintrust.boundary.pagenames import FAQ
from plaintrust.public import pages, trust_json
from plaintrust.public import view as public

ANSWER = """\
id: {id}
question: Do staff sign in with a key?
answer: yes
explanation: Yes, every one of them.
visibility: {visibility}
controls: [AC-01, AC-02]
policies: [access-control]
reviewed_on: 2026-10-01
"""
INTERNAL_CONTROL = """\
id: AC-02
title: Night-shift key cabinet in the Porto office
status: implemented
owner: it-security@test.example
description: The cabinet code changes weekly.
frequency: continuous
"""


@pytest.fixture
def model(base_repo: Path):
    write(base_repo, "answers/public.yaml", ANSWER.format(id="public", visibility="public"))
    write(base_repo, "answers/nda.yaml", ANSWER.format(id="nda", visibility="nda"))
    write(base_repo, "controls/access/ac-02.yaml", INTERNAL_CONTROL)
    return pipeline.run(base_repo).model


def rendered(model) -> tuple[str, str]:
    """The FAQ page's Markdown and trust.json, as the build writes them."""
    shown = public.build(model)
    page = next(p.content for p in pages.render_all(shown) if p.src_uri == FAQ)
    return page, trust_json.render(shown, "https://trust.test.example/", True).decode()


@pytest.mark.parametrize(("source", "message"), HOSTILE, ids=IDS)
def test_markup_in_an_answer_never_reaches_the_page_live(model, source: str, message: str) -> None:
    hostile = [
        dataclasses.replace(a, question=f"Is {source} safe?", explanation=f"Yes. {source} click") for a in model.answers
    ]
    page, document = rendered(dataclasses.replace(model, answers=tuple(hostile)))
    assert live_markup(page) == [], page
    for gone in ("<script", "<img", 'href="javascript', 'href="vbscript', 'href="java'):  # as words, never as markup
        assert gone not in page.lower(), gone
    for entry in json.loads(document)["faq"]:  # no HTML, but a tag that the page, too, shows as text
        assert "written as text" in message or "<" not in entry["explanation"], entry


@pytest.mark.parametrize("address", ["policies/access-control.md", "../faq/", "#on-request", "//test.example/p"])
def test_a_relative_link_in_an_explanation_keeps_only_its_words(model, address: str) -> None:
    """The page is faq/ or faq.html, and exports carry the same text: a relative address means nothing."""
    linked = [dataclasses.replace(a, explanation=f"Read [our rules]({address}) first.") for a in model.answers]
    page, document = rendered(dataclasses.replace(model, answers=tuple(linked)))
    assert "<p>Read our rules first.</p>" in page and address not in page
    assert [entry["explanation"] for entry in json.loads(document)["faq"]] == ["Read our rules first."]


def test_a_request_link_that_cannot_work_is_no_link(model) -> None:
    trust = dataclasses.replace(model.trust, nda_request_url="javascript:alert(1)")
    page, _ = rendered(dataclasses.replace(model, trust=trust))
    assert "Ask for these answers" not in page and "javascript" not in page.lower()


def test_what_an_answer_rests_on_is_never_named_beyond_the_site(model) -> None:
    page, document = rendered(model)
    for hidden in (
        "AC-01",
        "AC-02",
        "Night-shift key cabinet",
        "Porto",
        "policies/access-control",
        "Access control policy",
    ):
        assert hidden not in page and hidden not in document, hidden
    assert 'href="../practices/access-control/"' in page  # AC-01's practice, by its category's title
    [entry] = json.loads(document)["faq"]
    assert set(entry) == {"question", "answer", "explanation", "reviewed_on", "review_overdue_since", "holds"}
