"""The security FAQ generated from answers/: public answers in full (the answer in words, the
explanation with its headings under the question's, the practices it rests on with their status, a
caveat when they do not back it that says so when no badge shows why, an overdue review), nda
answers by their question under "Answered on request" with one request link, internal answers
nowhere; a lead that promises only what the page shows; its place in the nav; trust.json's `faq`
and `on_request`, whose `holds` means what the export's does; a site/faq.md of yours clashes only
while the FAQ is generated; no page at all without answers; `plaintrust serve` picks up an
answers/ folder made while it runs."""

from __future__ import annotations

import dataclasses
import json
import re
import shutil
import threading
from pathlib import Path

from jsonschema import Draft202012Validator, FormatChecker
from test_preview import free_port, until

from helpers import TESTS, check_and_build, edit, write
from plaintrust import pipeline
from plaintrust.actions.answers import export
from plaintrust.boundary.pagenames import FAQ
from plaintrust.errors import ExitCode
from plaintrust.public import pages, preview, trust_json
from plaintrust.public import view as public
from plaintrust.reporters import text
from plaintrust.rules.readability import summary_score
from plaintrust.schemas import schema
from plaintrust.status import PublicStatus
from policy_site import FULL, add_policies

GOLDEN = TESTS / "golden" / "faq"

# What only the company may read: none of it may reach the page or trust.json.
NDA_EXPLANATION = "The report from Tallbridge Testing lists four findings, all fixed by March."
INTERNAL_QUESTION = "Which office keeps the break-glass keys?"
INTERNAL_EXPLANATION = "The Lisbon office keeps them in the grey safe on the second floor."
HIDDEN_CONTROL_TITLE = "Break-glass vault in the Lisbon office"
IDS = ("data-sale", "customer-sso", "data-export", "pentest")  # answers' ids: never on the page

CONTROLS = {
    "controls/access/ac-02.yaml": """\
id: AC-02
title: Customer SAML federation through the identity broker
status: partial
owner: it-security@test.example
description: The broker federates customer identity providers over SAML.
frequency: continuous
public:
  category: access-control
  title: Single sign-on for customers
  summary: You can sign in to our service with your own sign-in system.
remediation: {plan: Finish the broker rollout., owner: it-security@test.example, due: 2027-01-31}
""",
    "controls/access/ac-03.yaml": f"""\
id: AC-03
title: {HIDDEN_CONTROL_TITLE}
status: planned
owner: it-security@test.example
description: Sealed accounts for emergencies.
frequency: annual
remediation: {{plan: Buy the safe., owner: it-security@test.example, due: 2027-03-31}}
""",
}


def _answer(id_: str, question: str, answer: str, explanation: str, visibility: str, extra: str = "") -> str:
    lines = "\n".join(f"  {line}" for line in explanation.splitlines())
    body = f"id: {id_}\nquestion: {question}\nanswer: {answer}\nexplanation: |\n{lines}\nvisibility: {visibility}\n"
    return body + extra + ("" if "reviewed_on" in extra else "reviewed_on: 2026-10-01\n")


ANSWERS = {
    "answers/01-sign-in.yaml": _answer(
        "sign-in",
        "Do your staff sign in with more than a password?",
        "yes",
        "Yes. Every person on our team signs in with a hardware key.",
        "public",
        "controls: [AC-01]\npolicies: [remote-work]\n",
    ),
    "answers/02-customer-sso.yaml": _answer(
        "customer-sso",
        "Can our staff sign in to your service with single sign-on?",
        "yes",
        "Yes, through your own identity provider.",
        "public",
        "controls: [AC-02]\n",
    ),
    "answers/03-data-sale.yaml": _answer(
        "data-sale",
        "Do you sell customer data?",
        "no",
        "**Never.** We use your data only to run the service.\n\n- No ads.\n- No data brokers.\n\n"
        "Read [our privacy notice](https://test.example/privacy).",
        "public",
    ),
    "answers/04-mainframe.yaml": _answer(
        "mainframe", "Do you run a mainframe?", "n/a", "We run no mainframe at all.", "public"
    ),
    "answers/05-data-export.yaml": _answer(
        "data-export",
        "Can we export all of our data when we leave?",
        "partial",
        "You can export your projects today. Exports of audit logs come next.",
        "public",
        "controls: [AC-02, AC-03]\nreviewed_on: 2025-10-01\n",
    ),
    "answers/06-pentest.yaml": _answer(
        "pentest", "Can we read your latest penetration test report?", "yes", NDA_EXPLANATION, "nda"
    ),
    "answers/07-restore.yaml": _answer(
        "restore", "How often do you test that backups restore?", "yes", "Each quarter.", "nda"
    ),
    "answers/08-keys.yaml": _answer("keys", INTERNAL_QUESTION, "yes", INTERNAL_EXPLANATION, "internal"),
}


