"""The answer library on the trust center: an nda answer's explanation and an internal answer's
question and explanation are internal values, which no file of the site carries (pages, trust.json,
the search index, the sitemap, the feeds), not even by another route, nor glued to a heading above
them; an internal answer's sentence is one whatever public text repeats it, while an nda sentence
that customers can read anyway (a public answer, a control's public summary, a published policy,
as its page shows it: never Markdown the page hides) is published by choice, and one on a page
gets a hint naming the answer to reword; a public answer's texts and an nda answer's question are
public inputs, screened like a control's summary (`internal-value`) and refused when they hold markup customers
could not read as written, or a relative link, which exports cannot follow (`public-markup`), which
the page would not make live anyway; an answers/ file or folder that links out of the repository is
not read."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest
from test_policy_boundary import SCRIPTED, live_markup, site_words
from test_public_text import HOSTILE, IDS

from helpers import check_and_build, edit, site_snapshot, write
from payloads import PAYLOAD
from plaintrust import pipeline
from plaintrust.boundary.needles import internal_values, words
from plaintrust.errors import ExitCode
from plaintrust.public import pages, trust_json
from plaintrust.public import view as public
from plaintrust.public.guard import tree
from policy_site import FULL, add_policies

ANSWER = """\
id: {id}
question: {question}
answer: {answer}
explanation: {explanation}
visibility: {visibility}
controls: [{controls}]
reviewed_on: 2026-10-01
"""

PUBLIC_QUESTION = "Do you require a second sign-in step for your staff?"
PUBLIC_EXPLANATION = "Each of our staff signs in with a hardware key. A stolen password alone opens nothing."
NDA_QUESTION = "Do you hire outside testers to attack the service?"
# Wrapped over two lines: one sentence all the same, as the page would join it.
NDA_WRAPPED = "Harbour Lane Security tests the billing cluster\n  every March and September."
NDA_SENTENCE = "Harbour Lane Security tests the billing cluster every March and September."
NDA_LINKED = "Ask [the Harbour Lane team](https://harbour.example/letter) for their signed summary letter."
NDA_LINKED_SHOWN = "Ask the Harbour Lane team for their signed summary letter."
INTERNAL_QUESTION = "Which vendor keeps the offline copies of our backup keys?"
INTERNAL_EXPLANATION = "Copies of the backup keys sit in the Zurich vault of Quartz Custody AG."
# What an nda answer says that a public one says too, before its details: published by choice.
REPEATED = "Each of our staff signs in with a hardware key."
DESCRIPTION = "The identity provider requires a security key for every workforce login."  # AC-01's

NEVER = {
    "the nda explanation": NDA_SENTENCE,
    "the nda explanation's linked sentence": NDA_LINKED_SHOWN,
    "the internal question": INTERNAL_QUESTION,
    "the internal explanation": INTERNAL_EXPLANATION,
}
SHOWN = {
    "the public question": PUBLIC_QUESTION,
    "the public explanation": PUBLIC_EXPLANATION,
    "the nda question": NDA_QUESTION,
}


def quoted(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def answer(repo: Path, id_: str, visibility: str, question: str, explanation: str, **fields: str) -> None:
    """answers/<id>.yaml; the explanation as written (a quoted scalar unless it is already YAML)."""
    explanation = explanation if explanation.startswith(("|", ">", "'")) else quoted(explanation)
    values = {"answer": "yes", "controls": "AC-01", **fields}
    text = ANSWER.format(id=id_, question=quoted(question), explanation=explanation, visibility=visibility, **values)
    write(repo, f"answers/{id_}.yaml", text)


def add_library(repo: Path) -> None:
    """A public, an nda and an internal answer; their ids say nothing the tests look for."""
    answer(repo, "second-step", "public", PUBLIC_QUESTION, PUBLIC_EXPLANATION)
    answer(repo, "pentest-firm", "nda", NDA_QUESTION, f"|\n  {REPEATED}\n\n  {NDA_WRAPPED}\n\n  {NDA_LINKED}\n")
    answer(repo, "key-custody", "internal", INTERNAL_QUESTION, INTERNAL_EXPLANATION, answer="n/a", controls="")


def answer_values(repo: Path) -> dict[str, str]:
    """The leak guard's answer values of the repository: {value: how a message names it}."""
    return {v.value: v.what for v in internal_values(pipeline.run(repo).model) if v.kind == "answer"}


