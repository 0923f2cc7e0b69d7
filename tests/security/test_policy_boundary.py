"""Policies on the trust center: who owns or approved a policy never reaches any file of the site;
the text of a draft, of a `public: none` policy, and the body of a `public: summary` one never
either; raw HTML and `javascript:` links in policy text never become live markup (`check` refuses
them, and the renderer drops them all the same); the leak guard stops a build that would publish
hidden policy text by another route; a change line from git history that holds an internal value
or markup is left out of the site (a warning: no edit could fix it); the state words, whatever the
state, are plain text with no internal value; a policy file that links out of the repository, or an
id that is a path, is refused."""

from __future__ import annotations

import dataclasses
import datetime as dt
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from helpers import check_and_build, site_snapshot, write
from plaintrust import cli, pipeline
from plaintrust.boundary.needles import words
from plaintrust.errors import ExitCode
from plaintrust.model import PolicyVersion
from plaintrust.public import pages
from plaintrust.public import view as public
from plaintrust.public.guard import tree
from policy_site import (
    ALL,
    APPROVER,
    DRAFT_BODY,
    DRAFT_TITLE,
    FULL,
    HIDDEN_BODY,
    HIDDEN_OWNER,
    HIDDEN_TITLE,
    NO_GIT,
    OWNER,
    SUMMARY_APPROVER,
    SUMMARY_BODY,
    add_policies,
    with_history,
)

NEVER = {
    "the owner": OWNER,
    "the approver": APPROVER,
    "the approver of the summary-only policy": SUMMARY_APPROVER,
    "the owner of the hidden policy": HIDDEN_OWNER,
    "the body of the summary-only policy": SUMMARY_BODY,
    "the title of the hidden policy": HIDDEN_TITLE,
    "the body of the hidden policy": HIDDEN_BODY,
    "the title of the draft": DRAFT_TITLE,
    "the body of the draft": DRAFT_BODY,
}
SCRIPTED = "<script>alert(1)</script> and <img src=x onerror=alert(2)> and [click](javascript:alert(3))"


def site_words(site: Path) -> dict[str, str]:
    """Every file of the site as its words (case, markup and JSON escapes no disguise)."""
    return {rel: " ".join(words(data.decode("utf-8", "replace"))) for rel, data in _files(site).items()}


def _files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.fixture
def published(runner, base_repo: Path) -> Path:
    add_policies(base_repo)
    results = check_and_build(runner, base_repo)
    for command, result in results.items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    return base_repo


def test_no_owner_approver_or_hidden_text_in_any_file_of_the_site(published: Path) -> None:
    found = site_words(published / "build/site")
    assert "policies/remote-work/index.html" in found and "policies/vendor-review/index.html" in found
    for what, value in NEVER.items():
        needle = " ".join(words(value))
        assert not [rel for rel, text in found.items() if needle in text], what


def test_hidden_and_draft_policies_have_no_page_and_no_entry(published: Path) -> None:
    site = published / "build/site"
    assert sorted(p.name for p in (site / "policies").iterdir()) == ["index.html", "remote-work", "vendor-review"]
    trust = (site / "trust.json").read_text()
    assert "pager-runbook" not in trust and '"travel"' not in trust and "approved" not in trust


def test_a_summary_policy_shows_its_summary_only(published: Path) -> None:
    page = (published / "build/site/policies/vendor-review/index.html").read_text()
    assert "We check each vendor before it gets any customer data." in page
    assert "The full policy is not published." in page
    assert "procurement" not in page


def test_the_leak_guard_fails_a_build_that_publishes_hidden_policy_text(runner, published: Path) -> None:
    before = site_snapshot(published)
    write(published, "site/faq.md", f"# Questions\n\n{HIDDEN_BODY}\n\nAsk {APPROVER}.\n")
    for command, result in check_and_build(runner, published).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "the text of policy pager-runbook" in result.output, command
        assert "the approver of policy" in result.output, command
    assert site_snapshot(published) == before


def test_the_guard_itself_knows_policy_values(published: Path, tmp_path: Path) -> None:
    """Past `check`: the output scan alone finds each hidden value in a finished tree."""
    site = tmp_path / "site"
    for what, value in NEVER.items():
        write(site, f"{len(what)}-{what.replace(' ', '-')}.html", f"<p>{value.upper()}</p>")
    leaks = tree.scan(site, pipeline.run(published).model)
    assert len({leak.file for leak in leaks}) == len(NEVER), leaks


def test_a_public_policy_naming_an_owner_is_refused_before_anything_is_built(runner, published: Path) -> None:
    before = site_snapshot(published)
    path = published / "policies/remote-work.md"
    path.write_text(path.read_text() + f"\nQuestions go to {HIDDEN_OWNER}.\n")
    for command, result in check_and_build(runner, published).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "policies/remote-work.md:" in result.output and "the owner of policy pager-runbook" in result.output
    assert site_snapshot(published) == before


