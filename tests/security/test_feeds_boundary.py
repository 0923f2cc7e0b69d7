"""The feeds and the "Stay informed" block as a way out: `subscribe_url` takes only mailto: and
https:, text with markup reaches a feed escaped (never a live tag, in Atom or in JSON Feed), no
internal value reaches any feed, and a linked notice or policy file feeds no entry."""

from __future__ import annotations

import dataclasses
import json
import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

import pytest

import feed_site
import policy_site
from feed_site import BASE_URL, atom, build, feed_bytes, lay_out
from helpers import check_and_build, edit, site_snapshot, write
from payloads import PAYLOAD, apply_payloads
from plaintrust import pipeline
from plaintrust.errors import ExitCode
from plaintrust.public import feeds
from plaintrust.public import view as public

ATOM = "{http://www.w3.org/2005/Atom}"
# Tags the entries' own HTML uses: paragraphs, and what a Markdown line renders (links, code, emphasis).
ALLOWED = {"p", "a", "code", "strong", "em"}


class Tags(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__()
        self.found: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.found.append((tag, {name: value or "" for name, value in attrs}))

    @classmethod
    def of(cls, html: str) -> list[tuple[str, dict[str, str]]]:
        parser = cls()
        parser.feed(html)
        parser.close()
        return parser.found


def assert_safe_html(html: str) -> None:
    for tag, attrs in Tags.of(html):
        assert tag in ALLOWED, html
        assert set(attrs) <= ({"href"} if tag == "a" else set()), html
        assert re.match(r"(https|mailto):", attrs.get("href", "https:")), html


def summaries(files: dict[str, bytes]) -> list[str]:
    """Every entry's HTML in every feed, as a reader gets it back: Atom's summary, JSON's content_html."""
    found = []
    for name, data in files.items():
        if name.endswith(".xml"):
            found += [e.findtext(f"{ATOM}summary") or "" for e in ET.fromstring(data).iter(f"{ATOM}entry")]
        else:
            found += [item["content_html"] for item in json.loads(data)["items"]]
    return found


# -- subscribe_url ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>alert(1)</script>",
        "http://lists.test.example/join",
        'https://lists.test.example/"><script>alert(1)</script>',
        "https://lists.test.example/join onclick=alert(1)",
        "mailto:",
        "//lists.test.example/join",
    ],
)
def test_a_subscribe_url_that_is_not_mailto_or_https_is_refused(runner, base_repo: Path, url: str) -> None:
    edit(
        base_repo,
        "site/trust.yaml",
        "organization: Example Test Co\n",
        f"organization: Example Test Co\nsubscribe_url: {json.dumps(url)}\n",
    )
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, command
        [line, hint] = result.output.splitlines()[:2]
        assert line.startswith("site/trust.yaml:2:16: error [schema] subscribe_url: '"), result.output
        assert line.endswith("' is not a valid subscribe_url") and url[:20] in line, result.output
        assert hint == "    hint: A mailto: address or an https:// page.", result.output
    assert site_snapshot(base_repo) == {}


@pytest.mark.parametrize("url", ["mailto:news@test.example", "https://lists.test.example/join?a=1&b=2"])
def test_a_mailto_or_https_sign_up_is_a_plain_link_and_nothing_is_loaded(runner, base_repo: Path, url: str) -> None:
    edit(
        base_repo,
        "site/trust.yaml",
        "organization: Example Test Co\n",
        f"organization: Example Test Co\nsubscribe_url: '{url}'\n",
    )
    site = build(runner, base_repo)
    page = (site / "index.html").read_text(encoding="utf-8")
    assert page.count(url.replace("&", "&amp;")) == 1
    assert f'href="{url.replace("&", "&amp;")}">Get these by email</a>' in page
    host = url.split("@")[-1].split("/")[2] if url.startswith("https") else "test.example"
    assert not re.search(rf'(src|action|data)="[^"]*{re.escape(host)}', page)  # linked, never loaded


# -- markup in entry text ---------------------------------------------------------------------------


def test_markup_in_public_text_reaches_every_feed_escaped(runner, base_repo: Path) -> None:
    """trust.yaml's plain texts hold a script: Atom and JSON Feed carry it as characters."""
    apply_payloads(base_repo)
    subprocessor = (
        f"  - {{name: 'Sub {PAYLOAD}', purpose: 'P {PAYLOAD}', location: EU, data: 'D {PAYLOAD}', added: 2024-03-01}}\n"
    )
    write(base_repo, "site/trust.yaml", (base_repo / "site/trust.yaml").read_text() + "subprocessors:\n" + subprocessor)
    files = feed_bytes(build(runner, base_repo))
    for html in summaries(files):
        assert_safe_html(html)
    for name, data in files.items():
        assert b"<script" not in data and b"<svg" not in data, name
        if name.endswith(".json"):
            assert b"<" not in data and b">" not in data, name  # not even a tag of our own, raw
    parsed = atom(base_repo / "build/site", "subprocessors")
    assert parsed.entries[0].title == f"Added: Sub {PAYLOAD}"  # the characters, shown as text
    assert json.loads(files["all.json"])["title"] == f"Org {PAYLOAD}: combined news"