def diagnostics(repo: Path, rule: str) -> list[str]:
    return [str(d) for d in pipeline.run(repo).diagnostics if d.rule == rule]


# --- the leak guard's values -------------------------------------------------------------------


def test_nda_explanations_and_internal_answers_are_internal_values(base_repo: Path) -> None:
    add_library(base_repo)
    assert answer_values(base_repo) == {
        NDA_SENTENCE: "the explanation of the nda answer pentest-firm (answers/pentest-firm.yaml)",
        NDA_LINKED: "the explanation of the nda answer pentest-firm (answers/pentest-firm.yaml)",
        NDA_LINKED_SHOWN: "the explanation of the nda answer pentest-firm (answers/pentest-firm.yaml)",
        INTERNAL_QUESTION: "the question of the internal answer key-custody (answers/key-custody.yaml)",
        INTERNAL_EXPLANATION: "the explanation of the internal answer key-custody (answers/key-custody.yaml)",
    }


def test_what_customers_read_of_an_answer_is_no_internal_value(base_repo: Path) -> None:
    """Not the public answer, not the nda question, not an nda sentence a public answer says word for
    word, and never an answer's id: a slug such as `mfa` is too common to look for."""
    add_library(base_repo)
    values = {tuple(words(v)) for v in answer_values(base_repo)}
    for text in (*SHOWN.values(), REPEATED, "second-step", "pentest-firm", "key-custody"):
        assert tuple(words(text)) not in values, text


HEADED = "Marta Kowalski holds the sealed envelope in safe four."
HEADED_LINKED = "Marta Kowalski holds the [sealed envelope](https://vault.test.example/e) in safe four."


@pytest.mark.parametrize("sentence", [HEADED, HEADED_LINKED], ids=["as-written", "linked"])
@pytest.mark.parametrize("visibility", ["nda", "internal"])
def test_a_sentence_right_under_a_heading_is_a_value_of_its_own(
    runner, base_repo: Path, visibility: str, sentence: str
) -> None:
    """CommonMark starts a paragraph on the line after a heading: its first sentence is looked for
    alone, never glued to the heading, as written and as the page shows it (a link's words only)."""
    explanation = f"|\n  ## Break glass\n  {sentence}\n  Ask us.\n"
    answer(base_repo, "glass", visibility, "Who holds the break-glass credentials?", explanation, answer="n/a")
    assert HEADED in answer_values(base_repo)
    write(base_repo, "site/team.md", f"# Team\n\n{HEADED}\n")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "site/team.md:3:1: error [internal-value]" in result.output, command
    assert site_snapshot(base_repo) == {}


def test_a_sentence_right_under_a_heading_of_an_unpublished_policy_is_a_value_of_its_own(base_repo: Path) -> None:
    """The same reading as an answer's: an unpublished policy's text, heading and paragraph unwrapped."""
    edit(
        base_repo,
        "policies/access-control.md",
        "public: full\n---\n",
        "public: none\n---\n\n## Scope\n" + HEADED + "\n",
    )
    found = {v.value: v.what for v in internal_values(pipeline.run(base_repo).model)}
    assert found[HEADED] == "the text of policy access-control (policies/access-control.md)"
    assert not [value for value in found if "Break glass" in value or "Scope" in value]


# --- what customers read anyway ----------------------------------------------------------------


# Public inputs that may say an answer's sentence word for word: (where, how to write `text` into the
# base repository, where `check` reports an internal value in it).
def _in_public_answer(repo: Path, text: str) -> None:
    answer(repo, "said", "public", "Do you say it?", f"Yes. {text}")


def _in_nda_question(repo: Path, text: str) -> None:
    answer(repo, "said", "nda", f"Do you mean that {text.rstrip('.')}?", PUBLIC_EXPLANATION)


def _in_control_summary(repo: Path, text: str) -> None:
    edit(repo, "controls/access/ac-01.yaml", "  summary: Every", f"  summary: {text} Every")


def _in_policy_text(repo: Path, text: str) -> None:  # approved, shown in full
    add_policies(repo, {"policies/remote-work.md": FULL.replace("We let staff", f"{text} We let staff")})


PUBLIC_INPUTS = [
    (_in_public_answer, "answers/said.yaml:4:14", "the explanation of the public answer said"),
    (_in_nda_question, "answers/said.yaml:2:11", "the question of the nda answer said"),
    (_in_control_summary, "controls/access/ac-01.yaml:13:12", "the public summary of AC-01"),
    (_in_policy_text, "policies/remote-work.md:14:1", "the text of the policy remote-work"),
]
WHERE = ["public-answer", "nda-question", "control-summary", "policy-text"]