class _Live(HTMLParser):
    """Elements and attributes a browser would act on."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "img", "iframe", "svg"):
            self.found.append(tag)
        for name, value in attrs:
            if name.startswith("on") or (value or "").strip().lower().startswith("javascript"):
                self.found.append(f"{tag} {name}={value}")


def live_markup(html: str) -> list[str]:
    parser = _Live()
    parser.feed(html)
    return parser.found


def test_check_refuses_markup_in_policy_text(runner, base_repo: Path) -> None:
    add_policies(base_repo, {"policies/remote-work.md": FULL.replace("Laptops lock", SCRIPTED)})
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "policy-markup" in result.output
    assert not (base_repo / "build/site").exists()


@pytest.mark.parametrize("where", ["body", "summary", "change", "earlier change"])
def test_the_renderer_drops_markup_in_policy_text_all_the_same(base_repo: Path, where: str) -> None:
    """Defence in depth: a page rendered from text `check` would refuse has nothing live in it."""
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    model = pipeline.run(base_repo).model
    policy = model.policies_by_id["remote-work"]
    if where == "earlier change":  # read from git, where no rule reads it
        policy = dataclasses.replace(policy, history=(PolicyVersion("1.0", dt.date(2025, 3, 1), SCRIPTED),))
    else:
        policy = dataclasses.replace(policy, **{where: f"Text {SCRIPTED} end."})
    model = dataclasses.replace(model, policies=(policy,))
    rendered = [p for p in pages.render_all(public.build(model)) if p.src_uri.startswith("policies/")]
    page = next(p.content for p in rendered if p.src_uri == "policies/remote-work.md")
    assert live_markup(page) == [], page
    for gone in ("<script", "onerror", "alert(2)", "javascript"):  # a tag's words may stay, as words
        assert gone not in page.lower(), gone
    assert "click" in page  # a link that cannot work keeps its words


def test_a_policy_file_linking_out_of_the_repository_is_refused(runner, base_repo: Path, tmp_path: Path) -> None:
    outside = write(tmp_path, "elsewhere/secret.md", FULL)
    (base_repo / "policies/linked.md").symlink_to(outside)
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS, result.output
    assert re.search(r"policies/linked\.md.*link", result.output), result.output
    assert "Priya" not in result.output


@pytest.mark.parametrize("bad_id", ["../x", "a/b", "x y", "<b>x</b>", ".hidden"])
def test_an_id_that_is_a_path_or_markup_is_refused(runner, base_repo: Path, bad_id: str) -> None:
    add_policies(base_repo, {"policies/odd.md": FULL.replace("id: remote-work", f"id: '{bad_id}'")})
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, f"{command}: {result.output}"
        assert "policies/odd.md:2:" in result.output, result.output
    assert not (base_repo / "build/site").exists()
    assert not (base_repo / "x").exists() and not (base_repo.parent / "x").exists()


def test_a_title_with_odd_characters_is_shown_as_text(runner, base_repo: Path) -> None:
    title = 'R&D "rules" when a < b > c'
    add_policies(base_repo, {"policies/remote-work.md": FULL.replace("Remote work policy", repr(title))})
    result = runner.invoke(cli.cli, ["build", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.OK, result.output
    for rel in ("policies/index.html", "policies/remote-work/index.html"):
        page = (base_repo / "build/site" / rel).read_text()
        assert "R&amp;D" in page and "when a &lt; b &gt; c" in page, rel
    trust = json.loads((base_repo / "build/site/trust.json").read_text())
    assert [p["title"] for p in trust["policies"]] == [title]


def test_a_title_with_a_tag_is_refused_and_printed_as_text_all_the_same(runner, base_repo: Path) -> None:
    title = "Rules <b onclick=alert(1)>for</b> everyone"
    add_policies(base_repo, {"policies/remote-work.md": FULL.replace("Remote work policy", repr(title))})
    result = runner.invoke(cli.cli, ["check", "--root", str(base_repo)])
    assert result.exit_code == ExitCode.FINDINGS and "policy-markup" in result.output, result.output
    rendered = pages.render_all(public.build(pipeline.run(base_repo).model))
    for page in (p.content for p in rendered if p.src_uri.startswith("policies/")):
        assert "&lt;b onclick=alert(1)&gt;for&lt;/b&gt;" in page and live_markup(page) == [], page


def _all_but_remote_work_approved(repo: Path, text: str) -> None:
    """The other policies approved; remote-work written with its approved_on but no ledger line."""
    add_policies(repo, {rel: body for rel, body in ALL.items() if rel != "policies/remote-work.md"})
    write(repo, "policies/remote-work.md", text)


@pytest.mark.parametrize(
    ("state", "words_"),
    [
        ("upcoming", "Takes effect on 1 January 2027"),
        ("overdue", "Review overdue: it was due on 2 September 2026"),
        ("changed", "Approval not on record"),
    ],
)
def test_every_state_is_told_in_plain_words_and_nothing_internal(
    runner, base_repo: Path, state: str, words_: str
) -> None:
    if state == "upcoming":
        add_policies(base_repo, {**ALL, "policies/remote-work.md": FULL.replace("2026-03-16", "2027-01-01")})
    elif state == "overdue":
        add_policies(base_repo, {**ALL, "policies/remote-work.md": FULL.replace("review: annual", "review: 6m")})
    else:
        _all_but_remote_work_approved(base_repo, FULL)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    site = base_repo / "build/site"
    for rel in ("policies/index.html", "policies/remote-work/index.html"):
        page = _content((site / rel).read_text())
        assert f">{words_}</span>" in page and live_markup(page) == [], rel
    found = site_words(site)
    for what, value in NEVER.items():
        needle = " ".join(words(value))
        assert not [rel for rel, text in found.items() if needle in text], what
    shown = json.loads((site / "trust.json").read_text())["policies"]
    assert {p["id"]: p["state"] for p in shown}["remote-work"] == state


def _content(page: str) -> str:
    """The page's own part, without the theme's scripts around it."""
    return page[page.index('<article class="md-content__inner') : page.index("</article>")]


def _history_row(page: str) -> str:
    history = page[page.index("Change history") :]
    return history[history.index("<tr><td>1.0</td>") :].split("</tr>")[0]


@pytest.mark.skipif(NO_GIT, reason="no git")
@pytest.mark.parametrize(
    ("line", "holds"),
    [
        (f"Questions now go to {HIDDEN_OWNER}.", "the owner of policy pager-runbook"),
        (f"Added the rule. {HIDDEN_BODY}", "the text of policy pager-runbook"),
        (f"Added a new rule, {APPROVER} said.", "the approver of policy"),
        (SCRIPTED, "HTML ('<script>')"),
        ("See [the annex](javascript:alert(3)).", "a link to 'javascript:alert(3)'"),
    ],
)
def test_a_history_line_holding_a_value_or_markup_never_reaches_the_site(runner, base_repo: Path, line, holds) -> None:
    """The line is in git, where no edit can reach it: a warning, not an error, and nothing of it published."""
    with_history(base_repo, line)
    results = check_and_build(runner, base_repo)
    for command, result in results.items():
        assert result.exit_code == ExitCode.OK, f"{command}: {result.output}"
    output = results["check"].output
    assert "policies/remote-work.md:1:" in output and "policy-history" in output, output
    assert f"the change line of version 1.0 (from git history) holds {holds}" in output, output
    site = base_repo / "build/site"
    page = _content((site / "policies/remote-work/index.html").read_text())
    assert _history_row(page) == "<tr><td>1.0</td><td>3 March 2025</td><td>—</td>"
    assert live_markup(page) == [] and "alert" not in page and "annex" not in page
    found = site_words(site)
    for what, value in {**NEVER, "the line": line}.items():
        needle = " ".join(words(value))
        assert not [rel for rel, text in found.items() if needle in text], what


def test_the_view_leaves_out_what_check_withheld_without_reading_anything(base_repo: Path) -> None:
    """The decision travels in the model: the view only reads `withheld_changes`, and keeps the rest of the row."""
    add_policies(base_repo, {"policies/remote-work.md": FULL})
    model = pipeline.run(base_repo).model
    earlier = (
        PolicyVersion("1.1", dt.date(2025, 9, 1), "Shorter lock time."),
        PolicyVersion("1.0", dt.date(2025, 3, 1), "Plain words, withheld all the same."),
    )
    policy = dataclasses.replace(model.policies_by_id["remote-work"], history=earlier)
    held = {("remote-work", "1.0"): "an internal value"}
    model = dataclasses.replace(model, policies=(policy,), withheld_changes=held)
    shown = public.public_policy(policy, model)
    assert [(v.version, str(v.change), v.withheld) for v in shown.history] == [
        ("2.0", "Home routers now need current updates.", False),
        ("1.1", "Shorter lock time.", False),
        ("1.0", "", True),
    ]
    page = next(p.content for p in pages.render_all(public.build(model)) if p.src_uri == "policies/remote-work.md")
    assert "withheld all the same" not in page and "<td>Shorter lock time.</td>" in page