def with_answers(repo: Path, answers: dict[str, str] | None = None) -> Path:
    """The base with a titled practice in progress, a control that is no practice, a published
    policy and the answers (by default: every kind the page shows differently)."""
    for rel, content in {**CONTROLS, **(ANSWERS if answers is None else answers)}.items():
        write(repo, rel, content)
    return add_policies(repo, {"policies/remote-work.md": FULL})


def faq_view(repo: Path) -> public.FaqView:
    faq = public.build(pipeline.run(repo).model).faq
    assert faq is not None
    return faq


def built(runner, repo: Path) -> Path:
    for command, result in check_and_build(runner, repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    return repo / "build/site"


def test_golden_faq_page(base_repo: Path, golden) -> None:
    """The Markdown file MkDocs is handed for the FAQ, byte for byte."""
    with_answers(base_repo)
    rendered = {p.src_uri: p.content for p in pages.render_all(public.build(pipeline.run(base_repo).model))}
    golden.check(rendered[FAQ], GOLDEN / "faq.md")


def test_a_public_answer_carries_only_its_allow_listed_fields(base_repo: Path) -> None:
    shown = faq_view(with_answers(base_repo))
    assert [a.anchor for a in shown.answers] == [
        "do-your-staff-sign-in-with-more-than-a-password",
        "can-our-staff-sign-in-to-your-service-with-single-sign-on",
        "do-you-sell-customer-data",
        "do-you-run-a-mainframe",
        "can-we-export-all-of-our-data-when-we-leave",
    ]  # path order of answers/, never by question
    assert [a.answer_words for a in shown.answers] == ["Yes", "Yes", "No", "Not applicable", "Partly"]
    assert [a.holds for a in shown.answers] == [True, False, True, True, False]  # the last: review overdue
    sign_in, sso, sale, _, export = shown.answers
    assert sign_in.practices == (
        public.AnswerPractice("Access control", PublicStatus.IMPLEMENTED, "practices/access-control.md", None),
    )
    assert [p.title for p in sign_in.policies] == ["Remote work policy"]
    assert sso.caveat == "Not fully in place yet: part of what this answer rests on is still in progress."
    assert sale.explanation_text == (  # a line per block: a list never runs into a paragraph
        "Never. We use your data only to run the service.\nNo ads.\nNo data brokers.\nRead our privacy notice."
    )
    assert [(p.title, p.anchor) for p in export.practices] == [
        ("Single sign-on for customers", "single-sign-on-for-customers")
    ]
    assert str(export.review_overdue_since) == "2026-10-01" and sign_in.review_overdue_since is None
    fields = {f.name for f in dataclasses.fields(public.PublicAnswer)}
    assert not fields & {"id", "controls", "refs", "visibility", "source"}


def test_nda_answers_are_listed_by_question_and_internal_ones_not_at_all(base_repo: Path) -> None:
    shown = faq_view(with_answers(base_repo))
    assert shown.on_request == (
        "Can we read your latest penetration test report?",
        "How often do you test that backups restore?",
    )
    assert shown.request_url == "mailto:security@test.example"  # no nda_request_url, no request_url: the contact
    page = next(p.content for p in pages.render_all(public.build(pipeline.run(base_repo).model)) if p.src_uri == FAQ)
    for secret in (NDA_EXPLANATION, INTERNAL_QUESTION, INTERNAL_EXPLANATION, HIDDEN_CONTROL_TITLE, "AC-0", *IDS):
        assert secret not in page, secret


def test_the_request_link_prefers_nda_request_url_then_a_request_url_then_the_contact(base_repo: Path) -> None:
    with_answers(base_repo)
    trust = "site/trust.yaml"
    documents = "documents:\n  - {title: Security whitepaper, access: nda, request_url: 'https://test.example/docs'}\n"
    write(base_repo, trust, (base_repo / trust).read_text() + documents)
    assert faq_view(base_repo).request_url == "https://test.example/docs"
    edit(base_repo, trust, "organization:", "nda_request_url: https://test.example/nda\norganization:")
    assert faq_view(base_repo).request_url == "https://test.example/nda"


def test_a_caveat_follows_the_worst_state_and_never_names_what_it_rests_on(base_repo: Path) -> None:
    """When no badge on the page shows why (a control that is no practice, a policy not published),
    the caveat says the cause is not listed, without naming it."""
    answers = {
        "answers/a.yaml": _answer(
            "a", "Is a key ceremony in place?", "yes", "Yes.", "public", "controls: [AC-01, AC-03]\n"
        ),
        "answers/b.yaml": _answer(
            "b", "Do you have a policy?", "partial", "Partly.", "public", "policies: [access-control]\n"
        ),
        "answers/c.yaml": _answer(
            "c", "Is customer sign-in ready?", "yes", "Mostly.", "public", "controls: [AC-03, AC-02]\n"
        ),
    }
    ceremony, policy, sso = faq_view(with_answers(base_repo, answers)).answers
    assert ceremony.caveat == (
        "Not fully in place yet: part of what this answer rests on, not listed here, is still in progress."
    )
    assert [p.status for p in ceremony.practices] == [PublicStatus.IMPLEMENTED]  # AC-03 is no practice: not shown
    assert policy.caveat == "Not in place yet: a policy this answer rests on, not listed here, is still a draft."
    assert policy.policies == ()  # a draft is never published, so never named or linked
    # AC-02's badge shows it, though AC-03 (first, and as far along) is not listed
    assert sso.caveat == "Not fully in place yet: part of what this answer rests on is still in progress."
    assert [p.status for p in sso.practices] == [PublicStatus.IN_PROGRESS]
    assert all(" rests on " in sentence for _, sentence in public.CAVEATS.values())  # where "not listed" goes


def test_anchors_are_unique_on_the_page(base_repo: Path) -> None:
    same = "Is customer data encrypted?"
    answers = {
        "answers/a.yaml": _answer("a", same, "yes", "Yes.", "public"),
        "answers/b.yaml": _answer("b", same, "yes", "Yes, at rest.", "public"),
        "answers/c.yaml": _answer("c", "On request?", "no", "No.", "public"),
        "answers/d.yaml": _answer("d", "¿Qué?", "no", "No.", "public"),
        "answers/e.yaml": _answer("e", "数据?", "no", "No.", "public"),
    }
    shown = faq_view(with_answers(base_repo, answers))
    anchors = [a.anchor for a in shown.answers]
    assert anchors == ["is-customer-data-encrypted", "is-customer-data-encrypted-2", "on-request-2", "qu", "question"]


def test_the_page_is_in_the_nav_where_your_faq_would_be_and_trust_json_lists_it(runner, base_repo: Path) -> None:
    with_answers(base_repo)
    write(base_repo, "site/about.md", "# About us\n\nWe make software.\n")
    write(base_repo, "site/zebra.md", "# Zebra\n\nStripes.\n")
    site = built(runner, base_repo)
    page = (site / "faq/index.html").read_text()
    assert 'id="do-you-sell-customer-data"' in page and "Review overdue since 1 October 2026." in page
    assert 'href="../practices/access-control/#single-sign-on-for-customers"' in page
    assert 'href="../policies/remote-work/"' in page
    home = (site / "index.html").read_text()
    nav = home[home.index("md-nav--primary") :]
    order = ["Report a vulnerability", "About us", "Security FAQ", "Zebra"]
    assert [nav.index(label) for label in order] == sorted(nav.index(label) for label in order)
    document = json.loads((site / "trust.json").read_text())
    Draft202012Validator(schema("trust-center"), format_checker=FormatChecker()).validate(document)
    assert document["faq"][0] == {
        "question": "Do your staff sign in with more than a password?",
        "answer": "yes",
        "explanation": "Yes. Every person on our team signs in with a hardware key.",
        "reviewed_on": "2026-10-01",
        "review_overdue_since": None,
        "holds": True,
    }
    assert [(a["answer"], a["holds"], a["review_overdue_since"]) for a in document["faq"][1:]] == [
        ("yes", False, None),
        ("no", True, None),
        ("n/a", True, None),
        ("partial", False, "2026-10-01"),  # what it rests on backs a partial, but its review is overdue
    ]
    assert document["on_request"] == [
        "Can we read your latest penetration test report?",
        "How often do you test that backups restore?",
    ]
    everything = "".join(p.read_text(errors="replace") for p in site.rglob("*") if p.is_file())
    for secret in (NDA_EXPLANATION, INTERNAL_QUESTION, INTERNAL_EXPLANATION, HIDDEN_CONTROL_TITLE):
        assert secret not in everything, secret


def test_without_answers_there_is_no_page_and_trust_json_is_unchanged(runner, base_repo: Path) -> None:
    internal = {"answers/08-keys.yaml": ANSWERS["answers/08-keys.yaml"]}  # internal only: still no FAQ
    with_answers(base_repo, internal)
    model = pipeline.run(base_repo).model
    shown = public.build(model)
    assert shown.faq is None and FAQ not in [p.src_uri for p in pages.render_all(shown)]
    without = public.build(dataclasses.replace(model, answers=()))
    assert trust_json.render(shown, "https://trust.test.example/", True) == trust_json.render(
        without, "https://trust.test.example/", True
    )
    site = built(runner, base_repo)
    assert not (site / "faq").exists()
    assert "faq" not in json.loads((site / "trust.json").read_text())
    assert "Security FAQ" not in (site / "index.html").read_text()


def test_your_faq_page_clashes_only_while_the_faq_is_generated(base_repo: Path) -> None:
    write(base_repo, "site/faq.md", "# FAQ\n\nAsk us anything.\n")
    assert not pipeline.run(base_repo).diagnostics  # no answers: your page is an ordinary page
    with_answers(base_repo, {"answers/a.yaml": ANSWERS["answers/06-pentest.yaml"]})  # one nda answer is enough
    problems = [d for d in pipeline.run(base_repo).diagnostics if d.rule == "page-clash"]
    assert text(tuple(problems)).splitlines() == [
        "site/faq.md:1:1: error [page-clash] site/faq.md takes the place of the security FAQ, which is generated from "
        "answers/",
        "    hint: move its questions into answers/ (one answer per file), then delete the page",
    ]


def test_the_generated_wording_reads_plainly(base_repo: Path) -> None:
    with_answers(base_repo)
    page = next(p.content for p in pages.render_all(public.build(pipeline.run(base_repo).model)) if p.src_uri == FAQ)
    ours = re.findall(r'<p class="pt-(?:lead|overdue pt-answer__caveat|meta)">(.*?)</p>', page)
    ours += re.findall(r'<section class="pt-section"[^>]*>.*?<p>(.*?)</p>', page, re.S)
    ours += [sentence for _, sentence in public.CAVEATS.values()]
    ours += [sentence.replace(" rests on", " rests on" + public.NOT_LISTED) for _, sentence in public.CAVEATS.values()]
    ours.append(NDA_ONLY_LEAD)
    words = " ".join(re.sub(r"<[^>]+>|\d+", " ", line) for line in ours)
    ease, grade = summary_score(words)
    assert ease >= 50 and grade <= 10, (ease, grade, words)


NDA_ONLY_LEAD = "The questions customers ask us most. We share these answers on request."


def faq_page(repo: Path) -> str:
    return next(p.content for p in pages.render_all(public.build(pipeline.run(repo).model)) if p.src_uri == FAQ)


def test_the_lead_promises_answers_only_when_the_page_shows_some(base_repo: Path) -> None:
    nda_only = {rel: text for rel, text in ANSWERS.items() if "visibility: nda" in text}
    page = faq_page(with_answers(base_repo, nda_only))
    assert f'<p class="pt-lead">{NDA_ONLY_LEAD}</p>' in page and "Short answers" not in page
    assert "Answered on request" in page
    page = faq_page(with_answers(base_repo))
    assert "Short answers to the questions customers ask us most." in page and NDA_ONLY_LEAD not in page


def test_an_explanation_s_headings_sit_under_its_question(base_repo: Path) -> None:
    """The question is an h2: the explanation's highest heading becomes an h3, and none skips a level."""
    explanation = "Yes.\n\n### How it works\n\nA key.\n\n##### In detail\n\nA hardware key.\n\n## Why\n\nSafety."
    answers = {"answers/a.yaml": _answer("a", "Do staff use keys?", "yes", explanation, "public")}
    page = faq_page(with_answers(base_repo, answers))
    assert re.findall(r"<(h\d)[ >]", page) == ["h1", "h2", "h3", "h4", "h3"]
    assert "<h3>How it works</h3>" in page and "<h4>In detail</h4>" in page and "<h3>Why</h3>" in page
    [shown] = faq_view(base_repo).answers  # trust.json's text: a heading never reads as part of a sentence
    assert shown.explanation_text == "Yes.\nHow it works\nA key.\nIn detail\nA hardware key.\nWhy\nSafety."


def test_nested_headings_never_skip_a_level() -> None:
    html = "<h1>A</h1><h3>B</h3><h2>C</h2><h6>D</h6><h4>E</h4><h1>F</h1><h5>G</h5>"
    assert str(public.nested(public.Markup(html))) == (
        "<h3>A</h3><h4>B</h4><h4>C</h4><h5>D</h5><h5>E</h5><h3>F</h3><h4>G</h4>"
    )
    deep = "".join(f"<h{n}>{n}</h{n}>" for n in range(1, 7))
    assert str(public.nested(public.Markup(deep))).endswith("<h6>4</h6><h6>5</h6><h6>6</h6>")  # h6 at most


def test_holds_means_in_trust_json_what_it_means_in_the_export(base_repo: Path) -> None:
    """Backed by what it rests on, and its review not overdue: the same answers on the same day."""
    model = pipeline.run(with_answers(base_repo)).model
    shown = json.loads(trust_json.render(public.build(model), "https://trust.test.example/", True))["faq"]
    exported = {c.answer.question: c.holds for c in export.build(model, ("public",)).answers}
    assert {a["question"]: a["holds"] for a in shown} == exported
    assert [a["holds"] for a in shown] == [True, False, True, True, False]


def test_serve_picks_up_an_answers_folder_made_while_it_runs(base_repo: Path) -> None:
    """A team that starts its library while previewing makes answers/ then: the FAQ appears, goes with
    the folder, and comes back with it."""
    assert not (base_repo / "answers").exists()
    url = f"http://127.0.0.1:{free_port()}/"
    with preview.opened(base_repo, url.removeprefix("http://").rstrip("/")) as server:
        threading.Thread(target=server.serve, daemon=True).start()
        assert until(url, lambda b: "Security FAQ" not in b and "Example Test Co" in b)[0] == 200
        write(base_repo, "answers/a.yaml", ANSWERS["answers/01-sign-in.yaml"].replace("policies: [remote-work]\n", ""))
        status, body = until(url + "faq/", lambda b: "Do your staff sign in" in b)
        assert status == 200 and "Do your staff sign in with more than a password?" in body
        shutil.rmtree(base_repo / "answers")
        assert until(url + "faq/", lambda b: "Do your staff sign in" not in b)[0] == 404
        write(base_repo, "answers/b.yaml", ANSWERS["answers/04-mainframe.yaml"])
        status, body = until(url + "faq/", lambda b: "Do you run a mainframe?" in b)
        assert status == 200