@pytest.mark.parametrize(("put", "_at", "_said"), PUBLIC_INPUTS, ids=WHERE)
def test_an_nda_sentence_customers_read_anyway_is_published_by_choice(base_repo: Path, put, _at, _said) -> None:
    """An nda answer naturally restates the public claim before it adds the details."""
    add_library(base_repo)
    put(base_repo, NDA_SENTENCE)
    assert NDA_SENTENCE not in answer_values(base_repo)
    assert NDA_LINKED_SHOWN in answer_values(base_repo)  # what is not said publicly still is a value
    assert diagnostics(base_repo, "internal-value") == []


def test_an_nda_sentence_a_public_summary_already_says_is_no_error(base_repo: Path) -> None:
    """The control's summary was public before the answer: it is not blamed for the answer."""
    summary = "Every person on our team signs in with a hardware key."  # AC-01's public summary says it
    answer(base_repo, "keys", "nda", "Which keys do staff use?", f"{summary} We buy them through Vendorname Direct.")
    assert list(answer_values(base_repo)) == ["We buy them through Vendorname Direct."]
    assert diagnostics(base_repo, "internal-value") == []


@pytest.mark.parametrize(("put", "at", "said"), PUBLIC_INPUTS, ids=WHERE)
def test_an_internal_sentence_is_never_published_by_choice(base_repo: Path, put, at: str, said: str) -> None:
    """Copy and paste is the likeliest route out: whatever public text says it is blamed for it."""
    add_library(base_repo)
    put(base_repo, INTERNAL_EXPLANATION)
    assert INTERNAL_EXPLANATION in answer_values(base_repo)
    assert diagnostics(base_repo, "internal-value") == [
        f"{at}: error [internal-value] {said} contains the explanation of the internal answer key-custody "
        f"(answers/key-custody.yaml): {INTERNAL_EXPLANATION[:57] + '...'!r} (hint: internal values never go on the public "
        "site: say it in your own plain words, or leave it out)"
    ]


def test_an_nda_question_an_internal_answer_asks_too_is_an_error(base_repo: Path) -> None:
    add_library(base_repo)
    answer(base_repo, "testers-internal", "internal", NDA_QUESTION, "Only the two of us know the firm's name today.")
    assert answer_values(base_repo)[NDA_QUESTION].startswith("the question of the internal answer testers-internal")
    [found] = diagnostics(base_repo, "internal-value")
    assert found.startswith(
        "answers/pentest-firm.yaml:2:11: error [internal-value] the question of the nda answer pentest-firm contains "
        "the question of the internal answer testers-internal (answers/testers-internal.yaml)"
    )


# Markdown a page never shows: an unused link definition's title, a code fence's info string.
UNSHOWN = {
    "link-definition": f'|\n  Yes. Every login needs a key.\n\n  [k]: https://keys.example "{NDA_SENTENCE}"\n',
    "fence-info": f"|\n  Yes. Every login needs a key.\n\n  ```{NDA_SENTENCE}\n  code\n  ```\n",
}


@pytest.mark.parametrize("explanation", UNSHOWN.values(), ids=UNSHOWN.keys())
def test_markdown_the_faq_never_shows_does_not_make_an_nda_sentence_public(
    runner, base_repo: Path, explanation: str
) -> None:
    """What customers can already read is what the page shows: a sentence hidden in the Markdown
    would otherwise free every page to publish it."""
    add_library(base_repo)
    answer(base_repo, "said", "public", "Do you say it?", explanation)
    write(base_repo, "site/testing.md", f"# Testing\n\n{NDA_SENTENCE}\n")
    assert NDA_SENTENCE in answer_values(base_repo)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "site/testing.md:3:1: error [internal-value]" in result.output, command
    assert site_snapshot(base_repo) == {}


def test_a_published_policy_counts_by_what_its_page_shows(base_repo: Path) -> None:
    """A policy shown in full reads as its page renders it: a link definition there is not shown."""
    add_library(base_repo)
    hidden = f'[x]: https://keys.example "{NDA_SENTENCE}"'
    add_policies(base_repo, {"policies/remote-work.md": FULL.replace("We let staff", f"{hidden}\n\nWe let staff")})
    assert NDA_SENTENCE in answer_values(base_repo)