def test_were_check_skipped_no_field_could_put_a_tag_or_a_script_link_into_a_feed(base_repo: Path) -> None:
    """Every text the entries are made of, hostile, in a view built past `check`: still no live tag,
    and an objection contact that is not a safe address is no link."""
    shown = public.build(pipeline.run(lay_out(base_repo)).model)
    hostile = dataclasses.replace(
        shown,
        organization=PAYLOAD,
        notices=tuple(dataclasses.replace(n, title=PAYLOAD, affected=PAYLOAD) for n in shown.notices),
        subprocessors=tuple(
            dataclasses.replace(
                s,
                name=PAYLOAD,
                purpose=PAYLOAD,
                location=PAYLOAD,
                data=PAYLOAD,
                objection_contact="javascript:alert(5)",
            )
            for s in shown.subprocessors
        ),
        certifications=tuple(dataclasses.replace(c, kind=PAYLOAD, auditor=PAYLOAD) for c in shown.certifications),
        policies=tuple(dataclasses.replace(p, title=PAYLOAD, version=PAYLOAD) for p in shown.policies),
    )
    files = {path.split("/")[-1]: data for path, data in feeds.render_all(hostile, BASE_URL, True).items()}
    assert len(files) == 10
    for html in summaries(files):
        assert_safe_html(html)
        assert "javascript" not in html
    assert not any(b"<script" in data or b"javascript:" in data for data in files.values())


# -- internal values --------------------------------------------------------------------------------

INTERNAL = [
    policy_site.OWNER,
    policy_site.APPROVER,
    policy_site.SUMMARY_APPROVER,
    policy_site.HIDDEN_OWNER,
    policy_site.HIDDEN_TITLE,
    policy_site.HIDDEN_BODY,
    policy_site.DRAFT_TITLE,
    policy_site.DRAFT_BODY,
    policy_site.SUMMARY_BODY,
    "Internal note that never reaches customers",  # a commit message
    "pager-runbook",
    "AC-01",
]


@pytest.mark.skipif(policy_site.NO_GIT, reason="needs git")
def test_no_internal_value_reaches_any_feed(runner, base_repo: Path) -> None:
    """Policies with owners, approvers, an internal and a draft one, an earlier version in git whose
    change line names its owner (withheld): the feeds hold versions, never who or what stays inside."""
    lay_out(base_repo, policies=False)
    policy_site.with_history(base_repo, f"Reviewed by {policy_site.OWNER}.")
    files = feed_bytes(build(runner, base_repo))
    texts = {
        name: json.dumps(json.loads(data), ensure_ascii=False) if name.endswith(".json") else data.decode()
        for name, data in files.items()
    }
    for name, text in texts.items():
        for value in INTERNAL:
            assert value not in text, (name, value)
    versions = [i["title"] for i in json.loads(files["policies.json"])["items"]]
    assert "Policy version 1.0: Remote work policy" in versions  # the earlier version is news, its line is not
    [earlier] = [i for i in json.loads(files["policies.json"])["items"] if i["title"].startswith("Policy version 1.0")]
    assert "What changed" not in earlier["content_text"]


@pytest.mark.parametrize(
    ("rel", "text"),
    [
        ("site/updates/2026-11-20-linked.md", feed_site.NOTICE.format(updated=feed_site.UPDATED, doing="Linked in.")),
        ("policies/linked.md", policy_site.FULL.replace("id: remote-work", "id: linked")),
    ],
)
def test_a_linked_notice_or_policy_feeds_no_entry(runner, base_repo: Path, tmp_path: Path, rel: str, text: str) -> None:
    lay_out(base_repo)
    outside = write(tmp_path, "elsewhere/file.md", text)
    (base_repo / rel).symlink_to(outside)
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, command
        assert re.search(rf"{re.escape(rel)}:.* error \[[a-z-]+\] .*link", result.output), result.output
    assert site_snapshot(base_repo) == {}


# -- the feeds' paths -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("rel", "what", "policies"),
    [
        ("feeds/all.json", "the combined news JSON Feed", False),
        ("feeds/certifications.xml", "the certification news feed", False),
        ("feeds/updates.json", "the security updates JSON Feed", False),
        ("feeds/policies.xml", "the policy changes feed", True),
    ],
)
def test_a_file_of_yours_in_the_place_of_a_feed_is_refused(
    runner, base_repo: Path, rel: str, what: str, policies: bool
) -> None:
    if policies:
        policy_site.add_policies(base_repo)
    write(base_repo, f"site/{rel}", "mine\n")
    for command, result in check_and_build(runner, base_repo).items():
        assert result.exit_code == ExitCode.FINDINGS, command
        assert f"site/{rel}:1:1: error [output-clash] site/{rel} has the path of {what}, which the build writes" in (
            result.output
        ), result.output
    assert site_snapshot(base_repo) == {}


def test_the_policy_feeds_paths_are_free_while_no_policy_is_published(runner, base_repo: Path) -> None:
    """No policy feed is written then, so a file of yours there is yours, served as it is."""
    write(base_repo, "site/feeds/policies.xml", "mine\n")
    assert (build(runner, base_repo) / "feeds/policies.xml").read_text() == "mine\n"