QUOTED = "|\n  > Marta Kowalski holds\n  > the sealed envelope\n  > in safe four.\n"
TITLED = "|\n  ## Vendorname Direct supplies our YubiKey fleet\n  Two keys each.\n\n  ## How it works\n  Ask us.\n"


def test_a_quoted_sentence_is_one_value_whatever_else_the_text_holds(runner, base_repo: Path) -> None:
    """Read as the page would show it, not only when a link or a tag is there: a quote's lines join."""
    answer(base_repo, "glass", "internal", "Who holds the break-glass credentials?", QUOTED, answer="n/a")
    assert HEADED in answer_values(base_repo)
    write(base_repo, "site/team.md", f"# Team\n\n{HEADED}\n")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "site/team.md:3:1: error [internal-value]" in result.output, command


def test_a_hidden_answer_s_heading_is_looked_for(base_repo: Path) -> None:
    """A heading of four words or more is the answer's own words; a short one is too common."""
    answer(base_repo, "keys", "nda", "Which keys do staff use?", TITLED)
    assert list(answer_values(base_repo)) == ["Vendorname Direct supplies our YubiKey fleet"]
    write(base_repo, "site/team.md", "# Team\n\nVendorname Direct supplies our YubiKey fleet.\n")
    [found] = diagnostics(base_repo, "internal-value")
    assert found.startswith("site/team.md:3:1: error [internal-value] site/team.md contains the explanation")


def test_an_nda_sentence_on_a_page_names_the_answer_to_reword(base_repo: Path) -> None:
    """The page may have been public first (a disclosure policy the answer restates): the hint says
    where else the fix may lie. An internal answer's sentence never gets it."""
    add_library(base_repo)
    write(base_repo, "site/testing.md", f"# Testing\n\n{NDA_SENTENCE}\n\n{INTERNAL_QUESTION}\n")
    nda, internal = diagnostics(base_repo, "internal-value")
    assert nda.endswith(
        "(hint: internal values never go on the public site: say it in your own plain words, or leave it out; "
        "if it is public anyway, reword or drop that sentence in answers/pentest-firm.yaml)"
    )
    assert internal.endswith("say it in your own plain words, or leave it out)")


# --- public answer texts are public inputs -----------------------------------------------------


def test_a_control_description_in_a_public_explanation_is_an_internal_value(base_repo: Path) -> None:
    answer(base_repo, "second-step", "public", PUBLIC_QUESTION, f"{PUBLIC_EXPLANATION} {DESCRIPTION}")
    assert diagnostics(base_repo, "internal-value") == [
        "answers/second-step.yaml:4:14: error [internal-value] the explanation of the public answer second-step "
        "contains the description of control AC-01 (controls/access/ac-01.yaml): "
        "'The identity provider requires a security key for every w...' (hint: internal values never go on the "
        "public site: say it in your own plain words, or leave it out)"
    ]


def test_an_internal_value_in_a_question_customers_read_is_an_error(base_repo: Path) -> None:
    for visibility in ("public", "nda"):
        answer(base_repo, visibility, visibility, "Who is it-security@test.example?", PUBLIC_EXPLANATION)
    found = diagnostics(base_repo, "internal-value")
    assert [line.split(" contains ")[0] for line in found] == [
        "answers/nda.yaml:2:11: error [internal-value] the question of the nda answer nda",
        "answers/public.yaml:2:11: error [internal-value] the question of the public answer public",
    ]
    assert all("the owner of control AC-01" in line for line in found)


def test_what_customers_never_read_is_not_screened(base_repo: Path) -> None:
    """An nda answer's explanation and an internal answer go out in exports at most, never on the site."""
    answer(base_repo, "testers", "nda", NDA_QUESTION, DESCRIPTION)
    answer(base_repo, "idp", "internal", f"Is {DESCRIPTION}", DESCRIPTION)
    assert diagnostics(base_repo, "internal-value") == []


def test_an_nda_explanation_on_a_page_fails_check_and_build(runner, base_repo: Path) -> None:
    add_library(base_repo)
    write(base_repo, "site/testing.md", f"# Testing\n\n{NDA_SENTENCE}\n\n{INTERNAL_QUESTION}\n")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "site/testing.md:3:1: error [internal-value]" in result.output, command
        assert "the explanation of the nda answer pentest-firm" in result.output, command
        assert "site/testing.md:5:1: error [internal-value]" in result.output, command
        assert "the question of the internal answer key-custody" in result.output, command
    assert site_snapshot(base_repo) == {}


# --- markup ------------------------------------------------------------------------------------


@pytest.mark.parametrize(("source", "message"), HOSTILE, ids=IDS)
def test_markup_in_a_public_explanation_is_an_error(base_repo: Path, source: str, message: str) -> None:
    answer(base_repo, "second-step", "public", PUBLIC_QUESTION, f"Staff use a key. {source}")
    [found] = diagnostics(base_repo, "public-markup")
    assert found.startswith(
        f"answers/second-step.yaml:4:14: error [public-markup] the explanation of the public answer second-step "
        f"{message} (hint: "
    )


@pytest.mark.parametrize("visibility", ["public", "nda"])
@pytest.mark.parametrize(
    ("question", "shown"),
    [
        ("Do you <script>alert(1)</script> test?", "HTML ('<script>')"),
        ("Do you [test](javascript:alert(1))?", "a Markdown link ('javascript:alert(1)')"),
        ("Do you [test](https://test.example/)?", "a Markdown link ('https://test.example/')"),
    ],
)
def test_a_question_customers_read_is_plain_text(base_repo: Path, visibility: str, question: str, shown: str) -> None:
    answer(base_repo, "testing", visibility, question, PUBLIC_EXPLANATION)
    assert diagnostics(base_repo, "public-markup") == [
        f"answers/testing.yaml:2:11: error [public-markup] the question of the {visibility} answer testing holds "
        f"{shown}, which customers would see as typed: it is plain text (hint: write plain words, without HTML or "
        "links)"
    ]


def test_markup_customers_never_read_is_not_refused(base_repo: Path) -> None:
    answer(base_repo, "testers", "nda", NDA_QUESTION, "Ask us. <script>alert(1)</script> [x](javascript:alert(1))")
    answer(base_repo, "idp", "internal", "Who holds the <b>keys</b>?", "Two of us. <img src=x onerror=alert(1)>")
    assert diagnostics(base_repo, "public-markup") == []


def test_a_link_that_works_is_accepted(base_repo: Path) -> None:
    explanation = "Read **our** [security policy](https://test.example/policy), or [write](mailto:a@test.example)."
    answer(base_repo, "second-step", "public", PUBLIC_QUESTION, explanation)
    assert diagnostics(base_repo, "public-markup") == []


@pytest.mark.parametrize("address", ["policies/access-control.md", "../faq/", "#on-request", "//test.example/p"])
def test_a_relative_link_in_a_public_explanation_is_an_error(base_repo: Path, address: str) -> None:
    """The page sits at faq/ or faq.html, and exports carry the same text: a relative address leads nowhere."""
    answer(base_repo, "second-step", "public", PUBLIC_QUESTION, f"Read [our policy]({address}).")
    assert diagnostics(base_repo, "public-markup") == [
        f"answers/second-step.yaml:4:14: error [public-markup] the explanation of the public answer second-step links "
        f"to {address!r}, which cannot be a link there: customers would see only the words 'our policy' (hint: write "
        "the link as [label](https://…): only https, http and mailto addresses work)"
    ]


# --- the built site ----------------------------------------------------------------------------


@pytest.fixture
def library(runner, base_repo: Path) -> Path:
    """The base repository with a public, an nda and an internal answer, checked and built."""
    add_library(base_repo)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    return base_repo


def test_no_nda_explanation_or_internal_answer_in_any_file_of_the_site(library: Path) -> None:
    found = site_words(library / "build/site")
    assert {"faq/index.html", "trust.json", "search/search_index.json", "sitemap.xml"} <= set(found)
    for what, value in NEVER.items():
        needle = " ".join(words(value))
        assert not [rel for rel, text in found.items() if needle in text], what
    for value in ("Harbour Lane", "harbour.example", "Quartz Custody", "Zurich vault", "pentest-firm", "key-custody"):
        needle = " ".join(words(value))
        assert not [rel for rel, text in found.items() if needle in text], value


def test_what_customers_may_read_is_on_the_page_and_in_trust_json(library: Path) -> None:
    """So that the test above looks where the answers are."""
    site = library / "build/site"
    page = " ".join(words((site / "faq/index.html").read_text()))
    for what, value in SHOWN.items():
        assert " ".join(words(value)) in page, what
    trust = json.loads((site / "trust.json").read_text())
    assert [(a["question"], a["explanation"]) for a in trust["faq"]] == [(PUBLIC_QUESTION, PUBLIC_EXPLANATION)]
    assert trust["on_request"] == [NDA_QUESTION]


def test_the_guard_itself_knows_answer_values(library: Path, tmp_path: Path) -> None:
    """Past `check`: the output scan alone finds each hidden sentence in a finished tree."""
    site = tmp_path / "site"
    for n, value in enumerate(NEVER.values()):
        write(site, f"{n}.html", f"<p>{value.upper()}</p>")
    write(site, "wrapped.json", json.dumps({"faq": [{"explanation": NDA_WRAPPED}]}))
    leaks = tree.scan(site, pipeline.run(library).model)
    assert sorted({leak.file for leak in leaks}) == [*(f"{n}.html" for n in range(len(NEVER))), "wrapped.json"]
    assert not tree.scan(library / "build/site", pipeline.run(library).model)


def test_markup_in_a_public_explanation_never_reaches_a_page(runner, library: Path) -> None:
    before = site_snapshot(library)
    answer(library, "second-step", "public", PUBLIC_QUESTION, f"{PUBLIC_EXPLANATION} {SCRIPTED}")
    for command, result in check_and_build(runner, library).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "answers/second-step.yaml:4:14: error [public-markup]" in result.output, command
        assert "javascript:alert(3)" in result.output, command
    assert site_snapshot(library) == before


def test_the_renderer_drops_markup_in_an_answer_all_the_same(base_repo: Path) -> None:
    """Defence in depth: a FAQ rendered from texts `check` would refuse has nothing live in it."""
    add_library(base_repo)
    model = pipeline.run(base_repo).model
    hostile = {
        "second-step": {"question": f"Keys {PAYLOAD}?", "explanation": f"Text {SCRIPTED} end.\n\n{PAYLOAD}"},
        "pentest-firm": {"question": f"Tests {PAYLOAD}?"},
    }
    changed = tuple(dataclasses.replace(a, **hostile.get(a.id, {})) for a in model.answers)
    view = public.build(dataclasses.replace(model, answers=changed))
    page = next(p.content for p in pages.render_all(view) if p.src_uri == "faq.md")
    assert live_markup(page) == [], page
    for gone in ("<script", "<img", "<svg", "onerror=alert(2)>", "javascript"):
        assert gone not in page.lower(), gone
    assert "click" in page  # a link that cannot work keeps its words
    assert "Keys &lt;script&gt;alert(1)&lt;/script&gt;" in page and "Tests &lt;script&gt;" in page
    trust = json.loads(trust_json.render(view, "", True))
    [shown] = trust["faq"]
    assert "<" not in shown["explanation"] and "javascript" not in shown["explanation"]
    assert shown["question"] == f"Keys {PAYLOAD}?" and trust["on_request"] == [f"Tests {PAYLOAD}?"]  # JSON: data


def refused(runner, repo: Path, line: str) -> dict:
    """Both commands exit 1 saying `line`; the site stays as it was; no traceback."""
    before = site_snapshot(repo)
    results = check_and_build(runner, repo)
    for command, result in results.items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert line in result.output and "Traceback" not in result.output, f"{command}: {result.output}"
    assert site_snapshot(repo) == before
    return results


def test_an_answer_file_linking_out_of_the_repository_is_refused(runner, library: Path, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere/secret.yaml"
    answer(tmp_path, "elsewhere/secret", "public", "Which secret lives outside?", "Nothing of this file is read.")
    (library / "answers/linked.yaml").symlink_to(outside)
    results = refused(
        runner,
        library,
        "answers/linked.yaml:1:1: error [symlink-outside] answers/linked.yaml is a symbolic link that leads out "
        "of the repository; it is not read",
    )
    assert not [r for r in results.values() if "secret lives outside" in r.output]


@pytest.mark.parametrize("where", ["outside", "inside"])
def test_a_linked_answers_folder_is_read_only_inside_the_repository(
    runner, base_repo: Path, tmp_path: Path, where: str
) -> None:
    holder = tmp_path / "elsewhere" if where == "outside" else base_repo / "notes"
    answer(holder, "testers", "public", NDA_QUESTION, NDA_SENTENCE)  # holder/answers/testers.yaml
    (base_repo / "answers").symlink_to(holder / "answers", target_is_directory=True)
    found = [a.id for a in pipeline.run(base_repo).model.answers]
    if where == "inside":  # the same files the repository holds anyway
        assert found == ["testers"]
    else:
        assert found == []
        refused(
            runner,
            base_repo,
            "answers:1:1: error [symlink-outside] answers is a symbolic link that leads out of the repository",
        )
